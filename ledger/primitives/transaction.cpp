#include "ledger/primitives/transaction.h"

#include <cstring>

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"
#include "ledger/primitives/canonical.h"

namespace docket::primitives {

Hash32 tx_id(ByteView body_bytes) { return crypto::tagged_hash(crypto::tags::kTxId, body_bytes); }

Hash32 tx_signing_digest(const crypto::ChainBinding& chain, ByteView body_bytes) {
  return crypto::signing_digest(crypto::tags::kTxSig, chain, body_bytes);
}

Result<VerifiedTx> decode_transaction(ByteView tx_bytes, const crypto::ChainBinding& chain, const TxLimits& limits) {
  const std::string& chain_id = chain.chain_id;
  pb::Transaction tx;
  DOCKET_TRY(parse_canonical(tx_bytes, tx, limits.max_tx_bytes));
  const std::string& body_str = tx.body();
  ByteView body_bytes = as_bytes(body_str);
  if (body_bytes.empty()) return make_error(Errc::invalid_argument, "transaction has no body");

  VerifiedTx out;
  DOCKET_TRY(parse_canonical(body_bytes, out.body, limits.max_body_bytes));
  const pb::TxBody& body = out.body;

  if (body.chain_id() != chain_id)
    return make_error(Errc::wrong_chain, "transaction is for chain '" + body.chain_id().substr(0, 64) + "', not '" +
                                             std::string(chain_id) + "'");
  if (body.sender().size() != out.sender.size())
    return make_error(Errc::invalid_argument, "sender must be a 32-byte public key, got " +
                                                  std::to_string(body.sender().size()) + " bytes");
  std::memcpy(out.sender.data(), body.sender().data(), out.sender.size());
  if (!crypto::is_valid_public_key(out.sender))
    return make_error(Errc::invalid_argument, "sender is not a valid x-only public key");
  if (body.op_case() == pb::TxBody::OP_NOT_SET) return make_error(Errc::invalid_argument, "transaction has no operation");

  // The signature last: it is the expensive check.
  auto sig = crypto::signature_from_bytes(as_bytes(tx.signature()));
  if (!sig) return make_error(Errc::bad_signature, sig.error().message);
  if (!crypto::verify(out.sender, tx_signing_digest(chain, body_bytes), *sig))
    return make_error(Errc::bad_signature, "signature does not verify for the sender on chain '" + chain_id +
                                               "' with genesis " + to_hex(chain.genesis_hash).substr(0, 16) +
                                               "... (signed by another key, or for another genesis)");

  out.id = tx_id(body_bytes);
  out.raw.assign(tx_bytes.begin(), tx_bytes.end());
  out.body_bytes.assign(body_bytes.begin(), body_bytes.end());
  return out;
}

Bytes build_transaction(const pb::TxBody& body, const crypto::ChainBinding& chain, const crypto::SecretKey& key) {
  crypto::PublicKey pk = key.public_key();
  DOCKET_ASSERT_MSG(body.sender().size() == pk.size() && std::memcmp(body.sender().data(), pk.data(), pk.size()) == 0,
                    "build_transaction: body.sender is not the signing key");
  DOCKET_ASSERT_MSG(body.chain_id() == chain.chain_id, "build_transaction: body.chain_id is not the chain signed for");
  Bytes body_bytes = serialize_deterministic(body);
  crypto::Signature sig = key.sign(tx_signing_digest(chain, body_bytes));
  pb::Transaction tx;
  tx.set_body(to_string(body_bytes));
  tx.set_signature(sig.data(), sig.size());
  return serialize_deterministic(tx);
}

}  // namespace docket::primitives
