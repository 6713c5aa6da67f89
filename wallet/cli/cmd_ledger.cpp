// Commands that write to or read from the ledger through the node's HTTP API:
// issue, revoke, supersede, bl ..., member list|vote, history.
#include <iostream>

#include "wallet/cli/common.h"
#include "wallet/keys/keystore.h"
#include "wallet/keys/passphrase.h"
#include "wallet/net/node_client.h"
#include "wallet/oa/integrity.h"
#include "wallet/oa/js_format.h"
#include "wallet/oa/salt.h"
#include "wallet/tx/tx_builder.h"

namespace docket::wallet::cli {
namespace {

struct TxArgs {
  NodeOptions node;
  std::string key;
  std::string keystore;
  keys::PassphraseSource pass;
  bool no_wait = false;
  uint64_t expiry_blocks = 100;
};

void add_tx_options(CLI::App* c, TxArgs& a) {
  add_node_option(*c, a.node);
  c->add_option("--key,-k", a.key, "Name of the signing key in the keystore")->required();
  c->add_option("--keystore", a.keystore, "Keystore directory (default $DOCKET_KEYSTORE or ~/.docket/keys)");
  c->add_option("--passphrase-file", a.pass.file, "Read the key's passphrase from this file");
  c->add_flag("--no-wait", a.no_wait, "Return once the node accepted the transaction, without waiting for commit");
  c->add_option("--expiry-blocks", a.expiry_blocks, "The transaction expires this many blocks after the current height")
      ->check(CLI::Range(1, 1000000));
}

std::string require_string(const oa::Json& j, const char* key, const std::string& what) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) fail(kUsage, what + " has no \"" + key + "\"");
  return j[key].get<std::string>();
}

// Signs body with the named key and submits it; prints the outcome. Exit 1 if the ledger rejects it.
void submit(const TxArgs& a, pb::TxBody body, const std::string& what) {
  auto node = take(net::NodeClient::connect(a.node.url));
  auto status = take(node.status());
  std::string chain_id = require_string(status, "chain_id", "the node's /v1/status");
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
  std::string tx = tx::sign_transaction(std::move(body), {chain_id, nonce, height + a.expiry_blocks}, key);
  auto r = take(node.submit(to_hex(as_bytes(tx)), !a.no_wait));
  if (r.status == "committed") {
    std::cout << what << ": committed in block " << r.height << " (tx " << r.id << ")\n";
  } else if (r.status == "pending") {
    std::cout << what << ": accepted, pending (tx " << r.id << ")\n";
  } else {
    fail(kNotValid, what + ": rejected by the ledger" + (r.code.empty() ? "" : " (" + r.code + ")") +
                        (r.message.empty() ? "" : ": " + r.message));
  }
}

// A hash given as 64 hex digits, or read from a wrapped document (targetHash or merkleRoot).
Hash32 hash_or_document(const std::string& arg, bool want_root) {
  if (arg.size() == 64 || (arg.size() == 66 && arg.rfind("0x", 0) == 0))
    if (auto h = hash_from_hex(arg); h.ok()) return *h;
  auto doc = take(oa::parse_json_file(arg));
  auto integ = take(oa::check_integrity(doc), arg);
  if (!integ.valid) fail(kNotValid, arg + ": " + integ.reason);
  return want_root ? integ.merkle_root : integ.target_hash;
}

std::string document_type_of(const oa::Json& doc) {
  if (!doc.contains("data") || !doc["data"].is_object() || !doc["data"].contains("documentType")) return {};
  auto v = oa::unsalt_value(doc["data"]["documentType"]);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// A party on a bill of lading: hex bytes (member id or public key), or the name of a local key.
Bytes party_bytes(const std::string& arg, const std::string& keystore) {
  if (auto b = from_hex(arg); b.ok() && !b->empty()) return *b;
  keys::Keystore store(keystore.empty() ? keys::Keystore::default_dir() : keystore);
  auto info = store.info(arg);
  if (!info.ok()) fail(kUsage, "\"" + arg + "\" is neither hex nor the name of a key in " + store.dir());
  return Bytes(info->public_key.begin(), info->public_key.end());
}

void print_json(const oa::Json& j) { std::cout << oa::js_stringify_pretty(j) << "\n"; }

void register_documents(CLI::App& app) {
  {
    struct A { TxArgs tx; std::vector<std::string> docs; std::string type; };
    auto a = std::make_shared<A>();
    auto* c = app.add_subcommand("issue", "Register the merkleRoot of a wrapped batch on the ledger");
    c->add_option("documents", a->docs, "Wrapped documents of one batch")->required();
    c->add_option("--type", a->type, "Document type (default: the documents' documentType field)");
    add_tx_options(c, a->tx);
    c->callback([a] {
      std::optional<Hash32> root;
      std::string type = a->type;
      for (const auto& path : a->docs) {
        auto doc = take(oa::parse_json_file(path));
        auto integ = take(oa::check_integrity(doc), path);
        if (!integ.valid) fail(kNotValid, path + ": refusing to issue a document that fails integrity: " + integ.reason);
        if (root && *root != integ.merkle_root) fail(kUsage, path + ": belongs to another batch (other merkleRoot)");
        root = integ.merkle_root;
        std::string t = document_type_of(doc);
        if (type.empty()) type = t;
        if (!t.empty() && t != type) fail(kUsage, path + ": documentType \"" + t + "\" differs from \"" + type + "\"");
      }
      if (type.empty()) fail(kUsage, "the documents have no documentType; give --type");
      submit(a->tx, tx::document_issue(*root, type, {}), "issued batch " + to_hex(*root));
    });
  }
  {
    struct A { TxArgs tx; std::string target; uint32_t reason = 0; bool batch = false; };
    auto a = std::make_shared<A>();
    auto* c = app.add_subcommand("revoke", "Revoke a document (its targetHash) or a whole batch (--batch)");
    c->add_option("target", a->target, "Wrapped document, or a hash in hex")->required();
    c->add_option("--reason", a->reason, "Revocation reason code");
    c->add_flag("--batch", a->batch, "Revoke the document's whole batch (its merkleRoot)");
    add_tx_options(c, a->tx);
    c->callback([a] {
      Hash32 h = hash_or_document(a->target, a->batch);
      submit(a->tx, tx::document_revoke(h, a->reason), "revoked " + to_hex(h));
    });
  }
  {
    struct A { TxArgs tx; std::string old_doc, new_doc, type; };
    auto a = std::make_shared<A>();
    auto* c = app.add_subcommand("supersede", "Replace an issued batch by a new one (an amended document)");
    c->add_option("old", a->old_doc, "The superseded wrapped document, or its merkleRoot in hex")->required();
    c->add_option("new", a->new_doc, "The new wrapped document")->required();
    c->add_option("--type", a->type, "Document type (default: the new document's documentType)");
    add_tx_options(c, a->tx);
    c->callback([a] {
      Hash32 old_root = hash_or_document(a->old_doc, true);
      Hash32 new_root = hash_or_document(a->new_doc, true);
      std::string type = a->type.empty() ? document_type_of(take(oa::parse_json_file(a->new_doc))) : a->type;
      if (type.empty()) fail(kUsage, "the new document has no documentType; give --type");
      submit(a->tx, tx::document_supersede(old_root, new_root, type), "superseded " + to_hex(old_root));
    });
  }
  {
    auto node = std::make_shared<std::pair<NodeOptions, std::string>>();
    auto* c = app.add_subcommand("history", "Show the ledger's record and history of a document or hash");
    c->add_option("target", node->second, "Wrapped document (its merkleRoot), or a hash in hex")->required();
    add_node_option(*c, node->first);
    c->callback([node] {
      Hash32 h = hash_or_document(node->second, true);
      auto client = take(net::NodeClient::connect(node->first.url));
      auto rec = take(client.document(to_hex(h)));
      if (!rec) fail(kNotValid, to_hex(h) + " is not known to the ledger");
      print_json(*rec);
    });
  }
}

void register_bl(CLI::App& app) {
  auto* bl = app.add_subcommand("bl", "Transferable bills of lading (title escrow: owner and holder)");
  bl->require_subcommand(1);
  {
    struct A { TxArgs tx; std::string doc, owner, holder; uint32_t bl_type = 0; };
    auto a = std::make_shared<A>();
    auto* c = bl->add_subcommand("issue", "Create the ledger record of an issued bill of lading");
    c->add_option("document", a->doc, "Wrapped bill of lading")->required();
    c->add_option("--owner", a->owner, "Owner (beneficiary): member id or public key in hex, or a local key name")->required();
    c->add_option("--holder", a->holder, "Holder: member id or public key in hex, or a local key name")->required();
    c->add_option("--bl-type", a->bl_type, "1 = BOL (negotiable), 2 = SWB (default: from transportDocumentTypeCode)");
    add_tx_options(c, a->tx);
    c->callback([a] {
      auto doc = take(oa::parse_json_file(a->doc));
      auto integ = take(oa::check_integrity(doc), a->doc);
      if (!integ.valid) fail(kNotValid, a->doc + ": " + integ.reason);
      uint32_t type = a->bl_type;
      if (type == 0 && doc["data"].contains("transportDocumentTypeCode")) {
        auto code = oa::unsalt_value(doc["data"]["transportDocumentTypeCode"]);
        type = code == "SWB" ? 2 : code == "BOL" ? 1 : 0;
      }
      if (type == 0) fail(kUsage, "cannot tell BOL from SWB; give --bl-type");
      submit(a->tx,
             tx::bl_issue(integ.target_hash, party_bytes(a->owner, a->tx.keystore), party_bytes(a->holder, a->tx.keystore), type),
             "bill of lading " + to_hex(integ.target_hash));
    });
  }
  for (const char* name : {"nominate", "endorse", "transfer-holder", "transfer-owners", "reject", "surrender",
                           "accept-surrender", "reject-surrender"}) {
    struct A { TxArgs tx; std::string record, new_owner, new_holder; tx::BlActionCode code{}; std::string name; };
    auto a = std::make_shared<A>();
    a->name = name;
    bool known = tx::bl_action_from_name(name, a->code);
    DOCKET_ASSERT(known);
    auto* c = bl->add_subcommand(name, std::string("Bill of lading action: ") + name);
    c->add_option("record", a->record, "Wrapped bill of lading (its targetHash), or the record id in hex")->required();
    c->add_option("--new-owner", a->new_owner, "New owner: hex or a local key name (nominate, endorse, transfer-owners)");
    c->add_option("--new-holder", a->new_holder, "New holder: hex or a local key name (transfer-holder, transfer-owners)");
    add_tx_options(c, a->tx);
    c->callback([a] {
      Hash32 id = hash_or_document(a->record, false);
      Bytes owner = a->new_owner.empty() ? Bytes{} : party_bytes(a->new_owner, a->tx.keystore);
      Bytes holder = a->new_holder.empty() ? Bytes{} : party_bytes(a->new_holder, a->tx.keystore);
      submit(a->tx, tx::bl_action(id, a->code, owner, holder), a->name + " " + to_hex(id));
    });
  }
  {
    auto a = std::make_shared<std::pair<NodeOptions, std::string>>();
    auto* c = bl->add_subcommand("show", "Show a bill of lading's ledger record (owner, holder, status, history)");
    c->add_option("record", a->second, "Wrapped bill of lading, or the record id in hex")->required();
    add_node_option(*c, a->first);
    c->callback([a] {
      Hash32 id = hash_or_document(a->second, false);
      auto client = take(net::NodeClient::connect(a->first.url));
      auto rec = take(client.bill_of_lading(to_hex(id)));
      if (!rec) fail(kNotValid, "no bill of lading " + to_hex(id) + " on the ledger");
      print_json(*rec);
    });
  }
}

void register_members(CLI::App& app) {
  auto* m = app.add_subcommand("member", "Consortium members and governance");
  m->require_subcommand(1);
  {
    auto a = std::make_shared<NodeOptions>();
    auto* c = m->add_subcommand("list", "List members, their roles and countries");
    add_node_option(*c, *a);
    c->callback([a] {
      auto client = take(net::NodeClient::connect(a->url));
      print_json(take(client.members()));
    });
  }
  {
    struct A { TxArgs tx; uint64_t proposal = 0; bool yes = false, no = false; };
    auto a = std::make_shared<A>();
    auto* c = m->add_subcommand("vote", "Vote on a governance proposal");
    c->add_option("proposal", a->proposal, "Proposal id")->required();
    auto* y = c->add_flag("--yes", a->yes, "Vote for");
    auto* n = c->add_flag("--no", a->no, "Vote against");
    y->excludes(n);
    add_tx_options(c, a->tx);
    c->callback([a] {
      if (!a->yes && !a->no) fail(kUsage, "give --yes or --no");
      submit(a->tx, tx::gov_vote(a->proposal, a->yes), "vote on proposal " + std::to_string(a->proposal));
    });
  }
}

void register_status(CLI::App& app) {
  auto a = std::make_shared<NodeOptions>();
  auto* c = app.add_subcommand("status", "Show the node's status (chain id, height); exit 3 if unreachable");
  add_node_option(*c, *a);
  c->callback([a] {
    auto client = take(net::NodeClient::connect(a->url));
    print_json(take(client.status()));
  });
}

}  // namespace

void register_ledger_commands(CLI::App& app) {
  register_status(app);
  register_documents(app);
  register_bl(app);
  register_members(app);
}

}  // namespace docket::wallet::cli
