// JSON error responses: {"error": {"code": "...", "message": "..."}} with the HTTP status that fits.
// Codes are Errc names (ledger/common/result.h) plus a few HTTP-level ones (not_found for routes,
// method_not_allowed, unsupported_media_type, payload_too_large, timeout).
#pragma once

#include <string>

#include "ledger/api/http_types.h"
#include "ledger/common/result.h"

namespace docket::api {

Response error_response(int status, const std::string& code, const std::string& message);

// The HTTP status for an error of a given kind: invalid input 400, not found 404, too large 413,
// unavailable 503, local failures 500, refusals by the rules 422.
int http_status_for(Errc code);
Response error_response(const Error& e);

}  // namespace docket::api
