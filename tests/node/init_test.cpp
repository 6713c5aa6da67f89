#include "ledger/node/init.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "ledger/node/node_key.h"

using namespace docket;
using namespace docket::node;
namespace fs = std::filesystem;

TEST_CASE("init writes a key and a config that load back, and never overwrites", "[node][init]") {
  const fs::path home = fs::temp_directory_path() / ("docket-init-test-" + std::to_string(::getpid())) / "node0";
  fs::remove_all(home.parent_path());
  InitOptions opts;
  opts.node_name = "node0";
  opts.p2p_port = 27100;
  opts.api_port = 27200;
  opts.peers.push_back({"127.0.0.1", 27101, crypto::SecretKey::generate().public_key()});

  auto r = init_home(home, opts);
  REQUIRE(r.ok());
  REQUIRE(load_node_key(r->node_key_file)->public_key() == r->node_key);
  auto cfg = load_config(r->config_file);
  REQUIRE(cfg.ok());
  REQUIRE(cfg->node_name == "node0");
  REQUIRE(cfg->p2p.listen_port == 27100);
  REQUIRE(cfg->api.listen_port == 27200);
  REQUIRE(cfg->p2p.peers.size() == 1);
  REQUIRE(cfg->node_key_file == r->node_key_file);
  struct stat st {};
  REQUIRE(::stat(home.c_str(), &st) == 0);
  REQUIRE((st.st_mode & 0777) == 0700);

  auto again = init_home(home, opts);
  REQUIRE(again.error().code == Errc::already_exists);
  REQUIRE(load_node_key(r->node_key_file)->public_key() == r->node_key);

  // A rewritten config (peers added later) replaces the old one whole.
  cfg->p2p.peers.push_back({"::1", 27102, crypto::SecretKey::generate().public_key()});
  REQUIRE(write_config(r->config_file, *cfg).ok());
  REQUIRE(load_config(r->config_file)->p2p.peers.size() == 2);
  REQUIRE_FALSE(fs::exists(r->config_file.string() + ".tmp"));
  fs::remove_all(home.parent_path());
}
