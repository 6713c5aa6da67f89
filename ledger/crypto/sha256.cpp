#include "ledger/crypto/sha256.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace docket::crypto {
namespace {

// OpenSSL 3 looks the implementation up on every init when given EVP_sha256(); fetching it once
// keeps that lookup out of every hash. Shared read-only after first use.
const EVP_MD* sha256_md() {
  static const EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    if (!m) throw std::runtime_error("OpenSSL: SHA-256 is not available");
    return m;
  }();
  return md;
}

EVP_MD_CTX* new_ctx() {
  EVP_MD_CTX* c = EVP_MD_CTX_new();
  if (!c || EVP_DigestInit_ex(c, sha256_md(), nullptr) != 1) {
    EVP_MD_CTX_free(c);
    throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
  }
  return c;
}

Hash32 final_digest(EVP_MD_CTX* c) {
  Hash32 out;
  unsigned int len = 0;
  DOCKET_ASSERT(EVP_DigestFinal_ex(c, out.data(), &len) == 1);
  DOCKET_ASSERT(len == 32);
  return out;
}

// The TaggedHasher for `tag` on this thread. Tags come from tags.h, a handful per process; the cache
// is bounded anyway so a caller with ever-new tags cannot grow it.
TaggedHasher& thread_hasher(std::string_view tag) {
  constexpr size_t kMaxTags = 32;
  thread_local std::vector<std::pair<std::string, std::unique_ptr<TaggedHasher>>> cache;
  for (auto& [t, h] : cache)
    if (t == tag) return *h;
  if (cache.size() == kMaxTags) cache.erase(cache.begin());
  cache.emplace_back(std::string(tag), std::make_unique<TaggedHasher>(tag));
  return *cache.back().second;
}

}  // namespace

Sha256::Sha256() : ctx_(new_ctx()) {}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

Sha256& Sha256::update(ByteView data) {
  DOCKET_ASSERT(EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()) == 1);
  return *this;
}

Hash32 Sha256::finish() { return final_digest(static_cast<EVP_MD_CTX*>(ctx_)); }

Hash32 sha256(ByteView data) {
  Hash32 out;
  unsigned int len = 0;
  DOCKET_ASSERT(EVP_Digest(data.data(), data.size(), out.data(), &len, sha256_md(), nullptr) == 1);
  DOCKET_ASSERT(len == 32);
  return out;
}

TaggedHasher::TaggedHasher(std::string_view tag) : prefix_(new_ctx()), work_(new_ctx()) {
  auto* prefix = static_cast<EVP_MD_CTX*>(prefix_);
  Hash32 t = sha256(as_bytes(tag));
  DOCKET_ASSERT(EVP_DigestUpdate(prefix, t.data(), t.size()) == 1);
  DOCKET_ASSERT(EVP_DigestUpdate(prefix, t.data(), t.size()) == 1);
}

TaggedHasher::~TaggedHasher() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(prefix_));
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(work_));
}

Hash32 TaggedHasher::hash(std::initializer_list<ByteView> parts) {
  auto* w = static_cast<EVP_MD_CTX*>(work_);
  DOCKET_ASSERT(EVP_MD_CTX_copy_ex(w, static_cast<const EVP_MD_CTX*>(prefix_)) == 1);
  for (ByteView p : parts)
    if (!p.empty()) DOCKET_ASSERT(EVP_DigestUpdate(w, p.data(), p.size()) == 1);
  return final_digest(w);
}

Hash32 tagged_hash(std::string_view tag, ByteView msg) { return thread_hasher(tag)(msg); }

Hash32 signing_digest(std::string_view tag, const ChainBinding& chain, ByteView bytes) {
  const std::string& chain_id = chain.chain_id;
  uint8_t len[4] = {static_cast<uint8_t>(chain_id.size() >> 24), static_cast<uint8_t>(chain_id.size() >> 16),
                    static_cast<uint8_t>(chain_id.size() >> 8), static_cast<uint8_t>(chain_id.size())};
  return thread_hasher(tag).hash({ByteView(len, 4), as_bytes(chain_id), chain.genesis_hash, bytes});
}

}  // namespace docket::crypto
