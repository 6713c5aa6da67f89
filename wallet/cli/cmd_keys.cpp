// docket keys new|list|show|import|export: the encrypted keystore.
#include <openssl/crypto.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "wallet/cli/common.h"
#include "wallet/keys/keystore.h"
#include "wallet/keys/passphrase.h"
#include "wallet/net/node_client.h"
#include "wallet/oa/json.h"

namespace docket::wallet::cli {
namespace {

struct KeyArgs {
  std::string keystore;
  std::string name;
  std::string chain_id;
  std::string file;
  std::string out;
  bool raw = false;
  keys::PassphraseSource pass;
  NodeOptions node;  // only to learn the chain id when none is given
};

keys::Keystore open_store(const KeyArgs& a) { return keys::Keystore(a.keystore.empty() ? keys::Keystore::default_dir() : a.keystore); }

// --chain-id, else $DOCKET_CHAIN_ID, else the chain of the node (--node / $DOCKET_NODE).
std::string chain_id_for(const KeyArgs& a) {
  if (!a.chain_id.empty()) return a.chain_id;
  const char* env = std::getenv("DOCKET_CHAIN_ID");
  if (env && *env) return env;
  auto node = net::NodeClient::connect(a.node.url);
  if (node.ok()) {
    auto status = node->status();
    if (status.ok() && status->contains("chain_id") && (*status)["chain_id"].is_string())
      return (*status)["chain_id"].get<std::string>();
  }
  fail(kUsage, "a key is bound to one chain: give --chain-id, set DOCKET_CHAIN_ID, or point --node at a running node");
}

void print_info(const keys::KeyInfo& i) {
  std::cout << "name        " << i.name << "\npublic key  " << to_hex(i.public_key) << "\nchain id    " << i.chain_id
            << "\ncreated     " << i.created << "\nfile        " << i.path << "\nkdf         scrypt n=" << i.scrypt.n
            << " r=" << i.scrypt.r << " p=" << i.scrypt.p << ", aes-256-gcm\n";
}

void run_new(const KeyArgs& a) {
  auto store = open_store(a);
  check(keys::check_key_name(a.name));
  std::string chain = chain_id_for(a);
  if (store.info(a.name).ok()) fail(kUsage, "a key named \"" + a.name + "\" already exists in " + store.dir());
  auto pass = take(keys::get_passphrase(a.pass, "Passphrase for new key " + a.name + ": ", true));
  auto key = crypto::SecretKey::generate();
  check(store.save(a.name, take(keys::encrypt_key(key, a.name, chain, pass))));
  print_info(take(store.info(a.name)));
}

void run_list(const KeyArgs& a) {
  auto store = open_store(a);
  std::vector<std::string> problems;
  auto keys = store.list(&problems);
  if (keys.empty() && problems.empty()) std::cout << "no keys in " << store.dir() << "\n";
  for (const auto& k : keys) std::cout << k.name << "  " << to_hex(k.public_key) << "  " << k.chain_id << "\n";
  for (const auto& p : problems) std::cerr << "docket: " << p << "\n";
}

void run_show(const KeyArgs& a) { print_info(take(open_store(a).info(a.name))); }

void run_import(const KeyArgs& a) {
  auto store = open_store(a);
  std::ifstream in(a.file, std::ios::binary);
  if (!in) fail(kUsage, a.file + ": cannot open");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto info = keys::read_key_info(content);
  if (info.ok()) {
    // A keystore file: prove it opens with the passphrase, then store it (re-encrypted if renamed).
    auto pass = take(keys::get_passphrase(a.pass, "Passphrase of " + a.file + ": ", false));
    auto key = take(keys::decrypt_key(content, pass, a.chain_id), a.file);
    std::string name = a.name.empty() ? info->name : a.name;
    std::string stored = name == info->name ? content : take(keys::encrypt_key(key, name, info->chain_id, pass));
    check(store.save(name, stored));
    print_info(take(store.info(name)));
    return;
  }
  // Otherwise: a raw secret key, 64 hex digits.
  std::string hex = content;
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.pop_back();
  auto bytes = from_hex(hex);
  OPENSSL_cleanse(content.data(), content.size());
  OPENSSL_cleanse(hex.data(), hex.size());
  if (!bytes.ok() || bytes->size() != 32)
    fail(kUsage, a.file + ": neither a docket keystore (" + info.error().message + ") nor a 64-digit hex secret key");
  auto key = crypto::SecretKey::from_bytes(*bytes);
  OPENSSL_cleanse(bytes->data(), bytes->size());
  if (!key.ok()) fail(kUsage, a.file + ": " + key.error().message);
  if (a.name.empty()) fail(kUsage, "importing a raw secret key needs --name");
  std::string chain = chain_id_for(a);
  auto pass = take(keys::get_passphrase(a.pass, "Passphrase for imported key " + a.name + ": ", true));
  check(store.save(a.name, take(keys::encrypt_key(*key, a.name, chain, pass))));
  print_info(take(store.info(a.name)));
}

void run_export(const KeyArgs& a) {
  auto store = open_store(a);
  std::string text = take(store.load_text(a.name));
  std::string out = text;
  if (a.raw) {
    auto pass = take(keys::get_passphrase(a.pass, "Passphrase for key " + a.name + ": ", false));
    auto key = take(keys::decrypt_key(text, pass, a.chain_id));
    out = to_hex(key.secret_bytes()) + "\n";
  }
  if (a.out.empty()) {
    std::cout << out;
  } else {
    check(write_file(a.out, out, 0600));
  }
  OPENSSL_cleanse(out.data(), out.size());
}

}  // namespace

void register_key_commands(CLI::App& app) {
  auto* keys_cmd = app.add_subcommand("keys", "Manage signing keys in the encrypted keystore");
  keys_cmd->require_subcommand(1);
  auto add_common = [](CLI::App* c, KeyArgs& a) {
    c->add_option("--keystore", a.keystore, "Keystore directory (default $DOCKET_KEYSTORE or ~/.docket/keys)");
    c->add_option("--passphrase-file", a.pass.file, "Read the passphrase from the first line of this file");
  };
  auto make = [&](const char* name, const char* help, void (*run)(const KeyArgs&)) {
    auto args = std::make_shared<KeyArgs>();
    auto* c = keys_cmd->add_subcommand(name, help);
    add_common(c, *args);
    c->callback([args, run] { run(*args); });
    return std::make_pair(c, args);
  };
  {
    auto [c, a] = make("new", "Create a key for one chain", run_new);
    c->add_option("name", a->name, "Key name")->required();
    c->add_option("--chain-id", a->chain_id, "Chain the key signs for (default $DOCKET_CHAIN_ID, else the node's)");
    add_node_option(*c, a->node);
  }
  {
    make("list", "List keys", run_list);
  }
  {
    auto [c, a] = make("show", "Show a key's public part", run_show);
    c->add_option("name", a->name, "Key name")->required();
  }
  {
    auto [c, a] = make("import", "Import a keystore file or a raw hex secret key", run_import);
    c->add_option("file", a->file, "Keystore JSON file, or a file holding a 64-digit hex secret key")->required();
    c->add_option("--name", a->name, "Name to store it under (required for a raw key)");
    c->add_option("--chain-id", a->chain_id, "Chain id (raw key: default $DOCKET_CHAIN_ID, else the node's; keystore: checked)");
    add_node_option(*c, a->node);
  }
  {
    auto [c, a] = make("export", "Write a key's keystore file (or, with --raw, its secret key in hex)", run_export);
    c->add_option("name", a->name, "Key name")->required();
    c->add_option("--out,-o", a->out, "Output file, mode 0600 (default: stdout)");
    c->add_flag("--raw", a->raw, "Decrypt and write the secret key itself (handle with care)");
    c->add_option("--chain-id", a->chain_id, "Refuse unless the key is for this chain");
  }
}

}  // namespace docket::wallet::cli
