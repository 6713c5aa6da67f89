#include "wallet/proofs/bundle.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "consensus/certificates.h"
#include "consensus/messages.h"
#include "consensus/verifier.h"
#include "contracts/history_chain.h"
#include "contracts/queries.h"
#include "contracts/records.h"
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

// A non-negative integer field, whichever way the JSON parser typed it (the wallet's parser reads
// numbers as JavaScript does, as doubles; exact up to 2^53).
std::optional<uint64_t> uint_field(const Json& j, const char* name) {
  if (!j.is_object() || !j.contains(name)) return std::nullopt;
  const Json& v = j[name];
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) return v.get<int64_t>() >= 0 ? std::optional<uint64_t>(static_cast<uint64_t>(v.get<int64_t>())) : std::nullopt;
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d >= 0 && d <= 9007199254740992.0 && d == static_cast<double>(static_cast<uint64_t>(d))) return static_cast<uint64_t>(d);
  }
  return std::nullopt;
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

// The one certified state of a bundle: the header decoded for the chain, its certificate checked
// against the validators of its epoch (proven from the genesis), and each entry's proof checked
// against its state root.
class Checker {
 public:
  Checker(const Bundle& b, const contracts::Genesis& g, std::vector<Epoch> epochs)
      : bundle_(b), genesis_(g), epochs_(std::move(epochs)) {}

  Status certify() {
    size_t widest = 0;
    for (const auto& e : epochs_) widest = std::max(widest, e.validators.size());
    consensus::Limits limits;
    limits.validators = widest;
    auto header = consensus::decode_header(bundle_.header, contracts::chain_binding(genesis_), limits);
    if (!header.ok()) return bad("the block header does not decode: " + header.error().message);
    epoch_ = header->header.epoch;
    if (epoch_ >= epochs_.size())
      return bad("the header is of epoch " + std::to_string(epoch_) + ", but the bundle proves the validator sets of epochs 0.." +
                 std::to_string(epochs_.size() - 1) + " only");
    if (epochs_.size() > epoch_ + 1)
      return bad("the bundle carries validator-set changes beyond epoch " + std::to_string(epoch_) + ", the header's");
    const Epoch& ep = epochs_[epoch_];
    if (epoch_ > 0 && header->header.height <= ep.start_after)
      return bad("the header's height is not in its epoch (which starts after height " + std::to_string(ep.start_after) + ")");
    if (header->header.proposer >= ep.validators.size()) return bad("the header's proposer is not a validator of its epoch");
    consensus::SchnorrVerifier verifier;
    consensus::CertContext ctx{contracts::chain_binding(genesis_), epoch_, &ep.validators, &verifier, {}};
    auto qc = consensus::verify_qc(bundle_.certificate, ctx);
    if (!qc.ok())
      return bad("the certificate is not a quorum of the signatures of epoch " + std::to_string(epoch_) + "'s validators" +
                 (epoch_ == 0 ? " (the genesis set)" : "") + ": " + qc.error().message);
    if (qc->block_id != header->id || qc->round != header->header.round) return bad("the certificate signs another block than the header");
    if (header->header.exec_height != bundle_.height)
      return bad("the bundle says height " + std::to_string(bundle_.height) + " but its header certifies the state of height " +
                 std::to_string(header->header.exec_height));
    auto root = hash_from_bytes(header->header.state_root);
    if (!root) return bad("the header carries no 32-byte state root");
    root_ = *root;
    return ok_status();
  }

  // The proven value of `key` (nullopt: proven absent); an error when the bundle has no proof for it
  // or the proof does not lead to the certified state root.
  Result<std::optional<Bytes>> get(const std::string& key) {
    const Entry* e = nullptr;
    for (const auto& x : bundle_.entries)
      if (x.key == key) e = &x;
    if (!e) return bad("the bundle has no proof for " + key);
    auto proof = state::decode_proof(e->proof);
    if (!proof.ok()) return bad(key + ": malformed state proof: " + proof.error().message);
    std::optional<ByteView> value;
    if (e->value) value = ByteView(*e->value);
    auto ok = state::verify_proof(root_, key, value, *proof);
    if (!ok.ok()) return bad(key + ": the state proof does not match the certified state root: " + ok.error().message);
    used_.insert(key);
    return e->value;
  }

  // Entries the verification did not read are refused: a bundle carries what it proves, no more.
  Status all_used() const {
    for (const auto& e : bundle_.entries)
      if (!used_.count(e.key)) return bad("the bundle carries an unexpected entry " + e.key);
    return ok_status();
  }
  uint64_t epoch() const { return epoch_; }
  size_t validators_of(uint64_t epoch) const { return epochs_.at(epoch).validators.size(); }

 private:
  const Bundle& bundle_;
  const contracts::Genesis& genesis_;
  std::vector<Epoch> epochs_;  // proven sets: [0] genesis, [e] after the e-th change
  uint64_t epoch_ = 0;
  Hash32 root_{};
  std::set<std::string> used_;
};

// The history of a proven record: the bundle's entries must hash to the head proven under
// "hist/<key>". Appends them to events as the API shows history events.
Status check_history(Checker& check, const Bundle& b, const std::string& key, std::set<std::string>& used, Json& events) {
  auto it = b.history.find(key);
  if (it == b.history.end()) return bad("the bundle carries no history for " + key);
  auto head = check.get(hist_key(key));
  if (!head.ok()) return head.error();
  if (!*head) return bad(key + ": no history head is proven for it");
  auto proven = parse_record<pb::HistoryHead>(**head, hist_key(key));
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
    ev["record_key"] = key;
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

// Parses a GET /v1/proofs answer into an entry.
Result<Entry> entry_from_answer(const Json& j, const std::string& key) {
  Entry e;
  e.key = key;
  if (j.contains("value") && !j["value"].is_null()) {
    auto v = hex_field(j, "value", key);
    if (!v.ok()) return v.error();
    e.value = *v;
  }
  auto proof = hex_field(j, "proof", "GET /v1/proofs/" + key);
  if (!proof.ok()) return proof.error();
  e.proof = *proof;
  return e;
}

Result<uint64_t> height_of(const Json& j, const std::string& key) {
  auto h = uint_field(j, "height");
  if (!h) return bad("GET /v1/proofs/" + key + ": no \"height\"");
  return *h;
}

// The node as a proof source, pinned to one certified height: every answer must carry the same
// header and certificate.
class NodeSource final : public ProofSource {
 public:
  NodeSource(net::NodeClient& node, Bundle& b) : node_(node), b_(b) {}

  Result<Entry> prove(const std::string& key) override {
    auto p = node_.proof(key, b_.height);
    if (!p.ok()) return p.error();
    if (!p->has_value()) return make_error(Errc::not_found, "the node has no proof for " + key + " at height " + std::to_string(b_.height));
    const Json& j = **p;
    auto h = height_of(j, key);
    if (!h.ok()) return h.error();
    auto header = hex_field(j, "header", "GET /v1/proofs/" + key);
    if (!header.ok()) return header.error();
    auto qc = hex_field(j, "certificate", "GET /v1/proofs/" + key);
    if (!qc.ok()) return qc.error();
    if (*h != b_.height || *header != b_.header || *qc != b_.certificate)
      return make_error(Errc::invalid_argument, "the node answered " + key + " from another certified block than the bundle's (height " +
                                                    std::to_string(b_.height) + ")");
    return entry_from_answer(j, key);
  }

  Result<std::vector<Bytes>> history(const std::string& record_key, uint64_t count) override {
    Result<std::optional<Json>> answer = std::optional<Json>{};
    Json events;
    if (record_key.rfind("doc/", 0) == 0) {
      answer = node_.document_history(record_key.substr(4));
      if (!answer.ok()) return answer.error();
      if (answer->has_value()) events = **answer;
    } else {
      answer = node_.bill_of_lading(record_key.substr(3));
      if (!answer.ok()) return answer.error();
      if (answer->has_value() && (**answer).contains("history")) events = (**answer)["history"];
    }
    if (!events.is_array()) events = Json::array();
    std::vector<Bytes> out;
    for (const auto& ev : events) {
      if (!ev.is_object() || !ev.contains("record_key") || !ev["record_key"].is_string())
        return make_error(Errc::invalid_argument, "history event without record_key (a node older than this wallet?)");
      if (ev["record_key"].get<std::string>() != record_key) continue;
      auto entry = hex_field(ev, "entry", "history event");
      if (!entry.ok()) return entry.error();
      if (out.size() < count) out.push_back(std::move(*entry));
    }
    // The node's history can only have grown since the bundle's height: its first `count` entries
    // are the ones the proven head counts (verify_bundle checks they hash to it).
    if (out.size() < count)
      return make_error(Errc::invalid_argument, "the node returned " + std::to_string(out.size()) + " history entries for " + record_key +
                                                    ", fewer than the " + std::to_string(count) + " its proven head counts");
    return out;
  }

 private:
  net::NodeClient& node_;
  Bundle& b_;
};

}  // namespace

Json bundle_to_json(const Bundle& b) {
  Json out = Json::object();
  out["format"] = kBundleFormat;
  out["chain_id"] = b.chain_id;
  out["target_hash"] = to_hex(b.target_hash);
  out["merkle_root"] = to_hex(b.merkle_root);
  out["height"] = b.height;
  out["header"] = to_hex(b.header);
  out["certificate"] = to_hex(b.certificate);
  Json epochs = Json::array();
  for (const auto& e : b.epochs) epochs.push_back(to_hex(e));
  out["epochs"] = epochs;
  Json entries = Json::array();
  for (const auto& e : b.entries) {
    Json j = Json::object();
    j["key"] = e.key;
    j["value"] = e.value ? Json(to_hex(*e.value)) : Json();
    j["proof"] = to_hex(e.proof);
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
  if (!j.is_object()) return bad("bundle must be an object");
  if (!j.contains("format") || !j["format"].is_string()) return bad(std::string("bundle: \"format\" must be \"") + kBundleFormat + "\"");
  if (j["format"] == "docket-proof-bundle/2" || j["format"] == "docket-proof-bundle/1")
    return bad("bundle format " + j["format"].get<std::string>() +
               " certified each fact at its own height and is no longer accepted: export the bundle again with this wallet");
  if (j["format"] != kBundleFormat) return bad(std::string("bundle: \"format\" must be \"") + kBundleFormat + "\"");
  if (auto s = only_fields(j, {"format", "chain_id", "target_hash", "merkle_root", "height", "header", "certificate", "epochs", "entries",
                               "history"},
                           "bundle");
      !s.ok())
    return s.error();
  Bundle b;
  if (!j.contains("chain_id") || !j["chain_id"].is_string()) return bad("bundle: \"chain_id\" must be a string");
  b.chain_id = j["chain_id"].get<std::string>();
  auto t = hash_field(j, "target_hash", "bundle");
  if (!t.ok()) return t.error();
  auto r = hash_field(j, "merkle_root", "bundle");
  if (!r.ok()) return r.error();
  b.target_hash = *t;
  b.merkle_root = *r;
  auto height = uint_field(j, "height");
  if (!height) return bad("bundle: \"height\" must be a non-negative integer");
  b.height = *height;
  for (auto [name, field] : {std::pair{"header", &b.header}, std::pair{"certificate", &b.certificate}}) {
    auto v = hex_field(j, name, "bundle");
    if (!v.ok()) return v.error();
    *field = *v;
  }
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
    if (ej.is_object() && (ej.contains("header") || ej.contains("certificate")))
      return bad("bundle entry with its own header: every fact of a bundle is certified at the bundle's one height, by its one header "
                 "(a bundle mixing heights is refused)");
    if (auto s = only_fields(ej, {"key", "value", "proof"}, "bundle entry"); !s.ok()) return s.error();
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
    auto proof = hex_field(ej, "proof", where);
    if (!proof.ok()) return proof.error();
    e.proof = *proof;
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

Status assemble_bundle(ProofSource& source, const oa::Integrity& integrity, Bundle& b) {
  b.entries.clear();
  b.history.clear();
  auto add = [&](const std::string& key) -> Result<const Entry*> {
    for (const auto& e : b.entries)
      if (e.key == key) return &e;
    auto e = source.prove(key);
    if (!e.ok()) return e.error();
    b.entries.push_back(std::move(*e));
    return &b.entries.back();
  };
  std::vector<std::string> members;    // issuer and carriers, in the order met
  std::vector<std::string> histories;  // records found whose history goes in
  auto add_member = [&](const std::string& id) {
    if (!id.empty() && std::find(members.begin(), members.end(), id) == members.end()) members.push_back(id);
  };
  auto doc = add(doc_key(integrity.merkle_root));
  if (!doc.ok()) return doc.error();
  if ((*doc)->value) {
    auto rec = parse_record<pb::DocumentRecord>(*(*doc)->value, doc_key(integrity.merkle_root));
    if (!rec.ok()) return rec.error();
    add_member(rec->issuer());
    histories.push_back(doc_key(integrity.merkle_root));
    for (const auto& h : verify::proof_path(integrity))
      if (auto r = add(rev_key(h, integrity.merkle_root)); !r.ok()) return r.error();
  }
  for (const Hash32& id : verify::record_ids(integrity)) {
    auto bl = add(bl_key(id));
    if (!bl.ok()) return bl.error();
    if (!(*bl)->value) continue;
    auto rec = parse_record<pb::BillOfLading>(*(*bl)->value, bl_key(id));
    if (!rec.ok()) return rec.error();
    add_member(rec->carrier());
    histories.push_back(bl_key(id));
  }
  for (const auto& id : members) {
    auto m = add("member/" + id);
    if (!m.ok()) return m.error();
    // Not a member: the tombstone (or its absence) says whether it was removed, and when.
    if (!(*m)->value)
      if (auto t = add(std::string(contracts::kRemovedPrefix) + id); !t.ok()) return t.error();
  }
  for (const auto& key : histories) {
    auto head = add(hist_key(key));
    if (!head.ok()) return head.error();
    if (!(*head)->value) return make_error(Errc::invalid_argument, "no history head is proven for " + key);
    auto parsed = parse_record<pb::HistoryHead>(*(*head)->value, hist_key(key));
    if (!parsed.ok()) return parsed.error();
    auto entries = source.history(key, parsed->count());
    if (!entries.ok()) return entries.error();
    b.history[key] = std::move(*entries);
  }
  return ok_status();
}

Result<Bundle> export_bundle(net::NodeClient& node, const std::string& chain_id, const oa::Integrity& integrity,
                             const ExportOptions& options) {
  Bundle b;
  b.chain_id = chain_id;
  b.target_hash = integrity.target_hash;
  b.merkle_root = integrity.merkle_root;
  // Pick the certified state: the node's latest, once it covers min_height. A state of height h is
  // certified by a later block, so right after a commit at height N this takes a block or two.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.wait_ms);
  const std::string probe = std::string(contracts::kChainKey);
  Json answer;
  for (;;) {
    auto p = node.proof(probe);
    if (!p.ok()) return p.error();
    if (!p->has_value()) return make_error(Errc::not_found, "the node has no certified state yet");
    auto h = height_of(**p, probe);
    if (!h.ok()) return h.error();
    if (*h >= options.min_height) {
      // Ask again at that height: the node answers every ?height=h from the first block that
      // certified h, which need not be its tip (a later block may carry the same state).
      auto pinned = node.proof(probe, *h);
      if (!pinned.ok()) return pinned.error();
      if (!pinned->has_value()) return make_error(Errc::not_found, "the node has no proof at height " + std::to_string(*h));
      answer = **pinned;
      b.height = *h;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline)
      return make_error(Errc::unavailable, "the node has not certified a state covering height " + std::to_string(options.min_height) +
                                               " within " + std::to_string(options.wait_ms / 1000) + " s (latest certified: " +
                                               std::to_string(*h) + "); no bundle written, try again");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (auto [name, field] : {std::pair{"header", &b.header}, std::pair{"certificate", &b.certificate}}) {
    auto v = hex_field(answer, name, "GET /v1/proofs/" + probe);
    if (!v.ok()) return v.error();
    *field = *v;
  }
  if (!answer.contains("epoch_changes") || !answer["epoch_changes"].is_array())
    return make_error(Errc::invalid_argument, "GET /v1/proofs: no \"epoch_changes\" list");
  for (const auto& c : answer["epoch_changes"]) {
    if (!c.is_string()) return make_error(Errc::invalid_argument, "GET /v1/proofs: epoch_changes must hold hex");
    auto bytes = from_hex(c.get<std::string>());
    if (!bytes.ok()) return make_error(Errc::invalid_argument, "GET /v1/proofs: epoch_changes: " + bytes.error().message);
    b.epochs.push_back(std::move(*bytes));
  }
  NodeSource source(node, b);
  DOCKET_TRY(assemble_bundle(source, integrity, b));
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
  DOCKET_TRY(check.certify());
  verify::LedgerFacts f;
  std::vector<std::string> members;  // the document's issuer and each bill's carrier
  std::vector<std::string> found;    // records proven present whose history is checked
  const std::string dkey = doc_key(integrity.merkle_root);
  auto doc = check.get(dkey);
  if (!doc.ok()) return doc.error();
  if (*doc) {
    auto rec = parse_record<pb::DocumentRecord>(**doc, dkey);
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
    members.push_back(d.issuer_member);
    found.push_back(dkey);
    for (const auto& h : verify::proof_path(integrity)) {
      auto rev = check.get(rev_key(h, integrity.merkle_root));
      if (!rev.ok()) return rev.error();
      if (!*rev) continue;  // proven absent: not revoked
      auto r = parse_record<pb::Revocation>(**rev, rev_key(h, integrity.merkle_root));
      if (!r.ok()) return r.error();
      f.revocations.push_back({h, pb::RevocationReason_Name(r->reason()), r->height()});
    }
  }
  // Both bill ids are always proven (present or absent), whatever the document says it is, so the
  // first registered bill is known; it counts for a bill of lading, or when no root is registered.
  const bool is_bill = verify::declared_type(wrapped) == "bill_of_lading";
  std::vector<std::pair<std::string, verify::BillFacts>> bills;  // record key, facts
  std::string bill_key_shown;
  for (const Hash32& id : verify::record_ids(integrity)) {
    auto bl = check.get(bl_key(id));
    if (!bl.ok()) return bl.error();
    if (!*bl) continue;
    auto rec = parse_record<pb::BillOfLading>(**bl, bl_key(id));
    if (!rec.ok()) return rec.error();
    bills.emplace_back(bl_key(id), verify::BillFacts{contracts::bl_status_name(rec->status()), rec->carrier(), rec->owner(), rec->holder(), rec->nominee(),
                                      rec->issued_height()});
    if (std::find(members.begin(), members.end(), rec->carrier()) == members.end()) members.push_back(rec->carrier());
    found.push_back(bl_key(id));
  }
  if (is_bill || !f.document) {
    for (const auto& [key, b] : bills) {
      if (!f.bill || b.height < f.bill->height) {
        if (f.bill) f.other_bills.push_back(*f.bill);
        f.bill = b;
        bill_key_shown = key;
      } else {
        f.other_bills.push_back(b);
      }
    }
  }
  const std::string issuer = f.bill && (is_bill || !f.document) ? f.bill->carrier : f.document ? f.document->issuer_member : "";
  for (const auto& id : members) {
    auto m = check.get("member/" + id);
    if (!m.ok()) return m.error();
    if (!*m) {
      const std::string tkey = std::string(contracts::kRemovedPrefix) + id;
      auto t = check.get(tkey);
      if (!t.ok()) return t.error();
      if (!*t || id != issuer) continue;
      auto rec = parse_record<pb::RemovedMember>(**t, tkey);
      if (!rec.ok()) return rec.error();
      if (rec->id() != id) return bad(tkey + ": the tombstone names another member");
      f.issuer = verify::MemberFacts{rec->id(), rec->name(), rec->country(), {}, rec->removed_height(), rec->successor()};
      continue;
    }
    if (id != issuer) continue;
    auto rec = parse_record<pb::Member>(**m, "member/" + id);
    if (!rec.ok()) return rec.error();
    f.issuer = verify::MemberFacts{rec->id(), rec->name(), rec->country(), {rec->roles().begin(), rec->roles().end()}, {}, {}};
  }
  std::set<std::string> histories;
  Json events = Json::array();
  for (const auto& key : found) {
    // A bill record that is not the bill (a later claim) still had its proofs read; its history is
    // not shown.
    Json scratch = Json::array();
    DOCKET_TRY(check_history(check, bundle, key, histories, scratch));
    if (key == dkey || key == bill_key_shown)
      for (auto& e : scratch) events.push_back(std::move(e));
  }
  for (const auto& [key, list] : bundle.history)
    if (!histories.count(key)) return bad("the bundle carries an unexpected history for " + key);
  std::vector<Json> sorted(events.begin(), events.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const Json& a, const Json& b) {
    return a["height"].get<uint64_t>() < b["height"].get<uint64_t>();
  });
  f.history = Json(sorted);
  if (auto s = check.all_used(); !s.ok()) return s.error();
  const uint64_t e = check.epoch();
  f.as_of_height = bundle.height;
  f.source = "proof bundle: state and complete history as of height " + std::to_string(bundle.height) + ", certified by a quorum of the " +
             std::to_string(check.validators_of(e)) + (e == 0 ? " genesis validators of " + genesis.chain_id
                                                             : " validators of epoch " + std::to_string(e) + " of " + genesis.chain_id +
                                                                   ", reached from the genesis through " + std::to_string(e) +
                                                                   " proven validator-set change" + (e == 1 ? "" : "s"));
  return f;
}

}  // namespace docket::wallet::proofs
