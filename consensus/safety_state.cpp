#include "consensus/safety_state.h"

#include "ledger/primitives/canonical.h"
#include "ledger/proto/consensus.pb.h"

namespace docket::consensus {

Bytes SafetyState::encode() const {
  pb::SafetyStateRecord m;
  m.set_version(kVersion);
  m.set_epoch(epoch);
  m.set_last_voted_round(last_voted_round);
  m.set_locked_round(locked_round);
  m.set_locked_qc(locked_qc.data(), locked_qc.size());
  m.set_last_vote(last_vote.data(), last_vote.size());
  m.set_last_timeout(last_timeout.data(), last_timeout.size());
  m.set_round_tc(round_tc.data(), round_tc.size());
  return primitives::serialize_deterministic(m);
}

Result<SafetyState> SafetyState::decode(ByteView bytes) {
  pb::SafetyStateRecord m;
  DOCKET_TRY(primitives::parse_canonical(bytes, m, 1 << 20));
  if (m.version() != kVersion) {
    return make_error(Errc::version_mismatch, "safety state version " + std::to_string(m.version()));
  }
  if (m.locked_round() > m.last_voted_round()) {
    return make_error(Errc::corruption, "safety state locked round above last voted round");
  }
  SafetyState s;
  s.epoch = m.epoch();
  s.last_voted_round = m.last_voted_round();
  s.locked_round = m.locked_round();
  s.locked_qc.assign(m.locked_qc().begin(), m.locked_qc().end());
  s.last_vote.assign(m.last_vote().begin(), m.last_vote().end());
  s.last_timeout.assign(m.last_timeout().begin(), m.last_timeout().end());
  s.round_tc.assign(m.round_tc().begin(), m.round_tc().end());
  return s;
}

}  // namespace docket::consensus
