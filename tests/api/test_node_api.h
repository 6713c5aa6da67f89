// A NodeApi for the API tests: answers from fields the test sets, records what it was asked, and
// completes waiting submissions from another thread, as the real node does.
#pragma once

#include <mutex>
#include <thread>

#include "ledger/api/node_api.h"

namespace docket::api::test {

class TestNodeApi : public NodeApi {
 public:
  NodeStatus status_value;
  std::map<Hash32, TxInfo> txs;
  std::map<Hash32, DocumentInfo> documents;
  std::vector<MemberInfo> member_list;
  std::optional<SubmitResult> submit_answer;  // nullopt: accepted as pending, committed if wait
  std::chrono::milliseconds commit_delay{20};

  SubmitRequest last_submit() {
    std::lock_guard l(mu_);
    return last_submit_;
  }
  std::optional<uint64_t> last_proof_height;

  ~TestNodeApi() override {
    for (auto& t : threads_) t.join();
  }

  NodeStatus status() override { return status_value; }

  void submit_transaction(SubmitRequest req, std::function<void(SubmitResult)> done) override {
    {
      std::lock_guard l(mu_);
      last_submit_ = req;
    }
    if (submit_answer) return done(*submit_answer);
    SubmitResult r;
    r.id[0] = req.tx.at(0);
    r.code = "ok";
    if (!req.wait) {
      r.status = TxStatus::pending;
      return done(r);
    }
    // Commit later, from another thread, unless the wait is shorter than the commit.
    const auto delay = commit_delay;
    threads_.emplace_back([r, req, delay, done = std::move(done)]() mutable {
      std::this_thread::sleep_for(std::min(delay, req.timeout));
      if (delay <= req.timeout) {
        r.status = TxStatus::committed;
        r.height = 9;
      } else {
        r.status = TxStatus::pending;
      }
      done(r);
    });
  }

  // The check's answer; an error (e.g. Errc::bad_signature) stands for bytes that do not decode.
  Result<CheckResult> check_answer = CheckResult{};
  std::optional<Bytes> last_check;
  Result<CheckResult> check_transaction(const Bytes& tx) override {
    last_check = tx;
    return check_answer;
  }

  Result<TxInfo> transaction(const Hash32& id) override {
    auto it = txs.find(id);
    if (it == txs.end()) return make_error(Errc::not_found, "unknown transaction");
    return it->second;
  }
  Result<AccountInfo> account(const crypto::PublicKey& key) override {
    AccountInfo a;
    a.key = key;
    a.nonce = 3;
    a.member_id = "chamber";
    a.roles = {"issuer"};
    return a;
  }
  std::optional<Hash32> last_document_root;
  Result<DocumentInfo> document(const Hash32& hash, const std::optional<Hash32>& root) override {
    last_document_root = root;
    auto it = documents.find(hash);
    if (it == documents.end()) return make_error(Errc::not_found, "unknown document");
    return it->second;
  }
  Result<HistoryPage> document_history(const Hash32& hash, HistoryPageRequest page) override {
    last_page = page;
    if (!documents.count(hash)) return make_error(Errc::not_found, "unknown document");
    HistoryEvent e;
    e.kind = "issued";
    e.height = 4;
    HistoryPage p;
    p.total = 1;
    if (page.from == 0) p.events.push_back(e);
    return p;
  }
  Result<HistoryPage> bill_history(const Hash32&, HistoryPageRequest page) override {
    last_page = page;
    HistoryPage p;
    p.total = 3;
    for (uint64_t i = page.from; i < p.total && p.events.size() < page.limit; ++i) {
      HistoryEvent e;
      e.kind = i == 0 ? "issued" : "endorsed";
      e.height = 10 + i;
      p.events.push_back(e);
    }
    if (page.from + p.events.size() < p.total) p.next = page.from + p.events.size();
    return p;
  }
  std::optional<HistoryPageRequest> last_page;
  Result<BillOfLading> bill_of_lading(const Hash32& id) override {
    BillOfLading b;
    b.id = id;
    b.status = "active";
    b.owner = "aa";
    b.holder = "bb";
    return b;
  }
  Result<std::vector<MemberInfo>> members() override { return member_list; }
  Result<MemberInfo> member(const std::string& id) override {
    for (const auto& m : member_list)
      if (m.member_id == id) return m;
    return make_error(Errc::not_found, "no member " + id);
  }
  Result<BlockInfo> block(uint64_t height) override {
    if (height > 10) return make_error(Errc::not_found, "above the committed height");
    BlockInfo b;
    b.height = height;
    b.tx_ids.push_back(Hash32{});
    b.header = {1, 2};
    return b;
  }
  Result<StateProof> proof(const Bytes& key, std::optional<uint64_t> height) override {
    last_proof_height = height;
    StateProof p;
    p.key = key;
    p.height = height.value_or(10);
    p.proof = {0xab};
    return p;
  }

 private:
  std::mutex mu_;
  SubmitRequest last_submit_;
  std::vector<std::thread> threads_;
};

}  // namespace docket::api::test
