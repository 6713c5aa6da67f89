#include "consensus/safety_rules.h"

#include <algorithm>

namespace docket::consensus {
namespace {

Error refuse(const std::string& rule, const std::string& why) {
  return make_error(Errc::invalid_state, "safety rule " + rule + ": " + why);
}

}  // namespace

const std::vector<std::string>& faulty_rule_names() {
  static const std::vector<std::string> names = {"vote-once", "lock", "tc-extend", "commit-rule", "persist-order"};
  return names;
}

Result<FaultyRules> parse_faulty_rule(const std::string& name) {
  FaultyRules f;
  if (name == "vote-once") f.vote_once = true;
  else if (name == "lock") f.lock = true;
  else if (name == "tc-extend") f.tc_extend = true;
  else if (name == "commit-rule") f.commit_rule = true;
  else if (name == "persist-order") f.persist_order = true;
  else if (name != "none") return make_error(Errc::invalid_argument, "unknown faulty rule '" + name + "'");
  return f;
}

Result<SafetyState> check_vote(const SafetyState& s, const VoteProposal& p, const FaultyRules& faulty) {
  if (p.epoch != s.epoch) return refuse("epoch", "proposal of another epoch");
  if (p.block_round <= p.qc_round) return refuse("R2", "block round not above its QC round");
  if (!faulty.vote_once && p.block_round <= s.last_voted_round) {
    return refuse("R1", "already voted or timed out in round " + std::to_string(s.last_voted_round));
  }
  if (!faulty.lock) {
    const bool consecutive = p.block_round == p.qc_round + 1 && p.qc_round >= s.locked_round;
    const bool tc_justified = p.tc && p.block_round == p.tc->round + 1 &&
                              (faulty.tc_extend || p.qc_round >= p.tc->max_high_qc_round);
    if (!consecutive && !tc_justified) {
      return refuse("R2", "QC round " + std::to_string(p.qc_round) + " neither extends round " +
                              std::to_string(p.block_round - 1) + " nor is justified by a TC");
    }
  }
  SafetyState next = s;
  next.last_voted_round = std::max(s.last_voted_round, p.block_round);
  next.locked_round = std::max(s.locked_round, p.qc_round);
  return next;
}

Result<SafetyState> check_timeout(const SafetyState& s, const TimeoutRequest& t) {
  if (t.epoch != s.epoch) return refuse("epoch", "timeout of another epoch");
  if (t.round < s.last_voted_round) {
    return refuse("R3", "round " + std::to_string(t.round) + " below last voted round " +
                            std::to_string(s.last_voted_round));
  }
  if (t.high_qc_round < s.locked_round) return refuse("R3", "high QC below the lock");
  if (t.high_qc_round >= t.round) return refuse("R3", "high QC not below the round");
  SafetyState next = s;
  next.last_voted_round = t.round;
  next.locked_round = std::max(s.locked_round, t.high_qc_round);
  return next;
}

}  // namespace docket::consensus
