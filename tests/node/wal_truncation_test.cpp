// A store whose newest RocksDB write-ahead log is cut short never starts a voting node below its
// high-water mark. RocksDB replays a log cut at a record boundary, or inside a record, as if it ended
// there (kTolerateCorruptedTailRecords: a torn tail), so every synced write behind the cut is silently
// lost: committed blocks and the consensus safety state. The test writes what a validator writes (a
// committed block, then its safety state, both synced, then the mark), cuts a copy of the log at every
// record boundary, inside every record header and inside every record payload (RocksDB's log format:
// 32 KiB blocks of records with a 7-byte header: crc32c, u16 length, type), reopens it as the node does
// and runs the node's start-up check. After every cut the node either refuses to open the store, or
// finds it behind its mark (and then its core's safety state refuses every round up to the mark), or
// finds it complete.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "consensus/safety_rules.h"
#include "ledger/node/high_water_mark.h"
#include "ledger/storage/block_store.h"
#include "ledger/storage/rocksdb_store.h"

using namespace docket;
using namespace docket::node;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kHeights = 24;
constexpr size_t kLogBlock = 32768;
constexpr size_t kHeader = 7;

struct TempDir {
  fs::path dir;
  TempDir() {
    // On a tmpfs when there is one: the test reopens the store once per cut, and fsyncs to a real disk
    // would make it take half a minute on a loaded machine instead of a few seconds.
    std::error_code ec;
    const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string tmpl = (base / "docket-wal-cut-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

storage::RocksOptions node_options() {
  storage::RocksOptions o;
  o.ignored_files = {kHighWaterMarkFile};
  return o;
}

ByteView safety_key() { return ByteView(kSafetyStateKey, sizeof kSafetyStateKey); }

// Round of the vote that followed the commit of `height`.
uint64_t round_of(uint64_t height) { return 2 * height + 1; }

// The validator's writes, in its order: commit (synced), safety state (synced), then the mark.
void run_validator(const fs::path& dir) {
  auto store = storage::RocksStore::open(dir.string(), node_options());
  REQUIRE(store.ok());
  HighWaterMarkFile file(dir);
  HighWaterMark mark;
  for (uint64_t h = 1; h <= kHeights; ++h) {
    storage::CommittedBlock b;
    b.height = h;
    b.id[0] = static_cast<uint8_t>(h);
    // Every fifth block is larger than a log block, so its record is split (first/middle/last).
    const size_t size = h % 5 == 0 ? 40000 : 300 + 37 * h;
    b.block.resize(size);
    for (size_t i = 0; i < size; ++i) b.block[i] = static_cast<uint8_t>(h * 131 + i * 7);
    b.certificate = to_bytes("qc of " + std::to_string(h));
    storage::WriteBatch commit;
    REQUIRE(storage::BlockStore(**store).put(commit, b).ok());
    REQUIRE((*store)->write(commit, true).ok());

    consensus::SafetyState s = consensus::SafetyState::fresh(0);
    s.last_voted_round = round_of(h);
    s.locked_round = round_of(h) - 1;
    storage::WriteBatch safety;
    safety.put(storage::Column::safety, safety_key(), s.encode());
    REQUIRE((*store)->write(safety, true).ok());
    mark = mark.advanced(s.epoch, s.last_voted_round, h);
    REQUIRE(file.write(mark).ok());
  }
}

fs::path newest_log(const fs::path& dir) {
  fs::path log;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".log" && (log.empty() || e.path().filename() > log.filename())) log = e.path();
  REQUIRE(!log.empty());
  return log;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Cut points: every record boundary, the middle of every header and of every payload.
std::set<size_t> cut_points(const std::string& log) {
  std::set<size_t> cuts{0, log.size()};
  size_t at = 0;
  while (at < log.size()) {
    const size_t left_in_block = kLogBlock - at % kLogBlock;
    if (left_in_block < kHeader) {  // trailer padding
      at += left_in_block;
      continue;
    }
    if (at + kHeader > log.size()) break;
    const size_t len = static_cast<uint8_t>(log[at + 4]) | (static_cast<size_t>(static_cast<uint8_t>(log[at + 5])) << 8);
    const uint8_t type = static_cast<uint8_t>(log[at + 6]);
    if (type == 0 && len == 0) break;  // preallocated zeros: the end of the records
    REQUIRE(type <= 9);                // legacy record types (no recycled logs)
    cuts.insert(at);
    cuts.insert(at + kHeader / 2);
    if (len > 1) cuts.insert(at + kHeader + len / 2);
    at += kHeader + len;
    cuts.insert(std::min(at, log.size()));
  }
  std::erase_if(cuts, [&](size_t c) { return c > log.size(); });
  return cuts;
}

// Cuts the log at every `stride`-th cut point (in byte order, so a stride mixes boundaries, headers
// and payloads) and checks each start.
void check_cuts(size_t stride) {
  const auto t0 = std::chrono::steady_clock::now();
  TempDir src;
  run_validator(src.dir);
  const fs::path log = newest_log(src.dir);
  const std::string bytes = slurp(log);
  const std::set<size_t> all = cut_points(bytes);
  REQUIRE(all.size() > 3 * kHeights);
  std::vector<size_t> cuts;
  size_t i = 0;
  for (size_t c : all)
    if (i++ % stride == 0 || c == bytes.size()) cuts.push_back(c);

  auto mark = HighWaterMarkFile(src.dir).read();
  REQUIRE(mark.ok());
  REQUIRE(mark->has_value());
  const HighWaterMark m = **mark;
  REQUIRE(m == HighWaterMark{0, round_of(kHeights), kHeights});

  size_t refused = 0, behind = 0, complete = 0;
  for (size_t cut : cuts) {
    TempDir copy;
    fs::copy(src.dir, copy.dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    fs::resize_file(copy.dir / log.filename(), cut);
    INFO("log cut at byte " << cut << " of " << bytes.size());

    auto store = storage::RocksStore::open(copy.dir.string(), node_options());
    if (!store) {  // refusing to open is safe; it must be a clear refusal, not any other failure
      CHECK(store.error().code == Errc::corruption);
      ++refused;
      continue;
    }
    HighWaterMarkFile file(copy.dir);
    auto check = check_high_water_mark(**store, file);
    REQUIRE(check.ok());
    const StorePosition& pos = check->store;
    INFO("store: committed " << pos.committed_height << ", voted round " << pos.voted_round);

    // What was lost is detected: anything short of the last write is behind the mark.
    const bool lost = pos.committed_height < kHeights || pos.voted_round < round_of(kHeights);
    CHECK(check->behind == lost);

    // The safety state the node's core would start with.
    auto stored = (*store)->get(storage::Column::safety, safety_key());
    REQUIRE(stored.ok());
    consensus::SafetyState safety = consensus::SafetyState::fresh(0);
    if (*stored) safety = consensus::SafetyState::decode(**stored).value();
    if (check->behind) {
      ++behind;
      CHECK(check->message.find("store is behind its high-water mark") != std::string::npos);
      // Not voting until recovered: the store's tip is never past the mark it lost.
      CHECK_FALSE(recovered(m, pos.epoch, pos.committed_height, round_of(pos.committed_height), 0));
      safety = at_least_mark(safety, m);
    } else {
      ++complete;
    }
    for (uint64_t r = 1; r <= m.voted_round; ++r) {
      CHECK_FALSE(consensus::check_vote(safety, {0, r, r - 1}).ok());
      if (r < m.voted_round) CHECK_FALSE(consensus::check_timeout(safety, {0, r, r - 1}).ok());
    }
  }
  INFO("cuts " << cuts.size() << ": refused " << refused << ", behind " << behind << ", complete " << complete);
  CHECK(complete == 1);  // only the uncut log: every real cut lost something, and it was seen
  CHECK(behind + refused + 1 == cuts.size());
  const auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WARN("wal truncation: " << cuts.size() << " of " << all.size() << " cuts (refused " << refused << ", behind "
                          << behind << ", complete " << complete << ") in " << secs << " s");
}

}  // namespace

TEST_CASE("a cut write-ahead log never lets a node vote below its high-water mark") {
  check_cuts(6);  // about 30 cuts of each kind mixed: a few seconds
}

// Every cut point (about 160 reopens): ctest node_wal_truncation_all, label long.
TEST_CASE("a write-ahead log cut at any record boundary, header or payload never lets a node vote below its mark",
          "[.long]") {
  check_cuts(1);
}
