#include "ledger/api/errors.h"

#include <nlohmann/json.hpp>

namespace docket::api {

Response error_response(int status, const std::string& code, const std::string& message) {
  Response r;
  r.status = status;
  // Messages may quote what the client sent; dump() escapes it, and invalid UTF-8 is replaced.
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

int http_status_for(Errc code) {
  switch (code) {
    case Errc::invalid_argument:
    case Errc::non_canonical:
      return 400;
    case Errc::not_found:
      return 404;
    case Errc::already_exists:
      return 409;
    case Errc::too_large:
      return 413;
    case Errc::unavailable:
      return 503;
    case Errc::corruption:
    case Errc::io_error:
    case Errc::internal:
      return 500;
    case Errc::bad_signature:
    case Errc::wrong_chain:
    case Errc::unauthorized:
    case Errc::invalid_state:
    case Errc::expired:
    case Errc::bad_nonce:
    case Errc::version_mismatch:
      return 422;
  }
  return 500;
}

Response error_response(const Error& e) { return error_response(http_status_for(e.code), errc_name(e.code), e.message); }

}  // namespace docket::api
