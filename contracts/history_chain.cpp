#include "contracts/history_chain.h"

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"

namespace docket::contracts {

std::string history_head_key(std::string_view record_key) {
  std::string k(kHistoryPrefix);
  k += record_key;
  return k;
}

Hash32 next_history_head(const Hash32& prev, ByteView entry) {
  crypto::TaggedHasher hasher(crypto::tags::kHistory);
  return hasher(prev, entry);
}

pb::HistoryHead chain_history(std::span<const Bytes> entries) {
  // One hasher for the whole chain: a history can be long, and the tag prefix is then absorbed once.
  crypto::TaggedHasher hasher(crypto::tags::kHistory);
  Hash32 head{};
  for (const Bytes& e : entries) head = hasher(head, e);
  pb::HistoryHead out;
  out.set_count(entries.size());
  out.set_head(head.data(), head.size());
  return out;
}

std::string short_event_kind(const std::string& kind) {
  const auto dot = kind.find('.');
  return dot == std::string::npos ? kind : kind.substr(dot + 1);
}

}  // namespace docket::contracts
