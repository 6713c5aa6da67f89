#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "ledger/state/smt_hash.h"
#include "ledger/state/tree.h"
#include "ledger/storage/memory_store.h"

using namespace docket;
using namespace docket::state;

namespace {

Hash32 commit(storage::MemoryStore& store, const StateTree& tree, uint64_t version, const StateChanges& ch) {
  auto p = tree.prepare(version, ch);
  REQUIRE(p.ok());
  REQUIRE(store.write(p->batch, true).ok());
  return p->root;
}

std::string key_of(int i) { return "rec/" + std::to_string(i); }

Bytes value_of(std::mt19937_64& rng) {
  Bytes v(1 + rng() % 40);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

// Flips one bit of the encoded proof; the result must either fail to decode or fail to verify.
void check_bit_flips(const Hash32& root, const std::string& key, const std::optional<Bytes>& value,
                     const StateProof& proof, std::mt19937_64& rng) {
  Bytes enc = encode_proof(proof);
  for (int trial = 0; trial < 8; ++trial) {
    Bytes bad = enc;
    size_t bit = rng() % (bad.size() * 8);
    bad[bit / 8] ^= static_cast<uint8_t>(0x80 >> (bit % 8));
    auto d = decode_proof(bad);
    if (!d) continue;
    std::optional<ByteView> v;
    if (value) v = ByteView(*value);
    CHECK_FALSE(verify_proof(root, key, v, *d).ok());
  }
  // And the root itself.
  Hash32 bad_root = root;
  bad_root[rng() % 32] ^= static_cast<uint8_t>(1u << (rng() % 8));
  std::optional<ByteView> v;
  if (value) v = ByteView(*value);
  CHECK_FALSE(verify_proof(bad_root, key, v, proof).ok());
}

}  // namespace

TEST_CASE("random operation sequences match a plain map at every version, with valid proofs") {
  for (uint64_t seed : {1u, 2u, 3u}) {
    std::mt19937_64 rng(seed);
    storage::MemoryStore store;
    StateTree tree(store);
    std::map<std::string, Bytes> model;
    std::vector<std::map<std::string, Bytes>> snapshots;
    for (uint64_t version = 0; version < 30; ++version) {
      StateChanges ch;
      int n = static_cast<int>(rng() % 20);
      for (int i = 0; i < n; ++i) {
        std::string k = key_of(static_cast<int>(rng() % 60));
        if (rng() % 3 == 0)
          ch[k] = std::nullopt;
        else
          ch[k] = value_of(rng);
      }
      for (const auto& [k, v] : ch) {
        if (v)
          model[k] = *v;
        else
          model.erase(k);
      }
      commit(store, tree, version, ch);
      snapshots.push_back(model);
    }
    for (uint64_t version = 0; version < snapshots.size(); version += 7) {
      const auto& snap = snapshots[version];
      auto root = tree.root_hash(version);
      REQUIRE(root.ok());
      for (int i = 0; i < 60; ++i) {
        std::string k = key_of(i);
        auto it = snap.find(k);
        auto got = tree.get(k, version);
        REQUIRE(got.ok());
        CHECK(got->has_value() == (it != snap.end()));
        if (it != snap.end()) CHECK(**got == it->second);
        auto pv = tree.prove(k, version);
        REQUIRE(pv.ok());
        CHECK(pv->root == *root);
        std::optional<ByteView> v;
        if (pv->value) v = ByteView(*pv->value);
        CHECK(verify_proof(*root, k, v, pv->proof).ok());
        // The opposite claim must fail.
        if (pv->value)
          CHECK_FALSE(verify_proof(*root, k, std::nullopt, pv->proof).ok());
        else
          CHECK_FALSE(verify_proof(*root, k, ByteView(to_bytes("x")), pv->proof).ok());
        if (i % 10 == 0) check_bit_flips(*root, k, pv->value, pv->proof, rng);
      }
      // Scan sees exactly the model.
      std::map<std::string, Bytes> scanned;
      REQUIRE(tree.scan("rec/", version, [&](std::string_view k, ByteView v) {
        scanned[std::string(k)] = Bytes(v.begin(), v.end());
        return true;
      }).ok());
      CHECK(scanned == snap);
    }
  }
}

TEST_CASE("the root depends only on the contents, not on history or order") {
  std::mt19937_64 rng(42);
  std::map<std::string, Bytes> contents;
  for (int i = 0; i < 200; ++i) contents[key_of(i)] = value_of(rng);

  storage::MemoryStore a;
  StateTree ta(a);
  StateChanges all(contents.begin(), contents.end());
  Hash32 ra = commit(a, ta, 0, all);

  // Same contents reached in several versions with extra records added then deleted.
  storage::MemoryStore b;
  StateTree tb(b);
  std::vector<std::string> keys;
  for (const auto& [k, v] : contents) keys.push_back(k);
  std::shuffle(keys.begin(), keys.end(), rng);
  uint64_t version = 0;
  for (size_t i = 0; i < keys.size(); i += 37) {
    StateChanges ch;
    for (size_t j = i; j < std::min(keys.size(), i + 37); ++j) ch[keys[j]] = contents[keys[j]];
    ch["junk/" + std::to_string(i)] = to_bytes("temporary");
    commit(b, tb, version++, ch);
  }
  StateChanges cleanup;
  for (size_t i = 0; i < keys.size(); i += 37) cleanup["junk/" + std::to_string(i)] = std::nullopt;
  Hash32 rb = commit(b, tb, version, cleanup);
  CHECK(ra == rb);

  // Deleting everything gives the empty root.
  StateChanges none;
  for (const auto& [k, v] : contents) none[k] = std::nullopt;
  CHECK(commit(b, tb, version + 1, none) == kEmptyHash);
}

TEST_CASE("unchanged writes are ignored and versions must follow each other") {
  storage::MemoryStore store;
  StateTree tree(store);
  Hash32 r0 = commit(store, tree, 0, {{"a/1", to_bytes("x")}});
  auto p = tree.prepare(1, {{"a/1", to_bytes("x")}, {"a/2", std::nullopt}});
  REQUIRE(p.ok());
  CHECK(p->root == r0);
  CHECK(p->changed_records == 0);
  CHECK(tree.prepare(3, {}).error().code == Errc::invalid_state);
  CHECK(tree.prepare(1, {{"bad key", to_bytes("x")}}).error().code == Errc::invalid_argument);
  CHECK(tree.get("a/1", 1).error().code == Errc::not_found);
}

TEST_CASE("pruning keeps the last versions readable and drops older ones") {
  storage::MemoryStore store;
  StateTree tree(store, StateTree::Options{3});
  std::mt19937_64 rng(9);
  std::vector<std::map<std::string, Bytes>> snaps;
  std::map<std::string, Bytes> model;
  for (uint64_t v = 0; v < 12; ++v) {
    StateChanges ch;
    for (int i = 0; i < 10; ++i) {
      std::string k = key_of(static_cast<int>(rng() % 15));
      if (rng() % 4 == 0) ch[k] = std::nullopt; else ch[k] = value_of(rng);
    }
    for (const auto& [k, val] : ch) { if (val) model[k] = *val; else model.erase(k); }
    snaps.push_back(model);
    commit(store, tree, v, ch);
  }
  CHECK(*tree.oldest_version() == 9);
  CHECK(tree.get(key_of(0), 8).error().code == Errc::not_found);
  CHECK(tree.prove(key_of(0), 8).error().code == Errc::not_found);
  for (uint64_t v = 9; v < 12; ++v)
    for (int i = 0; i < 15; ++i) {
      auto pv = tree.prove(key_of(i), v);  // prove() re-verifies, so a pruned node would fail here
      REQUIRE(pv.ok());
      auto it = snaps[v].find(key_of(i));
      CHECK(pv->value.has_value() == (it != snaps[v].end()));
    }
  // Nothing older than the oldest version remains in the store: count the nodes and compare with a
  // tree holding only the final contents... at least the store must not grow with the number of versions.
  size_t entries = 0;
  REQUIRE(store.scan(storage::Column::state, {}, {}, [&](ByteView, ByteView) { ++entries; return true; }).ok());
  storage::MemoryStore fresh;
  StateTree tf(fresh);
  StateChanges all(model.begin(), model.end());
  commit(fresh, tf, 0, all);
  size_t fresh_entries = 0;
  REQUIRE(fresh.scan(storage::Column::state, {}, {}, [&](ByteView, ByteView) { ++fresh_entries; return true; }).ok());
  CHECK(entries < fresh_entries * 4);
}
