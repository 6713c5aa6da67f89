// The cost the high-water mark adds to a vote: the driver syncs the safety state into RocksDB (a synced
// one-put batch), then replaces the mark file (write, fsync, rename, fsync of the directory).
#include <benchmark/benchmark.h>

#include "bench/bench_dir.h"
#include "ledger/node/high_water_mark.h"
#include "ledger/storage/rocksdb_store.h"

using namespace docket;

namespace {
// About the size of a safety record with a lock QC of 4 validators.
const Bytes kSafetyRecord(420, 0x5a);
}  // namespace

// One mark write per iteration (each with a higher round, as before each vote).
static void BM_HighWaterMarkWrite(benchmark::State& st) {
  bench::BenchDir dir("docket-bench-hwm");
  node::HighWaterMarkFile file(dir.path());
  node::HighWaterMark mark;
  for (auto _ : st) {
    mark = mark.advanced(0, mark.voted_round + 1, mark.voted_round / 2);
    if (!file.write(mark).ok()) st.SkipWithError("mark write failed");
  }
}
BENCHMARK(BM_HighWaterMarkWrite)->Unit(benchmark::kMicrosecond)->UseRealTime();

// What persisting the safety state costs without (mark:0) and with (mark:1) the mark.
static void BM_PersistSafety(benchmark::State& st) {
  bench::BenchDir dir("docket-bench-hwm");
  auto store = storage::RocksStore::open(dir.path() + "/db");
  if (!store) {
    st.SkipWithError("open failed");
    return;
  }
  node::HighWaterMarkFile file(dir.path());
  node::HighWaterMark mark;
  const uint8_t key[] = {'s'};
  for (auto _ : st) {
    storage::WriteBatch b;
    b.put(storage::Column::safety, key, kSafetyRecord);
    if (!(*store)->write(b, true).ok()) st.SkipWithError("write failed");
    if (st.range(0)) {
      mark = mark.advanced(0, mark.voted_round + 1, 0);
      if (!file.write(mark).ok()) st.SkipWithError("mark write failed");
    }
  }
}
BENCHMARK(BM_PersistSafety)->ArgName("mark")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();
