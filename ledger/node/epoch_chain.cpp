#include "ledger/node/epoch_chain.h"

#include <cstdio>

#include "contracts/records.h"
#include "ledger/node/chain.h"
#include "ledger/primitives/validator_limit.h"
#include "ledger/state/proof.h"

namespace docket::node {

std::string epoch_change_key(uint64_t epoch) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "epoch/change/%020llu", static_cast<unsigned long long>(epoch));
  return buf;
}

Result<pb::EpochChangeProof> prove_epoch_change(const storage::BlockStore& blocks, const state::StateTree& tree,
                                                const crypto::ChainBinding& chain_id, uint64_t epoch,
                                                const consensus::BlockView& last, const Bytes& last_qc,
                                                const pb::ValidatorSet& next, uint64_t max_back) {
  pb::EpochChangeProof out;
  out.set_epoch(epoch);
  out.set_start_after(last.header.height);
  const consensus::ValidatorSet want = validator_set_of(next);
  consensus::Limits limits;
  limits.validators = primitives::kMaxValidators;
  // Candidate K, from the epoch's last block down; stop at the previous epoch or after max_back.
  auto try_header = [&](const consensus::BlockView& k, const Bytes& qc) -> bool {
    auto proven = tree.prove(contracts::kValidatorsKey, k.header.exec_height);
    if (!proven.ok() || !proven->value) return false;
    if (Bytes(proven->root.begin(), proven->root.end()) != k.header.state_root) return false;
    pb::ValidatorSet rec;
    if (!rec.ParseFromArray(proven->value->data(), static_cast<int>(proven->value->size()))) return false;
    if (!(validator_set_of(rec) == want)) return false;
    out.set_header(std::string(k.header_bytes.begin(), k.header_bytes.end()));
    out.set_certificate(std::string(qc.begin(), qc.end()));
    out.set_validators(std::string(proven->value->begin(), proven->value->end()));
    const Bytes proof = state::encode_proof(proven->proof);
    out.set_validators_proof(std::string(proof.begin(), proof.end()));
    return true;
  };
  if (try_header(last, last_qc)) return out;
  for (uint64_t back = 1; back <= max_back && back < last.header.height; ++back) {
    auto b = blocks.block_by_height(last.header.height - back);
    if (!b) return b.error();
    if (!*b) break;
    auto qc = blocks.certificate((*b)->id);
    if (!qc) return qc.error();
    auto v = consensus::decode_block((*b)->block, chain_id, limits);
    if (!v.ok() || !*qc || v->header.epoch != last.header.epoch) break;
    if (try_header(*v, **qc)) return out;
  }
  return make_error(Errc::not_found, "no committed header of epoch " + std::to_string(last.header.epoch) +
                                         " certifies a state holding the validators of epoch " + std::to_string(epoch));
}

Result<std::vector<Bytes>> load_epoch_chain(const storage::MetaStore& meta, uint64_t up_to) {
  std::vector<Bytes> out;
  for (uint64_t e = 1; e <= up_to; ++e) {
    auto b = meta.get_bytes(epoch_change_key(e));
    if (!b) return b.error();
    if (!*b) return make_error(Errc::not_found, "this node has no record of the change to epoch " + std::to_string(e));
    out.push_back(std::move(**b));
  }
  return out;
}

}  // namespace docket::node
