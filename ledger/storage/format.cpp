#include "ledger/storage/format.h"

#include "ledger/storage/meta_value.h"

namespace docket::storage {

void put_format_version(WriteBatch& batch) {
  batch.put(Column::meta, as_bytes(kFormatVersionKey), encode_meta_u64(kFormatVersion));
}

Status check_format_version(const std::optional<Bytes>& record, std::string_view where) {
  if (!record)
    return make_error(Errc::corruption, std::string(where) + ": no format version record (not a Docket database)");
  auto version = decode_meta_u64(kFormatVersionKey, *record);
  if (!version) return make_error(Errc::corruption, std::string(where) + ": " + version.error().message);
  if (*version != kFormatVersion)
    return make_error(Errc::version_mismatch, std::string(where) + ": database format version " +
                                                  std::to_string(*version) + ", this build reads version " +
                                                  std::to_string(kFormatVersion));
  return ok_status();
}

}  // namespace docket::storage
