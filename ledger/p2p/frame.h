// The p2p frame format: a 4-byte big-endian length, then that many bytes of one serialized
// docket.pb.Envelope. Lengths are checked against a limit before any buffer is sized, so a peer
// cannot make us allocate more than the limit. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "ledger/common/bytes.h"
#include "ledger/proto/p2p.pb.h"

namespace docket::p2p {

inline constexpr size_t kFrameHeaderBytes = 4;
inline constexpr size_t kDefaultMaxFrameBytes = 4u << 20;  // 4 MiB

// The body length announced by a frame header. Errc::too_large above max_frame_bytes,
// Errc::invalid_argument for zero (an Envelope always has a body).
Result<size_t> frame_length(std::span<const uint8_t, kFrameHeaderBytes> header, size_t max_frame_bytes);

// The whole frame (header and body) for an envelope. REQUIRES: the envelope fits in a frame of
// max_frame_bytes; callers check payload sizes first (Network::send does).
Bytes encode_frame(const pb::Envelope& env);

// Parses a frame body. Errc::invalid_argument when the bytes are not an Envelope, carry no body,
// or a Message has an unknown or unspecified type.
Result<pb::Envelope> decode_envelope(ByteView body);

// An upper bound on the size of the frame that carries a Message with payload_bytes of payload; used to
// refuse oversized sends before building anything.
size_t message_frame_bytes(size_t payload_bytes);

}  // namespace docket::p2p
