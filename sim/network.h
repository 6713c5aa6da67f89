// The simulated network between replicas: per-message delay (uniform, with an occasional long tail),
// loss, duplication, and partitions. A partition assigns each replica a side; symmetric partitions
// cut both directions between sides, asymmetric ones only side 0 -> side 1. Reordering follows from
// independent delays. All randomness comes from the caller's Prng.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/prng.h"

namespace docket::sim {

struct NetworkConfig {
  double drop = 0.0;
  double duplicate = 0.0;
  uint64_t min_delay_ms = 5;
  uint64_t max_delay_ms = 150;
  double long_delay = 0.03;      // share of messages delayed up to long_delay_ms
  uint64_t long_delay_ms = 1500;
};

class Network {
 public:
  explicit Network(NetworkConfig cfg) : cfg_(cfg) {}

  void partition(std::vector<int> side_of_replica, bool asymmetric) {
    side_ = std::move(side_of_replica);
    asymmetric_ = asymmetric;
  }
  void heal() { side_.clear(); }
  bool partitioned() const { return !side_.empty(); }
  bool faults_enabled() const { return faults_; }
  // After the fault window: stop partitions, keep loss and delays as configured.
  void end_faults() { faults_ = false; heal(); }

  bool connected(size_t from, size_t to) const {
    if (side_.empty() || from >= side_.size() || to >= side_.size()) return true;
    if (side_[from] == side_[to]) return true;
    return asymmetric_ && side_[from] == 1;
  }

  // How many copies of one message arrive (0: lost) and each copy's delay.
  std::vector<uint64_t> deliveries(Prng& rng) const {
    std::vector<uint64_t> out;
    if (rng.chance(cfg_.drop)) return out;
    out.push_back(delay(rng));
    if (rng.chance(cfg_.duplicate)) out.push_back(delay(rng));
    return out;
  }

 private:
  uint64_t delay(Prng& rng) const {
    if (rng.chance(cfg_.long_delay)) return rng.range(cfg_.max_delay_ms, cfg_.long_delay_ms);
    return rng.range(cfg_.min_delay_ms, cfg_.max_delay_ms);
  }

  NetworkConfig cfg_;
  std::vector<int> side_;
  bool asymmetric_ = false;
  bool faults_ = true;
};

}  // namespace docket::sim
