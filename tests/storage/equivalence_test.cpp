// MemoryStore and RocksStore behave the same: the same seeded random sequences of batches give the
// same get, scan and last_before answers, including across reopens and flushes of the RocksDB side.
#include <random>

#include <catch2/catch.hpp>

#include "ledger/storage/memory_store.h"
#include "ledger/storage/rocksdb_store.h"
#include "tests/storage/test_support.h"

using namespace docket;
using namespace docket::storage;
using namespace docket::storage::test;

namespace {

using Pairs = std::vector<std::pair<Bytes, Bytes>>;

// Few distinct keys, so that batches overwrite and delete what earlier ones wrote; bytes at the edges
// of the signed/unsigned range, so that a signed comparison anywhere would show.
Bytes random_key(std::mt19937_64& rng) {
  static constexpr uint8_t kAlphabet[] = {0x00, 0x01, 0x61, 0x7f, 0x80, 0xff};
  Bytes k(rng() % 4);
  for (auto& c : k) c = kAlphabet[rng() % std::size(kAlphabet)];
  return k;
}

Column random_column(std::mt19937_64& rng) { return kAllColumns[rng() % kColumnCount]; }

Pairs scan(const KvStore& kv, Column c, const Bytes& begin, const Bytes& end, size_t limit) {
  Pairs out;
  Status s = kv.scan(c, begin, end, [&](ByteView k, ByteView v) {
    out.emplace_back(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
    return out.size() < limit;
  });
  REQUIRE(s.ok());
  return out;
}

void compare_queries(std::mt19937_64& rng, const KvStore& mem, const KvStore& rocks) {
  for (int i = 0; i < 4; ++i) {
    Column c = random_column(rng);
    Bytes k = random_key(rng);
    auto a = mem.get(c, k);
    auto b = rocks.get(c, k);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(*a == *b);
  }
  for (int i = 0; i < 2; ++i) {
    Column c = random_column(rng);
    Bytes before = random_key(rng);
    auto a = mem.last_before(c, before);
    auto b = rocks.last_before(c, before);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(*a == *b);
  }
  Column c = random_column(rng);
  Bytes begin = random_key(rng);
  Bytes end = random_key(rng);  // sometimes empty (to the end), sometimes before begin (nothing)
  size_t limit = rng() % 3 == 0 ? SIZE_MAX : 1 + rng() % 8;
  CHECK(scan(mem, c, begin, end, limit) == scan(rocks, c, begin, end, limit));
}

void run_sequence(uint64_t seed, int steps) {
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  TempDir tmp;
  MemoryStore mem;
  auto rocks = open_rocks(tmp.path());
  for (int step = 0; step < steps; ++step) {
    WriteBatch batch;
    const size_t n = rng() % 9;  // empty batches included
    for (size_t i = 0; i < n; ++i) {
      Column c = random_column(rng);
      Bytes k = random_key(rng);
      if (rng() % 10 < 7) {
        Bytes v(rng() % 17);
        for (auto& x : v) x = static_cast<uint8_t>(rng());
        batch.put(c, k, v);
      } else {
        batch.del(c, k);
      }
    }
    const bool sync = rng() % 10 == 0;
    REQUIRE(mem.write(batch, sync).ok());
    REQUIRE(rocks->write(batch, sync).ok());
    compare_queries(rng, mem, *rocks);

    if (step % 97 == 96) REQUIRE(rocks->flush().ok());  // later reads merge table files and memtables
    if (step % 151 == 150) {
      rocks.reset();
      rocks = open_rocks(tmp.path());
    }
  }
  for (Column c : kAllColumns) CHECK(scan(mem, c, {}, {}, SIZE_MAX) == scan(*rocks, c, {}, {}, SIZE_MAX));
}

}  // namespace

TEST_CASE("MemoryStore and RocksStore give the same answers to the same operation sequences") {
  for (uint64_t seed : {1u, 2u, 3u, 20240601u}) run_sequence(seed, 400);
}

TEST_CASE("both stores start with only the format record, and scans see a snapshot") {
  TempDir tmp;
  MemoryStore mem;
  auto rocks = open_rocks(tmp.path());
  for (KvStore* kv : {static_cast<KvStore*>(&mem), static_cast<KvStore*>(rocks.get())}) {
    CHECK(scan(*kv, Column::meta, {}, {}, SIZE_MAX).size() == 1);
    for (Column c : kAllColumns)
      if (c != Column::meta) CHECK(scan(*kv, c, {}, {}, SIZE_MAX).empty());

    WriteBatch batch;
    batch.put(Column::app, as_bytes("a"), as_bytes("1"));
    batch.put(Column::app, as_bytes("c"), as_bytes("3"));
    REQUIRE(kv->write(batch, false).ok());
    Pairs seen;
    Status s = kv->scan(Column::app, {}, {}, [&](ByteView k, ByteView v) {
      seen.emplace_back(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
      WriteBatch during;  // the visitor may write; the running scan does not see it
      during.put(Column::app, as_bytes("b"), as_bytes("2"));
      during.del(Column::app, as_bytes("c"));
      REQUIRE(kv->write(during, false).ok());
      return true;
    });
    REQUIRE(s.ok());
    CHECK(seen == Pairs{{b("a"), b("1")}, {b("c"), b("3")}});
    CHECK(scan(*kv, Column::app, {}, {}, SIZE_MAX) == Pairs{{b("a"), b("1")}, {b("b"), b("2")}});
  }
}
