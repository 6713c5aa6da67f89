// Signature checking and signing behind interfaces, so the core never touches keys or a crypto library
// directly. Production uses BIP-340 Schnorr (SchnorrVerifier, KeySigner); the simulator may plug in a
// fast fake. The core computes every digest itself with crypto::signing_digest(tag, chain binding,
// exact bytes); these interfaces only see 32-byte digests.
//
// Thread safety: a Verifier is called from the core's thread only; implementations here are stateless.
// A Signer is owned by one core.
#pragma once

#include "consensus/types.h"
#include "ledger/crypto/schnorr.h"

namespace docket::consensus {

class Verifier {
 public:
  virtual ~Verifier() = default;
  // Whether sig is the signature of digest by the validator holding key. Must not throw on malformed
  // input: keys and signatures come from the network.
  virtual bool verify(const crypto::PublicKey& key, const Hash32& digest, const crypto::Signature& sig) const = 0;
};

class Signer {
 public:
  virtual ~Signer() = default;
  virtual crypto::PublicKey public_key() const = 0;
  virtual crypto::Signature sign(const Hash32& digest) = 0;
};

// BIP-340 Schnorr via crypto::verify.
class SchnorrVerifier final : public Verifier {
 public:
  bool verify(const crypto::PublicKey& key, const Hash32& digest, const crypto::Signature& sig) const override;
};

// Signs with a secret key it owns (BIP-340, fresh auxiliary randomness).
class KeySigner final : public Signer {
 public:
  explicit KeySigner(crypto::SecretKey key) : key_(std::move(key)), pk_(key_.public_key()) {}
  crypto::PublicKey public_key() const override { return pk_; }
  crypto::Signature sign(const Hash32& digest) override { return key_.sign(digest); }

 private:
  crypto::SecretKey key_;
  crypto::PublicKey pk_;
};

}  // namespace docket::consensus
