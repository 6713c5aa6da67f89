#include <catch2/catch.hpp>

#include <map>

#include "wallet/oa/merkle.h"
#include "wallet/oa/salt.h"
#include "wallet/oa/wrap.h"
#include "wallet/verify/verifier.h"

using namespace docket;
using namespace docket::wallet;
using oa::Json;

namespace {

// An in-memory ledger answering what the node's /v1/documents and /v1/bl would.
class FakeLedger : public net::LedgerLookup {
 public:
  std::map<std::string, Json> docs, bls;
  bool down = false;
  Result<std::optional<Json>> document(const std::string& h) override { return get(docs, h); }
  Result<std::optional<Json>> bill_of_lading(const std::string& h) override { return get(bls, h); }

 private:
  Result<std::optional<Json>> get(const std::map<std::string, Json>& m, const std::string& h) {
    if (down) return make_error(Errc::unavailable, "cannot reach node");
    auto it = m.find(h);
    if (it == m.end()) return std::optional<Json>();
    return std::optional<Json>(it->second);
  }
};

Json record(const std::string& status, const std::string& type = "certificate_of_origin") {
  Json r = *oa::parse_json(R"({"issuer":{"member_id":"m1","name":"VCCI","country":"VN"},"height":7,"history":[{"action":"issued","height":7}]})");
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
  return verify::verify_document(doc, *integ, l);
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

  l.docs[root_of(docs[0])] = record("issued");
  r = run(docs[0], &l);
  CHECK(r.valid);
  CHECK(r.status == "issued");
  auto j = verify::report_to_json(r);
  CHECK(j["valid"] == true);
  CHECK(j["issuer"]["country"] == "VN");
  CHECK(j["history"].size() == 1);
  CHECK(verify::report_to_text(r).rfind("VALID\n", 0) == 0);

  l.docs[root_of(docs[0])] = record("revoked");
  CHECK(run(docs[0], &l).status == "revoked");
  l.docs[root_of(docs[0])] = record("superseded");
  r = run(docs[0], &l);
  CHECK_FALSE(r.valid);
  CHECK(verify::report_to_text(r).rfind("NOT VALID: superseded", 0) == 0);
}

TEST_CASE("verify: revoking one document of a batch revokes only that one") {
  auto docs = batch("certificate_of_origin", 3);
  FakeLedger l;
  l.docs[root_of(docs[0])] = record("issued");
  l.docs[target_of(docs[1])] = record("revoked");
  CHECK_FALSE(run(docs[1], &l).valid);
  CHECK(run(docs[1], &l).status == "revoked");
  CHECK(run(docs[0], &l).valid);
  CHECK(run(docs[2], &l).valid);
}

TEST_CASE("verify: wrong document type, missing issuer, unreachable node, tampered") {
  auto docs = batch("certificate_of_origin", 1);
  FakeLedger l;
  l.docs[root_of(docs[0])] = record("issued", "bill_of_lading");
  auto r = run(docs[0], &l);
  CHECK_FALSE(r.valid);
  CHECK(r.reasons.front().find("registered as") != std::string::npos);

  Json no_issuer = record("issued");
  no_issuer.erase("issuer");
  l.docs[root_of(docs[0])] = no_issuer;
  CHECK_FALSE(run(docs[0], &l).valid);

  l.docs[root_of(docs[0])] = record("issued");
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

TEST_CASE("verify: an issuer name that differs from the ledger's is a warning") {
  oa::SaltSource salts;
  auto doc = (*oa::wrap_documents({*oa::parse_json(R"({"documentType":"certificate_of_origin","issuers":[{"name":"Other Org"}]})")}, salts))[0];
  FakeLedger l;
  l.docs[root_of(doc)] = record("issued");
  auto r = run(doc, &l);
  CHECK(r.valid);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("Other Org") != std::string::npos);
  CHECK(verify::report_to_text(r).find("warning") != std::string::npos);
  auto same = (*oa::wrap_documents({*oa::parse_json(R"({"documentType":"certificate_of_origin","issuers":[{"name":"vcci"}]})")}, salts))[0];
  l.docs[root_of(same)] = record("issued");
  CHECK(run(same, &l).warnings.empty());
}

TEST_CASE("verify: a bill of lading must be active") {
  auto docs = batch("bill_of_lading", 2);
  FakeLedger l;
  l.docs[root_of(docs[0])] = record("issued", "bill_of_lading");
  CHECK_FALSE(run(docs[0], &l).valid);  // no record of the bill
  l.bls[target_of(docs[0])] = *oa::parse_json(R"({"status":"active","owner":"aa","holder":"bb"})");
  auto r = run(docs[0], &l);
  CHECK(r.valid);
  CHECK(verify::report_to_text(r).find("owner aa, holder bb") != std::string::npos);
  l.bls[target_of(docs[0])]["status"] = "accomplished";
  CHECK_FALSE(run(docs[0], &l).valid);
}
