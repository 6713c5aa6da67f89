// The whole bill-of-lading transition table: every action, from every state, by every kind of caller,
// with valid and invalid targets, checked against a reference model of the rules in docs/contracts.md
// (reason and resulting owner / holder / nominee / previous parties / status). Then a long random walk
// against the same model.
#include <random>
#include <set>

#include "contracts/executor.h"
#include "contracts/records.h"
#include "harness.h"

using namespace docket;
using namespace docket::test;
using contracts::Reason;

namespace {

const std::set<std::string> kTraders{"t1", "t2", "t3", "t4", "t5"};
const std::set<std::string> kMembers{"admin1", "admin2", "admin3", "admin4", "chamber", "carrier", "carrier2",
                                     "t1", "t2", "t3", "t4", "t5", "customs", "v1", "v2"};

struct Model {
  std::string owner, holder, nominee, prev_owner, prev_holder;
  pb::BlStatus status = pb::BL_ACTIVE;
  pb::BlType type = pb::BL_NEGOTIABLE;
  bool operator==(const Model&) const = default;
};

Model from_record(const pb::BillOfLading& b) {
  return {b.owner(), b.holder(), b.nominee(), b.prev_owner(), b.prev_holder(), b.status(), b.bl_type()};
}

std::string describe(const Model& m) {
  return "owner=" + m.owner + " holder=" + m.holder + " nominee=" + m.nominee + " prev_owner=" + m.prev_owner +
         " prev_holder=" + m.prev_holder + " status=" + pb::BlStatus_Name(m.status) + " type=" + pb::BlType_Name(m.type);
}

struct Expect {
  Reason reason;
  Model next;
};

// The rules, as docs/contracts.md states them, checked in the documented order:
// sender, status, caller, role, bill type, targets, action preconditions.
Expect step(Model m, pb::BlActionKind a, const std::string& caller, const std::string& new_owner,
            const std::string& new_holder) {
  const Model before = m;
  auto no = [&](Reason r) { return Expect{r, before}; };
  if (!kMembers.count(caller)) return no(Reason::unknown_sender);
  const bool carrier_action = a == pb::BL_ACCEPT_SURRENDER || a == pb::BL_REJECT_SURRENDER;
  if (m.status == pb::BL_ACCOMPLISHED) return no(Reason::invalid_state);
  if (m.status == pb::BL_SURRENDERED) {
    if (!carrier_action) return no(Reason::invalid_state);
    if (caller != "carrier") return no(Reason::not_carrier);
    m.status = a == pb::BL_ACCEPT_SURRENDER ? pb::BL_ACCOMPLISHED : pb::BL_ACTIVE;
    return {Reason::ok, m};
  }
  if (carrier_action) return no(Reason::invalid_state);

  const bool owner = caller == m.owner, holder = caller == m.holder;
  if ((a == pb::BL_NOMINATE || a == pb::BL_REJECT_OWNER) && !owner) return no(Reason::not_owner);
  if ((a == pb::BL_TRANSFER_HOLDER || a == pb::BL_ENDORSE || a == pb::BL_TRANSFER_OWNERS || a == pb::BL_REJECT_HOLDER) &&
      !holder)
    return no(Reason::not_holder);
  if ((a == pb::BL_REJECT_OWNERS || a == pb::BL_SURRENDER) && !(owner && holder)) return no(Reason::not_owner_and_holder);
  if (!kTraders.count(caller)) return no(Reason::missing_role);

  const bool title = a == pb::BL_NOMINATE || a == pb::BL_ENDORSE || a == pb::BL_TRANSFER_OWNERS;
  if (title && m.type != pb::BL_NEGOTIABLE) return no(Reason::not_negotiable);
  if (title && (!kTraders.count(new_owner) || new_owner == m.owner)) return no(Reason::invalid_party);
  if ((a == pb::BL_TRANSFER_HOLDER || a == pb::BL_TRANSFER_OWNERS) && (!kTraders.count(new_holder) || new_holder == m.holder))
    return no(Reason::invalid_party);

  switch (a) {
    case pb::BL_NOMINATE:
      if (new_owner == m.nominee) return no(Reason::invalid_party);
      m.nominee = new_owner;
      m.prev_owner.clear();
      m.prev_holder.clear();
      break;
    case pb::BL_TRANSFER_HOLDER:
      m.prev_holder = m.holder;
      m.holder = new_holder;
      m.prev_owner.clear();
      break;
    case pb::BL_ENDORSE:
    case pb::BL_TRANSFER_OWNERS:
      if (m.owner != m.holder && new_owner != m.nominee) return no(Reason::not_nominee);
      m.prev_owner = m.owner;
      m.owner = new_owner;
      m.nominee.clear();
      m.prev_holder = a == pb::BL_TRANSFER_OWNERS ? m.holder : "";
      if (a == pb::BL_TRANSFER_OWNERS) m.holder = new_holder;
      break;
    case pb::BL_REJECT_HOLDER:
      if (m.prev_holder.empty()) return no(Reason::nothing_to_reject);
      if (!m.prev_owner.empty()) return no(Reason::reject_both_required);
      m.holder = m.prev_holder;
      m.prev_holder.clear();
      break;
    case pb::BL_REJECT_OWNER:
      if (m.prev_owner.empty()) return no(Reason::nothing_to_reject);
      if (!m.prev_holder.empty()) return no(Reason::reject_both_required);
      m.owner = m.prev_owner;
      m.prev_owner.clear();
      m.nominee.clear();
      break;
    case pb::BL_REJECT_OWNERS:
      if (m.prev_owner.empty() || m.prev_holder.empty()) return no(Reason::nothing_to_reject);
      m.owner = m.prev_owner;
      m.holder = m.prev_holder;
      m.prev_owner.clear();
      m.prev_holder.clear();
      m.nominee.clear();
      break;
    case pb::BL_SURRENDER:
      m.status = pb::BL_SURRENDERED;
      m.nominee.clear();
      m.prev_owner.clear();
      m.prev_holder.clear();
      break;
    default:
      break;
  }
  return {Reason::ok, m};
}

const pb::BlActionKind kActions[] = {pb::BL_NOMINATE,        pb::BL_TRANSFER_HOLDER, pb::BL_ENDORSE,
                                     pb::BL_TRANSFER_OWNERS, pb::BL_REJECT_HOLDER,   pb::BL_REJECT_OWNER,
                                     pb::BL_REJECT_OWNERS,   pb::BL_SURRENDER,       pb::BL_ACCEPT_SURRENDER,
                                     pb::BL_REJECT_SURRENDER};

bool uses_owner(pb::BlActionKind a) { return a == pb::BL_NOMINATE || a == pb::BL_ENDORSE || a == pb::BL_TRANSFER_OWNERS; }
bool uses_holder(pb::BlActionKind a) { return a == pb::BL_TRANSFER_HOLDER || a == pb::BL_TRANSFER_OWNERS; }

struct Setup {
  std::string name;
  std::string owner, holder;
  pb::BlType type;
  std::vector<std::pair<std::string, pb::TxBody>> steps;  // (caller, action) after issue
};

Hash32 kId = h("table-bill");

std::vector<Setup> setups() {
  using S = std::vector<std::pair<std::string, pb::TxBody>>;
  return {
      {"owner is holder", "t1", "t1", pb::BL_NEGOTIABLE, {}},
      {"owner differs from holder", "t1", "t2", pb::BL_NEGOTIABLE, {}},
      {"owner nominated", "t1", "t2", pb::BL_NEGOTIABLE, S{{"t1", bl_act(kId, pb::BL_NOMINATE, "t3")}}},
      {"right after a holder transfer", "t1", "t2", pb::BL_NEGOTIABLE, S{{"t2", bl_act(kId, pb::BL_TRANSFER_HOLDER, "", "t3")}}},
      {"right after a holder transfer to the owner", "t1", "t2", pb::BL_NEGOTIABLE,
       S{{"t2", bl_act(kId, pb::BL_TRANSFER_HOLDER, "", "t1")}}},
      {"right after an endorsement", "t1", "t1", pb::BL_NEGOTIABLE, S{{"t1", bl_act(kId, pb::BL_ENDORSE, "t3")}}},
      {"right after a transfer of both", "t1", "t1", pb::BL_NEGOTIABLE,
       S{{"t1", bl_act(kId, pb::BL_TRANSFER_OWNERS, "t3", "t3")}}},
      {"after a rejection", "t1", "t2", pb::BL_NEGOTIABLE,
       S{{"t2", bl_act(kId, pb::BL_TRANSFER_HOLDER, "", "t3")}, {"t3", bl_act(kId, pb::BL_REJECT_HOLDER)}}},
      {"surrendered", "t1", "t1", pb::BL_NEGOTIABLE, S{{"t1", bl_act(kId, pb::BL_SURRENDER)}}},
      {"accomplished", "t1", "t1", pb::BL_NEGOTIABLE,
       S{{"t1", bl_act(kId, pb::BL_SURRENDER)}, {"carrier", bl_act(kId, pb::BL_ACCEPT_SURRENDER)}}},
      {"surrender rejected", "t1", "t1", pb::BL_NEGOTIABLE,
       S{{"t1", bl_act(kId, pb::BL_SURRENDER)}, {"carrier", bl_act(kId, pb::BL_REJECT_SURRENDER)}}},
      {"straight, owner is holder", "t1", "t1", pb::BL_STRAIGHT, {}},
      {"straight, after a holder transfer", "t1", "t1", pb::BL_STRAIGHT,
       S{{"t1", bl_act(kId, pb::BL_TRANSFER_HOLDER, "", "t2")}}},
      {"sea waybill, owner differs from holder", "t1", "t2", pb::BL_SEA_WAYBILL, {}},
  };
}

// Kinds of caller, resolved against the bill's current parties.
std::vector<std::pair<std::string, std::string>> callers(const Model& m) {
  std::vector<std::pair<std::string, std::string>> out{
      {"owner", m.owner}, {"holder", m.holder}, {"issuing carrier", "carrier"}, {"another carrier", "carrier2"},
      {"unrelated trader", "t5"}, {"member without trader role", "customs"}, {"admin", "admin1"},
      {"key of no member", "stranger"}};
  if (!m.nominee.empty()) out.emplace_back("nominee", m.nominee);
  if (!m.prev_owner.empty()) out.emplace_back("previous owner", m.prev_owner);
  if (!m.prev_holder.empty()) out.emplace_back("previous holder", m.prev_holder);
  return out;
}

// Targets for actions naming a new owner / holder: a fresh trader, the nominee, the current party,
// a member without the trader role, and someone who is not a member.
std::vector<std::string> targets(const Model& m) {
  std::vector<std::string> out{"t4", m.owner, m.holder, "customs", "nobody"};
  if (!m.nominee.empty()) out.push_back(m.nominee);
  return out;
}

struct Probe {
  contracts::TxReceipt receipt;
  Model after;
};

// Executes one transaction on the committed state without committing it.
Probe probe(Chain& c, const std::string& caller, pb::TxBody body) {
  auto tx = c.tx(caller, std::move(body));
  auto reader = c.state();
  auto out = contracts::execute_block(reader, {c.height() + 1, 0}, std::span(&tx, 1));
  REQUIRE(out.ok());
  contracts::StateOverlay after(reader);
  after.apply(out->writes);
  auto b = contracts::bill_of_lading(after, kId);
  REQUIRE(b.ok());
  REQUIRE(b->has_value());
  return {out->receipts.at(0), from_record(**b)};
}

}  // namespace

TEST_CASE("bill of lading transition table: every action x state x caller x target") {
  size_t cases = 0, allowed = 0;
  for (const auto& s : setups()) {
    Chain c;
    REQUIRE(c.run("carrier", issue_bl(kId, s.owner, s.holder, s.type)).ok());
    for (const auto& [who, body] : s.steps) REQUIRE(c.run(who, body).ok());
    const Model m = from_record(**contracts::bill_of_lading(c.state(), kId));

    for (auto action : kActions) {
      for (const auto& [kind, caller] : callers(m)) {
        std::vector<std::pair<std::string, std::string>> args;
        if (uses_owner(action) && uses_holder(action)) {
          for (const auto& o : targets(m))
            for (const auto& hd : targets(m)) args.emplace_back(o, hd);
        } else if (uses_owner(action)) {
          for (const auto& o : targets(m)) args.emplace_back(o, "");
        } else if (uses_holder(action)) {
          for (const auto& hd : targets(m)) args.emplace_back("", hd);
        } else {
          args.emplace_back("", "");
        }
        for (const auto& [no, nh] : args) {
          Expect want = step(m, action, caller, no, nh);
          Probe got = probe(c, caller, bl_act(kId, action, no, nh));
          INFO("state: " << s.name << " [" << describe(m) << "]");
          INFO("action " << pb::BlActionKind_Name(action) << " by " << kind << " (" << caller << ") new_owner=" << no
                         << " new_holder=" << nh);
          INFO("got " << contracts::reason_name(got.receipt.reason) << ": " << got.receipt.message);
          CHECK(got.receipt.reason == want.reason);
          CHECK(got.after == want.next);
          // Exactly one holder and one owner at all times.
          CHECK(!got.after.holder.empty());
          CHECK(!got.after.owner.empty());
          ++cases;
          if (want.reason == Reason::ok) ++allowed;
        }
      }
    }
  }
  CHECK(cases > 3000);
  CHECK(allowed > 50);
}

TEST_CASE("bill of lading random walk matches the model") {
  Chain c;
  std::mt19937_64 rng(7);
  REQUIRE(c.run("carrier", issue_bl(kId, "t1", "t2")).ok());
  Model m = from_record(**contracts::bill_of_lading(c.state(), kId));
  const std::vector<std::string> people{"t1", "t2", "t3", "t4", "t5", "carrier", "carrier2", "customs"};
  size_t ok = 0;
  for (int i = 0; i < 800 && m.status != pb::BL_ACCOMPLISHED; ++i) {
    // Prefer callers that are parties, so that the walk goes somewhere.
    std::vector<std::string> pool{m.owner, m.holder, m.holder, "carrier"};
    if (!m.nominee.empty()) pool.push_back(m.nominee);
    pool.push_back(people[rng() % people.size()]);
    const std::string caller = pool[rng() % pool.size()];
    auto action = kActions[rng() % std::size(kActions)];
    // Accepting a surrender would end the walk; make it rare.
    if (action == pb::BL_ACCEPT_SURRENDER && rng() % 32 != 0) action = pb::BL_REJECT_SURRENDER;
    std::string no = uses_owner(action) ? (rng() % 2 && !m.nominee.empty() ? m.nominee : people[rng() % 5]) : "";
    std::string nh = uses_holder(action) ? people[rng() % 5] : "";
    Expect want = step(m, action, caller, no, nh);
    auto r = c.run(caller, bl_act(kId, action, no, nh));
    INFO("step " << i << " " << pb::BlActionKind_Name(action) << " by " << caller << " from " << describe(m));
    REQUIRE(r.reason == want.reason);
    m = want.next;
    REQUIRE(from_record(**contracts::bill_of_lading(c.state(), kId)) == m);
    if (r.ok()) ++ok;
  }
  CHECK(ok > 40);
}
