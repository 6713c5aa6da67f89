// docket verify: integrity offline, then status, issuer and history from the node, or from a proof
// bundle checked against the genesis (--bundle, --genesis) with no network at all.
#include <iostream>

#include "wallet/cli/common.h"
#include "wallet/net/node_client.h"
#include "wallet/oa/js_format.h"
#include "wallet/proofs/bundle.h"
#include "wallet/verify/verifier.h"

namespace docket::wallet::cli {
namespace {

struct VerifyArgs {
  std::string input;
  bool json = false;
  bool offline = false;
  std::string bundle, genesis;
  NodeOptions node;
};

void run_verify(const VerifyArgs& a) {
  auto doc = take(oa::parse_json_file(a.input));
  auto integrity = take(oa::check_integrity(doc), a.input);
  verify::Report report;
  if (!a.bundle.empty() && integrity.valid) {
    // Trust only the genesis: the bundle's every byte is checked against it.
    auto genesis_text = take(oa::read_text_file(a.genesis));
    auto genesis = take(contracts::parse_genesis(genesis_text), a.genesis);
    auto bundle_json = take(oa::parse_json_file(a.bundle));
    auto bundle = take(proofs::bundle_from_json(bundle_json), a.bundle);
    auto facts = proofs::verify_bundle(bundle, genesis, doc, integrity);
    if (facts.ok()) {
      report = verify::verify_document(doc, integrity, &*facts);
    } else {
      report = verify::verify_document(doc, integrity, nullptr);
      report.status = "unproven";
      report.reasons = {"the proof bundle does not verify: " + facts.error().message};
    }
  } else if (a.offline || !integrity.valid) {
    report = verify::verify_document(doc, integrity, nullptr);
    if (a.offline && integrity.valid) report.reasons = {"status not checked (--offline)"};
  } else {
    auto node = take(net::NodeClient::connect(a.node.url));
    report = verify::verify_online(doc, integrity, node);
    if (report.facts) report.facts->source = "node " + node.url();
  }
  if (a.json) {
    std::cout << oa::js_stringify_pretty(verify::report_to_json(report)) << "\n";
  } else {
    std::cout << report_to_text(report);
  }
  if (report.valid) return;
  if (!integrity.valid) fail(kNotValid, "");
  if (report.unreachable) fail(kUnreachable, "");
  if (a.offline && a.bundle.empty()) return;  // integrity holds and nothing else was asked for
  fail(kNotValid, "");
}

}  // namespace

void register_verify_command(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand("verify", "Verify a wrapped document: integrity, ledger status, issuer, history");
  cmd->add_option("document", args->input, "Wrapped document (OpenAttestation v2)")->required();
  cmd->add_flag("--json", args->json, "Print a JSON report");
  cmd->add_flag("--offline", args->offline, "Check integrity only; do not ask a node (exit 0 if intact)");
  auto* bundle = cmd->add_option("--bundle", args->bundle, "Verify offline with this proof bundle (docket proof export)");
  auto* genesis = cmd->add_option("--genesis", args->genesis, "The chain's genesis.json: the only thing --bundle trusts");
  bundle->needs(genesis);
  genesis->needs(bundle);
  add_node_option(*cmd, args->node);
  cmd->callback([args] { run_verify(*args); });
}

}  // namespace docket::wallet::cli
