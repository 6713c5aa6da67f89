#include <fstream>
#include <sstream>

#include "contracts/genesis.h"
#include "harness.h"

using namespace docket;
using namespace docket::test;

namespace {
std::string with(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}
Errc code_of(const std::string& json) {
  auto g = contracts::parse_genesis(json);
  REQUIRE_FALSE(g.ok());
  return g.error().code;
}
}  // namespace

TEST_CASE("the documented genesis example parses") {
  // docs/contracts.md carries this file verbatim; the test keeps the two in step.
  std::ifstream f(std::string(DOCKET_SOURCE_DIR) + "/docs/genesis.example.json");
  REQUIRE(f.good());
  std::stringstream ss;
  ss << f.rdbuf();
  auto g = contracts::parse_genesis(ss.str());
  INFO((g.ok() ? "" : g.error().to_string()));
  REQUIRE(g.ok());
  CHECK(g->chain_id == "docket-asean-pilot-1");
  CHECK(g->members.size() == 6);
  CHECK(g->validators.size() == 4);
  CHECK(g->params.proposal_ttl_blocks == 17280);
}

TEST_CASE("genesis parsing and hashing") {
  const std::string good = genesis_json();
  auto g = contracts::parse_genesis(good);
  REQUIRE(g.ok());
  CHECK(g->members.size() == 15);
  CHECK(std::is_sorted(g->members.begin(), g->members.end(), [](auto& a, auto& b) { return a.id < b.id; }));
  CHECK(g->params.max_tx_ttl_blocks == 100);
  CHECK(g->params.epoch_length_blocks == 1000);  // default

  // Whitespace and member order do not change the hash; content does.
  std::string spaced = with(good, R"("chain_id":)", "\n  \"chain_id\" :  ");
  CHECK(contracts::genesis_hash(*contracts::parse_genesis(spaced)) == contracts::genesis_hash(*g));
  std::string changed = with(good, "Org t1", "Org t1 Ltd");
  CHECK(contracts::genesis_hash(*contracts::parse_genesis(changed)) != contracts::genesis_hash(*g));
}

TEST_CASE("genesis rejects what it does not fully understand") {
  const std::string good = genesis_json();
  CHECK(code_of("{") == Errc::invalid_argument);
  CHECK(code_of(with(good, R"("chain_id")", R"("colour":"red","chain_id")")) == Errc::invalid_argument);
  CHECK(code_of(with(good, R"("chain_id":"docket-test")", R"("chain_id":"docket-test","chain_id":"other")")) ==
        Errc::invalid_argument);
  // Duplicate member id.
  CHECK(code_of(with(good, R"("id":"t2")", R"("id":"t1")")) == Errc::invalid_argument);
  // The same key for two members.
  CHECK(code_of(with(good, to_hex(key_for("t2").public_key()), to_hex(key_for("t1").public_key()))) ==
        Errc::invalid_argument);
  // Bad hex, bad country, unknown role, missing roles, no admin, unknown field in a member.
  CHECK(code_of(with(good, to_hex(key_for("t2").public_key()), "zz" + to_hex(key_for("t2").public_key()).substr(2))) ==
        Errc::invalid_argument);
  CHECK(code_of(with(good, R"("country":"SG")", R"("country":"XX")")) == Errc::invalid_argument);
  CHECK(code_of(with(good, R"("roles":["trader"])", R"("roles":["pirate"])")) == Errc::invalid_argument);
  CHECK(code_of(with(good, R"(,"roles":["trader"])", "")) == Errc::invalid_argument);
  CHECK(code_of(genesis_json(0)) == Errc::invalid_argument);
  CHECK(code_of(with(good, R"("name":"Org t1")", R"("name":"Org t1","fax":"none")")) == Errc::invalid_argument);
  // Validators: unknown member, member without the validator role, missing params.
  CHECK(code_of(with(good, R"("member":"v1")", R"("member":"nobody")")) == Errc::invalid_argument);
  CHECK(code_of(with(good, R"("member":"v1")", R"("member":"t1")")) == Errc::invalid_argument);
  CHECK(code_of(with(good, R"("proposal_ttl_blocks":10,)", "")) == Errc::invalid_argument);
  CHECK(code_of(with(good, R"("proposal_ttl_blocks":10)", R"("proposal_ttl_blocks":-1)")) == Errc::invalid_argument);
}

TEST_CASE("init_state writes the consortium") {
  Chain c;
  auto info = contracts::chain_info(c.state());
  REQUIRE(info.ok());
  CHECK(info->chain_id() == "docket-test");
  auto g = contracts::parse_genesis(genesis_json());
  CHECK(info->genesis_hash() == field(contracts::genesis_hash(*g)));
  CHECK(contracts::members(c.state())->size() == 15);
  auto acct = contracts::account(c.state(), key_for("carrier").public_key());
  REQUIRE(acct.ok());
  REQUIRE(acct->has_value());
  CHECK((*acct)->member->roles(0) == "carrier");
  CHECK((*acct)->account.nonce() == 0);
  CHECK(contracts::validators(c.state())->validators_size() == 1);
  // Applying genesis twice is refused.
  CHECK(c.exec().init_state(*g).error().code == Errc::invalid_state);
}
