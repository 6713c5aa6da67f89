#include "consensus/block_tree.h"

namespace docket::consensus {

const TreeBlock* BlockTree::find(const BlockId& id) const {
  auto it = blocks_.find(id);
  return it == blocks_.end() ? nullptr : &it->second;
}

TreeBlock* BlockTree::find(const BlockId& id) {
  auto it = blocks_.find(id);
  return it == blocks_.end() ? nullptr : &it->second;
}

Height BlockTree::height_of(const BlockId& id) const {
  if (is_root(id)) return root_.height;
  const TreeBlock* b = find(id);
  DOCKET_ASSERT(b != nullptr);
  return b->block.header.height;
}

uint64_t BlockTree::timestamp_of(const BlockId& id) const {
  if (is_root(id)) return root_.timestamp_ms;
  const TreeBlock* b = find(id);
  DOCKET_ASSERT(b != nullptr);
  return b->block.header.timestamp_ms;
}

Status BlockTree::insert(BlockView block) {
  DOCKET_ASSERT(contains(block.header.parent_id));
  DOCKET_ASSERT(!contains(block.id));
  if (blocks_.size() >= capacity_) return make_error(Errc::too_large, "block tree full");
  size_t& in_round = per_round_[block.header.round];
  if (in_round >= kMaxBlocksPerRound) return make_error(Errc::too_large, "too many blocks in one round");
  ++in_round;
  BlockId id = block.id;
  blocks_.emplace(id, TreeBlock{std::move(block), {}});
  return ok_status();
}

bool BlockTree::evict_one(const BlockId& protect) {
  std::unordered_map<BlockId, bool, IdHash> has_child;
  for (const auto& [id, b] : blocks_) has_child[b.block.header.parent_id] = true;
  const BlockId* victim = nullptr;
  Round victim_round = 0;
  for (const auto& [id, b] : blocks_) {
    if (has_child.count(id) != 0 || extends(protect, id)) continue;
    if (victim == nullptr || b.block.header.round < victim_round) {
      victim = &id;
      victim_round = b.block.header.round;
    }
  }
  if (victim == nullptr) return false;
  if (--per_round_[victim_round] == 0) per_round_.erase(victim_round);
  blocks_.erase(*victim);
  return true;
}

void BlockTree::set_qc(const BlockId& id, const Bytes& qc) {
  TreeBlock* b = find(id);
  if (b != nullptr && b->qc.empty()) b->qc = qc;
}

std::vector<const TreeBlock*> BlockTree::path_from_root(const BlockId& id) const {
  std::vector<const TreeBlock*> path;
  BlockId cur = id;
  while (!is_root(cur)) {
    const TreeBlock* b = find(cur);
    DOCKET_ASSERT(b != nullptr);
    path.push_back(b);
    cur = b->block.header.parent_id;
  }
  return {path.rbegin(), path.rend()};
}

bool BlockTree::extends(const BlockId& id, const BlockId& ancestor) const {
  BlockId cur = id;
  for (;;) {
    if (cur == ancestor) return true;
    if (is_root(cur)) return false;
    const TreeBlock* b = find(cur);
    if (b == nullptr) return false;
    cur = b->block.header.parent_id;
  }
}

void BlockTree::advance_root(const BlockId& id) {
  const TreeBlock* nb = find(id);
  DOCKET_ASSERT(nb != nullptr);
  RootInfo r;
  r.id = id;
  r.height = nb->block.header.height;
  r.round = nb->block.header.round;
  r.epoch = nb->block.header.epoch;
  r.timestamp_ms = nb->block.header.timestamp_ms;
  r.qc = nb->qc;
  DOCKET_ASSERT(!r.qc.empty());
  // Keep only descendants of the new root. Decide first, then move, so `extends` walks intact entries.
  std::vector<BlockId> keep;
  for (const auto& [bid, b] : blocks_) {
    if (b.block.header.height > r.height && extends(bid, id)) keep.push_back(bid);
  }
  std::unordered_map<BlockId, TreeBlock, IdHash> kept;
  std::map<Round, size_t> rounds;
  for (const BlockId& bid : keep) {
    auto node = blocks_.extract(bid);
    ++rounds[node.mapped().block.header.round];
    kept.insert(std::move(node));
  }
  blocks_ = std::move(kept);
  per_round_ = std::move(rounds);
  root_ = std::move(r);
}

void BlockTree::reset_root(RootInfo root) {
  blocks_.clear();
  per_round_.clear();
  root_ = std::move(root);
}

}  // namespace docket::consensus
