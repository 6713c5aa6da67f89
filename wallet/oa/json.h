// Docket's JSON model for OpenAttestation documents, and a strict parser that reads JSON the way
// JavaScript's JSON.parse does, so that the hashes Docket computes match those of the npm package.
//
// Why not nlohmann's own parser: it keeps large integers exact (JavaScript rounds every number to a
// double), rejects lone UTF-16 surrogates written as \uXXXX escapes (JavaScript accepts them), and
// silently keeps the last of two duplicate keys. This parser:
//   - stores every number as a double, correctly rounded (strtod), so 2^53+1 becomes 2^53 as in JS;
//     numbers beyond the double range become +-Infinity as JSON.parse makes them;
//   - keeps lone surrogates as 3-byte WTF-8 sequences, which js_stringify writes back as \udXXX;
//   - rejects duplicate keys, invalid UTF-8, nesting deeper than kMaxDepth, and trailing content;
//   - preserves the order of keys (nlohmann::ordered_json).
// Strings in the result may hold WTF-8, so never call Json::dump on a parsed document: use
// js_stringify (js_stringify.h) to write it.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "ledger/common/result.h"

namespace docket::wallet::oa {

using Json = nlohmann::ordered_json;

// Deep enough for any real trade document; keeps the recursive walks (salting, flattening) bounded.
inline constexpr int kMaxDepth = 256;
// Larger inputs are refused before parsing: a trade document is kilobytes, a batch file megabytes.
inline constexpr size_t kMaxJsonBytes = 64u << 20;

// Parses one JSON text (RFC 8259, optional leading UTF-8 byte-order mark). Errors name the line and
// column and what was wrong.
Result<Json> parse_json(std::string_view text);

// The whole file as text (at most kMaxJsonBytes); errors start with the path.
Result<std::string> read_text_file(const std::string& path);
// Reads and parses a file; errors start with the path.
Result<Json> parse_json_file(const std::string& path);

}  // namespace docket::wallet::oa
