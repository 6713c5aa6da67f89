#include "ledger/state/execution.h"

#include "contracts/records.h"

namespace docket::state {

using storage::Column;

namespace {

Bytes history_prefix(std::string_view record_key) {
  Bytes out{'h'};
  append(out, as_bytes(record_key));
  out.push_back(0x00);
  return out;
}

Bytes history_key(std::string_view record_key, uint64_t height, uint32_t tx_index, uint16_t event_index) {
  Bytes out = history_prefix(record_key);
  append_u64_be(out, height);
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(tx_index >> s));
  out.push_back(static_cast<uint8_t>(event_index >> 8));
  out.push_back(static_cast<uint8_t>(event_index));
  return out;
}

Bytes receipt_key(const Hash32& tx_id) {
  Bytes out{'x'};
  append(out, tx_id);
  return out;
}

uint64_t read_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Result<std::vector<Bytes>> StoreHistoryReader::entries(std::string_view record_key, uint64_t up_to_height,
                                                        size_t limit, uint64_t skip) const {
  if (!is_valid_record_key(record_key)) return make_error(Errc::invalid_argument, "not a valid record key");
  Bytes begin = history_prefix(record_key);
  Bytes end = begin;
  end.back() = 0x01;
  std::vector<Bytes> out;
  Status corrupt = ok_status();
  DOCKET_TRY(store_.scan(Column::app, begin, end, [&](ByteView k, ByteView v) {
    if (k.size() != begin.size() + 14) {
      corrupt = make_error(Errc::corruption, "bad history key");
      return false;
    }
    if (read_u64(k.data() + begin.size()) > up_to_height || out.size() >= limit) return false;
    if (skip > 0) {
      --skip;
      return true;
    }
    out.emplace_back(v.begin(), v.end());
    return true;
  }));
  DOCKET_TRY(corrupt);
  return out;
}

Result<std::vector<uint64_t>> StoreHistoryReader::entry_heights(std::string_view record_key, uint64_t up_to_height) const {
  if (!is_valid_record_key(record_key)) return make_error(Errc::invalid_argument, "not a valid record key");
  Bytes begin = history_prefix(record_key);
  Bytes end = begin;
  end.back() = 0x01;
  std::vector<uint64_t> out;
  Status corrupt = ok_status();
  DOCKET_TRY(store_.scan(Column::app, begin, end, [&](ByteView k, ByteView) {
    if (k.size() != begin.size() + 14) {
      corrupt = make_error(Errc::corruption, "bad history key");
      return false;
    }
    const uint64_t h = read_u64(k.data() + begin.size());
    if (h > up_to_height) return false;
    out.push_back(h);
    return true;
  }));
  DOCKET_TRY(corrupt);
  return out;
}

Result<std::vector<pb::HistoryEntry>> StoreHistoryReader::history(std::string_view record_key, uint64_t up_to_height,
                                                                  size_t limit) const {
  auto raw = entries(record_key, up_to_height, limit);
  if (!raw) return raw.error();
  std::vector<pb::HistoryEntry> out(raw->size());
  for (size_t i = 0; i < raw->size(); ++i)
    if (!out[i].ParseFromArray((*raw)[i].data(), static_cast<int>((*raw)[i].size())))
      return make_error(Errc::corruption, "history entry does not decode");
  return out;
}

Result<std::optional<pb::Receipt>> StoreHistoryReader::receipt(const Hash32& tx_id) const {
  auto v = store_.get(Column::app, receipt_key(tx_id));
  if (!v) return v.error();
  if (!*v) return std::optional<pb::Receipt>{};
  pb::Receipt r;
  if (!r.ParseFromArray((*v)->data(), static_cast<int>((*v)->size())))
    return make_error(Errc::corruption, "receipt does not decode");
  return std::optional<pb::Receipt>{std::move(r)};
}

Result<ExecutedBlock> BlockExecutor::init_state(const contracts::Genesis& genesis) const {
  auto latest = tree_.latest_version();
  if (!latest) return latest.error();
  if (*latest) return make_error(Errc::invalid_state, "state already initialised (version " + std::to_string(**latest) + ")");
  auto prepared = tree_.prepare(0, contracts::genesis_writes(genesis));
  if (!prepared) return prepared.error();
  ExecutedBlock out;
  out.height = 0;
  out.state_root = prepared->root;
  out.batch = std::move(prepared->batch);
  return out;
}

contracts::TxResult BlockExecutor::check_tx(const contracts::ContractTx& tx) const {
  auto tip = tree_.latest_version();
  if (!tip) return tip.error();
  if (!*tip) return make_error(Errc::invalid_state, "no state yet (genesis not applied)");
  return contracts::check_tx(reader(**tip), **tip, tx);
}

Result<ExecutedBlock> BlockExecutor::execute_block(uint64_t height, uint64_t block_time_ms,
                                                   std::span<const contracts::ContractTx> txs) const {
  auto tip = tree_.latest_version();
  if (!tip) return tip.error();
  if (!*tip || **tip + 1 != height)
    return make_error(Errc::invalid_state, "block height " + std::to_string(height) + " does not follow the state tip");
  const TreeStateReader parent = reader(**tip);
  const contracts::BlockContext ctx{height, block_time_ms};
  auto outcome = contracts::execute_block(parent, ctx, txs);
  if (!outcome) return outcome.error();
  auto prepared = tree_.prepare(height, outcome->writes);
  if (!prepared) return prepared.error();

  ExecutedBlock out;
  out.height = height;
  out.state_root = prepared->root;
  out.batch = std::move(prepared->batch);
  for (size_t i = 0; i < outcome->receipts.size(); ++i) {
    const auto& r = outcome->receipts[i];
    const auto index = static_cast<uint32_t>(i);
    out.batch.put(Column::app, receipt_key(r.tx_id), contracts::encode_record(contracts::to_proto(r, height, index)));
  }
  // The exact bytes whose hashes the history heads in the state chain (contracts/history_chain.h).
  for (const auto& a : outcome->history)
    out.batch.put(Column::app, history_key(a.record_key, height, a.tx_index, a.event_index), a.entry);
  out.receipts = std::move(outcome->receipts);
  out.validator_change = std::move(outcome->validator_change);
  return out;
}

}  // namespace docket::state
