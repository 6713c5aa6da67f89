// The contract between the HTTP API and the node: the data each /v1 route returns, as plain structs
// that the node fills, and the interface the node implements. The API layer validates requests
// (JSON, hex, sizes) before calling in, and turns these structs into the JSON documented in
// docs/api.md and docs/openapi.yaml; the wallet codes against that JSON.
//
// Thread safety: the server calls NodeApi from its io thread(s), possibly several at once. Methods
// must be thread-safe and must not block for long (read from a snapshot; never wait for consensus
// there). submit_transaction is asynchronous: it may complete later, from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/common/bytes.h"
#include "ledger/common/result.h"
#include "ledger/crypto/schnorr.h"

namespace docket::api {

// GET /v1/status
struct NodeStatus {
  std::string chain_id;
  Hash32 genesis_hash{};      // what signatures bind besides the chain id; wallets sign for it
  crypto::PublicKey node_key{};
  std::string version;
  uint64_t height = 0;        // last committed height (0: only genesis)
  Hash32 block_hash{};        // id of the block at that height
  uint64_t round = 0;         // current consensus round
  uint64_t epoch = 0;
  std::string sync_state;     // "synced" or "syncing"
  uint64_t sync_target_height = 0;  // highest height seen from peers
  std::vector<crypto::PublicKey> peers;       // connected peers
  std::vector<crypto::PublicKey> validators;  // of the current epoch
  bool is_validator = false;
  // False while a validator whose store lost data follows without voting until it has re-synced past
  // recovering_to, its high-water mark's height (docs/operator.md, "A store that lost data never votes").
  bool voting = false;
  std::optional<uint64_t> recovering_to;
  uint64_t mempool_txs = 0;
  uint64_t mempool_bytes = 0;
};

enum class TxStatus { committed, pending, rejected };
const char* tx_status_name(TxStatus s);

// POST /v1/transactions
struct SubmitRequest {
  Bytes tx;                         // serialized docket.pb.Transaction, not yet checked
  bool wait = false;                // reply when committed (or when timeout passes)
  std::chrono::milliseconds timeout{0};  // with wait: at most this long (capped by the server's max_wait)
};

// An event a committed transaction emitted (contracts' pb::Event): e.g. kind "gov.proposed",
// subject "gov/proposal/00000000000000000003", attributes {"id": "3", ...}.
struct TxEvent {
  std::string kind;
  std::string subject;
  std::map<std::string, std::string> attributes;
};

struct SubmitResult {
  Hash32 id{};                     // transaction id (zero when the bytes could not be decoded)
  TxStatus status = TxStatus::rejected;
  std::optional<uint64_t> height;  // set when committed
  std::string code;                // "ok", or why it was rejected / failed (an Errc name or a contract code)
  std::string message;             // human-readable detail
  std::vector<TxEvent> events;     // committed: what its execution emitted (empty when refused)
};

// POST /v1/transactions/check: what the contracts would answer to a transaction, nothing kept.
struct CheckResult {
  Hash32 id{};
  std::string code;      // "ok", or the contract's reason code (docs/contracts.md), e.g. "not_holder"
  std::string message;   // human-readable detail
  uint64_t height = 0;   // the committed state the check ran on
};

// GET /v1/transactions/{id}
struct TxInfo {
  Hash32 id{};
  TxStatus status = TxStatus::pending;
  std::optional<uint64_t> height;    // committed: the block height
  std::optional<uint32_t> index;     // committed: position in the block
  std::optional<uint64_t> time_ms;   // committed: the block's timestamp
  std::string code;                  // "ok" or the execution error of a committed transaction
  std::string message;
  crypto::PublicKey sender{};
  uint64_t nonce = 0;
  Bytes tx;                          // the serialized Transaction
  std::vector<TxEvent> events;       // committed: what its execution emitted
};

// GET /v1/accounts/{pubkey}
struct AccountInfo {
  crypto::PublicKey key{};
  uint64_t nonce = 0;                   // the next nonce to use
  std::optional<std::string> member_id; // the consortium member the key belongs to, if any
  std::vector<std::string> roles;       // that member's roles
};

// One entry of a document's or a bill of lading's history.
struct HistoryEvent {
  std::string kind;             // e.g. "issued", "revoked", "superseded", "endorsed", "surrendered"
  uint64_t height = 0;
  uint64_t time_ms = 0;
  Hash32 tx_id{};
  std::string actor_member;     // member id of the signer ("" if none)
  crypto::PublicKey actor_key{};
  std::map<std::string, std::string> details;  // kind-specific, e.g. {"reason": "3"} or {"new_holder": "..."}
  std::string record_key;       // the record whose history this is, e.g. "doc/<root>"
  Bytes entry;                  // the stored pb::HistoryEntry: what the record's history chain hashes
};

// A revocation of the asked hash under another root than the document's own: another member's claim
// about its own batch. Listed for the officer's information; it never changes the document's status.
struct OtherRootClaim {
  Hash32 merkle_root{};
  std::string issuer_member;       // who revoked it there
  uint32_t reason = 0;             // pb::RevocationReason
  std::string note;
  uint64_t height = 0;
  uint64_t time_ms = 0;
  Hash32 tx_id{};
};

// ?from=<index>&limit=<n> of the history routes: the events from index `from` (0-based, oldest
// first), at most `limit` of them.
inline constexpr size_t kMaxHistoryPage = 1000;
struct HistoryPageRequest {
  uint64_t from = 0;
  size_t limit = kMaxHistoryPage;  // 1..kMaxHistoryPage
};

// One page of a history. Pages cut one fixed order (by height, then as the records list them), so
// paging with `next` until it is absent yields every event exactly once.
struct HistoryPage {
  std::vector<HistoryEvent> events;
  uint64_t total = 0;             // events in the whole history
  std::optional<uint64_t> next;   // index of the next page's first event; absent on the last page
};

// GET /v1/documents/{hash}[?root=]
struct DocumentInfo {
  Hash32 hash{};                   // the hash asked for
  Hash32 merkle_root{};            // the registered root covering it (equal for a single document)
  std::string status;              // "issued", "revoked" or "superseded"
  std::string document_type;
  std::string issuer_member;
  crypto::PublicKey issuer_key{};
  uint64_t height = 0;             // issued at
  uint64_t time_ms = 0;
  Hash32 tx_id{};
  std::map<std::string, std::string> public_fields;
  std::optional<uint64_t> revoked_height;
  std::optional<uint32_t> revoke_reason;
  std::optional<Hash32> superseded_by;
  std::vector<OtherRootClaim> other_root_claims;
};

// GET /v1/bl/{id}
struct BillOfLading {
  Hash32 id{};
  std::string status;              // "active", "surrendered", "accomplished" (contracts/ decides the set)
  std::string issuer_member;
  std::string owner;               // member id
  std::string holder;              // member id
  std::optional<std::string> nominee;
  std::string bl_type;             // "negotiable", "straight" or "sea-waybill" (the CLI's --bl-type names)
  uint64_t height = 0;             // issued at
  uint64_t time_ms = 0;
  std::vector<HistoryEvent> history;  // issuance first: the endorsement chain (its first page)
  uint64_t history_total = 0;         // events in the whole history
  std::optional<uint64_t> history_next;  // set when the history goes on: GET /v1/bl/{id}/history?from=
};

// GET /v1/members
struct MemberInfo {
  std::string member_id;
  std::string name;
  std::string country;                        // ISO 3166-1 alpha-2
  std::vector<std::string> roles;
  std::vector<crypto::PublicKey> keys;        // keys that act for the member
  std::optional<crypto::PublicKey> validator_key;  // set when the member runs a validator
  // GET /v1/members/{id} of a member removed by governance (its tombstone; no roles, no keys).
  bool removed = false;
  uint64_t removed_height = 0;
  uint64_t removed_time_ms = 0;
  std::string successor;                      // "" if none was named
};

// GET /v1/blocks/{height}
struct BlockInfo {
  uint64_t height = 0;
  Hash32 id{};
  uint64_t epoch = 0;
  uint64_t round = 0;
  Hash32 parent_id{};
  Hash32 payload_hash{};
  uint64_t exec_height = 0;
  Hash32 state_root{};
  uint64_t time_ms = 0;
  uint32_t proposer = 0;
  std::vector<Hash32> tx_ids;
  Bytes header;       // serialized BlockHeader, exactly as hashed
  Bytes certificate;  // the commit certificate, as stored
};

// GET /v1/proofs/{key}?height=h: everything needed to check a state value offline.
struct StateProof {
  Bytes key;                       // the record key asked for
  uint64_t height = 0;             // the state version proven
  Hash32 state_root{};
  std::optional<Bytes> value;      // absent: a proof of non-inclusion
  Bytes proof;                     // serialized sparse Merkle proof (format of ledger/state)
  Bytes header;                    // serialized BlockHeader carrying state_root
  Bytes certificate;               // commit certificate signing that header
  std::vector<Bytes> epoch_changes;  // validator-set changes since genesis, oldest first
};

class NodeApi {
 public:
  virtual ~NodeApi() = default;

  virtual NodeStatus status() = 0;
  // Decode, check and admit a transaction; call done once, from any thread. With wait, call it when
  // the transaction commits or the timeout passes (status pending then); never block the caller.
  virtual void submit_transaction(SubmitRequest request, std::function<void(SubmitResult)> done) = 0;
  // Decodes the transaction (the stateless checks of submit: a failure is the error) and dry-runs it
  // on the latest committed state (contracts/dry_run.h). Admits, stores and gossips nothing.
  virtual Result<CheckResult> check_transaction(const Bytes& tx) = 0;
  // Errc::not_found when the node knows nothing of the id.
  virtual Result<TxInfo> transaction(const Hash32& id) = 0;
  // An unknown key is not an error: nonce 0, no member.
  virtual Result<AccountInfo> account(const crypto::PublicKey& key) = 0;
  // Status is scoped to one root. With root: hash as a document of the batch registered under root
  // (only revocations under that root count); without: hash must itself be a registered root
  // (Errc::not_found otherwise). Revocations of hash under other roots go to other_root_claims.
  virtual Result<DocumentInfo> document(const Hash32& hash, const std::optional<Hash32>& root) = 0;
  // The history of the registered root `hash` (doc/<hash>: issue, revocations under it, supersede).
  virtual Result<HistoryPage> document_history(const Hash32& hash, HistoryPageRequest page) = 0;
  // The bill with the first page of its history.
  virtual Result<BillOfLading> bill_of_lading(const Hash32& id) = 0;
  virtual Result<HistoryPage> bill_history(const Hash32& id, HistoryPageRequest page) = 0;
  virtual Result<std::vector<MemberInfo>> members() = 0;
  // A current member, or the tombstone of a removed one (removed = true). Errc::not_found otherwise.
  virtual Result<MemberInfo> member(const std::string& id) = 0;
  // Errc::not_found above the committed height.
  virtual Result<BlockInfo> block(uint64_t height) = 0;
  // height absent: the latest certified state. Errc::not_found for a height not (or no longer) kept.
  virtual Result<StateProof> proof(const Bytes& key, std::optional<uint64_t> height) = 0;
};

}  // namespace docket::api
