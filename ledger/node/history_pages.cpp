#include "ledger/node/history_pages.h"

namespace docket::node {

std::vector<HistoryRun> plan_history_page(const std::vector<std::vector<uint64_t>>& heights, uint64_t from, size_t limit) {
  std::vector<size_t> pos(heights.size(), 0);  // next unmerged entry of each record
  std::vector<HistoryRun> runs(heights.size());
  for (size_t r = 0; r < heights.size(); ++r) runs[r].record = r;
  const uint64_t end = from + limit;
  // A k-way merge (k is small: a root and its revocations); ties go to the lower record.
  for (uint64_t index = 0; index < end; ++index) {
    size_t best = heights.size();
    for (size_t r = 0; r < heights.size(); ++r) {
      if (pos[r] < heights[r].size() && (best == heights.size() || heights[r][pos[r]] < heights[best][pos[best]])) best = r;
    }
    if (best == heights.size()) break;  // every record is exhausted
    if (index >= from) {
      if (runs[best].count == 0) runs[best].from = pos[best];
      ++runs[best].count;
    }
    ++pos[best];
  }
  std::vector<HistoryRun> out;
  for (const HistoryRun& run : runs) {
    if (run.count > 0) out.push_back(run);
  }
  return out;
}

}  // namespace docket::node
