#include "contracts/reason.h"

namespace docket::contracts {

const char* reason_name(Reason r) {
  switch (r) {
    case Reason::ok: return "ok";
    case Reason::malformed: return "malformed";
    case Reason::too_large: return "too_large";
    case Reason::unknown_sender: return "unknown_sender";
    case Reason::bad_nonce: return "bad_nonce";
    case Reason::expired: return "expired";
    case Reason::missing_role: return "missing_role";
    case Reason::not_found: return "not_found";
    case Reason::already_exists: return "already_exists";
    case Reason::invalid_state: return "invalid_state";
    case Reason::not_owner: return "not_owner";
    case Reason::not_holder: return "not_holder";
    case Reason::not_owner_and_holder: return "not_owner_and_holder";
    case Reason::not_carrier: return "not_carrier";
    case Reason::not_negotiable: return "not_negotiable";
    case Reason::invalid_party: return "invalid_party";
    case Reason::not_nominee: return "not_nominee";
    case Reason::nothing_to_reject: return "nothing_to_reject";
    case Reason::reject_both_required: return "reject_both_required";
    case Reason::already_voted: return "already_voted";
    case Reason::proof_mismatch: return "proof_mismatch";
    case Reason::not_issuer: return "not_issuer";
    case Reason::limit_reached: return "limit_reached";
  }
  return "unknown";
}

}  // namespace docket::contracts
