#include "ledger/node/mempool.h"

#include "ledger/primitives/transaction.h"

#include <algorithm>

namespace docket::node {

size_t Mempool::KeyHash::operator()(const std::array<uint8_t, 32>& k) const noexcept {
  // Ids and keys are hashes or curve points: their first bytes are uniformly distributed.
  size_t h = 0;
  for (size_t i = 0; i < sizeof(size_t); ++i) h = (h << 8) | k[i];
  return h;
}

Mempool::Mempool(MempoolLimits limits, AdmissionCheck check) : limits_(limits), check_(std::move(check)) {
  DOCKET_ASSERT(limits_.max_txs > 0 && limits_.max_bytes > 0 && limits_.max_txs_per_sender > 0);
  DOCKET_ASSERT(check_ != nullptr);
}

Status Mempool::admissible_locked(const VerifiedTx& tx) const {
  if (by_id_.count(tx.id)) return make_error(Errc::already_exists, "transaction " + to_hex(tx.id) + " is already pending");
  auto sender_it = by_sender_.find(tx.sender);
  if (sender_it != by_sender_.end()) {
    if (sender_it->second.count(tx.nonce))
      return make_error(Errc::already_exists,
                        "another transaction of this sender with nonce " + std::to_string(tx.nonce) + " is pending");
    if (sender_it->second.size() >= limits_.max_txs_per_sender)
      return make_error(Errc::unavailable, "this sender already has " + std::to_string(sender_it->second.size()) +
                                               " pending transactions; wait for some to commit");
  }
  if (by_id_.size() >= limits_.max_txs || bytes_ + tx.raw.size() > limits_.max_bytes)
    return make_error(Errc::unavailable, "mempool is full (" + std::to_string(by_id_.size()) + " transactions, " +
                                             std::to_string(bytes_) + " bytes); try again later");
  return ok_status();
}

Status Mempool::add(VerifiedTx tx) {
  if (tx.raw.size() > primitives::kMaxTxBytes)
    return make_error(Errc::too_large, "transaction of " + std::to_string(tx.raw.size()) + " bytes exceeds the limit of " +
                                           std::to_string(primitives::kMaxTxBytes));
  // Cheap checks first, then the caller's check without the lock (it may read state), then the
  // cheap checks again, since another thread may have added meanwhile.
  {
    std::lock_guard lock(mu_);
    DOCKET_TRY(admissible_locked(tx));
  }
  DOCKET_TRY(check_(tx));
  std::lock_guard lock(mu_);
  DOCKET_TRY(admissible_locked(tx));
  auto ptr = std::make_shared<const VerifiedTx>(std::move(tx));
  by_id_.emplace(ptr->id, ptr);
  by_sender_[ptr->sender].emplace(ptr->nonce, Entry{ptr, next_seq_++});
  by_expiry_.emplace(ptr->expiry_height, ptr->id);
  bytes_ += ptr->raw.size();
  return ok_status();
}

std::vector<Mempool::TxPtr> Mempool::select(size_t max_txs, size_t max_bytes, uint64_t height,
                                            const NextNonce& next_nonce) const {
  std::lock_guard lock(mu_);
  // Each sender's run of transactions it may contribute, in nonce order, starting at its next nonce.
  struct Run {
    uint64_t first_seq;
    SenderQueue::const_iterator it, end;
    uint64_t nonce;
  };
  std::vector<Run> runs;
  runs.reserve(by_sender_.size());
  for (const auto& [sender, queue] : by_sender_) {
    const uint64_t next = next_nonce(sender);
    auto it = queue.find(next);
    if (it == queue.end()) continue;  // waiting for a gap to fill, or all already proposed
    runs.push_back(Run{it->second.seq, it, queue.end(), next});
  }
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.first_seq < b.first_seq; });

  std::vector<TxPtr> out;
  size_t used_bytes = 0;
  // Round robin, one transaction per sender per turn. A sender whose next transaction cannot go in
  // (too big for what is left, expired, or a gap) is done: its later nonces depend on it.
  while (out.size() < max_txs && !runs.empty()) {
    size_t kept = 0;
    for (size_t i = 0; i < runs.size() && out.size() < max_txs; ++i) {
      Run& r = runs[i];
      const TxPtr& tx = r.it->second.tx;
      const bool fits = used_bytes + tx->raw.size() <= max_bytes;
      if (!fits || tx->expiry_height < height) continue;
      out.push_back(tx);
      used_bytes += tx->raw.size();
      ++r.it;
      ++r.nonce;
      if (r.it == r.end || r.it->first != r.nonce) continue;
      runs[kept++] = r;
    }
    if (out.size() >= max_txs) break;
    runs.resize(kept);
  }
  return out;
}

void Mempool::remove_locked(const Hash32& id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  const TxPtr tx = it->second;
  by_id_.erase(it);
  auto s = by_sender_.find(tx->sender);
  DOCKET_ASSERT(s != by_sender_.end());
  s->second.erase(tx->nonce);
  if (s->second.empty()) by_sender_.erase(s);
  by_expiry_.erase({tx->expiry_height, tx->id});
  bytes_ -= tx->raw.size();
}

void Mempool::on_block_committed(std::span<const CommittedTx> txs, uint64_t height) {
  {
    std::lock_guard lock(mu_);
    for (const auto& c : txs) {
      remove_locked(c.id);
      // Anything else of this sender at or below the committed nonce can never be valid again.
      auto s = by_sender_.find(c.sender);
      if (s == by_sender_.end()) continue;
      std::vector<Hash32> stale;
      for (auto it = s->second.begin(); it != s->second.end() && it->first <= c.nonce; ++it)
        stale.push_back(it->second.tx->id);
      for (const auto& id : stale) remove_locked(id);
    }
  }
  evict_expired(height + 1);
}

size_t Mempool::evict_expired(uint64_t next_height) {
  std::lock_guard lock(mu_);
  std::vector<Hash32> expired;
  for (auto it = by_expiry_.begin(); it != by_expiry_.end() && it->first < next_height; ++it) expired.push_back(it->second);
  for (const auto& id : expired) remove_locked(id);
  return expired.size();
}

bool Mempool::contains(const Hash32& id) const {
  std::lock_guard lock(mu_);
  return by_id_.count(id) > 0;
}

Mempool::TxPtr Mempool::find(const Hash32& id) const {
  std::lock_guard lock(mu_);
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

size_t Mempool::size() const {
  std::lock_guard lock(mu_);
  return by_id_.size();
}

size_t Mempool::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace docket::node
