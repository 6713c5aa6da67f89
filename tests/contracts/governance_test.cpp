#include "contracts/bill_parties.h"
#include "contracts/records.h"
#include "ledger/primitives/validator_limit.h"
#include "harness.h"

using namespace docket;
using namespace docket::test;
using contracts::Reason;

namespace {
pb::GovAction grant(const std::string& member, const std::string& role) {
  pb::GovAction a;
  a.mutable_grant_role()->set_member_id(member);
  a.mutable_grant_role()->set_role(role);
  return a;
}
pb::GovProposal proposal(Chain& c, uint64_t id) {
  auto ps = contracts::proposals(c.state(), c.height(), id, 1);
  REQUIRE(ps.ok());
  REQUIRE(ps->size() == 1);
  return ps->front();
}
bool has_role(Chain& c, const std::string& member, const std::string& role) {
  auto m = contracts::member(c.state(), member);
  REQUIRE(m.ok());
  REQUIRE(m->has_value());
  return contracts::has_role(**m, role);
}
}  // namespace

TEST_CASE("a proposal passes only with more than two thirds of the admins") {
  Chain c(4);  // 4 admins: 3 yes votes are needed (9 > 8), 2 are not (6 <= 8)
  auto r = c.run("admin1", propose(grant("t1", "issuer:certificate_of_origin")));
  REQUIRE(r.ok());
  CHECK(proposal(c, 0).status() == pb::PROPOSAL_OPEN);
  REQUIRE(c.run("admin2", vote(0, true)).ok());
  CHECK(proposal(c, 0).status() == pb::PROPOSAL_OPEN);
  CHECK_FALSE(has_role(c, "t1", "issuer:certificate_of_origin"));
  CHECK(c.run("admin2", vote(0, true)).reason == Reason::already_voted);
  auto passing = c.run("admin3", vote(0, true));
  REQUIRE(passing.ok());
  CHECK(proposal(c, 0).status() == pb::PROPOSAL_PASSED);
  CHECK(has_role(c, "t1", "issuer:certificate_of_origin"));
  std::vector<std::string> kinds;
  for (const auto& e : passing.events) kinds.push_back(e.kind());
  CHECK(kinds == std::vector<std::string>{"gov.voted", "gov.passed", "member.role_granted"});
  CHECK(c.run("admin4", vote(0, true)).reason == Reason::invalid_state);
  // The new issuer can now issue.
  CHECK(c.run("t1", issue_doc(h("doc"))).ok());
}

TEST_CASE("no votes do not count, and a proposal expires") {
  Chain c(4);
  REQUIRE(c.run("admin1", propose(grant("t1", "carrier"))).ok());
  REQUIRE(c.run("admin2", vote(0, false)).ok());
  REQUIRE(c.run("admin3", vote(0, true)).ok());
  CHECK(proposal(c, 0).status() == pb::PROPOSAL_OPEN);
  // proposal_ttl_blocks = 10: let it expire.
  uint64_t expiry = proposal(c, 0).expiry_height();
  while (c.height() < expiry) c.block({});
  CHECK(proposal(c, 0).status() == pb::PROPOSAL_OPEN);
  c.block({});
  CHECK(proposal(c, 0).status() == pb::PROPOSAL_EXPIRED);
  CHECK(c.run("admin4", vote(0, true)).reason == Reason::expired);
  CHECK_FALSE(has_role(c, "t1", "carrier"));
}

TEST_CASE("only admins propose and vote") {
  Chain c(4);
  CHECK(c.run("t1", propose(grant("t1", "admin"))).reason == Reason::missing_role);
  REQUIRE(c.run("admin1", propose(grant("t2", "carrier"))).ok());
  CHECK(c.run("t1", vote(0, true)).reason == Reason::missing_role);
  CHECK(c.run("admin1", vote(7, true)).reason == Reason::not_found);
  pb::GovAction bad = grant("t1", "emperor");
  CHECK(c.run("admin1", propose(bad)).reason == Reason::malformed);
}

TEST_CASE("membership actions through a single admin") {
  Chain c(1);  // one admin: its own proposal passes at once
  // Add a member.
  pb::GovAction add;
  auto* spec = add.mutable_add_member();
  spec->set_id("newco");
  spec->set_name("New Co Pte Ltd");
  spec->set_country("SG");
  spec->add_keys(field(key_for("newco").public_key()));
  spec->add_roles("trader");
  REQUIRE(c.run("admin1", propose(add)).ok());
  CHECK(proposal(c, 0).status() == pb::PROPOSAL_PASSED);
  auto acct = contracts::account(c.state(), key_for("newco").public_key());
  REQUIRE(acct.ok());
  REQUIRE(acct->has_value());
  CHECK((*acct)->member->id() == "newco");
  // Adding it again fails the proposal, not the vote.
  REQUIRE(c.run("admin1", propose(add)).ok());
  CHECK(proposal(c, 1).status() == pb::PROPOSAL_FAILED);
  CHECK(proposal(c, 1).outcome().starts_with("already_exists"));

  // Rotate its key: the old key can no longer send, the new one can.
  REQUIRE(c.run("newco", issue_bl(h("no-role"), "t1", "t1")).reason == Reason::missing_role);  // spends nonce 0
  pb::GovAction rot;
  rot.mutable_rotate_key()->set_member_id("newco");
  rot.mutable_rotate_key()->set_old_key(field(key_for("newco").public_key()));
  rot.mutable_rotate_key()->set_new_key(field(key_for("newco-2").public_key()));
  REQUIRE(c.run("admin1", propose(rot)).ok());
  CHECK(proposal(c, 2).status() == pb::PROPOSAL_PASSED);
  CHECK(c.run("newco", issue_doc(h("z"))).reason == Reason::unknown_sender);
  auto old_acct = contracts::account(c.state(), key_for("newco").public_key());
  CHECK((*old_acct)->account.nonce() == 1);  // the nonce survives, so old transactions stay spent
  CHECK_FALSE((*old_acct)->member.has_value());
  CHECK(c.run("newco-2", issue_bl(h("no-role"), "t1", "t1")).reason == Reason::missing_role);

  // Remove it.
  pb::GovAction rm;
  rm.mutable_remove_member()->set_member_id("newco");
  REQUIRE(c.run("admin1", propose(rm)).ok());
  CHECK_FALSE(contracts::member(c.state(), "newco")->has_value());
  CHECK(c.run("newco-2", issue_doc(h("z"))).reason == Reason::unknown_sender);

  // The last admin cannot go.
  pb::GovAction rm_admin;
  rm_admin.mutable_revoke_role()->set_member_id("admin1");
  rm_admin.mutable_revoke_role()->set_role("admin");
  REQUIRE(c.run("admin1", propose(rm_admin)).ok());
  CHECK(proposal(c, 4).status() == pb::PROPOSAL_FAILED);
  CHECK(has_role(c, "admin1", "admin"));

  // Parameters.
  pb::GovAction param;
  param.mutable_change_param()->set_name("proposal_ttl_blocks");
  param.mutable_change_param()->set_value(50);
  REQUIRE(c.run("admin1", propose(param)).ok());
  CHECK(contracts::params(c.state())->proposal_ttl_blocks() == 50);
  param.mutable_change_param()->set_name("block_size");
  CHECK(c.run("admin1", propose(param)).reason == Reason::malformed);
}

TEST_CASE("validator changes are reported by the block that makes them") {
  Chain c(1);
  pb::GovAction add;
  add.mutable_add_validator()->set_member_id("v2");
  add.mutable_add_validator()->set_node_key(field(key_for("node-v2").public_key()));
  REQUIRE(c.run("admin1", propose(add)).ok());
  REQUIRE(c.last_validator_change());
  REQUIRE(c.last_validator_change()->validators_size() == 2);
  CHECK(c.last_validator_change()->validators(1).member_id() == "v2");
  CHECK(c.last_validator_change()->changed_height() == c.height());
  c.block({});
  CHECK_FALSE(c.last_validator_change());

  // A member without the validator role cannot run one.
  add.mutable_add_validator()->set_member_id("t1");
  add.mutable_add_validator()->set_node_key(field(key_for("node-t1").public_key()));
  REQUIRE(c.run("admin1", propose(add)).ok());
  CHECK(proposal(c, 1).status() == pb::PROPOSAL_FAILED);
  CHECK_FALSE(c.last_validator_change());

  // A validator's member cannot lose the role while it runs one.
  pb::GovAction revoke;
  revoke.mutable_revoke_role()->set_member_id("v2");
  revoke.mutable_revoke_role()->set_role("validator");
  REQUIRE(c.run("admin1", propose(revoke)).ok());
  CHECK(proposal(c, 2).status() == pb::PROPOSAL_FAILED);

  pb::GovAction rm;
  rm.mutable_remove_validator()->set_node_key(field(key_for("node-v1").public_key()));
  REQUIRE(c.run("admin1", propose(rm)).ok());
  REQUIRE(c.last_validator_change());
  CHECK(c.last_validator_change()->validators_size() == 1);
  CHECK(contracts::validators(c.state())->validators(0).member_id() == "v2");
  // Not the last one.
  rm.mutable_remove_validator()->set_node_key(field(key_for("node-v2").public_key()));
  REQUIRE(c.run("admin1", propose(rm)).ok());
  CHECK(proposal(c, 4).status() == pb::PROPOSAL_FAILED);
}

namespace {
pb::GovAction remove_member(const std::string& member, const std::string& successor = "") {
  pb::GovAction a;
  a.mutable_remove_member()->set_member_id(member);
  a.mutable_remove_member()->set_successor(successor);
  return a;
}
pb::BillOfLading bill(Chain& c, const Hash32& id) {
  auto b = contracts::bill_of_lading(c.state(), id);
  REQUIRE(b.ok());
  REQUIRE(b->has_value());
  return **b;
}
pb::HistoryEntry last_event(Chain& c, const Hash32& bill_id) {
  auto hist = c.exec().history().history(contracts::bill_key(bill_id), c.height(), 1000);
  REQUIRE(hist.ok());
  REQUIRE_FALSE(hist->empty());
  return hist->back();
}
std::string attr(const pb::Event& e, const std::string& name) {
  for (const auto& f : e.attributes())
    if (f.name() == name) return f.value();
  FAIL("event " << e.kind() << " has no attribute " << name);
  return "";
}
bool is_member(Chain& c, const std::string& id) {
  auto m = contracts::member(c.state(), id);
  REQUIRE(m.ok());
  return m->has_value();
}
void accomplish(Chain& c, const Hash32& id, const std::string& party) {
  REQUIRE(c.run(party, bl_act(id, pb::BL_SURRENDER)).ok());
  REQUIRE(c.run("carrier", bl_act(id, pb::BL_ACCEPT_SURRENDER)).ok());
}
}  // namespace

TEST_CASE("removing a party to a bill not yet accomplished is refused, naming the bills") {
  Chain c(1);
  const Hash32 b1 = h("rm-b1"), b2 = h("rm-b2"), done = h("rm-done"), surrendered = h("rm-surr");
  REQUIRE(c.run("carrier", issue_bl(b1, "t1", "t1")).ok());
  REQUIRE(c.run("carrier", issue_bl(b2, "t2", "t1")).ok());
  REQUIRE(c.run("carrier", issue_bl(done, "t1", "t1")).ok());
  accomplish(c, done, "t1");
  auto r = c.run("admin1", propose(remove_member("t1")));
  CHECK(r.reason == Reason::invalid_state);
  CHECK(r.message.find(to_hex(b1)) != std::string::npos);
  CHECK(r.message.find(to_hex(b2)) != std::string::npos);
  CHECK(r.message.find(to_hex(done)) == std::string::npos);  // accomplished bills are out of reach
  CHECK(r.message.find("(2 bills)") != std::string::npos);
  CHECK(is_member(c, "t1"));
  // The carrier of a bill is a party too.
  CHECK(c.run("admin1", propose(remove_member("carrier"))).reason == Reason::invalid_state);
  // A surrendered bill still binds: the carrier may reject the surrender and restore it.
  REQUIRE(c.run("carrier", issue_bl(surrendered, "t3", "t3")).ok());
  REQUIRE(c.run("t3", bl_act(surrendered, pb::BL_SURRENDER)).ok());
  CHECK(c.run("admin1", propose(remove_member("t3"))).reason == Reason::invalid_state);
  // Only accomplished bills: the member may go.
  REQUIRE(c.run("carrier", issue_bl(h("rm-t4"), "t4", "t4")).ok());
  accomplish(c, h("rm-t4"), "t4");
  REQUIRE(c.run("admin1", propose(remove_member("t4"))).ok());
  CHECK_FALSE(is_member(c, "t4"));
}

TEST_CASE("a removal that became a title problem before it passed fails the proposal") {
  Chain c(4);
  REQUIRE(c.run("admin1", propose(remove_member("t4"))).ok());  // t4 has no bill yet
  REQUIRE(c.run("carrier", issue_bl(h("late"), "t4", "t4")).ok());
  REQUIRE(c.run("admin2", vote(0, true)).ok());
  REQUIRE(c.run("admin3", vote(0, true)).ok());
  CHECK(proposal(c, 0).status() == pb::PROPOSAL_FAILED);
  CHECK(proposal(c, 0).outcome().starts_with("invalid_state: "));
  CHECK(is_member(c, "t4"));
  CHECK(bill(c, h("late")).owner() == "t4");
}

TEST_CASE("a successor takes over every part of the removed member, recorded in each bill's history") {
  Chain c(1);
  const Hash32 b1 = h("s-b1"), b2 = h("s-b2"), b3 = h("s-b3");
  REQUIRE(c.run("carrier", issue_bl(b1, "t1", "t1")).ok());
  REQUIRE(c.run("t1", bl_act(b1, pb::BL_TRANSFER_OWNERS, "t2", "t2")).ok());  // t1: previous owner and holder
  REQUIRE(c.run("carrier", issue_bl(b2, "t1", "t3")).ok());
  REQUIRE(c.run("t1", bl_act(b2, pb::BL_NOMINATE, "t4")).ok());  // t1: owner
  REQUIRE(c.run("carrier", issue_bl(b3, "t2", "t3")).ok());
  REQUIRE(c.run("t2", bl_act(b3, pb::BL_NOMINATE, "t1")).ok());  // t1: nominee

  // Bad successors are refused when proposed.
  CHECK(c.run("admin1", propose(remove_member("t1", "nobody"))).reason == Reason::invalid_party);
  CHECK(c.run("admin1", propose(remove_member("t1", "customs"))).reason == Reason::invalid_party);  // not a trader
  CHECK(c.run("admin1", propose(remove_member("t1", "t1"))).reason == Reason::malformed);
  CHECK(c.run("admin1", propose(remove_member("t1", "Bad Id"))).reason == Reason::malformed);

  REQUIRE(c.run("admin1", propose(remove_member("t1", "t5"))).ok());
  const uint64_t pid = 0;  // the refused proposals took no id
  CHECK(proposal(c, pid).status() == pb::PROPOSAL_PASSED);
  CHECK_FALSE(is_member(c, "t1"));

  pb::BillOfLading x = bill(c, b1);
  CHECK(x.owner() == "t2");
  CHECK(x.holder() == "t2");
  CHECK(x.prev_owner() == "t5");
  CHECK(x.prev_holder() == "t5");
  x = bill(c, b2);
  CHECK(x.owner() == "t5");
  CHECK(x.holder() == "t3");
  CHECK(x.nominee() == "t4");
  CHECK(bill(c, b3).nominee() == "t5");

  const std::vector<std::pair<Hash32, std::string>> expect{
      {b1, "previous_owner,previous_holder"}, {b2, "owner"}, {b3, "nominee"}};
  for (const auto& [id, parts] : expect) {
    const pb::HistoryEntry e = last_event(c, id);
    CHECK(e.event().kind() == "bl.party_succeeded");
    CHECK(attr(e.event(), "from") == "t1");
    CHECK(attr(e.event(), "to") == "t5");
    CHECK(attr(e.event(), "parts") == parts);
    CHECK(attr(e.event(), "proposal") == std::to_string(pid));
    CHECK(e.sender_member() == "admin1");
  }
  auto t1_bills = contracts::bills_of_member(c.state(), "t1");
  REQUIRE(t1_bills.ok());
  CHECK(t1_bills->empty());
  CHECK(contracts::bills_of_member(c.state(), "t5")->size() == 3);

  // The successor stands where t1 stood: t2 rejects the transfer and the bill returns to t5.
  REQUIRE(c.run("t2", bl_act(b1, pb::BL_REJECT_OWNERS)).ok());
  CHECK(bill(c, b1).owner() == "t5");
  CHECK(c.run("t5", bl_act(b2, pb::BL_NOMINATE, "t2")).ok());
  CHECK(c.run("t3", bl_act(b3, pb::BL_ENDORSE, "t5")).ok());
  CHECK(bill(c, b3).owner() == "t5");
}

TEST_CASE("a carrier's successor needs role carrier, and an invalid successor at execution fails the proposal") {
  Chain c(4);
  const Hash32 id = h("carried");
  REQUIRE(c.run("carrier", issue_bl(id, "t1", "t1")).ok());
  CHECK(c.run("admin1", propose(remove_member("carrier", "t5"))).reason == Reason::invalid_party);

  // Proposed with a valid successor, which loses its role before the proposal passes.
  REQUIRE(c.run("admin1", propose(remove_member("carrier", "carrier2"))).ok());  // proposal 0
  REQUIRE(c.run("admin1", propose([] {
                  pb::GovAction a;
                  a.mutable_revoke_role()->set_member_id("carrier2");
                  a.mutable_revoke_role()->set_role("carrier");
                  return a;
                }())).ok());  // proposal 1
  REQUIRE(c.run("admin2", vote(1, true)).ok());
  REQUIRE(c.run("admin3", vote(1, true)).ok());
  REQUIRE(proposal(c, 1).status() == pb::PROPOSAL_PASSED);
  REQUIRE(c.run("admin2", vote(0, true)).ok());
  REQUIRE(c.run("admin3", vote(0, true)).ok());
  CHECK(proposal(c, 0).status() == pb::PROPOSAL_FAILED);
  CHECK(proposal(c, 0).outcome().starts_with("invalid_party: "));
  CHECK(is_member(c, "carrier"));
  CHECK(bill(c, id).carrier() == "carrier");
  CHECK_FALSE(contracts::removed_member(c.state(), "carrier")->has_value());

  // With the role back, the successor takes over and can decide the surrender.
  REQUIRE(c.run("admin1", propose(grant("carrier2", "carrier"))).ok());  // proposal 2
  REQUIRE(c.run("admin2", vote(2, true)).ok());
  REQUIRE(c.run("admin3", vote(2, true)).ok());
  REQUIRE(c.run("admin1", propose(remove_member("carrier", "carrier2"))).ok());  // proposal 3
  REQUIRE(c.run("admin2", vote(3, true)).ok());
  REQUIRE(c.run("admin3", vote(3, true)).ok());
  REQUIRE(proposal(c, 3).status() == pb::PROPOSAL_PASSED);
  CHECK(bill(c, id).carrier() == "carrier2");
  CHECK(attr(last_event(c, id).event(), "parts") == "carrier");
  REQUIRE(c.run("t1", bl_act(id, pb::BL_SURRENDER)).ok());
  CHECK(c.run("carrier2", bl_act(id, pb::BL_ACCEPT_SURRENDER)).ok());
  CHECK(bill(c, id).status() == pb::BL_ACCOMPLISHED);
}

TEST_CASE("a removed member leaves a tombstone, and its id is never admitted again") {
  Chain c(4);
  pb::GovAction add;
  auto* spec = add.mutable_add_member();
  spec->set_id("t5");
  spec->set_name("Another Org");
  spec->set_country("NL");
  spec->add_keys(field(key_for("t5-new").public_key()));
  spec->add_roles("trader");

  REQUIRE(c.run("admin1", propose(remove_member("t5", "t4"))).ok());  // proposal 0
  REQUIRE(c.run("admin1", propose(add)).ok());                       // proposal 1: t5 is still a member
  REQUIRE(c.run("admin2", vote(0, true)).ok());
  REQUIRE(c.run("admin3", vote(0, true)).ok());
  REQUIRE(proposal(c, 0).status() == pb::PROPOSAL_PASSED);
  const uint64_t removed_at = c.height();

  auto tomb = contracts::removed_member(c.state(), "t5");
  REQUIRE(tomb.ok());
  REQUIRE(tomb->has_value());
  CHECK((*tomb)->id() == "t5");
  CHECK((*tomb)->name() == "Org t5");
  CHECK((*tomb)->country() == "SG");
  CHECK((*tomb)->removed_height() == removed_at);
  CHECK((*tomb)->removed_time_ms() == 1700000000000 + 1000 * removed_at);
  CHECK((*tomb)->successor() == "t4");
  CHECK((*tomb)->proposal_id() == 0);
  CHECK_FALSE(contracts::removed_member(c.state(), "t4")->has_value());

  // The add proposal made before the removal fails when it passes...
  REQUIRE(c.run("admin2", vote(1, true)).ok());
  REQUIRE(c.run("admin3", vote(1, true)).ok());
  CHECK(proposal(c, 1).status() == pb::PROPOSAL_FAILED);
  CHECK(proposal(c, 1).outcome() ==
        "already_exists: member id t5 was removed at height " + std::to_string(removed_at) + "; ids are never reused");
  // ...and a new one is refused at once.
  auto r = c.run("admin1", propose(add));
  CHECK(r.reason == Reason::already_exists);
  CHECK(r.message.find("was removed at height " + std::to_string(removed_at)) != std::string::npos);
  CHECK_FALSE(is_member(c, "t5"));
  // Removing it again: it is no member.
  CHECK(c.run("admin1", propose(remove_member("t5"))).reason == Reason::not_found);
}

TEST_CASE("rotating the key of a bill's party is recorded in the bill's history") {
  Chain c(1);
  const Hash32 b1 = h("k-b1"), b2 = h("k-b2"), other = h("k-other");
  REQUIRE(c.run("carrier", issue_bl(b1, "t1", "t1")).ok());
  REQUIRE(c.run("carrier", issue_bl(b2, "t2", "t1")).ok());
  REQUIRE(c.run("carrier", issue_bl(other, "t2", "t2")).ok());
  pb::GovAction rot;
  rot.mutable_rotate_key()->set_member_id("t1");
  rot.mutable_rotate_key()->set_old_key(field(key_for("t1").public_key()));
  rot.mutable_rotate_key()->set_new_key(field(key_for("t1-rotated").public_key()));
  REQUIRE(c.run("admin1", propose(rot)).ok());
  REQUIRE(proposal(c, 0).status() == pb::PROPOSAL_PASSED);
  for (const Hash32& id : {b1, b2}) {
    const pb::HistoryEntry e = last_event(c, id);
    CHECK(e.event().kind() == "bl.party_key_rotated");
    CHECK(attr(e.event(), "member") == "t1");
    CHECK(attr(e.event(), "old_key") == to_hex(key_for("t1").public_key()));
    CHECK(attr(e.event(), "new_key") == to_hex(key_for("t1-rotated").public_key()));
    CHECK(attr(e.event(), "proposal") == "0");
  }
  CHECK(last_event(c, other).event().kind() == "bl.issued");
  // The bill follows the member, not the key.
  CHECK(c.run("t1", bl_act(b1, pb::BL_TRANSFER_HOLDER, "", "t3")).reason == Reason::unknown_sender);
  CHECK(c.run("t1-rotated", bl_act(b1, pb::BL_TRANSFER_HOLDER, "", "t3")).ok());
}

namespace {
// One admin and n members with role validator, each running one validator.
std::string genesis_with_validators(size_t n) {
  std::string members = R"({"id":"admin1","name":"Org admin1","country":"SG","keys":[")" +
                        to_hex(key_for("admin1").public_key()) + R"("],"roles":["admin"]})";
  std::string validators;
  for (size_t i = 0; i <= n; ++i) {  // one spare validator member, vx, runs none
    const std::string id = i < n ? "v" + std::to_string(i) : "vx";
    members += R"(,{"id":")" + id + R"(","name":"Org )" + id + R"(","country":"SG","keys":[")" +
               to_hex(key_for(id).public_key()) + R"("],"roles":["validator"]})";
    if (i == n) break;
    if (!validators.empty()) validators += ",";
    validators += R"({"member":")" + id + R"(","node_key":")" + to_hex(key_for("node-" + id).public_key()) + R"("})";
  }
  return R"({"chain_id":"docket-test","genesis_time_ms":1700000000000,"members":[)" + members +
         R"(],"validators":[)" + validators +
         R"(],"params":{"proposal_ttl_blocks":10,"max_tx_ttl_blocks":100,"max_members":200}})";
}
}  // namespace

TEST_CASE("the validator set never grows past what blocks and certificates can carry") {
  const size_t max = primitives::kMaxValidators;
  auto too_many = contracts::parse_genesis(genesis_with_validators(max + 1));
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.error().code == Errc::invalid_argument);
  CHECK(too_many.error().message.find("at most " + std::to_string(max) + " validators") != std::string::npos);

  Chain c(genesis_with_validators(max));
  REQUIRE(contracts::validators(c.state())->validators_size() == static_cast<int>(max));
  pb::GovAction add;
  add.mutable_add_validator()->set_member_id("vx");
  add.mutable_add_validator()->set_node_key(field(key_for("node-vx").public_key()));
  REQUIRE(c.run("admin1", propose(add)).ok());
  CHECK(proposal(c, 0).status() == pb::PROPOSAL_FAILED);
  CHECK(proposal(c, 0).outcome().starts_with("limit_reached: "));
  CHECK_FALSE(c.last_validator_change());
  // After one leaves, one may join.
  pb::GovAction rm;
  rm.mutable_remove_validator()->set_node_key(field(key_for("node-v0").public_key()));
  REQUIRE(c.run("admin1", propose(rm)).ok());
  REQUIRE(c.run("admin1", propose(add)).ok());
  CHECK(proposal(c, 2).status() == pb::PROPOSAL_PASSED);
  CHECK(contracts::validators(c.state())->validators_size() == static_cast<int>(max));
}
