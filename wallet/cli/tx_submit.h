// Signing and submitting one transaction from the CLI: the options every writing command shares
// (node, key, keystore, passphrase, wait), and the submit step that prints the outcome the same way
// for every command. Used by cmd_ledger.cpp (documents, bills) and cmd_governance.cpp (members).
#pragma once

#include <string>

#include "ledger/proto/transaction.pb.h"
#include "wallet/cli/common.h"
#include "wallet/keys/passphrase.h"
#include "wallet/net/node_client.h"

namespace docket::wallet::cli {

struct TxArgs {
  NodeOptions node;
  std::string key;
  std::string keystore;
  keys::PassphraseSource pass;
  bool no_wait = false;
  bool force = false;  // send without asking the node's dry run first
  uint64_t expiry_blocks = 100;
};

void add_tx_options(CLI::App* c, TxArgs& a);

// Signs body with the named key, asks the node whether the contracts would apply it (POST
// /v1/transactions/check) and submits it; prints "<what>: committed in block H (tx ID)" or
// "accepted, pending". Fails with kNotValid if the node or the contracts refuse it, or if it is not
// committed within the wait. A transaction the check refuses is not sent (so it spends no nonce): it
// fails with kNotValid and the contract's reason code, unless a.force. A node without the check
// route gets a warning and the transaction is sent. Returns the node's answer (its events tell what
// the contracts did).
net::TxResult submit(const TxArgs& a, pb::TxBody body, const std::string& what);

// A consortium member id as the contracts accept it ([a-z0-9][a-z0-9_-]{0,63}); fails with kUsage
// naming the option `what` otherwise.
std::string member_id(const std::string& arg, const char* what);

void print_json(const oa::Json& j);

}  // namespace docket::wallet::cli
