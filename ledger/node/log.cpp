#include "ledger/node/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace docket::node {

Result<spdlog::level::level_enum> parse_log_level(std::string_view name) {
  using spdlog::level::level_enum;
  static constexpr std::pair<std::string_view, level_enum> kLevels[] = {
      {"trace", level_enum::trace}, {"debug", level_enum::debug},     {"info", level_enum::info},
      {"warn", level_enum::warn},   {"warning", level_enum::warn},    {"error", level_enum::err},
      {"critical", level_enum::critical}, {"off", level_enum::off},
  };
  for (const auto& [n, level] : kLevels)
    if (n == name) return level;
  return make_error(Errc::invalid_argument, "unknown log level '" + printable(name, 32) +
                                                "' (expected trace, debug, info, warn, error, critical or off)");
}

void init_logging(spdlog::level::level_enum level, const std::string& node_name) {
  auto logger = spdlog::stderr_logger_mt(node_name.empty() ? "docketd" : node_name);
  // 2026-01-31T12:00:00.123+00:00 info [node0] p2p: peer ab12... up
  logger->set_pattern(node_name.empty() ? "%Y-%m-%dT%H:%M:%S.%e%z %l %v" : "%Y-%m-%dT%H:%M:%S.%e%z %l [%n] %v");
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

std::string printable(std::string_view untrusted, size_t max_chars) {
  std::string out;
  out.reserve(std::min(untrusted.size(), max_chars));
  for (char c : untrusted.substr(0, max_chars)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (untrusted.size() > max_chars) out += "...";
  return out;
}

}  // namespace docket::node
