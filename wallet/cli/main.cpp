// docket: the wallet and verifier CLI. See docs/wallet.md.
#include <cstdio>
#include <iostream>

#include "wallet/cli/common.h"

int main(int argc, char** argv) {
  using namespace docket::wallet::cli;
  CLI::App app{"docket: wrap, issue and verify trade documents on a Docket ledger"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");
  register_document_commands(app);
  register_verify_command(app);
  register_key_commands(app);
  register_ledger_commands(app);
  register_member_commands(app);
  register_proof_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kUsage;
  } catch (const ExitError& e) {
    if (!e.message.empty()) std::cerr << "docket: " << e.message << "\n";
    return e.code;
  }
  return kValid;
}
