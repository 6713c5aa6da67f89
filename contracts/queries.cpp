#include "contracts/queries.h"

#include "contracts/open_attestation.h"
#include "contracts/records.h"

namespace docket::contracts {

namespace {

template <typename M>
Result<M> load_required(const StateReader& state, std::string_view key) {
  auto r = load<M>(state, key);
  if (!r) return r.error();
  if (!*r) return make_error(Errc::corruption, "missing record " + std::string(key));
  return std::move(**r);
}

// Fills document, issuer and the status implied by the root's own record.
Status fill_document(const StateReader& state, const Hash32& root, DocumentStatus& out) {
  const std::string key = document_key(root);
  out.record_keys.push_back(key);
  auto d = load<pb::DocumentRecord>(state, key);
  if (!d) return d.error();
  if (!*d) return ok_status();
  out.document = std::move(**d);
  auto m = load<pb::Member>(state, member_key(out.document->issuer()));
  if (!m) return m.error();
  out.issuer = std::move(*m);
  switch (out.document->state()) {
    case pb::DOCUMENT_REVOKED: out.status = DocStatus::revoked; break;
    case pb::DOCUMENT_SUPERSEDED: out.status = DocStatus::superseded; break;
    default: out.status = DocStatus::issued; break;
  }
  return ok_status();
}

// Revocations of hash under roots other than `own`, in key order (at most 64: a hash revoked under
// more roots than that is not a real case, and the list is only shown, never decided on).
Status collect_other_claims(const StateReader& state, const Hash32& hash, const Hash32& own, DocumentStatus& out) {
  Status corrupt = ok_status();
  const std::string own_key = revocation_key(hash, own);
  DOCKET_TRY(state.scan(revocation_prefix(hash), [&](std::string_view k, ByteView v) {
    if (k == own_key) return true;
    pb::Revocation r;
    if (!r.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      corrupt = make_error(Errc::corruption, "revocation record does not decode");
      return false;
    }
    out.other_claims.push_back(std::move(r));
    return out.other_claims.size() < 64;
  }));
  return corrupt;
}

}  // namespace

const char* bl_status_name(pb::BlStatus s) {
  switch (s) {
    case pb::BL_ACTIVE: return "active";
    case pb::BL_SURRENDERED: return "surrendered";
    case pb::BL_ACCOMPLISHED: return "accomplished";
    default: return "unknown";
  }
}

const char* doc_status_name(DocStatus s) {
  switch (s) {
    case DocStatus::unknown: return "unknown";
    case DocStatus::issued: return "issued";
    case DocStatus::revoked: return "revoked";
    case DocStatus::superseded: return "superseded";
  }
  return "unknown";
}

Result<DocumentStatus> document_status(const StateReader& state, const Hash32& hash) {
  DocumentStatus out;
  DOCKET_TRY(fill_document(state, hash, out));
  DOCKET_TRY(collect_other_claims(state, hash, hash, out));
  return out;
}

Result<DocumentStatus> document_status_under(const StateReader& state, const Hash32& hash, const Hash32& root) {
  DocumentStatus out;
  DOCKET_TRY(fill_document(state, root, out));
  if (!out.document) return out;
  DOCKET_TRY(collect_other_claims(state, hash, root, out));
  if (hash == root) return out;
  const std::string key = revocation_key(hash, root);
  out.record_keys.push_back(key);
  auto r = load<pb::Revocation>(state, key);
  if (!r) return r.error();
  if (*r) {
    out.status = DocStatus::revoked;
    out.revocations.push_back(std::move(**r));
  }
  return out;
}

Result<DocumentStatus> verify_document(const StateReader& state, const Hash32& target_hash,
                                       std::span<const Hash32> proof, const Hash32& merkle_root) {
  if (proof.size() > 64) return make_error(Errc::too_large, "proof longer than 64 hashes");
  const auto path = oa::path_hashes(target_hash, proof);
  if (path.back() != merkle_root)
    return make_error(Errc::invalid_argument, "the proof does not lead from the targetHash to the merkleRoot");
  DocumentStatus out;
  DOCKET_TRY(fill_document(state, merkle_root, out));
  if (!out.document) return out;
  DOCKET_TRY(collect_other_claims(state, target_hash, merkle_root, out));
  for (const auto& h : path) {
    const std::string key = revocation_key(h, merkle_root);
    out.record_keys.push_back(key);
    auto r = load<pb::Revocation>(state, key);
    if (!r) return r.error();
    if (*r) out.revocations.push_back(std::move(**r));
  }
  if (!out.revocations.empty()) out.status = DocStatus::revoked;
  return out;
}

Result<std::optional<pb::BillOfLading>> bill_of_lading(const StateReader& state, const Hash32& record_id) {
  return load<pb::BillOfLading>(state, bill_key(record_id));
}

Result<std::optional<AccountView>> account(const StateReader& state, const crypto::PublicKey& key) {
  auto a = load<pb::Account>(state, account_key(key));
  if (!a) return a.error();
  if (!*a) return std::optional<AccountView>{};
  AccountView out{std::move(**a), std::nullopt};
  if (!out.account.member_id().empty()) {
    auto m = load<pb::Member>(state, member_key(out.account.member_id()));
    if (!m) return m.error();
    out.member = std::move(*m);
  }
  return std::optional<AccountView>{std::move(out)};
}

Result<std::optional<pb::Member>> member(const StateReader& state, std::string_view id) {
  return load<pb::Member>(state, member_key(id));
}

Result<std::optional<pb::RemovedMember>> removed_member(const StateReader& state, std::string_view id) {
  return load<pb::RemovedMember>(state, removed_key(id));
}

Result<std::vector<pb::Member>> members(const StateReader& state) {
  std::vector<pb::Member> out;
  Status corrupt = ok_status();
  DOCKET_TRY(state.scan(kMemberPrefix, [&](std::string_view, ByteView v) {
    pb::Member m;
    if (!m.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      corrupt = make_error(Errc::corruption, "member record does not decode");
      return false;
    }
    out.push_back(std::move(m));
    return true;
  }));
  DOCKET_TRY(corrupt);
  return out;
}

Result<pb::ValidatorSet> validators(const StateReader& state) { return load_required<pb::ValidatorSet>(state, kValidatorsKey); }
Result<pb::Params> params(const StateReader& state) { return load_required<pb::Params>(state, kParamsKey); }
Result<pb::ChainInfo> chain_info(const StateReader& state) { return load_required<pb::ChainInfo>(state, kChainKey); }

Result<std::vector<pb::GovProposal>> proposals(const StateReader& state, uint64_t height, uint64_t from_id, size_t limit) {
  std::vector<pb::GovProposal> out;
  const std::string first = proposal_key(from_id);
  Status corrupt = ok_status();
  DOCKET_TRY(state.scan(kProposalPrefix, [&](std::string_view k, ByteView v) {
    if (k < first) return true;
    if (out.size() >= limit) return false;
    pb::GovProposal p;
    if (!p.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      corrupt = make_error(Errc::corruption, "proposal record does not decode");
      return false;
    }
    if (p.status() == pb::PROPOSAL_OPEN && height > p.expiry_height()) p.set_status(pb::PROPOSAL_EXPIRED);
    out.push_back(std::move(p));
    return true;
  }));
  DOCKET_TRY(corrupt);
  return out;
}

}  // namespace docket::contracts
