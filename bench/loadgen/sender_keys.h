// The bench's sender keys: one issuer member per key, written by `docket-loadgen keys` before the
// genesis is made (testnet/up --bench-senders) and read back by `docket-loadgen run`.
//
// File format, one sender per line: "<member id> <secret key hex> <x-only public key hex>". The secret
// keys are in the clear: these are throw-away keys of a local benchmark chain, and an encrypted
// keystore would cost a key derivation per sender. The file is created with mode 0600.
// Free functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ledger/common/result.h"
#include "ledger/crypto/schnorr.h"

namespace docket::loadgen {

struct SenderKey {
  std::string member_id;
  crypto::SecretKey key;
  crypto::PublicKey public_key{};
};

// Generates `count` fresh keys for members "<prefix>0", "<prefix>1", ... and writes them to `path`
// (which must not exist yet).
Status write_sender_keys(const std::string& path, size_t count, const std::string& prefix);

// Reads the file back; every line must be well formed and its public key must match its secret.
Result<std::vector<SenderKey>> read_sender_keys(const std::string& path);

}  // namespace docket::loadgen
