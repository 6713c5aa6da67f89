#include "ledger/p2p/backoff.h"

#include <catch2/catch.hpp>

using docket::p2p::Backoff;
using ms = std::chrono::milliseconds;

TEST_CASE("backoff doubles up to the cap, with jitter in [base/2, base]", "[p2p][backoff]") {
  Backoff b(ms(100), ms(1000), 7);
  const int64_t expected_base[] = {100, 200, 400, 800, 1000, 1000, 1000};
  for (int64_t base : expected_base) {
    REQUIRE(b.base().count() == base);
    const auto d = b.next();
    REQUIRE(d.count() >= base / 2);
    REQUIRE(d.count() <= base);
  }
  b.reset();
  REQUIRE(b.base().count() == 100);
}

TEST_CASE("backoff jitter differs between seeds", "[p2p][backoff]") {
  Backoff a(ms(1000), ms(1000), 1), b(ms(1000), ms(1000), 2);
  bool differ = false;
  for (int i = 0; i < 20; ++i) differ |= a.next() != b.next();
  REQUIRE(differ);
}
