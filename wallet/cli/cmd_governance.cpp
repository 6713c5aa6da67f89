// Members and governance: member list, member propose <kind>, member vote.
//
// A proposal is one GovPropose transaction (ledger/proto/operations.proto); its action is checked here
// with the contracts' own stateless rules before signing, so a typo is a usage error (exit 2) rather
// than a refused transaction. The new proposal's id comes from the "gov.proposed" event of the
// committed transaction; whether it passed at once (a single admin) from "gov.passed".
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <set>

#include "contracts/governance.h"
#include "wallet/cli/common.h"
#include "wallet/cli/tx_submit.h"
#include "wallet/tx/tx_builder.h"

namespace docket::wallet::cli {
namespace {

// A 32-byte x-only public key given in hex, as raw bytes for the proto.
std::string key_arg(const std::string& hex, const char* what) {
  auto k = crypto::public_key_from_hex(hex);
  if (!k.ok()) fail(kUsage, std::string(what) + " \"" + hex + "\" is not a 32-byte x-only public key in hex");
  return std::string(k->begin(), k->end());
}

// The value of `name` in the first event of `kind`, or "".
std::string event_attribute(const oa::Json& events, const std::string& kind, const std::string& name) {
  if (!events.is_array()) return {};
  for (const auto& e : events) {
    if (!e.is_object() || !e.contains("kind") || e["kind"] != kind) continue;
    if (e.contains("attributes") && e["attributes"].is_object() && e["attributes"].contains(name) &&
        e["attributes"][name].is_string())
      return e["attributes"][name].get<std::string>();
  }
  return {};
}

bool has_event(const oa::Json& events, const std::string& kind) {
  if (!events.is_array()) return false;
  return std::any_of(events.begin(), events.end(),
                     [&](const oa::Json& e) { return e.is_object() && e.contains("kind") && e["kind"] == kind; });
}

// What a committed proposal or vote did, beyond the "committed in block" line.
void report_outcome(const net::TxResult& r) {
  if (r.status != "committed") return;
  if (has_event(r.events, "gov.passed")) std::cout << "the proposal passed and its action was applied\n";
  if (has_event(r.events, "gov.failed"))
    std::cout << "the proposal passed but its action was refused: " << event_attribute(r.events, "gov.failed", "reason") << "\n";
}

struct ProposeArgs {
  TxArgs tx;
  std::string description;
};

// Registers `member propose <name>`: fill(action) builds the action from the parsed options.
CLI::App* add_proposal(CLI::App* propose, const std::string& name, const std::string& help,
                       std::shared_ptr<ProposeArgs> a, std::function<void(pb::GovAction&)> fill) {
  auto* c = propose->add_subcommand(name, help);
  c->add_option("--description,-d", a->description, "Why: recorded with the proposal (at most 512 bytes)");
  add_tx_options(c, a->tx);
  c->callback([a, name, fill] {
    pb::GovPropose op;
    fill(*op.mutable_action());
    op.set_description(a->description);
    if (auto p = contracts::check_gov_propose(op)) fail(kUsage, name + ": " + p->message);
    auto r = submit(a->tx, tx::gov_propose(op.action(), op.description()), "proposal (" + name + ")");
    if (r.status != "committed") return;
    const std::string id = event_attribute(r.events, "gov.proposed", "id");
    if (id.empty()) fail(kNotValid, "the node's answer does not name the new proposal (no gov.proposed event)");
    std::cout << "proposal " << id << " created in block " << r.height << "\n";
    report_outcome(r);
  });
  return c;
}

void register_proposals(CLI::App* m) {
  auto* propose = m->add_subcommand("propose", "Propose a governance action (admins); passes with more than 2/3 of admins");
  propose->require_subcommand(1);
  {
    struct A { std::string id, name, country; std::vector<std::string> keys, roles; };
    auto a = std::make_shared<A>();
    auto p = std::make_shared<ProposeArgs>();
    auto* c = add_proposal(propose, "add-member", "Admit a new member organisation", p, [a](pb::GovAction& act) {
      auto* s = act.mutable_add_member();
      s->set_id(member_id(a->id, "--id"));
      s->set_name(a->name);
      s->set_country(a->country);
      std::set<std::string> keys;  // the contracts want them sorted and unique
      for (const auto& k : a->keys) keys.insert(key_arg(k, "--member-key"));
      for (const auto& k : keys) s->add_keys(k);
      std::set<std::string> roles(a->roles.begin(), a->roles.end());
      for (const auto& r : roles) s->add_roles(r);
    });
    c->add_option("--id", a->id, "New member id ([a-z0-9][a-z0-9_-]{0,63})")->required();
    c->add_option("--name", a->name, "Organisation name")->required();
    c->add_option("--country", a->country, "ISO 3166-1 alpha-2 country code, e.g. SG")->required();
    c->add_option("--member-key", a->keys, "A public key (hex) that acts for the member; repeat for more (1..8)")->required();
    c->add_option("--role", a->roles,
                  "A role: admin, carrier, trader, verifier, validator or issuer:<document type>; repeat for more");
  }
  {
    struct A { std::string member, successor; };
    auto a = std::make_shared<A>();
    auto p = std::make_shared<ProposeArgs>();
    auto* c = add_proposal(propose, "remove-member", "Remove a member (its keys stop acting for it; its id is never reused)", p,
                           [a](pb::GovAction& act) {
                             act.mutable_remove_member()->set_member_id(member_id(a->member, "member"));
                             if (!a->successor.empty())
                               act.mutable_remove_member()->set_successor(member_id(a->successor, "--successor"));
                           });
    c->add_option("member", a->member, "Member id")->required();
    c->add_option("--successor", a->successor,
                  "Member that takes over the removed member's parts in bills of lading not yet accomplished "
                  "(needed if it has any)");
  }
  for (const bool grant : {true, false}) {
    struct A { std::string member, role; };
    auto a = std::make_shared<A>();
    auto p = std::make_shared<ProposeArgs>();
    auto* c = add_proposal(propose, grant ? "grant-role" : "revoke-role", grant ? "Give a member a role" : "Take a role from a member", p,
                           [a, grant](pb::GovAction& act) {
                             const std::string id = member_id(a->member, "member");
                             if (grant) {
                               act.mutable_grant_role()->set_member_id(id);
                               act.mutable_grant_role()->set_role(a->role);
                             } else {
                               act.mutable_revoke_role()->set_member_id(id);
                               act.mutable_revoke_role()->set_role(a->role);
                             }
                           });
    c->add_option("member", a->member, "Member id")->required();
    c->add_option("role", a->role, "admin, carrier, trader, verifier, validator or issuer:<document type>")->required();
  }
  {
    struct A { std::string member, old_key, new_key; };
    auto a = std::make_shared<A>();
    auto p = std::make_shared<ProposeArgs>();
    auto* c = add_proposal(propose, "rotate-key", "Replace one of a member's keys (a lost or compromised key)", p,
                           [a](pb::GovAction& act) {
                             auto* r = act.mutable_rotate_key();
                             r->set_member_id(member_id(a->member, "member"));
                             r->set_old_key(key_arg(a->old_key, "--old-key"));
                             r->set_new_key(key_arg(a->new_key, "--new-key"));
                           });
    c->add_option("member", a->member, "Member id")->required();
    c->add_option("--old-key", a->old_key, "The key to retire (hex)")->required();
    c->add_option("--new-key", a->new_key, "The key that replaces it (hex)")->required();
  }
  {
    struct A { std::string member, node_key; };
    auto a = std::make_shared<A>();
    auto p = std::make_shared<ProposeArgs>();
    auto* c = add_proposal(propose, "add-validator",
                           "Add a validator node run by a member with role validator (applies at the next epoch)", p,
                           [a](pb::GovAction& act) {
                             act.mutable_add_validator()->set_member_id(member_id(a->member, "member"));
                             act.mutable_add_validator()->set_node_key(key_arg(a->node_key, "--node-key"));
                           });
    c->add_option("member", a->member, "Member id of the operator")->required();
    c->add_option("--node-key", a->node_key, "The node's key (hex; docketd init prints it)")->required();
  }
  {
    struct A { std::string node_key; };
    auto a = std::make_shared<A>();
    auto p = std::make_shared<ProposeArgs>();
    auto* c = add_proposal(propose, "remove-validator", "Remove a validator node (applies at the next epoch)", p,
                           [a](pb::GovAction& act) { act.mutable_remove_validator()->set_node_key(key_arg(a->node_key, "--node-key")); });
    c->add_option("--node-key", a->node_key, "The node's key (hex)")->required();
  }
  {
    struct A { std::string name; uint64_t value = 0; };
    auto a = std::make_shared<A>();
    auto p = std::make_shared<ProposeArgs>();
    auto* c = add_proposal(propose, "change-param", "Change a chain parameter", p, [a](pb::GovAction& act) {
      act.mutable_change_param()->set_name(a->name);
      act.mutable_change_param()->set_value(a->value);
    });
    c->add_option("name", a->name, "proposal_ttl_blocks | max_tx_ttl_blocks | max_members | epoch_length_blocks")->required();
    c->add_option("value", a->value, "New value")->required();
  }
}

std::string str_field(const oa::Json& j, const char* k) {
  return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
}

// One line per member: id, country, roles, name; validators flagged.
void print_members(const oa::Json& all) {
  if (!all.is_object() || !all.contains("members") || !all["members"].is_array())
    fail(kUsage, "the node's /v1/members has no \"members\" list");
  std::cout << std::left << std::setw(16) << "MEMBER" << std::setw(9) << "COUNTRY" << std::setw(40) << "ROLES" << "NAME\n";
  for (const auto& m : all["members"]) {
    std::string roles;
    if (m.contains("roles") && m["roles"].is_array())
      for (const auto& r : m["roles"])
        if (r.is_string()) roles += (roles.empty() ? "" : ",") + r.get<std::string>();
    std::string name = str_field(m, "name");
    if (!str_field(m, "validator_key").empty()) name += "  [validator " + str_field(m, "validator_key").substr(0, 16) + "…]";
    const std::string country = str_field(m, "country");
    std::cout << std::setw(16) << str_field(m, "member_id") << std::setw(9) << (country.empty() ? "-" : country) << std::setw(40)
              << (roles.empty() ? "-" : roles) << name << "\n";
  }
}

}  // namespace

void register_member_commands(CLI::App& app) {
  auto* m = app.add_subcommand("member", "Consortium members and governance");
  m->require_subcommand(1);
  {
    struct A { NodeOptions node; bool json = false; };
    auto a = std::make_shared<A>();
    auto* c = m->add_subcommand("list", "List members, their countries and roles");
    c->add_flag("--json", a->json, "Print the node's JSON");
    add_node_option(*c, a->node);
    c->callback([a] {
      auto client = take(net::NodeClient::connect(a->node.url));
      auto all = take(client.members());
      if (a->json) return print_json(all);
      print_members(all);
    });
  }
  register_proposals(m);
  {
    struct A { TxArgs tx; uint64_t proposal = 0; bool yes = false, no = false; };
    auto a = std::make_shared<A>();
    auto* c = m->add_subcommand("vote", "Vote on a governance proposal (admins)");
    c->add_option("proposal", a->proposal, "Proposal id")->required();
    auto* y = c->add_flag("--yes", a->yes, "Vote for");
    auto* n = c->add_flag("--no", a->no, "Vote against");
    y->excludes(n);
    add_tx_options(c, a->tx);
    c->callback([a] {
      if (!a->yes && !a->no) fail(kUsage, "give --yes or --no");
      auto r = submit(a->tx, tx::gov_vote(a->proposal, a->yes),
                      std::string(a->yes ? "yes" : "no") + " vote on proposal " + std::to_string(a->proposal));
      report_outcome(r);
    });
  }
}

}  // namespace docket::wallet::cli
