#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "wallet/oa/js_format.h"

using namespace docket::wallet::oa;

TEST_CASE("js_number_to_string matches String(n)") {
  // Expected strings were produced by node (String(n)) for the same doubles.
  CHECK(js_number_to_string(0.0) == "0");
  CHECK(js_number_to_string(-0.0) == "0");
  CHECK(js_number_to_string(1) == "1");
  CHECK(js_number_to_string(-42) == "-42");
  CHECK(js_number_to_string(0.1) == "0.1");
  CHECK(js_number_to_string(0.1 + 0.2) == "0.30000000000000004");
  CHECK(js_number_to_string(1.5) == "1.5");
  CHECK(js_number_to_string(123.456) == "123.456");
  CHECK(js_number_to_string(1e21) == "1e+21");
  CHECK(js_number_to_string(1e20) == "100000000000000000000");
  CHECK(js_number_to_string(123456789012345680000.0) == "123456789012345680000");
  CHECK(js_number_to_string(1.5e21) == "1.5e+21");
  CHECK(js_number_to_string(1e-6) == "0.000001");
  CHECK(js_number_to_string(1e-7) == "1e-7");
  CHECK(js_number_to_string(1.5e-7) == "1.5e-7");
  CHECK(js_number_to_string(0.000123) == "0.000123");
  CHECK(js_number_to_string(9007199254740993.0) == "9007199254740992");
  CHECK(js_number_to_string(12345678901234567890.0) == "12345678901234567000");
  CHECK(js_number_to_string(5e-324) == "5e-324");
  CHECK(js_number_to_string(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(js_number_to_string(-1.5e-10) == "-1.5e-10");
  CHECK(js_number_to_string(std::numeric_limits<double>::infinity()) == "Infinity");
  CHECK(js_number_to_string(-std::numeric_limits<double>::infinity()) == "-Infinity");
}

TEST_CASE("js_quote escapes as ES2019 JSON.stringify") {
  std::string out;
  js_quote(out, std::string("a\"b\\c\b\f\n\r\t\x01\x1f\x7f/\xE2\x80\xA8\xC3\xA9"));
  CHECK(out == "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\x7f/\xE2\x80\xA8\xC3\xA9\"");
  std::string nul;
  js_quote(nul, std::string("\0", 1));
  CHECK(nul == "\"\\u0000\"");
}

TEST_CASE("js_stringify writes containers like JSON.stringify") {
  auto j = parse_json(R"({"a":[],"b":{},"c":[1,{"d":null}],"e":-0.0,"f":1e400})");
  REQUIRE(j.ok());
  CHECK(js_stringify(*j) == R"({"a":[],"b":{},"c":[1,{"d":null}],"e":0,"f":null})");
  CHECK(js_stringify_pretty(*j) ==
        "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"d\": null\n    }\n  ],\n  \"e\": 0,\n"
        "  \"f\": null\n}");
}
