// RocksStore: persistence across reopen, atomic batches under a real write failure, writes refused
// after a failure, read-only and locked opens.
#include <fstream>

#include <catch2/catch.hpp>

#include "ledger/storage/format.h"
#include "ledger/storage/rocksdb_store.h"
#include "tests/storage/test_support.h"

using namespace docket;
using namespace docket::storage;
using namespace docket::storage::test;

namespace {

std::optional<Bytes> must_get(const KvStore& kv, Column c, std::string_view key) {
  auto v = kv.get(c, as_bytes(key));
  if (!v) FAIL(v.error().to_string());
  return *v;
}

}  // namespace

TEST_CASE("RocksStore keeps synced and unsynced writes across close and reopen") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  {
    auto db = open_rocks(dir);
    WriteBatch batch;
    batch.put(Column::blocks, as_bytes("k1"), as_bytes("v1"));
    batch.put(Column::state, as_bytes("k2"), as_bytes("v2"));
    batch.put(Column::state, as_bytes("gone"), as_bytes("x"));
    REQUIRE(db->write(batch, true).ok());
    WriteBatch second;
    second.del(Column::state, as_bytes("gone"));
    second.put(Column::safety, as_bytes("round"), as_bytes("7"));
    REQUIRE(db->write(second, false).ok());
  }
  auto db = open_rocks(dir);
  CHECK(must_get(*db, Column::blocks, "k1") == b("v1"));
  CHECK(must_get(*db, Column::state, "k2") == b("v2"));
  CHECK(!must_get(*db, Column::state, "gone"));
  CHECK(must_get(*db, Column::safety, "round") == b("7"));
  CHECK(!must_get(*db, Column::blocks, "k2"));  // columns are separate key spaces
  CHECK(must_get(*db, Column::meta, kFormatVersionKey));

  // Data in table files (not only in the write-ahead log) survives too.
  REQUIRE(db->flush().ok());
  db.reset();
  db = open_rocks(dir);
  CHECK(must_get(*db, Column::state, "k2") == b("v2"));
}

TEST_CASE("RocksStore applies nothing of a batch whose write fails, and refuses writes after it") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  {
    auto db = open_rocks(dir);
    put_one(*db, Column::blocks, as_bytes("before"), as_bytes("1"));

    WriteBatch failing;
    for (int i = 0; i < 50; ++i) failing.put(Column::state, as_bytes("s" + std::to_string(i)), as_bytes("v"));
    failing.put(Column::blocks, as_bytes("big"), Bytes(size_t{4} << 20, 0xab));
    failing.put(Column::txs, as_bytes("after-big"), as_bytes("v"));
    {
      FileSizeLimit limit(size_t{1} << 20);
      Status s = db->write(failing, true);
      REQUIRE(!s.ok());
      CHECK(s.error().code == Errc::io_error);
    }
    // The limit is gone, yet the store stays stopped: it cannot know what reached the disk.
    WriteBatch small;
    small.put(Column::meta, as_bytes("after"), as_bytes("1"));
    for (int i = 0; i < 3; ++i) {
      Status s = db->write(small, true);
      REQUIRE(!s.ok());
      CHECK(s.error().code == Errc::io_error);
      CHECK_THAT(s.error().message, Catch::Contains("earlier failure"));
    }
    CHECK(!db->flush().ok());
    // Reads still work.
    CHECK(must_get(*db, Column::blocks, "before") == b("1"));
    CHECK(!must_get(*db, Column::state, "s0"));
  }
  auto db = open_rocks(dir);
  CHECK(must_get(*db, Column::blocks, "before") == b("1"));
  CHECK(!must_get(*db, Column::blocks, "big"));
  CHECK(!must_get(*db, Column::txs, "after-big"));
  for (int i = 0; i < 50; ++i) CHECK(!must_get(*db, Column::state, "s" + std::to_string(i)));
  CHECK(!must_get(*db, Column::meta, "after"));
  put_one(*db, Column::meta, as_bytes("after"), as_bytes("1"));  // a reopened store writes again
}

TEST_CASE("RocksStore read-only: reads work, writes are refused") {
  TempDir tmp;
  const std::string dir = tmp.sub("db");
  put_one(*open_rocks(dir), Column::app, as_bytes("a"), as_bytes("1"));
  RocksOptions ro;
  ro.read_only = true;
  auto db = open_rocks(dir, ro);
  CHECK(must_get(*db, Column::app, "a") == b("1"));
  WriteBatch batch;
  batch.put(Column::app, as_bytes("b"), as_bytes("2"));
  Status s = db->write(batch, true);
  REQUIRE(!s.ok());
  CHECK(s.error().code == Errc::invalid_state);
  CHECK(!db->flush().ok());

  auto missing = RocksStore::open(tmp.sub("nothing"), ro);
  REQUIRE(!missing.ok());
  CHECK(missing.error().code == Errc::not_found);
}

TEST_CASE("RocksStore open: missing database without create, second writer, not a directory") {
  TempDir tmp;
  RocksOptions no_create;
  no_create.create_if_missing = false;
  auto missing = RocksStore::open(tmp.sub("db"), no_create);
  REQUIRE(!missing.ok());
  CHECK(missing.error().code == Errc::not_found);
  CHECK(!std::filesystem::exists(tmp.sub("db")));

  auto first = open_rocks(tmp.sub("db"));
  auto second = RocksStore::open(tmp.sub("db"));
  REQUIRE(!second.ok());
  CHECK(second.error().code == Errc::unavailable);  // RocksDB's LOCK file
  CHECK_THAT(second.error().message, Catch::Contains("locked by another process"));

  { std::ofstream(tmp.sub("file")) << "x"; }
  auto file = RocksStore::open(tmp.sub("file"));
  REQUIRE(!file.ok());
  CHECK(file.error().code == Errc::invalid_argument);
}
