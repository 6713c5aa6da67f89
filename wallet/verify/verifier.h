// Full verification of a wrapped document: integrity (offline), then the ledger's facts about it
// (from the node or from a checked proof bundle, see ledger_facts.h):
// - a certificate (any non-bill document type): doc/<root> exists and is issued, not superseded, and
//   no hash on the document's proof path is revoked under the root; the ledger's document type
//   matches the document's; the issuer is a member (its organisation and country are reported).
// - a bill of lading: bl/<targetHash or root> exists and is active (owner and holder reported), issued
//   by a member with role carrier; if the root is also registered as a document, that must hold too.
// Produces a report for human or --json output. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "wallet/oa/integrity.h"
#include "wallet/oa/json.h"
#include "wallet/verify/ledger_facts.h"

namespace docket::wallet::verify {

struct Report {
  oa::Integrity integrity;
  bool valid = false;
  bool unreachable = false;            // the ledger could not be asked (exit code 3)
  std::string status = "not_checked";  // not_checked | issued | unknown | revoked | superseded |
                                       // active | surrendered | accomplished (bills)
  std::vector<std::string> reasons;    // why not valid (or why status was not checked)
  std::vector<std::string> warnings;   // worth a look, but not a reason to reject
  std::string document_type;           // as the ledger records it, else as the document says
  std::optional<LedgerFacts> facts;    // what the ledger said (absent when not asked)
};

// facts null: integrity only, status "not_checked", valid false with a reason.
Report verify_document(const oa::Json& wrapped, const oa::Integrity& integrity, const LedgerFacts* facts);

// Asks the node (gather_online) and decides; an unreachable node gives unreachable = true.
Report verify_online(const oa::Json& wrapped, const oa::Integrity& integrity, net::LedgerLookup& lookup);

// One line for an API history event: "block 42  2024-03-14 09:00:00 UTC  issued  by chamber  k=v ...".
std::string history_line(const oa::Json& event);

// Report as a JSON object: valid, integrity, status, issuer, history, document_type, reasons, ...
oa::Json report_to_json(const Report& r);
// Human-readable report; first line "VALID" or "NOT VALID: <reason>".
std::string report_to_text(const Report& r);

}  // namespace docket::wallet::verify
