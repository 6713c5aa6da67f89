#include "ledger/p2p/network.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "ledger/crypto/random.h"
#include "ledger/p2p/backoff.h"
#include "ledger/p2p/session.h"

namespace docket::p2p {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

uint64_t random_seed() {
  uint64_t seed = 0;
  crypto::random_bytes(reinterpret_cast<uint8_t*>(&seed), sizeof seed);
  return seed;
}

// Two sessions with one peer exist when both sides dialed at once (or the peer reconnected before
// we saw its old connection die). Both sides must keep the same one, so the rule depends only on the
// connection: the one dialed by the lower key wins; between two dialed by the same side, the newer.
bool dialed_by_lower_key(const Session& s, const PeerKey& own) {
  const PeerKey& dialer = s.outbound() ? own : s.peer_key();
  const PeerKey& acceptor = s.outbound() ? s.peer_key() : own;
  return dialer < acceptor;
}

}  // namespace

// The dial loop of one configured peer: idle (connected or waiting for it to go down), waiting for
// the backoff timer, connecting, or handshaking.
struct Dialer {
  enum class State { idle, waiting, connecting, handshaking };

  Dialer(asio::io_context& io, PeerAddress a, const NetworkConfig& cfg)
      : address(std::move(a)),
        backoff(cfg.reconnect_initial, cfg.reconnect_max, random_seed()),
        timer(io),
        resolver(io),
        socket(io) {}

  PeerAddress address;
  Backoff backoff;
  asio::steady_timer timer;  // backoff wait, then the connect deadline
  tcp::resolver resolver;
  tcp::socket socket;
  State state = State::idle;
  std::weak_ptr<Session> attempt;
  bool removed = false;
};

class Network::Impl final : public SessionOwner {
 public:
  Impl(NetworkConfig config, crypto::SecretKey key, NetworkHandler& handler)
      : config_(std::move(config)),
        key_(std::move(key)),
        own_key_(key_.public_key()),
        handler_(handler),
        acceptor_(io_),
        accept_retry_(io_) {
    DOCKET_ASSERT(!config_.chain.chain_id.empty());
  }

  ~Impl() override { stop(); }

  Status start() {
    DOCKET_ASSERT(!started_);
    started_ = true;
    if (config_.listen) DOCKET_TRY(bind_listener());
    allowed_.insert(config_.allowed_keys.begin(), config_.allowed_keys.end());
    for (const auto& p : config_.peers) add_dialer(p);
    if (acceptor_.is_open()) accept_next();
    work_.emplace(asio::make_work_guard(io_));
    running_ = true;
    thread_ = std::thread([this] { io_.run(); });
    spdlog::info("p2p: node {} started{}", short_key(own_key_),
                 config_.listen ? " on " + config_.listen_host + ":" + std::to_string(port_) : "");
    return ok_status();
  }

  void stop() {
    if (!running_.exchange(false)) return;
    asio::post(io_, [this] {
      stopping_ = true;
      error_code ignored;
      acceptor_.close(ignored);
      accept_retry_.cancel();
      for (auto& [key, d] : dialers_) retire(*d);
      dialers_.clear();
      // close() calls back into on_session_closed, which edits these maps: iterate over copies.
      auto pending = pending_;
      for (auto& s : pending) s->close(DisconnectReason::shutdown);
      auto sessions = sessions_;
      for (auto& [key, s] : sessions) s->close(DisconnectReason::shutdown);
      pending_.clear();
      sessions_.clear();
      work_.reset();
      io_.stop();
    });
    thread_.join();
    publish_connected();
  }

  uint16_t listen_port() const {
    DOCKET_ASSERT(started_);
    return port_;
  }
  const PeerKey& public_key() const { return own_key_; }

  void set_allowed_keys(const std::vector<PeerKey>& keys) {
    asio::post(io_, [this, keys] {
      allowed_ = std::unordered_set<PeerKey, PeerKeyHash>(keys.begin(), keys.end());
      std::vector<std::shared_ptr<Session>> revoked;
      for (auto& [key, s] : sessions_)
        if (!allowed_.count(key)) revoked.push_back(s);
      for (auto& s : revoked) s->close(DisconnectReason::key_removed);
    });
  }

  void set_peers(const std::vector<PeerAddress>& peers) {
    asio::post(io_, [this, peers] {
      std::unordered_set<PeerKey, PeerKeyHash> wanted;
      for (const auto& p : peers) wanted.insert(p.key);
      for (auto it = dialers_.begin(); it != dialers_.end();) {
        if (wanted.count(it->first)) {
          ++it;
          continue;
        }
        retire(*it->second);
        it = dialers_.erase(it);
      }
      for (const auto& p : peers) {
        auto it = dialers_.find(p.key);
        if (it == dialers_.end()) {
          add_dialer(p);
        } else {
          it->second->address = p;  // a new address is used from the next dial on
        }
      }
    });
  }

  Status send(const PeerKey& peer, MessageType type, ByteView payload) {
    auto frame = make_frame(type, payload);
    if (!frame) return frame.error();
    asio::post(io_, [this, peer, f = std::move(*frame)] {
      auto it = sessions_.find(peer);
      if (it == sessions_.end()) {
        counters_.dropped_not_connected++;
        return;
      }
      it->second->send(f);
    });
    return ok_status();
  }

  Status broadcast(MessageType type, ByteView payload) {
    auto frame = make_frame(type, payload);
    if (!frame) return frame.error();
    asio::post(io_, [this, f = std::move(*frame)] {
      for (auto& [key, s] : sessions_) s->send(f);
    });
    return ok_status();
  }

  std::vector<PeerKey> connected_peers() const {
    std::lock_guard lock(connected_mu_);
    return connected_;
  }

  NetworkStats stats() const {
    NetworkStats st;
    st.frames_in = counters_.frames_in;
    st.frames_out = counters_.frames_out;
    st.bytes_in = counters_.bytes_in;
    st.bytes_out = counters_.bytes_out;
    st.dropped_queue_full = counters_.dropped_queue_full;
    st.dropped_not_connected = counters_.dropped_not_connected;
    st.accepted = counters_.accepted;
    st.dial_attempts = counters_.dial_attempts;
    st.dial_failures = counters_.dial_failures;
    st.established = counters_.established;
    for (size_t i = 0; i < kDisconnectReasonCount; ++i) st.disconnects[i] = counters_.disconnects[i];
    st.peers_connected = connected_peers().size();
    return st;
  }

  // --- SessionOwner (io thread) ---

  std::optional<Rejection> check_peer_key(const Session& s, const PeerKey& key) override {
    if (s.expected_key() && *s.expected_key() != key)
      return Rejection{DisconnectReason::unexpected_key,
                       "dialed " + short_key(*s.expected_key()) + " but " + short_key(key) + " answered"};
    if (!allowed_.count(key)) return Rejection{DisconnectReason::unknown_key, "key " + to_hex(key) + " is not allowed"};
    return std::nullopt;
  }

  bool on_session_established(const std::shared_ptr<Session>& s) override {
    pending_.erase(s);
    const PeerKey& key = s->peer_key();
    if (auto d = dialer_of_attempt(*s)) {
      d->state = Dialer::State::idle;
      d->backoff.reset();
    }
    if (!allowed_.count(key)) {  // the allowed set changed during the handshake
      s->close(DisconnectReason::key_removed);
      return true;
    }
    auto it = sessions_.find(key);
    if (it != sessions_.end()) {
      const std::shared_ptr<Session> old = it->second;
      const bool new_wins = dialed_by_lower_key(*s, own_key_) == dialed_by_lower_key(*old, own_key_) ||
                            dialed_by_lower_key(*s, own_key_);
      if (!new_wins) return false;
      it->second = s;     // replace first, so the old session's close does not report the peer down
      old->close(DisconnectReason::duplicate);
      spdlog::info("p2p: peer {} reconnected via {}", short_key(key), s->describe());
      return true;
    }
    // The handler hears of the peer before connected_peers() lists it (and, on the way down, after).
    sessions_.emplace(key, s);
    if (deferred_down_.erase(key)) {
      spdlog::info("p2p: peer {} continues via {}", short_key(key), s->describe());
    } else {
      spdlog::info("p2p: peer {} up via {}", short_key(key), s->describe());
      handler_.on_peer_up(key);
    }
    publish_connected();
    return true;
  }

  void on_session_message(const Session& s, MessageType type, Bytes payload) override {
    if (stopping_) return;
    handler_.on_message(s.peer_key(), type, std::move(payload));
  }

  void on_session_closed(const std::shared_ptr<Session>& s, DisconnectReason reason, bool was_established) override {
    pending_.erase(s);
    if (stopping_) return;
    std::optional<PeerKey> key;
    if (s->peer_key_known()) key = s->peer_key();
    if (was_established) {
      auto it = sessions_.find(*key);
      if (it != sessions_.end() && it->second == s) {
        sessions_.erase(it);
        publish_connected();
        // When both sides dialed at once, the peer may close the session we kept while the one it
        // kept is still finishing its handshake here: report the peer down only if that one fails.
        if (handshaking_with(*key)) {
          deferred_down_[*key] = reason;
        } else {
          handler_.on_peer_down(*key, reason);
        }
      }
    }
    const std::array<const PeerKey*, 2> keys = {key ? &*key : nullptr,
                                                s->expected_key() ? &*s->expected_key() : nullptr};
    for (const PeerKey* k : keys) {
      if (!k) continue;
      auto deferred = deferred_down_.find(*k);
      if (deferred == deferred_down_.end() || handshaking_with(*k) || sessions_.count(*k)) continue;
      const DisconnectReason first_reason = deferred->second;
      deferred_down_.erase(deferred);
      handler_.on_peer_down(*k, first_reason);
    }
    if (auto d = dialer_of_attempt(*s)) {
      d->state = Dialer::State::idle;
      d->attempt.reset();
    }
    if (s->expected_key()) redial_if_down(*s->expected_key());
    if (key && (!s->expected_key() || *key != *s->expected_key())) redial_if_down(*key);
  }

 private:
  Status bind_listener() {
    error_code ec;
    const auto address = asio::ip::make_address(config_.listen_host, ec);
    if (ec) return make_error(Errc::invalid_argument, "p2p listen address '" + config_.listen_host + "' is not an IP address");
    const tcp::endpoint ep(address, config_.listen_port);
    const std::string where = config_.listen_host + ":" + std::to_string(config_.listen_port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      error_code ignored;
      acceptor_.close(ignored);
      return make_error(Errc::unavailable, "cannot listen for peers on " + where + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    return ok_status();
  }

  void accept_next() {
    acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
      if (stopping_ || !acceptor_.is_open()) return;
      if (ec) {
        // Out of file descriptors and the like: keep the listener, try again shortly.
        spdlog::warn("p2p: accept failed: {}", ec.message());
        accept_retry_.expires_after(std::chrono::milliseconds(100));
        accept_retry_.async_wait([this](const error_code& e) {
          if (!e && !stopping_) accept_next();
        });
        return;
      }
      counters_.accepted++;
      if (pending_.size() >= config_.max_pending_connections) {
        counters_.disconnects[static_cast<size_t>(DisconnectReason::too_many_pending)]++;
        spdlog::warn("p2p: refused a connection: {}", disconnect_reason_name(DisconnectReason::too_many_pending));
        error_code ignored;
        socket.close(ignored);
      } else {
        auto s = std::make_shared<Session>(std::move(socket), std::nullopt, key_, config_, counters_, *this);
        pending_.insert(s);
        s->start();
      }
      accept_next();
    });
  }

  Result<Frame> make_frame(MessageType type, ByteView payload) const {
    if (!running_) return make_error(Errc::unavailable, "the p2p network is not running");
    if (message_frame_bytes(payload.size()) > config_.max_frame_bytes)
      return make_error(Errc::too_large, std::string(message_type_name(type)) + " message of " +
                                             std::to_string(payload.size()) + " bytes does not fit in a frame");
    pb::Envelope env;
    pb::Message* m = env.mutable_message();
    m->set_type(static_cast<pb::MessageType>(type));
    m->set_payload(payload.data(), payload.size());
    return Frame(std::make_shared<const Bytes>(encode_frame(env)));
  }

  void add_dialer(const PeerAddress& p) {
    if (p.key == own_key_) return;  // our own entry in a shared peer list
    auto d = std::make_shared<Dialer>(io_, p, config_);
    dialers_[p.key] = d;
    schedule_dial(d, std::chrono::milliseconds(0));
  }

  // Stops a dialer that is no longer wanted; callbacks still in flight see `removed`.
  static void retire(Dialer& d) {
    d.removed = true;
    error_code ignored;
    d.timer.cancel();
    d.resolver.cancel();
    d.socket.close(ignored);
  }

  // Whether a session still in its handshake is, or claims to be, with this key.
  bool handshaking_with(const PeerKey& key) const {
    for (const auto& p : pending_)
      if ((p->peer_key_known() && p->peer_key() == key) || (p->expected_key() && *p->expected_key() == key)) return true;
    return false;
  }

  std::shared_ptr<Dialer> dialer_of_attempt(const Session& s) {
    if (!s.expected_key()) return nullptr;
    auto it = dialers_.find(*s.expected_key());
    if (it == dialers_.end()) return nullptr;
    auto attempt = it->second->attempt.lock();
    return attempt.get() == &s ? it->second : nullptr;
  }

  void redial_if_down(const PeerKey& key) {
    auto it = dialers_.find(key);
    if (it == dialers_.end() || sessions_.count(key)) return;
    const auto& d = it->second;
    if (d->state != Dialer::State::idle) return;
    schedule_dial(d, d->backoff.next());
  }

  void schedule_dial(const std::shared_ptr<Dialer>& d, std::chrono::milliseconds delay) {
    d->state = Dialer::State::waiting;
    d->timer.expires_after(delay);
    d->timer.async_wait([this, d](const error_code& ec) {
      if (ec || d->removed || stopping_) return;
      dial(d);
    });
  }

  void dial_failed(const std::shared_ptr<Dialer>& d, const std::string& why) {
    counters_.dial_failures++;
    error_code ignored;
    d->socket.close(ignored);
    d->state = Dialer::State::idle;
    const auto delay = d->backoff.next();
    spdlog::debug("p2p: dial {}:{} ({}) failed: {}; retry in {} ms", d->address.host, d->address.port,
                  short_key(d->address.key), why, delay.count());
    schedule_dial(d, delay);
  }

  void dial(const std::shared_ptr<Dialer>& d) {
    if (sessions_.count(d->address.key)) {
      d->state = Dialer::State::idle;  // connected (maybe inbound): redial when it goes down
      return;
    }
    d->state = Dialer::State::connecting;
    counters_.dial_attempts++;
    // One deadline for resolving and connecting; the handshake has its own.
    d->timer.expires_after(config_.handshake_timeout);
    d->timer.async_wait([d](const error_code& ec) {
      if (ec || d->state != Dialer::State::connecting) return;
      d->resolver.cancel();
      error_code ignored;
      d->socket.close(ignored);
    });
    d->resolver.async_resolve(
        d->address.host, std::to_string(d->address.port),
        [this, d](const error_code& ec, const tcp::resolver::results_type& results) {
          if (d->removed || stopping_) return;
          if (ec) return dial_failed(d, "resolve: " + ec.message());
          asio::async_connect(d->socket, results, [this, d](const error_code& ec2, const tcp::endpoint&) {
            if (d->removed || stopping_) return;
            if (ec2) return dial_failed(d, ec2.message());
            d->timer.cancel();
            if (sessions_.count(d->address.key)) {  // the peer dialed us meanwhile
              error_code ignored;
              d->socket.close(ignored);
              d->state = Dialer::State::idle;
              return;
            }
            auto s = std::make_shared<Session>(std::move(d->socket), d->address.key, key_, config_, counters_, *this);
            d->socket = tcp::socket(io_);
            d->state = Dialer::State::handshaking;
            d->attempt = s;
            pending_.insert(s);
            s->start();
          });
        });
  }

  void publish_connected() {
    std::vector<PeerKey> keys;
    keys.reserve(sessions_.size());
    for (const auto& [key, s] : sessions_) keys.push_back(key);
    std::lock_guard lock(connected_mu_);
    connected_ = std::move(keys);
  }

  const NetworkConfig config_;
  const crypto::SecretKey key_;
  const PeerKey own_key_;
  NetworkHandler& handler_;

  // Destroyed last: everything below holds handlers or sockets of this io_context.
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  uint16_t port_ = 0;
  std::thread thread_;
  bool started_ = false;
  std::atomic<bool> running_{false};

  // io thread only
  bool stopping_ = false;
  std::unordered_set<PeerKey, PeerKeyHash> allowed_;
  std::unordered_map<PeerKey, std::shared_ptr<Session>, PeerKeyHash> sessions_;
  std::unordered_set<std::shared_ptr<Session>> pending_;
  std::unordered_map<PeerKey, std::shared_ptr<Dialer>, PeerKeyHash> dialers_;
  // Peers whose live session closed while another session with them was handshaking (see
  // on_session_closed); the reason is reported if that handshake fails.
  std::unordered_map<PeerKey, DisconnectReason, PeerKeyHash> deferred_down_;

  Counters counters_;
  mutable std::mutex connected_mu_;
  std::vector<PeerKey> connected_;
};

Network::Network(NetworkConfig config, crypto::SecretKey key, NetworkHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(key), handler)) {}
Network::~Network() = default;
Status Network::start() { return impl_->start(); }
void Network::stop() { impl_->stop(); }
uint16_t Network::listen_port() const { return impl_->listen_port(); }
const PeerKey& Network::public_key() const { return impl_->public_key(); }
void Network::set_allowed_keys(const std::vector<PeerKey>& keys) { impl_->set_allowed_keys(keys); }
void Network::set_peers(const std::vector<PeerAddress>& peers) { impl_->set_peers(peers); }
Status Network::send(const PeerKey& peer, MessageType type, ByteView payload) { return impl_->send(peer, type, payload); }
Status Network::broadcast(MessageType type, ByteView payload) { return impl_->broadcast(type, payload); }
std::vector<PeerKey> Network::connected_peers() const { return impl_->connected_peers(); }
NetworkStats Network::stats() const { return impl_->stats(); }

}  // namespace docket::p2p
