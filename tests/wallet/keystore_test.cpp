#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "wallet/keys/keystore.h"
#include "wallet/oa/js_format.h"

using namespace docket;
using namespace docket::wallet;

namespace {
// Light parameters keep the suite fast; the CLI always uses the strong defaults (ScryptParams{}).
const keys::ScryptParams kFast{1u << 10, 8, 1};

std::string temp_dir() {
  char tmpl[] = "/tmp/docket-keystore-test-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  return tmpl;
}
}  // namespace

TEST_CASE("a key round-trips through the keystore") {
  auto key = crypto::SecretKey::generate();
  keys::Passphrase pass("correct horse battery staple");
  auto text = keys::encrypt_key(key, "alice", "docket-test", pass, kFast);
  REQUIRE(text.ok());
  auto info = keys::read_key_info(*text);
  REQUIRE(info.ok());
  CHECK(info->name == "alice");
  CHECK(info->chain_id == "docket-test");
  CHECK(info->public_key == key.public_key());
  auto back = keys::decrypt_key(*text, pass, "docket-test");
  REQUIRE(back.ok());
  CHECK(back->secret_bytes() == key.secret_bytes());
  // The secret does not appear in the file.
  CHECK(text->find(to_hex(key.secret_bytes())) == std::string::npos);
}

TEST_CASE("keystore errors are clear: wrong passphrase, other chain, corrupt, truncated") {
  auto key = crypto::SecretKey::generate();
  auto text = *keys::encrypt_key(key, "bob", "chain-a", keys::Passphrase("passphrase-one"), kFast);

  auto wrong = keys::decrypt_key(text, keys::Passphrase("passphrase-two"), "");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == Errc::bad_signature);
  CHECK(wrong.error().message.find("wrong passphrase") != std::string::npos);

  auto chain = keys::decrypt_key(text, keys::Passphrase("passphrase-one"), "chain-b");
  REQUIRE_FALSE(chain.ok());
  CHECK(chain.error().code == Errc::wrong_chain);
  CHECK(chain.error().message.find("chain-a") != std::string::npos);

  auto truncated = keys::decrypt_key(text.substr(0, text.size() / 2), keys::Passphrase("passphrase-one"), "");
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.error().code == Errc::corruption);

  // Editing the clear header (here the chain id) breaks the GCM tag: the file cannot be re-bound.
  auto j = *wallet::oa::parse_json(text);
  j["chain_id"] = "chain-b";
  auto rebound = keys::decrypt_key(wallet::oa::js_stringify(j), keys::Passphrase("passphrase-one"), "chain-b");
  REQUIRE_FALSE(rebound.ok());
  CHECK(rebound.error().code == Errc::bad_signature);

  // Any flipped ciphertext or tag byte fails.
  for (const char* field : {"ciphertext", "tag", "iv"}) {
    auto t = *wallet::oa::parse_json(text);
    std::string v = t["cipher"][field].get<std::string>();
    v[0] = v[0] == '0' ? '1' : '0';
    t["cipher"][field] = v;
    auto r = keys::decrypt_key(wallet::oa::js_stringify(t), keys::Passphrase("passphrase-one"), "");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::bad_signature);
  }

  auto hostile = *wallet::oa::parse_json(text);
  hostile["kdf"]["n"] = 1u << 30;  // would need terabytes; refused before scrypt runs
  auto h = keys::decrypt_key(wallet::oa::js_stringify(hostile), keys::Passphrase("passphrase-one"), "");
  REQUIRE_FALSE(h.ok());
  CHECK(h.error().code == Errc::corruption);
}

TEST_CASE("short passphrases are refused for new keys") {
  auto key = crypto::SecretKey::generate();
  auto r = keys::encrypt_key(key, "dave", "c", keys::Passphrase("1234567"), kFast);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("at least 8") != std::string::npos);
}

TEST_CASE("the keystore directory stores files with mode 0600 and never overwrites") {
  std::string dir = temp_dir() + "/keys";
  keys::Keystore store(dir);
  auto key = crypto::SecretKey::generate();
  auto text = *keys::encrypt_key(key, "carol", "c", keys::Passphrase("passphrase"), kFast);
  REQUIRE(store.save("carol", text).ok());
  struct stat st{};
  REQUIRE(::stat(store.path_of("carol").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  auto again = store.save("carol", text);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == Errc::already_exists);
  CHECK_FALSE(store.save("../evil", text).ok());
  auto list = store.list();
  REQUIRE(list.size() == 1);
  CHECK(list[0].public_key == key.public_key());
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}
