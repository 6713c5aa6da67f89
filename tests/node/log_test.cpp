#include "ledger/node/log.h"

#include <catch2/catch.hpp>

using namespace docket::node;

TEST_CASE("log levels parse by name", "[node][log]") {
  REQUIRE(parse_log_level("debug").value() == spdlog::level::debug);
  REQUIRE(parse_log_level("warning").value() == spdlog::level::warn);
  REQUIRE(parse_log_level("off").value() == spdlog::level::off);
  REQUIRE_FALSE(parse_log_level("DEBUG").ok());
  REQUIRE_FALSE(parse_log_level("").ok());
}

TEST_CASE("untrusted text is made a single printable line", "[node][log]") {
  REQUIRE(printable("ok text") == "ok text");
  REQUIRE(printable("a\nb\x01") == "a?b?");
  REQUIRE(printable(std::string(10, 'x'), 4) == "xxxx...");
}
