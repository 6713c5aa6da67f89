// Logging for docketd: spdlog's default logger, one line per event on stderr, with an ISO-8601 time,
// the level and (optionally) the node's name, so the logs of a local testnet can be told apart.
// Layers below ledger/node log through spdlog's default logger too; this sets its format and level.
//
// Thread safety: init_logging once at start-up, before other threads log; spdlog itself is thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <spdlog/common.h>

#include "ledger/common/result.h"

namespace docket::node {

// trace, debug, info, warn (or warning), error, critical, off. Errc::invalid_argument otherwise.
Result<spdlog::level::level_enum> parse_log_level(std::string_view name);

// Replaces the default logger by a stderr logger with Docket's line format and the given level.
void init_logging(spdlog::level::level_enum level, const std::string& node_name = "");

// Text from outside (a peer, a request) made safe for one log line: control characters replaced,
// cut to max_chars.
std::string printable(std::string_view untrusted, size_t max_chars = 120);

}  // namespace docket::node
