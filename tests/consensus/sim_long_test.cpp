// Long simulator runs (CTest label `long`): the acceptance runs of docs/consensus.md.
#include <catch2/catch.hpp>

#include "sim/simulation.h"
#include "twins_enumerate.h"

using namespace docket::sim;

namespace {

void require_clean(Options o, uint64_t seeds) {
  for (uint64_t s = 1; s <= seeds; ++s) {
    SeedResult r = run_seed(o, s);
    INFO("replay: " << o.command_line(s) << "\n" << r.violation);
    REQUIRE(!r.safety_violation);
    REQUIRE(!r.liveness_failure);
  }
}

Options faulty(size_t n, Byzantine b) {
  Options o;
  o.validators = n;
  o.byzantine = b;
  o.net.drop = 0.2;
  o.partitions = true;
  o.crashes = true;
  return o;
}

}  // namespace

TEST_CASE("1000 seeds: n = 4, twins, 20% loss, partitions, crashes") { require_clean(faulty(4, Byzantine::twins), 1000); }

TEST_CASE("300 seeds: n = 4, mixed Byzantine behaviour, duplicates") {
  Options o = faulty(4, Byzantine::mixed);
  o.net.duplicate = 0.1;
  require_clean(o, 300);
}

TEST_CASE("n = 7 and n = 10 with f equivocating replicas") {
  require_clean(faulty(7, Byzantine::equivocate), 40);
  require_clean(faulty(10, Byzantine::mixed), 10);
}

TEST_CASE("epoch changes under faults") {
  Options o = faulty(4, Byzantine::mixed);
  o.epoch_every = 10;
  require_clean(o, 100);
}

TEST_CASE("twins: every three- and four-round partition schedule") {
  for (size_t rounds : {3, 4}) {
    testing::Outcome o = testing::enumerate("none", rounds);
    INFO(rounds << " rounds: " << o.first);
    REQUIRE(o.safety == 0);
    REQUIRE(o.liveness == 0);
  }
}
