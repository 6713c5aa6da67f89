// check_integrity's envelope rules: the fields the targetHash does not cover (version, signature.type,
// extra fields anywhere outside data) must be exactly what the OpenAttestation package writes.
#include <catch2/catch.hpp>

#include "wallet/oa/integrity.h"
#include "wallet/oa/obfuscate.h"
#include "wallet/oa/salt.h"
#include "wallet/oa/wrap.h"

using namespace docket;
using namespace docket::wallet::oa;

namespace {

// The second document of a batch of three: it has a non-empty proof.
Json wrapped() {
  std::vector<Json> docs = {*parse_json(R"({"a":"y"})"), *parse_json(R"({"a":"x","b":{"c":1}})"),
                            *parse_json(R"({"a":"z"})")};
  SaltSource salts;
  auto w = wrap_documents(docs, salts);
  REQUIRE(w.ok());
  return (*w)[1];
}

// The reason a changed document is refused; fails the test if it is not a refusal.
std::string refusal(const Json& doc) {
  auto r = check_integrity(doc);
  REQUIRE(r.ok());
  CHECK_FALSE(r->valid);
  return r->reason;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("integrity: the package's envelope verifies, with and without privacy") {
  Json doc = wrapped();
  auto r = check_integrity(doc);
  REQUIRE(r.ok());
  CHECK(r->valid);
  CHECK(r->reason.empty());
  auto hidden = obfuscate_fields(doc, {"b"});
  REQUIRE(hidden.ok());
  REQUIRE(hidden->contains("privacy"));
  auto h = check_integrity(*hidden);
  REQUIRE(h.ok());
  CHECK(h->valid);
}

TEST_CASE("integrity: a missing, garbage or mistyped version is refused") {
  Json doc = wrapped();
  Json missing = doc;
  missing.erase("version");
  CHECK(has(refusal(missing), "no \"version\""));

  for (const char* v : {"garbage", "https://schema.openattestation.com/3.0/schema.json",
                        "https://schema.openattestation.com/2.0/schema.json ", ""}) {
    Json t = doc;
    t["version"] = v;
    CHECK(has(refusal(t), "\"version\" is not https://schema.openattestation.com/2.0/schema.json"));
  }
  for (Json v : {Json(2), Json(nullptr), Json::array(), Json::object(), Json(true)}) {
    Json t = doc;
    t["version"] = v;
    CHECK(has(refusal(t), "\"version\" is not"));
  }
}

TEST_CASE("integrity: a signature type other than SHA3MerkleProof is refused") {
  Json doc = wrapped();
  for (Json v : {Json("Foo"), Json("sha3merkleproof"), Json(""), Json(1), Json(nullptr)}) {
    Json t = doc;
    t["signature"]["type"] = v;
    CHECK(has(refusal(t), "signature.type is not SHA3MerkleProof"));
  }
  Json missing = doc;
  missing["signature"].erase("type");
  CHECK(has(refusal(missing), "signature.type is not SHA3MerkleProof"));
}

TEST_CASE("integrity: fields the hash does not cover are refused wherever they are added") {
  Json doc = wrapped();
  Json top = doc;
  top["issuedBy"] = "someone else";
  CHECK(has(refusal(top), "unknown field \"issuedBy\" (not covered by the targetHash)"));
  // The package writes these only for features docket does not check (an external schema id, DID
  // signatures); unchecked, they would be claims no hash covers.
  for (const char* k : {"schema", "proof"}) {
    Json t = doc;
    t[k] = "x";
    CHECK(has(refusal(t), std::string("unknown field \"") + k + "\""));
  }
  Json sig = doc;
  sig["signature"]["note"] = "x";
  CHECK(has(refusal(sig), "unknown field \"note\" in \"signature\""));
  Json priv = doc;
  priv["privacy"] = Json::object();
  priv["privacy"]["obfuscatedData"] = Json::array();
  CHECK(check_integrity(priv)->valid);  // an empty list of hidden fields is what the package reads as none
  priv["privacy"]["other"] = Json::array();
  CHECK(has(refusal(priv), "unknown field \"other\" in \"privacy\""));
  Json not_object = doc;
  not_object["privacy"] = "x";
  CHECK(has(refusal(not_object), "\"privacy\" is not an object"));
  // A hostile key is cut short in the reason.
  Json longkey = doc;
  longkey[std::string(1000, 'k')] = 1;
  CHECK(refusal(longkey).size() < 200);
}

TEST_CASE("integrity: a refused envelope still reports the stated hashes") {
  Json doc = wrapped();
  Json t = doc;
  t["version"] = "garbage";
  auto r = check_integrity(t);
  REQUIRE(r.ok());
  CHECK_FALSE(r->valid);
  CHECK(to_hex(r->target_hash) == doc["signature"]["targetHash"].get<std::string>());
  CHECK(to_hex(r->merkle_root) == doc["signature"]["merkleRoot"].get<std::string>());
}

TEST_CASE("integrity: privacy.obfuscatedData must be a list of 64-hex hashes") {
  Json doc = wrapped();
  Json t = doc;
  t["privacy"] = Json::object();
  t["privacy"]["obfuscatedData"] = Json::array({"abc"});
  CHECK_FALSE(check_integrity(t).ok());
  t["privacy"]["obfuscatedData"] = "x";
  CHECK_FALSE(check_integrity(t).ok());
}
