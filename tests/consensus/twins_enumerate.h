// Test helper: runs Twins schedules (sim/twins.h) over all sequences of partitions. Test-only.
#pragma once

#include <string>
#include <vector>

#include "sim/twins.h"

namespace docket::sim::testing {

struct Outcome {
  size_t scenarios = 0;
  size_t safety = 0;
  size_t liveness = 0;
  std::string first;
};

// Runs every `stride`-th schedule of `rounds` partitions (stride 1: all of them), n = 4.
inline Outcome enumerate(const std::string& faulty_rule, size_t rounds, size_t stride = 1) {
  const auto parts = twins_partitions(4);
  Outcome o;
  std::vector<size_t> idx(rounds, 0);
  for (size_t index = 0;; ++index) {
    if (index % stride == 0) {
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
    }
    size_t k = 0;
    while (k < rounds && ++idx[k] == parts.size()) idx[k++] = 0;
    if (k == rounds) break;
  }
  return o;
}

}  // namespace docket::sim::testing
