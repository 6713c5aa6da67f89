// Keccak-256 as Ethereum and OpenAttestation use it: the original Keccak padding (0x01), not the
// FIPS 202 SHA3-256 padding (0x06). OpenSSL 3.0 on Debian 12 has no Keccak-256 and no Debian
// library ships a suitable one, so this is a small implementation of Keccak-f[1600]
// (see docs/crypto.md), checked against published vectors in tests/crypto.
#pragma once

#include "ledger/common/bytes.h"

namespace docket::crypto {
Hash32 keccak256(ByteView data);
}  // namespace docket::crypto
