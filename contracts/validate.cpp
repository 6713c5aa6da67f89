#include "contracts/validate.h"

#include <algorithm>
#include <array>

#include "ledger/crypto/schnorr.h"

namespace docket::contracts {

namespace {
bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// ISO 3166-1 alpha-2 officially assigned codes.
constexpr std::string_view kCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW "
    "BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI "
    "FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN "
    "IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME "
    "MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF "
    "PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE "
    "YT ZA ZM ZW";
}  // namespace

Problem check_member_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return malformed("member id must be 1..64 characters");
  if (!lower_alnum(id[0])) return malformed("member id must start with a-z or 0-9");
  if (!std::all_of(id.begin(), id.end(), [](char c) { return lower_alnum(c) || c == '_' || c == '-'; }))
    return malformed("member id may contain only a-z, 0-9, '_' and '-'");
  return std::nullopt;
}

Problem check_document_type(std::string_view type) {
  if (type.empty() || type.size() > 64) return malformed("document type must be 1..64 characters");
  if (!std::all_of(type.begin(), type.end(), [](char c) { return lower_alnum(c) || c == '_'; }))
    return malformed("document type may contain only a-z, 0-9 and '_'");
  return std::nullopt;
}

Problem check_role(std::string_view role) {
  if (role == kRoleAdmin || role == kRoleCarrier || role == kRoleTrader || role == kRoleVerifier ||
      role == kRoleValidator)
    return std::nullopt;
  if (role.starts_with(kIssuerRolePrefix)) {
    if (auto p = check_document_type(role.substr(kIssuerRolePrefix.size()))) return with_prefix("role " + std::string(role) + ": ", *p);
    return std::nullopt;
  }
  return malformed("unknown role '" + std::string(role) + "'");
}

Problem check_country(std::string_view code) {
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
    return malformed("country must be an ISO 3166-1 alpha-2 code in upper case");
  for (size_t i = 0; i + 2 <= kCountries.size(); i += 3)
    if (kCountries.substr(i, 2) == code) return std::nullopt;
  return malformed("'" + std::string(code) + "' is not an assigned ISO 3166-1 alpha-2 code");
}

Problem check_hash(const std::string& bytes, std::string_view what) {
  if (bytes.size() != 32) return malformed(std::string(what) + " must be 32 bytes");
  if (std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; })) return malformed(std::string(what) + " is all zero");
  return std::nullopt;
}

Problem check_public_key(const std::string& bytes, std::string_view what) {
  if (bytes.size() != 32) return malformed(std::string(what) + " must be a 32-byte x-only public key");
  crypto::PublicKey k;
  std::copy(bytes.begin(), bytes.end(), k.begin());
  if (!crypto::is_valid_public_key(k)) return malformed(std::string(what) + " is not a valid public key");
  return std::nullopt;
}

Problem check_public_fields(const google::protobuf::RepeatedPtrField<pb::PublicField>& fields) {
  if (static_cast<size_t>(fields.size()) > kMaxPublicFields) return too_large("at most 16 public fields");
  for (int i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    if (f.name().empty() || f.name().size() > kMaxFieldNameBytes ||
        !std::all_of(f.name().begin(), f.name().end(), [](char c) { return lower_alnum(c) || c == '_'; }))
      return malformed("public field names are 1..64 characters of a-z, 0-9, '_'");
    if (f.value().size() > kMaxFieldValueBytes) return too_large("public field '" + f.name() + "' longer than 256 bytes");
    if (i > 0 && !(fields[i - 1].name() < f.name())) return malformed("public fields must be sorted by name, without duplicates");
  }
  return std::nullopt;
}

Problem check_member_spec(const pb::MemberSpec& spec) {
  if (auto p = check_member_id(spec.id())) return p;
  if (spec.name().empty() || spec.name().size() > kMaxMemberNameBytes) return malformed("member name must be 1..128 bytes");
  if (auto p = check_country(spec.country())) return p;
  if (spec.keys().empty() || static_cast<size_t>(spec.keys().size()) > kMaxKeysPerMember)
    return malformed("a member has 1..8 keys");
  for (int i = 0; i < spec.keys().size(); ++i) {
    if (auto p = check_public_key(spec.keys(i), "member key")) return p;
    if (i > 0 && !(spec.keys(i - 1) < spec.keys(i))) return malformed("member keys must be sorted, without duplicates");
  }
  if (static_cast<size_t>(spec.roles().size()) > kMaxRolesPerMember) return too_large("at most 16 roles");
  for (int i = 0; i < spec.roles().size(); ++i) {
    if (auto p = check_role(spec.roles(i))) return p;
    if (i > 0 && !(spec.roles(i - 1) < spec.roles(i))) return malformed("roles must be sorted, without duplicates");
  }
  return std::nullopt;
}

std::string issuer_role(std::string_view document_type) {
  return std::string(kIssuerRolePrefix) + std::string(document_type);
}

}  // namespace docket::contracts
