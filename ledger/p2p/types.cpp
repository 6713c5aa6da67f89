#include "ledger/p2p/types.h"

namespace docket::p2p {

std::string short_key(const PeerKey& k) { return to_hex(ByteView(k.data(), 8)); }

const char* message_type_name(MessageType t) {
  switch (t) {
    case MessageType::proposal: return "proposal";
    case MessageType::vote: return "vote";
    case MessageType::timeout: return "timeout";
    case MessageType::transactions: return "transactions";
    case MessageType::block_request: return "block_request";
    case MessageType::block_response: return "block_response";
    case MessageType::fetch_request: return "fetch_request";
    case MessageType::fetch_response: return "fetch_response";
  }
  return "unknown";
}

const char* disconnect_reason_name(DisconnectReason r) {
  switch (r) {
    case DisconnectReason::shutdown: return "shutdown";
    case DisconnectReason::closed_by_peer: return "closed by peer";
    case DisconnectReason::io_error: return "io error";
    case DisconnectReason::handshake_timeout: return "handshake timeout";
    case DisconnectReason::wrong_chain: return "wrong chain id";
    case DisconnectReason::protocol_version: return "unsupported protocol version";
    case DisconnectReason::unknown_key: return "unknown key";
    case DisconnectReason::unexpected_key: return "unexpected key";
    case DisconnectReason::self_connection: return "connection to self";
    case DisconnectReason::bad_signature: return "bad handshake signature";
    case DisconnectReason::protocol_violation: return "protocol violation";
    case DisconnectReason::oversized_frame: return "oversized frame";
    case DisconnectReason::duplicate: return "duplicate session";
    case DisconnectReason::key_removed: return "key removed from allowed set";
    case DisconnectReason::idle_timeout: return "idle timeout";
    case DisconnectReason::write_stalled: return "write stalled";
    case DisconnectReason::too_many_pending: return "too many pending connections";
  }
  return "unknown";
}

}  // namespace docket::p2p
