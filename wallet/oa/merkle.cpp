#include "wallet/oa/merkle.h"

#include <algorithm>

#include "ledger/crypto/keccak.h"

namespace docket::wallet::oa {

Hash32 combine_sorted(const Hash32& a, const Hash32& b) {
  uint8_t buf[64];
  const Hash32& lo = a < b ? a : b;
  const Hash32& hi = a < b ? b : a;
  std::copy(lo.begin(), lo.end(), buf);
  std::copy(hi.begin(), hi.end(), buf + 32);
  return crypto::keccak256(ByteView(buf, sizeof buf));
}

MerkleTree::MerkleTree(std::vector<Hash32> leaves) {
  DOCKET_ASSERT_MSG(!leaves.empty(), "a Merkle tree needs at least one leaf");
  std::sort(leaves.begin(), leaves.end());
  layers_.push_back(std::move(leaves));
  while (layers_.back().size() > 1) {
    const auto& cur = layers_.back();
    std::vector<Hash32> next;
    next.reserve((cur.size() + 1) / 2);
    for (size_t i = 0; i < cur.size(); i += 2)
      next.push_back(i + 1 < cur.size() ? combine_sorted(cur[i], cur[i + 1]) : cur[i]);
    layers_.push_back(std::move(next));
  }
}

Result<std::vector<Hash32>> MerkleTree::proof(const Hash32& leaf) const {
  const auto& base = layers_.front();
  auto it = std::lower_bound(base.begin(), base.end(), leaf);
  if (it == base.end() || *it != leaf) return make_error(Errc::not_found, "hash is not a leaf of this tree");
  size_t i = static_cast<size_t>(it - base.begin());
  std::vector<Hash32> out;
  for (const auto& layer : layers_) {
    size_t pair = (i % 2) ? i - 1 : i + 1;
    if (pair < layer.size()) out.push_back(layer[pair]);
    i /= 2;
  }
  return out;
}

bool check_proof(const std::vector<Hash32>& proof, const Hash32& root, const Hash32& leaf) {
  Hash32 h = leaf;
  for (const auto& p : proof) h = combine_sorted(h, p);
  return h == root;
}

}  // namespace docket::wallet::oa
