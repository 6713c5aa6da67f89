#include "contracts/bills.h"

#include "contracts/bill_parties.h"
#include "contracts/records.h"

namespace docket::contracts {

namespace {

bool needs_new_owner(pb::BlActionKind a) {
  return a == pb::BL_NOMINATE || a == pb::BL_ENDORSE || a == pb::BL_TRANSFER_OWNERS;
}
bool needs_new_holder(pb::BlActionKind a) { return a == pb::BL_TRANSFER_HOLDER || a == pb::BL_TRANSFER_OWNERS; }
bool changes_title(pb::BlActionKind a) { return needs_new_owner(a); }

// A party must be a current member with role trader.
TxResult check_party(const StateReader& state, const std::string& id, std::string_view what) {
  auto m = load<pb::Member>(state, member_key(id));
  if (!m) return m.error();
  if (!*m) return rejected(Reason::invalid_party, std::string(what) + " '" + id + "' is not a member");
  if (!has_role(**m, kRoleTrader)) return rejected(Reason::invalid_party, std::string(what) + " '" + id + "' lacks role trader");
  return accepted();
}

std::string event_kind(pb::BlActionKind a) {
  switch (a) {
    case pb::BL_NOMINATE: return "bl.nominated";
    case pb::BL_TRANSFER_HOLDER: return "bl.holder_transferred";
    case pb::BL_ENDORSE: return "bl.endorsed";
    case pb::BL_TRANSFER_OWNERS: return "bl.owners_transferred";
    case pb::BL_REJECT_HOLDER: return "bl.holder_rejected";
    case pb::BL_REJECT_OWNER: return "bl.owner_rejected";
    case pb::BL_REJECT_OWNERS: return "bl.owners_rejected";
    case pb::BL_SURRENDER: return "bl.surrendered";
    case pb::BL_ACCEPT_SURRENDER: return "bl.surrender_accepted";
    case pb::BL_REJECT_SURRENDER: return "bl.surrender_rejected";
    default: return "bl.unknown";
  }
}

// Checks the caller may take action `a` on bill `b` and applies it to b. Checks run in a fixed
// order (status, caller, bill type, action preconditions) so every refusal has one reason.
TxResult transition(TxContext& ctx, pb::BillOfLading& b, const pb::BlAction& op) {
  const pb::BlActionKind a = op.action();
  const std::string& me = ctx.sender.id();
  const bool carrier_action = a == pb::BL_ACCEPT_SURRENDER || a == pb::BL_REJECT_SURRENDER;

  if (b.status() == pb::BL_ACCOMPLISHED) return rejected(Reason::invalid_state, "bill is accomplished; it accepts nothing more");
  if (b.status() == pb::BL_SURRENDERED && !carrier_action)
    return rejected(Reason::invalid_state, "bill is surrendered; only the carrier may act");
  if (b.status() == pb::BL_ACTIVE && carrier_action) return rejected(Reason::invalid_state, "bill is not surrendered");

  if (carrier_action) {
    if (me != b.carrier()) return rejected(Reason::not_carrier, "only the issuing carrier may decide a surrender");
    if (!has_role(ctx.sender, kRoleCarrier)) return rejected(Reason::missing_role, "needs role carrier");
    b.set_status(a == pb::BL_ACCEPT_SURRENDER ? pb::BL_ACCOMPLISHED : pb::BL_ACTIVE);
    return accepted();
  }

  const bool is_owner = me == b.owner();
  const bool is_holder = me == b.holder();
  switch (a) {
    case pb::BL_NOMINATE:
    case pb::BL_REJECT_OWNER:
      if (!is_owner) return rejected(Reason::not_owner, "only the owner may do this");
      break;
    case pb::BL_TRANSFER_HOLDER:
    case pb::BL_ENDORSE:
    case pb::BL_TRANSFER_OWNERS:
    case pb::BL_REJECT_HOLDER:
      if (!is_holder) return rejected(Reason::not_holder, "only the holder may do this");
      break;
    case pb::BL_REJECT_OWNERS:
    case pb::BL_SURRENDER:
      if (!(is_owner && is_holder)) return rejected(Reason::not_owner_and_holder, "only a party that is both owner and holder may do this");
      break;
    default:
      return rejected(Reason::malformed, "unknown action");
  }
  if (!has_role(ctx.sender, kRoleTrader)) return rejected(Reason::missing_role, "needs role trader");
  if (changes_title(a) && b.bl_type() != pb::BL_NEGOTIABLE)
    return rejected(Reason::not_negotiable, "a straight bill or sea waybill cannot be endorsed");

  if (needs_new_owner(a)) {
    CONTRACT_TRY(check_party(ctx.state, op.new_owner(), "new owner"));
    if (op.new_owner() == b.owner()) return rejected(Reason::invalid_party, "new owner is already the owner");
  }
  if (needs_new_holder(a)) {
    CONTRACT_TRY(check_party(ctx.state, op.new_holder(), "new holder"));
    if (op.new_holder() == b.holder()) return rejected(Reason::invalid_party, "new holder is already the holder");
  }

  switch (a) {
    case pb::BL_NOMINATE:
      if (op.new_owner() == b.nominee()) return rejected(Reason::invalid_party, "already the nominee");
      b.set_nominee(op.new_owner());
      b.clear_prev_owner();
      b.clear_prev_holder();
      break;
    case pb::BL_TRANSFER_HOLDER:
      b.set_prev_holder(b.holder());
      b.clear_prev_owner();
      b.set_holder(op.new_holder());
      break;
    case pb::BL_ENDORSE:
    case pb::BL_TRANSFER_OWNERS:
      if (b.owner() != b.holder() && op.new_owner() != b.nominee())
        return rejected(Reason::not_nominee, "owner and holder differ: endorse only to the owner's nominee");
      b.set_prev_owner(b.owner());
      b.set_owner(op.new_owner());
      b.clear_nominee();
      if (a == pb::BL_TRANSFER_OWNERS) {
        b.set_prev_holder(b.holder());
        b.set_holder(op.new_holder());
      } else {
        b.clear_prev_holder();
      }
      break;
    case pb::BL_REJECT_HOLDER:
      if (b.prev_holder().empty()) return rejected(Reason::nothing_to_reject, "the last action was not a holder transfer");
      if (!b.prev_owner().empty()) return rejected(Reason::reject_both_required, "owner and holder were transferred together");
      b.set_holder(b.prev_holder());
      b.clear_prev_holder();
      break;
    case pb::BL_REJECT_OWNER:
      if (b.prev_owner().empty()) return rejected(Reason::nothing_to_reject, "the last action was not an endorsement");
      if (!b.prev_holder().empty()) return rejected(Reason::reject_both_required, "owner and holder were transferred together");
      b.set_owner(b.prev_owner());
      b.clear_prev_owner();
      b.clear_nominee();
      break;
    case pb::BL_REJECT_OWNERS:
      if (b.prev_owner().empty() || b.prev_holder().empty())
        return rejected(Reason::nothing_to_reject, "the last action did not transfer both owner and holder");
      b.set_owner(b.prev_owner());
      b.set_holder(b.prev_holder());
      b.clear_prev_owner();
      b.clear_prev_holder();
      b.clear_nominee();
      break;
    case pb::BL_SURRENDER:
      b.set_status(pb::BL_SURRENDERED);
      b.clear_nominee();
      b.clear_prev_owner();
      b.clear_prev_holder();
      break;
    default:
      break;
  }
  return accepted();
}

}  // namespace

Problem check_bl_issue(const pb::BlIssue& op) {
  if (auto p = check_hash(op.record_id(), "record_id")) return p;
  if (op.bl_type() == pb::BL_TYPE_UNSPECIFIED || !pb::BlType_IsValid(op.bl_type())) return malformed("bill type missing or unknown");
  if (auto p = check_member_id(op.owner())) return with_prefix("owner: ", *p);
  if (auto p = check_member_id(op.holder())) return with_prefix("holder: ", *p);
  return check_public_fields(op.public_fields());
}

Problem check_bl_action(const pb::BlAction& op) {
  if (auto p = check_hash(op.record_id(), "record_id")) return p;
  if (op.action() == pb::BL_ACTION_UNSPECIFIED || !pb::BlActionKind_IsValid(op.action())) return malformed("action missing or unknown");
  if (needs_new_owner(op.action())) {
    if (auto p = check_member_id(op.new_owner())) return with_prefix("new_owner: ", *p);
  } else if (!op.new_owner().empty()) {
    return malformed("new_owner must be empty for this action");
  }
  if (needs_new_holder(op.action())) {
    if (auto p = check_member_id(op.new_holder())) return with_prefix("new_holder: ", *p);
  } else if (!op.new_holder().empty()) {
    return malformed("new_holder must be empty for this action");
  }
  if (op.remark().size() > kMaxRemarkBytes) return too_large("remark longer than 256 bytes");
  return std::nullopt;
}

TxResult bl_issue(TxContext& ctx, const pb::BlIssue& op) {
  if (!has_role(ctx.sender, kRoleCarrier)) return rejected(Reason::missing_role, "issuing a bill of lading needs role carrier");
  const std::string key = bill_key(to_hash(op.record_id()));
  auto existing = ctx.state.get(key);
  if (!existing) return existing.error();
  if (*existing) return rejected(Reason::already_exists, "a bill with this record id exists");
  CONTRACT_TRY(check_party(ctx.state, op.owner(), "owner"));
  CONTRACT_TRY(check_party(ctx.state, op.holder(), "holder"));
  pb::BillOfLading b;
  b.set_record_id(op.record_id());
  b.set_bl_type(op.bl_type());
  b.set_carrier(ctx.sender.id());
  b.set_owner(op.owner());
  b.set_holder(op.holder());
  b.set_status(pb::BL_ACTIVE);
  *b.mutable_public_fields() = op.public_fields();
  b.set_issued_height(ctx.block.height);
  b.set_issued_time_ms(ctx.block.time_ms);
  b.set_updated_height(ctx.block.height);
  store_bill(ctx.state, nullptr, b);
  ctx.emit("bl.issued", key,
           {{"carrier", ctx.sender.id()}, {"owner", op.owner()}, {"holder", op.holder()}, {"bl_type", pb::BlType_Name(op.bl_type())}});
  return accepted();
}

TxResult bl_action(TxContext& ctx, const pb::BlAction& op) {
  const std::string key = bill_key(to_hash(op.record_id()));
  auto loaded = load<pb::BillOfLading>(ctx.state, key);
  if (!loaded) return loaded.error();
  if (!*loaded) return rejected(Reason::not_found, "no bill with this record id");
  pb::BillOfLading b = std::move(**loaded);
  const pb::BillOfLading before = b;
  CONTRACT_TRY(transition(ctx, b, op));
  b.set_updated_height(ctx.block.height);
  b.set_transitions(b.transitions() + 1);
  store_bill(ctx.state, &before, b);
  ctx.emit(event_kind(op.action()), key,
           {{"by", ctx.sender.id()},
            {"owner", b.owner()},
            {"holder", b.holder()},
            {"nominee", b.nominee()},
            {"previous_owner", before.owner()},
            {"previous_holder", before.holder()},
            {"status", pb::BlStatus_Name(b.status())},
            {"remark", op.remark()}});
  return accepted();
}

}  // namespace docket::contracts
