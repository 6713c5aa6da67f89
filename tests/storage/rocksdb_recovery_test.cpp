// RocksStore recovery from its write-ahead log: a torn last record (what a crash in the middle of a
// write leaves) loses only that batch; damage before the end refuses to open rather than silently
// dropping the synced batches behind it.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>

#include "ledger/storage/rocksdb_store.h"
#include "tests/storage/test_support.h"

using namespace docket;
using namespace docket::storage;
using namespace docket::storage::test;
namespace fs = std::filesystem;

namespace {

// Writes three synced batches, each with one recognisable value, and closes; they stay in the log.
void write_three_batches(const std::string& dir) {
  auto db = open_rocks(dir);
  for (char c : {'A', 'B', 'C'})
    put_one(*db, Column::safety, as_bytes(std::string(1, c)), as_bytes(std::string(64, c)));
}

fs::path the_log(const std::string& dir) {
  fs::path log;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".log" && (log.empty() || fs::file_size(e.path()) > fs::file_size(log))) log = e.path();
  REQUIRE(!log.empty());
  return log;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool has(const KvStore& kv, char c) {
  auto v = kv.get(Column::safety, as_bytes(std::string(1, c)));
  REQUIRE(v.ok());
  return v->has_value();
}

}  // namespace

TEST_CASE("a torn last log record loses only the last batch") {
  TempDir tmp;
  write_three_batches(tmp.path());
  const fs::path log = the_log(tmp.path());
  const std::string bytes = read_file(log);
  REQUIRE(bytes.find(std::string(64, 'C')) != std::string::npos);
  fs::resize_file(log, bytes.size() - 10);  // cut into the record of batch C

  auto db = open_rocks(tmp.path());
  CHECK(has(*db, 'A'));
  CHECK(has(*db, 'B'));
  CHECK(!has(*db, 'C'));
}

TEST_CASE("a damaged log record before the end refuses to open") {
  TempDir tmp;
  write_three_batches(tmp.path());
  const fs::path log = the_log(tmp.path());
  const std::string bytes = read_file(log);
  const auto at = bytes.find(std::string(64, 'A'));
  REQUIRE(at != std::string::npos);
  {
    std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(at + 10));
    f.put('Z');  // batch A no longer matches its checksum; B and C behind it are intact
  }
  auto db = RocksStore::open(tmp.path());
  REQUIRE(!db.ok());
  INFO(db.error().to_string());
  CHECK(db.error().code == Errc::corruption);
}
