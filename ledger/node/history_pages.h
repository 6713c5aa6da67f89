// Pages of a history that spans several records (a document's: its root's record and revocations):
// the events of all records in one order, by height, ties in the order the records are listed (the
// order the API always showed), cut into pages by index. Each page is a contiguous run of each
// record's own history, so a page is read with one bounded scan per record. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace docket::node {

// Entries [from, from + count) of record `record`'s own history.
struct HistoryRun {
  size_t record = 0;
  uint64_t from = 0;
  uint64_t count = 0;
};

// heights[r]: the heights of record r's entries, in their stored order (non-decreasing). Returns the
// runs making up events [from, from + limit) of the merged order, one per record that has any, in
// record order. Empty when from is at or past the end.
std::vector<HistoryRun> plan_history_page(const std::vector<std::vector<uint64_t>>& heights, uint64_t from, size_t limit);

}  // namespace docket::node
