#include "ledger/crypto/keccak.h"

#include <cstring>

namespace docket::crypto {
namespace {

constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

// Rotation offsets and lane permutation of the combined rho and pi steps, walked along pi's cycle.
constexpr int kRho[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
constexpr int kPi[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

inline uint64_t rotl(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

void keccak_f1600(uint64_t s[25]) {
  for (int round = 0; round < 24; ++round) {
    uint64_t c[5];
    for (int x = 0; x < 5; ++x) c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
    for (int x = 0; x < 5; ++x) {
      uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) s[y + x] ^= d;
    }
    uint64_t t = s[1];
    for (int i = 0; i < 24; ++i) {
      int j = kPi[i];
      uint64_t tmp = s[j];
      s[j] = rotl(t, kRho[i]);
      t = tmp;
    }
    for (int y = 0; y < 25; y += 5) {
      uint64_t row[5];
      for (int x = 0; x < 5; ++x) row[x] = s[y + x];
      for (int x = 0; x < 5; ++x) s[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]);
    }
    s[0] ^= kRoundConstants[round];
  }
}

inline uint64_t load_le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Hash32 keccak256(ByteView data) {
  constexpr size_t kRate = 136;  // 1088-bit rate for a 256-bit capacity of 512 bits
  uint64_t s[25] = {};
  size_t off = 0;
  while (data.size() - off >= kRate) {
    for (size_t i = 0; i < kRate / 8; ++i) s[i] ^= load_le64(data.data() + off + 8 * i);
    keccak_f1600(s);
    off += kRate;
  }
  uint8_t block[kRate] = {};
  size_t rem = data.size() - off;
  if (rem) std::memcpy(block, data.data() + off, rem);
  block[rem] ^= 0x01;         // Keccak padding: first bit
  block[kRate - 1] ^= 0x80;   // and last bit of the rate
  for (size_t i = 0; i < kRate / 8; ++i) s[i] ^= load_le64(block + 8 * i);
  keccak_f1600(s);
  Hash32 out;
  for (size_t i = 0; i < 4; ++i)
    for (size_t b = 0; b < 8; ++b) out[8 * i + b] = static_cast<uint8_t>(s[i] >> (8 * b));
  return out;
}

}  // namespace docket::crypto
