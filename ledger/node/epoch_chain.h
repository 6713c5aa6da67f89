// The epoch chain: one pb::EpochChangeProof per validator-set change since genesis, stored in
// Column::meta under "epoch/change/<epoch, 20 digits>" in the same synced batch as the block that
// ends the previous epoch, so that a crash can never leave a committed epoch boundary without its
// new epoch (or the reverse). The API serves the chain oldest first; a verifier walks it from the
// genesis (wallet/proofs/epoch_chain.h, docs/formats.md "Epoch chain").
//
// Free functions over the stores; thread safety as the stores' (reads may run on API threads while
// the driver writes: RocksDB reads see whole batches).
#pragma once

#include <string>
#include <vector>

#include "consensus/messages.h"
#include "ledger/proto/epoch.pb.h"
#include "ledger/proto/operations.pb.h"
#include "ledger/state/tree.h"
#include "ledger/storage/block_store.h"
#include "ledger/storage/meta_store.h"

namespace docket::node {

std::string epoch_change_key(uint64_t epoch);

// Proves the change to `next` (the validators record) for the epoch that starts after block `last`
// (height H, of the ending epoch, with its certificate `last_qc`). The certifying header K is the
// latest committed block of the ending epoch, from H down, whose certified state holds exactly this
// validators record (normally H itself). A proof that cannot be built (the state versions pruned, or
// no such header among the last `max_back` blocks) is Errc::not_found: the change is stored without
// proof fields and verifiers refuse documents certified after it, saying why.
Result<pb::EpochChangeProof> prove_epoch_change(const storage::BlockStore& blocks, const state::StateTree& tree,
                                                const crypto::ChainBinding& chain_id, uint64_t epoch,
                                                const consensus::BlockView& last, const Bytes& last_qc,
                                                const pb::ValidatorSet& next, uint64_t max_back = 512);

// The stored changes of epochs 1..up_to, oldest first, as stored bytes. A missing epoch is an error
// (Errc::not_found naming it): a chain with a hole cannot be walked.
Result<std::vector<Bytes>> load_epoch_chain(const storage::MetaStore& meta, uint64_t up_to);

}  // namespace docket::node
