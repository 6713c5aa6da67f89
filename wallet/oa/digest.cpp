#include "wallet/oa/digest.h"

#include <algorithm>

#include "ledger/crypto/keccak.h"
#include "wallet/oa/js_format.h"

namespace docket::wallet::oa {
namespace {

// Keys whose dot paths JavaScript tools would not hash as written: '.' makes paths ambiguous (and
// OpenAttestation throws), and "__proto__" sets the prototype of flatley's output object instead of
// adding a leaf, so the field would go unhashed there. Returns why, or nullptr if the key is fine.
// An empty key is fine as long as no two leaves get one path (see flatten).
const char* unsupported_key(const std::string& k) {
  if (k.find('.') != std::string::npos) return "contains '.', which OpenAttestation does not allow in field names";
  if (k == "__proto__") return "is reserved in JavaScript and would not be hashed by OpenAttestation";
  return nullptr;
}

Status flatten_into(const Json& v, std::string& path, std::vector<FlatLeaf>& out) {
  // Non-empty containers are walked; primitives and empty containers are leaves (as flatley does).
  bool walk = (v.is_object() || v.is_array()) && !v.empty();
  if (!walk) {
    out.push_back({path, &v});
    return ok_status();
  }
  size_t base = path.size();
  auto child = [&](std::string_view key, const Json& c) -> Status {
    if (base) path += '.';
    path += key;
    auto st = flatten_into(c, path, out);
    path.resize(base);
    return st;
  };
  if (v.is_object()) {
    for (const auto& [k, c] : v.get_ref<const Json::object_t&>()) {
      if (auto why = unsupported_key(k))
        return make_error(Errc::invalid_argument,
                          "key \"" + k + "\"" + (base ? " under \"" + path + "\"" : "") + " " + why);
      DOCKET_TRY(child(k, c));
    }
  } else {
    const auto& a = v.get_ref<const Json::array_t&>();
    for (size_t i = 0; i < a.size(); ++i) DOCKET_TRY(child(std::to_string(i), a[i]));
  }
  return ok_status();
}

}  // namespace

Result<std::vector<FlatLeaf>> flatten(const Json& data) {
  std::vector<FlatLeaf> out;
  if (!data.is_object() && !data.is_array())
    return make_error(Errc::invalid_argument, "document data must be a JSON object");
  if (data.empty()) return out;  // no leaves at all, as flatley gives for {}
  std::string path;
  DOCKET_TRY(flatten_into(data, path, out));
  // flatley joins paths only under a non-empty prefix, so a top-level empty key's children get the
  // paths of top-level fields ({"": {"x": 1}, "x": 2} gives "x" twice). flatley's output object keeps
  // only the last of them: the other field would go unhashed, so such a document is refused.
  std::vector<std::string_view> paths;
  paths.reserve(out.size());
  for (const auto& l : out) paths.push_back(l.path);
  std::sort(paths.begin(), paths.end());
  if (auto dup = std::adjacent_find(paths.begin(), paths.end()); dup != paths.end())
    return make_error(Errc::invalid_argument, "two fields flatten to the path \"" + std::string(*dup) +
                                                  "\" (an empty key at the top level), which OpenAttestation would hash once");
  return out;
}

Result<std::vector<FlatLeaf>> flatten_subtree(const Json& v, std::string prefix) {
  std::vector<FlatLeaf> out;
  DOCKET_TRY(flatten_into(v, prefix, out));
  return out;
}

Hash32 leaf_hash(const std::string& path, const Json& value) {
  std::string s = "{";
  js_quote(s, path);
  s += ':';
  js_stringify_to(s, value);
  s += '}';
  return crypto::keccak256(as_bytes(s));
}

Result<std::vector<std::string>> leaf_hashes(const Json& data) {
  auto leaves = flatten(data);
  if (!leaves.ok()) return leaves.error();
  std::vector<std::string> out;
  out.reserve(leaves->size());
  for (const auto& l : *leaves) out.push_back(to_hex(leaf_hash(l.path, *l.value)));
  return out;
}

Result<Hash32> target_hash(const Json& data, const std::vector<std::string>& obfuscated) {
  auto hashes = leaf_hashes(data);
  if (!hashes.ok()) return hashes.error();
  std::vector<std::string> all = obfuscated;
  all.insert(all.end(), hashes->begin(), hashes->end());
  // lodash sortBy compares strings by UTF-16 units; for these ASCII hex strings that is byte order.
  std::sort(all.begin(), all.end());
  std::string list = "[";
  for (size_t i = 0; i < all.size(); ++i) {
    if (i) list += ',';
    js_quote(list, all[i]);
  }
  list += ']';
  return crypto::keccak256(as_bytes(list));
}

}  // namespace docket::wallet::oa
