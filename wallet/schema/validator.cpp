#include "wallet/schema/validator.h"

#include <cmath>

#include "wallet/oa/js_format.h"

namespace docket::wallet::schema {
namespace {

using oa::Json;

bool has_type(const Json& v, const std::string& t) {
  if (t == "string") return v.is_string();
  if (t == "number") return v.is_number();
  if (t == "integer") return v.is_number() && std::floor(v.get<double>()) == v.get<double>();
  if (t == "boolean") return v.is_boolean();
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "null") return v.is_null();
  return false;
}

std::string join(const std::string& base, const std::string& key) { return base.empty() ? key : base + "." + key; }

// Code points, not bytes: "minLength" counts characters as JSON Schema defines.
size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

void check(const Json& schema, const Json& v, const std::string& path, std::vector<Problem>& out) {
  if (!schema.is_object()) return;
  if (auto t = schema.find("type"); t != schema.end()) {
    std::vector<std::string> types;
    if (t->is_string()) types.push_back(t->get<std::string>());
    if (t->is_array())
      for (const auto& x : *t)
        if (x.is_string()) types.push_back(x.get<std::string>());
    bool ok = false;
    for (const auto& ty : types) ok = ok || has_type(v, ty);
    if (!ok) {
      std::string names;
      for (const auto& ty : types) names += (names.empty() ? "" : " or ") + ty;
      bool vowel = !names.empty() && std::string("aeiou").find(names[0]) != std::string::npos;
      out.push_back({path, std::string("must be ") + (vowel ? "an " : "a ") + names});
      return;  // nothing below makes sense for the wrong type
    }
  }
  if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
    bool found = false;
    for (const auto& option : *e) found = found || option == v;
    if (!found) {
      std::string opts;
      for (const auto& option : *e) opts += (opts.empty() ? "" : ", ") + oa::js_stringify(option);
      out.push_back({path, "must be one of " + opts});
    }
  }
  if (v.is_string()) {
    if (auto m = schema.find("minLength"); m != schema.end() && m->is_number() &&
                                           utf8_length(v.get_ref<const std::string&>()) < m->get<double>())
      out.push_back({path, m->get<double>() == 1 ? "must not be empty" : "is too short"});
  }
  if (v.is_object()) {
    if (auto req = schema.find("required"); req != schema.end() && req->is_array()) {
      for (const auto& r : *req)
        if (r.is_string() && !v.contains(r.get<std::string>()))
          out.push_back({join(path, r.get<std::string>()), "is missing"});
    }
    if (auto props = schema.find("properties"); props != schema.end() && props->is_object()) {
      for (const auto& [key, sub] : props->items())
        if (auto it = v.find(key); it != v.end()) check(sub, *it, join(path, key), out);
    }
  }
  if (v.is_array()) {
    if (auto m = schema.find("minItems"); m != schema.end() && m->is_number() && v.size() < m->get<double>())
      out.push_back({path, "must have at least " + oa::js_number_to_string(m->get<double>()) + " item(s)"});
    if (auto items = schema.find("items"); items != schema.end())
      for (size_t i = 0; i < v.size(); ++i) check(*items, v[i], join(path, std::to_string(i)), out);
  }
}

}  // namespace

std::vector<Problem> validate(const oa::Json& schema, const oa::Json& doc) {
  std::vector<Problem> out;
  check(schema, doc, "", out);
  return out;
}

}  // namespace docket::wallet::schema
