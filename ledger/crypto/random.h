// Bytes from the operating system's random source (getrandom). Used for keys and salts only; the
// deterministic layers (consensus, contracts) never call it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace docket::crypto {
// Fills buf with n random bytes; aborts if the OS cannot supply them (a start-up failure, not input).
void random_bytes(uint8_t* buf, size_t n);
}  // namespace docket::crypto
