// MetaStore: identity of the database (format version, chain id, genesis), chain checks, and typed
// named values, on MemoryStore and RocksStore.
#include <catch2/catch.hpp>

#include "ledger/crypto/sha256.h"
#include "ledger/storage/format.h"
#include "ledger/storage/memory_store.h"
#include "ledger/storage/meta_store.h"
#include "ledger/storage/rocksdb_store.h"
#include "tests/storage/test_support.h"

using namespace docket;
using namespace docket::storage;
using namespace docket::storage::test;

namespace {

void write(KvStore& kv, const WriteBatch& batch) { REQUIRE(kv.write(batch, true).ok()); }

Errc error_code(const Status& s) {
  REQUIRE(!s.ok());
  return s.error().code;
}

void exercise(KvStore& kv) {
  MetaStore meta(kv);
  CHECK(*meta.format_version() == kFormatVersion);

  const Hash32 genesis = crypto::sha256(as_bytes("genesis"));
  CHECK(!*meta.chain_id());
  CHECK(!*meta.genesis_hash());
  CHECK(error_code(meta.expect_chain("docket-test", genesis)) == Errc::not_found);

  WriteBatch bind;
  meta.put_chain_id(bind, "docket-test");
  meta.put_genesis_hash(bind, genesis);
  write(kv, bind);
  CHECK(*meta.chain_id() == std::optional<std::string>("docket-test"));
  CHECK(*meta.genesis_hash() == std::optional<Hash32>(genesis));
  CHECK(meta.expect_chain("docket-test", genesis).ok());
  CHECK(error_code(meta.expect_chain("other-chain", genesis)) == Errc::wrong_chain);
  CHECK(error_code(meta.expect_chain("docket-test", crypto::sha256(as_bytes("other")))) == Errc::wrong_chain);

  WriteBatch values;
  meta.put_u64(values, "state_height", 42);
  meta.put_bytes(values, "note", as_bytes("hello"));
  meta.put_bytes(values, "empty", {});
  meta.put_bytes(values, "chain_id", as_bytes("a named value, not the chain id"));
  write(kv, values);
  CHECK(*meta.get_u64("state_height") == std::optional<uint64_t>(42));
  CHECK(*meta.get_bytes("note") == std::optional<Bytes>(b("hello")));
  CHECK(*meta.get_bytes("empty") == std::optional<Bytes>(Bytes{}));
  CHECK(!*meta.get_u64("absent"));
  CHECK(*meta.chain_id() == std::optional<std::string>("docket-test"));

  // The wrong type is a stored value that does not decode, not a silent misread.
  auto wrong = meta.get_u64("note");
  REQUIRE(!wrong.ok());
  CHECK(wrong.error().code == Errc::corruption);
  auto wrong2 = meta.get_bytes("state_height");
  REQUIRE(!wrong2.ok());
  CHECK(wrong2.error().code == Errc::corruption);

  WriteBatch erase;
  meta.erase(erase, "note");
  write(kv, erase);
  CHECK(!*meta.get_bytes("note"));

  put_one(kv, Column::meta, as_bytes("docket/genesis_hash"), as_bytes("\x02short"));
  auto g = meta.genesis_hash();
  REQUIRE(!g.ok());
  CHECK(g.error().code == Errc::corruption);
}

}  // namespace

TEST_CASE("MetaStore on MemoryStore") {
  MemoryStore mem;
  exercise(mem);
}

TEST_CASE("MetaStore on RocksStore, and its values survive a reopen") {
  TempDir tmp;
  {
    auto rocks = open_rocks(tmp.path());
    exercise(*rocks);
  }
  auto rocks = open_rocks(tmp.path());
  MetaStore meta(*rocks);
  CHECK(*meta.chain_id() == std::optional<std::string>("docket-test"));
  CHECK(*meta.get_u64("state_height") == std::optional<uint64_t>(42));
}
