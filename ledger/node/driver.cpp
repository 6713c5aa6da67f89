#include "ledger/node/driver.h"

#include <algorithm>
#include <chrono>
#include <set>

#include <spdlog/spdlog.h>

#include "consensus/messages.h"
#include "contracts/queries.h"
#include "ledger/crypto/sha256.h"
#include "ledger/node/chain.h"
#include "ledger/node/epoch_chain.h"
#include "ledger/primitives/merkle.h"
#include "ledger/proto/consensus.pb.h"

namespace docket::node {

using namespace consensus;

namespace {

constexpr size_t kMaxInFlight = 4096;
constexpr size_t kMaxVerifiedPayloads = 8;
// Transactions a leader puts in one block: well below the core's limits, so a block executes quickly.
constexpr size_t kMaxBlockTxs = 2000;
constexpr size_t kMaxBlockBytes = 2u << 20;
// Any transaction admission accepts must fit in a block on its own, or it would wait forever.
static_assert(primitives::kMaxTxBytes <= kMaxBlockBytes);
// How long a leader with nothing to propose waits before proposing an empty block.
constexpr uint64_t kEmptyBlockDelayMs = 500;

const ByteView kSafetyKey(kSafetyStateKey, sizeof kSafetyStateKey);

Bytes voted_key(const BlockId& id) {
  Bytes k(1 + id.size());
  k[0] = 'b';
  std::copy(id.begin(), id.end(), k.begin() + 1);
  return k;
}

p2p::MessageType wire_type(MessageKind k) {
  switch (k) {
    case MessageKind::proposal: return p2p::MessageType::proposal;
    case MessageKind::vote: return p2p::MessageType::vote;
    case MessageKind::timeout: return p2p::MessageType::timeout;
  }
  return p2p::MessageType::proposal;
}

std::string short_id(const Hash32& id) { return to_hex(id).substr(0, 12); }

}  // namespace

std::string meta_keys::certified_by(uint64_t exec_height) { return "exec/" + std::to_string(exec_height); }

Driver::Driver(Deps deps, crypto::SecretKey key)
    : d_(std::move(deps)),
      chain_id_{d_.genesis.chain_id, d_.genesis_hash},
      key_(std::move(key)),
      self_key_(key_.public_key()),
      blocks_(d_.store),
      meta_(d_.store),
      hwm_file_(d_.config.data_dir),
      rng_(std::random_device{}()),
      m_height_(d_.metrics.gauge("docket_height", "Committed block height")),
      m_round_(d_.metrics.gauge("docket_round", "Current consensus round")),
      m_epoch_(d_.metrics.gauge("docket_epoch", "Current consensus epoch")),
      m_commits_(d_.metrics.counter("docket_commits_total", "Blocks committed")),
      m_committed_txs_(d_.metrics.counter("docket_committed_transactions_total", "Transactions in committed blocks")),
      m_proposals_(d_.metrics.counter("docket_proposals_total", "Proposals this node broadcast as leader")),
      m_timeouts_(d_.metrics.counter("docket_timeouts_total", "Timeout messages this node broadcast")),
      m_synced_blocks_(d_.metrics.counter("docket_synced_blocks_total", "Blocks applied by block sync")),
      m_commit_seconds_(d_.metrics.histogram("docket_commit_interval_seconds", "Time between two commits",
                                             metrics::latency_buckets_seconds())),
      m_mark_write_seconds_(d_.metrics.histogram("docket_high_water_mark_write_seconds",
                                                 "Time to write the high-water mark file before a vote or timeout",
                                                 metrics::latency_buckets_seconds())) {}

Driver::~Driver() = default;

uint64_t Driver::empty_block_delay_ms() const { return std::min<uint64_t>(kEmptyBlockDelayMs, ccfg_.timeout_base_ms / 2); }

Limits Driver::limits() const {
  Limits l;
  l.validators = std::max<size_t>(1, ccfg_.validators.size());
  l.max_payload_bytes = ccfg_.max_payload_bytes;
  l.max_transactions = ccfg_.max_transactions;
  return l;
}

// ------------------------------------------------------------------------------------------ restore

Status Driver::restore() {
  ccfg_.chain = chain_id_;
  ccfg_.timeout_base_ms = static_cast<uint64_t>(d_.config.consensus.round_timeout.count());
  ccfg_.timeout_cap_ms = static_cast<uint64_t>(d_.config.consensus.round_timeout_max.count());
  ccfg_.validators = validator_set_of(d_.genesis);
  ccfg_.epoch = 0;
  DOCKET_ASSERT(ccfg_.max_payload_bytes >= primitives::kMaxTxBytes);  // see kMaxBlockBytes

  auto epoch = meta_.get_u64(meta_keys::kEpoch);
  if (!epoch) return epoch.error();
  Bytes epoch_proof;
  if (*epoch) {
    ccfg_.epoch = **epoch;
    auto set_bytes = meta_.get_bytes(meta_keys::kEpochValidators);
    if (!set_bytes) return set_bytes.error();
    pb::ValidatorSet set;
    if (!*set_bytes || !set.ParseFromArray((*set_bytes)->data(), static_cast<int>((*set_bytes)->size())))
      return make_error(Errc::corruption, "the stored validator set of epoch " + std::to_string(**epoch) + " is unreadable");
    ccfg_.validators = validator_set_of(set);
    auto proof = meta_.get_bytes(meta_keys::kEpochProof);
    if (!proof) return proof.error();
    epoch_proof = proof->value_or(Bytes{});
    // Where each epoch began, to serve block sync across boundaries. A database written before the
    // epoch chain existed lacks the records: it still runs, but cannot help others cross.
    for (uint64_t e = 1; e <= **epoch; ++e) {
      auto rec = meta_.get_bytes(epoch_change_key(e));
      if (!rec) return rec.error();
      pb::EpochChangeProof p;
      if (!*rec || !p.ParseFromArray((*rec)->data(), static_cast<int>((*rec)->size()))) {
        spdlog::warn("consensus: no record of the change to epoch {}; offline proofs and block sync across it are unavailable", e);
        continue;
      }
      epoch_starts_[p.start_after()] = e;
    }
  }
  ccfg_.self = ccfg_.validators.index_of(self_key_);

  // Safety state: what this validator signed last, never to be contradicted.
  auto s = d_.store.get(storage::Column::safety, kSafetyKey);
  if (!s) return s.error();
  safety_ = SafetyState::fresh(ccfg_.epoch);
  if (*s) {
    auto decoded = SafetyState::decode(**s);
    if (!decoded) return make_error(Errc::corruption, "the stored safety state does not decode: " + decoded.error().message);
    if (decoded->epoch > ccfg_.epoch)
      return make_error(Errc::corruption, "the safety state is of epoch " + std::to_string(decoded->epoch) +
                                              ", later than the stored epoch " + std::to_string(ccfg_.epoch));
    if (decoded->epoch == ccfg_.epoch) safety_ = std::move(*decoded);
  }

  // The committed tip: the last stored block and its certificate, or genesis.
  auto h = blocks_.latest_height();
  if (!h) return h.error();
  if (!*h) {
    tip_ = CommittedTip::genesis(d_.genesis_hash, 0, d_.genesis.genesis_time_ms);
    tip_exec_height_ = 0;
  } else {
    auto b = blocks_.block_by_height(**h);
    if (!b) return b.error();
    if (!*b) return make_error(Errc::corruption, "block " + std::to_string(**h) + " is missing");
    auto cert = blocks_.certificate((*b)->id);
    if (!cert) return cert.error();
    if (!*cert) return make_error(Errc::corruption, "the certificate of block " + std::to_string(**h) + " is missing");
    auto v = decode_block((*b)->block, chain_id_, limits());
    if (!v) return make_error(Errc::corruption, "stored block " + std::to_string(**h) + ": " + v.error().message);
    tip_ = CommittedTip{};
    tip_.id = v->id;
    tip_.height = v->header.height;
    tip_.round = v->header.round;
    tip_.epoch = v->header.epoch;
    tip_.timestamp_ms = v->header.timestamp_ms;
    tip_.qc = std::move(**cert);
    tip_exec_height_ = v->header.exec_height;
  }
  if (*epoch) tip_.epoch_proof = epoch_proof;  // kept for the whole epoch (CommittedTip::epoch_proof)
  auto commit_proof = meta_.get_bytes(meta_keys::kCommitProof);
  if (!commit_proof) return commit_proof.error();
  tip_.commit_proof = commit_proof->value_or(Bytes{});
  last_certified_exec_ = tip_exec_height_;

  auto pending_after = meta_.get_u64(meta_keys::kPendingAfter);
  if (!pending_after) return pending_after.error();
  // Equal: the epoch's last block was committed but the crash came before EpochStarted was stored; the
  // core starts the next epoch when it gets the change again.
  if (*pending_after && **pending_after >= tip_.height) {
    auto set_bytes = meta_.get_bytes(meta_keys::kPendingSet);
    if (!set_bytes) return set_bytes.error();
    pb::ValidatorSet set;
    if (*set_bytes && set.ParseFromArray((*set_bytes)->data(), static_cast<int>((*set_bytes)->size())))
      pending_change_ = EpochChange{validator_set_of(set), **pending_after};
  }

  // Voted blocks still above the tip (PersistBlock), handed back to the core.
  Bytes prefix{'b'}, end{'c'};
  Status st = d_.store.scan(storage::Column::safety, prefix, end, [&](ByteView k, ByteView v) {
    if (k.size() == 33 && v.size() >= 8) {
      BlockId id{};
      std::copy(k.begin() + 1, k.end(), id.begin());
      uint64_t height = 0;
      for (size_t i = 0; i < 8; ++i) height = (height << 8) | v[i];
      voted_[id] = height;
    }
    return true;
  });
  return st;
}

std::vector<Bytes> Driver::stored_voted_blocks() const {
  std::vector<Bytes> out;
  for (const auto& [id, height] : voted_) {
    if (height <= tip_.height) continue;
    auto v = d_.store.get(storage::Column::safety, voted_key(id));
    if (v.ok() && *v && (*v)->size() > 8) out.emplace_back((*v)->begin() + 8, (*v)->end());
  }
  return out;
}

void Driver::make_core() {
  // A validator recovering from a store behind its mark runs as an observer: no votes, timeouts or
  // proposals, only certified blocks followed.
  Config cfg = ccfg_;
  if (recovering_) cfg.self.reset();
  std::unique_ptr<Signer> signer;
  if (cfg.self) {
    auto sk = crypto::SecretKey::from_bytes(key_.secret_bytes());
    DOCKET_ASSERT(sk.ok());
    signer = std::make_unique<KeySigner>(std::move(*sk));
  }
  SafetyState safety = core_ ? core_->safety() : safety_;
  if (floor_) safety = at_least_mark(std::move(safety), *floor_);
  core_ = std::make_unique<Core>(cfg, std::move(safety), tip_, verifier_, std::move(signer), stored_voted_blocks());
  change_to_feed_ = false;
  deferred_payload_.reset();
  const bool nested = running_;
  running_ = true;
  carry_out(core_->start());
  if (pending_change_ && pending_change_->effective_after > tip_.height) events_.push_back(*pending_change_);
  running_ = nested;
  drain();
}

Status Driver::start(uint64_t now_ms) {
  now_ms_ = now_ms;
  last_commit_ms_ = now_ms;
  DOCKET_TRY(restore());
  DOCKET_TRY(check_mark());
  spdlog::info("consensus: starting at height {} (block {}), epoch {}, {} validators, {}", tip_.height, short_id(tip_.id),
               ccfg_.epoch, ccfg_.validators.size(),
               ccfg_.self ? "validator " + std::to_string(*ccfg_.self) + (recovering_ ? " (not voting)" : "")
                          : std::string("not a validator (observer)"));
  make_core();
  feed(Tick{now_ms});
  return ok_status();
}

// ------------------------------------------------------------------------------------ event loop

void Driver::feed(Event event) {
  events_.push_back(std::move(event));
  drain();
}

// Events raised while actions are carried out (payloads, verdicts, epoch changes) wait until the
// current action vector is done, so every vector is carried out in order.
void Driver::drain() {
  if (running_) return;
  running_ = true;
  while (!events_.empty() && !failed_) {
    Event e = std::move(events_.front());
    events_.pop_front();
    carry_out(core_->handle(e));
  }
  events_.clear();
  running_ = false;
  publish_status();
}

void Driver::carry_out(std::vector<Action> actions) {
  for (Action& a : actions) {
    if (failed_) return;  // nothing after a failed write may happen
    std::visit([this](auto& x) { act(x); }, a);
  }
}

void Driver::on_tick(uint64_t now_ms) {
  if (failed_) return;
  now_ms_ = std::max(now_ms_, now_ms);
  if (deferred_payload_ && (d_.mempool.size() > 0 || now_ms_ - deferred_since_ms_ >= empty_block_delay_ms())) {
    RequestPayload a = *deferred_payload_;
    deferred_payload_.reset();
    if (a.round >= core_->round()) answer_payload(a);
  }
  feed(Tick{now_ms_});
  maybe_sync(now_ms_);
  maybe_end_recovery();
}

// ------------------------------------------------------------------------------ high-water mark

Status Driver::check_mark() {
  auto c = check_high_water_mark(d_.store, hwm_file_);
  if (!c) return c.error();
  mark_ = c->mark;
  if (c->created) spdlog::warn("storage: {}", c->message);
  if (c->behind) {
    spdlog::error("storage: {}", c->message);
    recovering_ = c->mark;
    floor_ = c->mark;
  }
  return ok_status();
}

// Called once the safety state is synced in the store and before the vote or timeout it covers is
// carried out: a crash in between leaves the store ahead of the mark, never behind it.
void Driver::raise_mark(ByteView safety_state) {
  auto s = SafetyState::decode(safety_state);
  DOCKET_ASSERT_MSG(s.ok(), "the core persisted a safety state that does not decode");
  const HighWaterMark next = mark_.advanced(s->epoch, s->last_voted_round, tip_.height);
  if (next == mark_) return;
  const auto t0 = std::chrono::steady_clock::now();
  Status st = hwm_file_.write(next);
  m_mark_write_seconds_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (!st.ok()) {
    failed_ = true;  // nothing the mark does not cover may leave
    spdlog::critical("storage: writing the high-water mark failed: {}; stopping", st.error().to_string());
    d_.on_fatal("writing the high-water mark failed: " + st.error().message);
    return;
  }
  mark_ = next;
}

void Driver::maybe_end_recovery() {
  if (!recovering_ || failed_) return;
  if (!recovered(*recovering_, ccfg_.epoch, tip_.height, tip_.round, tip_.epoch)) return;
  spdlog::info("storage: re-synced past the high-water mark (committed {} > {}, round {} of epoch {}): voting again",
               tip_.height, recovering_->committed_height, tip_.round, tip_.epoch);
  recovering_.reset();
  make_core();
}

Status Driver::write_synced(const storage::WriteBatch& batch, const char* what) {
  Status st = d_.store.write(batch, /*sync=*/true);
  if (!st.ok() && !failed_) {
    failed_ = true;
    spdlog::critical("storage: writing {} failed: {}; stopping", what, st.error().to_string());
    d_.on_fatal(std::string("writing ") + what + " failed: " + st.error().to_string());
  }
  return st;
}

void Driver::send(const p2p::PeerKey& peer, p2p::MessageType type, ByteView bytes) {
  if (peer == self_key_) return;
  Status st = d_.network.send(peer, type, bytes);
  if (!st.ok()) spdlog::debug("p2p: cannot send {} to {}: {}", p2p::message_type_name(type), p2p::short_key(peer), st.error().message);
}

// -------------------------------------------------------------------------------------- actions

void Driver::act(SendTo& a) {
  if (a.to >= core_->validators().size()) return;
  send(core_->validators().key(a.to), wire_type(a.kind), a.bytes);
}

void Driver::act(Broadcast& a) {
  if (a.kind == MessageKind::proposal) {
    auto p = decode_proposal(a.bytes, chain_id_, limits());
    if (p.ok() && !p->announcement) {
      m_proposals_.inc();
      record_in_flight(p->block.id, p->block, nullptr);
    }
  } else if (a.kind == MessageKind::timeout) {
    m_timeouts_.inc();
  }
  Status st = d_.network.broadcast(wire_type(a.kind), a.bytes);
  if (!st.ok()) spdlog::debug("p2p: broadcast failed: {}", st.error().message);
}

void Driver::act(PersistSafety& a) {
  storage::WriteBatch batch;
  batch.put(storage::Column::safety, kSafetyKey, a.state);
  if (write_synced(batch, "the safety state").ok()) raise_mark(a.state);
}

void Driver::act(PersistBlock& a) {
  if (a.height <= tip_.height) return;
  storage::WriteBatch batch;
  Bytes value;
  append_u64_be(value, a.height);
  append(value, a.block);
  batch.put(storage::Column::safety, voted_key(a.id), value);
  if (write_synced(batch, "a voted block").ok()) voted_[a.id] = a.height;
}

void Driver::act(Commit& a) {
  for (const consensus::CommittedBlock& cb : a.blocks) {
    if (failed_) return;
    if (cb.height <= tip_.height) continue;  // already applied (by block sync)
    const bool last = &cb == &a.blocks.back();
    Status st = apply_block(cb.block, cb.id, cb.height, cb.qc, nullptr, last && !a.proof.empty() ? &a.proof : nullptr);
    if (!st.ok()) {
      if (!failed_) {
        failed_ = true;
        spdlog::critical("consensus: cannot apply committed block {} at height {}: {}", short_id(cb.id), cb.height,
                         st.error().to_string());
        d_.on_fatal("cannot apply committed block at height " + std::to_string(cb.height) + ": " + st.error().message);
      }
      return;
    }
  }
  if (change_to_feed_ && pending_change_) events_.push_back(*pending_change_);
  change_to_feed_ = false;
}

void Driver::act(FetchBlock& a) {
  if (a.from >= core_->validators().size()) return;
  Bytes req = encode_block_request(a.id);
  send(core_->validators().key(a.from), p2p::MessageType::fetch_request, req);
}

void Driver::act(RequestPayload& a) {
  // With nothing to carry and nothing waiting to be committed, an empty block can wait a little: the
  // chain does not grow by dozens of empty blocks a second when idle.
  if (!a.must_be_empty && d_.mempool.size() == 0 && in_flight_nonces(a.parent_id).empty()) {
    deferred_payload_ = a;
    deferred_since_ms_ = now_ms_;
    return;
  }
  deferred_payload_.reset();
  answer_payload(a);
}

void Driver::answer_payload(const RequestPayload& a) {
  std::vector<Bytes> txs;
  std::vector<Hash32> ids;
  if (!a.must_be_empty) {
    const auto ahead = in_flight_nonces(a.parent_id);
    const state::TreeStateReader reader = d_.executor.reader(tip_.height);
    auto next_nonce = [&](const crypto::PublicKey& sender) -> uint64_t {
      if (auto it = ahead.find(sender); it != ahead.end()) return it->second;
      auto acct = contracts::account(reader, sender);
      return acct.ok() && *acct ? (*acct)->account.nonce() : 0;
    };
    const size_t max_bytes = std::min(kMaxBlockBytes, ccfg_.max_payload_bytes);
    for (const auto& tx : d_.mempool.select(std::min(kMaxBlockTxs, ccfg_.max_transactions), max_bytes, a.height, next_nonce)) {
      txs.push_back(tx->raw);
      ids.push_back(tx->id);
    }
  }
  auto root = d_.executor.tree().root_hash(tip_.height);
  if (!root) {
    spdlog::error("consensus: no state root at height {}: {}", tip_.height, root.error().to_string());
    return;
  }
  const Hash32 payload_hash = primitives::merkle_root(ids);
  PayloadReady p;
  p.round = a.round;
  p.transactions = std::move(txs);
  p.payload_hash = Bytes(payload_hash.begin(), payload_hash.end());
  p.exec_height = tip_.height;
  p.state_root = Bytes(root->begin(), root->end());
  spdlog::debug("consensus: proposing for round {} at height {} with {} transactions", a.round, a.height, ids.size());
  feed(std::move(p));
}

void Driver::act(ValidatePayload& a) { feed(PayloadVerdict{a.block_id, verdict_for(a)}); }

// The epoch itself was stored with its last block (apply_block); the core adds the commit proof of
// that block, which completes the stored change. Losing it in a crash loses nothing a verifier needs.
void Driver::act(EpochStarted& a) {
  if (a.epoch != ccfg_.epoch || !(a.validators == ccfg_.validators)) {
    spdlog::critical("consensus: the core started epoch {} with {} validators, the stored chain says epoch {} with {}",
                     a.epoch, a.validators.size(), ccfg_.epoch, ccfg_.validators.size());
    failed_ = true;
    d_.on_fatal("the consensus core and the stored epoch disagree");
    return;
  }
  auto stored = meta_.get_bytes(epoch_change_key(a.epoch));
  pb::EpochChangeProof proof;
  if (!stored.ok() || !*stored || !proof.ParseFromArray((*stored)->data(), static_cast<int>((*stored)->size()))) {
    spdlog::error("consensus: the record of epoch {} is unreadable", a.epoch);
    return;
  }
  storage::WriteBatch batch;
  meta_.put_bytes(batch, meta_keys::kEpochProof, a.epoch_proof);  // the core's, kept for the whole epoch
  // The record takes a proof of exactly the epoch's last block (what verifiers check it against);
  // the core may prove a block above it instead when the last one's direct child is unknown here.
  auto cp = decode_commit_proof(a.epoch_proof, chain_id_, limits());
  if (proof.commit_proof().empty() && cp.ok() && cp->child.header.height == a.start_after + 1) {
    proof.set_commit_proof(std::string(a.epoch_proof.begin(), a.epoch_proof.end()));
    const std::string bytes = proof.SerializeAsString();
    meta_.put_bytes(batch, epoch_change_key(a.epoch), as_bytes(bytes));
  }
  if (!write_synced(batch, "the epoch's commit proof").ok()) return;
  tip_.epoch_proof = a.epoch_proof;  // CommittedTip::epoch_proof: served for the whole epoch
}

void Driver::act(Diagnostic& a) {
  switch (a.level) {
    case Diagnostic::Level::warn: spdlog::warn("consensus: {}", a.message); break;
    case Diagnostic::Level::info: spdlog::info("consensus: {}", a.message); break;
    case Diagnostic::Level::debug: spdlog::debug("consensus: {}", a.message); break;
  }
}

// ------------------------------------------------------------------------------------ payloads

// Each transaction is decoded with the chain's size limit (primitives::kMaxTxBytes), the one
// admission uses: a block carrying a transaction admission would refuse is refused.
Result<Driver::Payload> Driver::decode_payload(ByteView block_bytes) const {
  pb::Block block;
  if (!block.ParseFromArray(block_bytes.data(), static_cast<int>(block_bytes.size())))
    return make_error(Errc::invalid_argument, "block does not parse");
  Payload out;
  std::vector<Hash32> ids;
  out.txs.reserve(static_cast<size_t>(block.transactions_size()));
  for (const std::string& raw : block.transactions()) {
    auto tx = primitives::decode_transaction(as_bytes(raw), chain_id_);
    if (!tx) return make_error(tx.error().code, "transaction " + std::to_string(ids.size()) + ": " + tx.error().message);
    ids.push_back(tx->id);
    out.txs.push_back(std::move(*tx));
  }
  out.root = primitives::merkle_root(ids);
  return out;
}

bool Driver::verdict_for(const ValidatePayload& a) {
  auto v = decode_block(a.block, chain_id_, limits());
  if (!v) return false;
  const Header& h = v->header;
  auto p = decode_payload(a.block);
  if (!p) {
    spdlog::warn("consensus: refusing block {} of round {}: {}", short_id(a.block_id), h.round, p.error().message);
    return false;
  }
  if (Bytes(p->root.begin(), p->root.end()) != h.payload_hash) {
    spdlog::warn("consensus: refusing block {}: payload hash does not match its transactions", short_id(a.block_id));
    return false;
  }
  std::set<Hash32> seen;
  for (const auto& tx : p->txs) {
    if (!seen.insert(tx.id).second) {
      spdlog::warn("consensus: refusing block {}: a transaction appears twice", short_id(a.block_id));
      return false;
    }
  }
  if (h.exec_height > tip_.height) {
    spdlog::info("consensus: not voting for block {}: it carries the state of height {}, ours ends at {}",
                 short_id(a.block_id), h.exec_height, tip_.height);
    return false;
  }
  auto root = d_.executor.tree().root_hash(h.exec_height);
  if (!root || Bytes(root->begin(), root->end()) != h.state_root) {
    spdlog::warn("consensus: refusing block {}: its state root for height {} is not ours", short_id(a.block_id),
                 h.exec_height);
    return false;
  }
  uint64_t parent_exec = 0;
  if (h.parent_id == tip_.id) {
    parent_exec = tip_exec_height_;
  } else if (auto it = in_flight_.find(h.parent_id); it != in_flight_.end()) {
    parent_exec = it->second.exec_height;
  }
  if (h.exec_height < parent_exec) {
    spdlog::warn("consensus: refusing block {}: its state height {} is older than its parent's {}", short_id(a.block_id),
                 h.exec_height, parent_exec);
    return false;
  }
  record_in_flight(a.block_id, *v, &p->txs);
  verified_payloads_.push_back(VerifiedPayload{a.block_id, crypto::sha256(a.block), std::move(*p)});
  if (verified_payloads_.size() > kMaxVerifiedPayloads) verified_payloads_.pop_front();
  return true;
}

Result<Driver::Payload> Driver::payload_for_commit(const Bytes& block, const BlockId& id) {
  const Hash32 hash = crypto::sha256(block);
  for (auto it = verified_payloads_.begin(); it != verified_payloads_.end(); ++it) {
    if (it->id == id && it->block_hash == hash) {
      Payload p = std::move(it->payload);
      verified_payloads_.erase(it);
      return p;
    }
  }
  return decode_payload(block);
}

void Driver::record_in_flight(const BlockId& id, const BlockView& b, const std::vector<primitives::VerifiedTx>* txs) {
  if (b.header.height <= tip_.height) return;
  InFlight f;
  f.parent = b.header.parent_id;
  f.height = b.header.height;
  f.exec_height = b.header.exec_height;
  if (txs) {
    for (const auto& tx : *txs) f.nonces.emplace_back(tx.sender, tx.body.nonce());
  } else {
    auto p = decode_payload(b.bytes);
    if (p.ok()) {
      for (const auto& tx : p->txs) f.nonces.emplace_back(tx.sender, tx.body.nonce());
    }
  }
  in_flight_[id] = std::move(f);
  while (in_flight_.size() > kMaxInFlight) {
    auto lowest = std::min_element(in_flight_.begin(), in_flight_.end(),
                                   [](const auto& x, const auto& y) { return x.second.height < y.second.height; });
    in_flight_.erase(lowest);
  }
}

// The next nonce per sender after the uncommitted blocks from `from` down to the committed tip.
std::map<crypto::PublicKey, uint64_t> Driver::in_flight_nonces(BlockId from) const {
  std::map<crypto::PublicKey, uint64_t> next;
  for (size_t steps = 0; from != tip_.id && steps < kMaxInFlight; ++steps) {
    auto it = in_flight_.find(from);
    if (it == in_flight_.end()) break;
    for (const auto& [sender, nonce] : it->second.nonces) {
      uint64_t& n = next[sender];
      n = std::max(n, nonce + 1);
    }
    from = it->second.parent;
  }
  return next;
}

// --------------------------------------------------------------------------------- committing

Status Driver::apply_block(const Bytes& block, const BlockId& id, uint64_t height, const Bytes& qc,
                           const Bytes* epoch_commit_proof, const Bytes* commit_proof) {
  auto v = decode_block(block, chain_id_, limits());
  if (!v) return make_error(Errc::invalid_argument, "undecodable block: " + v.error().message);
  const Header& h = v->header;
  if (height != tip_.height + 1 || h.height != height || h.parent_id != tip_.id || v->id != id)
    return make_error(Errc::invalid_state, "block does not extend the committed tip at height " + std::to_string(tip_.height));
  auto p = payload_for_commit(block, id);
  if (!p) return p.error();
  if (Bytes(p->root.begin(), p->root.end()) != h.payload_hash)
    return make_error(Errc::invalid_argument, "payload hash does not match the transactions");

  // A transaction that was already committed (or appears earlier in this block) is skipped: its
  // receipt and location stay those of its first inclusion. Deterministic: it depends only on the chain.
  std::vector<contracts::ContractTx> ctxs;
  std::vector<Hash32> ids;
  std::vector<CommittedTx> evict;
  std::set<Hash32> seen;
  for (const auto& tx : p->txs) {
    if (!seen.insert(tx.id).second) continue;
    auto loc = blocks_.tx_location(tx.id);
    if (!loc) return loc.error();
    if (*loc) continue;
    ctxs.push_back(contracts::ContractTx{tx.id, tx.sender, tx.body.nonce(), tx.body.expiry_height(), tx.body});
    ids.push_back(tx.id);
    evict.push_back(CommittedTx{tx.id, tx.sender, tx.body.nonce()});
  }
  auto eb = d_.executor.execute_block(height, h.timestamp_ms, ctxs);
  if (!eb) return eb.error();
  storage::CommittedBlock stored;
  stored.height = height;
  stored.id = id;
  stored.block = block;
  stored.certificate = qc;
  stored.tx_ids = ids;
  DOCKET_TRY(blocks_.put(eb->batch, stored));
  if (h.exec_height > last_certified_exec_ || (height == 1 && h.exec_height == 0)) {
    meta_.put_u64(eb->batch, meta_keys::certified_by(h.exec_height), height);
  }
  for (const auto& [vid, vh] : voted_) {
    if (vh <= height) eb->batch.del(storage::Column::safety, voted_key(vid));
  }

  // Validator-set changes. This block may end the epoch (its height is the scheduled boundary): the
  // new epoch, its validators and the proof of the change go into this very batch, so no crash can
  // separate the boundary block from its epoch. It may also decide a change (governance), scheduled
  // for a later boundary.
  const bool ends_epoch = pending_change_ && pending_change_->effective_after == height;
  std::optional<EpochChange> scheduled;
  std::optional<pb::ValidatorSet> scheduled_set;
  if (ends_epoch) {
    DOCKET_TRY(record_epoch_change(eb->batch, *v, qc, epoch_commit_proof));
    // A change decided too late for this boundary (or in this block) follows at the next one.
    pb::ValidatorSet latest;
    if (eb->validator_change) {
      latest = *eb->validator_change;
    } else {
      auto vs = contracts::validators(d_.executor.reader(height - 1));
      if (!vs) return vs.error();
      latest = *vs;
    }
    if (!(validator_set_of(latest) == pending_change_->next)) scheduled_set = latest;
  } else if (eb->validator_change) {
    const uint64_t after = next_boundary(height);
    if (!pending_change_ || pending_change_->effective_after == after) {
      scheduled_set = *eb->validator_change;
    } else {
      spdlog::info("consensus: validator change at height {} waits for the epoch after height {} to start",
                   height, pending_change_->effective_after);
    }
  }
  if (scheduled_set) {
    scheduled = EpochChange{validator_set_of(*scheduled_set), next_boundary(height)};
    const std::string set_bytes = scheduled_set->SerializeAsString();
    meta_.put_bytes(eb->batch, meta_keys::kPendingSet, as_bytes(set_bytes));
    meta_.put_u64(eb->batch, meta_keys::kPendingAfter, scheduled->effective_after);
  }
  if (commit_proof != nullptr) meta_.put_bytes(eb->batch, meta_keys::kCommitProof, *commit_proof);
  if (!write_synced(eb->batch, "a committed block").ok()) return make_error(Errc::io_error, "write failed");

  // Durable: update what depends on it.
  tip_.id = id;
  tip_.height = height;
  tip_.round = h.round;
  tip_.epoch = h.epoch;
  tip_.timestamp_ms = h.timestamp_ms;
  tip_.qc = qc;
  if (ends_epoch) tip_.epoch_proof = epoch_commit_proof ? *epoch_commit_proof : Bytes{};
  if (commit_proof != nullptr) tip_.commit_proof = *commit_proof;
  tip_exec_height_ = h.exec_height;
  if (ends_epoch) enter_epoch(ccfg_.epoch + 1, pending_change_->next, height);
  last_certified_exec_ = std::max(last_certified_exec_, h.exec_height);
  std::erase_if(voted_, [&](const auto& kv) { return kv.second <= height; });
  std::erase_if(in_flight_, [&](const auto& kv) { return kv.second.height <= height; });
  d_.mempool.on_block_committed(evict, height);
  m_commits_.inc();
  m_committed_txs_.inc(ids.size());
  m_height_.set(static_cast<double>(height));
  if (last_commit_ms_ && now_ms_ >= last_commit_ms_) m_commit_seconds_.observe(static_cast<double>(now_ms_ - last_commit_ms_) / 1000.0);
  last_commit_ms_ = now_ms_;
  spdlog::debug("consensus: committed height {} block {} round {} with {} transactions", height, short_id(id), h.round,
                ids.size());
  if (height % 100 == 0) spdlog::info("consensus: committed height {} (block {})", height, short_id(id));
  d_.listener.on_block_committed(height, h.timestamp_ms, eb->receipts);
  if (scheduled) {
    spdlog::info("consensus: validator set changes at height {}: {} validators from epoch after height {}", height,
                 scheduled->next.size(), scheduled->effective_after);
    pending_change_ = scheduled;
    change_to_feed_ = true;
  }
  return ok_status();
}

uint64_t Driver::next_boundary(uint64_t height) const {
  auto params = contracts::params(d_.executor.reader(height - 1));
  const uint64_t len = params.ok() ? std::max<uint64_t>(1, params->epoch_length_blocks()) : 1000;
  const uint64_t earliest = height + 2 * ccfg_.max_commit_batch;
  return (earliest + len - 1) / len * len;
}

Status Driver::record_epoch_change(storage::WriteBatch& batch, const BlockView& last, const Bytes& qc,
                                   const Bytes* commit_proof) {
  const uint64_t epoch = ccfg_.epoch + 1;
  const uint64_t height = last.header.height;
  auto set_bytes = meta_.get_bytes(meta_keys::kPendingSet);
  if (!set_bytes) return set_bytes.error();
  pb::ValidatorSet set;
  if (!*set_bytes || !set.ParseFromArray((*set_bytes)->data(), static_cast<int>((*set_bytes)->size())) ||
      !(validator_set_of(set) == pending_change_->next))
    return make_error(Errc::corruption, "the scheduled validator set of epoch " + std::to_string(epoch) + " is not stored");
  auto proof = prove_epoch_change(blocks_, d_.executor.tree(), chain_id_, epoch, last, qc, set);
  if (!proof) {
    spdlog::error("consensus: epoch {}: {}; offline proofs past this epoch will not verify", epoch, proof.error().message);
    proof = pb::EpochChangeProof{};
    proof->set_epoch(epoch);
    proof->set_start_after(height);
    proof->set_validators(set.SerializeAsString());
  }
  if (commit_proof) proof->set_commit_proof(std::string(commit_proof->begin(), commit_proof->end()));
  const std::string proof_bytes = proof->SerializeAsString();
  const std::string keys_bytes = set.SerializeAsString();
  meta_.put_bytes(batch, epoch_change_key(epoch), as_bytes(proof_bytes));
  meta_.put_u64(batch, meta_keys::kEpoch, epoch);
  meta_.put_bytes(batch, meta_keys::kEpochValidators, as_bytes(keys_bytes));
  meta_.put_u64(batch, meta_keys::kEpochStartAfter, height);
  if (commit_proof) {
    meta_.put_bytes(batch, meta_keys::kEpochProof, *commit_proof);
  } else {
    meta_.erase(batch, meta_keys::kEpochProof);  // arrives with EpochStarted
  }
  meta_.erase(batch, meta_keys::kPendingSet);
  meta_.erase(batch, meta_keys::kPendingAfter);
  return ok_status();
}

void Driver::enter_epoch(uint64_t epoch, ValidatorSet validators, uint64_t start_after) {
  ccfg_.epoch = epoch;
  ccfg_.self = validators.index_of(self_key_);
  ccfg_.validators = validators;
  pending_change_.reset();
  epoch_starts_[start_after] = epoch;
  std::vector<crypto::PublicKey> allowed = validators.keys();
  for (const auto& p : d_.config.p2p.peers) allowed.push_back(p.key);
  d_.network.set_allowed_keys(allowed);
  spdlog::info("consensus: epoch {} starts after height {} with {} validators{}", epoch, start_after, validators.size(),
               ccfg_.self ? "" : " (this node is not one of them)");
}

// ---------------------------------------------------------------------------------- serving peers

void Driver::serve_fetch(const p2p::PeerKey& peer, ByteView payload) {
  auto id = decode_block_request(payload);
  if (!id) return;
  std::optional<Bytes> answer = core_->block_for_peer(*id);
  if (!answer) {
    auto b = blocks_.block_by_id(*id);
    if (b.ok() && *b) {
      auto cert = blocks_.certificate(*id);
      if (cert.ok() && *cert) answer = encode_certified_block((*b)->block, **cert);
    }
  }
  if (!answer) {
    auto v = d_.store.get(storage::Column::safety, voted_key(*id));
    if (v.ok() && *v && (*v)->size() > 8) answer = encode_certified_block(ByteView(**v).subspan(8), {});
  }
  if (answer) send(peer, p2p::MessageType::fetch_response, *answer);
}

void Driver::on_fetched(const p2p::PeerKey& peer, Bytes payload) {
  auto from = core_->validators().index_of(peer);
  if (!from) return;
  // The id authenticates the header only: check that the transactions are the ones it commits to
  // before the core may commit them.
  auto cb = decode_certified_block(payload, chain_id_, limits());
  if (!cb) return;
  auto p = decode_payload(cb->block.bytes);
  if (!p || Bytes(p->root.begin(), p->root.end()) != cb->block.header.payload_hash) {
    spdlog::warn("p2p: peer {} answered a block fetch with transactions its header does not commit to", p2p::short_key(peer));
    return;
  }
  record_in_flight(cb->block.id, cb->block, &p->txs);
  feed(BlockFetched{*from, std::move(payload)});
}

// A commit proof is verified only when it would raise the target, so replaying old proofs costs a decode.
void Driver::note_commit_proof(ByteView proof, const p2p::PeerKey& peer) {
  auto p = decode_commit_proof(proof, chain_id_, limits());
  if (!p || p->child.header.height <= std::max(sync_.target, tip_.height)) return;
  if (auto h = certified_height(proof)) note_certified(*h, peer);
}

void Driver::on_message(const p2p::PeerKey& peer, p2p::MessageType type, Bytes payload) {
  if (failed_) return;
  auto from = core_->validators().index_of(peer);
  switch (type) {
    case p2p::MessageType::proposal:
      if (!from) return;
      // The header's height is the leader's claim; only a commit proof it carries is certified.
      if (auto p = decode_proposal(payload, chain_id_, limits()); p.ok() && !p->commit_proof.empty()) {
        note_commit_proof(p->commit_proof, peer);
      }
      feed(ProposalReceived{*from, std::move(payload)});
      break;
    case p2p::MessageType::vote:
      if (from) feed(VoteReceived{*from, std::move(payload)});
      break;
    case p2p::MessageType::timeout:
      if (!from) return;
      if (auto t = decode_timeout(payload, limits()); t.ok() && !t->commit_proof.empty()) {
        note_commit_proof(t->commit_proof, peer);
      }
      feed(TimeoutReceived{*from, std::move(payload)});
      break;
    case p2p::MessageType::fetch_request: serve_fetch(peer, payload); break;
    case p2p::MessageType::fetch_response: on_fetched(peer, std::move(payload)); break;
    case p2p::MessageType::block_request: serve_sync(peer, payload); break;
    case p2p::MessageType::block_response:
      on_sync_response(peer, payload);
      publish_status();  // the target may have moved
      break;
    case p2p::MessageType::transactions: break;  // the node's admission handles gossip
  }
}

// ----------------------------------------------------------------------------------------- status

void Driver::publish_status() {
  if (!core_) return;
  m_round_.set(static_cast<double>(core_->round()));
  m_epoch_.set(static_cast<double>(core_->epoch()));
  m_height_.set(static_cast<double>(tip_.height));
  std::lock_guard lock(status_mu_);
  status_.height = tip_.height;
  status_.block_id = tip_.id;
  status_.round = core_->round();
  status_.epoch = core_->epoch();
  status_.validators = core_->validators().keys();
  status_.is_validator = ccfg_.self.has_value();
  status_.voting = core_->self().has_value();
  status_.recovering_to = recovering_ ? recovering_->committed_height : 0;
  status_.sync_target = std::max(sync_.target, tip_.height);
  status_.syncing = sync_.target > tip_.height + 2;
}

DriverStatus Driver::status() const {
  std::lock_guard lock(status_mu_);
  return status_;
}

}  // namespace docket::node
