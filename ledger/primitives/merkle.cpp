#include "ledger/primitives/merkle.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"

namespace docket::primitives {
namespace {

Hash32 root_from_top(uint64_t leaf_count, const Hash32* top) {
  Bytes pre;
  pre.reserve(8 + 32);
  append_u64_be(pre, leaf_count);
  if (top) append(pre, *top);
  return crypto::tagged_hash(crypto::tags::kMerkleRoot, pre);
}

// The sibling of position `index` on a level of `width` nodes, if it has one (the last node of an odd
// level has none and is carried up).
std::optional<uint64_t> sibling_index(uint64_t index, uint64_t width) {
  if (index & 1) return index - 1;
  if (index + 1 < width) return index + 1;
  return std::nullopt;
}

Hash32 leaf(const Hash32& id) { return crypto::tagged_hash(crypto::tags::kMerkleLeaf, id); }

Hash32 node(const Hash32& left, const Hash32& right) {
  std::array<uint8_t, 64> pre;
  std::copy(left.begin(), left.end(), pre.begin());
  std::copy(right.begin(), right.end(), pre.begin() + 32);
  return crypto::tagged_hash(crypto::tags::kMerkleNode, pre);
}

// Replaces a level of nodes by the next one up, in place.
void reduce_level(std::vector<Hash32>& level) {
  size_t out = 0;
  for (size_t i = 0; i + 1 < level.size(); i += 2) level[out++] = node(level[i], level[i + 1]);
  if (level.size() & 1) level[out++] = level.back();
  level.resize(out);
}

std::vector<Hash32> leaf_level(std::span<const Hash32> ids) {
  std::vector<Hash32> level;
  level.reserve(ids.size());
  for (const Hash32& id : ids) level.push_back(leaf(id));
  return level;
}

}  // namespace

Hash32 merkle_root(std::span<const Hash32> ids) {
  if (ids.empty()) return root_from_top(0, nullptr);
  std::vector<Hash32> level = leaf_level(ids);
  while (level.size() > 1) reduce_level(level);
  return root_from_top(ids.size(), &level[0]);
}

Result<MerkleProof> prove(std::span<const Hash32> ids, uint64_t index) {
  if (index >= ids.size())
    return make_error(Errc::invalid_argument, "leaf index " + std::to_string(index) + " out of range for " +
                                                  std::to_string(ids.size()) + " leaves");
  MerkleProof proof{index, ids.size(), {}};
  std::vector<Hash32> level = leaf_level(ids);
  for (uint64_t i = index; level.size() > 1; i >>= 1) {
    if (auto s = sibling_index(i, level.size())) proof.siblings.push_back(level[*s]);
    reduce_level(level);
  }
  return proof;
}

bool verify_inclusion(const Hash32& root, const Hash32& id, const MerkleProof& proof) {
  if (proof.leaf_count == 0 || proof.index >= proof.leaf_count || proof.siblings.size() > kMaxMerkleDepth)
    return false;
  Hash32 h = leaf(id);
  size_t used = 0;
  for (uint64_t i = proof.index, width = proof.leaf_count; width > 1; i >>= 1, width = width / 2 + (width & 1)) {
    auto s = sibling_index(i, width);
    if (!s) continue;
    if (used == proof.siblings.size()) return false;
    const Hash32& sib = proof.siblings[used++];
    h = (i & 1) ? node(sib, h) : node(h, sib);
  }
  return used == proof.siblings.size() && root_from_top(proof.leaf_count, &h) == root;
}

}  // namespace docket::primitives
