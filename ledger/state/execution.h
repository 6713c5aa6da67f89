// Execution: what the node calls to run contracts against the authenticated state and persist the
// result. Binds contracts/ (pure) to the state tree and the store; part of target docket_execution,
// which sits with the node in the layer order (it links docket_state and docket_contracts).
//
// Per committed block the node does:
//   auto eb = exec.execute_block(height, block_time_ms, txs);   // reads only
//   add its own block/cert/tx-index writes to eb->batch; store.write(eb->batch, /*sync=*/true);
//   if (eb->validator_change) hand it to consensus for the next epoch.
// The batch holds the tree nodes and values of the new version, the root, pruning deletes, the
// receipts ('x' tx id) and the history entries ('h' record key ...) in Column::app. Nothing is
// visible until the node writes the batch, so block and state commit atomically.
//
// Execution requires height == tip + 1 (the state of the parent is the latest committed version).
// The store must outlive the objects here. Not thread-safe for concurrent execute/commit; reads
// (queries, check_tx) may run concurrently with each other.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "contracts/executor.h"
#include "contracts/genesis.h"
#include "contracts/queries.h"
#include "ledger/state/tree.h"

namespace docket::state {

// The state at one version, as contracts read it.
class TreeStateReader final : public contracts::StateReader {
 public:
  TreeStateReader(const StateTree& tree, uint64_t version) : tree_(tree), version_(version) {}
  Result<std::optional<Bytes>> get(std::string_view key) const override { return tree_.get(key, version_); }
  Status scan(std::string_view prefix, const Visitor& visit) const override { return tree_.scan(prefix, version_, visit); }
  uint64_t version() const { return version_; }

 private:
  const StateTree& tree_;
  uint64_t version_;
};

// Record histories and receipts kept in Column::app.
//   'h' record_key 0x00 u64be(height) u32be(tx index) u16be(event index) -> pb::HistoryEntry
//   'x' tx id (32 bytes)                                                  -> pb::Receipt
class StoreHistoryReader final : public contracts::HistoryReader {
 public:
  explicit StoreHistoryReader(const storage::KvStore& store) : store_(store) {}
  Result<std::vector<pb::HistoryEntry>> history(std::string_view record_key, uint64_t up_to_height,
                                                size_t limit) const override;
  // The same entries as stored: the exact bytes the record's history chain hashes. skip: entries
  // passed over first (for pages of a long history).
  Result<std::vector<Bytes>> entries(std::string_view record_key, uint64_t up_to_height, size_t limit,
                                     uint64_t skip = 0) const;
  // The height of every entry up to up_to_height, in order (their count is the history's length).
  Result<std::vector<uint64_t>> entry_heights(std::string_view record_key, uint64_t up_to_height) const;
  Result<std::optional<pb::Receipt>> receipt(const Hash32& tx_id) const;

 private:
  const storage::KvStore& store_;
};

struct ExecutedBlock {
  uint64_t height = 0;
  Hash32 state_root{};
  storage::WriteBatch batch;
  std::vector<contracts::TxReceipt> receipts;
  std::optional<pb::ValidatorSet> validator_change;
};

class BlockExecutor {
 public:
  explicit BlockExecutor(const storage::KvStore& store, StateTree::Options opts = {})
      : store_(store), tree_(store, opts), history_(store) {}

  // Version 0 from genesis. Fails if the state already has a version.
  Result<ExecutedBlock> init_state(const contracts::Genesis& genesis) const;

  // Height of the latest committed state, nullopt before genesis.
  Result<std::optional<uint64_t>> tip_height() const { return tree_.latest_version(); }

  // Mempool admission at the tip (contracts::check_tx).
  contracts::TxResult check_tx(const contracts::ContractTx& tx) const;

  // Executes a block on the state at height - 1; returns everything to persist. Writes nothing.
  Result<ExecutedBlock> execute_block(uint64_t height, uint64_t block_time_ms,
                                      std::span<const contracts::ContractTx> txs) const;

  const StateTree& tree() const { return tree_; }
  const StoreHistoryReader& history() const { return history_; }
  // A reader of the state at a committed version, for contracts/queries.h.
  TreeStateReader reader(uint64_t version) const { return TreeStateReader(tree_, version); }

 private:
  const storage::KvStore& store_;
  StateTree tree_;
  StoreHistoryReader history_;
};

}  // namespace docket::state
