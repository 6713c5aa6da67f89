#include "ledger/state/smt_hash.h"

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"

namespace docket::state {

Hash32 key_path(std::string_view key) { return crypto::tagged_hash(crypto::tags::kStateKey, as_bytes(key)); }

Hash32 value_hash(ByteView value) { return crypto::sha256(value); }

static Hash32 hash_pair(const char* tag, const Hash32& a, const Hash32& b) {
  uint8_t buf[64];
  std::copy(a.begin(), a.end(), buf);
  std::copy(b.begin(), b.end(), buf + 32);
  return crypto::tagged_hash(tag, ByteView(buf, 64));
}

Hash32 leaf_hash(const Hash32& path, const Hash32& vh) { return hash_pair(crypto::tags::kStateLeaf, path, vh); }

Hash32 node_hash(const Hash32& left, const Hash32& right) {
  return hash_pair(crypto::tags::kStateNode, left, right);
}

}  // namespace docket::state
