#include <catch2/catch.hpp>

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"
#include "ledger/primitives/canonical.h"
#include "ledger/primitives/transaction.h"
#include "tests/primitives/wire.h"

using namespace docket;
using namespace docket::test_wire;
using primitives::decode_transaction;

namespace {

const std::string kChain = "docket-test";
// The chain transactions are signed for: the id and a genesis hash (genesis "A").
const crypto::ChainBinding kBinding{kChain, crypto::sha256(as_bytes("genesis A"))};

const crypto::SecretKey& alice() {
  static const crypto::SecretKey k = crypto::SecretKey::generate();
  return k;
}

pb::TxBody sample_body(const crypto::SecretKey& key = alice()) {
  pb::TxBody b;
  b.set_chain_id(kChain);
  auto pk = key.public_key();
  b.set_sender(pk.data(), pk.size());
  b.set_nonce(1);
  b.set_expiry_height(100);
  auto* op = b.mutable_document_issue();
  op->set_merkle_root(std::string(32, '\x11'));
  op->set_document_type("certificate_of_origin");
  auto* field = op->add_public_fields();
  field->set_name("exporter");
  field->set_value("ACME");
  return b;
}

// A transaction around arbitrary body bytes, signed by `key` for `chain`: lets a test make the body the
// only thing wrong, with a signature that is valid for exactly those bytes.
Bytes sign_raw(ByteView body, const crypto::SecretKey& key = alice(), const crypto::ChainBinding& chain = kBinding) {
  auto sig = key.sign(primitives::tx_signing_digest(chain, body));
  pb::Transaction tx;
  tx.set_body(to_string(body));
  tx.set_signature(sig.data(), sig.size());
  return primitives::serialize_deterministic(tx);
}

Errc decode_error(ByteView tx, const primitives::TxLimits& limits = {}) {
  auto r = decode_transaction(tx, kBinding, limits);
  REQUIRE_FALSE(r.ok());
  return r.error().code;
}

}  // namespace

TEST_CASE("a built transaction decodes, with the id over the exact body bytes") {
  pb::TxBody body = sample_body();
  Bytes tx = primitives::build_transaction(body, kBinding, alice());
  auto r = decode_transaction(tx, kBinding);
  REQUIRE(r.ok());
  const auto& v = *r;
  CHECK(v.raw == tx);
  CHECK(v.body_bytes == primitives::serialize_deterministic(body));
  CHECK(v.id == crypto::tagged_hash(crypto::tags::kTxId, v.body_bytes));
  CHECK(v.id == primitives::tx_id(v.body_bytes));
  CHECK(v.sender == alice().public_key());
  CHECK(v.body.nonce() == 1);
  REQUIRE(v.body.document_issue().public_fields_size() == 1);
  CHECK(v.body.document_issue().public_fields(0).value() == "ACME");

  // Same body, new signature (fresh aux randomness): same id. Different body: different id.
  auto again = decode_transaction(primitives::build_transaction(body, kBinding, alice()), kBinding);
  REQUIRE(again.ok());
  CHECK(again->id == v.id);
  body.set_nonce(2);
  auto other = decode_transaction(primitives::build_transaction(body, kBinding, alice()), kBinding);
  REQUIRE(other.ok());
  CHECK(other->id != v.id);
}

TEST_CASE("transaction for another chain is wrong_chain") {
  Bytes tx = primitives::build_transaction(sample_body(), kBinding, alice());
  auto r = decode_transaction(tx, crypto::ChainBinding{"other-chain", kBinding.genesis_hash});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::wrong_chain);
}

TEST_CASE("a signature made for another chain id does not verify") {
  // Body claims our chain, signature was made binding another chain id: replay across chains fails.
  Bytes body = primitives::serialize_deterministic(sample_body());
  CHECK(decode_error(sign_raw(body, alice(), {"other-chain", kBinding.genesis_hash})) == Errc::bad_signature);
}

TEST_CASE("a transaction signed for another genesis with the same chain id is refused") {
  // Two networks that reuse the chain id "docket-test": genesis A (ours) and genesis B.
  const crypto::ChainBinding genesis_b{kChain, crypto::sha256(as_bytes("genesis B"))};
  REQUIRE(genesis_b.chain_id == kBinding.chain_id);
  Bytes for_a = primitives::build_transaction(sample_body(), kBinding, alice());
  REQUIRE(decode_transaction(for_a, kBinding).ok());
  auto on_b = decode_transaction(for_a, genesis_b);
  REQUIRE_FALSE(on_b.ok());
  CHECK(on_b.error().code == Errc::bad_signature);
  CHECK_THAT(on_b.error().message, Catch::Contains("another genesis"));
  CHECK_THAT(on_b.error().message, Catch::Contains(to_hex(genesis_b.genesis_hash).substr(0, 16)));
  // And the other way round: B's transaction does not verify on A.
  CHECK(decode_transaction(primitives::build_transaction(sample_body(), genesis_b, alice()), kBinding).error().code ==
        Errc::bad_signature);
}

TEST_CASE("signature problems are bad_signature") {
  Bytes body = primitives::serialize_deterministic(sample_body());
  SECTION("flipped bit") {
    Bytes good = sign_raw(body);
    pb::Transaction tx;
    REQUIRE(tx.ParseFromArray(good.data(), static_cast<int>(good.size())));
    REQUIRE(decode_transaction(good, kBinding).ok());
    std::string sig = tx.signature();
    sig[5] ^= 1;
    tx.set_signature(sig);
    CHECK(decode_error(primitives::serialize_deterministic(tx)) == Errc::bad_signature);
  }
  SECTION("signed by someone other than the sender") {
    auto mallory = crypto::SecretKey::generate();
    CHECK(decode_error(sign_raw(body, mallory)) == Errc::bad_signature);
  }
  SECTION("wrong length") {
    for (size_t n : {0u, 63u, 65u}) {
      pb::Transaction tx;
      tx.set_body(to_string(body));
      tx.set_signature(std::string(n, '\x01'));
      CHECK(decode_error(primitives::serialize_deterministic(tx)) == Errc::bad_signature);
    }
  }
  SECTION("signature under another purpose tag") {
    auto sig = alice().sign(crypto::signing_digest(crypto::tags::kVote, kBinding, body));
    pb::Transaction tx;
    tx.set_body(to_string(body));
    tx.set_signature(sig.data(), sig.size());
    CHECK(decode_error(primitives::serialize_deterministic(tx)) == Errc::bad_signature);
  }
}

TEST_CASE("sender must be a valid 32-byte x-only key") {
  pb::TxBody body = sample_body();
  body.set_sender(std::string(31, '\x01'));
  CHECK(decode_error(sign_raw(primitives::serialize_deterministic(body))) == Errc::invalid_argument);
  // An x coordinate with no point on the curve (BIP-340 test vector 5).
  auto bad = from_hex("eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34");
  REQUIRE(bad.ok());
  body.set_sender(to_string(*bad));
  CHECK(decode_error(sign_raw(primitives::serialize_deterministic(body))) == Errc::invalid_argument);
}

TEST_CASE("a transaction without an operation is invalid") {
  pb::TxBody body = sample_body();
  body.clear_op();
  CHECK(decode_error(sign_raw(primitives::serialize_deterministic(body))) == Errc::invalid_argument);
}

TEST_CASE("body encoding is checked even under a valid signature") {
  Bytes body = primitives::serialize_deterministic(sample_body());
  SECTION("unknown field in the body") {
    Bytes b = body;
    append(b, vfield(99, 1));
    CHECK(decode_error(sign_raw(b)) == Errc::invalid_argument);
  }
  SECTION("non-canonical body: a default value written out") {
    // expiry_height (4) = 0 written explicitly, placed where field order keeps it canonical otherwise.
    pb::TxBody no_expiry = sample_body();
    no_expiry.set_expiry_height(0);
    Bytes canonical = primitives::serialize_deterministic(no_expiry);
    REQUIRE(decode_transaction(sign_raw(canonical), kBinding).ok());
    pb::TxBody head;
    head.set_chain_id(kChain);
    auto pk = alice().public_key();
    head.set_sender(pk.data(), pk.size());
    head.set_nonce(1);
    pb::TxBody tail;
    *tail.mutable_document_issue() = no_expiry.document_issue();
    Bytes b = cat({primitives::serialize_deterministic(head), vfield(4, 0), primitives::serialize_deterministic(tail)});
    CHECK(decode_error(sign_raw(b)) == Errc::non_canonical);
  }
  SECTION("not a TxBody at all") { CHECK(decode_error(sign_raw(Bytes{0xff, 0xff})) == Errc::invalid_argument); }
}

TEST_CASE("outer transaction encoding is checked") {
  Bytes tx = primitives::build_transaction(sample_body(), kBinding, alice());
  SECTION("unknown field") {
    Bytes b = tx;
    append(b, vfield(3, 1));
    CHECK(decode_error(b) == Errc::invalid_argument);
  }
  SECTION("fields swapped") {
    pb::Transaction t;
    REQUIRE(t.ParseFromArray(tx.data(), static_cast<int>(tx.size())));
    Bytes b = cat({lfield(2, to_bytes(t.signature())), lfield(1, to_bytes(t.body()))});
    CHECK(decode_error(b) == Errc::non_canonical);
  }
  SECTION("truncated") {
    Bytes b(tx.begin(), tx.end() - 1);
    CHECK(decode_error(b) == Errc::invalid_argument);
  }
  SECTION("empty") { CHECK(decode_error(Bytes{}) == Errc::invalid_argument); }
}

TEST_CASE("size limits") {
  pb::TxBody body = sample_body();
  body.mutable_document_issue()->set_document_type(std::string(70 * 1024, 'x'));
  Bytes big = sign_raw(primitives::serialize_deterministic(body));
  CHECK(decode_error(big) == Errc::too_large);

  Bytes tx = primitives::build_transaction(sample_body(), kBinding, alice());
  primitives::TxLimits tight;
  tight.max_tx_bytes = tx.size() - 1;
  CHECK(decode_error(tx, tight) == Errc::too_large);
  primitives::TxLimits tight_body;
  tight_body.max_body_bytes = primitives::serialize_deterministic(sample_body()).size() - 1;
  CHECK(decode_error(tx, tight_body) == Errc::too_large);
  primitives::TxLimits exact;
  exact.max_tx_bytes = tx.size();
  exact.max_body_bytes = primitives::serialize_deterministic(sample_body()).size();
  CHECK(decode_transaction(tx, kBinding, exact).ok());
}

// A signed transaction of exactly `size` bytes (the document type pads it).
Bytes tx_of_size(size_t size) {
  pb::TxBody body = sample_body();
  size_t pad = size - 200;
  for (int i = 0; i < 8; ++i) {
    body.mutable_document_issue()->set_document_type(std::string(pad, 'x'));
    const size_t got = primitives::build_transaction(body, kBinding, alice()).size();
    if (got == size) break;
    pad = pad + size - got;
  }
  Bytes tx = primitives::build_transaction(body, kBinding, alice());
  REQUIRE(tx.size() == size);
  return tx;
}

TEST_CASE("the chain's transaction size limit, at the boundary, with the default limits") {
  using primitives::kMaxTxBytes;
  CHECK(decode_transaction(tx_of_size(kMaxTxBytes - 1), kBinding).ok());
  auto at = decode_transaction(tx_of_size(kMaxTxBytes), kBinding);
  REQUIRE(at.ok());
  CHECK(at->body_bytes.size() <= primitives::kMaxTxBodyBytes);  // the body limit does not bind first
  CHECK(decode_error(tx_of_size(kMaxTxBytes + 1)) == Errc::too_large);
}

TEST_CASE("every operation kind is accepted") {
  for (int k = 0; k < 7; ++k) {
    pb::TxBody body = sample_body();
    switch (k) {
      case 0: body.mutable_document_issue()->set_document_type("x"); break;
      case 1: body.mutable_document_revoke()->set_hash(std::string(32, 'h')); break;
      case 2: body.mutable_document_supersede()->set_new_root(std::string(32, 'n')); break;
      case 3: body.mutable_bl_issue()->set_bl_type(pb::BlType(1)); break;
      case 4: body.mutable_bl_action()->set_action(pb::BlActionKind(1)); break;
      case 5: body.mutable_gov_propose()->mutable_action()->mutable_remove_member()->set_member_id("m"); break;
      case 6: body.mutable_gov_vote()->set_approve(true); break;
    }
    CHECK(decode_transaction(primitives::build_transaction(body, kBinding, alice()), kBinding).ok());
  }
}
