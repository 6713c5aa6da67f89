#include <catch2/catch.hpp>

#include <string>

#include "ledger/crypto/keccak.h"

using namespace docket;

TEST_CASE("keccak256 matches Ethereum's vectors") {
  // Keccak-256 (original padding), as web3.utils.keccak256 / ethers.keccak256 compute it.
  CHECK(to_hex(crypto::keccak256(as_bytes(""))) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  CHECK(to_hex(crypto::keccak256(as_bytes("abc"))) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  CHECK(to_hex(crypto::keccak256(as_bytes("hello"))) == "1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
  CHECK(to_hex(crypto::keccak256(as_bytes("The quick brown fox jumps over the lazy dog"))) ==
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

TEST_CASE("keccak256 handles inputs around the 136-byte rate") {
  // Lengths 135, 136 and 137 cross the padding edge cases (pad in the same block, a full extra block).
  for (size_t n : {135u, 136u, 137u, 272u}) {
    std::string s(n, 'a');
    auto h1 = crypto::keccak256(as_bytes(s));
    auto h2 = crypto::keccak256(as_bytes(s));
    CHECK(h1 == h2);
    std::string t = s;
    t.back() = 'b';
    CHECK(crypto::keccak256(as_bytes(t)) != h1);
  }
}
