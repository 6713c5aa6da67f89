// The simulator's entry point: options, their replay command line, and run_seed (see sim/world.h).
#include "sim/simulation.h"

#include <sstream>

#include "sim/world.h"

namespace docket::sim {

const char* byzantine_name(Byzantine b) {
  switch (b) {
    case Byzantine::none: return "none";
    case Byzantine::twins: return "twins";
    case Byzantine::equivocate: return "equivocate";
    case Byzantine::withhold: return "withhold";
    case Byzantine::mixed: return "mixed";
  }
  return "?";
}

Result<Byzantine> parse_byzantine(const std::string& s) {
  for (Byzantine b : {Byzantine::none, Byzantine::twins, Byzantine::equivocate, Byzantine::withhold, Byzantine::mixed}) {
    if (s == byzantine_name(b)) return b;
  }
  return make_error(Errc::invalid_argument, "unknown --byzantine '" + s + "'");
}

std::string Options::command_line(uint64_t seed) const {
  std::ostringstream o;
  o << "docket-sim --validators " << validators << " --seeds 1 --first-seed " << seed << " --byzantine "
    << byzantine_name(byzantine);
  if (byzantine_count != SIZE_MAX) o << " --byzantine-count " << byzantine_count;
  if (net.drop > 0) o << " --drop " << net.drop;
  if (net.duplicate > 0) o << " --duplicate " << net.duplicate;
  if (partitions) o << " --partitions";
  if (crashes) o << " --crashes";
  if (real_crypto) o << " --real-crypto";
  if (faulty_rule != "none") o << " --faulty-rule " << faulty_rule;
  if (epoch_every > 0) o << " --epoch-every " << epoch_every;
  o << " --fault-seconds " << fault_ms / 1000.0 << " --liveness-seconds " << liveness_ms / 1000.0;
  o << " --trace";
  return o.str();
}

SeedResult run_seed(const Options& opts, uint64_t seed) { return World(opts, seed).run(); }

}  // namespace docket::sim
