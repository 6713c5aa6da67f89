// MetaStore: the database's identity (chain id, genesis hash, format version) and named, typed
// metadata (u64 or bytes, e.g. the height the state was last executed to), in Column::meta. Values are
// tagged with their type (meta_value.h); reading one as the wrong type is Errc::corruption.
//
// Writes go into a WriteBatch supplied by the caller, so that they commit atomically with the rest.
// Ownership: refers to a KvStore it does not own, which must outlive it. Thread safety: as the
// KvStore's reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ledger/storage/kv_store.h"

namespace docket::storage {

class MetaStore {
 public:
  explicit MetaStore(const KvStore& kv);

  // The format version recorded when the database was created (format.h).
  Result<uint64_t> format_version() const;

  void put_chain_id(WriteBatch& batch, std::string_view chain_id) const;
  Result<std::optional<std::string>> chain_id() const;
  void put_genesis_hash(WriteBatch& batch, const Hash32& genesis) const;
  Result<std::optional<Hash32>> genesis_hash() const;

  // Checks that the database belongs to this chain: ok when both the recorded chain id and genesis
  // hash equal the given ones; Errc::wrong_chain when either differs; Errc::not_found when the database
  // has not been bound to a chain yet (put both, in the batch that writes genesis).
  Status expect_chain(std::string_view chain_id, const Hash32& genesis) const;

  // Named values. REQUIRES: name is not empty (names are constants of the code, not input).
  void put_u64(WriteBatch& batch, std::string_view name, uint64_t value) const;
  void put_bytes(WriteBatch& batch, std::string_view name, ByteView value) const;
  void erase(WriteBatch& batch, std::string_view name) const;
  Result<std::optional<uint64_t>> get_u64(std::string_view name) const;
  Result<std::optional<Bytes>> get_bytes(std::string_view name) const;

 private:
  const KvStore& kv_;
};

}  // namespace docket::storage
