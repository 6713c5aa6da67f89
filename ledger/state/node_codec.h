// Encoding of state tree nodes, refs and store keys (layout in tree.h). Internal to docket_state.
#pragma once

#include <optional>
#include <string_view>

#include "ledger/common/bytes.h"

namespace docket::state::detail {

struct NodeKey {
  uint64_t version = 0;
  uint32_t seq = 0;
};

enum class RefKind : uint8_t { empty = 0, leaf = 1, inner = 2 };

struct Ref {
  RefKind kind = RefKind::empty;
  Hash32 hash{};
  NodeKey key{};
};

struct Node {
  RefKind kind = RefKind::empty;  // leaf or inner
  Hash32 path{};                  // leaf
  Hash32 value_hash{};            // leaf
  Ref left, right;                // inner
};

inline constexpr size_t kRefBytes = 1 + 32 + 12;

Bytes node_store_key(const NodeKey& k);
Bytes root_store_key(uint64_t version);
Bytes value_store_key(std::string_view record_key, uint64_t version);
Bytes value_key_prefix(std::string_view record_key);  // 'v' key 0x00
Bytes stale_store_key(uint64_t since, ByteView store_key);
Bytes meta_key(std::string_view name);

void append_ref(Bytes& out, const Ref& r);
Result<Ref> decode_ref(ByteView b);
Bytes encode_leaf(const Hash32& path, const Hash32& value_hash);
Bytes encode_inner(const Ref& left, const Ref& right);
Result<Node> decode_node(ByteView b);

uint64_t read_u64_be(const uint8_t* p);

}  // namespace docket::state::detail
