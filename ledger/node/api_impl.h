// ApiImpl: the node's side of the HTTP API (api::NodeApi) and transaction admission.
//
// Reads come from the store at the committed height the driver last published (the state tree is
// versioned, so a read at a committed height never sees a half-written block); without a driver (a
// store read offline, tests), at the store's latest committed state. Submissions are
// decoded and checked (stateless decode, then the contracts' check_tx at the tip), added to the
// mempool and gossiped to peers when newly added; gossip from peers goes through the same admission.
// Waiting submissions are completed when the driver reports their commit, or at their deadline.
// check_transaction decodes the same way, then dry-runs the transaction on the committed state
// (contracts/dry_run.h) without admitting it.
//
// Thread safety: NodeApi methods run on the API server's threads, concurrently; on_block_committed,
// expire_waiters and admit_gossip run on the driver thread. Waiters are guarded by a mutex; callbacks
// are invoked outside it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>

#include "contracts/genesis.h"
#include "ledger/api/metrics.h"
#include "ledger/api/node_api.h"
#include "ledger/node/driver.h"
#include "ledger/node/mempool.h"
#include "ledger/p2p/network.h"
#include "ledger/primitives/transaction.h"
#include "ledger/state/execution.h"
#include "ledger/storage/block_store.h"

namespace docket::node {

inline constexpr const char* kNodeVersion = "0.1.0";

class ApiImpl final : public api::NodeApi, public CommitListener {
 public:
  struct Deps {
    const contracts::Genesis& genesis;
    Hash32 genesis_hash{};
    const storage::KvStore& store;
    const state::BlockExecutor& executor;
    Mempool& mempool;
    p2p::Network& network;
    metrics::Registry& metrics;
  };
  explicit ApiImpl(Deps deps);

  // Set once, before the server starts (the driver is built after this object).
  void set_driver(const Driver* driver) { driver_ = driver; }

  api::NodeStatus status() override;
  void submit_transaction(api::SubmitRequest request, std::function<void(api::SubmitResult)> done) override;
  Result<api::CheckResult> check_transaction(const Bytes& tx) override;
  Result<api::TxInfo> transaction(const Hash32& id) override;
  Result<api::AccountInfo> account(const crypto::PublicKey& key) override;
  Result<api::DocumentInfo> document(const Hash32& hash, const std::optional<Hash32>& root) override;
  Result<api::HistoryPage> document_history(const Hash32& hash, api::HistoryPageRequest page) override;
  Result<api::BillOfLading> bill_of_lading(const Hash32& id) override;
  Result<api::HistoryPage> bill_history(const Hash32& id, api::HistoryPageRequest page) override;
  Result<std::vector<api::MemberInfo>> members() override;
  Result<api::MemberInfo> member(const std::string& id) override;
  Result<api::BlockInfo> block(uint64_t height) override;
  Result<api::StateProof> proof(const Bytes& key, std::optional<uint64_t> height) override;

  // Driver thread.
  void on_block_committed(uint64_t height, uint64_t time_ms, const std::vector<contracts::TxReceipt>& receipts) override;
  void expire_waiters(std::chrono::steady_clock::time_point now);
  void admit_gossip(ByteView payload);

 private:
  // The chain id and genesis hash that transactions and blocks are decoded for.
  crypto::ChainBinding chain() const { return {d_.genesis.chain_id, d_.genesis_hash}; }
  struct Waiter {
    std::chrono::steady_clock::time_point submitted;
    std::chrono::steady_clock::time_point deadline;
    std::function<void(api::SubmitResult)> done;
  };

  // Decodes a submitted or gossiped transaction and runs every stateless check (signature included).
  Result<primitives::VerifiedTx> decode(ByteView raw) const;
  // Whether the transaction with these bytes' id is pending or committed (no signature check).
  bool already_known(ByteView raw) const;
  // Checks a decoded transaction against the state and admits it; gossips it when newly added.
  api::SubmitResult admit(const primitives::VerifiedTx& tx);
  uint64_t height() const;
  // One page of the histories of these records up to height up_to, merged (history_pages.h).
  Result<api::HistoryPage> history_page(const std::vector<std::string>& record_keys, uint64_t up_to,
                                        api::HistoryPageRequest page) const;
  Result<api::HistoryEvent> history_event(const std::string& record_key, Bytes raw) const;
  std::optional<crypto::PublicKey> sender_of(const Hash32& tx_id) const;

  Deps d_;
  const Driver* driver_ = nullptr;
  storage::BlockStore blocks_;
  metrics::Counter& m_admitted_;
  metrics::Counter& m_refused_;
  metrics::Histogram& m_commit_latency_;

  std::mutex mu_;
  std::multimap<Hash32, Waiter> waiters_;
};

}  // namespace docket::node
