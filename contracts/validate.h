// Stateless checks of identifiers and payload fields, shared by the contracts and genesis.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "contracts/reason.h"
#include "google/protobuf/repeated_field.h"
#include "ledger/proto/operations.pb.h"

namespace docket::contracts {

inline constexpr size_t kMaxPublicFields = 16;
inline constexpr size_t kMaxFieldNameBytes = 64;
inline constexpr size_t kMaxFieldValueBytes = 256;
inline constexpr size_t kMaxMemberNameBytes = 128;
inline constexpr size_t kMaxKeysPerMember = 8;
inline constexpr size_t kMaxRolesPerMember = 16;
inline constexpr size_t kMaxRemarkBytes = 256;
inline constexpr size_t kMaxDescriptionBytes = 512;
inline constexpr size_t kMaxProofHashes = 64;

inline constexpr std::string_view kRoleAdmin = "admin";
inline constexpr std::string_view kRoleCarrier = "carrier";
inline constexpr std::string_view kRoleTrader = "trader";
inline constexpr std::string_view kRoleVerifier = "verifier";
inline constexpr std::string_view kRoleValidator = "validator";
inline constexpr std::string_view kIssuerRolePrefix = "issuer:";

// nullopt = acceptable; otherwise why not (Reason::malformed or Reason::too_large).
using Problem = std::optional<Rejection>;
inline Problem malformed(std::string m) { return Rejection{Reason::malformed, std::move(m)}; }
inline Problem too_large(std::string m) { return Rejection{Reason::too_large, std::move(m)}; }
inline Problem with_prefix(const std::string& prefix, const Rejection& r) { return Rejection{r.reason, prefix + r.message}; }

Problem check_member_id(std::string_view id);          // [a-z0-9][a-z0-9_-]{0,63}
Problem check_document_type(std::string_view type);    // [a-z0-9_]{1,64}
Problem check_role(std::string_view role);             // fixed roles or "issuer:<document type>"
Problem check_country(std::string_view code);          // ISO 3166-1 alpha-2, assigned codes
Problem check_hash(const std::string& bytes, std::string_view what);      // 32 bytes, not all zero
Problem check_public_key(const std::string& bytes, std::string_view what); // valid x-only key
Problem check_public_fields(const google::protobuf::RepeatedPtrField<pb::PublicField>& fields);
Problem check_member_spec(const pb::MemberSpec& spec);  // all of the above for a member

std::string issuer_role(std::string_view document_type);

}  // namespace docket::contracts
