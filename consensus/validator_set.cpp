#include "consensus/types.h"

#include "ledger/common/assert.h"

namespace docket::consensus {

ValidatorSet::ValidatorSet(std::vector<crypto::PublicKey> keys) : keys_(std::move(keys)) {}

const crypto::PublicKey& ValidatorSet::key(ValidatorIndex i) const {
  DOCKET_ASSERT(i < keys_.size());
  return keys_[i];
}

std::optional<ValidatorIndex> ValidatorSet::index_of(const crypto::PublicKey& pk) const {
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == pk) return static_cast<ValidatorIndex>(i);
  }
  return std::nullopt;
}

}  // namespace docket::consensus
