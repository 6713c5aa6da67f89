// The safety rules, in one place. Each check takes the persisted SafetyState and what is about to be
// signed, and returns the next state to persist, or the rule that forbids signing. Pure functions.
//
//   R1 vote-once : vote only in a round above last_voted_round (never twice in a round, never after a
//                  timeout of that round).
//   R2 lock      : vote for a block only if its QC is from the previous round and not below the lock,
//                  or a TC of the previous round justifies it ...
//   R2b tc-extend: ... and then only if its QC is at least the highest QC round carried by the TC.
//   R3 timeout   : time out only in a round >= last_voted_round, carrying a QC not below the lock.
//
// FaultyRules switches rules off. It exists for the simulator only (docket-sim --faulty-rule), to show
// that its checkers catch a broken rule; production code never sets it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "consensus/safety_state.h"

namespace docket::consensus {

struct FaultyRules {
  bool vote_once = false;      // R1 off
  bool lock = false;           // R2 and R2b off: vote on any QC
  bool tc_extend = false;      // R2b off: any TC of the previous round justifies any QC
  bool commit_rule = false;    // commit a block as soon as it is certified (1-chain) instead of the 2-chain rule
  bool persist_order = false;  // send votes and timeouts before asking the driver to persist the safety state

  bool any() const { return vote_once || lock || tc_extend || commit_rule || persist_order; }
};

// Names accepted by parse_faulty_rule, in a stable order.
const std::vector<std::string>& faulty_rule_names();
Result<FaultyRules> parse_faulty_rule(const std::string& name);

struct TcSummary {
  Round round = 0;
  Round max_high_qc_round = 0;
};

struct VoteProposal {
  Epoch epoch = 0;
  Round block_round = 0;
  Round qc_round = 0;  // round of the block's justify QC (0 for the epoch's root)
  std::optional<TcSummary> tc;
};

Result<SafetyState> check_vote(const SafetyState& s, const VoteProposal& p, const FaultyRules& faulty = {});

struct TimeoutRequest {
  Epoch epoch = 0;
  Round round = 0;
  Round high_qc_round = 0;
};

Result<SafetyState> check_timeout(const SafetyState& s, const TimeoutRequest& t);

}  // namespace docket::consensus
