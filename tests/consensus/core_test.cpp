// consensus::Core driven directly: proposal/vote flow, the commit rule, action ordering, restart,
// hostile input, epochs and observers.
#include <catch2/catch.hpp>

#include "cluster.h"
#include "consensus/messages.h"

using namespace docket;
using namespace docket::consensus;
using namespace docket::consensus::testing;

namespace {

template <class T>
std::vector<const T*> all_of(const std::vector<Action>& actions) {
  std::vector<const T*> out;
  for (const Action& a : actions) {
    if (auto* x = std::get_if<T>(&a)) out.push_back(x);
  }
  return out;
}

template <class T>
int index_of(const std::vector<Action>& actions) {
  for (size_t i = 0; i < actions.size(); ++i) {
    if (std::holds_alternative<T>(actions[i])) return static_cast<int>(i);
  }
  return -1;
}

// Every block's round, by id, as seen in any committed list.
}  // namespace

TEST_CASE("the leader of round 1 asks for a payload on genesis at start") {
  ValidatorSet set(test_keys(4));
  sim::FastVerifier v;
  Core core(test_config(set, 1), SafetyState::fresh(0), CommittedTip::genesis(test_genesis(), 0), v, test_signer(1));
  auto actions = core.start();
  auto req = all_of<RequestPayload>(actions);
  REQUIRE(req.size() == 1);
  REQUIRE(req[0]->round == 1);
  REQUIRE(req[0]->height == 1);
  REQUIRE(req[0]->parent_id == test_genesis());
  REQUIRE(core.round() == 1);
}

TEST_CASE("a happy cluster commits every block by the 2-chain rule") {
  Cluster c(4);
  c.run(400);
  for (size_t i = 0; i < 4; ++i) {
    INFO("replica " << i);
    REQUIRE(c.committed[i].size() >= 10);
    for (size_t h = 0; h < c.committed[i].size(); ++h) {
      REQUIRE(c.committed[i][h].height == h + 1);
      REQUIRE(c.committed[i][h].id == c.committed[0][std::min(h, c.committed[0].size() - 1)].id);
      REQUIRE(!c.committed[i][h].qc.empty());
    }
  }
  // Without timeouts every round produces a block: heights equal rounds.
  for (const auto& b : c.committed[0]) REQUIRE(b.round == b.height);
}

TEST_CASE("votes persist before they are sent, and commits precede the validation they enable") {
  Cluster c(4);
  c.run(200);
  size_t votes = 0, checked_commits = 0;
  for (const auto& [replica, actions] : c.log) {
    const int persist = index_of<PersistSafety>(actions);
    for (size_t k = 0; k < actions.size(); ++k) {
      if (auto* s = std::get_if<SendTo>(&actions[k]); s && s->kind == MessageKind::vote) {
        ++votes;
        REQUIRE(persist >= 0);
        REQUIRE(persist < static_cast<int>(k));
        REQUIRE(index_of<PersistBlock>(actions) < persist);
      }
    }
    const int commit = index_of<Commit>(actions);
    const int validate = index_of<ValidatePayload>(actions);
    if (commit >= 0 && validate >= 0) {
      ++checked_commits;
      REQUIRE(commit < validate);
    }
  }
  REQUIRE(votes > 20);
  REQUIRE(checked_commits > 5);
}

TEST_CASE("commit rule: a block whose child is not in the next round waits for a later 2-chain") {
  Cluster c(4);
  c.tick_all(0);
  // The leader of round 3 (validator 3) is silenced: round 3 ends by timeout, and round 4's block,
  // justified by a TC, extends the round-2 block.
  bool silenced = true;
  c.filter = [&](const Wire& w) { return !(silenced && w.from == 3 && w.kind == MessageKind::proposal); };
  c.run();
  // Only validator 3 formed QC(2): it alone committed the round-1 block so far.
  REQUIRE(c.committed[0].empty());
  REQUIRE(c.committed[3].size() == 1);
  REQUIRE(c.committed[3][0].round == 1);
  c.tick_all(5'000);
  c.run();
  REQUIRE(c.committed[0].size() == 1);  // QC(2), rebroadcast with the timeouts, commits round 1
  silenced = false;
  c.tick_all(10'000);  // round 3 (its proposal lost) times out too
  c.run(200);
  REQUIRE(c.committed[0].size() >= 3);
  REQUIRE(c.committed[0][1].round == 2);
  REQUIRE(c.committed[0][2].round == 4);  // no block of round 3
  // The round-2 block was never committed by the QC of its round-4 child (4 != 2 + 1): it became
  // final only together with that child, once round 5 certified the child.
  for (const auto& [replica, actions] : c.log) {
    for (const auto* commit : all_of<Commit>(actions)) {
      for (const auto& b : commit->blocks) {
        if (b.round == 2) REQUIRE(commit->blocks.back().round >= 4);
      }
    }
  }
}

TEST_CASE("a negative payload verdict means no vote") {
  ValidatorSet set(test_keys(4));
  sim::FastVerifier v;
  Cluster c(4);
  c.payloads = false;  // collect the leader's request and answer by hand
  auto leader = Core(test_config(set, 1), SafetyState::fresh(0), CommittedTip::genesis(test_genesis(), 0), v, test_signer(1));
  leader.start();
  sim::AppModel app;
  auto out = leader.handle(app.make_payload(1, 1, 0, false));
  auto props = all_of<Broadcast>(out);
  REQUIRE(props.size() == 1);
  Core follower(test_config(set, 2), SafetyState::fresh(0), CommittedTip::genesis(test_genesis(), 0), v, test_signer(2));
  follower.start();
  auto got = follower.handle(ProposalReceived{1, props[0]->bytes});
  auto val = all_of<ValidatePayload>(got);
  REQUIRE(val.size() == 1);
  auto no = follower.handle(PayloadVerdict{val[0]->block_id, false});
  REQUIRE(all_of<SendTo>(no).empty());
  REQUIRE(all_of<PersistSafety>(no).empty());
  // A verdict nobody asked for is ignored too.
  REQUIRE(all_of<SendTo>(follower.handle(PayloadVerdict{val[0]->block_id, true})).empty());
}

TEST_CASE("restarted from its persisted state, a replica never votes twice in a round") {
  ValidatorSet set(test_keys(4));
  sim::FastVerifier v;
  sim::AppModel app;
  Core leader(test_config(set, 1), SafetyState::fresh(0), CommittedTip::genesis(test_genesis(), 0), v, test_signer(1));
  leader.start();
  auto p1 = all_of<Broadcast>(leader.handle(app.make_payload(1, 1, 0, false)))[0]->bytes;
  // The leader equivocates: a second proposal for round 1 with other transactions.
  Core twin(test_config(set, 1), SafetyState::fresh(0), CommittedTip::genesis(test_genesis(), 0), v, test_signer(1));
  twin.start();
  auto p2 = all_of<Broadcast>(twin.handle(app.make_payload(1, 1, 99, false)))[0]->bytes;
  REQUIRE(p1 != p2);

  // Validator 3 votes (the next leader, 2, is someone else, so the vote is a SendTo).
  Core voter(test_config(set, 3), SafetyState::fresh(0), CommittedTip::genesis(test_genesis(), 0), v, test_signer(3));
  voter.start();
  auto a = voter.handle(ProposalReceived{1, p1});
  auto voted = voter.handle(PayloadVerdict{all_of<ValidatePayload>(a)[0]->block_id, true});
  REQUIRE(all_of<SendTo>(voted).size() == 1);
  const Bytes persisted = all_of<PersistSafety>(voted)[0]->state;
  const Bytes stored_block = all_of<PersistBlock>(voted)[0]->block;

  auto state = SafetyState::decode(persisted);
  REQUIRE(state.ok());
  REQUIRE(state->last_voted_round == 1);
  Core restarted(test_config(set, 3), *state, CommittedTip::genesis(test_genesis(), 0), v, test_signer(3), {stored_block});
  restarted.start();
  REQUIRE(restarted.round() >= 1);
  auto b = restarted.handle(ProposalReceived{1, p2});
  for (const auto* val : all_of<ValidatePayload>(b)) {
    REQUIRE(all_of<SendTo>(restarted.handle(PayloadVerdict{val->block_id, true})).empty());
  }
  // The block it voted for survived the crash and can be served to peers.
  REQUIRE(restarted.block_for_peer(all_of<PersistBlock>(voted)[0]->id).has_value());
}

TEST_CASE("hostile input is dropped with a reason and never breaks the core") {
  Cluster c(4);
  c.run(40);
  Core& core = *c.cores[0];
  const Round before = core.round();
  uint64_t x = 12345;
  auto next = [&] { return x = x * 6364136223846793005ULL + 1442695040888963407ULL; };
  std::vector<Bytes> samples;
  for (const auto& [replica, actions] : c.log) {
    for (const auto* b : all_of<Broadcast>(actions)) samples.push_back(b->bytes);
    for (const auto* s : all_of<SendTo>(actions)) samples.push_back(s->bytes);
  }
  REQUIRE(!samples.empty());
  size_t diagnostics = 0;
  for (int k = 0; k < 3000; ++k) {
    Bytes b;
    switch (k % 3) {
      case 0: b.resize(next() % 300); for (auto& y : b) y = static_cast<uint8_t>(next()); break;
      case 1: b = samples[next() % samples.size()]; if (!b.empty()) b[next() % b.size()] ^= static_cast<uint8_t>(1 + next() % 255); break;
      default: b = samples[next() % samples.size()]; b.resize(next() % (b.size() + 1)); break;
    }
    const ValidatorIndex from = static_cast<ValidatorIndex>(next() % 4);
    std::vector<Action> out;
    switch (next() % 4) {
      case 0: out = core.handle(ProposalReceived{from, b}); break;
      case 1: out = core.handle(VoteReceived{from, b}); break;
      case 2: out = core.handle(TimeoutReceived{from, b}); break;
      default: out = core.handle(BlockFetched{from, b}); break;
    }
    diagnostics += all_of<Diagnostic>(out).size();
    REQUIRE(all_of<Commit>(out).empty());
  }
  REQUIRE(diagnostics > 1000);
  REQUIRE(core.round() >= before);
}

TEST_CASE("far-future votes and timeouts are not stored") {
  Cluster c(4);
  c.run(20);
  Core& core = *c.cores[2];
  const Round far = core.round() + 1'000'000;
  auto sig = test_signer(1)->sign(vote_digest(kTestChain, 0, far, test_genesis()));
  auto out = core.handle(VoteReceived{1, encode_vote(0, far, test_genesis(), 1, sig)});
  bool dropped = false;
  for (const auto* d : all_of<Diagnostic>(out)) dropped |= d->message.find("far-future") != std::string::npos;
  REQUIRE(dropped);
}

TEST_CASE("an epoch change takes effect after its height, with the new leader order") {
  Cluster c(4);
  c.run(12);
  const Height now = c.cores[0]->committed_height();
  std::vector<crypto::PublicKey> keys = test_keys(4);
  std::rotate(keys.begin(), keys.begin() + 1, keys.end());
  const Height end = now + 6;
  for (size_t i = 0; i < 4; ++i) c.feed(i, EpochChange{ValidatorSet(keys), end});
  c.run(400);
  for (size_t i = 0; i < 4; ++i) {
    INFO("replica " << i);
    REQUIRE(c.cores[i]->epoch() == 1);
    REQUIRE(c.cores[i]->committed_height() > end + 3);
    for (const auto& b : c.committed[i]) {
      if (b.height <= end) REQUIRE(b.epoch == 0);
      else REQUIRE(b.epoch == 1);
      REQUIRE(b.id == c.committed[0][b.height - 1].id);
    }
    // Validator 0's key is now at index 3.
    REQUIRE(c.cores[i]->validators().index_of(test_keys(4)[0]) == ValidatorIndex{3});
  }
  bool started = false;
  for (const auto& [replica, actions] : c.log) started |= !all_of<EpochStarted>(actions).empty();
  REQUIRE(started);
}

TEST_CASE("an observer follows commits without signing anything") {
  Cluster c(4);
  ValidatorSet set(test_keys(4));
  sim::FastVerifier v;
  Core observer(test_config(set, std::nullopt), SafetyState::fresh(0), CommittedTip::genesis(test_genesis(), 0), v, nullptr);
  observer.start();
  size_t commits = 0;
  std::function<void(std::vector<Action>)> handle_out = [&](std::vector<Action> out) {
    for (const auto* cm : all_of<Commit>(out)) commits += cm->blocks.size();
    REQUIRE(all_of<SendTo>(out).empty());
    REQUIRE(all_of<PersistSafety>(out).empty());
    REQUIRE(all_of<RequestPayload>(out).empty());
    for (const auto* f : all_of<FetchBlock>(out)) {
      if (auto b = c.cores[f->from]->block_for_peer(f->id)) handle_out(observer.handle(BlockFetched{f->from, *b}));
    }
  };
  c.filter = [&](const Wire& w) {
    // Every proposal once (each is broadcast to all but its sender).
    if (w.kind == MessageKind::proposal && w.to == (w.from + 1) % 4) {
      handle_out(observer.handle(ProposalReceived{static_cast<ValidatorIndex>(w.from), w.bytes}));
    }
    return true;
  };
  c.run(300);
  REQUIRE(commits > 5);
}

// Regression (docket-sim --validators 4 --first-seed 36 --byzantine mixed ...): a replica restarted
// ahead of the others must still prove its commits, or their applications refuse every proposal of
// its that carries its executed state, and with a Byzantine leader no two honest rounds in a row ever
// certify a 2-chain again.
TEST_CASE("a restarted replica keeps proving its latest commit to replicas behind it") {
  Cluster c(4);
  c.run(60);
  const Commit* last = nullptr;
  for (const auto& [replica, actions] : c.log) {
    if (replica != 0) continue;
    for (const auto* cm : all_of<Commit>(actions)) last = cm;
  }
  REQUIRE(last != nullptr);
  REQUIRE(!last->proof.empty());
  const CommittedBlock& top = last->blocks.back();
  CommittedTip tip;
  tip.id = top.id;
  tip.height = top.height;
  tip.round = top.round;
  tip.qc = top.qc;
  tip.commit_proof = last->proof;
  auto state = SafetyState::decode(c.safety[0]);
  REQUIRE(state.ok());
  Core restarted(test_config(c.set, 0), *state, tip, c.verifier, test_signer(0));
  restarted.start();
  restarted.handle(Tick{0});
  auto out = restarted.handle(Tick{60'000});  // its round times out
  auto timeouts = all_of<Broadcast>(out);
  REQUIRE(!timeouts.empty());
  auto t = decode_timeout(timeouts.back()->bytes, c.limits());
  REQUIRE(t.ok());
  REQUIRE(t->commit_proof == last->proof);
  // A replica left behind (here an observer at genesis) learns from that timeout alone what to fetch,
  // and commits up to the restarted replica's tip.
  Core behind(test_config(c.set, std::nullopt), SafetyState::fresh(0), CommittedTip::genesis(test_genesis(), 0), c.verifier,
              nullptr);
  behind.start();
  std::vector<CommittedBlock> commits;
  std::function<void(std::vector<Action>)> handle_out = [&](std::vector<Action> actions) {
    for (const auto* cm : all_of<Commit>(actions)) commits.insert(commits.end(), cm->blocks.begin(), cm->blocks.end());
    for (const auto* f : all_of<FetchBlock>(actions)) {
      for (const CommittedBlock& b : c.committed[f->from]) {  // as a driver serves them, from its store
        if (b.id == f->id) handle_out(behind.handle(BlockFetched{f->from, encode_certified_block(b.block, b.qc)}));
      }
    }
  };
  handle_out(behind.handle(TimeoutReceived{0, timeouts.back()->bytes}));
  REQUIRE(!commits.empty());
  REQUIRE(commits.back().height >= top.height);
  for (const auto& b : commits) REQUIRE(b.id == c.committed[0][b.height - 1].id);
}

// Regression (docket-sim --validators 7 --first-seed 40257 --byzantine withhold ...): with f silent
// validators a QC needs every honest vote, so one lost copy of the proposal cost the round, and rounds
// in a row (a 2-chain) almost never all succeeded under 20% loss.
TEST_CASE("a leader sends its proposal again at half and three quarters of the round timeout") {
  ValidatorSet set(test_keys(4));
  sim::FastVerifier v;
  sim::AppModel app;
  Core leader(test_config(set, 1), SafetyState::fresh(0), CommittedTip::genesis(test_genesis(), 0), v, test_signer(1));
  leader.start();
  leader.handle(Tick{0});
  const auto proposed = leader.handle(app.make_payload(1, 1, 0, false));
  auto first = all_of<Broadcast>(proposed);
  REQUIRE(first.size() == 1);
  const Bytes proposal = first[0]->bytes;
  auto proposals_at = [&](uint64_t now) {
    size_t n = 0;
    const auto out = leader.handle(Tick{now});
    for (const auto* b : all_of<Broadcast>(out)) {
      if (b->kind == MessageKind::proposal) {
        REQUIRE(b->bytes == proposal);
        ++n;
      }
    }
    return n;
  };
  // The timeout is 1000 ms (test_config).
  REQUIRE(proposals_at(499) == 0);
  REQUIRE(proposals_at(500) == 1);
  REQUIRE(proposals_at(700) == 0);
  REQUIRE(proposals_at(750) == 1);
  REQUIRE(proposals_at(900) == 0);
  REQUIRE(proposals_at(1000) == 0);  // the round timed out: nobody can vote in it any more
  REQUIRE(proposals_at(1600) == 0);
}
