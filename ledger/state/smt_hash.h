// Hashing rules of the state tree (a sparse Merkle tree over 256-bit paths). Shared by the tree
// (docket_state) and the storage-free proof verifier (docket_state_proof), so both compute exactly
// the same bytes.
//
//   path(key)            = tagged_hash("docket/state-key/v1", key)
//   value_hash(value)    = sha256(value)
//   leaf(path, vh)       = tagged_hash("docket/state-leaf/v1", path || vh)
//   node(left, right)    = tagged_hash("docket/state-node/v1", left || right)
//   empty subtree        = 32 zero bytes
//
// A subtree holding one leaf is represented by that leaf itself (no chain of single-child nodes), so a
// leaf sits at the shallowest depth where its path prefix is unique. The tree is therefore a function
// of its contents only: inserting the same records in any order gives the same root.
#pragma once

#include <string_view>

#include "ledger/common/bytes.h"

namespace docket::state {

inline constexpr Hash32 kEmptyHash{};
inline constexpr int kPathBits = 256;

Hash32 key_path(std::string_view key);
Hash32 value_hash(ByteView value);
Hash32 leaf_hash(const Hash32& path, const Hash32& value_hash);
Hash32 node_hash(const Hash32& left, const Hash32& right);

// Bit `depth` of a path, most significant bit of byte 0 first (0 = go left, 1 = go right).
inline bool path_bit(const Hash32& path, int depth) {
  return (path[static_cast<size_t>(depth) / 8] >> (7 - depth % 8)) & 1;
}

}  // namespace docket::state
