// Genesis: the consortium a chain starts with, read from genesis.json (format and a full example in
// docs/contracts.md, "Genesis"). parse_genesis validates everything (unknown fields, duplicate JSON
// keys, duplicate member ids or public keys, bad hex, unknown roles or countries, missing admin) so a
// node never starts from a file it half understood. The genesis hash is a tagged hash of a canonical
// binary encoding, independent of JSON whitespace, key order and member order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contracts/state_access.h"
#include "ledger/crypto/chain_binding.h"
#include "ledger/crypto/schnorr.h"

namespace docket::contracts {

inline constexpr const char* kGenesisTag = "docket/genesis/v1";
inline constexpr size_t kMaxGenesisBytes = 4 << 20;

struct GenesisMember {
  std::string id;
  std::string name;
  std::string country;
  std::vector<crypto::PublicKey> keys;  // sorted
  std::vector<std::string> roles;       // sorted
};

struct GenesisValidator {
  std::string member_id;
  crypto::PublicKey node_key{};
};

struct GenesisParams {
  uint64_t proposal_ttl_blocks = 0;       // required
  uint64_t max_tx_ttl_blocks = 1000;
  uint64_t max_members = 256;
  uint64_t epoch_length_blocks = 1000;
};

struct Genesis {
  std::string chain_id;
  uint64_t genesis_time_ms = 0;
  std::vector<GenesisMember> members;        // sorted by id
  std::vector<GenesisValidator> validators;  // in consensus index order, as written
  GenesisParams params;
};

Result<Genesis> parse_genesis(std::string_view json_text);

Bytes canonical_encoding(const Genesis& g);
Hash32 genesis_hash(const Genesis& g);
// What this genesis's chain binds every signature and block id to: its chain id and genesis hash.
crypto::ChainBinding chain_binding(const Genesis& g);

// The records of the initial state (version 0): chain, params, validators, gov/meta, members, accounts.
Writes genesis_writes(const Genesis& g);

}  // namespace docket::contracts
