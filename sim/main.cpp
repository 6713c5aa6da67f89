// docket-sim: runs the consensus core under a seeded, faulty, Byzantine simulated network and checks
// safety, liveness and determinism. Prints one summary line last and exits 1 on any violation.
// Exit codes: 0 all seeds passed, 1 a safety or liveness violation, 2 bad command line.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

#include <CLI/CLI.hpp>

#include "consensus/safety_rules.h"
#include "ledger/crypto/sha256.h"
#include "sim/simulation.h"

using namespace docket;

int main(int argc, char** argv) {
  CLI::App app{"docket-sim: deterministic simulator for the Docket consensus core"};
  sim::Options o;
  uint64_t seeds = 100;
  uint64_t first_seed = 1;
  std::string byzantine = "none";
  double fault_s = o.fault_ms / 1000.0;
  double liveness_s = o.liveness_ms / 1000.0;
  bool trace = false;
  bool verbose = false;
  bool stats = false;
  std::string rules_help = "disable one safety rule (simulator only): none";
  for (const auto& n : consensus::faulty_rule_names()) rules_help += "|" + n;
  app.add_option("--validators", o.validators, "number of validators n")->check(CLI::Range(1, 256));
  app.add_option("--seeds", seeds, "number of seeds to run");
  app.add_option("--first-seed", first_seed, "first seed");
  app.add_option("--byzantine", byzantine, "none|twins|equivocate|withhold|mixed");
  app.add_option("--byzantine-count", o.byzantine_count, "Byzantine validators (default and maximum f)");
  app.add_option("--drop", o.net.drop, "message loss probability")->check(CLI::Range(0.0, 0.9));
  app.add_option("--duplicate", o.net.duplicate, "message duplication probability")->check(CLI::Range(0.0, 0.9));
  app.add_flag("--partitions", o.partitions, "symmetric and asymmetric partitions that come and heal");
  app.add_flag("--crashes", o.crashes, "crash-restarts that lose everything not persisted");
  app.add_flag("--real-crypto", o.real_crypto, "BIP-340 Schnorr signatures instead of the fast fake");
  app.add_option("--faulty-rule", o.faulty_rule, rules_help);
  app.add_option("--epoch-every", o.epoch_every, "change the validator set every this many heights (0: never)");
  app.add_option("--fault-seconds", fault_s, "simulated seconds during which faults happen");
  app.add_option("--liveness-seconds", liveness_s, "bound: after faults end, every honest replica commits within this");
  app.add_option("--clock-skew-ms", o.clock_skew_ms, "maximum clock offset of a replica");
  app.add_flag("--trace", trace, "print a readable trace of every event (use with one seed)");
  app.add_flag("--verbose", verbose, "print one line per seed");
  app.add_flag("--stats", stats, "print throughput and cost figures");
  CLI11_PARSE(app, argc, argv);

  auto b = sim::parse_byzantine(byzantine);
  if (!b) {
    std::cerr << b.error().message << "\n";
    return 2;
  }
  o.byzantine = *b;
  if (auto f = consensus::parse_faulty_rule(o.faulty_rule); !f) {
    std::cerr << f.error().message << "\n";
    return 2;
  }
  o.fault_ms = static_cast<uint64_t>(fault_s * 1000);
  o.liveness_ms = static_cast<uint64_t>(liveness_s * 1000);
  if (trace) o.trace = &std::cout;

  uint64_t safety = 0, liveness = 0, commits = 0, sim_ms = 0, messages = 0, bytes = 0, lat_sum = 0, lat_n = 0;
  uint64_t rounds = 0;
  crypto::Sha256 all;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  for (uint64_t s = first_seed; s < first_seed + seeds; ++s) {
    sim::SeedResult r = sim::run_seed(o, s);
    all.update(r.trace_hash);
    commits += r.committed_height;
    sim_ms += r.sim_ms;
    messages += r.messages;
    bytes += r.bytes;
    lat_sum += r.latency_rounds_sum;
    lat_n += r.latency_samples;
    rounds += r.rounds;
    if (verbose || seeds == 1) {
      std::cout << "seed=" << s << " trace=" << r.trace_hash << " height=" << r.committed_height << " rounds=" << r.rounds
                << " epochs=" << r.epochs << "\n";
    }
    if (r.safety_violation || r.liveness_failure) {
      (r.safety_violation ? safety : liveness)++;
      std::cout << "seed=" << s << " FAILED " << (r.safety_violation ? "safety" : "liveness") << ": " << r.violation << "\n"
                << "  replay: " << o.command_line(s) << "\n";
    }
  }
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // CPU time too: on a shared machine it says more about the simulator than wall time does.
  const double cpu_s = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::cout << "trace_hash=" << to_hex(all.finish()) << "\n";
  if (stats) {
    const double blocks = commits > 0 ? static_cast<double>(commits) : 1.0;
    std::printf("stats: wall_s=%.2f cpu_s=%.2f seeds_per_min=%.1f seeds_per_cpu_min=%.1f sim_to_wall=%.0f "
                "sim_to_cpu=%.0f msgs_per_block=%.1f bytes_per_block=%.0f commit_latency_rounds=%.2f "
                "rounds_per_block=%.2f\n",
                wall_s, cpu_s, wall_s > 0 ? seeds * 60.0 / wall_s : 0.0, cpu_s > 0 ? seeds * 60.0 / cpu_s : 0.0,
                wall_s > 0 ? sim_ms / 1000.0 / wall_s : 0.0, cpu_s > 0 ? sim_ms / 1000.0 / cpu_s : 0.0,
                messages / blocks, bytes / blocks, lat_n ? static_cast<double>(lat_sum) / lat_n : 0.0, rounds / blocks);
    std::fflush(stdout);
  }
  std::cout << "seeds=" << seeds << " safety_violations=" << safety << " liveness_failures=" << liveness
            << " commits=" << commits << " sim_seconds=" << sim_ms / 1000 << std::endl;
  return safety + liveness > 0 ? 1 : 0;
}
