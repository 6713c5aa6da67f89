#include "wallet/oa/integrity.h"

#include "wallet/oa/digest.h"
#include "wallet/oa/merkle.h"

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
