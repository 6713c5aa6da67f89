// Integrity of a wrapped OpenAttestation v2 document, computed as the npm package's verifySignature
// does: the targetHash recomputed from data and privacy.obfuscatedData must equal signature.targetHash,
// and folding signature.proof over it must give signature.merkleRoot. The fields the hashes do not
// cover must be exactly the package's envelope: "version" the v2 schema URL, signature.type
// "SHA3MerkleProof", no top-level fields but version, data, signature and privacy, no fields in
// signature but type, targetHash, proof and merkleRoot, none in privacy but obfuscatedData (so a
// document with an extra claim beside its data, which no hash covers, is not valid). This says
// nothing about whether the root was issued, by whom, or revoked: that is the ledger's part (see
// verify in the CLI).
// Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ledger/common/bytes.h"
#include "wallet/oa/json.h"

namespace docket::wallet::oa {

struct Integrity {
  bool valid = false;
  std::string reason;         // why not valid, in plain words; empty when valid
  Hash32 target_hash{};       // as stated in the document (zero if unreadable)
  Hash32 merkle_root{};       // as stated in the document (zero if unreadable)
  std::vector<Hash32> proof;  // as stated in the document
};

// Result error only for a document that is not a wrapped v2 document at all (a usage error); a
// wrapped document whose hashes do not match is a valid Result with valid == false.
Result<Integrity> check_integrity(const Json& wrapped);

}  // namespace docket::wallet::oa
