#include "ledger/api/v1_routes.h"

#include <catch2/catch.hpp>
#include <condition_variable>

#include "test_node_api.h"

using namespace docket;
using namespace docket::api;
using nlohmann::json;

namespace {

struct Fixture {
  test::TestNodeApi node;
  metrics::Registry registry;
  Router router{&registry};
  V1Options options;
  Fixture() {
    options.max_tx_bytes = 64;
    options.max_wait = std::chrono::milliseconds(500);
    options.default_wait = std::chrono::milliseconds(200);
    add_v1_routes(router, node, options);
    add_metrics_route(router, registry);
  }

  // Dispatches and waits for the reply, which may come from another thread.
  Response call(Method m, const std::string& target, const std::string& body = "",
                const std::string& content_type = "application/json") {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Response> out;
    router.dispatch(Request{m, target, content_type, body}, [&](Response r) {
      std::lock_guard l(mu);
      out = std::move(r);
      cv.notify_all();
    });
    std::unique_lock l(mu);
    REQUIRE(cv.wait_for(l, std::chrono::seconds(5), [&] { return out.has_value(); }));
    return *out;
  }
  Response get(const std::string& target) { return call(Method::get, target); }
  Response post_tx(const std::string& body) { return call(Method::post, "/v1/transactions", body); }
};

json body_of(const Response& r) { return json::parse(r.body); }
std::string error_code(const Response& r) { return body_of(r)["error"]["code"]; }
const std::string kHash = std::string(64, 'a');

}  // namespace

TEST_CASE("GET /v1/status returns the node's status", "[api][v1]") {
  Fixture f;
  f.node.status_value.chain_id = "docket-test";
  f.node.status_value.genesis_hash.fill(0xab);
  f.node.status_value.height = 12;
  f.node.status_value.sync_state = "synced";
  f.node.status_value.peers = {crypto::PublicKey{}};
  auto r = f.get("/v1/status");
  REQUIRE(r.status == 200);
  auto j = body_of(r);
  REQUIRE(j["chain_id"] == "docket-test");
  REQUIRE(j["genesis_hash"] == to_hex(f.node.status_value.genesis_hash));
  REQUIRE(j["height"] == 12);
  REQUIRE(j["sync"]["state"] == "synced");
  REQUIRE(j["peers"].size() == 1);
  REQUIRE(j["peers"][0] == std::string(64, '0'));
  REQUIRE(j["mempool"]["txs"] == 0);
  REQUIRE(f.get("/v1/status?verbose=1").status == 400);
}

TEST_CASE("POST /v1/transactions validates its body", "[api][v1]") {
  Fixture f;
  struct Case {
    std::string body;
    int status;
    std::string code;
  };
  const Case cases[] = {
      {"", 400, "invalid_argument"},
      {"{", 400, "invalid_argument"},
      {"[1]", 400, "invalid_argument"},
      {"{}", 400, "invalid_argument"},
      {R"({"tx": 5})", 400, "invalid_argument"},
      {R"({"tx": "abc"})", 400, "invalid_argument"},
      {R"({"tx": "zz"})", 400, "invalid_argument"},
      {R"({"tx": ""})", 400, "invalid_argument"},
      {R"({"tx": "aa", "extra": 1})", 400, "invalid_argument"},
      {R"({"tx": "aa", "wait": "yes"})", 400, "invalid_argument"},
      {R"({"tx": "aa", "wait": true, "timeout_ms": -1})", 400, "invalid_argument"},
      {R"({"tx": "aa", "wait": true, "timeout_ms": 1.5})", 400, "invalid_argument"},
      {"{\"tx\": \"" + std::string(130, 'a') + "\"}", 413, "too_large"},
      {std::string(100, '[') + std::string(100, ']'), 400, "invalid_argument"},
      {"{\"tx\": \"aa\xff\"}", 400, "invalid_argument"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    auto r = f.post_tx(c.body);
    REQUIRE(r.status == c.status);
    REQUIRE(error_code(r) == c.code);
  }
  auto wrong_type = f.call(Method::post, "/v1/transactions", R"({"tx":"aa"})", "text/plain");
  REQUIRE(wrong_type.status == 415);
}

TEST_CASE("POST /v1/transactions answers pending, committed after waiting, or rejected", "[api][v1]") {
  Fixture f;
  auto pending = f.post_tx(R"({"tx": "0a0b"})");
  REQUIRE(pending.status == 202);
  auto j = body_of(pending);
  REQUIRE(j["status"] == "pending");
  REQUIRE(j["height"].is_null());
  REQUIRE(j["id"].get<std::string>().substr(0, 2) == "0a");
  REQUIRE(f.node.last_submit().tx == Bytes{0x0a, 0x0b});
  REQUIRE_FALSE(f.node.last_submit().wait);

  // Completed from another thread after the commit delay.
  auto committed = f.post_tx(R"({"tx": "0a0b", "wait": true, "timeout_ms": 300})");
  REQUIRE(committed.status == 200);
  REQUIRE(body_of(committed)["status"] == "committed");
  REQUIRE(body_of(committed)["height"] == 9);
  REQUIRE(f.node.last_submit().timeout == std::chrono::milliseconds(300));

  // timeout_ms is capped by max_wait; without it the default applies.
  (void)f.post_tx(R"({"tx": "0a", "wait": false, "timeout_ms": 100000})");
  REQUIRE(f.node.last_submit().timeout == std::chrono::milliseconds(500));
  (void)f.post_tx(R"({"tx": "0a"})");
  REQUIRE(f.node.last_submit().timeout == std::chrono::milliseconds(200));

  // A wait shorter than the commit ends as pending.
  f.node.commit_delay = std::chrono::milliseconds(300);
  auto timed_out = f.post_tx(R"({"tx": "0a", "wait": true, "timeout_ms": 10})");
  REQUIRE(timed_out.status == 202);
  REQUIRE(body_of(timed_out)["status"] == "pending");

  SubmitResult rejected;
  rejected.status = TxStatus::rejected;
  rejected.code = "bad_nonce";
  rejected.message = "expected nonce 4";
  f.node.submit_answer = rejected;
  auto r = f.post_tx(R"({"tx": "0a"})");
  REQUIRE(r.status == 422);
  REQUIRE(body_of(r)["code"] == "bad_nonce");
  REQUIRE(body_of(r)["message"] == "expected nonce 4");
  f.node.submit_answer->code = "unavailable";
  REQUIRE(f.post_tx(R"({"tx": "0a"})").status == 503);
}

TEST_CASE("POST /v1/transactions/check: same body as a submission, the contracts' verdict, nothing submitted",
          "[api][v1]") {
  Fixture f;
  auto check = [&](const std::string& body) { return f.call(Method::post, "/v1/transactions/check", body); };
  for (const std::string& body : {std::string("{}"), std::string(R"({"tx": "zz"})"), std::string(R"({"tx": ""})"),
                                  std::string(R"({"tx": "aa", "extra": 1})")}) {
    INFO(body);
    REQUIRE(check(body).status == 400);
  }
  REQUIRE(check("{\"tx\": \"" + std::string(130, 'a') + "\"}").status == 413);
  REQUIRE_FALSE(f.node.last_check);

  CheckResult refused;
  refused.id.fill(0x11);
  refused.code = "not_holder";
  refused.message = "caller is not the holder";
  refused.height = 41;
  f.node.check_answer = refused;
  // The body of a submission, wait and timeout_ms included, is accepted as it is.
  auto r = check(R"({"tx": "0a0b", "wait": true, "timeout_ms": 100})");
  REQUIRE(r.status == 200);
  auto j = body_of(r);
  REQUIRE(j == json{{"id", std::string(64, '1')}, {"code", "not_holder"}, {"message", "caller is not the holder"},
                    {"height", 41}});
  REQUIRE(f.node.last_check == Bytes{0x0a, 0x0b});
  REQUIRE(f.node.last_submit().tx.empty());  // nothing went to submission

  f.node.check_answer = make_error(Errc::bad_signature, "signature does not verify");
  auto bad = check(R"({"tx": "0a"})");
  REQUIRE(bad.status == 422);
  REQUIRE(error_code(bad) == "bad_signature");
  REQUIRE(f.call(Method::post, "/v1/transactions/check?wait=1", R"({"tx": "0a"})").status == 400);
  // GET of the path is still the transaction lookup ("check" is not a transaction id).
  REQUIRE(f.get("/v1/transactions/check").status == 400);
}

TEST_CASE("lookups check hashes and keys, and map not found to 404", "[api][v1]") {
  Fixture f;
  Hash32 h;
  h.fill(0xaa);
  DocumentInfo d;
  d.hash = h;
  d.status = "issued";
  d.public_fields = {{"exporter", "ACME"}};
  f.node.documents[h] = d;

  auto doc = f.get("/v1/documents/" + kHash);
  REQUIRE(doc.status == 200);
  REQUIRE(body_of(doc)["status"] == "issued");
  REQUIRE(body_of(doc)["public_fields"]["exporter"] == "ACME");
  REQUIRE(body_of(doc)["superseded_by"].is_null());
  REQUIRE_FALSE(f.node.last_document_root.has_value());
  // Upper-case hex and 0x prefix are accepted.
  REQUIRE(f.get("/v1/documents/0x" + std::string(64, 'A')).status == 200);
  // Root-scoped: the root reaches the node; a malformed root or another parameter is a 400.
  REQUIRE(f.get("/v1/documents/" + kHash + "?root=" + std::string(64, 'c')).status == 200);
  REQUIRE(f.node.last_document_root.has_value());
  REQUIRE(to_hex(*f.node.last_document_root) == std::string(64, 'c'));
  REQUIRE(f.get("/v1/documents/" + kHash + "?root=abc").status == 400);
  REQUIRE(f.get("/v1/documents/" + kHash + "?height=3").status == 400);

  auto hist = f.get("/v1/documents/" + kHash + "/history");
  REQUIRE(hist.status == 200);
  REQUIRE(body_of(hist)["events"][0]["kind"] == "issued");
  REQUIRE(body_of(hist)["total"] == 1);
  REQUIRE(body_of(hist)["next"].is_null());
  REQUIRE(body_of(hist)["hash"] == kHash);
  REQUIRE(f.node.last_page->from == 0);
  REQUIRE(f.node.last_page->limit == kMaxHistoryPage);

  for (const std::string& bad : {std::string("abc"), std::string(63, 'a'), std::string(66, 'a'), std::string(64, 'g')}) {
    INFO(bad);
    REQUIRE(f.get("/v1/documents/" + bad).status == 400);
    REQUIRE(f.get("/v1/transactions/" + bad).status == 400);
    REQUIRE(f.get("/v1/bl/" + bad).status == 400);
  }
  auto missing = f.get("/v1/documents/" + std::string(64, 'b'));
  REQUIRE(missing.status == 404);
  REQUIRE(error_code(missing) == "not_found");
  REQUIRE(f.get("/v1/transactions/" + kHash).status == 404);

  auto bl = f.get("/v1/bl/" + kHash);
  REQUIRE(bl.status == 200);
  REQUIRE(body_of(bl)["holder"] == "bb");
  REQUIRE(body_of(bl)["nominee"].is_null());
  REQUIRE(body_of(bl)["history_next"].is_null());
  REQUIRE(body_of(bl)["history_total"] == 0);
}

TEST_CASE("history routes page with ?from= and ?limit=", "[api][v1]") {
  Fixture f;
  auto page = f.get("/v1/bl/" + kHash + "/history?limit=2");
  REQUIRE(page.status == 200);
  auto j = body_of(page);
  REQUIRE(j["id"] == kHash);
  REQUIRE(j["events"].size() == 2);
  REQUIRE(j["events"][1]["kind"] == "endorsed");
  REQUIRE(j["total"] == 3);
  REQUIRE(j["next"] == 2);
  j = body_of(f.get("/v1/bl/" + kHash + "/history?from=2&limit=2"));
  REQUIRE(j["events"].size() == 1);
  REQUIRE(j["events"][0]["height"] == 12);
  REQUIRE(j["next"].is_null());
  // limit is capped at the page maximum; 0, negatives, non-numbers and unknown parameters are 400s.
  REQUIRE(f.get("/v1/bl/" + kHash + "/history?limit=5000").status == 200);
  REQUIRE(f.node.last_page->limit == kMaxHistoryPage);
  for (const std::string q : {"limit=0", "limit=-1", "from=x", "from=1.5", "page=2"}) {
    INFO(q);
    REQUIRE(f.get("/v1/bl/" + kHash + "/history?" + q).status == 400);
    REQUIRE(f.get("/v1/documents/" + kHash + "/history?" + q).status == 400);
  }
  REQUIRE(f.get("/v1/documents/" + kHash + "/history?from=7&limit=3").status == 404);  // the fake knows no document
  REQUIRE(f.node.last_page->from == 7);
  REQUIRE(f.node.last_page->limit == 3);
}

TEST_CASE("accounts, members, blocks and proofs", "[api][v1]") {
  Fixture f;
  const auto key = crypto::SecretKey::generate().public_key();
  auto acct = f.get("/v1/accounts/" + to_hex(key));
  REQUIRE(acct.status == 200);
  REQUIRE(body_of(acct)["nonce"] == 3);
  REQUIRE(body_of(acct)["member_id"] == "chamber");
  REQUIRE(f.get("/v1/accounts/" + std::string(64, 'f')).status == 400);  // not on the curve
  REQUIRE(f.get("/v1/accounts/xyz").status == 400);

  MemberInfo m;
  m.member_id = "carrier";
  m.country = "SG";
  m.keys = {key};
  f.node.member_list = {m};
  auto members = f.get("/v1/members");
  REQUIRE(body_of(members)["members"][0]["member_id"] == "carrier");
  REQUIRE(body_of(members)["members"][0]["country"] == "SG");
  REQUIRE(body_of(members)["members"][0]["validator_key"].is_null());
  auto one = f.get("/v1/members/carrier");
  REQUIRE(one.status == 200);
  REQUIRE(body_of(one)["member_id"] == "carrier");
  REQUIRE(body_of(one)["removed"] == false);
  REQUIRE_FALSE(body_of(one).contains("removed_height"));
  MemberInfo gone;
  gone.member_id = "old-bank";
  gone.name = "Old Bank";
  gone.country = "NL";
  gone.removed = true;
  gone.removed_height = 12;
  gone.removed_time_ms = 1700000012000;
  gone.successor = "new-bank";
  f.node.member_list.push_back(gone);
  auto tomb = f.get("/v1/members/old-bank");
  REQUIRE(tomb.status == 200);
  REQUIRE(body_of(tomb)["removed"] == true);
  REQUIRE(body_of(tomb)["roles"] == json::array());
  REQUIRE(body_of(tomb)["removed_height"] == 12);
  REQUIRE(body_of(tomb)["removed_time_ms"] == 1700000012000ull);
  REQUIRE(body_of(tomb)["successor"] == "new-bank");
  REQUIRE(f.get("/v1/members/nobody").status == 404);
  REQUIRE(f.get("/v1/members/Bad_Id").status == 400);
  REQUIRE(f.get("/v1/members/-x").status == 400);

  REQUIRE(body_of(f.get("/v1/blocks/7"))["height"] == 7);
  REQUIRE(body_of(f.get("/v1/blocks/7"))["header"] == "0102");
  REQUIRE(f.get("/v1/blocks/11").status == 404);
  for (const char* bad : {"/v1/blocks/-1", "/v1/blocks/1x", "/v1/blocks/99999999999999999999999", "/v1/blocks/+1"}) {
    INFO(bad);
    REQUIRE(f.get(bad).status == 400);
  }

  auto proof = f.get("/v1/proofs/0102?height=5");
  REQUIRE(proof.status == 200);
  REQUIRE(body_of(proof)["key"] == "0102");
  REQUIRE(body_of(proof)["value"].is_null());
  REQUIRE(f.node.last_proof_height == 5u);
  REQUIRE(f.get("/v1/proofs/0102").status == 200);
  REQUIRE_FALSE(f.node.last_proof_height.has_value());
  REQUIRE(f.get("/v1/proofs/0102?height=x").status == 400);
  REQUIRE(f.get("/v1/proofs/0102?heigth=5").status == 400);
  REQUIRE(f.get("/v1/proofs/012").status == 400);
  REQUIRE(f.get("/v1/proofs/" + std::string(2050, 'a')).status == 413);
}

TEST_CASE("GET /metrics serves the registry, including request counts", "[api][v1]") {
  Fixture f;
  (void)f.get("/v1/status");
  (void)f.get("/v1/nowhere");
  auto m = f.get("/metrics");
  REQUIRE(m.status == 200);
  REQUIRE(m.content_type.find("text/plain") == 0);
  REQUIRE_THAT(m.body, Catch::Contains("docket_api_requests_total{route=\"/v1/status\",method=\"GET\",status=\"200\"} 1"));
  REQUIRE_THAT(m.body, Catch::Contains("docket_api_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"));
}
