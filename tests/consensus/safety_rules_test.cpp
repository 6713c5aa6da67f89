// Each safety rule in isolation, its faulty switch, and the persisted safety state.
#include <catch2/catch.hpp>

#include "consensus/safety_rules.h"

using namespace docket;
using namespace docket::consensus;

namespace {
SafetyState state(Round voted, Round locked) {
  SafetyState s = SafetyState::fresh(2);
  s.last_voted_round = voted;
  s.locked_round = locked;
  return s;
}
}  // namespace

TEST_CASE("R1: never vote twice in a round, nor in a round already timed out") {
  const SafetyState s = state(5, 3);
  REQUIRE(!check_vote(s, {2, 5, 4, std::nullopt}).ok());
  REQUIRE(!check_vote(s, {2, 4, 3, std::nullopt}).ok());
  auto next = check_vote(s, {2, 6, 5, std::nullopt});
  REQUIRE(next.ok());
  REQUIRE(next->last_voted_round == 6);
  REQUIRE(next->locked_round == 5);
  REQUIRE(!check_vote(*next, {2, 6, 5, std::nullopt}).ok());
  FaultyRules off;
  off.vote_once = true;
  REQUIRE(check_vote(s, {2, 5, 4, std::nullopt}, off).ok());
}

TEST_CASE("R2: vote only on a QC of the previous round, not below the lock") {
  const SafetyState s = state(5, 4);
  REQUIRE(check_vote(s, {2, 6, 5, std::nullopt}).ok());
  REQUIRE(!check_vote(s, {2, 7, 5, std::nullopt}).ok());  // QC older than the previous round, no TC
  REQUIRE(!check_vote(s, {2, 8, 3, std::nullopt}).ok());  // and below the lock
  REQUIRE(!check_vote(s, {2, 6, 6, std::nullopt}).ok());  // a block never shares its QC's round
  FaultyRules off;
  off.lock = true;
  REQUIRE(check_vote(s, {2, 8, 3, std::nullopt}, off).ok());
}

TEST_CASE("R2b: a TC of the previous round justifies a QC at least as high as the TC's highest") {
  const SafetyState s = state(6, 5);
  REQUIRE(check_vote(s, {2, 8, 5, TcSummary{7, 5}}).ok());
  REQUIRE(check_vote(s, {2, 8, 6, TcSummary{7, 5}}).ok());
  REQUIRE(!check_vote(s, {2, 8, 4, TcSummary{7, 5}}).ok());  // below the TC's highest QC
  REQUIRE(!check_vote(s, {2, 9, 6, TcSummary{7, 5}}).ok());  // the TC is not of the previous round
  FaultyRules off;
  off.tc_extend = true;
  REQUIRE(check_vote(s, {2, 8, 4, TcSummary{7, 5}}, off).ok());
  REQUIRE(!check_vote(s, {2, 9, 4, TcSummary{7, 5}}, off).ok());  // still needs the previous round's TC
}

TEST_CASE("R3: time out only at or above the last voted round, carrying a QC not below the lock") {
  const SafetyState s = state(6, 5);
  REQUIRE(!check_timeout(s, {2, 5, 5}).ok());  // below the last voted round
  auto same = check_timeout(s, {2, 6, 5});     // after voting in 6, timing out in 6 is fine
  REQUIRE(same.ok());
  REQUIRE(same->last_voted_round == 6);
  REQUIRE(!check_timeout(s, {2, 7, 4}).ok());  // high QC below the lock
  REQUIRE(!check_timeout(s, {2, 7, 7}).ok());  // high QC must be below the round
  auto later = check_timeout(s, {2, 9, 6});
  REQUIRE(later.ok());
  REQUIRE(later->locked_round == 6);
  REQUIRE(!check_vote(*later, {2, 9, 8, std::nullopt}).ok());  // after a timeout, no vote in that round
}

TEST_CASE("rules refuse another epoch") {
  const SafetyState s = state(1, 0);
  REQUIRE(!check_vote(s, {3, 2, 1, std::nullopt}).ok());
  REQUIRE(!check_timeout(s, {3, 2, 1}).ok());
}

TEST_CASE("faulty rule names parse") {
  for (const auto& n : faulty_rule_names()) {
    auto f = parse_faulty_rule(n);
    REQUIRE(f.ok());
    REQUIRE(f->any());
  }
  REQUIRE(parse_faulty_rule("none").ok());
  REQUIRE(!parse_faulty_rule("none").value().any());
  REQUIRE(!parse_faulty_rule("bogus").ok());
}

TEST_CASE("safety state round-trips and rejects corrupt records") {
  SafetyState s = state(9, 7);
  s.locked_qc = {1, 2, 3};
  s.last_vote = {4, 5};
  s.last_timeout = {6};
  const Bytes b = s.encode();
  auto d = SafetyState::decode(b);
  REQUIRE(d.ok());
  REQUIRE(*d == s);
  Bytes junk = b;
  junk.push_back(0xff);
  REQUIRE(!SafetyState::decode(junk).ok());
  SafetyState bad = state(3, 7);  // locked above voted: impossible
  REQUIRE(!SafetyState::decode(bad.encode()).ok());
}
