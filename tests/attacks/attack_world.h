// The world an insider attacks: a consortium with real BIP-340 keys (admins, an issuing chamber, a
// carrier that other members may grant roles, traders), transactions signed and decoded exactly as
// the node does, executed block by block through the node's BlockExecutor, and certified headers
// signed by the validators' keys, from which offline proof bundles are assembled the way
// `docket proof export` assembles them. Each attack test plays one member against it and checks
// the verdict that the real verifier (wallet/verify) gives a border officer.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "consensus/certificates.h"
#include "consensus/messages.h"
#include "contracts/genesis.h"
#include "contracts/queries.h"
#include "ledger/crypto/sha256.h"
#include "ledger/primitives/transaction.h"
#include "ledger/state/execution.h"
#include "ledger/storage/memory_store.h"
#include "wallet/oa/integrity.h"
#include "wallet/oa/merkle.h"
#include "wallet/oa/salt.h"
#include "wallet/oa/wrap.h"
#include "wallet/proofs/bundle.h"
#include "wallet/tx/tx_builder.h"
#include "wallet/verify/verifier.h"

namespace docket::attack {

namespace oa = wallet::oa;
namespace proofs = wallet::proofs;
namespace tx = wallet::tx;
namespace verify = wallet::verify;
using oa::Json;

inline crypto::SecretKey key_of(const std::string& name) {
  auto sk = crypto::SecretKey::from_bytes(crypto::sha256(as_bytes("attack-world/" + name)));
  DOCKET_ASSERT(sk.ok());
  return std::move(*sk);
}

class World {
 public:
  // Members (id: roles): customs, chamber, carrier, bank: admin (4 admins: 3 votes pass a
  // proposal); chamber: issuer:certificate_of_origin; carrier: carrier; bank, exporter, importer:
  // trader. Four validators run by customs.
  explicit World(std::string chain_id = "docket-attack", uint64_t genesis_time_ms = 1700000000000)
      : chain_id_(std::move(chain_id)), exec_(store_) {
    for (int i = 0; i < 4; ++i) validators_.push_back(key_of(chain_id_ + "/validator" + std::to_string(i)));
    std::string members, vals;
    auto add = [&](const std::string& id, const std::string& name, const std::string& country, const std::string& roles) {
      members += std::string(members.empty() ? "" : ",") + R"({"id":")" + id + R"(","name":")" + name + R"(","country":")" + country +
                 R"(","keys":[")" + to_hex(key_of(id).public_key()) + R"("],"roles":[)" + roles + "]}";
    };
    add("customs", "Netherlands Customs Administration", "NL", R"("admin","verifier","validator")");
    add("chamber", "Vietnam Chamber of Commerce and Industry", "VN", R"("admin","issuer:certificate_of_origin")");
    add("carrier", "Mekong Ocean Lines JSC", "VN", R"("admin","carrier")");
    add("bank", "Holland Trade Bank N.V.", "NL", R"("admin","trader")");
    add("exporter", "Saigon Coffee Export Co.", "VN", R"("trader")");
    add("importer", "Rotterdam Coffee Roasters B.V.", "NL", R"("trader")");
    for (size_t i = 0; i < validators_.size(); ++i)
      vals += std::string(i ? "," : "") + R"({"member":"customs","node_key":")" + to_hex(validators_[i].public_key()) + "\"}";
    const std::string text = R"({"chain_id":")" + chain_id_ + R"(","genesis_time_ms":)" + std::to_string(genesis_time_ms) +
                             R"(,"members":[)" + members + R"(],"validators":[)" + vals + R"(],"params":{"proposal_ttl_blocks":100}})";
    auto g = contracts::parse_genesis(text);
    REQUIRE(g.ok());
    genesis_ = *g;
    auto init = exec_.init_state(genesis_);
    REQUIRE(init.ok());
    REQUIRE(store_.write(init->batch, true).ok());
  }

  const contracts::Genesis& genesis() const { return genesis_; }
  // What every signature of this chain binds: its id and its genesis hash.
  crypto::ChainBinding binding() const { return contracts::chain_binding(genesis_); }
  // Signs a transaction of `who` for this chain, without executing it (to replay it elsewhere).
  Bytes sign(const std::string& who, pb::TxBody body) const {
    return tx::sign_transaction(std::move(body), {binding(), 0, height_ + 10}, key_of(who));
  }
  uint64_t height() const { return height_; }
  state::TreeStateReader state() const { return exec_.reader(height_); }

  // One transaction from member `who`, signed with its real key and decoded as the node decodes it,
  // in a block of its own. Returns its receipt (applied or refused with a reason).
  contracts::TxReceipt run(const std::string& who, pb::TxBody body) {
    const Bytes raw = tx::sign_transaction(std::move(body), {binding(), nonces_[who], height_ + 10}, key_of(who));
    auto v = primitives::decode_transaction(raw, binding());
    REQUIRE(v.ok());
    contracts::ContractTx ctx{v->id, v->sender, v->body.nonce(), v->body.expiry_height(), v->body};
    ++height_;
    auto eb = exec_.execute_block(height_, 1700000000000 + height_ * 1000, std::span(&ctx, 1));
    REQUIRE(eb.ok());
    REQUIRE(eb->receipts.size() == 1);
    REQUIRE(store_.write(eb->batch, true).ok());
    if (eb->receipts[0].nonce_consumed) ++nonces_[who];
    return eb->receipts[0];
  }

  // Proposes a governance action; the receipt says whether the proposal itself was accepted.
  contracts::TxReceipt propose(const std::string& proposer, const pb::GovAction& action) {
    return run(proposer, tx::gov_propose(action, "attack world"));
  }

  // A governance action proposed by `proposer` and approved by the other admins until it passes.
  void pass(const std::string& proposer, const pb::GovAction& action) {
    auto r = run(proposer, tx::gov_propose(action, "attack world"));
    REQUIRE(r.ok());
    std::optional<uint64_t> found;
    for (const auto& e : r.events)
      if (e.kind() == "gov.proposed")
        for (const auto& a : e.attributes())
          if (a.name() == "id") found = std::stoull(a.value());
    REQUIRE(found);
    const uint64_t id = *found;
    for (const std::string admin : {"customs", "chamber", "carrier", "bank"}) {
      if (admin == proposer) continue;
      auto p = contracts::proposals(state(), height_, id, 1);
      REQUIRE(p.ok());
      REQUIRE(p->size() == 1);
      if (p->front().status() != pb::PROPOSAL_OPEN) break;
      REQUIRE(run(admin, tx::gov_vote(id, true)).ok());
    }
    auto p = contracts::proposals(state(), height_, id, 1);
    REQUIRE(p.ok());
    REQUIRE(p->front().status() == pb::PROPOSAL_PASSED);
  }

  // A header of the current state, certified by the first `signers` genesis validators.
  std::pair<Bytes, Bytes> certify(size_t signers = 3) const {
    consensus::Header h;
    h.epoch = 0;
    h.round = height_ + 1;
    h.height = height_ + 1;
    h.payload_hash = Bytes(32, 0);
    h.exec_height = height_;
    auto root = exec_.tree().root_hash(height_);
    REQUIRE(root.ok());
    h.state_root = Bytes(root->begin(), root->end());
    h.timestamp_ms = 1700000000000 + height_ * 1000;
    h.justify = consensus::make_root_qc(0, h.round - 1, h.parent_id);
    Bytes header = consensus::encode_header(h);
    auto id = consensus::block_id_of(binding(), header);
    std::map<consensus::ValidatorIndex, crypto::Signature> sigs;
    for (size_t i = 0; i < signers; ++i)
      sigs[static_cast<consensus::ValidatorIndex>(i)] = validators_[i].sign(consensus::vote_digest(binding(), 0, h.round, id));
    return {header, consensus::build_qc(0, h.round, id, sigs, validators_.size())};
  }

  // The bundle `docket proof export` would write for this document now.
  proofs::Bundle bundle(const oa::Integrity& integ) const {
    struct Source final : proofs::ProofSource {
      const World& w;
      explicit Source(const World& world) : w(world) {}
      Result<proofs::Entry> prove(const std::string& key) override {
        auto p = w.exec_.tree().prove(key, w.height_);
        if (!p.ok()) return p.error();
        return proofs::Entry{key, p->value, state::encode_proof(p->proof)};
      }
      Result<std::vector<Bytes>> history(const std::string& key, uint64_t count) override {
        auto entries = w.exec_.history().entries(key, w.height_, 1000000);
        if (!entries.ok()) return entries.error();
        entries->resize(std::min<size_t>(entries->size(), count));
        return *entries;
      }
    };
    auto [header, qc] = certify();
    proofs::Bundle b;
    b.chain_id = chain_id_;
    b.target_hash = integ.target_hash;
    b.merkle_root = integ.merkle_root;
    b.height = height_;
    b.header = header;
    b.certificate = qc;
    Source source(*this);
    auto st = proofs::assemble_bundle(source, integ, b);
    REQUIRE(st.ok());
    return b;
  }

  // What a border officer's `docket verify --bundle B --genesis G` concludes about doc.
  verify::Report verify_offline(const Json& doc, const proofs::Bundle& b, const contracts::Genesis& genesis) const {
    auto integ = oa::check_integrity(doc);
    REQUIRE(integ.ok());
    auto facts = proofs::verify_bundle(b, genesis, doc, *integ);
    if (!facts.ok()) {
      verify::Report r = verify::verify_document(doc, *integ, nullptr);
      r.reasons = {"bundle: " + facts.error().message};
      return r;
    }
    return verify::verify_document(doc, *integ, &*facts);
  }
  verify::Report verify_offline(const Json& doc) const {
    auto integ = oa::check_integrity(doc);
    REQUIRE(integ.ok());
    return verify_offline(doc, bundle(*integ), genesis_);
  }

 private:
  std::string chain_id_;
  std::vector<crypto::SecretKey> validators_;
  contracts::Genesis genesis_;
  storage::MemoryStore store_;
  state::BlockExecutor exec_;
  uint64_t height_ = 0;
  std::map<std::string, uint64_t> nonces_;
};

// Wraps n certificates of origin as one OpenAttestation batch (n = 1: a document wrapped alone,
// targetHash == merkleRoot).
inline std::vector<Json> wrap_certificates(int n, const std::string& prefix = "VN-24-") {
  std::vector<Json> raw;
  for (int i = 0; i < n; ++i) {
    Json d = Json::object();
    d["$template"] = Json{{"name", "CERTIFICATE_OF_ORIGIN"}, {"type", "EMBEDDED_RENDERER"}, {"url", "https://example.org"}};
    d["issuers"] = Json::array({Json{{"name", "Vietnam Chamber of Commerce and Industry"}}});
    d["documentType"] = "certificate_of_origin";
    d["certificateNumber"] = prefix + std::to_string(i);
    raw.push_back(d);
  }
  oa::SaltSource salts;
  auto wrapped = oa::wrap_documents(raw, salts);
  REQUIRE(wrapped.ok());
  return *wrapped;
}

// A negotiable bill of lading naming the carrier as its issuer, wrapped alone.
inline Json wrap_bill(const std::string& number) {
  Json d = Json::object();
  d["issuers"] = Json::array({Json{{"name", "Mekong Ocean Lines JSC"}}});
  d["documentType"] = "bill_of_lading";
  d["transportDocumentReference"] = number;
  oa::SaltSource salts;
  auto wrapped = oa::wrap_documents({d}, salts);
  REQUIRE(wrapped.ok());
  return wrapped->front();
}

inline std::string key_field(const std::string& name) {
  const auto k = key_of(name).public_key();
  return std::string(k.begin(), k.end());
}

// Does any history event of the report have this kind?
inline bool has_event(const verify::Report& r, const std::string& kind) {
  if (!r.facts) return false;
  for (const auto& e : r.facts->history)
    if (e.is_object() && e.contains("kind") && e["kind"] == kind) return true;
  return false;
}

inline oa::Integrity integrity(const Json& doc) {
  auto i = oa::check_integrity(doc);
  REQUIRE(i.ok());
  REQUIRE(i->valid);
  return *i;
}

inline std::string hex_of(const Hash32& h) { return to_hex(h); }

// The attacker's decoy: the victim's document with its proof replaced by [x] and its merkleRoot by
// the root of the pair (targetHash, x). Still a valid OpenAttestation document (integrity holds).
inline Json decoy_of(const Json& victim, const Hash32& x) {
  Json d = victim;
  const oa::Integrity v = integrity(victim);
  d["signature"]["proof"] = Json::array({to_hex(x)});
  d["signature"]["merkleRoot"] = to_hex(oa::combine_sorted(v.target_hash, x));
  REQUIRE(integrity(d).merkle_root != v.merkle_root);
  return d;
}

// Does any of lines contain text?
inline bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace docket::attack
