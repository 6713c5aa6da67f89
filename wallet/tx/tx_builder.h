// Building and signing transactions. One small function per operation fills TxBody.op as
// ledger/proto/operations.proto and docs/contracts.md define it, so a schema change touches only that
// function. sign_transaction adds the envelope (chain id, sender, nonce, expiry) and signs the exact
// body bytes through primitives::build_transaction. Parties of bills of lading are member ids.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/crypto/chain_binding.h"
#include "ledger/crypto/schnorr.h"
#include "ledger/proto/transaction.pb.h"

namespace docket::wallet::tx {

// "nominate", "endorse", "transfer-holder", ... as on the command line; nullopt if unknown.
std::optional<pb::BlActionKind> bl_action_from_name(const std::string& name);
// The command-line names, in the order of the enum.
const std::vector<std::string>& bl_action_names();
// "issued-in-error", "fraud", "cancelled", "replaced", "other"; nullopt if unknown.
std::optional<pb::RevocationReason> revocation_reason_from_name(const std::string& name);

// Public fields are passed as a map: sorted by name and unique, as the contracts require.
using PublicFields = std::map<std::string, std::string>;

pb::TxBody document_issue(const Hash32& merkle_root, const std::string& document_type, const PublicFields& public_fields);
// Revokes `hash` (the root, a targetHash or an intermediate hash) under `merkle_root`; `proof` are the
// sibling hashes from `hash` up to the root (empty when hash is the root).
pb::TxBody document_revoke(const Hash32& merkle_root, const Hash32& hash, const std::vector<Hash32>& proof,
                           pb::RevocationReason reason, const std::string& note);
pb::TxBody document_supersede(const Hash32& old_root, const Hash32& new_root, const PublicFields& public_fields);
pb::TxBody bl_issue(const Hash32& record_id, pb::BlType type, const std::string& owner, const std::string& holder,
                    const PublicFields& public_fields);
pb::TxBody bl_action(const Hash32& record_id, pb::BlActionKind action, const std::string& new_owner,
                     const std::string& new_holder, const std::string& remark);
pb::TxBody gov_vote(uint64_t proposal_id, bool approve);
pb::TxBody gov_propose(const pb::GovAction& action, const std::string& description);

struct Envelope {
  crypto::ChainBinding chain;  // the node's chain id and genesis hash (GET /v1/status); the signature binds both
  uint64_t nonce = 0;
  uint64_t expiry_height = 0;
};

// Completes body with the envelope and the key's public key, signs it and returns the serialized
// docket.pb.Transaction.
Bytes sign_transaction(pb::TxBody body, const Envelope& env, const crypto::SecretKey& key);

}  // namespace docket::wallet::tx
