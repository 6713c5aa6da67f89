// Small value types shared by the consensus core: rounds, epochs, block ids and the validator set.
// Plain values; no thread-safety concerns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/common/bytes.h"
#include "ledger/crypto/schnorr.h"

namespace docket::consensus {

using Round = uint64_t;
using Epoch = uint64_t;
using Height = uint64_t;
using BlockId = Hash32;
using ValidatorIndex = uint32_t;

// The ordered validators of one epoch. Index i is validator i: the leader of round r is r mod n, and
// bit i of a certificate's signer bitmap is validator i.
class ValidatorSet {
 public:
  ValidatorSet() = default;
  explicit ValidatorSet(std::vector<crypto::PublicKey> keys);

  size_t size() const { return keys_.size(); }
  // Byzantine replicas tolerated: f = floor((n - 1) / 3).
  size_t max_faulty() const { return keys_.empty() ? 0 : (keys_.size() - 1) / 3; }
  // n - f: any two quorums share at least f + 1 validators, one of them honest. Equals 2f + 1 for n = 3f + 1.
  size_t quorum() const { return keys_.size() - max_faulty(); }
  const crypto::PublicKey& key(ValidatorIndex i) const;
  const std::vector<crypto::PublicKey>& keys() const { return keys_; }
  ValidatorIndex leader(Round r) const { return static_cast<ValidatorIndex>(r % keys_.size()); }
  std::optional<ValidatorIndex> index_of(const crypto::PublicKey& pk) const;
  bool operator==(const ValidatorSet& o) const { return keys_ == o.keys_; }

 private:
  std::vector<crypto::PublicKey> keys_;
};

}  // namespace docket::consensus
