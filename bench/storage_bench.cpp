// Storage figures: RocksStore batch commits/s (100 small puts per batch, synced and not) and point
// reads/s on a database of 100k keys (present and absent keys). Databases live in temporary
// directories under /tmp (so the figures are those of the disk behind /tmp) and are removed afterwards.
#include <benchmark/benchmark.h>

#include <random>
#include <stdexcept>

#include "bench/bench_dir.h"
#include "ledger/crypto/sha256.h"
#include "ledger/storage/codec.h"
#include "ledger/storage/rocksdb_store.h"

using namespace docket;
using namespace docket::storage;

namespace {

constexpr int kPutsPerBatch = 100;
constexpr size_t kValueBytes = 100;
constexpr uint64_t kReadDbKeys = 100'000;

using docket::bench::BenchDir;

// Keys spread like transaction ids and state tree node hashes.
Hash32 key_of(uint64_t i) { return crypto::sha256(u64_be(i)); }

ByteView view(const Hash32& h) { return {h.data(), h.size()}; }

void BM_RocksBatchCommit(benchmark::State& st) {
  const bool sync = st.range(0) != 0;
  BenchDir dir("docket-storage-bench");
  auto db = RocksStore::open(dir.path());
  if (!db) {
    st.SkipWithError(db.error().to_string().c_str());
    return;
  }
  const Bytes value(kValueBytes, 0x42);
  uint64_t next = 0;
  for (auto _ : st) {
    WriteBatch batch;
    for (int i = 0; i < kPutsPerBatch; ++i) batch.put(Column::state, view(key_of(next++)), value);
    Status s = (*db)->write(batch, sync);
    if (!s.ok()) {
      st.SkipWithError(s.error().to_string().c_str());
      break;
    }
  }
  st.counters["commits/s"] = benchmark::Counter(static_cast<double>(st.iterations()), benchmark::Counter::kIsRate);
  st.SetItemsProcessed(st.iterations() * kPutsPerBatch);
}
BENCHMARK(BM_RocksBatchCommit)->ArgName("sync")->Arg(1)->Arg(0)->UseRealTime()->Unit(benchmark::kMicrosecond);

// One database of kReadDbKeys keys, flushed to table files, shared by the read benchmarks.
struct ReadDb {
  BenchDir dir{"docket-storage-bench"};
  std::unique_ptr<RocksStore> db;
  std::vector<Hash32> present, absent;  // keys to look up, computed before timing

  ReadDb() {
    auto opened = RocksStore::open(dir.path());
    if (!opened) throw std::runtime_error(opened.error().to_string());
    db = std::move(*opened);
    Bytes value(kValueBytes, 0x42);
    for (uint64_t i = 0; i < kReadDbKeys; i += 1000) {
      WriteBatch batch;
      for (uint64_t j = i; j < i + 1000; ++j) batch.put(Column::state, view(key_of(j)), value);
      if (!db->write(batch, false).ok()) throw std::runtime_error("loading the read benchmark database failed");
    }
    if (!db->flush().ok()) throw std::runtime_error("flushing the read benchmark database failed");
    for (uint64_t i = 0; i < kReadDbKeys; ++i) {
      present.push_back(key_of(i));
      absent.push_back(key_of(kReadDbKeys + i));
    }
  }
};

ReadDb& read_db() {
  static ReadDb r;
  return r;
}

void BM_RocksPointRead(benchmark::State& st) {
  const bool present = st.range(0) != 0;
  ReadDb& r = read_db();
  const std::vector<Hash32>& keys = present ? r.present : r.absent;
  std::mt19937_64 rng(1);
  for (auto _ : st) {
    auto v = r.db->get(Column::state, view(keys[rng() % keys.size()]));
    if (!v || v->has_value() != present) {
      st.SkipWithError("unexpected read result");
      break;
    }
    benchmark::DoNotOptimize(v);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_RocksPointRead)->ArgName("present")->Arg(1)->Arg(0);

}  // namespace
