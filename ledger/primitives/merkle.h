// The binary Merkle tree over the transaction ids of a block (BlockHeader.payload_hash), and inclusion
// proofs for single transactions.
//
// Rule (also in docs/formats.md):
//   leaf(id)      = tagged_hash(kMerkleLeaf, id)
//   node(l, r)    = tagged_hash(kMerkleNode, l || r)
//   Levels are built left to right in pairs; an odd last node is carried up to the next level unchanged
//   (never paired with a copy of itself, so [a,b,c] and [a,b,c,c] have different roots: no CVE-2012-2459
//   ambiguity).
//   root(ids)     = tagged_hash(kMerkleRoot, u64be(n) || top)  where top is the single node left,
//   root([])      = tagged_hash(kMerkleRoot, u64be(0)).
// Committing to the leaf count n makes a proof bind the id to its index: without it, the last leaf of
// a 3-leaf tree would also "prove" as index 1 of a 2-leaf tree with the same top. Distinct leaf and node
// tags keep an inner node from passing for a leaf.
//
// Thread safety: free functions over caller-owned data; safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ledger/common/bytes.h"
#include "ledger/common/result.h"

namespace docket::primitives {

// Proof that one id is the index-th of leaf_count ids under a root. siblings run from the leaf level
// up; a level where the path's node is the unpaired last one contributes no sibling.
struct MerkleProof {
  uint64_t index = 0;
  uint64_t leaf_count = 0;
  std::vector<Hash32> siblings;
};

// Most levels a tree can have (2^64 leaves); a proof with more siblings is malformed.
inline constexpr size_t kMaxMerkleDepth = 64;

Hash32 merkle_root(std::span<const Hash32> ids);

// The proof for ids[index]. Fails with Errc::invalid_argument when index is out of range.
Result<MerkleProof> prove(std::span<const Hash32> ids, uint64_t index);

// True when `proof` shows that `id` is leaf proof.index of proof.leaf_count leaves under `root`. Any
// malformed proof (index out of range, wrong number of siblings) is simply not valid.
bool verify_inclusion(const Hash32& root, const Hash32& id, const MerkleProof& proof);

}  // namespace docket::primitives
