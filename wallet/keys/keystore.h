// Encrypted keystore: one JSON file per key, mode 0600, in a directory (default ~/.docket/keys).
//
//   { "docket_keystore": 1, "name": "alice", "chain_id": "docket-testnet",
//     "public_key": "<32-byte x-only key, hex>", "created": "2024-03-14T09:12:00Z",
//     "kdf": { "name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": "<32 bytes hex>" },
//     "cipher": { "name": "aes-256-gcm", "iv": "<12 bytes hex>", "ciphertext": "<32 bytes hex>", "tag": "<16 bytes hex>" } }
//
// The passphrase goes through scrypt (OpenSSL EVP_PBE_scrypt; N=2^17, r=8, p=1 by default: 128 MiB
// and about half a second, so each guess costs an attacker the same) to a 32-byte key that encrypts
// the secret key with AES-256-GCM. The GCM additional data binds the format version, name, chain id,
// public key and KDF parameters: editing any of them in the file makes decryption fail. After
// decryption the public key is recomputed and compared. Buffers holding the passphrase, derived key
// or plaintext are wiped (OPENSSL_cleanse). Functions are thread-safe; files are not locked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/crypto/schnorr.h"
#include "wallet/oa/json.h"

namespace docket::wallet::keys {

struct ScryptParams {
  uint64_t n = 1u << 17;
  uint32_t r = 8;
  uint32_t p = 1;
};

// What a keystore file says in the clear.
struct KeyInfo {
  std::string name;
  std::string chain_id;
  crypto::PublicKey public_key{};
  std::string created;
  ScryptParams scrypt;
  std::string path;
};

// A passphrase held in memory that wipes itself.
class Passphrase {
 public:
  explicit Passphrase(std::string s) : s_(std::move(s)) {}
  Passphrase(Passphrase&& o) noexcept : s_(std::move(o.s_)) {}
  Passphrase(const Passphrase&) = delete;
  Passphrase& operator=(const Passphrase&) = delete;
  ~Passphrase();
  const std::string& str() const { return s_; }

 private:
  std::string s_;
};

// Key names: 1-64 of [A-Za-z0-9_-]. They become file names.
Status check_key_name(const std::string& name);

// Shorter passphrases are refused when a key is encrypted: scrypt slows each guess, but cannot save
// a passphrase that is guessed in a few thousand tries.
inline constexpr size_t kMinPassphraseChars = 8;

// Encrypts key into keystore JSON text.
Result<std::string> encrypt_key(const crypto::SecretKey& key, const std::string& name, const std::string& chain_id,
                                const Passphrase& pass, const ScryptParams& params = {});

// Reads the clear part of keystore text (no passphrase needed). Errors say what is corrupt.
Result<KeyInfo> read_key_info(const std::string& text);

// Decrypts keystore text. Errc::bad_signature for a wrong passphrase (or an altered file),
// Errc::corruption for a malformed or truncated file, Errc::wrong_chain when expected_chain_id is
// not empty and differs from the file's.
Result<crypto::SecretKey> decrypt_key(const std::string& text, const Passphrase& pass,
                                      const std::string& expected_chain_id);

// A directory of keystore files.
class Keystore {
 public:
  explicit Keystore(std::string dir) : dir_(std::move(dir)) {}
  // The directory from --keystore, else $DOCKET_KEYSTORE, else ~/.docket/keys.
  static std::string default_dir();

  const std::string& dir() const { return dir_; }
  std::string path_of(const std::string& name) const { return dir_ + "/" + name + ".json"; }

  // Writes a new file (mode 0600, directory 0700); fails if the name is taken.
  Status save(const std::string& name, const std::string& keystore_text) const;
  Result<std::string> load_text(const std::string& name) const;
  Result<KeyInfo> info(const std::string& name) const;
  // All readable keystores, by name; unreadable files are reported in problems.
  std::vector<KeyInfo> list(std::vector<std::string>* problems = nullptr) const;

 private:
  std::string dir_;
};

}  // namespace docket::wallet::keys
