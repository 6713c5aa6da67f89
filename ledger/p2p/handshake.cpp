#include "ledger/p2p/handshake.h"

#include <algorithm>

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"

namespace docket::p2p {

Hash32 handshake_digest(const crypto::ChainBinding& chain, const PeerKey& signer, const PeerKey& verifier,
                        const Challenge& verifier_challenge, const Challenge& signer_challenge) {
  Bytes transcript;
  transcript.reserve(4 * 32);
  append(transcript, signer);
  append(transcript, verifier);
  append(transcript, verifier_challenge);
  append(transcript, signer_challenge);
  return crypto::signing_digest(crypto::tags::kHandshake, chain, transcript);
}

Handshake::Handshake(const crypto::SecretKey& key, crypto::ChainBinding chain, const Challenge& challenge)
    : key_(key), own_key_(key.public_key()), chain_(std::move(chain)), own_challenge_(challenge) {}

pb::Envelope Handshake::hello() const {
  pb::Envelope env;
  pb::Hello* h = env.mutable_hello();
  h->set_protocol_version(kProtocolVersion);
  h->set_chain_id(chain_.chain_id);
  h->set_genesis_hash(chain_.genesis_hash.data(), chain_.genesis_hash.size());
  h->set_public_key(own_key_.data(), own_key_.size());
  h->set_challenge(own_challenge_.data(), own_challenge_.size());
  return env;
}

std::variant<pb::Envelope, Rejection> Handshake::on_hello(const pb::Hello& hello, const KeyCheck& check) {
  DOCKET_ASSERT(!peer_key_.has_value());
  if (hello.protocol_version() != kProtocolVersion)
    return Rejection{DisconnectReason::protocol_version,
                     "peer speaks protocol version " + std::to_string(hello.protocol_version())};
  if (hello.chain_id() != chain_.chain_id) {
    // The peer's chain id is untrusted text: log at most a bounded, printable prefix of it.
    std::string shown = hello.chain_id().substr(0, 64);
    std::replace_if(shown.begin(), shown.end(), [](char c) { return c < 0x20 || c > 0x7e; }, '?');
    return Rejection{DisconnectReason::wrong_chain, "peer is on chain '" + shown + "'"};
  }
  // Same chain id, another genesis: a different network that happens to share the name.
  if (hello.genesis_hash() != to_string(chain_.genesis_hash))
    return Rejection{DisconnectReason::wrong_chain, "peer is on chain '" + chain_.chain_id + "' with genesis " +
                                                        to_hex(as_bytes(hello.genesis_hash())).substr(0, 16) +
                                                        "..., not ours (" + to_hex(chain_.genesis_hash).substr(0, 16) + "...)"};
  if (hello.public_key().size() != 32 || hello.challenge().size() != 32)
    return Rejection{DisconnectReason::protocol_violation, "hello with a malformed key or challenge"};
  PeerKey peer;
  std::copy(hello.public_key().begin(), hello.public_key().end(), peer.begin());
  if (!crypto::is_valid_public_key(peer))
    return Rejection{DisconnectReason::protocol_violation, "hello key is not a valid public key"};
  if (peer == own_key_) return Rejection{DisconnectReason::self_connection, "peer presents our own key"};
  if (auto refused = check(peer)) return *refused;

  std::copy(hello.challenge().begin(), hello.challenge().end(), peer_challenge_.begin());
  peer_key_ = peer;
  const crypto::Signature sig =
      key_.sign(handshake_digest(chain_, own_key_, peer, peer_challenge_, own_challenge_));
  pb::Envelope env;
  env.mutable_auth()->set_signature(sig.data(), sig.size());
  return env;
}

std::optional<Rejection> Handshake::on_auth(const pb::HelloAuth& auth) {
  DOCKET_ASSERT(peer_key_.has_value() && !authenticated_);
  auto sig = crypto::signature_from_bytes(as_bytes(auth.signature()));
  if (!sig) return Rejection{DisconnectReason::protocol_violation, "handshake signature is not 64 bytes"};
  const Hash32 digest = handshake_digest(chain_, *peer_key_, own_key_, own_challenge_, peer_challenge_);
  if (!crypto::verify(*peer_key_, digest, *sig))
    return Rejection{DisconnectReason::bad_signature, "handshake signature does not verify"};
  authenticated_ = true;
  return std::nullopt;
}

const PeerKey& Handshake::peer_key() const {
  DOCKET_ASSERT(peer_key_.has_value());
  return *peer_key_;
}

}  // namespace docket::p2p
