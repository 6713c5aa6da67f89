#include "wallet/tx/tx_builder.h"

#include <array>

#include "ledger/primitives/transaction.h"

namespace docket::wallet::tx {
namespace {

std::string bytes_of(const Hash32& h) { return std::string(h.begin(), h.end()); }

template <typename Repeated>
void add_fields(Repeated* out, const PublicFields& fields) {
  for (const auto& [name, value] : fields) {  // std::map: sorted by name and unique
    auto* f = out->Add();
    f->set_name(name);
    f->set_value(value);
  }
}

struct ActionName {
  const char* name;
  pb::BlActionKind kind;
};
constexpr std::array<ActionName, 10> kActions{{
    {"nominate", pb::BL_NOMINATE},
    {"transfer-holder", pb::BL_TRANSFER_HOLDER},
    {"endorse", pb::BL_ENDORSE},
    {"transfer-owners", pb::BL_TRANSFER_OWNERS},
    {"reject-holder", pb::BL_REJECT_HOLDER},
    {"reject-owner", pb::BL_REJECT_OWNER},
    {"reject-owners", pb::BL_REJECT_OWNERS},
    {"surrender", pb::BL_SURRENDER},
    {"accept-surrender", pb::BL_ACCEPT_SURRENDER},
    {"reject-surrender", pb::BL_REJECT_SURRENDER},
}};

}  // namespace

std::optional<pb::BlActionKind> bl_action_from_name(const std::string& name) {
  for (const auto& a : kActions)
    if (name == a.name) return a.kind;
  return std::nullopt;
}

const std::vector<std::string>& bl_action_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& a : kActions) out.emplace_back(a.name);
    return out;
  }();
  return names;
}

std::optional<pb::RevocationReason> revocation_reason_from_name(const std::string& name) {
  if (name == "issued-in-error") return pb::REVOCATION_ISSUED_IN_ERROR;
  if (name == "fraud") return pb::REVOCATION_FRAUD;
  if (name == "cancelled") return pb::REVOCATION_CANCELLED;
  if (name == "replaced") return pb::REVOCATION_REPLACED;
  if (name == "other") return pb::REVOCATION_OTHER;
  return std::nullopt;
}

pb::TxBody document_issue(const Hash32& merkle_root, const std::string& document_type, const PublicFields& public_fields) {
  pb::TxBody body;
  auto* op = body.mutable_document_issue();
  op->set_merkle_root(bytes_of(merkle_root));
  op->set_document_type(document_type);
  add_fields(op->mutable_public_fields(), public_fields);
  return body;
}

pb::TxBody document_revoke(const Hash32& merkle_root, const Hash32& hash, const std::vector<Hash32>& proof,
                           pb::RevocationReason reason, const std::string& note) {
  pb::TxBody body;
  auto* op = body.mutable_document_revoke();
  op->set_merkle_root(bytes_of(merkle_root));
  op->set_hash(bytes_of(hash));
  for (const auto& p : proof) op->add_proof(bytes_of(p));
  op->set_reason(reason);
  op->set_note(note);
  return body;
}

pb::TxBody document_supersede(const Hash32& old_root, const Hash32& new_root, const PublicFields& public_fields) {
  pb::TxBody body;
  auto* op = body.mutable_document_supersede();
  op->set_old_root(bytes_of(old_root));
  op->set_new_root(bytes_of(new_root));
  add_fields(op->mutable_public_fields(), public_fields);
  return body;
}

pb::TxBody bl_issue(const Hash32& record_id, pb::BlType type, const std::string& owner, const std::string& holder,
                    const PublicFields& public_fields) {
  pb::TxBody body;
  auto* op = body.mutable_bl_issue();
  op->set_record_id(bytes_of(record_id));
  op->set_bl_type(type);
  op->set_owner(owner);
  op->set_holder(holder);
  add_fields(op->mutable_public_fields(), public_fields);
  return body;
}

pb::TxBody bl_action(const Hash32& record_id, pb::BlActionKind action, const std::string& new_owner,
                     const std::string& new_holder, const std::string& remark) {
  pb::TxBody body;
  auto* op = body.mutable_bl_action();
  op->set_record_id(bytes_of(record_id));
  op->set_action(action);
  op->set_new_owner(new_owner);
  op->set_new_holder(new_holder);
  op->set_remark(remark);
  return body;
}

pb::TxBody gov_vote(uint64_t proposal_id, bool approve) {
  pb::TxBody body;
  auto* op = body.mutable_gov_vote();
  op->set_proposal_id(proposal_id);
  op->set_approve(approve);
  return body;
}

pb::TxBody gov_propose(const pb::GovAction& action, const std::string& description) {
  pb::TxBody body;
  auto* op = body.mutable_gov_propose();
  *op->mutable_action() = action;
  op->set_description(description);
  return body;
}

Bytes sign_transaction(pb::TxBody body, const Envelope& env, const crypto::SecretKey& key) {
  body.set_chain_id(env.chain.chain_id);
  const auto pk = key.public_key();
  body.set_sender(std::string(pk.begin(), pk.end()));
  body.set_nonce(env.nonce);
  body.set_expiry_height(env.expiry_height);
  return primitives::build_transaction(body, env.chain, key);
}

}  // namespace docket::wallet::tx
