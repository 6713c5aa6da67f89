// Read-only queries over the state at one height, for the HTTP API and the tests. Each answer names
// the record keys it was computed from, so a client can ask for a state proof of each (inclusion, or
// non-inclusion for "not revoked") and check the answer against a certified state root.
//
// History (events of a record) is not in the state tree; it comes from a HistoryReader that the node
// implements over its store (ledger/state/execution.h).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "contracts/state_access.h"
#include "ledger/crypto/schnorr.h"
#include "ledger/proto/operations.pb.h"

namespace docket::contracts {

class HistoryReader {
 public:
  virtual ~HistoryReader() = default;
  // Events about record_key at heights <= up_to_height, oldest first, at most limit of them.
  virtual Result<std::vector<pb::HistoryEntry>> history(std::string_view record_key, uint64_t up_to_height,
                                                        size_t limit) const = 0;
};

enum class DocStatus { unknown, issued, revoked, superseded };
const char* doc_status_name(DocStatus s);
// "active", "surrendered", "accomplished" (the names the API and verifiers show).
const char* bl_status_name(pb::BlStatus s);

struct DocumentStatus {
  DocStatus status = DocStatus::unknown;
  std::optional<pb::DocumentRecord> document;  // the root's record (issuer, type, public fields, heights)
  std::optional<pb::Member> issuer;            // the issuing member (id, name, country), if still a member
  std::vector<pb::Revocation> revocations;     // revocations that apply: under the document's own root only
  // Revocations of the hash asked about under *other* roots. Any member with an issuer role can
  // register a root whose tree holds someone else's hash and "revoke" it there; that is that
  // member's claim about its own batch, never this document's status (docs/security.md, A1).
  std::vector<pb::Revocation> other_claims;
  std::vector<std::string> record_keys;        // every record consulted, present or absent
};

// Status of hash as a registered root (issued / superseded / revoked), from the root's own record
// only; unknown when no root hash is registered. Revocations of hash under other roots are listed in
// other_claims and do not change the status. A document of a batch is asked with
// document_status_under (or verify_document with its proof).
Result<DocumentStatus> document_status(const StateReader& state, const Hash32& hash);

// Status of hash as a document of the batch registered under root: the root's record, and the
// revocation of hash under that root only. What a verifier holding a document of that batch must
// ask: a revocation of the same hash under some other root (which any issuer could register) says
// nothing about this document (it is listed in other_claims). Unknown when root is not registered.
Result<DocumentStatus> document_status_under(const StateReader& state, const Hash32& hash, const Hash32& root);

// The verifier's question, per OpenAttestation: the document is revoked if its targetHash, any
// intermediate hash on its proof path or its root is revoked under that root. Errc::invalid_argument
// if the proof does not lead from target_hash to merkle_root.
Result<DocumentStatus> verify_document(const StateReader& state, const Hash32& target_hash,
                                       std::span<const Hash32> proof, const Hash32& merkle_root);

Result<std::optional<pb::BillOfLading>> bill_of_lading(const StateReader& state, const Hash32& record_id);

struct AccountView {
  pb::Account account;
  std::optional<pb::Member> member;  // its member (with roles), if the key belongs to one
};
Result<std::optional<AccountView>> account(const StateReader& state, const crypto::PublicKey& key);

Result<std::optional<pb::Member>> member(const StateReader& state, std::string_view id);
// The tombstone of a member removed by governance ("removed/<id>"): when, by which proposal, and the
// successor that took over its bills; nullopt if the id was never removed. Such an id never returns.
Result<std::optional<pb::RemovedMember>> removed_member(const StateReader& state, std::string_view id);
Result<std::vector<pb::Member>> members(const StateReader& state);
Result<pb::ValidatorSet> validators(const StateReader& state);
Result<pb::Params> params(const StateReader& state);
Result<pb::ChainInfo> chain_info(const StateReader& state);

// Proposals with id >= from_id, at most limit, with status PROPOSAL_EXPIRED filled in for open
// proposals whose expiry height is below `height`.
Result<std::vector<pb::GovProposal>> proposals(const StateReader& state, uint64_t height, uint64_t from_id, size_t limit);

}  // namespace docket::contracts
