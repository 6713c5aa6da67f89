// StateTree: the authenticated state, a versioned sparse Merkle tree (hashing rules in smt_hash.h)
// stored in Column::state of a KvStore. Version = block height; every committed height has a root.
//
// Layout in Column::state (docs/contracts.md, "State storage"):
//   'n' u64be(version) u32be(seq)          -> tree node (leaf: 0x01 path value_hash;
//                                             inner: 0x02 left_ref right_ref)
//   'r' u64be(version)                     -> root ref of that version
//   'v' record_key 0x00 u64be(version)     -> 0x01 value | 0x00 (deleted at that version)
//   's' u64be(stale_since) store_key       -> "" (store_key is unused from version stale_since on)
//   'm' "latest" / 'm' "oldest"            -> u64be
// Nodes are keyed by the version that wrote them, never by content, so identical subtrees written at
// different versions never share a key and pruning one version can never delete a node another still
// uses. A ref is kind (0 empty, 1 leaf, 2 inner) | hash | node key.
//
// Record keys are 1..256 printable ASCII bytes (0x21..0x7e), e.g. "doc/<hex>": they never contain the
// 0x00 separator, so the versions of one key are contiguous and ordered in the store.
//
// The tree never writes: prepare() returns the new root and a WriteBatch, and the caller commits that
// batch (with the block, atomically). Reads of the store may run concurrently with other readers; a
// StateTree has no mutable state of its own. The store must outlive it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/state/proof.h"
#include "ledger/storage/kv_store.h"

namespace docket::state {

inline constexpr size_t kMaxRecordKeyBytes = 256;
bool is_valid_record_key(std::string_view key);

// Record key -> new value, or nullopt to delete. std::map: one deterministic order.
using StateChanges = std::map<std::string, std::optional<Bytes>, std::less<>>;

struct PreparedVersion {
  uint64_t version = 0;
  Hash32 root{};
  storage::WriteBatch batch;  // nodes, values, root, stale index, pruning deletes
  size_t changed_records = 0; // records whose value actually changed
};

struct ProvenValue {
  Hash32 root{};
  std::optional<Bytes> value;
  StateProof proof;
};

class StateTree {
 public:
  struct Options {
    // Versions to keep readable (proofs, queries) counting the latest; 0 keeps all. Otherwise >= 2.
    uint64_t keep_versions = 0;
  };

  explicit StateTree(const storage::KvStore& store) : StateTree(store, Options{}) {}
  StateTree(const storage::KvStore& store, Options opts);

  // The latest committed version, nullopt before the first (genesis) commit.
  Result<std::optional<uint64_t>> latest_version() const;
  // The oldest version still readable (0 when nothing was pruned).
  Result<uint64_t> oldest_version() const;

  Result<Hash32> root_hash(uint64_t version) const;
  Result<std::optional<Bytes>> get(std::string_view key, uint64_t version) const;
  // Visits records whose key starts with prefix, in key order, as of version, until visit returns false.
  using Visitor = std::function<bool(std::string_view key, ByteView value)>;
  Status scan(std::string_view prefix, uint64_t version, const Visitor& visit) const;
  // The value of key at version with its inclusion or non-inclusion proof against that version's root.
  Result<ProvenValue> prove(std::string_view key, uint64_t version) const;

  // Computes `version` = latest + changes (the first version may be any number, normally 0 for
  // genesis). Does not write. Changes that leave a record as it was are ignored, so the root depends
  // only on the resulting contents.
  Result<PreparedVersion> prepare(uint64_t version, const StateChanges& changes) const;

 private:
  Status check_readable(uint64_t version) const;

  const storage::KvStore& store_;
  Options opts_;
};

}  // namespace docket::state
