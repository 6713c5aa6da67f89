#include "ledger/p2p/backoff.h"

#include <algorithm>

#include "ledger/common/assert.h"

namespace docket::p2p {

Backoff::Backoff(ms initial, ms max, uint64_t seed) : initial_(initial), max_(max), base_(initial), rng_(seed) {
  DOCKET_ASSERT(initial.count() > 0 && initial <= max);
}

Backoff::ms Backoff::next() {
  const int64_t hi = base_.count();
  const int64_t lo = std::max<int64_t>(1, hi / 2);
  std::uniform_int_distribution<int64_t> pick(lo, hi);
  const ms delay(pick(rng_));
  base_ = std::min(max_, base_ * 2);
  return delay;
}

void Backoff::reset() { base_ = initial_; }

}  // namespace docket::p2p
