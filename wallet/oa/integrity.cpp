#include "wallet/oa/integrity.h"

#include <initializer_list>
#include <optional>
#include <string_view>

#include "wallet/oa/digest.h"
#include "wallet/oa/merkle.h"
#include "wallet/oa/wrap.h"

namespace docket::wallet::oa {
namespace {

Result<Hash32> hash_field(const Json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string())
    return make_error(Errc::invalid_argument, std::string("signature.") + name + " is missing or not a string");
  const auto& text = it->get_ref<const std::string&>();
  if (text.size() != 64)
    return make_error(Errc::invalid_argument, std::string("signature.") + name + " is not 64 hex digits");
  auto h = hash_from_hex(text);
  if (!h.ok()) return make_error(Errc::invalid_argument, std::string("signature.") + name + ": " + h.error().message);
  return *h;
}

// A key as shown in a reason: quoted, cut short so a hostile document cannot flood the output.
std::string shown(std::string_view key) {
  return "\"" + std::string(key.substr(0, 64)) + (key.size() > 64 ? "...\"" : "\"");
}

std::optional<std::string> unknown_key(const Json& obj, std::initializer_list<std::string_view> allowed,
                                       const std::string& where) {
  for (const auto& [k, v] : obj.items()) {
    bool known = false;
    for (auto a : allowed) known |= k == a;
    if (!known) return "unknown field " + shown(k) + where + " (not covered by the targetHash)";
  }
  return std::nullopt;
}

// The targetHash covers only data and privacy.obfuscatedData. Everything else in the document is
// envelope that anyone could change or add without breaking the hashes, so it must be exactly what
// the npm package's wrapDocument and obfuscateDocument write: otherwise a document with a garbage
// version, another signature type or extra claims beside the data would still verify.
std::optional<std::string> envelope_problem(const Json& doc, const Json& sig) {
  if (auto bad = unknown_key(doc, {"version", "data", "signature", "privacy"}, "")) return bad;
  auto version = doc.find("version");
  if (version == doc.end()) return std::string("no \"version\" (an OpenAttestation v2 document names ") + kSchemaV2 + ")";
  if (!version->is_string() || version->get_ref<const std::string&>() != kSchemaV2)
    return std::string("\"version\" is not ") + kSchemaV2;
  if (auto bad = unknown_key(sig, {"type", "targetHash", "proof", "merkleRoot"}, " in \"signature\"")) return bad;
  auto type = sig.find("type");
  if (type == sig.end() || !type->is_string() || type->get_ref<const std::string&>() != kProofType)
    return std::string("signature.type is not ") + kProofType;
  if (auto priv = doc.find("privacy"); priv != doc.end()) {
    if (!priv->is_object()) return std::string("\"privacy\" is not an object");
    if (auto bad = unknown_key(*priv, {"obfuscatedData"}, " in \"privacy\"")) return bad;
  }
  return std::nullopt;
}

}  // namespace

Result<Integrity> check_integrity(const Json& doc) {
  if (!doc.is_object()) return make_error(Errc::invalid_argument, "not a JSON object");
  auto data = doc.find("data");
  auto sig = doc.find("signature");
  if (data == doc.end() || !data->is_object() || sig == doc.end() || !sig->is_object())
    return make_error(Errc::invalid_argument,
                      "not a wrapped OpenAttestation v2 document (needs \"data\" and \"signature\" objects)");
  Integrity out;
  auto th = hash_field(*sig, "targetHash");
  if (!th.ok()) return th.error();
  out.target_hash = *th;
  auto root = hash_field(*sig, "merkleRoot");
  if (!root.ok()) return root.error();
  out.merkle_root = *root;
  auto proof = sig->find("proof");
  if (proof != sig->end()) {
    if (!proof->is_array()) return make_error(Errc::invalid_argument, "signature.proof is not an array");
    for (const auto& p : *proof) {
      auto h = p.is_string() && p.get_ref<const std::string&>().size() == 64
                   ? hash_from_hex(p.get_ref<const std::string&>())
                   : Result<Hash32>(make_error(Errc::invalid_argument, "not 64 hex digits"));
      if (!h.ok()) return make_error(Errc::invalid_argument, "signature.proof entry: " + h.error().message);
      out.proof.push_back(*h);
    }
  }
  std::vector<std::string> obfuscated;
  if (auto priv = doc.find("privacy"); priv != doc.end() && priv->is_object()) {
    if (auto od = priv->find("obfuscatedData"); od != priv->end()) {
      if (!od->is_array()) return make_error(Errc::invalid_argument, "privacy.obfuscatedData is not an array");
      for (const auto& h : *od) {
        if (!h.is_string() || !hash_from_hex(h.get_ref<const std::string&>()).ok() ||
            h.get_ref<const std::string&>().size() != 64)
          return make_error(Errc::invalid_argument, "privacy.obfuscatedData holds an entry that is not a 64-digit hash");
        obfuscated.push_back(h.get<std::string>());
      }
    }
  }
  if (auto bad = envelope_problem(doc, *sig)) {
    out.reason = *bad;
    return out;
  }
  auto computed = target_hash(*data, obfuscated);
  if (!computed.ok()) return computed.error();
  // The package compares hex strings, so an upper-case targetHash does not verify there either.
  if (to_hex(*computed) != sig->find("targetHash")->get_ref<const std::string&>()) {
    out.reason = "the document's data does not match its targetHash (a field, salt or hidden-field hash was changed)";
    return out;
  }
  if (!check_proof(out.proof, out.merkle_root, out.target_hash)) {
    out.reason = "the proof does not lead from the targetHash to the merkleRoot (proof or merkleRoot was changed)";
    return out;
  }
  out.valid = true;
  return out;
}

}  // namespace docket::wallet::oa
