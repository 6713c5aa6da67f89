#include "sim/simulation.h"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <ostream>
#include <queue>
#include <sstream>

#include "consensus/core.h"
#include "ledger/crypto/sha256.h"
#include "sim/app_model.h"
#include "sim/byzantine.h"
#include "sim/sim_crypto.h"

namespace docket::sim {

using namespace consensus;

const char* byzantine_name(Byzantine b) {
  switch (b) {
    case Byzantine::none: return "none";
    case Byzantine::twins: return "twins";
    case Byzantine::equivocate: return "equivocate";
    case Byzantine::withhold: return "withhold";
    case Byzantine::mixed: return "mixed";
  }
  return "?";
}

Result<Byzantine> parse_byzantine(const std::string& s) {
  for (Byzantine b : {Byzantine::none, Byzantine::twins, Byzantine::equivocate, Byzantine::withhold, Byzantine::mixed}) {
    if (s == byzantine_name(b)) return b;
  }
  return make_error(Errc::invalid_argument, "unknown --byzantine '" + s + "'");
}

std::string Options::command_line(uint64_t seed) const {
  std::ostringstream o;
  o << "docket-sim --validators " << validators << " --seeds 1 --first-seed " << seed << " --byzantine "
    << byzantine_name(byzantine);
  if (byzantine_count != SIZE_MAX) o << " --byzantine-count " << byzantine_count;
  if (net.drop > 0) o << " --drop " << net.drop;
  if (net.duplicate > 0) o << " --duplicate " << net.duplicate;
  if (partitions) o << " --partitions";
  if (crashes) o << " --crashes";
  if (real_crypto) o << " --real-crypto";
  if (faulty_rule != "none") o << " --faulty-rule " << faulty_rule;
  if (epoch_every > 0) o << " --epoch-every " << epoch_every;
  o << " --fault-seconds " << fault_ms / 1000.0 << " --liveness-seconds " << liveness_ms / 1000.0;
  o << " --trace";
  return o.str();
}

namespace {

constexpr const char* kChain = "docket-sim";
constexpr uint64_t kTickMs = 25;
constexpr uint64_t kClockBase = 10'000'000;  // replicas' clocks start here, so skew never goes negative
constexpr uint64_t kEpochMargin = 12;        // > Config::max_commit_batch used below
constexpr size_t kCommitBatch = 8;
constexpr double kCrashBetweenActions = 0.0005;

enum class Role { honest, twin, equivocate, withhold, bad_root };
const char* role_name(Role r) {
  switch (r) {
    case Role::honest: return "honest";
    case Role::twin: return "twin";
    case Role::equivocate: return "equivocate";
    case Role::withhold: return "withhold";
    case Role::bad_root: return "bad-root";
  }
  return "?";
}

enum class MsgType { proposal, vote, timeout, block_request, block_response };
const char* msg_name(MsgType t) {
  switch (t) {
    case MsgType::proposal: return "proposal";
    case MsgType::vote: return "vote";
    case MsgType::timeout: return "timeout";
    case MsgType::block_request: return "block-request";
    case MsgType::block_response: return "block-response";
  }
  return "?";
}
MsgType from_kind(MessageKind k) {
  switch (k) {
    case MessageKind::proposal: return MsgType::proposal;
    case MessageKind::vote: return MsgType::vote;
    case MessageKind::timeout: return MsgType::timeout;
  }
  return MsgType::vote;
}

struct Msg {
  MsgType type = MsgType::vote;
  size_t from_replica = 0;
  ValidatorIndex from_validator = 0;
  Bytes bytes;
};

enum class EvKind { deliver, tick, crash, restart, partition, heal, local, end_faults, inject };

struct SimEvent {
  uint64_t time = 0;
  uint64_t seq = 0;
  EvKind kind = EvKind::tick;
  size_t replica = 0;
  uint64_t incarnation = 0;  // local events die with the replica incarnation that caused them
  Msg msg;
  std::optional<Event> local;
  std::vector<int> sides;
  bool asymmetric = false;
};
struct Later {
  bool operator()(const SimEvent* a, const SimEvent* b) const {
    return a->time != b->time ? a->time > b->time : a->seq > b->seq;
  }
};

struct Replica {
  size_t id = 0;
  uint32_t key_id = 0;
  Role role = Role::honest;
  bool up = true;
  uint64_t incarnation = 0;
  int64_t skew_ms = 0;
  std::unique_ptr<Core> core;
  // Durable: survives crashes, as a node's disk would.
  Bytes safety;
  CommittedTip tip;
  Epoch epoch = 0;
  ValidatorSet set;
  std::map<BlockId, Bytes> store;  // committed blocks as CertifiedBlock bytes
  std::map<BlockId, std::pair<Height, Bytes>> voted;  // PersistBlock: blocks stored before voting
  AppModel app;
  std::optional<EpochChange> pending_change;
  // Byzantine memory.
  std::unique_ptr<Signer> byz_signer;
  std::deque<Msg> history;
  std::deque<ForkPoint> forks;
  uint64_t salt = 0;
  struct ForkPlan {  // see Simulation::plan_withheld_fork
    Epoch epoch = 0;
    Round round = 0;
    crypto::PublicKey spared{};
    std::map<ValidatorIndex, TimeoutShare> shares;
    Bytes best_qc;
    Round best_round = 0;
    bool done = false;
  };
  std::optional<ForkPlan> plan;
  // Liveness bookkeeping.
  std::optional<uint64_t> progressed_at;

  bool honest() const { return role == Role::honest; }
};

class Simulation {
 public:
  Simulation(const Options& o, uint64_t seed)
      : opts_(o), seed_(seed), rng_(seed), net_(o.net) {
    auto f = parse_faulty_rule(o.faulty_rule);
    DOCKET_ASSERT_MSG(f.ok(), "faulty rule validated by the caller");
    faulty_ = *f;
    if (o.real_crypto) verifier_ = std::make_unique<SchnorrVerifier>();
    else verifier_ = std::make_unique<FastVerifier>();
    result_.seed = seed;
  }

  SeedResult run() {
    setup();
    const uint64_t end = opts_.fault_ms + opts_.liveness_ms;
    while (!queue_.empty() && !stop_) {
      std::unique_ptr<SimEvent> ev(queue_.top());
      queue_.pop();
      if (ev->time > end) break;
      now_ = ev->time;
      dispatch(*ev);
    }
    while (!queue_.empty()) {
      delete queue_.top();
      queue_.pop();
    }
    finish();
    return result_;
  }

 private:
  // ------------------------------------------------------------------------------------------- setup
  void setup() {
    const size_t n = opts_.validators;
    for (size_t i = 0; i < n; ++i) keys_.push_back(opts_.real_crypto ? sim_secret_key(i).public_key() : sim_fast_public_key(i));
    ValidatorSet set0(keys_);
    epoch_sets_.push_back(set0);
    const size_t f = set0.max_faulty();
    const size_t b = std::min(opts_.byzantine == Byzantine::none ? 0 : opts_.byzantine_count, f);
    std::vector<uint32_t> ids(n);
    for (size_t i = 0; i < n; ++i) ids[i] = static_cast<uint32_t>(i);
    std::vector<Role> roles(n, Role::honest);
    for (size_t k = 0; k < b; ++k) {
      const size_t j = k + rng_.range(0, n - 1 - k);
      std::swap(ids[k], ids[j]);
      Role r = Role::honest;
      switch (opts_.byzantine) {
        case Byzantine::twins: r = Role::twin; break;
        case Byzantine::equivocate: r = Role::equivocate; break;
        case Byzantine::withhold: r = Role::withhold; break;
        case Byzantine::mixed: {
          const Role choices[] = {Role::twin, Role::equivocate, Role::withhold, Role::bad_root};
          r = choices[rng_.range(0, 3)];
          break;
        }
        case Byzantine::none: break;
      }
      roles[ids[k]] = r;
    }
    genesis_ = crypto::sha256(as_bytes("docket-sim genesis block"));
    for (uint32_t key = 0; key < n; ++key) {
      add_replica(key, roles[key]);
      if (roles[key] == Role::twin) add_replica(key, Role::twin);
    }
    for (auto& r : replicas_) {
      if (opts_.trace) *opts_.trace << "replica r" << r->id << " = validator key " << r->key_id << " ("
                                    << role_name(r->role) << "), clock skew " << r->skew_ms << " ms\n";
    }
    for (auto& r : replicas_) boot(*r);
    for (auto& r : replicas_) schedule_at(rng_.range(0, kTickMs - 1), EvKind::tick, r->id);
    if (opts_.partitions) schedule_partitions();
    if (opts_.crashes) schedule_crashes();
    for (auto& r : replicas_) {
      if (!r->honest() && r->role != Role::twin) schedule_at(rng_.range(100, 400), EvKind::inject, r->id);
    }
    schedule_at(opts_.fault_ms, EvKind::end_faults, 0);
  }

  void add_replica(uint32_t key, Role role) {
    auto r = std::make_unique<Replica>();
    r->id = replicas_.size();
    r->key_id = key;
    r->role = role;
    r->skew_ms = static_cast<int64_t>(rng_.range(0, 2 * opts_.clock_skew_ms)) - static_cast<int64_t>(opts_.clock_skew_ms);
    r->tip = CommittedTip::genesis(genesis_, 0);
    r->epoch = 0;
    r->set = epoch_sets_[0];
    r->salt = rng_.next();
    r->byz_signer = make_signer(key);
    replicas_.push_back(std::move(r));
  }

  std::unique_ptr<Signer> make_signer(uint32_t key) const {
    if (opts_.real_crypto) return std::make_unique<DeterministicKeySigner>(sim_secret_key(key));
    return std::make_unique<FastSigner>(keys_[key]);
  }

  Limits limits_for(const ValidatorSet& s) const {
    Limits l;
    l.validators = s.size();
    return l;
  }

  void boot(Replica& r) {
    Config c;
    c.chain_id = kChain;
    c.epoch = r.epoch;
    c.validators = r.set;
    c.self = r.set.index_of(keys_[r.key_id]);
    c.timeout_base_ms = opts_.timeout_base_ms;
    c.timeout_cap_ms = opts_.timeout_cap_ms;
    c.fetch_retry_ms = 300;
    c.max_commit_batch = kCommitBatch;
    c.verbose = opts_.trace != nullptr;
    c.faulty = faulty_;
    SafetyState s = SafetyState::fresh(r.epoch);
    if (!r.safety.empty()) {
      auto d = SafetyState::decode(r.safety);
      DOCKET_ASSERT_MSG(d.ok(), "the simulator's own persisted safety state must decode");
      if (d->epoch >= r.epoch) s = std::move(d.value());
    }
    r.up = true;
    ++r.incarnation;
    std::vector<Bytes> stored;
    for (const auto& [id, hb] : r.voted) stored.push_back(hb.second);
    r.core = std::make_unique<Core>(std::move(c), std::move(s), r.tip, *verifier_, make_signer(r.key_id), std::move(stored));
    auto actions = r.core->start();
    apply(r, actions);
    if (r.up && r.pending_change) feed(r, *r.pending_change);
  }

  // ----------------------------------------------------------------------------------------- events
  void schedule(SimEvent ev) {
    ev.seq = seq_++;
    queue_.push(new SimEvent(std::move(ev)));
  }
  void schedule_at(uint64_t t, EvKind k, size_t replica) {
    SimEvent ev;
    ev.time = t;
    ev.kind = k;
    ev.replica = replica;
    schedule(std::move(ev));
  }
  void schedule_local(Replica& r, Event e) {
    SimEvent ev;
    ev.time = now_ + 1;
    ev.kind = EvKind::local;
    ev.replica = r.id;
    ev.incarnation = r.incarnation;
    ev.local = std::move(e);
    schedule(std::move(ev));
  }

  void schedule_partitions() {
    const size_t episodes = rng_.range(2, 5);
    for (size_t k = 0; k < episodes; ++k) {
      const uint64_t start = rng_.range(200, opts_.fault_ms > 1200 ? opts_.fault_ms - 1000 : 200);
      const uint64_t len = rng_.range(500, 6000);
      SimEvent ev;
      ev.time = start;
      ev.kind = EvKind::partition;
      ev.asymmetric = rng_.chance(0.3);
      for (size_t i = 0; i < replicas_.size(); ++i) ev.sides.push_back(static_cast<int>(rng_.range(0, 1)));
      schedule(std::move(ev));
      schedule_at(std::min(start + len, opts_.fault_ms), EvKind::heal, 0);
    }
  }

  void schedule_crashes() {
    const size_t crashes = rng_.range(1, 2 + replicas_.size() / 2);
    for (size_t k = 0; k < crashes; ++k) {
      const uint64_t t = rng_.range(100, opts_.fault_ms > 600 ? opts_.fault_ms - 500 : 100);
      schedule_at(t, EvKind::crash, rng_.range(0, replicas_.size() - 1));
    }
  }

  void hash_event(const SimEvent& ev) {
    Bytes h;
    append_u64_be(h, ev.time);
    append_u64_be(h, ev.replica);
    append_u64_be(h, static_cast<uint64_t>(ev.kind));
    trace_hash_.update(h);
    if (ev.kind == EvKind::deliver) trace_hash_.update(ev.msg.bytes);
  }

  void dispatch(SimEvent& ev) {
    hash_event(ev);
    Replica& r = *replicas_[ev.replica];
    switch (ev.kind) {
      case EvKind::tick:
        if (r.up) feed(r, Tick{static_cast<uint64_t>(static_cast<int64_t>(kClockBase + now_) + r.skew_ms)});
        schedule_at(now_ + kTickMs, EvKind::tick, r.id);
        break;
      case EvKind::deliver: deliver(r, ev.msg); break;
      case EvKind::local:
        if (r.up && ev.incarnation == r.incarnation) feed(r, *ev.local);
        break;
      case EvKind::crash:
        if (r.up && net_.faults_enabled()) crash(r);
        break;
      case EvKind::restart:
        if (!r.up) {
          if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " restarts\n";
          boot(r);
        }
        break;
      case EvKind::partition:
        if (net_.faults_enabled()) {
          net_.partition(ev.sides, ev.asymmetric);
          if (opts_.trace) {
            *opts_.trace << "[" << now_ << "ms] " << (ev.asymmetric ? "asymmetric " : "") << "partition:";
            for (int s : ev.sides) *opts_.trace << ' ' << s;
            *opts_.trace << "\n";
          }
        }
        break;
      case EvKind::heal:
        net_.heal();
        if (opts_.trace) *opts_.trace << "[" << now_ << "ms] partition healed\n";
        break;
      case EvKind::end_faults: end_faults(); break;
      case EvKind::inject:
        if (r.up) inject(r);
        schedule_at(now_ + rng_.range(100, 500), EvKind::inject, r.id);
        break;
    }
  }

  void crash(Replica& r) {
    if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " crashes\n";
    r.up = false;
    r.core.reset();
    const uint64_t back = std::min(now_ + rng_.range(200, 4000), opts_.fault_ms);
    schedule_at(std::max(back, now_ + 1), EvKind::restart, r.id);
  }

  void end_faults() {
    net_.end_faults();
    for (auto& r : replicas_) {
      if (!r->up) boot(*r);
    }
    frontier_ = 0;
    for (auto& r : replicas_) {
      if (r->honest()) frontier_ = std::max(frontier_, r->tip.height);
    }
    if (opts_.trace) *opts_.trace << "[" << now_ << "ms] faults end; honest frontier height " << frontier_ << "\n";
  }

  // ---------------------------------------------------------------------------------------- replica IO
  void feed(Replica& r, const Event& e) {
    if (!r.up) return;
    auto actions = r.core->handle(e);
    apply(r, actions);
  }

  void apply(Replica& r, std::vector<Action>& actions) {
    std::optional<EpochChange> change;
    for (Action& a : actions) {
      if (!r.up) return;
      // Crash between actions: whatever follows is lost, exactly as on a real machine. Diagnostics
      // (more of them with --trace) draw no randomness, so tracing never changes a run.
      if (!std::holds_alternative<Diagnostic>(a) && opts_.crashes && net_.faults_enabled() &&
          rng_.chance(kCrashBetweenActions)) {
        crash(r);
        return;
      }
      std::visit([&](auto& x) { act(r, x, change); }, a);
    }
    if (change && r.up) feed(r, *change);
  }

  void act(Replica& r, SendTo& a, std::optional<EpochChange>&) {
    if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " send " << message_kind_name(a.kind) << " to v" << a.to
                                  << "\n";
    if (r.role == Role::withhold && a.kind == MessageKind::vote) return;
    if (hiding(r, a.kind)) return;
    send_to_validator(r, a.to, from_kind(a.kind), a.bytes);
  }

  void act(Replica& r, Broadcast& a, std::optional<EpochChange>&) {
    if (opts_.trace) {
      *opts_.trace << "[" << now_ << "ms] r" << r.id << " broadcast " << message_kind_name(a.kind);
      if (a.kind == MessageKind::timeout) {
        if (auto t = decode_timeout(a.bytes, limits_for(r.core->validators()))) {
          *opts_.trace << " round " << t->round << " high_qc_round " << t->high_qc_round << (t->last_tc.empty() ? "" : " +tc");
        }
      } else if (a.kind == MessageKind::proposal) {
        if (auto p = decode_proposal(a.bytes, kChain, limits_for(r.core->validators())); p && !p->announcement) {
          *opts_.trace << " round " << p->block.header.round << " height " << p->block.header.height
                       << (p->tc.empty() ? "" : " +tc");
        }
      }
      *opts_.trace << "\n";
    }
    if (hiding(r, a.kind)) return;
    const ValidatorSet& set = r.core->validators();
    const auto self = r.core->self();
    std::optional<Bytes> other;
    if (r.role == Role::equivocate && a.kind == MessageKind::proposal && self) {
      if (rng_.chance(0.5) && plan_withheld_fork(r, a.bytes)) return;
      std::optional<ForkPoint> fork;
      // Fork from one of the latest few QCs: older ones are below what honest replicas committed.
      if (!r.forks.empty() && rng_.chance(0.6)) fork = r.forks[r.forks.size() - 1 - rng_.range(0, std::min<size_t>(3, r.forks.size()) - 1)];
      other = conflicting_proposal(a.bytes, fork, rng_.next(), *r.byz_signer, kChain, limits_for(set));
      if (opts_.trace && other) *opts_.trace << "[" << now_ << "ms] r" << r.id << " equivocates"
                                             << (fork ? " (fork on an older QC)" : "") << "\n";
    }
    for (ValidatorIndex v = 0; v < set.size(); ++v) {
      // Twins of ourselves still need our messages. Others get one version, the other, or both.
      const bool to_self = self && v == *self;
      const uint64_t pick = other && !to_self ? rng_.range(0, 2) : 0;
      if (pick != 1) send_to_validator(r, v, from_kind(a.kind), a.bytes);
      if (pick != 0) send_to_validator(r, v, from_kind(a.kind), *other);
    }
    if (other && self) send_to_validator(r, *self, MsgType::proposal, *other);
  }

  // The withheld-QC fork: as leader of round R (entered by a QC), show the proposal, and so the QC that
  // commits the grandparent, to one replica only. The others time out in round R - 1; with their
  // timeouts (and one of our own) we build TC(R - 1) and offer them a second round-R proposal that
  // extends a QC older than the TC's highest. Rule R2b forbids voting for it; a replica without that
  // rule commits a fork of what the first replica committed.
  // While a withheld-QC fork is under way, our own core's votes and timeouts would leak the QC.
  static bool hiding(const Replica& r, MessageKind k) {
    return r.plan && !r.plan->done && (k == MessageKind::vote || k == MessageKind::timeout);
  }

  bool plan_withheld_fork(Replica& r, const Bytes& proposal) {
    const ValidatorSet& set = r.core->validators();
    auto p = decode_proposal(proposal, kChain, limits_for(set));
    if (!p || p->announcement || !p->tc.empty()) return false;
    ValidatorIndex spared = static_cast<ValidatorIndex>(rng_.range(0, set.size() - 1));
    if (spared == *r.core->self()) spared = static_cast<ValidatorIndex>((spared + 1) % set.size());
    r.plan = Replica::ForkPlan{p->block.header.epoch, p->block.header.round, set.key(spared), {}, {}, 0, false};
    send_to_validator(r, spared, MsgType::proposal, proposal);
    if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " withholds its proposal of round "
                                  << p->block.header.round << " from all but v" << spared << "\n";
    return true;
  }

  void byzantine_on_timeout(Replica& r, const Msg& m) {
    if (!r.plan || r.plan->done || !r.core->self()) return;
    const ValidatorSet& set = r.core->validators();
    const Limits lim = limits_for(set);
    auto t = decode_timeout(m.bytes, lim);
    if (!t || t->epoch != r.plan->epoch || t->round + 1 != r.plan->round || t->sender >= set.size()) return;
    if (set.key(t->sender) == r.plan->spared || t->sender == *r.core->self()) return;
    r.plan->shares[t->sender] = TimeoutShare{t->high_qc_round, t->signature};
    if (t->high_qc_round >= r.plan->best_round || r.plan->best_qc.empty()) {
      r.plan->best_round = t->high_qc_round;
      r.plan->best_qc = t->high_qc;
    }
    if (r.plan->shares.size() + 1 < set.quorum()) return;
    // Our own share claims the lowest round any share claims (a lie the TC cannot tell).
    Round low = r.plan->best_round;
    for (const auto& [v, s] : r.plan->shares) low = std::min(low, s.high_qc_round);
    const ValidatorIndex self = *r.core->self();
    const Round tc_round = r.plan->round - 1;
    auto shares = r.plan->shares;
    shares[self] = TimeoutShare{low, r.byz_signer->sign(timeout_digest(kChain, r.plan->epoch, tc_round, low))};
    const Bytes tc = build_tc(r.plan->epoch, tc_round, shares, r.plan->best_qc, set.size());
    r.plan->done = true;
    // The freshest fork point strictly below the TC's highest QC.
    const ForkPoint* fp = nullptr;
    for (const ForkPoint& f : r.forks) {
      if (f.round < r.plan->best_round && (fp == nullptr || f.round > fp->round)) fp = &f;
    }
    if (fp == nullptr) return;
    const uint64_t clock = static_cast<uint64_t>(static_cast<int64_t>(kClockBase + now_) + r.skew_ms);
    const Bytes fork = tc_fork_proposal(r.plan->epoch, r.plan->round, self, *fp, tc, clock, rng_.next(), *r.byz_signer,
                                        kChain);
    if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " proposes a fork of round " << r.plan->round
                                  << " on the QC of round " << fp->round << " with a TC\n";
    for (ValidatorIndex v = 0; v < set.size(); ++v) {
      if (set.key(v) != r.plan->spared) send_to_validator(r, v, MsgType::proposal, fork);
    }
    if (auto vote = vote_for(fork, self, *r.byz_signer, kChain, lim)) {
      send_to_validator(r, set.leader(vote->first + 1), MsgType::vote, vote->second);
    }
  }

  void act(Replica& r, PersistBlock& a, std::optional<EpochChange>&) { r.voted[a.id] = {a.height, a.block}; }

  void act(Replica& r, PersistSafety& a, std::optional<EpochChange>&) {
    if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " persist safety state\n";
    r.safety = a.state;
  }

  void act(Replica& r, Commit& a, std::optional<EpochChange>& change) {
    for (const CommittedBlock& cb : a.blocks) {
      auto v = decode_block(cb.block, kChain, limits_for(epoch_sets_[0]));
      DOCKET_ASSERT_MSG(v.ok(), "core committed an undecodable block");
      const Header& h = v->header;
      if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " commits height " << cb.height << " round "
                                    << cb.round << " id " << to_hex(cb.id).substr(0, 12) << "\n";
      if (r.honest()) {
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
      r.app.execute(cb.height, cb.block);
      r.tip.id = cb.id;
      r.tip.height = cb.height;
      r.tip.round = cb.round;
      r.tip.epoch = cb.epoch;
      r.tip.timestamp_ms = h.timestamp_ms;
      r.tip.qc = cb.qc;
      r.tip.epoch_proof.clear();
      r.tip.commit_proof = a.proof;
      r.store.emplace(cb.id, encode_certified_block(cb.block, cb.qc));
      std::erase_if(r.voted, [&](const auto& kv) { return kv.second.first <= cb.height; });
      // The application schedules a validator-set change (here: rotate the order) every epoch_every heights.
      if (opts_.epoch_every > 0 && cb.height % opts_.epoch_every == 0 && !r.pending_change) {
        const Epoch next = r.core->epoch() + 1;
        while (epoch_sets_.size() <= next) {
          std::vector<crypto::PublicKey> k = epoch_sets_.back().keys();
          std::rotate(k.begin(), k.begin() + 1, k.end());
          epoch_sets_.emplace_back(std::move(k));
        }
        r.pending_change = EpochChange{epoch_sets_[next], cb.height + kEpochMargin};
        change = r.pending_change;
      }
    }
  }

  void act(Replica& r, FetchBlock& a, std::optional<EpochChange>&) {
    send_to_validator(r, a.from, MsgType::block_request, encode_block_request(a.id));
  }

  void act(Replica& r, RequestPayload& a, std::optional<EpochChange>&) {
    PayloadReady p = r.app.make_payload(a.round, r.key_id, r.salt++, a.must_be_empty);
    if (r.role == Role::bad_root) p.state_root = Bytes(32, 0xbd);
    schedule_local(r, std::move(p));
  }

  void act(Replica& r, ValidatePayload& a, std::optional<EpochChange>&) {
    const bool ok = r.app.validate(a.block, kChain, limits_for(r.core->validators()));
    schedule_local(r, PayloadVerdict{a.block_id, ok});
  }

  void act(Replica& r, EpochStarted& a, std::optional<EpochChange>&) {
    r.epoch = a.epoch;
    r.set = a.validators;
    r.tip.epoch_proof = a.epoch_proof;
    r.pending_change.reset();
    if (r.honest()) result_.epochs = std::max<uint64_t>(result_.epochs, a.epoch);
    if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " starts epoch " << a.epoch << "\n";
  }

  void act(Replica& r, Diagnostic& a, std::optional<EpochChange>&) {
    if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " " << a.message << "\n";
  }

  // ------------------------------------------------------------------------------------------ network
  void send_to_validator(Replica& r, ValidatorIndex v, MsgType type, const Bytes& bytes, uint64_t extra_delay_ms = 0) {
    const ValidatorSet& set = r.core->validators();
    if (v >= set.size()) return;
    if (type == MsgType::vote || type == MsgType::timeout) check_signed_send(r, type, bytes);
    const crypto::PublicKey& key = set.key(v);
    const ValidatorIndex from_v = r.core->self().value_or(0);
    for (auto& t : replicas_) {
      if (t->id == r.id || keys_[t->key_id] != key) continue;
      send(r, *t, type, from_v, bytes, extra_delay_ms);
    }
  }

  void send(Replica& from, Replica& to, MsgType type, ValidatorIndex from_v, const Bytes& bytes,
            uint64_t extra_delay_ms = 0) {
    if (type != MsgType::block_request && type != MsgType::block_response) {
      ++result_.messages;
      result_.bytes += bytes.size();
    }
    if (!net_.connected(from.id, to.id)) return;
    for (uint64_t delay : net_.deliveries(rng_)) {
      SimEvent ev;
      ev.time = now_ + delay + extra_delay_ms;
      ev.kind = EvKind::deliver;
      ev.replica = to.id;
      ev.msg = Msg{type, from.id, from_v, bytes};
      schedule(std::move(ev));
    }
  }

  void deliver(Replica& r, const Msg& m) {
    if (!r.up) return;
    if (opts_.trace) {
      *opts_.trace << "[" << now_ << "ms] r" << r.id << " <- " << msg_name(m.type) << " from r" << m.from_replica << " ("
                   << m.bytes.size() << " B)\n";
    }
    if (!r.honest() && m.type != MsgType::block_request && m.type != MsgType::block_response) {
      r.history.push_back(m);
      if (r.history.size() > 64) r.history.pop_front();
    }
    switch (m.type) {
      case MsgType::proposal:
        if (r.role == Role::equivocate || r.role == Role::withhold || r.role == Role::bad_root) byzantine_on_proposal(r, m);
        feed(r, ProposalReceived{m.from_validator, m.bytes});
        break;
      case MsgType::vote: feed(r, VoteReceived{m.from_validator, m.bytes}); break;
      case MsgType::timeout:
        if (r.role == Role::equivocate) byzantine_on_timeout(r, m);
        feed(r, TimeoutReceived{m.from_validator, m.bytes});
        break;
      case MsgType::block_request: {
        auto id = decode_block_request(m.bytes);
        if (!id) return;
        std::optional<Bytes> answer = r.core->block_for_peer(*id);
        if (!answer) {
          if (auto it = r.store.find(*id); it != r.store.end()) answer = it->second;
        }
        if (!answer) {
          if (auto it = r.voted.find(*id); it != r.voted.end()) answer = encode_certified_block(it->second.second, {});
        }
        if (answer) send(r, *replicas_[m.from_replica], MsgType::block_response, r.core->self().value_or(0), *answer);
        break;
      }
      case MsgType::block_response: feed(r, BlockFetched{m.from_validator, m.bytes}); break;
    }
  }

  // ---------------------------------------------------------------------------------------- Byzantine
  void byzantine_on_proposal(Replica& r, const Msg& m) {
    const ValidatorSet& set = r.core->validators();
    const Limits lim = limits_for(set);
    if (auto f = fork_point_of(m.bytes, kChain, lim)) {
      r.forks.push_back(std::move(*f));
      if (r.forks.size() > 8) r.forks.pop_front();
    }
    if (r.role != Role::equivocate) return;
    // Vote for everything, bypassing every safety rule.
    const auto self = r.core->self();
    if (!self) return;
    if (auto v = vote_for(m.bytes, *self, *r.byz_signer, kChain, lim)) {
      send_to_validator(r, set.leader(v->first + 1), MsgType::vote, v->second);
    }
  }

  void inject(Replica& r) {
    const ValidatorSet& set = r.core->validators();
    const ValidatorIndex target = static_cast<ValidatorIndex>(rng_.range(0, set.size() - 1));
    switch (rng_.range(0, 3)) {
      case 0:  // replay an old message
        if (!r.history.empty()) {
          const Msg& m = r.history[rng_.range(0, r.history.size() - 1)];
          send_to_validator(r, target, m.type, m.bytes);
        }
        break;
      case 1:  // bad signature
        if (!r.history.empty()) {
          const Msg& m = r.history[rng_.range(0, r.history.size() - 1)];
          send_to_validator(r, target, m.type, corrupt(m.bytes, rng_));
        }
        break;
      case 2:  // far-future round, correctly signed
        if (!r.forks.empty() && r.core->self()) {
          send_to_validator(r, target, MsgType::timeout,
                            far_future_timeout(r.core->epoch(), r.core->round() + 1'000'000 + rng_.range(0, 1000),
                                               *r.core->self(), r.forks.back(), *r.byz_signer, kChain));
        }
        break;
      default: {  // garbage
        Bytes junk(rng_.range(0, 200));
        for (auto& b : junk) b = static_cast<uint8_t>(rng_.next());
        const MsgType types[] = {MsgType::proposal, MsgType::vote, MsgType::timeout, MsgType::block_response};
        send_to_validator(r, target, types[rng_.range(0, 3)], junk);
      }
    }
  }

  // ------------------------------------------------------------------------------------------ checkers
  // An honest replica may only send a vote or timeout once the round it signs is on its disk, and may
  // never sign two votes in one round.
  void check_signed_send(Replica& r, MsgType type, const Bytes& bytes) {
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

  void violation(bool liveness, const std::string& what) {
    if (liveness) result_.liveness_failure = true;
    else result_.safety_violation = true;
    if (result_.violation.empty()) result_.violation = what;
    if (opts_.trace) *opts_.trace << "[" << now_ << "ms] VIOLATION: " << what << "\n";
    if (!liveness) stop_ = true;
  }

  void finish() {
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

  const Options& opts_;
  uint64_t seed_;
  Prng rng_;
  Network net_;
  FaultyRules faulty_;
  std::unique_ptr<Verifier> verifier_;
  std::vector<crypto::PublicKey> keys_;
  std::vector<ValidatorSet> epoch_sets_;
  BlockId genesis_{};
  std::vector<std::unique_ptr<Replica>> replicas_;
  std::priority_queue<SimEvent*, std::vector<SimEvent*>, Later> queue_;
  uint64_t seq_ = 0;
  uint64_t now_ = 0;
  bool stop_ = false;
  uint64_t frontier_ = 0;
  std::map<Height, BlockId> chain_;
  std::map<std::tuple<uint32_t, Epoch, Round>, BlockId> votes_signed_;
  crypto::Sha256 trace_hash_;
  SeedResult result_;
};

}  // namespace

SeedResult run_seed(const Options& opts, uint64_t seed) {
  Simulation s(opts, seed);
  return s.run();
}

}  // namespace docket::sim
