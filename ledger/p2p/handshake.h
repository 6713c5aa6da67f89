// The p2p handshake, without sockets: each side sends a Hello (chain id, node key, fresh challenge),
// then a HelloAuth signing both keys and both challenges with its node key (see p2p.proto). A side
// is authenticated once the peer's Hello passed the checks and its HelloAuth verified.
//
// One Handshake per connection, used from that connection's thread only. It borrows the node's
// secret key, which must outlive it.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ledger/crypto/chain_binding.h"
#include "ledger/crypto/schnorr.h"
#include "ledger/p2p/types.h"
#include "ledger/proto/p2p.pb.h"

namespace docket::p2p {

// 2: Hello carries the genesis hash, and the handshake digest binds it (tag docket/p2p-handshake/v2).
inline constexpr uint32_t kProtocolVersion = 2;
using Challenge = std::array<uint8_t, 32>;

// Why a handshake (or a connection) is refused, for the log line and the counters.
struct Rejection {
  DisconnectReason reason;
  std::string detail;
};

// The digest `signer` signs to prove its key to `verifier` on one connection:
// signing_digest(tags::kHandshake, chain, signer || verifier || verifier_challenge || signer_challenge).
Hash32 handshake_digest(const crypto::ChainBinding& chain, const PeerKey& signer, const PeerKey& verifier,
                        const Challenge& verifier_challenge, const Challenge& signer_challenge);

class Handshake {
 public:
  // Decides whether a proven-to-be-claimed key may connect (allowed set, the key a dial expects, not
  // our own). Called once, from on_hello, before we sign anything for the peer.
  using KeyCheck = std::function<std::optional<Rejection>(const PeerKey&)>;

  Handshake(const crypto::SecretKey& key, crypto::ChainBinding chain, const Challenge& challenge);

  // Our Hello, to send first.
  pb::Envelope hello() const;
  // Checks the peer's Hello (version, chain id and genesis hash, key well-formed and accepted by check, challenge)
  // and returns our HelloAuth to send. REQUIRES: called once.
  std::variant<pb::Envelope, Rejection> on_hello(const pb::Hello& hello, const KeyCheck& check);
  // Verifies the peer's HelloAuth. REQUIRES: on_hello succeeded.
  std::optional<Rejection> on_auth(const pb::HelloAuth& auth);

  bool hello_received() const { return peer_key_.has_value(); }
  bool authenticated() const { return authenticated_; }
  // REQUIRES: hello_received().
  const PeerKey& peer_key() const;

 private:
  const crypto::SecretKey& key_;
  PeerKey own_key_;
  crypto::ChainBinding chain_;
  Challenge own_challenge_;
  std::optional<PeerKey> peer_key_;
  Challenge peer_challenge_{};
  bool authenticated_ = false;
};

}  // namespace docket::p2p
