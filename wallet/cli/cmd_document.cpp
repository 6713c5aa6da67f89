// docket wrap, docket obfuscate: OpenAttestation v2 documents, offline.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include "wallet/cli/common.h"
#include "wallet/oa/js_format.h"
#include "wallet/oa/obfuscate.h"
#include "wallet/oa/wrap.h"
#include "wallet/schema/builtin_schemas.h"
#include "wallet/schema/validator.h"

namespace docket::wallet::cli {
namespace fs = std::filesystem;
namespace {

// A directory argument stands for the *.json files in it, in name order (as the OpenAttestation CLI).
std::vector<std::string> expand_inputs(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& a : args) {
    std::error_code ec;
    if (fs::is_directory(a, ec)) {
      std::vector<std::string> files;
      for (const auto& e : fs::directory_iterator(a, ec))
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
      if (ec) fail(kUsage, a + ": " + ec.message());
      std::sort(files.begin(), files.end());
      if (files.empty()) fail(kUsage, a + ": no .json files in this directory");
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.push_back(a);
    }
  }
  return out;
}

void check_schema(const std::string& which, const std::vector<std::string>& paths, const std::vector<oa::Json>& docs) {
  auto text = schema::builtin_schema(which);
  if (text.empty()) fail(kUsage, "--schema must be coo (certificate of origin) or bl (bill of lading)");
  auto parsed = oa::parse_json(text);
  DOCKET_ASSERT_MSG(parsed.ok(), "built-in schema does not parse");
  bool bad = false;
  for (size_t i = 0; i < docs.size(); ++i) {
    for (const auto& p : schema::validate(*parsed, docs[i])) {
      std::cerr << paths[i] << ": " << p.to_string() << "\n";
      bad = true;
    }
  }
  if (bad) fail(kUsage, "documents do not match the " + which + " schema; nothing was wrapped");
}

struct WrapArgs {
  std::vector<std::string> inputs;
  std::string out_dir;
  std::string schema;
};

void run_wrap(const WrapArgs& a) {
  auto paths = expand_inputs(a.inputs);
  if (paths.size() > 1 && a.out_dir.empty()) fail(kUsage, "wrapping several documents needs --out DIR");
  std::vector<oa::Json> docs;
  docs.reserve(paths.size());
  for (const auto& p : paths) docs.push_back(take(oa::parse_json_file(p)));
  if (!a.schema.empty()) check_schema(a.schema, paths, docs);
  oa::SaltSource salts;
  auto wrapped = take(oa::wrap_documents(docs, salts, paths));
  if (a.out_dir.empty()) {
    std::cout << oa::js_stringify_pretty(wrapped[0]) << "\n";
    return;
  }
  // A wrapped document holds the only copy of its salts: once its root is issued, losing the file
  // loses the document. So nothing is overwritten, and two inputs may not share a file name.
  std::vector<std::string> dests;
  std::set<std::string> seen;
  for (const auto& p : paths) {
    dests.push_back((fs::path(a.out_dir) / fs::path(p).filename()).string());
    if (!seen.insert(dests.back()).second) fail(kUsage, "two inputs would both be written to " + dests.back());
    std::error_code exists_ec;
    if (fs::exists(dests.back(), exists_ec))
      fail(kUsage, dests.back() + " exists; docket does not overwrite wrapped documents (choose another --out)");
  }
  std::error_code ec;
  fs::create_directories(a.out_dir, ec);
  if (ec) fail(kUsage, a.out_dir + ": " + ec.message());
  for (size_t i = 0; i < paths.size(); ++i)
    check(write_file(dests[i], oa::js_stringify_pretty(wrapped[i]) + "\n", 0644, false));
  // The salts exist only in these files: make them durable before reporting the merkleRoot.
  check(sync_directory(a.out_dir));
  std::cout << "wrapped " << paths.size() << " document" << (paths.size() == 1 ? "" : "s") << " into " << a.out_dir
            << "\nmerkleRoot " << wrapped[0]["signature"]["merkleRoot"].get<std::string>() << "\n";
}

struct ObfuscateArgs {
  std::string input;
  std::vector<std::string> fields;
  std::string out;
};

void run_obfuscate(const ObfuscateArgs& a) {
  auto doc = take(oa::parse_json_file(a.input));
  auto result = take(oa::obfuscate_fields(doc, a.fields), a.input);
  std::string text = oa::js_stringify_pretty(result) + "\n";
  if (a.out.empty()) {
    std::cout << text;
  } else {
    check(write_file(a.out, text));
  }
}

}  // namespace

void register_document_commands(CLI::App& app) {
  auto wrap_args = std::make_shared<WrapArgs>();
  auto* wrap = app.add_subcommand("wrap", "Wrap documents as OpenAttestation v2 (one batch, one merkleRoot)");
  wrap->add_option("documents", wrap_args->inputs, "Raw JSON documents, or directories of them")->required();
  wrap->add_option("--out,-o", wrap_args->out_dir, "Directory for the wrapped documents (default: stdout, one document)");
  wrap->add_option("--schema", wrap_args->schema, "Check each document first: coo (certificate of origin) or bl (bill of lading)")
      ->check(CLI::IsMember({"coo", "bl"}));
  wrap->callback([wrap_args] { run_wrap(*wrap_args); });

  auto ob_args = std::make_shared<ObfuscateArgs>();
  auto* ob = app.add_subcommand("obfuscate", "Hide fields of a wrapped document; it still verifies");
  ob->add_option("document", ob_args->input, "Wrapped document")->required();
  ob->add_option("--field,-f", ob_args->fields, "Dot path of a field to hide, e.g. consignee.address (repeatable)")
      ->required();
  ob->add_option("--out,-o", ob_args->out, "Output file (default: stdout)");
  ob->callback([ob_args] { run_obfuscate(*ob_args); });
}

}  // namespace docket::wallet::cli
