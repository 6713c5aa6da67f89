#include "wallet/net/node_client.h"

#include "ledger/common/bytes.h"

namespace docket::wallet::net {

std::string describe_http_error(const HttpResponse& r) {
  std::string out = "HTTP " + std::to_string(r.status);
  auto j = oa::parse_json(r.body);
  if (j.ok() && j->is_object() && j->contains("error") && (*j)["error"].is_object()) {
    const auto& e = (*j)["error"];
    if (e.contains("code") && e["code"].is_string()) out += " " + e["code"].get<std::string>();
    if (e.contains("message") && e["message"].is_string()) out += ": " + e["message"].get<std::string>();
  }
  return out;
}

Result<NodeClient> NodeClient::connect(const std::string& url) {
  auto u = parse_url(url);
  if (!u.ok()) return u.error();
  return NodeClient(url, *u);
}

Result<std::optional<oa::Json>> NodeClient::get_json(const std::string& path) {
  auto r = http_.get(path);
  if (!r.ok()) return r.error();
  if (r->status == 404) return std::optional<oa::Json>();
  if (r->status < 200 || r->status >= 300)
    return make_error(Errc::invalid_state, "GET " + path + ": " + describe_http_error(*r));
  auto j = oa::parse_json(r->body);
  if (!j.ok()) return make_error(Errc::invalid_argument, "GET " + path + ": malformed response: " + j.error().message);
  return std::optional<oa::Json>(std::move(*j));
}

Result<oa::Json> NodeClient::status() {
  auto r = get_object("/v1/status");
  if (!r.ok()) return r.error();
  if (!r->has_value()) return make_error(Errc::not_found, "the node has no /v1/status");
  return std::move(**r);
}

static bool is_count(const oa::Json& v) {
  return v.is_number() && v.get<double>() >= 0 && v.get<double>() <= 9007199254740991.0 &&
         v.get<double>() == static_cast<double>(static_cast<uint64_t>(v.get<double>()));
}

Result<uint64_t> NodeClient::next_nonce(const std::string& pubkey_hex) {
  auto r = get_json("/v1/accounts/" + pubkey_hex);
  if (!r.ok()) return r.error();
  if (!r->has_value()) return uint64_t{0};  // an account the ledger has not seen starts at nonce 0
  const auto& j = **r;
  if (!j.contains("nonce") || !is_count(j["nonce"]))
    return make_error(Errc::invalid_argument, "account response has no numeric \"nonce\"");
  return static_cast<uint64_t>(j["nonce"].get<double>());
}

Result<TxResult> NodeClient::submit(const std::string& tx_hex, bool wait, uint64_t timeout_ms) {
  std::string body = std::string("{\"tx\":\"") + tx_hex + "\",\"wait\":" + (wait ? "true" : "false") +
                     (wait ? ",\"timeout_ms\":" + std::to_string(timeout_ms) : std::string()) + "}";
  auto r = http_.post_json("/v1/transactions", body);
  if (!r.ok()) return r.error();
  auto j = oa::parse_json(r->body);
  if (!j.ok() || !j->is_object()) {
    if (r->status >= 400) return make_error(Errc::invalid_state, "POST /v1/transactions: " + describe_http_error(*r));
    return make_error(Errc::invalid_argument, "POST /v1/transactions: malformed response");
  }
  if (j->contains("error")) return make_error(Errc::invalid_state, "transaction refused: " + describe_http_error(*r));
  TxResult out;
  auto str = [&](const char* k) { return j->contains(k) && (*j)[k].is_string() ? (*j)[k].get<std::string>() : ""; };
  out.id = str("id");
  out.status = str("status");
  out.code = str("code");
  out.message = str("message");
  if (j->contains("height") && is_count((*j)["height"])) out.height = static_cast<uint64_t>((*j)["height"].get<double>());
  if (j->contains("events") && (*j)["events"].is_array()) out.events = (*j)["events"];
  if (out.status.empty()) return make_error(Errc::invalid_argument, "POST /v1/transactions: response has no status");
  return out;
}

Result<std::optional<CheckResult>> NodeClient::check(const std::string& tx_hex) {
  auto r = http_.post_json("/v1/transactions/check", std::string("{\"tx\":\"") + tx_hex + "\"}");
  if (!r.ok()) return r.error();
  if (r->status == 404 || r->status == 405) return std::optional<CheckResult>();
  auto j = oa::parse_json(r->body);
  auto str = [&](const oa::Json& o, const char* k) {
    return o.is_object() && o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : std::string();
  };
  CheckResult out;
  // 4xx: the node refused the bytes themselves (signature, chain, size, encoding): that is the verdict.
  if (r->status >= 400 && r->status < 500 && j.ok() && j->contains("error") && !str((*j)["error"], "code").empty()) {
    out.code = str((*j)["error"], "code");
    out.message = str((*j)["error"], "message");
    return std::optional<CheckResult>(std::move(out));
  }
  if (r->status != 200) return make_error(Errc::invalid_state, "POST /v1/transactions/check: " + describe_http_error(*r));
  if (!j.ok() || !j->is_object()) return make_error(Errc::invalid_argument, "POST /v1/transactions/check: malformed response");
  out.id = str(*j, "id");
  out.code = str(*j, "code");
  out.message = str(*j, "message");
  if (j->contains("height") && is_count((*j)["height"])) out.height = static_cast<uint64_t>((*j)["height"].get<double>());
  if (out.code.empty()) return make_error(Errc::invalid_argument, "POST /v1/transactions/check: response has no code");
  return std::optional<CheckResult>(std::move(out));
}

Result<std::optional<oa::Json>> NodeClient::get_object(const std::string& path) {
  auto r = get_json(path);
  if (r.ok() && r->has_value() && !(*r)->is_object())
    return make_error(Errc::invalid_argument, "GET " + path + ": response is not an object");
  return r;
}

Result<std::optional<oa::Json>> NodeClient::document(const std::string& hash_hex) {
  return get_object("/v1/documents/" + hash_hex);
}

Result<std::optional<oa::Json>> NodeClient::document_under(const std::string& hash_hex, const std::string& root_hex) {
  return get_object("/v1/documents/" + hash_hex + "?root=" + root_hex);
}

// The rest of a paged history (GET route?from=<next>, ...) appended to `events`, until a page has no
// "next". Bounded: a history longer than kMaxHistoryEvents, or a page that does not move on, is an error
// rather than a truncated history or an endless loop.
Status NodeClient::page_history(const std::string& route, std::optional<uint64_t> next, oa::Json& events) {
  while (next) {
    if (*next != events.size())
      return make_error(Errc::invalid_argument, "GET " + route + ": page starts at " + std::to_string(*next) + ", expected " +
                                                    std::to_string(events.size()));
    if (events.size() >= kMaxHistoryEvents)
      return make_error(Errc::too_large, "GET " + route + ": the history has more than " +
                                             std::to_string(kMaxHistoryEvents) + " events; refusing to read further");
    const std::string path = route + "?from=" + std::to_string(*next);
    auto r = get_object(path);
    if (!r.ok()) return r.error();
    if (!r->has_value()) return make_error(Errc::not_found, "GET " + path + ": the record disappeared while paging");
    const oa::Json& page = **r;
    if (!page.contains("events") || !page["events"].is_array() || page["events"].empty())
      return make_error(Errc::invalid_argument, "GET " + path + ": a page without events before the history's end");
    for (const auto& e : page["events"]) events.push_back(e);
    auto n = next_of(page, "next");
    if (!n.ok()) return make_error(Errc::invalid_argument, "GET " + path + ": " + n.error().message);
    next = *n;
  }
  return ok_status();
}

// "next" / "history_next": absent or null on the last page (a node before paging has neither).
Result<std::optional<uint64_t>> NodeClient::next_of(const oa::Json& page, const char* field) {
  if (!page.contains(field) || page[field].is_null()) return std::optional<uint64_t>();
  if (!is_count(page[field])) return make_error(Errc::invalid_argument, std::string("\"") + field + "\" is not a count");
  return std::optional<uint64_t>(static_cast<uint64_t>(page[field].get<double>()));
}

Result<std::optional<oa::Json>> NodeClient::document_history(const std::string& hash_hex) {
  const std::string route = "/v1/documents/" + hash_hex + "/history";
  auto r = get_object(route);
  if (!r.ok() || !r->has_value()) return r;
  if (!(**r).contains("events") || !(**r)["events"].is_array())
    return make_error(Errc::invalid_argument, "document history response has no \"events\" list");
  oa::Json events = (**r)["events"];
  auto next = next_of(**r, "next");
  if (!next.ok()) return make_error(Errc::invalid_argument, "GET " + route + ": " + next.error().message);
  DOCKET_TRY(page_history(route, *next, events));
  return std::optional<oa::Json>(std::move(events));
}

Result<std::optional<oa::Json>> NodeClient::bill_of_lading(const std::string& record_hex) {
  auto r = get_object("/v1/bl/" + record_hex);
  if (!r.ok() || !r->has_value()) return r;
  oa::Json& bl = **r;
  auto next = next_of(bl, "history_next");
  if (!next.ok()) return make_error(Errc::invalid_argument, "GET /v1/bl/" + record_hex + ": " + next.error().message);
  if (*next) {
    if (!bl.contains("history") || !bl["history"].is_array())
      return make_error(Errc::invalid_argument, "bill of lading response has no \"history\" list");
    DOCKET_TRY(page_history("/v1/bl/" + record_hex + "/history", *next, bl["history"]));
    bl["history_next"] = nullptr;  // complete now
  }
  return r;
}

Result<std::optional<oa::Json>> NodeClient::member(const std::string& member_id) {
  // GET /v1/members/{id}: a member, or the tombstone of a removed one ("removed": true).
  auto one = get_object("/v1/members/" + member_id);
  if (!one.ok() || one->has_value()) return one;
  return std::optional<oa::Json>();
}

Result<std::optional<oa::Json>> NodeClient::proof(const std::string& record_key, std::optional<uint64_t> height) {
  return get_object("/v1/proofs/" + to_hex(as_bytes(record_key)) + (height ? "?height=" + std::to_string(*height) : std::string()));
}

Result<oa::Json> NodeClient::members() {
  auto r = get_json("/v1/members");
  if (!r.ok()) return r.error();
  if (!r->has_value()) return make_error(Errc::not_found, "the node has no /v1/members");
  return std::move(**r);
}

}  // namespace docket::wallet::net
