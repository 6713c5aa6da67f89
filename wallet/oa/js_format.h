// JavaScript's text forms of JSON values, byte for byte:
//   js_number_to_string  = String(n)  (ECMAScript Number::toString: shortest round-trip digits,
//                          fixed notation for 1e-7 <= |n| < 1e21, otherwise "1e+21" style; -0 is "0")
//   js_stringify         = JSON.stringify(v) with ES2019 well-formed output: only '"', '\\' and
//                          control characters are escaped (\b \f \n \r \t, others \u00xx), lone
//                          surrogates (WTF-8 from parse_json) as \udxxx, every other character kept
//                          as UTF-8. Non-finite numbers are written as null, as JSON.stringify does.
// OpenAttestation hashes exactly these strings, so any difference here changes every hash.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "wallet/oa/json.h"

namespace docket::wallet::oa {

std::string js_number_to_string(double d);

// Appends the JSON.stringify form of a string (with the quotes).
void js_quote(std::string& out, std::string_view s);

// JSON.stringify(v), compact.
std::string js_stringify(const Json& v);
void js_stringify_to(std::string& out, const Json& v);

// JSON.stringify(v, null, 2): the form docket writes documents in, as the OpenAttestation CLI does.
std::string js_stringify_pretty(const Json& v);

}  // namespace docket::wallet::oa
