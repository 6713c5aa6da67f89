#include "ledger/node/chain.h"

#include <fstream>
#include <sstream>

#include "ledger/node/high_water_mark.h"
#include "ledger/state/execution.h"
#include "ledger/storage/block_store.h"
#include "ledger/storage/meta_store.h"

namespace docket::node {

namespace fs = std::filesystem;

Result<contracts::Genesis> read_genesis(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    return make_error(Errc::not_found, "genesis file " + file.string() + " is missing (copy the chain's genesis.json there)");
  }
  const auto size = fs::file_size(file, ec);
  if (ec) return make_error(Errc::io_error, "cannot read " + file.string() + ": " + ec.message());
  if (size > contracts::kMaxGenesisBytes) return make_error(Errc::too_large, file.string() + " is larger than 4 MiB");
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in.good() && !in.eof()) return make_error(Errc::io_error, "cannot read " + file.string());
  auto g = contracts::parse_genesis(ss.str());
  if (!g) return make_error(Errc::invalid_argument, file.string() + ": " + g.error().message);
  if (g->validators.empty()) return make_error(Errc::invalid_argument, file.string() + ": no validators");
  return std::move(*g);
}

namespace {

// The store's committed height, checking that blocks and state agree (they are written in one batch,
// so anything else means the directory was tampered with or damaged).
Result<uint64_t> consistent_height(const storage::KvStore& kv) {
  storage::BlockStore blocks(kv);
  state::StateTree tree(kv);
  auto blocks_tip = blocks.latest_height();
  if (!blocks_tip) return blocks_tip.error();
  auto state_tip = tree.latest_version();
  if (!state_tip) return state_tip.error();
  if (!*state_tip) return make_error(Errc::corruption, "the database is bound to a chain but holds no state");
  const uint64_t bh = blocks_tip->value_or(0);
  if (bh != **state_tip) {
    return make_error(Errc::corruption, "blocks end at height " + std::to_string(bh) + " but the state at height " +
                                            std::to_string(**state_tip) + "; refusing to run on inconsistent data");
  }
  return bh;
}

}  // namespace

Result<OpenedChain> open_chain(const NodeConfig& cfg) {
  OpenedChain out;
  auto g = read_genesis(cfg.genesis_file);
  if (!g) return g.error();
  out.genesis = std::move(*g);
  out.genesis_hash = contracts::genesis_hash(out.genesis);

  std::error_code ec;
  fs::create_directories(cfg.data_dir, ec);
  if (ec) return make_error(Errc::io_error, "cannot create data directory " + cfg.data_dir.string() + ": " + ec.message());
  storage::RocksOptions options;
  options.ignored_files = {kHighWaterMarkFile};  // a rebuilt store starts beside its predecessor's mark
  auto store = storage::RocksStore::open(cfg.data_dir.string(), options);
  if (!store) {
    // Errc::unavailable is RocksDB's lock held by another process, and nothing else.
    return make_error(store.error().code, "cannot open the database in " + cfg.data_dir.string() + ": " +
                                              store.error().message +
                                              (store.error().code == Errc::unavailable ? " (is another docketd running?)" : ""));
  }
  out.store = std::move(*store);

  storage::MetaStore meta(*out.store);
  Status bound = meta.expect_chain(out.genesis.chain_id, out.genesis_hash);
  if (bound.ok()) {
    auto h = consistent_height(*out.store);
    if (!h) return make_error(h.error().code, cfg.data_dir.string() + ": " + h.error().message);
    out.height = *h;
    return out;
  }
  if (bound.error().code == Errc::wrong_chain) {
    auto id = meta.chain_id();
    const std::string stored = id.ok() && *id ? **id : "?";
    return make_error(Errc::wrong_chain, "the data directory " + cfg.data_dir.string() + " belongs to chain '" + stored +
                                             "' or another genesis, not to chain '" + out.genesis.chain_id +
                                             "' of " + cfg.genesis_file.string() + " (genesis hash " +
                                             to_hex(out.genesis_hash) + "); use another data_dir");
  }
  if (bound.error().code != Errc::not_found) return bound.error();

  // A fresh database: it must be empty, then genesis state and identity go in one synced batch.
  storage::BlockStore blocks(*out.store);
  auto tip = blocks.latest_height();
  if (!tip) return tip.error();
  state::BlockExecutor exec(*out.store);
  auto state_tip = exec.tip_height();
  if (!state_tip) return state_tip.error();
  if (*tip || *state_tip) {
    return make_error(Errc::corruption, cfg.data_dir.string() + " holds blocks or state but no chain identity");
  }
  auto eb = exec.init_state(out.genesis);
  if (!eb) return make_error(eb.error().code, "cannot build the genesis state: " + eb.error().message);
  meta.put_chain_id(eb->batch, out.genesis.chain_id);
  meta.put_genesis_hash(eb->batch, out.genesis_hash);
  DOCKET_TRY(out.store->write(eb->batch, /*sync=*/true));
  out.created = true;
  return out;
}

consensus::ValidatorSet validator_set_of(const contracts::Genesis& g) {
  std::vector<crypto::PublicKey> keys;
  for (const auto& v : g.validators) keys.push_back(v.node_key);
  return consensus::ValidatorSet(std::move(keys));
}

consensus::ValidatorSet validator_set_of(const pb::ValidatorSet& set) {
  std::vector<crypto::PublicKey> keys;
  for (const auto& v : set.validators()) {
    crypto::PublicKey k{};
    if (v.node_key().size() == k.size()) std::copy(v.node_key().begin(), v.node_key().end(), k.begin());
    keys.push_back(k);
  }
  return consensus::ValidatorSet(std::move(keys));
}

}  // namespace docket::node
