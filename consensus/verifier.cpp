#include "consensus/verifier.h"

namespace docket::consensus {

bool SchnorrVerifier::verify(const crypto::PublicKey& key, const Hash32& digest, const crypto::Signature& sig) const {
  return crypto::verify(key, digest, sig);
}

}  // namespace docket::consensus
