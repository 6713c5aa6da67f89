// Shared pieces of the docket CLI: exit codes, output, file writing. Each command lives in its own
// cmd_*.cpp and registers itself on the CLI11 app through a register_* function declared here.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "ledger/common/result.h"
#include "wallet/oa/json.h"

namespace docket::wallet::cli {

// Exit codes, as docs/wallet.md documents them.
enum Exit : int {
  kValid = 0,        // success; for verify: the document is valid
  kNotValid = 1,     // verify: tampered, unknown, revoked, superseded or wrong issuer
  kUsage = 2,        // usage or input error (bad arguments, unreadable or malformed file)
  kUnreachable = 3,  // the node cannot be reached
};

// Thrown by command callbacks to leave with a code; main() prints the message and exits.
struct ExitError {
  int code;
  std::string message;
};

[[noreturn]] void fail(int code, const std::string& message);
// Fails with kUsage (or kUnreachable for Errc::unavailable) when r holds an error.
void check(const Status& s, const std::string& context = {});
template <typename T>
T take(Result<T> r, const std::string& context = {}) {
  if (!r.ok()) check(Status(r.error()), context);
  return std::move(r).value();
}

// Writes text to path atomically (temp file + rename), with the given mode. sync: fsync the file
// before the rename; callers writing many files pass false and call sync_directory once at the end.
Status write_file(const std::string& path, const std::string& text, unsigned mode = 0644, bool sync = true);
// Flushes everything written to the file system holding dir (one syncfs instead of an fsync per file).
Status sync_directory(const std::string& dir);

// Options every network command shares.
struct NodeOptions {
  std::string url;  // --node, $DOCKET_NODE, default http://127.0.0.1:26657
};
void add_node_option(CLI::App& cmd, NodeOptions& opts);

void register_document_commands(CLI::App& app);  // wrap, obfuscate
void register_verify_command(CLI::App& app);     // verify
void register_key_commands(CLI::App& app);       // keys ...
void register_ledger_commands(CLI::App& app);    // status, issue, revoke, supersede, bl, history
void register_member_commands(CLI::App& app);    // member list|propose|vote
void register_proof_commands(CLI::App& app);     // proof export

}  // namespace docket::wallet::cli
