// The one-core BIP-340 verify rate, measured on the machine under test in the same run as the load:
// every validator verifies every transaction's signature, so this rate bounds what the network can
// commit (with 4 validators on 2 cores, about half of it).
// Free function; runs on the calling thread.
#pragma once

#include <string>
#include <vector>

#include "ledger/common/bytes.h"
#include "ledger/common/result.h"
#include "ledger/crypto/chain_binding.h"

namespace docket::loadgen {

struct VerifyRate {
  double per_cpu_second = 0;   // verifications per second of this thread's CPU time: one core's capacity
  double per_wall_second = 0;  // the same per elapsed second (lower when other processes share the core)
  size_t verifications = 0;
};

// Verifies the signatures of `txs` (serialized transactions of chain `chain`) round-robin for
// about `seconds` of CPU time. Fails if a sample does not decode or its signature does not verify.
Result<VerifyRate> measure_verify_rate(const std::vector<Bytes>& txs, const crypto::ChainBinding& chain, double seconds);

}  // namespace docket::loadgen
