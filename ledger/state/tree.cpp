#include "ledger/state/tree.h"

#include <algorithm>
#include <span>
#include <vector>

#include "ledger/state/node_codec.h"
#include "ledger/state/smt_hash.h"

namespace docket::state {

using namespace detail;
using storage::Column;

bool is_valid_record_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxRecordKeyBytes) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

namespace {

Result<std::optional<uint64_t>> read_meta(const storage::KvStore& store, std::string_view name) {
  auto v = store.get(Column::state, meta_key(name));
  if (!v) return v.error();
  if (!*v) return std::optional<uint64_t>{};
  if ((*v)->size() != 8) return make_error(Errc::corruption, "bad state meta value");
  return std::optional<uint64_t>{read_u64_be((*v)->data())};
}

Bytes u64_bytes(uint64_t v) {
  Bytes out;
  append_u64_be(out, v);
  return out;
}

// A stored value version: where it is and what it holds.
struct ValueEntry {
  Bytes store_key;
  std::optional<Bytes> value;  // nullopt: a deletion marker
};

Result<std::optional<ValueEntry>> find_value(const storage::KvStore& store, std::string_view key, uint64_t version) {
  Bytes prefix = value_key_prefix(key);
  Bytes before = prefix;
  if (version == UINT64_MAX) {
    before.back() = 0x01;  // just past every version of this key
  } else {
    append_u64_be(before, version + 1);
  }
  auto e = store.last_before(Column::state, before);
  if (!e) return e.error();
  if (!*e) return std::optional<ValueEntry>{};
  const auto& [k, v] = **e;
  if (k.size() != prefix.size() + 8 || !std::equal(prefix.begin(), prefix.end(), k.begin()))
    return std::optional<ValueEntry>{};
  if (v.empty() || v[0] > 1) return make_error(Errc::corruption, "bad state value entry");
  ValueEntry out{k, std::nullopt};
  if (v[0] == 1) out.value = Bytes(v.begin() + 1, v.end());
  return std::optional<ValueEntry>{std::move(out)};
}

Result<Ref> read_root(const storage::KvStore& store, uint64_t version) {
  auto v = store.get(Column::state, root_store_key(version));
  if (!v) return v.error();
  if (!*v) return make_error(Errc::not_found, "no state root for version " + std::to_string(version));
  return decode_ref(**v);
}

Result<Node> read_node(const storage::KvStore& store, const Ref& ref) {
  auto v = store.get(Column::state, node_store_key(ref.key));
  if (!v) return v.error();
  if (!*v) return make_error(Errc::corruption, "state tree node missing (pruned or damaged store)");
  auto n = decode_node(**v);
  if (n && n->kind != ref.kind) return make_error(Errc::corruption, "state tree node kind differs from its ref");
  return n;
}

struct Update {
  Hash32 path;
  std::optional<Hash32> value_hash;  // nullopt: delete
};

struct Item {
  Hash32 path;
  Hash32 value_hash;
  std::optional<Ref> existing;  // an unchanged leaf that can be reused where it lands
};

// One version's batch update. Writes new nodes and stale marks into the batch; reads old nodes.
class Builder {
 public:
  Builder(const storage::KvStore& store, uint64_t version, storage::WriteBatch& batch)
      : store_(store), version_(version), batch_(batch) {}

  Result<Ref> update(const Ref& node, int depth, std::span<const Update> ups) {
    if (ups.empty()) return node;
    switch (node.kind) {
      case RefKind::empty: {
        std::vector<Item> items;
        for (const auto& u : ups)
          if (u.value_hash) items.push_back({u.path, *u.value_hash, std::nullopt});
        return build(depth, items);
      }
      case RefKind::leaf: {
        auto n = read_node(store_, node);
        if (!n) return n.error();
        std::vector<Item> items;
        bool replaced = false;
        bool placed = false;
        for (const auto& u : ups) {
          if (!placed && n->path < u.path) {
            items.push_back({n->path, n->value_hash, node});
            placed = true;
          }
          if (u.path == n->path) {
            replaced = true;
            placed = true;
          }
          if (u.value_hash) items.push_back({u.path, *u.value_hash, std::nullopt});
        }
        if (!placed) items.push_back({n->path, n->value_hash, node});
        if (replaced) mark_stale(node);
        return build(depth, items);
      }
      case RefKind::inner: {
        DOCKET_ASSERT(depth < kPathBits);
        auto n = read_node(store_, node);
        if (!n) return n.error();
        auto split = std::partition_point(ups.begin(), ups.end(), [&](const Update& u) { return !path_bit(u.path, depth); });
        auto mid = static_cast<size_t>(split - ups.begin());
        auto l = update(n->left, depth + 1, ups.subspan(0, mid));
        if (!l) return l.error();
        auto r = update(n->right, depth + 1, ups.subspan(mid));
        if (!r) return r.error();
        mark_stale(node);
        return make_inner(*l, *r);
      }
    }
    return make_error(Errc::corruption, "bad ref kind");
  }

 private:
  Ref build(int depth, std::span<const Item> items) {
    if (items.empty()) return Ref{};
    if (items.size() == 1) {
      if (items[0].existing) return *items[0].existing;
      return write(RefKind::leaf, leaf_hash(items[0].path, items[0].value_hash), encode_leaf(items[0].path, items[0].value_hash));
    }
    // Paths are distinct SHA-256 outputs, so two of them always part before depth 256.
    DOCKET_ASSERT(depth < kPathBits);
    auto split = std::partition_point(items.begin(), items.end(), [&](const Item& it) { return !path_bit(it.path, depth); });
    auto mid = static_cast<size_t>(split - items.begin());
    return make_inner(build(depth + 1, items.subspan(0, mid)), build(depth + 1, items.subspan(mid)));
  }

  // A subtree of one leaf is the leaf itself; of nothing, empty.
  Ref make_inner(const Ref& l, const Ref& r) {
    if (l.kind == RefKind::empty && r.kind != RefKind::inner) return r;
    if (r.kind == RefKind::empty && l.kind != RefKind::inner) return l;
    return write(RefKind::inner, node_hash(l.hash, r.hash), encode_inner(l, r));
  }

  Ref write(RefKind kind, const Hash32& hash, const Bytes& encoded) {
    Ref ref{kind, hash, NodeKey{version_, seq_++}};
    batch_.put(Column::state, node_store_key(ref.key), encoded);
    return ref;
  }

  void mark_stale(const Ref& ref) {
    batch_.put(Column::state, stale_store_key(version_, node_store_key(ref.key)), Bytes{});
  }

  const storage::KvStore& store_;
  uint64_t version_;
  uint32_t seq_ = 0;
  storage::WriteBatch& batch_;
};

}  // namespace

StateTree::StateTree(const storage::KvStore& store, Options opts) : store_(store), opts_(opts) {
  DOCKET_ASSERT_MSG(opts_.keep_versions == 0 || opts_.keep_versions >= 2, "keep_versions must be 0 or >= 2");
}

Result<std::optional<uint64_t>> StateTree::latest_version() const { return read_meta(store_, "latest"); }

Result<uint64_t> StateTree::oldest_version() const {
  auto o = read_meta(store_, "oldest");
  if (!o) return o.error();
  return o->value_or(0);
}

Status StateTree::check_readable(uint64_t version) const {
  auto latest = latest_version();
  if (!latest) return latest.error();
  if (!*latest || version > **latest)
    return make_error(Errc::not_found, "state version " + std::to_string(version) + " is not committed");
  auto oldest = oldest_version();
  if (!oldest) return oldest.error();
  if (version < *oldest)
    return make_error(Errc::not_found, "state version " + std::to_string(version) + " was pruned (oldest kept: " +
                                           std::to_string(*oldest) + ")");
  return ok_status();
}

Result<Hash32> StateTree::root_hash(uint64_t version) const {
  DOCKET_TRY(check_readable(version));
  auto r = read_root(store_, version);
  if (!r) return r.error();
  return r->hash;
}

Result<std::optional<Bytes>> StateTree::get(std::string_view key, uint64_t version) const {
  if (!is_valid_record_key(key)) return make_error(Errc::invalid_argument, "not a valid record key");
  DOCKET_TRY(check_readable(version));
  auto e = find_value(store_, key, version);
  if (!e) return e.error();
  if (!*e) return std::optional<Bytes>{};
  return std::move((*e)->value);
}

Status StateTree::scan(std::string_view prefix, uint64_t version, const Visitor& visit) const {
  if (prefix.size() > kMaxRecordKeyBytes) return make_error(Errc::invalid_argument, "prefix too long");
  if (!prefix.empty() && !is_valid_record_key(prefix)) return make_error(Errc::invalid_argument, "not a valid key prefix");
  DOCKET_TRY(check_readable(version));
  Bytes begin{'v'};
  append(begin, as_bytes(prefix));
  Bytes end = begin;
  // Keys are printable ASCII, so bumping the last byte gives the first key past the prefix.
  end.back() = static_cast<uint8_t>(end.back() + 1);

  std::string cur_key;
  std::optional<Bytes> cur_value;  // latest version <= `version` of cur_key seen so far
  bool stopped = false;
  auto flush = [&]() {
    if (!cur_key.empty() && cur_value && !stopped) stopped = !visit(cur_key, *cur_value);
    cur_value.reset();
  };
  Status corrupt = ok_status();
  DOCKET_TRY(store_.scan(Column::state, begin, end, [&](ByteView k, ByteView v) {
    if (k.size() < 1 + 1 + 1 + 8 || k[k.size() - 9] != 0x00 || v.empty() || v[0] > 1) {
      corrupt = make_error(Errc::corruption, "bad state value entry");
      return false;
    }
    std::string key(reinterpret_cast<const char*>(k.data()) + 1, k.size() - 10);
    uint64_t ver = read_u64_be(k.data() + k.size() - 8);
    if (key != cur_key) {
      flush();
      if (stopped) return false;
      cur_key = std::move(key);
    }
    if (ver <= version) {
      if (v[0] == 1)
        cur_value = Bytes(v.begin() + 1, v.end());
      else
        cur_value.reset();
    }
    return true;
  }));
  DOCKET_TRY(corrupt);
  flush();
  return ok_status();
}

Result<ProvenValue> StateTree::prove(std::string_view key, uint64_t version) const {
  auto value = get(key, version);
  if (!value) return value.error();
  auto root = read_root(store_, version);
  if (!root) return root.error();
  ProvenValue out;
  out.root = root->hash;
  out.value = std::move(*value);
  const Hash32 path = key_path(key);
  Ref ref = *root;
  for (int depth = 0; ref.kind == RefKind::inner; ++depth) {
    if (depth >= kPathBits) return make_error(Errc::corruption, "state tree deeper than 256");
    auto n = read_node(store_, ref);
    if (!n) return n.error();
    const bool right = path_bit(path, depth);
    out.proof.siblings.push_back(right ? n->left.hash : n->right.hash);
    ref = right ? n->right : n->left;
  }
  if (ref.kind == RefKind::leaf) {
    auto n = read_node(store_, ref);
    if (!n) return n.error();
    out.proof.leaf = ProofLeaf{n->path, n->value_hash};
  }
  // Check before serving: a proof from a damaged store must not leave this process.
  std::optional<ByteView> v;
  if (out.value) v = ByteView(*out.value);
  if (auto s = verify_proof(out.root, key, v, out.proof); !s)
    return make_error(Errc::corruption, "state proof does not verify: " + s.error().message);
  return out;
}

Result<PreparedVersion> StateTree::prepare(uint64_t version, const StateChanges& changes) const {
  auto latest = latest_version();
  if (!latest) return latest.error();
  if (*latest && version != **latest + 1)
    return make_error(Errc::invalid_state, "state version " + std::to_string(version) + " does not follow " +
                                               std::to_string(**latest));
  PreparedVersion out;
  out.version = version;
  std::vector<Update> ups;
  for (const auto& [key, value] : changes) {
    if (!is_valid_record_key(key)) return make_error(Errc::invalid_argument, "not a valid record key: " + key);
    std::optional<ValueEntry> cur;
    if (*latest) {
      auto e = find_value(store_, key, **latest);
      if (!e) return e.error();
      cur = std::move(*e);
    }
    const std::optional<Bytes>* cur_value = cur ? &cur->value : nullptr;
    const bool was_present = cur_value && cur_value->has_value();
    if (!value && !was_present) continue;
    if (value && was_present && **cur_value == *value) continue;
    const Bytes vkey = value_store_key(key, version);
    if (cur) out.batch.put(Column::state, stale_store_key(version, cur->store_key), Bytes{});
    if (value) {
      Bytes stored{1};
      append(stored, *value);
      out.batch.put(Column::state, vkey, stored);
      ups.push_back({key_path(key), value_hash(*value)});
    } else {
      // A deletion marker is needed only until every version before it is pruned.
      out.batch.put(Column::state, vkey, Bytes{0});
      out.batch.put(Column::state, stale_store_key(version, vkey), Bytes{});
      ups.push_back({key_path(key), std::nullopt});
    }
    ++out.changed_records;
  }
  std::sort(ups.begin(), ups.end(), [](const Update& a, const Update& b) { return a.path < b.path; });

  Ref base;
  if (*latest) {
    auto r = read_root(store_, **latest);
    if (!r) return r.error();
    base = *r;
  }
  Builder builder(store_, version, out.batch);
  auto root = builder.update(base, 0, ups);
  if (!root) return root.error();
  Bytes root_bytes;
  append_ref(root_bytes, *root);
  out.batch.put(Column::state, root_store_key(version), root_bytes);
  out.batch.put(Column::state, meta_key("latest"), u64_bytes(version));
  out.root = root->hash;

  if (opts_.keep_versions != 0 && version + 1 > opts_.keep_versions) {
    const uint64_t new_oldest = version + 1 - opts_.keep_versions;
    auto old_oldest = oldest_version();
    if (!old_oldest) return old_oldest.error();
    if (new_oldest > *old_oldest) {
      // Everything that became unused at or before the new oldest version is unreachable from it.
      Bytes begin{'s'}, end{'s'};
      append_u64_be(begin, *old_oldest + 1);
      append_u64_be(end, new_oldest + 1);
      DOCKET_TRY(store_.scan(Column::state, begin, end, [&](ByteView k, ByteView) {
        out.batch.del(Column::state, k.subspan(9));
        out.batch.del(Column::state, k);
        return true;
      }));
      Bytes rb = root_store_key(*old_oldest), re = root_store_key(new_oldest);
      DOCKET_TRY(store_.scan(Column::state, rb, re, [&](ByteView k, ByteView) {
        out.batch.del(Column::state, k);
        return true;
      }));
      out.batch.put(Column::state, meta_key("oldest"), u64_bytes(new_oldest));
    }
  }
  return out;
}

}  // namespace docket::state
