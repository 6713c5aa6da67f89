// Bills of lading as transferable records, after TradeTrust's TitleEscrow: an owner (beneficiary) and a
// holder, both members with role trader; nomination, endorsement, holder transfer, rejection of a
// transfer as the very next action, surrender to the carrier, accept (accomplished, final) or reject.
// The state diagram and the full transition table are in docs/contracts.md.
#pragma once

#include "contracts/context.h"
#include "contracts/reason.h"
#include "contracts/validate.h"

namespace docket::contracts {

Problem check_bl_issue(const pb::BlIssue& op);
Problem check_bl_action(const pb::BlAction& op);

TxResult bl_issue(TxContext& ctx, const pb::BlIssue& op);
TxResult bl_action(TxContext& ctx, const pb::BlAction& op);

}  // namespace docket::contracts
