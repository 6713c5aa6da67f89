// Typed calls to the node's HTTP JSON API (/v1/...), as listed in docs/wallet.md:
// status, accounts (next nonce), transactions (submit and wait), documents, bills of lading, members.
// Responses are parsed with the strict JSON parser and checked for the fields the wallet uses.
// Not thread-safe: one client per thread.
#pragma once

#include <optional>
#include <string>

#include "wallet/net/http_client.h"
#include "wallet/oa/json.h"

namespace docket::wallet::net {

struct TxResult {
  std::string id;
  std::string status;  // committed | pending | rejected
  uint64_t height = 0;
  std::string code;
  std::string message;
  oa::Json events = oa::Json::array();  // committed: [{kind, subject, attributes}] the contracts emitted
};

// The node's dry run of a transaction (POST /v1/transactions/check): code "ok" or why the node or
// the contracts would refuse it (a contract reason code such as "not_holder", or, for bytes the node
// cannot decode, an error code such as "bad_signature"), at the committed state of `height`.
struct CheckResult {
  std::string id;
  std::string code;
  std::string message;
  uint64_t height = 0;
};

// What verification needs from a ledger: the record of a hash and of a bill of lading, nullopt when
// the ledger does not know it. The node client implements it; tests use an in-memory one.
class LedgerLookup {
 public:
  virtual ~LedgerLookup() = default;
  // GET /v1/documents/{hash}: the record of a registered root, or of a hash revoked under a root.
  virtual Result<std::optional<oa::Json>> document(const std::string& hash_hex) = 0;
  // GET /v1/documents/{hash}?root=R: hash as a document of the batch under root R (only revocations
  // under R count; nullopt when R is not registered).
  virtual Result<std::optional<oa::Json>> document_under(const std::string& hash_hex, const std::string& root_hex) = 0;
  // GET /v1/documents/{hash}/history: the "events" array, oldest first, complete (every page).
  virtual Result<std::optional<oa::Json>> document_history(const std::string& hash_hex) = 0;
  // GET /v1/bl/{id}, its "history" complete (the later pages of /v1/bl/{id}/history appended).
  virtual Result<std::optional<oa::Json>> bill_of_lading(const std::string& record_hex) = 0;
  // GET /v1/members/{id}: a member, or the tombstone of a removed member ("removed": true).
  virtual Result<std::optional<oa::Json>> member(const std::string& member_id) = 0;
};

// Histories are read page by page until complete; a longer one is refused (Errc::too_large).
inline constexpr size_t kMaxHistoryEvents = 1'000'000;

class NodeClient final : public LedgerLookup {
 public:
  // Fails on a malformed URL.
  static Result<NodeClient> connect(const std::string& url);

  Result<oa::Json> status();
  // The next nonce to use for this sender (32-byte x-only key, hex).
  Result<uint64_t> next_nonce(const std::string& pubkey_hex);
  // POST /v1/transactions; with wait, the node answers at commit or after timeout_ms.
  Result<TxResult> submit(const std::string& tx_hex, bool wait, uint64_t timeout_ms = 20000);
  // POST /v1/transactions/check: nothing is admitted or stored. nullopt when the node is too old to
  // have the route (404, or 405 from its GET /v1/transactions/{id}).
  Result<std::optional<CheckResult>> check(const std::string& tx_hex);
  // nullopt when the node does not know the hash/record (404).
  Result<std::optional<oa::Json>> document(const std::string& hash_hex) override;
  Result<std::optional<oa::Json>> document_under(const std::string& hash_hex, const std::string& root_hex) override;
  Result<std::optional<oa::Json>> document_history(const std::string& hash_hex) override;
  Result<std::optional<oa::Json>> bill_of_lading(const std::string& record_hex) override;
  Result<std::optional<oa::Json>> member(const std::string& member_id) override;
  Result<oa::Json> members();
  // GET /v1/proofs/{hex key}[?height=h]: state proof, header and certificate; nullopt on 404.
  // Without a height, the latest certified state.
  Result<std::optional<oa::Json>> proof(const std::string& record_key, std::optional<uint64_t> height = std::nullopt);

  const std::string& url() const { return url_text_; }

 private:
  NodeClient(std::string text, Url url) : url_text_(std::move(text)), http_(std::move(url)) {}
  // GET path; 404 gives nullopt; other 4xx/5xx an error with the node's {"error":{code,message}}.
  Result<std::optional<oa::Json>> get_json(const std::string& path);
  Result<std::optional<oa::Json>> get_object(const std::string& path);
  Status page_history(const std::string& route, std::optional<uint64_t> next, oa::Json& events);
  static Result<std::optional<uint64_t>> next_of(const oa::Json& page, const char* field);
  std::string url_text_;
  HttpClient http_;
};

// Reads the {"error":{"code","message"}} body of a failed request into one line.
std::string describe_http_error(const HttpResponse& r);

}  // namespace docket::wallet::net
