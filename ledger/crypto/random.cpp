#include "ledger/crypto/random.h"

#include <sys/random.h>

#include <cerrno>

#include "ledger/common/assert.h"

namespace docket::crypto {
void random_bytes(uint8_t* buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = getrandom(buf + done, n - done, 0);
    if (r < 0 && errno == EINTR) continue;
    DOCKET_ASSERT_MSG(r > 0, "getrandom failed");
    done += static_cast<size_t>(r);
  }
}
}  // namespace docket::crypto
