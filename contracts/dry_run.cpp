#include "contracts/dry_run.h"

#include "contracts/executor.h"
#include "contracts/records.h"

namespace docket::contracts {

TxResult dry_run(const StateReader& tip, uint64_t tip_height, uint64_t time_ms, const ContractTx& tx) {
  CONTRACT_TRY(check_tx(tip, tip_height, tx));
  StateOverlay state(tip);
  auto account = load<pb::Account>(state, account_key(tx.sender));
  if (!account) return account.error();
  // check_tx found the sender's account; a state that lost it in between is not the tip it read.
  if (!*account) return make_error(Errc::corruption, "account vanished between admission and dry run");
  if ((*account)->nonce() != tx.nonce) {
    (*account)->set_nonce(tx.nonce);
    store(state, account_key(tx.sender), **account);
  }
  const ContractTx txs[] = {tx};
  auto outcome = execute_block(state, BlockContext{tip_height + 1, time_ms}, txs);
  if (!outcome) return outcome.error();
  const TxReceipt& r = outcome->receipts.at(0);
  if (r.ok()) return accepted();
  return rejected(r.reason, r.message);
}

}  // namespace docket::contracts
