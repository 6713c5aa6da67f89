#include <catch2/catch.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <functional>
#include <thread>

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"
#include "ledger/primitives/canonical.h"
#include "ledger/primitives/transaction.h"
#include "wallet/net/node_client.h"
#include "wallet/tx/tx_builder.h"

using namespace docket;
using namespace docket::wallet;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

// A one-connection-at-a-time HTTP server on 127.0.0.1 answering with a handler, for a fixed number
// of requests. Stands in for the node's API, following the contract in docs/wallet.md.
class FakeNode {
 public:
  using Handler = std::function<std::pair<int, std::string>(const http::request<http::string_body>&)>;
  FakeNode(int requests, Handler h) : acceptor_(ioc_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, requests, h] {
      for (int i = 0; i < requests; ++i) {
        tcp::socket sock(ioc_);
        acceptor_.accept(sock);
        beast::flat_buffer buf;
        http::request<http::string_body> req;
        beast::error_code ec;
        http::read(sock, buf, req, ec);
        if (ec) continue;
        auto [status, body] = h(req);
        http::response<http::string_body> res{static_cast<http::status>(status), 11};
        res.set(http::field::content_type, "application/json");
        res.body() = body;
        res.prepare_payload();
        http::write(sock, res, ec);
      }
    });
  }
  ~FakeNode() { thread_.join(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  boost::asio::io_context ioc_;
  tcp::acceptor acceptor_;
  unsigned short port_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("parse_url accepts http URLs only") {
  auto u = net::parse_url("http://localhost:26657/api/");
  REQUIRE(u.ok());
  CHECK(u->host == "localhost");
  CHECK(u->port == "26657");
  CHECK(u->base_path == "/api");
  CHECK(net::parse_url("http://10.0.0.1")->port == "80");
  CHECK_FALSE(net::parse_url("https://x").ok());
  CHECK_FALSE(net::parse_url("http://:12").ok());
  CHECK_FALSE(net::parse_url("http://h:x1").ok());
}

TEST_CASE("node client: status, nonce, documents, errors") {
  FakeNode node(5, [](const auto& req) -> std::pair<int, std::string> {
    std::string t(req.target());
    if (t == "/v1/status") return {200, R"({"chain_id":"docket-test","height":12})"};
    if (t.rfind("/v1/accounts/aa", 0) == 0) return {200, R"({"nonce":3})"};
    if (t.rfind("/v1/accounts/", 0) == 0) return {404, R"({"error":{"code":"not_found","message":"no account"}})"};
    if (t == "/v1/documents/00") return {500, R"({"error":{"code":"internal","message":"disk on fire"}})"};
    return {404, R"({"error":{"code":"not_found","message":"unknown"}})"};
  });
  auto c = net::NodeClient::connect(node.url());
  REQUIRE(c.ok());
  auto st = c->status();
  REQUIRE(st.ok());
  CHECK((*st)["chain_id"] == "docket-test");
  CHECK(*c->next_nonce("aa") == 3);
  CHECK(*c->next_nonce("bb") == 0);
  auto err = c->document("00");
  REQUIRE_FALSE(err.ok());
  CHECK(err.error().message.find("disk on fire") != std::string::npos);
  auto missing = c->document("11");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
}

TEST_CASE("node client: an unreachable node is Errc::unavailable") {
  // Port 9 (discard) is not served on test machines; the connection is refused.
  auto c = net::NodeClient::connect("http://127.0.0.1:9");
  REQUIRE(c.ok());
  auto st = c->status();
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == Errc::unavailable);
}

TEST_CASE("submitted transactions carry a valid signature over the exact body bytes") {
  auto key = crypto::SecretKey::generate();
  Hash32 root{};
  root[0] = 0xab;
  std::string seen_tx;
  FakeNode node(1, [&](const auto& req) -> std::pair<int, std::string> {
    auto j = *wallet::oa::parse_json(req.body());
    seen_tx = j["tx"].template get<std::string>();
    CHECK(j["wait"] == true);
    return {200, R"({"id":"ff","status":"committed","height":42})"};
  });
  const crypto::ChainBinding chain{"docket-test", crypto::sha256(as_bytes("genesis A"))};
  const crypto::ChainBinding twin{"docket-test", crypto::sha256(as_bytes("genesis B"))};
  Bytes tx = tx::sign_transaction(tx::document_issue(root, "certificate_of_origin", {{"exporter", "ACME"}}), {chain, 5, 112}, key);
  auto c = net::NodeClient::connect(node.url());
  auto r = c->submit(to_hex(tx), true);
  REQUIRE(r.ok());
  CHECK(r->status == "committed");
  CHECK(r->height == 42);

  auto raw = from_hex(seen_tx);
  REQUIRE(raw.ok());
  pb::Transaction parsed;
  REQUIRE(parsed.ParseFromArray(raw->data(), static_cast<int>(raw->size())));
  pb::TxBody body;
  REQUIRE(body.ParseFromString(parsed.body()));
  CHECK(body.chain_id() == "docket-test");
  CHECK(body.nonce() == 5);
  CHECK(body.expiry_height() == 112);
  CHECK(body.document_issue().document_type() == "certificate_of_origin");
  CHECK(body.document_issue().merkle_root() == std::string(root.begin(), root.end()));
  REQUIRE(body.document_issue().public_fields_size() == 1);
  CHECK(body.document_issue().public_fields(0).name() == "exporter");
  // What the node will do with it: every stateless check of primitives passes.
  auto verified = primitives::decode_transaction(*raw, chain);
  REQUIRE(verified.ok());
  CHECK(verified->sender == key.public_key());
  CHECK_FALSE(primitives::decode_transaction(*raw, crypto::ChainBinding{"other-chain", chain.genesis_hash}).ok());
  // The same chain id on another genesis: the signature does not verify there.
  auto on_twin = primitives::decode_transaction(*raw, twin);
  REQUIRE_FALSE(on_twin.ok());
  CHECK(on_twin.error().code == Errc::bad_signature);
  // The body is canonical: re-encoding it gives the same bytes.
  pb::TxBody reparsed;
  CHECK(primitives::parse_canonical(as_bytes(parsed.body()), reparsed, 1 << 16).ok());
  crypto::PublicKey pk;
  REQUIRE(body.sender().size() == 32);
  std::copy(body.sender().begin(), body.sender().end(), pk.begin());
  CHECK(pk == key.public_key());
  auto sig = crypto::signature_from_bytes(as_bytes(parsed.signature()));
  REQUIRE(sig.ok());
  auto digest = crypto::signing_digest(crypto::tags::kTxSig, chain, as_bytes(parsed.body()));
  CHECK(crypto::verify(pk, digest, *sig));
  CHECK_FALSE(crypto::verify(pk, crypto::signing_digest(crypto::tags::kTxSig, {"other-chain", chain.genesis_hash}, as_bytes(parsed.body())), *sig));
  CHECK_FALSE(crypto::verify(pk, crypto::signing_digest(crypto::tags::kTxSig, twin, as_bytes(parsed.body())), *sig));
}

TEST_CASE("operations follow operations.proto: revoke with proof, bills by member id") {
  Hash32 root{}, hash{}, sib{};
  root[0] = 1;
  hash[0] = 2;
  sib[0] = 3;
  auto revoke = tx::document_revoke(root, hash, {sib}, pb::REVOCATION_FRAUD, "forged stamp").document_revoke();
  CHECK(revoke.merkle_root() == std::string(root.begin(), root.end()));
  CHECK(revoke.hash() == std::string(hash.begin(), hash.end()));
  REQUIRE(revoke.proof_size() == 1);
  CHECK(revoke.proof(0) == std::string(sib.begin(), sib.end()));
  CHECK(revoke.reason() == pb::REVOCATION_FRAUD);
  auto issue = tx::bl_issue(root, pb::BL_NEGOTIABLE, "exporter", "exporter", {}).bl_issue();
  CHECK(issue.owner() == "exporter");
  CHECK(issue.bl_type() == pb::BL_NEGOTIABLE);
  auto act = tx::bl_action(root, pb::BL_TRANSFER_OWNERS, "bank", "bank", "to the bank").bl_action();
  CHECK(act.action() == pb::BL_TRANSFER_OWNERS);
  CHECK(act.new_holder() == "bank");
  CHECK(tx::gov_vote(7, true).gov_vote().approve());
}

TEST_CASE("bill of lading action names map to codes") {
  CHECK(tx::bl_action_from_name("accept-surrender") == pb::BL_ACCEPT_SURRENDER);
  CHECK(tx::bl_action_from_name("reject-owners") == pb::BL_REJECT_OWNERS);
  CHECK_FALSE(tx::bl_action_from_name("steal"));
  CHECK(tx::bl_action_names().size() == 10);
  for (const auto& n : tx::bl_action_names()) CHECK(tx::bl_action_from_name(n));
  CHECK(tx::revocation_reason_from_name("cancelled") == pb::REVOCATION_CANCELLED);
  CHECK_FALSE(tx::revocation_reason_from_name("bored"));
}

namespace {

// A paged history of `total` events ({"i": index}), pages of 1,000 from ?from=, as the node serves it.
std::string history_page(const std::string& target, uint64_t total, const char* events_key, const char* next_key) {
  uint64_t from = 0;
  if (auto q = target.find("?from="); q != std::string::npos) from = std::stoull(target.substr(q + 6));
  std::string events;
  uint64_t i = from;
  for (; i < total && i < from + 1000; ++i) events += (events.empty() ? "" : ",") + std::string("{\"i\":") + std::to_string(i) + "}";
  const std::string next = i < total ? std::to_string(i) : "null";
  return std::string("{\"") + events_key + "\":[" + events + "],\"total\":" + std::to_string(total) + ",\"" + next_key +
         "\":" + next + "}";
}

}  // namespace

TEST_CASE("node client: histories longer than a page are read completely, in order") {
  constexpr uint64_t kTotal = 2345;
  // 3 pages of the document's history; the bill (history_next) and 2 further pages of its history.
  FakeNode node(6, [](const auto& req) -> std::pair<int, std::string> {
    std::string t(req.target());
    if (t.rfind("/v1/documents/ab/history", 0) == 0) return {200, history_page(t, kTotal, "events", "next")};
    if (t == "/v1/bl/cd") return {200, history_page(t, kTotal, "history", "history_next")};
    if (t.rfind("/v1/bl/cd/history", 0) == 0) return {200, history_page(t, kTotal, "events", "next")};
    return {404, R"({"error":{"code":"not_found","message":"no"}})"};
  });
  auto c = net::NodeClient::connect(node.url());
  REQUIRE(c.ok());
  auto doc = c->document_history("ab");
  REQUIRE(doc.ok());
  REQUIRE(doc->has_value());
  REQUIRE((**doc).size() == kTotal);
  for (uint64_t i = 0; i < kTotal; ++i) REQUIRE((**doc)[i]["i"] == i);
  auto bl = c->bill_of_lading("cd");
  REQUIRE(bl.ok());
  REQUIRE(bl->has_value());
  REQUIRE((**bl)["history"].size() == kTotal);
  for (uint64_t i = 0; i < kTotal; ++i) REQUIRE((**bl)["history"][i]["i"] == i);
  CHECK((**bl)["history_next"].is_null());
}

TEST_CASE("node client: a page that does not move on is an error, not a loop") {
  FakeNode node(2, [](const auto&) -> std::pair<int, std::string> {
    return {200, R"({"events":[{"i":0}],"total":5,"next":0})"};
  });
  auto c = net::NodeClient::connect(node.url());
  REQUIRE(c.ok());
  auto doc = c->document_history("ab");
  REQUIRE_FALSE(doc.ok());
  CHECK_THAT(doc.error().message, Catch::Contains("expected 1"));
  (void)c->document_history("ab");  // the fake's second request
}
