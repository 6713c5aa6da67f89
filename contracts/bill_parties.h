// A member's parts in bills of lading, for governance: the "blm/<member>/<record id>" index that
// bills.cpp keeps on every bill write, and the two things a membership change does to a bill
// (docs/contracts.md, "Governance actions that affect title or status"):
// - removing a member hands each of its parts to a named successor, recorded in the bill's history;
// - rotating a member's key is recorded in the history of each bill the member has a part in.
//
// A part is carrier, owner, holder, nominee, previous owner or previous holder. The previous owner and
// holder count because a rejection hands the bill back to them; a surrendered bill counts because the
// carrier may still reject the surrender and restore it. Only an accomplished bill is out of reach.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contracts/context.h"
#include "contracts/reason.h"

namespace docket::contracts {

// The member ids with a part in b, sorted and unique; none once b is accomplished.
std::vector<std::string> bill_parties(const pb::BillOfLading& b);

// Stores bill b and brings the index in step with the parties it had before (nullptr: a new bill).
void store_bill(StateOverlay& state, const pb::BillOfLading* before, const pb::BillOfLading& b);

// Record ids of the bills member_id has a part in, in key order (from the index, never a scan of all).
Result<std::vector<Hash32>> bills_of_member(const StateReader& state, std::string_view member_id);

// "<first few hex ids> (N bills)": how refusals name a member's bills.
std::string describe_bills(const std::vector<Hash32>& ids);

// Whether successor may take every part `from` has in bill b: the carrier's part needs role carrier,
// every other part role trader (as bl_issue and bl_action demand of those parties). invalid_party if not.
TxResult check_successor(const pb::BillOfLading& b, std::string_view from, const pb::Member& successor);

// Moves every part `from` has in the bill to successor (checked first, as above), and records
// "bl.party_succeeded" {from, to, parts, proposal} in the bill's history.
TxResult succeed_parties(TxContext& ctx, const Hash32& record_id, std::string_view from, const pb::Member& successor,
                         uint64_t proposal_id);

// Records "bl.party_key_rotated" {member, old_key, new_key, proposal} in the history of every bill
// member_id has a part in. The bills themselves name members, not keys, so they do not change.
Status note_key_rotation(TxContext& ctx, std::string_view member_id, const std::string& old_key,
                         const std::string& new_key, uint64_t proposal_id);

}  // namespace docket::contracts
