// World: set-up, the event loop, and the faults it schedules (partitions, crashes, restarts).
#include "sim/world.h"

#include <algorithm>
#include <ostream>

#include "sim/sim_crypto.h"

namespace docket::sim {

using namespace consensus;

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

World::World(const Options& o, uint64_t seed)
    : opts_(o), rng_(seed), net_(o.net) {
  auto f = parse_faulty_rule(o.faulty_rule);
  DOCKET_ASSERT_MSG(f.ok(), "faulty rule validated by the caller");
  faulty_ = *f;
  if (o.real_crypto) verifier_ = std::make_unique<SchnorrVerifier>();
  else verifier_ = std::make_unique<FastVerifier>();
  result_.seed = seed;
}

SeedResult World::run() {
  setup();
  const uint64_t end = opts_.fault_ms + opts_.liveness_ms;
  while (!queue_.empty() && !stop_ && queue_.top().time <= end) {
    SimEvent ev = queue_.pop();
    now_ = ev.time;
    dispatch(ev);
  }
  finish();
  return result_;
}

void World::setup() {
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

void World::add_replica(uint32_t key, Role role) {
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

std::unique_ptr<Signer> World::make_signer(uint32_t key) const {
  if (opts_.real_crypto) return std::make_unique<DeterministicKeySigner>(sim_secret_key(key));
  return std::make_unique<FastSigner>(keys_[key]);
}

Limits World::limits_for(const ValidatorSet& s) const {
  Limits l;
  l.validators = s.size();
  return l;
}

void World::boot(Replica& r) {
  Config c;
  c.chain = kChain;
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

void World::schedule(SimEvent ev) { queue_.push(std::move(ev)); }

void World::schedule_at(uint64_t t, EvKind k, size_t replica) {
  SimEvent ev;
  ev.time = t;
  ev.kind = k;
  ev.replica = replica;
  schedule(std::move(ev));
}

void World::schedule_local(Replica& r, Event e) {
  SimEvent ev;
  ev.time = now_ + 1;
  ev.kind = EvKind::local;
  ev.replica = r.id;
  ev.incarnation = r.incarnation;
  ev.local = std::move(e);
  schedule(std::move(ev));
}

void World::schedule_partitions() {
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

void World::schedule_crashes() {
  const size_t crashes = rng_.range(1, 2 + replicas_.size() / 2);
  for (size_t k = 0; k < crashes; ++k) {
    const uint64_t t = rng_.range(100, opts_.fault_ms > 600 ? opts_.fault_ms - 500 : 100);
    schedule_at(t, EvKind::crash, rng_.range(0, replicas_.size() - 1));
  }
}

void World::hash_event(const SimEvent& ev) {
  Bytes h;
  append_u64_be(h, ev.time);
  append_u64_be(h, ev.replica);
  append_u64_be(h, static_cast<uint64_t>(ev.kind));
  trace_hash_.update(h);
  if (ev.kind == EvKind::deliver) trace_hash_.update(ev.msg.bytes);
}

void World::dispatch(SimEvent& ev) {
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

void World::crash(Replica& r) {
  if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " crashes\n";
  r.up = false;
  r.core.reset();
  const uint64_t back = std::min(now_ + rng_.range(200, 4000), opts_.fault_ms);
  schedule_at(std::max(back, now_ + 1), EvKind::restart, r.id);
}

void World::end_faults() {
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

}  // namespace docket::sim
