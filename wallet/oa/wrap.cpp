#include "wallet/oa/wrap.h"

#include "wallet/oa/digest.h"
#include "wallet/oa/merkle.h"

namespace docket::wallet::oa {

Result<std::vector<Json>> wrap_documents(const std::vector<Json>& docs, SaltSource& salts,
                                         const std::vector<std::string>& names) {
  DOCKET_ASSERT(!docs.empty());
  DOCKET_ASSERT(names.empty() || names.size() == docs.size());
  auto name = [&](size_t i) { return names.empty() ? "document " + std::to_string(i + 1) : names[i]; };
  std::vector<Json> salted;
  std::vector<Hash32> targets;
  salted.reserve(docs.size());
  targets.reserve(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    if (!docs[i].is_object())
      return make_error(Errc::invalid_argument, name(i) + ": not a JSON object");
    salted.push_back(salt_data(docs[i], salts));
    auto th = target_hash(salted.back(), {});
    if (!th.ok())
      return make_error(th.error().code, name(i) + ": " + th.error().message);
    targets.push_back(*th);
  }
  MerkleTree tree(targets);
  std::string root = to_hex(tree.root());
  std::vector<Json> out;
  out.reserve(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    auto proof = tree.proof(targets[i]);
    DOCKET_ASSERT(proof.ok());
    Json proof_json = Json::array();
    for (const auto& p : *proof) proof_json.push_back(to_hex(p));
    Json sig = Json::object();
    sig["type"] = kProofType;
    sig["targetHash"] = to_hex(targets[i]);
    sig["proof"] = std::move(proof_json);
    sig["merkleRoot"] = root;
    Json doc = Json::object();
    doc["version"] = kSchemaV2;
    doc["data"] = std::move(salted[i]);
    doc["signature"] = std::move(sig);
    out.push_back(std::move(doc));
  }
  return out;
}

}  // namespace docket::wallet::oa
