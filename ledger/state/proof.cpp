#include "ledger/state/proof.h"

#include "ledger/state/smt_hash.h"

namespace docket::state {

namespace {
constexpr uint8_t kProofVersion = 1;
constexpr uint8_t kFlagLeaf = 0x01;

bool prefix_equal(const Hash32& a, const Hash32& b, size_t bits) {
  for (size_t d = 0; d < bits; ++d)
    if (path_bit(a, static_cast<int>(d)) != path_bit(b, static_cast<int>(d))) return false;
  return true;
}
}  // namespace

Bytes encode_proof(const StateProof& proof) {
  DOCKET_ASSERT(proof.siblings.size() <= static_cast<size_t>(kPathBits));
  Bytes out;
  out.reserve(kMaxProofBytes);
  out.push_back(kProofVersion);
  out.push_back(proof.leaf ? kFlagLeaf : 0);
  if (proof.leaf) {
    append(out, proof.leaf->path);
    append(out, proof.leaf->value_hash);
  }
  const size_t n = proof.siblings.size();
  out.push_back(static_cast<uint8_t>(n >> 8));
  out.push_back(static_cast<uint8_t>(n));
  Bytes bitmap((n + 7) / 8, 0);
  for (size_t i = 0; i < n; ++i)
    if (proof.siblings[i] != kEmptyHash) bitmap[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
  append(out, bitmap);
  for (const auto& s : proof.siblings)
    if (s != kEmptyHash) append(out, s);
  return out;
}

Result<StateProof> decode_proof(ByteView b) {
  if (b.size() > kMaxProofBytes) return make_error(Errc::too_large, "state proof longer than any valid proof");
  size_t pos = 0;
  auto need = [&](size_t n) { return b.size() - pos >= n; };
  auto take32 = [&]() {
    Hash32 h;
    std::copy(b.begin() + static_cast<std::ptrdiff_t>(pos), b.begin() + static_cast<std::ptrdiff_t>(pos + 32), h.begin());
    pos += 32;
    return h;
  };
  if (!need(2)) return make_error(Errc::invalid_argument, "state proof truncated");
  if (b[0] != kProofVersion) return make_error(Errc::version_mismatch, "unknown state proof version");
  const uint8_t flags = b[1];
  pos = 2;
  if (flags & ~kFlagLeaf) return make_error(Errc::invalid_argument, "unknown state proof flags");
  StateProof proof;
  if (flags & kFlagLeaf) {
    if (!need(64)) return make_error(Errc::invalid_argument, "state proof leaf truncated");
    ProofLeaf leaf;
    leaf.path = take32();
    leaf.value_hash = take32();
    proof.leaf = leaf;
  }
  if (!need(2)) return make_error(Errc::invalid_argument, "state proof truncated");
  const size_t n = (static_cast<size_t>(b[pos]) << 8) | b[pos + 1];
  pos += 2;
  if (n > static_cast<size_t>(kPathBits)) return make_error(Errc::invalid_argument, "state proof deeper than 256");
  const size_t bitmap_len = (n + 7) / 8;
  if (!need(bitmap_len)) return make_error(Errc::invalid_argument, "state proof bitmap truncated");
  const size_t bitmap_pos = pos;
  pos += bitmap_len;
  // Bits past n in the last bitmap byte must be zero: one proof, one encoding.
  if (n % 8 != 0 && (b[bitmap_pos + bitmap_len - 1] & (0xff >> (n % 8))) != 0)
    return make_error(Errc::non_canonical, "state proof bitmap has bits past the last sibling");
  proof.siblings.resize(n, kEmptyHash);
  for (size_t i = 0; i < n; ++i) {
    if (!(b[bitmap_pos + i / 8] & (0x80 >> (i % 8)))) continue;
    if (!need(32)) return make_error(Errc::invalid_argument, "state proof siblings truncated");
    proof.siblings[i] = take32();
    if (proof.siblings[i] == kEmptyHash)
      return make_error(Errc::non_canonical, "state proof lists an empty sibling as non-empty");
  }
  if (pos != b.size()) return make_error(Errc::invalid_argument, "trailing bytes after state proof");
  return proof;
}

Result<Hash32> proof_root(std::string_view key, const std::optional<ByteView>& value, const StateProof& proof) {
  if (proof.siblings.size() > static_cast<size_t>(kPathBits))
    return make_error(Errc::invalid_argument, "state proof deeper than 256");
  const Hash32 path = key_path(key);
  const size_t depth = proof.siblings.size();
  Hash32 h = kEmptyHash;
  if (value) {
    if (!proof.leaf || proof.leaf->path != path)
      return make_error(Errc::invalid_argument, "proof does not end at the key's leaf");
    if (proof.leaf->value_hash != value_hash(*value))
      return make_error(Errc::invalid_argument, "proof leaf holds a different value");
    h = leaf_hash(path, proof.leaf->value_hash);
  } else if (proof.leaf) {
    // Absence shown by another key's leaf occupying the only place this key could be.
    if (proof.leaf->path == path) return make_error(Errc::invalid_argument, "proof shows the key is present");
    if (!prefix_equal(proof.leaf->path, path, depth))
      return make_error(Errc::invalid_argument, "proof leaf is not on the key's path");
    h = leaf_hash(proof.leaf->path, proof.leaf->value_hash);
  }
  for (size_t i = depth; i-- > 0;) {
    const Hash32& sib = proof.siblings[i];
    h = path_bit(path, static_cast<int>(i)) ? node_hash(sib, h) : node_hash(h, sib);
  }
  return h;
}

Status verify_proof(const Hash32& root, std::string_view key, const std::optional<ByteView>& value,
                    const StateProof& proof) {
  auto r = proof_root(key, value, proof);
  if (!r) return r.error();
  if (*r != root) return make_error(Errc::invalid_argument, "proof does not lead to the state root");
  return ok_status();
}

}  // namespace docket::state
