// The on-disk format version of a Docket database. It lives in Column::meta under kFormatVersionKey
// from the moment a store is created: RocksStore writes it when it creates a database, MemoryStore at
// construction, so code above KvStore sees the same thing from both. A store whose record is another
// version is refused (Errc::version_mismatch), never read with the wrong layout.
//
// Bump kFormatVersion on any incompatible change of a column's key or value layout or of the set of
// columns (docs/storage.md lists them). There is no in-place migration yet.
#pragma once

#include <optional>
#include <string_view>

#include "ledger/storage/kv_store.h"

namespace docket::storage {

// 2: block ids and certificate signatures bind the genesis hash (crypto::ChainBinding), so blocks and
// QCs stored by version 1 no longer verify.
inline constexpr uint64_t kFormatVersion = 2;
// Keys of Column::meta starting with "docket/" are Docket's own; MetaStore's named values live apart.
inline constexpr std::string_view kFormatVersionKey = "docket/format_version";

// Adds the record for this build's format version.
void put_format_version(WriteBatch& batch);

// Checks a format record read from Column::meta: ok when it is this build's version;
// Errc::version_mismatch for another version; Errc::corruption when it does not decode or is absent.
// `where` names the store in messages (a directory, "memory store").
Status check_format_version(const std::optional<Bytes>& record, std::string_view where);

}  // namespace docket::storage
