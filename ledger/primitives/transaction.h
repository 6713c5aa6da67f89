// Transactions: decoding and stateless validation of a signed transaction from untrusted bytes, and
// building one (wallet, tests).
//
// A transaction is a pb::Transaction { body, signature } where `body` is the exact serialized TxBody
// that was signed. Its id is tagged_hash(tags::kTxId, body bytes); its signature is BIP-340 over
// signing_digest(tags::kTxSig, chain binding (chain id and genesis hash), body bytes). Nothing is
// re-serialized to hash or verify.
//
// decode_transaction does every check that needs no ledger state (sizes, canonical encoding, chain id,
// sender key, signature, an operation present). Checks that need state (nonce, expiry height, roles,
// the operation's own rules) belong to contracts/, which receives a VerifiedTx. See docs/formats.md.
//
// Thread safety: free functions over caller-owned data; safe from any thread.
#pragma once

#include <cstddef>
#include <string_view>

#include "ledger/common/bytes.h"
#include "ledger/common/result.h"
#include "ledger/crypto/chain_binding.h"
#include "ledger/crypto/schnorr.h"
#include "ledger/proto/transaction.pb.h"

namespace docket::primitives {

// The chain's one transaction size limit. Admission (API submissions and gossip, the mempool) and
// block validation (proposals, block sync, commits) all decode with these defaults, so a transaction a
// node admits always fits in a block, and a block never carries one that admission would refuse. It is
// not a node setting: nodes with different limits would refuse each other's blocks. The body limit is
// the largest body a transaction of kMaxTxBytes carries (body: 1 tag byte and a 3-byte length;
// signature: 66 bytes), so it never refuses a transaction the whole-transaction limit admits.
inline constexpr size_t kMaxTxBytes = 64 * 1024;
inline constexpr size_t kMaxTxBodyBytes = kMaxTxBytes - 70;

// Size limits, checked before anything is parsed. Anything but the defaults is for tests only.
struct TxLimits {
  size_t max_tx_bytes = kMaxTxBytes;
  size_t max_body_bytes = kMaxTxBodyBytes;
};

// A transaction that passed every stateless check. Owns copies of its bytes.
struct VerifiedTx {
  Hash32 id;                  // tagged_hash(kTxId, body_bytes)
  Bytes raw;                  // the whole serialized Transaction, as received
  Bytes body_bytes;           // the exact signed TxBody bytes
  pb::TxBody body;            // body_bytes decoded
  crypto::PublicKey sender;   // body.sender(), checked to be a valid x-only key
};

// The transaction id of a body: what blocks, the Merkle tree and the API refer to.
Hash32 tx_id(ByteView body_bytes);
// The 32-byte digest the sender signs.
Hash32 tx_signing_digest(const crypto::ChainBinding& chain, ByteView body_bytes);

// Decodes and checks a transaction for the chain `chain` (its id and genesis). Fails with
//   Errc::too_large         transaction or body above the limits,
//   Errc::invalid_argument  malformed bytes, unknown fields, sender not a valid 32-byte x-only key, no operation,
//   Errc::non_canonical     transaction or body bytes not in deterministic encoding,
//   Errc::wrong_chain       body.chain_id differs from chain.chain_id,
//   Errc::bad_signature     signature not 64 bytes or not valid for the sender on this chain and genesis
//                           (a transaction signed for another genesis with the same chain id fails here).
Result<VerifiedTx> decode_transaction(ByteView tx_bytes, const crypto::ChainBinding& chain, const TxLimits& limits = {});

// Serializes `body` deterministically, signs it with `key` for `chain` and returns the serialized Transaction.
// REQUIRES: body.sender() is key.public_key() and body.chain_id() is chain.chain_id (caller bugs; asserted).
Bytes build_transaction(const pb::TxBody& body, const crypto::ChainBinding& chain, const crypto::SecretKey& key);

}  // namespace docket::primitives
