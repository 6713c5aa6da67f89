// Offline proof bundles: everything needed to check what the ledger says about one wrapped document
// with no network, trusting only the genesis file.
//
// A bundle is JSON:
//   {"format": "docket-proof-bundle/3", "chain_id": "...", "target_hash": "<hex>", "merkle_root": "<hex>",
//    "height": h, "header": "<hex BlockHeader>", "certificate": "<hex QC>",
//    "epochs": ["<hex EpochChangeProof>", ...],
//    "entries": [{"key": "doc/<root>", "value": "<hex>" | null, "proof": "<hex>"}, ...],
//    "history": {"doc/<root>": ["<hex pb::HistoryEntry>", ...], "bl/<id>": [...]}}
// The bundle certifies one moment: one header (the exact BlockHeader bytes) and the quorum
// certificate on it, and every entry is a sparse Merkle proof of a record key's value (or absence)
// under that header's state root, the state of height h = header.exec_height. A bundle whose facts
// come from different heights cannot be expressed (format /2 could, and is refused): a revocation
// cannot be hidden by pairing an old proof of the document with a fresh proof of something else.
//
// `epochs` are the validator-set changes since genesis, oldest first, up to the header's epoch
// (the node's epoch chain, docs/formats.md "Epoch chain"; empty while the chain is in epoch 0).
//
// Verification (verify_bundle): genesis -> chain id and validator set of epoch 0; the epoch chain is
// walked from it (epoch_chain.h), each change certified by the previous set and its new set proven;
// the header decodes for that chain and the certificate is signed by a quorum of the validators of
// the header's epoch over the header's block id; each proof leads from its value to the header's
// state root. The records read (doc/<root>, rev/<h>/<root> for every h on the document's proof
// path, bl/<targetHash> and bl/<merkleRoot>, member/<issuer>) become LedgerFacts for the verifier's
// usual rules. `history` holds, for the document's root record and each bill record found, its
// history entries as stored; each list must hash to the head proven under "hist/<record key>"
// (contracts/history_chain.h), so the history shown is complete and unaltered as of height h.
// Every altered, missing or extra byte fails, with a reason.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "contracts/genesis.h"
#include "wallet/net/node_client.h"
#include "wallet/oa/integrity.h"
#include "wallet/oa/json.h"
#include "wallet/verify/ledger_facts.h"

namespace docket::wallet::proofs {

inline constexpr const char* kBundleFormat = "docket-proof-bundle/3";
inline constexpr size_t kMaxEntries = 160;  // 64 revocation keys + doc + members + bills, and their history heads
inline constexpr size_t kMaxHistoryEntries = 200000;  // in all: histories are complete, however long

struct Entry {
  std::string key;
  std::optional<Bytes> value;
  Bytes proof;
};

struct Bundle {
  std::string chain_id;
  Hash32 target_hash{};
  Hash32 merkle_root{};
  uint64_t height = 0;        // the state version every entry is proven at (header.exec_height)
  Bytes header;               // the one certified BlockHeader, exact bytes
  Bytes certificate;          // the quorum certificate on it
  std::vector<Bytes> epochs;  // serialized pb::EpochChangeProof of epochs 1, 2, ...
  std::vector<Entry> entries;
  std::map<std::string, std::vector<Bytes>> history;  // record key -> its history entries, oldest first
};

oa::Json bundle_to_json(const Bundle& b);
// Strict: unknown or missing fields, bad hex and too many entries are errors.
Result<Bundle> bundle_from_json(const oa::Json& j);

// Where a bundle's proofs come from: the node (export_bundle) or a local state tree (tests). Every
// answer is for the one height of the bundle being assembled.
class ProofSource {
 public:
  virtual ~ProofSource() = default;
  // The proof of record key (its value, or its absence) under the bundle's state root.
  virtual Result<Entry> prove(const std::string& key) = 0;
  // The first `count` history entries of record_key, oldest first, exactly as stored.
  virtual Result<std::vector<Bytes>> history(const std::string& record_key, uint64_t count) = 0;
};

// Fills b.entries and b.history with every proof a verifier of this document reads: doc/<root>; if
// present, rev/<h>/<root> for each h on the proof path; bl/<targetHash> and bl/<merkleRoot>; the
// member records of the document's issuer and of each bill's carrier; the history heads and
// histories of the root record and each bill record found. b's other fields are left as given.
Status assemble_bundle(ProofSource& source, const oa::Integrity& integrity, Bundle& b);

struct ExportOptions {
  // The bundle must certify a state at least this high (e.g. the node's committed height when the
  // export starts, which covers everything the wallet has just been told was committed).
  uint64_t min_height = 0;
  // How long to wait for the node to certify such a state; Errc::unavailable after that.
  uint64_t wait_ms = 30000;
};

// Fetches from the node (GET /v1/proofs/{key}?height=h) the proofs of the document's keys, of its
// issuer's member record and of the history heads, all at one certified height h >= min_height,
// into a bundle. The node is not trusted here: verify_bundle checks everything.
Result<Bundle> export_bundle(net::NodeClient& node, const std::string& chain_id, const oa::Integrity& integrity,
                             const ExportOptions& options = {});

// Checks the bundle against the genesis and the document, and returns the proven facts.
// Errc::invalid_argument with the reason for anything that does not verify.
Result<verify::LedgerFacts> verify_bundle(const Bundle& bundle, const contracts::Genesis& genesis,
                                          const oa::Json& wrapped, const oa::Integrity& integrity);

}  // namespace docket::wallet::proofs
