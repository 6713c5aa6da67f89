// Attack A5: a forged or reordered history. A holder who wants an officer to see another story
// (an endorsement that never happened, a revocation left out, two events swapped) edits the history
// entries in a bundle. Each record's history is a hash chain whose head is in the certified state:
// any change is refused, and the history shown is the complete one.
#include "tests/attacks/attack_world.h"

using namespace docket;
using namespace docket::attack;

TEST_CASE("A5 forged, dropped, reordered or foreign history entries in a bundle are refused") {
  World w;
  const auto batch = wrap_certificates(2);
  const oa::Integrity v = integrity(batch[0]);
  REQUIRE(w.run("chamber", tx::document_issue(v.merkle_root, "certificate_of_origin", {})).ok());
  REQUIRE(w.run("chamber", tx::document_revoke(v.merkle_root, v.target_hash, v.proof, pb::REVOCATION_REPLACED, "amended")).ok());
  const proofs::Bundle good = w.bundle(v);
  const auto report = w.verify_offline(batch[0], good, w.genesis());
  CHECK_FALSE(report.valid);  // revoked
  REQUIRE(report.facts->history.size() == 2);
  CHECK(report.facts->history[0]["kind"] == "issued");
  CHECK(report.facts->history[1]["kind"] == "revoked");

  const std::string key = "doc/" + to_hex(v.merkle_root);
  auto expect_refused = [&](proofs::Bundle b, const std::string& what) {
    INFO(what);
    const auto r = w.verify_offline(batch[0], b, w.genesis());
    CHECK_FALSE(r.valid);
    REQUIRE_FALSE(r.reasons.empty());
    CHECK(r.reasons.front().find("bundle: ") == 0);
  };
  // Dropping the revocation (and hoping the record's own state is not read) fails on the head.
  auto dropped = good;
  dropped.history[key].pop_back();
  expect_refused(dropped, "revocation dropped");
  auto swapped = good;
  std::swap(swapped.history[key][0], swapped.history[key][1]);
  expect_refused(swapped, "entries swapped");
  // A forged entry: the revocation's reason rewritten in the stored bytes.
  auto forged = good;
  pb::HistoryEntry e;
  REQUIRE(e.ParseFromArray(forged.history[key][1].data(), static_cast<int>(forged.history[key][1].size())));
  for (auto& a : *e.mutable_event()->mutable_attributes())
    if (a.name() == "reason") a.set_value("REVOCATION_ISSUED_IN_ERROR");
  const std::string bytes = e.SerializeAsString();
  forged.history[key][1] = Bytes(bytes.begin(), bytes.end());
  expect_refused(forged, "entry forged");
  // Another record's entries in its place.
  auto foreign = good;
  const oa::Integrity other = integrity(batch[1]);
  World w2;
  REQUIRE(w2.run("chamber", tx::document_issue(other.merkle_root, "certificate_of_origin", {})).ok());
  foreign.history[key] = w2.bundle(other).history.at("doc/" + to_hex(other.merkle_root));
  expect_refused(foreign, "another record's history");
  // A history for a record the bundle does not prove.
  auto stray = good;
  stray.history["bl/" + to_hex(v.target_hash)] = good.history.at(key);
  expect_refused(stray, "stray history");
}

TEST_CASE("A5 a history longer than 1,000 events is complete in a bundle, and still bound to its head") {
  World w;
  const Json bill = wrap_bill("MOL-A5-LONG");
  const oa::Integrity b = integrity(bill);
  REQUIRE(w.run("carrier", tx::bl_issue(b.target_hash, pb::BL_NEGOTIABLE, "exporter", "exporter", {})).ok());
  std::string holder = "exporter";
  for (int i = 0; i < 1100; ++i) {
    const std::string next = holder == "exporter" ? "bank" : "exporter";
    REQUIRE(w.run(holder, tx::bl_action(b.target_hash, pb::BL_TRANSFER_HOLDER, "", next, "")).ok());
    holder = next;
  }
  const proofs::Bundle good = w.bundle(b);
  const auto report = w.verify_offline(bill, good, w.genesis());
  INFO(verify::report_to_text(report).substr(0, 2000));
  CHECK(report.valid);
  CHECK(report.facts->history.size() == 1101);
  CHECK(report.facts->bill->holder == holder);
  auto cut = good;
  cut.history.begin()->second.resize(1000);  // what a 1,000-event cap would have shown
  CHECK_FALSE(w.verify_offline(bill, cut, w.genesis()).valid);
}
