// Hand-built Protocol Buffers wire bytes for tests that need encodings protobuf itself would never
// write (unknown fields, duplicates, wrong order, overlong varints).
#pragma once

#include <cstdint>
#include <initializer_list>

#include "ledger/common/bytes.h"

namespace docket::test_wire {

inline Bytes varint(uint64_t v) {
  Bytes out;
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
  return out;
}

inline Bytes tag(uint32_t number, uint32_t wire_type) { return varint((uint64_t{number} << 3) | wire_type); }

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) append(out, p);
  return out;
}

// A varint field.
inline Bytes vfield(uint32_t number, uint64_t v) { return cat({tag(number, 0), varint(v)}); }

// A length-delimited field.
inline Bytes lfield(uint32_t number, const Bytes& payload) {
  return cat({tag(number, 2), varint(payload.size()), payload});
}

}  // namespace docket::test_wire
