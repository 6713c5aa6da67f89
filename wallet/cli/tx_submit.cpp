#include "wallet/cli/tx_submit.h"

#include <algorithm>
#include <iostream>

#include "wallet/keys/keystore.h"
#include "wallet/oa/js_format.h"
#include "wallet/tx/tx_builder.h"

namespace docket::wallet::cli {

namespace {

std::string require_string(const oa::Json& j, const char* key, const std::string& what) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) fail(kUsage, what + " has no \"" + key + "\"");
  return j[key].get<std::string>();
}

// The contracts decide, on the node, through the same code the chain runs: the wallet keeps no copy
// of the rules that could disagree with them.
void check_before_sending(net::NodeClient& node, const std::string& tx_hex, const std::string& what) {
  auto verdict = take(node.check(tx_hex), "checking the transaction");
  if (!verdict) {
    std::cerr << "docket: warning: the node has no /v1/transactions/check (an older docketd); sending unchecked\n";
    return;
  }
  if (verdict->code == "ok") return;
  fail(kNotValid, what + ": refused: " + verdict->code + (verdict->message.empty() ? "" : ": " + verdict->message) +
                      " (nothing was sent; --force sends it anyway)");
}

}  // namespace

void add_tx_options(CLI::App* c, TxArgs& a) {
  add_node_option(*c, a.node);
  c->add_option("--key,-k", a.key, "Name of the signing key in the keystore")->required();
  c->add_option("--keystore", a.keystore, "Keystore directory (default $DOCKET_KEYSTORE or ~/.docket/keys)");
  c->add_option("--passphrase-file", a.pass.file, "Read the key's passphrase from this file");
  c->add_flag("--no-wait", a.no_wait, "Return once the node accepted the transaction, without waiting for commit");
  c->add_option("--expiry-blocks", a.expiry_blocks, "The transaction expires this many blocks after the current height")
      ->check(CLI::Range(1, 1000000));
  c->add_flag("--force", a.force,
              "Send even if the node's dry run says the ledger will refuse it (the refusal then spends the nonce)");
}

net::TxResult submit(const TxArgs& a, pb::TxBody body, const std::string& what) {
  auto node = take(net::NodeClient::connect(a.node.url));
  auto status = take(node.status());
  std::string chain_id = require_string(status, "chain_id", "the node's /v1/status");
  // The signature binds the genesis too: without its hash we would sign for a chain we cannot name.
  auto genesis_hash = hash_from_hex(require_string(status, "genesis_hash", "the node's /v1/status"));
  if (!genesis_hash) fail(kUsage, "the node's /v1/status has a malformed \"genesis_hash\": " + genesis_hash.error().message);
  // The expiry is counted from the current height; without it we could only guess.
  if (!status.contains("height") || !status["height"].is_number() || status["height"].get<double>() < 0)
    fail(kUsage, "the node's /v1/status has no \"height\"");
  auto height = static_cast<uint64_t>(status["height"].get<double>());
  keys::Keystore store(a.keystore.empty() ? keys::Keystore::default_dir() : a.keystore);
  std::string text = take(store.load_text(a.key));
  auto pass = take(keys::get_passphrase(a.pass, "Passphrase for key " + a.key + ": ", false));
  auto key = take(keys::decrypt_key(text, pass, chain_id), "key " + a.key);
  auto pk = key.public_key();
  uint64_t nonce = take(node.next_nonce(to_hex(pk)));
  Bytes tx = tx::sign_transaction(std::move(body), {{chain_id, *genesis_hash}, nonce, height + a.expiry_blocks}, key);
  const std::string tx_hex = to_hex(tx);
  if (!a.force) check_before_sending(node, tx_hex, what);
  auto r = take(node.submit(tx_hex, !a.no_wait));
  const std::string detail = (r.code.empty() ? "" : " (" + r.code + ")") + (r.message.empty() ? "" : ": " + r.message);
  if (r.status == "committed" && (r.code.empty() || r.code == "ok")) {
    std::cout << what << ": committed in block " << r.height << " (tx " << r.id << ")\n";
  } else if (r.status == "committed") {
    // In a block, nonce used, but the contracts refused the operation: nothing changed.
    fail(kNotValid, what + ": refused by the ledger in block " + std::to_string(r.height) + detail);
  } else if (r.status == "pending") {
    std::cout << what << ": accepted, pending (tx " << r.id << ")\n";
    if (!a.no_wait) fail(kNotValid, what + ": not committed within the wait; check later with the tx id");
  } else {
    fail(kNotValid, what + ": rejected by the node" + detail);
  }
  return r;
}

std::string member_id(const std::string& arg, const char* what) {
  auto ok_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; };
  bool ok = !arg.empty() && arg.size() <= 64 && arg[0] != '_' && arg[0] != '-' && std::all_of(arg.begin(), arg.end(), ok_char);
  if (!ok) fail(kUsage, std::string(what) + " \"" + arg + "\" is not a member id (see docket member list)");
  return arg;
}

void print_json(const oa::Json& j) { std::cout << oa::js_stringify_pretty(j) << "\n"; }

}  // namespace docket::wallet::cli
