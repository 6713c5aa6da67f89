// Building and signing transactions. One small function per operation fills TxBody.op, so when
// ledger/proto/operations.proto changes only that function changes. sign_transaction adds the
// envelope (chain id, sender, nonce, expiry), serializes the body deterministically and signs the
// exact bytes with BIP-340 over signing_digest("docket/tx-sig/v1", chain_id, body).
#pragma once

#include <map>
#include <string>

#include "ledger/crypto/schnorr.h"
#include "ledger/proto/transaction.pb.h"

namespace docket::wallet::tx {

// Bill of lading actions carried in BlAction.action. The numbering must match contracts/ (the
// title-escrow model); see docs/wallet.md.
enum class BlActionCode : uint32_t {
  nominate = 1,             // owner nominates a new owner (beneficiary)
  endorse = 2,              // holder endorses the nominated owner
  transfer_holder = 3,      // holder passes control to a new holder
  transfer_owners = 4,      // owner and holder together transfer both roles
  reject = 5,               // the new holder/owner rejects the last transfer
  surrender = 6,            // holder surrenders the bill to the carrier
  accept_surrender = 7,     // carrier accepts the surrender (accomplished)
  reject_surrender = 8,     // carrier rejects the surrender; control returns
};
// "nominate", "endorse", "transfer-holder", ... as on the command line; false if unknown.
bool bl_action_from_name(const std::string& name, BlActionCode& out);

pb::TxBody document_issue(const Hash32& merkle_root, const std::string& document_type,
                          const std::map<std::string, std::string>& public_fields);
pb::TxBody document_revoke(const Hash32& hash, uint32_t reason);
pb::TxBody document_supersede(const Hash32& old_root, const Hash32& new_root, const std::string& document_type);
pb::TxBody bl_issue(const Hash32& record_id, ByteView owner, ByteView holder, uint32_t bl_type);
pb::TxBody bl_action(const Hash32& record_id, BlActionCode action, ByteView new_owner, ByteView new_holder);
pb::TxBody gov_vote(uint64_t proposal_id, bool yes);

struct Envelope {
  std::string chain_id;
  uint64_t nonce = 0;
  uint64_t expiry_height = 0;
};

// The body's deterministic protobuf encoding (the bytes that are signed).
std::string serialize_body(const pb::TxBody& body);

// Completes body with the envelope and the key's public key, signs it and returns the serialized
// docket.pb.Transaction.
std::string sign_transaction(pb::TxBody body, const Envelope& env, const crypto::SecretKey& key);

}  // namespace docket::wallet::tx
