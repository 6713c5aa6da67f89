// The high-water mark: its file format (checksum, version), its atomic file, the start-up check of a
// store against it (behind / consistent / missing / damaged), the end of recovery and the safety
// floor a core of a node that started behind its mark runs with.
#include "ledger/node/high_water_mark.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "consensus/safety_rules.h"
#include "ledger/node/driver.h"
#include "ledger/storage/block_store.h"
#include "ledger/storage/memory_store.h"
#include "ledger/storage/meta_store.h"

using namespace docket;
using namespace docket::node;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path dir;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "docket-hwm-test-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

void put_block(storage::KvStore& kv, uint64_t height) {
  storage::CommittedBlock b;
  b.height = height;
  b.id[0] = static_cast<uint8_t>(height);
  b.id[1] = static_cast<uint8_t>(height >> 8);
  b.block = to_bytes("block " + std::to_string(height));
  b.certificate = to_bytes("qc");
  storage::WriteBatch batch;
  REQUIRE(storage::BlockStore(kv).put(batch, b).ok());
  REQUIRE(kv.write(batch, true).ok());
}

void put_safety(storage::KvStore& kv, uint64_t epoch, uint64_t round) {
  consensus::SafetyState s = consensus::SafetyState::fresh(epoch);
  s.last_voted_round = round;
  s.locked_round = round > 0 ? round - 1 : 0;
  storage::WriteBatch batch;
  batch.put(storage::Column::safety, ByteView(kSafetyStateKey, sizeof kSafetyStateKey), s.encode());
  REQUIRE(kv.write(batch, true).ok());
}

void put_epoch(storage::KvStore& kv, uint64_t epoch) {
  storage::WriteBatch batch;
  storage::MetaStore(kv).put_u64(batch, meta_keys::kEpoch, epoch);
  REQUIRE(kv.write(batch, true).ok());
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes; }

}  // namespace

TEST_CASE("hwm: encoding round trip, and every damaged or foreign encoding is refused") {
  const HighWaterMark m{3, 1422, 1420};
  const Bytes b = m.encode();
  REQUIRE(b.size() == HighWaterMark::kSize);
  auto back = HighWaterMark::decode(b);
  REQUIRE(back.ok());
  CHECK(*back == m);

  for (size_t i = 0; i < b.size(); ++i) {  // any flipped byte: magic, version, figures or checksum
    Bytes bad = b;
    bad[i] ^= 0x01;
    auto d = HighWaterMark::decode(bad);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().code == Errc::corruption);
  }
  CHECK(HighWaterMark::decode(ByteView(b).first(63)).error().code == Errc::corruption);
  Bytes longer = b;
  longer.push_back(0);
  CHECK(HighWaterMark::decode(longer).error().code == Errc::corruption);
}

TEST_CASE("hwm: advanced never lowers the mark; a later epoch restarts the round") {
  const HighWaterMark m{2, 50, 100};
  CHECK(m.advanced(2, 49, 99) == m);
  CHECK(m.advanced(2, 51, 100) == HighWaterMark{2, 51, 100});
  CHECK(m.advanced(1, 900, 101) == HighWaterMark{2, 50, 101});
  CHECK(m.advanced(3, 1, 102) == HighWaterMark{3, 1, 102});
}

TEST_CASE("hwm: the file is replaced atomically and read back; a damaged file is an error") {
  TempDir t;
  HighWaterMarkFile f(t.dir);
  auto none = f.read();
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  REQUIRE(f.write({0, 7, 5}).ok());
  REQUIRE(f.write({0, 9, 6}).ok());
  CHECK_FALSE(fs::exists(t.dir / "hwm.tmp"));
  auto got = f.read();
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK(**got == HighWaterMark{0, 9, 6});

  std::string bytes = slurp(f.path());
  bytes[20] ^= 0x40;
  spit(f.path(), bytes);
  auto bad = f.read();
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::corruption);
  CHECK(bad.error().message.find(f.path().string()) != std::string::npos);
}

TEST_CASE("hwm: a store that reached the mark is not behind") {
  TempDir t;
  storage::MemoryStore kv;
  for (uint64_t h = 1; h <= 5; ++h) put_block(kv, h);
  put_safety(kv, 0, 8);
  HighWaterMarkFile f(t.dir);
  REQUIRE(f.write({0, 8, 5}).ok());
  auto c = check_high_water_mark(kv, f);
  REQUIRE(c.ok());
  CHECK_FALSE(c->behind);
  CHECK_FALSE(c->created);
  CHECK(c->store.committed_height == 5);
  CHECK(c->store.voted_round == 8);
}

TEST_CASE("hwm: a store below the marked height or round is behind, with one clear line") {
  TempDir t;
  storage::MemoryStore kv;
  for (uint64_t h = 1; h <= 3; ++h) put_block(kv, h);
  put_safety(kv, 0, 4);
  HighWaterMarkFile f(t.dir);

  REQUIRE(f.write({0, 9, 7}).ok());
  auto c = check_high_water_mark(kv, f);
  REQUIRE(c.ok());
  CHECK(c->behind);
  INFO(c->message);
  CHECK(c->message.find("store is behind its high-water mark (committed 3 < 7, voted round 4 < 9)") != std::string::npos);
  CHECK(c->message.find("not voting until re-synced past height 7") != std::string::npos);

  REQUIRE(f.write({0, 9, 3}).ok());  // only the safety state is older
  c = check_high_water_mark(kv, f);
  REQUIRE(c.ok());
  CHECK(c->behind);
  CHECK(c->message.find("voted round 4 < 9") != std::string::npos);

  REQUIRE(f.write({1, 0, 3}).ok());  // the store lost an epoch change
  c = check_high_water_mark(kv, f);
  REQUIRE(c.ok());
  CHECK(c->behind);
  CHECK(c->message.find("epoch 0 < 1") != std::string::npos);
}

TEST_CASE("hwm: a safety state of an earlier epoch counts as round 0 of the stored epoch") {
  TempDir t;
  storage::MemoryStore kv;
  put_block(kv, 1);
  put_epoch(kv, 2);
  put_safety(kv, 1, 40);
  HighWaterMarkFile f(t.dir);
  REQUIRE(f.write({2, 3, 1}).ok());
  auto c = check_high_water_mark(kv, f);
  REQUIRE(c.ok());
  CHECK(c->store.epoch == 2);
  CHECK(c->store.voted_round == 0);
  CHECK(c->behind);
}

TEST_CASE("hwm: no mark on a store with data writes one from the store, with a warning") {
  TempDir t;
  storage::MemoryStore kv;
  for (uint64_t h = 1; h <= 4; ++h) put_block(kv, h);
  put_safety(kv, 0, 6);
  HighWaterMarkFile f(t.dir);
  auto c = check_high_water_mark(kv, f);
  REQUIRE(c.ok());
  CHECK(c->created);
  CHECK_FALSE(c->behind);
  CHECK(c->mark == HighWaterMark{0, 6, 4});
  CHECK(c->message.find("no high-water mark") != std::string::npos);
  auto stored = f.read();
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK(**stored == HighWaterMark{0, 6, 4});
}

TEST_CASE("hwm: a fresh store gets a mark quietly") {
  TempDir t;
  storage::MemoryStore kv;
  HighWaterMarkFile f(t.dir);
  auto c = check_high_water_mark(kv, f);
  REQUIRE(c.ok());
  CHECK_FALSE(c->created);
  CHECK_FALSE(c->behind);
  CHECK(c->message.empty());
  CHECK(fs::exists(f.path()));
}

TEST_CASE("hwm: a damaged mark refuses to start and says what to do") {
  TempDir t;
  storage::MemoryStore kv;
  put_block(kv, 1);
  HighWaterMarkFile f(t.dir);
  spit(f.path(), "garbage");
  auto c = check_high_water_mark(kv, f);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == Errc::corruption);
  CHECK(c.error().message.find(f.path().string()) != std::string::npos);
  CHECK(c.error().message.find("refusing to start") != std::string::npos);
}

TEST_CASE("hwm: recovery ends above the marked height and past the marked round or epoch") {
  const HighWaterMark m{1, 30, 100};
  CHECK_FALSE(recovered(m, 1, 100, 40, 1));  // not above the height
  CHECK_FALSE(recovered(m, 1, 101, 30, 1));  // above the height, not past the round
  CHECK(recovered(m, 1, 101, 31, 1));
  CHECK(recovered(m, 2, 101, 2, 1));         // a later epoch: its rounds restarted
  CHECK_FALSE(recovered(m, 0, 101, 99, 0));  // still in an earlier epoch
  CHECK_FALSE(recovered(m, 1, 101, 99, 0));  // the marked epoch has only just started
}

TEST_CASE("hwm: a core that started behind its mark never signs in a round at or below it") {
  const HighWaterMark m{1, 30, 100};
  consensus::SafetyState stale = consensus::SafetyState::fresh(1);
  stale.last_voted_round = 12;
  stale.locked_round = 11;
  stale.last_timeout = to_bytes("old");
  const consensus::SafetyState s = at_least_mark(stale, m);
  CHECK(s.last_voted_round == 31);
  CHECK(s.locked_round == 11);
  CHECK(s.last_timeout.empty());
  CHECK(consensus::SafetyState::decode(s.encode()).ok());
  for (uint64_t r = 1; r <= 31; ++r) CHECK_FALSE(consensus::check_vote(s, {1, r, r - 1}).ok());
  CHECK(consensus::check_vote(s, {1, 32, 31}).ok());
  CHECK_FALSE(consensus::check_timeout(s, {1, 30, 29}).ok());

  consensus::SafetyState ahead = consensus::SafetyState::fresh(1);
  ahead.last_voted_round = 35;
  CHECK(at_least_mark(ahead, m) == ahead);
  consensus::SafetyState later = consensus::SafetyState::fresh(2);
  CHECK(at_least_mark(later, m) == later);
}
