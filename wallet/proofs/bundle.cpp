#include "wallet/proofs/bundle.h"

#include <algorithm>
#include <set>

#include "consensus/certificates.h"
#include "consensus/messages.h"
#include "consensus/verifier.h"
#include "contracts/history_chain.h"
#include "contracts/queries.h"
#include "ledger/proto/operations.pb.h"
#include "ledger/state/proof.h"
#include "wallet/proofs/epoch_chain.h"

namespace docket::wallet::proofs {
namespace {

using oa::Json;

Error bad(const std::string& why) { return make_error(Errc::invalid_argument, why); }

std::string doc_key(const Hash32& root) { return "doc/" + to_hex(root); }
std::string rev_key(const Hash32& h, const Hash32& root) { return "rev/" + to_hex(h) + "/" + to_hex(root); }
std::string bl_key(const Hash32& id) { return "bl/" + to_hex(id); }
std::string hist_key(const std::string& record_key) { return contracts::history_head_key(record_key); }

Result<Bytes> hex_field(const Json& j, const char* name, const std::string& where) {
  if (!j.contains(name) || !j[name].is_string()) return bad(where + ": \"" + name + "\" must be a hex string");
  auto b = from_hex(j[name].get<std::string>());
  if (!b.ok()) return bad(where + ": \"" + name + "\": " + b.error().message);
  return *b;
}

Result<Hash32> hash_field(const Json& j, const char* name, const std::string& where) {
  auto b = hex_field(j, name, where);
  if (!b.ok()) return b.error();
  auto h = hash_from_bytes(*b);
  if (!h) return bad(where + ": \"" + name + "\" must be 32 bytes");
  return *h;
}

Status only_fields(const Json& j, std::initializer_list<const char*> allowed, const std::string& where) {
  if (!j.is_object()) return bad(where + " must be an object");
  for (const auto& [k, v] : j.items()) {
    bool ok = false;
    for (const char* a : allowed) ok |= k == a;
    if (!ok) return bad(where + ": unknown field \"" + k + "\"");
  }
  return ok_status();
}

template <typename Msg>
Result<Msg> parse_record(const Bytes& value, const std::string& key) {
  Msg m;
  if (!m.ParseFromArray(value.data(), static_cast<int>(value.size()))) return bad(key + ": the proven value is not a valid record");
  return m;
}

// A checked entry: its value is proven under a state root certified by a quorum of the genesis set.
struct Proven {
  std::optional<Bytes> value;
  uint64_t height = 0;  // the state version (header.exec_height)
};

class Checker {
 public:
  Checker(const Bundle& b, const contracts::Genesis& g, std::vector<Epoch> epochs)
      : bundle_(b), genesis_(g), epochs_(std::move(epochs)) {
    for (const auto& e : epochs_) widest_ = std::max(widest_, e.validators.size());
  }

  // The entry for `key`, checked; an error when it is missing or does not verify.
  Result<Proven> get(const std::string& key) {
    const Entry* e = nullptr;
    for (const auto& x : bundle_.entries)
      if (x.key == key) e = &x;
    if (!e) return bad("the bundle has no proof for " + key);
    consensus::Limits limits;
    limits.validators = widest_;
    auto header = consensus::decode_header(e->header, contracts::chain_binding(genesis_), limits);
    if (!header.ok()) return bad(key + ": the block header does not decode: " + header.error().message);
    const uint64_t epoch = header->header.epoch;
    if (epoch >= epochs_.size())
      return bad(key + ": the header is of epoch " + std::to_string(epoch) + ", but the bundle proves the validator sets of epochs 0.." +
                 std::to_string(epochs_.size() - 1) + " only");
    const Epoch& ep = epochs_[epoch];
    if (epoch > 0 && header->header.height <= ep.start_after)
      return bad(key + ": the header's height is not in its epoch (which starts after height " + std::to_string(ep.start_after) + ")");
    if (header->header.proposer >= ep.validators.size()) return bad(key + ": the header's proposer is not a validator of its epoch");
    // Entries usually share one header and certificate: check the signatures once per pair.
    if (e->header != certified_header_ || e->certificate != certified_qc_) {
      consensus::SchnorrVerifier verifier;
      consensus::CertContext ctx{contracts::chain_binding(genesis_), epoch, &ep.validators, &verifier, {}};
      auto qc = consensus::verify_qc(e->certificate, ctx);
      if (!qc.ok())
        return bad(key + ": the certificate is not a quorum of the signatures of epoch " + std::to_string(epoch) +
                   "'s validators" + (epoch == 0 ? " (the genesis set)" : "") + ": " + qc.error().message);
      if (qc->block_id != header->id || qc->round != header->header.round)
        return bad(key + ": the certificate signs another block than the header");
      certified_header_ = e->header;
      certified_qc_ = e->certificate;
    }
    auto root = hash_from_bytes(header->header.state_root);
    if (!root) return bad(key + ": the header carries no 32-byte state root");
    auto proof = state::decode_proof(e->proof);
    if (!proof.ok()) return bad(key + ": malformed state proof: " + proof.error().message);
    std::optional<ByteView> value;
    if (e->value) value = ByteView(*e->value);
    auto ok = state::verify_proof(*root, key, value, *proof);
    if (!ok.ok()) return bad(key + ": the state proof does not match the certified state root: " + ok.error().message);
    used_.insert(key);
    height_ = std::max(height_, header->header.exec_height);
    max_epoch_ = std::max(max_epoch_, epoch);
    return Proven{e->value, header->header.exec_height};
  }

  // Entries the verification did not read are refused: a bundle carries what it proves, no more
  // (nor validator-set changes beyond the latest epoch its headers are of).
  Status all_used() const {
    for (const auto& e : bundle_.entries)
      if (!used_.count(e.key)) return bad("the bundle carries an unexpected entry " + e.key);
    if (epochs_.size() > max_epoch_ + 1)
      return bad("the bundle carries validator-set changes beyond epoch " + std::to_string(max_epoch_) + ", the latest its proofs use");
    return ok_status();
  }
  uint64_t height() const { return height_; }
  uint64_t max_epoch() const { return max_epoch_; }
  size_t validators_of(uint64_t epoch) const { return epochs_.at(epoch).validators.size(); }

 private:
  const Bundle& bundle_;
  const contracts::Genesis& genesis_;
  std::vector<Epoch> epochs_;  // proven sets: [0] genesis, [e] after the e-th change
  size_t widest_ = 0;
  std::set<std::string> used_;
  uint64_t height_ = 0;
  uint64_t max_epoch_ = 0;
  Bytes certified_header_, certified_qc_;  // the last pair whose certificate verified
};

// The history of a proven record: the bundle's entries must hash to the head proven under
// "hist/<key>". Appends them to events as the API shows history events.
Status check_history(Checker& check, const Bundle& b, const std::string& key, std::set<std::string>& used, Json& events) {
  auto it = b.history.find(key);
  if (it == b.history.end()) return bad("the bundle carries no history for " + key);
  auto head = check.get(hist_key(key));
  if (!head.ok()) return head.error();
  if (!head->value) return bad(key + ": no history head is proven for it");
  auto proven = parse_record<pb::HistoryHead>(*head->value, hist_key(key));
  if (!proven.ok()) return proven.error();
  const pb::HistoryHead computed = contracts::chain_history(it->second);
  if (computed.count() != proven->count() || computed.head() != proven->head())
    return bad("the history of " + key + " does not match its proven head: " + std::to_string(it->second.size()) +
               " entries given, " + std::to_string(proven->count()) + " proven (altered, missing, extra or reordered entries)");
  for (const Bytes& raw : it->second) {
    auto e = parse_record<pb::HistoryEntry>(raw, "history of " + key);
    if (!e.ok()) return e.error();
    Json details = Json::object();
    for (const auto& a : e->event().attributes()) details[a.name()] = a.value();
    Json ev = Json::object();
    ev["kind"] = contracts::short_event_kind(e->event().kind());
    ev["height"] = e->height();
    ev["time_ms"] = e->time_ms();
    ev["tx_id"] = to_hex(as_bytes(e->tx_id()));
    ev["actor_member"] = e->sender_member();
    ev["details"] = details;
    events.push_back(ev);
  }
  used.insert(key);
  return ok_status();
}

const char* doc_state_name(pb::DocumentState s) {
  switch (s) {
    case pb::DOCUMENT_ISSUED: return "issued";
    case pb::DOCUMENT_SUPERSEDED: return "superseded";
    case pb::DOCUMENT_REVOKED: return "revoked";
    default: return "unknown";
  }
}

}  // namespace

Json bundle_to_json(const Bundle& b) {
  Json out = Json::object();
  out["format"] = kBundleFormat;
  out["chain_id"] = b.chain_id;
  out["target_hash"] = to_hex(b.target_hash);
  out["merkle_root"] = to_hex(b.merkle_root);
  Json epochs = Json::array();
  for (const auto& e : b.epochs) epochs.push_back(to_hex(e));
  out["epochs"] = epochs;
  Json entries = Json::array();
  for (const auto& e : b.entries) {
    Json j = Json::object();
    j["key"] = e.key;
    j["value"] = e.value ? Json(to_hex(*e.value)) : Json();
    j["proof"] = to_hex(e.proof);
    j["header"] = to_hex(e.header);
    j["certificate"] = to_hex(e.certificate);
    entries.push_back(j);
  }
  out["entries"] = entries;
  Json history = Json::object();
  for (const auto& [key, list] : b.history) {
    Json hl = Json::array();
    for (const auto& e : list) hl.push_back(to_hex(e));
    history[key] = hl;
  }
  out["history"] = history;
  return out;
}

Result<Bundle> bundle_from_json(const Json& j) {
  if (auto s = only_fields(j, {"format", "chain_id", "target_hash", "merkle_root", "epochs", "entries", "history"}, "bundle"); !s.ok())
    return s.error();
  if (!j.contains("format") || j["format"] != kBundleFormat) return bad(std::string("bundle: \"format\" must be \"") + kBundleFormat + "\"");
  Bundle b;
  if (!j.contains("chain_id") || !j["chain_id"].is_string()) return bad("bundle: \"chain_id\" must be a string");
  b.chain_id = j["chain_id"].get<std::string>();
  auto t = hash_field(j, "target_hash", "bundle");
  if (!t.ok()) return t.error();
  auto r = hash_field(j, "merkle_root", "bundle");
  if (!r.ok()) return r.error();
  b.target_hash = *t;
  b.merkle_root = *r;
  if (!j.contains("epochs") || !j["epochs"].is_array()) return bad("bundle: \"epochs\" must be a list (empty in epoch 0)");
  if (j["epochs"].size() > kMaxEpochs) return bad("bundle: too many validator-set changes");
  for (const auto& ej : j["epochs"]) {
    if (!ej.is_string()) return bad("bundle: \"epochs\" must hold hex strings");
    auto e = from_hex(ej.get<std::string>());
    if (!e.ok()) return bad("bundle: epochs: " + e.error().message);
    b.epochs.push_back(std::move(*e));
  }
  if (!j.contains("entries") || !j["entries"].is_array()) return bad("bundle: \"entries\" must be a list");
  if (j["entries"].size() > kMaxEntries) return bad("bundle: more than " + std::to_string(kMaxEntries) + " entries");
  std::set<std::string> seen;
  for (const auto& ej : j["entries"]) {
    if (auto s = only_fields(ej, {"key", "value", "proof", "header", "certificate"}, "bundle entry"); !s.ok()) return s.error();
    Entry e;
    if (!ej.contains("key") || !ej["key"].is_string()) return bad("bundle entry: \"key\" must be a string");
    e.key = ej["key"].get<std::string>();
    if (!seen.insert(e.key).second) return bad("bundle: two entries for " + e.key);
    const std::string where = "bundle entry " + e.key;
    if (!ej.contains("value")) return bad(where + ": \"value\" is required (null for absence)");
    if (!ej["value"].is_null()) {
      auto v = hex_field(ej, "value", where);
      if (!v.ok()) return v.error();
      e.value = *v;
    }
    for (auto [name, field] : {std::pair{"proof", &e.proof}, std::pair{"header", &e.header}, std::pair{"certificate", &e.certificate}}) {
      auto v = hex_field(ej, name, where);
      if (!v.ok()) return v.error();
      *field = *v;
    }
    b.entries.push_back(std::move(e));
  }
  if (!j.contains("history") || !j["history"].is_object()) return bad("bundle: \"history\" must be an object (record key -> entries)");
  size_t total = 0;
  for (const auto& [key, list] : j["history"].items()) {
    if (!list.is_array()) return bad("bundle: history of " + key + " must be a list");
    total += list.size();
    if (total > kMaxHistoryEntries) return bad("bundle: more than " + std::to_string(kMaxHistoryEntries) + " history entries");
    auto& out = b.history[key];
    for (const auto& h : list) {
      if (!h.is_string()) return bad("bundle: history of " + key + " must hold hex strings");
      auto bytes = from_hex(h.get<std::string>());
      if (!bytes.ok()) return bad("bundle: history of " + key + ": " + bytes.error().message);
      out.push_back(std::move(*bytes));
    }
  }
  return b;
}

std::vector<std::string> document_keys(const oa::Integrity& integrity) {
  std::vector<std::string> keys{doc_key(integrity.merkle_root)};
  for (const auto& h : verify::proof_path(integrity)) keys.push_back(rev_key(h, integrity.merkle_root));
  keys.push_back(bl_key(integrity.target_hash));
  return keys;
}

Result<Bundle> export_bundle(net::NodeClient& node, const std::string& chain_id, const oa::Integrity& integrity) {
  Bundle b{chain_id, integrity.target_hash, integrity.merkle_root, {}, {}};
  auto fetch = [&](const std::string& key) -> Result<const Entry*> {
    auto p = node.proof(key);
    if (!p.ok()) return p.error();
    if (!p->has_value()) return make_error(Errc::not_found, "the node has no proof for " + key);
    const Json& j = **p;
    Entry e;
    e.key = key;
    if (j.contains("value") && !j["value"].is_null()) {
      auto v = hex_field(j, "value", key);
      if (!v.ok()) return v.error();
      e.value = *v;
    }
    for (auto [name, field] : {std::pair{"proof", &e.proof}, std::pair{"header", &e.header}, std::pair{"certificate", &e.certificate}}) {
      auto v = hex_field(j, name, "GET /v1/proofs/" + key);
      if (!v.ok()) return v.error();
      *field = *v;
    }
    // Every answer carries the chain up to its own header's epoch: keep the longest (they are
    // prefixes of one chain; verify_bundle checks it whole).
    if (!j.contains("epoch_changes") || !j["epoch_changes"].is_array())
      return make_error(Errc::invalid_argument, "GET /v1/proofs/" + key + ": no \"epoch_changes\" list");
    if (j["epoch_changes"].size() > b.epochs.size()) {
      std::vector<Bytes> chain;
      for (const auto& c : j["epoch_changes"]) {
        if (!c.is_string()) return make_error(Errc::invalid_argument, "GET /v1/proofs/" + key + ": epoch_changes must hold hex");
        auto bytes = from_hex(c.get<std::string>());
        if (!bytes.ok()) return make_error(Errc::invalid_argument, "GET /v1/proofs/" + key + ": epoch_changes: " + bytes.error().message);
        chain.push_back(std::move(*bytes));
      }
      b.epochs = std::move(chain);
    }
    b.entries.push_back(std::move(e));
    return &b.entries.back();
  };
  std::string issuer;
  std::vector<std::string> present;  // records found: their histories go in too
  for (const auto& key : document_keys(integrity)) {
    auto e = fetch(key);
    if (!e.ok()) return e.error();
    if (!(*e)->value) continue;
    present.push_back(key);
    if (key.rfind("doc/", 0) == 0) {
      auto rec = parse_record<pb::DocumentRecord>(*(*e)->value, key);
      if (rec.ok()) issuer = rec->issuer();
    } else if (key.rfind("bl/", 0) == 0 && issuer.empty()) {
      auto rec = parse_record<pb::BillOfLading>(*(*e)->value, key);
      if (rec.ok()) issuer = rec->carrier();
    }
  }
  if (!issuer.empty()) {
    auto e = fetch("member/" + issuer);
    if (!e.ok()) return e.error();
  }
  // History heads first, then the entries: the node's history can only have grown since the head's
  // state, so it holds at least the entries the head counts, and the first `count` are those.
  std::map<std::string, uint64_t> counts;
  for (const auto& key : present) {
    auto e = fetch(hist_key(key));
    if (!e.ok()) return e.error();
    if (!(*e)->value) return make_error(Errc::invalid_argument, "the node proves no history head for " + key);
    auto head = parse_record<pb::HistoryHead>(*(*e)->value, hist_key(key));
    if (!head.ok()) return head.error();
    counts[key] = head->count();
  }
  auto collect = [&](const Json& events) -> Status {
    if (!events.is_array()) return make_error(Errc::invalid_argument, "history: not a list of events");
    for (const auto& ev : events) {
      if (!ev.is_object() || !ev.contains("record_key") || !ev["record_key"].is_string())
        return make_error(Errc::invalid_argument, "history event without record_key (a node older than this wallet?)");
      auto entry = hex_field(ev, "entry", "history event");
      if (!entry.ok()) return entry.error();
      const std::string key = ev["record_key"].get<std::string>();
      if (counts.count(key)) b.history[key].push_back(std::move(*entry));
    }
    return ok_status();
  };
  if (counts.size() > counts.count(bl_key(integrity.target_hash))) {  // doc/ or rev/ records: one history call
    auto events = node.document_history(to_hex(integrity.merkle_root));
    if (!events.ok()) return events.error();
    if (events->has_value()) DOCKET_TRY(collect(**events));
  }
  if (counts.count(bl_key(integrity.target_hash))) {
    auto bl = node.bill_of_lading(to_hex(integrity.target_hash));
    if (!bl.ok()) return bl.error();
    if (bl->has_value() && (**bl).contains("history")) DOCKET_TRY(collect((**bl)["history"]));
  }
  for (const auto& [key, count] : counts) {
    auto& list = b.history[key];
    if (list.size() < count)
      return make_error(Errc::invalid_argument, "the node returned " + std::to_string(list.size()) + " history entries for " + key +
                                                    ", fewer than the " + std::to_string(count) + " its proven head counts");
    list.resize(count);
  }
  return b;
}

Result<verify::LedgerFacts> verify_bundle(const Bundle& bundle, const contracts::Genesis& genesis, const Json& wrapped,
                                          const oa::Integrity& integrity) {
  if (bundle.chain_id != genesis.chain_id)
    return bad("the bundle is for chain \"" + bundle.chain_id + "\", the genesis for \"" + genesis.chain_id + "\"");
  if (bundle.target_hash != integrity.target_hash || bundle.merkle_root != integrity.merkle_root)
    return bad("the bundle was made for another document (targetHash/merkleRoot differ)");
  std::vector<crypto::PublicKey> genesis_keys;
  for (const auto& v : genesis.validators) genesis_keys.push_back(v.node_key);
  auto epochs = verify_epoch_chain(contracts::chain_binding(genesis), consensus::ValidatorSet(std::move(genesis_keys)), bundle.epochs);
  if (!epochs.ok()) return epochs.error();
  Checker check(bundle, genesis, std::move(*epochs));
  verify::LedgerFacts f;
  std::string issuer;
  std::vector<std::string> found;  // records proven present: their histories are checked
  auto doc = check.get(doc_key(integrity.merkle_root));
  if (!doc.ok()) return doc.error();
  if (doc->value) {
    auto rec = parse_record<pb::DocumentRecord>(*doc->value, doc_key(integrity.merkle_root));
    if (!rec.ok()) return rec.error();
    if (rec->merkle_root() != std::string(integrity.merkle_root.begin(), integrity.merkle_root.end()))
      return bad("the document record names another root");
    verify::DocumentFacts d;
    d.status = doc_state_name(rec->state());
    d.document_type = rec->document_type();
    d.issuer_member = rec->issuer();
    d.height = rec->issued_height();
    d.time_ms = rec->issued_time_ms();
    if (!rec->superseded_by().empty()) d.superseded_by = to_hex(as_bytes(rec->superseded_by()));
    if (rec->state() == pb::DOCUMENT_REVOKED) d.revoke_reason = pb::RevocationReason_Name(rec->revocation_reason());
    f.document = d;
    issuer = d.issuer_member;
    found.push_back(doc_key(integrity.merkle_root));
    for (const auto& h : verify::proof_path(integrity)) {
      auto rev = check.get(rev_key(h, integrity.merkle_root));
      if (!rev.ok()) return rev.error();
      if (!rev->value) continue;  // proven absent: not revoked
      auto r = parse_record<pb::Revocation>(*rev->value, rev_key(h, integrity.merkle_root));
      if (!r.ok()) return r.error();
      f.revocations.push_back({h, pb::RevocationReason_Name(r->reason()), r->height()});
      found.push_back(rev_key(h, integrity.merkle_root));
    }
  }
  const bool is_bill = verify::declared_type(wrapped) == "bill_of_lading";
  if (is_bill || !f.document) {
    auto bl = check.get(bl_key(integrity.target_hash));
    if (!bl.ok()) return bl.error();
    if (bl->value) {
      auto rec = parse_record<pb::BillOfLading>(*bl->value, bl_key(integrity.target_hash));
      if (!rec.ok()) return rec.error();
      f.bill = verify::BillFacts{contracts::bl_status_name(rec->status()), rec->carrier(), rec->owner(), rec->holder(), rec->nominee()};
      if (issuer.empty()) issuer = rec->carrier();
      found.push_back(bl_key(integrity.target_hash));
    }
  } else if (auto bl = check.get(bl_key(integrity.target_hash)); !bl.ok() && bl.error().message.find("has no proof") == std::string::npos) {
    return bl.error();  // present but not verifying: an altered bundle
  }
  if (!issuer.empty()) {
    auto m = check.get("member/" + issuer);
    if (!m.ok()) return m.error();
    if (m->value) {
      auto rec = parse_record<pb::Member>(*m->value, "member/" + issuer);
      if (!rec.ok()) return rec.error();
      f.issuer = verify::MemberFacts{rec->id(), rec->name(), rec->country(), {rec->roles().begin(), rec->roles().end()}};
    }
  }
  std::set<std::string> histories;
  Json events = Json::array();
  for (const auto& key : found) DOCKET_TRY(check_history(check, bundle, key, histories, events));
  for (const auto& [key, list] : bundle.history)
    if (!histories.count(key)) return bad("the bundle carries an unexpected history for " + key);
  std::vector<Json> sorted(events.begin(), events.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const Json& a, const Json& b) {
    return a["height"].get<uint64_t>() < b["height"].get<uint64_t>();
  });
  f.history = Json(sorted);
  if (auto s = check.all_used(); !s.ok()) return s.error();
  const uint64_t e = check.max_epoch();
  f.source = "proof bundle: state and complete history as of height " + std::to_string(check.height()) + ", certified by a quorum of the " +
             std::to_string(check.validators_of(e)) + (e == 0 ? " genesis validators of " + genesis.chain_id
                                                             : " validators of epoch " + std::to_string(e) + " of " + genesis.chain_id +
                                                                   ", reached from the genesis through " + std::to_string(e) +
                                                                   " proven validator-set change" + (e == 1 ? "" : "s"));
  return f;
}

}  // namespace docket::wallet::proofs
