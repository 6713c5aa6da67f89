// Canonical protobuf decoding for consensus messages, behind one function so it can later forward to
// ledger/primitives/canonical.h (parse_canonical) without touching callers.
//
// A message is accepted only if it is at most max_bytes long, parses, has no unknown fields, and its
// deterministic re-encoding is byte-identical to the input. Then the bytes a replica hashes or signs
// are exactly the bytes it received, and two replicas never disagree about what a message says.
#pragma once

#include <google/protobuf/message_lite.h>

#include "ledger/common/bytes.h"

namespace google::protobuf { class Message; }

namespace docket::consensus {

Status parse_canonical(ByteView bytes, google::protobuf::Message& out, size_t max_bytes);

// Deterministic serialization (what parse_canonical compares against).
Bytes serialize(const google::protobuf::Message& msg);

}  // namespace docket::consensus
