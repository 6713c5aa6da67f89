// MemoryStore: the test hook for a failing write, its latching like RocksStore's, and restart().
#include <catch2/catch.hpp>

#include "ledger/storage/memory_store.h"
#include "tests/storage/test_support.h"

using namespace docket;
using namespace docket::storage;
using docket::storage::test::b;

TEST_CASE("MemoryStore: a failed batch applies nothing and later writes fail until restart") {
  MemoryStore mem;
  WriteBatch first;
  first.put(Column::blocks, as_bytes("k"), as_bytes("v"));
  REQUIRE(mem.write(first, true).ok());

  WriteBatch failing;
  failing.put(Column::blocks, as_bytes("x"), as_bytes("1"));
  failing.del(Column::blocks, as_bytes("k"));
  failing.put(Column::state, as_bytes("y"), as_bytes("2"));
  mem.fail_next_write();
  Status s = mem.write(failing, true);
  REQUIRE(!s.ok());
  CHECK(s.error().code == Errc::io_error);
  CHECK(*mem.get(Column::blocks, as_bytes("k")) == b("v"));
  CHECK(!*mem.get(Column::blocks, as_bytes("x")));
  CHECK(!*mem.get(Column::state, as_bytes("y")));

  for (int i = 0; i < 3; ++i) {
    Status again = mem.write(first, true);
    REQUIRE(!again.ok());
    CHECK(again.error().code == Errc::io_error);
  }

  mem.restart();
  REQUIRE(mem.write(failing, true).ok());
  CHECK(!*mem.get(Column::blocks, as_bytes("k")));
  CHECK(*mem.get(Column::state, as_bytes("y")) == b("2"));
}

TEST_CASE("MemoryStore: later ops in a batch win, deletes of absent keys are no-ops") {
  MemoryStore mem;
  WriteBatch batch;
  batch.put(Column::app, as_bytes("k"), as_bytes("1"));
  batch.put(Column::app, as_bytes("k"), as_bytes("2"));
  batch.del(Column::app, as_bytes("absent"));
  batch.put(Column::app, as_bytes("d"), as_bytes("x"));
  batch.del(Column::app, as_bytes("d"));
  REQUIRE(mem.write(batch, false).ok());
  CHECK(*mem.get(Column::app, as_bytes("k")) == b("2"));
  CHECK(!*mem.get(Column::app, as_bytes("d")));
  auto last = mem.last_before(Column::app, {});
  REQUIRE(last.ok());
  REQUIRE(*last);
  CHECK((*last)->first == b("k"));
  auto none = mem.last_before(Column::app, as_bytes("k"));
  REQUIRE(none.ok());
  CHECK(!*none);
}
