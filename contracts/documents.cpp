#include "contracts/documents.h"

#include "contracts/open_attestation.h"
#include "contracts/records.h"

namespace docket::contracts {

namespace {

// Loads the root's record and checks the sender may act on it: its issuer, still holding the role.
TxResult load_own_document(TxContext& ctx, const Hash32& root, pb::DocumentRecord& out) {
  auto d = load<pb::DocumentRecord>(ctx.state, document_key(root));
  if (!d) return d.error();
  if (!*d) return rejected(Reason::not_found, "no document with root " + to_hex(root));
  out = std::move(**d);
  if (out.issuer() != ctx.sender.id()) return rejected(Reason::not_issuer, "root was issued by " + out.issuer());
  if (!has_role(ctx.sender, issuer_role(out.document_type())))
    return rejected(Reason::missing_role, "needs role " + issuer_role(out.document_type()));
  return accepted();
}

}  // namespace

Problem check_document_issue(const pb::DocumentIssue& op) {
  if (auto p = check_hash(op.merkle_root(), "merkle_root")) return p;
  if (auto p = check_document_type(op.document_type())) return p;
  return check_public_fields(op.public_fields());
}

Problem check_document_revoke(const pb::DocumentRevoke& op) {
  if (auto p = check_hash(op.merkle_root(), "merkle_root")) return p;
  if (auto p = check_hash(op.hash(), "hash")) return p;
  if (static_cast<size_t>(op.proof_size()) > kMaxProofHashes) return too_large("proof longer than 64 hashes");
  for (const auto& h : op.proof())
    if (h.size() != 32) return malformed("proof hashes must be 32 bytes");
  if (op.hash() == op.merkle_root() && op.proof_size() != 0) return malformed("revoking the root itself takes no proof");
  if (op.reason() == pb::REVOCATION_REASON_UNSPECIFIED || !pb::RevocationReason_IsValid(op.reason()))
    return malformed("revocation reason missing or unknown");
  if (op.note().size() > kMaxRemarkBytes) return too_large("note longer than 256 bytes");
  return std::nullopt;
}

Problem check_document_supersede(const pb::DocumentSupersede& op) {
  if (auto p = check_hash(op.old_root(), "old_root")) return p;
  if (auto p = check_hash(op.new_root(), "new_root")) return p;
  if (op.old_root() == op.new_root()) return malformed("old and new root are the same");
  return check_public_fields(op.public_fields());
}

// The record of a root newly issued by the sender in this block (by issue or by supersede).
pb::DocumentRecord new_issued_record(const TxContext& ctx, const std::string& root, const std::string& type,
                                     const google::protobuf::RepeatedPtrField<pb::PublicField>& fields) {
  pb::DocumentRecord d;
  d.set_merkle_root(root);
  d.set_document_type(type);
  d.set_issuer(ctx.sender.id());
  d.set_issuer_key(to_field(ctx.tx.sender));
  *d.mutable_public_fields() = fields;
  d.set_issued_height(ctx.block.height);
  d.set_issued_time_ms(ctx.block.time_ms);
  d.set_issue_tx(to_field(ctx.tx.id));
  d.set_state(pb::DOCUMENT_ISSUED);
  return d;
}

TxResult document_issue(TxContext& ctx, const pb::DocumentIssue& op) {
  if (!has_role(ctx.sender, issuer_role(op.document_type())))
    return rejected(Reason::missing_role, "issuing " + op.document_type() + " needs role " + issuer_role(op.document_type()));
  const Hash32 root = to_hash(op.merkle_root());
  const std::string key = document_key(root);
  auto existing = ctx.state.get(key);
  if (!existing) return existing.error();
  if (*existing) return rejected(Reason::already_exists, "root already registered");
  pb::DocumentRecord d = new_issued_record(ctx, op.merkle_root(), op.document_type(), op.public_fields());
  d.set_changed_height(ctx.block.height);
  d.set_changed_time_ms(ctx.block.time_ms);
  store(ctx.state, key, d);
  ctx.emit("document.issued", key, {{"document_type", op.document_type()}, {"issuer", ctx.sender.id()}});
  return accepted();
}

TxResult document_revoke(TxContext& ctx, const pb::DocumentRevoke& op) {
  const Hash32 root = to_hash(op.merkle_root());
  const Hash32 hash = to_hash(op.hash());
  pb::DocumentRecord d;
  CONTRACT_TRY(load_own_document(ctx, root, d));
  std::vector<Hash32> proof;
  for (const auto& p : op.proof()) proof.push_back(to_hash(p));
  if (oa::path_hashes(hash, proof).back() != root)
    return rejected(Reason::proof_mismatch, "proof does not lead from the hash to the root");
  // A decoy root: anyone can build a tree holding another member's registered root H and register
  // it, but revoking H there is a claim about someone else's document. Verdicts ignore it anyway
  // (status is scoped to the document's own root); refusing it keeps the record clean.
  if (hash != root) {
    auto other = load<pb::DocumentRecord>(ctx.state, document_key(hash));
    if (!other) return other.error();
    if (*other && (*other)->issuer() != ctx.sender.id())
      return rejected(Reason::not_issuer, "the hash is a root registered by " + (*other)->issuer() + "; only its issuer may revoke it");
  }
  const std::string rkey = revocation_key(hash, root);
  auto existing = ctx.state.get(rkey);
  if (!existing) return existing.error();
  if (*existing) return rejected(Reason::already_exists, "hash already revoked under this root");
  pb::Revocation r;
  r.set_hash(op.hash());
  r.set_merkle_root(op.merkle_root());
  r.set_issuer(ctx.sender.id());
  r.set_reason(op.reason());
  r.set_note(op.note());
  r.set_height(ctx.block.height);
  r.set_time_ms(ctx.block.time_ms);
  r.set_tx_id(to_field(ctx.tx.id));
  store(ctx.state, rkey, r);
  const std::string dkey = document_key(root);
  if (hash == root) {
    d.set_state(pb::DOCUMENT_REVOKED);
    d.set_revocation_reason(op.reason());
    d.set_changed_height(ctx.block.height);
    d.set_changed_time_ms(ctx.block.time_ms);
    store(ctx.state, dkey, d);
  }
  ctx.emit("document.revoked", dkey,
           {{"hash", to_hex(hash)}, {"reason", pb::RevocationReason_Name(op.reason())}, {"note", op.note()}});
  if (hash != root) ctx.emit("document.revoked", rkey, {{"root", to_hex(root)}, {"reason", pb::RevocationReason_Name(op.reason())}});
  return accepted();
}

TxResult document_supersede(TxContext& ctx, const pb::DocumentSupersede& op) {
  const Hash32 old_root = to_hash(op.old_root());
  const Hash32 new_root = to_hash(op.new_root());
  pb::DocumentRecord old_doc;
  CONTRACT_TRY(load_own_document(ctx, old_root, old_doc));
  if (old_doc.state() != pb::DOCUMENT_ISSUED)
    return rejected(Reason::invalid_state, "only an issued (not revoked or superseded) root can be superseded");
  const std::string new_key = document_key(new_root);
  auto existing = ctx.state.get(new_key);
  if (!existing) return existing.error();
  if (*existing) return rejected(Reason::already_exists, "new root already registered");
  pb::DocumentRecord d = new_issued_record(ctx, op.new_root(), old_doc.document_type(), op.public_fields());
  d.set_supersedes(op.old_root());
  d.set_changed_height(ctx.block.height);
  d.set_changed_time_ms(ctx.block.time_ms);
  store(ctx.state, new_key, d);
  old_doc.set_state(pb::DOCUMENT_SUPERSEDED);
  old_doc.set_superseded_by(op.new_root());
  old_doc.set_changed_height(ctx.block.height);
  old_doc.set_changed_time_ms(ctx.block.time_ms);
  const std::string old_key = document_key(old_root);
  store(ctx.state, old_key, old_doc);
  ctx.emit("document.superseded", old_key, {{"superseded_by", to_hex(new_root)}});
  ctx.emit("document.issued", new_key,
           {{"document_type", d.document_type()}, {"issuer", ctx.sender.id()}, {"supersedes", to_hex(old_root)}});
  return accepted();
}

}  // namespace docket::contracts
