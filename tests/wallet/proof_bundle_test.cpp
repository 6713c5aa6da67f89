// Offline proof bundles built in-process: a genesis with test keys, a MemoryStore-backed
// BlockExecutor that issues and revokes real documents, a header carrying the state root and a QC
// signed by test validator keys. Checks that good bundles verify and that any altered byte fails.
#include <catch2/catch.hpp>

#include <map>

#include "consensus/certificates.h"
#include "consensus/messages.h"
#include "contracts/history_chain.h"
#include "ledger/primitives/transaction.h"
#include "ledger/proto/consensus.pb.h"
#include "ledger/proto/epoch.pb.h"
#include "ledger/state/execution.h"
#include "ledger/storage/memory_store.h"
#include "wallet/oa/js_format.h"
#include "wallet/oa/salt.h"
#include "wallet/oa/wrap.h"
#include "wallet/proofs/bundle.h"
#include "wallet/proofs/epoch_chain.h"
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

  // What this chain's signatures and block ids bind: its chain id and genesis hash.
  crypto::ChainBinding binding() const { return contracts::chain_binding(genesis); }

  void run(pb::TxBody body) {
    Bytes raw = tx::sign_transaction(std::move(body), {binding(), nonce++, height + 10}, chamber);
    auto v = primitives::decode_transaction(raw, binding());
    REQUIRE(v.ok());
    contracts::ContractTx ctx{v->id, v->sender, v->body.nonce(), v->body.expiry_height(), v->body};
    ++height;
    auto eb = exec.execute_block(height, 1700000000000 + height * 1000, std::span(&ctx, 1));
    REQUIRE(eb.ok());
    REQUIRE(eb->receipts.size() == 1);
    CHECK(eb->receipts[0].ok());
    REQUIRE(store.write(eb->batch, true).ok());
  }

  // A header of `epoch` for the current state and a QC by the first `signers` of `keys` (default: the
  // genesis validators).
  std::pair<Bytes, Bytes> certify(size_t signers, uint64_t epoch = 0, const std::vector<crypto::SecretKey>* keys = nullptr,
                                  uint64_t block_height = 0, const consensus::BlockId* parent = nullptr,
                                  uint64_t round = 0) const {
    if (!keys) keys = &validators;
    consensus::Header h;
    h.epoch = epoch;
    h.round = round ? round : height + 1;
    h.height = block_height ? block_height : height + 1;
    if (parent) h.parent_id = *parent;
    h.payload_hash = Bytes(32, 0);
    h.exec_height = height;
    auto root = exec.tree().prove("chain", height);
    REQUIRE(root.ok());
    h.state_root = Bytes(root->root.begin(), root->root.end());
    h.timestamp_ms = 1700000000000 + height * 1000;
    h.justify = consensus::make_root_qc(epoch, h.round - 1, h.parent_id);
    Bytes header = consensus::encode_header(h);
    auto id = consensus::block_id_of(binding(), header);
    std::map<consensus::ValidatorIndex, crypto::Signature> sigs;
    for (size_t i = 0; i < signers; ++i)
      sigs[static_cast<consensus::ValidatorIndex>(i)] = (*keys)[i].sign(consensus::vote_digest(binding(), epoch, h.round, id));
    return {header, consensus::build_qc(epoch, h.round, id, sigs, keys->size())};
  }

  // The record of a change to `epoch`: the current state's "validators" record, certified by a header
  // of the previous epoch at height `last` signed by `signers` (the previous set), with the commit
  // proof of that header (its child, signed the same way).
  Bytes epoch_change(uint64_t epoch, uint64_t last, const std::vector<crypto::SecretKey>& signers, size_t count) const {
    auto [header, qc] = certify(count, epoch - 1, &signers, last, nullptr, last * 10);
    auto id = consensus::block_id_of(binding(), header);
    auto [child, child_qc] = certify(count, epoch - 1, &signers, last + 1, &id, last * 10 + 1);
    pb::CommitProof cp;
    cp.set_header(std::string(child.begin(), child.end()));
    cp.set_qc(std::string(child_qc.begin(), child_qc.end()));
    auto p = exec.tree().prove("validators", height);
    REQUIRE(p.ok());
    REQUIRE(p->value);
    pb::EpochChangeProof c;
    c.set_epoch(epoch);
    c.set_start_after(last);
    c.set_header(std::string(header.begin(), header.end()));
    c.set_certificate(std::string(qc.begin(), qc.end()));
    c.set_validators(std::string(p->value->begin(), p->value->end()));
    const Bytes proof = state::encode_proof(p->proof);
    c.set_validators_proof(std::string(proof.begin(), proof.end()));
    c.set_commit_proof(cp.SerializeAsString());
    const std::string out = c.SerializeAsString();
    return Bytes(out.begin(), out.end());
  }

  // A local state tree as the bundle's proof source, at the chain's current height.
  struct TreeSource final : proofs::ProofSource {
    const Chain& c;
    explicit TreeSource(const Chain& chain) : c(chain) {}
    Result<proofs::Entry> prove(const std::string& key) override {
      auto p = c.exec.tree().prove(key, c.height);
      if (!p.ok()) return p.error();
      return proofs::Entry{key, p->value, state::encode_proof(p->proof)};
    }
    Result<std::vector<Bytes>> history(const std::string& key, uint64_t count) override {
      auto entries = c.exec.history().entries(key, c.height, 100000);
      if (!entries.ok()) return entries.error();
      entries->resize(std::min<size_t>(entries->size(), count));
      return *entries;
    }
  };

  proofs::Bundle bundle(const oa::Integrity& integ, size_t signers = 3, uint64_t epoch = 0,
                        const std::vector<crypto::SecretKey>* keys = nullptr, uint64_t block_height = 0) const {
    auto [header, qc] = certify(signers, epoch, keys, block_height);
    proofs::Bundle b;
    b.chain_id = kChain;
    b.target_hash = integ.target_hash;
    b.merkle_root = integ.merkle_root;
    b.height = height;
    b.header = header;
    b.certificate = qc;
    TreeSource source(*this);
    auto st = proofs::assemble_bundle(source, integ, b);
    REQUIRE(st.ok());
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

TEST_CASE("proof bundle: the history is proven complete; an altered, missing, extra or reordered entry fails") {
  Chain chain;
  auto docs = wrap_batch(2);
  auto i0 = integrity_of(docs[0]);
  chain.run(tx::document_issue(i0.merkle_root, "certificate_of_origin", {}));
  chain.run(tx::document_revoke(i0.merkle_root, i0.target_hash, i0.proof, pb::REVOCATION_CANCELLED, "wrong consignee"));
  chain.run(tx::document_revoke(i0.merkle_root, i0.merkle_root, {}, pb::REVOCATION_REPLACED, ""));
  auto good = chain.bundle(i0);
  auto facts = proofs::verify_bundle(good, chain.genesis, docs[0], i0);
  REQUIRE(facts.ok());
  REQUIRE(facts->history.size() >= 3);
  CHECK(facts->history[0]["kind"] == "issued");
  CHECK(facts->history[0]["actor_member"] == "chamber");
  CHECK(facts->source.find("complete history") != std::string::npos);

  const std::string doc = "doc/" + to_hex(i0.merkle_root);
  REQUIRE(good.history.count(doc));
  REQUIRE(good.history[doc].size() >= 2);
  auto altered = good;
  altered.history[doc][0].back() ^= 1;
  auto a = proofs::verify_bundle(altered, chain.genesis, docs[0], i0);
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().message.find("does not match its proven head") != std::string::npos);
  auto dropped = good;
  dropped.history[doc].pop_back();
  CHECK_FALSE(proofs::verify_bundle(dropped, chain.genesis, docs[0], i0).ok());
  auto swapped = good;
  std::swap(swapped.history[doc][0], swapped.history[doc][1]);
  CHECK_FALSE(proofs::verify_bundle(swapped, chain.genesis, docs[0], i0).ok());
  auto extra = good;
  extra.history[doc].push_back(extra.history[doc][0]);
  CHECK_FALSE(proofs::verify_bundle(extra, chain.genesis, docs[0], i0).ok());
  auto missing = good;
  missing.history.erase(doc);
  CHECK_FALSE(proofs::verify_bundle(missing, chain.genesis, docs[0], i0).ok());
  auto stray = good;
  stray.history["bl/" + to_hex(i0.target_hash)] = {};
  auto s = proofs::verify_bundle(stray, chain.genesis, docs[0], i0);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("unexpected history") != std::string::npos);
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

  // The same chain id and the same validators, but another genesis (one field differs): the headers
  // and QCs of this chain are not this twin's, with a reason that says so.
  contracts::Genesis twin = chain.genesis;
  twin.genesis_time_ms += 1;
  REQUIRE(twin.chain_id == chain.genesis.chain_id);
  REQUIRE(contracts::genesis_hash(twin) != contracts::genesis_hash(chain.genesis));
  REQUIRE(proofs::verify_bundle(chain.bundle(i0), chain.genesis, docs[0], i0).ok());
  auto replayed = proofs::verify_bundle(chain.bundle(i0), twin, docs[0], i0);
  REQUIRE_FALSE(replayed.ok());
  INFO(replayed.error().message);
  CHECK(replayed.error().message.find("signed on another chain or genesis") != std::string::npos);

  auto i1 = integrity_of(docs[1]);
  CHECK_FALSE(proofs::verify_bundle(chain.bundle(i0), chain.genesis, docs[1], i1).ok());

  auto missing = chain.bundle(i0);
  missing.entries.erase(missing.entries.begin() + 1);  // a revocation key: "not revoked" unproven
  auto m = proofs::verify_bundle(missing, chain.genesis, docs[0], i0);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().message.find("has no proof for rev/") != std::string::npos);

  auto extra = chain.bundle(i0);
  auto p = chain.exec.tree().prove("params", chain.height);
  extra.entries.push_back({"params", p->value, state::encode_proof(p->proof)});
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

TEST_CASE("proof bundle: validator-set changes since genesis, each certified by the previous set") {
  Chain chain;
  // Governance adds a fifth validator (the chamber, the only admin, passes it alone), then a sixth.
  auto copy_of = [](const std::vector<crypto::SecretKey>& keys) {
    std::vector<crypto::SecretKey> out;
    for (const auto& k : keys) {
      auto copy = crypto::SecretKey::from_bytes(k.secret_bytes());
      REQUIRE(copy.ok());
      out.push_back(std::move(*copy));
    }
    return out;
  };
  std::vector<crypto::SecretKey> five = copy_of(chain.validators);
  five.push_back(crypto::SecretKey::generate());
  pb::GovAction add;
  add.mutable_add_validator()->set_member_id("chamber");
  const auto key5 = five[4].public_key();
  add.mutable_add_validator()->set_node_key(std::string(key5.begin(), key5.end()));
  chain.run(tx::gov_propose(add, "fifth site"));
  const Bytes to_epoch1 = chain.epoch_change(1, 100, chain.validators, 3);  // certified by 3 of the genesis 4
  std::vector<crypto::SecretKey> six = copy_of(five);
  six.push_back(crypto::SecretKey::generate());
  const auto key6_real = six[5].public_key();
  add.mutable_add_validator()->set_node_key(std::string(key6_real.begin(), key6_real.end()));
  chain.run(tx::gov_propose(add, "sixth site"));
  const Bytes to_epoch2 = chain.epoch_change(2, 200, five, 4);  // by 4 of the 5 of epoch 1

  auto docs = wrap_batch(2);
  auto i0 = integrity_of(docs[0]);
  chain.run(tx::document_issue(i0.merkle_root, "certificate_of_origin", {}));

  auto good = chain.bundle(i0, 5, 2, &six, 250);  // 5 of the 6 of epoch 2 (n - f)
  good.epochs = {to_epoch1, to_epoch2};
  auto facts = proofs::verify_bundle(good, chain.genesis, docs[0], i0);
  INFO((facts.ok() ? std::string() : facts.error().message));
  REQUIRE(facts.ok());
  CHECK(facts->source.find("validators of epoch 2") != std::string::npos);
  CHECK(verify::verify_document(docs[0], i0, &*facts).valid);
  auto back = proofs::bundle_from_json(proofs::bundle_to_json(good));
  REQUIRE(back.ok());
  CHECK(proofs::verify_bundle(*back, chain.genesis, docs[0], i0).ok());

  {
    // The epoch proofs of this chain do not verify for a twin genesis with the same chain id and
    // the same genesis validators.
    contracts::Genesis twin = chain.genesis;
    twin.genesis_time_ms += 1;
    std::vector<crypto::PublicKey> genesis_keys;
    for (const auto& v : chain.genesis.validators) genesis_keys.push_back(v.node_key);
    const consensus::ValidatorSet genesis_set(genesis_keys);
    REQUIRE(proofs::verify_epoch_chain(chain.binding(), genesis_set, {to_epoch1, to_epoch2}).ok());
    auto theirs = proofs::verify_epoch_chain(contracts::chain_binding(twin), genesis_set, {to_epoch1});
    REQUIRE_FALSE(theirs.ok());
    INFO(theirs.error().message);
    CHECK(theirs.error().message.find("signed on another chain or genesis") != std::string::npos);
    auto bundled = proofs::verify_bundle(good, twin, docs[0], i0);
    REQUIRE_FALSE(bundled.ok());
    CHECK(bundled.error().message.find("signed on another chain or genesis") != std::string::npos);
  }

  auto fails_with = [&](proofs::Bundle b, const std::string& reason) {
    auto r = proofs::verify_bundle(b, chain.genesis, docs[0], i0);
    INFO("expected: " << reason);
    REQUIRE_FALSE(r.ok());
    INFO(r.error().message);
    CHECK(r.error().message.find(reason) != std::string::npos);
  };
  auto b = good;
  b.epochs.pop_back();
  fails_with(b, "proves the validator sets of epochs 0..1 only");
  b = good;
  std::swap(b.epochs[0], b.epochs[1]);
  fails_with(b, "out of order");
  b = good;
  std::vector<crypto::SecretKey> rogue;
  for (int i = 0; i < 5; ++i) rogue.push_back(crypto::SecretKey::generate());
  b.epochs = {to_epoch1, chain.epoch_change(2, 200, rogue, 5)};  // keys outside epoch 1's set
  fails_with(b, "not a quorum of epoch 1's validators");
  b = good;
  b.epochs = {to_epoch1, chain.epoch_change(2, 200, five, 3)};  // 3 of 5 is no quorum
  fails_with(b, "not a quorum of epoch 1's validators");
  b = chain.bundle(i0, 4, 2, &five, 250);  // epoch 2 header signed by epoch 1's set
  b.epochs = good.epochs;
  fails_with(b, "epoch 2's validators");
  b = good;
  b.epochs.push_back(chain.epoch_change(3, 300, six, 5));
  fails_with(b, "beyond epoch 2");

  // Any altered byte of an epoch record fails (every 7th hex digit: each try checks several signatures).
  const std::string text = oa::js_stringify(proofs::bundle_to_json(good));
  const size_t start = text.find("\"epochs\""), end = text.find(']', start);
  size_t checked = 0;
  for (size_t pos = start + 11; pos < end; pos += 7) {
    std::string t = text;
    char& c = t[pos];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) continue;
    c = c == '0' ? '1' : '0';
    auto j = oa::parse_json(t);
    REQUIRE(j.ok());
    auto altered = proofs::bundle_from_json(*j);
    REQUIRE(altered.ok());
    INFO("altered position " << pos);
    CHECK_FALSE(proofs::verify_bundle(*altered, chain.genesis, docs[0], i0).ok());
    ++checked;
  }
  CHECK(checked > 100);
}

TEST_CASE("proof bundle: one height for every fact; a bundle mixing heights or of format /2 is refused") {
  Chain chain;
  auto docs = wrap_batch(2);
  auto i0 = integrity_of(docs[0]);
  chain.run(tx::document_issue(i0.merkle_root, "certificate_of_origin", {}));
  auto before = chain.bundle(i0);  // certified while the document is issued
  chain.run(tx::document_revoke(i0.merkle_root, i0.target_hash, i0.proof, pb::REVOCATION_FRAUD, ""));
  auto after = chain.bundle(i0);   // certified after the revocation

  auto now = proofs::verify_bundle(after, chain.genesis, docs[0], i0);
  REQUIRE(now.ok());
  REQUIRE(now->as_of_height);
  CHECK(*now->as_of_height == chain.height);
  CHECK_FALSE(verify::verify_document(docs[0], i0, &*now).valid);
  auto then = proofs::verify_bundle(before, chain.genesis, docs[0], i0);
  REQUIRE(then.ok());
  CHECK(*then->as_of_height == chain.height - 1);  // valid as of then, and says so
  auto then_report = verify::verify_document(docs[0], i0, &*then);
  CHECK(then_report.valid);
  CHECK(verify::report_to_json(then_report)["as_of_height"] == chain.height - 1);

  // The old document proofs with the fresh header: the proofs do not lead to its state root.
  auto mixed = after;
  for (auto& e : mixed.entries)
    for (const auto& old : before.entries)
      if (e.key == old.key && e.key.rfind("rev/", 0) == 0) e = old;
  auto m = proofs::verify_bundle(mixed, chain.genesis, docs[0], i0);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().message.find("does not match the certified state root") != std::string::npos);
  // A height that is not the header's.
  auto lying = before;
  lying.height = chain.height;
  auto l = proofs::verify_bundle(lying, chain.genesis, docs[0], i0);
  REQUIRE_FALSE(l.ok());
  CHECK(l.error().message.find("certifies the state of height") != std::string::npos);

  // An entry carrying its own header (how format /2 mixed heights) and format /2 itself are refused.
  Json j = proofs::bundle_to_json(after);
  j["entries"][0]["header"] = to_hex(before.header);
  auto own = proofs::bundle_from_json(j);
  REQUIRE_FALSE(own.ok());
  CHECK(own.error().message.find("a bundle mixing heights is refused") != std::string::npos);
  Json v2 = proofs::bundle_to_json(after);
  v2["format"] = "docket-proof-bundle/2";
  auto old = proofs::bundle_from_json(v2);
  REQUIRE_FALSE(old.ok());
  CHECK(old.error().message.find("export the bundle again") != std::string::npos);
}
