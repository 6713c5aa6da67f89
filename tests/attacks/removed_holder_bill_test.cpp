// Attack A8: an admin majority removes a bill's holder, to take or freeze its title. Removing a
// member that is a party to a live bill is refused, naming the bill, unless the proposal names a
// successor; then the successor takes the member's place on the bill, recorded in its history, and
// the bill verifies with its new holder.
#include "tests/attacks/attack_world.h"

using namespace docket;
using namespace docket::attack;

TEST_CASE("A8 removing a bill's holder is refused unless a successor takes the bill over") {
  World w;
  const Json bill = wrap_bill("MOL-A8-1");
  const oa::Integrity b = integrity(bill);
  REQUIRE(w.run("carrier", tx::bl_issue(b.target_hash, pb::BL_NEGOTIABLE, "exporter", "exporter", {})).ok());

  pb::GovAction remove;
  remove.mutable_remove_member()->set_member_id("exporter");
  auto refused = w.propose("customs", remove);
  CHECK(refused.reason == contracts::Reason::invalid_state);
  CHECK(refused.message.find(to_hex(b.target_hash).substr(0, 16)) != std::string::npos);
  auto still = w.verify_offline(bill);
  CHECK(still.valid);
  CHECK(still.facts->bill->holder == "exporter");

  remove.mutable_remove_member()->set_successor("importer");
  w.pass("customs", remove);
  const auto report = w.verify_offline(bill);
  INFO(verify::report_to_text(report));
  CHECK(report.valid);
  REQUIRE(report.facts->bill);
  CHECK(report.facts->bill->owner == "importer");
  CHECK(report.facts->bill->holder == "importer");
  CHECK(has_event(report, "party_succeeded"));
  CHECK(verify::report_to_text(report).find("from=exporter") != std::string::npos);
}
