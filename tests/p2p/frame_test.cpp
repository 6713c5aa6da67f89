#include "ledger/p2p/frame.h"

#include <catch2/catch.hpp>

using namespace docket;
using namespace docket::p2p;

namespace {
std::array<uint8_t, 4> header_of(uint32_t n) {
  return {static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8),
          static_cast<uint8_t>(n)};
}
pb::Envelope message(pb::MessageType type, const std::string& payload) {
  pb::Envelope env;
  env.mutable_message()->set_type(type);
  env.mutable_message()->set_payload(payload);
  return env;
}
}  // namespace

TEST_CASE("frame length is big-endian and checked against the limit before use", "[p2p][frame]") {
  auto h = header_of(0x01020304);
  REQUIRE(frame_length(h, 0x01020304).value() == 0x01020304);
  auto over = frame_length(h, 0x01020303);
  REQUIRE_FALSE(over.ok());
  REQUIRE(over.error().code == Errc::too_large);
  auto big = header_of(0xffffffff);
  REQUIRE(frame_length(big, kDefaultMaxFrameBytes).error().code == Errc::too_large);
  auto zero = header_of(0);
  REQUIRE(frame_length(zero, kDefaultMaxFrameBytes).error().code == Errc::invalid_argument);
}

TEST_CASE("an encoded frame decodes to the same envelope", "[p2p][frame]") {
  const auto env = message(pb::VOTE, std::string("\x00\x01vote", 6));
  const Bytes frame = encode_frame(env);
  std::array<uint8_t, 4> h;
  std::copy_n(frame.begin(), 4, h.begin());
  const size_t len = frame_length(h, kDefaultMaxFrameBytes).value();
  REQUIRE(len == frame.size() - kFrameHeaderBytes);
  auto back = decode_envelope(ByteView(frame).subspan(kFrameHeaderBytes));
  REQUIRE(back.ok());
  REQUIRE(back->message().type() == pb::VOTE);
  REQUIRE(back->message().payload() == env.message().payload());
}

TEST_CASE("message_frame_bytes bounds the real frame size", "[p2p][frame]") {
  for (size_t n : {size_t{0}, size_t{1}, size_t{127}, size_t{128}, size_t{16383}, size_t{16384}, size_t{1} << 20}) {
    const Bytes frame = encode_frame(message(pb::SYNC_RESPONSE, std::string(n, 'x')));
    REQUIRE(message_frame_bytes(n) >= frame.size());
    REQUIRE(message_frame_bytes(n) <= frame.size() + 2);  // proto3 omits an empty payload
  }
}

TEST_CASE("decode_envelope refuses garbage, empty bodies and unknown message types", "[p2p][frame]") {
  const Bytes garbage(16, 0xff);
  REQUIRE(decode_envelope(garbage).error().code == Errc::invalid_argument);

  pb::Envelope empty;
  std::string bytes = empty.SerializeAsString();
  REQUIRE(decode_envelope(as_bytes(bytes)).error().code == Errc::invalid_argument);

  // An unknown field only: parses, but carries no body.
  const Bytes unknown_field = {0xa0, 0x06, 0x01};  // field 100, varint 1
  REQUIRE_FALSE(decode_envelope(unknown_field).ok());

  for (int t : {0, 10, 1000}) {
    pb::Envelope env;
    env.mutable_message()->set_type(static_cast<pb::MessageType>(t));
    bytes = env.SerializeAsString();
    INFO("type " << t);
    REQUIRE_FALSE(decode_envelope(as_bytes(bytes)).ok());
  }
  // A truncated valid envelope is not valid.
  bytes = message(pb::PROPOSAL, std::string(100, 'p')).SerializeAsString();
  REQUIRE_FALSE(decode_envelope(as_bytes(bytes).subspan(0, bytes.size() - 10)).ok());
}
