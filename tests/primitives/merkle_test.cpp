#include <catch2/catch.hpp>

#include <vector>

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"
#include "ledger/primitives/merkle.h"

using namespace docket;
using primitives::merkle_root;
using primitives::MerkleProof;
using primitives::prove;
using primitives::verify_inclusion;

namespace {

std::vector<Hash32> make_ids(size_t n) {
  std::vector<Hash32> ids;
  for (size_t i = 0; i < n; ++i) ids.push_back(crypto::sha256(as_bytes("tx" + std::to_string(i))));
  return ids;
}

Hash32 leaf(const Hash32& id) { return crypto::tagged_hash(crypto::tags::kMerkleLeaf, id); }
Hash32 node(const Hash32& l, const Hash32& r) {
  Bytes b;
  append(b, l);
  append(b, r);
  return crypto::tagged_hash(crypto::tags::kMerkleNode, b);
}
Hash32 root(uint64_t n, const Hash32& top) {
  Bytes b;
  append_u64_be(b, n);
  append(b, top);
  return crypto::tagged_hash(crypto::tags::kMerkleRoot, b);
}

}  // namespace

TEST_CASE("roots follow the documented rule") {
  auto ids = make_ids(7);
  Bytes zero;
  append_u64_be(zero, 0);
  CHECK(merkle_root({}) == crypto::tagged_hash(crypto::tags::kMerkleRoot, zero));
  CHECK(merkle_root(std::span(ids).first(1)) == root(1, leaf(ids[0])));
  CHECK(merkle_root(std::span(ids).first(2)) == root(2, node(leaf(ids[0]), leaf(ids[1]))));
  // Three leaves: the odd last leaf is carried up, not paired with itself.
  CHECK(merkle_root(std::span(ids).first(3)) == root(3, node(node(leaf(ids[0]), leaf(ids[1])), leaf(ids[2]))));
  // Seven: ((01)(23)) ((45)6)
  Hash32 left = node(node(leaf(ids[0]), leaf(ids[1])), node(leaf(ids[2]), leaf(ids[3])));
  Hash32 right = node(node(leaf(ids[4]), leaf(ids[5])), leaf(ids[6]));
  CHECK(merkle_root(ids) == root(7, node(left, right)));
}

TEST_CASE("no CVE-2012-2459 style collisions") {
  auto ids = make_ids(5);
  std::vector<Hash32> three(ids.begin(), ids.begin() + 3);
  std::vector<Hash32> dup_last = three;
  dup_last.push_back(three.back());
  CHECK(merkle_root(three) != merkle_root(dup_last));
  std::vector<Hash32> two(ids.begin(), ids.begin() + 2);
  std::vector<Hash32> two_twice = {ids[0], ids[1], ids[0], ids[1]};
  CHECK(merkle_root(two) != merkle_root(two_twice));
  // An inner node offered as a leaf id does not reproduce its subtree's root.
  CHECK(merkle_root(two) != merkle_root(std::vector<Hash32>{node(leaf(ids[0]), leaf(ids[1]))}));
  // Order matters.
  std::vector<Hash32> swapped = {ids[1], ids[0]};
  CHECK(merkle_root(two) != merkle_root(swapped));
  // Every size from 0 to 33 has its own root for the same prefix of ids.
  auto many = make_ids(33);
  std::vector<Hash32> roots;
  for (size_t n = 0; n <= many.size(); ++n) roots.push_back(merkle_root(std::span(many).first(n)));
  for (size_t a = 0; a < roots.size(); ++a)
    for (size_t b = a + 1; b < roots.size(); ++b) CHECK(roots[a] != roots[b]);
}

TEST_CASE("every index of trees of size 1..33 proves and verifies; tampering fails") {
  auto all = make_ids(33);
  const Hash32 stranger = crypto::sha256(as_bytes("not in the tree"));
  for (size_t n = 1; n <= all.size(); ++n) {
    auto ids = std::span<const Hash32>(all).first(n);
    Hash32 r = merkle_root(ids);
    for (size_t i = 0; i < n; ++i) {
      auto p = prove(ids, i);
      REQUIRE(p.ok());
      const MerkleProof& proof = *p;
      INFO("n=" << n << " i=" << i);
      REQUIRE(verify_inclusion(r, ids[i], proof));
      CHECK(proof.siblings.size() <= 6);

      CHECK_FALSE(verify_inclusion(r, stranger, proof));
      if (n > 1) CHECK_FALSE(verify_inclusion(r, ids[(i + 1) % n], proof));
      Hash32 bad_root = r;
      bad_root[31] ^= 1;
      CHECK_FALSE(verify_inclusion(bad_root, ids[i], proof));

      for (size_t s = 0; s < proof.siblings.size(); ++s) {
        MerkleProof t = proof;
        t.siblings[s][0] ^= 0x80;
        CHECK_FALSE(verify_inclusion(r, ids[i], t));
      }
      for (uint64_t j = 0; j < n + 2; ++j) {
        if (j == i) continue;
        MerkleProof t = proof;
        t.index = j;
        CHECK_FALSE(verify_inclusion(r, ids[i], t));
      }
      for (uint64_t count : {uint64_t{0}, uint64_t(n - 1), uint64_t(n + 1), uint64_t(2 * n)}) {
        MerkleProof t = proof;
        t.leaf_count = count;
        CHECK_FALSE(verify_inclusion(r, ids[i], t));
      }
      MerkleProof extra = proof;
      extra.siblings.push_back(stranger);
      CHECK_FALSE(verify_inclusion(r, ids[i], extra));
      if (!proof.siblings.empty()) {
        MerkleProof missing = proof;
        missing.siblings.pop_back();
        CHECK_FALSE(verify_inclusion(r, ids[i], missing));
      }
    }
  }
}

TEST_CASE("the last leaf of an odd tree does not pass as a leaf of a smaller tree") {
  // Without the leaf count in the root, (index 1 of 2) would verify with the same sibling as (index 2 of 3).
  auto ids = make_ids(3);
  Hash32 r = merkle_root(ids);
  auto p = prove(ids, 2);
  REQUIRE(p.ok());
  MerkleProof forged{1, 2, p->siblings};
  CHECK_FALSE(verify_inclusion(r, ids[2], forged));
}

TEST_CASE("malformed proofs are rejected, not crashed on") {
  auto ids = make_ids(4);
  Hash32 r = merkle_root(ids);
  CHECK_FALSE(prove(ids, 4).ok());
  CHECK_FALSE(prove({}, 0).ok());
  MerkleProof huge{0, ~uint64_t{0}, std::vector<Hash32>(65)};
  CHECK_FALSE(verify_inclusion(r, ids[0], huge));
  MerkleProof max_count{~uint64_t{0} - 1, ~uint64_t{0}, std::vector<Hash32>(64)};
  CHECK_FALSE(verify_inclusion(r, ids[0], max_count));
  CHECK_FALSE(verify_inclusion(r, ids[0], MerkleProof{}));
}
