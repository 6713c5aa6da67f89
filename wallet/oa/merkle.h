// The OpenAttestation v2 batch Merkle tree over targetHashes.
//
// Leaves are the 32-byte targetHashes sorted bytewise; a parent is Keccak-256 of its two children
// concatenated in sorted order (so a proof needs no left/right flags); the last node of an odd layer
// is carried up unchanged. The root of a one-document batch is its targetHash, with an empty proof.
// Immutable after construction; safe to share between threads for reading.
#pragma once

#include <vector>

#include "ledger/common/bytes.h"

namespace docket::wallet::oa {

class MerkleTree {
 public:
  // REQUIRES: leaves is not empty.
  explicit MerkleTree(std::vector<Hash32> leaves);

  const Hash32& root() const { return layers_.back().front(); }
  // The sibling hashes from leaf to root; Errc::not_found if leaf is not in the tree.
  Result<std::vector<Hash32>> proof(const Hash32& leaf) const;

 private:
  std::vector<std::vector<Hash32>> layers_;
};

// keccak256(min(a, b) || max(a, b)).
Hash32 combine_sorted(const Hash32& a, const Hash32& b);

// Folds proof over leaf with combine_sorted; true when the result equals root.
bool check_proof(const std::vector<Hash32>& proof, const Hash32& root, const Hash32& leaf);

}  // namespace docket::wallet::oa
