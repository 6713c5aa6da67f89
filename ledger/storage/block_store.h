// BlockStore: committed blocks by height and by id, their commit certificates and the location of
// every committed transaction, laid out over a KvStore (columns blocks, heights, certs, txs; layouts in
// docs/storage.md). It stores bytes: what a block or certificate means is the caller's business.
//
// Writes go into a WriteBatch supplied by the caller, so that a block, the state it produced and any
// other index are committed in one atomic, synced write. Reads check what they find: a value that does
// not decode, or an id under a height that does not lead back to that height, is Errc::corruption.
//
// Ownership: refers to a KvStore it does not own, which must outlive it. Thread safety: as the
// KvStore's reads (the object itself holds no mutable state).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "ledger/storage/kv_store.h"

namespace docket::storage {

struct CommittedBlock {
  uint64_t height = 0;
  Hash32 id{};                  // the block's id (the hash its certificate signs)
  Bytes block;                  // the serialized block, exactly as hashed and signed
  Bytes certificate;            // the serialized certificate that commits it
  std::vector<Hash32> tx_ids;   // its transactions' ids in block order; index = position
};

struct StoredBlock {
  uint64_t height = 0;
  Hash32 id{};
  Bytes block;
};

struct TxLocation {
  uint64_t height = 0;
  uint32_t index = 0;
  bool operator==(const TxLocation&) const = default;
};

class BlockStore {
 public:
  // Computes a block's id from its bytes, failing when they do not decode. Given, it is used to check
  // blocks on put (Errc::invalid_argument) and on every read (Errc::corruption); it keeps the store
  // independent of the block format. Without it, reads check only the store's own records.
  using BlockIdFn = std::function<Result<Hash32>(ByteView block)>;

  explicit BlockStore(const KvStore& kv, BlockIdFn id_of = {});

  // Adds the block, its certificate, its height index and its transactions' locations to `batch`.
  // Errc::invalid_argument for an empty block or certificate, duplicate tx ids, more than 2^32 - 1
  // transactions, or (with id_of) an id that is not the block's. Committing heights in order, each
  // once, is the caller's rule: the store keeps what it is given.
  Status put(WriteBatch& batch, const CommittedBlock& b) const;

  Result<std::optional<StoredBlock>> block_by_height(uint64_t height) const;
  Result<std::optional<StoredBlock>> block_by_id(const Hash32& id) const;
  Result<std::optional<Bytes>> certificate(const Hash32& block_id) const;
  // The greatest committed height, std::nullopt while no block is stored.
  Result<std::optional<uint64_t>> latest_height() const;
  Result<std::optional<TxLocation>> tx_location(const Hash32& tx_id) const;

 private:
  Result<std::optional<StoredBlock>> read_block(const Hash32& id, std::optional<uint64_t> expected_height) const;

  const KvStore& kv_;
  BlockIdFn id_of_;
};

}  // namespace docket::storage
