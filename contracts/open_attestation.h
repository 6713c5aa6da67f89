// OpenAttestation v2 batch hashing, as the wallet computes it: a document's targetHash is a Keccak-256
// digest; a batch's merkleRoot is a tree over the sorted, de-duplicated targetHashes whose parents are
// keccak256(min(a,b) || max(a,b)); a document's proof lists the sibling hashes from its targetHash up.
// A lone node at the end of a level moves up unchanged.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "ledger/common/bytes.h"

namespace docket::contracts::oa {

Hash32 combine(const Hash32& a, const Hash32& b);

// [hash, every intermediate hash, root] obtained by folding proof into hash.
std::vector<Hash32> path_hashes(const Hash32& hash, std::span<const Hash32> proof);

Hash32 merkle_root(std::span<const Hash32> target_hashes);
// The proof of target within the batch, nullopt if it is not in it.
std::optional<std::vector<Hash32>> merkle_proof(std::span<const Hash32> target_hashes, const Hash32& target);

}  // namespace docket::contracts::oa
