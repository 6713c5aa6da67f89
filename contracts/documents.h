// The document registry: certificates of origin and other non-transferable documents, registered as
// OpenAttestation v2 merkleRoots. Issue (role "issuer:<type>"), revoke a root or any hash under it
// (OpenAttestation semantics), supersede a root by an amended one.
#pragma once

#include "contracts/context.h"
#include "contracts/reason.h"
#include "contracts/validate.h"

namespace docket::contracts {

Problem check_document_issue(const pb::DocumentIssue& op);
Problem check_document_revoke(const pb::DocumentRevoke& op);
Problem check_document_supersede(const pb::DocumentSupersede& op);

TxResult document_issue(TxContext& ctx, const pb::DocumentIssue& op);
TxResult document_revoke(TxContext& ctx, const pb::DocumentRevoke& op);
TxResult document_supersede(TxContext& ctx, const pb::DocumentSupersede& op);

}  // namespace docket::contracts
