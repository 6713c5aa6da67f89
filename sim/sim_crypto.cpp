#include "sim/sim_crypto.h"

#include <cstring>

#include "ledger/crypto/sha256.h"

namespace docket::sim {

namespace {
crypto::Signature fake_signature(const crypto::PublicKey& key, const Hash32& digest) {
  crypto::Sha256 h;
  h.update(key).update(digest);
  Hash32 a = h.finish();
  crypto::Signature sig{};
  std::memcpy(sig.data(), a.data(), 32);
  std::memcpy(sig.data() + 32, key.data(), 32);
  return sig;
}
}  // namespace

bool FastVerifier::verify(const crypto::PublicKey& key, const Hash32& digest, const crypto::Signature& sig) const {
  return fake_signature(key, digest) == sig;
}

crypto::Signature FastSigner::sign(const Hash32& digest) { return fake_signature(key_, digest); }

crypto::Signature DeterministicKeySigner::sign(const Hash32& digest) {
  std::array<uint8_t, 32> aux = crypto::sha256(digest);
  return key_.sign_message(ByteView(digest.data(), digest.size()), aux);
}

crypto::SecretKey sim_secret_key(size_t i) {
  Bytes seed = to_bytes("docket-sim validator key ");
  append_u64_be(seed, i);
  for (;;) {
    Hash32 h = crypto::sha256(seed);
    auto k = crypto::SecretKey::from_bytes(h);
    if (k) return std::move(k.value());
    seed.push_back(0);
  }
}

crypto::PublicKey sim_fast_public_key(size_t i) {
  Bytes seed = to_bytes("docket-sim fast key ");
  append_u64_be(seed, i);
  return crypto::sha256(seed);
}

}  // namespace docket::sim
