#include "contracts/open_attestation.h"
#include "contracts/history_chain.h"
#include "contracts/records.h"
#include "ledger/state/proof.h"
#include "harness.h"

using namespace docket;
using namespace docket::test;
using contracts::DocStatus;
using contracts::Reason;
using contracts::load;

TEST_CASE("OpenAttestation batch root and proofs") {
  std::vector<Hash32> targets{h("a"), h("b"), h("c"), h("d"), h("e")};
  Hash32 root = contracts::oa::merkle_root(targets);
  for (const auto& t : targets) {
    auto proof = contracts::oa::merkle_proof(targets, t);
    REQUIRE(proof);
    CHECK(contracts::oa::path_hashes(t, *proof).back() == root);
  }
  // A single document is its own root.
  std::vector<Hash32> one{h("solo")};
  CHECK(contracts::oa::merkle_root(one) == h("solo"));
  // Sorted-pair hashing: order of the pair does not matter.
  CHECK(contracts::oa::combine(h("x"), h("y")) == contracts::oa::combine(h("y"), h("x")));
}

TEST_CASE("issue, query, and refuse a second registration of the same root") {
  Chain c;
  Hash32 root = h("certificate-1");
  auto r = c.run("chamber", issue_doc(root));
  REQUIRE(r.ok());
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].kind() == "document.issued");

  auto st = contracts::document_status(c.state(), root);
  REQUIRE(st.ok());
  CHECK(st->status == DocStatus::issued);
  REQUIRE(st->document);
  CHECK(st->document->document_type() == "certificate_of_origin");
  CHECK(st->document->issued_height() == c.height());
  CHECK(st->document->issued_time_ms() == 1700000000000 + 1000 * c.height());
  CHECK(st->document->public_fields(0).value() == "CO-2024-0001");
  REQUIRE(st->issuer);
  CHECK(st->issuer->name() == "Org chamber");
  CHECK(st->issuer->country() == "SG");

  CHECK(c.run("chamber", issue_doc(root)).reason == Reason::already_exists);
  CHECK(contracts::document_status(c.state(), h("never"))->status == DocStatus::unknown);
}

TEST_CASE("issuing needs the issuer role for that document type") {
  Chain c;
  CHECK(c.run("t1", issue_doc(h("x"))).reason == Reason::missing_role);
  CHECK(c.run("carrier", issue_doc(h("x"))).reason == Reason::missing_role);
  CHECK(c.run("chamber", issue_doc(h("x"), "commercial_invoice")).reason == Reason::missing_role);
  CHECK(c.run("chamber", issue_doc(h("x"))).ok());
}

TEST_CASE("malformed payloads are refused with malformed or too_large") {
  Chain c;
  auto b = issue_doc(h("x"));
  b.mutable_document_issue()->set_merkle_root("short");
  CHECK(c.run("chamber", b).reason == Reason::malformed);
  b = issue_doc(h("x"));
  b.mutable_document_issue()->set_merkle_root(std::string(32, '\0'));
  CHECK(c.run("chamber", b).reason == Reason::malformed);
  b = issue_doc(h("x"));
  auto* f = b.mutable_document_issue()->add_public_fields();
  f->set_name("a_first");  // out of order
  CHECK(c.run("chamber", b).reason == Reason::malformed);
  b = issue_doc(h("x"));
  b.mutable_document_issue()->mutable_public_fields(0)->set_value(std::string(257, 'v'));
  CHECK(c.run("chamber", b).reason == Reason::too_large);
  b = issue_doc(h("x"));
  b.mutable_document_issue()->set_document_type("Certificate Of Origin");
  CHECK(c.run("chamber", b).reason == Reason::malformed);
}

TEST_CASE("revoking one document of a batch: OpenAttestation semantics") {
  Chain c;
  std::vector<Hash32> targets{h("d1"), h("d2"), h("d3"), h("d4")};
  Hash32 root = contracts::oa::merkle_root(targets);
  REQUIRE(c.run("chamber", issue_doc(root)).ok());
  auto proof_of = [&](const Hash32& t) { return *contracts::oa::merkle_proof(targets, t); };

  for (const auto& t : targets) {
    auto p = proof_of(t);
    auto st = contracts::verify_document(c.state(), t, p, root);
    REQUIRE(st.ok());
    CHECK(st->status == DocStatus::issued);
    // doc/<root> plus one rev/<hash>/<root> per hash on the path: all provable.
    CHECK(st->record_keys.size() == 1 + p.size() + 1);
  }

  // Revoke d1 by its targetHash.
  auto p1 = proof_of(h("d1"));
  auto r = c.run("chamber", revoke_doc(root, h("d1"), p1));
  REQUIRE(r.ok());
  CHECK(contracts::verify_document(c.state(), h("d1"), p1, root)->status == DocStatus::revoked);
  CHECK(contracts::document_status_under(c.state(), h("d1"), root)->status == DocStatus::revoked);
  // Status is scoped to a root: d1 is no registered root, so on its own it has no status.
  CHECK(contracts::document_status(c.state(), h("d1"))->status == DocStatus::unknown);
  CHECK(contracts::document_status(c.state(), root)->status == DocStatus::issued);
  // Its batch neighbours are unaffected.
  for (const auto& t : {h("d2"), h("d3"), h("d4")})
    CHECK(contracts::verify_document(c.state(), t, proof_of(t), root)->status == DocStatus::issued);

  // Revoke an intermediate hash: the pair (d3, d4) or whichever pair does not hold d1.
  auto p3 = proof_of(h("d3"));
  auto path3 = contracts::oa::path_hashes(h("d3"), p3);
  Hash32 intermediate = path3[1];
  std::vector<Hash32> rest(p3.begin() + 1, p3.end());
  REQUIRE(c.run("chamber", revoke_doc(root, intermediate, rest)).ok());
  for (const auto& t : targets) {
    auto path = contracts::oa::path_hashes(t, proof_of(t));
    bool under = std::find(path.begin(), path.end(), intermediate) != path.end();
    bool revoked_leaf = t == h("d1");
    CHECK((contracts::verify_document(c.state(), t, proof_of(t), root)->status == DocStatus::revoked) ==
          (under || revoked_leaf));
  }

  // A proof that does not reach the root is refused, and so is a wrong query proof.
  CHECK(c.run("chamber", revoke_doc(root, h("d2"), p1)).reason == Reason::proof_mismatch);
  CHECK(contracts::verify_document(c.state(), h("d2"), p1, root).error().code == Errc::invalid_argument);
  // Revoking twice.
  CHECK(c.run("chamber", revoke_doc(root, h("d1"), p1)).reason == Reason::already_exists);

  // Revoke the root: everything revoked; the record carries the reason.
  REQUIRE(c.run("chamber", revoke_doc(root, root, {}, pb::REVOCATION_FRAUD)).ok());
  for (const auto& t : targets) CHECK(contracts::verify_document(c.state(), t, proof_of(t), root)->status == DocStatus::revoked);
  auto st = contracts::document_status(c.state(), root);
  CHECK(st->status == DocStatus::revoked);
  CHECK(st->document->revocation_reason() == pb::REVOCATION_FRAUD);
}

TEST_CASE("only the issuer may revoke or supersede, and only issued roots are superseded") {
  Chain c;
  Hash32 root = h("co-1");
  REQUIRE(c.run("chamber", issue_doc(root)).ok());
  CHECK(c.run("t1", revoke_doc(root, root, {})).reason == Reason::not_issuer);
  CHECK(c.run("t1", supersede_doc(root, h("co-2"))).reason == Reason::not_issuer);
  CHECK(c.run("chamber", revoke_doc(h("nope"), h("nope"), {})).reason == Reason::not_found);
  auto b = revoke_doc(root, root, {});
  b.mutable_document_revoke()->set_reason(pb::REVOCATION_REASON_UNSPECIFIED);
  CHECK(c.run("chamber", b).reason == Reason::malformed);

  REQUIRE(c.run("chamber", supersede_doc(root, h("co-2"))).ok());
  auto old_st = contracts::document_status(c.state(), root);
  CHECK(old_st->status == DocStatus::superseded);
  CHECK(old_st->document->superseded_by() == field(h("co-2")));
  auto new_st = contracts::document_status(c.state(), h("co-2"));
  CHECK(new_st->status == DocStatus::issued);
  CHECK(new_st->document->supersedes() == field(root));
  CHECK(new_st->document->document_type() == "certificate_of_origin");

  CHECK(c.run("chamber", supersede_doc(root, h("co-3"))).reason == Reason::invalid_state);
  CHECK(c.run("chamber", supersede_doc(h("co-2"), root)).reason == Reason::already_exists);

  // Full event history of the old root: issued, superseded.
  auto hist = c.exec().history().history(contracts::document_key(root), c.height(), 100);
  REQUIRE(hist.ok());
  REQUIRE(hist->size() == 2);
  CHECK((*hist)[0].event().kind() == "document.issued");
  CHECK((*hist)[1].event().kind() == "document.superseded");
  CHECK((*hist)[1].sender_member() == "chamber");
  // History as of an earlier height.
  CHECK(c.exec().history().history(contracts::document_key(root), (*hist)[0].height(), 100)->size() == 1);
}

TEST_CASE("document status at an earlier height") {
  Chain c;
  Hash32 root = h("co-x");
  REQUIRE(c.run("chamber", issue_doc(root)).ok());
  uint64_t issued_at = c.height();
  REQUIRE(c.run("chamber", revoke_doc(root, root, {})).ok());
  CHECK(contracts::document_status(c.exec().reader(issued_at - 1), root)->status == DocStatus::unknown);
  CHECK(contracts::document_status(c.exec().reader(issued_at), root)->status == DocStatus::issued);
  CHECK(contracts::document_status(c.state(), root)->status == DocStatus::revoked);
}

TEST_CASE("a hash revoked under another root leaves this root's document alone (root-scoped status)") {
  Chain c;
  std::vector<Hash32> targets{h("t1"), h("t2")};
  Hash32 root = contracts::oa::merkle_root(targets);
  REQUIRE(c.run("chamber", issue_doc(root)).ok());
  // A second batch over the same targetHash (anyone holding an issuer role can build one), revoked there.
  std::vector<Hash32> other_targets{h("t1"), h("decoy")};
  Hash32 other = contracts::oa::merkle_root(other_targets);
  REQUIRE(c.run("chamber", issue_doc(other)).ok());
  REQUIRE(c.run("chamber", revoke_doc(other, h("t1"), *contracts::oa::merkle_proof(other_targets, h("t1")))).ok());

  auto mine = contracts::document_status_under(c.state(), h("t1"), root);
  REQUIRE(mine.ok());
  CHECK(mine->status == DocStatus::issued);
  CHECK(mine->revocations.empty());
  auto theirs = contracts::document_status_under(c.state(), h("t1"), other);
  REQUIRE(theirs.ok());
  CHECK(theirs->status == DocStatus::revoked);
  REQUIRE(theirs->revocations.size() == 1);
  CHECK(contracts::to_hash(theirs->revocations[0].merkle_root()) == other);

  // Revoked under this root too: now this document is revoked, whatever else exists.
  REQUIRE(c.run("chamber", revoke_doc(root, h("t1"), *contracts::oa::merkle_proof(targets, h("t1")))).ok());
  CHECK(contracts::document_status_under(c.state(), h("t1"), root)->status == DocStatus::revoked);
  // The root itself, asked as its own document, and an unregistered root.
  CHECK(contracts::document_status_under(c.state(), root, root)->status == DocStatus::issued);
  CHECK(contracts::document_status_under(c.state(), h("t1"), h("unregistered"))->status == DocStatus::unknown);
}

TEST_CASE("a document's history is a hash chain whose head the state proves") {
  Chain c;
  std::vector<Hash32> targets{h("p1"), h("p2")};
  Hash32 root = contracts::oa::merkle_root(targets);
  REQUIRE(c.run("chamber", issue_doc(root)).ok());
  REQUIRE(c.run("chamber", revoke_doc(root, h("p1"), *contracts::oa::merkle_proof(targets, h("p1")))).ok());
  REQUIRE(c.run("chamber", supersede_doc(root, h("amended"))).ok());
  // A refused operation leaves no event and no trace in the chain.
  CHECK(c.run("t1", revoke_doc(root, root, {})).reason == Reason::not_issuer);

  const std::string key = contracts::document_key(root);
  auto entries = c.exec().history().entries(key, c.height(), 100);
  REQUIRE(entries.ok());
  REQUIRE(entries->size() >= 2);  // issued, ..., superseded
  auto head = load<pb::HistoryHead>(c.state(), contracts::history_head_key(key));
  REQUIRE(head.ok());
  REQUIRE(head->has_value());
  const pb::HistoryHead expect = contracts::chain_history(*entries);
  CHECK((*head)->count() == entries->size());
  CHECK((*head)->head() == expect.head());

  // The head is provable against the state root, and altering, dropping or reordering an entry
  // gives another head.
  auto proven = c.exec().tree().prove(contracts::history_head_key(key), c.height());
  REQUIRE(proven.ok());
  REQUIRE(proven->value);
  CHECK(state::verify_proof(c.roots().back(), contracts::history_head_key(key), ByteView(*proven->value), proven->proof).ok());
  auto altered = *entries;
  altered[0].back() ^= 1;
  CHECK(contracts::chain_history(altered).head() != expect.head());
  std::vector<Bytes> dropped{(*entries)[1]};
  CHECK(contracts::chain_history(dropped).head() != expect.head());
  std::vector<Bytes> swapped{(*entries)[1], (*entries)[0]};
  CHECK(contracts::chain_history(swapped).head() != expect.head());

  auto rev_entries = c.exec().history().entries(contracts::revocation_key(h("p1"), root), c.height(), 100);
  REQUIRE(rev_entries.ok());
  REQUIRE(rev_entries->size() == 1);
  auto rev_head = load<pb::HistoryHead>(c.state(), contracts::history_head_key(contracts::revocation_key(h("p1"), root)));
  REQUIRE(rev_head.ok());
  REQUIRE(rev_head->has_value());
  CHECK((*rev_head)->head() == contracts::chain_history(*rev_entries).head());
}

TEST_CASE("status is scoped to the root: a revocation under another root is another member's claim") {
  Chain c;
  std::vector<Hash32> targets{h("c1"), h("c2")};
  const Hash32 root = contracts::oa::merkle_root(targets);
  REQUIRE(c.run("chamber", issue_doc(root)).ok());
  // A second issuer-role member builds a decoy root over c1 and revokes c1 there.
  pb::GovAction grant;
  grant.mutable_grant_role()->set_member_id("carrier");
  grant.mutable_grant_role()->set_role("issuer:certificate_of_origin");
  std::vector<Hash32> decoy_leaves{h("c1"), h("anything")};
  const Hash32 decoy = contracts::oa::merkle_root(decoy_leaves);
  REQUIRE(c.run("admin1", propose(grant)).ok());
  REQUIRE(c.run("admin2", vote(0, true)).ok());
  REQUIRE(c.run("admin3", vote(0, true)).ok());
  REQUIRE(c.run("carrier", issue_doc(decoy)).ok());
  REQUIRE(c.run("carrier", revoke_doc(decoy, h("c1"), *contracts::oa::merkle_proof(decoy_leaves, h("c1")))).ok());

  auto under = contracts::document_status_under(c.state(), h("c1"), root);
  REQUIRE(under.ok());
  CHECK(under->status == DocStatus::issued);
  REQUIRE(under->other_claims.size() == 1);
  CHECK(under->other_claims[0].issuer() == "carrier");
  auto v = contracts::verify_document(c.state(), h("c1"), *contracts::oa::merkle_proof(targets, h("c1")), root);
  REQUIRE(v.ok());
  CHECK(v->status == DocStatus::issued);
  CHECK(v->other_claims.size() == 1);

  // Revoking, under a decoy root, a hash that is another member's registered root is refused.
  std::vector<Hash32> over_root{root, h("x")};
  const Hash32 decoy2 = contracts::oa::merkle_root(over_root);
  REQUIRE(c.run("carrier", issue_doc(decoy2)).ok());
  auto r = c.run("carrier", revoke_doc(decoy2, root, *contracts::oa::merkle_proof(over_root, root)));
  CHECK(r.reason == contracts::Reason::not_issuer);
  CHECK(contracts::document_status(c.state(), root)->status == DocStatus::issued);
}
