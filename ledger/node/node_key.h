// The node key file: the secret key a validator signs votes and handshakes with, written once by
// `docketd init` and read at every start. JSON {"public_key": hex, "secret_key": hex}, mode 0600.
//
// Loading refuses a file that others can read or write (like ssh does), so a copied or mis-permissioned
// key is noticed. Functions are thread-safe (no shared state).
#pragma once

#include <filesystem>

#include "ledger/common/result.h"
#include "ledger/crypto/schnorr.h"

namespace docket::node {

// Creates the file with mode 0600 and syncs it. Errc::already_exists if it exists: a key is never
// overwritten. Errc::io_error when it cannot be written.
Status write_node_key(const std::filesystem::path& file, const crypto::SecretKey& key);

// Errc::not_found (missing), Errc::unauthorized (group/other permissions), Errc::invalid_argument
// (not the expected JSON, bad hex, public key that does not match the secret key).
Result<crypto::SecretKey> load_node_key(const std::filesystem::path& file);

}  // namespace docket::node
