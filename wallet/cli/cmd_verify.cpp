// docket verify: integrity offline, then status, issuer and history from the node.
#include <iostream>

#include "wallet/cli/common.h"
#include "wallet/net/node_client.h"
#include "wallet/oa/js_format.h"
#include "wallet/verify/verifier.h"

namespace docket::wallet::cli {
namespace {

struct VerifyArgs {
  std::string input;
  bool json = false;
  bool offline = false;
  NodeOptions node;
};

void run_verify(const VerifyArgs& a) {
  auto doc = take(oa::parse_json_file(a.input));
  auto integrity = take(oa::check_integrity(doc), a.input);
  verify::Report report;
  if (a.offline || !integrity.valid) {
    report = verify::verify_document(doc, integrity, nullptr);
    if (a.offline && integrity.valid) report.reasons = {"status not checked (--offline)"};
  } else {
    auto node = take(net::NodeClient::connect(a.node.url));
    report = verify::verify_document(doc, integrity, &node);
  }
  if (a.json) {
    std::cout << oa::js_stringify_pretty(verify::report_to_json(report)) << "\n";
  } else {
    std::cout << report_to_text(report);
  }
  if (report.valid) return;
  if (!integrity.valid) fail(kNotValid, "");
  if (report.unreachable) fail(kUnreachable, "");
  if (a.offline) return;  // integrity holds and nothing else was asked for
  fail(kNotValid, "");
}

}  // namespace

void register_verify_command(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand("verify", "Verify a wrapped document: integrity, ledger status, issuer, history");
  cmd->add_option("document", args->input, "Wrapped document (OpenAttestation v2)")->required();
  cmd->add_flag("--json", args->json, "Print a JSON report");
  cmd->add_flag("--offline", args->offline, "Check integrity only; do not ask a node (exit 0 if intact)");
  add_node_option(*cmd, args->node);
  cmd->callback([args] { run_verify(*args); });
}

}  // namespace docket::wallet::cli
