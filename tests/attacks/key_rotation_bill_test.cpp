// Attack A9: a governance key rotation on a bill. The admins replace the key of the bill's holder
// (a takeover of the member's account, or a legitimate rotation): it must be visible in the bill's
// own history and in `docket verify`, and the old key must no longer move the bill.
#include "tests/attacks/attack_world.h"

using namespace docket;
using namespace docket::attack;

TEST_CASE("A9 a governance key rotation of a bill's holder appears in the bill's history and verify") {
  World w;
  const Json bill = wrap_bill("MOL-A9-1");
  const oa::Integrity b = integrity(bill);
  REQUIRE(w.run("carrier", tx::bl_issue(b.target_hash, pb::BL_NEGOTIABLE, "exporter", "exporter", {})).ok());

  pb::GovAction rotate;
  rotate.mutable_rotate_key()->set_member_id("exporter");
  rotate.mutable_rotate_key()->set_old_key(key_field("exporter"));
  rotate.mutable_rotate_key()->set_new_key(key_field("exporter-new-key"));
  w.pass("bank", rotate);

  const auto report = w.verify_offline(bill);
  INFO(verify::report_to_text(report));
  CHECK(report.valid);
  CHECK(has_event(report, "party_key_rotated"));
  CHECK(verify::report_to_text(report).find("new_key=" + to_hex(key_of("exporter-new-key").public_key())) != std::string::npos);

  // The old key cannot act on the bill any more; the new one can.
  auto old_key = w.run("exporter", tx::bl_action(b.target_hash, pb::BL_ENDORSE, "bank", "", ""));
  CHECK_FALSE(old_key.ok());
  auto new_key = w.run("exporter-new-key", tx::bl_action(b.target_hash, pb::BL_TRANSFER_OWNERS, "bank", "bank", ""));
  CHECK(new_key.ok());
}
