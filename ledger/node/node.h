// Node: one running docketd. Wires the chain (store, executor), the mempool, the p2p network, the
// consensus driver, the HTTP API and the metrics, and owns the driver thread: an io_context run by
// one thread, onto which network callbacks, gossip admission and the 50 ms consensus tick are posted.
//
// Lifecycle: open() checks the configuration, genesis and data directory; start() binds the p2p and
// API ports (errors name them), restores the driver and starts every thread; stop() stops the API,
// the network and the driver thread, in that order. Everything committed is already synced, so stop()
// has nothing to flush. Thread safety: open/start/stop from one (the main) thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ledger/api/router.h"
#include "ledger/api/server.h"
#include "ledger/node/api_impl.h"
#include "ledger/node/chain.h"
#include "ledger/node/config.h"
#include "ledger/node/driver.h"

namespace docket::node {

class Node final : public p2p::NetworkHandler {
 public:
  static Result<std::unique_ptr<Node>> open(NodeConfig cfg);
  ~Node() override;

  Status start();
  void stop();

  // Set when a write failed or a committed block could not be applied: the process must exit.
  bool failed() const { return failed_.load(); }
  std::string failure() const;

  // p2p::NetworkHandler (network io thread): everything is posted to the driver thread.
  void on_peer_up(const p2p::PeerKey& peer) override;
  void on_peer_down(const p2p::PeerKey& peer, p2p::DisconnectReason reason) override;
  void on_message(const p2p::PeerKey& peer, p2p::MessageType type, Bytes payload) override;

 private:
  Node(NodeConfig cfg, OpenedChain chain, crypto::SecretKey key);
  void schedule_tick();
  void fail(const std::string& why);

  NodeConfig cfg_;
  OpenedChain chain_;
  crypto::SecretKey key_;
  metrics::Registry registry_;
  std::unique_ptr<state::BlockExecutor> executor_;
  std::unique_ptr<Mempool> mempool_;
  std::unique_ptr<p2p::Network> network_;
  std::unique_ptr<ApiImpl> api_;
  std::unique_ptr<Driver> driver_;
  std::unique_ptr<api::Router> router_;
  std::unique_ptr<api::HttpServer> server_;

  boost::asio::io_context ioc_;
  std::unique_ptr<boost::asio::steady_timer> tick_;
  std::thread thread_;
  bool started_ = false;

  std::atomic<bool> failed_{false};
  mutable std::mutex failure_mu_;
  std::string failure_;
};

}  // namespace docket::node
