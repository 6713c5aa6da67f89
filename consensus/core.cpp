#include "consensus/core.h"

#include <algorithm>

namespace docket::consensus {
namespace {

constexpr size_t kMaxFetches = 64;
constexpr size_t kMaxVerdicts = 64;
constexpr uint32_t kMaxBackoffExp = 24;
constexpr size_t kMaxValidators = 4096;  // bound for decoding a trusted root QC of any epoch
constexpr size_t kMaxEpochTail = 64;     // old-epoch blocks kept above its last one (see keep_epoch_proof)

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

const char* message_kind_name(MessageKind k) {
  switch (k) {
    case MessageKind::proposal: return "proposal";
    case MessageKind::vote: return "vote";
    case MessageKind::timeout: return "timeout";
  }
  return "?";
}

CommittedTip CommittedTip::genesis(const BlockId& id, Epoch epoch, uint64_t timestamp_ms) {
  CommittedTip t;
  t.id = id;
  t.epoch = epoch;
  t.timestamp_ms = timestamp_ms;
  return t;
}

Core::Core(Config config, SafetyState safety, CommittedTip tip, const Verifier& verifier,
           std::unique_ptr<Signer> signer, std::vector<Bytes> stored_blocks)
    : cfg_(std::move(config)),
      verifier_(verifier),
      signer_(std::move(signer)),
      self_(cfg_.self),
      epoch_(cfg_.epoch),
      set_(cfg_.validators),
      safety_(std::move(safety)),
      tree_(RootInfo{tip.id, tip.height, tip.round, tip.epoch, tip.timestamp_ms, {}}, cfg_.max_pending_blocks) {
  DOCKET_ASSERT_MSG(set_.size() > 0, "empty validator set");
  DOCKET_ASSERT_MSG(!self_ || (*self_ < set_.size() && signer_ != nullptr), "validator without index or signer");
  DOCKET_ASSERT_MSG(!self_ || set_.key(*self_) == signer_->public_key(), "signer key is not the validator's key");
  DOCKET_ASSERT_MSG(tip.epoch <= cfg_.epoch, "committed tip from a later epoch");
  restore_ = std::move(stored_blocks);
  limits_.validators = set_.size();
  limits_.max_payload_bytes = cfg_.max_payload_bytes;
  limits_.max_transactions = cfg_.max_transactions;
  // An epoch's root is named by a signature-less root QC, the same bytes at every replica (see
  // start_next_epoch); a tip of the current epoch by its real QC, which verifies like any other.
  root_qc_ = tip.qc.empty() || tip.epoch < cfg_.epoch ? make_root_qc(tip.epoch, tip.round, tip.id) : tip.qc;
  RootInfo root = tree_.root();
  root.qc = root_qc_;
  tree_.reset_root(root);
  // Without it a restarted replica that is ahead could not prove its commits, and the others'
  // applications would refuse every proposal it makes that carries its executed state.
  commit_proof_ = tip.commit_proof.empty() ? tip.epoch_proof : tip.commit_proof;
  epoch_proof_ = tip.epoch_proof;
  auto rq = decode_qc(root_qc_, kMaxValidators);
  DOCKET_ASSERT_MSG(rq.ok() && rq->block_id == tip.id, "committed tip QC does not certify the tip");
  high_qc_ = std::move(rq.value());
  seen_qc_ = high_qc_;
  // A safety record from an earlier epoch says nothing about this one.
  if (safety_.epoch < epoch_) safety_ = SafetyState::fresh(epoch_);
  DOCKET_ASSERT_MSG(safety_.epoch == epoch_, "safety state from a later epoch than the config");
}

std::vector<Action> Core::start() {
  Out out;
  // Commits wait for the first event: the driver delivers a pending EpochChange right after start(),
  // and until then the core does not know where the epoch ends.
  starting_ = true;
  // Blocks we stored before voting, lowest first so parents come before children.
  std::vector<std::pair<Height, Bytes>> stored;
  for (Bytes& b : restore_) {
    auto v = decode_block(b, cfg_.chain, limits_);
    if (v && v->header.epoch == epoch_ && v->header.height > tree_.root().height) stored.emplace_back(v->header.height, std::move(b));
  }
  restore_.clear();
  std::sort(stored.begin(), stored.end());
  for (const auto& [h, b] : stored) process_certified_block(encode_certified_block(b, {}), 0, true, out);
  // A batch-limited commit leaves our proof above the tip: resume committing up to it.
  if (!commit_proof_.empty()) process_commit_proof(Bytes(commit_proof_), 0, out);
  // Restart point: never below a round we already signed in (R1/R3 would refuse it anyway) and never
  // at or below the rounds our QCs prove finished.
  Round r = std::max<Round>(eround(high_qc_) + 1, safety_.last_voted_round);
  r = std::max<Round>(r, safety_.locked_round + 1);
  if (!safety_.locked_qc.empty()) {
    // Our own record, verified before we signed on top of it.
    auto qc = decode_qc(safety_.locked_qc, set_.size());
    if (qc && qc->epoch == epoch_ && qc->round > parent_round(tree_.root().id)) process_qc(*qc, set_.leader(qc->round + 1), out);
  }
  if (!safety_.round_tc.empty()) {
    auto tc = verify_tc(safety_.round_tc, ctx());
    if (tc && tc->round + 1 == std::max<Round>(r, 1)) process_tc(*tc, out);
  }
  advance_round(std::max<Round>(r, 1), nullptr, out);
  starting_ = false;
  return out;
}

std::vector<Action> Core::handle(const Event& event) {
  Out out;
  std::visit([&](const auto& e) { on(e, out); }, event);
  drain_commits(out);
  return out;
}

std::optional<Bytes> Core::block_for_peer(const BlockId& id) const {
  const TreeBlock* b = tree_.find(id);
  if (b != nullptr) return encode_certified_block(b->block.bytes, b->qc);
  if (auto t = epoch_tail_.find(id); t != epoch_tail_.end()) return t->second;
  return std::nullopt;
}

CertContext Core::ctx() const {
  CertContext c;
  c.chain = cfg_.chain;
  c.epoch = epoch_;
  c.set = &set_;
  c.verifier = &verifier_;
  c.root_qc = root_qc_;
  return c;
}

void Core::drop(Out& out, const char* what, const std::string& why) const {
  if (cfg_.verbose) out.push_back(Diagnostic{Diagnostic::Level::debug, std::string("drop ") + what + ": " + why});
}

void Core::warn(Out& out, std::string message) const {
  out.push_back(Diagnostic{Diagnostic::Level::warn, std::move(message)});
}

uint64_t Core::timeout_duration_ms() const {
  const uint32_t exp = std::min<uint32_t>(backoff_exp_, kMaxBackoffExp);
  return std::min<uint64_t>(cfg_.timeout_base_ms << exp, cfg_.timeout_cap_ms);
}

// After giving up on a round, what remains is to get our timeout (and vote) through a lossy network:
// resend starting from the base interval, doubling up to the round's own timeout.
uint64_t Core::retransmit_interval_ms() const {
  const uint32_t exp = std::min<uint32_t>(timeouts_in_round_ > 0 ? timeouts_in_round_ - 1 : 0, kMaxBackoffExp);
  return std::min<uint64_t>(cfg_.timeout_base_ms << exp, timeout_duration_ms());
}

Round Core::parent_round(const BlockId& parent) const {
  if (tree_.is_root(parent)) return tree_.root().epoch == epoch_ ? tree_.root().round : 0;
  return tree_.find(parent)->block.header.round;
}

// ---------------------------------------------------------------------------------------------------
// Proposals

void Core::on(const ProposalReceived& e, Out& out) { process_proposal(e.bytes, e.from, false, out); }

void Core::process_proposal(ByteView bytes, ValidatorIndex from, bool own, Out& out) {
  auto p = decode_proposal(bytes, cfg_.chain, limits_);
  if (!p) return drop(out, "proposal", p.error().to_string());
  const Header& h = p->block.header;
  if (!p->commit_proof.empty()) process_commit_proof(p->commit_proof, from, out);
  if (p->announcement) return;
  if (h.epoch < epoch_) announce_epoch_end(out);
  if (h.epoch != epoch_) return drop(out, "proposal", "epoch " + std::to_string(h.epoch));
  if (h.round < round_) return drop(out, "proposal", "stale round " + std::to_string(h.round));
  if (h.round > round_ + cfg_.max_future_rounds) return drop(out, "proposal", "far-future round");
  if (h.proposer != set_.leader(h.round)) return drop(out, "proposal", "proposer is not the round's leader");
  if (!verifier_.verify(set_.key(h.proposer), proposal_digest(cfg_.chain, p->block.header_bytes), p->signature)) {
    return drop(out, "proposal", "bad leader signature");
  }
  auto qc = verify_qc(h.justify, ctx());
  if (!qc) return drop(out, "proposal", "justify: " + qc.error().to_string());
  if (qc->block_id != h.parent_id || eround(*qc) >= h.round) {
    return drop(out, "proposal", "justify does not certify the parent");
  }
  std::optional<TcSummary> tc_summary;
  std::optional<Tc> tc;
  if (!p->tc.empty()) {
    auto t = verify_tc(p->tc, ctx());
    if (!t) return drop(out, "proposal", "tc: " + t.error().to_string());
    if (t->round + 1 != h.round) return drop(out, "proposal", "tc is not of the previous round");
    tc_summary = TcSummary{t->round, t->max_high_qc_round};
    tc = std::move(t.value());
  }
  process_qc(*qc, from, out);
  if (tc) process_tc(*tc, out);
  if (h.epoch != epoch_) return drop(out, "proposal", "its epoch ended");
  if (h.round != round_) return drop(out, "proposal", "round " + std::to_string(h.round) + " is not current");

  const BlockId id = p->block.id;
  auto first = first_proposal_.emplace(h.round, id);
  if (!first.second && first.first->second != id) {
    warn(out, "equivocation: leader " + std::to_string(h.proposer) + " proposed two blocks in round " +
                  std::to_string(h.round));
  }
  if (tree_.contains(id)) return;  // duplicate delivery
  if (!tree_.contains(h.parent_id)) {
    wait_for_parent(h.parent_id, Waiting{h.round, h.height, true, p->bytes}, out);
    fetch(h.parent_id, from, out);
    return;
  }
  if (Status s = validate_child(p->block, true); !s) return drop(out, "proposal", s.error().to_string());
  if (tree_.size() >= cfg_.max_pending_blocks) tree_.evict_one(high_qc_.block_id);
  if (Status s = tree_.insert(p->block); !s) return drop(out, "proposal", s.error().to_string());
  tree_.set_qc(h.parent_id, qc->bytes);
  drain_commits(out);
  if (own) return try_vote(id, tc_summary, out);
  if (verdicts_.size() >= kMaxVerdicts) verdicts_.erase(verdicts_.begin());
  verdicts_[id] = PendingVerdict{h.round, tc_summary};
  out.push_back(ValidatePayload{id, p->block.bytes});
}

Status Core::validate_child(const BlockView& b, bool proposal) const {
  const Header& h = b.header;
  if (h.epoch != epoch_) return make_error(Errc::invalid_state, "block of another epoch");
  if (h.height != tree_.height_of(h.parent_id) + 1) return make_error(Errc::invalid_argument, "height is not parent + 1");
  if (h.round <= parent_round(h.parent_id)) return make_error(Errc::invalid_argument, "round not above the parent's");
  if (h.timestamp_ms < tree_.timestamp_of(h.parent_id)) return make_error(Errc::invalid_argument, "timestamp below parent");
  if (proposal && clock_started_ && h.timestamp_ms > now_ms_ + cfg_.max_clock_drift_ms) {
    return make_error(Errc::invalid_argument, "timestamp too far ahead of our clock");
  }
  if (h.proposer != set_.leader(h.round)) return make_error(Errc::invalid_argument, "proposer is not the leader");
  if (epoch_end_ && h.height > *epoch_end_ && b.transaction_count != 0) {
    return make_error(Errc::invalid_argument, "transactions after the epoch's last height");
  }
  return ok_status();
}

void Core::on(const PayloadVerdict& e, Out& out) {
  auto it = verdicts_.find(e.block_id);
  if (it == verdicts_.end()) return drop(out, "verdict", "no pending validation");
  PendingVerdict v = it->second;
  verdicts_.erase(it);
  if (!e.ok) return warn(out, "application rejected the payload of round " + std::to_string(v.round));
  if (v.round != round_) return drop(out, "verdict", "round passed");
  try_vote(e.block_id, v.tc, out);
}

void Core::try_vote(const BlockId& id, const std::optional<TcSummary>& tc, Out& out) {
  if (!self_) return;
  const TreeBlock* b = tree_.find(id);
  if (b == nullptr || b->block.header.round != round_) return;
  auto qc = decode_qc(b->block.header.justify, set_.size());
  DOCKET_ASSERT(qc.ok());  // verified when the block was accepted
  VoteProposal vp{epoch_, round_, eround(*qc), tc};
  auto next = check_vote(safety_, vp, cfg_.faulty);
  if (!next) return drop(out, "vote", next.error().message);
  out.push_back(PersistBlock{id, b->block.header.height, b->block.bytes});
  const crypto::Signature sig = signer_->sign(vote_digest(cfg_.chain, epoch_, round_, id));
  Bytes vote = encode_vote(epoch_, round_, id, *self_, sig);
  next->last_vote = vote;
  if (vp.qc_round > safety_.locked_round) next->locked_qc = qc->bytes;
  next->round_tc = last_tc_round_ + 1 == round_ ? last_tc_ : Bytes{};
  const ValidatorIndex leader = set_.leader(round_ + 1);
  if (leader == *self_) {
    persist_then_send(std::move(next.value()), Diagnostic{Diagnostic::Level::debug, "vote to self"}, out);
    add_vote(id, round_, *self_, sig, out);
  } else {
    persist_then_send(std::move(next.value()), SendTo{leader, MessageKind::vote, std::move(vote)}, out);
  }
}

void Core::persist_then_send(SafetyState next, Action send, Out& out) {
  safety_ = std::move(next);
  if (cfg_.faulty.persist_order) {
    out.push_back(std::move(send));
    out.push_back(PersistSafety{safety_.encode()});
  } else {
    out.push_back(PersistSafety{safety_.encode()});
    out.push_back(std::move(send));
  }
}

// ---------------------------------------------------------------------------------------------------
// Votes and quorum certificates

void Core::on(const VoteReceived& e, Out& out) {
  auto v = decode_vote(e.bytes, limits_);
  if (!v) return drop(out, "vote", v.error().to_string());
  if (v->epoch < epoch_) announce_epoch_end(out);
  if (v->epoch != epoch_) return drop(out, "vote", "epoch " + std::to_string(v->epoch));
  if (v->voter >= set_.size()) return drop(out, "vote", "voter index out of range");
  if (v->round + 1 < round_) return drop(out, "vote", "stale round");
  if (v->round > round_ + cfg_.max_future_rounds) return drop(out, "vote", "far-future round");
  if (!verifier_.verify(set_.key(v->voter), vote_digest(cfg_.chain, v->epoch, v->round, v->block_id), v->signature)) {
    return drop(out, "vote", "bad signature");
  }
  add_vote(v->block_id, v->round, v->voter, v->signature, out);
}

void Core::add_vote(const BlockId& block_id, Round round, ValidatorIndex voter, const crypto::Signature& sig, Out& out) {
  VoteRound& vr = votes_[round];
  auto [it, fresh] = vr.voted.emplace(voter, block_id);
  if (!fresh) {
    if (it->second != block_id) {
      warn(out, "equivocation: validator " + std::to_string(voter) + " voted twice in round " + std::to_string(round));
    }
    return;
  }
  auto& sigs = vr.sigs[block_id];
  sigs.emplace(voter, sig);
  if (vr.qc_formed || sigs.size() < set_.quorum()) return;
  vr.qc_formed = true;
  Qc qc;
  qc.epoch = epoch_;
  qc.round = round;
  qc.block_id = block_id;
  qc.bytes = build_qc(epoch_, round, block_id, sigs, set_.size());
  process_qc(qc, voter, out);
}

void Core::process_qc(const Qc& qc, ValidatorIndex from, Out& out) {
  if (qc.epoch != epoch_) return;  // the previous epoch's root QC: nothing new
  if (qc.round > eround(seen_qc_)) seen_qc_ = qc;
  if (tree_.contains(qc.block_id)) {
    if (!tree_.is_root(qc.block_id)) {
      tree_.set_qc(qc.block_id, qc.bytes);
      if (qc.round > eround(high_qc_)) high_qc_ = qc;
      check_commit(qc.block_id, out);
    }
  } else if (qc.round > parent_round(tree_.root().id)) {
    fetch(qc.block_id, from, out, &qc.bytes);
  }
  // Commits implied by this QC go out now, before anything (a ValidatePayload) that relies on them.
  drain_commits(out);
  if (qc.epoch != epoch_) return;  // that commit ended the epoch
  advance_round(qc.round + 1, nullptr, out);
  maybe_propose(out);
}

void Core::process_tc(const Tc& tc, Out& out) {
  if (tc.epoch != epoch_) return;
  process_qc(tc.high_qc, set_.leader(tc.round), out);
  if (tc.epoch != epoch_) return;
  advance_round(tc.round + 1, &tc, out);
}

// ---------------------------------------------------------------------------------------------------
// Commit rule

void Core::check_commit(const BlockId& certified, Out& /*out*/) {
  const TreeBlock* b = tree_.find(certified);
  if (b == nullptr) return;
  BlockId target;
  if (cfg_.faulty.commit_rule) {
    target = certified;  // the broken 1-chain rule: commit as soon as certified
  } else {
    // 2-chain: the parent commits when its direct child, in the very next round, is certified.
    const BlockId& parent = b->block.header.parent_id;
    const TreeBlock* p = tree_.find(parent);
    if (p == nullptr || p->block.header.round + 1 != b->block.header.round) return;
    target = parent;
    if (epoch_end_ && p->block.header.height == *epoch_end_) {
      epoch_end_proof_ = encode_commit_proof(b->block.header_bytes, b->qc);
    }
  }
  const TreeBlock* t = tree_.find(target);
  if (commit_target_) {
    const TreeBlock* cur = tree_.find(*commit_target_);
    if (cur != nullptr && cur->block.header.height >= t->block.header.height) return;
  }
  commit_target_ = target;
  last_commit_proof_ = encode_commit_proof(b->block.header_bytes, b->qc);
}

void Core::drain_commits(Out& out) {
  if (starting_) return;
  if (proven_) {
    if (proven_->height <= tree_.root().height) {
      proven_.reset();
    } else if (tree_.contains(proven_->id)) {
      const TreeBlock* cur = commit_target_ ? tree_.find(*commit_target_) : nullptr;
      if (cur == nullptr || cur->block.header.height < proven_->height) {
        commit_target_ = proven_->id;
        last_commit_proof_ = proven_->proof;
      }
      proven_.reset();
    }
  }
  if (!commit_target_) return;
  if (!tree_.contains(*commit_target_) || tree_.is_root(*commit_target_)) {
    commit_target_.reset();
    return;
  }
  auto path = tree_.path_from_root(*commit_target_);
  Commit c;
  for (const TreeBlock* b : path) {
    if (c.blocks.size() >= cfg_.max_commit_batch) break;
    if (epoch_end_ && b->block.header.height > *epoch_end_) break;
    // Every block on the path has its QC (from its child's justify, or the commit proof); stop short
    // rather than trust a path that somehow lacks one.
    if (b->qc.empty()) {
      warn(out, "commit path block at height " + std::to_string(b->block.header.height) + " has no QC yet");
      break;
    }
    c.blocks.push_back(CommittedBlock{b->block.bytes, b->block.id, b->block.header.height, b->block.header.round,
                                      b->block.header.epoch, b->qc});
  }
  if (c.blocks.empty()) {
    commit_target_.reset();
    return;
  }
  const BlockId last = c.blocks.back().id;
  const Height last_height = c.blocks.back().height;
  commit_proof_ = last_commit_proof_;
  c.proof = commit_proof_;
  out.push_back(std::move(c));
  tree_.advance_root(last);
  prune_waiting();
  if (last == *commit_target_) commit_target_.reset();
  if (epoch_end_ && last_height == *epoch_end_) {
    commit_target_.reset();
    start_next_epoch(out);
  }
}

// ---------------------------------------------------------------------------------------------------
// Pacemaker

void Core::advance_round(Round r, const Tc* tc, Out& out, bool failed) {
  if (r <= round_) return;
  round_ = r;
  if (failed) {
    last_tc_.clear();
    last_tc_round_ = 0;
    backoff_exp_ = std::min<uint32_t>(backoff_exp_ + 1, kMaxBackoffExp);
  } else if (tc != nullptr && tc->round + 1 == r) {
    last_tc_ = tc->bytes;
    last_tc_round_ = tc->round;
    last_tc_high_qc_round_ = tc->max_high_qc_round;
    backoff_exp_ = std::min<uint32_t>(backoff_exp_ + 1, kMaxBackoffExp);
  } else {
    last_tc_.clear();
    last_tc_round_ = 0;
    backoff_exp_ = 0;
  }
  timeouts_in_round_ = 0;
  timeout_sent_ = false;
  own_proposal_.clear();
  deadline_ms_ = now_ms_ + timeout_duration_ms();
  votes_.erase(votes_.begin(), votes_.lower_bound(r - 1));
  timeouts_.erase(timeouts_.begin(), timeouts_.lower_bound(r));
  first_proposal_.erase(first_proposal_.begin(), first_proposal_.lower_bound(r));
  prune_waiting();
  if (cfg_.verbose) out.push_back(Diagnostic{Diagnostic::Level::debug, "enter round " + std::to_string(r)});
  maybe_propose(out);
}

void Core::maybe_propose(Out& out) {
  if (!self_ || set_.leader(round_) != *self_ || requested_round_ >= round_) return;
  // Already signed in this round (a restart forgot that we proposed): proposing again would equivocate.
  if (safety_.last_voted_round >= round_) return;
  const bool by_qc = eround(high_qc_) + 1 == round_;
  // After a TC, extend a QC at least as high as any in the TC (else voters refuse, rule R2b).
  const bool by_tc = !last_tc_.empty() && last_tc_round_ + 1 == round_ && eround(high_qc_) >= last_tc_high_qc_round_;
  if (!by_qc && !by_tc) return;
  if (!tree_.contains(high_qc_.block_id)) return;
  const Height height = tree_.height_of(high_qc_.block_id) + 1;
  requested_round_ = round_;
  out.push_back(RequestPayload{round_, high_qc_.block_id, height, epoch_end_ && height > *epoch_end_});
}

void Core::on(const PayloadReady& e, Out& out) {
  if (!self_ || e.round != round_ || requested_round_ != round_ || proposed_round_ >= round_) {
    return drop(out, "payload", "not awaited for round " + std::to_string(e.round));
  }
  if (!tree_.contains(high_qc_.block_id)) return drop(out, "payload", "parent no longer known");
  const Height height = tree_.height_of(high_qc_.block_id) + 1;
  if (epoch_end_ && height > *epoch_end_ && !e.transactions.empty()) {
    return warn(out, "payload must be empty at the end of an epoch");
  }
  Header h;
  h.epoch = epoch_;
  h.round = round_;
  h.height = height;
  h.parent_id = high_qc_.block_id;
  h.payload_hash = e.payload_hash;
  h.exec_height = e.exec_height;
  h.state_root = e.state_root;
  h.timestamp_ms = std::max(now_ms_, tree_.timestamp_of(h.parent_id));
  h.proposer = *self_;
  h.justify = high_qc_.bytes;
  const Bytes header = encode_header(h);
  const Bytes block = encode_block(header, e.transactions);
  const crypto::Signature sig = signer_->sign(proposal_digest(cfg_.chain, header));
  const bool by_qc = eround(high_qc_) + 1 == round_;
  const Bytes no_bytes;
  // In steady state our latest commit proof is the parent's header and its QC: the proposal itself
  // (parent + justify) tells receivers the same, so the proof would only double its size.
  const bool proof_implied = commit_proof_child() == high_qc_.block_id;
  Bytes proposal = encode_proposal(block, by_qc ? no_bytes : last_tc_, sig, proof_implied ? no_bytes : commit_proof_);
  proposed_round_ = round_;
  own_proposal_ = proposal;
  proposal_resends_ = 0;
  proposal_resend_ms_ = now_ms_ + timeout_duration_ms() / 2;
  out.push_back(Broadcast{MessageKind::proposal, proposal});
  process_proposal(proposal, *self_, true, out);
}

void Core::on(const Tick& e, Out& out) {
  if (e.now_ms < now_ms_) return;
  now_ms_ = e.now_ms;
  if (!clock_started_) {
    clock_started_ = true;
    deadline_ms_ = now_ms_ + timeout_duration_ms();
  }
  if (now_ms_ >= deadline_ms_) local_timeout(out);
  resend_proposal(out);
  for (auto& [id, f] : fetching_) {
    if (now_ms_ < f.asked_ms + cfg_.fetch_retry_ms * std::min<size_t>(1 + f.attempts / set_.size(), 8)) continue;
    // Ask the next validator in turn: the first one may be faulty or partitioned away.
    f.from = static_cast<ValidatorIndex>((f.from + 1) % set_.size());
    if (self_ && f.from == *self_) f.from = static_cast<ValidatorIndex>((f.from + 1) % set_.size());
    f.asked_ms = now_ms_;
    ++f.attempts;
    out.push_back(FetchBlock{id, f.from});
  }
}

// A round's QC needs 2f + 1 votes, so with f validators silent every honest one must get the proposal;
// under message loss one lost copy would cost the round (and a 2-chain needs two rounds in a row). So
// while the round lasts and it has not timed out in it, the leader sends its proposal again halfway to
// the round's timeout and once more at three quarters. Duplicates cost receivers one lookup.
void Core::resend_proposal(Out& out) {
  if (own_proposal_.empty() || proposed_round_ != round_ || timeout_sent_ || proposal_resends_ >= 2) return;
  if (now_ms_ < proposal_resend_ms_) return;
  ++proposal_resends_;
  proposal_resend_ms_ = now_ms_ + timeout_duration_ms() / 4;
  out.push_back(Broadcast{MessageKind::proposal, own_proposal_});
}

// A replica still in the previous epoch cannot learn from this epoch's messages that its epoch ended
// (their commit proofs are of this epoch, which it does not know yet), and the announcement made when
// the epoch started may have been lost. Its messages (it keeps timing out) say it is behind: announce
// the end again, at most once per base timeout.
void Core::announce_epoch_end(Out& out) {
  if (epoch_proof_.empty() || (announced_ms_ && now_ms_ < *announced_ms_ + cfg_.timeout_base_ms)) return;
  announced_ms_ = now_ms_;
  out.push_back(Broadcast{MessageKind::proposal, encode_commit_announcement(epoch_proof_)});
}

// The next leader may not have gathered this TC itself (lost timeouts); without it, it would propose
// only after its own timer, when the others may have given up on the round again. So pass it on,
// attached to our own (already signed) timeout of the TC's round.
void Core::forward_tc(const Tc& tc, Out& out) {
  if (!self_ || tc.round + 1 != round_ || set_.leader(round_) == *self_ || safety_.last_timeout.empty()) return;
  auto mine = decode_timeout(safety_.last_timeout, limits_);
  if (!mine || mine->epoch != epoch_ || mine->round != tc.round) return;
  out.push_back(SendTo{set_.leader(round_), MessageKind::timeout,
                       encode_timeout(mine->epoch, mine->round, mine->high_qc_round, mine->sender, mine->signature,
                                      mine->high_qc, tc.bytes, commit_proof_)});
}

void Core::local_timeout(Out& out) {
  ++timeouts_in_round_;
  deadline_ms_ = now_ms_ + retransmit_interval_ms();
  if (!self_) return;
  // Our vote of this round may have been lost on the way to the next leader: give it to everyone, so
  // whoever gathers a quorum forms the QC (and the round can still end with a QC instead of a TC).
  if (!safety_.last_vote.empty()) {
    auto v = decode_vote(safety_.last_vote, limits_);
    if (v && v->epoch == epoch_ && v->round == round_) out.push_back(Broadcast{MessageKind::vote, safety_.last_vote});
  }
  // One timeout per round: a restarted or retrying replica resends the one it signed.
  if (!safety_.last_timeout.empty()) {
    auto t = decode_timeout(safety_.last_timeout, limits_);
    if (t && t->epoch == epoch_ && t->round == round_) {
      timeout_sent_ = true;
      out.push_back(Broadcast{MessageKind::timeout, safety_.last_timeout});
      return;
    }
  }
  // The highest QC we know, even if its block is still being fetched: it is what proves our round.
  const Qc* hqc = eround(seen_qc_) > eround(high_qc_) ? &seen_qc_ : &high_qc_;
  std::optional<Qc> locked;
  if (!safety_.locked_qc.empty()) {
    auto q = decode_qc(safety_.locked_qc, set_.size());
    if (q && q->epoch == epoch_ && q->round > eround(*hqc)) {
      locked = std::move(q.value());
      hqc = &*locked;
    }
  }
  auto next = check_timeout(safety_, TimeoutRequest{epoch_, round_, eround(*hqc)});
  if (!next) return warn(out, "no timeout: " + next.error().message);
  const crypto::Signature sig = signer_->sign(timeout_digest(cfg_.chain, epoch_, round_, eround(*hqc)));
  const Bytes no_bytes;
  const Bytes& tc = last_tc_round_ + 1 == round_ ? last_tc_ : no_bytes;
  Bytes msg = encode_timeout(epoch_, round_, eround(*hqc), *self_, sig, hqc->bytes, tc, commit_proof_);
  next->last_timeout = msg;
  if (eround(*hqc) > safety_.locked_round) next->locked_qc = hqc->bytes;
  next->round_tc = tc;
  timeout_sent_ = true;
  persist_then_send(std::move(next.value()), Broadcast{MessageKind::timeout, msg}, out);
  process_timeout(msg, *self_, out);
}

// ---------------------------------------------------------------------------------------------------
// Timeouts and timeout certificates

void Core::on(const TimeoutReceived& e, Out& out) { process_timeout(e.bytes, e.from, out); }

void Core::process_timeout(ByteView bytes, ValidatorIndex from, Out& out) {
  auto t = decode_timeout(bytes, limits_);
  if (!t) return drop(out, "timeout", t.error().to_string());
  if (!t->commit_proof.empty()) process_commit_proof(t->commit_proof, from, out);
  if (t->epoch < epoch_) announce_epoch_end(out);
  if (t->epoch != epoch_) return drop(out, "timeout", "epoch " + std::to_string(t->epoch));
  if (t->sender >= set_.size()) return drop(out, "timeout", "sender index out of range");
  // Certificates first: they are self-authenticating and let a lagging replica catch up. Only those
  // that would teach us something are verified, so replays cost little.
  std::optional<Qc> hqc;
  auto claimed = decode_qc(t->high_qc, set_.size());
  if (!claimed) return drop(out, "timeout", "high QC: " + claimed.error().to_string());
  if (eround(*claimed) != t->high_qc_round) return drop(out, "timeout", "high QC round mismatch");
  TimeoutRound* tr = nullptr;
  const bool collect = t->round >= round_ && t->round <= round_ + cfg_.max_future_rounds;
  if (collect) tr = &timeouts_[t->round];
  const bool teaches = t->high_qc_round > eround(high_qc_) || (t->high_qc_round > parent_round(tree_.root().id) &&
                                                                !tree_.contains(claimed->block_id));
  const bool best = tr != nullptr && (tr->best_qc.empty() || t->high_qc_round > tr->best_round);
  if (teaches || best) {
    auto v = verify_qc(t->high_qc, ctx());
    if (!v) return drop(out, "timeout", "high QC: " + v.error().to_string());
    hqc = std::move(v.value());
    process_qc(*hqc, from, out);
  }
  if (!t->last_tc.empty()) {
    // Any TC that would move us forward (it is self-authenticating; its round is only peeked first).
    auto r = peek_tc_round(t->last_tc, set_.size());
    if (r && *r >= round_) {
      auto v = verify_tc(t->last_tc, ctx());
      if (v) process_tc(*v, out);
    }
  }
  if (t->epoch != epoch_) return drop(out, "timeout", "its epoch ended");
  if (t->round < round_ || !collect) return drop(out, "timeout", "round outside the window");
  tr = &timeouts_[t->round];  // process_* may have pruned or moved entries
  if (!verifier_.verify(set_.key(t->sender), timeout_digest(cfg_.chain, t->epoch, t->round, t->high_qc_round),
                        t->signature)) {
    return drop(out, "timeout", "bad signature");
  }
  if (!tr->shares.emplace(t->sender, TimeoutShare{t->high_qc_round, t->signature}).second) return;
  if (hqc && (tr->best_qc.empty() || t->high_qc_round > tr->best_round)) {
    tr->best_round = t->high_qc_round;
    tr->best_qc = hqc->bytes;
  }
  const size_t count = tr->shares.size();
  const Round round = t->round;
  if (!tr->tc_formed && count >= set_.quorum()) {
    tr->tc_formed = true;
    auto tcb = build_tc(epoch_, round, tr->shares, tr->best_qc, set_.size());
    auto tc = verify_tc(tcb, ctx());  // built from verified parts; checked again rather than trusted
    if (!tc) return warn(out, "formed an invalid TC: " + tc.error().to_string());
    process_tc(*tc, out);
    forward_tc(*tc, out);
    return;
  }
  // f + 1 timeouts mean at least one honest replica gave up on this round: join it (Bracha-style),
  // even from an earlier round. Replicas that reached a round by different means (a restart, a TC
  // that did not reach everyone) so meet again in one round and can form its TC.
  if (count < set_.max_faulty() + 1 || (round == round_ && timeout_sent_)) return;
  if (round > round_) advance_round(round, nullptr, out, /*failed=*/true);
  if (round == round_ && !timeout_sent_) local_timeout(out);
}

// ---------------------------------------------------------------------------------------------------
// Block fetch

void Core::fetch(const BlockId& id, ValidatorIndex from, Out& out, const Bytes* qc) {
  if (auto it = fetching_.find(id); it != fetching_.end()) {
    if (qc != nullptr && it->second.qc.empty()) it->second.qc = *qc;
    return;
  }
  if (fetching_.size() >= kMaxFetches) return;
  if (from >= set_.size()) from = 0;
  if (self_ && from == *self_) from = static_cast<ValidatorIndex>((from + 1) % set_.size());
  Round round = 0;
  if (qc != nullptr) {
    if (auto q = decode_qc(*qc, set_.size()); q) round = eround(*q);
  }
  fetching_[id] = Fetch{from, now_ms_, 0, qc != nullptr ? *qc : Bytes{}, round};
  out.push_back(FetchBlock{id, from});
}

void Core::on(const BlockFetched& e, Out& out) { process_certified_block(e.bytes, e.from, false, out); }

// A block from a peer's answer to FetchBlock, from a commit proof's fetch, or (trusted) from our own
// storage or waiting list. Its id authenticates it when we asked for it; otherwise its QC must.
void Core::process_certified_block(ByteView bytes, ValidatorIndex from, bool trusted, Out& out) {
  auto cb = decode_certified_block(bytes, cfg_.chain, limits_);
  if (!cb) return drop(out, "fetched block", cb.error().to_string());
  const BlockView& b = cb->block;
  if (b.header.epoch != epoch_) return drop(out, "fetched block", "epoch " + std::to_string(b.header.epoch));
  std::optional<Qc> qc;
  if (!cb->qc.empty()) {
    auto v = trusted ? decode_qc(cb->qc, set_.size()) : verify_qc(cb->qc, ctx());
    if (!v) return drop(out, "fetched block", "qc: " + v.error().to_string());
    if (v->block_id != b.id || v->round != b.header.round) return drop(out, "fetched block", "qc is for another block");
    qc = std::move(v.value());
  }
  auto f = fetching_.find(b.id);
  const bool solicited = f != fetching_.end();
  if (solicited) {
    if (!qc && !f->second.qc.empty()) {
      auto v = decode_qc(f->second.qc, set_.size());  // verified when it made us fetch
      if (v && v->block_id == b.id) qc = std::move(v.value());
    }
    fetching_.erase(f);
  }
  if (!qc && !solicited && !trusted) return drop(out, "fetched block", "uncertified and not asked for");
  if (tree_.contains(b.id)) {
    if (qc) process_qc(*qc, from, out);
    return;
  }
  if (b.header.height <= tree_.root().height) return drop(out, "fetched block", "already committed height");
  auto justify = verify_qc(b.header.justify, ctx());
  if (!justify) return drop(out, "fetched block", "justify: " + justify.error().to_string());
  if (justify->block_id != b.header.parent_id) return drop(out, "fetched block", "justify is not the parent's");
  if (!tree_.contains(b.header.parent_id)) {
    // Keep it (with its QC) until the parent arrives; it is vetted now, so it comes back trusted.
    Bytes keep = encode_certified_block(b.bytes, qc ? qc->bytes : Bytes{});
    wait_for_parent(b.header.parent_id, Waiting{b.header.round, b.header.height, false, std::move(keep)}, out);
    fetch(b.header.parent_id, from, out, &justify->bytes);
    return;
  }
  if (Status s = validate_child(b, false); !s) return drop(out, "fetched block", s.error().to_string());
  if (tree_.size() >= cfg_.max_pending_blocks) tree_.evict_one(high_qc_.block_id);
  if (Status s = tree_.insert(b); !s) return drop(out, "fetched block", s.error().to_string());
  tree_.set_qc(b.header.parent_id, justify->bytes);
  if (qc) tree_.set_qc(b.id, qc->bytes);
  process_qc(*justify, from, out);
  if (qc) process_qc(*qc, from, out);
  retry_waiting(b.id, out);
}

void Core::wait_for_parent(const BlockId& parent, Waiting w, Out& out) {
  if (waiting_count_ >= cfg_.max_pending_blocks / 2) return drop(out, "block", "too many blocks waiting for parents");
  waiting_[parent].push_back(std::move(w));
  ++waiting_count_;
}

void Core::retry_waiting(const BlockId& parent, Out& out) {
  auto it = waiting_.find(parent);
  if (it == waiting_.end()) return;
  std::vector<Waiting> items = std::move(it->second);
  waiting_.erase(it);
  waiting_count_ -= items.size();
  for (const Waiting& w : items) {
    if (w.proposal) process_proposal(w.bytes, set_.leader(round_), false, out);
    else process_certified_block(w.bytes, set_.leader(round_), true, out);
  }
}

void Core::prune_waiting() {
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    auto& v = it->second;
    const size_t before = v.size();
    std::erase_if(v, [&](const Waiting& w) {
      return w.height <= tree_.root().height || (w.proposal && w.round < round_);
    });
    waiting_count_ -= before - v.size();
    it = v.empty() ? waiting_.erase(it) : std::next(it);
  }
  for (auto it = fetching_.begin(); it != fetching_.end();) {
    // A block certified above our root is on some honest voter's disk: keep asking (ever more slowly).
    // Give up only on blocks that no longer matter or after very many attempts.
    const bool stale = it->second.round != 0 && it->second.round <= parent_round(tree_.root().id);
    it = stale || it->second.attempts > 64 ? fetching_.erase(it) : std::next(it);
  }
}

// ---------------------------------------------------------------------------------------------------
// Epochs

void Core::on(const EpochChange& e, Out& out) {
  if (e.next.size() == 0) return warn(out, "epoch change with an empty validator set ignored");
  if (e.effective_after == tree_.root().height && tree_.root().epoch == epoch_ && !epoch_end_) {
    // We committed the epoch's last block and restarted before the next epoch began (the driver had
    // not stored EpochStarted yet): begin it now, or we would commit blocks after the epoch's end.
    epoch_end_ = e.effective_after;
    next_set_ = e.next;
    return start_next_epoch(out);
  }
  if (e.effective_after <= tree_.root().height) {
    return warn(out, "epoch change after height " + std::to_string(e.effective_after) + " arrived too late");
  }
  if (epoch_end_ && *epoch_end_ != e.effective_after) return warn(out, "a different epoch change is already pending");
  epoch_end_ = e.effective_after;
  next_set_ = e.next;
  out.push_back(Diagnostic{Diagnostic::Level::info, "epoch " + std::to_string(epoch_ + 1) + " scheduled after height " +
                                                        std::to_string(e.effective_after)});
}

void Core::start_next_epoch(Out& out) {
  DOCKET_ASSERT(epoch_end_ && tree_.root().height == *epoch_end_);
  ++epoch_;
  set_ = next_set_;
  next_set_ = ValidatorSet();
  epoch_end_.reset();
  self_ = signer_ ? set_.index_of(signer_->public_key()) : std::nullopt;
  limits_.validators = set_.size();
  // The new epoch's first blocks are justified by a QC of the root, accepted by byte equality (it was
  // signed by the previous validator set). Replicas hold different, equally valid QCs of the root
  // (different signers), so each would refuse the others' blocks: name the root instead with a
  // signature-less root QC that every replica derives alike. The root is committed, so nothing is lost.
  RootInfo root = tree_.root();
  keep_epoch_proof();
  root_qc_ = make_root_qc(root.epoch, root.round, root.id);
  root.qc = root_qc_;
  tree_.reset_root(root);
  auto rq = decode_qc(root_qc_, kMaxValidators);
  DOCKET_ASSERT(rq.ok());
  high_qc_ = std::move(rq.value());
  seen_qc_ = high_qc_;
  round_ = 0;
  last_tc_.clear();
  last_tc_round_ = 0;
  backoff_exp_ = 0;
  requested_round_ = 0;
  proposed_round_ = 0;
  own_proposal_.clear();
  votes_.clear();
  timeouts_.clear();
  verdicts_.clear();
  first_proposal_.clear();
  fetching_.clear();
  waiting_.clear();
  waiting_count_ = 0;
  safety_ = SafetyState::fresh(epoch_);
  // The epoch before the safety record of it: a crash between the two must not leave a record of an
  // epoch the driver does not know it entered (the older record is simply replaced on restart).
  out.push_back(EpochStarted{epoch_, set_, root.height, commit_proof_});
  out.push_back(PersistSafety{safety_.encode()});
  // Replicas still in the old epoch may not know it ended (only we saw the deciding QC): tell them.
  announced_ms_ = now_ms_;
  out.push_back(Broadcast{MessageKind::proposal, encode_commit_announcement(commit_proof_)});
  advance_round(1, nullptr, out);
}

// The ended epoch's proof, for replicas still in it: of exactly its last block when we have one. Else
// it proves a later (empty) block of that epoch, which nobody else keeps once the new epoch starts, so
// we keep the blocks from the last one up to it and serve them (block_for_peer).
void Core::keep_epoch_proof() {
  if (!epoch_end_proof_.empty()) commit_proof_ = epoch_end_proof_;
  epoch_end_proof_.clear();
  epoch_proof_ = commit_proof_;
  epoch_tail_.clear();
  auto p = decode_commit_proof(epoch_proof_, cfg_.chain, limits_);
  if (!p) return;
  const BlockId& proven = p->child.header.parent_id;
  if (tree_.is_root(proven) || !tree_.contains(proven)) return;
  for (const TreeBlock* b : tree_.path_from_root(proven)) {
    if (epoch_tail_.size() >= kMaxEpochTail) break;
    epoch_tail_.emplace(b->block.id, encode_certified_block(b->block.bytes, b->qc));
  }
}

std::optional<BlockId> Core::commit_proof_child() const {
  if (commit_proof_.empty()) return std::nullopt;
  auto p = decode_commit_proof(commit_proof_, cfg_.chain, limits_);
  if (!p) return std::nullopt;
  return p->child.id;
}

void Core::process_commit_proof(ByteView proof, ValidatorIndex from, Out& out) {
  auto p = decode_commit_proof(proof, cfg_.chain, limits_);
  if (!p) return drop(out, "commit proof", p.error().to_string());
  const Header& h = p->child.header;
  // Only proofs that teach us something are verified: a proof of our own epoch above our root.
  if (h.epoch != epoch_ || h.height <= tree_.root().height + 1) return;
  if (proven_ && proven_->height >= h.height - 1) {
    // Keep fetching the block we were shown unless every validator was asked for it in vain (a block
    // above an epoch's end is dropped once the next epoch starts): then try this proof instead.
    auto f = fetching_.find(proven_->id);
    const bool stuck = f != fetching_.end() ? f->second.attempts >= set_.size() : !tree_.contains(proven_->id);
    if (!stuck || h.parent_id == proven_->id) return;
  }
  auto qc = verify_qc(p->qc, ctx());
  if (!qc) return drop(out, "commit proof", "qc: " + qc.error().to_string());
  if (qc->block_id != p->child.id || qc->round != h.round) return drop(out, "commit proof", "qc is for another block");
  auto justify = verify_qc(h.justify, ctx());
  if (!justify) return drop(out, "commit proof", "justify: " + justify.error().to_string());
  if (justify->block_id != h.parent_id || eround(*justify) + 1 != h.round) {
    return drop(out, "commit proof", "not a 2-chain");
  }
  proven_ = Proven{h.parent_id, h.height - 1, Bytes(proof.begin(), proof.end())};
  if (epoch_end_ && h.height - 1 == *epoch_end_) epoch_end_proof_ = proven_->proof;
  if (tree_.contains(h.parent_id)) {
    tree_.set_qc(h.parent_id, justify->bytes);
  } else {
    fetch(h.parent_id, from, out, &justify->bytes);
  }
  drain_commits(out);
}

}  // namespace docket::consensus
