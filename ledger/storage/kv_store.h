// KvStore: the narrow interface every stored byte of Docket goes through. Two implementations with the
// same behaviour: RocksDB (rocksdb_store.h) for nodes, in-memory (memory_store.h) for tests and the
// simulator. Keys are ordered bytewise within a column. Key and value layouts: docs/storage.md.
//
// Thread safety: implementations allow concurrent get/scan/last_before from many threads and one
// writer at a time.
#pragma once

#include <functional>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/common/bytes.h"

namespace docket::storage {

// Column families. Adding one is a format change (kFormatVersion in format.h, docs/storage.md); never
// renumber.
enum class Column : uint8_t {
  meta = 0,      // format version, chain id, genesis hash, typed metadata (meta_store.h)
  blocks = 1,    // block id -> record version || u64be height || block bytes (block_store.h)
  heights = 2,   // u64be height -> block id of the committed block at that height
  certs = 3,     // block id -> serialized commit certificate (QuorumCertificate)
  txs = 4,       // tx id -> u64be height || u32be index
  state = 5,     // sparse Merkle tree nodes and versioned leaves (ledger/state)
  safety = 6,    // consensus safety state, written synced before any vote leaves the node
  app = 7,       // contract indexes that are not part of the authenticated state (history, etc.)
};
inline constexpr Column kAllColumns[] = {Column::meta, Column::blocks, Column::heights, Column::certs,
                                         Column::txs, Column::state, Column::safety, Column::app};
inline constexpr size_t kColumnCount = std::size(kAllColumns);

// The column's position in kAllColumns (= its number). Aborts on a value outside the enum (a bug).
size_t column_index(Column c);
// The column's stable name; also the RocksDB column family name.
std::string_view column_name(Column c);

// A set of writes applied all together or not at all, in order (a later op on the same key wins).
class WriteBatch {
 public:
  enum class Kind : uint8_t { put, del };
  struct Op {
    Kind kind;
    Column column;
    Bytes key;
    Bytes value;
  };
  void put(Column c, ByteView key, ByteView value) {
    ops_.push_back({Kind::put, c, Bytes(key.begin(), key.end()), Bytes(value.begin(), value.end())});
  }
  void del(Column c, ByteView key) { ops_.push_back({Kind::del, c, Bytes(key.begin(), key.end()), {}}); }
  const std::vector<Op>& ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }
  size_t size() const { return ops_.size(); }
  void clear() { ops_.clear(); }

 private:
  std::vector<Op> ops_;
};

class KvStore {
 public:
  virtual ~KvStore() = default;

  // The value at key, std::nullopt when absent; an error only when the store itself fails
  // (Errc::corruption for a failed checksum, Errc::io_error when the disk refuses).
  virtual Result<std::optional<Bytes>> get(Column c, ByteView key) const = 0;

  // Applies the batch atomically. With sync, returns only after the data is durable (fsync'd).
  // A failure (disk full, I/O error) applies nothing and is returned (Errc::io_error). After one
  // failure the store refuses every later write with an error until it is reopened: the caller must
  // stop, because the state on disk is no longer known to match what it believes it wrote.
  virtual Status write(const WriteBatch& batch, bool sync) = 0;

  // Visits keys in [begin, end) in ascending order (end empty = to the end of the column) until the
  // visitor returns false. The visitor sees a consistent snapshot taken when the scan starts and may
  // call back into the store.
  using Visitor = std::function<bool(ByteView key, ByteView value)>;
  virtual Status scan(Column c, ByteView begin, ByteView end, const Visitor& visit) const = 0;

  // The greatest key-value pair with key < before (before empty = the last pair), if any.
  virtual Result<std::optional<std::pair<Bytes, Bytes>>> last_before(Column c, ByteView before) const = 0;
};

}  // namespace docket::storage
