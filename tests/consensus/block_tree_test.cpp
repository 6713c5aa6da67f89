#include <catch2/catch.hpp>

#include "consensus/block_tree.h"
#include "ledger/crypto/sha256.h"

using namespace docket;
using namespace docket::consensus;

namespace {
BlockId id_of(const std::string& name) { return crypto::sha256(as_bytes(name)); }

BlockView block(const std::string& name, const std::string& parent, Height h, Round r) {
  BlockView b;
  b.id = id_of(name);
  b.header.parent_id = id_of(parent);
  b.header.height = h;
  b.header.round = r;
  return b;
}

RootInfo root() {
  RootInfo r;
  r.id = id_of("g");
  r.qc = {1};
  return r;
}
}  // namespace

TEST_CASE("block tree keeps descendants of the committed root") {
  BlockTree t(root(), 16);
  REQUIRE(t.insert(block("a", "g", 1, 1)).ok());
  REQUIRE(t.insert(block("b", "a", 2, 2)).ok());
  REQUIRE(t.insert(block("x", "a", 2, 3)).ok());  // fork at height 2
  REQUIRE(t.insert(block("c", "b", 3, 4)).ok());
  auto path = t.path_from_root(id_of("c"));
  REQUIRE(path.size() == 3);
  REQUIRE(path[0]->block.id == id_of("a"));
  REQUIRE(t.extends(id_of("c"), id_of("a")));
  REQUIRE(!t.extends(id_of("x"), id_of("b")));
  t.set_qc(id_of("a"), {9});
  t.set_qc(id_of("b"), {9});
  t.advance_root(id_of("b"));
  REQUIRE(t.root().height == 2);
  REQUIRE(t.contains(id_of("c")));
  REQUIRE(!t.contains(id_of("x")));  // the fork died with the commit
  REQUIRE(!t.contains(id_of("a")));
}

TEST_CASE("block tree bounds: capacity, blocks per round, eviction") {
  BlockTree t(root(), 3);
  REQUIRE(t.insert(block("a", "g", 1, 1)).ok());
  REQUIRE(t.insert(block("b", "a", 2, 2)).ok());
  REQUIRE(t.insert(block("x", "g", 1, 3)).ok());
  REQUIRE(!t.insert(block("c", "b", 3, 4)).ok());  // full
  REQUIRE(t.evict_one(id_of("b")));                 // x is the only leaf off b's path
  REQUIRE(!t.contains(id_of("x")));
  REQUIRE(t.insert(block("c", "b", 3, 4)).ok());
  REQUIRE(!t.evict_one(id_of("c")));  // everything is on c's path

  BlockTree u(root(), 100);
  for (size_t i = 0; i < BlockTree::kMaxBlocksPerRound; ++i) {
    REQUIRE(u.insert(block("r" + std::to_string(i), "g", 1, 7)).ok());
  }
  REQUIRE(!u.insert(block("one-too-many", "g", 1, 7)).ok());
}
