#include "ledger/p2p/handshake.h"

#include <catch2/catch.hpp>

#include "ledger/crypto/random.h"
#include "ledger/crypto/sha256.h"

using namespace docket;
using namespace docket::p2p;

namespace {
Challenge challenge() {
  Challenge c;
  crypto::random_bytes(c.data(), c.size());
  return c;
}
// Chain `id` of genesis `genesis` (a stand-in hash).
crypto::ChainBinding chain(const std::string& id, const std::string& genesis = "A") {
  return {id, crypto::sha256(as_bytes("genesis " + genesis))};
}
Handshake::KeyCheck allow_all() {
  return [](const PeerKey&) { return std::optional<Rejection>{}; };
}
// Two node keys.
struct Pair {
  crypto::SecretKey ka = crypto::SecretKey::generate();
  crypto::SecretKey kb = crypto::SecretKey::generate();
};
}  // namespace

TEST_CASE("two honest sides authenticate each other", "[p2p][handshake]") {
  Pair p;
  Handshake a(p.ka, chain("chain-1"), challenge()), b(p.kb, chain("chain-1"), challenge());
  auto a_auth = a.on_hello(b.hello().hello(), allow_all());
  auto b_auth = b.on_hello(a.hello().hello(), allow_all());
  REQUIRE(std::holds_alternative<pb::Envelope>(a_auth));
  REQUIRE(std::holds_alternative<pb::Envelope>(b_auth));
  REQUIRE_FALSE(a.on_auth(std::get<pb::Envelope>(b_auth).auth()).has_value());
  REQUIRE_FALSE(b.on_auth(std::get<pb::Envelope>(a_auth).auth()).has_value());
  REQUIRE(a.authenticated());
  REQUIRE(b.authenticated());
  REQUIRE(a.peer_key() == p.kb.public_key());
  REQUIRE(b.peer_key() == p.ka.public_key());
}

TEST_CASE("a hello for another chain id is refused", "[p2p][handshake]") {
  Pair p;
  Handshake a(p.ka, chain("chain-1"), challenge()), b(p.kb, chain("chain-2"), challenge());
  auto r = a.on_hello(b.hello().hello(), allow_all());
  REQUIRE(std::get<Rejection>(r).reason == DisconnectReason::wrong_chain);
}

TEST_CASE("a hello for the same chain id on another genesis is refused", "[p2p][handshake]") {
  Pair p;
  Handshake a(p.ka, chain("chain-1", "A"), challenge()), b(p.kb, chain("chain-1", "B"), challenge());
  auto r = a.on_hello(b.hello().hello(), allow_all());
  const auto& why = std::get<Rejection>(r);
  REQUIRE(why.reason == DisconnectReason::wrong_chain);
  CHECK_THAT(why.detail, Catch::Contains("genesis " + to_hex(chain("chain-1", "B").genesis_hash).substr(0, 16)));
  // A hello without a genesis hash (an older peer) is another genesis too.
  pb::Hello old = b.hello().hello();
  old.clear_genesis_hash();
  REQUIRE(std::get<Rejection>(a.on_hello(old, allow_all())).reason == DisconnectReason::wrong_chain);
}

TEST_CASE("a handshake signature binds the genesis", "[p2p][handshake]") {
  // Even with a Hello that lies about its genesis, the proof of key signed for genesis B does not
  // verify on genesis A.
  Pair p;
  Handshake a(p.ka, chain("c", "A"), challenge()), b(p.kb, chain("c", "B"), challenge());
  pb::Hello b_hello = b.hello().hello();
  const auto ga = chain("c", "A").genesis_hash;
  b_hello.set_genesis_hash(ga.data(), ga.size());
  auto a_auth = a.on_hello(b_hello, allow_all());
  REQUIRE(std::holds_alternative<pb::Envelope>(a_auth));
  pb::Hello a_hello = a.hello().hello();
  const auto gb = chain("c", "B").genesis_hash;
  a_hello.set_genesis_hash(gb.data(), gb.size());
  auto b_auth = b.on_hello(a_hello, allow_all());
  REQUIRE(std::holds_alternative<pb::Envelope>(b_auth));
  auto refused = a.on_auth(std::get<pb::Envelope>(b_auth).auth());
  REQUIRE(refused.has_value());
  CHECK(refused->reason == DisconnectReason::bad_signature);
  CHECK_FALSE(a.authenticated());
}

TEST_CASE("the key check decides which keys may go on", "[p2p][handshake]") {
  Pair p;
  Handshake a(p.ka, chain("c"), challenge()), b(p.kb, chain("c"), challenge());
  auto r = a.on_hello(b.hello().hello(), [](const PeerKey&) {
    return std::optional<Rejection>(Rejection{DisconnectReason::unknown_key, "no"});
  });
  REQUIRE(std::get<Rejection>(r).reason == DisconnectReason::unknown_key);
}

TEST_CASE("malformed hellos are refused", "[p2p][handshake]") {
  Pair p;
  Handshake b(p.kb, chain("c"), challenge());
  pb::Hello good = Handshake(p.ka, chain("c"), challenge()).hello().hello();

  SECTION("version") {
    good.set_protocol_version(kProtocolVersion + 1);
    REQUIRE(std::get<Rejection>(Handshake(p.kb, chain("c"), challenge()).on_hello(good, allow_all())).reason ==
            DisconnectReason::protocol_version);
  }
  SECTION("short key") {
    good.set_public_key(std::string(31, 'k'));
    REQUIRE(std::get<Rejection>(b.on_hello(good, allow_all())).reason == DisconnectReason::protocol_violation);
  }
  SECTION("key not on the curve") {
    good.set_public_key(std::string(32, '\xff'));
    REQUIRE(std::get<Rejection>(b.on_hello(good, allow_all())).reason == DisconnectReason::protocol_violation);
  }
  SECTION("short challenge") {
    good.set_challenge(std::string(8, 'c'));
    REQUIRE(std::get<Rejection>(b.on_hello(good, allow_all())).reason == DisconnectReason::protocol_violation);
  }
  SECTION("our own key") {
    pb::Hello own = Handshake(p.kb, chain("c"), challenge()).hello().hello();
    REQUIRE(std::get<Rejection>(b.on_hello(own, allow_all())).reason == DisconnectReason::self_connection);
  }
}

TEST_CASE("a signature that is not fresh for this connection is refused", "[p2p][handshake]") {
  Pair p;
  // a talks to b on connection 1; an attacker replays a's HelloAuth to b on connection 2.
  Handshake a1(p.ka, chain("c"), challenge()), b1(p.kb, chain("c"), challenge());
  auto a1_auth = std::get<pb::Envelope>(a1.on_hello(b1.hello().hello(), allow_all()));

  Handshake b2(p.kb, chain("c"), challenge());
  (void)b2.on_hello(a1.hello().hello(), allow_all());
  auto refused = b2.on_auth(a1_auth.auth());
  REQUIRE(refused.has_value());
  REQUIRE(refused->reason == DisconnectReason::bad_signature);
  REQUIRE_FALSE(b2.authenticated());
}

TEST_CASE("a reflected signature is refused", "[p2p][handshake]") {
  Pair p;
  Handshake a(p.ka, chain("c"), challenge()), b(p.kb, chain("c"), challenge());
  auto b_auth = std::get<pb::Envelope>(b.on_hello(a.hello().hello(), allow_all()));
  // b receives its own signature back from "a".
  (void)std::get<pb::Envelope>(a.on_hello(b.hello().hello(), allow_all()));
  REQUIRE(b.on_auth(b_auth.auth())->reason == DisconnectReason::bad_signature);
}

TEST_CASE("a garbled signature is refused", "[p2p][handshake]") {
  Pair p;
  Handshake a(p.ka, chain("c"), challenge()), b(p.kb, chain("c"), challenge());
  auto a_auth = std::get<pb::Envelope>(a.on_hello(b.hello().hello(), allow_all()));
  (void)b.on_hello(a.hello().hello(), allow_all());
  pb::HelloAuth bad = a_auth.auth();
  SECTION("flipped bit") {
    (*bad.mutable_signature())[5] ^= 1;
    REQUIRE(b.on_auth(bad)->reason == DisconnectReason::bad_signature);
  }
  SECTION("wrong length") {
    bad.mutable_signature()->resize(63);
    REQUIRE(b.on_auth(bad)->reason == DisconnectReason::protocol_violation);
  }
}

TEST_CASE("the handshake digest binds chain id, genesis, both keys and both challenges", "[p2p][handshake]") {
  PeerKey k1{}, k2{};
  k1[0] = 1;
  k2[0] = 2;
  Challenge c1{}, c2{};
  c1[0] = 3;
  c2[0] = 4;
  const Hash32 d = handshake_digest(chain("c"), k1, k2, c1, c2);
  REQUIRE(d != handshake_digest(chain("d"), k1, k2, c1, c2));
  REQUIRE(d != handshake_digest(chain("c", "B"), k1, k2, c1, c2));
  REQUIRE(d != handshake_digest(chain("c"), k2, k1, c1, c2));
  REQUIRE(d != handshake_digest(chain("c"), k1, k2, c2, c1));
}
