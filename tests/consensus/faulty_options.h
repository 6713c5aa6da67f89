// The simulator options both the default sim tests and the long soak use: n validators, one kind of
// Byzantine replica, 20% loss, 5% duplication, partitions and crash-restarts.
#pragma once

#include "sim/simulation.h"

namespace docket::consensus::testing {

inline sim::Options faulty_network(size_t n, sim::Byzantine b) {
  sim::Options o;
  o.validators = n;
  o.byzantine = b;
  o.net.drop = 0.2;
  o.net.duplicate = 0.05;
  o.partitions = true;
  o.crashes = true;
  return o;
}

}  // namespace docket::consensus::testing
