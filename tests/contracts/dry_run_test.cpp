// contracts::dry_run: the answer the wallet gets before it sends. It must be the answer the chain
// gives, and it must leave the state (and so the sender's nonce) as it was.
#include "contracts/dry_run.h"
#include "contracts/records.h"
#include "harness.h"

using namespace docket;
using namespace docket::test;
using contracts::Reason;

namespace {

// The dry run of t on the chain's committed state; nullopt = it would be applied.
std::optional<contracts::Rejection> dry(Chain& c, const contracts::ContractTx& t) {
  auto r = contracts::dry_run(c.state(), c.height(), 1700000000000 + 1000 * c.height(), t);
  REQUIRE(r.ok());
  return *r;
}

uint64_t account_nonce(Chain& c, const std::string& who) {
  auto a = contracts::account(c.state(), key_for(who).public_key());
  REQUIRE(a.ok());
  REQUIRE(a->has_value());
  return (*a)->account.nonce();
}

}  // namespace

TEST_CASE("dry run: a bill endorsed by a non-holder is refused with the chain's code, nothing changes") {
  Chain c;
  const Hash32 id = h("bl-1");
  REQUIRE(c.run("carrier", issue_bl(id, "t1", "t1")).ok());
  const Hash32 root = c.roots().back();
  const uint64_t height = c.height();

  auto t = c.tx("t2", bl_act(id, pb::BL_ENDORSE, "t3"));
  auto refused = dry(c, t);
  REQUIRE(refused);
  CHECK(refused->reason == Reason::not_holder);
  CHECK_FALSE(refused->message.empty());
  // Nothing was written: same height, same root, the sender's nonce unused.
  CHECK(c.height() == height);
  CHECK(c.roots().back() == root);
  CHECK(account_nonce(c, "t2") == 0);

  // Sent anyway, the chain refuses it with the same code (and then the nonce is spent).
  auto receipt = c.block({t}).at(0);
  CHECK(receipt.reason == refused->reason);
  CHECK(receipt.message == refused->message);
  CHECK(receipt.nonce_consumed);
  CHECK(account_nonce(c, "t2") == 1);
}

TEST_CASE("dry run: an action the rules allow is ok, and then applies") {
  Chain c;
  const Hash32 id = h("bl-2");
  REQUIRE(c.run("carrier", issue_bl(id, "t1", "t1")).ok());
  auto t = c.tx("t1", bl_act(id, pb::BL_ENDORSE, "t2"));
  CHECK_FALSE(dry(c, t));
  CHECK(account_nonce(c, "t1") == 0);
  CHECK(c.block({t}).at(0).ok());
  // The record moved on (t2 owns it now): the same action again is refused by the state, as the
  // chain would refuse it.
  c.set_nonce("t1", 1);
  auto again = c.tx("t1", bl_act(id, pb::BL_ENDORSE, "t2"));
  auto refused = dry(c, again);
  REQUIRE(refused);
  CHECK(refused->reason == Reason::invalid_party);
  CHECK(c.block({again}).at(0).reason == refused->reason);
}

TEST_CASE("dry run: admission refusals come first (role, nonce, expiry, sender)") {
  Chain c;
  auto t = c.tx("t1", issue_doc(h("a")));
  REQUIRE(dry(c, t));
  CHECK(dry(c, t)->reason == Reason::missing_role);
  REQUIRE(c.run("chamber", issue_doc(h("a"))).ok());
  c.set_nonce("chamber", 0);
  auto used = dry(c, c.tx("chamber", issue_doc(h("b"))));
  REQUIRE(used);
  CHECK(used->reason == Reason::bad_nonce);
  c.set_nonce("chamber", 1);
  auto late = c.tx("chamber", issue_doc(h("b")));
  late.expiry_height = c.height();
  REQUIRE(dry(c, late));
  CHECK(dry(c, late)->reason == Reason::expired);
  auto stranger = dry(c, c.tx("stranger", issue_doc(h("b"))));
  REQUIRE(stranger);
  CHECK(stranger->reason == Reason::unknown_sender);
}

TEST_CASE("dry run: a nonce ahead of the next one is judged on its operation") {
  Chain c;
  // Earlier transactions of the sender may still be pending: nonce 2 while the account is at 0.
  c.set_nonce("chamber", 2);
  CHECK_FALSE(dry(c, c.tx("chamber", issue_doc(h("a")))));
  c.set_nonce("chamber", 0);
  REQUIRE(c.run("chamber", issue_doc(h("a"))).ok());
  c.set_nonce("chamber", 3);
  auto dup = dry(c, c.tx("chamber", issue_doc(h("a"))));
  REQUIRE(dup);
  CHECK(dup->reason == Reason::already_exists);
  CHECK(account_nonce(c, "chamber") == 1);
}

TEST_CASE("dry run: governance is judged by the governance contract") {
  Chain c;
  auto t = c.tx("admin1", vote(42, true));
  auto r = dry(c, t);
  REQUIRE(r);
  CHECK(r->reason == c.block({t}).at(0).reason);
}
