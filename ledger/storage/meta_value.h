// The typed value encoding of Column::meta: one tag byte, then the payload (u64: 8 bytes big-endian;
// bytes: the bytes as they are). The tag lets a reader tell a value of the wrong type (a bug or data
// from another format) from a valid one instead of misreading it.
#pragma once

#include <string_view>

#include "ledger/common/bytes.h"

namespace docket::storage {

enum class MetaType : uint8_t { u64 = 1, bytes = 2 };

Bytes encode_meta_u64(uint64_t v);
Bytes encode_meta_bytes(ByteView b);

// Errc::corruption, naming `key`, when the value is not of the asked type or has the wrong length.
Result<uint64_t> decode_meta_u64(std::string_view key, ByteView value);
Result<Bytes> decode_meta_bytes(std::string_view key, ByteView value);

}  // namespace docket::storage
