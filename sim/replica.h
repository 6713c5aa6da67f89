// One simulated replica: its core (absent while crashed), what survives a crash (safety record,
// committed tip and blocks, the blocks it voted for, its application state), and, for a Byzantine
// replica, what it remembers to misbehave with. Owned by the World; not thread-safe.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>

#include "consensus/core.h"
#include "sim/app_model.h"
#include "sim/byzantine.h"
#include "sim/sim_event.h"

namespace docket::sim {

enum class Role { honest, twin, equivocate, withhold, bad_root };
const char* role_name(Role r);

struct Replica {
  size_t id = 0;
  uint32_t key_id = 0;
  Role role = Role::honest;
  bool up = true;
  uint64_t incarnation = 0;
  int64_t skew_ms = 0;
  std::unique_ptr<consensus::Core> core;
  // Durable: survives crashes, as a node's disk would.
  Bytes safety;
  consensus::CommittedTip tip;
  consensus::Epoch epoch = 0;
  consensus::ValidatorSet set;
  std::map<consensus::BlockId, Bytes> store;  // committed blocks as CertifiedBlock bytes
  std::map<consensus::BlockId, std::pair<consensus::Height, Bytes>> voted;  // PersistBlock: blocks stored before voting
  AppModel app;
  std::optional<consensus::EpochChange> pending_change;
  // Byzantine memory.
  std::unique_ptr<consensus::Signer> byz_signer;
  std::deque<Msg> history;
  std::deque<ForkPoint> forks;
  uint64_t salt = 0;
  struct ForkPlan {  // see World::plan_withheld_fork
    consensus::Epoch epoch = 0;
    consensus::Round round = 0;
    crypto::PublicKey spared{};
    std::map<consensus::ValidatorIndex, consensus::TimeoutShare> shares;
    Bytes best_qc;
    consensus::Round best_round = 0;
    bool done = false;
  };
  std::optional<ForkPlan> plan;
  // Liveness bookkeeping.
  std::optional<uint64_t> progressed_at;

  bool honest() const { return role == Role::honest; }
};

}  // namespace docket::sim
