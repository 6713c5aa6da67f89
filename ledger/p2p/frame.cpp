#include "ledger/p2p/frame.h"

#include <google/protobuf/io/coded_stream.h>

namespace docket::p2p {

Result<size_t> frame_length(std::span<const uint8_t, kFrameHeaderBytes> header, size_t max_frame_bytes) {
  const size_t len = (size_t{header[0]} << 24) | (size_t{header[1]} << 16) | (size_t{header[2]} << 8) | size_t{header[3]};
  if (len == 0) return make_error(Errc::invalid_argument, "empty frame");
  if (len > max_frame_bytes)
    return make_error(Errc::too_large,
                      "frame of " + std::to_string(len) + " bytes exceeds the limit of " + std::to_string(max_frame_bytes));
  return len;
}

Bytes encode_frame(const pb::Envelope& env) {
  const size_t body = env.ByteSizeLong();
  DOCKET_ASSERT(body > 0 && body <= UINT32_MAX);
  Bytes out(kFrameHeaderBytes + body);
  out[0] = static_cast<uint8_t>(body >> 24);
  out[1] = static_cast<uint8_t>(body >> 16);
  out[2] = static_cast<uint8_t>(body >> 8);
  out[3] = static_cast<uint8_t>(body);
  const bool ok = env.SerializeToArray(out.data() + kFrameHeaderBytes, static_cast<int>(body));
  DOCKET_ASSERT(ok);
  return out;
}

Result<pb::Envelope> decode_envelope(ByteView body) {
  pb::Envelope env;
  if (body.size() > static_cast<size_t>(INT32_MAX) || !env.ParseFromArray(body.data(), static_cast<int>(body.size())))
    return make_error(Errc::invalid_argument, "frame is not a valid Envelope");
  switch (env.body_case()) {
    case pb::Envelope::kHello:
    case pb::Envelope::kAuth:
      return env;
    case pb::Envelope::kMessage: {
      const int t = env.message().type();
      if (t == pb::MESSAGE_TYPE_UNSPECIFIED || !pb::MessageType_IsValid(t))
        return make_error(Errc::invalid_argument, "message of unknown type " + std::to_string(t));
      return env;
    }
    case pb::Envelope::BODY_NOT_SET:
      break;
  }
  return make_error(Errc::invalid_argument, "envelope without a body");
}

size_t message_frame_bytes(size_t payload_bytes) {
  using google::protobuf::io::CodedOutputStream;
  // Message{type = 1 byte tag + varint, payload = 1 byte tag + varint length + bytes}, wrapped in
  // Envelope.message = 1 byte tag + varint length.
  const size_t message = 1 + 1 + 1 + CodedOutputStream::VarintSize64(payload_bytes) + payload_bytes;
  return kFrameHeaderBytes + 1 + CodedOutputStream::VarintSize64(message) + message;
}

}  // namespace docket::p2p
