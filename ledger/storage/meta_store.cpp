#include "ledger/storage/meta_store.h"

#include "ledger/storage/format.h"
#include "ledger/storage/meta_value.h"

namespace docket::storage {

namespace {

// Column::meta keys. "docket/..." are the database's own; named values live under "value/" so that no
// name can collide with them.
constexpr std::string_view kChainIdKey = "docket/chain_id";
constexpr std::string_view kGenesisKey = "docket/genesis_hash";

std::string value_key(std::string_view name) {
  DOCKET_ASSERT_MSG(!name.empty(), "metadata names are not empty");
  return "value/" + std::string(name);
}

Result<std::optional<Bytes>> get_raw(const KvStore& kv, std::string_view key) { return kv.get(Column::meta, as_bytes(key)); }

Result<std::optional<Bytes>> get_typed_bytes(const KvStore& kv, std::string_view key) {
  auto v = get_raw(kv, key);
  if (!v) return v.error();
  if (!*v) return std::optional<Bytes>{};
  auto b = decode_meta_bytes(key, **v);
  if (!b) return b.error();
  return std::optional<Bytes>{std::move(*b)};
}

Result<std::optional<uint64_t>> get_typed_u64(const KvStore& kv, std::string_view key) {
  auto v = get_raw(kv, key);
  if (!v) return v.error();
  if (!*v) return std::optional<uint64_t>{};
  auto n = decode_meta_u64(key, **v);
  if (!n) return n.error();
  return std::optional<uint64_t>{*n};
}

}  // namespace

MetaStore::MetaStore(const KvStore& kv) : kv_(kv) {}

Result<uint64_t> MetaStore::format_version() const {
  auto v = get_typed_u64(kv_, kFormatVersionKey);
  if (!v) return v.error();
  if (!*v) return make_error(Errc::corruption, "meta: no format version record");
  return **v;
}

void MetaStore::put_chain_id(WriteBatch& batch, std::string_view chain_id) const {
  batch.put(Column::meta, as_bytes(kChainIdKey), encode_meta_bytes(as_bytes(chain_id)));
}

Result<std::optional<std::string>> MetaStore::chain_id() const {
  auto b = get_typed_bytes(kv_, kChainIdKey);
  if (!b) return b.error();
  if (!*b) return std::optional<std::string>{};
  return std::optional<std::string>{to_string(**b)};
}

void MetaStore::put_genesis_hash(WriteBatch& batch, const Hash32& genesis) const {
  batch.put(Column::meta, as_bytes(kGenesisKey), encode_meta_bytes(ByteView(genesis.data(), genesis.size())));
}

Result<std::optional<Hash32>> MetaStore::genesis_hash() const {
  auto b = get_typed_bytes(kv_, kGenesisKey);
  if (!b) return b.error();
  if (!*b) return std::optional<Hash32>{};
  auto h = hash_from_bytes(**b);
  if (!h) return make_error(Errc::corruption, "meta: the genesis hash is not 32 bytes");
  return std::optional<Hash32>{*h};
}

Status MetaStore::expect_chain(std::string_view chain_id, const Hash32& genesis) const {
  auto id = this->chain_id();
  if (!id) return id.error();
  auto g = genesis_hash();
  if (!g) return g.error();
  if (!*id || !*g) return make_error(Errc::not_found, "the database is not bound to a chain yet");
  if (**id != chain_id)
    return make_error(Errc::wrong_chain, "the database belongs to chain '" + **id + "', not '" + std::string(chain_id) + "'");
  if (**g != genesis)
    return make_error(Errc::wrong_chain, "the database was started from genesis " + to_hex(**g) + ", not " + to_hex(genesis));
  return ok_status();
}

void MetaStore::put_u64(WriteBatch& batch, std::string_view name, uint64_t value) const {
  batch.put(Column::meta, as_bytes(value_key(name)), encode_meta_u64(value));
}

void MetaStore::put_bytes(WriteBatch& batch, std::string_view name, ByteView value) const {
  batch.put(Column::meta, as_bytes(value_key(name)), encode_meta_bytes(value));
}

void MetaStore::erase(WriteBatch& batch, std::string_view name) const {
  batch.del(Column::meta, as_bytes(value_key(name)));
}

Result<std::optional<uint64_t>> MetaStore::get_u64(std::string_view name) const { return get_typed_u64(kv_, value_key(name)); }

Result<std::optional<Bytes>> MetaStore::get_bytes(std::string_view name) const {
  return get_typed_bytes(kv_, value_key(name));
}

}  // namespace docket::storage
