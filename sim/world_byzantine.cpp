// World: Byzantine behaviour beyond the core's own: equivocation, the withheld-QC fork, voting for
// everything, replays, bad signatures, far-future rounds and garbage.
#include "sim/world.h"

#include <algorithm>
#include <ostream>

namespace docket::sim {

using namespace consensus;

// An equivocating leader's proposal: either the withheld-QC fork below, or a second, conflicting
// proposal of the same round, each peer getting one version, the other, or both.
void World::equivocating_broadcast(Replica& r, const Broadcast& a) {
  if (rng_.chance(0.5) && plan_withheld_fork(r, a.bytes)) return;
  const ValidatorSet& set = r.core->validators();
  const auto self = r.core->self();
  std::optional<ForkPoint> fork;
  // Fork from one of the latest few QCs: older ones are below what honest replicas committed.
  if (!r.forks.empty() && rng_.chance(0.6)) fork = r.forks[r.forks.size() - 1 - rng_.range(0, std::min<size_t>(3, r.forks.size()) - 1)];
  const std::optional<Bytes> other = conflicting_proposal(a.bytes, fork, rng_.next(), *r.byz_signer, kChain, limits_for(set));
  if (opts_.trace && other) *opts_.trace << "[" << now_ << "ms] r" << r.id << " equivocates"
                                         << (fork ? " (fork on an older QC)" : "") << "\n";
  for (ValidatorIndex v = 0; v < set.size(); ++v) {
    // Twins of ourselves still need our messages. Others get one version, the other, or both.
    const bool to_self = self && v == *self;
    const uint64_t pick = other && !to_self ? rng_.range(0, 2) : 0;
    if (pick != 1) send_to_validator(r, v, from_kind(a.kind), a.bytes);
    if (pick != 0) send_to_validator(r, v, from_kind(a.kind), *other);
  }
  if (other && self) send_to_validator(r, *self, MsgType::proposal, *other);
}

// While a withheld-QC fork is under way, our own core's votes and timeouts would leak the QC.
bool World::hiding(const Replica& r, MessageKind k) {
  return r.plan && !r.plan->done && (k == MessageKind::vote || k == MessageKind::timeout);
}

// The withheld-QC fork: as leader of round R (entered by a QC), show the proposal, and so the QC that
// commits the grandparent, to one replica only. The others time out in round R - 1; with their
// timeouts (and one of our own) we build TC(R - 1) and offer them a second round-R proposal that
// extends a QC older than the TC's highest (byzantine_on_timeout). Rule R2b forbids voting for it; a
// replica without that rule commits a fork of what the first replica committed.
bool World::plan_withheld_fork(Replica& r, const Bytes& proposal) {
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

void World::byzantine_on_timeout(Replica& r, const Msg& m) {
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

void World::byzantine_on_proposal(Replica& r, const Msg& m) {
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

void World::inject(Replica& r) {
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

}  // namespace docket::sim
