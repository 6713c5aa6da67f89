#include "ledger/crypto/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace docket::crypto {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

Sha256& Sha256::update(ByteView data) {
  DOCKET_ASSERT(EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()) == 1);
  return *this;
}

Hash32 Sha256::finish() {
  Hash32 out;
  unsigned int len = 0;
  DOCKET_ASSERT(EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out.data(), &len) == 1);
  DOCKET_ASSERT(len == 32);
  return out;
}

Hash32 sha256(ByteView data) {
  Hash32 out;
  unsigned int len = 0;
  DOCKET_ASSERT(EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) == 1);
  return out;
}

Hash32 tagged_hash(std::string_view tag, ByteView msg) {
  Hash32 t = sha256(as_bytes(tag));
  Sha256 h;
  h.update(t).update(t).update(msg);
  return h.finish();
}

TaggedHasher::TaggedHasher(std::string_view tag) : prefix_(EVP_MD_CTX_new()), work_(EVP_MD_CTX_new()) {
  auto* prefix = static_cast<EVP_MD_CTX*>(prefix_);
  if (!prefix || !work_ || EVP_DigestInit_ex(prefix, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
  Hash32 t = sha256(as_bytes(tag));
  DOCKET_ASSERT(EVP_DigestUpdate(prefix, t.data(), t.size()) == 1);
  DOCKET_ASSERT(EVP_DigestUpdate(prefix, t.data(), t.size()) == 1);
}

TaggedHasher::~TaggedHasher() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(prefix_));
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(work_));
}

Hash32 TaggedHasher::operator()(ByteView a, ByteView b) {
  auto* w = static_cast<EVP_MD_CTX*>(work_);
  DOCKET_ASSERT(EVP_MD_CTX_copy_ex(w, static_cast<const EVP_MD_CTX*>(prefix_)) == 1);
  DOCKET_ASSERT(EVP_DigestUpdate(w, a.data(), a.size()) == 1);
  if (!b.empty()) DOCKET_ASSERT(EVP_DigestUpdate(w, b.data(), b.size()) == 1);
  Hash32 out;
  unsigned int len = 0;
  DOCKET_ASSERT(EVP_DigestFinal_ex(w, out.data(), &len) == 1);
  DOCKET_ASSERT(len == 32);
  return out;
}

Hash32 signing_digest(std::string_view tag, std::string_view chain_id, ByteView bytes) {
  Hash32 t = sha256(as_bytes(tag));
  uint8_t len[4] = {static_cast<uint8_t>(chain_id.size() >> 24), static_cast<uint8_t>(chain_id.size() >> 16),
                    static_cast<uint8_t>(chain_id.size() >> 8), static_cast<uint8_t>(chain_id.size())};
  Sha256 h;
  h.update(t).update(t).update(ByteView(len, 4)).update(chain_id).update(bytes);
  return h.finish();
}

}  // namespace docket::crypto
