#include "ledger/api/v1_routes.h"

#include <algorithm>
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

// The member id syntax of the contracts (docs/contracts.md); anything else can name no member.
bool is_member_id(const std::string& id) {
  auto ok_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; };
  return !id.empty() && id.size() <= 64 && id[0] != '_' && id[0] != '-' && std::all_of(id.begin(), id.end(), ok_char);
}

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

// The bytes of a body's "tx" field (hex), within the size limit.
std::variant<Bytes, Response> tx_field(const json& body, const V1Options& opts) {
  if (!body.contains("tx") || !body["tx"].is_string()) return bad_request("field 'tx' (hex string) is required");
  const auto& tx_hex = body["tx"].get_ref<const std::string&>();
  if (tx_hex.size() / 2 > opts.max_tx_bytes)
    return error_response(413, "too_large", "transaction larger than " + std::to_string(opts.max_tx_bytes) + " bytes");
  auto tx = from_hex(tx_hex);
  if (!tx) return bad_request("field 'tx': " + tx.error().message);
  if (tx->empty()) return bad_request("field 'tx' is empty");
  return std::move(*tx);
}

// ?from=<index>&limit=<n> of a history route: limit defaults to, and is capped at, kMaxHistoryPage.
std::variant<HistoryPageRequest, Response> page_param(const Call& call) {
  HistoryPageRequest page;
  if (auto it = call.query.find("from"); it != call.query.end()) {
    auto v = parse_u64(it->second);
    if (!v) return bad_request("from must be a non-negative integer");
    page.from = *v;
  }
  if (auto it = call.query.find("limit"); it != call.query.end()) {
    auto v = parse_u64(it->second);
    if (!v || *v == 0) return bad_request("limit must be a positive integer");
    page.limit = static_cast<size_t>(std::min<uint64_t>(*v, kMaxHistoryPage));
  }
  return page;
}

// A history route: one hash parameter, ?from=&limit=, the page under `name` (e.g. "hash").
Handler history_route(const char* param, std::function<Result<HistoryPage>(const Hash32&, HistoryPageRequest)> lookup) {
  return [param, lookup = std::move(lookup)](const Call& call, Reply reply) {
    if (auto bad = check_query(call, {"from", "limit"})) return reply(*bad);
    auto h = hash_param(call, param);
    if (auto* r = std::get_if<Response>(&h)) return reply(*r);
    auto page = page_param(call);
    if (auto* r = std::get_if<Response>(&page)) return reply(*r);
    const Hash32& hash = std::get<Hash32>(h);
    auto found = lookup(hash, std::get<HistoryPageRequest>(page));
    if (!found) return reply(error_response(found.error()));
    json body = to_json(*found);
    body[param] = to_hex(hash);
    reply(ok(body));
  };
}

void submit(NodeApi& node, const V1Options& opts, const Call& call, Reply reply) {
  if (auto bad = check_query(call, {})) return reply(*bad);
  auto parsed = parse_json_object(call.request, {"tx", "wait", "timeout_ms"});
  if (auto* r = std::get_if<Response>(&parsed)) return reply(*r);
  const json& body = std::get<json>(parsed);

  auto tx = tx_field(body, opts);
  if (auto* r = std::get_if<Response>(&tx)) return reply(*r);
  SubmitRequest req;
  req.tx = std::move(std::get<Bytes>(tx));
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

// The same body as a submission, so a client can send the body it would submit; wait and
// timeout_ms mean nothing here and are ignored.
void check(NodeApi& node, const V1Options& opts, const Call& call, Reply reply) {
  if (auto bad = check_query(call, {})) return reply(*bad);
  auto parsed = parse_json_object(call.request, {"tx", "wait", "timeout_ms"});
  if (auto* r = std::get_if<Response>(&parsed)) return reply(*r);
  auto tx = tx_field(std::get<json>(parsed), opts);
  if (auto* r = std::get_if<Response>(&tx)) return reply(*r);
  auto result = node.check_transaction(std::get<Bytes>(tx));
  if (!result) return reply(error_response(result.error()));
  reply(ok(to_json(*result)));
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
          {"voting", s.voting},
          {"recovering_to", opt(s.recovering_to)},
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

json to_json(const CheckResult& r) {
  return {{"id", hex(r.id)}, {"code", r.code}, {"message", r.message}, {"height", r.height}};
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
  json other_claims = json::array();
  for (const auto& c : d.other_root_claims)
    other_claims.push_back({{"merkle_root", hex(c.merkle_root)},
                            {"issuer_member", c.issuer_member},
                            {"revoke_reason", c.reason},
                            {"note", c.note},
                            {"height", c.height},
                            {"time_ms", c.time_ms},
                            {"tx_id", hex(c.tx_id)}});
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
          {"superseded_by", d.superseded_by ? hex(*d.superseded_by) : json(nullptr)},
          {"other_root_claims", other_claims}};
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
          {"history", history},
          {"history_total", b.history_total},
          {"history_next", opt(b.history_next)}};
}

json to_json(const HistoryPage& p) {
  json events = json::array();
  for (const auto& e : p.events) events.push_back(to_json(e));
  return {{"events", events}, {"total", p.total}, {"next", opt(p.next)}};
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

  router.add(Method::post, "/v1/transactions/check",
             [&node, opts](const Call& call, Reply reply) { check(node, opts, call, std::move(reply)); });

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
             history_route("hash", [&node](const Hash32& h, HistoryPageRequest p) { return node.document_history(h, p); }));

  router.add(Method::get, "/v1/bl/{id}",
             hash_lookup<BillOfLading>(
                 "id", [&node](const Hash32& h) { return node.bill_of_lading(h); },
                 [](const Hash32&, const BillOfLading& b) { return to_json(b); }));

  router.add(Method::get, "/v1/bl/{id}/history",
             history_route("id", [&node](const Hash32& h, HistoryPageRequest p) { return node.bill_history(h, p); }));

  router.add(Method::get, "/v1/members", [&node](const Call& call, Reply reply) {
    if (auto bad = check_query(call, {})) return reply(*bad);
    auto members = node.members();
    if (!members) return reply(error_response(members.error()));
    json list = json::array();
    for (const auto& m : *members) list.push_back(to_json(m));
    reply(ok(json{{"members", list}}));
  });

  router.add(Method::get, "/v1/members/{id}", [&node](const Call& call, Reply reply) {
    if (auto bad = check_query(call, {})) return reply(*bad);
    const std::string& id = call.params.at("id");
    if (!is_member_id(id)) return reply(bad_request("id must be a member id: [a-z0-9][a-z0-9_-]{0,63}"));
    auto m = node.member(id);
    if (!m) return reply(error_response(m.error()));
    json body = to_json(*m);
    body["removed"] = m->removed;
    if (m->removed) {
      body["removed_height"] = m->removed_height;
      body["removed_time_ms"] = m->removed_time_ms;
      body["successor"] = m->successor;
    }
    reply(ok(body));
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
