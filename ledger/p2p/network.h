// The p2p network of a node: authenticated TCP connections to the other validators, carrying typed
// opaque messages in length-prefixed frames (docs/p2p.md).
//
// A Network listens for peers, dials the configured ones (redialing with capped exponential backoff
// while they are down), runs the handshake that proves each side holds its node key for this chain
// id, keeps at most one live session per peer key, and drops peers that send invalid data, logging
// why. All IO runs on one thread that the Network owns.
//
// Thread safety: every public method may be called from any thread. The handler's callbacks run on
// the io thread, one at a time; they must not block (post work elsewhere) and must not call stop().
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "ledger/common/result.h"
#include "ledger/crypto/schnorr.h"
#include "ledger/p2p/network_config.h"
#include "ledger/p2p/types.h"

namespace docket::p2p {

// What the owner of a Network (the node) hears from it, on the io thread.
class NetworkHandler {
 public:
  virtual ~NetworkHandler() = default;
  // A peer finished the handshake and is now the one live session for its key.
  virtual void on_peer_up(const PeerKey& peer) = 0;
  // The live session of a peer ended. Not called for sessions closed by stop().
  virtual void on_peer_down(const PeerKey& peer, DisconnectReason reason) = 0;
  // A message from an authenticated peer. The payload is unchecked: validate before use.
  virtual void on_message(const PeerKey& peer, MessageType type, Bytes payload) = 0;
};

// A snapshot of the counters, for metrics and tests.
struct NetworkStats {
  uint64_t frames_in = 0, frames_out = 0, bytes_in = 0, bytes_out = 0;
  uint64_t dropped_queue_full = 0;      // sends dropped because the peer's queue was full
  uint64_t dropped_not_connected = 0;   // sends to a peer without a live session
  uint64_t accepted = 0, dial_attempts = 0, dial_failures = 0, established = 0;
  std::array<uint64_t, kDisconnectReasonCount> disconnects{};  // indexed by DisconnectReason
  size_t peers_connected = 0;

  uint64_t disconnects_for(DisconnectReason r) const { return disconnects[static_cast<size_t>(r)]; }
};

class Network {
 public:
  // REQUIRES: config.chain.chain_id is not empty; the handler outlives the Network.
  Network(NetworkConfig config, crypto::SecretKey key, NetworkHandler& handler);
  ~Network();  // stops
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // Binds the listener (Errc::unavailable when the address is taken or invalid) and starts the io
  // thread, accepting and dialing. REQUIRES: called once.
  Status start();
  // Closes every connection and joins the io thread; no callback runs after it returns. Idempotent.
  void stop();

  // The port the listener is bound to (useful with listen_port 0). REQUIRES: start() succeeded.
  uint16_t listen_port() const;
  const PeerKey& public_key() const;

  // Replaces the set of keys that may connect; live sessions of keys no longer in it are closed
  // (DisconnectReason::key_removed). For epoch changes.
  void set_allowed_keys(const std::vector<PeerKey>& keys);
  // Replaces the peers to dial. Sessions with removed peers stay up; they are just not redialed.
  void set_peers(const std::vector<PeerAddress>& peers);

  // Queues a message to one peer, or to every connected peer. Delivery is best effort: a message to
  // a peer without a live session, or whose send queue is full, is dropped and counted. Errors:
  // Errc::too_large when the message would not fit in a frame; Errc::unavailable when not running.
  Status send(const PeerKey& peer, MessageType type, ByteView payload);
  Status broadcast(MessageType type, ByteView payload);

  // Keys with a live session now.
  std::vector<PeerKey> connected_peers() const;
  NetworkStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace docket::p2p
