// OpenAttestation v2 salting: every primitive leaf v of a document becomes the string
// "<uuid v4>:<type>:<String(v)>" with type one of string, number, boolean, null ("null:null").
// Empty objects and arrays are not leaves and stay as they are. The salt makes each leaf hash
// unguessable, so a hidden (obfuscated) field cannot be found by hashing candidate values.
//
// SaltSource draws UUIDs from the OS random source in blocks (one getrandom call per 256 UUIDs
// rather than one per leaf). Not thread-safe: one per thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "wallet/oa/json.h"

namespace docket::wallet::oa {

class SaltSource {
 public:
  SaltSource() = default;
  SaltSource(const SaltSource&) = delete;
  SaltSource& operator=(const SaltSource&) = delete;
  ~SaltSource();

  // A random (version 4, RFC 4122 variant) UUID in lowercase 8-4-4-4-12 form.
  std::string uuid_v4();

 private:
  std::array<uint8_t, 16 * 256> buf_{};
  size_t used_ = sizeof(buf_);
};

// "<type>:<value>" as OpenAttestation's primitiveToTypedString writes it. v must be a primitive.
std::string typed_string(const Json& v);

// Returns a salted copy of data (same structure and key order).
Json salt_data(const Json& data, SaltSource& salts);

// Whether s starts with a salt: a version 4 UUID followed by ':' (as OpenAttestation's unsalt checks).
bool has_uuid_v4_prefix(std::string_view s);

// The original value of a salted leaf; leaves that are not salted strings come back unchanged.
Json unsalt_value(const Json& v);

// unsalt_value applied to every leaf: the document's plain data.
Json unsalt_data(const Json& data);

}  // namespace docket::wallet::oa
