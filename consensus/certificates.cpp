#include "consensus/certificates.h"

#include <algorithm>

#include "ledger/primitives/canonical.h"
#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"
#include "ledger/proto/consensus.pb.h"

namespace docket::consensus {
namespace {

size_t bitmap_len(size_t n) { return (n + 7) / 8; }

// The end of a signature failure's message: the likeliest honest cause is a certificate of another
// network that shares the chain id but not the genesis.
std::string not_bound_to(const crypto::ChainBinding& chain) {
  return " does not verify for chain '" + chain.chain_id + "' with genesis " + to_hex(chain.genesis_hash).substr(0, 16) +
         "... (forged, or signed on another chain or genesis)";
}

// Validator indices whose bits are set; an error if the bitmap has the wrong length or bits beyond n.
Result<std::vector<ValidatorIndex>> decode_signers(const std::string& bitmap, size_t n) {
  if (bitmap.size() != bitmap_len(n)) return make_error(Errc::invalid_argument, "signer bitmap has wrong length");
  std::vector<ValidatorIndex> out;
  for (size_t i = 0; i < bitmap.size() * 8; ++i) {
    if ((static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1) {
      if (i >= n) return make_error(Errc::invalid_argument, "signer bit beyond the validator set");
      out.push_back(static_cast<ValidatorIndex>(i));
    }
  }
  return out;
}

std::string encode_signers(const std::vector<ValidatorIndex>& idx, size_t n) {
  std::string bitmap(bitmap_len(n), '\0');
  for (ValidatorIndex i : idx) bitmap[i / 8] = static_cast<char>(static_cast<uint8_t>(bitmap[i / 8]) | (1u << (i % 8)));
  return bitmap;
}

Result<crypto::Signature> to_signature(const std::string& s) {
  if (s.size() != 64) return make_error(Errc::invalid_argument, "signature is not 64 bytes");
  crypto::Signature sig;
  std::copy(s.begin(), s.end(), sig.begin());
  return sig;
}

Status check_epoch(Epoch got, const CertContext& ctx) {
  if (got != ctx.epoch) {
    return make_error(Errc::invalid_state, "certificate of epoch " + std::to_string(got) + ", expected " +
                                               std::to_string(ctx.epoch));
  }
  return ok_status();
}

bool equal(ByteView a, ByteView b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

}  // namespace

size_t max_qc_bytes(size_t n) { return 128 + n * 70; }
size_t max_tc_bytes(size_t n) { return 128 + n * 82 + max_qc_bytes(n); }

Bytes vote_signing_bytes(Epoch epoch, Round round, const BlockId& block_id) {
  Bytes b;
  b.reserve(48);
  append_u64_be(b, epoch);
  append_u64_be(b, round);
  append(b, block_id);
  return b;
}

Bytes timeout_signing_bytes(Epoch epoch, Round round, Round high_qc_round) {
  Bytes b;
  b.reserve(24);
  append_u64_be(b, epoch);
  append_u64_be(b, round);
  append_u64_be(b, high_qc_round);
  return b;
}

Hash32 vote_digest(const crypto::ChainBinding& chain, Epoch epoch, Round round, const BlockId& block_id) {
  return crypto::signing_digest(crypto::tags::kVote, chain, vote_signing_bytes(epoch, round, block_id));
}

Hash32 timeout_digest(const crypto::ChainBinding& chain, Epoch epoch, Round round, Round high_qc_round) {
  return crypto::signing_digest(crypto::tags::kTimeout, chain, timeout_signing_bytes(epoch, round, high_qc_round));
}

Bytes make_root_qc(Epoch epoch, Round round, const BlockId& block_id) {
  pb::QuorumCertificate qc;
  qc.set_epoch(epoch);
  qc.set_round(round);
  qc.set_block_id(block_id.data(), block_id.size());
  return primitives::serialize_deterministic(qc);
}

Result<Qc> decode_qc(ByteView bytes, size_t n) {
  pb::QuorumCertificate m;
  DOCKET_TRY(primitives::parse_canonical(bytes, m, max_qc_bytes(n)));
  if (m.block_id().size() != 32) return make_error(Errc::invalid_argument, "QC block id is not 32 bytes");
  Qc qc;
  qc.epoch = m.epoch();
  qc.round = m.round();
  std::copy(m.block_id().begin(), m.block_id().end(), qc.block_id.begin());
  qc.bytes.assign(bytes.begin(), bytes.end());
  return qc;
}

Result<Qc> verify_qc(ByteView bytes, const CertContext& ctx) {
  if (!ctx.root_qc.empty() && equal(bytes, ctx.root_qc)) return decode_qc(bytes, 4096);
  pb::QuorumCertificate m;
  const size_t n = ctx.set->size();
  DOCKET_TRY(primitives::parse_canonical(bytes, m, max_qc_bytes(n)));
  DOCKET_TRY(check_epoch(m.epoch(), ctx));
  if (m.block_id().size() != 32) return make_error(Errc::invalid_argument, "QC block id is not 32 bytes");
  auto signers = decode_signers(m.signers(), n);
  if (!signers) return signers.error();
  if (signers->size() != static_cast<size_t>(m.signatures_size())) {
    return make_error(Errc::invalid_argument, "QC signature count differs from its signers");
  }
  if (signers->size() < ctx.set->quorum()) return make_error(Errc::invalid_argument, "QC has too few signers");
  Qc qc;
  qc.epoch = m.epoch();
  qc.round = m.round();
  std::copy(m.block_id().begin(), m.block_id().end(), qc.block_id.begin());
  const Hash32 digest = vote_digest(ctx.chain, qc.epoch, qc.round, qc.block_id);
  for (size_t k = 0; k < signers->size(); ++k) {
    auto sig = to_signature(m.signatures(static_cast<int>(k)));
    if (!sig) return sig.error();
    if (!ctx.verifier->verify(ctx.set->key((*signers)[k]), digest, *sig)) {
      return make_error(Errc::bad_signature, "QC signature of validator " + std::to_string((*signers)[k]) +
                                                 not_bound_to(ctx.chain));
    }
  }
  qc.bytes.assign(bytes.begin(), bytes.end());
  return qc;
}

Result<Tc> verify_tc(ByteView bytes, const CertContext& ctx) {
  pb::TimeoutCertificate m;
  const size_t n = ctx.set->size();
  DOCKET_TRY(primitives::parse_canonical(bytes, m, max_tc_bytes(n)));
  DOCKET_TRY(check_epoch(m.epoch(), ctx));
  auto signers = decode_signers(m.signers(), n);
  if (!signers) return signers.error();
  if (signers->size() != static_cast<size_t>(m.signatures_size()) ||
      signers->size() != static_cast<size_t>(m.high_qc_rounds_size())) {
    return make_error(Errc::invalid_argument, "TC signature or round count differs from its signers");
  }
  if (signers->size() < ctx.set->quorum()) return make_error(Errc::invalid_argument, "TC has too few signers");
  Tc tc;
  tc.epoch = m.epoch();
  tc.round = m.round();
  for (size_t k = 0; k < signers->size(); ++k) {
    const Round hqr = m.high_qc_rounds(static_cast<int>(k));
    if (hqr >= tc.round) {
      return make_error(Errc::invalid_argument, "TC carries a high QC round not below its round");
    }
    tc.max_high_qc_round = std::max(tc.max_high_qc_round, hqr);
    auto sig = to_signature(m.signatures(static_cast<int>(k)));
    if (!sig) return sig.error();
    if (!ctx.verifier->verify(ctx.set->key((*signers)[k]), timeout_digest(ctx.chain, tc.epoch, tc.round, hqr), *sig)) {
      return make_error(Errc::bad_signature, "TC signature of validator " + std::to_string((*signers)[k]) +
                                                 not_bound_to(ctx.chain));
    }
  }
  auto hqc = verify_qc(as_bytes(m.high_qc()), ctx);
  if (!hqc) return make_error(hqc.error().code, "TC high QC: " + hqc.error().message);
  const Round hqc_round = hqc->epoch == ctx.epoch ? hqc->round : 0;  // a previous epoch's root QC counts as round 0
  if (hqc_round != tc.max_high_qc_round) return make_error(Errc::invalid_argument, "TC high QC is not the highest");
  tc.high_qc = std::move(hqc.value());
  tc.bytes.assign(bytes.begin(), bytes.end());
  return tc;
}

Result<Round> peek_tc_round(ByteView bytes, size_t n) {
  pb::TimeoutCertificate m;
  DOCKET_TRY(primitives::parse_canonical(bytes, m, max_tc_bytes(n)));
  return m.round();
}

Bytes build_qc(Epoch epoch, Round round, const BlockId& block_id, const std::map<ValidatorIndex, crypto::Signature>& sigs,
               size_t n) {
  pb::QuorumCertificate m;
  m.set_epoch(epoch);
  m.set_round(round);
  m.set_block_id(block_id.data(), block_id.size());
  std::vector<ValidatorIndex> idx;
  for (const auto& [i, sig] : sigs) {
    DOCKET_ASSERT(i < n);
    idx.push_back(i);
    m.add_signatures(sig.data(), sig.size());
  }
  m.set_signers(encode_signers(idx, n));
  return primitives::serialize_deterministic(m);
}

Bytes build_tc(Epoch epoch, Round round, const std::map<ValidatorIndex, TimeoutShare>& shares, const Bytes& high_qc,
               size_t n) {
  pb::TimeoutCertificate m;
  m.set_epoch(epoch);
  m.set_round(round);
  std::vector<ValidatorIndex> idx;
  for (const auto& [i, share] : shares) {
    DOCKET_ASSERT(i < n);
    idx.push_back(i);
    m.add_high_qc_rounds(share.high_qc_round);
    m.add_signatures(share.signature.data(), share.signature.size());
  }
  m.set_signers(encode_signers(idx, n));
  m.set_high_qc(high_qc.data(), high_qc.size());
  return primitives::serialize_deterministic(m);
}

}  // namespace docket::consensus
