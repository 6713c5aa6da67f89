// Attack A2: a decoy root over someone else's hash. The carrier registers, under its own root, a
// tree that holds the chamber's certificate, and hands out that copy. The ledger cannot refuse the
// registration (it sees only the root, never the tree), so the verdict must: the copy names the
// chamber as its issuer, but its root was registered by the carrier, so it is NOT VALID; the
// chamber's own copy stays VALID. A decoy can neither be superseded nor revoked by the chamber's
// rival in the chamber's name.
#include "tests/attacks/attack_world.h"

using namespace docket;
using namespace docket::attack;

TEST_CASE("A2 decoy root over another member's document: the copy is not valid, the original is") {
  World w;
  pb::GovAction grant;
  grant.mutable_grant_role()->set_member_id("carrier");
  grant.mutable_grant_role()->set_role("issuer:certificate_of_origin");
  w.pass("customs", grant);

  const auto batch = wrap_certificates(2);
  const oa::Integrity v = integrity(batch[0]);
  REQUIRE(w.run("chamber", tx::document_issue(v.merkle_root, "certificate_of_origin", {})).ok());
  const Json decoy = decoy_of(batch[0], crypto::sha256(as_bytes("decoy")));
  const oa::Integrity d = integrity(decoy);
  REQUIRE(w.run("carrier", tx::document_issue(d.merkle_root, "certificate_of_origin", {})).ok());

  const auto on_decoy = w.verify_offline(decoy);
  INFO(verify::report_to_text(on_decoy));
  CHECK_FALSE(on_decoy.valid);
  REQUIRE_FALSE(on_decoy.reasons.empty());
  CHECK(on_decoy.reasons.front().find("issuer identity") != std::string::npos);
  CHECK(on_decoy.reasons.front().find("carrier") != std::string::npos);

  const auto original = w.verify_offline(batch[0]);
  CHECK(original.valid);
  CHECK(original.facts->issuer->id == "chamber");

  // The carrier's supersede of the chamber's root is refused: only a root's issuer may act on it.
  auto sup = w.run("carrier", tx::document_supersede(v.merkle_root, crypto::sha256(as_bytes("new root")), {}));
  CHECK(sup.reason == contracts::Reason::not_issuer);
  auto rev = w.run("carrier", tx::document_revoke(v.merkle_root, v.target_hash, v.proof, pb::REVOCATION_FRAUD, ""));
  CHECK(rev.reason == contracts::Reason::not_issuer);
  CHECK(w.verify_offline(batch[0]).valid);
}
