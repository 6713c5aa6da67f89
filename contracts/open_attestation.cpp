#include "contracts/open_attestation.h"

#include <algorithm>

#include "ledger/crypto/keccak.h"

namespace docket::contracts::oa {

Hash32 combine(const Hash32& a, const Hash32& b) {
  uint8_t buf[64];
  const Hash32& lo = a < b ? a : b;
  const Hash32& hi = a < b ? b : a;
  std::copy(lo.begin(), lo.end(), buf);
  std::copy(hi.begin(), hi.end(), buf + 32);
  return crypto::keccak256(ByteView(buf, 64));
}

std::vector<Hash32> path_hashes(const Hash32& hash, std::span<const Hash32> proof) {
  std::vector<Hash32> out{hash};
  for (const auto& sibling : proof) out.push_back(combine(out.back(), sibling));
  return out;
}

namespace {
std::vector<std::vector<Hash32>> layers(std::span<const Hash32> leaves) {
  std::vector<Hash32> level(leaves.begin(), leaves.end());
  std::sort(level.begin(), level.end());
  level.erase(std::unique(level.begin(), level.end()), level.end());
  std::vector<std::vector<Hash32>> out{level};
  while (out.back().size() > 1) {
    const auto& cur = out.back();
    std::vector<Hash32> next;
    for (size_t i = 0; i < cur.size(); i += 2) next.push_back(i + 1 < cur.size() ? combine(cur[i], cur[i + 1]) : cur[i]);
    out.push_back(std::move(next));
  }
  return out;
}
}  // namespace

Hash32 merkle_root(std::span<const Hash32> target_hashes) {
  if (target_hashes.empty()) return Hash32{};
  return layers(target_hashes).back()[0];
}

std::optional<std::vector<Hash32>> merkle_proof(std::span<const Hash32> target_hashes, const Hash32& target) {
  auto ls = layers(target_hashes);
  auto it = std::find(ls[0].begin(), ls[0].end(), target);
  if (it == ls[0].end()) return std::nullopt;
  size_t idx = static_cast<size_t>(it - ls[0].begin());
  std::vector<Hash32> proof;
  for (size_t l = 0; l + 1 < ls.size(); ++l) {
    size_t sib = idx ^ 1;
    if (sib < ls[l].size()) proof.push_back(ls[l][sib]);
    idx /= 2;
  }
  return proof;
}

}  // namespace docket::contracts::oa
