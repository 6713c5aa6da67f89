#include "ledger/storage/memory_store.h"

#include "ledger/storage/format.h"

namespace docket::storage {

MemoryStore::MemoryStore() {
  WriteBatch init;
  put_format_version(init);
  Status s = write(init, true);
  DOCKET_ASSERT(s.ok());
}

void MemoryStore::fail_next_write() {
  std::lock_guard l(mu_);
  fail_next_ = true;
}

void MemoryStore::restart() {
  std::lock_guard l(mu_);
  fail_next_ = false;
  write_failure_.reset();
}

Result<std::optional<Bytes>> MemoryStore::get(Column c, ByteView key) const {
  std::lock_guard l(mu_);
  const Map& m = cols_[column_index(c)];
  auto it = m.find(Bytes(key.begin(), key.end()));
  if (it == m.end()) return std::optional<Bytes>{};
  return std::optional<Bytes>{it->second};
}

Status MemoryStore::write(const WriteBatch& batch, bool /*sync*/) {
  std::lock_guard l(mu_);
  if (write_failure_)
    return make_error(Errc::io_error, "memory store refuses writes after an earlier failure: " + write_failure_->message);
  if (fail_next_) {
    fail_next_ = false;
    write_failure_ = make_error(Errc::io_error, "simulated write failure (disk full)");
    return *write_failure_;
  }
  for (const auto& op : batch.ops()) {
    Map& m = cols_[column_index(op.column)];
    if (op.kind == WriteBatch::Kind::put)
      m[op.key] = op.value;
    else
      m.erase(op.key);
  }
  return ok_status();
}

Status MemoryStore::scan(Column c, ByteView begin, ByteView end, const Visitor& visit) const {
  // Copy the range first: it is the snapshot the visitor sees (as a RocksDB iterator's), and the
  // visitor may call back into the store without deadlocking.
  std::vector<std::pair<Bytes, Bytes>> items;
  {
    std::lock_guard l(mu_);
    const Map& m = cols_[column_index(c)];
    auto it = m.lower_bound(Bytes(begin.begin(), begin.end()));
    Bytes end_key(end.begin(), end.end());
    for (; it != m.end() && (end_key.empty() || it->first < end_key); ++it) items.emplace_back(it->first, it->second);
  }
  for (const auto& [k, v] : items)
    if (!visit(k, v)) break;
  return ok_status();
}

Result<std::optional<std::pair<Bytes, Bytes>>> MemoryStore::last_before(Column c, ByteView before) const {
  std::lock_guard l(mu_);
  const Map& m = cols_[column_index(c)];
  auto it = before.empty() ? m.end() : m.lower_bound(Bytes(before.begin(), before.end()));
  if (it == m.begin()) return std::optional<std::pair<Bytes, Bytes>>{};
  --it;
  return std::optional<std::pair<Bytes, Bytes>>{std::make_pair(it->first, it->second)};
}

}  // namespace docket::storage
