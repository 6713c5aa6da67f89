// Record keys of the authenticated state and typed access to the records stored under them.
//
// Keys are printable ASCII (the state tree requires it); hashes and public keys appear as 64 lowercase
// hex digits. The full list, with the record each holds, is in docs/contracts.md ("Record keys"):
//   chain, params, validators, gov/meta, gov/proposal/<20-digit id>, member/<id>, acct/<key>,
//   doc/<root>, rev/<hash>/<root>, bl/<record id>, blm/<member id>/<record id>, removed/<id>
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "contracts/state_access.h"
#include "ledger/crypto/schnorr.h"
#include "ledger/proto/operations.pb.h"

namespace docket::contracts {

inline constexpr std::string_view kChainKey = "chain";
inline constexpr std::string_view kParamsKey = "params";
inline constexpr std::string_view kValidatorsKey = "validators";
inline constexpr std::string_view kGovMetaKey = "gov/meta";
inline constexpr std::string_view kProposalPrefix = "gov/proposal/";
inline constexpr std::string_view kMemberPrefix = "member/";
inline constexpr std::string_view kAccountPrefix = "acct/";
inline constexpr std::string_view kDocumentPrefix = "doc/";
inline constexpr std::string_view kRevocationPrefix = "rev/";
inline constexpr std::string_view kBillPrefix = "bl/";
// "blm/<member id>/<hex record id>" (empty value): the member has a part (carrier, owner, holder,
// nominee, previous owner or holder) in that bill and the bill is not accomplished. Kept by
// contracts/bills.cpp on every bill write, so governance finds a member's bills without a scan of all.
inline constexpr std::string_view kBillPartyPrefix = "blm/";
// "removed/<id>": pb::RemovedMember, the tombstone of a removed member; its id is never reused.
inline constexpr std::string_view kRemovedPrefix = "removed/";

std::string member_key(std::string_view member_id);
std::string account_key(const crypto::PublicKey& key);
std::string proposal_key(uint64_t id);
std::string document_key(const Hash32& root);
std::string revocation_key(const Hash32& hash, const Hash32& root);
std::string revocation_prefix(const Hash32& hash);  // "rev/<hash>/": every root revoking this hash
std::string bill_key(const Hash32& record_id);
std::string bill_party_prefix(std::string_view member_id);  // "blm/<id>/"
std::string bill_party_key(std::string_view member_id, const Hash32& record_id);
std::string removed_key(std::string_view member_id);

// The record stored under key, nullopt when absent. A value that does not decode is corruption of our
// own state (an error, never a rejection).
template <typename M>
Result<std::optional<M>> load(const StateReader& state, std::string_view key) {
  auto v = state.get(key);
  if (!v) return v.error();
  if (!*v) return std::optional<M>{};
  M m;
  if (!m.ParseFromArray((*v)->data(), static_cast<int>((*v)->size())))
    return make_error(Errc::corruption, "state record does not decode: " + std::string(key));
  return std::optional<M>{std::move(m)};
}

// Messages without map fields serialize deterministically (fields in number order).
Bytes encode_record(const google::protobuf::MessageLite& m);

template <typename M>
void store(StateOverlay& state, std::string_view key, const M& m) {
  state.put(key, encode_record(m));
}

// Bytes field -> fixed-size value, for fields already validated.
Hash32 to_hash(const std::string& b);
crypto::PublicKey to_key(const std::string& b);
std::string to_field(ByteView b);

bool has_role(const pb::Member& m, std::string_view role);

}  // namespace docket::contracts
