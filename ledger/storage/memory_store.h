// MemoryStore: an in-memory KvStore with RocksStore's semantics (atomic batches, bytewise order, the
// format version record in Column::meta from construction on, writes refused after a failed write),
// for tests and the simulator. "sync" is accepted and has no effect: every applied write is kept.
// Thread-safe (one mutex).
#pragma once

#include <map>
#include <mutex>
#include <optional>

#include "ledger/storage/kv_store.h"

namespace docket::storage {

class MemoryStore final : public KvStore {
 public:
  MemoryStore();

  Result<std::optional<Bytes>> get(Column c, ByteView key) const override;
  Status write(const WriteBatch& batch, bool sync) override;
  Status scan(Column c, ByteView begin, ByteView end, const Visitor& visit) const override;
  Result<std::optional<std::pair<Bytes, Bytes>>> last_before(Column c, ByteView before) const override;

  // Test hook: the next write fails with io_error and applies nothing (a full disk). As with
  // RocksStore, every write after it fails too, until restart().
  void fail_next_write();

  // Simulates closing and reopening the store after a process restart: the data stays (every applied
  // write counts as durable) and a latched write failure is cleared.
  void restart();

 private:
  using Map = std::map<Bytes, Bytes>;
  mutable std::mutex mu_;
  Map cols_[kColumnCount];
  bool fail_next_ = false;
  std::optional<Error> write_failure_;  // set by a failed write; refuses later writes
};

}  // namespace docket::storage
