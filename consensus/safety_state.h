// SafetyState: what a validator must have on disk before any vote or timeout it signs leaves the node,
// so that a crash and restart can never make it sign two conflicting messages. The core emits
// PersistSafety{encode()} before the send that depends on it; the driver writes it durably (fsync)
// before delivering any later action, and passes decode(bytes) back to the core on restart.
// A plain value type.
#pragma once

#include "consensus/types.h"

namespace docket::consensus {

struct SafetyState {
  static constexpr uint32_t kVersion = 1;

  Epoch epoch = 0;
  Round last_voted_round = 0;  // highest round with a signed vote or timeout
  Round locked_round = 0;      // highest QC round this validator signed on top of (Jolteon's 1-chain lock)
  Bytes locked_qc;             // serialized QC of locked_round (empty at genesis)
  Bytes last_vote;             // serialized Vote of last_voted_round, if any
  Bytes last_timeout;          // serialized TimeoutMsg of last_voted_round, if any: resent, never re-signed
  // Liveness, not safety: the TC that took us into last_voted_round, so that after a restart we can
  // still show the others why we are in that round (they may never have seen that TC).
  Bytes round_tc;

  // The state of a validator that has signed nothing in this epoch.
  static SafetyState fresh(Epoch epoch) {
    SafetyState s;
    s.epoch = epoch;
    return s;
  }

  Bytes encode() const;
  static Result<SafetyState> decode(ByteView bytes);
  bool operator==(const SafetyState&) const = default;
};

}  // namespace docket::consensus
