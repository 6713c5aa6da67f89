// Offline proof bundles built in-process: a genesis with test keys, a MemoryStore-backed
// BlockExecutor that issues and revokes real documents, a header carrying the state root and a QC
// signed by test validator keys. Checks that good bundles verify and that any altered byte fails.
#include <catch2/catch.hpp>

#include <map>

#include "consensus/certificates.h"
#include "consensus/messages.h"
#include "ledger/primitives/transaction.h"
#include "ledger/state/execution.h"
#include "ledger/storage/memory_store.h"
#include "wallet/oa/js_format.h"
#include "wallet/oa/salt.h"
#include "wallet/oa/wrap.h"
#include "wallet/proofs/bundle.h"
#include "wallet/tx/tx_builder.h"
#include "wallet/verify/verifier.h"

using namespace docket;
using namespace docket::wallet;
using oa::Json;

namespace {

constexpr const char* kChain = "docket-proof-test";

struct Chain {
  std::vector<crypto::SecretKey> validators;
  crypto::SecretKey chamber = crypto::SecretKey::generate();
  contracts::Genesis genesis;
  storage::MemoryStore store;
  state::BlockExecutor exec{store};
  uint64_t height = 0;
  uint64_t nonce = 0;

  explicit Chain(int n = 4) {
    for (int i = 0; i < n; ++i) validators.push_back(crypto::SecretKey::generate());
    std::string vals;
    for (int i = 0; i < n; ++i)
      vals += std::string(i ? "," : "") + R"({"member":"chamber","node_key":")" + to_hex(validators[i].public_key()) + "\"}";
    std::string text = std::string(R"({"chain_id":")") + kChain + R"(","genesis_time_ms":1700000000000,"members":[
      {"id":"chamber","name":"Vietnam Chamber of Commerce and Industry","country":"VN","keys":[")" +
                       to_hex(chamber.public_key()) + R"("],"roles":["admin","issuer:certificate_of_origin","validator"]}],
      "validators":[)" + vals + R"(],"params":{"proposal_ttl_blocks":100}})";
    auto g = contracts::parse_genesis(text);
    REQUIRE(g.ok());
    genesis = *g;
    auto init = exec.init_state(genesis);
    REQUIRE(init.ok());
    REQUIRE(store.write(init->batch, true).ok());
  }

  void run(pb::TxBody body) {
    Bytes raw = tx::sign_transaction(std::move(body), {kChain, nonce++, height + 10}, chamber);
    auto v = primitives::decode_transaction(raw, kChain);
    REQUIRE(v.ok());
    contracts::ContractTx ctx{v->id, v->sender, v->body.nonce(), v->body.expiry_height(), v->body};
    ++height;
    auto eb = exec.execute_block(height, 1700000000000 + height * 1000, std::span(&ctx, 1));
    REQUIRE(eb.ok());
    REQUIRE(eb->receipts.size() == 1);
    CHECK(eb->receipts[0].ok());
    REQUIRE(store.write(eb->batch, true).ok());
  }

  // A header for the current state and a QC by `signers` validators.
  std::pair<Bytes, Bytes> certify(size_t signers) const {
    consensus::Header h;
    h.epoch = 0;
    h.round = height + 1;
    h.height = height + 1;
    h.payload_hash = Bytes(32, 0);
    h.exec_height = height;
    auto root = exec.tree().prove("chain", height);
    REQUIRE(root.ok());
    h.state_root = Bytes(root->root.begin(), root->root.end());
    h.timestamp_ms = 1700000000000 + height * 1000;
    h.justify = consensus::make_root_qc(0, height, h.parent_id);
    Bytes header = consensus::encode_header(h);
    auto id = consensus::block_id_of(kChain, header);
    std::map<consensus::ValidatorIndex, crypto::Signature> sigs;
    for (size_t i = 0; i < signers; ++i)
      sigs[static_cast<consensus::ValidatorIndex>(i)] = validators[i].sign(consensus::vote_digest(kChain, 0, h.round, id));
    return {header, consensus::build_qc(0, h.round, id, sigs, validators.size())};
  }

  proofs::Bundle bundle(const oa::Integrity& integ, size_t signers = 3) const {
    auto [header, qc] = certify(signers);
    proofs::Bundle b{kChain, integ.target_hash, integ.merkle_root, {}};
    auto keys = proofs::document_keys(integ);
    keys.push_back("member/chamber");
    for (const auto& k : keys) {
      auto p = exec.tree().prove(k, height);
      REQUIRE(p.ok());
      b.entries.push_back({k, p->value, state::encode_proof(p->proof), header, qc});
    }
    return b;
  }
};

std::vector<Json> wrap_batch(int n) {
  std::vector<Json> raw;
  for (int i = 0; i < n; ++i) {
    Json d = Json::object();
    d["documentType"] = "certificate_of_origin";
    d["certificateNumber"] = "VN-" + std::to_string(i);
    raw.push_back(d);
  }
  oa::SaltSource salts;
  return *oa::wrap_documents(raw, salts);
}

oa::Integrity integrity_of(const Json& d) {
  auto i = oa::check_integrity(d);
  REQUIRE(i.ok());
  REQUIRE(i->valid);
  return *i;
}

}  // namespace

TEST_CASE("proof bundle: issued and revoked documents, proven against the genesis alone") {
  Chain chain;
  auto docs = wrap_batch(3);
  auto i0 = integrity_of(docs[0]), i1 = integrity_of(docs[1]);
  chain.run(tx::document_issue(i0.merkle_root, "certificate_of_origin", {}));
  chain.run(tx::document_revoke(i1.merkle_root, i1.target_hash, i1.proof, pb::REVOCATION_FRAUD, ""));

  auto facts = proofs::verify_bundle(chain.bundle(i0), chain.genesis, docs[0], i0);
  REQUIRE(facts.ok());
  auto report = verify::verify_document(docs[0], i0, &*facts);
  CHECK(report.valid);
  CHECK(report.status == "issued");
  REQUIRE(facts->issuer);
  CHECK(facts->issuer->country == "VN");
  CHECK(verify::report_to_text(report).find("Vietnam Chamber of Commerce and Industry (VN)") != std::string::npos);

  auto f1 = proofs::verify_bundle(chain.bundle(i1), chain.genesis, docs[1], i1);
  REQUIRE(f1.ok());
  auto r1 = verify::verify_document(docs[1], i1, &*f1);
  CHECK_FALSE(r1.valid);
  CHECK(r1.status == "revoked");
  CHECK(r1.reasons.front().find("REVOCATION_FRAUD") != std::string::npos);

  // The JSON form round-trips.
  auto back = proofs::bundle_from_json(proofs::bundle_to_json(chain.bundle(i0)));
  REQUIRE(back.ok());
  CHECK(proofs::verify_bundle(*back, chain.genesis, docs[0], i0).ok());
}

TEST_CASE("proof bundle: too few signers, another genesis, another document, missing or extra entries") {
  Chain chain;
  auto docs = wrap_batch(2);
  auto i0 = integrity_of(docs[0]);
  chain.run(tx::document_issue(i0.merkle_root, "certificate_of_origin", {}));
  auto weak = proofs::verify_bundle(chain.bundle(i0, 2), chain.genesis, docs[0], i0);
  REQUIRE_FALSE(weak.ok());
  CHECK(weak.error().message.find("quorum") != std::string::npos);

  Chain other;
  auto foreign = proofs::verify_bundle(chain.bundle(i0), other.genesis, docs[0], i0);
  CHECK_FALSE(foreign.ok());

  auto i1 = integrity_of(docs[1]);
  CHECK_FALSE(proofs::verify_bundle(chain.bundle(i0), chain.genesis, docs[1], i1).ok());

  auto missing = chain.bundle(i0);
  missing.entries.erase(missing.entries.begin() + 1);  // a revocation key: "not revoked" unproven
  auto m = proofs::verify_bundle(missing, chain.genesis, docs[0], i0);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().message.find("has no proof for rev/") != std::string::npos);

  auto extra = chain.bundle(i0);
  auto p = chain.exec.tree().prove("params", chain.height);
  extra.entries.push_back({"params", p->value, state::encode_proof(p->proof), extra.entries[0].header, extra.entries[0].certificate});
  CHECK_FALSE(proofs::verify_bundle(extra, chain.genesis, docs[0], i0).ok());
}

TEST_CASE("proof bundle: every altered byte of the serialized bundle fails") {
  Chain chain;
  auto docs = wrap_batch(2);
  auto i0 = integrity_of(docs[0]);
  chain.run(tx::document_issue(i0.merkle_root, "certificate_of_origin", {}));
  const std::string text = oa::js_stringify(proofs::bundle_to_json(chain.bundle(i0)));
  REQUIRE(proofs::verify_bundle(*proofs::bundle_from_json(*oa::parse_json(text)), chain.genesis, docs[0], i0).ok());
  size_t checked = 0;
  // Every 3rd character (the whole bundle takes too long to check three Schnorr signatures per try).
  for (size_t pos = 0; pos < text.size(); pos += 3) {
    std::string t = text;
    char& c = t[pos];
    c = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ? (c == '0' ? '1' : '0') : (c == 'x' ? 'y' : 'x');
    auto j = oa::parse_json(t);
    if (!j.ok()) continue;
    auto b = proofs::bundle_from_json(*j);
    if (!b.ok()) continue;
    INFO("altered position " << pos << ": " << text.substr(pos > 20 ? pos - 20 : 0, 40));
    CHECK_FALSE(proofs::verify_bundle(*b, chain.genesis, docs[0], i0).ok());
    ++checked;
  }
  CHECK(checked > 1000);
}
