// Twins-style enumeration: n = 4, validator 0 run by two replicas with one key, and every sequence of
// partitions (twins apart, or none) over three rounds. No sequence may break safety, and every one
// must make progress once the network heals.
#include <catch2/catch.hpp>

#include "sim/twins.h"

using namespace docket::sim;

namespace {

struct Outcome {
  size_t scenarios = 0;
  size_t safety = 0;
  size_t liveness = 0;
  std::string first;
};

Outcome enumerate(const std::string& faulty_rule, size_t rounds) {
  const auto parts = twins_partitions(4);
  Outcome o;
  std::vector<size_t> idx(rounds, 0);
  for (;;) {
    TwinsScenario s;
    s.faulty_rule = faulty_rule;
    for (size_t k : idx) s.rounds.push_back(parts[k]);
    TwinsResult r = run_twins(s);
    ++o.scenarios;
    if (r.safety_violation || r.liveness_failure) {
      (r.safety_violation ? o.safety : o.liveness)++;
      if (o.first.empty()) {
        o.first = r.violation + " with";
        for (const auto& p : s.rounds) o.first += " " + describe(p);
      }
    }
    size_t k = 0;
    while (k < rounds && ++idx[k] == parts.size()) idx[k++] = 0;
    if (k == rounds) break;
  }
  return o;
}

}  // namespace

TEST_CASE("twins partitions keep the twins apart") {
  const auto parts = twins_partitions(4);
  REQUIRE(parts.size() == 9);  // no partition + 2^3 placements of validators 1..3
  for (size_t i = 1; i < parts.size(); ++i) REQUIRE(parts[i][0] != parts[i][4]);
}

TEST_CASE("twins enumeration over three rounds: safe and live") {
  Outcome o = enumerate("none", 3);
  INFO(o.first);
  REQUIRE(o.scenarios == 729);
  REQUIRE(o.safety == 0);
  REQUIRE(o.liveness == 0);
}

TEST_CASE("twins enumeration catches a 1-chain commit rule") {
  Outcome o = enumerate("commit-rule", 2);
  INFO(o.first);
  REQUIRE(o.safety > 0);
}
