// What every signature and block id is bound to: the chain, named by its id *and* its genesis.
// The chain id alone is a human-chosen string that two networks may share (a test network and its
// production twin, a fork restarted from a new genesis); the genesis hash is what makes a chain
// unique. A type rather than a string, so a call site cannot bind the id and forget the genesis.
#pragma once

#include <string>

#include "ledger/common/bytes.h"

namespace docket::crypto {

struct ChainBinding {
  std::string chain_id;  // the genesis file's chain id (UTF-8)
  Hash32 genesis_hash{};  // contracts::genesis_hash of that genesis file

  bool operator==(const ChainBinding&) const = default;
};

}  // namespace docket::crypto
