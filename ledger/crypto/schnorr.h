// BIP-340 Schnorr signatures over secp256k1, through libsecp256k1.
//
// Public keys are 32-byte x-only keys, signatures 64 bytes. Docket signs 32-byte digests made by
// crypto::signing_digest (tag || chain id || genesis hash || exact bytes); sign_message/verify_message take any
// length, as BIP-340 allows, for the official test vectors.
//
// Thread safety: all functions may be called from any thread. The library context is created and
// randomized once at first use and then only read.
#pragma once

#include <array>
#include <optional>

#include "ledger/common/bytes.h"

namespace docket::crypto {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

// A secret key that wipes itself from memory when destroyed. Move-only.
class SecretKey {
 public:
  // A fresh key from the OS random source.
  static SecretKey generate();
  // From 32 raw bytes; fails if they are zero or not below the curve order.
  static Result<SecretKey> from_bytes(ByteView b);

  SecretKey(SecretKey&& o) noexcept;
  SecretKey& operator=(SecretKey&& o) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey();

  PublicKey public_key() const;
  // Raw bytes, for the encrypted keystore only.
  const std::array<uint8_t, 32>& secret_bytes() const { return sk_; }

  // BIP-340 signature of a 32-byte digest, with fresh auxiliary randomness.
  Signature sign(const Hash32& digest) const;
  // BIP-340 signature of a message of any length with the given auxiliary randomness (test vectors).
  Signature sign_message(ByteView msg, const std::array<uint8_t, 32>& aux) const;

 private:
  SecretKey() = default;
  std::array<uint8_t, 32> sk_{};
};

// True when sig is a valid BIP-340 signature of digest under pk. Any malformed key or signature is
// simply not valid (never an exception): these come from the network.
bool verify(const PublicKey& pk, const Hash32& digest, const Signature& sig);
bool verify_message(const PublicKey& pk, ByteView msg, const Signature& sig);

// Whether 32 bytes are a valid x-only public key (an x coordinate on the curve).
bool is_valid_public_key(const PublicKey& pk);

Result<PublicKey> public_key_from_hex(std::string_view hex);
Result<Signature> signature_from_bytes(ByteView b);

}  // namespace docket::crypto
