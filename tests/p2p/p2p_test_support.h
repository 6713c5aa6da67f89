// Helpers for the p2p tests: a handler that records what a Network reports, a polling wait, nodes
// with short timers on loopback, and a raw POSIX client that speaks (or abuses) the wire format.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ledger/crypto/random.h"
#include "ledger/crypto/sha256.h"
#include "ledger/p2p/frame.h"
#include "ledger/p2p/handshake.h"
#include "ledger/p2p/network.h"

namespace docket::p2p::test {

using namespace std::chrono_literals;

// Polls cond until it holds or the timeout passes.
inline bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return cond();
}

struct Received {
  PeerKey from;
  MessageType type;
  Bytes payload;
};

class Recorder : public NetworkHandler {
 public:
  void on_peer_up(const PeerKey& p) override {
    std::lock_guard l(mu_);
    ups_.push_back(p);
  }
  void on_peer_down(const PeerKey& p, DisconnectReason r) override {
    std::lock_guard l(mu_);
    downs_.emplace_back(p, r);
  }
  void on_message(const PeerKey& p, MessageType t, Bytes payload) override {
    std::lock_guard l(mu_);
    messages_.push_back({p, t, std::move(payload)});
  }
  size_t ups() const {
    std::lock_guard l(mu_);
    return ups_.size();
  }
  size_t downs() const {
    std::lock_guard l(mu_);
    return downs_.size();
  }
  std::vector<std::pair<PeerKey, DisconnectReason>> down_events() const {
    std::lock_guard l(mu_);
    return downs_;
  }
  std::vector<Received> messages() const {
    std::lock_guard l(mu_);
    return messages_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<PeerKey> ups_;
  std::vector<std::pair<PeerKey, DisconnectReason>> downs_;
  std::vector<Received> messages_;
};

// Chain `id` of a stand-in genesis named `genesis`.
inline crypto::ChainBinding test_chain(const std::string& id, const std::string& genesis = "A") {
  return {id, crypto::sha256(as_bytes("genesis " + genesis))};
}

inline NetworkConfig fast_config(const crypto::ChainBinding& chain) {
  NetworkConfig c;
  c.chain = chain;
  c.listen_host = "127.0.0.1";
  c.handshake_timeout = 1500ms;  // generous: ctest runs suites in parallel on loaded machines
  c.keepalive_interval = 200ms;
  c.idle_timeout = 2000ms;
  c.write_timeout = 1000ms;
  c.reconnect_initial = 20ms;
  c.reconnect_max = 200ms;
  c.housekeeping_interval = 20ms;
  return c;
}

// A node under test: its key (kept as bytes so it can be restarted), recorder and network.
struct TestNode {
  explicit TestNode(const std::string& chain_id = "test-chain", const std::string& genesis = "A")
      : chain(test_chain(chain_id, genesis)) {
    crypto::random_bytes(secret.data(), secret.size());
    while (!crypto::SecretKey::from_bytes(secret).ok()) crypto::random_bytes(secret.data(), secret.size());
    key = crypto::SecretKey::from_bytes(secret).value().public_key();
    config = fast_config(chain);
  }
  void start() {
    net = std::make_unique<Network>(config, crypto::SecretKey::from_bytes(secret).value(), recorder);
    auto st = net->start();
    if (!st.ok()) throw std::runtime_error(st.error().to_string());
    config.listen_port = net->listen_port();  // a restart binds the same port
  }
  void stop() { net.reset(); }
  PeerAddress address() const { return PeerAddress{"127.0.0.1", config.listen_port, key}; }
  bool connected_to(const TestNode& other) const {
    for (const auto& k : net->connected_peers())
      if (k == other.key) return true;
    return false;
  }

  crypto::ChainBinding chain;
  std::array<uint8_t, 32> secret{};
  PeerKey key{};
  NetworkConfig config;
  Recorder recorder;
  std::unique_ptr<Network> net;
};

// A blocking loopback client on raw POSIX sockets with a receive timeout, to send exactly the bytes
// a test wants (garbage, truncated frames) and observe whether the server closes the connection.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  bool write(ByteView b) {
    size_t done = 0;
    while (done < b.size()) {
      const ssize_t n = ::send(fd_, b.data() + done, b.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  bool write_envelope(const pb::Envelope& env) { return write(encode_frame(env)); }
  // Reads one frame; nullopt on close, timeout or a malformed frame.
  std::optional<pb::Envelope> read_envelope() {
    std::array<uint8_t, 4> h;
    if (!read_exact(h.data(), h.size())) return std::nullopt;
    auto len = frame_length(h, kDefaultMaxFrameBytes);
    if (!len) return std::nullopt;
    Bytes body(*len);
    if (!read_exact(body.data(), body.size())) return std::nullopt;
    auto env = decode_envelope(body);
    if (!env) return std::nullopt;
    return *env;
  }
  // True when the server closes the connection within the receive timeout (anything it sends
  // before closing is skipped).
  bool closed_by_server() {
    uint8_t buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
    }
  }

  // Runs the client side of the handshake with `key`; returns the server's key on success.
  std::optional<PeerKey> handshake(const crypto::SecretKey& key, const crypto::ChainBinding& chain) {
    Challenge c;
    crypto::random_bytes(c.data(), c.size());
    Handshake hs(key, chain, c);
    if (!write_envelope(hs.hello())) return std::nullopt;
    auto server_hello = read_envelope();
    if (!server_hello || !server_hello->has_hello()) return std::nullopt;
    auto step = hs.on_hello(server_hello->hello(), [](const PeerKey&) { return std::optional<Rejection>{}; });
    if (!std::holds_alternative<pb::Envelope>(step)) return std::nullopt;
    if (!write_envelope(std::get<pb::Envelope>(step))) return std::nullopt;
    auto server_auth = read_envelope();
    if (!server_auth || !server_auth->has_auth() || hs.on_auth(server_auth->auth())) return std::nullopt;
    return hs.peer_key();
  }

 private:
  bool read_exact(uint8_t* p, size_t n) {
    while (n > 0) {
      const ssize_t got = ::recv(fd_, p, n, 0);
      if (got <= 0) return false;
      p += got;
      n -= static_cast<size_t>(got);
    }
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
};

inline Bytes header(uint32_t n) {
  return {static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8),
          static_cast<uint8_t>(n)};
}

}  // namespace docket::p2p::test
