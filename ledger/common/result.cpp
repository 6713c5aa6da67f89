#include "ledger/common/result.h"

namespace docket {
const char* errc_name(Errc c) {
  switch (c) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::non_canonical: return "non_canonical";
    case Errc::too_large: return "too_large";
    case Errc::bad_signature: return "bad_signature";
    case Errc::wrong_chain: return "wrong_chain";
    case Errc::not_found: return "not_found";
    case Errc::already_exists: return "already_exists";
    case Errc::unauthorized: return "unauthorized";
    case Errc::invalid_state: return "invalid_state";
    case Errc::expired: return "expired";
    case Errc::bad_nonce: return "bad_nonce";
    case Errc::corruption: return "corruption";
    case Errc::io_error: return "io_error";
    case Errc::version_mismatch: return "version_mismatch";
    case Errc::unavailable: return "unavailable";
    case Errc::internal: return "internal";
  }
  return "unknown";
}
}  // namespace docket
