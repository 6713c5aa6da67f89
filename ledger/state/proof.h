// StateProof: evidence that a record key has a given value, or no value, under a state root.
//
// The proof is the path from the root towards the key's leaf position: the sibling hash at every
// depth passed (top-down), and what was found where the walk stopped: nothing (an empty subtree), the
// key's own leaf (inclusion) or another key's leaf whose path shares the prefix (non-inclusion).
// Part of docket_state_proof, which links only docket_common and docket_crypto, so the wallet can
// verify proofs with no storage and no node.
//
// Wire format (docs/contracts.md, "State proofs"), strict: decode rejects anything encode would not
// produce.
//   u8 version (=1) | u8 flags (bit0: leaf present) | [leaf path 32 | leaf value hash 32]
//   | u16be n (siblings, <= 256) | bitmap ceil(n/8) bytes (bit i, MSB first: sibling i non-empty)
//   | the non-empty siblings, 32 bytes each, in order
//
// Value type; no shared state; thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "ledger/common/bytes.h"

namespace docket::state {

struct ProofLeaf {
  Hash32 path;
  Hash32 value_hash;
  bool operator==(const ProofLeaf&) const = default;
};

struct StateProof {
  std::vector<Hash32> siblings;    // siblings[d] is the sibling at depth d (0 = child of the root)
  std::optional<ProofLeaf> leaf;   // the leaf where the walk stopped, if any
  bool operator==(const StateProof&) const = default;
};

inline constexpr size_t kMaxProofBytes = 2 + 64 + 2 + 32 + 256 * 32;

Bytes encode_proof(const StateProof& proof);
Result<StateProof> decode_proof(ByteView bytes);

// The root this proof implies for `key` holding `value` (nullopt = absent). Fails when the proof is
// malformed for that claim (e.g. claims absence but carries the key's own leaf).
Result<Hash32> proof_root(std::string_view key, const std::optional<ByteView>& value, const StateProof& proof);

// OK when the proof shows that under `root`, `key` holds exactly `value` (inclusion) or, with
// value = nullopt, holds nothing (non-inclusion). A proof that does not match returns
// Errc::invalid_argument with the reason.
Status verify_proof(const Hash32& root, std::string_view key, const std::optional<ByteView>& value,
                    const StateProof& proof);

}  // namespace docket::state
