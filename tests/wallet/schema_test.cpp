#include <catch2/catch.hpp>

#include "wallet/oa/json.h"
#include "wallet/schema/builtin_schemas.h"
#include "wallet/schema/validator.h"

using namespace docket::wallet;
using oa::Json;

namespace {
Json schema_of(const char* name) {
  auto s = oa::parse_json(schema::builtin_schema(name));
  REQUIRE(s.ok());
  return *s;
}
Json example(const char* file) {
  auto d = oa::parse_json_file(std::string(DOCKET_WALLET_TEST_DIR) + "/../../docs/examples/" + file);
  REQUIRE(d.ok());
  return *d;
}
std::vector<std::string> problems(const Json& schema, const Json& doc) {
  std::vector<std::string> out;
  for (const auto& p : schema::validate(schema, doc)) out.push_back(p.to_string());
  return out;
}
}  // namespace

TEST_CASE("the sample documents match their schemas") {
  CHECK(problems(schema_of("coo"), example("certificate-of-origin.json")).empty());
  CHECK(problems(schema_of("bl"), example("bill-of-lading.json")).empty());
  CHECK(schema::builtin_schema("nope").empty());
}

TEST_CASE("every missing required field is named with its path") {
  Json doc = example("certificate-of-origin.json");
  doc.erase("exporter");
  doc["goodsItems"][1].erase("hsCode");
  doc["transport"].erase("portOfLoading");
  auto p = problems(schema_of("coo"), doc);
  REQUIRE(p.size() == 3);
  CHECK(p[0] == "exporter is missing");
  CHECK(p[1] == "transport.portOfLoading is missing");
  CHECK(p[2] == "goodsItems.1.hsCode is missing");
}

TEST_CASE("types, enums, minItems and minLength are checked") {
  Json bl = example("bill-of-lading.json");
  bl["transportDocumentTypeCode"] = "XYZ";
  bl["isToOrder"] = "yes";
  bl["consignmentItems"][0]["HSCodes"] = Json::array();
  bl["transportDocumentReference"] = "";
  bl["utilizedTransportEquipments"][0]["seals"][0]["number"] = 12.0;
  auto p = problems(schema_of("bl"), bl);
  std::string all;
  for (const auto& s : p) all += s + "\n";
  INFO(all);
  CHECK(all.find("transportDocumentTypeCode must be one of \"BOL\", \"SWB\"") != std::string::npos);
  CHECK(all.find("isToOrder must be a boolean") != std::string::npos);
  CHECK(all.find("consignmentItems.0.HSCodes must have at least 1 item(s)") != std::string::npos);
  CHECK(all.find("transportDocumentReference must not be empty") != std::string::npos);
  CHECK(all.find("utilizedTransportEquipments.0.seals.0.number must be a string") != std::string::npos);
}

TEST_CASE("integer means a whole number; a document must be an object") {
  Json s = *oa::parse_json(R"({"type":"object","properties":{"n":{"type":"integer"},"t":{"type":["string","null"]}}})");
  CHECK(problems(s, *oa::parse_json(R"({"n": 3, "t": null})")).empty());
  CHECK(problems(s, *oa::parse_json(R"({"n": 3.5})")) == std::vector<std::string>{"n must be an integer"});
  CHECK(problems(s, *oa::parse_json(R"({"t": 1})")) == std::vector<std::string>{"t must be a string or null"});
  CHECK(problems(s, *oa::parse_json("[]")) == std::vector<std::string>{"document must be an object"});
}
