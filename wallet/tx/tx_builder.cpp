#include "wallet/tx/tx_builder.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"

namespace docket::wallet::tx {
namespace {
std::string bytes_of(const Hash32& h) { return std::string(h.begin(), h.end()); }
std::string bytes_of(ByteView b) { return std::string(b.begin(), b.end()); }
}  // namespace

bool bl_action_from_name(const std::string& name, BlActionCode& out) {
  static const std::map<std::string, BlActionCode> kNames = {
      {"nominate", BlActionCode::nominate},
      {"endorse", BlActionCode::endorse},
      {"transfer-holder", BlActionCode::transfer_holder},
      {"transfer-owners", BlActionCode::transfer_owners},
      {"reject", BlActionCode::reject},
      {"surrender", BlActionCode::surrender},
      {"accept-surrender", BlActionCode::accept_surrender},
      {"reject-surrender", BlActionCode::reject_surrender},
  };
  auto it = kNames.find(name);
  if (it == kNames.end()) return false;
  out = it->second;
  return true;
}

pb::TxBody document_issue(const Hash32& merkle_root, const std::string& document_type,
                          const std::map<std::string, std::string>& public_fields) {
  pb::TxBody body;
  auto* op = body.mutable_document_issue();
  op->set_merkle_root(bytes_of(merkle_root));
  op->set_document_type(document_type);
  for (const auto& [k, v] : public_fields) (*op->mutable_public_fields())[k] = v;
  return body;
}

pb::TxBody document_revoke(const Hash32& hash, uint32_t reason) {
  pb::TxBody body;
  auto* op = body.mutable_document_revoke();
  op->set_hash(bytes_of(hash));
  op->set_reason(reason);
  return body;
}

pb::TxBody document_supersede(const Hash32& old_root, const Hash32& new_root, const std::string& document_type) {
  pb::TxBody body;
  auto* op = body.mutable_document_supersede();
  op->set_old_root(bytes_of(old_root));
  op->set_new_root(bytes_of(new_root));
  op->set_document_type(document_type);
  return body;
}

pb::TxBody bl_issue(const Hash32& record_id, ByteView owner, ByteView holder, uint32_t bl_type) {
  pb::TxBody body;
  auto* op = body.mutable_bl_issue();
  op->set_record_id(bytes_of(record_id));
  op->set_owner(bytes_of(owner));
  op->set_holder(bytes_of(holder));
  op->set_bl_type(bl_type);
  return body;
}

pb::TxBody bl_action(const Hash32& record_id, BlActionCode action, ByteView new_owner, ByteView new_holder) {
  pb::TxBody body;
  auto* op = body.mutable_bl_action();
  op->set_record_id(bytes_of(record_id));
  op->set_action(static_cast<uint32_t>(action));
  op->set_new_owner(bytes_of(new_owner));
  op->set_new_holder(bytes_of(new_holder));
  return body;
}

pb::TxBody gov_vote(uint64_t proposal_id, bool yes) {
  pb::TxBody body;
  auto* op = body.mutable_gov_vote();
  op->set_proposal_id(proposal_id);
  op->set_yes(yes);
  return body;
}

std::string serialize_body(const pb::TxBody& body) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream sos(&out);
    google::protobuf::io::CodedOutputStream cos(&sos);
    cos.SetSerializationDeterministic(true);
    body.SerializeToCodedStream(&cos);
  }
  return out;
}

std::string sign_transaction(pb::TxBody body, const Envelope& env, const crypto::SecretKey& key) {
  body.set_chain_id(env.chain_id);
  auto pk = key.public_key();
  body.set_sender(std::string(pk.begin(), pk.end()));
  body.set_nonce(env.nonce);
  body.set_expiry_height(env.expiry_height);
  std::string bytes = serialize_body(body);
  auto digest = crypto::signing_digest(crypto::tags::kTxSig, env.chain_id, as_bytes(bytes));
  auto sig = key.sign(digest);
  pb::Transaction tx;
  tx.set_body(bytes);
  tx.set_signature(std::string(sig.begin(), sig.end()));
  return tx.SerializeAsString();
}

}  // namespace docket::wallet::tx
