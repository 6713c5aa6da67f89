#include "ledger/common/bytes.h"

namespace docket {

std::string to_hex(ByteView b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.resize(b.size() * 2);
  for (size_t i = 0; i < b.size(); ++i) {
    out[2 * i] = kDigits[b[i] >> 4];
    out[2 * i + 1] = kDigits[b[i] & 0xf];
  }
  return out;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  if (hex.size() % 2 != 0) return make_error(Errc::invalid_argument, "hex string has an odd number of digits");
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(hex[2 * i]);
    int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return make_error(Errc::invalid_argument, "not a hex digit at position " + std::to_string(2 * i));
    out[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  return out;
}

Result<Hash32> hash_from_bytes(ByteView b) {
  if (b.size() != 32)
    return make_error(Errc::invalid_argument, "expected 32 bytes, got " + std::to_string(b.size()));
  Hash32 h;
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

Result<Hash32> hash_from_hex(std::string_view hex) {
  auto bytes = from_hex(hex);
  if (!bytes) return bytes.error();
  if (bytes->size() != 32)
    return make_error(Errc::invalid_argument, "expected 64 hex digits (32 bytes), got " + std::to_string(bytes->size() * 2));
  return hash_from_bytes(*bytes);
}

bool constant_time_equal(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<uint8_t>(a[i] ^ b[i]);
  return diff == 0;
}

void append(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }

void append_u64_be(Bytes& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace docket
