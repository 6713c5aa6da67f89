#include "contracts/state_access.h"

namespace docket::contracts {

Result<std::optional<Bytes>> StateOverlay::get(std::string_view key) const {
  if (auto it = writes_.find(key); it != writes_.end()) return it->second;
  return base_.get(key);
}

Status StateOverlay::scan(std::string_view prefix, const Visitor& visit) const {
  // Merge in key order: the overlay's writes hide the base's records of the same key.
  std::map<std::string, Bytes, std::less<>> merged;
  DOCKET_TRY(base_.scan(prefix, [&](std::string_view k, ByteView v) {
    merged.emplace(std::string(k), Bytes(v.begin(), v.end()));
    return true;
  }));
  for (auto it = writes_.lower_bound(prefix); it != writes_.end() && it->first.starts_with(prefix); ++it) {
    if (it->second)
      merged[it->first] = *it->second;
    else
      merged.erase(it->first);
  }
  for (const auto& [k, v] : merged)
    if (!visit(k, v)) break;
  return ok_status();
}

void StateOverlay::apply(const Writes& w) {
  for (const auto& [k, v] : w) writes_[k] = v;
}

}  // namespace docket::contracts
