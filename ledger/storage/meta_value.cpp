#include "ledger/storage/meta_value.h"

#include "ledger/storage/codec.h"

namespace docket::storage {

Bytes encode_meta_u64(uint64_t v) {
  Bytes out{static_cast<uint8_t>(MetaType::u64)};
  append_u64_be(out, v);
  return out;
}

Bytes encode_meta_bytes(ByteView b) {
  Bytes out{static_cast<uint8_t>(MetaType::bytes)};
  append(out, b);
  return out;
}

static Error bad_meta(std::string_view key, const char* expected) {
  return make_error(Errc::corruption, "meta value '" + std::string(key) + "' is not a valid " + expected);
}

Result<uint64_t> decode_meta_u64(std::string_view key, ByteView value) {
  if (value.size() != 9 || value[0] != static_cast<uint8_t>(MetaType::u64)) return bad_meta(key, "u64");
  return load_u64_be(value.subspan(1));
}

Result<Bytes> decode_meta_bytes(std::string_view key, ByteView value) {
  if (value.empty() || value[0] != static_cast<uint8_t>(MetaType::bytes)) return bad_meta(key, "byte string");
  return Bytes(value.begin() + 1, value.end());
}

}  // namespace docket::storage
