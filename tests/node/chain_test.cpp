// open_chain: a fresh data directory is bound to the genesis; reopening checks it; another genesis,
// a missing genesis file and a damaged store are refused with clear errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/node/chain.h"
#include "ledger/storage/meta_store.h"

using namespace docket;
namespace fs = std::filesystem;

namespace {

std::string example_genesis() {
  std::ifstream f(std::string(DOCKET_SOURCE_DIR) + "/docs/genesis.example.json");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct Home {
  fs::path dir;
  node::NodeConfig cfg;
  Home() {
    dir = fs::temp_directory_path() / ("docket-chain-test-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::remove_all(dir);
    fs::create_directories(dir);
    cfg = node::default_config(dir);
  }
  ~Home() { fs::remove_all(dir); }
  void write_genesis(const std::string& text) const {
    std::ofstream(cfg.genesis_file) << text;
  }
};

}  // namespace

TEST_CASE("a fresh data directory gets the genesis state; reopening finds it") {
  Home h;
  h.write_genesis(example_genesis());
  {
    auto c = node::open_chain(h.cfg);
    REQUIRE(c.ok());
    REQUIRE(c->created);
    REQUIRE(c->height == 0);
    storage::MetaStore meta(*c->store);
    REQUIRE(meta.expect_chain(c->genesis.chain_id, c->genesis_hash).ok());
    REQUIRE(node::validator_set_of(c->genesis).size() == c->genesis.validators.size());
  }
  auto again = node::open_chain(h.cfg);
  REQUIRE(again.ok());
  REQUIRE_FALSE(again->created);
}

TEST_CASE("a data directory of another chain is refused") {
  Home h;
  std::string g = example_genesis();
  h.write_genesis(g);
  REQUIRE(node::open_chain(h.cfg).ok());
  const std::string from = "docket-asean-pilot-1";
  g.replace(g.find(from), from.size(), "another-chain-7");
  h.write_genesis(g);
  auto c = node::open_chain(h.cfg);
  REQUIRE_FALSE(c.ok());
  REQUIRE(c.error().code == Errc::wrong_chain);
  REQUIRE(c.error().message.find("another-chain-7") != std::string::npos);
}

TEST_CASE("a missing or malformed genesis is refused") {
  Home h;
  auto missing = node::open_chain(h.cfg);
  REQUIRE_FALSE(missing.ok());
  REQUIRE(missing.error().code == Errc::not_found);
  h.write_genesis("{\"chain_id\": 5}");
  auto bad = node::open_chain(h.cfg);
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.error().code == Errc::invalid_argument);
}

TEST_CASE("a second node on the same data directory is refused") {
  Home h;
  h.write_genesis(example_genesis());
  auto first = node::open_chain(h.cfg);
  REQUIRE(first.ok());
  auto second = node::open_chain(h.cfg);
  REQUIRE_FALSE(second.ok());
  REQUIRE(second.error().code == Errc::unavailable);
  CHECK(second.error().message.find("locked by another process") != std::string::npos);
  CHECK(second.error().message.find("(is another docketd running?)") != std::string::npos);
}

TEST_CASE("a data directory that cannot be opened for another reason does not blame another docketd") {
  Home h;
  h.write_genesis(example_genesis());
  fs::create_directories(h.cfg.data_dir);
  std::ofstream(h.cfg.data_dir / "stray-file") << "not a database";
  auto c = node::open_chain(h.cfg);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == Errc::corruption);
  CHECK(c.error().message.find("another docketd") == std::string::npos);
}

TEST_CASE("a data directory holding only the high-water mark gets a fresh database beside it") {
  Home h;
  h.write_genesis(example_genesis());
  fs::create_directories(h.cfg.data_dir);
  std::ofstream(h.cfg.data_dir / "hwm") << "kept from the lost store";
  auto c = node::open_chain(h.cfg);
  REQUIRE(c.ok());
  CHECK(c->created);
  CHECK(fs::exists(h.cfg.data_dir / "hwm"));
}
