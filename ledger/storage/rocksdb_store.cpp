#include "ledger/storage/rocksdb_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "ledger/storage/disk_space.h"
#include "ledger/storage/format.h"

namespace docket::storage {

namespace {

namespace fs = std::filesystem;

rocksdb::Slice slice(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
ByteView view(const rocksdb::Slice& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

// RocksDB reports a LOCK file held by another process (flock: EAGAIN) or by this one as an IOError;
// it is told apart by its text, which is all the Status carries.
bool is_lock_held(const rocksdb::Status& s) {
  if (!s.IsIOError()) return false;
  const std::string text = s.ToString();
  return (text.find("While lock file") != std::string::npos &&
          text.find(std::strerror(EAGAIN)) != std::string::npos) ||
         text.find("lock hold by current process") != std::string::npos;
}

bool is_no_space(const rocksdb::Status& s) {
  return s.IsNoSpace() || (s.IsIOError() && s.ToString().find(std::strerror(ENOSPC)) != std::string::npos);
}

Error to_error(const rocksdb::Status& s, const std::string& context) {
  Errc code = Errc::internal;
  std::string what = context + ": " + s.ToString();
  if (is_lock_held(s)) {
    code = Errc::unavailable;
    what = context + ": the database is locked by another process (" + s.ToString() + ")";
  } else if (s.IsCorruption()) {
    code = Errc::corruption;
  } else if (s.IsNoSpace()) {
    code = Errc::io_error;
    what = context + ": disk full: " + s.ToString();
  } else if (s.IsIOError() || s.IsBusy() || s.IsTimedOut() || s.IsTryAgain() || s.IsIOFenced()) {
    code = Errc::io_error;
  } else if (s.IsNotFound()) {
    code = Errc::not_found;
  } else if (s.IsInvalidArgument()) {
    code = Errc::invalid_argument;
  } else if (s.IsNotSupported()) {
    code = Errc::invalid_state;
  }
  return make_error(code, std::move(what));
}

rocksdb::CompressionType pick(const std::vector<rocksdb::CompressionType>& supported,
                              std::initializer_list<rocksdb::CompressionType> preferred) {
  for (auto c : preferred)
    if (std::find(supported.begin(), supported.end(), c) != supported.end()) return c;
  return rocksdb::kNoCompression;
}

rocksdb::DBOptions db_options(const RocksOptions& o) {
  rocksdb::DBOptions d;
  d.paranoid_checks = true;  // also: after a failed write RocksDB itself refuses further writes
  // Refuse to open when a write-ahead log is damaged anywhere but in its last, torn record: replaying
  // only a prefix ("point in time") could silently drop synced safety state, letting a node vote twice.
  d.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  d.db_write_buffer_size = o.memtable_bytes;
  // Rarely written columns (meta, safety) would otherwise pin old logs forever.
  d.max_total_wal_size = 2 * o.memtable_bytes;
  d.max_open_files = 512;  // bounded file descriptors; index and filter blocks live in the block cache
  d.max_background_jobs = 2;
  d.keep_log_file_num = 4;
  d.max_log_file_size = size_t{4} << 20;
  return d;
}

rocksdb::ColumnFamilyOptions column_options(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  t.cache_index_and_filter_blocks = true;  // memory stays within block_cache_bytes
  t.pin_l0_filter_and_index_blocks_in_cache = true;
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));  // most reads are point lookups by hash
  rocksdb::ColumnFamilyOptions c;
  c.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  c.write_buffer_size = size_t{16} << 20;
  c.max_write_buffer_number = 2;
  c.level_compaction_dynamic_level_bytes = true;
  auto supported = rocksdb::GetSupportedCompressions();
  c.compression = pick(supported, {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression});
  c.bottommost_compression = pick(supported, {rocksdb::kZSTD, c.compression});
  return c;
}

bool is_docket_column(const std::string& name) {
  for (Column c : kAllColumns)
    if (column_name(c) == name) return true;
  return false;
}

// A RocksDB instance with the handles of all its column families; closes it on destruction.
struct OpenDb {
  rocksdb::DB* db = nullptr;
  std::vector<std::string> names;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // handles[i] belongs to names[i]

  OpenDb() = default;
  OpenDb(const OpenDb&) = delete;
  OpenDb& operator=(const OpenDb&) = delete;
  ~OpenDb() { close(); }

  void close() {
    if (!db) return;
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    handles.clear();
    db->Close().PermitUncheckedError();  // nothing is left to write: every batch went through the log
    delete db;
    db = nullptr;
  }

  rocksdb::ColumnFamilyHandle* find(std::string_view name) const {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return handles[i];
    return nullptr;
  }
};

Status open_db(const std::string& dir, const rocksdb::DBOptions& options, const std::vector<std::string>& names,
               const std::shared_ptr<rocksdb::Cache>& cache, bool read_only, OpenDb& out) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names) descriptors.emplace_back(n, column_options(cache));
  rocksdb::Status s = read_only ? rocksdb::DB::OpenForReadOnly(options, dir, descriptors, &out.handles, &out.db)
                                : rocksdb::DB::Open(options, dir, descriptors, &out.handles, &out.db);
  if (!s.ok()) {
    Error e = to_error(s, "opening the database in '" + dir + "'");
    if (is_no_space(s)) {
      if (auto space = disk_space(dir)) e.message = "opening the database: " + disk_full_message(dir, *space) + " (" + s.ToString() + ")";
    }
    return e;
  }
  out.names = names;
  return ok_status();
}

// What open() found in an existing database.
enum class Found { docket, blank };

// Checks that `db` is a Docket database of this format version. A database with nothing in it and no
// column family of anyone else is `blank`: its creation stopped before the format record was written.
Result<Found> inspect(const OpenDb& db, const std::string& dir) {
  std::optional<Bytes> record;
  if (auto* meta = db.find(column_name(Column::meta))) {
    rocksdb::PinnableSlice v;
    rocksdb::Status s = db.db->Get(rocksdb::ReadOptions(), meta, slice(as_bytes(kFormatVersionKey)), &v);
    if (s.ok())
      record = Bytes(v.data(), v.data() + v.size());
    else if (!s.IsNotFound())
      return to_error(s, "reading the format version in '" + dir + "'");
  }
  if (!record) {
    for (size_t i = 0; i < db.names.size(); ++i) {
      std::unique_ptr<rocksdb::Iterator> it(db.db->NewIterator(rocksdb::ReadOptions(), db.handles[i]));
      it->SeekToFirst();
      if (!it->status().ok()) return to_error(it->status(), "reading '" + dir + "'");
      bool foreign = !is_docket_column(db.names[i]) && db.names[i] != rocksdb::kDefaultColumnFamilyName;
      if (it->Valid() || foreign) return check_format_version(std::nullopt, "'" + dir + "'").error();
    }
    return Found::blank;
  }
  DOCKET_TRY(check_format_version(record, "'" + dir + "'"));
  for (Column c : kAllColumns)
    if (!db.find(column_name(c)))
      return make_error(Errc::corruption,
                        "'" + dir + "': column family '" + std::string(column_name(c)) + "' is missing");
  for (const auto& n : db.names)
    if (!is_docket_column(n) && n != rocksdb::kDefaultColumnFamilyName)
      return make_error(Errc::corruption, "'" + dir + "': unexpected column family '" + n + "'");
  return Found::docket;
}

std::vector<std::string> all_column_names() {
  std::vector<std::string> names{rocksdb::kDefaultColumnFamilyName};
  for (Column c : kAllColumns) names.emplace_back(column_name(c));
  return names;
}

}  // namespace

struct RocksStore::Impl {
  std::string dir;
  bool read_only = false;
  std::shared_ptr<rocksdb::Cache> cache;
  OpenDb db;
  std::array<rocksdb::ColumnFamilyHandle*, kColumnCount> columns{};

  std::mutex write_mu;
  std::optional<Error> write_failure;  // set by a failed write or flush; refuses later writes

  rocksdb::ColumnFamilyHandle* column(Column c) const { return columns[column_index(c)]; }

  // A failed write or flush; on a full disk the message names the directory and the space needed.
  Error failure(const rocksdb::Status& s, const std::string& context) const {
    Error e = to_error(s, context);
    if (!is_no_space(s)) return e;
    auto space = disk_space(dir);
    if (space) e.message = context + ": " + disk_full_message(dir, *space) + " (" + s.ToString() + ")";
    return e;
  }

  Status refuse_if_unwritable() const {
    if (read_only) return make_error(Errc::invalid_state, "'" + dir + "' is open read-only");
    if (write_failure)
      return make_error(Errc::io_error, "'" + dir + "' refuses writes after an earlier failure (fix the cause and "
                                        "restart): " + write_failure->message);
    return ok_status();
  }
};

RocksStore::RocksStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  for (Column c : kAllColumns) {
    impl_->columns[column_index(c)] = impl_->db.find(column_name(c));
    DOCKET_ASSERT(impl_->columns[column_index(c)] != nullptr);
  }
}

RocksStore::~RocksStore() = default;

const std::string& RocksStore::dir() const { return impl_->dir; }

Result<std::unique_ptr<RocksStore>> RocksStore::open(const std::string& dir, const Options& options) {
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    return make_error(Errc::io_error, "cannot access '" + dir + "': " + ec.message());
  const bool exists = fs::exists(st);
  ec.clear();
  if (exists && !fs::is_directory(st)) return make_error(Errc::invalid_argument, "'" + dir + "' is not a directory");
  const bool has_db = exists && fs::exists(fs::path(dir) / "CURRENT", ec);
  if (ec) return make_error(Errc::io_error, "cannot access '" + dir + "': " + ec.message());
  // RocksDB writes on every open (a new log, MANIFEST, OPTIONS, flushes of the replayed log): on a full
  // disk it fails somewhere inside, so check first and say what is missing.
  if (!options.read_only && (has_db || options.create_if_missing)) DOCKET_TRY(check_free_space(dir));

  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->read_only = options.read_only;
  impl->cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  rocksdb::DBOptions dbo = db_options(options);

  if (!has_db) {
    bool empty = true;
    if (exists) {
      for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (std::find(options.ignored_files.begin(), options.ignored_files.end(), name) == options.ignored_files.end()) empty = false;
      }
    }
    if (ec) return make_error(Errc::io_error, "cannot list '" + dir + "': " + ec.message());
    if (!empty)
      return make_error(Errc::corruption, "'" + dir + "' is not a Docket database: it holds files but no database "
                                          "(no CURRENT file)");
    if (!options.create_if_missing || options.read_only)
      return make_error(Errc::not_found, "no database in '" + dir + "'");
    fs::create_directories(dir, ec);
    if (ec) return make_error(Errc::io_error, "cannot create '" + dir + "': " + ec.message());
    dbo.create_if_missing = true;
    dbo.error_if_exists = true;
    dbo.create_missing_column_families = true;
    DOCKET_TRY(open_db(dir, dbo, all_column_names(), impl->cache, false, impl->db));
    std::unique_ptr<RocksStore> store(new RocksStore(std::move(impl)));
    WriteBatch init;
    put_format_version(init);
    DOCKET_TRY(store->write(init, true));
    return store;
  }

  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(dbo, dir, &names);
  if (!s.ok()) return to_error(s, "reading the column families of '" + dir + "'");

  // Inspect read-only first, so that a database we refuse is left exactly as it was.
  DOCKET_TRY(open_db(dir, dbo, names, impl->cache, true, impl->db));
  auto found = inspect(impl->db, dir);
  if (!found) return found.error();
  if (options.read_only) {
    if (*found == Found::blank) return check_format_version(std::nullopt, "'" + dir + "'").error();
    return std::unique_ptr<RocksStore>(new RocksStore(std::move(impl)));
  }
  impl->db.close();

  if (*found == Found::blank) {
    dbo.create_missing_column_families = true;
    for (auto& n : all_column_names())
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  }
  DOCKET_TRY(open_db(dir, dbo, names, impl->cache, false, impl->db));
  std::unique_ptr<RocksStore> store(new RocksStore(std::move(impl)));
  if (*found == Found::blank) {
    WriteBatch init;
    put_format_version(init);
    DOCKET_TRY(store->write(init, true));
  }
  return store;
}

Result<std::optional<Bytes>> RocksStore::get(Column c, ByteView key) const {
  rocksdb::PinnableSlice v;
  rocksdb::Status s = impl_->db.db->Get(rocksdb::ReadOptions(), impl_->column(c), slice(key), &v);
  if (s.IsNotFound()) return std::optional<Bytes>{};
  if (!s.ok()) return to_error(s, "get from '" + std::string(column_name(c)) + "' in '" + impl_->dir + "'");
  return std::optional<Bytes>{Bytes(v.data(), v.data() + v.size())};
}

Status RocksStore::write(const WriteBatch& batch, bool sync) {
  std::lock_guard l(impl_->write_mu);
  DOCKET_TRY(impl_->refuse_if_unwritable());
  rocksdb::WriteBatch wb;
  for (const auto& op : batch.ops()) {
    // These fail only on sizes beyond RocksDB's limits (4 GiB); nothing has been written yet.
    rocksdb::Status s = op.kind == WriteBatch::Kind::put ? wb.Put(impl_->column(op.column), slice(op.key), slice(op.value))
                                                         : wb.Delete(impl_->column(op.column), slice(op.key));
    if (!s.ok()) return to_error(s, "building a write batch for '" + impl_->dir + "'");
  }
  // Refuse before RocksDB runs out of space: its write path after an ENOSPC in the log can run into an
  // assertion of Debian's librocksdb (built with them) and abort the process (seen 2 times in 6 in
  // tests/storage/disk_full_test.cpp). Below the reserve (what a memtable flush and a new log need) the
  // write fails here, cleanly, with the figures. One statvfs per write, about a microsecond.
  if (auto space = free_bytes(impl_->dir); space && *space < kOpenHeadroomBytes + wb.GetDataSize()) {
    DiskSpace d;
    d.free_bytes = *space;
    d.needed_bytes = kOpenHeadroomBytes + wb.GetDataSize();
    impl_->write_failure = make_error(Errc::io_error, "write to '" + impl_->dir + "': " + disk_full_message(impl_->dir, d));
    return *impl_->write_failure;
  }
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  rocksdb::Status s = impl_->db.db->Write(wo, &wb);
  if (!s.ok()) {
    impl_->write_failure = impl_->failure(s, "write to '" + impl_->dir + "'");
    return *impl_->write_failure;
  }
  return ok_status();
}

Status RocksStore::scan(Column c, ByteView begin, ByteView end, const Visitor& visit) const {
  rocksdb::ReadOptions ro;
  rocksdb::Slice upper = slice(end);
  if (!end.empty()) ro.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db.db->NewIterator(ro, impl_->column(c)));
  for (it->Seek(slice(begin)); it->Valid(); it->Next())
    if (!visit(view(it->key()), view(it->value()))) break;
  if (!it->status().ok())
    return to_error(it->status(), "scan of '" + std::string(column_name(c)) + "' in '" + impl_->dir + "'");
  return ok_status();
}

Result<std::optional<std::pair<Bytes, Bytes>>> RocksStore::last_before(Column c, ByteView before) const {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db.db->NewIterator(rocksdb::ReadOptions(), impl_->column(c)));
  if (before.empty()) {
    it->SeekToLast();
  } else {
    it->SeekForPrev(slice(before));  // the last key <= before
    if (it->Valid() && it->key() == slice(before)) it->Prev();
  }
  if (!it->status().ok())
    return to_error(it->status(), "seek in '" + std::string(column_name(c)) + "' in '" + impl_->dir + "'");
  if (!it->Valid()) return std::optional<std::pair<Bytes, Bytes>>{};
  auto k = view(it->key());
  auto v = view(it->value());
  return std::optional<std::pair<Bytes, Bytes>>{std::make_pair(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()))};
}

Status RocksStore::flush() {
  std::lock_guard l(impl_->write_mu);
  DOCKET_TRY(impl_->refuse_if_unwritable());
  std::vector<rocksdb::ColumnFamilyHandle*> cfs(impl_->columns.begin(), impl_->columns.end());
  rocksdb::Status s = impl_->db.db->Flush(rocksdb::FlushOptions(), cfs);
  if (!s.ok()) {
    impl_->write_failure = impl_->failure(s, "flush of '" + impl_->dir + "'");
    return *impl_->write_failure;
  }
  return ok_status();
}

}  // namespace docket::storage
