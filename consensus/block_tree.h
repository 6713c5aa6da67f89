// BlockTree: the committed root and the uncommitted blocks that descend from it, each with the QC that
// certifies it once known. Bounded: at most `capacity` blocks and a few per round; insertion beyond
// that is refused. Owned by one Core; not thread-safe.
#pragma once

#include <cstring>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "consensus/messages.h"

namespace docket::consensus {

struct RootInfo {
  BlockId id{};
  Height height = 0;
  Round round = 0;     // round in the epoch the root was proposed in
  Epoch epoch = 0;
  uint64_t timestamp_ms = 0;
  Bytes qc;            // the QC certifying the root
};

struct TreeBlock {
  BlockView block;
  Bytes qc;  // QC certifying this block, empty until known
};

class BlockTree {
 public:
  static constexpr size_t kMaxBlocksPerRound = 4;

  BlockTree(RootInfo root, size_t capacity) : root_(std::move(root)), capacity_(capacity) {}

  const RootInfo& root() const { return root_; }
  bool is_root(const BlockId& id) const { return id == root_.id; }
  bool contains(const BlockId& id) const { return is_root(id) || blocks_.count(id) != 0; }
  const TreeBlock* find(const BlockId& id) const;
  TreeBlock* find(const BlockId& id);
  size_t size() const { return blocks_.size(); }

  // Height and timestamp of a known block (root included).
  Height height_of(const BlockId& id) const;
  uint64_t timestamp_of(const BlockId& id) const;

  // REQUIRES: the parent is known and the block is not. Fails when the tree or the round is full.
  Status insert(BlockView block);
  // Records the QC of a known block (first one wins; all valid QCs of a block are equivalent).
  void set_qc(const BlockId& id, const Bytes& qc);

  // Blocks from the root's child down to `id`, in order. REQUIRES: contains(id) and !is_root(id).
  std::vector<const TreeBlock*> path_from_root(const BlockId& id) const;
  // Whether `id` descends from (or is) `ancestor`.
  bool extends(const BlockId& id, const BlockId& ancestor) const;

  // Forgets the lowest-round leaf that is not `protect` or one of its ancestors, to make room when full
  // (forgotten blocks can be fetched again). Returns false if there is none.
  bool evict_one(const BlockId& protect);

  // Makes a committed block the root; drops every block that does not descend from it.
  void advance_root(const BlockId& id);
  // Starts a new epoch from the current root (its round counts as 0 in the new epoch's terms).
  void reset_root(RootInfo root);

 private:
  struct IdHash {
    size_t operator()(const BlockId& id) const {
      size_t h;
      std::memcpy(&h, id.data(), sizeof h);
      return h;
    }
  };
  RootInfo root_;
  size_t capacity_;
  std::unordered_map<BlockId, TreeBlock, IdHash> blocks_;
  std::map<Round, size_t> per_round_;
};

}  // namespace docket::consensus
