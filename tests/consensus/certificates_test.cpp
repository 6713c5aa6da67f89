// QC and TC formation and rejection against a validator set.
#include <catch2/catch.hpp>

#include "cluster.h"
#include "ledger/primitives/canonical.h"
#include "consensus/certificates.h"
#include "ledger/proto/consensus.pb.h"

using namespace docket;
using namespace docket::consensus;
using namespace docket::consensus::testing;

namespace {

struct Fixture {
  ValidatorSet set{test_keys(4)};
  sim::FastVerifier verifier;
  BlockId block = crypto::sha256(as_bytes("some block"));
  Bytes root = make_root_qc(0, 0, test_genesis());

  CertContext ctx(Epoch epoch = 3) const {
    CertContext c;
    c.chain = kTestChain;
    c.epoch = epoch;
    c.set = &set;
    c.verifier = &verifier;
    c.root_qc = root;
    return c;
  }
  crypto::Signature vote_sig(size_t i, Epoch e, Round r) const {
    return test_signer(i)->sign(vote_digest(kTestChain, e, r, block));
  }
  Bytes qc(std::vector<size_t> signers, Epoch e = 3, Round r = 9) const {
    std::map<ValidatorIndex, crypto::Signature> sigs;
    for (size_t i : signers) sigs[static_cast<ValidatorIndex>(i)] = vote_sig(i, e, r);
    return build_qc(e, r, block, sigs, set.size());
  }
  Bytes tc(std::vector<std::pair<size_t, Round>> shares, Round round = 12, Epoch e = 3) const {
    std::map<ValidatorIndex, TimeoutShare> m;
    Round best = 0;
    for (auto [i, hqr] : shares) {
      m[static_cast<ValidatorIndex>(i)] = TimeoutShare{hqr, test_signer(i)->sign(timeout_digest(kTestChain, e, round, hqr))};
      best = std::max(best, hqr);
    }
    return build_tc(e, round, m, qc({0, 1, 2}, e, best), set.size());
  }
};

Bytes mutate_qc(const Bytes& b, const std::function<void(pb::QuorumCertificate&)>& f) {
  pb::QuorumCertificate m;
  REQUIRE(m.ParseFromArray(b.data(), static_cast<int>(b.size())));
  f(m);
  return primitives::serialize_deterministic(m);
}

}  // namespace

TEST_CASE("quorum is n - f for any n") {
  REQUIRE(ValidatorSet(test_keys(1)).quorum() == 1);
  REQUIRE(ValidatorSet(test_keys(4)).quorum() == 3);
  REQUIRE(ValidatorSet(test_keys(5)).quorum() == 4);
  REQUIRE(ValidatorSet(test_keys(6)).quorum() == 5);
  REQUIRE(ValidatorSet(test_keys(7)).quorum() == 5);
  REQUIRE(ValidatorSet(test_keys(10)).quorum() == 7);
  REQUIRE(ValidatorSet(test_keys(31)).quorum() == 21);
  // Two quorums always share an honest validator: 2q - n >= f + 1.
  for (size_t n = 1; n <= 64; ++n) {
    ValidatorSet s(test_keys(n));
    REQUIRE(2 * s.quorum() >= n + s.max_faulty() + 1);
  }
}

TEST_CASE("a QC or TC of one genesis does not verify under another genesis with the same chain id") {
  Fixture f;
  CertContext other = f.ctx();
  other.chain.genesis_hash = crypto::sha256(as_bytes("test-chain genesis B"));
  REQUIRE(other.chain.chain_id == kTestChain.chain_id);
  REQUIRE(verify_qc(f.qc({0, 1, 2}), f.ctx()).ok());
  auto q = verify_qc(f.qc({0, 1, 2}), other);
  REQUIRE_FALSE(q.ok());
  CHECK(q.error().code == Errc::bad_signature);
  CHECK_THAT(q.error().message, Catch::Contains("does not verify for chain 'test-chain' with genesis " +
                                                to_hex(other.chain.genesis_hash).substr(0, 16)));
  // A single vote signed for A is not a vote for B either.
  CHECK(vote_digest(kTestChain, 3, 9, f.block) != vote_digest(other.chain, 3, 9, f.block));
  REQUIRE(verify_tc(f.tc({{0, 1}, {1, 2}, {2, 0}}), f.ctx()).ok());
  auto t = verify_tc(f.tc({{0, 1}, {1, 2}, {2, 0}}), other);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().code == Errc::bad_signature);
}

TEST_CASE("a QC with real BIP-340 signatures of genesis A fails under genesis B") {
  // The fast fake verifier above hashes key and digest; this one is the production scheme.
  std::vector<crypto::SecretKey> sks;
  std::vector<crypto::PublicKey> pks;
  for (int i = 0; i < 4; ++i) {
    sks.push_back(crypto::SecretKey::generate());
    pks.push_back(sks.back().public_key());
  }
  const ValidatorSet set{pks};
  const SchnorrVerifier verifier;
  const BlockId block = crypto::sha256(as_bytes("a block of A"));
  std::map<ValidatorIndex, crypto::Signature> sigs;
  for (ValidatorIndex i = 0; i < 3; ++i) sigs[i] = sks[i].sign(vote_digest(kTestChain, 1, 5, block));
  const Bytes qc = build_qc(1, 5, block, sigs, set.size());
  CertContext a{kTestChain, 1, &set, &verifier, {}};
  CertContext b = a;
  b.chain.genesis_hash = crypto::sha256(as_bytes("test-chain genesis B"));
  REQUIRE(verify_qc(qc, a).ok());
  auto r = verify_qc(qc, b);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::bad_signature);
}

TEST_CASE("a QC with a quorum of valid signatures verifies") {
  Fixture f;
  auto q = verify_qc(f.qc({0, 2, 3}), f.ctx());
  REQUIRE(q.ok());
  REQUIRE(q->round == 9);
  REQUIRE(q->block_id == f.block);
  REQUIRE(verify_qc(f.qc({0, 1, 2, 3}), f.ctx()).ok());
}

TEST_CASE("QC rejection") {
  Fixture f;
  SECTION("too few signers") {
    auto q = verify_qc(f.qc({0, 1}), f.ctx());
    REQUIRE(!q.ok());
    REQUIRE_THAT(q.error().message, Catch::Contains("too few"));
  }
  SECTION("wrong epoch") { REQUIRE(!verify_qc(f.qc({0, 1, 2}, 2), f.ctx()).ok()); }
  SECTION("bad signature") {
    Bytes b = mutate_qc(f.qc({0, 1, 2}), [](pb::QuorumCertificate& m) { (*m.mutable_signatures(1))[5] ^= 1; });
    auto q = verify_qc(b, f.ctx());
    REQUIRE(!q.ok());
    REQUIRE(q.error().code == Errc::bad_signature);
  }
  SECTION("signatures for another round") {
    Bytes b = mutate_qc(f.qc({0, 1, 2}), [](pb::QuorumCertificate& m) { m.set_round(10); });
    REQUIRE(verify_qc(b, f.ctx()).error().code == Errc::bad_signature);
  }
  SECTION("duplicate signer: one validator's signature counted twice") {
    // Two signers in the bitmap, the first signature repeated to make three: count mismatch.
    Bytes b = mutate_qc(f.qc({0, 1}), [](pb::QuorumCertificate& m) { m.add_signatures(m.signatures(0)); });
    REQUIRE(!verify_qc(b, f.ctx()).ok());
    // Three bits, but validator 0's signature also standing in for validator 1: bad signature.
    Bytes c = mutate_qc(f.qc({0, 1, 2}), [](pb::QuorumCertificate& m) { *m.mutable_signatures(1) = m.signatures(0); });
    REQUIRE(verify_qc(c, f.ctx()).error().code == Errc::bad_signature);
  }
  SECTION("signer bit beyond the validator set") {
    Bytes b = mutate_qc(f.qc({0, 1, 2}), [&](pb::QuorumCertificate& m) {
      m.set_signers(std::string(1, static_cast<char>(0x07 | 0x20)));
      m.add_signatures(std::string(64, 'x'));
    });
    REQUIRE(!verify_qc(b, f.ctx()).ok());
  }
  SECTION("bitmap of the wrong length") {
    Bytes b = mutate_qc(f.qc({0, 1, 2}), [](pb::QuorumCertificate& m) { m.set_signers(m.signers() + std::string(1, '\0')); });
    REQUIRE(!verify_qc(b, f.ctx()).ok());
  }
  SECTION("short signature") {
    Bytes b = mutate_qc(f.qc({0, 1, 2}), [](pb::QuorumCertificate& m) { m.mutable_signatures(2)->pop_back(); });
    REQUIRE(!verify_qc(b, f.ctx()).ok());
  }
  SECTION("garbage") {
    Bytes junk = {1, 2, 3, 4, 5};
    REQUIRE(!verify_qc(junk, f.ctx()).ok());
  }
}

TEST_CASE("the trusted root QC is accepted as it is, other unsigned QCs are not") {
  Fixture f;
  REQUIRE(verify_qc(f.root, f.ctx(0)).ok());
  REQUIRE(verify_qc(f.root, f.ctx(5)).ok());  // an earlier epoch's root stays trusted
  REQUIRE(!verify_qc(make_root_qc(0, 1, test_genesis()), f.ctx(0)).ok());
}

TEST_CASE("TC formation and rejection") {
  Fixture f;
  auto ok = verify_tc(f.tc({{0, 4}, {1, 9}, {3, 7}}), f.ctx());
  REQUIRE(ok.ok());
  REQUIRE(ok->round == 12);
  REQUIRE(ok->max_high_qc_round == 9);
  REQUIRE(ok->high_qc.round == 9);

  SECTION("too few signers") { REQUIRE(!verify_tc(f.tc({{0, 4}, {1, 9}}), f.ctx()).ok()); }
  SECTION("wrong epoch") { REQUIRE(!verify_tc(f.tc({{0, 4}, {1, 9}, {2, 7}}, 12, 4), f.ctx()).ok()); }
  SECTION("a high QC round at or above the TC's round") {
    REQUIRE(!verify_tc(f.tc({{0, 4}, {1, 12}, {2, 7}}), f.ctx()).ok());
  }
  SECTION("carried QC lower than the highest claimed round") {
    pb::TimeoutCertificate m;
    Bytes b = f.tc({{0, 4}, {1, 9}, {2, 7}});
    REQUIRE(m.ParseFromArray(b.data(), static_cast<int>(b.size())));
    const Bytes lower = f.qc({0, 1, 2}, 3, 7);
    m.set_high_qc(lower.data(), lower.size());
    REQUIRE(!verify_tc(primitives::serialize_deterministic(m), f.ctx()).ok());
  }
  SECTION("bad signature") {
    pb::TimeoutCertificate m;
    Bytes b = f.tc({{0, 4}, {1, 9}, {2, 7}});
    REQUIRE(m.ParseFromArray(b.data(), static_cast<int>(b.size())));
    (*m.mutable_signatures(0))[0] ^= 1;
    REQUIRE(verify_tc(primitives::serialize_deterministic(m), f.ctx()).error().code == Errc::bad_signature);
  }
  SECTION("a share's claimed high QC round changed after signing") {
    pb::TimeoutCertificate m;
    Bytes b = f.tc({{0, 4}, {1, 9}, {2, 7}});
    REQUIRE(m.ParseFromArray(b.data(), static_cast<int>(b.size())));
    m.set_high_qc_rounds(0, 5);
    REQUIRE(verify_tc(primitives::serialize_deterministic(m), f.ctx()).error().code == Errc::bad_signature);
  }
}
