#include <catch2/catch.hpp>

#include "ledger/crypto/sha256.h"

using namespace docket;

TEST_CASE("sha256 matches FIPS 180-2 vectors") {
  CHECK(to_hex(crypto::sha256(as_bytes(""))) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(crypto::sha256(as_bytes("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(crypto::sha256(as_bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("incremental sha256 equals one-shot") {
  crypto::Sha256 h;
  h.update("abcdbcdecdefdefg").update("efghfghighijhijkijkljklmklmnlmnomnopnopq");
  CHECK(to_hex(h.finish()) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("tagged hash follows BIP-340 construction") {
  // BIP-340's challenge tag: SHA256(tag) twice, then the message.
  Hash32 t = crypto::sha256(as_bytes("BIP0340/challenge"));
  Bytes pre;
  append(pre, t);
  append(pre, t);
  append(pre, as_bytes("msg"));
  CHECK(crypto::tagged_hash("BIP0340/challenge", as_bytes("msg")) == crypto::sha256(pre));
}

TEST_CASE("signing digest separates chain id from message") {
  const Hash32 g = crypto::sha256(as_bytes("genesis"));
  auto a = crypto::signing_digest("t", {"ab", g}, as_bytes("c"));
  auto b = crypto::signing_digest("t", {"a", g}, as_bytes("bc"));
  auto c = crypto::signing_digest("u", {"ab", g}, as_bytes("c"));
  CHECK(a != b);
  CHECK(a != c);
}

TEST_CASE("signing digest is the tagged hash of len || chain id || genesis hash || bytes") {
  const Hash32 g = crypto::sha256(as_bytes("genesis A"));
  Bytes pre{0, 0, 0, 5};
  append(pre, as_bytes("chain"));
  append(pre, g);
  append(pre, as_bytes("hello"));
  CHECK(crypto::signing_digest("docket/test/v2", {"chain", g}, as_bytes("hello")) ==
        crypto::tagged_hash("docket/test/v2", pre));
}

TEST_CASE("signing digest binds the genesis: one chain id, two genesis hashes, two digests") {
  const Hash32 ga = crypto::sha256(as_bytes("genesis A"));
  Hash32 gb = ga;
  gb[31] ^= 1;
  CHECK(crypto::signing_digest("t", {"chain", ga}, as_bytes("m")) != crypto::signing_digest("t", {"chain", gb}, as_bytes("m")));
}

TEST_CASE("TaggedHasher equals tagged_hash, call after call") {
  crypto::TaggedHasher h("docket/test/v1");
  for (const char* msg : {"", "a", "hello world", "a message longer than one sixty-four byte SHA-256 block, to cross it"}) {
    CHECK(h(as_bytes(msg)) == crypto::tagged_hash("docket/test/v1", as_bytes(msg)));
  }
  // Two parts hash as their concatenation.
  CHECK(h(as_bytes("ab"), as_bytes("cd")) == crypto::tagged_hash("docket/test/v1", as_bytes("abcd")));
  CHECK(h(as_bytes(""), as_bytes("cd")) == crypto::tagged_hash("docket/test/v1", as_bytes("cd")));
}
