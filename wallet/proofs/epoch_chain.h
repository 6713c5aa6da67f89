// Verifying the epoch chain: the validator-set changes since genesis that a proof bundle carries
// (pb::EpochChangeProof, one per epoch, oldest first; docs/formats.md "Epoch chain"), walked from the
// genesis set. Each change must be certified by a quorum of the previous epoch's validators (a QC on
// the exact header bytes) and its new set proven (sparse Merkle proof of the "validators" record under
// that header's state root). Nothing else is trusted. Pure functions; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "ledger/primitives/validator_limit.h"
#include "consensus/types.h"
#include "ledger/common/result.h"
#include "ledger/crypto/chain_binding.h"

namespace docket::wallet::proofs {

inline constexpr size_t kMaxEpochs = 100000;

struct Epoch {
  consensus::ValidatorSet validators;
  uint64_t start_after = 0;  // the new epoch builds on the block at this height (0 for genesis)
};

// epochs[0] is the genesis set; epochs[e] the set proven by changes[e - 1]. Errc::invalid_argument
// naming the epoch and the reason when a record does not verify.
Result<std::vector<Epoch>> verify_epoch_chain(const crypto::ChainBinding& chain, const consensus::ValidatorSet& genesis,
                                              const std::vector<Bytes>& changes);

}  // namespace docket::wallet::proofs
