// One TCP connection to a peer: the handshake, the frame reader, and the writer with its bounded
// queue. Internal to ledger/p2p; the Network owns the sessions.
//
// A Session lives on the Network's io thread: every method is called there, and it keeps itself
// alive (shared_from_this) while an operation is outstanding. It reports to its SessionOwner, which
// outlives every callback (the Network stops the io thread before it is destroyed).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ledger/p2p/handshake.h"
#include "ledger/p2p/network_config.h"

namespace docket::p2p {

using Frame = std::shared_ptr<const Bytes>;

// Counters shared by the Network and its sessions; read from any thread.
struct Counters {
  std::atomic<uint64_t> frames_in{0}, frames_out{0}, bytes_in{0}, bytes_out{0};
  std::atomic<uint64_t> dropped_queue_full{0}, dropped_not_connected{0};
  std::atomic<uint64_t> accepted{0}, dial_attempts{0}, dial_failures{0}, established{0};
  std::array<std::atomic<uint64_t>, kDisconnectReasonCount> disconnects{};
};

class Session;

class SessionOwner {
 public:
  virtual ~SessionOwner() = default;
  // Whether a peer that claims `key` may go on with the handshake.
  virtual std::optional<Rejection> check_peer_key(const Session& s, const PeerKey& key) = 0;
  // The handshake finished. False: another session with this key is kept; this one closes.
  virtual bool on_session_established(const std::shared_ptr<Session>& s) = 0;
  virtual void on_session_message(const Session& s, MessageType type, Bytes payload) = 0;
  // Called exactly once per session, when it closes for any reason.
  virtual void on_session_closed(const std::shared_ptr<Session>& s, DisconnectReason reason, bool was_established) = 0;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // expected_key: for an outbound session, the key the dialed peer must prove.
  Session(boost::asio::ip::tcp::socket socket, std::optional<PeerKey> expected_key, const crypto::SecretKey& key,
          const NetworkConfig& config, Counters& counters, SessionOwner& owner);

  // Sends our Hello and starts reading and the timers.
  void start();
  // Queues a frame. REQUIRES: established(). Drops it (and counts) when the queue is full.
  void send(const Frame& frame);
  // Closes the connection and reports to the owner once; later calls do nothing.
  void close(DisconnectReason reason, const std::string& detail = {});

  bool outbound() const { return expected_key_.has_value(); }
  const std::optional<PeerKey>& expected_key() const { return expected_key_; }
  bool established() const { return established_; }
  bool closed() const { return closed_; }
  // REQUIRES: the peer's Hello was accepted.
  const PeerKey& peer_key() const { return handshake_.peer_key(); }
  bool peer_key_known() const { return handshake_.hello_received(); }
  // The remote endpoint and, once known, the peer's short key; for log lines.
  std::string describe() const;

 private:
  void read_header();
  void read_body(size_t length);
  void on_frame(const pb::Envelope& env);
  void enqueue(const Frame& frame);
  void write_next();
  void schedule_housekeeping();
  void housekeeping();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  std::optional<PeerKey> expected_key_;
  const NetworkConfig& config_;
  Counters& counters_;
  SessionOwner& owner_;
  Handshake handshake_;
  std::string remote_;

  std::array<uint8_t, kFrameHeaderBytes> header_{};
  Bytes body_;

  std::deque<Frame> queue_;
  size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool drop_logged_ = false;  // one warning per episode of a full queue

  using Clock = std::chrono::steady_clock;
  Clock::time_point handshake_deadline_;
  Clock::time_point last_read_;
  Clock::time_point last_write_;
  Clock::time_point write_started_;

  bool established_ = false;
  bool closed_ = false;
};

}  // namespace docket::p2p
