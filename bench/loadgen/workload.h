// The bench's workload: pre-signed document registrations (document_issue of a fresh random Merkle
// root, type certificate_of_origin, three public fields), per sender in nonce order, ready to POST.
// Signing happens before the load starts, so the load generator spends its CPU time on HTTP only.
// Free functions; presign runs its own worker threads and returns when they are done.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/loadgen/sender_keys.h"
#include "ledger/common/bytes.h"
#include "ledger/crypto/chain_binding.h"

namespace docket::loadgen {

struct PresignConfig {
  crypto::ChainBinding chain;     // the node's chain id and genesis hash
  uint64_t expiry_height = 0;     // every transaction's expiry
  size_t txs_per_sender = 0;
  uint64_t wait_timeout_ms = 30000;  // "timeout_ms" of each POST /v1/transactions (with "wait": true)
  unsigned threads = 1;
};

// One sender's transactions. requests[i] is the JSON body of POST /v1/transactions for nonce
// first_nonce + i.
struct SenderPlan {
  std::string member_id;
  uint64_t first_nonce = 0;
  std::vector<std::string> requests;
};

struct Workload {
  std::vector<SenderPlan> senders;  // in the order of the keys
  std::vector<Bytes> samples;       // a few serialized transactions, for the verify-rate measurement
};

// REQUIRES: first_nonces.size() == keys.size().
Workload presign(const std::vector<SenderKey>& keys, const std::vector<uint64_t>& first_nonces, const PresignConfig& cfg);

}  // namespace docket::loadgen
