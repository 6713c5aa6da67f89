#include "ledger/api/v1_routes.h"

#include <charconv>

#include "ledger/api/errors.h"
#include "ledger/api/json_body.h"

namespace docket::api {

using nlohmann::json;

const char* tx_status_name(TxStatus s) {
  switch (s) {
    case TxStatus::committed: return "committed";
    case TxStatus::pending: return "pending";
    case TxStatus::rejected: return "rejected";
  }
  return "rejected";
}

namespace {

template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}
json hex(ByteView b) { return to_hex(b); }
template <size_t N>
json hex(const std::array<uint8_t, N>& a) {
  return to_hex(a);
}
template <size_t N>
json hex_list(const std::vector<std::array<uint8_t, N>>& v) {
  json out = json::array();
  for (const auto& a : v) out.push_back(to_hex(a));
  return out;
}

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}
Response ok(const json& body) { return json_response(200, body); }

Response bad_request(const std::string& message) { return error_response(400, "invalid_argument", message); }

// Refuses query parameters a route does not take, so a typo (?heigth=) is an error, not ignored.
std::optional<Response> check_query(const Call& call, std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : call.query) {
    bool known = false;
    for (auto a : allowed) known |= k == a;
    if (!known) return bad_request("unknown query parameter '" + k.substr(0, 64) + "'");
  }
  return std::nullopt;
}

std::variant<Hash32, Response> hash_param(const Call& call, const char* name) {
  auto h = hash_from_hex(call.params.at(name));
  if (!h) return bad_request(std::string(name) + " must be 64 hex digits");
  return *h;
}

Result<uint64_t> parse_u64(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    return make_error(Errc::invalid_argument, "not a non-negative integer");
  return v;
}

// A handler for a route with one 32-byte hash parameter and a synchronous NodeApi lookup.
template <typename T>
Handler hash_lookup(const char* param, std::function<Result<T>(const Hash32&)> lookup,
                    std::function<json(const Hash32&, const T&)> render) {
  return [param, lookup = std::move(lookup), render = std::move(render)](const Call& call, Reply reply) {
    if (auto bad = check_query(call, {})) return reply(*bad);
    auto h = hash_param(call, param);
    if (auto* r = std::get_if<Response>(&h)) return reply(*r);
    const Hash32& hash = std::get<Hash32>(h);
    auto found = lookup(hash);
    if (!found) return reply(error_response(found.error()));
    reply(ok(render(hash, *found)));
  };
}

void submit(NodeApi& node, const V1Options& opts, const Call& call, Reply reply) {
  if (auto bad = check_query(call, {})) return reply(*bad);
  auto parsed = parse_json_object(call.request, {"tx", "wait", "timeout_ms"});
  if (auto* r = std::get_if<Response>(&parsed)) return reply(*r);
  const json& body = std::get<json>(parsed);

  if (!body.contains("tx") || !body["tx"].is_string()) return reply(bad_request("field 'tx' (hex string) is required"));
  const auto& tx_hex = body["tx"].get_ref<const std::string&>();
  if (tx_hex.size() / 2 > opts.max_tx_bytes)
    return reply(error_response(413, "too_large", "transaction larger than " + std::to_string(opts.max_tx_bytes) + " bytes"));
  auto tx = from_hex(tx_hex);
  if (!tx) return reply(bad_request("field 'tx': " + tx.error().message));
  if (tx->empty()) return reply(bad_request("field 'tx' is empty"));

  SubmitRequest req;
  req.tx = std::move(*tx);
  if (body.contains("wait")) {
    if (!body["wait"].is_boolean()) return reply(bad_request("field 'wait' must be true or false"));
    req.wait = body["wait"].get<bool>();
  }
  req.timeout = std::min(opts.default_wait, opts.max_wait);
  if (body.contains("timeout_ms")) {
    const json& t = body["timeout_ms"];
    if (!t.is_number_unsigned()) return reply(bad_request("field 'timeout_ms' must be a non-negative integer"));
    const uint64_t ms = t.get<uint64_t>();
    req.timeout = ms >= static_cast<uint64_t>(opts.max_wait.count()) ? opts.max_wait
                                                                     : std::chrono::milliseconds(static_cast<int64_t>(ms));
  }
  node.submit_transaction(std::move(req), [reply = std::move(reply)](SubmitResult r) {
    reply(json_response(submit_http_status(r), to_json(r)));
  });
}

}  // namespace

int submit_http_status(const SubmitResult& r) {
  switch (r.status) {
    case TxStatus::committed: return 200;
    case TxStatus::pending: return 202;
    case TxStatus::rejected: return r.code == errc_name(Errc::unavailable) ? 503 : 422;
  }
  return 422;
}

json to_json(const NodeStatus& s) {
  return {{"chain_id", s.chain_id},
          {"genesis_hash", hex(s.genesis_hash)},
          {"node_key", hex(s.node_key)},
          {"version", s.version},
          {"height", s.height},
          {"block_hash", hex(s.block_hash)},
          {"round", s.round},
          {"epoch", s.epoch},
          {"sync", {{"state", s.sync_state}, {"target_height", s.sync_target_height}}},
          {"peers", hex_list(s.peers)},
          {"validators", hex_list(s.validators)},
          {"is_validator", s.is_validator},
          {"mempool", {{"txs", s.mempool_txs}, {"bytes", s.mempool_bytes}}}};
}

json to_json(const std::vector<TxEvent>& events) {
  json out = json::array();
  for (const auto& e : events) out.push_back({{"kind", e.kind}, {"subject", e.subject}, {"attributes", e.attributes}});
  return out;
}

json to_json(const SubmitResult& r) {
  return {{"id", hex(r.id)}, {"status", tx_status_name(r.status)}, {"height", opt(r.height)},
          {"code", r.code},  {"message", r.message}, {"events", to_json(r.events)}};
}

json to_json(const TxInfo& t) {
  return {{"id", hex(t.id)},       {"status", tx_status_name(t.status)}, {"height", opt(t.height)},
          {"index", opt(t.index)}, {"time_ms", opt(t.time_ms)},         {"code", t.code},
          {"message", t.message},  {"sender", hex(t.sender)},           {"nonce", t.nonce},
          {"tx", hex(t.tx)},       {"events", to_json(t.events)}};
}

json to_json(const AccountInfo& a) {
  return {{"pubkey", hex(a.key)}, {"nonce", a.nonce}, {"member_id", opt(a.member_id)}, {"roles", a.roles}};
}

json to_json(const HistoryEvent& e) {
  return {{"kind", e.kind},
          {"height", e.height},
          {"time_ms", e.time_ms},
          {"tx_id", hex(e.tx_id)},
          {"actor_member", e.actor_member},
          {"actor_key", hex(e.actor_key)},
          {"details", e.details},
          {"record_key", e.record_key},
          {"entry", to_hex(e.entry)}};
}

json to_json(const DocumentInfo& d) {
  return {{"hash", hex(d.hash)},
          {"merkle_root", hex(d.merkle_root)},
          {"status", d.status},
          {"document_type", d.document_type},
          {"issuer_member", d.issuer_member},
          {"issuer_key", hex(d.issuer_key)},
          {"height", d.height},
          {"time_ms", d.time_ms},
          {"tx_id", hex(d.tx_id)},
          {"public_fields", d.public_fields},
          {"revoked_height", opt(d.revoked_height)},
          {"revoke_reason", opt(d.revoke_reason)},
          {"superseded_by", d.superseded_by ? hex(*d.superseded_by) : json(nullptr)}};
}

json to_json(const BillOfLading& b) {
  json history = json::array();
  for (const auto& e : b.history) history.push_back(to_json(e));
  return {{"id", hex(b.id)},
          {"status", b.status},
          {"issuer_member", b.issuer_member},
          {"owner", b.owner},
          {"holder", b.holder},
          {"nominee", opt(b.nominee)},
          {"bl_type", b.bl_type},
          {"height", b.height},
          {"time_ms", b.time_ms},
          {"history", history}};
}

json to_json(const MemberInfo& m) {
  return {{"member_id", m.member_id},
          {"name", m.name},
          {"country", m.country},
          {"roles", m.roles},
          {"keys", hex_list(m.keys)},
          {"validator_key", m.validator_key ? hex(*m.validator_key) : json(nullptr)}};
}

json to_json(const BlockInfo& b) {
  json ids = json::array();
  for (const auto& id : b.tx_ids) ids.push_back(to_hex(id));
  return {{"height", b.height},
          {"id", hex(b.id)},
          {"epoch", b.epoch},
          {"round", b.round},
          {"parent_id", hex(b.parent_id)},
          {"payload_hash", hex(b.payload_hash)},
          {"exec_height", b.exec_height},
          {"state_root", hex(b.state_root)},
          {"time_ms", b.time_ms},
          {"proposer", b.proposer},
          {"tx_ids", ids},
          {"header", hex(b.header)},
          {"certificate", hex(b.certificate)}};
}

json to_json(const StateProof& p) {
  json changes = json::array();
  for (const auto& c : p.epoch_changes) changes.push_back(to_hex(c));
  return {{"key", hex(p.key)},
          {"height", p.height},
          {"state_root", hex(p.state_root)},
          {"value", p.value ? hex(*p.value) : json(nullptr)},
          {"proof", hex(p.proof)},
          {"header", hex(p.header)},
          {"certificate", hex(p.certificate)},
          {"epoch_changes", changes}};
}

void add_v1_routes(Router& router, NodeApi& node, const V1Options& opts) {
  router.add(Method::get, "/v1/status", [&node](const Call& call, Reply reply) {
    if (auto bad = check_query(call, {})) return reply(*bad);
    reply(ok(to_json(node.status())));
  });

  router.add(Method::post, "/v1/transactions",
             [&node, opts](const Call& call, Reply reply) { submit(node, opts, call, std::move(reply)); });

  router.add(Method::get, "/v1/transactions/{id}",
             hash_lookup<TxInfo>(
                 "id", [&node](const Hash32& h) { return node.transaction(h); },
                 [](const Hash32&, const TxInfo& t) { return to_json(t); }));

  router.add(Method::get, "/v1/accounts/{pubkey}", [&node](const Call& call, Reply reply) {
    if (auto bad = check_query(call, {})) return reply(*bad);
    auto key = crypto::public_key_from_hex(call.params.at("pubkey"));
    if (!key) return reply(bad_request("pubkey must be a 32-byte x-only public key in hex"));
    auto a = node.account(*key);
    if (!a) return reply(error_response(a.error()));
    reply(ok(to_json(*a)));
  });

  router.add(Method::get, "/v1/documents/{hash}", [&node](const Call& call, Reply reply) {
    if (auto bad = check_query(call, {"root"})) return reply(*bad);
    auto h = hash_param(call, "hash");
    if (auto* r = std::get_if<Response>(&h)) return reply(*r);
    std::optional<Hash32> root;
    if (auto it = call.query.find("root"); it != call.query.end()) {
      auto r = hash_from_hex(it->second);
      if (!r) return reply(bad_request("root must be a 32-byte hash in hex"));
      root = *r;
    }
    auto found = node.document(std::get<Hash32>(h), root);
    if (!found) return reply(error_response(found.error()));
    reply(ok(to_json(*found)));
  });

  router.add(Method::get, "/v1/documents/{hash}/history",
             hash_lookup<std::vector<HistoryEvent>>(
                 "hash", [&node](const Hash32& h) { return node.document_history(h); },
                 [](const Hash32& h, const std::vector<HistoryEvent>& events) {
                   json list = json::array();
                   for (const auto& e : events) list.push_back(to_json(e));
                   return json{{"hash", to_hex(h)}, {"events", list}};
                 }));

  router.add(Method::get, "/v1/bl/{id}",
             hash_lookup<BillOfLading>(
                 "id", [&node](const Hash32& h) { return node.bill_of_lading(h); },
                 [](const Hash32&, const BillOfLading& b) { return to_json(b); }));

  router.add(Method::get, "/v1/members", [&node](const Call& call, Reply reply) {
    if (auto bad = check_query(call, {})) return reply(*bad);
    auto members = node.members();
    if (!members) return reply(error_response(members.error()));
    json list = json::array();
    for (const auto& m : *members) list.push_back(to_json(m));
    reply(ok(json{{"members", list}}));
  });

  router.add(Method::get, "/v1/blocks/{height}", [&node](const Call& call, Reply reply) {
    if (auto bad = check_query(call, {})) return reply(*bad);
    auto height = parse_u64(call.params.at("height"));
    if (!height) return reply(bad_request("height must be a non-negative integer"));
    auto b = node.block(*height);
    if (!b) return reply(error_response(b.error()));
    reply(ok(to_json(*b)));
  });

  router.add(Method::get, "/v1/proofs/{key}", [&node, opts](const Call& call, Reply reply) {
    if (auto bad = check_query(call, {"height"})) return reply(*bad);
    const std::string& key_hex = call.params.at("key");
    if (key_hex.size() / 2 > opts.max_proof_key_bytes)
      return reply(error_response(413, "too_large", "key longer than " + std::to_string(opts.max_proof_key_bytes) + " bytes"));
    auto key = from_hex(key_hex);
    if (!key || key->empty()) return reply(bad_request("key must be non-empty hex"));
    std::optional<uint64_t> height;
    if (auto it = call.query.find("height"); it != call.query.end()) {
      auto h = parse_u64(it->second);
      if (!h) return reply(bad_request("height must be a non-negative integer"));
      height = *h;
    }
    auto p = node.proof(*key, height);
    if (!p) return reply(error_response(p.error()));
    reply(ok(to_json(*p)));
  });
}

void add_metrics_route(Router& router, const metrics::Registry& registry) {
  router.add(Method::get, "/metrics", [&registry](const Call&, Reply reply) {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = registry.render();
    reply(std::move(r));
  });
}

}  // namespace docket::api
