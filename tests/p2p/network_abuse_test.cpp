// A Network facing a misbehaving client on its p2p port: each abuse closes that connection, is
// counted with its reason, and the listener keeps serving honest peers.
#include <catch2/catch.hpp>

#include "p2p_test_support.h"

using namespace docket;
using namespace docket::p2p;
using namespace docket::p2p::test;

namespace {

struct Server {
  TestNode node;
  crypto::SecretKey client_key = crypto::SecretKey::generate();
  explicit Server(const std::function<void(NetworkConfig&)>& tweak = {}) {
    node.config.allowed_keys = {client_key.public_key()};
    if (tweak) tweak(node.config);
    node.start();
  }
  uint64_t count(DisconnectReason r) const { return node.net->stats().disconnects_for(r); }
  // An honest node can still connect afterwards.
  bool still_serves() {
    TestNode honest;
    honest.config.allowed_keys = {node.key};
    auto keys = node.config.allowed_keys;
    keys.push_back(honest.key);
    node.net->set_allowed_keys(keys);
    honest.config.peers = {node.address()};
    honest.start();
    return eventually([&] { return honest.connected_to(node); });
  }
};

}  // namespace

TEST_CASE("garbage before the handshake is refused", "[p2p][abuse]") {
  Server s;
  RawClient c(s.node.config.listen_port);
  REQUIRE(c.connected());
  Bytes junk = header(12);
  append(junk, Bytes(12, 0xff));
  REQUIRE(c.write(junk));
  REQUIRE(c.closed_by_server());
  REQUIRE(eventually([&] { return s.count(DisconnectReason::protocol_violation) == 1; }));
  REQUIRE(s.still_serves());
}

TEST_CASE("an oversized frame header closes the connection before any allocation", "[p2p][abuse]") {
  Server s;
  RawClient c(s.node.config.listen_port);
  REQUIRE(c.write(header(0x7fffffff)));
  REQUIRE(c.closed_by_server());
  REQUIRE(eventually([&] { return s.count(DisconnectReason::oversized_frame) == 1; }));

  // Before authentication even a frame below the normal limit is too big.
  RawClient c2(s.node.config.listen_port);
  REQUIRE(c2.write(header(64 * 1024)));
  REQUIRE(c2.closed_by_server());
  REQUIRE(eventually([&] { return s.count(DisconnectReason::oversized_frame) == 2; }));
  REQUIRE(s.still_serves());
}

TEST_CASE("a truncated frame runs into the handshake timeout", "[p2p][abuse]") {
  Server s;
  RawClient c(s.node.config.listen_port);
  Bytes partial = header(100);
  append(partial, Bytes(10, 0x0a));
  REQUIRE(c.write(partial));
  REQUIRE(c.closed_by_server());
  REQUIRE(eventually([&] { return s.count(DisconnectReason::handshake_timeout) == 1; }));
  REQUIRE(s.still_serves());
}

TEST_CASE("a silent connection runs into the handshake timeout", "[p2p][abuse]") {
  Server s;
  RawClient c(s.node.config.listen_port);
  REQUIRE(c.closed_by_server());
  REQUIRE(eventually([&] { return s.count(DisconnectReason::handshake_timeout) == 1; }));
}

TEST_CASE("a message before the handshake is refused", "[p2p][abuse]") {
  Server s;
  RawClient c(s.node.config.listen_port);
  pb::Envelope env;
  env.mutable_message()->set_type(pb::VOTE);
  REQUIRE(c.write_envelope(env));
  REQUIRE(c.closed_by_server());
  REQUIRE(eventually([&] { return s.count(DisconnectReason::protocol_violation) == 1; }));
  REQUIRE(s.node.recorder.messages().empty());
}

TEST_CASE("an authenticated peer that sends invalid data is dropped", "[p2p][abuse]") {
  Server s;
  RawClient c(s.node.config.listen_port);
  REQUIRE(c.handshake(s.client_key, s.node.chain) == s.node.key);
  REQUIRE(eventually([&] { return s.node.recorder.ups() == 1; }));

  SECTION("oversized frame") {
    REQUIRE(c.write(header(static_cast<uint32_t>(kDefaultMaxFrameBytes + 1))));
    REQUIRE(c.closed_by_server());
    REQUIRE(eventually([&] { return s.count(DisconnectReason::oversized_frame) == 1; }));
  }
  SECTION("unknown message type") {
    pb::Envelope env;
    env.mutable_message()->set_type(static_cast<pb::MessageType>(99));
    REQUIRE(c.write_envelope(env));
    REQUIRE(c.closed_by_server());
    REQUIRE(eventually([&] { return s.count(DisconnectReason::protocol_violation) == 1; }));
  }
  SECTION("a second hello") {
    Challenge ch{};
    REQUIRE(c.write_envelope(Handshake(s.client_key, s.node.chain, ch).hello()));
    REQUIRE(c.closed_by_server());
    REQUIRE(eventually([&] { return s.count(DisconnectReason::protocol_violation) == 1; }));
  }
  REQUIRE(eventually([&] { return s.node.recorder.downs() == 1; }));
  REQUIRE(s.still_serves());
}

TEST_CASE("a valid message from an authenticated raw peer is delivered", "[p2p][abuse]") {
  Server s;
  RawClient c(s.node.config.listen_port);
  REQUIRE(c.handshake(s.client_key, s.node.chain).has_value());
  pb::Envelope env;
  env.mutable_message()->set_type(pb::TRANSACTIONS);
  env.mutable_message()->set_payload("tx");
  REQUIRE(c.write_envelope(env));
  REQUIRE(eventually([&] { return s.node.recorder.messages().size() == 1; }));
  const auto m = s.node.recorder.messages()[0];
  REQUIRE(m.from == s.client_key.public_key());
  REQUIRE(m.type == MessageType::transactions);
  REQUIRE(m.payload == to_bytes("tx"));
}

TEST_CASE("a peer that stops reading has messages dropped, then is disconnected", "[p2p][abuse]") {
  Server s([](NetworkConfig& c) { c.send_queue_max_bytes = 4u << 20; });
  RawClient c(s.node.config.listen_port);
  REQUIRE(c.handshake(s.client_key, s.node.chain).has_value());
  REQUIRE(eventually([&] { return s.node.recorder.ups() == 1; }));
  // The client never reads: the kernel buffers fill, one write stays in flight, the queue fills up.
  const Bytes chunk(256 * 1024, 0x55);
  for (int i = 0; i < 100; ++i) REQUIRE(s.node.net->send(s.client_key.public_key(), MessageType::block_response, chunk).ok());
  REQUIRE(eventually([&] { return s.node.net->stats().dropped_queue_full > 0; }));
  REQUIRE(eventually([&] { return s.count(DisconnectReason::write_stalled) == 1; }));
  REQUIRE(eventually([&] { return s.node.recorder.downs() == 1; }));
  REQUIRE(s.node.recorder.down_events().at(0).second == DisconnectReason::write_stalled);
}

TEST_CASE("connections beyond the pending limit are closed on accept", "[p2p][abuse]") {
  TestNode node;
  node.config.max_pending_connections = 2;
  node.config.handshake_timeout = 2000ms;
  node.start();
  RawClient c1(node.config.listen_port), c2(node.config.listen_port);
  REQUIRE(eventually([&] { return node.net->stats().accepted == 2; }));
  RawClient c3(node.config.listen_port);
  REQUIRE(c3.closed_by_server());
  REQUIRE(node.net->stats().disconnects_for(DisconnectReason::too_many_pending) == 1);
}
