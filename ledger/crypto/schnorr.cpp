#include "ledger/crypto/schnorr.h"

#include <openssl/crypto.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <cstring>

#include "ledger/crypto/random.h"

namespace docket::crypto {
namespace {

// One context for the process, randomized once against side channels, then shared read-only.
const secp256k1_context* ctx() {
  static const secp256k1_context* c = [] {
    secp256k1_context* x = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    DOCKET_ASSERT(x != nullptr);
    uint8_t seed[32];
    random_bytes(seed, sizeof seed);
    DOCKET_ASSERT(secp256k1_context_randomize(x, seed) == 1);
    OPENSSL_cleanse(seed, sizeof seed);
    return x;
  }();
  return c;
}

struct Keypair {
  secp256k1_keypair kp;
  ~Keypair() { OPENSSL_cleanse(&kp, sizeof kp); }
};

}  // namespace

SecretKey SecretKey::generate() {
  for (;;) {
    SecretKey k;
    random_bytes(k.sk_.data(), k.sk_.size());
    if (secp256k1_ec_seckey_verify(ctx(), k.sk_.data()) == 1) return k;
  }
}

Result<SecretKey> SecretKey::from_bytes(ByteView b) {
  if (b.size() != 32) return make_error(Errc::invalid_argument, "secret key must be 32 bytes");
  SecretKey k;
  std::memcpy(k.sk_.data(), b.data(), 32);
  if (secp256k1_ec_seckey_verify(ctx(), k.sk_.data()) != 1)
    return make_error(Errc::invalid_argument, "secret key is zero or not below the curve order");
  return k;
}

SecretKey::SecretKey(SecretKey&& o) noexcept : sk_(o.sk_) { OPENSSL_cleanse(o.sk_.data(), o.sk_.size()); }

SecretKey& SecretKey::operator=(SecretKey&& o) noexcept {
  if (this != &o) {
    sk_ = o.sk_;
    OPENSSL_cleanse(o.sk_.data(), o.sk_.size());
  }
  return *this;
}

SecretKey::~SecretKey() { OPENSSL_cleanse(sk_.data(), sk_.size()); }

PublicKey SecretKey::public_key() const {
  Keypair kp;
  DOCKET_ASSERT(secp256k1_keypair_create(ctx(), &kp.kp, sk_.data()) == 1);
  secp256k1_xonly_pubkey xonly;
  DOCKET_ASSERT(secp256k1_keypair_xonly_pub(ctx(), &xonly, nullptr, &kp.kp) == 1);
  PublicKey out;
  DOCKET_ASSERT(secp256k1_xonly_pubkey_serialize(ctx(), out.data(), &xonly) == 1);
  return out;
}

Signature SecretKey::sign(const Hash32& digest) const {
  std::array<uint8_t, 32> aux;
  random_bytes(aux.data(), aux.size());
  return sign_message(ByteView(digest.data(), digest.size()), aux);
}

Signature SecretKey::sign_message(ByteView msg, const std::array<uint8_t, 32>& aux) const {
  Keypair kp;
  DOCKET_ASSERT(secp256k1_keypair_create(ctx(), &kp.kp, sk_.data()) == 1);
  secp256k1_schnorrsig_extraparams params = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
  params.ndata = const_cast<unsigned char*>(aux.data());
  Signature sig;
  DOCKET_ASSERT(secp256k1_schnorrsig_sign_custom(ctx(), sig.data(), msg.data(), msg.size(), &kp.kp, &params) == 1);
  return sig;
}

bool verify_message(const PublicKey& pk, ByteView msg, const Signature& sig) {
  secp256k1_xonly_pubkey xonly;
  if (secp256k1_xonly_pubkey_parse(ctx(), &xonly, pk.data()) != 1) return false;
  return secp256k1_schnorrsig_verify(ctx(), sig.data(), msg.data(), msg.size(), &xonly) == 1;
}

bool verify(const PublicKey& pk, const Hash32& digest, const Signature& sig) {
  return verify_message(pk, ByteView(digest.data(), digest.size()), sig);
}

bool is_valid_public_key(const PublicKey& pk) {
  secp256k1_xonly_pubkey xonly;
  return secp256k1_xonly_pubkey_parse(ctx(), &xonly, pk.data()) == 1;
}

Result<PublicKey> public_key_from_hex(std::string_view hex) {
  auto h = hash_from_hex(hex);
  if (!h) return make_error(Errc::invalid_argument, "public key: " + h.error().message);
  PublicKey pk = *h;
  if (!is_valid_public_key(pk)) return make_error(Errc::invalid_argument, "public key is not a point on secp256k1");
  return pk;
}

Result<Signature> signature_from_bytes(ByteView b) {
  if (b.size() != 64) return make_error(Errc::invalid_argument, "signature must be 64 bytes, got " + std::to_string(b.size()));
  Signature s;
  std::memcpy(s.data(), b.data(), 64);
  return s;
}

}  // namespace docket::crypto
