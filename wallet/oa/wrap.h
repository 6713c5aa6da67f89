// Wrapping documents as OpenAttestation v2 does: salt the data, compute each targetHash, build the
// batch Merkle tree and give each document its proof and the batch's merkleRoot.
//
//   { "version": "https://schema.openattestation.com/2.0/schema.json",
//     "data": <salted document>,
//     "signature": { "type": "SHA3MerkleProof", "targetHash": hex, "proof": [hex...], "merkleRoot": hex } }
//
// Registering the merkleRoot on the ledger then covers every document of the batch at once.
#pragma once

#include <vector>

#include "wallet/oa/json.h"
#include "wallet/oa/salt.h"

namespace docket::wallet::oa {

inline constexpr const char* kSchemaV2 = "https://schema.openattestation.com/2.0/schema.json";
inline constexpr const char* kProofType = "SHA3MerkleProof";

// Wraps a batch of raw documents (each a JSON object). Fails on a document that is not an object or
// has a key OpenAttestation cannot hash (see digest.h), naming the document by names[i] when given
// (e.g. its file), else by its position. REQUIRES: docs is not empty; names empty or docs.size() long.
Result<std::vector<Json>> wrap_documents(const std::vector<Json>& docs, SaltSource& salts,
                                         const std::vector<std::string>& names = {});

}  // namespace docket::wallet::oa
