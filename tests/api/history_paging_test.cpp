// History pagination through the real API handlers: the node's ApiImpl over a store written by the
// same BlockExecutor the node uses (tests/contracts/harness.h), behind the /v1 router. A bill endorsed
// back and forth has more than 1,000 history events; paging with ?from= and `next` returns every one
// exactly once, in order, with the bytes the store holds.
#include <catch2/catch.hpp>

#include <condition_variable>

#include "contracts/open_attestation.h"
#include "contracts/records.h"
#include "ledger/api/v1_routes.h"
#include "ledger/node/api_impl.h"
#include "tests/contracts/harness.h"

using namespace docket;
using namespace docket::test;
using nlohmann::json;

namespace {

class NoPeers final : public p2p::NetworkHandler {
 public:
  void on_peer_up(const p2p::PeerKey&) override {}
  void on_peer_down(const p2p::PeerKey&, p2p::DisconnectReason) override {}
  void on_message(const p2p::PeerKey&, p2p::MessageType, Bytes) override {}
};

p2p::NetworkConfig net_config() {
  p2p::NetworkConfig c;
  c.chain = contracts::chain_binding(contracts::parse_genesis(genesis_json()).value());
  return c;
}

// The node's API over the harness chain. The network is never started: reads do not use it.
struct Api {
  Chain& chain;
  contracts::Genesis genesis = contracts::parse_genesis(genesis_json()).value();
  node::Mempool mempool{node::MempoolLimits{}, [](const node::VerifiedTx&) { return ok_status(); }};
  metrics::Registry registry;
  NoPeers handler;
  p2p::Network network{net_config(), crypto::SecretKey::generate(), handler};
  node::ApiImpl impl{node::ApiImpl::Deps{genesis, contracts::genesis_hash(genesis), chain.store(), chain.exec(), mempool, network, registry}};
  api::Router router{&registry};

  explicit Api(Chain& c) : chain(c) { api::add_v1_routes(router, impl, api::V1Options{}); }

  json get(const std::string& target) {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<api::Response> out;
    router.dispatch(api::Request{api::Method::get, target, "", ""}, [&](api::Response r) {
      std::lock_guard l(mu);
      out = std::move(r);
      cv.notify_all();
    });
    std::unique_lock l(mu);
    REQUIRE(cv.wait_for(l, std::chrono::seconds(5), [&] { return out.has_value(); }));
    INFO(target << " -> " << out->body);
    REQUIRE(out->status == 200);
    return json::parse(out->body);
  }

  // Every event of a history route, following `next`; checks total and next on each page.
  std::vector<json> all(const std::string& route, const std::string& limit = "") {
    std::vector<json> events;
    uint64_t from = 0;
    for (int pages = 0; pages < 10000; ++pages) {
      json page = get(route + "?from=" + std::to_string(from) + limit);
      for (const auto& e : page["events"]) events.push_back(e);
      if (page["next"].is_null()) {
        CHECK(events.size() == page["total"].get<uint64_t>());
        return events;
      }
      REQUIRE(page["next"].get<uint64_t>() == events.size());
      from = page["next"].get<uint64_t>();
    }
    FAIL("paging did not end");
    return events;
  }
};

// t1 and t2 pass the bill's title back and forth, `transfers` times, many per block.
void endorse_back_and_forth(Chain& c, const Hash32& id, int transfers) {
  REQUIRE(c.run("carrier", issue_bl(id, "t1", "t1")).ok());
  uint64_t n1 = c.nonce("t1"), n2 = c.nonce("t2");
  for (int done = 0; done < transfers;) {
    std::vector<contracts::ContractTx> txs;
    for (int i = 0; i < 100 && done < transfers; ++i, ++done) {
      const bool from_t1 = done % 2 == 0;
      c.set_nonce(from_t1 ? "t1" : "t2", from_t1 ? n1++ : n2++);
      const std::string to = from_t1 ? "t2" : "t1";
      txs.push_back(c.tx(from_t1 ? "t1" : "t2", bl_act(id, pb::BL_TRANSFER_OWNERS, to, to)));
    }
    for (const auto& r : c.block(txs)) REQUIRE(r.ok());
  }
  c.set_nonce("t1", n1);
  c.set_nonce("t2", n2);
}

}  // namespace

TEST_CASE("a bill's history of more than 1,000 events pages completely and in order", "[api][history]") {
  Chain c;
  const Hash32 id = h("bl-paged");
  constexpr int kTransfers = 1234;
  endorse_back_and_forth(c, id, kTransfers);
  Api api(c);
  const std::string hex_id = to_hex(id);

  auto stored = c.exec().history().entries(contracts::bill_key(id), c.height(), 1'000'000);
  REQUIRE(stored.ok());
  REQUIRE(stored->size() == kTransfers + 1);

  // GET /v1/bl/{id}: the first page, and where the rest starts.
  json bl = api.get("/v1/bl/" + hex_id);
  CHECK(bl["history"].size() == 1000);
  CHECK(bl["history_total"] == kTransfers + 1);
  CHECK(bl["history_next"] == 1000);
  CHECK(bl["owner"] == (kTransfers % 2 == 0 ? "t1" : "t2"));

  // GET /v1/bl/{id}/history, default pages of 1,000 and pages of 7: the stored entries, in order.
  for (const std::string limit : {"", "&limit=7"}) {
    INFO("limit " << limit);
    auto events = api.all("/v1/bl/" + hex_id + "/history", limit);
    REQUIRE(events.size() == stored->size());
    for (size_t i = 0; i < events.size(); ++i) {
      REQUIRE(events[i]["entry"] == to_hex((*stored)[i]));
      if (i > 0) REQUIRE(events[i]["height"].get<uint64_t>() >= events[i - 1]["height"].get<uint64_t>());
    }
    CHECK(events.front()["kind"] == "issued");
    CHECK(events.back()["kind"] == "owners_transferred");
  }
  // The first page of the route is the bill's inline history.
  json first = api.get("/v1/bl/" + hex_id + "/history");
  CHECK(first["events"] == bl["history"]);
  // Past the end: no events, no next.
  json past = api.get("/v1/bl/" + hex_id + "/history?from=5000");
  CHECK(past["events"].empty());
  CHECK(past["next"].is_null());
  CHECK(past["total"] == kTransfers + 1);
}

TEST_CASE("a document's history pages in one fixed order", "[api][history]") {
  Chain c;
  std::vector<Hash32> targets{h("p1"), h("p2"), h("p3")};
  const Hash32 root = contracts::oa::merkle_root(targets);
  REQUIRE(c.run("chamber", issue_doc(root)).ok());
  REQUIRE(c.run("chamber", revoke_doc(root, h("p1"), *contracts::oa::merkle_proof(targets, h("p1")))).ok());
  REQUIRE(c.run("chamber", revoke_doc(root, h("p2"), *contracts::oa::merkle_proof(targets, h("p2")))).ok());
  REQUIRE(c.run("chamber", supersede_doc(root, h("amended"))).ok());
  Api api(c);

  // Root-scoped: the root's own history holds every event under it (issue, both revocations,
  // supersede); a hash of the batch has no history of its own.
  for (const Hash32& hash : {root}) {
    const std::string route = "/v1/documents/" + to_hex(hash) + "/history";
    json whole = api.get(route);
    REQUIRE(whole["next"].is_null());
    REQUIRE(whole["events"].size() == whole["total"].get<uint64_t>());
    REQUIRE_FALSE(whole["events"].empty());
    auto paged = api.all(route, "&limit=1");
    REQUIRE(paged.size() == whole["events"].size());
    for (size_t i = 0; i < paged.size(); ++i) CHECK(paged[i] == whole["events"][i]);
  }
}
