// Quorum certificates (QC: n - f votes on one block) and timeout certificates (TC: n - f timeouts of
// one round, each carrying the signer's highest QC round): the exact signed bytes, building, decoding
// and verification against an epoch's validator set.
//
// A certificate is valid only if it names the expected epoch, its signer bitmap has exactly n bits'
// worth of bytes with no bit set beyond n, it has one 64-byte signature per signer, at least a quorum
// of signers, and every signature verifies. Duplicate signers cannot be expressed (a bitmap), and
// a certificate with a signature count different from its bitmap is rejected.
#pragma once

#include <map>
#include <string_view>

#include "consensus/types.h"
#include "consensus/verifier.h"
#include "ledger/crypto/chain_binding.h"

namespace docket::consensus {

// Size limits derived from the validator count, checked before any parsing.
size_t max_qc_bytes(size_t n);
size_t max_tc_bytes(size_t n);

// The 48 bytes a vote signs: u64be(epoch) || u64be(round) || block_id.
Bytes vote_signing_bytes(Epoch epoch, Round round, const BlockId& block_id);
// The 24 bytes a timeout signs: u64be(epoch) || u64be(round) || u64be(high_qc_round).
Bytes timeout_signing_bytes(Epoch epoch, Round round, Round high_qc_round);

Hash32 vote_digest(const crypto::ChainBinding& chain, Epoch epoch, Round round, const BlockId& block_id);
Hash32 timeout_digest(const crypto::ChainBinding& chain, Epoch epoch, Round round, Round high_qc_round);

// What certificate checks need. root_qc is the QC of the committed block the core started from (or of
// the epoch's first block): it is trusted as it is and accepted by byte equality, without signatures
// (the genesis QC has none, and an epoch root's QC belongs to the previous validator set).
struct CertContext {
  crypto::ChainBinding chain;  // chain id and genesis hash every signature is bound to
  Epoch epoch = 0;
  const ValidatorSet* set = nullptr;
  const Verifier* verifier = nullptr;
  ByteView root_qc;
};

struct Qc {
  Epoch epoch = 0;
  Round round = 0;
  BlockId block_id{};
  Bytes bytes;  // exact serialized QuorumCertificate
};

struct Tc {
  Epoch epoch = 0;
  Round round = 0;
  Round max_high_qc_round = 0;
  Qc high_qc;
  Bytes bytes;
};

// The QC the core uses for a committed block it starts from when it has no real one (genesis): no signers.
Bytes make_root_qc(Epoch epoch, Round round, const BlockId& block_id);

// Decodes only: canonical, well-formed, sizes right. No signature or quorum check.
Result<Qc> decode_qc(ByteView bytes, size_t n);
// Decodes and verifies (or accepts as ctx.root_qc).
Result<Qc> verify_qc(ByteView bytes, const CertContext& ctx);
Result<Tc> verify_tc(ByteView bytes, const CertContext& ctx);
// The round a TC claims, without verifying anything (to skip verifying TCs that teach nothing).
Result<Round> peek_tc_round(ByteView bytes, size_t n);

// Builds a certificate from signatures keyed by validator index (ordered map = index order).
Bytes build_qc(Epoch epoch, Round round, const BlockId& block_id, const std::map<ValidatorIndex, crypto::Signature>& sigs,
               size_t n);
struct TimeoutShare {
  Round high_qc_round = 0;
  crypto::Signature signature{};
};
Bytes build_tc(Epoch epoch, Round round, const std::map<ValidatorIndex, TimeoutShare>& shares, const Bytes& high_qc,
               size_t n);

}  // namespace docket::consensus
