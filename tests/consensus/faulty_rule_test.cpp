// The checkers can fail: with any one safety rule switched off (simulator only), a bounded search
// over seeds finds a violation. Each search stops at the first violating seed.
#include <catch2/catch.hpp>

#include "consensus/safety_rules.h"
#include "sim/simulation.h"

using namespace docket::sim;

namespace {

// First seed in [1, budget] whose run the safety checkers reject, or 0.
uint64_t first_violation(const std::string& rule, uint64_t budget) {
  Options o;
  o.validators = 4;
  // Twins break the vote-once rule fastest (both run the leader's code); the equivocator, with its
  // withheld-QC forks, the locking rules.
  o.byzantine = rule == "vote-once" ? Byzantine::twins : Byzantine::equivocate;
  o.net.drop = 0.2;
  o.partitions = true;
  o.crashes = true;
  o.faulty_rule = rule;
  for (uint64_t s = 1; s <= budget; ++s) {
    SeedResult r = run_seed(o, s);
    if (r.safety_violation) {
      UNSCOPED_INFO(rule << ": seed " << s << ": " << r.violation);
      return s;
    }
  }
  return 0;
}

}  // namespace

TEST_CASE("every faulty rule is caught within a few hundred seeds") {
  for (const std::string& rule : docket::consensus::faulty_rule_names()) {
    INFO("faulty rule " << rule);
    REQUIRE(first_violation(rule, 300) != 0);
  }
}

