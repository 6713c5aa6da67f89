// BlockStore: round trips by height, id, certificate and transaction; commits in one batch with other
// writes; rejected puts; and each kind of stored inconsistency reported as corruption. Every case runs
// on MemoryStore and on RocksStore.
#include <catch2/catch.hpp>

#include "ledger/crypto/sha256.h"
#include "ledger/storage/block_store.h"
#include "ledger/storage/codec.h"
#include "ledger/storage/memory_store.h"
#include "ledger/storage/rocksdb_store.h"
#include "tests/storage/test_support.h"

using namespace docket;
using namespace docket::storage;
using namespace docket::storage::test;

namespace {

// A stand-in for the block format: the id of a block is the SHA-256 of its bytes, and bytes starting
// with '!' do not decode.
Result<Hash32> id_of(ByteView block) {
  if (!block.empty() && block[0] == '!') return make_error(Errc::invalid_argument, "not a block");
  return crypto::sha256(block);
}

CommittedBlock make_block(uint64_t height, int txs) {
  CommittedBlock b;
  b.height = height;
  b.block = to_bytes("block at " + std::to_string(height));
  b.id = crypto::sha256(b.block);
  b.certificate = to_bytes("certificate of " + std::to_string(height));
  for (int i = 0; i < txs; ++i) b.tx_ids.push_back(crypto::sha256(as_bytes("tx " + std::to_string(height) + "/" + std::to_string(i))));
  return b;
}

void commit(KvStore& kv, const BlockStore& store, const CommittedBlock& b) {
  WriteBatch batch;
  REQUIRE(store.put(batch, b).ok());
  REQUIRE(kv.write(batch, true).ok());
}

ByteView view(const Hash32& h) { return {h.data(), h.size()}; }

// Runs `fn` on a fresh MemoryStore and on a fresh RocksStore.
template <typename Fn>
void on_both_stores(Fn fn) {
  SECTION("memory") {
    MemoryStore mem;
    fn(static_cast<KvStore&>(mem));
  }
  SECTION("rocksdb") {
    TempDir tmp;
    auto rocks = open_rocks(tmp.path());
    fn(static_cast<KvStore&>(*rocks));
  }
}

Errc error_code(const Status& s) {
  REQUIRE(!s.ok());
  return s.error().code;
}

template <typename T>
void check_corrupt(const Result<T>& r) {
  REQUIRE(!r.ok());
  CHECK(r.error().code == Errc::corruption);
}

}  // namespace

TEST_CASE("BlockStore round trip") {
  on_both_stores([](KvStore& kv) {
    BlockStore store(kv, id_of);
    CHECK(!*store.latest_height());
    for (uint64_t h = 1; h <= 5; ++h) commit(kv, store, make_block(h, static_cast<int>(h)));
    // Out of order and far apart heights are stored as given.
    commit(kv, store, make_block(1000, 0));
    CHECK(*store.latest_height() == std::optional<uint64_t>(1000));

    for (uint64_t h : {1, 2, 3, 4, 5, 1000}) {
      const CommittedBlock expect = make_block(h, h == 1000 ? 0 : static_cast<int>(h));
      auto by_height = store.block_by_height(h);
      REQUIRE(by_height.ok());
      REQUIRE(*by_height);
      CHECK((*by_height)->height == h);
      CHECK((*by_height)->id == expect.id);
      CHECK((*by_height)->block == expect.block);
      auto by_id = store.block_by_id(expect.id);
      REQUIRE(by_id.ok());
      REQUIRE(*by_id);
      CHECK((*by_id)->height == h);
      CHECK((*by_id)->block == expect.block);
      CHECK(*store.certificate(expect.id) == std::optional<Bytes>(expect.certificate));
      for (size_t i = 0; i < expect.tx_ids.size(); ++i)
        CHECK(*store.tx_location(expect.tx_ids[i]) == std::optional<TxLocation>(TxLocation{h, static_cast<uint32_t>(i)}));
    }
    CHECK(!*store.block_by_height(6));
    CHECK(!*store.block_by_id(crypto::sha256(as_bytes("unknown"))));
    CHECK(!*store.certificate(crypto::sha256(as_bytes("unknown"))));
    CHECK(!*store.tx_location(crypto::sha256(as_bytes("unknown"))));
  });
}

TEST_CASE("BlockStore survives a RocksStore reopen") {
  TempDir tmp;
  {
    auto rocks = open_rocks(tmp.path());
    BlockStore store(*rocks, id_of);
    for (uint64_t h = 0; h < 3; ++h) commit(*rocks, store, make_block(h, 2));
  }
  auto rocks = open_rocks(tmp.path());
  BlockStore store(*rocks, id_of);
  CHECK(*store.latest_height() == std::optional<uint64_t>(2));
  auto b1 = store.block_by_height(1);
  REQUIRE(b1.ok());
  REQUIRE(*b1);
  CHECK((*b1)->block == make_block(1, 2).block);
  CHECK(*store.tx_location(make_block(2, 2).tx_ids[1]) == std::optional<TxLocation>(TxLocation{2, 1}));
}

TEST_CASE("BlockStore: a block commits with other writes in one batch, or not at all") {
  MemoryStore mem;
  BlockStore store(mem, id_of);
  WriteBatch batch;
  REQUIRE(store.put(batch, make_block(1, 3)).ok());
  batch.put(Column::state, as_bytes("root@1"), as_bytes("state root"));
  mem.fail_next_write();
  REQUIRE(!mem.write(batch, true).ok());
  CHECK(!*store.latest_height());
  CHECK(!*store.block_by_id(make_block(1, 3).id));
  CHECK(!*store.tx_location(make_block(1, 3).tx_ids[0]));
  CHECK(!*mem.get(Column::state, as_bytes("root@1")));

  mem.restart();
  REQUIRE(mem.write(batch, true).ok());
  CHECK(*store.latest_height() == std::optional<uint64_t>(1));
  CHECK(*mem.get(Column::state, as_bytes("root@1")) == b("state root"));
}

TEST_CASE("BlockStore::put rejects what it must not store") {
  MemoryStore mem;
  BlockStore checked(mem, id_of);
  WriteBatch batch;

  CommittedBlock empty = make_block(1, 1);
  empty.block.clear();
  CHECK(error_code(checked.put(batch, empty)) == Errc::invalid_argument);

  CommittedBlock no_cert = make_block(1, 1);
  no_cert.certificate.clear();
  CHECK(error_code(checked.put(batch, no_cert)) == Errc::invalid_argument);

  CommittedBlock dup = make_block(1, 3);
  dup.tx_ids[2] = dup.tx_ids[0];
  CHECK(error_code(checked.put(batch, dup)) == Errc::invalid_argument);

  CommittedBlock wrong_id = make_block(1, 1);
  wrong_id.id = make_block(2, 1).id;
  CHECK(error_code(checked.put(batch, wrong_id)) == Errc::invalid_argument);

  CommittedBlock undecodable = make_block(1, 1);
  undecodable.block = to_bytes("!garbage");
  CHECK(error_code(checked.put(batch, undecodable)) == Errc::invalid_argument);
  CHECK(batch.empty());  // a rejected put adds nothing

  BlockStore unchecked(mem);  // without an id function the id is the caller's word
  CHECK(unchecked.put(batch, wrong_id).ok());
}

TEST_CASE("BlockStore reports stored inconsistencies as corruption") {
  on_both_stores([](KvStore& kv) {
    BlockStore store(kv, id_of);
    for (uint64_t h = 1; h <= 4; ++h) commit(kv, store, make_block(h, 2));
    const CommittedBlock b2 = make_block(2, 2);
    const CommittedBlock b3 = make_block(3, 2);

    SECTION("a height names an id that is not 32 bytes") {
      put_one(kv, Column::heights, u64_be(3), as_bytes("short"));
      check_corrupt(store.block_by_height(3));
    }
    SECTION("a height names a block stored at another height") {
      put_one(kv, Column::heights, u64_be(3), view(b2.id));
      check_corrupt(store.block_by_height(3));
      check_corrupt(store.block_by_id(b3.id));  // and block 3 is no longer where it says it is
    }
    SECTION("a height names a block that is not stored") {
      put_one(kv, Column::heights, u64_be(9), view(crypto::sha256(as_bytes("missing"))));
      check_corrupt(store.block_by_height(9));
    }
    SECTION("a block record with an unknown version or too short") {
      Bytes bad_version{2};
      append_u64_be(bad_version, 3);
      append(bad_version, b3.block);
      put_one(kv, Column::blocks, view(b3.id), bad_version);
      check_corrupt(store.block_by_height(3));
      check_corrupt(store.block_by_id(b3.id));
      put_one(kv, Column::blocks, view(b2.id), as_bytes("\x01\x00"));
      check_corrupt(store.block_by_id(b2.id));
    }
    SECTION("a block whose height entry is gone") {
      WriteBatch batch;
      batch.del(Column::heights, u64_be(2));
      REQUIRE(kv.write(batch, true).ok());
      check_corrupt(store.block_by_id(b2.id));
      CHECK(!*store.block_by_height(2));
    }
    SECTION("block bytes that are not the block with that id, or do not decode") {
      Bytes record{1};
      append_u64_be(record, 2);
      append(record, as_bytes("another block"));
      put_one(kv, Column::blocks, view(b2.id), record);
      check_corrupt(store.block_by_height(2));
      check_corrupt(store.block_by_id(b2.id));
      // Without an id function the store's own records are consistent, so it answers.
      BlockStore unchecked(kv);
      auto r = unchecked.block_by_id(b2.id);
      REQUIRE(r.ok());
      CHECK((*r)->block == b("another block"));

      Bytes garbage{1};
      append_u64_be(garbage, 2);
      append(garbage, as_bytes("!garbage"));
      put_one(kv, Column::blocks, view(b2.id), garbage);
      check_corrupt(store.block_by_id(b2.id));
    }
    SECTION("a transaction location of the wrong size") {
      put_one(kv, Column::txs, view(b2.tx_ids[0]), Bytes(11, 0));
      check_corrupt(store.tx_location(b2.tx_ids[0]));
    }
    SECTION("a height key that is not 8 bytes") {
      put_one(kv, Column::heights, Bytes(7, 0xff), view(b2.id));
      check_corrupt(store.latest_height());
    }
  });
}
