// Capped exponential backoff with jitter, for redialing a peer that is down. The base delay starts at
// `initial`, doubles after each failed attempt and stops at `max`; each delay is drawn from
// [base/2, base] so that nodes restarted together do not redial in lockstep.
// Not thread-safe: one per dialer, used from the io thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace docket::p2p {

class Backoff {
 public:
  using ms = std::chrono::milliseconds;

  // REQUIRES: 0 < initial <= max.
  Backoff(ms initial, ms max, uint64_t seed);

  // The delay before the next attempt; doubles the base for the attempt after.
  ms next();
  // After a success: the next failure starts again from `initial`.
  void reset();
  ms base() const { return base_; }

 private:
  ms initial_;
  ms max_;
  ms base_;
  std::mt19937_64 rng_;
};

}  // namespace docket::p2p
