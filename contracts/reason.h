// Reason: why a transaction was not applied. The codes are stable (stored in receipts, shown by the
// API and the wallet); never renumber, only add. docs/contracts.md lists which operation returns which.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/common/result.h"

namespace docket::contracts {

enum class Reason : uint32_t {
  ok = 0,
  malformed = 1,            // a field is missing, malformed, or set where it must be empty
  too_large = 2,            // a size or count limit of the payload
  unknown_sender = 3,       // the key belongs to no member
  bad_nonce = 4,            // nonce is not the account's next nonce
  expired = 5,              // block height above expiry_height, or expiry too far ahead
  missing_role = 6,         // the sender's member lacks the role the operation needs
  not_found = 7,            // the record the operation names does not exist
  already_exists = 8,       // the record to create exists (ids exist once, forever)
  invalid_state = 9,        // the record's state does not allow the operation
  not_owner = 10,           // bill of lading: caller is not the owner
  not_holder = 11,          // bill of lading: caller is not the holder
  not_owner_and_holder = 12,// bill of lading: caller must be both owner and holder
  not_carrier = 13,         // bill of lading: caller is not the issuing carrier
  not_negotiable = 14,      // straight bill or sea waybill: title cannot be endorsed
  invalid_party = 15,       // the named party is not a member with role trader, or is already that party
  not_nominee = 16,         // endorsement to someone other than the nominee while owner != holder
  nothing_to_reject = 17,   // the last action was not a transfer to the caller
  reject_both_required = 18,// owner and holder were transferred together: reject both at once
  already_voted = 19,
  proof_mismatch = 20,      // revoke: the proof does not lead from the hash to the root
  not_issuer = 21,          // the root was issued by another member
  limit_reached = 22,       // a consortium limit (max_members, last admin, last validator)
};

const char* reason_name(Reason r);

struct Rejection {
  Reason reason;
  std::string message;
};

// The outcome of applying one operation: nullopt = applied, a Rejection = refused by the rules. An
// Error is a local failure (the store could not be read): the block cannot be executed on this node.
using TxResult = Result<std::optional<Rejection>>;

inline TxResult accepted() { return std::optional<Rejection>{}; }
inline TxResult rejected(Reason r, std::string message) {
  return std::optional<Rejection>{Rejection{r, std::move(message)}};
}

}  // namespace docket::contracts

// Returns from the current TxResult function if `expr` (a TxResult) is an error or a rejection.
#define CONTRACT_TRY(expr)                                          \
  do {                                                              \
    auto contract_try_r_ = (expr);                                  \
    if (!contract_try_r_.ok() || contract_try_r_->has_value())      \
      return contract_try_r_;                                       \
  } while (0)
