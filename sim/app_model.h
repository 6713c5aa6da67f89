// The simulator's application: a real deterministic state machine, so that the headers' state roots
// mean something. The state after height h is sha256(state(h-1) || u64be(h) || payload_hash), and a
// payload's hash is sha256 over its transactions. Leaders put (exec_height, state_root) of their
// executed state into headers; voters accept a block only if that matches their own history. Owned by
// one simulated replica; survives its crashes (it is derived from committed, durable blocks).
#pragma once

#include <vector>

#include "consensus/events.h"
#include "consensus/messages.h"

namespace docket::sim {

class AppModel {
 public:
  AppModel();

  consensus::Height executed_height() const { return roots_.size() - 1; }
  const Hash32& root(consensus::Height h) const { return roots_.at(h); }

  // Applies one committed block (pb::Block bytes). Returns false if the bytes are not a block.
  bool execute(consensus::Height h, ByteView block);

  // A payload for a leader of `round`: one to three transactions unique to (validator, round, salt).
  consensus::PayloadReady make_payload(consensus::Round round, uint32_t key_id, uint64_t salt, bool empty) const;

  // The verdict on a proposed block: well-formed transactions, payload_hash over them, and the
  // header's (exec_height, state_root) equal to this replica's own executed state at that height.
  bool validate(ByteView block, const crypto::ChainBinding& chain, const consensus::Limits& limits) const;

  static Bytes payload_hash(const std::vector<Bytes>& txs);

 private:
  std::vector<Hash32> roots_;  // roots_[h] = state after height h; roots_[0] = genesis state
};

}  // namespace docket::sim
