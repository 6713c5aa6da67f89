// Plain types shared by the p2p layer and its owner: peer keys and addresses, message types, and the
// reasons a connection can end. No IO here; safe to include anywhere above ledger/p2p.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ledger/crypto/schnorr.h"

namespace docket::p2p {

using PeerKey = crypto::PublicKey;

// A peer to dial: where it listens and the node key it must prove in the handshake.
struct PeerAddress {
  std::string host;  // IP address or host name
  uint16_t port = 0;
  PeerKey key{};
};

// What a message carries; values equal docket.pb.MessageType on the wire (ledger/proto/p2p.proto).
// KEEPALIVE is internal to the p2p layer and never reaches the owner.
enum class MessageType : uint8_t {
  proposal = 1,
  vote = 2,
  timeout = 3,
  transactions = 4,
  block_request = 5,
  block_response = 6,
  fetch_request = 8,   // consensus block fetch by id (BlockRequest)
  fetch_response = 9,  // its answer (CertifiedBlock)
};
const char* message_type_name(MessageType t);

// Why a connection ended. Logged with every disconnect and counted in Network::Stats.
enum class DisconnectReason : uint8_t {
  shutdown,            // we are stopping
  closed_by_peer,      // the peer closed the connection (EOF or reset)
  io_error,            // a socket error other than a clean close
  handshake_timeout,   // the handshake did not finish in time
  wrong_chain,         // the peer's Hello names another chain id or genesis hash
  protocol_version,    // the peer speaks a protocol version we do not
  unknown_key,         // the peer's key is not in the allowed set
  unexpected_key,      // we dialed a configured peer and another key answered
  self_connection,     // the peer has our own key
  bad_signature,       // the HelloAuth signature does not verify
  protocol_violation,  // undecodable frame, wrong message for the state, bad field
  oversized_frame,     // a frame length above the limit (checked before allocating)
  duplicate,           // another live session with this key is kept instead
  key_removed,         // the peer's key left the allowed set (epoch change)
  idle_timeout,        // nothing received for too long
  write_stalled,       // one write was in flight for too long: the peer does not read
  too_many_pending,    // too many connections still handshaking; refused on accept
};
inline constexpr size_t kDisconnectReasonCount = static_cast<size_t>(DisconnectReason::too_many_pending) + 1;
const char* disconnect_reason_name(DisconnectReason r);

// The first 8 bytes of a key in hex, for log lines.
std::string short_key(const PeerKey& k);

// Hash for PeerKey in unordered containers. Keys are public and uniformly distributed, so their
// first bytes are a fine hash.
struct PeerKeyHash {
  size_t operator()(const PeerKey& k) const noexcept {
    size_t h = 0;
    for (size_t i = 0; i < sizeof(size_t); ++i) h = (h << 8) | k[i];
    return h;
  }
};

}  // namespace docket::p2p
