// The mempool: transactions that passed admission and wait to be proposed. Bounded by count and
// bytes (and per sender), deduplicated by id, ordered per sender by nonce; proposals take batches
// that are nonce-contiguous per sender and fair across senders. Committed and expired transactions
// are evicted. A full mempool refuses new transactions with Errc::unavailable instead of growing.
//
// It does not check signatures, nonces against state, or formats: the caller's AdmissionCheck does
// (ledger/primitives and the state), and the mempool only sees the VerifiedTx it produced.
//
// Thread safety: all methods may be called from any thread (one internal mutex). The admission
// check runs outside that mutex, possibly on several threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <unordered_map>
#include <vector>

#include "ledger/common/bytes.h"
#include "ledger/common/result.h"
#include "ledger/crypto/schnorr.h"

namespace docket::node {

// A transaction whose signature and format were checked, with the fields the mempool orders by.
struct VerifiedTx {
  Hash32 id{};                 // tagged hash of the body (tags::kTxId)
  Bytes raw;                   // the serialized Transaction, as received
  crypto::PublicKey sender{};
  uint64_t nonce = 0;
  uint64_t expiry_height = 0;  // not valid in a block above this height
};

struct MempoolLimits {
  size_t max_txs = 20000;
  size_t max_bytes = 64u << 20;
  size_t max_txs_per_sender = 256;  // so one sender (e.g. with a nonce gap) cannot fill the pool
};

// A committed transaction, as the mempool needs it for eviction.
struct CommittedTx {
  Hash32 id{};
  crypto::PublicKey sender{};
  uint64_t nonce = 0;
};

class Mempool {
 public:
  using TxPtr = std::shared_ptr<const VerifiedTx>;
  // The caller's stateful checks (nonce not used yet, not expired, sender may transact, ...). An
  // error is returned from add() unchanged.
  using AdmissionCheck = std::function<Status(const VerifiedTx&)>;
  // The next nonce a proposal may include for a sender: the state's next nonce plus the sender's
  // transactions in proposed but not yet committed blocks.
  using NextNonce = std::function<uint64_t(const crypto::PublicKey&)>;

  Mempool(MempoolLimits limits, AdmissionCheck check);

  // Admits a transaction. Errors: Errc::already_exists (same id, or same sender and nonce already
  // pending), Errc::too_large (above primitives::kMaxTxBytes, the chain's limit), Errc::unavailable (pool or sender quota full),
  // or whatever the admission check returns.
  Status add(VerifiedTx tx);

  // A batch for a proposal: at most max_txs transactions and max_bytes raw bytes. Each sender's
  // transactions come in nonce order starting exactly at next_nonce(sender) with no gap; senders
  // take turns one transaction at a time, oldest waiting sender first. Transactions stay in the
  // pool until committed or expired. Only transactions valid at `height` (expiry) are chosen.
  std::vector<TxPtr> select(size_t max_txs, size_t max_bytes, uint64_t height, const NextNonce& next_nonce) const;

  // After a block at `height` committed: removes its transactions, any other transaction of their
  // senders with a nonce at or below the committed one, and everything expired for height + 1.
  void on_block_committed(std::span<const CommittedTx> txs, uint64_t height);
  // Removes transactions that cannot be included in a block at next_height. Returns how many.
  size_t evict_expired(uint64_t next_height);

  bool contains(const Hash32& id) const;
  TxPtr find(const Hash32& id) const;
  size_t size() const;
  size_t bytes() const;
  const MempoolLimits& limits() const { return limits_; }

 private:
  struct KeyHash {
    size_t operator()(const std::array<uint8_t, 32>& k) const noexcept;
  };
  struct Entry {
    TxPtr tx;
    uint64_t seq;  // arrival order, for fairness between senders
  };
  using SenderQueue = std::map<uint64_t, Entry>;  // by nonce

  Status admissible_locked(const VerifiedTx& tx) const;
  void remove_locked(const Hash32& id);

  const MempoolLimits limits_;
  const AdmissionCheck check_;

  mutable std::mutex mu_;
  std::unordered_map<Hash32, TxPtr, KeyHash> by_id_;
  std::unordered_map<crypto::PublicKey, SenderQueue, KeyHash> by_sender_;
  std::set<std::pair<uint64_t, Hash32>> by_expiry_;
  size_t bytes_ = 0;
  uint64_t next_seq_ = 0;
};

}  // namespace docket::node
