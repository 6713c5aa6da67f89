// Message forgery for Byzantine replicas in the simulator. A Byzantine replica holds its own key and
// uses it to sign whatever it likes: a second proposal for a round it leads (different payload, or a
// fork on an older QC), votes for every proposal it sees, timeouts for far-future rounds. It cannot
// sign for others, so bad signatures are corrupted copies of real messages.
#pragma once

#include <optional>
#include <string_view>

#include "consensus/messages.h"
#include "consensus/verifier.h"
#include "sim/app_model.h"
#include "sim/prng.h"

namespace docket::sim {

// An older QC a Byzantine leader can fork from, recorded from proposals it received.
struct ForkPoint {
  Bytes qc;
  consensus::BlockId block_id{};
  consensus::Round round = 0;
  consensus::Height height = 0;   // height of the certified block
  uint64_t timestamp_ms = 0;
  consensus::Height exec_height = 0;
  Bytes state_root;
};

// The fork point a proposal reveals: its parent (certified by its justify).
std::optional<ForkPoint> fork_point_of(ByteView proposal, const crypto::ChainBinding& chain, const consensus::Limits& limits);

// A second, conflicting proposal for the same round. With `fork`, it extends that older QC instead of
// the original parent; otherwise it carries different transactions.
std::optional<Bytes> conflicting_proposal(ByteView proposal, const std::optional<ForkPoint>& fork, uint64_t salt,
                                          consensus::Signer& signer, const crypto::ChainBinding& chain,
                                          const consensus::Limits& limits);

// A vote by `self` for the proposal's block, and the round it is for.
std::optional<std::pair<consensus::Round, Bytes>> vote_for(ByteView proposal, consensus::ValidatorIndex self,
                                                           consensus::Signer& signer, const crypto::ChainBinding& chain,
                                                           const consensus::Limits& limits);

// A proposal of `round` justified by `tc` that extends the fork point (which may be older than the TC
// allows: rule R2b is the voters' to enforce).
Bytes tc_fork_proposal(consensus::Epoch epoch, consensus::Round round, consensus::ValidatorIndex self,
                       const ForkPoint& parent, const Bytes& tc, uint64_t timestamp_ms, uint64_t salt,
                       consensus::Signer& signer, const crypto::ChainBinding& chain);

// A correctly signed timeout of `round` carrying qc (a far-future round, or a round-sync lure).
Bytes far_future_timeout(consensus::Epoch epoch, consensus::Round round, consensus::ValidatorIndex self,
                         const ForkPoint& qc, consensus::Signer& signer, const crypto::ChainBinding& chain);

// A copy with one byte flipped in its last 16 bytes (usually inside a signature).
Bytes corrupt(ByteView bytes, Prng& rng);

}  // namespace docket::sim
