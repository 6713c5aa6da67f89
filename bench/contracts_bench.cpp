// Contract and state figures (docs/benchmarks.md, "Contracts"):
//  - transactions applied per second on one core: document issue, bill-of-lading transfer, each in
//    blocks of 100, executed and committed (contracts + state tree + store write) on MemoryStore;
//  - state-root update cost per changed record with 1e4, 1e5 and 1e6 records in the tree;
//  - bytes stored per registered document (all columns, keys + values), on MemoryStore, and on disk in
//    RocksDB table files after a flush.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <random>

#include "bench/bench_dir.h"
#include "contracts/genesis.h"
#include "ledger/crypto/sha256.h"
#include "ledger/state/execution.h"
#include "ledger/storage/memory_store.h"
#include "ledger/storage/rocksdb_store.h"

using namespace docket;

namespace {

// Derived once per name: key derivation is not what these benchmarks measure.
crypto::PublicKey key_of(const std::string& name) {
  static std::map<std::string, crypto::PublicKey> keys;
  auto it = keys.find(name);
  if (it == keys.end())
    it = keys.emplace(name, crypto::SecretKey::from_bytes(crypto::sha256(as_bytes("bench/" + name)))->public_key()).first;
  return it->second;
}

std::string field(const Hash32& h) { return std::string(h.begin(), h.end()); }

contracts::Genesis bench_genesis() {
  std::string members;
  auto add = [&](const std::string& id, const std::string& roles) {
    if (!members.empty()) members += ",";
    members += R"({"id":")" + id + R"(","name":")" + id + R"(","country":"SG","keys":[")" + to_hex(key_of(id)) +
               R"("],"roles":[)" + roles + "]}";
  };
  add("admin", R"("admin","validator")");
  add("chamber", R"("issuer:certificate_of_origin")");
  add("carrier", R"("carrier")");
  add("t1", R"("trader")");
  add("t2", R"("trader")");
  auto g = contracts::parse_genesis(R"({"chain_id":"bench","genesis_time_ms":1,"members":[)" + members +
                                    R"(],"validators":[{"member":"admin","node_key":")" + to_hex(key_of("node")) +
                                    R"("}],"params":{"proposal_ttl_blocks":100,"max_tx_ttl_blocks":1000}})");
  if (!g) throw std::runtime_error(g.error().to_string());
  return *g;
}

// A node's state on a store (a MemoryStore unless given one): executes and commits blocks.
struct Node {
  std::unique_ptr<storage::KvStore> owned;
  storage::KvStore& store;
  state::BlockExecutor exec;
  std::map<std::string, uint64_t> nonces;
  uint64_t height = 0;
  uint64_t tx_counter = 0;

  explicit Node(std::unique_ptr<storage::KvStore> s = std::make_unique<storage::MemoryStore>())
      : owned(std::move(s)), store(*owned), exec(store, state::StateTree::Options{8}) {
    commit(*exec.init_state(bench_genesis()));
  }

  void commit(const state::ExecutedBlock& eb) {
    if (!store.write(eb.batch, true)) throw std::runtime_error("write failed");
    height = eb.height;
  }

  contracts::ContractTx tx(const std::string& who, pb::TxBody body) {
    contracts::ContractTx t;
    t.sender = key_of(who);
    t.nonce = nonces[who]++;
    t.expiry_height = height + 100;
    t.body = std::move(body);
    t.id = crypto::sha256(as_bytes("tx/" + std::to_string(tx_counter++)));
    return t;
  }

  size_t run(const std::vector<contracts::ContractTx>& txs) {
    auto eb = exec.execute_block(height + 1, 1000 * (height + 1), txs);
    if (!eb) throw std::runtime_error(eb.error().to_string());
    size_t ok = 0;
    for (const auto& r : eb->receipts) ok += r.ok();
    commit(*eb);
    return ok;
  }

  uint64_t stored_bytes() const {
    uint64_t n = 0;
    for (auto c : storage::kAllColumns)
      (void)store.scan(c, {}, {}, [&](ByteView k, ByteView v) {
        n += k.size() + v.size();
        return true;
      });
    return n;
  }
};

pb::TxBody issue_doc(uint64_t i) {
  pb::TxBody b;
  auto* op = b.mutable_document_issue();
  op->set_merkle_root(field(crypto::sha256(as_bytes("doc/" + std::to_string(i)))));
  op->set_document_type("certificate_of_origin");
  auto* f = op->add_public_fields();
  f->set_name("certificate_number");
  f->set_value("CO-" + std::to_string(i));
  return b;
}

constexpr size_t kBlockTxs = 100;

void BM_ApplyDocumentIssue(benchmark::State& st) {
  Node node;
  uint64_t next = 0;
  for (auto _ : st) {
    std::vector<contracts::ContractTx> txs;
    for (size_t i = 0; i < kBlockTxs; ++i) txs.push_back(node.tx("chamber", issue_doc(next++)));
    if (node.run(txs) != kBlockTxs) st.SkipWithError("a document issue was refused");
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * kBlockTxs));
}
BENCHMARK(BM_ApplyDocumentIssue)->Unit(benchmark::kMillisecond);

void BM_ApplyBlTransfer(benchmark::State& st) {
  Node node;
  std::vector<Hash32> bills;
  std::vector<contracts::ContractTx> issue;
  for (size_t i = 0; i < kBlockTxs; ++i) {
    bills.push_back(crypto::sha256(as_bytes("bl/" + std::to_string(i))));
    pb::TxBody b;
    auto* op = b.mutable_bl_issue();
    op->set_record_id(field(bills.back()));
    op->set_bl_type(pb::BL_NEGOTIABLE);
    op->set_owner("t1");
    op->set_holder("t1");
    issue.push_back(node.tx("carrier", b));
  }
  node.run(issue);
  bool at_t1 = true;
  for (auto _ : st) {
    // Endorse and hand over every bill, then back: owner and holder together, so no nominee needed.
    const std::string from = at_t1 ? "t1" : "t2", to = at_t1 ? "t2" : "t1";
    std::vector<contracts::ContractTx> txs;
    for (const auto& id : bills) {
      pb::TxBody b;
      auto* op = b.mutable_bl_action();
      op->set_record_id(field(id));
      op->set_action(pb::BL_TRANSFER_OWNERS);
      op->set_new_owner(to);
      op->set_new_holder(to);
      txs.push_back(node.tx(from, b));
    }
    if (node.run(txs) != kBlockTxs) st.SkipWithError("a transfer was refused");
    at_t1 = !at_t1;
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * kBlockTxs));
}
BENCHMARK(BM_ApplyBlTransfer)->Unit(benchmark::kMillisecond);

// A tree of n records of 200 bytes (about the size of a document record), built once per size.
struct Tree {
  storage::MemoryStore store;
  state::StateTree tree{store, state::StateTree::Options{2}};
  uint64_t version = 0;
};

Tree& tree_with(size_t n) {
  static std::map<size_t, std::unique_ptr<Tree>> cache;
  auto& t = cache[n];
  if (t) return *t;
  t = std::make_unique<Tree>();
  const size_t chunk = 50'000;
  for (size_t done = 0; done < n; done += chunk) {
    state::StateChanges ch;
    for (size_t i = done; i < std::min(n, done + chunk); ++i) ch["doc/" + std::to_string(i)] = Bytes(200, static_cast<uint8_t>(i));
    auto p = t->tree.prepare(t->version == 0 && done == 0 ? 0 : ++t->version, ch);
    if (!p || !t->store.write(p->batch, false)) throw std::runtime_error("prefill failed");
  }
  // Two empty versions, so the prefill's garbage is pruned here rather than in the first measured update.
  for (int i = 0; i < 2; ++i) {
    auto p = t->tree.prepare(++t->version, {});
    if (!p || !t->store.write(p->batch, false)) throw std::runtime_error("prefill failed");
  }
  return *t;
}

// One version with 100 records changed (new values for random existing keys): prepare + write.
void BM_StateRootUpdate(benchmark::State& st) {
  const auto n = static_cast<size_t>(st.range(0));
  Tree& t = tree_with(n);
  std::mt19937_64 rng(n);
  for (auto _ : st) {
    state::StateChanges ch;
    for (size_t i = 0; i < kBlockTxs; ++i) ch["doc/" + std::to_string(rng() % n)] = Bytes(200, static_cast<uint8_t>(rng()));
    auto p = t.tree.prepare(++t.version, ch);
    if (!p) {
      st.SkipWithError(p.error().to_string().c_str());
      break;
    }
    if (!t.store.write(p->batch, false)) st.SkipWithError("write failed");
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * kBlockTxs));
  st.counters["records"] = static_cast<double>(n);
}
BENCHMARK(BM_StateRootUpdate)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->MinTime(3)->Unit(benchmark::kMillisecond);

// Bytes stored per registered document: state tree nodes and values, receipts and history, with
// pruning to the last 8 versions (the steady state of a node that keeps few old versions).
constexpr size_t kBytesDocs = 20'000;

void register_documents(Node& node, size_t docs) {
  uint64_t next = 0;
  for (size_t b = 0; b < docs / kBlockTxs; ++b) {
    std::vector<contracts::ContractTx> txs;
    for (size_t i = 0; i < kBlockTxs; ++i) txs.push_back(node.tx("chamber", issue_doc(next++)));
    node.run(txs);
  }
}

void BM_BytesPerDocument(benchmark::State& st) {
  for (auto _ : st) {
    Node node;
    const uint64_t before = node.stored_bytes();
    register_documents(node, kBytesDocs);
    st.counters["bytes_per_document"] = static_cast<double>(node.stored_bytes() - before) / kBytesDocs;
  }
}
BENCHMARK(BM_BytesPerDocument)->Iterations(1)->Unit(benchmark::kMillisecond);

// The same on RocksDB with the node's options (synced batches, LZ4/ZSTD): the bytes of the table files
// after a flush (the write-ahead log is then obsolete), before any manual compaction. Deleted versions
// of tree nodes leave tombstones in the table files until a compaction reaches the bottom level.
void BM_BytesPerDocumentRocks(benchmark::State& st) {
  for (auto _ : st) {
    bench::BenchDir dir("docket-contracts-bench");
    auto db = storage::RocksStore::open(dir.path());
    if (!db) {
      st.SkipWithError(db.error().to_string().c_str());
      break;
    }
    storage::RocksStore& rocks = **db;
    Node node(std::move(*db));
    const uint64_t kv_before = node.stored_bytes();
    if (!rocks.flush()) st.SkipWithError("flush failed");
    const uint64_t sst_before = dir.file_bytes(".sst");
    register_documents(node, kBytesDocs);
    if (!rocks.flush()) st.SkipWithError("flush failed");
    st.counters["sst_bytes_per_document"] = static_cast<double>(dir.file_bytes(".sst") - sst_before) / kBytesDocs;
    st.counters["kv_bytes_per_document"] = static_cast<double>(node.stored_bytes() - kv_before) / kBytesDocs;
  }
}
BENCHMARK(BM_BytesPerDocumentRocks)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
