// Strict JSON request bodies: one JSON object, limited nesting, only known fields, no key twice in
// one object (at any depth), a JSON content type. Every failure is a ready JSON error Response (400 or 415) that names the problem.
#pragma once

#include <initializer_list>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "ledger/api/http_types.h"

namespace docket::api {

inline constexpr size_t kMaxJsonDepth = 16;

// The body as a JSON object, or the error response to send.
std::variant<nlohmann::json, Response> parse_json_object(const Request& req, std::initializer_list<std::string_view> allowed_fields);

// Nesting depth of a JSON text, counted without parsing (brackets outside strings), so a hostile
// body cannot make the parser recurse or allocate deeply before it is refused.
size_t json_depth(std::string_view text);

}  // namespace docket::api
