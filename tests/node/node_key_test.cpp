#include "ledger/node/node_key.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

using namespace docket;
using namespace docket::node;
namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("docket-key-test-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};
void write_file(const fs::path& p, const std::string& text, mode_t mode) {
  std::ofstream(p) << text;
  ::chmod(p.c_str(), mode);
}
}  // namespace

TEST_CASE("a node key round-trips through its 0600 file", "[node][key]") {
  TempDir dir;
  const auto file = dir.path / "node_key.json";
  const auto key = crypto::SecretKey::generate();
  REQUIRE(write_node_key(file, key).ok());
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  REQUIRE((st.st_mode & 0777) == 0600);
  auto back = load_node_key(file);
  REQUIRE(back.ok());
  REQUIRE(back->public_key() == key.public_key());

  // Never overwritten.
  auto again = write_node_key(file, crypto::SecretKey::generate());
  REQUIRE(again.error().code == Errc::already_exists);
  REQUIRE(load_node_key(file)->public_key() == key.public_key());
}

TEST_CASE("bad node key files are refused clearly", "[node][key]") {
  TempDir dir;
  const auto file = dir.path / "k.json";
  const auto key = crypto::SecretKey::generate();
  const std::string pub = to_hex(key.public_key()), sec = to_hex(key.secret_bytes());

  REQUIRE(load_node_key(dir.path / "none.json").error().code == Errc::not_found);

  write_file(file, R"({"public_key":")" + pub + R"(","secret_key":")" + sec + R"("})", 0644);
  auto open_perm = load_node_key(file);
  REQUIRE(open_perm.error().code == Errc::unauthorized);
  REQUIRE_THAT(open_perm.error().message, Catch::Contains("0644"));

  const auto other = to_hex(crypto::SecretKey::generate().public_key());
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "not a JSON object"},
      {"[1]", "not a JSON object"},
      {R"({"secret_key":")" + sec + R"("})", "needs string fields"},
      {R"({"public_key":")" + pub + R"(","secret_key":"zz"})", "secret_key"},
      {R"({"public_key":")" + other + R"(","secret_key":")" + sec + R"("})", "does not belong"},
      {R"({"public_key":")" + pub + R"(","secret_key":")" + sec + R"(","x":1})", "unknown field 'x'"},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    fs::remove(file);
    write_file(file, text, 0600);
    auto r = load_node_key(file);
    REQUIRE_FALSE(r.ok());
    REQUIRE_THAT(r.error().message, Catch::Contains(expected));
  }
}
