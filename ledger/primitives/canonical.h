// Canonical decoding of Protocol Buffers messages from untrusted bytes.
//
// Docket hashes and signs the exact bytes it receives, so two different byte strings must never decode
// to the same message: parse_canonical accepts a byte string only when it is the one deterministic
// encoding of the message it decodes to (fields in number order, no default values written, maps sorted
// by key, packed repeated scalars, shortest varints, no duplicates) and carries no field the schema does
// not know, at any depth (nested messages, repeated messages and map entries included). The rules are
// written down in docs/formats.md.
//
// Thread safety: free functions over caller-owned data; safe to call from any thread.
#pragma once

#include <google/protobuf/message.h>

#include <cstddef>

#include "ledger/common/bytes.h"
#include "ledger/common/result.h"

namespace docket::primitives {

// Decodes `bytes` into `out`, which is cleared first. Fails with
//   Errc::too_large         when bytes.size() > max_bytes (checked before any parsing),
//   Errc::invalid_argument  when the bytes are not a well-formed encoding of out's type, or carry a field
//                           number (or wire type) the schema does not define; the message names it,
//   Errc::non_canonical     when they decode but differ from serialize_deterministic of the result.
// On failure `out` holds no meaningful value.
Status parse_canonical(ByteView bytes, google::protobuf::Message& out, size_t max_bytes);

// The deterministic encoding of `msg`: the only encoding parse_canonical accepts for it.
Bytes serialize_deterministic(const google::protobuf::Message& msg);

}  // namespace docket::primitives
