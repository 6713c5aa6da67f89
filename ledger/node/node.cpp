#include "ledger/node/node.h"

#include <chrono>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "ledger/api/v1_routes.h"
#include "ledger/node/node_key.h"
#include "ledger/node/p2p_metrics.h"
#include "ledger/primitives/transaction.h"

namespace docket::node {

namespace {

constexpr auto kTick = std::chrono::milliseconds(50);

uint64_t wall_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

crypto::SecretKey copy_key(const crypto::SecretKey& k) {
  auto c = crypto::SecretKey::from_bytes(k.secret_bytes());
  DOCKET_ASSERT(c.ok());
  return std::move(*c);
}

}  // namespace

Result<std::unique_ptr<Node>> Node::open(NodeConfig cfg) {
  auto key = load_node_key(cfg.node_key_file);
  if (!key) return make_error(key.error().code, "node key " + cfg.node_key_file.string() + ": " + key.error().message);
  auto chain = open_chain(cfg);
  if (!chain) return chain.error();
  if (chain->created) spdlog::info("storage: wrote the genesis state of chain {} in {}", chain->genesis.chain_id, cfg.data_dir.string());
  return std::unique_ptr<Node>(new Node(std::move(cfg), std::move(*chain), std::move(*key)));
}

Node::Node(NodeConfig cfg, OpenedChain chain, crypto::SecretKey key)
    : cfg_(std::move(cfg)), chain_(std::move(chain)), key_(std::move(key)) {
  executor_ = std::make_unique<state::BlockExecutor>(*chain_.store);
  // Admission (signature, nonce, role, expiry) is done by ApiImpl before add(): the checks need the
  // decoded body, which the mempool does not keep. The mempool adds its own limits and dedup.
  mempool_ = std::make_unique<Mempool>(cfg_.mempool, [](const VerifiedTx&) { return ok_status(); });

  p2p::NetworkConfig net = cfg_.p2p;
  net.chain = {chain_.genesis.chain_id, chain_.genesis_hash};
  net.allowed_keys.clear();
  for (const auto& v : chain_.genesis.validators) net.allowed_keys.push_back(v.node_key);
  for (const auto& p : net.peers) net.allowed_keys.push_back(p.key);
  network_ = std::make_unique<p2p::Network>(net, copy_key(key_), *this);

  api_ = std::make_unique<ApiImpl>(ApiImpl::Deps{chain_.genesis, chain_.genesis_hash, *chain_.store, *executor_, *mempool_, *network_, registry_});
  driver_ = std::make_unique<Driver>(
      Driver::Deps{cfg_, chain_.genesis, chain_.genesis_hash, *chain_.store, *executor_, *mempool_, *network_, registry_,
                   *api_, [this](const std::string& why) { fail(why); }},
      copy_key(key_));
  api_->set_driver(driver_.get());

  register_p2p_metrics(registry_, *network_);
  Mempool* mp = mempool_.get();
  registry_.gauge_fn("docket_mempool_transactions", "Transactions in the mempool", [mp] { return static_cast<double>(mp->size()); });
  registry_.gauge_fn("docket_mempool_bytes", "Bytes of transactions in the mempool", [mp] { return static_cast<double>(mp->bytes()); });

  router_ = std::make_unique<api::Router>(&registry_);
  api::V1Options v1;
  v1.max_tx_bytes = primitives::kMaxTxBytes;  // the chain's one limit, as admission and blocks
  v1.max_wait = cfg_.api.max_wait;
  api::add_v1_routes(*router_, *api_, v1);
  api::add_metrics_route(*router_, registry_);
  server_ = std::make_unique<api::HttpServer>(cfg_.api, *router_);
}

Node::~Node() { stop(); }

std::string Node::failure() const {
  std::lock_guard lock(failure_mu_);
  return failure_;
}

void Node::fail(const std::string& why) {
  {
    std::lock_guard lock(failure_mu_);
    if (failure_.empty()) failure_ = why;
  }
  failed_ = true;
}

Status Node::start() {
  DOCKET_ASSERT(!started_);
  if (Status st = network_->start(); !st.ok()) {
    return make_error(st.error().code, "p2p: " + st.error().message + " (is another node using the port?)");
  }
  if (Status st = server_->start(); !st.ok()) {
    network_->stop();
    return make_error(st.error().code, "api: cannot listen on " + cfg_.api.listen_host + ":" +
                                           std::to_string(cfg_.api.listen_port) + ": " + st.error().message);
  }
  // The driver is restored before its thread runs; messages that arrive meanwhile wait in the queue.
  if (Status st = driver_->start(wall_ms()); !st.ok()) {
    server_->stop();
    network_->stop();
    return st;
  }
  std::vector<crypto::PublicKey> allowed = driver_->status().validators;
  for (const auto& p : cfg_.p2p.peers) allowed.push_back(p.key);
  network_->set_allowed_keys(allowed);
  tick_ = std::make_unique<boost::asio::steady_timer>(ioc_);
  schedule_tick();
  thread_ = std::thread([this] {
    try {
      ioc_.run();
    } catch (const std::exception& e) {
      spdlog::critical("driver: {}", e.what());
      fail(std::string("driver thread: ") + e.what());
    }
  });
  started_ = true;
  spdlog::info("node: p2p on {}:{}, api on {}:{}, chain {}", cfg_.p2p.listen_host, network_->listen_port(),
               cfg_.api.listen_host, server_->listen_port(), chain_.genesis.chain_id);
  return ok_status();
}

void Node::schedule_tick() {
  tick_->expires_after(kTick);
  tick_->async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    driver_->on_tick(wall_ms());
    api_->expire_waiters(std::chrono::steady_clock::now());
    schedule_tick();
  });
}

void Node::stop() {
  if (!started_) return;
  started_ = false;
  server_->stop();
  network_->stop();
  ioc_.stop();
  if (thread_.joinable()) thread_.join();
  spdlog::info("node: stopped at height {}", driver_->status().height);
}

void Node::on_peer_up(const p2p::PeerKey& peer) { spdlog::info("p2p: peer {} connected", p2p::short_key(peer)); }

void Node::on_peer_down(const p2p::PeerKey& peer, p2p::DisconnectReason reason) {
  spdlog::info("p2p: peer {} disconnected: {}", p2p::short_key(peer), p2p::disconnect_reason_name(reason));
}

void Node::on_message(const p2p::PeerKey& peer, p2p::MessageType type, Bytes payload) {
  if (type == p2p::MessageType::transactions) {
    boost::asio::post(ioc_, [this, p = std::move(payload)] { api_->admit_gossip(p); });
    return;
  }
  boost::asio::post(ioc_, [this, peer, type, p = std::move(payload)]() mutable { driver_->on_message(peer, type, std::move(p)); });
}

}  // namespace docket::node
