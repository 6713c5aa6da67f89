// MemoryStore: an in-memory KvStore with RocksDB's semantics (atomic batches, bytewise order), for
// tests and the simulator. "sync" is accepted and has no effect. Thread-safe (one mutex).
#pragma once

#include <map>
#include <mutex>

#include "ledger/storage/kv_store.h"

namespace docket::storage {

class MemoryStore final : public KvStore {
 public:
  Result<std::optional<Bytes>> get(Column c, ByteView key) const override;
  Status write(const WriteBatch& batch, bool sync) override;
  Status scan(Column c, ByteView begin, ByteView end, const Visitor& visit) const override;
  Result<std::optional<std::pair<Bytes, Bytes>>> last_before(Column c, ByteView before) const override;

  // Test hook: the next write fails with io_error and applies nothing (a full disk).
  void fail_next_write() { std::lock_guard l(mu_); fail_next_ = true; }

 private:
  using Map = std::map<Bytes, Bytes>;
  mutable std::mutex mu_;
  Map cols_[sizeof(kAllColumns) / sizeof(kAllColumns[0])];
  bool fail_next_ = false;
};

}  // namespace docket::storage
