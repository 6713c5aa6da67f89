#include "bench/loadgen/workload.h"

#include <atomic>
#include <thread>

#include "ledger/common/assert.h"
#include "ledger/crypto/random.h"
#include "ledger/crypto/sha256.h"
#include "wallet/tx/tx_builder.h"

namespace docket::loadgen {

namespace {

constexpr size_t kMaxSamples = 256;

// A registration as an issuer would make it: the document's Merkle root and the fields a border
// officer may see without the document.
pb::TxBody registration(const Hash32& salt, const std::string& member, uint64_t nonce) {
  const Hash32 root = crypto::sha256(as_bytes(to_hex(salt) + "/" + member + "/" + std::to_string(nonce)));
  return wallet::tx::document_issue(root, "certificate_of_origin",
                                    {{"certificate_number", "BENCH-" + member + "-" + std::to_string(nonce)},
                                     {"exporter", "Saigon Coffee Export JSC"},
                                     {"importer", "Rotterdam Roasters B.V."}});
}

std::string request_body(const Bytes& tx, uint64_t timeout_ms) {
  return R"({"tx":")" + to_hex(tx) + R"(","wait":true,"timeout_ms":)" + std::to_string(timeout_ms) + "}";
}

}  // namespace

Workload presign(const std::vector<SenderKey>& keys, const std::vector<uint64_t>& first_nonces, const PresignConfig& cfg) {
  DOCKET_ASSERT(first_nonces.size() == keys.size());
  // A fresh salt per run: the roots of two runs on the same chain never collide.
  Hash32 salt{};
  crypto::random_bytes(salt.data(), salt.size());

  Workload w;
  w.senders.resize(keys.size());
  std::vector<Bytes> first_txs(keys.size());
  std::atomic<size_t> next_sender{0};
  auto work = [&] {
    for (size_t s; (s = next_sender.fetch_add(1)) < keys.size();) {
      SenderPlan& plan = w.senders[s];
      plan.member_id = keys[s].member_id;
      plan.first_nonce = first_nonces[s];
      plan.requests.reserve(cfg.txs_per_sender);
      for (size_t i = 0; i < cfg.txs_per_sender; ++i) {
        const uint64_t nonce = plan.first_nonce + i;
        Bytes tx = wallet::tx::sign_transaction(registration(salt, plan.member_id, nonce),
                                                {cfg.chain, nonce, cfg.expiry_height}, keys[s].key);
        plan.requests.push_back(request_body(tx, cfg.wait_timeout_ms));
        if (i == 0) first_txs[s] = std::move(tx);
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::max(1u, cfg.threads); ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();

  for (auto& tx : first_txs) {
    if (w.samples.size() == kMaxSamples) break;
    if (!tx.empty()) w.samples.push_back(std::move(tx));
  }
  return w;
}

}  // namespace docket::loadgen
