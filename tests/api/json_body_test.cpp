// parse_json_object: the strict request-body parser every JSON endpoint goes through. A body with a
// key twice in one object, at any depth, is refused (nlohmann would keep the last one silently).
#include "ledger/api/json_body.h"

#include <catch2/catch.hpp>

using namespace docket;
using namespace docket::api;

namespace {

std::variant<nlohmann::json, Response> parse(const std::string& body) {
  return parse_json_object(Request{Method::post, "/v1/x", "application/json", body}, {"tx", "wait", "opts"});
}

std::string refusal(const std::string& body) {
  auto r = parse(body);
  REQUIRE(std::holds_alternative<Response>(r));
  const Response& resp = std::get<Response>(r);
  CHECK(resp.status == 400);
  return nlohmann::json::parse(resp.body).at("error").at("message").get<std::string>();
}

}  // namespace

TEST_CASE("json body: a well-formed object with known fields is accepted") {
  auto r = parse(R"({"tx":"ab","wait":true,"opts":{"a":1,"b":[{"a":2},{"a":3}]}})");
  REQUIRE(std::holds_alternative<nlohmann::json>(r));
  CHECK(std::get<nlohmann::json>(r).at("tx") == "ab");
}

TEST_CASE("json body: a duplicate key at the top level is refused") {
  const std::string msg = refusal(R"({"tx":"aa","wait":true,"tx":"bb"})");
  CHECK(msg.find("duplicate field 'tx'") != std::string::npos);
}

TEST_CASE("json body: a duplicate key in a nested object or in an object inside an array is refused") {
  CHECK(refusal(R"({"opts":{"a":1,"a":2}})").find("duplicate field 'a'") != std::string::npos);
  CHECK(refusal(R"({"opts":{"b":[{"c":1},{"c":2,"d":{"e":0,"e":0}}]}})").find("duplicate field 'e'") != std::string::npos);
  // Same value twice is still twice.
  CHECK(refusal(R"({"wait":true,"wait":true})").find("duplicate field 'wait'") != std::string::npos);
}

TEST_CASE("json body: the same key in sibling objects is not a duplicate") {
  auto r = parse(R"({"opts":{"b":[{"c":1},{"c":2}],"c":3}})");
  CHECK(std::holds_alternative<nlohmann::json>(r));
}

TEST_CASE("json body: keys that differ only after escaping are compared decoded") {
  // "t\u0078" is "tx": two spellings of one key.
  CHECK(refusal(R"({"tx":"a","t\u0078":"b"})").find("duplicate field 'tx'") != std::string::npos);
}

TEST_CASE("json body: unknown fields, malformed JSON and non-objects are still refused") {
  CHECK(refusal(R"({"nope":1})").find("unknown field 'nope'") != std::string::npos);
  CHECK(refusal(R"({"tx":)").find("malformed JSON") != std::string::npos);
  CHECK(refusal(R"([1,2])").find("must be a JSON object") != std::string::npos);
}
