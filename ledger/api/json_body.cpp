#include "ledger/api/json_body.h"

#include "ledger/api/errors.h"

namespace docket::api {

size_t json_depth(std::string_view text) {
  size_t depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') max_depth = std::max(max_depth, ++depth);
    else if ((c == '}' || c == ']') && depth > 0) --depth;
  }
  return max_depth;
}

std::variant<nlohmann::json, Response> parse_json_object(const Request& req,
                                                         std::initializer_list<std::string_view> allowed_fields) {
  const std::string_view ct = req.content_type;
  if (!ct.empty() && ct.substr(0, 16) != "application/json")
    return error_response(415, "unsupported_media_type", "send the body as application/json");
  if (json_depth(req.body) > kMaxJsonDepth)
    return error_response(400, "invalid_argument", "JSON nested deeper than " + std::to_string(kMaxJsonDepth));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(req.body);
  } catch (const nlohmann::json::parse_error& e) {
    return error_response(400, "invalid_argument", "malformed JSON at byte " + std::to_string(e.byte));
  }
  if (!j.is_object()) return error_response(400, "invalid_argument", "the body must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (auto f : allowed_fields) known |= key == f;
    if (!known) {
      const std::string shown = key.size() > 64 ? key.substr(0, 64) + "..." : key;
      return error_response(400, "invalid_argument", "unknown field '" + shown + "'");
    }
  }
  return j;
}

}  // namespace docket::api
