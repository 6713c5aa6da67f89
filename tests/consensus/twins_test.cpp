// Twins-style enumeration: n = 4, validator 0 run by two replicas with one key, and sequences of
// partitions (twins apart, or none) over two and three rounds. No sequence may break safety, and every
// one must make progress once the network heals. The full three- and four-round enumerations run
// under the `long` label (sim_long_test.cpp).
#include <catch2/catch.hpp>

#include "budget.h"
#include "twins_enumerate.h"

using namespace docket::sim;
using namespace docket::sim::testing;
using docket::consensus::testing::budget;


TEST_CASE("twins partitions keep the twins apart") {
  const auto parts = twins_partitions(4);
  REQUIRE(parts.size() == 9);  // no partition + 2^3 placements of validators 1..3
  for (size_t i = 1; i < parts.size(); ++i) REQUIRE(parts[i][0] != parts[i][4]);
}

TEST_CASE("twins enumeration: every two-round schedule, a sample of three-round ones: safe and live") {
  Outcome two = enumerate("none", 2, budget(6) == 1 ? 3 : 1);
  INFO(two.first);
  REQUIRE(two.safety == 0);
  REQUIRE(two.liveness == 0);
  Outcome three = enumerate("none", 3, budget(6) == 1 ? 61 : 7);
  INFO(three.first);
  REQUIRE(three.scenarios >= 12);
  REQUIRE(three.safety == 0);
  REQUIRE(three.liveness == 0);
}

TEST_CASE("twins enumeration catches a 1-chain commit rule") {
  Outcome o = enumerate("commit-rule", 2, budget(6) == 1 ? 3 : 1);
  INFO(o.first);
  REQUIRE(o.safety > 0);
}
