#include <catch2/catch.hpp>

#include "ledger/crypto/schnorr.h"
#include "ledger/crypto/sha256.h"

using namespace docket;

TEST_CASE("sign then verify; a flipped bit fails") {
  auto sk = crypto::SecretKey::generate();
  auto pk = sk.public_key();
  auto d = crypto::signing_digest("docket/test/v1", "chain", as_bytes("hello"));
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
