// RocksStore::open on databases it must refuse: another format version, lost or unexpected column
// families, directories that are not Docket databases, and files damaged on disk. Each gives a clear
// error (the code and a message naming the problem), never a crash.
#include <rocksdb/db.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "ledger/storage/format.h"
#include "ledger/storage/meta_value.h"
#include "ledger/storage/rocksdb_store.h"
#include "tests/storage/test_support.h"

using namespace docket;
using namespace docket::storage;
using namespace docket::storage::test;
namespace fs = std::filesystem;

namespace {

Error open_error(const std::string& dir) {
  auto s = RocksStore::open(dir);
  if (s.ok()) FAIL("opening " << dir << " should have failed");
  INFO(s.error().to_string());
  return s.error();
}

// A database with `n` keys in Column::state, flushed to table files, closed.
void make_db(const std::string& dir, int n) {
  auto db = open_rocks(dir);
  std::mt19937 rng(7);  // incompressible values, so that the table file has many data blocks
  WriteBatch batch;
  for (int i = 0; i < n; ++i) {
    Bytes value(100);
    for (auto& x : value) x = static_cast<uint8_t>(rng());
    batch.put(Column::state, as_bytes("key-" + std::to_string(100000 + i)), value);
  }
  REQUIRE(db->write(batch, true).ok());
  REQUIRE(db->flush().ok());
}

// The largest table file: the one holding the state column's data.
fs::path largest_table_file(const std::string& dir) {
  fs::path best;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sst" && (best.empty() || fs::file_size(e.path()) > fs::file_size(best))) best = e.path();
  REQUIRE(!best.empty());
  return best;
}

// The whole state column, or the error reading it.
Status read_all_state(const KvStore& kv) {
  return kv.scan(Column::state, {}, {}, [](ByteView, ByteView) { return true; });
}

// Opens `dir` with plain RocksDB and all its column families, runs `fn(db, handles)` and closes it.
template <typename Fn>
void with_raw_db(const std::string& dir, Fn fn) {
  rocksdb::DBOptions options;
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(options, dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (const auto& n : names) descs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  REQUIRE(rocksdb::DB::Open(options, dir, descs, &handles, &db).ok());
  fn(db, names, handles);
  for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  REQUIRE(db->Close().ok());
  delete db;
}

}  // namespace

TEST_CASE("open refuses another format version") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  put_one(*open_rocks(dir), Column::meta, as_bytes(kFormatVersionKey), encode_meta_u64(kFormatVersion + 1));
  Error e = open_error(dir);
  CHECK(e.code == Errc::version_mismatch);
  CHECK_THAT(e.message, Catch::Contains("version " + std::to_string(kFormatVersion + 1)));
  CHECK_THAT(e.message, Catch::Contains("reads version " + std::to_string(kFormatVersion)));
}

TEST_CASE("open refuses a format record that does not decode") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  put_one(*open_rocks(dir), Column::meta, as_bytes(kFormatVersionKey), as_bytes("v1"));
  CHECK(open_error(dir).code == Errc::corruption);
}

TEST_CASE("open refuses a database that lost a column family") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  make_db(dir, 10);
  with_raw_db(dir, [](rocksdb::DB* db, const std::vector<std::string>& names, auto& handles) {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == "txs") REQUIRE(db->DropColumnFamily(handles[i]).ok());
  });
  Error e = open_error(dir);
  CHECK(e.code == Errc::corruption);
  CHECK_THAT(e.message, Catch::Contains("'txs' is missing"));
  // Refused without repair: the next open still sees the loss.
  CHECK(open_error(dir).code == Errc::corruption);
}

TEST_CASE("open refuses a database with a column family it does not know") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  make_db(dir, 1);
  with_raw_db(dir, [](rocksdb::DB* db, auto&, auto&) {
    rocksdb::ColumnFamilyHandle* h = nullptr;
    REQUIRE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "extra", &h).ok());
    REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  });
  Error e = open_error(dir);
  CHECK(e.code == Errc::corruption);
  CHECK_THAT(e.message, Catch::Contains("'extra'"));
}

TEST_CASE("open refuses another program's RocksDB database and leaves it as it was") {
  TempDir tmp;
  const std::string dir = tmp.sub("foreign");
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(options, dir, &db).ok());
    REQUIRE(db->Put(rocksdb::WriteOptions(), "theirs", "data").ok());
    REQUIRE(db->Close().ok());
    delete db;
  }
  Error e = open_error(dir);
  CHECK(e.code == Errc::corruption);
  CHECK_THAT(e.message, Catch::Contains("not a Docket database"));
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  CHECK(names == std::vector<std::string>{rocksdb::kDefaultColumnFamilyName});
}

TEST_CASE("open finishes creating a database that has no data and no format record yet") {
  // What a crash between creating the column families and writing the format record leaves.
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> descs{{rocksdb::kDefaultColumnFamilyName, {}}, {"meta", {}}, {"blocks", {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(options, dir, descs, &handles, &db).ok());
    for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
    REQUIRE(db->Close().ok());
    delete db;
  }
  auto db = open_rocks(dir);
  auto record = db->get(Column::meta, as_bytes(kFormatVersionKey));
  REQUIRE(record.ok());
  CHECK(check_format_version(*record, dir).ok());
}

TEST_CASE("open refuses a non-empty directory without a database") {
  TempDir tmp;
  const std::string dir = tmp.sub("docs");
  fs::create_directories(dir);
  { std::ofstream(dir + "/notes.txt") << "not a database"; }
  Error e = open_error(dir);
  CHECK(e.code == Errc::corruption);
  CHECK_THAT(e.message, Catch::Contains("not a Docket database"));
  CHECK(fs::exists(dir + "/notes.txt"));
  CHECK(!fs::exists(dir + "/CURRENT"));
}

TEST_CASE("open refuses a database whose CURRENT file is damaged") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  make_db(dir, 10);
  { std::ofstream(dir + "/CURRENT", std::ios::trunc) << "garbage without newline"; }
  CHECK(open_error(dir).code == Errc::corruption);
}

TEST_CASE("open refuses a database whose MANIFEST is truncated") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  make_db(dir, 10);
  std::string current;
  { std::ifstream(dir + "/CURRENT") >> current; }
  REQUIRE(!current.empty());
  fs::resize_file(dir + "/" + current, 20);
  CHECK(open_error(dir).code == Errc::corruption);
}

TEST_CASE("open refuses a database with a truncated table file") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  make_db(dir, 2000);
  const fs::path sst = largest_table_file(dir);
  REQUIRE(fs::file_size(sst) > 100000);
  fs::resize_file(sst, fs::file_size(sst) / 2);
  CHECK(open_error(dir).code == Errc::corruption);
}

TEST_CASE("a table file overwritten in place is reported as corruption, never read as data") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  make_db(dir, 2000);
  const fs::path sst = largest_table_file(dir);
  const auto size_before = fs::file_size(sst);
  {
    std::fstream file(sst, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(64);  // inside the first data block
    std::string junk(256, '\x5a');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  REQUIRE(fs::file_size(sst) == size_before);
  auto db = RocksStore::open(dir);
  if (!db.ok()) {
    CHECK(db.error().code == Errc::corruption);
  } else {
    Status s = read_all_state(**db);
    REQUIRE(!s.ok());
    CHECK(s.error().code == Errc::corruption);
    auto v = (*db)->get(Column::state, as_bytes("key-100000"));
    REQUIRE(!v.ok());
    CHECK(v.error().code == Errc::corruption);
  }
}
