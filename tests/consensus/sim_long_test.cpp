// Long simulator soak (CTest label `long`; CI runs it with `ctest -L long`): every Byzantine mode at
// n = 4 and n = 7, a sample of n = 10, validator-set changes and real signatures, all under 20% loss,
// 5% duplication, partitions and crash-restarts; plus the acceptance run and the full Twins
// enumeration. Seeds start well away from the default suite's. About 5 minutes of one core (CTest
// timeout 20 minutes); figures in docs/benchmarks.md. Each scenario prints a docket-sim style summary.
#include <catch2/catch.hpp>

#include <iostream>

#include "faulty_options.h"
#include "sim/simulation.h"
#include "twins_enumerate.h"

using namespace docket::sim;
using docket::consensus::testing::faulty_network;

namespace {

// Runs every seed (a failure does not hide later ones), prints the summary, and requires none failed.
void soak(const Options& o, uint64_t first, uint64_t seeds) {
  uint64_t safety = 0, liveness = 0, commits = 0, sim_ms = 0;
  std::string first_failure;
  for (uint64_t s = first; s < first + seeds; ++s) {
    const SeedResult r = run_seed(o, s);
    safety += r.safety_violation ? 1 : 0;
    liveness += r.liveness_failure ? 1 : 0;
    commits += r.committed_height;
    sim_ms += r.sim_ms;
    if ((r.safety_violation || r.liveness_failure) && first_failure.empty()) {
      first_failure = r.violation + "\n  replay: " + o.command_line(s);
    }
  }
  std::cout << "n=" << o.validators << " byzantine=" << byzantine_name(o.byzantine)
            << (o.epoch_every > 0 ? " epochs" : "") << (o.real_crypto ? " real-crypto" : "") << " first-seed=" << first
            << ": seeds=" << seeds << " safety_violations=" << safety << " liveness_failures=" << liveness
            << " commits=" << commits << " sim_seconds=" << sim_ms / 1000 << std::endl;
  INFO(first_failure);
  CHECK(safety == 0);
  CHECK(liveness == 0);
  CHECK(commits > seeds * 10);
}

}  // namespace

TEST_CASE("acceptance: 1000 seeds of n = 4, twins, 20% loss, partitions, crashes") {
  Options o = faulty_network(4, Byzantine::twins);
  o.net.duplicate = 0;  // exactly the command
  soak(o, 20'000, 1000);
}

// Every mode at n = 4 and n = 7 (f = 1 and 2 Byzantine validators); seeds per scenario.
TEST_CASE("every Byzantine mode at n = 4 and n = 7") {
  struct Scenario {
    Byzantine mode;
    uint64_t seeds_n4;
    uint64_t seeds_n7;
  };
  const Scenario scenarios[] = {{Byzantine::none, 150, 50},
                                {Byzantine::twins, 150, 60},
                                {Byzantine::equivocate, 250, 80},
                                {Byzantine::withhold, 200, 60},
                                {Byzantine::mixed, 300, 100}};
  uint64_t first = 30'000;
  for (const Scenario& s : scenarios) {
    soak(faulty_network(4, s.mode), first, s.seeds_n4);
    soak(faulty_network(7, s.mode), first + 5'000, s.seeds_n7);
    first += 1'000;
  }
}

TEST_CASE("n = 10: three faulty validators") {
  soak(faulty_network(10, Byzantine::mixed), 50'000, 30);
  soak(faulty_network(10, Byzantine::equivocate), 51'000, 15);
}

TEST_CASE("validator-set changes under faults") {
  Options four = faulty_network(4, Byzantine::mixed);
  four.epoch_every = 10;
  soak(four, 60'000, 150);
  Options twins = faulty_network(4, Byzantine::twins);
  twins.epoch_every = 7;  // short epochs: crashes often fall right at an epoch's end
  soak(twins, 62'000, 100);
  Options seven = faulty_network(7, Byzantine::withhold);
  seven.epoch_every = 15;
  soak(seven, 61'000, 30);
}

TEST_CASE("real BIP-340 signatures under faults") {
  Options o = faulty_network(4, Byzantine::mixed);
  o.real_crypto = true;
  soak(o, 70'000, 12);
}

TEST_CASE("twins: every three- and four-round partition schedule") {
  for (size_t rounds : {3, 4}) {
    testing::Outcome o = testing::enumerate("none", rounds);
    INFO(rounds << " rounds: " << o.first);
    REQUIRE(o.safety == 0);
    REQUIRE(o.liveness == 0);
  }
}
