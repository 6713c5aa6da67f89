#include "ledger/state/node_codec.h"

namespace docket::state::detail {

uint64_t read_u64_be(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

static void append_u32_be(Bytes& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}

Bytes node_store_key(const NodeKey& k) {
  Bytes out{'n'};
  append_u64_be(out, k.version);
  append_u32_be(out, k.seq);
  return out;
}

Bytes root_store_key(uint64_t version) {
  Bytes out{'r'};
  append_u64_be(out, version);
  return out;
}

Bytes value_key_prefix(std::string_view record_key) {
  Bytes out{'v'};
  append(out, as_bytes(record_key));
  out.push_back(0x00);
  return out;
}

Bytes value_store_key(std::string_view record_key, uint64_t version) {
  Bytes out = value_key_prefix(record_key);
  append_u64_be(out, version);
  return out;
}

Bytes stale_store_key(uint64_t since, ByteView store_key) {
  Bytes out{'s'};
  append_u64_be(out, since);
  append(out, store_key);
  return out;
}

Bytes meta_key(std::string_view name) {
  Bytes out{'m'};
  append(out, as_bytes(name));
  return out;
}

void append_ref(Bytes& out, const Ref& r) {
  out.push_back(static_cast<uint8_t>(r.kind));
  append(out, r.hash);
  append_u64_be(out, r.key.version);
  append_u32_be(out, r.key.seq);
}

Result<Ref> decode_ref(ByteView b) {
  if (b.size() != kRefBytes || b[0] > 2) return make_error(Errc::corruption, "bad state tree ref");
  Ref r;
  r.kind = static_cast<RefKind>(b[0]);
  std::copy(b.begin() + 1, b.begin() + 33, r.hash.begin());
  r.key.version = read_u64_be(b.data() + 33);
  r.key.seq = (uint32_t{b[41]} << 24) | (uint32_t{b[42]} << 16) | (uint32_t{b[43]} << 8) | b[44];
  return r;
}

Bytes encode_leaf(const Hash32& path, const Hash32& value_hash) {
  Bytes out{static_cast<uint8_t>(RefKind::leaf)};
  append(out, path);
  append(out, value_hash);
  return out;
}

Bytes encode_inner(const Ref& left, const Ref& right) {
  Bytes out{static_cast<uint8_t>(RefKind::inner)};
  append_ref(out, left);
  append_ref(out, right);
  return out;
}

Result<Node> decode_node(ByteView b) {
  Node n;
  if (b.size() == 65 && b[0] == static_cast<uint8_t>(RefKind::leaf)) {
    n.kind = RefKind::leaf;
    std::copy(b.begin() + 1, b.begin() + 33, n.path.begin());
    std::copy(b.begin() + 33, b.begin() + 65, n.value_hash.begin());
    return n;
  }
  if (b.size() == 1 + 2 * kRefBytes && b[0] == static_cast<uint8_t>(RefKind::inner)) {
    n.kind = RefKind::inner;
    auto l = decode_ref(b.subspan(1, kRefBytes));
    auto r = decode_ref(b.subspan(1 + kRefBytes, kRefBytes));
    if (!l || !r) return make_error(Errc::corruption, "bad child ref in state tree node");
    n.left = *l;
    n.right = *r;
    return n;
  }
  return make_error(Errc::corruption, "bad state tree node encoding");
}

}  // namespace docket::state::detail
