// Reads a local testnet directory as testnet/up lays it out (testnet/lib.sh): "ports" holds
// "index api_port p2p_port" per node, node<i>/pid the running process, node<i>/data its database,
// chain_id the chain. Free function.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ledger/common/result.h"

namespace docket::loadgen {

struct TestnetNode {
  size_t index = 0;
  std::string api_url;  // http://127.0.0.1:PORT
  pid_t pid = 0;
  std::filesystem::path data_dir;
};

struct Testnet {
  std::string chain_id;
  std::vector<TestnetNode> nodes;
};

// Every node must be running (its pid file names a live process).
Result<Testnet> read_testnet(const std::filesystem::path& dir);

}  // namespace docket::loadgen
