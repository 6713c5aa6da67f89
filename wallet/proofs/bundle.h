// Offline proof bundles: everything needed to check what the ledger says about one wrapped document
// with no network, trusting only the genesis file.
//
// A bundle is JSON:
//   {"format": "docket-proof-bundle/3", "chain_id": "...", "target_hash": "<hex>", "merkle_root": "<hex>",
//    "epochs": ["<hex EpochChangeProof>", ...],
//    "entries": [{"key": "doc/<root>", "value": "<hex>" | null, "proof": "<hex>", "header": "<hex>",
//                 "certificate": "<hex>"}, ...],
//    "history": {"doc/<root>": ["<hex pb::HistoryEntry>", ...], "bl/<id>": [...], "rev/<h>/<root>": [...]}}
// Each entry is one answer of GET /v1/proofs/{key}: a sparse Merkle proof of the record key's value
// (or absence), the exact BlockHeader bytes carrying the state root, and the quorum certificate on
// that header. Nothing else is trusted: heights and roots are read from the certified header.
//
// `epochs` are the validator-set changes since genesis, oldest first, up to the entries' latest
// epoch (the node's epoch chain, docs/formats.md "Epoch chain"; empty while the chain is in epoch 0).
//
// Verification (verify_bundle): genesis -> chain id and validator set of epoch 0; the epoch chain is
// walked from it (epoch_chain.h), each change certified by the previous set and its new set proven;
// per entry, the header decodes for that chain, the certificate is signed by a quorum of the
// validators of the header's epoch over the header's block id (tagged hash of the exact header
// bytes), the proof leads from the value to header.state_root; then the records (doc/<root>,
// rev/<h>/<root> for every h on the document's proof path, member/<issuer>, bl/<targetHash>) become
// LedgerFacts for the verifier's usual rules. `history` holds, for every record found, its history
// entries as stored; each list must hash to the head proven under "hist/<record key>"
// (contracts/history_chain.h), so the history shown is complete and unaltered as of that state.
// Every altered byte fails, with a reason.
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
inline constexpr size_t kMaxEntries = 160;  // 64 revocation keys + doc + member + bill, and their history heads
inline constexpr size_t kMaxHistoryEntries = 4096;  // in all

struct Entry {
  std::string key;
  std::optional<Bytes> value;
  Bytes proof;
  Bytes header;
  Bytes certificate;
};

struct Bundle {
  std::string chain_id;
  Hash32 target_hash{};
  Hash32 merkle_root{};
  std::vector<Bytes> epochs;  // serialized pb::EpochChangeProof of epochs 1, 2, ...
  std::vector<Entry> entries;
  std::map<std::string, std::vector<Bytes>> history;  // record key -> its history entries, oldest first
};

oa::Json bundle_to_json(const Bundle& b);
// Strict: unknown or missing fields, bad hex and too many entries are errors.
Result<Bundle> bundle_from_json(const oa::Json& j);

// The record keys a verifier reads for a document (the issuer's member key comes after doc/<root>).
std::vector<std::string> document_keys(const oa::Integrity& integrity);

// Fetches the proofs of the document's keys from the node (GET /v1/proofs/{key}), and of the issuer's
// member record, into a bundle. The node is not trusted here: verify_bundle checks everything.
Result<Bundle> export_bundle(net::NodeClient& node, const std::string& chain_id, const oa::Integrity& integrity);

// Checks the bundle against the genesis and the document, and returns the proven facts.
// Errc::invalid_argument with the reason for anything that does not verify.
Result<verify::LedgerFacts> verify_bundle(const Bundle& bundle, const contracts::Genesis& genesis,
                                          const oa::Json& wrapped, const oa::Integrity& integrity);

}  // namespace docket::wallet::proofs
