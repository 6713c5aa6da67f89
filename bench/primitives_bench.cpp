// Primitives figures: transaction decode + verify per second (the per-transaction cost of mempool
// admission and block validation), canonical decoding alone, and the Merkle root over 1000 ids.
#include <benchmark/benchmark.h>

#include <vector>

#include "ledger/crypto/sha256.h"
#include "ledger/primitives/canonical.h"
#include "ledger/primitives/merkle.h"
#include "ledger/primitives/transaction.h"

using namespace docket;

namespace {

const char* kChain = "docket-bench";
const crypto::ChainBinding kBinding{kChain, crypto::sha256(as_bytes("docket-bench genesis"))};

// A document registration of typical size: a root, a type and a few public fields.
pb::TxBody sample_body(const crypto::SecretKey& key) {
  pb::TxBody b;
  b.set_chain_id(kChain);
  auto pk = key.public_key();
  b.set_sender(pk.data(), pk.size());
  b.set_nonce(42);
  b.set_expiry_height(1000);
  auto* op = b.mutable_document_issue();
  op->set_merkle_root(std::string(32, '\x5a'));
  op->set_document_type("certificate_of_origin");
  for (auto [name, value] : {std::pair{"exporter", "ACME Trading Pte Ltd"}, std::pair{"hs_code", "8471.30"},
                              std::pair{"importer", "Globex GmbH"}}) {
    auto* f = op->add_public_fields();
    f->set_name(name);
    f->set_value(value);
  }
  return b;
}

}  // namespace

static void BM_TxDecodeVerify(benchmark::State& st) {
  auto sk = crypto::SecretKey::generate();
  Bytes tx = primitives::build_transaction(sample_body(sk), kBinding, sk);
  for (auto _ : st) {
    auto r = primitives::decode_transaction(tx, kBinding);
    if (!r.ok()) st.SkipWithError("decode failed");
    benchmark::DoNotOptimize(r);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["tx_bytes"] = static_cast<double>(tx.size());
}
BENCHMARK(BM_TxDecodeVerify);

static void BM_TxBuild(benchmark::State& st) {
  auto sk = crypto::SecretKey::generate();
  pb::TxBody body = sample_body(sk);
  for (auto _ : st) benchmark::DoNotOptimize(primitives::build_transaction(body, kBinding, sk));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_TxBuild);

// Canonical decoding of the body alone: the non-signature share of decode_transaction.
static void BM_ParseCanonicalTxBody(benchmark::State& st) {
  auto sk = crypto::SecretKey::generate();
  Bytes body = primitives::serialize_deterministic(sample_body(sk));
  pb::TxBody out;
  for (auto _ : st) {
    auto s = primitives::parse_canonical(body, out, 64 * 1024);
    if (!s.ok()) st.SkipWithError("parse failed");
  }
  st.SetItemsProcessed(st.iterations());
  st.SetBytesProcessed(st.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ParseCanonicalTxBody);

static void BM_MerkleRoot(benchmark::State& st) {
  std::vector<Hash32> ids;
  for (int64_t i = 0; i < st.range(0); ++i) ids.push_back(crypto::sha256(as_bytes("tx" + std::to_string(i))));
  for (auto _ : st) benchmark::DoNotOptimize(primitives::merkle_root(ids));
  st.SetItemsProcessed(st.iterations() * st.range(0));
}
BENCHMARK(BM_MerkleRoot)->Arg(1000);

static void BM_MerkleProveVerify(benchmark::State& st) {
  std::vector<Hash32> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back(crypto::sha256(as_bytes("tx" + std::to_string(i))));
  Hash32 root = primitives::merkle_root(ids);
  auto proof = primitives::prove(ids, 617);
  for (auto _ : st) benchmark::DoNotOptimize(primitives::verify_inclusion(root, ids[617], *proof));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_MerkleProveVerify);
