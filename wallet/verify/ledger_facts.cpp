#include "wallet/verify/ledger_facts.h"

#include <algorithm>

#include "wallet/oa/js_format.h"
#include "wallet/oa/merkle.h"
#include "wallet/oa/salt.h"

namespace docket::wallet::verify {
namespace {

using oa::Json;

std::string str(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

uint64_t count(const Json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number() || it->get<double>() < 0) return 0;
  return static_cast<uint64_t>(it->get<double>());
}

// revoke_reason is a number in the API; show it as the contracts name it.
std::string reason_text(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (!j.is_number()) return {};
  switch (static_cast<int>(j.get<double>())) {
    case 1: return "REVOCATION_ISSUED_IN_ERROR";
    case 2: return "REVOCATION_FRAUD";
    case 3: return "REVOCATION_CANCELLED";
    case 4: return "REVOCATION_REPLACED";
    case 5: return "REVOCATION_OTHER";
    default: return "reason " + oa::js_stringify(j);
  }
}

// other_root_claims of a /v1/documents answer about hash h.
void add_other_claims(const Json& answer, const Hash32& h, std::vector<OtherRootClaim>& out) {
  if (!answer.is_object() || !answer.contains("other_root_claims") || !answer["other_root_claims"].is_array()) return;
  for (const auto& c : answer["other_root_claims"]) {
    if (!c.is_object()) continue;
    out.push_back({h, str(c, "merkle_root"), str(c, "issuer_member"), c.contains("revoke_reason") ? reason_text(c["revoke_reason"]) : "",
                   count(c, "height")});
  }
}

// A bill's facts from a GET /v1/bl/{id} answer.
BillFacts bill_facts(const Json& b) {
  return BillFacts{str(b, "status"), str(b, "issuer_member"), str(b, "owner"), str(b, "holder"), str(b, "nominee"), count(b, "height")};
}

}  // namespace

bool MemberFacts::has_role(const std::string& role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::vector<Hash32> proof_path(const oa::Integrity& integrity) {
  std::vector<Hash32> out;
  Hash32 h = integrity.target_hash;
  for (const auto& p : integrity.proof) {
    out.push_back(h);
    h = oa::combine_sorted(h, p);
  }
  return out;  // empty for a document wrapped alone: its targetHash is the root
}

std::vector<Hash32> record_ids(const oa::Integrity& integrity) {
  if (integrity.target_hash == integrity.merkle_root) return {integrity.target_hash};
  return {integrity.target_hash, integrity.merkle_root};
}

std::string declared_type(const Json& wrapped) {
  if (!wrapped.contains("data") || !wrapped["data"].is_object()) return {};
  auto it = wrapped["data"].find("documentType");
  if (it == wrapped["data"].end()) return {};
  Json v = oa::unsalt_value(*it);
  return v.is_string() ? v.get<std::string>() : std::string();
}

Result<LedgerFacts> gather_online(const Json& wrapped, const oa::Integrity& integrity, net::LedgerLookup& lookup) {
  LedgerFacts f;
  const std::string root = to_hex(integrity.merkle_root);
  auto doc = lookup.document(root);
  if (!doc.ok()) return doc.error();
  if (doc->has_value()) {
    const Json& d = **doc;
    DocumentFacts df;
    df.status = str(d, "status");
    df.document_type = str(d, "document_type");
    df.issuer_member = str(d, "issuer_member");
    df.height = count(d, "height");
    df.time_ms = count(d, "time_ms");
    df.superseded_by = str(d, "superseded_by");
    if (d.contains("revoke_reason")) df.revoke_reason = reason_text(d["revoke_reason"]);
    f.document = df;
    add_other_claims(d, integrity.merkle_root, f.other_claims);
    // Only a revocation under this root counts: anyone with an issuer role can register another
    // root over the same hash and revoke it there, which must not touch this document.
    for (const auto& h : proof_path(integrity)) {
      auto sub = lookup.document_under(to_hex(h), root);
      if (!sub.ok()) return sub.error();
      if (!sub->has_value()) continue;
      add_other_claims(**sub, h, f.other_claims);
      if (str(**sub, "status") != "revoked" || str(**sub, "merkle_root") != root) continue;
      f.revocations.push_back({h, (**sub).contains("revoke_reason") ? reason_text((**sub)["revoke_reason"]) : "",
                               count(**sub, "revoked_height")});
    }
    auto history = lookup.document_history(root);
    if (!history.ok()) return history.error();
    if (history->has_value()) f.history = **history;
  }
  if (declared_type(wrapped) == "bill_of_lading" || !f.document) {
    // The bill may be registered under the targetHash or the merkleRoot; if both are, the first
    // registered is the bill (a later one over the same document is someone else's claim).
    std::optional<Json> bill;
    for (const Hash32& id : record_ids(integrity)) {
      auto bl = lookup.bill_of_lading(to_hex(id));
      if (!bl.ok()) return bl.error();
      if (!bl->has_value()) continue;
      if (!bill || count(**bl, "height") < count(*bill, "height")) {
        if (bill) f.other_bills.push_back(bill_facts(*bill));
        bill = **bl;
      } else {
        f.other_bills.push_back(bill_facts(**bl));
      }
    }
    if (bill) {
      f.bill = bill_facts(*bill);
      if (bill->contains("history") && (*bill)["history"].is_array()) {
        for (const auto& e : (*bill)["history"]) f.history.push_back(e);
      }
    }
  }
  if (f.history.is_array() && f.history.size() > 1) {
    std::vector<Json> events(f.history.begin(), f.history.end());
    std::stable_sort(events.begin(), events.end(), [](const Json& a, const Json& b) { return count(a, "height") < count(b, "height"); });
    f.history = Json(events);
  }
  // A bill's issuer is its carrier (a root registered as a document by someone else is a claim).
  const bool bill_counts = f.bill && (declared_type(wrapped) == "bill_of_lading" || !f.document);
  const std::string issuer_id = bill_counts ? f.bill->carrier : f.document ? f.document->issuer_member : "";
  if (!issuer_id.empty()) {
    auto m = lookup.member(issuer_id);
    if (!m.ok()) return m.error();
    if (m->has_value()) {
      MemberFacts mf{issuer_id, str(**m, "name"), str(**m, "country"), {}, {}, {}};
      if ((**m).contains("roles") && (**m)["roles"].is_array())
        for (const auto& r : (**m)["roles"])
          if (r.is_string()) mf.roles.push_back(r.get<std::string>());
      if ((**m).contains("removed") && (**m)["removed"] == true) {
        mf.removed_height = count(**m, "removed_height");
        mf.successor = str(**m, "successor");
      }
      f.issuer = mf;
    }
  }
  return f;
}

}  // namespace docket::wallet::verify
