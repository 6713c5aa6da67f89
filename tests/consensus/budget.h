// How much simulation a default test run can afford. Sanitizer builds (.ci/run runs the suite under
// ASan + UBSan in Debug) are ~30x slower, so they run a sample of the same scenarios.
#pragma once

#include <cstdint>

namespace docket::consensus::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
inline constexpr uint64_t kSimDivisor = 6;
#else
inline constexpr uint64_t kSimDivisor = 1;
#endif

// n scenarios in a normal build, about n / 6 (at least 1) under sanitizers.
inline constexpr uint64_t budget(uint64_t n) { return n / kSimDivisor > 0 ? n / kSimDivisor : 1; }

}  // namespace docket::consensus::testing
