// Byte strings and fixed-size digests, and their hex form. Hex is lowercase on output and accepted in
// either case on input, with or without a 0x prefix.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/common/result.h"

namespace docket {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
using Hash32 = std::array<uint8_t, 32>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string to_string(ByteView b) { return std::string(b.begin(), b.end()); }

std::string to_hex(ByteView b);
template <size_t N>
std::string to_hex(const std::array<uint8_t, N>& a) { return to_hex(ByteView(a.data(), a.size())); }

Result<Bytes> from_hex(std::string_view hex);
// Exactly 32 bytes of hex (64 digits), e.g. a hash on a command line or URL.
Result<Hash32> hash_from_hex(std::string_view hex);
Result<Hash32> hash_from_bytes(ByteView b);

// Compare secrets without a data-dependent early exit.
bool constant_time_equal(ByteView a, ByteView b);

void append(Bytes& out, ByteView b);
void append_u64_be(Bytes& out, uint64_t v);

}  // namespace docket
