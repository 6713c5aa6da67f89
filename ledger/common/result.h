// Result<T>: the value of an operation that can fail on input (bytes from the network, a file, a user).
// Expected failures are values with a machine-readable code and a human message; exceptions are kept
// for bugs and start-up failures.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "ledger/common/assert.h"

namespace docket {

// Reason codes shared across layers. Layers may put finer detail in the message; codes stay coarse so
// callers can decide (reject a transaction, drop a peer, answer 4xx, exit with a code).
enum class Errc {
  invalid_argument,   // malformed input: bad hex, wrong length, unknown field
  non_canonical,      // bytes decode but are not the canonical encoding
  too_large,          // a size limit was exceeded
  bad_signature,      // a signature does not verify
  wrong_chain,        // bound to another chain id
  not_found,          // the thing asked for does not exist
  already_exists,     // the thing to create exists
  unauthorized,       // the caller lacks the role or key
  invalid_state,      // the operation is not allowed in the current state
  expired,            // past an expiry height or deadline
  bad_nonce,          // replay protection refused the nonce
  corruption,         // stored data failed a check
  io_error,           // the operating system refused (disk full, fsync failed, ...)
  version_mismatch,   // data written by an incompatible format version
  unavailable,        // a peer or node cannot be reached
  internal,           // a local failure that is not the caller's fault
};

const char* errc_name(Errc c);

struct Error {
  Errc code;
  std::string message;

  std::string to_string() const { return std::string(errc_name(code)) + ": " + message; }
};

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { DOCKET_ASSERT_MSG(ok(), "value() on an error Result"); return std::get<0>(v_); }
  const T& value() const& { DOCKET_ASSERT_MSG(ok(), "value() on an error Result"); return std::get<0>(v_); }
  T&& value() && { DOCKET_ASSERT_MSG(ok(), "value() on an error Result"); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { DOCKET_ASSERT_MSG(!ok(), "error() on an ok Result"); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { DOCKET_ASSERT_MSG(failed_, "error() on an ok Result"); return err_; }

 private:
  Error err_{Errc::internal, {}};
  bool failed_ = false;
};

using Status = Result<void>;
inline Status ok_status() { return Status{}; }

}  // namespace docket

// Propagates an error Result from the current function. Usage: DOCKET_TRY(do_thing());
#define DOCKET_TRY(expr)                                     \
  do {                                                       \
    auto docket_try_r_ = (expr);                             \
    if (!docket_try_r_.ok()) return docket_try_r_.error();   \
  } while (0)
