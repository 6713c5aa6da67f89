#include "ledger/node/mempool.h"
#include "ledger/primitives/transaction.h"

#include <catch2/catch.hpp>
#include <atomic>
#include <thread>

using namespace docket;
using namespace docket::node;

namespace {

crypto::PublicKey sender(uint8_t n) {
  crypto::PublicKey k{};
  k[0] = n;
  k[31] = 0xaa;
  return k;
}

VerifiedTx tx(uint8_t who, uint64_t nonce, size_t size = 100, uint64_t expiry = 1000) {
  VerifiedTx t;
  t.sender = sender(who);
  t.nonce = nonce;
  t.expiry_height = expiry;
  t.raw = Bytes(size, static_cast<uint8_t>(nonce));
  t.id[0] = who;
  t.id[1] = static_cast<uint8_t>(nonce);
  t.id[2] = static_cast<uint8_t>(nonce >> 8);
  t.id[3] = static_cast<uint8_t>(size);
  return t;
}

Status accept_all(const VerifiedTx&) { return ok_status(); }

// Next nonce 0 for everyone unless set.
struct Nonces {
  std::map<crypto::PublicKey, uint64_t> next;
  Mempool::NextNonce fn() const {
    return [this](const crypto::PublicKey& k) {
      auto it = next.find(k);
      return it == next.end() ? uint64_t{0} : it->second;
    };
  }
};

std::vector<std::pair<uint8_t, uint64_t>> order(const std::vector<Mempool::TxPtr>& v) {
  std::vector<std::pair<uint8_t, uint64_t>> out;
  for (const auto& t : v) out.emplace_back(t->sender[0], t->nonce);
  return out;
}

}  // namespace

TEST_CASE("mempool admits, deduplicates and finds transactions", "[node][mempool]") {
  Mempool mp(MempoolLimits{}, accept_all);
  REQUIRE(mp.add(tx(1, 0)).ok());
  REQUIRE(mp.size() == 1);
  REQUIRE(mp.bytes() == 100);
  REQUIRE(mp.contains(tx(1, 0).id));
  REQUIRE(mp.find(tx(1, 0).id)->nonce == 0);
  REQUIRE(mp.find(tx(2, 0).id) == nullptr);

  auto dup = mp.add(tx(1, 0));
  REQUIRE(dup.error().code == Errc::already_exists);
  // Same sender and nonce, other bytes: not a second candidate for the slot.
  auto same_nonce = mp.add(tx(1, 0, 50));
  REQUIRE(same_nonce.error().code == Errc::already_exists);
  REQUIRE(mp.size() == 1);
}

TEST_CASE("the admission check decides and its error is returned", "[node][mempool]") {
  Mempool mp(MempoolLimits{}, [](const VerifiedTx& t) -> Status {
    if (t.nonce > 5) return make_error(Errc::bad_nonce, "nonce too far ahead");
    return ok_status();
  });
  REQUIRE(mp.add(tx(1, 5)).ok());
  auto r = mp.add(tx(1, 6));
  REQUIRE(r.error().code == Errc::bad_nonce);
  REQUIRE(r.error().message == "nonce too far ahead");
  REQUIRE(mp.size() == 1);
}

TEST_CASE("a full mempool refuses with a clear error", "[node][mempool]") {
  SECTION("by count") {
    Mempool mp(MempoolLimits{.max_txs = 3}, accept_all);
    for (uint8_t i = 0; i < 3; ++i) REQUIRE(mp.add(tx(i, 0)).ok());
    auto r = mp.add(tx(9, 0));
    REQUIRE(r.error().code == Errc::unavailable);
    REQUIRE(r.error().message.find("full") != std::string::npos);
  }
  SECTION("by bytes") {
    Mempool mp(MempoolLimits{.max_bytes = 250}, accept_all);
    REQUIRE(mp.add(tx(1, 0)).ok());
    REQUIRE(mp.add(tx(2, 0)).ok());
    REQUIRE(mp.add(tx(3, 0)).error().code == Errc::unavailable);
    REQUIRE(mp.add(tx(3, 0, 50)).ok());
    REQUIRE(mp.bytes() == 250);
  }
  SECTION("per sender") {
    Mempool mp(MempoolLimits{.max_txs_per_sender = 2}, accept_all);
    REQUIRE(mp.add(tx(1, 0)).ok());
    REQUIRE(mp.add(tx(1, 1)).ok());
    REQUIRE(mp.add(tx(1, 2)).error().code == Errc::unavailable);
    REQUIRE(mp.add(tx(2, 0)).ok());
  }
  SECTION("one transaction at the chain's size limit, and one byte over") {
    Mempool mp(MempoolLimits{}, accept_all);
    REQUIRE(mp.add(tx(1, 0, primitives::kMaxTxBytes - 1)).ok());
    REQUIRE(mp.add(tx(1, 1, primitives::kMaxTxBytes)).ok());
    REQUIRE(mp.add(tx(1, 2, primitives::kMaxTxBytes + 1)).error().code == Errc::too_large);
  }
}

TEST_CASE("selection is nonce-ordered per sender, contiguous and fair", "[node][mempool]") {
  Mempool mp(MempoolLimits{}, accept_all);
  // Sender 1 arrives first with 4 transactions (added out of order), sender 2 with 2, sender 3 has a gap.
  for (uint64_t n : {2, 0, 3, 1}) REQUIRE(mp.add(tx(1, n)).ok());
  REQUIRE(mp.add(tx(2, 0)).ok());
  REQUIRE(mp.add(tx(2, 1)).ok());
  REQUIRE(mp.add(tx(3, 1)).ok());  // nonce 0 missing
  Nonces nonces;

  auto all = order(mp.select(100, 1 << 20, 1, nonces.fn()));
  const std::vector<std::pair<uint8_t, uint64_t>> expected = {{1, 0}, {2, 0}, {1, 1}, {2, 1}, {1, 2}, {1, 3}};
  REQUIRE(all == expected);

  // Limited by count: the turns still alternate.
  REQUIRE(order(mp.select(3, 1 << 20, 1, nonces.fn())) == std::vector<std::pair<uint8_t, uint64_t>>{{1, 0}, {2, 0}, {1, 1}});
  // Limited by bytes: 250 bytes take two of the 100-byte transactions.
  REQUIRE(mp.select(100, 250, 1, nonces.fn()).size() == 2);

  // With sender 1's first two already in a pending block, its run starts at 2; sender 3's gap is filled by state.
  nonces.next[sender(1)] = 2;
  nonces.next[sender(3)] = 1;
  auto later = order(mp.select(100, 1 << 20, 1, nonces.fn()));
  REQUIRE(later == std::vector<std::pair<uint8_t, uint64_t>>{{1, 2}, {2, 0}, {3, 1}, {1, 3}, {2, 1}});
  REQUIRE(mp.size() == 7);  // selection does not remove
}

TEST_CASE("a sender whose next transaction does not fit stops there", "[node][mempool]") {
  Mempool mp(MempoolLimits{}, accept_all);
  REQUIRE(mp.add(tx(1, 0, 300)).ok());
  REQUIRE(mp.add(tx(1, 1, 10)).ok());
  REQUIRE(mp.add(tx(2, 0, 10)).ok());
  Nonces nonces;
  REQUIRE(order(mp.select(10, 200, 1, nonces.fn())) == std::vector<std::pair<uint8_t, uint64_t>>{{2, 0}});
}

TEST_CASE("commit evicts included and superseded transactions; expiry evicts the rest", "[node][mempool]") {
  Mempool mp(MempoolLimits{}, accept_all);
  REQUIRE(mp.add(tx(1, 0)).ok());
  REQUIRE(mp.add(tx(1, 1)).ok());
  REQUIRE(mp.add(tx(1, 2)).ok());
  REQUIRE(mp.add(tx(2, 0, 100, 5)).ok());  // expires after height 5
  REQUIRE(mp.add(tx(3, 0, 100, 9)).ok());

  // Block 3 committed sender 1's nonce 1 (its nonce 0 came from another node's copy with another id).
  const CommittedTx c{tx(1, 1).id, sender(1), 1};
  mp.on_block_committed(std::span(&c, 1), 3);
  REQUIRE_FALSE(mp.contains(tx(1, 0).id));
  REQUIRE_FALSE(mp.contains(tx(1, 1).id));
  REQUIRE(mp.contains(tx(1, 2).id));
  REQUIRE(mp.size() == 3);

  mp.on_block_committed({}, 5);  // next block is 6: tx(2,0) can no longer be included
  REQUIRE_FALSE(mp.contains(tx(2, 0).id));
  REQUIRE(mp.evict_expired(9) == 0);
  REQUIRE(mp.evict_expired(10) == 1);
  REQUIRE(mp.size() == 1);
  REQUIRE(mp.bytes() == 100);

  // Selection skips transactions that expire before the proposed height.
  REQUIRE(mp.add(tx(4, 0, 100, 20)).ok());
  Nonces nonces;
  nonces.next[sender(1)] = 2;
  REQUIRE(order(mp.select(10, 1 << 20, 21, nonces.fn())) == std::vector<std::pair<uint8_t, uint64_t>>{{1, 2}});
}

TEST_CASE("concurrent adders and a committer keep the counts consistent", "[node][mempool]") {
  Mempool mp(MempoolLimits{.max_txs = 100000, .max_txs_per_sender = 1000}, accept_all);
  std::atomic<int> failures{0};  // Catch2 assertions are not thread-safe: count, check after
  std::vector<std::thread> threads;
  for (uint8_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (uint64_t n = 0; n < 500; ++n)
        if (!mp.add(tx(t, n, 10)).ok()) failures++;
    });
  for (auto& th : threads) th.join();
  REQUIRE(failures == 0);
  REQUIRE(mp.size() == 2000);
  REQUIRE(mp.bytes() == 20000);
  std::vector<CommittedTx> committed;
  for (uint8_t t = 0; t < 4; ++t) committed.push_back({tx(t, 499, 10).id, sender(t), 499});
  mp.on_block_committed(committed, 1);
  REQUIRE(mp.size() == 0);
  REQUIRE(mp.bytes() == 0);
}
