#include "wallet/oa/salt.h"

#include <cctype>
#include <cstring>

#include "ledger/crypto/random.h"
#include "wallet/oa/js_format.h"

namespace docket::wallet::oa {

SaltSource::~SaltSource() {
  // Unused salts would be the salts of the next documents; do not leave them in freed memory.
  volatile uint8_t* p = buf_.data();
  for (size_t i = 0; i < buf_.size(); ++i) p[i] = 0;
}

std::string SaltSource::uuid_v4() {
  if (used_ + 16 > buf_.size()) {
    crypto::random_bytes(buf_.data(), buf_.size());
    used_ = 0;
  }
  uint8_t b[16];
  std::memcpy(b, buf_.data() + used_, 16);
  std::memset(buf_.data() + used_, 0, 16);
  used_ += 16;
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0xF];
  }
  return out;
}

std::string typed_string(const Json& v) {
  switch (v.type()) {
    case Json::value_t::string: return "string:" + v.get<std::string>();
    case Json::value_t::boolean: return v.get<bool>() ? "boolean:true" : "boolean:false";
    case Json::value_t::null: return "null:null";
    case Json::value_t::number_float:
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "number:" + js_number_to_string(v.get<double>());
    default: DOCKET_ASSERT_MSG(false, "typed_string of a container"); return {};
  }
}

Json salt_data(const Json& data, SaltSource& salts) {
  if (data.is_object()) {
    Json out = Json::object();
    auto& m = out.get_ref<Json::object_t&>();
    m.reserve(data.size());
    for (const auto& [k, v] : data.get_ref<const Json::object_t&>()) m.emplace_back(k, salt_data(v, salts));
    return out;
  }
  if (data.is_array()) {
    Json out = Json::array();
    auto& a = out.get_ref<Json::array_t&>();
    a.reserve(data.size());
    for (const auto& v : data) a.push_back(salt_data(v, salts));
    return out;
  }
  std::string s = salts.uuid_v4();
  s += ':';
  s += typed_string(data);
  return Json(std::move(s));
}

static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool has_uuid_v4_prefix(std::string_view s) {
  if (s.size() < 37 || s[36] != ':') return false;
  for (int i = 0; i < 36; ++i) {
    bool dash = (i == 8 || i == 13 || i == 18 || i == 23);
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  char variant = static_cast<char>(std::tolower(s[19]));
  return s[14] == '4' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
}

Json unsalt_value(const Json& v) {
  if (!v.is_string()) return v;
  const auto& s = v.get_ref<const std::string&>();
  if (!has_uuid_v4_prefix(s)) return v;
  std::string_view rest = std::string_view(s).substr(37);
  size_t colon = rest.find(':');
  std::string_view type = rest.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  if (type == "string") return Json(std::string(value));
  if (type == "boolean") return Json(value == "true");
  if (type == "null") return Json(nullptr);
  if (type == "number") {
    auto parsed = parse_json(value);
    if (parsed.ok() && parsed->is_number()) return *parsed;
    return Json(std::string(value));  // "Infinity" and the like: shown as text
  }
  return v;
}

Json unsalt_data(const Json& data) {
  if (data.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : data.get_ref<const Json::object_t&>())
      out.get_ref<Json::object_t&>().emplace_back(k, unsalt_data(v));
    return out;
  }
  if (data.is_array()) {
    Json out = Json::array();
    for (const auto& v : data) out.push_back(unsalt_data(v));
    return out;
  }
  return unsalt_value(data);
}

}  // namespace docket::wallet::oa
