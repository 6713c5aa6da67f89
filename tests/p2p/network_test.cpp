// Loopback tests of the Network: several instances in one process, each with its own io thread.
#include "ledger/p2p/network.h"

#include <catch2/catch.hpp>

#include "p2p_test_support.h"

using namespace docket;
using namespace docket::p2p;
using namespace docket::p2p::test;

namespace {
// Every node allows every other.
void mesh(const std::vector<TestNode*>& nodes) {
  std::vector<PeerKey> keys;
  for (auto* n : nodes) keys.push_back(n->key);
  for (auto* n : nodes) n->config.allowed_keys = keys;
}
bool has_message(const Recorder& r, const PeerKey& from, MessageType t, const Bytes& payload) {
  for (const auto& m : r.messages())
    if (m.from == from && m.type == t && m.payload == payload) return true;
  return false;
}
}  // namespace

TEST_CASE("two nodes handshake and exchange messages", "[p2p][network]") {
  TestNode a, b;
  mesh({&a, &b});
  b.start();
  a.config.peers = {b.address()};
  a.start();

  REQUIRE(eventually([&] { return a.connected_to(b) && b.connected_to(a); }));
  REQUIRE(eventually([&] { return a.recorder.ups() == 1 && b.recorder.ups() == 1; }));

  const Bytes vote = {1, 2, 3};
  REQUIRE(a.net->send(b.key, MessageType::vote, vote).ok());
  REQUIRE(eventually([&] { return has_message(b.recorder, a.key, MessageType::vote, vote); }));

  const Bytes empty;
  REQUIRE(b.net->broadcast(MessageType::proposal, empty).ok());
  REQUIRE(eventually([&] { return has_message(a.recorder, b.key, MessageType::proposal, empty); }));

  // Order is kept per peer.
  for (uint8_t i = 0; i < 100; ++i) REQUIRE(a.net->send(b.key, MessageType::transactions, Bytes{i}).ok());
  REQUIRE(eventually([&] { return b.recorder.messages().size() >= 101; }));
  auto got = b.recorder.messages();
  for (uint8_t i = 0; i < 100; ++i) REQUIRE(got[1 + i].payload == Bytes{i});

  const auto st = a.net->stats();
  REQUIRE(st.peers_connected == 1);
  REQUIRE(st.established == 1);
  REQUIRE(st.dropped_queue_full == 0);
}

TEST_CASE("a message too large for a frame is refused at send", "[p2p][network]") {
  TestNode a;
  a.config.max_frame_bytes = 1024;
  a.start();
  const Bytes big(1024, 0);
  auto st = a.net->send(a.key, MessageType::block_response, big);
  REQUIRE_FALSE(st.ok());
  REQUIRE(st.error().code == Errc::too_large);
  REQUIRE(a.net->broadcast(MessageType::block_response, big).error().code == Errc::too_large);
}

TEST_CASE("a node on another chain id is refused", "[p2p][network]") {
  TestNode a("chain-a"), b("chain-b");
  mesh({&a, &b});
  b.start();
  a.config.peers = {b.address()};
  a.start();
  REQUIRE(eventually([&] {
    return b.net->stats().disconnects_for(DisconnectReason::wrong_chain) >= 1 &&
           a.net->stats().disconnects_for(DisconnectReason::wrong_chain) >= 1;
  }));
  REQUIRE(a.recorder.ups() == 0);
  REQUIRE(b.recorder.ups() == 0);
}

TEST_CASE("a node with the same chain id on another genesis is refused", "[p2p][network]") {
  TestNode a("chain-a", "A"), b("chain-a", "B");
  mesh({&a, &b});
  b.start();
  a.config.peers = {b.address()};
  a.start();
  REQUIRE(eventually([&] {
    return b.net->stats().disconnects_for(DisconnectReason::wrong_chain) >= 1 &&
           a.net->stats().disconnects_for(DisconnectReason::wrong_chain) >= 1;
  }));
  REQUIRE(a.recorder.ups() == 0);
  REQUIRE(b.recorder.ups() == 0);
}

TEST_CASE("a key outside the allowed set is refused, both ways", "[p2p][network]") {
  TestNode a, b;
  a.config.allowed_keys = {b.key};
  b.config.allowed_keys = {};  // b does not know a
  b.start();
  a.config.peers = {b.address()};
  a.start();
  REQUIRE(eventually([&] { return b.net->stats().disconnects_for(DisconnectReason::unknown_key) >= 2; }));
  REQUIRE(a.recorder.ups() == 0);
  REQUIRE(b.recorder.ups() == 0);

  // Adding the key at runtime (an epoch change) lets the redialing peer in.
  b.net->set_allowed_keys({a.key});
  REQUIRE(eventually([&] { return a.connected_to(b) && b.connected_to(a); }));

  // Removing it again drops the live session.
  b.net->set_allowed_keys({});
  REQUIRE(eventually([&] { return !b.connected_to(a); }));
  REQUIRE(b.net->stats().disconnects_for(DisconnectReason::key_removed) >= 1);
}

TEST_CASE("a dialed address that answers with another key is refused", "[p2p][network]") {
  TestNode a, b, c;
  mesh({&a, &b, &c});
  b.start();
  PeerAddress wrong = b.address();
  wrong.key = c.key;  // a believes c listens where b does
  a.config.peers = {wrong};
  a.start();
  REQUIRE(eventually([&] { return a.net->stats().disconnects_for(DisconnectReason::unexpected_key) >= 1; }));
  REQUIRE(a.recorder.ups() == 0);
}

TEST_CASE("a peer that restarts is redialed and reconnects", "[p2p][network]") {
  TestNode a, b;
  mesh({&a, &b});
  b.start();
  a.config.peers = {b.address()};
  a.start();
  REQUIRE(eventually([&] { return a.connected_to(b); }));

  b.stop();
  REQUIRE(eventually([&] { return a.recorder.downs() == 1; }));
  REQUIRE(a.recorder.down_events()[0].second == DisconnectReason::closed_by_peer);
  REQUIRE(a.net->connected_peers().empty());

  // Let a fail a few dials first, then bring b back on the same port.
  REQUIRE(eventually([&] { return a.net->stats().dial_failures >= 2; }));
  b.start();
  REQUIRE(eventually([&] { return a.connected_to(b) && b.connected_to(a); }));
  REQUIRE(eventually([&] { return a.recorder.ups() == 2; }));

  const Bytes msg = {42};
  REQUIRE(a.net->send(b.key, MessageType::timeout, msg).ok());
  REQUIRE(eventually([&] { return has_message(b.recorder, a.key, MessageType::timeout, msg); }));
}

TEST_CASE("three nodes that all dial each other keep one session per pair", "[p2p][network]") {
  TestNode a, b, c;
  mesh({&a, &b, &c});
  // Bind first so that every node knows every port, then dial.
  std::vector<TestNode*> nodes = {&a, &b, &c};
  for (auto* n : nodes) n->start();
  for (auto* n : nodes) {
    std::vector<PeerAddress> peers;
    for (auto* m : nodes)
      if (m != n) peers.push_back(m->address());
    n->net->set_peers(peers);
  }
  REQUIRE(eventually([&] {
    for (auto* n : nodes)
      if (n->net->connected_peers().size() != 2) return false;
    return true;
  }));
  // Simultaneous dials resolve to the same survivor on both sides: nothing flaps afterwards.
  std::this_thread::sleep_for(300ms);
  for (auto* n : nodes) {
    REQUIRE(n->net->connected_peers().size() == 2);
    REQUIRE(n->recorder.downs() == 0);
    REQUIRE(n->recorder.ups() == 2);
  }

  const Bytes p = {7, 7};
  REQUIRE(a.net->broadcast(MessageType::proposal, p).ok());
  REQUIRE(eventually([&] {
    return has_message(b.recorder, a.key, MessageType::proposal, p) &&
           has_message(c.recorder, a.key, MessageType::proposal, p);
  }));
}

TEST_CASE("idle connections stay up through keepalives", "[p2p][network]") {
  TestNode a, b;
  mesh({&a, &b});
  a.config.idle_timeout = b.config.idle_timeout = 1500ms;
  a.config.keepalive_interval = b.config.keepalive_interval = 100ms;
  b.start();
  a.config.peers = {b.address()};
  a.start();
  REQUIRE(eventually([&] { return a.connected_to(b); }));
  std::this_thread::sleep_for(2000ms);  // longer than the idle timeout
  REQUIRE(a.connected_to(b));
  REQUIRE(a.recorder.downs() == 0);
  REQUIRE(b.recorder.messages().empty());  // keepalives never reach the owner
}

TEST_CASE("start fails clearly when the port is taken", "[p2p][network]") {
  TestNode a, b;
  a.start();
  b.config.listen_port = a.config.listen_port;
  Network net(b.config, crypto::SecretKey::from_bytes(b.secret).value(), b.recorder);
  auto st = net.start();
  REQUIRE_FALSE(st.ok());
  REQUIRE(st.error().code == Errc::unavailable);
  REQUIRE(st.error().message.find(std::to_string(a.config.listen_port)) != std::string::npos);
}
