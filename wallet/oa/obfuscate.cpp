#include "wallet/oa/obfuscate.h"

#include "wallet/oa/digest.h"

namespace docket::wallet::oa {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

bool is_index(const std::string& s) {
  if (s.empty() || s.size() > 9) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Status remove_one(Json& data, Json& obfuscated, const std::string& path) {
  auto parts = split_path(path);
  Json* parent = &data;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const auto& key = parts[i];
    Json* next = nullptr;
    if (parent->is_object()) {
      auto it = parent->find(key);
      if (it != parent->end()) next = &*it;
    } else if (parent->is_array() && is_index(key)) {
      size_t idx = std::stoul(key);
      if (idx < parent->size()) next = &(*parent)[idx];
    }
    if (!next) return make_error(Errc::not_found, "no field \"" + path + "\" in the document");
    parent = next;
  }
  const auto& last = parts.back();
  if (parent->is_array())
    return make_error(Errc::invalid_argument, "cannot remove \"" + path +
                                                  "\": removing an array element leaves a hole that cannot verify; "
                                                  "remove the whole array instead");
  if (!parent->is_object() || parent->find(last) == parent->end())
    return make_error(Errc::not_found, "no field \"" + path + "\" in the document");
  if (parent != &data && parent->size() == 1)
    return make_error(Errc::invalid_argument, "cannot remove \"" + path +
                                                  "\": it is the last field of its object, and an empty object "
                                                  "cannot verify; remove the enclosing object instead");
  auto leaves = flatten_subtree(*parent->find(last), path);
  if (!leaves.ok()) return leaves.error();
  for (const auto& l : *leaves) obfuscated.push_back(to_hex(leaf_hash(l.path, *l.value)));
  parent->erase(last);
  return ok_status();
}

}  // namespace

Result<Json> obfuscate_fields(const Json& wrapped, const std::vector<std::string>& paths) {
  if (!wrapped.is_object() || !wrapped.contains("data") || !wrapped["data"].is_object())
    return make_error(Errc::invalid_argument, "not a wrapped OpenAttestation v2 document (no \"data\" object)");
  Json out = wrapped;
  Json& data = out["data"];
  Json obfuscated = Json::array();
  if (out.contains("privacy") && out["privacy"].is_object() && out["privacy"].contains("obfuscatedData")) {
    obfuscated = out["privacy"]["obfuscatedData"];
    if (!obfuscated.is_array())
      return make_error(Errc::invalid_argument, "privacy.obfuscatedData is not an array");
  }
  for (const auto& p : paths) DOCKET_TRY(remove_one(data, obfuscated, p));
  if (!out.contains("privacy") || !out["privacy"].is_object()) out["privacy"] = Json::object();
  out["privacy"]["obfuscatedData"] = std::move(obfuscated);
  return out;
}

}  // namespace docket::wallet::oa
