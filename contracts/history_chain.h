// The provable history of a record. Every event about record key K (a document root, a revocation,
// a bill of lading, a proposal) is stored off the tree as the exact bytes of its pb::HistoryEntry,
// and appended to a hash chain whose head lives in the authenticated state as "hist/K"
// (pb::HistoryHead). Whoever holds the entries and a state proof of "hist/K" under a certified root
// can check that they are the record's whole history, in order and unaltered, trusting no node.
//
//   head_0 = 32 zero bytes;  head_n = tagged_hash("docket/history/v1", head_{n-1} || entry_n bytes)
//
// The chain id is bound through the certified root that proves the head. Pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "ledger/common/bytes.h"
#include "ledger/proto/operations.pb.h"

namespace docket::contracts {

inline constexpr std::string_view kHistoryPrefix = "hist/";

std::string history_head_key(std::string_view record_key);

Hash32 next_history_head(const Hash32& prev, ByteView entry);

// The head after appending entries, oldest first, to an empty chain.
pb::HistoryHead chain_history(std::span<const Bytes> entries);

// An event's kind as histories show it: "document.issued" -> "issued".
std::string short_event_kind(const std::string& kind);

}  // namespace docket::contracts
