#include <catch2/catch.hpp>

#include <random>

#include "wallet/oa/integrity.h"
#include "wallet/oa/js_format.h"
#include "wallet/oa/json.h"

using namespace docket::wallet::oa;

TEST_CASE("parse_json reads numbers as JavaScript doubles") {
  auto j = parse_json(R"([9007199254740993, 12345678901234567890123, -0, 1e400, -1e400, 1e-400, 0.1])");
  REQUIRE(j.ok());
  for (const auto& v : *j) CHECK(v.is_number_float());
  CHECK((*j)[0].get<double>() == 9007199254740992.0);  // 2^53 + 1 rounds to 2^53, as in JS
  CHECK(js_number_to_string((*j)[1].get<double>()) == "1.2345678901234568e+22");
  CHECK(std::signbit((*j)[2].get<double>()));  // JSON.parse("-0") is -0 too; String(-0) is "0"
  CHECK(std::isinf((*j)[3].get<double>()));
  CHECK(std::isinf((*j)[4].get<double>()));
  CHECK((*j)[5].get<double>() == 0.0);
}

TEST_CASE("parse_json keeps key order and rejects duplicate keys") {
  auto j = parse_json(R"({"z": 1, "a": 2, "m": {"y": 1, "b": 2}})");
  REQUIRE(j.ok());
  CHECK(js_stringify(*j) == R"({"z":1,"a":2,"m":{"y":1,"b":2}})");
  auto dup = parse_json(R"({"a": 1, "b": {"c": 1, "c": 2}})");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().message.find("duplicate key \"c\"") != std::string::npos);
  CHECK(dup.error().message.find("line 1") != std::string::npos);
}

TEST_CASE("parse_json detects duplicates in large objects too") {
  std::string s = "{";
  for (int i = 0; i < 100; ++i) s += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  s += "\"k57\":0}";
  auto r = parse_json(s);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("duplicate key \"k57\"") != std::string::npos);
}

TEST_CASE("parse_json keeps lone surrogates and joins pairs") {
  auto j = parse_json(R"(["\ud800", "\udc00x", "\ud83d\ude00", "\ud83dA", "\u00e9"])");
  REQUIRE(j.ok());
  CHECK(js_stringify(*j) == "[\"\\ud800\",\"\\udc00x\",\"\xF0\x9F\x98\x80\",\"\\ud83dA\",\"\xC3\xA9\"]");
}

TEST_CASE("parse_json rejects what JSON.parse rejects, and invalid UTF-8") {
  for (const char* bad : {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "tru", "\"a\nb\"", "\"\\x\"",
                          "[1] 2", "{'a':1}", "NaN", "\"\xC3\"", "\"\xED\xA0\x80\"", "\"\xC0\xAF\"", "\"\\u12\""}) {
    INFO(bad);
    CHECK_FALSE(parse_json(bad).ok());
  }
}

TEST_CASE("parse_json bounds nesting depth") {
  std::string deep(kMaxDepth, '[');
  deep += std::string(kMaxDepth, ']');
  CHECK(parse_json(deep).ok());
  std::string deeper(kMaxDepth + 1, '[');
  deeper += std::string(kMaxDepth + 1, ']');
  auto r = parse_json(deeper);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("nesting") != std::string::npos);
}

TEST_CASE("parse_json accepts a byte-order mark and surrounding whitespace") {
  auto j = parse_json("\xEF\xBB\xBF \n{\"a\": [true, false, null]}\r\n");
  REQUIRE(j.ok());
  CHECK(js_stringify(*j) == R"({"a":[true,false,null]})");
}

TEST_CASE("mutated and truncated inputs never crash the parser or the integrity check") {
  // Deterministic: a fixed seed, so a failure replays.
  auto base = parse_json_file(std::string(DOCKET_WALLET_TEST_DIR) + "/vectors/oa_v2_vector.json");
  REQUIRE(base.ok());
  std::string text = js_stringify((*base)["data"]);
  std::mt19937 rng(12345);
  const std::string alphabet = "{}[]\",:.\\u0123456789eE+-tfn \xC3\xA9\xED\xA0\x80";
  int parsed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string t = text;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % t.size();
      switch (rng() % 3) {
        case 0: t[pos] = alphabet[rng() % alphabet.size()]; break;
        case 1: t.erase(pos, 1 + rng() % 8); break;
        default: t.resize(pos); break;
      }
      if (t.empty()) t = "{";
    }
    auto r = parse_json(t);
    if (!r.ok()) continue;
    ++parsed;
    Json doc = Json::object();
    doc["data"] = *r;
    doc["signature"] = *parse_json(R"({"targetHash":")" + std::string(64, 'a') + R"(","merkleRoot":")" +
                                   std::string(64, 'a') + R"(","proof":[]})");
    if (r->is_object()) (void)check_integrity(doc);
    (void)js_stringify(*r);
  }
  CHECK(parsed > 0);  // some mutations stay valid JSON and go through the whole path
}
