// Attack A7: a removed member's id admitted again. The admins remove the chamber; a new
// organisation (or the old one, with a new key) is proposed under the id "chamber", to inherit its
// certificates and bills. Ids are never reused: the proposal is refused while the tombstone stands,
// and the chamber's certificates stay VALID with the note "issuer removed at height H".
#include "tests/attacks/attack_world.h"

using namespace docket;
using namespace docket::attack;

TEST_CASE("A7 a removed member's id cannot be admitted again; its certificates stay valid, with a note") {
  World w;
  const Json doc = wrap_certificates(1, "VN-A7-").front();
  const oa::Integrity v = integrity(doc);
  REQUIRE(w.run("chamber", tx::document_issue(v.merkle_root, "certificate_of_origin", {})).ok());
  const uint64_t issued_at = w.height();

  pb::GovAction remove;
  remove.mutable_remove_member()->set_member_id("chamber");
  w.pass("customs", remove);
  const uint64_t removed_at = w.height();
  auto tomb = contracts::removed_member(w.state(), "chamber");
  REQUIRE(tomb.ok());
  REQUIRE(*tomb);
  CHECK((*tomb)->removed_height() == removed_at);

  // The old key no longer acts for the chamber.
  CHECK_FALSE(w.run("chamber", tx::document_issue(crypto::sha256(as_bytes("after removal")), "certificate_of_origin", {})).ok());

  // Re-admission under the same id, with a new key: refused at once.
  pb::GovAction again;
  auto* spec = again.mutable_add_member();
  spec->set_id("chamber");
  spec->set_name("Vietnam Chamber of Commerce and Industry");
  spec->set_country("VN");
  spec->add_keys(key_field("impostor"));
  spec->add_roles("issuer:certificate_of_origin");
  auto r = w.propose("carrier", again);
  CHECK(r.reason == contracts::Reason::already_exists);
  CHECK(r.message.find("removed at height " + std::to_string(removed_at)) != std::string::npos);
  auto m = contracts::member(w.state(), "chamber");
  REQUIRE(m.ok());
  CHECK_FALSE(*m);

  // The certificate was valid when issued and stays so, with the removal said.
  const auto report = w.verify_offline(doc);
  INFO(verify::report_to_text(report));
  CHECK(report.valid);
  CHECK(report.status == "issued");
  REQUIRE(report.facts->issuer);
  CHECK(report.facts->issuer->id == "chamber");
  REQUIRE(report.facts->issuer->removed_height);
  CHECK(*report.facts->issuer->removed_height == removed_at);
  CHECK(mentions(report.warnings, "issuer removed at height " + std::to_string(removed_at) + " (the record dates from height " +
                                      std::to_string(issued_at)));
  CHECK(verify::report_to_json(report)["issuer"]["removed_height"] == removed_at);
}
