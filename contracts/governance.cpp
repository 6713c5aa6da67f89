#include "contracts/governance.h"

#include <algorithm>

#include "contracts/bill_parties.h"
#include "contracts/queries.h"
#include "contracts/records.h"
#include "ledger/primitives/validator_limit.h"

namespace docket::contracts {

namespace {

struct ParamSpec {
  std::string_view name;
  uint64_t min, max;
};
constexpr ParamSpec kParams[] = {
    {"proposal_ttl_blocks", 1, 10'000'000},
    {"max_tx_ttl_blocks", 1, 10'000'000},
    {"max_members", 1, 10'000},
    {"epoch_length_blocks", 1, 1'000'000'000},
};

Problem check_action(const pb::GovAction& a) {
  switch (a.kind_case()) {
    case pb::GovAction::kAddMember:
      return check_member_spec(a.add_member());
    case pb::GovAction::kRemoveMember: {
      const auto& r = a.remove_member();
      if (auto p = check_member_id(r.member_id())) return p;
      if (r.successor().empty()) return std::nullopt;
      if (auto p = check_member_id(r.successor())) return with_prefix("successor: ", *p);
      if (r.successor() == r.member_id()) return malformed("a member cannot be its own successor");
      return std::nullopt;
    }
    case pb::GovAction::kGrantRole:
      if (auto p = check_member_id(a.grant_role().member_id())) return p;
      return check_role(a.grant_role().role());
    case pb::GovAction::kRevokeRole:
      if (auto p = check_member_id(a.revoke_role().member_id())) return p;
      return check_role(a.revoke_role().role());
    case pb::GovAction::kRotateKey:
      if (auto p = check_member_id(a.rotate_key().member_id())) return p;
      if (auto p = check_public_key(a.rotate_key().old_key(), "old key")) return p;
      if (auto p = check_public_key(a.rotate_key().new_key(), "new key")) return p;
      if (a.rotate_key().old_key() == a.rotate_key().new_key()) return malformed("old and new key are the same");
      return std::nullopt;
    case pb::GovAction::kAddValidator:
      if (auto p = check_member_id(a.add_validator().member_id())) return p;
      return check_public_key(a.add_validator().node_key(), "node key");
    case pb::GovAction::kRemoveValidator:
      return check_public_key(a.remove_validator().node_key(), "node key");
    case pb::GovAction::kChangeParam:
      return check_param(a.change_param().name(), a.change_param().value());
    case pb::GovAction::KIND_NOT_SET:
      break;
  }
  return malformed("proposal has no action");
}

Result<std::vector<std::string>> admin_ids(const StateReader& state) {
  auto all = members(state);
  if (!all) return all.error();
  std::vector<std::string> out;
  for (const auto& m : *all)
    if (has_role(m, kRoleAdmin)) out.push_back(m.id());
  return out;
}

Result<size_t> member_count(const StateReader& state) {
  size_t n = 0;
  DOCKET_TRY(state.scan(kMemberPrefix, [&](std::string_view, ByteView) { ++n; return true; }));
  return n;
}

Result<pb::Member> must_load_member(const StateReader& state, std::string_view id, std::optional<Rejection>& rej) {
  auto m = load<pb::Member>(state, member_key(id));
  if (!m) return m.error();
  if (!*m) {
    rej = Rejection{Reason::not_found, "no member '" + std::string(id) + "'"};
    return pb::Member{};
  }
  return std::move(**m);
}

void sort_roles(pb::Member& m) { std::sort(m.mutable_roles()->begin(), m.mutable_roles()->end()); }

Result<pb::ValidatorSet> load_validators(const StateReader& state) {
  auto v = load<pb::ValidatorSet>(state, kValidatorsKey);
  if (!v) return v.error();
  if (!*v) return make_error(Errc::corruption, "no validators record");
  return std::move(**v);
}

// A removed member's id is never admitted again: a new organisation must not inherit the old one's
// bills, certificates or history.
TxResult check_not_removed(const StateReader& state, std::string_view id) {
  auto tomb = removed_member(state, id);
  if (!tomb) return tomb.error();
  if (*tomb)
    return rejected(Reason::already_exists, "member id " + std::string(id) + " was removed at height " +
                                                std::to_string((*tomb)->removed_height()) + "; ids are never reused");
  return accepted();
}

// Whether member r.member_id() may be removed now: checked when the proposal is made and again when it
// passes, so both agree. On success, bills holds the bills the member has a part in (all of which the
// successor may take over) and successor the successor's record (when one is named).
TxResult check_remove_member(const StateReader& st, const pb::GovAction::RemoveMember& r, std::vector<Hash32>& bills,
                             std::optional<pb::Member>& successor) {
  const std::string& id = r.member_id();
  std::optional<Rejection> rej;
  auto m = must_load_member(st, id, rej);
  if (!m) return m.error();
  if (rej) return std::optional<Rejection>{rej};
  auto vs = load_validators(st);
  if (!vs) return vs.error();
  for (const auto& v : vs->validators())
    if (v.member_id() == id) return rejected(Reason::invalid_state, "member runs a validator; remove it first");
  if (has_role(*m, kRoleAdmin)) {
    auto admins = admin_ids(st);
    if (!admins) return admins.error();
    if (admins->size() <= 1) return rejected(Reason::limit_reached, "cannot remove the last admin");
  }
  successor.reset();
  if (!r.successor().empty()) {
    auto s = load<pb::Member>(st, member_key(r.successor()));
    if (!s) return s.error();
    if (!*s) return rejected(Reason::invalid_party, "successor '" + r.successor() + "' is not a member");
    successor = std::move(**s);
  }
  auto ids = bills_of_member(st, id);
  if (!ids) return ids.error();
  bills = std::move(*ids);
  if (bills.empty()) return accepted();
  // Removing a party would freeze title: nobody could act for it, nor take the bill back from it.
  if (!successor)
    return rejected(Reason::invalid_state, "member '" + id + "' has a part in bills of lading not yet accomplished: " +
                                               describe_bills(bills) + "; name a successor that takes them over");
  for (const Hash32& b : bills) {
    auto bill = load<pb::BillOfLading>(st, bill_key(b));
    if (!bill) return bill.error();
    if (!*bill) return make_error(Errc::corruption, "bill index names a missing bill: " + to_hex(b));
    CONTRACT_TRY(check_successor(**bill, id, *successor));
  }
  return accepted();
}

// State checks a proposal must pass when it is made, not only when it passes: those whose failure
// the proposer can see now. Execution repeats them (apply_action).
TxResult check_proposal_state(const StateReader& st, const pb::GovAction& a) {
  switch (a.kind_case()) {
    case pb::GovAction::kAddMember:
      return check_not_removed(st, a.add_member().id());
    case pb::GovAction::kRemoveMember: {
      std::vector<Hash32> bills;
      std::optional<pb::Member> successor;
      return check_remove_member(st, a.remove_member(), bills, successor);
    }
    default:
      return accepted();
  }
}

// Applies a passed proposal's action. Rejections here fail the proposal, not the vote.
TxResult apply_action(TxContext& ctx, const pb::GovAction& a, uint64_t proposal_id) {
  StateOverlay& st = ctx.state;
  std::optional<Rejection> rej;
  switch (a.kind_case()) {
    case pb::GovAction::kAddMember: {
      auto n = member_count(st);
      if (!n) return n.error();
      if (*n >= ctx.params.max_members()) return rejected(Reason::limit_reached, "max_members reached");
      CONTRACT_TRY(create_member(st, a.add_member(), ctx.block.height));
      ctx.emit("member.added", member_key(a.add_member().id()));
      return accepted();
    }
    case pb::GovAction::kRemoveMember: {
      const auto& r = a.remove_member();
      const auto& id = r.member_id();
      std::vector<Hash32> bills;
      std::optional<pb::Member> successor;
      CONTRACT_TRY(check_remove_member(st, r, bills, successor));
      auto m = must_load_member(st, id, rej);
      if (!m) return m.error();
      for (const Hash32& b : bills) CONTRACT_TRY(succeed_parties(ctx, b, id, *successor, proposal_id));
      for (const auto& k : m->keys()) {
        auto acct = load<pb::Account>(st, account_key(to_key(k)));
        if (!acct) return acct.error();
        pb::Account updated = acct->value_or(pb::Account{});
        updated.clear_member_id();  // the nonce stays, so old transactions can never be replayed
        store(st, account_key(to_key(k)), updated);
      }
      pb::RemovedMember tomb;
      tomb.set_id(id);
      tomb.set_name(m->name());
      tomb.set_country(m->country());
      tomb.set_removed_height(ctx.block.height);
      tomb.set_removed_time_ms(ctx.block.time_ms);
      tomb.set_successor(r.successor());
      tomb.set_proposal_id(proposal_id);
      store(st, removed_key(id), tomb);
      st.del(member_key(id));
      ctx.emit("member.removed", member_key(id), {{"successor", r.successor()}, {"proposal", std::to_string(proposal_id)}});
      return accepted();
    }
    case pb::GovAction::kGrantRole: {
      const auto& g = a.grant_role();
      auto m = must_load_member(st, g.member_id(), rej);
      if (!m) return m.error();
      if (rej) return std::optional<Rejection>{rej};
      if (has_role(*m, g.role())) return rejected(Reason::already_exists, "member already has role " + g.role());
      if (static_cast<size_t>(m->roles_size()) >= kMaxRolesPerMember) return rejected(Reason::limit_reached, "at most 16 roles");
      m->add_roles(g.role());
      sort_roles(*m);
      store(st, member_key(g.member_id()), *m);
      ctx.emit("member.role_granted", member_key(g.member_id()), {{"role", g.role()}});
      return accepted();
    }
    case pb::GovAction::kRevokeRole: {
      const auto& r = a.revoke_role();
      auto m = must_load_member(st, r.member_id(), rej);
      if (!m) return m.error();
      if (rej) return std::optional<Rejection>{rej};
      if (!has_role(*m, r.role())) return rejected(Reason::not_found, "member does not have role " + r.role());
      if (r.role() == kRoleAdmin) {
        auto admins = admin_ids(st);
        if (!admins) return admins.error();
        if (admins->size() <= 1) return rejected(Reason::limit_reached, "cannot revoke the last admin");
      }
      if (r.role() == kRoleValidator) {
        auto vs = load_validators(st);
        if (!vs) return vs.error();
        for (const auto& v : vs->validators())
          if (v.member_id() == r.member_id())
            return rejected(Reason::invalid_state, "member runs a validator; remove it first");
      }
      auto* roles = m->mutable_roles();
      roles->erase(std::find(roles->begin(), roles->end(), r.role()));
      store(st, member_key(r.member_id()), *m);
      ctx.emit("member.role_revoked", member_key(r.member_id()), {{"role", r.role()}});
      return accepted();
    }
    case pb::GovAction::kRotateKey: {
      const auto& r = a.rotate_key();
      auto m = must_load_member(st, r.member_id(), rej);
      if (!m) return m.error();
      if (rej) return std::optional<Rejection>{rej};
      auto* keys = m->mutable_keys();
      auto it = std::find(keys->begin(), keys->end(), r.old_key());
      if (it == keys->end()) return rejected(Reason::not_found, "old key is not a key of this member");
      auto new_acct = load<pb::Account>(st, account_key(to_key(r.new_key())));
      if (!new_acct) return new_acct.error();
      if (*new_acct && !(*new_acct)->member_id().empty()) return rejected(Reason::already_exists, "new key is in use");
      *it = r.new_key();
      std::sort(keys->begin(), keys->end());
      store(st, member_key(r.member_id()), *m);
      auto old_acct = load<pb::Account>(st, account_key(to_key(r.old_key())));
      if (!old_acct) return old_acct.error();
      pb::Account o = old_acct->value_or(pb::Account{});
      o.clear_member_id();
      store(st, account_key(to_key(r.old_key())), o);
      pb::Account n = new_acct->value_or(pb::Account{});  // a key used before keeps its nonce
      n.set_member_id(r.member_id());
      store(st, account_key(to_key(r.new_key())), n);
      ctx.emit("member.key_rotated", member_key(r.member_id()),
               {{"old_key", to_hex(as_bytes(r.old_key()))}, {"new_key", to_hex(as_bytes(r.new_key()))}});
      DOCKET_TRY(note_key_rotation(ctx, r.member_id(), r.old_key(), r.new_key(), proposal_id));
      return accepted();
    }
    case pb::GovAction::kAddValidator: {
      const auto& v = a.add_validator();
      auto m = must_load_member(st, v.member_id(), rej);
      if (!m) return m.error();
      if (rej) return std::optional<Rejection>{rej};
      if (!has_role(*m, kRoleValidator)) return rejected(Reason::missing_role, "member lacks role validator");
      auto vs = load_validators(st);
      if (!vs) return vs.error();
      for (const auto& e : vs->validators())
        if (e.node_key() == v.node_key()) return rejected(Reason::already_exists, "node key is already a validator");
      if (static_cast<size_t>(vs->validators_size()) >= primitives::kMaxValidators)
        return rejected(Reason::limit_reached, "at most " + std::to_string(primitives::kMaxValidators) +
                                                   " validators (the largest set blocks and certificates can carry)");
      auto* e = vs->add_validators();
      e->set_member_id(v.member_id());
      e->set_node_key(v.node_key());
      vs->set_changed_height(ctx.block.height);
      store(st, kValidatorsKey, *vs);
      ctx.emit("validator.added", std::string(kValidatorsKey),
               {{"member", v.member_id()}, {"node_key", to_hex(as_bytes(v.node_key()))}});
      return accepted();
    }
    case pb::GovAction::kRemoveValidator: {
      auto vs = load_validators(st);
      if (!vs) return vs.error();
      auto* list = vs->mutable_validators();
      auto it = std::find_if(list->begin(), list->end(),
                             [&](const pb::Validator& e) { return e.node_key() == a.remove_validator().node_key(); });
      if (it == list->end()) return rejected(Reason::not_found, "node key is not a validator");
      if (list->size() <= 1) return rejected(Reason::limit_reached, "cannot remove the last validator");
      std::string member = it->member_id();
      list->erase(it);
      vs->set_changed_height(ctx.block.height);
      store(st, kValidatorsKey, *vs);
      ctx.emit("validator.removed", std::string(kValidatorsKey),
               {{"member", member}, {"node_key", to_hex(as_bytes(a.remove_validator().node_key()))}});
      return accepted();
    }
    case pb::GovAction::kChangeParam: {
      const auto& c = a.change_param();
      if (c.name() == "max_members") {
        auto n = member_count(st);
        if (!n) return n.error();
        if (c.value() < *n) return rejected(Reason::limit_reached, "max_members below the current member count");
      }
      pb::Params p = ctx.params;
      set_param(p, c.name(), c.value());
      store(st, kParamsKey, p);
      ctx.emit("param.changed", std::string(kParamsKey), {{"name", c.name()}, {"value", std::to_string(c.value())}});
      return accepted();
    }
    case pb::GovAction::KIND_NOT_SET:
      break;
  }
  return rejected(Reason::malformed, "proposal has no action");
}

// Passes the proposal if more than 2/3 of the current admins have voted yes. Votes of members who are
// no longer admins do not count.
TxResult try_pass(TxContext& ctx, pb::GovProposal& p) {
  auto admins = admin_ids(ctx.state);
  if (!admins) return admins.error();
  uint64_t yes = 0;
  for (const auto& v : p.votes())
    if (v.approve() && std::find(admins->begin(), admins->end(), v.member_id()) != admins->end()) ++yes;
  if (3 * yes <= 2 * admins->size()) return accepted();
  const std::string subject = proposal_key(p.id());
  // The action runs in its own overlay: if it is refused, nothing of it stays.
  StateOverlay nested(ctx.state);
  TxContext inner{ctx.block, ctx.tx, ctx.sender, ctx.params, nested, {}};
  auto r = apply_action(inner, p.action(), p.id());
  if (!r) return r.error();
  p.set_decided_height(ctx.block.height);
  if (r->has_value()) {
    p.set_status(pb::PROPOSAL_FAILED);
    p.set_outcome(std::string(reason_name((*r)->reason)) + ": " + (*r)->message);
    ctx.emit("gov.failed", subject, {{"reason", reason_name((*r)->reason)}});
  } else {
    ctx.state.apply(nested.writes());
    p.set_status(pb::PROPOSAL_PASSED);
    ctx.emit("gov.passed", subject);
    for (auto& e : inner.events) ctx.events.push_back(std::move(e));
  }
  return accepted();
}

}  // namespace

Problem check_param(std::string_view name, uint64_t value) {
  for (const auto& p : kParams)
    if (p.name == name) {
      if (value < p.min || value > p.max)
        return malformed(std::string(name) + " must be in [" + std::to_string(p.min) + ", " + std::to_string(p.max) + "]");
      return std::nullopt;
    }
  return malformed("unknown parameter '" + std::string(name) + "'");
}

void set_param(pb::Params& params, std::string_view name, uint64_t value) {
  if (name == "proposal_ttl_blocks") params.set_proposal_ttl_blocks(value);
  else if (name == "max_tx_ttl_blocks") params.set_max_tx_ttl_blocks(value);
  else if (name == "max_members") params.set_max_members(value);
  else if (name == "epoch_length_blocks") params.set_epoch_length_blocks(value);
  else DOCKET_ASSERT_MSG(false, "set_param on an unchecked name");
}

TxResult create_member(StateOverlay& state, const pb::MemberSpec& spec, uint64_t height) {
  auto existing = load<pb::Member>(state, member_key(spec.id()));
  if (!existing) return existing.error();
  if (*existing) return rejected(Reason::already_exists, "member '" + spec.id() + "' exists");
  CONTRACT_TRY(check_not_removed(state, spec.id()));
  for (const auto& k : spec.keys()) {
    auto acct = load<pb::Account>(state, account_key(to_key(k)));
    if (!acct) return acct.error();
    if (*acct && !(*acct)->member_id().empty())
      return rejected(Reason::already_exists, "key " + to_hex(as_bytes(k)) + " belongs to another member");
  }
  pb::Member m;
  m.set_id(spec.id());
  m.set_name(spec.name());
  m.set_country(spec.country());
  *m.mutable_keys() = spec.keys();
  *m.mutable_roles() = spec.roles();
  m.set_since_height(height);
  store(state, member_key(spec.id()), m);
  for (const auto& k : spec.keys()) {
    auto acct = load<pb::Account>(state, account_key(to_key(k)));
    if (!acct) return acct.error();
    pb::Account a = acct->value_or(pb::Account{});  // a key used before keeps its nonce
    a.set_member_id(spec.id());
    store(state, account_key(to_key(k)), a);
  }
  return accepted();
}

Problem check_gov_propose(const pb::GovPropose& op) {
  if (op.description().size() > kMaxDescriptionBytes) return too_large("description longer than 512 bytes");
  return check_action(op.action());
}

TxResult gov_propose(TxContext& ctx, const pb::GovPropose& op) {
  if (!has_role(ctx.sender, kRoleAdmin)) return rejected(Reason::missing_role, "proposing needs role admin");
  CONTRACT_TRY(check_proposal_state(ctx.state, op.action()));
  auto meta = load<pb::GovMeta>(ctx.state, kGovMetaKey);
  if (!meta) return meta.error();
  pb::GovMeta m = meta->value_or(pb::GovMeta{});
  pb::GovProposal p;
  p.set_id(m.next_proposal_id());
  p.set_proposer(ctx.sender.id());
  *p.mutable_action() = op.action();
  p.set_description(op.description());
  p.set_created_height(ctx.block.height);
  p.set_expiry_height(ctx.block.height + ctx.params.proposal_ttl_blocks());
  auto* v = p.add_votes();
  v->set_member_id(ctx.sender.id());
  v->set_approve(true);
  v->set_height(ctx.block.height);
  m.set_next_proposal_id(m.next_proposal_id() + 1);
  store(ctx.state, kGovMetaKey, m);
  ctx.emit("gov.proposed", proposal_key(p.id()), {{"id", std::to_string(p.id())}, {"proposer", ctx.sender.id()}});
  CONTRACT_TRY(try_pass(ctx, p));
  store(ctx.state, proposal_key(p.id()), p);
  return accepted();
}

TxResult gov_vote(TxContext& ctx, const pb::GovVote& op) {
  if (!has_role(ctx.sender, kRoleAdmin)) return rejected(Reason::missing_role, "voting needs role admin");
  const std::string key = proposal_key(op.proposal_id());
  auto loaded = load<pb::GovProposal>(ctx.state, key);
  if (!loaded) return loaded.error();
  if (!*loaded) return rejected(Reason::not_found, "no proposal " + std::to_string(op.proposal_id()));
  pb::GovProposal p = std::move(**loaded);
  if (p.status() != pb::PROPOSAL_OPEN) return rejected(Reason::invalid_state, "proposal is already decided");
  if (ctx.block.height > p.expiry_height()) return rejected(Reason::expired, "proposal expired");
  auto* votes = p.mutable_votes();
  auto pos = std::lower_bound(votes->begin(), votes->end(), ctx.sender.id(),
                              [](const pb::ProposalVote& v, const std::string& id) { return v.member_id() < id; });
  if (pos != votes->end() && pos->member_id() == ctx.sender.id())
    return rejected(Reason::already_voted, "member already voted on this proposal");
  pb::ProposalVote v;
  v.set_member_id(ctx.sender.id());
  v.set_approve(op.approve());
  v.set_height(ctx.block.height);
  votes->Add(std::move(v));
  std::sort(votes->begin(), votes->end(),
            [](const pb::ProposalVote& a, const pb::ProposalVote& b) { return a.member_id() < b.member_id(); });
  ctx.emit("gov.voted", key, {{"member", ctx.sender.id()}, {"approve", op.approve() ? "yes" : "no"}});
  CONTRACT_TRY(try_pass(ctx, p));
  store(ctx.state, key, p);
  return accepted();
}

}  // namespace docket::contracts
