#include "ledger/crypto/keccak.h"

#include <bit>
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

// Lane (x, y) of the 5x5 state is s[x + 5y]. The rho offsets and pi destinations are derived here
// from their definitions in the Keccak reference (rho: walk (x, y) -> (y, 2x + 3y) from (1, 0),
// offset (t+1)(t+2)/2 at step t; pi: lane (x, y) moves to (y, 2x + 3y)) rather than typed in.
struct LaneTables {
  int rot[25];
  int pi_dst[25];
};

constexpr LaneTables make_lane_tables() {
  LaneTables t{};
  int x = 1, y = 0;
  for (int step = 0; step < 24; ++step) {
    t.rot[x + 5 * y] = ((step + 1) * (step + 2) / 2) % 64;
    int nx = y, ny = (2 * x + 3 * y) % 5;
    x = nx;
    y = ny;
  }
  for (int lx = 0; lx < 5; ++lx)
    for (int ly = 0; ly < 5; ++ly) t.pi_dst[lx + 5 * ly] = ly + 5 * ((2 * lx + 3 * ly) % 5);
  return t;
}

constexpr LaneTables kLanes = make_lane_tables();
static_assert(kLanes.rot[0] == 0 && kLanes.rot[1] == 1 && kLanes.rot[24] == 14, "rho offsets");

// The loops below have constant bounds and indices known at compile time once unrolled, so the
// state lives in registers: no modulo, no index arithmetic at run time.
void keccak_f1600(uint64_t s[25]) {
  for (int round = 0; round < 24; ++round) {
    uint64_t c[5], d[5], b[25];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
#pragma GCC unroll 25
    for (int i = 0; i < 25; ++i) b[kLanes.pi_dst[i]] = std::rotl(s[i] ^ d[i % 5], kLanes.rot[i]);
#pragma GCC unroll 25
    for (int i = 0; i < 25; ++i) {
      int x = i % 5, row = i - x;
      s[i] = b[i] ^ (~b[row + (x + 1) % 5] & b[row + (x + 2) % 5]);
    }
    s[0] ^= kRoundConstants[round];
  }
}

inline uint64_t load_le64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

constexpr size_t kRate = 136;  // 1088-bit rate for a 256-bit capacity of 512 bits

inline void absorb_block(uint64_t s[25], const uint8_t* block) {
#pragma GCC unroll 17
  for (size_t i = 0; i < kRate / 8; ++i) s[i] ^= load_le64(block + 8 * i);
  keccak_f1600(s);
}

}  // namespace

Hash32 keccak256(ByteView data) {
  uint64_t s[25] = {};
  const uint8_t* p = data.data();
  size_t left = data.size();
  for (; left >= kRate; left -= kRate, p += kRate) absorb_block(s, p);
  uint8_t last[kRate] = {};
  if (left) std::memcpy(last, p, left);
  last[left] ^= 0x01;        // Keccak padding: first bit
  last[kRate - 1] ^= 0x80;   // and last bit of the rate
  absorb_block(s, last);
  Hash32 out;
  for (size_t i = 0; i < 4; ++i)
    for (size_t b = 0; b < 8; ++b) out[8 * i + b] = static_cast<uint8_t>(s[i] >> (8 * b));
  return out;
}

}  // namespace docket::crypto
