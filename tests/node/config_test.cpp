#include "ledger/node/config.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "ledger/crypto/schnorr.h"

using namespace docket;
using namespace docket::node;
namespace fs = std::filesystem;

namespace {
std::string error_of(std::string_view text) {
  auto r = parse_config(text, "/home/n");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().code == Errc::invalid_argument);
  return r.error().message;
}
}  // namespace

TEST_CASE("an empty config gives the defaults, with paths in the home", "[node][config]") {
  auto c = parse_config("", "/home/n").value();
  REQUIRE(c.home == fs::path("/home/n"));
  REQUIRE(c.node_key_file == fs::path("/home/n/node_key.json"));
  REQUIRE(c.data_dir == fs::path("/home/n/data"));
  REQUIRE(c.genesis_file == fs::path("/home/n/genesis.json"));
  REQUIRE(c.log_level == spdlog::level::info);
  REQUIRE(c.p2p.listen_port == 26656);
  REQUIRE(c.api.listen_port == 26657);  // the wallet's default --node
  REQUIRE(c.p2p.peers.empty());
}

TEST_CASE("a full config is read", "[node][config]") {
  const auto key = crypto::SecretKey::generate().public_key();
  const std::string text = R"(
node_key_file = "/secure/key.json"
data_dir = "chain"
log_level = "debug"
node_name = "node3"
[p2p]
listen_address = "127.0.0.1"
listen_port = 27000
idle_timeout_ms = 9000
[[p2p.peers]]
address = "10.0.0.2:27001"
public_key = ")" + to_hex(key) + R"("
[[p2p.peers]]
address = "[::1]:27002"
public_key = ")" + to_hex(key) + R"("
[api]
listen_port = 9090
max_body_bytes = 2048
[mempool]
max_txs = 7
[consensus]
round_timeout_ms = 500
)";
  auto c = parse_config(text, "/home/n").value();
  REQUIRE(c.node_key_file == fs::path("/secure/key.json"));
  REQUIRE(c.data_dir == fs::path("/home/n/chain"));
  REQUIRE(c.log_level == spdlog::level::debug);
  REQUIRE(c.node_name == "node3");
  REQUIRE(c.p2p.listen_host == "127.0.0.1");
  REQUIRE(c.p2p.listen_port == 27000);
  REQUIRE(c.p2p.idle_timeout == std::chrono::milliseconds(9000));
  REQUIRE(c.p2p.peers.size() == 2);
  REQUIRE(c.p2p.peers[0].host == "10.0.0.2");
  REQUIRE(c.p2p.peers[0].port == 27001);
  REQUIRE(c.p2p.peers[0].key == key);
  REQUIRE(c.p2p.peers[1].host == "::1");
  REQUIRE(c.api.listen_port == 9090);
  REQUIRE(c.api.max_body_bytes == 2048);
  REQUIRE(c.mempool.max_txs == 7);
  REQUIRE(c.consensus.round_timeout == std::chrono::milliseconds(500));
}

TEST_CASE("render_config writes what parse_config reads back", "[node][config]") {
  NodeConfig c = default_config("/home/n");
  c.node_name = "n\"1";
  c.log_level = spdlog::level::warn;
  c.p2p.listen_port = 1234;
  c.p2p.peers.push_back({"127.0.0.1", 4000, crypto::SecretKey::generate().public_key()});
  c.p2p.peers.push_back({"::1", 4001, crypto::SecretKey::generate().public_key()});
  c.api.max_wait = std::chrono::milliseconds(1234);
  c.mempool.max_txs_per_sender = 999;
  c.consensus.round_timeout_max = std::chrono::milliseconds(60000);
  const auto back = parse_config(render_config(c), "/home/n").value();
  REQUIRE(render_config(back) == render_config(c));
  REQUIRE(back.p2p.peers.size() == 2);
  REQUIRE(back.p2p.peers[1].host == "::1");
  REQUIRE(back.node_name == "n\"1");
}

TEST_CASE("malformed configs are refused with the line and key", "[node][config]") {
  CHECK_THAT(error_of("log_level = \"loud\""), Catch::Contains("unknown log level"));
  CHECK_THAT(error_of("[p2p]\nlisten_port = \"80\""), Catch::Contains("config.toml:2: p2p.listen_port must be an integer"));
  CHECK_THAT(error_of("[p2p]\nlisten_port = 70000"), Catch::Contains("between 0 and 65535"));
  CHECK_THAT(error_of("[p2p]\nlisten_port = -1"), Catch::Contains("between"));
  CHECK_THAT(error_of("[api]\nlisten_prot = 80"), Catch::Contains("unknown key 'api.listen_prot'"));
  CHECK_THAT(error_of("colour = 1"), Catch::Contains("unknown key 'colour'"));
  CHECK_THAT(error_of("[mempool]\nmax_tx_bytes = 1000000"), Catch::Contains("no longer a node setting"));
  CHECK_THAT(error_of("[p2p\nx=1"), Catch::Contains("config.toml:1"));
  CHECK_THAT(error_of("p2p = 3"), Catch::Contains("p2p must be a table"));
  CHECK_THAT(error_of("[[p2p.peers]]\naddress = \"host\"\npublic_key = \"00\""), Catch::Contains("host:port"));
  CHECK_THAT(error_of("[[p2p.peers]]\naddress = \"h:1\"\npublic_key = \"zz\""), Catch::Contains("p2p.peers[0].public_key"));
  CHECK_THAT(error_of("[[p2p.peers]]\naddress = \"h:1\""), Catch::Contains("needs address and public_key"));
  CHECK_THAT(error_of("[[p2p.peers]]\naddress = \"h:1\"\nkey = \"00\""), Catch::Contains("unknown key 'p2p.peers[0].key'"));
  CHECK_THAT(error_of("[p2p]\nreconnect_initial_ms = 500\nreconnect_max_ms = 100"), Catch::Contains("must not exceed"));
  CHECK_THAT(error_of("data_dir = \"\""), Catch::Contains("must not be empty"));
}

TEST_CASE("host:port parsing", "[node][config]") {
  REQUIRE(parse_host_port("a.b:1").value() == std::make_pair(std::string("a.b"), uint16_t{1}));
  REQUIRE(parse_host_port("[fe80::1]:65535").value().first == "fe80::1");
  for (const char* bad : {"", ":1", "a:", "a:0", "a:65536", "a:1x", "fe80::1:80", "[::1]80", "a: 1"}) {
    INFO(bad);
    REQUIRE_FALSE(parse_host_port(bad).ok());
  }
}

TEST_CASE("load_config reports a missing file and reads a real one", "[node][config]") {
  const fs::path dir = fs::temp_directory_path() / ("docket-config-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto missing = load_config(dir / "config.toml");
  REQUIRE(missing.error().code == Errc::not_found);
  {
    std::ofstream(dir / "config.toml") << "data_dir = \"d\"\n";
  }
  auto c = load_config(dir / "config.toml").value();
  REQUIRE(c.data_dir == fs::absolute(dir) / "d");
  fs::remove_all(dir);
}
