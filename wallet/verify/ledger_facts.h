// What the ledger says about one wrapped document, in one shape whatever the source: the node's
// JSON API (gather_online, trusting the node) or a proof bundle checked against the genesis
// (wallet/proofs, trusting nobody). The verifier decides validity from these facts alone, so online
// and offline verification apply the same rules. Plain values; no ownership or threading concerns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ledger/common/bytes.h"
#include "wallet/net/node_client.h"
#include "wallet/oa/integrity.h"
#include "wallet/oa/json.h"

namespace docket::wallet::verify {

struct DocumentFacts {           // doc/<merkle root>
  std::string status;            // "issued", "revoked", "superseded" (the root's own state)
  std::string document_type;
  std::string issuer_member;
  uint64_t height = 0;           // issued at
  uint64_t time_ms = 0;
  std::string superseded_by;     // hex, empty if none
  std::string revoke_reason;     // name or code, empty if none
};

struct Revocation {              // rev/<hash>/<merkle root> for a hash on the document's proof path
  Hash32 hash{};
  std::string reason;
  uint64_t height = 0;
};

// A revocation of one of the document's hashes under another root than its own: another member's
// claim about its own batch. Shown to the officer, never part of the verdict (docs/security.md, A1).
struct OtherRootClaim {
  Hash32 hash{};
  std::string merkle_root;       // hex
  std::string issuer_member;
  std::string reason;
  uint64_t height = 0;
};

struct MemberFacts {             // member/<id>
  std::string id;
  std::string name;
  std::string country;           // empty when the source does not say
  std::vector<std::string> roles;
  std::optional<uint64_t> removed_height;  // set: removed by governance at that height (a tombstone)
  std::string successor;                   // of a removed member, if one took over its bills
  bool has_role(const std::string& role) const;
};

struct BillFacts {               // bl/<record id>
  std::string status;            // "active", "surrendered", "accomplished"
  std::string carrier;           // member id of the issuing carrier
  std::string owner, holder, nominee;
  uint64_t height = 0;           // issued at
};

struct LedgerFacts {
  std::optional<DocumentFacts> document;
  std::vector<Revocation> revocations;       // applicable ones only (under this document's root)
  std::vector<OtherRootClaim> other_claims;  // under other roots: listed, never decided on (online only)
  std::optional<MemberFacts> issuer;         // the document's issuer, else the bill's carrier
  std::optional<BillFacts> bill;             // the first registered of bl/<targetHash>, bl/<merkleRoot>
  std::vector<BillFacts> other_bills;        // a later bill record over the same document: a claim, not the bill
  oa::Json history = oa::Json::array();      // API events (kind, height, time_ms, actor_member, details)
  std::string source;                        // "node <url>" or "proof bundle at height h"
  std::optional<uint64_t> as_of_height;      // a bundle: the one height every fact is certified at
};

// Hashes on the path from the targetHash to the merkleRoot (targetHash first, root excluded): any of
// them revoked under the root revokes the document, as in OpenAttestation's document store.
std::vector<Hash32> proof_path(const oa::Integrity& integrity);

// The ids a bill of lading of this document may be registered under: targetHash, then merkleRoot.
std::vector<Hash32> record_ids(const oa::Integrity& integrity);

// The document's own (salted) data.documentType, or "" if it has none.
std::string declared_type(const oa::Json& wrapped);

// Asks the node for everything above. Errors (unreachable node, malformed answers) are returned.
Result<LedgerFacts> gather_online(const oa::Json& wrapped, const oa::Integrity& integrity, net::LedgerLookup& lookup);

}  // namespace docket::wallet::verify
