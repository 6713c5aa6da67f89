// Purpose tags for tagged hashes. One tag per purpose; never reuse a tag for a second meaning.
// Changing any of these changes every hash and signature of that kind: it is a new chain format.
// v2: the signing digests (tx-sig, block-id, vote, timeout, proposal, p2p-handshake) bind the genesis
// hash besides the chain id (crypto::ChainBinding); docs/formats.md.
#pragma once

namespace docket::crypto::tags {
inline constexpr const char* kTxId = "docket/tx-id/v1";            // id of a transaction body
inline constexpr const char* kTxSig = "docket/tx-sig/v2";          // signature over a transaction body
inline constexpr const char* kBlockId = "docket/block-id/v2";      // id of a block header
inline constexpr const char* kVote = "docket/vote/v2";             // consensus vote
inline constexpr const char* kTimeout = "docket/timeout/v2";       // consensus timeout message
inline constexpr const char* kProposal = "docket/proposal/v2";     // leader's signature on a proposal
inline constexpr const char* kMerkleLeaf = "docket/merkle-leaf/v1";   // transaction Merkle tree leaf
inline constexpr const char* kMerkleNode = "docket/merkle-node/v1";   // transaction Merkle tree inner node
inline constexpr const char* kMerkleRoot = "docket/merkle-root/v1";   // transaction Merkle root: leaf count || top node
inline constexpr const char* kStateLeaf = "docket/state-leaf/v1";     // sparse Merkle tree leaf
inline constexpr const char* kStateNode = "docket/state-node/v1";     // sparse Merkle tree inner node
inline constexpr const char* kStateKey = "docket/state-key/v1";       // path of a record key in the state tree
inline constexpr const char* kHistory = "docket/history/v1";         // hash chain of a record's history entries
inline constexpr const char* kHandshake = "docket/p2p-handshake/v2";  // p2p handshake proof of key
inline constexpr const char* kHighWaterMark = "docket/high-water-mark/v1";  // checksum of a node's high-water mark file
}  // namespace docket::crypto::tags
