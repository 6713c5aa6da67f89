// docket proof export: fetches from the node the state proofs, certified headers and certificates
// that let `docket verify --bundle --genesis` check a document with no network (wallet/proofs).
#include <iostream>

#include "wallet/cli/common.h"
#include "wallet/net/node_client.h"
#include "wallet/oa/js_format.h"
#include "wallet/proofs/bundle.h"

namespace docket::wallet::cli {

void register_proof_commands(CLI::App& app) {
  auto* proof = app.add_subcommand("proof", "Offline proof bundles");
  proof->require_subcommand(1);
  struct A { NodeOptions node; std::string target, out; uint64_t wait_s = 30; };
  auto a = std::make_shared<A>();
  auto* c = proof->add_subcommand("export", "Write a proof bundle for a document, verifiable offline against the genesis");
  c->add_option("document", a->target, "Wrapped document, or the merkleRoot in hex of a document wrapped alone")->required();
  c->add_option("--out", a->out, "Bundle file to write")->required();
  c->add_option("--wait", a->wait_s,
                "Seconds to wait for the node to certify a state covering its committed height when the export starts "
                "(everything just reported committed); past that, nothing is written")
      ->capture_default_str();
  add_node_option(*c, a->node);
  c->callback([a] {
    oa::Integrity integ;
    if (auto h = hash_from_hex(a->target); (a->target.size() == 64 || a->target.size() == 66) && h.ok()) {
      integ.valid = true;
      integ.target_hash = integ.merkle_root = *h;
    } else {
      auto doc = take(oa::parse_json_file(a->target));
      integ = take(oa::check_integrity(doc), a->target);
      if (!integ.valid) fail(kNotValid, a->target + ": " + integ.reason);
    }
    auto node = take(net::NodeClient::connect(a->node.url));
    auto status = take(node.status());
    if (!status.contains("chain_id") || !status["chain_id"].is_string()) fail(kUsage, "the node's /v1/status has no chain_id");
    if (!status.contains("height") || !status["height"].is_number() || status["height"].get<double>() < 0)
      fail(kUsage, "the node's /v1/status has no height");
    // Everything the node has committed so far (so everything the wallet was just told is
    // committed) must be in the certified state the bundle proves: never a bundle that says
    // "never issued" right after "committed in block N".
    proofs::ExportOptions opts;
    opts.min_height = static_cast<uint64_t>(status["height"].get<double>());
    opts.wait_ms = a->wait_s * 1000;
    auto bundle = take(proofs::export_bundle(node, status["chain_id"].get<std::string>(), integ, opts), "proof export");
    check(write_file(a->out, oa::js_stringify_pretty(proofs::bundle_to_json(bundle)) + "\n"), a->out);
    std::cout << "proof bundle " << a->out << ": " << bundle.entries.size() << " state proofs for root "
              << to_hex(integ.merkle_root) << ", all certified at height " << bundle.height << " (verify with: docket verify DOCUMENT --bundle " << a->out
              << " --genesis genesis.json)\n";
  });
}

}  // namespace docket::wallet::cli
