#include "ledger/api/json_body.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ledger/api/errors.h"

namespace docket::api {

namespace {

std::string shown_key(const std::string& key) { return key.size() > 64 ? key.substr(0, 64) + "..." : key; }

// Parses `text`, noting the first key that appears twice in one object at any depth. nlohmann keeps
// the last of duplicate keys silently; a body that means two things to two parsers is refused instead.
// The depth is bounded before this runs (json_depth), so the stack of key sets is too.
nlohmann::json parse_rejecting_duplicates(const std::string& text, std::optional<std::string>& duplicate) {
  std::vector<std::set<std::string>> keys;  // one set per object being parsed
  auto callback = [&](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    switch (event) {
      case nlohmann::json::parse_event_t::object_start: keys.emplace_back(); break;
      case nlohmann::json::parse_event_t::object_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case nlohmann::json::parse_event_t::key:
        if (!keys.empty() && parsed.is_string() && !keys.back().insert(parsed.get<std::string>()).second && !duplicate)
          duplicate = parsed.get<std::string>();
        break;
      default: break;
    }
    return true;
  };
  return nlohmann::json::parse(text, callback);
}

}  // namespace

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
  std::optional<std::string> duplicate;
  try {
    j = parse_rejecting_duplicates(req.body, duplicate);
  } catch (const nlohmann::json::parse_error& e) {
    return error_response(400, "invalid_argument", "malformed JSON at byte " + std::to_string(e.byte));
  }
  if (duplicate) return error_response(400, "invalid_argument", "duplicate field '" + shown_key(*duplicate) + "'");
  if (!j.is_object()) return error_response(400, "invalid_argument", "the body must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (auto f : allowed_fields) known |= key == f;
    if (!known) {
      return error_response(400, "invalid_argument", "unknown field '" + shown_key(key) + "'");
    }
  }
  return j;
}

}  // namespace docket::api
