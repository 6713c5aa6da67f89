// Attack A1: another issuer "revokes" a certificate it did not issue. The carrier, granted the role
// issuer:certificate_of_origin by the admins, copies the chamber's wrapped certificate, replaces its
// proof with [x] and its merkleRoot with R' = H(targetHash, x) (still a valid OpenAttestation
// document), registers R' and revokes the chamber's targetHash under R'. The chamber's document must
// stay VALID, issued by the chamber; only the chamber's own revocation makes it NOT VALID.
#include "tests/attacks/attack_world.h"

using namespace docket;
using namespace docket::attack;

namespace {

void grant_carrier_issuer_role(World& w) {
  pb::GovAction grant;
  grant.mutable_grant_role()->set_member_id("carrier");
  grant.mutable_grant_role()->set_role("issuer:certificate_of_origin");
  w.pass("chamber", grant);
}

}  // namespace

TEST_CASE("A1 cross-issuer revocation of a document wrapped alone: refused by the contract, verdict unchanged") {
  World w;
  grant_carrier_issuer_role(w);
  const Json victim = wrap_certificates(1).front();
  const oa::Integrity v = integrity(victim);
  REQUIRE(v.target_hash == v.merkle_root);
  REQUIRE(w.run("chamber", tx::document_issue(v.merkle_root, "certificate_of_origin", {})).ok());

  const Json decoy = decoy_of(victim, crypto::sha256(as_bytes("any 32 bytes")));
  const oa::Integrity d = integrity(decoy);
  REQUIRE(w.run("carrier", tx::document_issue(d.merkle_root, "certificate_of_origin", {})).ok());
  auto revoke = w.run("carrier", tx::document_revoke(d.merkle_root, d.target_hash, d.proof, pb::REVOCATION_FRAUD, ""));
  CHECK(revoke.reason == contracts::Reason::not_issuer);
  CHECK(revoke.message.find("registered by chamber") != std::string::npos);

  auto st = contracts::document_status(w.state(), v.merkle_root);
  REQUIRE(st.ok());
  CHECK(st->status == contracts::DocStatus::issued);
  CHECK(st->other_claims.empty());
  const auto report = w.verify_offline(victim);
  INFO(verify::report_to_text(report));
  CHECK(report.valid);
  CHECK(report.status == "issued");
  REQUIRE(report.facts->issuer);
  CHECK(report.facts->issuer->id == "chamber");

  // The chamber's own revocation does count.
  REQUIRE(w.run("chamber", tx::document_revoke(v.merkle_root, v.merkle_root, {}, pb::REVOCATION_CANCELLED, "")).ok());
  const auto revoked = w.verify_offline(victim);
  CHECK_FALSE(revoked.valid);
  CHECK(revoked.status == "revoked");
  CHECK(revoked.reasons.front() == "revoked: REVOCATION_CANCELLED");
}

TEST_CASE("A1 cross-issuer revocation of a document in a batch: the contract cannot see it, the verdict ignores it") {
  World w;
  grant_carrier_issuer_role(w);
  const auto batch = wrap_certificates(3);
  const oa::Integrity v = integrity(batch[1]);
  REQUIRE(w.run("chamber", tx::document_issue(v.merkle_root, "certificate_of_origin", {})).ok());

  // The ledger sees only roots: R' is a fresh root, and the hash revoked under it is no registered
  // root, so the contract has no way to tell it is the chamber's document.
  const Json decoy = decoy_of(batch[1], crypto::sha256(as_bytes("x")));
  const oa::Integrity d = integrity(decoy);
  REQUIRE(w.run("carrier", tx::document_issue(d.merkle_root, "certificate_of_origin", {})).ok());
  REQUIRE(w.run("carrier", tx::document_revoke(d.merkle_root, d.target_hash, d.proof, pb::REVOCATION_FRAUD, "")).ok());

  // What the node's API answers (contracts/queries, as GET /v1/documents/{hash}?root=R uses it).
  auto st = contracts::document_status_under(w.state(), v.target_hash, v.merkle_root);
  REQUIRE(st.ok());
  CHECK(st->status == contracts::DocStatus::issued);
  CHECK(st->revocations.empty());
  REQUIRE(st->other_claims.size() == 1);
  CHECK(st->other_claims[0].issuer() == "carrier");
  auto online = contracts::verify_document(w.state(), v.target_hash, v.proof, v.merkle_root);
  REQUIRE(online.ok());
  CHECK(online->status == contracts::DocStatus::issued);

  const auto report = w.verify_offline(batch[1]);
  INFO(verify::report_to_text(report));
  CHECK(report.valid);
  CHECK(report.status == "issued");
  CHECK(report.facts->issuer->id == "chamber");
  for (const auto& e : report.facts->history) CHECK(e["kind"] != "revoked");

  // The officer who is told of the claim (online) sees it labelled, never in the verdict.
  verify::LedgerFacts facts = *report.facts;
  facts.other_claims.push_back({v.target_hash, to_hex(d.merkle_root), "carrier", "REVOCATION_FRAUD", w.height()});
  const auto told = verify::verify_document(batch[1], v, &facts);
  CHECK(told.valid);
  CHECK(mentions(told.warnings, "another member's claim, not counted: carrier revoked hash"));
  CHECK(verify::report_to_json(told)["other_root_claims"].size() == 1);

  // The decoy itself is the carrier's batch: there it is revoked, and it names another issuer.
  const auto on_decoy = w.verify_offline(decoy);
  CHECK_FALSE(on_decoy.valid);
  CHECK(on_decoy.status == "revoked");

  // Only the chamber's revocation under its own root revokes the chamber's document.
  REQUIRE(w.run("chamber", tx::document_revoke(v.merkle_root, v.target_hash, v.proof, pb::REVOCATION_ISSUED_IN_ERROR, "")).ok());
  const auto revoked = w.verify_offline(batch[1]);
  CHECK_FALSE(revoked.valid);
  CHECK(revoked.status == "revoked");
  CHECK(revoked.reasons.front().find("REVOCATION_ISSUED_IN_ERROR") != std::string::npos);
  // ... and not its batch-mates.
  CHECK(w.verify_offline(batch[0]).valid);
}
