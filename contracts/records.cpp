#include "contracts/records.h"

#include <algorithm>
#include <cstdio>

namespace docket::contracts {

std::string member_key(std::string_view member_id) { return std::string(kMemberPrefix) + std::string(member_id); }
std::string account_key(const crypto::PublicKey& key) { return std::string(kAccountPrefix) + to_hex(key); }
std::string document_key(const Hash32& root) { return std::string(kDocumentPrefix) + to_hex(root); }
std::string revocation_prefix(const Hash32& hash) { return std::string(kRevocationPrefix) + to_hex(hash) + "/"; }
std::string revocation_key(const Hash32& hash, const Hash32& root) { return revocation_prefix(hash) + to_hex(root); }
std::string bill_key(const Hash32& record_id) { return std::string(kBillPrefix) + to_hex(record_id); }
// Member ids never contain '/', so "blm/<id>/" never prefixes another member's keys.
std::string bill_party_prefix(std::string_view member_id) {
  return std::string(kBillPartyPrefix) + std::string(member_id) + "/";
}
std::string bill_party_key(std::string_view member_id, const Hash32& record_id) {
  return bill_party_prefix(member_id) + to_hex(record_id);
}
std::string removed_key(std::string_view member_id) { return std::string(kRemovedPrefix) + std::string(member_id); }

std::string proposal_key(uint64_t id) {
  // Zero-padded so that key order is numeric order.
  char buf[21];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(id));
  return std::string(kProposalPrefix) + buf;
}

Bytes encode_record(const google::protobuf::MessageLite& m) {
  Bytes out(m.ByteSizeLong());
  DOCKET_ASSERT(m.SerializeToArray(out.data(), static_cast<int>(out.size())));
  return out;
}

Hash32 to_hash(const std::string& b) {
  DOCKET_ASSERT(b.size() == 32);
  Hash32 h;
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

crypto::PublicKey to_key(const std::string& b) { return to_hash(b); }

std::string to_field(ByteView b) { return std::string(b.begin(), b.end()); }

bool has_role(const pb::Member& m, std::string_view role) {
  return std::any_of(m.roles().begin(), m.roles().end(), [&](const std::string& r) { return r == role; });
}

}  // namespace docket::contracts
