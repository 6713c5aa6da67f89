#include "bench/loadgen/verify_rate.h"

#include <time.h>

#include <chrono>

#include "ledger/crypto/schnorr.h"
#include "ledger/primitives/transaction.h"

namespace docket::loadgen {

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Sample {
  crypto::PublicKey key{};
  Hash32 digest{};
  crypto::Signature sig{};
};

}  // namespace

Result<VerifyRate> measure_verify_rate(const std::vector<Bytes>& txs, const crypto::ChainBinding& chain, double seconds) {
  if (txs.empty()) return make_error(Errc::invalid_argument, "no transactions to verify");
  // The exact inputs a node verifies: the sender key, the signing digest of the body bytes, the signature.
  std::vector<Sample> samples;
  for (const Bytes& raw : txs) {
    auto tx = primitives::decode_transaction(raw, chain);
    if (!tx) return make_error(tx.error().code, "sample transaction: " + tx.error().message);
    pb::Transaction t;
    if (!t.ParseFromArray(raw.data(), static_cast<int>(raw.size())) || t.signature().size() != 64)
      return make_error(Errc::invalid_argument, "sample transaction without a signature");
    Sample s;
    s.key = tx->sender;
    s.digest = primitives::tx_signing_digest(chain, tx->body_bytes);
    std::copy(t.signature().begin(), t.signature().end(), s.sig.begin());
    samples.push_back(s);
  }

  constexpr size_t kBatch = 200;  // verifications between two clock reads
  VerifyRate r;
  const double cpu0 = thread_cpu_seconds();
  const auto wall0 = std::chrono::steady_clock::now();
  double cpu = 0;
  size_t i = 0;
  do {
    for (size_t k = 0; k < kBatch; ++k, ++i) {
      const Sample& s = samples[i % samples.size()];
      if (!crypto::verify(s.key, s.digest, s.sig)) return make_error(Errc::bad_signature, "a sample signature does not verify");
    }
    cpu = thread_cpu_seconds() - cpu0;
  } while (cpu < seconds);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  r.verifications = i;
  r.per_cpu_second = static_cast<double>(i) / cpu;
  r.per_wall_second = static_cast<double>(i) / wall;
  return r;
}

}  // namespace docket::loadgen
