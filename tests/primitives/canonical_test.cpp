#include <catch2/catch.hpp>

#include <google/protobuf/util/message_differencer.h>

#include "ledger/primitives/canonical.h"
#include "ledger/proto/operations.pb.h"
#include "ledger/proto/transaction.pb.h"
#include "tests/primitives/test_messages.pb.h"
#include "tests/primitives/wire.h"

using namespace docket;
using namespace docket::test_wire;
using primitives::parse_canonical;
using primitives::serialize_deterministic;

namespace {

constexpr size_t kMax = 1 << 16;

test::Tree sample_tree() {
  test::Tree t;
  t.set_id(7);
  auto* l = t.add_leaves();
  l->set_a(1);
  l->set_s("one");
  t.add_leaves()->set_a(2);
  (*t.mutable_by_name())["zeta"].set_a(26);
  (*t.mutable_by_name())["alpha"].set_s("first");
  (*t.mutable_tags())["b"] = "2";
  (*t.mutable_tags())["a"] = "1";
  t.add_packed(1);
  t.add_packed(300);
  t.mutable_single()->set_a(5);
  t.mutable_child()->set_id(8);
  t.mutable_child()->add_leaves()->set_s("nested");
  t.set_z(-3);
  t.set_f64(0x0102030405060708ULL);
  t.set_f32(9);
  t.set_kind(test::Tree::KIND_A);
  t.set_blob("\x00\xff", 2);
  return t;
}

Errc code_of(const Status& s) { return s.error().code; }

}  // namespace

TEST_CASE("deterministic bytes parse back to the same message") {
  test::Tree t = sample_tree();
  Bytes b = serialize_deterministic(t);
  test::Tree back;
  REQUIRE(parse_canonical(b, back, kMax).ok());
  CHECK(google::protobuf::util::MessageDifferencer::Equals(t, back));
  CHECK(serialize_deterministic(back) == b);
}

TEST_CASE("a set but empty submessage is present with length zero") {
  test::Tree t;
  t.mutable_single();
  Bytes b = serialize_deterministic(t);
  CHECK(b == lfield(6, {}));
  test::Tree back;
  REQUIRE(parse_canonical(b, back, kMax).ok());
  CHECK(back.has_single());
}

TEST_CASE("an empty message is the empty byte string") {
  test::Tree t;
  CHECK(serialize_deterministic(t).empty());
  CHECK(parse_canonical({}, t, kMax).ok());
}

TEST_CASE("size limit is checked before parsing") {
  Bytes b = serialize_deterministic(sample_tree());
  test::Tree out;
  CHECK(parse_canonical(b, out, b.size()).ok());
  auto s = parse_canonical(b, out, b.size() - 1);
  REQUIRE_FALSE(s.ok());
  CHECK(code_of(s) == Errc::too_large);
  // Garbage over the limit is too large, not unparseable: the size is the first check.
  Bytes garbage(100, 0xff);
  CHECK(code_of(parse_canonical(garbage, out, 99)) == Errc::too_large);
}

TEST_CASE("malformed bytes are invalid") {
  test::Tree out;
  for (const Bytes& b : {Bytes{0x08}, Bytes{0x08, 0x80}, Bytes{0x62, 0x05, 0x01}, Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
                         Bytes{0x00, 0x00}, Bytes{0x4d, 0x01, 0x02}, Bytes{0x0b}, Bytes{0x0e, 0x00}}) {
    auto s = parse_canonical(b, out, kMax);
    REQUIRE_FALSE(s.ok());
    CHECK(code_of(s) == Errc::invalid_argument);
  }
}

TEST_CASE("unknown fields are rejected at every depth, naming the field number") {
  const Bytes unknown = vfield(99, 1);
  test::Tree out;
  auto expect_unknown = [&](const Bytes& b) {
    auto s = parse_canonical(b, out, kMax);
    REQUIRE_FALSE(s.ok());
    CHECK(code_of(s) == Errc::invalid_argument);
    CHECK_THAT(s.error().message, Catch::Contains("unknown field 99"));
  };
  SECTION("top level") { expect_unknown(cat({vfield(1, 7), unknown})); }
  SECTION("singular submessage") { expect_unknown(lfield(6, cat({vfield(1, 5), unknown}))); }
  SECTION("repeated submessage, second element") {
    expect_unknown(cat({lfield(2, vfield(1, 1)), lfield(2, cat({vfield(1, 2), unknown}))}));
  }
  SECTION("map entry") { expect_unknown(lfield(4, cat({lfield(1, to_bytes("a")), lfield(2, to_bytes("1")), unknown}))); }
  SECTION("message value inside a map entry") {
    expect_unknown(lfield(3, cat({lfield(1, to_bytes("k")), lfield(2, cat({vfield(1, 1), unknown}))})));
  }
  SECTION("recursive child two levels down") { expect_unknown(lfield(7, lfield(7, unknown))); }
  SECTION("in a production schema: TxBody's operation") {
    pb::TxBody body;
    auto s = parse_canonical(lfield(10, cat({lfield(1, Bytes(32, 1)), unknown})), body, kMax);
    REQUIRE_FALSE(s.ok());
    CHECK(code_of(s) == Errc::invalid_argument);
    CHECK_THAT(s.error().message, Catch::Contains("unknown field 99"));
    CHECK_THAT(s.error().message, Catch::Contains("docket.pb.DocumentIssue"));
  }
}

TEST_CASE("a known field with the wrong wire type is invalid") {
  test::Tree out;
  // id (field 1) is a varint; here it comes as fixed32.
  Bytes b = cat({tag(1, 5), Bytes{1, 0, 0, 0}});
  auto s = parse_canonical(b, out, kMax);
  REQUIRE_FALSE(s.ok());
  CHECK(code_of(s) == Errc::invalid_argument);
  CHECK_THAT(s.error().message, Catch::Contains("field 1"));
  // single (field 6) is a message; here a varint.
  CHECK(code_of(parse_canonical(vfield(6, 1), out, kMax)) == Errc::invalid_argument);
}

TEST_CASE("invalid UTF-8 in a string field is invalid") {
  test::Tree out;
  for (const Bytes& s : {Bytes{0xff}, Bytes{0xc0, 0x80}, Bytes{0xed, 0xa0, 0x80}, Bytes{0xe2, 0x82}, Bytes{0xf4, 0x90, 0x80, 0x80}}) {
    auto r = parse_canonical(lfield(2, lfield(2, s)), out, kMax);
    REQUIRE_FALSE(r.ok());
    CHECK(code_of(r) == Errc::invalid_argument);
  }
  // Valid multi-byte UTF-8 passes.
  CHECK(parse_canonical(lfield(2, lfield(2, to_bytes("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"))), out, kMax).ok());
}

TEST_CASE("nesting deeper than the limit is invalid, not a stack overflow") {
  Bytes b;
  for (int i = 0; i < 200; ++i) b = lfield(7, b);
  test::Tree out;
  auto s = parse_canonical(b, out, kMax);
  REQUIRE_FALSE(s.ok());
  CHECK(code_of(s) == Errc::invalid_argument);
}

TEST_CASE("encodings that decode but are not the deterministic one are non-canonical") {
  test::Tree out;
  auto expect_nc = [&](const Bytes& b) {
    auto s = parse_canonical(b, out, kMax);
    REQUIRE_FALSE(s.ok());
    CHECK(code_of(s) == Errc::non_canonical);
  };
  SECTION("default value written out") { expect_nc(vfield(1, 0)); }
  SECTION("fields out of order") { expect_nc(cat({vfield(11, 1), vfield(1, 7)})); }
  SECTION("a singular field twice") { expect_nc(cat({vfield(1, 7), vfield(1, 7)})); }
  SECTION("overlong varint") { expect_nc(cat({tag(1, 0), Bytes{0x87, 0x00}})); }
  SECTION("overlong length prefix") { expect_nc(cat({tag(12, 2), Bytes{0x81, 0x00, 0x41}})); }
  SECTION("unpacked repeated scalars") { expect_nc(cat({vfield(5, 1), vfield(5, 2)})); }
  SECTION("map keys not sorted") {
    auto entry = [](const char* k, const char* v) { return lfield(4, cat({lfield(1, to_bytes(k)), lfield(2, to_bytes(v))})); };
    CHECK(parse_canonical(cat({entry("a", "1"), entry("b", "2")}), out, kMax).ok());
    expect_nc(cat({entry("b", "2"), entry("a", "1")}));
  }
  SECTION("map key repeated") {
    auto entry = [](const char* k, const char* v) { return lfield(4, cat({lfield(1, to_bytes(k)), lfield(2, to_bytes(v))})); };
    expect_nc(cat({entry("a", "1"), entry("a", "2")}));
  }
  SECTION("map entry with its value left out") { expect_nc(lfield(4, lfield(1, to_bytes("a")))); }
  SECTION("two members of a oneof") {
    pb::TxBody body;
    auto s = parse_canonical(cat({lfield(10, lfield(1, Bytes(32, 1))), lfield(11, lfield(1, Bytes(32, 2)))}), body, kMax);
    REQUIRE_FALSE(s.ok());
    CHECK(code_of(s) == Errc::non_canonical);
  }
  SECTION("a bool written as 2") {
    pb::GovVote vote;
    CHECK(parse_canonical(vfield(2, 1), vote, kMax).ok());
    auto s = parse_canonical(vfield(2, 2), vote, kMax);
    REQUIRE_FALSE(s.ok());
    CHECK(code_of(s) == Errc::non_canonical);
  }
  SECTION("a 32-bit field given a ten-byte varint") {
    // sint32 z (8) reads the low 32 bits; the canonical encoding of that value is at most five bytes.
    expect_nc(cat({tag(8, 0), Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}}));
  }
  SECTION("a submessage split in two") {
    expect_nc(cat({lfield(6, vfield(1, 5)), lfield(6, lfield(2, to_bytes("x")))}));
  }
  SECTION("a non-canonical submessage inside a canonical-looking outer message") {
    expect_nc(lfield(6, cat({lfield(2, to_bytes("x")), vfield(1, 5)})));
  }
}

TEST_CASE("the output message is replaced, not merged into") {
  test::Tree out = sample_tree();
  test::Tree small;
  small.set_id(3);
  REQUIRE(parse_canonical(serialize_deterministic(small), out, kMax).ok());
  CHECK(google::protobuf::util::MessageDifferencer::Equals(out, small));
}
