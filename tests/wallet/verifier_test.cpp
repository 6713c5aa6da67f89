#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "wallet/oa/merkle.h"
#include "wallet/oa/salt.h"
#include "wallet/oa/wrap.h"
#include "wallet/verify/verifier.h"

using namespace docket;
using namespace docket::wallet;
using oa::Json;

namespace {

// An in-memory ledger answering what the node's /v1 routes would (ledger/api/v1_routes.cpp).
class FakeLedger : public net::LedgerLookup {
 public:
  std::map<std::string, Json> docs, bls, members;
  std::map<std::string, Json> revs;  // "<hash>/<root>" -> the record the node returns for ?root=
  bool down = false;
  Result<std::optional<Json>> document(const std::string& h) override { return get(docs, h); }
  Result<std::optional<Json>> document_under(const std::string& h, const std::string& root) override {
    auto d = get(docs, root);
    if (!d.ok() || !d->has_value() || h == root) return d;
    auto r = get(revs, h + "/" + root);
    return r.ok() && r->has_value() ? r : d;
  }
  Result<std::optional<Json>> document_history(const std::string& h) override {
    auto d = get(docs, h);
    if (!d.ok() || !d->has_value()) return d;
    return std::optional<Json>(*oa::parse_json(R"([{"kind":"issued","height":7,"time_ms":1710406800000,"actor_member":"chamber","details":{}}])"));
  }
  Result<std::optional<Json>> bill_of_lading(const std::string& h) override { return get(bls, h); }
  Result<std::optional<Json>> member(const std::string& id) override { return get(members, id); }
  FakeLedger() {
    members["chamber"] = *oa::parse_json(R"({"member_id":"chamber","name":"VCCI","roles":["issuer:certificate_of_origin"],"keys":[],"validator_key":null})");
    members["carrier"] = *oa::parse_json(R"({"member_id":"carrier","name":"Ocean Lines","roles":["carrier"],"keys":[],"validator_key":null})");
  }

 private:
  Result<std::optional<Json>> get(const std::map<std::string, Json>& m, const std::string& h) {
    if (down) return make_error(Errc::unavailable, "cannot reach node");
    auto it = m.find(h);
    if (it == m.end()) return std::optional<Json>();
    return std::optional<Json>(it->second);
  }
};

Json record(const std::string& status, const std::string& root, const std::string& type = "certificate_of_origin") {
  Json r = *oa::parse_json(R"({"issuer_member":"chamber","issuer_key":"00","height":7,"time_ms":1710406800000,"public_fields":{},
    "revoked_height":null,"revoke_reason":null,"superseded_by":null})");
  r["hash"] = root;
  r["merkle_root"] = root;
  r["status"] = status;
  r["document_type"] = type;
  return r;
}

std::vector<Json> batch(const std::string& type, int n) {
  std::vector<Json> raw;
  for (int i = 0; i < n; ++i) {
    Json d = Json::object();
    d["documentType"] = type;
    d["n"] = i;
    raw.push_back(d);
  }
  oa::SaltSource salts;
  return *oa::wrap_documents(raw, salts);
}

verify::Report run(const Json& doc, net::LedgerLookup* l) {
  auto integ = oa::check_integrity(doc);
  REQUIRE(integ.ok());
  return verify::verify_online(doc, *integ, *l);
}

std::string root_of(const Json& d) { return d["signature"]["merkleRoot"].get<std::string>(); }
std::string target_of(const Json& d) { return d["signature"]["targetHash"].get<std::string>(); }

}  // namespace

TEST_CASE("verify: issued is valid; unknown, revoked, superseded are not") {
  auto docs = batch("certificate_of_origin", 3);
  FakeLedger l;
  auto r = run(docs[0], &l);
  CHECK_FALSE(r.valid);
  CHECK(r.status == "unknown");

  l.docs[root_of(docs[0])] = record("issued", root_of(docs[0]));
  r = run(docs[0], &l);
  CHECK(r.valid);
  CHECK(r.status == "issued");
  auto j = verify::report_to_json(r);
  CHECK(j["valid"] == true);
  CHECK(j["issuer"]["name"] == "VCCI");
  CHECK(j["issuer"]["member_id"] == "chamber");
  CHECK(j["history"].size() == 1);
  CHECK(verify::report_to_text(r).find("issuer     VCCI, member chamber") != std::string::npos);
  CHECK(verify::report_to_text(r).rfind("VALID\n", 0) == 0);

  l.docs[root_of(docs[0])] = record("revoked", root_of(docs[0]));
  CHECK(run(docs[0], &l).status == "revoked");
  l.docs[root_of(docs[0])] = record("superseded", root_of(docs[0]));
  r = run(docs[0], &l);
  CHECK_FALSE(r.valid);
  CHECK(verify::report_to_text(r).rfind("NOT VALID: superseded", 0) == 0);
}

TEST_CASE("verify: revoking one document of a batch revokes only that one") {
  auto docs = batch("certificate_of_origin", 3);
  FakeLedger l;
  l.docs[root_of(docs[0])] = record("issued", root_of(docs[0]));
  l.revs[target_of(docs[1]) + "/" + root_of(docs[0])] = record("revoked", root_of(docs[0]));
  CHECK_FALSE(run(docs[1], &l).valid);
  CHECK(run(docs[1], &l).status == "revoked");
  CHECK(run(docs[0], &l).valid);
  CHECK(run(docs[2], &l).valid);
  // The same hash revoked under another issuer's root does not revoke this document.
  l.docs[target_of(docs[2])] = record("revoked", std::string(64, 'e'));
  l.revs[target_of(docs[2]) + "/" + std::string(64, 'e')] = record("revoked", std::string(64, 'e'));
  CHECK(run(docs[2], &l).valid);
  // ...nor does it hide a revocation under this root: the wallet asks about this root only.
  l.revs[target_of(docs[2]) + "/" + root_of(docs[0])] = record("revoked", root_of(docs[0]));
  CHECK(run(docs[2], &l).status == "revoked");
}

TEST_CASE("verify: wrong document type, missing issuer, unreachable node, tampered") {
  auto docs = batch("certificate_of_origin", 1);
  FakeLedger l;
  l.docs[root_of(docs[0])] = record("issued", root_of(docs[0]), "bill_of_lading");
  auto r = run(docs[0], &l);
  CHECK_FALSE(r.valid);
  CHECK(r.reasons.front().find("registered as") != std::string::npos);

  Json no_issuer = record("issued", root_of(docs[0]));
  no_issuer["issuer_member"] = "";
  l.docs[root_of(docs[0])] = no_issuer;
  CHECK_FALSE(run(docs[0], &l).valid);
  Json stranger = record("issued", root_of(docs[0]));
  stranger["issuer_member"] = "nobody";
  l.docs[root_of(docs[0])] = stranger;
  r = run(docs[0], &l);
  CHECK_FALSE(r.valid);
  CHECK(r.reasons.front().find("not a member") != std::string::npos);

  l.docs[root_of(docs[0])] = record("issued", root_of(docs[0]));
  l.down = true;
  r = run(docs[0], &l);
  CHECK(r.unreachable);
  CHECK(r.status == "not_checked");
  CHECK(r.integrity.valid);

  l.down = false;
  Json t = docs[0];
  t["data"]["n"] = "x";
  r = run(t, &l);
  CHECK_FALSE(r.valid);
  CHECK_FALSE(r.integrity.valid);
  CHECK(r.status == "not_checked");
}

TEST_CASE("verify: issuer identity: the issuer the document names must be the member that registered it") {
  oa::SaltSource salts;
  auto doc = (*oa::wrap_documents({*oa::parse_json(R"({"documentType":"certificate_of_origin","issuers":[{"name":"Other Org"}]})")}, salts))[0];
  FakeLedger l;
  l.docs[root_of(doc)] = record("issued", root_of(doc));
  auto r = run(doc, &l);
  CHECK_FALSE(r.valid);
  REQUIRE_FALSE(r.reasons.empty());
  CHECK(r.reasons[0].find("issuer identity") != std::string::npos);
  CHECK(r.reasons[0].find("Other Org") != std::string::npos);
  CHECK(r.reasons[0].find("chamber") != std::string::npos);
  // Case and runs of white space do not matter.
  auto same = (*oa::wrap_documents({*oa::parse_json(R"({"documentType":"certificate_of_origin","issuers":[{"name":"  vcci "}]})")}, salts))[0];
  l.docs[root_of(same)] = record("issued", root_of(same));
  auto ok = run(same, &l);
  CHECK(ok.valid);
  CHECK(ok.warnings.empty());
  // A document that names no issuer cannot be checked for identity: said, not refused.
  auto unnamed = (*oa::wrap_documents({*oa::parse_json(R"({"documentType":"certificate_of_origin"})")}, salts))[0];
  l.docs[root_of(unnamed)] = record("issued", root_of(unnamed));
  auto u = run(unnamed, &l);
  CHECK(u.valid);
  REQUIRE(u.warnings.size() == 1);
  CHECK(u.warnings[0].find("does not name its issuer") != std::string::npos);
}

TEST_CASE("verify: a bill of lading must be active, issued by a carrier") {
  auto docs = batch("bill_of_lading", 2);
  FakeLedger l;
  auto r = run(docs[0], &l);
  CHECK_FALSE(r.valid);
  CHECK(r.reasons.front().find("no bill of lading record") != std::string::npos);
  l.bls[target_of(docs[0])] = *oa::parse_json(
      R"({"status":"active","issuer_member":"carrier","owner":"exporter","holder":"bank","nominee":null,"bl_type":1,"history":[]})");
  r = run(docs[0], &l);
  CHECK(r.valid);
  CHECK(r.status == "active");
  CHECK(verify::report_to_text(r).find("owner exporter, holder bank") != std::string::npos);
  CHECK(verify::report_to_text(r).find("Ocean Lines") != std::string::npos);
  l.bls[target_of(docs[0])]["issuer_member"] = "chamber";
  auto no_role = run(docs[0], &l);
  CHECK(no_role.warnings.size() == 2);  // the chamber holds no carrier role; the document names no issuer
  CHECK(no_role.warnings[0].find("no longer holds the role carrier") != std::string::npos);
  l.bls[target_of(docs[0])]["issuer_member"] = "carrier";
  l.bls[target_of(docs[0])]["status"] = "accomplished";
  r = run(docs[0], &l);
  CHECK_FALSE(r.valid);
  CHECK(r.status == "accomplished");
  // A revoked registration of the same root by the bill's carrier also makes the bill invalid...
  l.bls[target_of(docs[0])]["status"] = "active";
  l.docs[root_of(docs[0])] = record("revoked", root_of(docs[0]), "bill_of_lading");
  l.docs[root_of(docs[0])]["issuer_member"] = "carrier";
  CHECK_FALSE(run(docs[0], &l).valid);
  // ... but one by another member is that member's claim, not the bill's status.
  l.docs[root_of(docs[0])]["issuer_member"] = "chamber";
  auto claim = run(docs[0], &l);
  CHECK(claim.valid);
  CHECK(std::any_of(claim.warnings.begin(), claim.warnings.end(), [](const std::string& w) {
    return w.find("another member's claim, not counted: chamber registered this bill's merkleRoot") != std::string::npos;
  }));
}
