#include <catch2/catch.hpp>

#include "consensus/canonical.h"
#include "ledger/proto/consensus.pb.h"

using namespace docket;
using namespace docket::consensus;

TEST_CASE("parse_canonical accepts the deterministic encoding") {
  pb::Vote v;
  v.set_epoch(1);
  v.set_round(7);
  v.set_block_id(std::string(32, 'x'));
  v.set_voter(2);
  v.set_signature(std::string(64, 's'));
  const Bytes b = serialize(v);
  pb::Vote out;
  REQUIRE(parse_canonical(b, out, 1024).ok());
  REQUIRE(out.round() == 7);
}

TEST_CASE("parse_canonical rejects oversized, undecodable, unknown fields and non-canonical bytes") {
  pb::Vote v;
  v.set_round(7);
  Bytes b = serialize(v);  // 0x10 0x07
  pb::Vote out;
  SECTION("too large") {
    auto s = parse_canonical(b, out, 1);
    REQUIRE(!s.ok());
    REQUIRE(s.error().code == Errc::too_large);
  }
  SECTION("undecodable") {
    Bytes junk = {0x12, 0x50, 0x01};  // length-delimited field running past the end
    REQUIRE(!parse_canonical(junk, out, 1024).ok());
  }
  SECTION("unknown field") {
    Bytes extra = b;
    extra.push_back(0xf8);  // field 31, varint
    extra.push_back(0x01);
    extra.push_back(0x01);
    auto s = parse_canonical(extra, out, 1024);
    REQUIRE(!s.ok());
    REQUIRE(s.error().code == Errc::invalid_argument);
  }
  SECTION("non-minimal varint") {
    Bytes padded = {0x10, 0x87, 0x00};  // round = 7 in two bytes
    auto s = parse_canonical(padded, out, 1024);
    REQUIRE(!s.ok());
    REQUIRE(s.error().code == Errc::non_canonical);
  }
  SECTION("field repeated (last one wins when parsing, so two encodings mean one value)") {
    Bytes twice = {0x10, 0x01, 0x10, 0x07};
    REQUIRE(parse_canonical(twice, out, 1024).error().code == Errc::non_canonical);
  }
  SECTION("explicit default value") {
    Bytes zero = {0x08, 0x00, 0x10, 0x07};  // epoch = 0 written out
    REQUIRE(parse_canonical(zero, out, 1024).error().code == Errc::non_canonical);
  }
}
