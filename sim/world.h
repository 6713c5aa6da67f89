// World: one seed's simulated run. N replicas of the real consensus::Core on one thread, a seeded
// network with loss, duplication, delays, partitions, crash-restarts and clock skew, Byzantine
// replicas, and the checkers (safety, durability, state roots, liveness, trace hash). Every random
// choice comes from one Prng seeded with the seed, in a fixed order, so a seed replays exactly.
// Internal to sim/ (the public entry point is run_seed in simulation.h). Not thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "consensus/core.h"
#include "ledger/crypto/sha256.h"
#include "sim/network.h"
#include "sim/prng.h"
#include "sim/replica.h"
#include "sim/sim_event.h"
#include "sim/simulation.h"

namespace docket::sim {

// The simulated chain: an id and a stand-in genesis hash (the simulator has no genesis file), so every
// digest is bound exactly as on a real chain.
inline const crypto::ChainBinding kChain{"docket-sim", crypto::sha256(as_bytes("docket-sim genesis"))};
inline constexpr uint64_t kTickMs = 25;
inline constexpr uint64_t kClockBase = 10'000'000;  // replicas' clocks start here, so skew never goes negative
inline constexpr uint64_t kEpochMargin = 12;        // > Config::max_commit_batch used below
inline constexpr size_t kCommitBatch = 8;
inline constexpr double kCrashBetweenActions = 0.0005;

class World {
 public:
  World(const Options& o, uint64_t seed);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Runs the seed to the end of its liveness window (or its first safety violation).
  SeedResult run();

 private:
  // Set-up, the event loop and the faults it schedules (world.cpp).
  void setup();
  void add_replica(uint32_t key, Role role);
  std::unique_ptr<consensus::Signer> make_signer(uint32_t key) const;
  consensus::Limits limits_for(const consensus::ValidatorSet& s) const;
  void boot(Replica& r);
  void schedule(SimEvent ev);
  void schedule_at(uint64_t t, EvKind k, size_t replica);
  void schedule_local(Replica& r, consensus::Event e);
  void schedule_partitions();
  void schedule_crashes();
  void hash_event(const SimEvent& ev);
  void dispatch(SimEvent& ev);
  void crash(Replica& r);
  void end_faults();

  // The honest driver: carrying out a core's actions, and the network (world_driver.cpp).
  void feed(Replica& r, const consensus::Event& e);
  void apply(Replica& r, std::vector<consensus::Action>& actions);
  void act(Replica& r, consensus::SendTo& a, std::optional<consensus::EpochChange>&);
  void act(Replica& r, consensus::Broadcast& a, std::optional<consensus::EpochChange>&);
  void act(Replica& r, consensus::PersistBlock& a, std::optional<consensus::EpochChange>&);
  void act(Replica& r, consensus::PersistSafety& a, std::optional<consensus::EpochChange>&);
  void act(Replica& r, consensus::Commit& a, std::optional<consensus::EpochChange>& change);
  void act(Replica& r, consensus::FetchBlock& a, std::optional<consensus::EpochChange>&);
  void act(Replica& r, consensus::RequestPayload& a, std::optional<consensus::EpochChange>&);
  void act(Replica& r, consensus::ValidatePayload& a, std::optional<consensus::EpochChange>&);
  void act(Replica& r, consensus::EpochStarted& a, std::optional<consensus::EpochChange>&);
  void act(Replica& r, consensus::Diagnostic& a, std::optional<consensus::EpochChange>&);
  void send_to_validator(Replica& r, consensus::ValidatorIndex v, MsgType type, const Bytes& bytes,
                         uint64_t extra_delay_ms = 0);
  void send(Replica& from, Replica& to, MsgType type, consensus::ValidatorIndex from_v, const Bytes& bytes,
            uint64_t extra_delay_ms = 0);
  void deliver(Replica& r, const Msg& m);

  // Byzantine behaviour beyond what the core does (world_byzantine.cpp).
  static bool hiding(const Replica& r, consensus::MessageKind k);
  void equivocating_broadcast(Replica& r, const consensus::Broadcast& a);
  bool plan_withheld_fork(Replica& r, const Bytes& proposal);
  void byzantine_on_timeout(Replica& r, const Msg& m);
  void byzantine_on_proposal(Replica& r, const Msg& m);
  void inject(Replica& r);

  // Checkers: safety, persistence order, state roots, liveness (world_checkers.cpp).
  void check_commit(Replica& r, const consensus::CommittedBlock& cb, const consensus::Header& h);
  void check_signed_send(Replica& r, MsgType type, const Bytes& bytes);
  void violation(bool liveness, const std::string& what);
  void finish();

  const Options& opts_;
  Prng rng_;  // every random choice of the run, drawn in a fixed order
  Network net_;
  consensus::FaultyRules faulty_;
  std::unique_ptr<consensus::Verifier> verifier_;
  std::vector<crypto::PublicKey> keys_;
  std::vector<consensus::ValidatorSet> epoch_sets_;
  consensus::BlockId genesis_{};
  std::vector<std::unique_ptr<Replica>> replicas_;
  EventQueue queue_;
  uint64_t now_ = 0;
  bool stop_ = false;
  uint64_t frontier_ = 0;  // highest honest committed height when faults ended
  std::map<consensus::Height, consensus::BlockId> chain_;  // what honest replicas committed
  std::map<std::tuple<uint32_t, consensus::Epoch, consensus::Round>, consensus::BlockId> votes_signed_;
  crypto::Sha256 trace_hash_;
  SeedResult result_;
};

}  // namespace docket::sim
