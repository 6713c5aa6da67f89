// One simulated run per seed (sim/world.h): N replicas of the real consensus::Core on one thread, a seeded network
// with loss, duplication, delays, partitions, crash-restarts and clock skew, Byzantine replicas, and
// the checkers (safety, durability, state roots, liveness, trace hash). See docs/consensus.md.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "consensus/safety_rules.h"
#include "sim/network.h"

namespace docket::sim {

enum class Byzantine { none, twins, equivocate, withhold, mixed };
const char* byzantine_name(Byzantine b);
Result<Byzantine> parse_byzantine(const std::string& s);

struct Options {
  size_t validators = 4;
  Byzantine byzantine = Byzantine::none;
  size_t byzantine_count = SIZE_MAX;   // default: f = (n - 1) / 3
  NetworkConfig net;
  bool partitions = false;
  bool crashes = false;
  bool real_crypto = false;
  std::string faulty_rule = "none";    // consensus::faulty_rule_names()
  uint64_t clock_skew_ms = 250;
  uint64_t fault_ms = 20000;           // faults happen in [0, fault_ms)
  uint64_t liveness_ms = 60000;        // bound: every honest replica commits anew within this after faults end
  uint64_t epoch_every = 0;            // > 0: schedule a validator-set change every this many heights
  uint64_t timeout_base_ms = 400;
  uint64_t timeout_cap_ms = 6400;
  std::ostream* trace = nullptr;       // readable trace of the run, when set

  std::string command_line(uint64_t seed) const;  // the docket-sim command that replays one seed
};

struct SeedResult {
  uint64_t seed = 0;
  bool safety_violation = false;
  bool liveness_failure = false;
  std::string violation;           // first violation, readable
  uint64_t committed_height = 0;   // highest height committed by an honest replica
  uint64_t sim_ms = 0;
  std::string trace_hash;          // hex sha256 of every event the run processed
  uint64_t messages = 0;           // consensus messages put on the wire (each recipient counts)
  uint64_t bytes = 0;
  uint64_t latency_rounds_sum = 0; // sum over honest commits of (round at commit - block round)
  uint64_t latency_samples = 0;
  uint64_t rounds = 0;             // highest round reached
  uint64_t epochs = 0;             // epoch changes completed
};

SeedResult run_seed(const Options& opts, uint64_t seed);

}  // namespace docket::sim
