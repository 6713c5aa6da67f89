#include "sim/app_model.h"

#include "ledger/crypto/sha256.h"
#include "ledger/proto/consensus.pb.h"

namespace docket::sim {

AppModel::AppModel() { roots_.push_back(crypto::sha256(as_bytes("docket-sim genesis state"))); }

Bytes AppModel::payload_hash(const std::vector<Bytes>& txs) {
  crypto::Sha256 h;
  for (const Bytes& tx : txs) {
    Bytes len;
    append_u64_be(len, tx.size());
    h.update(len).update(tx);
  }
  Hash32 d = h.finish();
  return Bytes(d.begin(), d.end());
}

bool AppModel::execute(consensus::Height h, ByteView block) {
  pb::Block b;
  if (!b.ParseFromArray(block.data(), static_cast<int>(block.size()))) return false;
  pb::BlockHeader hd;
  if (!hd.ParseFromString(b.header())) return false;
  if (h != executed_height() + 1) return false;
  crypto::Sha256 s;
  Bytes hb;
  append_u64_be(hb, h);
  s.update(roots_.back()).update(hb).update(hd.payload_hash());
  roots_.push_back(s.finish());
  return true;
}

consensus::PayloadReady AppModel::make_payload(consensus::Round round, uint32_t key_id, uint64_t salt, bool empty) const {
  consensus::PayloadReady p;
  p.round = round;
  if (!empty) {
    const size_t count = 1 + (salt % 3);
    for (size_t i = 0; i < count; ++i) {
      p.transactions.push_back(to_bytes("tx/v" + std::to_string(key_id) + "/r" + std::to_string(round) + "/" +
                                        std::to_string(salt) + "/" + std::to_string(i)));
    }
  }
  p.payload_hash = payload_hash(p.transactions);
  p.exec_height = executed_height();
  const Hash32& r = root(p.exec_height);
  p.state_root.assign(r.begin(), r.end());
  return p;
}

bool AppModel::validate(ByteView block, const crypto::ChainBinding& chain, const consensus::Limits& limits) const {
  auto v = consensus::decode_block(block, chain, limits);
  if (!v) return false;
  pb::Block b;
  if (!b.ParseFromArray(block.data(), static_cast<int>(block.size()))) return false;
  std::vector<Bytes> txs;
  for (const auto& tx : b.transactions()) {
    if (tx.rfind("tx/", 0) != 0) return false;
    txs.emplace_back(tx.begin(), tx.end());
  }
  if (payload_hash(txs) != v->header.payload_hash) return false;
  if (v->header.exec_height > executed_height()) return false;
  const Hash32& r = root(v->header.exec_height);
  return v->header.state_root == Bytes(r.begin(), r.end());
}

}  // namespace docket::sim
