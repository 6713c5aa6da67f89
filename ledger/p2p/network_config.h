// Settings of a p2p Network: who we are (chain id), where we listen, whom we dial, and the limits
// and timers that bound every connection. Plain data; the node fills it from config.toml.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "ledger/crypto/chain_binding.h"
#include "ledger/p2p/frame.h"
#include "ledger/p2p/types.h"

namespace docket::p2p {

struct NetworkConfig {
  using ms = std::chrono::milliseconds;

  crypto::ChainBinding chain;  // chain id and genesis hash; a peer on another genesis is refused
  bool listen = true;
  std::string listen_host = "127.0.0.1";  // an IP address
  uint16_t listen_port = 0;               // 0: an ephemeral port (see Network::listen_port)
  std::vector<PeerAddress> peers;         // dialed and redialed while not connected
  std::vector<PeerKey> allowed_keys;      // keys that may connect (both directions)

  size_t max_frame_bytes = kDefaultMaxFrameBytes;  // after the handshake
  size_t handshake_frame_bytes = 1024;             // before it: a Hello or HelloAuth is ~150 bytes
  // Per-peer send queue. When full, new messages to that peer are dropped (see docs/p2p.md).
  size_t send_queue_max_messages = 4096;
  size_t send_queue_max_bytes = 64u << 20;
  // Connections accepted but not yet authenticated; more are closed on accept.
  size_t max_pending_connections = 64;

  ms handshake_timeout{5000};    // TCP connect (outbound) and the whole handshake
  ms keepalive_interval{2000};   // a keepalive is sent after this long without sending anything
  ms idle_timeout{10000};        // disconnect after this long without receiving anything
  ms write_timeout{10000};       // disconnect when one write has been in flight this long
  ms reconnect_initial{100};     // backoff of redials to a configured peer
  ms reconnect_max{10000};
  ms housekeeping_interval{250};  // how often the timers above are checked
};

}  // namespace docket::p2p
