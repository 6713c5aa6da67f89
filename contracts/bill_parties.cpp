#include "contracts/bill_parties.h"

#include <algorithm>

#include "contracts/records.h"
#include "contracts/validate.h"

namespace docket::contracts {

namespace {

constexpr size_t kBillsNamed = 3;  // a refusal names this many bills, then the count

// The names of the parts `who` has in b, in a fixed order.
std::vector<std::string_view> parts_of(const pb::BillOfLading& b, std::string_view who) {
  std::vector<std::string_view> out;
  if (b.carrier() == who) out.push_back("carrier");
  if (b.owner() == who) out.push_back("owner");
  if (b.holder() == who) out.push_back("holder");
  if (b.nominee() == who) out.push_back("nominee");
  if (b.prev_owner() == who) out.push_back("previous_owner");
  if (b.prev_holder() == who) out.push_back("previous_holder");
  return out;
}

std::string join(const std::vector<std::string_view>& parts) {
  std::string s;
  for (auto p : parts) {
    if (!s.empty()) s += ",";
    s += p;
  }
  return s;
}

Result<pb::BillOfLading> load_indexed_bill(const StateReader& state, const Hash32& record_id) {
  auto b = load<pb::BillOfLading>(state, bill_key(record_id));
  if (!b) return b.error();
  if (!*b) return make_error(Errc::corruption, "bill index names a missing bill: " + to_hex(record_id));
  return std::move(**b);
}

}  // namespace

std::vector<std::string> bill_parties(const pb::BillOfLading& b) {
  if (b.status() == pb::BL_ACCOMPLISHED) return {};
  std::vector<std::string> out;
  for (const std::string* p : {&b.carrier(), &b.owner(), &b.holder(), &b.nominee(), &b.prev_owner(), &b.prev_holder()})
    if (!p->empty()) out.push_back(*p);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void store_bill(StateOverlay& state, const pb::BillOfLading* before, const pb::BillOfLading& b) {
  const Hash32 id = to_hash(b.record_id());
  const std::vector<std::string> now = bill_parties(b);
  if (before) {
    for (const auto& m : bill_parties(*before))
      if (!std::binary_search(now.begin(), now.end(), m)) state.del(bill_party_key(m, id));
  }
  for (const auto& m : now) state.put(bill_party_key(m, id), Bytes{});
  store(state, bill_key(id), b);
}

Result<std::vector<Hash32>> bills_of_member(const StateReader& state, std::string_view member_id) {
  const std::string prefix = bill_party_prefix(member_id);
  std::vector<Hash32> out;
  bool bad = false;
  DOCKET_TRY(state.scan(prefix, [&](std::string_view key, ByteView) {
    auto id = hash_from_hex(key.substr(prefix.size()));
    if (!id) {
      bad = true;
      return false;
    }
    out.push_back(*id);
    return true;
  }));
  if (bad) return make_error(Errc::corruption, "malformed bill index key under " + prefix);
  return out;
}

std::string describe_bills(const std::vector<Hash32>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size() && i < kBillsNamed; ++i) s += (i ? ", " : "") + to_hex(ids[i]);
  if (ids.size() > kBillsNamed) s += ", ...";
  return s + " (" + std::to_string(ids.size()) + (ids.size() == 1 ? " bill)" : " bills)");
}

TxResult check_successor(const pb::BillOfLading& b, std::string_view from, const pb::Member& successor) {
  const std::string which = "bill " + to_hex(to_hash(b.record_id())) + ": successor '" + successor.id() + "'";
  for (auto part : parts_of(b, from)) {
    const bool carrier = part == "carrier";
    if (!has_role(successor, carrier ? kRoleCarrier : kRoleTrader))
      return rejected(Reason::invalid_party,
                      which + " lacks role " + std::string(carrier ? kRoleCarrier : kRoleTrader) + " to become " + std::string(part));
  }
  return accepted();
}

TxResult succeed_parties(TxContext& ctx, const Hash32& record_id, std::string_view from, const pb::Member& successor,
                         uint64_t proposal_id) {
  auto loaded = load_indexed_bill(ctx.state, record_id);
  if (!loaded) return loaded.error();
  const pb::BillOfLading before = *loaded;
  CONTRACT_TRY(check_successor(before, from, successor));
  const auto parts = parts_of(before, from);
  pb::BillOfLading b = before;
  const std::string& to = successor.id();
  // The successor stands in the removed member's place in every part, pending rejections included:
  // a rejection of a transfer the removed member made now hands the bill back to the successor.
  if (b.carrier() == from) b.set_carrier(to);
  if (b.owner() == from) b.set_owner(to);
  if (b.holder() == from) b.set_holder(to);
  if (b.nominee() == from) b.set_nominee(to);
  if (b.prev_owner() == from) b.set_prev_owner(to);
  if (b.prev_holder() == from) b.set_prev_holder(to);
  // An owner is never its own nominee (bl_action refuses that nomination).
  if (b.nominee() == b.owner()) b.clear_nominee();
  b.set_updated_height(ctx.block.height);
  store_bill(ctx.state, &before, b);
  ctx.emit("bl.party_succeeded", bill_key(record_id),
           {{"from", std::string(from)}, {"to", to}, {"parts", join(parts)}, {"proposal", std::to_string(proposal_id)}});
  return accepted();
}

Status note_key_rotation(TxContext& ctx, std::string_view member_id, const std::string& old_key,
                         const std::string& new_key, uint64_t proposal_id) {
  auto ids = bills_of_member(ctx.state, member_id);
  if (!ids) return ids.error();
  for (const Hash32& id : *ids)
    ctx.emit("bl.party_key_rotated", bill_key(id),
             {{"member", std::string(member_id)},
              {"old_key", to_hex(as_bytes(old_key))},
              {"new_key", to_hex(as_bytes(new_key))},
              {"proposal", std::to_string(proposal_id)}});
  return ok_status();
}

}  // namespace docket::contracts
