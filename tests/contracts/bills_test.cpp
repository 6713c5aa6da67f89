#include "contracts/bill_parties.h"
#include "contracts/records.h"
#include "harness.h"

using namespace docket;
using namespace docket::test;
using contracts::Reason;

namespace {
pb::BillOfLading bill(Chain& c, const Hash32& id) {
  auto b = contracts::bill_of_lading(c.state(), id);
  REQUIRE(b.ok());
  REQUIRE(b->has_value());
  return **b;
}
}  // namespace

TEST_CASE("a negotiable bill from issue to accomplished, with its endorsement chain") {
  Chain c;
  Hash32 id = h("bl-1");
  REQUIRE(c.run("carrier", issue_bl(id, "t1", "t1")).ok());
  CHECK(c.run("carrier", issue_bl(id, "t2", "t2")).reason == Reason::already_exists);

  // Owner and holder the same: endorse to anyone, together with holdership.
  REQUIRE(c.run("t1", bl_act(id, pb::BL_TRANSFER_OWNERS, "t2", "t2")).ok());
  auto b = bill(c, id);
  CHECK(b.owner() == "t2");
  CHECK(b.holder() == "t2");
  CHECK(b.prev_owner() == "t1");
  CHECK(b.prev_holder() == "t1");
  // The transferor lost control.
  CHECK(c.run("t1", bl_act(id, pb::BL_TRANSFER_HOLDER, "", "t3")).reason == Reason::not_holder);

  // t2 hands holdership to a bank (t3) but keeps title; the bank is not the nominee.
  REQUIRE(c.run("t2", bl_act(id, pb::BL_TRANSFER_HOLDER, "", "t3")).ok());
  CHECK(c.run("t3", bl_act(id, pb::BL_ENDORSE, "t4")).reason == Reason::not_nominee);
  REQUIRE(c.run("t2", bl_act(id, pb::BL_NOMINATE, "t4")).ok());
  REQUIRE(c.run("t3", bl_act(id, pb::BL_ENDORSE, "t4")).ok());
  b = bill(c, id);
  CHECK(b.owner() == "t4");
  CHECK(b.nominee().empty());
  REQUIRE(c.run("t3", bl_act(id, pb::BL_TRANSFER_HOLDER, "", "t4")).ok());
  REQUIRE(c.run("t4", bl_act(id, pb::BL_SURRENDER)).ok());
  CHECK(bill(c, id).status() == pb::BL_SURRENDERED);
  CHECK(c.run("carrier2", bl_act(id, pb::BL_ACCEPT_SURRENDER)).reason == Reason::not_carrier);
  REQUIRE(c.run("carrier", bl_act(id, pb::BL_ACCEPT_SURRENDER)).ok());
  CHECK(bill(c, id).status() == pb::BL_ACCOMPLISHED);
  CHECK(c.run("carrier", bl_act(id, pb::BL_REJECT_SURRENDER)).reason == Reason::invalid_state);
  // The record id stays taken after the bill is accomplished.
  CHECK(c.run("carrier", issue_bl(id, "t1", "t1")).reason == Reason::already_exists);

  auto hist = c.exec().history().history(contracts::bill_key(id), c.height(), 100);
  REQUIRE(hist.ok());
  std::vector<std::string> kinds;
  for (const auto& e : *hist) kinds.push_back(e.event().kind());
  CHECK(kinds == std::vector<std::string>{"bl.issued", "bl.owners_transferred", "bl.holder_transferred", "bl.nominated",
                                          "bl.endorsed", "bl.holder_transferred", "bl.surrendered",
                                          "bl.surrender_accepted"});
  CHECK(bill(c, id).transitions() == 7);
}

TEST_CASE("a rejection restores the previous party and only as the very next action") {
  Chain c;
  Hash32 id = h("bl-2");
  REQUIRE(c.run("carrier", issue_bl(id, "t1", "t2")).ok());
  REQUIRE(c.run("t2", bl_act(id, pb::BL_TRANSFER_HOLDER, "", "t3")).ok());
  REQUIRE(c.run("t3", bl_act(id, pb::BL_REJECT_HOLDER)).ok());
  auto b = bill(c, id);
  CHECK(b.holder() == "t2");
  CHECK(b.prev_holder().empty());
  // Nothing left to reject.
  CHECK(c.run("t2", bl_act(id, pb::BL_REJECT_HOLDER)).reason == Reason::nothing_to_reject);

  // A transfer followed by another action can no longer be rejected.
  REQUIRE(c.run("t2", bl_act(id, pb::BL_TRANSFER_HOLDER, "", "t3")).ok());
  REQUIRE(c.run("t1", bl_act(id, pb::BL_NOMINATE, "t4")).ok());
  CHECK(c.run("t3", bl_act(id, pb::BL_REJECT_HOLDER)).reason == Reason::nothing_to_reject);
}

TEST_CASE("surrender rejected by the carrier restores the bill") {
  Chain c;
  Hash32 id = h("bl-3");
  REQUIRE(c.run("carrier", issue_bl(id, "t1", "t1")).ok());
  CHECK(c.run("t2", bl_act(id, pb::BL_SURRENDER)).reason == Reason::not_owner_and_holder);
  REQUIRE(c.run("t1", bl_act(id, pb::BL_SURRENDER)).ok());
  CHECK(c.run("t1", bl_act(id, pb::BL_TRANSFER_HOLDER, "", "t2")).reason == Reason::invalid_state);
  REQUIRE(c.run("carrier", bl_act(id, pb::BL_REJECT_SURRENDER)).ok());
  auto b = bill(c, id);
  CHECK(b.status() == pb::BL_ACTIVE);
  CHECK(b.owner() == "t1");
  CHECK(b.holder() == "t1");
}

TEST_CASE("straight bills and sea waybills move holdership but cannot be endorsed") {
  Chain c;
  for (auto type : {pb::BL_STRAIGHT, pb::BL_SEA_WAYBILL}) {
    Hash32 id = h("bl-type-" + std::to_string(type));
    REQUIRE(c.run("carrier", issue_bl(id, "t1", "t1", type)).ok());
    CHECK(c.run("t1", bl_act(id, pb::BL_ENDORSE, "t2")).reason == Reason::not_negotiable);
    CHECK(c.run("t1", bl_act(id, pb::BL_NOMINATE, "t2")).reason == Reason::not_negotiable);
    CHECK(c.run("t1", bl_act(id, pb::BL_TRANSFER_OWNERS, "t2", "t2")).reason == Reason::not_negotiable);
    REQUIRE(c.run("t1", bl_act(id, pb::BL_TRANSFER_HOLDER, "", "t2")).ok());
    CHECK(bill(c, id).owner() == "t1");
  }
}

TEST_CASE("issuing a bill: carrier role, trader parties, well-formed fields") {
  Chain c;
  CHECK(c.run("t1", issue_bl(h("x"), "t1", "t1")).reason == Reason::missing_role);
  CHECK(c.run("chamber", issue_bl(h("x"), "t1", "t1")).reason == Reason::missing_role);
  CHECK(c.run("carrier", issue_bl(h("x"), "customs", "t1")).reason == Reason::invalid_party);
  CHECK(c.run("carrier", issue_bl(h("x"), "t1", "nobody")).reason == Reason::invalid_party);
  CHECK(c.run("carrier", issue_bl(h("x"), "t1", "t1", pb::BL_TYPE_UNSPECIFIED)).reason == Reason::malformed);
  CHECK(c.run("carrier", issue_bl(h("x"), "T1", "t1")).reason == Reason::malformed);
  // An action naming a party field it does not use is malformed.
  REQUIRE(c.run("carrier", issue_bl(h("x"), "t1", "t1")).ok());
  CHECK(c.run("t1", bl_act(h("x"), pb::BL_SURRENDER, "t2")).reason == Reason::malformed);
  CHECK(c.run("t1", bl_act(h("missing"), pb::BL_SURRENDER)).reason == Reason::not_found);
}

TEST_CASE("the party index follows every part in a bill until the bill is accomplished") {
  Chain c;
  const Hash32 id = h("bl-index");
  auto of = [&](const std::string& member) {
    auto ids = contracts::bills_of_member(c.state(), member);
    REQUIRE(ids.ok());
    return *ids;
  };
  const std::vector<Hash32> just{id}, none{};
  REQUIRE(c.run("carrier", issue_bl(id, "t1", "t1")).ok());
  CHECK(of("carrier") == just);
  CHECK(of("t1") == just);
  CHECK(of("t2") == none);
  // The previous owner and holder keep a part: a rejection hands the bill back to them.
  REQUIRE(c.run("t1", bl_act(id, pb::BL_TRANSFER_OWNERS, "t2", "t2")).ok());
  CHECK(of("t1") == just);
  CHECK(of("t2") == just);
  REQUIRE(c.run("t2", bl_act(id, pb::BL_TRANSFER_HOLDER, "", "t3")).ok());
  CHECK(of("t1") == none);
  CHECK(of("t3") == just);
  REQUIRE(c.run("t2", bl_act(id, pb::BL_NOMINATE, "t4")).ok());  // a nominee has a part
  CHECK(of("t4") == just);
  REQUIRE(c.run("t3", bl_act(id, pb::BL_ENDORSE, "t4")).ok());
  CHECK(of("t2") == just);  // previous owner
  REQUIRE(c.run("t3", bl_act(id, pb::BL_TRANSFER_HOLDER, "", "t4")).ok());
  CHECK(of("t2") == none);
  CHECK(of("t3") == just);  // previous holder
  REQUIRE(c.run("t4", bl_act(id, pb::BL_SURRENDER)).ok());
  // Surrendered: the carrier may still reject and restore it to t4.
  CHECK(of("t3") == none);
  CHECK(of("t4") == just);
  CHECK(of("carrier") == just);
  REQUIRE(c.run("carrier", bl_act(id, pb::BL_ACCEPT_SURRENDER)).ok());
  CHECK(of("t4") == none);
  CHECK(of("carrier") == none);
  // The index is in the authenticated state, under the documented key.
  REQUIRE(c.run("carrier", issue_bl(h("bl-index-2"), "t5", "t5")).ok());
  auto v = c.state().get(contracts::bill_party_key("t5", h("bl-index-2")));
  REQUIRE(v.ok());
  CHECK(v->has_value());
  CHECK(contracts::bill_party_key("t5", h("bl-index-2")) == "blm/t5/" + to_hex(h("bl-index-2")));
}
