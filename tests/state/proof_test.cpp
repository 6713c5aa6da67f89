#include <catch2/catch.hpp>

#include "ledger/state/proof.h"
#include "ledger/state/smt_hash.h"

using namespace docket;
using namespace docket::state;

namespace {
// A hand-built tree of two leaves under one root: keys whose paths differ at bit 0 would sit directly
// under the root; here we build the proof by hand for one leaf and check both claims.
StateProof single_leaf_proof(std::string_view key, ByteView value) {
  StateProof p;
  p.leaf = ProofLeaf{key_path(key), value_hash(value)};
  return p;
}
}  // namespace

TEST_CASE("a tree of one record: its root is its leaf hash") {
  Bytes v = to_bytes("hello");
  auto p = single_leaf_proof("acct/a", v);
  Hash32 root = leaf_hash(key_path("acct/a"), value_hash(v));
  CHECK(verify_proof(root, "acct/a", ByteView(v), p).ok());
  Bytes other = to_bytes("hellp");
  CHECK_FALSE(verify_proof(root, "acct/a", ByteView(other), p).ok());
  // The same proof shows absence of any other key (its leaf is alone in the whole tree).
  CHECK(verify_proof(root, "acct/b", std::nullopt, p).ok());
  CHECK_FALSE(verify_proof(root, "acct/a", std::nullopt, p).ok());
}

TEST_CASE("empty tree proves absence with an empty proof") {
  StateProof p;
  CHECK(verify_proof(kEmptyHash, "x", std::nullopt, p).ok());
  Bytes v = to_bytes("v");
  CHECK_FALSE(verify_proof(kEmptyHash, "x", ByteView(v), p).ok());
}

TEST_CASE("proof encoding round-trips and rejects non-canonical forms") {
  StateProof p;
  p.siblings.resize(10, kEmptyHash);
  p.siblings[0][0] = 1;
  p.siblings[9][31] = 7;
  p.leaf = ProofLeaf{key_path("k"), value_hash(to_bytes("v"))};
  Bytes enc = encode_proof(p);
  auto d = decode_proof(enc);
  REQUIRE(d.ok());
  CHECK(*d == p);

  Bytes trailing = enc;
  trailing.push_back(0);
  CHECK_FALSE(decode_proof(trailing).ok());
  Bytes truncated(enc.begin(), enc.end() - 1);
  CHECK_FALSE(decode_proof(truncated).ok());
  Bytes bad_version = enc;
  bad_version[0] = 2;
  CHECK(decode_proof(bad_version).error().code == Errc::version_mismatch);
  Bytes bad_flags = enc;
  bad_flags[1] |= 0x80;
  CHECK_FALSE(decode_proof(bad_flags).ok());
  // A bit set past n in the bitmap (n = 10: bitmap byte 2 holds bits 8, 9 and six padding bits).
  Bytes padding = enc;
  padding[2 + 64 + 2 + 1] |= 0x01;
  CHECK(decode_proof(padding).error().code == Errc::non_canonical);
  // An all-zero sibling marked non-empty.
  StateProof z;
  z.siblings.resize(1, kEmptyHash);
  Bytes ze = encode_proof(z);
  ze[4] = 0x80;
  ze.insert(ze.end(), 32, 0);
  CHECK(decode_proof(ze).error().code == Errc::non_canonical);
  // 257 siblings.
  Bytes deep{1, 0, 0x01, 0x01};
  deep.insert(deep.end(), 33, 0);
  CHECK_FALSE(decode_proof(deep).ok());
}
