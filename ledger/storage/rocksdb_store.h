// RocksStore: the KvStore of a node, a RocksDB database in one directory with one column family per
// storage::Column. Batches are applied atomically through RocksDB's write-ahead log; a synced write is
// fsync'd before write() returns. The database carries a format version record (format.h), checked
// on every open: a directory that is not a Docket database, another format version, a lost column
// family or corrupt files give an error from open(), never undefined behaviour. Recovery rules and
// tuning: docs/storage.md.
//
// Ownership: the store owns the database; destroying it closes the database. Only one RocksStore
// (one process) may have a directory open for writing at a time; a second open fails (Errc::unavailable).
// Thread safety: as KvStore (concurrent reads, one writer at a time; writes are serialised inside).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "ledger/storage/kv_store.h"

namespace docket::storage {

struct RocksOptions {
  // Create an empty database when the directory is missing or empty (else Errc::not_found).
  bool create_if_missing = true;
  // Open for reading only (offline inspection); writes fail with Errc::invalid_state. RocksDB does not
  // support this while another process has the database open for writing.
  bool read_only = false;
  // One LRU cache shared by all columns for data, index and filter blocks.
  size_t block_cache_bytes = size_t{32} << 20;
  // Memory of all columns' memtables together; a full budget flushes the largest to disk.
  size_t memtable_bytes = size_t{64} << 20;
  // File names that may sit in a directory that holds no database yet without making it "not a Docket
  // database" (the node's high-water mark, kept beside the database so that a rebuilt store can tell
  // how far its predecessor went).
  std::vector<std::string> ignored_files;
};

class RocksStore final : public KvStore {
 public:
  using Options = RocksOptions;

  // Opens (or creates, see Options) the database in `dir`. Errors: Errc::not_found (no database and
  // not asked to create one), Errc::version_mismatch (another format version), Errc::corruption (not
  // a Docket database, a column family lost, a damaged file), Errc::unavailable (locked by another
  // process), Errc::io_error (permissions, disk; too little free space to open is checked first and
  // reported as "disk full: '<dir>' has N MiB free, at least M MiB are needed"),
  // Errc::invalid_argument (`dir` is not a directory).
  static Result<std::unique_ptr<RocksStore>> open(const std::string& dir, const Options& options = {});

  ~RocksStore() override;
  RocksStore(const RocksStore&) = delete;
  RocksStore& operator=(const RocksStore&) = delete;

  Result<std::optional<Bytes>> get(Column c, ByteView key) const override;
  Status write(const WriteBatch& batch, bool sync) override;
  Status scan(Column c, ByteView begin, ByteView end, const Visitor& visit) const override;
  Result<std::optional<std::pair<Bytes, Bytes>>> last_before(Column c, ByteView before) const override;

  // Writes every column's memtable to table files and waits (a checkpoint of what the write-ahead log
  // holds; used before backups, by benchmarks and tests). Errors latch like write errors.
  Status flush();

  const std::string& dir() const;

  struct Impl;  // RocksDB objects; defined in rocksdb_store.cpp so that users do not see RocksDB headers

 private:
  explicit RocksStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace docket::storage
