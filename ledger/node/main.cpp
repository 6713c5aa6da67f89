// docketd: the Docket validator node.
//   docketd init  --home DIR [--name NAME] [--p2p-listen HOST:PORT] [--api-listen HOST:PORT] [--force]
//   docketd key   --home DIR          prints the node's public key (hex), nothing else
//   docketd start --home DIR [--log-level L]
// Exit codes: 0 clean shutdown, 1 start-up or runtime failure, 2 bad command line.
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "ledger/node/config.h"
#include "ledger/node/init.h"
#include "ledger/node/log.h"
#include "ledger/node/node.h"
#include "ledger/node/node_key.h"

namespace fs = std::filesystem;
using namespace docket;

namespace {

int fail(const std::string& what) {
  std::cerr << "docketd: " << what << "\n";
  return 1;
}

int cmd_init(const fs::path& home, const std::string& name, const std::string& p2p, const std::string& api, bool force) {
  node::InitOptions o;
  o.node_name = name;
  if (!p2p.empty()) {
    auto hp = node::parse_host_port(p2p);
    if (!hp) return fail("--p2p-listen: " + hp.error().message);
    o.p2p_listen_address = hp->first;
    o.p2p_port = hp->second;
  }
  if (!api.empty()) {
    auto hp = node::parse_host_port(api);
    if (!hp) return fail("--api-listen: " + hp.error().message);
    o.api_listen_address = hp->first;
    o.api_port = hp->second;
  }
  if (force) {
    // A new identity: the old key, config and data directory (whose safety state belongs to the old
    // key) go. genesis.json is kept.
    const fs::path home_abs = fs::absolute(home);
    const node::NodeConfig defaults = node::default_config(home_abs);
    std::error_code ec;
    auto old = node::load_config(home_abs / "config.toml");
    const fs::path data = old ? old->data_dir : defaults.data_dir;
    const fs::path key = old ? old->node_key_file : defaults.node_key_file;
    fs::remove(home_abs / "config.toml", ec);
    fs::remove(key, ec);
    fs::remove_all(data, ec);
  }
  auto r = node::init_home(fs::absolute(home), o);
  if (!r) return fail(r.error().message + (r.error().code == Errc::already_exists ? " (use --force to replace it)" : ""));
  std::cout << "initialized " << r->config_file.string() << "\nnode key " << to_hex(r->node_key) << "\n";
  return 0;
}

int cmd_key(const fs::path& home) {
  auto cfg = node::load_config(fs::absolute(home) / "config.toml");
  if (!cfg) return fail(cfg.error().message);
  auto key = node::load_node_key(cfg->node_key_file);
  if (!key) return fail(cfg->node_key_file.string() + ": " + key.error().message);
  std::cout << to_hex(key->public_key()) << "\n";
  return 0;
}

int cmd_start(const fs::path& home, const std::string& level_name) {
  auto cfg = node::load_config(fs::absolute(home) / "config.toml");
  if (!cfg) {
    return fail(cfg.error().code == Errc::not_found
                    ? "no config.toml in " + fs::absolute(home).string() + " (run docketd init --home " + home.string() + ")"
                    : cfg.error().message);
  }
  if (!level_name.empty()) {
    auto level = node::parse_log_level(level_name);
    if (!level) return fail("--log-level: " + level.error().message);
    cfg->log_level = *level;
  }
  node::init_logging(cfg->log_level, cfg->node_name);

  // Signals are taken synchronously by this thread only: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto n = node::Node::open(*cfg);
  if (!n) {
    spdlog::critical("{}", n.error().message);
    return fail(n.error().message);
  }
  if (Status st = (*n)->start(); !st.ok()) {
    spdlog::critical("{}", st.error().message);
    return fail(st.error().message);
  }
  int code = 0;
  for (;;) {
    timespec wait{0, 200 * 1000 * 1000};
    const int sig = sigtimedwait(&signals, nullptr, &wait);
    if (sig == SIGINT || sig == SIGTERM) {
      spdlog::info("node: {} received, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
      break;
    }
    if ((*n)->failed()) {
      spdlog::critical("node: stopping: {}", (*n)->failure());
      code = 1;
      break;
    }
  }
  (*n)->stop();
  n->reset();
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"docketd: the Docket validator node"};
  app.require_subcommand(1);
  std::string home, name, p2p, api, level;
  bool force = false;

  auto* init = app.add_subcommand("init", "Create a node home: node key and config.toml");
  init->add_option("--home", home, "Home directory")->required();
  init->add_option("--name", name, "Node name shown in log lines");
  init->add_option("--p2p-listen", p2p, "p2p listen address HOST:PORT");
  init->add_option("--api-listen", api, "HTTP API listen address HOST:PORT");
  init->add_flag("--force", force, "Replace an existing key and config and delete the data directory");

  auto* key = app.add_subcommand("key", "Print the node's public key (hex)");
  key->add_option("--home", home, "Home directory")->required();

  auto* start = app.add_subcommand("start", "Run the node");
  start->add_option("--home", home, "Home directory")->required();
  start->add_option("--log-level", level, "trace, debug, info, warn, error, critical, off");

  CLI11_PARSE(app, argc, argv);
  try {
    if (init->parsed()) return cmd_init(home, name, p2p, api, force);
    if (key->parsed()) return cmd_key(home);
    if (start->parsed()) return cmd_start(home, level);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return 2;
}
