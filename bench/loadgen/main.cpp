// docket-loadgen: the load generator of testnet/bench (docs/benchmarks.md, "Node").
//   docket-loadgen keys --count K --out FILE      sender keys for a bench genesis (testnet/up --bench-senders)
//   docket-loadgen run --testnet DIR [options]    pre-signs, measures the verify rate, drives the load,
//                                                 prints per-node figures and the summary line.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "bench/loadgen/load_driver.h"
#include "bench/loadgen/node_stats.h"
#include "bench/loadgen/testnet_layout.h"
#include "bench/loadgen/verify_rate.h"
#include "bench/loadgen/workload.h"
#include "wallet/net/node_client.h"

using namespace docket;
using namespace docket::loadgen;

namespace {

struct RunOptions {
  std::string testnet_dir;
  std::string keys_file;  // default: <testnet>/bench/senders.keys
  size_t senders = 0;     // 0: every key in the file
  size_t window = 8;
  double duration_s = 60;
  double warmup_s = 5;
  double drain_s = 30;
  double max_tps = 2000;  // sizes the pre-signed workload
  uint64_t ttl_blocks = 100000;
  uint64_t wait_timeout_ms = 30000;
  double verify_s = 2;
  unsigned sign_threads = 2;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "docket-loadgen: %s\n", msg.c_str());
  return 1;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Nearest-rank percentile of a sorted sample.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

double mib(uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// Each sender makes one connection per transaction in flight, and so does the node's side.
void raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &rl);
  }
}

// A counter of the node's /metrics (Prometheus text), e.g. docket_timeouts_total; nullopt if absent.
std::optional<double> metric(const std::string& url, const std::string& name) {
  auto u = wallet::net::parse_url(url);
  if (!u) return std::nullopt;
  wallet::net::HttpClient http(*u, std::chrono::seconds(5));
  auto r = http.get("/metrics");
  if (!r || r->status != 200) return std::nullopt;
  const std::string key = "\n" + name + " ";
  const auto at = r->body.find(key);
  if (at == std::string::npos) return std::nullopt;
  return std::strtod(r->body.c_str() + at + key.size(), nullptr);
}

// The chain id and genesis hash the node's transactions must be signed for.
Result<crypto::ChainBinding> node_chain(const std::string& url) {
  auto client = wallet::net::NodeClient::connect(url);
  if (!client) return client.error();
  auto s = client->status();
  if (!s) return s.error();
  if (!s->contains("chain_id") || !(*s)["chain_id"].is_string() || !s->contains("genesis_hash") || !(*s)["genesis_hash"].is_string())
    return make_error(Errc::invalid_argument, "status without chain_id or genesis_hash");
  auto genesis = hash_from_hex((*s)["genesis_hash"].get<std::string>());
  if (!genesis) return genesis.error();
  return crypto::ChainBinding{(*s)["chain_id"].get<std::string>(), *genesis};
}

Result<uint64_t> committed_height(const std::string& url) {
  auto client = wallet::net::NodeClient::connect(url);
  if (!client) return client.error();
  auto s = client->status();
  if (!s) return s.error();
  if (!s->contains("height") || !(*s)["height"].is_number()) return make_error(Errc::invalid_argument, "status without height");
  return static_cast<uint64_t>((*s)["height"].get<double>());
}

int run(const RunOptions& o) {
  raise_fd_limit();
  auto net = read_testnet(o.testnet_dir);
  if (!net) return fail(net.error().message);
  auto keys = read_sender_keys(o.keys_file.empty() ? o.testnet_dir + "/bench/senders.keys" : o.keys_file);
  if (!keys) return fail(keys.error().message);
  if (o.senders > 0) {
    if (o.senders > keys->size())
      return fail("--senders " + std::to_string(o.senders) + " but the key file holds " + std::to_string(keys->size()));
    keys->erase(keys->begin() + static_cast<std::ptrdiff_t>(o.senders), keys->end());
  }
  const size_t n_nodes = net->nodes.size();

  // Where the chain is: each sender's next nonce, and the height the expiry counts from.
  auto client = wallet::net::NodeClient::connect(net->nodes[0].api_url);
  if (!client) return fail(client.error().message);
  auto height = committed_height(net->nodes[0].api_url);
  if (!height) return fail("node 0: " + height.error().to_string());
  auto chain = node_chain(net->nodes[0].api_url);
  if (!chain) return fail("node 0: " + chain.error().to_string());
  std::vector<uint64_t> nonces;
  for (const auto& k : *keys) {
    auto n = client->next_nonce(to_hex(k.public_key));
    if (!n) return fail("account of " + k.member_id + ": " + n.error().to_string());
    nonces.push_back(*n);
  }

  // Enough transactions for max_tps over the whole run, plus one window's worth per sender.
  const double run_s = o.warmup_s + o.duration_s;
  PresignConfig pc;
  pc.chain = *chain;
  pc.expiry_height = *height + o.ttl_blocks;
  pc.txs_per_sender = static_cast<size_t>(std::ceil(o.max_tps * run_s / static_cast<double>(keys->size()))) + o.window;
  pc.wait_timeout_ms = o.wait_timeout_ms;
  pc.threads = o.sign_threads;
  auto t = std::chrono::steady_clock::now();
  Workload work = presign(*keys, nonces, pc);
  std::printf("loadgen: %zu senders x %zu in flight against %zu nodes of chain %s; pre-signed %zu transactions in %.1f s\n",
              keys->size(), o.window, n_nodes, net->chain_id.c_str(), keys->size() * pc.txs_per_sender, seconds_since(t));

  auto vr = measure_verify_rate(work.samples, pc.chain, o.verify_s);
  if (!vr) return fail("verify rate: " + vr.error().to_string());
  std::printf("loadgen: BIP-340 verify on one core: %.0f/s per CPU second (%.0f/s wall), %zu verifications\n",
              vr->per_cpu_second, vr->per_wall_second, vr->verifications);

  // Samples: data size before the load, CPU over the measured window, data size after the drain.
  std::vector<DataBytes> disk_before(n_nodes), disk_after(n_nodes);
  std::vector<std::optional<ProcSample>> cpu_start(n_nodes), cpu_end(n_nodes);
  std::optional<uint64_t> height_start, height_end;
  ProcSample self_start, self_end;
  auto sample = [&](std::vector<std::optional<ProcSample>>& into, std::optional<uint64_t>& h, ProcSample& self) {
    for (size_t i = 0; i < n_nodes; ++i) {
      auto p = read_proc(net->nodes[i].pid);
      if (p) into[i] = *p;
    }
    auto ch = committed_height(net->nodes[0].api_url);
    if (ch) h = *ch;
    self = read_self();
  };
  for (size_t i = 0; i < n_nodes; ++i) disk_before[i] = data_bytes(net->nodes[i].data_dir);

  LoadConfig lc;
  for (const auto& n : net->nodes) {
    auto url = wallet::net::parse_url(n.api_url);
    if (!url) return fail(url.error().message);
    lc.nodes.push_back(*url);
  }
  lc.window = o.window;
  lc.warmup = std::chrono::milliseconds(static_cast<int64_t>(o.warmup_s * 1000));
  lc.duration = std::chrono::milliseconds(static_cast<int64_t>(o.duration_s * 1000));
  lc.drain = std::chrono::milliseconds(static_cast<int64_t>(o.drain_s * 1000));
  lc.on_window_start = [&] { sample(cpu_start, height_start, self_start); };
  lc.on_window_end = [&] { sample(cpu_end, height_end, self_end); };
  std::printf("loadgen: warm-up %.0f s, measuring %.0f s, drain up to %.0f s\n", o.warmup_s, o.duration_s, o.drain_s);
  std::fflush(stdout);
  LoadResult r = run_load(work.senders, lc);
  for (size_t i = 0; i < n_nodes; ++i) disk_after[i] = data_bytes(net->nodes[i].data_dir);

  // Per node: CPU over the window, memory, data growth over the whole run.
  bool nodes_ok = true;
  double growth_sum = 0;
  for (size_t i = 0; i < n_nodes; ++i) {
    auto now = read_proc(net->nodes[i].pid);
    const int64_t growth = static_cast<int64_t>(disk_after[i].total) - static_cast<int64_t>(disk_before[i].total);
    growth_sum += static_cast<double>(growth);
    if (!now || !cpu_start[i] || !cpu_end[i]) {
      std::printf("node %zu: not running at the end of the run\n", net->nodes[i].index);
      nodes_ok = false;
      continue;
    }
    const double cpu = cpu_end[i]->cpu_s - cpu_start[i]->cpu_s;
    const auto timeouts = metric(net->nodes[i].api_url, "docket_timeouts_total");
    std::printf("node %zu: cpu_s=%.1f cpu_pct=%.0f rss_mib=%.0f peak_rss_mib=%.0f data_mib=%.1f (tables %.1f, wal %.1f) "
                "data_growth_mib=%.1f timeouts_sent=%.0f\n",
                net->nodes[i].index, cpu, 100.0 * cpu / r.window_s, mib(now->rss_bytes), mib(now->peak_rss_bytes),
                mib(disk_after[i].total), mib(disk_after[i].tables), mib(disk_after[i].wal),
                static_cast<double>(growth) / (1024.0 * 1024.0), timeouts.value_or(-1));
  }
  if (r.window_complete) {
    std::printf("loadgen: cpu_s=%.1f cpu_pct=%.0f peak_rss_mib=%.0f\n", self_end.cpu_s - self_start.cpu_s,
                100.0 * (self_end.cpu_s - self_start.cpu_s) / r.window_s, mib(read_self().peak_rss_bytes));
  }
  if (height_start && height_end && *height_end > *height_start) {
    const uint64_t blocks = *height_end - *height_start;
    std::printf("blocks: %llu in the window (%.1f/s), %.0f transactions per block\n", static_cast<unsigned long long>(blocks),
                static_cast<double>(blocks) / r.window_s, static_cast<double>(r.committed_in_window) / static_cast<double>(blocks));
  }
  std::printf("transactions: sent=%llu committed=%llu committed_in_window=%llu failed=%llu mempool_full=%llu wait_expired=%llu "
              "connection_errors=%llu unfinished=%llu\n",
              static_cast<unsigned long long>(r.sent), static_cast<unsigned long long>(r.committed_ok),
              static_cast<unsigned long long>(r.committed_in_window), static_cast<unsigned long long>(r.committed_failed),
              static_cast<unsigned long long>(r.mempool_full), static_cast<unsigned long long>(r.wait_expired),
              static_cast<unsigned long long>(r.connection_errors), static_cast<unsigned long long>(r.unfinished));
  for (const auto& [code, n] : r.failures) std::printf("  %s: %llu\n", code.c_str(), static_cast<unsigned long long>(n));
  if (r.senders_stopped) std::printf("warning: %llu senders stopped after a refusal\n", static_cast<unsigned long long>(r.senders_stopped));
  if (r.senders_exhausted)
    std::printf("warning: %llu senders used all their pre-signed transactions: the rate is capped, raise --max-tps\n",
                static_cast<unsigned long long>(r.senders_exhausted));

  if (r.committed_ok) {
    double tables = 0, wal = 0;
    for (size_t i = 0; i < n_nodes; ++i) {
      tables += static_cast<double>(disk_after[i].tables) - static_cast<double>(disk_before[i].tables);
      wal += static_cast<double>(disk_after[i].wal) - static_cast<double>(disk_before[i].wal);
    }
    const double per = static_cast<double>(n_nodes) * static_cast<double>(r.committed_ok);
    std::printf("disk per document and node: %.0f bytes in table files, %.0f in the write-ahead log, %.0f in other files\n",
                tables / per, wal / per, (growth_sum - tables - wal) / per);
  }
  std::sort(r.latencies_ms.begin(), r.latencies_ms.end());
  const double tps = static_cast<double>(r.committed_in_window) / r.window_s;
  const double bytes_per_doc = r.committed_ok ? growth_sum / static_cast<double>(n_nodes) / static_cast<double>(r.committed_ok) : 0;
  std::printf("tps=%.1f p50_ms=%.0f p99_ms=%.0f verify_per_s=%.0f bytes_per_doc=%.0f\n", tps, percentile(r.latencies_ms, 50),
              percentile(r.latencies_ms, 99), vr->per_cpu_second, bytes_per_doc);
  if (!r.window_complete) return fail("the load ended before the measured window closed (see the warnings above)");
  if (!nodes_ok) return fail("a node stopped during the run");
  return r.committed_in_window > 0 ? 0 : fail("nothing committed in the measured window");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"docket-loadgen: sustained document registrations against a local testnet (testnet/bench)"};
  app.require_subcommand(1);

  size_t count = 0;
  std::string out, prefix = "bench";
  auto* keys = app.add_subcommand("keys", "Write sender keys for a bench genesis (one issuer member per key)");
  keys->add_option("--count", count, "Number of senders")->required()->check(CLI::Range(1, 10000));
  keys->add_option("--out", out, "Key file to create (mode 0600; must not exist)")->required();
  keys->add_option("--prefix", prefix, "Member ids are <prefix>0, <prefix>1, ...");

  RunOptions o;
  auto* run_cmd = app.add_subcommand("run", "Drive the load into a running testnet and print the figures");
  run_cmd->add_option("--testnet", o.testnet_dir, "Testnet directory (testnet/up --dir)")->required();
  run_cmd->add_option("--keys", o.keys_file, "Sender key file (default <testnet>/bench/senders.keys)");
  run_cmd->add_option("--senders", o.senders, "Use the first K keys (default: all)");
  run_cmd->add_option("--window", o.window, "Transactions in flight per sender")->check(CLI::Range(1, 64));
  run_cmd->add_option("--duration", o.duration_s, "Measured seconds")->check(CLI::Range(1.0, 3600.0));
  run_cmd->add_option("--warmup", o.warmup_s, "Seconds of load before measuring")->check(CLI::Range(0.0, 600.0));
  run_cmd->add_option("--drain", o.drain_s, "Seconds to await transactions in flight after the window")->check(CLI::Range(1.0, 600.0));
  run_cmd->add_option("--max-tps", o.max_tps, "Rate the pre-signed workload must sustain")->check(CLI::Range(1.0, 100000.0));
  run_cmd->add_option("--ttl-blocks", o.ttl_blocks, "Expiry of the transactions, in blocks from now (at most the genesis max_tx_ttl_blocks)");
  run_cmd->add_option("--wait-timeout-ms", o.wait_timeout_ms, "timeout_ms of each submission with wait");
  run_cmd->add_option("--verify-seconds", o.verify_s, "CPU seconds spent measuring the verify rate")->check(CLI::Range(0.1, 60.0));
  run_cmd->add_option("--sign-threads", o.sign_threads, "Threads that pre-sign")->check(CLI::Range(1, 64));

  CLI11_PARSE(app, argc, argv);
  if (*keys) {
    auto st = write_sender_keys(out, count, prefix);
    return st ? 0 : fail(st.error().message);
  }
  return run(o);
}
