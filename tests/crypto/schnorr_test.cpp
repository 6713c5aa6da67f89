#include <catch2/catch.hpp>

#include <algorithm>

#include "ledger/crypto/schnorr.h"
#include "ledger/crypto/sha256.h"

using namespace docket;

TEST_CASE("sign then verify; a flipped bit fails") {
  auto sk = crypto::SecretKey::generate();
  auto pk = sk.public_key();
  auto d = crypto::signing_digest("docket/test/v1", {"chain", crypto::sha256(as_bytes("genesis"))}, as_bytes("hello"));
  auto sig = sk.sign(d);
  CHECK(crypto::verify(pk, d, sig));
  auto bad = sig;
  bad[10] ^= 1;
  CHECK_FALSE(crypto::verify(pk, d, bad));
  auto d2 = d;
  d2[0] ^= 1;
  CHECK_FALSE(crypto::verify(pk, d2, sig));
}

TEST_CASE("secret key from bytes rejects zero and out-of-range") {
  Bytes zero(32, 0);
  CHECK_FALSE(crypto::SecretKey::from_bytes(zero).ok());
  Bytes big(32, 0xff);
  CHECK_FALSE(crypto::SecretKey::from_bytes(big).ok());
  Bytes short_key(31, 1);
  CHECK_FALSE(crypto::SecretKey::from_bytes(short_key).ok());
}

TEST_CASE("a moved-from secret key is wiped") {
  auto sk = crypto::SecretKey::generate();
  auto pk = sk.public_key();
  crypto::SecretKey moved = std::move(sk);
  CHECK(moved.public_key() == pk);
  const auto& left = sk.secret_bytes();  // NOLINT(bugprone-use-after-move): checking the wipe
  CHECK(std::all_of(left.begin(), left.end(), [](uint8_t b) { return b == 0; }));
}

TEST_CASE("malformed keys and signatures never verify") {
  auto sk = crypto::SecretKey::generate();
  auto d = crypto::sha256(as_bytes("m"));
  auto sig = sk.sign(d);
  crypto::PublicKey zero{};
  CHECK_FALSE(crypto::verify(zero, d, sig));
  crypto::Signature all_ff;
  all_ff.fill(0xff);
  CHECK_FALSE(crypto::verify(sk.public_key(), d, all_ff));
  CHECK_FALSE(crypto::signature_from_bytes(Bytes(63, 1)).ok());
}
