// The largest validator set the chain supports, shared by everything that must agree on it: genesis and
// governance refuse a larger set (contracts/), and blocks, certificates and proofs are decoded with this
// bound (consensus::Limits in the node, the API and the proof builders). A set governance could create
// but nodes could not decode would stop the chain, or answer every block and proof lookup with
// "corruption".
#pragma once

#include <cstddef>

namespace docket::primitives {

inline constexpr size_t kMaxValidators = 64;

}  // namespace docket::primitives
