// Where the keystore passphrase comes from, in order: --passphrase-file PATH (its first line),
// the environment variable DOCKET_PASSPHRASE, or a prompt on the terminal with echo off.
#pragma once

#include <string>

#include "wallet/keys/keystore.h"

namespace docket::wallet::keys {

struct PassphraseSource {
  std::string file;  // --passphrase-file; empty if not given
};

// confirm: prompt twice and require both to match (for a new key). Fails when no source is
// available (no file, no variable, no terminal).
Result<Passphrase> get_passphrase(const PassphraseSource& src, const std::string& prompt, bool confirm);

}  // namespace docket::wallet::keys
