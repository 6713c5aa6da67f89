// `docketd init`: creates a node's home directory with a fresh node key (node_key.json, mode 0600)
// and a config.toml holding every setting. Never overwrites: an existing key or config is an error,
// so a validator cannot lose its identity by running init twice.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ledger/common/result.h"
#include "ledger/node/config.h"

namespace docket::node {

struct InitOptions {
  std::string node_name;
  std::string p2p_listen_address = "0.0.0.0";
  uint16_t p2p_port = 26656;
  std::string api_listen_address = "127.0.0.1";
  uint16_t api_port = 26657;  // the wallet's default (--node) and testnet/up's node 0
  std::vector<p2p::PeerAddress> peers;
  spdlog::level::level_enum log_level = spdlog::level::info;
};

struct InitResult {
  crypto::PublicKey node_key{};
  std::filesystem::path config_file;
  std::filesystem::path node_key_file;
};

// Errc::already_exists when config.toml or the key file exists; Errc::io_error when the files
// cannot be written.
Result<InitResult> init_home(const std::filesystem::path& home, const InitOptions& options);

// Writes cfg as TOML to file atomically (a temporary file, synced, then renamed over it), e.g. to add
// peers once every node of a testnet has its key.
Status write_config(const std::filesystem::path& file, const NodeConfig& cfg);

}  // namespace docket::node
