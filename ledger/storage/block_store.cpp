#include "ledger/storage/block_store.h"

#include <algorithm>
#include <limits>

#include "ledger/storage/codec.h"

namespace docket::storage {

namespace {

// Column::blocks value: kBlockRecordVersion || u64be height || block bytes. The height makes a lookup
// by id complete and lets reads check the heights index against the block it names.
constexpr uint8_t kBlockRecordVersion = 1;
constexpr size_t kBlockRecordHeader = 1 + 8;
constexpr size_t kTxLocationSize = 8 + 4;

ByteView view(const Hash32& h) { return {h.data(), h.size()}; }

Error corrupt(std::string what) { return make_error(Errc::corruption, "block store: " + std::move(what)); }

}  // namespace

BlockStore::BlockStore(const KvStore& kv, BlockIdFn id_of) : kv_(kv), id_of_(std::move(id_of)) {}

Status BlockStore::put(WriteBatch& batch, const CommittedBlock& b) const {
  if (b.block.empty()) return make_error(Errc::invalid_argument, "block store: empty block at height " + std::to_string(b.height));
  if (b.certificate.empty())
    return make_error(Errc::invalid_argument, "block store: block at height " + std::to_string(b.height) + " has no certificate");
  if (b.tx_ids.size() > std::numeric_limits<uint32_t>::max())
    return make_error(Errc::invalid_argument, "block store: too many transactions in one block");
  std::vector<Hash32> sorted = b.tx_ids;
  std::sort(sorted.begin(), sorted.end());
  if (auto dup = std::adjacent_find(sorted.begin(), sorted.end()); dup != sorted.end())
    return make_error(Errc::invalid_argument, "block store: transaction " + to_hex(*dup) + " appears twice in block " + to_hex(b.id));
  if (id_of_) {
    auto id = id_of_(b.block);
    if (!id) return make_error(Errc::invalid_argument, "block store: block does not decode: " + id.error().message);
    if (*id != b.id)
      return make_error(Errc::invalid_argument, "block store: block id " + to_hex(b.id) + " is not the block's id " + to_hex(*id));
  }

  Bytes record{kBlockRecordVersion};
  record.reserve(kBlockRecordHeader + b.block.size());
  append_u64_be(record, b.height);
  append(record, b.block);
  batch.put(Column::blocks, view(b.id), record);
  batch.put(Column::heights, u64_be(b.height), view(b.id));
  batch.put(Column::certs, view(b.id), b.certificate);
  for (size_t i = 0; i < b.tx_ids.size(); ++i) {
    Bytes loc = u64_be(b.height);
    append_u32_be(loc, static_cast<uint32_t>(i));
    batch.put(Column::txs, view(b.tx_ids[i]), loc);
  }
  return ok_status();
}

Result<std::optional<StoredBlock>> BlockStore::read_block(const Hash32& id, std::optional<uint64_t> expected_height) const {
  auto rec = kv_.get(Column::blocks, view(id));
  if (!rec) return rec.error();
  if (!*rec) {
    if (expected_height)
      return corrupt("height " + std::to_string(*expected_height) + " names block " + to_hex(id) + ", which is not stored");
    return std::optional<StoredBlock>{};
  }
  const Bytes& r = **rec;
  if (r.size() < kBlockRecordHeader || r[0] != kBlockRecordVersion)
    return corrupt("the record of block " + to_hex(id) + " does not decode");
  StoredBlock out;
  out.height = load_u64_be(ByteView(r).subspan(1));
  out.id = id;
  out.block.assign(r.begin() + kBlockRecordHeader, r.end());

  if (expected_height && out.height != *expected_height)
    return corrupt("height " + std::to_string(*expected_height) + " names block " + to_hex(id) + ", stored at height " +
                   std::to_string(out.height));
  if (!expected_height) {
    auto at = kv_.get(Column::heights, u64_be(out.height));
    if (!at) return at.error();
    if (!*at || **at != Bytes(id.begin(), id.end()))
      return corrupt("block " + to_hex(id) + " says height " + std::to_string(out.height) +
                     ", but the heights index does not name it there");
  }
  if (id_of_) {
    auto actual = id_of_(out.block);
    if (!actual) return corrupt("block " + to_hex(id) + " does not decode: " + actual.error().message);
    if (*actual != id) return corrupt("the block stored under id " + to_hex(id) + " has id " + to_hex(*actual));
  }
  return std::optional<StoredBlock>{std::move(out)};
}

Result<std::optional<StoredBlock>> BlockStore::block_by_height(uint64_t height) const {
  auto id = kv_.get(Column::heights, u64_be(height));
  if (!id) return id.error();
  if (!*id) return std::optional<StoredBlock>{};
  auto hash = hash_from_bytes(**id);
  if (!hash) return corrupt("the block id under height " + std::to_string(height) + " is not 32 bytes");
  return read_block(*hash, height);
}

Result<std::optional<StoredBlock>> BlockStore::block_by_id(const Hash32& id) const { return read_block(id, std::nullopt); }

Result<std::optional<Bytes>> BlockStore::certificate(const Hash32& block_id) const {
  return kv_.get(Column::certs, view(block_id));
}

Result<std::optional<uint64_t>> BlockStore::latest_height() const {
  auto last = kv_.last_before(Column::heights, {});
  if (!last) return last.error();
  if (!*last) return std::optional<uint64_t>{};
  if ((*last)->first.size() != 8) return corrupt("a key of the heights index is not 8 bytes");
  return std::optional<uint64_t>{load_u64_be((*last)->first)};
}

Result<std::optional<TxLocation>> BlockStore::tx_location(const Hash32& tx_id) const {
  auto v = kv_.get(Column::txs, view(tx_id));
  if (!v) return v.error();
  if (!*v) return std::optional<TxLocation>{};
  if ((*v)->size() != kTxLocationSize) return corrupt("the location of transaction " + to_hex(tx_id) + " does not decode");
  ByteView b = **v;
  return std::optional<TxLocation>{TxLocation{load_u64_be(b), load_u32_be(b.subspan(8))}};
}

}  // namespace docket::storage
