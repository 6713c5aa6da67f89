// Driver: what may steer block sync and /v1/status. A real Driver (RocksDB chain from a genesis whose
// validator keys the test holds) talks over a real p2p Network to a second Network playing validator 1.
// Bare claims (a proposal header at height 2^63, signed or not; a SyncResponse tip_height of 2^63)
// must leave the node "synced" at a certified target; a tip proven by a QC of the epoch's validators
// raises the target, and a certified target nothing approaches expires.
// Ports: 33411 and 33412 (this worktree's range), never the process tests' 31000-32999.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "consensus/certificates.h"
#include "consensus/messages.h"
#include "ledger/node/chain.h"
#include "ledger/node/driver.h"
#include "ledger/primitives/merkle.h"
#include "tests/p2p/p2p_test_support.h"

using namespace docket;
namespace fs = std::filesystem;
using p2p::test::eventually;
using p2p::test::Recorder;

namespace {

constexpr uint16_t kDriverPort = 33411;
constexpr uint16_t kPeerPort = 33412;
constexpr uint64_t kHuge = uint64_t{1} << 63;

std::string example_genesis() {
  std::ifstream f(std::string(DOCKET_SOURCE_DIR) + "/docs/genesis.example.json");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class NoListener final : public node::CommitListener {
 public:
  void on_block_committed(uint64_t, uint64_t, const std::vector<contracts::TxReceipt>&) override {}
};

crypto::SecretKey copy(const crypto::SecretKey& k) { return crypto::SecretKey::from_bytes(k.secret_bytes()).value(); }

struct Fixture {
  fs::path dir;
  std::vector<crypto::SecretKey> keys;  // validators 0..3; the driver is validator 0
  node::NodeConfig cfg;
  node::OpenedChain chain;
  std::unique_ptr<state::BlockExecutor> exec;
  std::unique_ptr<node::Mempool> mempool;
  metrics::Registry registry;
  Recorder driver_inbox, peer_inbox;
  std::unique_ptr<p2p::Network> net, peer_net;
  NoListener listener;
  std::unique_ptr<node::Driver> driver;
  crypto::ChainBinding chain_id;  // the chain id and genesis hash every signature binds
  uint64_t now = 0;  // ms, the driver's clock: from just after the genesis time
  size_t seen = 0;  // driver_inbox messages already handed to the driver

  Fixture() {
    dir = fs::temp_directory_path() / ("docket-driver-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    cfg = node::default_config(dir);
    for (int i = 0; i < 4; ++i) keys.push_back(crypto::SecretKey::generate());
    auto g = nlohmann::json::parse(example_genesis());
    REQUIRE(g["validators"].size() == 4);
    for (size_t i = 0; i < 4; ++i) g["validators"][i]["node_key"] = to_hex(keys[i].public_key());
    std::ofstream(cfg.genesis_file) << g.dump(2);
    auto opened = node::open_chain(cfg);
    REQUIRE(opened.ok());
    chain = std::move(*opened);
    chain_id = crypto::ChainBinding{chain.genesis.chain_id, chain.genesis_hash};
    now = chain.genesis.genesis_time_ms + 1000;
    exec = std::make_unique<state::BlockExecutor>(*chain.store);
    mempool = std::make_unique<node::Mempool>(node::MempoolLimits{}, [](const node::VerifiedTx&) { return ok_status(); });

    p2p::NetworkConfig nc;
    nc.chain = chain_id;
    nc.listen_port = kDriverPort;
    nc.allowed_keys = {keys[1].public_key()};
    net = std::make_unique<p2p::Network>(nc, copy(keys[0]), driver_inbox);
    REQUIRE(net->start().ok());
    p2p::NetworkConfig pc;
    pc.chain = chain_id;
    pc.listen_port = kPeerPort;
    pc.allowed_keys = {keys[0].public_key()};
    pc.peers = {p2p::PeerAddress{"127.0.0.1", kDriverPort, keys[0].public_key()}};
    peer_net = std::make_unique<p2p::Network>(pc, copy(keys[1]), peer_inbox);
    REQUIRE(peer_net->start().ok());

    driver = std::make_unique<node::Driver>(
        node::Driver::Deps{cfg, chain.genesis, chain.genesis_hash, *chain.store, *exec, *mempool, *net, registry, listener,
                           [](const std::string& why) { FAIL("driver failed: " << why); }},
        copy(keys[0]));
    REQUIRE(driver->start(now).ok());
    REQUIRE(eventually([&] { return net->connected_peers().size() == 1; }));
  }
  ~Fixture() {
    peer_net->stop();
    net->stop();
    driver.reset();
    mempool.reset();
    exec.reset();
    chain.store.reset();
    fs::remove_all(dir);
  }

  // Hands what the driver's network received to the driver, on this (the driver's) thread.
  void deliver() {
    auto msgs = driver_inbox.messages();
    for (; seen < msgs.size(); ++seen) driver->on_message(msgs[seen].from, msgs[seen].type, msgs[seen].payload);
  }

  // Advances the clock until the driver asks the peer for blocks; returns the request.
  pb::SyncRequest next_sync_request() {
    size_t from = 0;
    for (const auto& m : peer_inbox.messages()) from += m.type == p2p::MessageType::block_request;
    for (int i = 0; i < 100; ++i) {
      now += 500;
      driver->on_tick(now);
      size_t n = 0;
      pb::SyncRequest req;
      bool found = eventually(
          [&] {
            n = 0;
            for (const auto& m : peer_inbox.messages()) {
              if (m.type != p2p::MessageType::block_request) continue;
              if (n++ == from) return req.ParseFromArray(m.payload.data(), static_cast<int>(m.payload.size()));
            }
            return false;
          },
          std::chrono::milliseconds(100));
      if (found) return req;
    }
    FAIL("the driver never asked for blocks");
    return {};
  }

  // The peer answers a sync request with no blocks, claiming tip_height, with an optional tip proof.
  void answer(const pb::SyncRequest& req, uint64_t tip_height, const Bytes& tip_proof = {}) {
    pb::SyncResponse resp;
    resp.set_request_id(req.request_id());
    resp.set_from_height(req.from_height());
    resp.set_tip_height(tip_height);
    if (!tip_proof.empty()) resp.set_tip_proof(std::string(tip_proof.begin(), tip_proof.end()));
    const std::string bytes = resp.SerializeAsString();
    const size_t before = driver_inbox.messages().size();
    REQUIRE(peer_net->send(keys[0].public_key(), p2p::MessageType::block_response, as_bytes(bytes)).ok());
    REQUIRE(eventually([&] { return driver_inbox.messages().size() > before; }));
    deliver();
    driver->on_tick(now += 50);  // whatever the answer changed is published by now
  }

  consensus::Header header_at(uint64_t height, uint64_t round) const {
    consensus::Header h;
    h.epoch = 0;
    h.round = round;
    h.height = height;
    h.parent_id = chain.genesis_hash;
    const Hash32 empty = primitives::merkle_root(std::vector<Hash32>{});
    h.payload_hash = Bytes(empty.begin(), empty.end());
    h.exec_height = 0;
    h.state_root = Bytes(32, 0x11);
    h.timestamp_ms = now;
    h.proposer = static_cast<uint32_t>(round % 4);
    h.justify = consensus::make_root_qc(0, 0, chain.genesis_hash);
    return h;
  }

  // A header with a QC of validators 1..3 (a quorum of 4) on it, in the CommitProof format.
  Bytes certified(uint64_t height, uint64_t round) const {
    const Bytes header = consensus::encode_header(header_at(height, round));
    const Hash32 id = consensus::block_id_of(chain_id, header);
    std::map<consensus::ValidatorIndex, crypto::Signature> sigs;
    for (uint32_t i = 1; i < 4; ++i) sigs[i] = keys[i].sign(consensus::vote_digest(chain_id, 0, round, id));
    return consensus::encode_commit_proof(header, consensus::build_qc(0, round, id, sigs, 4));
  }
};

}  // namespace

TEST_CASE("no bare claim steers the sync target; a certified tip does, and expires unapproached", "[node][driver]") {
  Fixture f;
  const p2p::PeerKey peer = f.keys[1].public_key();
  REQUIRE(f.driver->status().sync_target == 0);
  REQUIRE_FALSE(f.driver->status().syncing);

  SECTION("proposal headers claiming height 2^63, validly signed by the round's leader or not") {
    for (bool signed_ok : {true, false}) {
      const consensus::Header h = f.header_at(kHuge, 1);
      const Bytes header = consensus::encode_header(h);
      const Bytes block = consensus::encode_block(header, {});
      crypto::Signature sig{};
      if (signed_ok) sig = f.keys[h.proposer].sign(consensus::proposal_digest(f.chain_id, header));
      const Bytes proposal = consensus::encode_proposal(block, {}, sig, {});
      REQUIRE(consensus::decode_proposal(proposal, f.chain_id, consensus::Limits{4}).ok());
      f.driver->on_message(f.keys[h.proposer].public_key(), p2p::MessageType::proposal, proposal);
      f.driver->on_tick(f.now += 50);
      CHECK(f.driver->status().sync_target == 0);
      CHECK_FALSE(f.driver->status().syncing);
    }
  }

  SECTION("a peer's status claiming tip height 2^63, bare or with a proof that does not verify") {
    f.answer(f.next_sync_request(), kHuge);
    CHECK(f.driver->status().sync_target == 0);
    CHECK_FALSE(f.driver->status().syncing);
    Bytes forged = f.certified(kHuge, 7);
    forged[forged.size() - 1] ^= 1;  // one bit of the last signature
    f.answer(f.next_sync_request(), kHuge, forged);
    CHECK(f.driver->status().sync_target == 0);
    CHECK_FALSE(f.driver->status().syncing);
  }

  SECTION("a tip proven by a quorum's QC raises the target; unapproached, it expires") {
    f.answer(f.next_sync_request(), 50, f.certified(50, 60));
    CHECK(f.driver->status().sync_target == 50);
    CHECK(f.driver->status().syncing);
    // The peer never delivers the blocks: after a minute without a commit the target is forgotten.
    for (int i = 0; i < 130; ++i) f.driver->on_tick(f.now += 500);
    CHECK(f.driver->status().sync_target == 0);
    CHECK_FALSE(f.driver->status().syncing);
  }

  SECTION("a commit proof in a proposal is certified data") {
    const consensus::Header h = f.header_at(1, 1);
    const Bytes header = consensus::encode_header(h);
    const Bytes block = consensus::encode_block(header, {});
    const crypto::Signature sig = f.keys[1].sign(consensus::proposal_digest(f.chain_id, header));
    const Bytes proposal = consensus::encode_proposal(block, {}, sig, f.certified(40, 45));
    f.driver->on_message(peer, p2p::MessageType::proposal, proposal);
    CHECK(f.driver->status().sync_target == 40);
    CHECK(f.driver->status().syncing);
  }
}
