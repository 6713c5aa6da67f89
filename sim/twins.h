// Twins-style scenario runner (Bano et al., "Twins: BFT Systems Made Robust"): n validators, validator
// 0 run by two replicas with one key (the twins), and a schedule of network partitions, one per round.
// The network is synchronous and lossless inside a partition and drops everything across it; time
// advances in waves (one message delay each), two waves per round. After the schedule the partition
// heals and the run must make progress. Deterministic: no randomness at all.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace docket::sim {

// side[i] for node i (nodes 0..n-1 hold keys 0..n-1, node n is the twin of key 0). Empty: no partition.
using Partition = std::vector<int>;

struct TwinsScenario {
  size_t validators = 4;
  std::vector<Partition> rounds;  // partition of each scheduled round
  size_t heal_rounds = 12;        // rounds (of two waves) after the schedule, fully connected
  std::string faulty_rule = "none";
  std::ostream* trace = nullptr;  // readable trace, when set
};

struct TwinsResult {
  bool safety_violation = false;
  bool liveness_failure = false;
  std::string violation;
  uint64_t honest_height = 0;  // lowest committed height among honest replicas at the end
};

TwinsResult run_twins(const TwinsScenario& s);

// Every split of the n + 1 nodes into two sides with the twins apart, plus "no partition".
std::vector<Partition> twins_partitions(size_t validators);

std::string describe(const Partition& p);

}  // namespace docket::sim
