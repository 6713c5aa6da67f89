#include "wallet/proofs/epoch_chain.h"

#include <set>

#include "consensus/certificates.h"
#include "consensus/messages.h"
#include "consensus/verifier.h"
#include "ledger/proto/epoch.pb.h"
#include "ledger/proto/operations.pb.h"
#include "ledger/state/proof.h"

namespace docket::wallet::proofs {
namespace {

Error bad(uint64_t epoch, const std::string& why) {
  return make_error(Errc::invalid_argument, "validator-set change to epoch " + std::to_string(epoch) + ": " + why);
}

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

Result<consensus::ValidatorSet> parse_set(uint64_t epoch, const std::string& bytes) {
  pb::ValidatorSet rec;
  if (!rec.ParseFromString(bytes)) return bad(epoch, "the proven validators record does not parse");
  if (rec.validators_size() == 0) return bad(epoch, "the proven validator set is empty");
  if (static_cast<size_t>(rec.validators_size()) > primitives::kMaxValidators)
    return bad(epoch, "more validators than the chain allows (" + std::to_string(primitives::kMaxValidators) + ")");
  std::vector<crypto::PublicKey> keys;
  std::set<crypto::PublicKey> seen;
  for (const auto& v : rec.validators()) {
    crypto::PublicKey k{};
    if (v.node_key().size() != k.size()) return bad(epoch, "a validator key is not 32 bytes");
    std::copy(v.node_key().begin(), v.node_key().end(), k.begin());
    if (!seen.insert(k).second) return bad(epoch, "a validator appears twice");
    keys.push_back(k);
  }
  return consensus::ValidatorSet(std::move(keys));
}

}  // namespace

Result<std::vector<Epoch>> verify_epoch_chain(const crypto::ChainBinding& chain, const consensus::ValidatorSet& genesis,
                                              const std::vector<Bytes>& changes) {
  if (changes.size() > kMaxEpochs) return make_error(Errc::invalid_argument, "too many validator-set changes");
  std::vector<Epoch> epochs{Epoch{genesis, 0}};
  const consensus::SchnorrVerifier verifier;
  size_t widest = genesis.size();  // header size limits follow the largest set so far (a justify QC may be the previous set's)
  for (const Bytes& raw : changes) {
    const uint64_t prev = epochs.size() - 1, epoch = prev + 1;
    const Epoch& before = epochs.back();
    pb::EpochChangeProof c;
    if (!c.ParseFromArray(raw.data(), static_cast<int>(raw.size()))) return bad(epoch, "the record does not parse");
    if (c.epoch() != epoch) return bad(epoch, "the record is for epoch " + std::to_string(c.epoch()) + ", out of order");
    if (c.start_after() <= before.start_after && prev > 0)
      return bad(epoch, "it starts after height " + std::to_string(c.start_after()) + ", not after the previous epoch's start");
    if (c.header().empty()) return bad(epoch, "the record carries no certified header (the node could not prove it)");
    consensus::Limits limits;
    limits.validators = widest;
    auto k = consensus::decode_header(bytes_of(c.header()), chain, limits);
    if (!k.ok()) return bad(epoch, "the header does not decode: " + k.error().message);
    if (k->header.epoch != prev) return bad(epoch, "the header is of epoch " + std::to_string(k->header.epoch) + ", not " + std::to_string(prev));
    if (k->header.height > c.start_after()) return bad(epoch, "the header is above the epoch's last height");
    if (k->header.proposer >= before.validators.size()) return bad(epoch, "the header's proposer is not a validator of its epoch");
    const consensus::CertContext ctx{chain, prev, &before.validators, &verifier, {}};
    auto qc = consensus::verify_qc(bytes_of(c.certificate()), ctx);
    if (!qc.ok()) return bad(epoch, "the certificate is not a quorum of epoch " + std::to_string(prev) + "'s validators: " + qc.error().message);
    if (qc->block_id != k->id || qc->round != k->header.round) return bad(epoch, "the certificate signs another block than the header");
    auto root = hash_from_bytes(k->header.state_root);
    if (!root) return bad(epoch, "the header carries no 32-byte state root");
    auto proof = state::decode_proof(bytes_of(c.validators_proof()));
    if (!proof.ok()) return bad(epoch, "malformed state proof: " + proof.error().message);
    const Bytes value = bytes_of(c.validators());
    auto proven = state::verify_proof(*root, "validators", ByteView(value), *proof);
    if (!proven.ok()) return bad(epoch, "the validators record is not proven under the certified state root: " + proven.error().message);
    auto set = parse_set(epoch, c.validators());
    if (!set.ok()) return set.error();
    if (!c.commit_proof().empty()) {
      auto cp = consensus::decode_commit_proof(bytes_of(c.commit_proof()), chain, limits);
      if (!cp.ok()) return bad(epoch, "the commit proof does not decode: " + cp.error().message);
      const consensus::Header& child = cp->child.header;
      if (child.epoch != prev || child.height != c.start_after() + 1)
        return bad(epoch, "the commit proof is not for the epoch's last block");
      if (k->header.height == c.start_after() && (child.parent_id != k->id || child.round != k->header.round + 1))
        return bad(epoch, "the commit proof does not extend the certified header");
      auto cqc = consensus::verify_qc(cp->qc, ctx);
      if (!cqc.ok() || cqc->block_id != cp->child.id || cqc->round != child.round)
        return bad(epoch, "the commit proof's certificate is not a quorum of epoch " + std::to_string(prev) + "'s validators on it");
    }
    widest = std::max(widest, set->size());
    epochs.push_back(Epoch{std::move(*set), c.start_after()});
  }
  return epochs;
}

}  // namespace docket::wallet::proofs
