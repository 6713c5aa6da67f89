#include "sim/byzantine.h"

namespace docket::sim {

using namespace consensus;

std::optional<ForkPoint> fork_point_of(ByteView proposal, const crypto::ChainBinding& chain, const Limits& limits) {
  auto p = decode_proposal(proposal, chain, limits);
  if (!p) return std::nullopt;
  auto qc = decode_qc(p->block.header.justify, limits.validators);
  if (!qc) return std::nullopt;
  ForkPoint f;
  f.qc = qc->bytes;
  f.block_id = qc->block_id;
  f.round = qc->round;
  f.height = p->block.header.height - 1;
  f.timestamp_ms = 0;  // unknown: a fork uses its own proposal's timestamp, which is not below
  f.exec_height = p->block.header.exec_height;
  f.state_root = p->block.header.state_root;
  return f;
}

std::optional<Bytes> conflicting_proposal(ByteView proposal, const std::optional<ForkPoint>& fork, uint64_t salt,
                                          Signer& signer, const crypto::ChainBinding& chain, const Limits& limits) {
  auto p = decode_proposal(proposal, chain, limits);
  if (!p) return std::nullopt;
  Header h = p->block.header;
  std::vector<Bytes> txs;
  if (fork) {
    if (fork->block_id == h.parent_id || fork->height + 1 > h.height) return std::nullopt;
    h.parent_id = fork->block_id;
    h.height = fork->height + 1;
    h.justify = fork->qc;
    h.exec_height = std::min(fork->exec_height, h.height - 1);
    if (h.exec_height == fork->exec_height) h.state_root = fork->state_root;
  }
  txs.push_back(to_bytes("tx/byzantine/" + std::to_string(salt)));
  h.payload_hash = AppModel::payload_hash(txs);
  const Bytes header = encode_header(h);
  const Bytes block = encode_block(header, txs);
  const crypto::Signature sig = signer.sign(proposal_digest(chain, header));
  // A fork hides how far the chain has committed: the commit proof would reveal its parent as stale.
  return encode_proposal(block, p->tc, sig, fork ? Bytes{} : p->commit_proof);
}

std::optional<std::pair<Round, Bytes>> vote_for(ByteView proposal, ValidatorIndex self, Signer& signer,
                                                const crypto::ChainBinding& chain, const Limits& limits) {
  auto p = decode_proposal(proposal, chain, limits);
  if (!p) return std::nullopt;
  const Header& h = p->block.header;
  const crypto::Signature sig = signer.sign(vote_digest(chain, h.epoch, h.round, p->block.id));
  return std::make_pair(h.round, encode_vote(h.epoch, h.round, p->block.id, self, sig));
}

Bytes tc_fork_proposal(Epoch epoch, Round round, ValidatorIndex self, const ForkPoint& parent, const Bytes& tc,
                       uint64_t timestamp_ms, uint64_t salt, Signer& signer, const crypto::ChainBinding& chain) {
  Header h;
  h.epoch = epoch;
  h.round = round;
  h.height = parent.height + 1;
  h.parent_id = parent.block_id;
  std::vector<Bytes> txs{to_bytes("tx/byzantine-fork/" + std::to_string(salt))};
  h.payload_hash = AppModel::payload_hash(txs);
  h.exec_height = std::min(parent.exec_height, parent.height);
  h.state_root = parent.state_root;
  h.timestamp_ms = timestamp_ms;
  h.proposer = self;
  h.justify = parent.qc;
  const Bytes header = encode_header(h);
  const Bytes block = encode_block(header, txs);
  return encode_proposal(block, tc, signer.sign(proposal_digest(chain, header)), {});
}

Bytes far_future_timeout(Epoch epoch, Round round, ValidatorIndex self, const ForkPoint& qc, Signer& signer,
                         const crypto::ChainBinding& chain) {
  const crypto::Signature sig = signer.sign(timeout_digest(chain, epoch, round, qc.round));
  return encode_timeout(epoch, round, qc.round, self, sig, qc.qc, {}, {});
}

Bytes corrupt(ByteView bytes, Prng& rng) {
  Bytes out(bytes.begin(), bytes.end());
  if (out.empty()) return out;
  const size_t span = std::min<size_t>(16, out.size());
  out[out.size() - 1 - rng.range(0, span - 1)] ^= static_cast<uint8_t>(1u << rng.range(0, 7));
  return out;
}

}  // namespace docket::sim
