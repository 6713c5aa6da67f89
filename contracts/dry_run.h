// dry_run: what the contracts would answer to one transaction, without keeping anything. Behind the
// node's POST /v1/transactions/check, which the wallet calls before it sends, so that a transaction
// the rules refuse is not sent and does not spend a nonce: the refusal comes from the same contracts
// the chain runs, so wallet and chain cannot disagree on the rules.
//
// Admission first (check_tx at the tip: member key, nonce, expiry, payload, role), then the
// transaction is executed alone, in a throw-away overlay of the tip state, as block tip_height + 1
// at time_ms. A nonce ahead of the account's next one passes admission (the sender's earlier
// transactions may still be pending); the dry run then takes it as the next one, so the operation
// itself is judged on the committed state, without those earlier transactions.
//
// Pure function of its arguments, like check_tx; thread-safe if the reader is.
#pragma once

#include "contracts/context.h"
#include "contracts/reason.h"
#include "contracts/state_access.h"

namespace docket::contracts {

// nullopt: admitted and applied; a Rejection: the reason code and message admission or the operation
// gives; an Error only when the state could not be read.
TxResult dry_run(const StateReader& tip, uint64_t tip_height, uint64_t time_ms, const ContractTx& tx);

}  // namespace docket::contracts
