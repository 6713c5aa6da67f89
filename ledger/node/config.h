// config.toml: a node's local settings (its key file, addresses, peers, limits, timeouts). What all
// nodes must agree on (chain id, validators, parameters) is in genesis.json instead.
//
// Parsing is strict: an unknown key, a wrong type or an out-of-range value is an error naming the
// key and its line, so a typo never silently falls back to a default. Relative paths are relative
// to the home directory (the folder holding config.toml). Pure functions, thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include <spdlog/common.h>

#include "ledger/api/server_config.h"
#include "ledger/common/result.h"
#include "ledger/node/mempool.h"
#include "ledger/p2p/network_config.h"

namespace docket::node {

struct ConsensusTimeouts {
  std::chrono::milliseconds round_timeout{2000};       // first timeout of a round
  std::chrono::milliseconds round_timeout_max{30000};  // cap of the growing timeout after failed rounds
};

struct NodeConfig {
  std::filesystem::path home;           // absolute; folder of config.toml
  std::filesystem::path node_key_file;  // absolute
  std::filesystem::path data_dir;       // absolute
  std::filesystem::path genesis_file;   // absolute
  spdlog::level::level_enum log_level = spdlog::level::info;
  std::string node_name;                // shown in log lines; empty: none

  // chain_id and allowed_keys stay empty here: the driver sets them from the genesis.
  p2p::NetworkConfig p2p;
  api::ServerConfig api;
  MempoolLimits mempool;
  ConsensusTimeouts consensus;
};

// The defaults, with paths in `home` (node_key.json, data/, genesis.json).
NodeConfig default_config(const std::filesystem::path& home);

// Reads and parses a config file; its folder is the home. Errc::not_found when missing,
// Errc::invalid_argument when malformed (message names the file, line and key).
Result<NodeConfig> load_config(const std::filesystem::path& file);
Result<NodeConfig> parse_config(std::string_view toml_text, const std::filesystem::path& home,
                                const std::string& source_name = "config.toml");

// config.toml text holding every setting of cfg, with comments; parse_config reads it back equal.
std::string render_config(const NodeConfig& cfg);

// "host:port", "[v6]:port" -> host and port. Errc::invalid_argument otherwise.
Result<std::pair<std::string, uint16_t>> parse_host_port(std::string_view s);

}  // namespace docket::node
