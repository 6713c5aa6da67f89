#include "ledger/storage/kv_store.h"

namespace docket::storage {

size_t column_index(Column c) {
  auto i = static_cast<size_t>(c);
  DOCKET_ASSERT_MSG(i < kColumnCount, "Column value outside the enum");
  return i;
}

std::string_view column_name(Column c) {
  switch (c) {
    case Column::meta: return "meta";
    case Column::blocks: return "blocks";
    case Column::heights: return "heights";
    case Column::certs: return "certs";
    case Column::txs: return "txs";
    case Column::state: return "state";
    case Column::safety: return "safety";
    case Column::app: return "app";
  }
  DOCKET_ASSERT_MSG(false, "Column value outside the enum");
  return {};
}

}  // namespace docket::storage
