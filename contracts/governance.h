// Membership and governance: proposals by admins to add or remove a member, grant or revoke a role,
// rotate a key, add or remove a validator, or change a parameter. A proposal passes when more than two
// thirds of the current admin members have voted yes before it expires; its action is applied in the
// transaction that passes it. Validator changes rewrite the "validators" record; the executor reports
// them so consensus can apply them at the next epoch.
#pragma once

#include "contracts/context.h"
#include "contracts/reason.h"
#include "contracts/validate.h"

namespace docket::contracts {

Problem check_gov_propose(const pb::GovPropose& op);
TxResult gov_propose(TxContext& ctx, const pb::GovPropose& op);
TxResult gov_vote(TxContext& ctx, const pb::GovVote& op);

// Writes a new member with its accounts (genesis and add_member). Keys must be unused.
TxResult create_member(StateOverlay& state, const pb::MemberSpec& spec, uint64_t height);

// Parameter names governance may change, and their bounds.
Problem check_param(std::string_view name, uint64_t value);
void set_param(pb::Params& params, std::string_view name, uint64_t value);

}  // namespace docket::contracts
