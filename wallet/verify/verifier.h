// Full verification of a wrapped document: integrity (offline), then what the ledger says about it:
// the merkleRoot must be issued (not revoked, not superseded), no hash on the document's proof path
// may be revoked, the ledger's document type must match the document's, an issuer must be recorded,
// and a bill of lading must be active. Produces a report for human or --json output.
#pragma once

#include <string>
#include <vector>

#include "wallet/net/node_client.h"
#include "wallet/oa/integrity.h"
#include "wallet/oa/json.h"

namespace docket::wallet::verify {

struct Report {
  oa::Integrity integrity;
  bool valid = false;
  bool unreachable = false;       // the ledger could not be asked (exit code 3)
  std::string status = "not_checked";  // not_checked | issued | unknown | revoked | superseded
  std::vector<std::string> reasons;    // why not valid (or why status was not checked)
  std::vector<std::string> warnings;   // worth a look, but not a reason to reject
  std::string document_type;           // as the ledger records it, else as the document says
  oa::Json record;                     // the ledger's document record (null when not checked)
  oa::Json bill_of_lading;             // the ledger's record of the bill (null unless one)
};

// lookup may be null: integrity only, status "not_checked", valid false with a reason.
Report verify_document(const oa::Json& wrapped, const oa::Integrity& integrity, net::LedgerLookup* lookup);

// Hashes on the path from the targetHash to the merkleRoot (targetHash first, root excluded): any of
// them revoked revokes the document, as in OpenAttestation's document store.
std::vector<Hash32> proof_path(const oa::Integrity& integrity);

// Report as a JSON object: valid, integrity, status, issuer, history, document_type, reasons, ...
oa::Json report_to_json(const Report& r);
// Human-readable report; first line "VALID" or "NOT VALID: <reason>".
std::string report_to_text(const Report& r);

}  // namespace docket::wallet::verify
