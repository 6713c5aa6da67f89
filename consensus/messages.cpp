#include "consensus/messages.h"

#include <algorithm>

#include "ledger/primitives/canonical.h"
#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"
#include "ledger/proto/consensus.pb.h"

namespace docket::consensus {
namespace {

Bytes to_vec(const std::string& s) { return Bytes(s.begin(), s.end()); }

Result<crypto::Signature> to_signature(const std::string& s) {
  if (s.size() != 64) return make_error(Errc::invalid_argument, "signature is not 64 bytes");
  crypto::Signature sig;
  std::copy(s.begin(), s.end(), sig.begin());
  return sig;
}

Result<Hash32> to_id(const std::string& s, const char* what) {
  if (s.size() != 32) return make_error(Errc::invalid_argument, std::string(what) + " is not 32 bytes");
  Hash32 h;
  std::copy(s.begin(), s.end(), h.begin());
  return h;
}

constexpr size_t kMaxAppFieldBytes = 64;  // payload_hash and state_root: a digest, not data
constexpr uint32_t kMaxValidatorIndex = 1u << 16;

}  // namespace

BlockId block_id_of(const crypto::ChainBinding& chain, ByteView header_bytes) {
  return crypto::signing_digest(crypto::tags::kBlockId, chain, header_bytes);
}

Hash32 proposal_digest(const crypto::ChainBinding& chain, ByteView header_bytes) {
  return crypto::signing_digest(crypto::tags::kProposal, chain, header_bytes);
}

Result<BlockView> decode_header(ByteView header_bytes, const crypto::ChainBinding& chain, const Limits& limits) {
  pb::BlockHeader h;
  DOCKET_TRY(primitives::parse_canonical(header_bytes, h, limits.header_bytes()));
  if (h.payload_hash().size() > kMaxAppFieldBytes || h.state_root().size() > kMaxAppFieldBytes) {
    return make_error(Errc::invalid_argument, "block app field too long");
  }
  if (h.proposer() >= limits.validators) return make_error(Errc::invalid_argument, "proposer index out of range");
  BlockView v;
  auto parent = to_id(h.parent_id(), "parent id");
  if (!parent) return parent.error();
  v.header.epoch = h.epoch();
  v.header.round = h.round();
  v.header.height = h.height();
  v.header.parent_id = *parent;
  v.header.payload_hash = to_vec(h.payload_hash());
  v.header.exec_height = h.exec_height();
  v.header.state_root = to_vec(h.state_root());
  v.header.timestamp_ms = h.timestamp_ms();
  v.header.proposer = h.proposer();
  v.header.justify = to_vec(h.justify());
  if (v.header.round == 0 || v.header.height == 0) return make_error(Errc::invalid_argument, "block round or height 0");
  if (v.header.exec_height >= v.header.height) {
    return make_error(Errc::invalid_argument, "exec_height must be below the block's height");
  }
  v.header_bytes.assign(header_bytes.begin(), header_bytes.end());
  v.id = block_id_of(chain, v.header_bytes);
  return v;
}

Result<BlockView> decode_block(ByteView bytes, const crypto::ChainBinding& chain, const Limits& limits) {
  pb::Block b;
  DOCKET_TRY(primitives::parse_canonical(bytes, b, limits.block_bytes()));
  if (static_cast<size_t>(b.transactions_size()) > limits.max_transactions) {
    return make_error(Errc::too_large, "block has too many transactions");
  }
  size_t payload = 0;
  for (const auto& tx : b.transactions()) payload += tx.size();
  if (payload > limits.max_payload_bytes) return make_error(Errc::too_large, "block payload too large");
  auto v = decode_header(as_bytes(b.header()), chain, limits);
  if (!v) return v.error();
  v->bytes.assign(bytes.begin(), bytes.end());
  v->transaction_count = static_cast<size_t>(b.transactions_size());
  return v;
}

Result<ProposalView> decode_proposal(ByteView bytes, const crypto::ChainBinding& chain, const Limits& limits) {
  pb::Proposal p;
  DOCKET_TRY(primitives::parse_canonical(bytes, p, limits.proposal_bytes()));
  if (p.block().empty()) {
    // A commit announcement: nothing but a (self-authenticating) commit proof.
    if (p.commit_proof().empty() || !p.tc().empty() || !p.signature().empty()) {
      return make_error(Errc::invalid_argument, "proposal without a block");
    }
    ProposalView v;
    v.announcement = true;
    v.commit_proof = to_vec(p.commit_proof());
    v.bytes.assign(bytes.begin(), bytes.end());
    return v;
  }
  auto block = decode_block(as_bytes(p.block()), chain, limits);
  if (!block) return block.error();
  auto sig = to_signature(p.signature());
  if (!sig) return sig.error();
  ProposalView v;
  v.block = std::move(block.value());
  v.tc = to_vec(p.tc());
  v.signature = *sig;
  v.commit_proof = to_vec(p.commit_proof());
  v.bytes.assign(bytes.begin(), bytes.end());
  return v;
}

Result<VoteView> decode_vote(ByteView bytes, const Limits& limits) {
  pb::Vote m;
  DOCKET_TRY(primitives::parse_canonical(bytes, m, limits.vote_bytes()));
  auto id = to_id(m.block_id(), "vote block id");
  if (!id) return id.error();
  auto sig = to_signature(m.signature());
  if (!sig) return sig.error();
  if (m.voter() >= kMaxValidatorIndex) return make_error(Errc::invalid_argument, "voter index out of range");
  VoteView v;
  v.epoch = m.epoch();
  v.round = m.round();
  v.block_id = *id;
  v.voter = m.voter();
  v.signature = *sig;
  v.bytes.assign(bytes.begin(), bytes.end());
  return v;
}

Result<TimeoutView> decode_timeout(ByteView bytes, const Limits& limits) {
  pb::TimeoutMsg m;
  DOCKET_TRY(primitives::parse_canonical(bytes, m, limits.timeout_bytes()));
  auto sig = to_signature(m.signature());
  if (!sig) return sig.error();
  if (m.sender() >= kMaxValidatorIndex) return make_error(Errc::invalid_argument, "sender index out of range");
  if (m.high_qc_round() >= m.round()) return make_error(Errc::invalid_argument, "timeout high QC not below its round");
  TimeoutView v;
  v.epoch = m.epoch();
  v.round = m.round();
  v.high_qc_round = m.high_qc_round();
  v.sender = m.sender();
  v.signature = *sig;
  v.high_qc = to_vec(m.high_qc());
  v.last_tc = to_vec(m.last_tc());
  v.commit_proof = to_vec(m.commit_proof());
  v.bytes.assign(bytes.begin(), bytes.end());
  return v;
}

Result<CertifiedBlockView> decode_certified_block(ByteView bytes, const crypto::ChainBinding& chain, const Limits& limits) {
  pb::CertifiedBlock m;
  DOCKET_TRY(primitives::parse_canonical(bytes, m, limits.certified_block_bytes()));
  auto block = decode_block(as_bytes(m.block()), chain, limits);
  if (!block) return block.error();
  CertifiedBlockView v;
  v.block = std::move(block.value());
  v.qc = to_vec(m.qc());
  return v;
}

Result<BlockId> decode_block_request(ByteView bytes) {
  pb::BlockRequest m;
  DOCKET_TRY(primitives::parse_canonical(bytes, m, 64));
  return to_id(m.block_id(), "requested block id");
}

Result<CommitProofView> decode_commit_proof(ByteView bytes, const crypto::ChainBinding& chain, const Limits& limits) {
  pb::CommitProof m;
  DOCKET_TRY(primitives::parse_canonical(bytes, m, limits.commit_proof_bytes()));
  auto child = decode_header(as_bytes(m.header()), chain, limits);
  if (!child) return child.error();
  CommitProofView v;
  v.child = std::move(child.value());
  v.qc = to_vec(m.qc());
  return v;
}

Bytes encode_commit_proof(ByteView header_bytes, ByteView qc) {
  pb::CommitProof m;
  m.set_header(header_bytes.data(), header_bytes.size());
  m.set_qc(qc.data(), qc.size());
  return primitives::serialize_deterministic(m);
}

Bytes encode_header(const Header& h) {
  pb::BlockHeader m;
  m.set_epoch(h.epoch);
  m.set_round(h.round);
  m.set_height(h.height);
  m.set_parent_id(h.parent_id.data(), h.parent_id.size());
  m.set_payload_hash(h.payload_hash.data(), h.payload_hash.size());
  m.set_exec_height(h.exec_height);
  m.set_state_root(h.state_root.data(), h.state_root.size());
  m.set_timestamp_ms(h.timestamp_ms);
  m.set_proposer(h.proposer);
  m.set_justify(h.justify.data(), h.justify.size());
  return primitives::serialize_deterministic(m);
}

Bytes encode_block(ByteView header_bytes, const std::vector<Bytes>& transactions) {
  pb::Block m;
  m.set_header(header_bytes.data(), header_bytes.size());
  for (const auto& tx : transactions) m.add_transactions(tx.data(), tx.size());
  return primitives::serialize_deterministic(m);
}

Bytes encode_proposal(ByteView block_bytes, ByteView tc, const crypto::Signature& sig, ByteView commit_proof) {
  pb::Proposal m;
  m.set_block(block_bytes.data(), block_bytes.size());
  m.set_tc(tc.data(), tc.size());
  m.set_signature(sig.data(), sig.size());
  m.set_commit_proof(commit_proof.data(), commit_proof.size());
  return primitives::serialize_deterministic(m);
}

Bytes encode_vote(Epoch epoch, Round round, const BlockId& block_id, ValidatorIndex voter, const crypto::Signature& sig) {
  pb::Vote m;
  m.set_epoch(epoch);
  m.set_round(round);
  m.set_block_id(block_id.data(), block_id.size());
  m.set_voter(voter);
  m.set_signature(sig.data(), sig.size());
  return primitives::serialize_deterministic(m);
}

Bytes encode_timeout(Epoch epoch, Round round, Round high_qc_round, ValidatorIndex sender, const crypto::Signature& sig,
                     ByteView high_qc, ByteView last_tc, ByteView commit_proof) {
  pb::TimeoutMsg m;
  m.set_epoch(epoch);
  m.set_round(round);
  m.set_high_qc_round(high_qc_round);
  m.set_sender(sender);
  m.set_signature(sig.data(), sig.size());
  m.set_high_qc(high_qc.data(), high_qc.size());
  m.set_last_tc(last_tc.data(), last_tc.size());
  m.set_commit_proof(commit_proof.data(), commit_proof.size());
  return primitives::serialize_deterministic(m);
}

Bytes encode_commit_announcement(ByteView commit_proof) {
  pb::Proposal m;
  m.set_commit_proof(commit_proof.data(), commit_proof.size());
  return primitives::serialize_deterministic(m);
}

Bytes encode_certified_block(ByteView block_bytes, ByteView qc) {
  pb::CertifiedBlock m;
  m.set_block(block_bytes.data(), block_bytes.size());
  m.set_qc(qc.data(), qc.size());
  return primitives::serialize_deterministic(m);
}

Bytes encode_block_request(const BlockId& id) {
  pb::BlockRequest m;
  m.set_block_id(id.data(), id.size());
  return primitives::serialize_deterministic(m);
}

}  // namespace docket::consensus
