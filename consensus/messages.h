// Decoding, stateless validation, signing and building of consensus wire messages: blocks, proposals,
// votes, timeouts, certified blocks and block requests (schemas in ledger/proto/consensus.proto).
//
// decode_* check everything that needs no state: canonical bytes, size limits, field lengths. What
// depends on the epoch, the validator set or the block tree is checked by the core. Values hold the
// exact bytes they were decoded from, so nothing is ever re-serialized to be hashed or forwarded.
#pragma once

#include <string_view>

#include "consensus/certificates.h"
#include "consensus/types.h"

namespace docket::consensus {

// Limits for one validator set size and payload budget.
struct Limits {
  size_t validators = 1;
  size_t max_payload_bytes = 1 << 20;  // sum of the transactions' sizes in one block
  size_t max_transactions = 10000;

  size_t header_bytes() const { return 512 + max_qc_bytes(validators); }
  size_t block_bytes() const { return header_bytes() + 16 + max_payload_bytes + 8 * max_transactions; }
  size_t commit_proof_bytes() const { return 16 + header_bytes() + max_qc_bytes(validators); }
  size_t proposal_bytes() const { return 256 + block_bytes() + max_tc_bytes(validators) + commit_proof_bytes(); }
  size_t vote_bytes() const { return 160; }
  size_t timeout_bytes() const {
    return 256 + max_qc_bytes(validators) + max_tc_bytes(validators) + commit_proof_bytes();
  }
  size_t certified_block_bytes() const { return 64 + block_bytes() + max_qc_bytes(validators); }
};

struct Header {
  Epoch epoch = 0;
  Round round = 0;
  Height height = 0;
  BlockId parent_id{};
  Bytes payload_hash;
  Height exec_height = 0;
  Bytes state_root;
  uint64_t timestamp_ms = 0;
  ValidatorIndex proposer = 0;
  Bytes justify;  // serialized QC of the parent
};

struct BlockView {
  BlockId id{};
  Header header;
  Bytes header_bytes;
  Bytes bytes;  // the serialized Block
  size_t transaction_count = 0;
};

struct VoteView {
  Epoch epoch = 0;
  Round round = 0;
  BlockId block_id{};
  ValidatorIndex voter = 0;
  crypto::Signature signature{};
  Bytes bytes;
};

struct TimeoutView {
  Epoch epoch = 0;
  Round round = 0;
  Round high_qc_round = 0;
  ValidatorIndex sender = 0;
  crypto::Signature signature{};
  Bytes high_qc;
  Bytes last_tc;
  Bytes commit_proof;
  Bytes bytes;
};

// A proposal, or (announcement) a Proposal carrying only a commit proof: sent when a replica ends an
// epoch, so that the others commit the epoch's last block without waiting for a timeout.
struct ProposalView {
  bool announcement = false;
  BlockView block;
  Bytes tc;
  crypto::Signature signature{};
  Bytes commit_proof;
  Bytes bytes;
};

struct CertifiedBlockView {
  BlockView block;
  Bytes qc;
};

// Both bind the chain id and genesis hash (crypto::signing_digest), so a block of another genesis with
// the same chain id has another id and its certificates do not verify here.
BlockId block_id_of(const crypto::ChainBinding& chain, ByteView header_bytes);
Hash32 proposal_digest(const crypto::ChainBinding& chain, ByteView header_bytes);

Result<BlockView> decode_block(ByteView bytes, const crypto::ChainBinding& chain, const Limits& limits);
// A header alone (no transactions; `bytes` stays empty), e.g. from a CommitProof.
Result<BlockView> decode_header(ByteView header_bytes, const crypto::ChainBinding& chain, const Limits& limits);
Result<ProposalView> decode_proposal(ByteView bytes, const crypto::ChainBinding& chain, const Limits& limits);
Result<VoteView> decode_vote(ByteView bytes, const Limits& limits);
Result<TimeoutView> decode_timeout(ByteView bytes, const Limits& limits);
Result<CertifiedBlockView> decode_certified_block(ByteView bytes, const crypto::ChainBinding& chain, const Limits& limits);
Result<BlockId> decode_block_request(ByteView bytes);
struct CommitProofView {
  BlockView child;  // header only
  Bytes qc;
};
Result<CommitProofView> decode_commit_proof(ByteView bytes, const crypto::ChainBinding& chain, const Limits& limits);

Bytes encode_header(const Header& h);
Bytes encode_block(ByteView header_bytes, const std::vector<Bytes>& transactions);
Bytes encode_proposal(ByteView block_bytes, ByteView tc, const crypto::Signature& sig, ByteView commit_proof);
Bytes encode_vote(Epoch epoch, Round round, const BlockId& block_id, ValidatorIndex voter, const crypto::Signature& sig);
Bytes encode_timeout(Epoch epoch, Round round, Round high_qc_round, ValidatorIndex sender, const crypto::Signature& sig,
                     ByteView high_qc, ByteView last_tc, ByteView commit_proof);
Bytes encode_certified_block(ByteView block_bytes, ByteView qc);
Bytes encode_commit_announcement(ByteView commit_proof);
Bytes encode_block_request(const BlockId& id);
Bytes encode_commit_proof(ByteView header_bytes, ByteView qc);

}  // namespace docket::consensus
