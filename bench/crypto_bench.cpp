// Crypto figures: Schnorr sign/s and verify/s on one core, SHA-256 and Keccak-256 throughput, and the
// cost of a tagged hash (the unit of every id, digest and Merkle node).
#include <benchmark/benchmark.h>

#include "ledger/crypto/keccak.h"
#include "ledger/crypto/schnorr.h"
#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"

using namespace docket;

static void BM_SchnorrSign(benchmark::State& st) {
  auto sk = crypto::SecretKey::generate();
  Hash32 d = crypto::sha256(as_bytes("message"));
  for (auto _ : st) benchmark::DoNotOptimize(sk.sign(d));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_SchnorrSign);

static void BM_SchnorrVerify(benchmark::State& st) {
  auto sk = crypto::SecretKey::generate();
  auto pk = sk.public_key();
  Hash32 d = crypto::sha256(as_bytes("message"));
  auto sig = sk.sign(d);
  for (auto _ : st) benchmark::DoNotOptimize(crypto::verify(pk, d, sig));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_SchnorrVerify);

static void BM_Sha256(benchmark::State& st) {
  Bytes data(static_cast<size_t>(st.range(0)), 0x5a);
  for (auto _ : st) benchmark::DoNotOptimize(crypto::sha256(data));
  st.SetBytesProcessed(st.iterations() * st.range(0));
}
BENCHMARK(BM_Sha256)->Arg(64)->Arg(1 << 20);

static void BM_Keccak256(benchmark::State& st) {
  Bytes data(static_cast<size_t>(st.range(0)), 0x5a);
  for (auto _ : st) benchmark::DoNotOptimize(crypto::keccak256(data));
  st.SetBytesProcessed(st.iterations() * st.range(0));
}
BENCHMARK(BM_Keccak256)->Arg(64)->Arg(1 << 20);

static void BM_TaggedHash32(benchmark::State& st) {
  Hash32 id = crypto::sha256(as_bytes("id"));
  for (auto _ : st) benchmark::DoNotOptimize(crypto::tagged_hash(crypto::tags::kTxId, id));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_TaggedHash32);

static void BM_TaggedHasher32(benchmark::State& st) {
  Hash32 id = crypto::sha256(as_bytes("id"));
  crypto::TaggedHasher h(crypto::tags::kMerkleLeaf);
  for (auto _ : st) benchmark::DoNotOptimize(h(id));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_TaggedHasher32);
