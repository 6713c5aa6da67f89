// Attack A3: a bundle mixing heights. The exporter kept a bundle made before the chamber revoked its
// certificate, and splices in fresh proofs (of the member record, say) so the bundle reads "valid as
// of today". Every fact of a bundle is certified by one header: stale proofs do not lead to a fresh
// header's state root, a per-entry header is refused, and an old bundle alone says how old it is.
#include "tests/attacks/attack_world.h"

using namespace docket;
using namespace docket::attack;

TEST_CASE("A3 a bundle mixing heights is refused; an old bundle is valid only as of its height") {
  World w;
  const Json doc = wrap_certificates(2)[0];
  const oa::Integrity v = integrity(doc);
  REQUIRE(w.run("chamber", tx::document_issue(v.merkle_root, "certificate_of_origin", {})).ok());
  const proofs::Bundle before = w.bundle(v);
  const uint64_t issued_at = w.height();
  REQUIRE(w.run("chamber", tx::document_revoke(v.merkle_root, v.target_hash, v.proof, pb::REVOCATION_FRAUD, "forged invoice")).ok());
  const proofs::Bundle after = w.bundle(v);

  // The stale document proofs under the fresh header and certificate.
  proofs::Bundle spliced = after;
  for (auto& e : spliced.entries)
    for (const auto& old : before.entries)
      if (e.key == old.key && e.key.rfind("member/", 0) != 0) e = old;
  spliced.history = before.history;
  const auto r1 = w.verify_offline(doc, spliced, w.genesis());
  CHECK_FALSE(r1.valid);
  CHECK(r1.reasons.front().find("does not match the certified state root") != std::string::npos);

  // The old header with a fresh member proof: the fresh proof fails instead.
  proofs::Bundle spliced2 = before;
  for (auto& e : spliced2.entries)
    for (const auto& fresh : after.entries)
      if (e.key == fresh.key && e.key.rfind("member/", 0) == 0) e = fresh;
  spliced2.height = after.height;  // and a claim of the fresh height
  const auto r2 = w.verify_offline(doc, spliced2, w.genesis());
  CHECK_FALSE(r2.valid);
  CHECK(r2.reasons.front().find("certifies the state of height " + std::to_string(issued_at)) != std::string::npos);

  // Entries with headers of their own, as format /2 had, are refused when read.
  Json j = proofs::bundle_to_json(after);
  j["entries"][0]["header"] = to_hex(before.header);
  j["entries"][0]["certificate"] = to_hex(before.certificate);
  auto parsed = proofs::bundle_from_json(j);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().message.find("a bundle mixing heights is refused") != std::string::npos);

  // The old bundle alone is honest about its moment: valid as of the height it certifies.
  const auto old = w.verify_offline(doc, before, w.genesis());
  CHECK(old.valid);
  REQUIRE(old.facts->as_of_height);
  CHECK(*old.facts->as_of_height == issued_at);
  CHECK(verify::report_to_json(old)["as_of_height"] == issued_at);
  const auto now = w.verify_offline(doc, after, w.genesis());
  CHECK_FALSE(now.valid);
  CHECK(now.status == "revoked");
}
