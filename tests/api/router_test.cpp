#include "ledger/api/router.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace docket;
using namespace docket::api;

namespace {
Response call(const Router& r, Method m, const std::string& target) {
  std::optional<Response> out;
  r.dispatch(Request{m, target, "", ""}, [&](Response resp) { out = std::move(resp); });
  REQUIRE(out.has_value());
  return *out;
}
std::string error_code(const Response& r) { return nlohmann::json::parse(r.body)["error"]["code"]; }

Router echo_router(metrics::Registry* reg = nullptr) {
  Router r(reg);
  auto echo = [](const Call& c, Reply reply) {
    nlohmann::json j = {{"params", c.params}, {"query", c.query}};
    reply(Response{200, "application/json", j.dump(), {}});
  };
  r.add(Method::get, "/v1/documents/{hash}", echo);
  r.add(Method::get, "/v1/documents/{hash}/history", echo);
  r.add(Method::post, "/v1/transactions", echo);
  r.add(Method::get, "/v1/transactions/{id}", echo);
  return r;
}
}  // namespace

TEST_CASE("routes match literally and bind parameters", "[api][router]") {
  const Router r = echo_router();
  auto resp = call(r, Method::get, "/v1/documents/ab%41cd/history?x=1&y=a+b%21");
  REQUIRE(resp.status == 200);
  auto j = nlohmann::json::parse(resp.body);
  REQUIRE(j["params"]["hash"] == "abAcd");
  REQUIRE(j["query"]["x"] == "1");
  REQUIRE(j["query"]["y"] == "a b!");
  REQUIRE(nlohmann::json::parse(call(r, Method::get, "/v1/documents/zz").body)["params"]["hash"] == "zz");
}

TEST_CASE("unknown routes are 404 and wrong methods 405 with Allow", "[api][router]") {
  const Router r = echo_router();
  for (const char* t : {"/v1/nothing", "/v1/documents", "/v1/documents/", "/v1/documents/a/b/c", "/", "/v1/transactions/"}) {
    INFO(t);
    auto resp = call(r, Method::get, t);
    REQUIRE(resp.status == 404);
    REQUIRE(error_code(resp) == "not_found");
  }
  auto resp = call(r, Method::get, "/v1/transactions");
  REQUIRE(resp.status == 405);
  REQUIRE(error_code(resp) == "method_not_allowed");
  REQUIRE(resp.headers.at(0) == std::make_pair(std::string("Allow"), std::string("POST")));
  REQUIRE(call(r, Method::del, "/v1/documents/aa").status == 405);
}

TEST_CASE("undecodable targets are 400", "[api][router]") {
  const Router r = echo_router();
  for (const char* t : {"/v1/documents/%zz", "/v1/documents/%4", "/v1/documents/a%00b", "/v1/transactions/x?a=1&a=2",
                        "/v1/transactions/x?a=%g1", "v1/transactions/x", "*"}) {
    INFO(t);
    auto resp = call(r, Method::get, t);
    REQUIRE(resp.status == 400);
    REQUIRE(error_code(resp) == "invalid_argument");
  }
}

TEST_CASE("a handler that replies twice sends one response, and metrics count it once", "[api][router]") {
  metrics::Registry reg;
  Router r(&reg);
  r.add(Method::get, "/twice", [](const Call&, Reply reply) {
    reply(Response{200, "text/plain", "first", {}});
    reply(Response{500, "text/plain", "second", {}});
  });
  int replies = 0;
  r.dispatch(Request{Method::get, "/twice", "", ""}, [&](Response resp) {
    ++replies;
    REQUIRE(resp.body == "first");
  });
  REQUIRE(replies == 1);
  const std::string text = reg.render();
  REQUIRE_THAT(text, Catch::Contains("docket_api_requests_total{route=\"/twice\",method=\"GET\",status=\"200\"} 1"));
  REQUIRE_THAT(text, Catch::Contains("docket_api_request_duration_seconds_count{route=\"/twice\"} 1"));
}

TEST_CASE("percent_decode", "[api][router]") {
  REQUIRE(percent_decode("a%2Fb+c", false).value() == "a/b+c");
  REQUIRE(percent_decode("a%2fb+c", true).value() == "a/b c");
  REQUIRE_FALSE(percent_decode("%", false).ok());
  REQUIRE_FALSE(percent_decode("%1", false).ok());
  REQUIRE_FALSE(percent_decode("%x1", false).ok());
}
