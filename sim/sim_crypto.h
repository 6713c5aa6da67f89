// Signers and verifiers for the simulator. FastSigner/FastVerifier: a fake scheme (the signature is a
// hash of key and digest) that is ~100x cheaper than Schnorr; sound inside the simulator because
// replicas only ever sign with their own key. DeterministicKeySigner: real BIP-340 with auxiliary
// randomness derived from the digest, so a --real-crypto run is as reproducible as a fake one.
#pragma once

#include "consensus/verifier.h"

namespace docket::sim {

class FastVerifier final : public consensus::Verifier {
 public:
  bool verify(const crypto::PublicKey& key, const Hash32& digest, const crypto::Signature& sig) const override;
};

class FastSigner final : public consensus::Signer {
 public:
  explicit FastSigner(const crypto::PublicKey& key) : key_(key) {}
  crypto::PublicKey public_key() const override { return key_; }
  crypto::Signature sign(const Hash32& digest) override;

 private:
  crypto::PublicKey key_;
};

class DeterministicKeySigner final : public consensus::Signer {
 public:
  explicit DeterministicKeySigner(crypto::SecretKey key) : key_(std::move(key)), pk_(key_.public_key()) {}
  crypto::PublicKey public_key() const override { return pk_; }
  crypto::Signature sign(const Hash32& digest) override;

 private:
  crypto::SecretKey key_;
  crypto::PublicKey pk_;
};

// Validator i's key material for a run: the secret key is derived from (seed-independent) index i.
crypto::SecretKey sim_secret_key(size_t i);
// Fast mode keys: any 32 distinct bytes (never parsed as curve points).
crypto::PublicKey sim_fast_public_key(size_t i);

}  // namespace docket::sim
