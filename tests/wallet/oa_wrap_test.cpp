#include <catch2/catch.hpp>

#include <set>

#include "wallet/oa/digest.h"
#include "wallet/oa/integrity.h"
#include "wallet/oa/js_format.h"
#include "wallet/oa/merkle.h"
#include "wallet/oa/obfuscate.h"
#include "wallet/oa/salt.h"
#include "wallet/oa/wrap.h"

using namespace docket;
using namespace docket::wallet::oa;

namespace {

// The vector was made by the npm package (see its "note"); its salted data covers unicode, a lone
// surrogate, control characters, numbers in every notation, nested and empty containers.
Json load_vector() {
  auto v = parse_json_file(std::string(DOCKET_WALLET_TEST_DIR) + "/vectors/oa_v2_vector.json");
  REQUIRE(v.ok());
  return *v;
}

Json wrap_one(const char* text) {
  auto doc = parse_json(text);
  REQUIRE(doc.ok());
  SaltSource salts;
  auto w = wrap_documents({*doc}, salts);
  REQUIRE(w.ok());
  return (*w)[0];
}

}  // namespace

TEST_CASE("targetHash matches the npm package on its own salted data") {
  Json v = load_vector();
  auto th = target_hash(v["data"], {});
  REQUIRE(th.ok());
  CHECK(to_hex(*th) == v["targetHash"].get<std::string>());
}

TEST_CASE("obfuscation hashes match the npm package") {
  Json v = load_vector();
  Json wrapped = Json::object();
  wrapped["version"] = kSchemaV2;
  wrapped["data"] = v["data"];
  Json sig = Json::object();
  sig["type"] = kProofType;
  sig["targetHash"] = v["targetHash"];
  sig["proof"] = Json::array();
  sig["merkleRoot"] = v["targetHash"];
  wrapped["signature"] = sig;
  std::vector<std::string> fields;
  for (const auto& f : v["obfuscateFields"]) fields.push_back(f.get<std::string>());
  auto ob = obfuscate_fields(wrapped, fields);
  REQUIRE(ob.ok());
  CHECK(js_stringify((*ob)["privacy"]["obfuscatedData"]) == js_stringify(v["obfuscatedData"]));
  CHECK_FALSE((*ob)["data"].contains("n"));
  CHECK_FALSE((*ob)["data"]["issuers"][0].contains("name"));
  auto integrity = check_integrity(*ob);
  REQUIRE(integrity.ok());
  CHECK(integrity->valid);
}

TEST_CASE("Merkle tree roots and proofs match the npm package, odd node carried up") {
  Json v = load_vector();
  std::vector<Hash32> leaves;
  // Given out of order on purpose: the tree sorts its leaves.
  for (auto it = v["merkle"]["leaves"].rbegin(); it != v["merkle"]["leaves"].rend(); ++it)
    leaves.push_back(*hash_from_hex(it->get<std::string>()));
  MerkleTree tree(leaves);
  CHECK(to_hex(tree.root()) == v["merkle"]["root"].get<std::string>());
  for (size_t i = 0; i < 5; ++i) {
    auto leaf = *hash_from_hex(v["merkle"]["leaves"][i].get<std::string>());
    auto proof = tree.proof(leaf);
    REQUIRE(proof.ok());
    Json p = Json::array();
    for (const auto& h : *proof) p.push_back(to_hex(h));
    CHECK(js_stringify(p) == js_stringify(v["merkle"]["proofs"][i]));
    CHECK(check_proof(*proof, tree.root(), leaf));
  }
  CHECK_FALSE(tree.proof(Hash32{}).ok());
}

TEST_CASE("salts are version 4 UUIDs, unique, in the typed format") {
  SaltSource salts;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = salts.uuid_v4();
    REQUIRE(has_uuid_v4_prefix(u + ":"));
    seen.insert(u);
  }
  CHECK(seen.size() == 1000);
  auto doc = parse_json(R"({"s":"a:b","n":-1.5e-7,"b":false,"z":null,"e":[],"o":{}})");
  REQUIRE(doc.ok());
  Json salted = salt_data(*doc, salts);
  CHECK(salted["s"].get<std::string>().substr(36) == ":string:a:b");
  CHECK(salted["n"].get<std::string>().substr(36) == ":number:-1.5e-7");
  CHECK(salted["b"].get<std::string>().substr(36) == ":boolean:false");
  CHECK(salted["z"].get<std::string>().substr(36) == ":null:null");
  CHECK(salted["e"] == Json::array());
  CHECK(salted["o"] == Json::object());
  CHECK(js_stringify(unsalt_data(salted)) == R"({"s":"a:b","n":-1.5e-7,"b":false,"z":null,"e":[],"o":{}})");
}

TEST_CASE("wrapped documents verify; a batch shares one root") {
  std::vector<Json> docs;
  for (int i = 0; i < 7; ++i) docs.push_back(*parse_json("{\"n\":" + std::to_string(i) + ",\"a\":[1,{\"b\":\"x\"}]}"));
  SaltSource salts;
  auto w = wrap_documents(docs, salts);
  REQUIRE(w.ok());
  REQUIRE(w->size() == 7);
  std::set<std::string> roots;
  for (const auto& d : *w) {
    auto r = check_integrity(d);
    REQUIRE(r.ok());
    CHECK(r->valid);
    CHECK(d["version"] == kSchemaV2);
    CHECK(d["signature"]["type"] == kProofType);
    roots.insert(d["signature"]["merkleRoot"].get<std::string>());
  }
  CHECK(roots.size() == 1);
}

TEST_CASE("wrap refuses dotted keys, colliding paths and non-object documents") {
  SaltSource salts;
  auto dotted = wrap_documents({*parse_json(R"({"a":{"b.c":1}})")}, salts);
  REQUIRE_FALSE(dotted.ok());
  CHECK(dotted.error().message.find("\"b.c\"") != std::string::npos);
  CHECK_FALSE(wrap_documents({*parse_json("[1]")}, salts).ok());
  auto colliding = wrap_documents({*parse_json(R"({"":{"x":1},"x":2})")}, salts);
  REQUIRE_FALSE(colliding.ok());
  CHECK(colliding.error().message.find("two fields flatten to the path \"x\"") != std::string::npos);
  // Empty keys whose paths stay distinct are hashed as the package does (interop.sh checks both ways).
  CHECK(wrap_documents({*parse_json(R"({"":"top","a":{"":"v"},"b":[{"":1}],"c":{"":{"":2}}})")}, salts).ok());
  CHECK_FALSE(wrap_documents({*parse_json(R"({"__proto__":"x"})")}, salts).ok());
  CHECK(wrap_documents({*parse_json(R"({"a":{"proto":"x","__proto":"y"}})")}, salts).ok());
}

TEST_CASE("every single-leaf, salt or proof change is detected") {
  std::vector<Json> docs = {*parse_json(R"({"a":"x","b":[1,2],"c":{"d":true}})"), *parse_json(R"({"a":"y"})"),
                            *parse_json(R"({"a":"z"})")};
  SaltSource salts;
  auto w = wrap_documents(docs, salts);
  REQUIRE(w.ok());
  const Json& doc = (*w)[0];
  auto leaves = flatten(doc["data"]);
  REQUIRE(leaves.ok());
  for (const auto& leaf : *leaves) {
    for (int part = 0; part < 2; ++part) {  // 0: change the salt, 1: change the value
      Json t = doc;
      Json::json_pointer ptr("/data/" + [&] {
        std::string p = leaf.path;
        for (auto& ch : p)
          if (ch == '.') ch = '/';
        return p;
      }());
      std::string s = t[ptr].get<std::string>();
      s[part == 0 ? 0 : s.size() - 1] ^= 1;
      t[ptr] = s;
      auto r = check_integrity(t);
      REQUIRE(r.ok());
      CHECK_FALSE(r->valid);
    }
  }
  REQUIRE(doc["signature"]["proof"].size() >= 1);
  for (size_t i = 0; i < doc["signature"]["proof"].size(); ++i) {
    Json t = doc;
    std::string p = t["signature"]["proof"][i].get<std::string>();
    p[5] = p[5] == '0' ? '1' : '0';
    t["signature"]["proof"][i] = p;
    auto r = check_integrity(t);
    REQUIRE(r.ok());
    CHECK_FALSE(r->valid);
  }
  Json t = doc;
  t["signature"]["merkleRoot"] = std::string(64, '0');
  CHECK_FALSE(check_integrity(t)->valid);
  Json added = doc;
  added["data"]["extra"] = "x";
  CHECK_FALSE(check_integrity(added)->valid);
}

TEST_CASE("obfuscate refuses holes and empty objects, and unknown fields") {
  Json doc = wrap_one(R"({"a":[1,2],"b":{"c":1},"d":{"e":1,"f":2},"g":"x"})");
  CHECK_FALSE(obfuscate_fields(doc, {"a.0"}).ok());
  CHECK_FALSE(obfuscate_fields(doc, {"b.c"}).ok());
  CHECK_FALSE(obfuscate_fields(doc, {"nope"}).ok());
  CHECK_FALSE(obfuscate_fields(doc, {"d.x"}).ok());
  auto ok = obfuscate_fields(doc, {"a", "b", "d.e"});
  REQUIRE(ok.ok());
  CHECK((*ok)["privacy"]["obfuscatedData"].size() == 4);
  CHECK(check_integrity(*ok)->valid);
  // Obfuscating again appends.
  auto again = obfuscate_fields(*ok, {"g"});
  REQUIRE(again.ok());
  CHECK((*again)["privacy"]["obfuscatedData"].size() == 5);
  CHECK(check_integrity(*again)->valid);
}

TEST_CASE("check_integrity reports malformed documents as errors") {
  CHECK_FALSE(check_integrity(*parse_json("[]")).ok());
  CHECK_FALSE(check_integrity(*parse_json(R"({"data":{}})")).ok());
  Json doc = wrap_one(R"({"a":"b"})");
  doc["signature"]["targetHash"] = "zz";
  CHECK_FALSE(check_integrity(doc).ok());
}
