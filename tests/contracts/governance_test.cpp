#include "contracts/records.h"
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
