// World: the checkers. Safety and persistence order as messages are sent, liveness at the end.
#include "sim/world.h"

#include <algorithm>
#include <ostream>

namespace docket::sim {

using namespace consensus;

// An honest replica's commit, before its application executes it: it extends the replica's own
// committed prefix, agrees with every other honest replica's commit at that height, and carries the
// state root of the replica's own history. Also the commit-latency and liveness bookkeeping.
void World::check_commit(Replica& r, const CommittedBlock& cb, const Header& h) {
  if (cb.height != r.tip.height + 1 || h.parent_id != r.tip.id) {
    violation(false, "r" + std::to_string(r.id) + " committed height " + std::to_string(cb.height) +
                         " which does not extend its committed prefix at height " + std::to_string(r.tip.height));
  }
  auto [it, fresh] = chain_.emplace(cb.height, cb.id);
  if (!fresh && it->second != cb.id) {
    violation(false, "conflicting commits at height " + std::to_string(cb.height) + ": r" + std::to_string(r.id) +
                         " committed " + to_hex(cb.id).substr(0, 12) + ", another honest replica " +
                         to_hex(it->second).substr(0, 12));
  }
  if (h.exec_height > r.app.executed_height() ||
      Bytes(r.app.root(h.exec_height).begin(), r.app.root(h.exec_height).end()) != h.state_root) {
    violation(false, "r" + std::to_string(r.id) + " committed a header whose state root is not the state at height " +
                         std::to_string(h.exec_height));
  }
  if (cb.epoch == r.core->epoch() && r.core->round() >= cb.round) {
    result_.latency_rounds_sum += r.core->round() - cb.round;
    ++result_.latency_samples;
  }
  result_.committed_height = std::max(result_.committed_height, cb.height);
  if (net_.faults_enabled() == false && cb.height > frontier_ && !r.progressed_at) r.progressed_at = now_;
}

// An honest replica may only send a vote or timeout once the round it signs is on its disk, and may
// never sign two votes in one round.
void World::check_signed_send(Replica& r, MsgType type, const Bytes& bytes) {
  if (!r.honest()) return;
  const Limits lim = limits_for(r.core->validators());
  Round round = 0;
  Epoch epoch = 0;
  if (type == MsgType::vote) {
    auto v = decode_vote(bytes, lim);
    if (!v) return;
    round = v->round;
    epoch = v->epoch;
    auto [it, fresh] = votes_signed_.emplace(std::make_tuple(r.key_id, epoch, round), v->block_id);
    if (!fresh && it->second != v->block_id) {
      violation(false, "honest validator key " + std::to_string(r.key_id) + " signed votes for two blocks in epoch " +
                           std::to_string(epoch) + " round " + std::to_string(round));
    }
  } else {
    auto t = decode_timeout(bytes, lim);
    if (!t) return;
    round = t->round;
    epoch = t->epoch;
  }
  auto persisted = SafetyState::decode(r.safety);
  if (!persisted || persisted->epoch < epoch || (persisted->epoch == epoch && persisted->last_voted_round < round)) {
    violation(false, "r" + std::to_string(r.id) + " sent a " + msg_name(type) + " for round " + std::to_string(round) +
                         " before persisting its safety state");
  }
}

void World::violation(bool liveness, const std::string& what) {
  if (liveness) result_.liveness_failure = true;
  else result_.safety_violation = true;
  if (result_.violation.empty()) result_.violation = what;
  if (opts_.trace) *opts_.trace << "[" << now_ << "ms] VIOLATION: " << what << "\n";
  if (!liveness) stop_ = true;
}

void World::finish() {
  result_.sim_ms = now_;
  if (!result_.safety_violation) {
    for (auto& r : replicas_) {
      if (!r->honest()) continue;
      if (!r->progressed_at) {
        violation(true, "r" + std::to_string(r->id) + " committed nothing above height " + std::to_string(frontier_) +
                            " within " + std::to_string(opts_.liveness_ms / 1000) + " s after faults ended (at height " +
                            std::to_string(r->tip.height) + ", round " + std::to_string(r->up ? r->core->round() : 0) + ")");
      }
    }
  }
  for (auto& r : replicas_) {
    if (r->up) result_.rounds = std::max<uint64_t>(result_.rounds, r->core->round());
  }
  result_.trace_hash = to_hex(trace_hash_.finish());
}

}  // namespace docket::sim
