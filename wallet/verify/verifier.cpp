#include "wallet/verify/verifier.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "wallet/oa/js_format.h"
#include "wallet/oa/merkle.h"
#include "wallet/oa/salt.h"

namespace docket::wallet::verify {
namespace {

using oa::Json;

std::string str_field(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The document's own type, from its (salted) data.documentType, if it has one.
std::string declared_type(const Json& wrapped) {
  if (!wrapped.contains("data") || !wrapped["data"].is_object()) return {};
  auto it = wrapped["data"].find("documentType");
  if (it == wrapped["data"].end()) return {};
  Json v = oa::unsalt_value(*it);
  return v.is_string() ? v.get<std::string>() : std::string();
}

std::string utc_time(double ms) {
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

bool same_name(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool lookup_failed(Report& r, const Error& e) {
  r.unreachable = true;
  r.status = "not_checked";
  r.reasons.push_back("status not checked: " + e.message);
  return true;
}

// "block 42  issued  by=ab12...": the height and action first, whatever else the node reports after.
std::string history_line(const Json& h) {
  if (!h.is_object()) return oa::js_stringify(h);
  std::string line;
  if (h.contains("height")) line += "block " + oa::js_stringify(h["height"]) + "  ";
  for (const char* k : {"action", "event", "type"})
    if (h.contains(k) && h[k].is_string()) line += h[k].get<std::string>() + "  ";
  for (const auto& [k, v] : h.items()) {
    if (k == "height" || k == "action" || k == "event" || k == "type") continue;
    line += k + "=" + (v.is_string() ? v.get<std::string>() : oa::js_stringify(v)) + " ";
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

std::vector<Hash32> proof_path(const oa::Integrity& integrity) {
  std::vector<Hash32> out;
  Hash32 h = integrity.target_hash;
  for (const auto& p : integrity.proof) {
    out.push_back(h);
    h = oa::combine_sorted(h, p);
  }
  return out;  // empty for a document wrapped alone: its targetHash is the root
}

Report verify_document(const Json& wrapped, const oa::Integrity& integrity, net::LedgerLookup* lookup) {
  Report r;
  r.integrity = integrity;
  r.document_type = declared_type(wrapped);
  if (!integrity.valid) {
    r.reasons.push_back("integrity: " + integrity.reason);
    return r;
  }
  if (!lookup) {
    r.reasons.push_back("status not checked (no node asked)");
    return r;
  }
  std::string root = to_hex(integrity.merkle_root);
  auto rec = lookup->document(root);
  if (!rec.ok() && lookup_failed(r, rec.error())) return r;
  if (!rec->has_value() || str_field(**rec, "status") == "unknown" || str_field(**rec, "status").empty()) {
    r.status = "unknown";
    r.reasons.push_back("the merkleRoot " + root + " was never issued on this ledger");
    return r;
  }
  r.record = **rec;
  r.status = str_field(r.record, "status");
  if (r.status == "revoked") {
    std::string why = str_field(r.record, "revocation_reason");
    r.reasons.push_back("revoked" + (why.empty() ? std::string() : ": " + why));
  } else if (r.status == "superseded") {
    std::string by = str_field(r.record, "superseded_by");
    r.reasons.push_back("superseded" + (by.empty() ? std::string() : " by " + by));
  } else if (r.status != "issued") {
    r.reasons.push_back("the ledger reports an unexpected status \"" + r.status + "\"");
  }
  // A revocation of the targetHash or of a subtree of the batch revokes this document too.
  for (const auto& h : proof_path(integrity)) {
    if (h == integrity.merkle_root) continue;
    auto sub = lookup->document(to_hex(h));
    if (!sub.ok() && lookup_failed(r, sub.error())) return r;
    if (sub->has_value() && str_field(**sub, "status") == "revoked") {
      r.status = "revoked";
      std::string why = str_field(**sub, "revocation_reason");
      r.reasons.push_back("revoked (hash " + to_hex(h) + ")" + (why.empty() ? std::string() : ": " + why));
    }
  }
  std::string ledger_type = str_field(r.record, "document_type");
  if (!ledger_type.empty() && !r.document_type.empty() && ledger_type != r.document_type)
    r.reasons.push_back("registered as \"" + ledger_type + "\" but the document says \"" + r.document_type + "\"");
  if (!ledger_type.empty()) r.document_type = ledger_type;
  const Json issuer = r.record.contains("issuer") ? r.record["issuer"] : Json();
  if (!issuer.is_object() || str_field(issuer, "name").empty()) {
    r.reasons.push_back("the ledger records no issuer for this document");
  } else if (std::string claimed = declared_issuer(wrapped);
             !claimed.empty() && !same_name(claimed, str_field(issuer, "name"))) {
    // The ledger's record is what counts; the document's own text may use another form of the name.
    r.warnings.push_back("the document names its issuer \"" + claimed + "\", the ledger records \"" +
                         str_field(issuer, "name") + "\": check they are the same organisation");
  }
  if (r.document_type == "bill_of_lading") {
    auto bl = lookup->bill_of_lading(to_hex(integrity.target_hash));
    if (bl.ok() && !bl->has_value() && integrity.target_hash != integrity.merkle_root)
      bl = lookup->bill_of_lading(root);
    if (!bl.ok() && lookup_failed(r, bl.error())) return r;
    if (!bl->has_value()) {
      r.reasons.push_back("no bill of lading record on the ledger for this document");
    } else {
      r.bill_of_lading = **bl;
      std::string st = str_field(r.bill_of_lading, "status");
      if (st != "active") r.reasons.push_back("the bill of lading is not active (status \"" + st + "\")");
    }
  }
  r.valid = r.reasons.empty();
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
  out["issuer"] = r.record.is_object() && r.record.contains("issuer") ? r.record["issuer"] : Json();
  out["history"] = r.record.is_object() && r.record.contains("history") ? r.record["history"] : Json::array();
  if (r.record.is_object()) {
    for (const char* k : {"height", "time_ms", "superseded_by", "revocation_reason"})
      if (r.record.contains(k)) out[k] = r.record[k];
  }
  if (!r.bill_of_lading.is_null()) out["bill_of_lading"] = r.bill_of_lading;
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
  if (r.record.is_object() && r.record.contains("height") && r.record["height"].is_number())
    out += " (block " + oa::js_stringify(r.record["height"]);
  if (r.record.is_object() && r.record.contains("time_ms") && r.record["time_ms"].is_number())
    out += ", " + utc_time(r.record["time_ms"].get<double>());
  if (r.record.is_object() && r.record.contains("height") && r.record["height"].is_number()) out += ")";
  out += "\n";
  if (!r.document_type.empty()) out += "  type       " + r.document_type + "\n";
  if (r.record.is_object() && r.record.contains("issuer") && r.record["issuer"].is_object()) {
    const auto& i = r.record["issuer"];
    out += "  issuer     " + str_field(i, "name");
    if (!str_field(i, "country").empty()) out += " (" + str_field(i, "country") + ")";
    if (!str_field(i, "member_id").empty()) out += ", member " + str_field(i, "member_id");
    out += "\n";
  }
  if (r.bill_of_lading.is_object()) {
    out += "  bill       " + str_field(r.bill_of_lading, "status");
    if (!str_field(r.bill_of_lading, "owner").empty()) out += ", owner " + str_field(r.bill_of_lading, "owner");
    if (!str_field(r.bill_of_lading, "holder").empty()) out += ", holder " + str_field(r.bill_of_lading, "holder");
    out += "\n";
  }
  if (r.record.is_object() && r.record.contains("history") && r.record["history"].is_array()) {
    out += "  history\n";
    for (const auto& h : r.record["history"]) out += "    " + history_line(h) + "\n";
  }
  // The headline already gave the first reason when the document is not valid.
  bool headline_has_first = !r.valid && !(r.integrity.valid && r.status == "not_checked");
  for (size_t i = headline_has_first ? 1 : 0; i < r.reasons.size(); ++i) out += "  note       " + r.reasons[i] + "\n";
  for (const auto& w : r.warnings) out += "  warning    " + w + "\n";
  return out;
}

}  // namespace docket::wallet::verify
