#include "ledger/p2p/session.h"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "ledger/crypto/random.h"

namespace docket::p2p {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

Challenge fresh_challenge() {
  Challenge c;
  crypto::random_bytes(c.data(), c.size());
  return c;
}

Frame frame_of(const pb::Envelope& env) { return std::make_shared<const Bytes>(encode_frame(env)); }

const Frame& keepalive_frame() {
  static const Frame frame = [] {
    pb::Envelope env;
    env.mutable_message()->set_type(pb::KEEPALIVE);
    return frame_of(env);
  }();
  return frame;
}

DisconnectReason reason_for_read_error(const error_code& ec) {
  if (ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe)
    return DisconnectReason::closed_by_peer;
  return DisconnectReason::io_error;
}

// Misbehaviour is a warning; the ordinary ends of a connection are not.
bool is_misbehaviour(DisconnectReason r) {
  switch (r) {
    case DisconnectReason::shutdown:
    case DisconnectReason::closed_by_peer:
    case DisconnectReason::duplicate:
    case DisconnectReason::key_removed:
      return false;
    default:
      return true;
  }
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, std::optional<PeerKey> expected_key, const crypto::SecretKey& key,
                 const NetworkConfig& config, Counters& counters, SessionOwner& owner)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      expected_key_(expected_key),
      config_(config),
      counters_(counters),
      owner_(owner),
      handshake_(key, config.chain, fresh_challenge()) {
  error_code ec;
  const auto ep = socket_.remote_endpoint(ec);
  remote_ = ec ? std::string("?") : ep.address().to_string() + ":" + std::to_string(ep.port());
}

std::string Session::describe() const {
  if (handshake_.hello_received()) return remote_ + " (" + short_key(handshake_.peer_key()) + ")";
  if (expected_key_) return remote_ + " (dialed " + short_key(*expected_key_) + ")";
  return remote_;
}

void Session::start() {
  const auto now = Clock::now();
  handshake_deadline_ = now + config_.handshake_timeout;
  last_read_ = last_write_ = now;
  error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);  // consensus messages are small and latency-bound
  enqueue(frame_of(handshake_.hello()));
  read_header();
  schedule_housekeeping();
}

void Session::read_header() {
  asio::async_read(socket_, asio::buffer(header_), [self = shared_from_this()](const error_code& ec, size_t) {
    if (self->closed_) return;
    if (ec) return self->close(reason_for_read_error(ec), ec.message());
    const size_t limit = self->established_ ? self->config_.max_frame_bytes : self->config_.handshake_frame_bytes;
    auto length = frame_length(self->header_, limit);
    if (!length) {
      const auto reason = length.error().code == Errc::too_large ? DisconnectReason::oversized_frame
                                                                 : DisconnectReason::protocol_violation;
      return self->close(reason, length.error().message);
    }
    self->read_body(*length);
  });
}

void Session::read_body(size_t length) {
  body_.resize(length);  // bounded by frame_length's limit
  asio::async_read(socket_, asio::buffer(body_), [self = shared_from_this()](const error_code& ec, size_t n) {
    if (self->closed_) return;
    if (ec) return self->close(reason_for_read_error(ec), ec.message());
    self->last_read_ = Clock::now();
    self->counters_.frames_in++;
    self->counters_.bytes_in += n + kFrameHeaderBytes;
    auto env = decode_envelope(self->body_);
    if (!env) return self->close(DisconnectReason::protocol_violation, env.error().message);
    self->on_frame(*env);
    if (!self->closed_) self->read_header();
  });
}

void Session::on_frame(const pb::Envelope& env) {
  if (!handshake_.hello_received()) {
    if (env.body_case() != pb::Envelope::kHello) return close(DisconnectReason::protocol_violation, "expected a Hello");
    auto step = handshake_.on_hello(env.hello(), [this](const PeerKey& k) { return owner_.check_peer_key(*this, k); });
    if (auto* refused = std::get_if<Rejection>(&step)) return close(refused->reason, refused->detail);
    return enqueue(frame_of(std::get<pb::Envelope>(step)));
  }
  if (!handshake_.authenticated()) {
    if (env.body_case() != pb::Envelope::kAuth) return close(DisconnectReason::protocol_violation, "expected a HelloAuth");
    if (auto refused = handshake_.on_auth(env.auth())) return close(refused->reason, refused->detail);
    established_ = true;
    counters_.established++;
    if (!owner_.on_session_established(shared_from_this())) close(DisconnectReason::duplicate);
    return;
  }
  if (env.body_case() != pb::Envelope::kMessage)
    return close(DisconnectReason::protocol_violation, "handshake message after the handshake");
  const auto type = env.message().type();
  if (type == pb::KEEPALIVE) return;
  const std::string& payload = env.message().payload();
  owner_.on_session_message(*this, static_cast<MessageType>(type), Bytes(payload.begin(), payload.end()));
}

void Session::send(const Frame& frame) {
  DOCKET_ASSERT(established_);
  if (closed_) return;
  if (queue_.size() >= config_.send_queue_max_messages ||
      queued_bytes_ + frame->size() > config_.send_queue_max_bytes) {
    counters_.dropped_queue_full++;
    if (!drop_logged_) {
      drop_logged_ = true;
      spdlog::warn("p2p: send queue to {} is full ({} messages, {} bytes); dropping messages", describe(),
                   queue_.size(), queued_bytes_);
    }
    return;
  }
  enqueue(frame);
}

void Session::enqueue(const Frame& frame) {
  queue_.push_back(frame);
  queued_bytes_ += frame->size();
  if (!writing_) write_next();
}

void Session::write_next() {
  DOCKET_ASSERT(!queue_.empty());
  writing_ = true;
  write_started_ = last_write_ = Clock::now();
  // The lambda holds the frame too: close() clears the queue while the write may still be pending.
  const Frame& frame = queue_.front();
  asio::async_write(socket_, asio::buffer(*frame), [self = shared_from_this(), frame](const error_code& ec, size_t n) {
    if (self->closed_) return;
    if (ec) return self->close(reason_for_read_error(ec), ec.message());
    self->counters_.frames_out++;
    self->counters_.bytes_out += n;
    self->queued_bytes_ -= self->queue_.front()->size();
    self->queue_.pop_front();
    self->writing_ = false;
    if (!self->queue_.empty()) return self->write_next();
    self->drop_logged_ = false;
  });
}

void Session::schedule_housekeeping() {
  timer_.expires_after(config_.housekeeping_interval);
  timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (ec || self->closed_) return;
    self->housekeeping();
    if (!self->closed_) self->schedule_housekeeping();
  });
}

void Session::housekeeping() {
  const auto now = Clock::now();
  if (!established_ && now >= handshake_deadline_) return close(DisconnectReason::handshake_timeout);
  if (writing_ && now - write_started_ >= config_.write_timeout) return close(DisconnectReason::write_stalled);
  if (!established_) return;
  if (now - last_read_ >= config_.idle_timeout) return close(DisconnectReason::idle_timeout);
  if (!writing_ && now - last_write_ >= config_.keepalive_interval) enqueue(keepalive_frame());
}

void Session::close(DisconnectReason reason, const std::string& detail) {
  if (closed_) return;
  closed_ = true;
  error_code ignored;
  timer_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  queue_.clear();
  queued_bytes_ = 0;
  counters_.disconnects[static_cast<size_t>(reason)]++;
  const std::string suffix = detail.empty() ? "" : ": " + detail;
  if (is_misbehaviour(reason))
    spdlog::warn("p2p: disconnected {}: {}{}", describe(), disconnect_reason_name(reason), suffix);
  else
    spdlog::info("p2p: disconnected {}: {}{}", describe(), disconnect_reason_name(reason), suffix);
  owner_.on_session_closed(shared_from_this(), reason, established_);
}

}  // namespace docket::p2p
