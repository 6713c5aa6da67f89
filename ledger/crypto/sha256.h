// SHA-256 (OpenSSL EVP) and BIP-340 style tagged hashes. Each signed or hashed thing in Docket uses
// its own tag (see tags.h), so a digest of one purpose can never be taken for another.
#pragma once

#include <initializer_list>
#include <string_view>

#include "ledger/common/bytes.h"
#include "ledger/crypto/chain_binding.h"

namespace docket::crypto {

Hash32 sha256(ByteView data);

// Incremental SHA-256 for data that comes in pieces. Not thread-safe; one per thread.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  Sha256& update(ByteView data);
  Sha256& update(std::string_view s) { return update(as_bytes(s)); }
  Hash32 finish();

 private:
  void* ctx_;  // EVP_MD_CTX*
};

// SHA256(SHA256(tag) || SHA256(tag) || msg), as defined in BIP-340. Each thread keeps the prefix
// state of the last few tags it used, so repeated calls with one tag cost one SHA-256 of msg.
Hash32 tagged_hash(std::string_view tag, ByteView msg);

// tagged_hash for many messages under one tag: the 64-byte tag prefix is absorbed once and its state
// copied for every message, so each hash costs one SHA-256 of the message instead of three hash setups.
// Used by the Merkle tree. Not thread-safe (it reuses a working context); one per thread.
class TaggedHasher {
 public:
  explicit TaggedHasher(std::string_view tag);
  ~TaggedHasher();
  TaggedHasher(const TaggedHasher&) = delete;
  TaggedHasher& operator=(const TaggedHasher&) = delete;

  // tagged_hash(tag, a || b).
  Hash32 operator()(ByteView a, ByteView b = {}) { return hash({a, b}); }
  // tagged_hash(tag, concatenation of parts).
  Hash32 hash(std::initializer_list<ByteView> parts);

 private:
  void* prefix_;  // EVP_MD_CTX* that has absorbed SHA256(tag) || SHA256(tag)
  void* work_;    // EVP_MD_CTX* reused for each message
};

// The digest that a Docket signature (and a block id) covers:
//   tagged_hash(tag, u32be(len(chain_id)) || chain_id || genesis_hash || bytes).
// The length prefix keeps chain id and the rest apart, and the genesis hash has a fixed 32 bytes, so no
// two (chain, bytes) pairs share a preimage. The genesis hash keeps two chains that share an id apart.
Hash32 signing_digest(std::string_view tag, const ChainBinding& chain, ByteView bytes);

}  // namespace docket::crypto
