// OpenAttestation v2 document digest (the targetHash).
//
// The document's data is flattened to dot paths ("a.b.0.c"); each leaf (a salted string, or an empty
// object or array) is hashed as Keccak-256 of the UTF-8 of JSON.stringify({path: value}). The
// targetHash is Keccak-256 of JSON.stringify of the sorted list of the lowercase hex leaf hashes
// together with privacy.obfuscatedData (the hashes of removed leaves).
// Keys containing '.' are refused: their paths would be ambiguous. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ledger/common/bytes.h"
#include "wallet/oa/json.h"

namespace docket::wallet::oa {

struct FlatLeaf {
  std::string path;
  const Json* value;  // points into the flattened document; valid while it lives
};

// The leaves of data in document order. Fails on a key containing '.'.
Result<std::vector<FlatLeaf>> flatten(const Json& data);

// The leaves of the subtree v found at path prefix (v itself if it is a leaf), with full paths.
Result<std::vector<FlatLeaf>> flatten_subtree(const Json& v, std::string prefix);

// Keccak-256 of JSON.stringify({path: value}).
Hash32 leaf_hash(const std::string& path, const Json& value);

// The hex leaf hashes of data (unsorted, document order).
Result<std::vector<std::string>> leaf_hashes(const Json& data);

// targetHash = keccak256(JSON.stringify(sort(leaf_hashes(data) ++ obfuscated))).
Result<Hash32> target_hash(const Json& data, const std::vector<std::string>& obfuscated);

}  // namespace docket::wallet::oa
