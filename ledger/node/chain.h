// Opening a node's chain at start-up: reads and checks genesis.json, opens the RocksDB database in the
// data directory, binds a fresh database to the chain (genesis state, chain id and genesis hash in one
// synced batch) or checks that an existing one belongs to this chain and is consistent (the state and
// the block store end at the same height).
//
// Also the small conversions between the contracts' view of validators and the consensus core's.
// Functions here run once at start-up, on the caller's thread.
#pragma once

#include <filesystem>
#include <memory>

#include "consensus/types.h"
#include "contracts/genesis.h"
#include "ledger/node/config.h"
#include "ledger/proto/operations.pb.h"
#include "ledger/storage/rocksdb_store.h"

namespace docket::node {

struct OpenedChain {
  contracts::Genesis genesis;
  Hash32 genesis_hash{};
  std::unique_ptr<storage::RocksStore> store;
  uint64_t height = 0;   // committed height found in the store (0: genesis only)
  bool created = false;  // the genesis state was written by this call
};

// Reads genesis.json. Errc::not_found when missing, Errc::invalid_argument when malformed.
Result<contracts::Genesis> read_genesis(const std::filesystem::path& file);

// Errors name the file or directory and say what to do: a missing/malformed genesis, a database of
// another chain (Errc::wrong_chain), a database in use by another process (Errc::io_error), a store
// whose blocks and state disagree (Errc::corruption).
Result<OpenedChain> open_chain(const NodeConfig& cfg);

consensus::ValidatorSet validator_set_of(const contracts::Genesis& g);
consensus::ValidatorSet validator_set_of(const pb::ValidatorSet& set);

}  // namespace docket::node
