// Fixed-width big-endian integers for storage keys and values. Big-endian so that the bytewise key
// order of RocksDB (and MemoryStore) is numeric order: heights scan from low to high.
#pragma once

#include <cstdint>

#include "ledger/common/bytes.h"

namespace docket::storage {

inline void append_u32_be(Bytes& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// REQUIRES: b.size() >= 8 (callers check the length of stored data first and report corruption).
inline uint64_t load_u64_be(ByteView b) {
  DOCKET_ASSERT(b.size() >= 8);
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | b[i];
  return v;
}

// REQUIRES: b.size() >= 4.
inline uint32_t load_u32_be(ByteView b) {
  DOCKET_ASSERT(b.size() >= 4);
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | b[i];
  return v;
}

inline Bytes u64_be(uint64_t v) {
  Bytes out;
  out.reserve(8);
  append_u64_be(out, v);
  return out;
}

}  // namespace docket::storage
