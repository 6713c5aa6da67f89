// The complete BIP-340 test vector table (bitcoin/bips bip-0340/test-vectors.csv, including the
// 2022-12 rows with messages of 0, 1, 17 and 100 bytes), run through our signer and verifier.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/crypto/schnorr.h"

using namespace docket;

namespace {

struct Row {
  std::string index, secret_key, public_key, aux_rand, message, signature, result, comment;
};

std::vector<std::string> split_csv(const std::string& line) {
  // The table has no quoted fields; comments contain no commas.
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

std::vector<Row> load_rows() {
  std::ifstream in(DOCKET_BIP340_CSV);
  REQUIRE(in.good());
  std::string line;
  std::getline(in, line);
  REQUIRE(line == "index,secret key,public key,aux_rand,message,signature,verification result,comment");
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto f = split_csv(line);
    REQUIRE(f.size() == 8);
    rows.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]});
  }
  return rows;
}

template <size_t N>
std::array<uint8_t, N> fixed(const std::string& hex) {
  auto b = from_hex(hex);
  REQUIRE(b.ok());
  REQUIRE(b->size() == N);
  std::array<uint8_t, N> out;
  std::copy(b->begin(), b->end(), out.begin());
  return out;
}

}  // namespace

TEST_CASE("every row of the BIP-340 test vector table") {
  auto rows = load_rows();
  REQUIRE(rows.size() == 19);
  size_t signed_rows = 0, failing_rows = 0;
  for (const Row& r : rows) {
    INFO("vector " << r.index << " (" << r.comment << ")");
    REQUIRE((r.result == "TRUE" || r.result == "FALSE"));
    const bool expected = r.result == "TRUE";
    auto pk = fixed<32>(r.public_key);
    auto sig = fixed<64>(r.signature);
    auto msg = from_hex(r.message);
    REQUIRE(msg.ok());

    if (!r.secret_key.empty()) {
      auto sk = crypto::SecretKey::from_bytes(fixed<32>(r.secret_key));
      REQUIRE(sk.ok());
      CHECK(sk->public_key() == pk);
      CHECK(to_hex(sk->sign_message(*msg, fixed<32>(r.aux_rand))) == to_hex(sig));
      ++signed_rows;
    }
    CHECK(crypto::verify_message(pk, *msg, sig) == expected);
    if (!expected) ++failing_rows;
  }
  CHECK(signed_rows == 8);
  CHECK(failing_rows == 10);
}

TEST_CASE("keys the table rejects are not valid public keys") {
  // Vector 5: not on the curve; vector 14: x not below the field size.
  CHECK_FALSE(crypto::is_valid_public_key(fixed<32>("EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34")));
  CHECK_FALSE(crypto::is_valid_public_key(fixed<32>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC30")));
  CHECK(crypto::is_valid_public_key(fixed<32>("DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659")));
}
