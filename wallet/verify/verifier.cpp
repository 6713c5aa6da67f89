#include "wallet/verify/verifier.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "wallet/oa/js_format.h"
#include "wallet/oa/salt.h"

namespace docket::wallet::verify {
namespace {

using oa::Json;

std::string utc_time(uint64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

// The issuer name the document claims for itself (data.issuers[0].name), if any.
std::string declared_issuer(const Json& wrapped) {
  if (!wrapped.contains("data") || !wrapped["data"].is_object()) return {};
  const Json& data = wrapped["data"];
  if (!data.contains("issuers") || !data["issuers"].is_array() || data["issuers"].empty()) return {};
  const Json& first = data["issuers"][0];
  if (!first.is_object() || !first.contains("name")) return {};
  Json v = oa::unsalt_value(first["name"]);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// Lower case, runs of white space as one space, no leading or trailing space.
std::string name_key(const std::string& s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(u));
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool same_name(const std::string& a, const std::string& b) { return name_key(a) == name_key(b); }

std::string str(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void check_document(Report& r, const LedgerFacts& f, const std::string& root) {
  const DocumentFacts& d = *f.document;
  r.status = d.status;
  if (d.status == "revoked") {
    r.reasons.push_back("revoked" + (d.revoke_reason.empty() ? std::string() : ": " + d.revoke_reason));
  } else if (d.status == "superseded") {
    r.reasons.push_back("superseded" + (d.superseded_by.empty() ? std::string() : " by " + d.superseded_by));
  } else if (d.status != "issued") {
    r.reasons.push_back("the ledger reports an unexpected status \"" + d.status + "\" for " + root);
  }
  for (const auto& rev : f.revocations) {
    r.status = "revoked";
    r.reasons.push_back("revoked (hash " + to_hex(rev.hash) + ")" + (rev.reason.empty() ? std::string() : ": " + rev.reason));
  }
  if (!d.document_type.empty() && !r.document_type.empty() && d.document_type != r.document_type)
    r.reasons.push_back("registered as \"" + d.document_type + "\" but the document says \"" + r.document_type + "\"");
  if (!d.document_type.empty()) r.document_type = d.document_type;
  if (d.issuer_member.empty()) r.reasons.push_back("the ledger records no issuer for this document");
}

void check_bill(Report& r, const LedgerFacts& f, bool is_bill) {
  if (!f.bill) {
    if (is_bill) r.reasons.push_back("no bill of lading record on the ledger for this document");
    return;
  }
  if (!f.document) r.status = f.bill->status;
  if (f.bill->status != "active") r.reasons.push_back("the bill of lading is not active (status \"" + f.bill->status + "\")");
  if (r.document_type.empty()) r.document_type = "bill_of_lading";
}

void check_issuer(Report& r, const Json& wrapped, const LedgerFacts& f) {
  if (!f.issuer) {
    const std::string id = f.document ? f.document->issuer_member : f.bill ? f.bill->carrier : "";
    if (!id.empty()) r.reasons.push_back("the issuer \"" + id + "\" is not a member of the consortium");
    return;
  }
  const MemberFacts& m = *f.issuer;
  // A member removed by governance: what it registered while a member stays as valid as it was
  // (MLETR art. 11: a change of membership does not undo a record), and the officer is told.
  const uint64_t registered = f.document ? f.document->height : f.bill ? f.bill->height : 0;
  if (m.removed_height) {
    if (registered >= *m.removed_height) {
      r.reasons.push_back("the issuer " + m.id + " was removed at height " + std::to_string(*m.removed_height) +
                          ", before this record (height " + std::to_string(registered) + ")");
    } else {
      r.warnings.push_back("issuer removed at height " + std::to_string(*m.removed_height) + " (the record dates from height " +
                           std::to_string(registered) + ", when it was a member" +
                           (m.successor.empty() ? std::string(")") : "; its bills passed to " + m.successor + ")"));
    }
  }
  // The contracts checked the role when the document was registered; a role since revoked is worth
  // telling, but does not undo the registration.
  const std::string role = f.document ? "issuer:" + f.document->document_type : "carrier";
  if (!m.removed_height && !m.roles.empty() && !m.has_role(role))
    r.warnings.push_back("the issuer " + m.id + " no longer holds the role " + role);
  // Issuer identity, as OpenAttestation's identity check: the issuer the document names (inside
  // the hashed data) must be the member that registered its root. Otherwise the document is someone
  // else's registration of this content (a decoy root over another member's document,
  // docs/security.md A2), whatever the registrant's own record says.
  std::string claimed = declared_issuer(wrapped);
  if (claimed.empty()) {
    r.warnings.push_back("the document does not name its issuer; the ledger records " + m.id + " (\"" + m.name + "\")");
  } else if (!m.name.empty() && !same_name(claimed, m.name)) {
    r.reasons.push_back("issuer identity: the document names its issuer \"" + claimed + "\", but its record was registered by member " +
                        m.id + " (\"" + m.name + "\")");
  }
}

// Keeps in the facts only what the document's own issuer recorded; the rest becomes warnings.
// - A bill's root registered as a document by another member than the bill's carrier is that
//   member's claim, not the bill's status.
// - Revocations of the document's hashes under other roots are other members' claims.
// - The root's history lists every revocation under the root; events about other documents of the
//   same batch are left out of the history shown.
void scope_to_issuer(Report& r, const oa::Integrity& integrity, bool is_bill) {
  LedgerFacts& f = *r.facts;
  if (is_bill && f.bill && f.document && f.document->issuer_member != f.bill->carrier) {
    r.warnings.push_back("another member's claim, not counted: " + f.document->issuer_member + " registered this bill's merkleRoot as a " +
                         f.document->document_type + " document (the bill's carrier is " + f.bill->carrier + ")");
    f.document.reset();
    f.revocations.clear();
    Json kept = Json::array();
    for (const auto& e : f.history)
      if (str(e, "record_key").rfind("doc/", 0) != 0) kept.push_back(e);
    f.history = kept;
  }
  for (const auto& c : f.other_claims)
    r.warnings.push_back("another member's claim, not counted: " + (c.issuer_member.empty() ? std::string("a member") : c.issuer_member) +
                         " revoked hash " + to_hex(c.hash) + " under a different root " + c.merkle_root +
                         (c.height ? " in block " + std::to_string(c.height) : std::string()) + (c.reason.empty() ? "" : " (" + c.reason + ")") +
                         "; only revocations under this document's own root count");
  for (const auto& b : f.other_bills)
    r.warnings.push_back("another member's claim, not counted: " + b.carrier + " registered a later bill of lading record over this document" +
                         (b.height ? " in block " + std::to_string(b.height) : std::string()));
  std::vector<std::string> mine{to_hex(integrity.merkle_root)};
  for (const auto& h : proof_path(integrity)) mine.push_back(to_hex(h));
  Json kept = Json::array();
  for (const auto& e : f.history) {
    const bool about_other = e.is_object() && e.contains("details") && e["details"].is_object() && e["details"].contains("hash") &&
                             e["details"]["hash"].is_string() &&
                             std::find(mine.begin(), mine.end(), e["details"]["hash"].get<std::string>()) == mine.end();
    if (!about_other) kept.push_back(e);
  }
  f.history = kept;
}

}  // namespace

// "block 42  2024-03-14 09:00:00 UTC  issued  by chamber  reason=..."
std::string history_line(const Json& e) {
  if (!e.is_object()) return oa::js_stringify(e);
  std::string line;
  if (e.contains("height")) line += "block " + oa::js_stringify(e["height"]) + "  ";
  if (e.contains("time_ms") && e["time_ms"].is_number() && e["time_ms"].get<double>() > 0)
    line += utc_time(static_cast<uint64_t>(e["time_ms"].get<double>())) + "  ";
  line += str(e, "kind");
  if (!str(e, "actor_member").empty()) line += "  by " + str(e, "actor_member");
  if (e.contains("details") && e["details"].is_object()) {
    for (const auto& [k, v] : e["details"].items()) {
      if (k == "by" || (v.is_string() && v.get<std::string>().empty())) continue;
      line += "  " + k + "=" + (v.is_string() ? v.get<std::string>() : oa::js_stringify(v));
    }
  }
  return line;
}

Report verify_document(const Json& wrapped, const oa::Integrity& integrity, const LedgerFacts* facts) {
  Report r;
  r.integrity = integrity;
  r.document_type = declared_type(wrapped);
  if (!integrity.valid) {
    r.reasons.push_back("integrity: " + integrity.reason);
    return r;
  }
  if (!facts) {
    r.reasons.push_back("status not checked (no ledger asked)");
    return r;
  }
  r.facts = *facts;
  const bool is_bill = r.document_type == "bill_of_lading";
  const std::string root = to_hex(integrity.merkle_root);
  scope_to_issuer(r, integrity, is_bill);
  facts = &*r.facts;
  if (!facts->document && !facts->bill) {
    r.status = "unknown";
    r.reasons.push_back(is_bill ? "no bill of lading record on the ledger for this document"
                                : "the merkleRoot " + root + " was never issued on this ledger");
    return r;
  }
  if (facts->document) check_document(r, *facts, root);
  if (is_bill || facts->bill) check_bill(r, *facts, is_bill);
  if (!facts->document && !is_bill)
    r.reasons.push_back("the merkleRoot " + root + " was never issued as a document on this ledger");
  check_issuer(r, wrapped, *facts);
  r.valid = r.reasons.empty();
  return r;
}

Report verify_online(const Json& wrapped, const oa::Integrity& integrity, net::LedgerLookup& lookup) {
  if (!integrity.valid) return verify_document(wrapped, integrity, nullptr);
  auto facts = gather_online(wrapped, integrity, lookup);
  if (facts.ok()) return verify_document(wrapped, integrity, &*facts);
  Report r = verify_document(wrapped, integrity, nullptr);
  r.unreachable = facts.error().code == Errc::unavailable;
  r.reasons = {"status not checked: " + facts.error().message};
  return r;
}

Json report_to_json(const Report& r) {
  Json out = Json::object();
  out["valid"] = r.valid;
  Json integ = Json::object();
  integ["valid"] = r.integrity.valid;
  integ["target_hash"] = to_hex(r.integrity.target_hash);
  integ["merkle_root"] = to_hex(r.integrity.merkle_root);
  if (!r.integrity.valid) integ["reason"] = r.integrity.reason;
  out["integrity"] = integ;
  out["status"] = r.status;
  out["document_type"] = r.document_type.empty() ? Json() : Json(r.document_type);
  out["issuer"] = Json();
  out["history"] = Json::array();
  if (r.facts) {
    const LedgerFacts& f = *r.facts;
    if (f.issuer) {
      Json i = Json::object();
      i["member_id"] = f.issuer->id;
      i["name"] = f.issuer->name;
      i["country"] = f.issuer->country.empty() ? Json() : Json(f.issuer->country);
      i["roles"] = f.issuer->roles;
      i["removed_height"] = f.issuer->removed_height ? Json(*f.issuer->removed_height) : Json();
      out["issuer"] = i;
    }
    out["history"] = f.history;
    out["source"] = f.source;
    if (f.as_of_height) out["as_of_height"] = *f.as_of_height;
    if (f.document) {
      out["height"] = f.document->height;
      out["time_ms"] = f.document->time_ms;
      out["superseded_by"] = f.document->superseded_by.empty() ? Json() : Json(f.document->superseded_by);
      out["revoke_reason"] = f.document->revoke_reason.empty() ? Json() : Json(f.document->revoke_reason);
    }
    if (f.bill) {
      Json b = Json::object();
      b["status"] = f.bill->status;
      b["carrier"] = f.bill->carrier;
      b["owner"] = f.bill->owner;
      b["holder"] = f.bill->holder;
      b["nominee"] = f.bill->nominee.empty() ? Json() : Json(f.bill->nominee);
      out["bill_of_lading"] = b;
    }
    Json claims = Json::array();
    for (const auto& c : f.other_claims)
      claims.push_back(Json{{"hash", to_hex(c.hash)}, {"merkle_root", c.merkle_root}, {"issuer_member", c.issuer_member},
                            {"reason", c.reason}, {"height", c.height}});
    out["other_root_claims"] = claims;
  }
  out["reasons"] = r.reasons;
  out["warnings"] = r.warnings;
  return out;
}

std::string report_to_text(const Report& r) {
  std::string out;
  if (r.valid) {
    out += "VALID\n";
  } else if (r.integrity.valid && r.status == "not_checked") {
    out += "NOT VERIFIED: the document is intact, but its status on the ledger was not checked\n";
  } else {
    out += "NOT VALID: " + (r.reasons.empty() ? std::string("unknown reason") : r.reasons.front()) + "\n";
  }
  out += "  integrity  " + std::string(r.integrity.valid ? "ok" : "FAILED: " + r.integrity.reason) + "\n";
  out += "             targetHash " + to_hex(r.integrity.target_hash) + "\n";
  out += "             merkleRoot " + to_hex(r.integrity.merkle_root) + "\n";
  out += "  status     " + (r.status == "not_checked" ? std::string("not checked") : r.status);
  if (r.facts && r.facts->document && r.facts->document->height > 0)
    out += " (issued in block " + std::to_string(r.facts->document->height) + ", " + utc_time(r.facts->document->time_ms) + ")";
  out += "\n";
  if (!r.document_type.empty()) out += "  type       " + r.document_type + "\n";
  if (r.facts && r.facts->issuer) {
    const auto& i = *r.facts->issuer;
    out += "  issuer     " + (i.name.empty() ? i.id : i.name);
    if (!i.country.empty()) out += " (" + i.country + ")";
    out += ", member " + i.id + "\n";
  }
  if (r.facts && r.facts->bill) {
    const auto& b = *r.facts->bill;
    out += "  bill       " + b.status + ", owner " + b.owner + ", holder " + b.holder;
    if (!b.nominee.empty()) out += ", nominee " + b.nominee;
    out += "\n";
  }
  if (r.facts && !r.facts->source.empty()) out += "  source     " + r.facts->source + "\n";
  if (r.facts && r.facts->history.is_array() && !r.facts->history.empty()) {
    out += "  history\n";
    for (const auto& h : r.facts->history) out += "    " + history_line(h) + "\n";
  }
  // The headline already gave the first reason when the document is not valid.
  bool headline_has_first = !r.valid && !(r.integrity.valid && r.status == "not_checked");
  for (size_t i = headline_has_first ? 1 : 0; i < r.reasons.size(); ++i) out += "  note       " + r.reasons[i] + "\n";
  for (const auto& w : r.warnings) out += "  warning    " + w + "\n";
  return out;
}

}  // namespace docket::wallet::verify
