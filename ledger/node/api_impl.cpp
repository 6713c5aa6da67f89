#include "ledger/node/api_impl.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "consensus/messages.h"
#include "contracts/dry_run.h"
#include "contracts/history_chain.h"
#include "contracts/queries.h"
#include "contracts/records.h"
#include "ledger/node/chain.h"
#include "ledger/node/epoch_chain.h"
#include "ledger/node/history_pages.h"
#include "ledger/primitives/transaction.h"
#include "ledger/primitives/validator_limit.h"
#include "ledger/proto/consensus.pb.h"
#include "ledger/proto/p2p.pb.h"
#include "ledger/storage/meta_store.h"

namespace docket::node {

namespace {

constexpr size_t kMaxWaiters = 20000;
constexpr size_t kMaxGossipBatch = 1000;

Hash32 hash_of(const std::string& s) {
  Hash32 h{};
  if (s.size() == h.size()) std::copy(s.begin(), s.end(), h.begin());
  return h;
}
crypto::PublicKey key_of(const std::string& s) { return hash_of(s); }

std::map<std::string, std::string> fields_of(const google::protobuf::RepeatedPtrField<pb::PublicField>& fs) {
  std::map<std::string, std::string> out;
  for (const auto& f : fs) out[f.name()] = f.value();
  return out;
}

template <typename Events>
std::vector<api::TxEvent> tx_events_of(const Events& events) {
  std::vector<api::TxEvent> out;
  for (const pb::Event& e : events) out.push_back(api::TxEvent{e.kind(), e.subject(), fields_of(e.attributes())});
  return out;
}

// "document.issued" -> "issued": the API's kinds are per record type.
const char* bl_type_name(pb::BlType t) {
  switch (t) {
    case pb::BL_NEGOTIABLE: return "negotiable";
    case pb::BL_STRAIGHT: return "straight";
    case pb::BL_SEA_WAYBILL: return "sea-waybill";
    default: return "unknown";
  }
}

api::SubmitResult refused(const Hash32& id, Errc code, std::string message) {
  api::SubmitResult r;
  r.id = id;
  r.status = api::TxStatus::rejected;
  r.code = errc_name(code);
  r.message = std::move(message);
  return r;
}

// The transactions of a stored block, in order (already checked when the block was committed).
std::vector<std::string> block_transactions(ByteView block) {
  pb::Block b;
  if (!b.ParseFromArray(block.data(), static_cast<int>(block.size()))) return {};
  return {b.transactions().begin(), b.transactions().end()};
}

// The timestamp of the committed block at height h, the genesis time at 0.
Result<uint64_t> block_time(const storage::BlockStore& blocks, const contracts::Genesis& genesis, const crypto::ChainBinding& chain,
                            uint64_t h) {
  if (h == 0) return genesis.genesis_time_ms;
  auto b = blocks.block_by_height(h);
  if (!b) return b.error();
  if (!*b) return make_error(Errc::corruption, "no stored block at committed height " + std::to_string(h));
  auto v = consensus::decode_block((*b)->block, chain, consensus::Limits{primitives::kMaxValidators});
  if (!v) return make_error(Errc::corruption, "stored block " + std::to_string(h) + ": " + v.error().message);
  return v->header.timestamp_ms;
}

}  // namespace

ApiImpl::ApiImpl(Deps deps)
    : d_(deps),
      blocks_(d_.store),
      m_admitted_(d_.metrics.counter("docket_transactions_admitted_total", "Transactions added to the mempool")),
      m_refused_(d_.metrics.counter("docket_transactions_refused_total", "Transactions refused at admission")),
      m_commit_latency_(d_.metrics.histogram("docket_submit_to_commit_seconds",
                                             "Time from submission (with wait) to commit", metrics::latency_buckets_seconds())) {}

uint64_t ApiImpl::height() const {
  if (driver_) return driver_->status().height;
  auto tip = d_.executor.tip_height();
  return tip.ok() && *tip ? **tip : 0;
}

api::NodeStatus ApiImpl::status() {
  api::NodeStatus s;
  const DriverStatus ds = driver_ ? driver_->status() : DriverStatus{};
  s.chain_id = d_.genesis.chain_id;
  s.genesis_hash = d_.genesis_hash;
  s.node_key = d_.network.public_key();
  s.version = kNodeVersion;
  s.height = ds.height;
  s.block_hash = ds.block_id;
  s.round = ds.round;
  s.epoch = ds.epoch;
  s.sync_state = ds.syncing ? "syncing" : "synced";
  s.sync_target_height = ds.sync_target;
  s.peers = d_.network.connected_peers();
  s.validators = ds.validators;
  s.is_validator = ds.is_validator;
  s.voting = ds.voting;
  if (ds.recovering_to) s.recovering_to = ds.recovering_to;
  s.mempool_txs = d_.mempool.size();
  s.mempool_bytes = d_.mempool.bytes();
  return s;
}

// ------------------------------------------------------------------------------------- admission

Result<primitives::VerifiedTx> ApiImpl::decode(ByteView raw) const {
  // The chain's limits (primitives::kMaxTxBytes), exactly those block validation decodes with.
  return primitives::decode_transaction(raw, chain());
}

bool ApiImpl::already_known(ByteView raw) const {
  // Only the id is needed, which is a hash of the body bytes: parse the envelope, no signature check.
  // Skipping a copy that is malformed or badly signed is harmless: the valid one is already held.
  if (raw.size() > primitives::kMaxTxBytes) return false;
  pb::Transaction tx;
  if (!tx.ParseFromArray(raw.data(), static_cast<int>(raw.size())) || tx.body().empty()) return false;
  const Hash32 id = primitives::tx_id(as_bytes(tx.body()));
  if (d_.mempool.contains(id)) return true;
  auto loc = blocks_.tx_location(id);
  return loc.ok() && loc->has_value();
}

api::SubmitResult ApiImpl::admit(const primitives::VerifiedTx& tx) {
  api::SubmitResult r;
  r.id = tx.id;
  if (d_.mempool.contains(tx.id)) {
    r.status = api::TxStatus::pending;
    r.code = "ok";
    r.message = "already in the mempool";
    return r;
  }
  auto loc = blocks_.tx_location(tx.id);
  if (!loc) return refused(tx.id, loc.error().code, loc.error().message);
  if (*loc) {
    r.status = api::TxStatus::committed;
    r.height = (*loc)->height;
    auto receipt = d_.executor.history().receipt(tx.id);
    r.code = receipt.ok() && *receipt && !(*receipt)->reason().empty() ? (*receipt)->reason() : "ok";
    r.message = receipt.ok() && *receipt ? (*receipt)->message() : "";
    if (receipt.ok() && *receipt) r.events = tx_events_of((*receipt)->events());
    return r;
  }
  contracts::ContractTx ctx{tx.id, tx.sender, tx.body.nonce(), tx.body.expiry_height(), tx.body};
  contracts::TxResult check = d_.executor.check_tx(ctx);
  if (!check) return refused(tx.id, check.error().code, check.error().message);
  if (check->has_value()) {
    r.status = api::TxStatus::rejected;
    r.code = contracts::reason_name((*check)->reason);
    r.message = (*check)->message;
    return r;
  }
  Status added = d_.mempool.add(VerifiedTx{tx.id, tx.raw, tx.sender, tx.body.nonce(), tx.body.expiry_height()});
  if (!added.ok()) {
    if (added.error().code == Errc::already_exists && d_.mempool.contains(tx.id)) {
      r.status = api::TxStatus::pending;
      r.code = "ok";
      return r;
    }
    return refused(tx.id, added.error().code, added.error().message);
  }
  m_admitted_.inc();
  pb::TxBatch batch;
  batch.add_transactions(std::string(tx.raw.begin(), tx.raw.end()));
  const std::string bytes = batch.SerializeAsString();
  (void)d_.network.broadcast(p2p::MessageType::transactions, as_bytes(bytes));
  r.status = api::TxStatus::pending;
  r.code = "ok";
  return r;
}

void ApiImpl::admit_gossip(ByteView payload) {
  pb::TxBatch batch;
  if (!batch.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return;
  size_t n = 0;
  for (const std::string& raw : batch.transactions()) {
    if (++n > kMaxGossipBatch) break;
    // Every peer that admits a transaction passes it on, so each arrives up to once per peer: the
    // copies are recognised before the signature check, which is most of admission's cost.
    if (already_known(as_bytes(raw))) continue;
    auto tx = decode(as_bytes(raw));
    if (tx) (void)admit(*tx);
  }
}

void ApiImpl::submit_transaction(api::SubmitRequest request, std::function<void(api::SubmitResult)> done) {
  // Register the waiter before admission, so that a commit racing with this call is not missed.
  auto tx = decode(request.tx);
  if (!tx) {
    m_refused_.inc();
    done(refused(Hash32{}, tx.error().code, tx.error().message));
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  bool waiting = false;
  if (request.wait) {
    std::lock_guard lock(mu_);
    if (waiters_.size() < kMaxWaiters) {
      waiters_.emplace(tx->id, Waiter{now, now + request.timeout, done});
      waiting = true;
    }
  }
  api::SubmitResult r = admit(*tx);
  if (r.status == api::TxStatus::rejected) m_refused_.inc();
  if (waiting && r.status == api::TxStatus::pending) return;  // completed by the commit or the deadline
  if (waiting) {
    // Answered now: take our waiter back (unless a commit already completed it).
    std::lock_guard lock(mu_);
    bool found = false;
    for (auto [it, end] = waiters_.equal_range(tx->id); it != end; ++it) {
      if (it->second.submitted == now) {
        waiters_.erase(it);
        found = true;
        break;
      }
    }
    if (!found) return;
  }
  done(std::move(r));
}

Result<api::CheckResult> ApiImpl::check_transaction(const Bytes& raw) {
  auto tx = decode(raw);
  if (!tx) return tx.error();
  // The state the other reads answer from; contracts only record the block time, so the tip's
  // stands in for the next block's.
  const uint64_t h = height();
  auto time = block_time(blocks_, d_.genesis, chain(), h);
  if (!time) return time.error();
  contracts::ContractTx ctx{tx->id, tx->sender, tx->body.nonce(), tx->body.expiry_height(), tx->body};
  auto verdict = contracts::dry_run(d_.executor.reader(h), h, *time, ctx);
  if (!verdict) return verdict.error();
  api::CheckResult r;
  r.id = tx->id;
  r.height = h;
  r.code = *verdict ? contracts::reason_name((*verdict)->reason) : "ok";
  r.message = *verdict ? (*verdict)->message : "";
  return r;
}

void ApiImpl::on_block_committed(uint64_t height, uint64_t, const std::vector<contracts::TxReceipt>& receipts) {
  std::vector<std::pair<Waiter, api::SubmitResult>> ready;
  {
    std::lock_guard lock(mu_);
    if (waiters_.empty()) return;
    for (const auto& rc : receipts) {
      for (auto [it, end] = waiters_.equal_range(rc.tx_id); it != end;) {
        api::SubmitResult r;
        r.id = rc.tx_id;
        r.status = api::TxStatus::committed;
        r.height = height;
        r.code = rc.ok() ? "ok" : contracts::reason_name(rc.reason);
        r.message = rc.message;
        r.events = tx_events_of(rc.events);
        ready.emplace_back(std::move(it->second), std::move(r));
        it = waiters_.erase(it);
      }
    }
  }
  const auto now = std::chrono::steady_clock::now();
  for (auto& [w, r] : ready) {
    m_commit_latency_.observe(std::chrono::duration<double>(now - w.submitted).count());
    w.done(std::move(r));
  }
}

void ApiImpl::expire_waiters(std::chrono::steady_clock::time_point now) {
  std::vector<std::pair<Hash32, Waiter>> expired;
  {
    std::lock_guard lock(mu_);
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second.deadline <= now) {
        expired.emplace_back(it->first, std::move(it->second));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& [id, w] : expired) {
    api::SubmitResult r;
    r.id = id;
    r.status = api::TxStatus::pending;
    r.code = "ok";
    r.message = "not committed yet";
    w.done(std::move(r));
  }
}

// ----------------------------------------------------------------------------------------- queries

Result<api::TxInfo> ApiImpl::transaction(const Hash32& id) {
  api::TxInfo info;
  info.id = id;
  if (auto tx = d_.mempool.find(id)) {
    info.status = api::TxStatus::pending;
    info.sender = tx->sender;
    info.nonce = tx->nonce;
    info.tx = tx->raw;
    info.code = "ok";
    return info;
  }
  auto loc = blocks_.tx_location(id);
  if (!loc) return loc.error();
  if (!*loc || (*loc)->height > height()) return make_error(Errc::not_found, "unknown transaction");
  auto b = blocks_.block_by_height((*loc)->height);
  if (!b) return b.error();
  if (!*b) return make_error(Errc::corruption, "the block of a committed transaction is missing");
  const auto txs = block_transactions((*b)->block);
  // The location's index is among the executed transactions; find it by id in the block.
  for (const std::string& raw : txs) {
    auto tx = primitives::decode_transaction(as_bytes(raw), chain());
    if (!tx || tx->id != id) continue;
    info.sender = tx->sender;
    info.nonce = tx->body.nonce();
    info.tx = tx->raw;
    break;
  }
  info.status = api::TxStatus::committed;
  info.height = (*loc)->height;
  info.index = (*loc)->index;
  auto header = consensus::decode_block((*b)->block, chain(), consensus::Limits{primitives::kMaxValidators});
  if (header) info.time_ms = header->header.timestamp_ms;
  auto receipt = d_.executor.history().receipt(id);
  if (!receipt) return receipt.error();
  info.code = *receipt && !(*receipt)->reason().empty() ? (*receipt)->reason() : "ok";
  info.message = *receipt ? (*receipt)->message() : "";
  if (*receipt) info.events = tx_events_of((*receipt)->events());
  return info;
}

Result<api::AccountInfo> ApiImpl::account(const crypto::PublicKey& key) {
  const auto reader = d_.executor.reader(height());
  auto a = contracts::account(reader, key);
  if (!a) return a.error();
  api::AccountInfo info;
  info.key = key;
  if (*a) {
    info.nonce = (*a)->account.nonce();
    if ((*a)->member) {
      info.member_id = (*a)->member->id();
      info.roles.assign((*a)->member->roles().begin(), (*a)->member->roles().end());
    }
  }
  return info;
}

std::optional<crypto::PublicKey> ApiImpl::sender_of(const Hash32& tx_id) const {
  auto loc = blocks_.tx_location(tx_id);
  if (!loc.ok() || !*loc) return std::nullopt;
  auto b = blocks_.block_by_height((*loc)->height);
  if (!b.ok() || !*b) return std::nullopt;
  for (const std::string& raw : block_transactions((*b)->block)) {
    pb::Transaction t;
    pb::TxBody body;
    if (!t.ParseFromString(raw) || !body.ParseFromString(t.body())) continue;
    if (primitives::tx_id(as_bytes(t.body())) == tx_id) return key_of(body.sender());
  }
  return std::nullopt;
}

Result<api::HistoryEvent> ApiImpl::history_event(const std::string& record_key, Bytes raw) const {
  pb::HistoryEntry e;
  if (!e.ParseFromArray(raw.data(), static_cast<int>(raw.size())))
    return make_error(Errc::corruption, "history entry of " + record_key + " does not decode");
  api::HistoryEvent ev;
  ev.record_key = record_key;
  ev.entry = std::move(raw);
  ev.kind = contracts::short_event_kind(e.event().kind());
  ev.height = e.height();
  ev.time_ms = e.time_ms();
  ev.tx_id = hash_of(e.tx_id());
  ev.actor_member = e.sender_member();
  if (auto k = sender_of(ev.tx_id)) ev.actor_key = *k;
  ev.details = fields_of(e.event().attributes());
  return ev;
}

Result<api::HistoryPage> ApiImpl::history_page(const std::vector<std::string>& record_keys, uint64_t up_to,
                                               api::HistoryPageRequest req) const {
  const size_t limit = std::clamp<size_t>(req.limit, 1, api::kMaxHistoryPage);
  std::vector<std::vector<uint64_t>> heights;
  api::HistoryPage page;
  for (const std::string& key : record_keys) {
    auto h = d_.executor.history().entry_heights(key, up_to);
    if (!h) return h.error();
    page.total += h->size();
    heights.push_back(std::move(*h));
  }
  for (const HistoryRun& run : plan_history_page(heights, req.from, limit)) {
    const std::string& key = record_keys[run.record];
    auto entries = d_.executor.history().entries(key, up_to, run.count, run.from);
    if (!entries) return entries.error();
    if (entries->size() != run.count) return make_error(Errc::corruption, "the history of " + key + " changed while read");
    for (Bytes& raw : *entries) {
      auto ev = history_event(key, std::move(raw));
      if (!ev) return ev.error();
      page.events.push_back(std::move(*ev));
    }
  }
  // Runs come record by record: restore the merged order (stable: ties keep the records' order).
  std::stable_sort(page.events.begin(), page.events.end(), [](const auto& a, const auto& b) { return a.height < b.height; });
  const uint64_t next = req.from + page.events.size();
  if (!page.events.empty() && next < page.total) page.next = next;
  return page;
}

Result<api::DocumentInfo> ApiImpl::document(const Hash32& hash, const std::optional<Hash32>& root) {
  const auto reader = d_.executor.reader(height());
  auto st = root ? contracts::document_status_under(reader, hash, *root) : contracts::document_status(reader, hash);
  if (!st) return st.error();
  if (st->status == contracts::DocStatus::unknown || !st->document)
    return make_error(Errc::not_found, root ? "no document root registered under this root"
                                            : "no document root registered under this hash (a document of a batch is looked up "
                                              "with ?root=<merkleRoot>)");
  const pb::DocumentRecord& doc = *st->document;
  api::DocumentInfo info;
  info.hash = hash;
  info.merkle_root = hash_of(doc.merkle_root());
  info.status = contracts::doc_status_name(st->status);
  info.document_type = doc.document_type();
  info.issuer_member = doc.issuer();
  info.issuer_key = key_of(doc.issuer_key());
  info.height = doc.issued_height();
  info.time_ms = doc.issued_time_ms();
  info.tx_id = hash_of(doc.issue_tx());
  info.public_fields = fields_of(doc.public_fields());
  if (doc.state() == pb::DOCUMENT_REVOKED) {
    info.revoked_height = doc.changed_height();
    info.revoke_reason = static_cast<uint32_t>(doc.revocation_reason());
  } else if (!st->revocations.empty()) {  // under this root only (contracts/queries.h)
    info.revoked_height = st->revocations.front().height();
    info.revoke_reason = static_cast<uint32_t>(st->revocations.front().reason());
  }
  if (!doc.superseded_by().empty()) info.superseded_by = hash_of(doc.superseded_by());
  for (const pb::Revocation& r : st->other_claims)
    info.other_root_claims.push_back(api::OtherRootClaim{hash_of(r.merkle_root()), r.issuer(), static_cast<uint32_t>(r.reason()), r.note(),
                                                         r.height(), r.time_ms(), hash_of(r.tx_id())});
  return info;
}

Result<api::HistoryPage> ApiImpl::document_history(const Hash32& hash, api::HistoryPageRequest page) {
  const uint64_t h = height();
  const auto reader = d_.executor.reader(h);
  // Only the root's own record is needed here (no scan for other roots' claims).
  const std::string key = contracts::document_key(hash);
  auto doc = reader.get(key);
  if (!doc) return doc.error();
  if (!*doc) return make_error(Errc::not_found, "no document root registered under this hash");
  // Root-scoped: every event under this root (issue, each revocation under it, supersede) is in the
  // root's own history; revocations of this hash under other roots belong to those roots.
  return history_page({key}, h, page);
}

Result<api::BillOfLading> ApiImpl::bill_of_lading(const Hash32& id) {
  const uint64_t h = height();
  const auto reader = d_.executor.reader(h);
  auto bl = contracts::bill_of_lading(reader, id);
  if (!bl) return bl.error();
  if (!*bl) return make_error(Errc::not_found, "no bill of lading with this id");
  const pb::BillOfLading& b = **bl;
  api::BillOfLading out;
  out.id = id;
  out.status = contracts::bl_status_name(b.status());
  out.issuer_member = b.carrier();
  out.owner = b.owner();
  out.holder = b.holder();
  if (!b.nominee().empty()) out.nominee = b.nominee();
  out.bl_type = bl_type_name(b.bl_type());
  out.height = b.issued_height();
  out.time_ms = b.issued_time_ms();
  auto first = history_page({contracts::bill_key(id)}, h, api::HistoryPageRequest{});
  if (!first) return first.error();
  out.history = std::move(first->events);
  out.history_total = first->total;
  out.history_next = first->next;
  return out;
}

Result<api::HistoryPage> ApiImpl::bill_history(const Hash32& id, api::HistoryPageRequest page) {
  const uint64_t h = height();
  auto bl = contracts::bill_of_lading(d_.executor.reader(h), id);
  if (!bl) return bl.error();
  if (!*bl) return make_error(Errc::not_found, "no bill of lading with this id");
  return history_page({contracts::bill_key(id)}, h, page);
}

Result<std::vector<api::MemberInfo>> ApiImpl::members() {
  const auto reader = d_.executor.reader(height());
  auto ms = contracts::members(reader);
  if (!ms) return ms.error();
  auto vs = contracts::validators(reader);
  if (!vs) return vs.error();
  std::vector<api::MemberInfo> out;
  for (const pb::Member& m : *ms) {
    api::MemberInfo info;
    info.member_id = m.id();
    info.name = m.name();
    info.country = m.country();
    info.roles.assign(m.roles().begin(), m.roles().end());
    for (const auto& k : m.keys()) info.keys.push_back(key_of(k));
    for (const auto& v : vs->validators()) {
      if (v.member_id() == m.id()) info.validator_key = key_of(v.node_key());
    }
    out.push_back(std::move(info));
  }
  return out;
}

Result<api::MemberInfo> ApiImpl::member(const std::string& id) {
  const auto reader = d_.executor.reader(height());
  auto m = contracts::member(reader, id);
  if (!m) return m.error();
  api::MemberInfo info;
  info.member_id = id;
  if (*m) {
    info.name = (*m)->name();
    info.country = (*m)->country();
    info.roles.assign((*m)->roles().begin(), (*m)->roles().end());
    for (const auto& k : (*m)->keys()) info.keys.push_back(key_of(k));
    auto vs = contracts::validators(reader);
    if (!vs) return vs.error();
    for (const auto& v : vs->validators())
      if (v.member_id() == id) info.validator_key = key_of(v.node_key());
    return info;
  }
  auto gone = contracts::removed_member(reader, id);
  if (!gone) return gone.error();
  if (!*gone) return make_error(Errc::not_found, "no member '" + id + "'");
  info.name = (*gone)->name();
  info.country = (*gone)->country();
  info.removed = true;
  info.removed_height = (*gone)->removed_height();
  info.removed_time_ms = (*gone)->removed_time_ms();
  info.successor = (*gone)->successor();
  return info;
}

Result<api::BlockInfo> ApiImpl::block(uint64_t h) {
  if (h == 0 || h > height()) return make_error(Errc::not_found, "no committed block at height " + std::to_string(h));
  auto b = blocks_.block_by_height(h);
  if (!b) return b.error();
  if (!*b) return make_error(Errc::not_found, "no committed block at height " + std::to_string(h));
  auto cert = blocks_.certificate((*b)->id);
  if (!cert) return cert.error();
  consensus::Limits limits;
  limits.validators = primitives::kMaxValidators;
  auto v = consensus::decode_block((*b)->block, chain(), limits);
  if (!v) return make_error(Errc::corruption, "stored block " + std::to_string(h) + ": " + v.error().message);
  const consensus::Header& hd = v->header;
  api::BlockInfo info;
  info.height = h;
  info.id = v->id;
  info.epoch = hd.epoch;
  info.round = hd.round;
  info.parent_id = hd.parent_id;
  if (auto p = hash_from_bytes(hd.payload_hash)) info.payload_hash = *p;
  info.exec_height = hd.exec_height;
  if (auto r = hash_from_bytes(hd.state_root)) info.state_root = *r;
  info.time_ms = hd.timestamp_ms;
  info.proposer = hd.proposer;
  for (const std::string& raw : block_transactions((*b)->block)) {
    pb::Transaction t;
    if (t.ParseFromString(raw)) info.tx_ids.push_back(primitives::tx_id(as_bytes(t.body())));
  }
  info.header = v->header_bytes;
  info.certificate = cert->value_or(Bytes{});
  return info;
}

Result<api::StateProof> ApiImpl::proof(const Bytes& key, std::optional<uint64_t> at) {
  const std::string record_key(key.begin(), key.end());
  if (!state::is_valid_record_key(record_key))
    return make_error(Errc::invalid_argument, "a record key is 1..256 printable ASCII characters");
  // The header that certifies the state of height h is the first committed block carrying it.
  const uint64_t tip = height();
  if (tip == 0) return make_error(Errc::not_found, "no block has certified a state yet");
  uint64_t block_height = tip;
  if (at) {
    storage::MetaStore meta(d_.store);
    auto bh = meta.get_u64(meta_keys::certified_by(*at));
    if (!bh) return bh.error();
    if (!*bh || **bh > tip) return make_error(Errc::not_found, "no committed header carries the state of height " + std::to_string(*at));
    block_height = **bh;
  }
  auto info = block(block_height);
  if (!info) return info.error();
  auto proven = d_.executor.tree().prove(record_key, info->exec_height);
  if (!proven) return proven.error();
  if (proven->root != info->state_root) return make_error(Errc::corruption, "the state root differs from the certified one");
  api::StateProof p;
  p.key = key;
  p.height = info->exec_height;
  p.state_root = proven->root;
  p.value = proven->value;
  p.proof = state::encode_proof(proven->proof);
  p.header = info->header;
  p.certificate = info->certificate;
  // Every validator-set change from the genesis up to the header's epoch, oldest first.
  auto chain = load_epoch_chain(storage::MetaStore(d_.store), info->epoch);
  if (!chain) return chain.error();
  p.epoch_changes = std::move(*chain);
  return p;
}

}  // namespace docket::node
