// Selective disclosure: removing fields from a wrapped document while keeping it verifiable. Each
// removed leaf's hash (Keccak-256 of JSON.stringify({path: salted value})) is appended to
// privacy.obfuscatedData, so the targetHash is unchanged. This is OpenAttestation's obfuscateDocument.
//
// Two removals cannot verify and are refused: removing an array element (JavaScript leaves a hole
// that serializes as null) and removing the last field of a nested object (the empty object left
// behind becomes a new leaf). Remove the whole array or object instead.
#pragma once

#include <string>
#include <vector>

#include "wallet/oa/json.h"

namespace docket::wallet::oa {

// Removes each dot path (e.g. "exporter.address" or "goodsItems.0.hsCode") from wrapped["data"], in
// order. Fails without changing anything on a path that does not exist or a refused removal.
Result<Json> obfuscate_fields(const Json& wrapped, const std::vector<std::string>& paths);

}  // namespace docket::wallet::oa
