// Attack A4: another chain with the same id. A member runs a second network (a test network, or a
// fork restarted from a new genesis) with the same chain id and the same validator keys, and brings
// its transactions and bundles over: a certificate "issued" there, or a transaction signed there.
// Every signature binds the genesis hash as well as the chain id, so none of it verifies here.
#include "tests/attacks/attack_world.h"

using namespace docket;
using namespace docket::attack;

TEST_CASE("A4 a bundle or a transaction from another chain with the same id is refused") {
  World home("docket-attack", 1700000000000);
  World twin("docket-attack", 1700000000001);  // same id, same validator keys, another genesis
  REQUIRE(home.genesis().chain_id == twin.genesis().chain_id);
  REQUIRE(home.binding().genesis_hash != twin.binding().genesis_hash);

  // A certificate registered only on the twin, proven there, presented here.
  const Json doc = wrap_certificates(1, "VN-A4-").front();
  const oa::Integrity v = integrity(doc);
  REQUIRE(twin.run("chamber", tx::document_issue(v.merkle_root, "certificate_of_origin", {})).ok());
  const proofs::Bundle foreign = twin.bundle(v);
  CHECK(twin.verify_offline(doc, foreign, twin.genesis()).valid);  // where it belongs
  const auto here = home.verify_offline(doc, foreign, home.genesis());
  INFO(verify::report_to_text(here));
  CHECK_FALSE(here.valid);
  REQUIRE_FALSE(here.reasons.empty());
  CHECK(here.reasons.front().find("bundle: the certificate is not a quorum") == 0);
  CHECK(here.reasons.front().find("genesis") != std::string::npos);

  // A transaction signed for the twin is refused by this chain's decoder (the node's admission).
  const Bytes raw = twin.sign("chamber", tx::document_issue(crypto::sha256(as_bytes("replayed")), "certificate_of_origin", {}));
  CHECK(primitives::decode_transaction(raw, twin.binding()).ok());
  auto replay = primitives::decode_transaction(raw, home.binding());
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.error().code == Errc::bad_signature);
  CHECK(replay.error().message.find("genesis") != std::string::npos);
}
