// Commands that write to or read from the ledger through the node's HTTP API:
// status, issue, revoke, supersede, bl ..., history (members and governance: cmd_governance.cpp).
#include <algorithm>
#include <iostream>

#include "wallet/cli/common.h"
#include "wallet/cli/tx_submit.h"
#include "wallet/keys/keystore.h"
#include "wallet/keys/passphrase.h"
#include "wallet/net/node_client.h"
#include "wallet/oa/integrity.h"
#include "wallet/oa/js_format.h"
#include "wallet/oa/salt.h"
#include "wallet/tx/tx_builder.h"
#include "wallet/verify/verifier.h"

namespace docket::wallet::cli {
namespace {

// A hash given as 64 hex digits, or read from a wrapped document (targetHash or merkleRoot).
Hash32 hash_or_document(const std::string& arg, bool want_root) {
  if (arg.size() == 64 || (arg.size() == 66 && arg.rfind("0x", 0) == 0))
    if (auto h = hash_from_hex(arg); h.ok()) return *h;
  auto doc = take(oa::parse_json_file(arg));
  auto integ = take(oa::check_integrity(doc), arg);
  if (!integ.valid) fail(kNotValid, arg + ": " + integ.reason);
  return want_root ? integ.merkle_root : integ.target_hash;
}

std::string document_type_of(const oa::Json& doc) {
  if (!doc.contains("data") || !doc["data"].is_object() || !doc["data"].contains("documentType")) return {};
  auto v = oa::unsalt_value(doc["data"]["documentType"]);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// --public NAME=VALUE options -> the public fields of an issue (checked here as the contracts will,
// so a typo is a usage error before anything is signed).
void add_public_option(CLI::App* c, std::vector<std::string>& out) {
  c->add_option("--public", out,
                "A field disclosed on the ledger with the record, NAME=VALUE (NAME: a-z, 0-9, _; repeatable, at most 16)");
}

tx::PublicFields parse_public_fields(const std::vector<std::string>& args) {
  tx::PublicFields fields;
  if (args.size() > 16) fail(kUsage, "at most 16 --public fields");
  for (const auto& arg : args) {
    auto eq = arg.find('=');
    if (eq == std::string::npos) fail(kUsage, "--public \"" + arg + "\" is not NAME=VALUE");
    std::string name = arg.substr(0, eq), value = arg.substr(eq + 1);
    auto ok_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; };
    if (name.empty() || name.size() > 64 || !std::all_of(name.begin(), name.end(), ok_char))
      fail(kUsage, "--public name \"" + name + "\" must be 1..64 characters of a-z, 0-9, _");
    if (value.size() > 256) fail(kUsage, "--public " + name + ": the value is longer than 256 bytes");
    if (!fields.emplace(name, value).second) fail(kUsage, "--public " + name + " given twice");
  }
  return fields;
}

// One "name  value" line per field the node set (nulls and lists left out).
void print_record(const oa::Json& rec) {
  for (const auto& [k, v] : rec.items()) {
    if (v.is_null() || v.is_array() || (v.is_object() && v.empty())) continue;
    std::string text = v.is_string() ? v.get<std::string>() : oa::js_stringify(v);
    std::cout << k << std::string(k.size() < 16 ? 16 - k.size() : 1, ' ') << text << "\n";
  }
}

void register_documents(CLI::App& app) {
  {
    struct A { TxArgs tx; std::vector<std::string> docs; std::string type; std::vector<std::string> fields; };
    auto a = std::make_shared<A>();
    auto* c = app.add_subcommand("issue", "Register the merkleRoot of a wrapped batch on the ledger");
    c->add_option("documents", a->docs, "Wrapped documents of one batch")->required();
    c->add_option("--type", a->type, "Document type (default: the documents' documentType field)");
    add_public_option(c, a->fields);
    add_tx_options(c, a->tx);
    c->callback([a] {
      auto fields = parse_public_fields(a->fields);
      std::optional<Hash32> root;
      std::string type = a->type;
      for (const auto& path : a->docs) {
        auto doc = take(oa::parse_json_file(path));
        auto integ = take(oa::check_integrity(doc), path);
        if (!integ.valid) fail(kNotValid, path + ": refusing to issue a document that fails integrity: " + integ.reason);
        if (root && *root != integ.merkle_root) fail(kUsage, path + ": belongs to another batch (other merkleRoot)");
        root = integ.merkle_root;
        std::string t = document_type_of(doc);
        if (type.empty()) type = t;
        if (!t.empty() && t != type) fail(kUsage, path + ": documentType \"" + t + "\" differs from \"" + type + "\"");
      }
      if (type.empty()) fail(kUsage, "the documents have no documentType; give --type");
      submit(a->tx, tx::document_issue(*root, type, fields), "issued " + type + " batch " + to_hex(*root));
    });
  }
  {
    struct A { TxArgs tx; std::string target, reason = "other", note; bool batch = false; };
    auto a = std::make_shared<A>();
    auto* c = app.add_subcommand("revoke", "Revoke a document (its targetHash, under its merkleRoot) or a whole batch (--batch)");
    c->add_option("target", a->target, "Wrapped document, or a merkleRoot in hex (revokes that whole batch)")->required();
    c->add_option("--reason", a->reason, "issued-in-error | fraud | cancelled | replaced | other (default other)");
    c->add_option("--note", a->note, "A note recorded with the revocation (at most 256 bytes)");
    c->add_flag("--batch", a->batch, "Revoke the document's whole batch (its merkleRoot)");
    add_tx_options(c, a->tx);
    c->callback([a] {
      auto reason = tx::revocation_reason_from_name(a->reason);
      if (!reason) fail(kUsage, "unknown --reason \"" + a->reason + "\"");
      if (a->note.size() > 256) fail(kUsage, "--note is longer than 256 bytes");
      Hash32 root{}, hash{};
      std::vector<Hash32> proof;
      if (auto h = hash_from_hex(a->target); (a->target.size() == 64 || a->target.size() == 66) && h.ok()) {
        root = hash = *h;  // a bare hash can only be a root: a document's proof comes from the document
      } else {
        auto doc = take(oa::parse_json_file(a->target));
        auto integ = take(oa::check_integrity(doc), a->target);
        if (!integ.valid) fail(kNotValid, a->target + ": " + integ.reason);
        root = integ.merkle_root;
        hash = a->batch ? integ.merkle_root : integ.target_hash;
        if (!a->batch) proof = integ.proof;
      }
      submit(a->tx, tx::document_revoke(root, hash, proof, *reason, a->note),
             "revoked " + to_hex(hash) + (hash == root ? std::string() : " under root " + to_hex(root)));
    });
  }
  {
    struct A { TxArgs tx; std::string old_doc, new_doc; std::vector<std::string> fields; };
    auto a = std::make_shared<A>();
    auto* c = app.add_subcommand("supersede", "Replace an issued batch by a new one (an amended document); the type is inherited");
    c->add_option("old", a->old_doc, "The superseded wrapped document, or its merkleRoot in hex")->required();
    c->add_option("new", a->new_doc, "The new wrapped document, or its merkleRoot in hex")->required();
    add_public_option(c, a->fields);
    add_tx_options(c, a->tx);
    c->callback([a] {
      auto fields = parse_public_fields(a->fields);
      Hash32 old_root = hash_or_document(a->old_doc, true);
      Hash32 new_root = hash_or_document(a->new_doc, true);
      submit(a->tx, tx::document_supersede(old_root, new_root, fields), "superseded " + to_hex(old_root) + " by " + to_hex(new_root));
    });
  }
  {
    struct A { NodeOptions node; std::string target; bool json = false; };
    auto a = std::make_shared<A>();
    auto* c = app.add_subcommand("history", "Show the ledger's record and history of a document (its merkleRoot) or hash");
    c->add_option("target", a->target, "Wrapped document (its merkleRoot), or a hash in hex")->required();
    c->add_flag("--json", a->json, "Print the node's JSON");
    add_node_option(*c, a->node);
    c->callback([a] {
      Hash32 h = hash_or_document(a->target, true);
      auto client = take(net::NodeClient::connect(a->node.url));
      auto rec = take(client.document(to_hex(h)));
      if (!rec) fail(kNotValid, to_hex(h) + " is not a root registered on the ledger (a document of a batch: pass the wrapped document)");
      auto events = take(client.document_history(to_hex(h)));
      if (a->json) {
        oa::Json out = *rec;
        out["history"] = events ? *events : oa::Json::array();
        print_json(out);
        return;
      }
      print_record(*rec);
      std::cout << "history\n";
      if (events)
        for (const auto& e : *events) std::cout << "  " << verify::history_line(e) << "\n";
      // Root-scoped (docs/api.md): revocations of this hash under other roots are other members'
      // claims about their own batches, listed apart and never part of this record's status.
      if (rec->contains("other_root_claims") && (*rec)["other_root_claims"].is_array() && !(*rec)["other_root_claims"].empty()) {
        std::cout << "claims by other members under other roots (not this document's status)\n";
        for (const auto& c : (*rec)["other_root_claims"]) {
          if (!c.is_object()) continue;
          std::cout << "  block " << oa::js_stringify(c.value("height", oa::Json(0))) << "  revoked under root "
                    << c.value("merkle_root", std::string()) << "  by " << c.value("issuer_member", std::string()) << "\n";
        }
      }
    });
  }
}

std::optional<pb::BlType> bl_type_from_name(const std::string& name) {
  if (name == "negotiable") return pb::BL_NEGOTIABLE;
  if (name == "straight") return pb::BL_STRAIGHT;
  if (name == "sea-waybill") return pb::BL_SEA_WAYBILL;
  return std::nullopt;
}

// DCSA eBL: transportDocumentTypeCode SWB is a sea waybill; a BOL is negotiable when isToOrder.
std::optional<pb::BlType> bl_type_of(const oa::Json& doc) {
  const oa::Json& data = doc["data"];
  if (!data.is_object() || !data.contains("transportDocumentTypeCode")) return std::nullopt;
  auto code = oa::unsalt_value(data["transportDocumentTypeCode"]);
  if (code == "SWB") return pb::BL_SEA_WAYBILL;
  if (code != "BOL") return std::nullopt;
  bool to_order = data.contains("isToOrder") && oa::unsalt_value(data["isToOrder"]) == true;
  return to_order ? pb::BL_NEGOTIABLE : pb::BL_STRAIGHT;
}

void register_bl(CLI::App& app) {
  auto* bl = app.add_subcommand("bl", "Transferable bills of lading (title escrow: owner and holder, by member id)");
  bl->require_subcommand(1);
  {
    struct A { TxArgs tx; std::string doc, owner, holder, type; std::vector<std::string> fields; };
    auto a = std::make_shared<A>();
    auto* c = bl->add_subcommand("issue", "Create the ledger record of an issued bill of lading (carrier)");
    c->add_option("document", a->doc, "Wrapped bill of lading")->required();
    c->add_option("--owner", a->owner, "Owner (beneficiary): member id with role trader")->required();
    c->add_option("--holder", a->holder, "Holder: member id with role trader")->required();
    c->add_option("--bl-type", a->type,
                  "negotiable | straight | sea-waybill (default: from transportDocumentTypeCode and isToOrder)");
    add_public_option(c, a->fields);
    add_tx_options(c, a->tx);
    c->callback([a] {
      auto fields = parse_public_fields(a->fields);
      auto doc = take(oa::parse_json_file(a->doc));
      auto integ = take(oa::check_integrity(doc), a->doc);
      if (!integ.valid) fail(kNotValid, a->doc + ": " + integ.reason);
      auto type = a->type.empty() ? bl_type_of(doc) : bl_type_from_name(a->type);
      if (!type) fail(kUsage, a->type.empty() ? "cannot tell the kind of bill from the document; give --bl-type" : "unknown --bl-type \"" + a->type + "\"");
      submit(a->tx, tx::bl_issue(integ.target_hash, *type, member_id(a->owner, "--owner"), member_id(a->holder, "--holder"), fields),
             "bill of lading " + to_hex(integ.target_hash) + " issued to owner " + a->owner + ", holder " + a->holder);
    });
  }
  for (const std::string& name : tx::bl_action_names()) {
    struct A { TxArgs tx; std::string record, new_owner, new_holder, remark, name; pb::BlActionKind kind{}; };
    auto a = std::make_shared<A>();
    a->name = name;
    a->kind = *tx::bl_action_from_name(name);
    auto* c = bl->add_subcommand(name, "Bill of lading action: " + name);
    c->add_option("record", a->record, "Wrapped bill of lading (its targetHash), or the record id in hex")->required();
    if (a->kind == pb::BL_NOMINATE || a->kind == pb::BL_ENDORSE || a->kind == pb::BL_TRANSFER_OWNERS)
      c->add_option("--new-owner", a->new_owner, "New owner: member id")->required();
    if (a->kind == pb::BL_TRANSFER_HOLDER || a->kind == pb::BL_TRANSFER_OWNERS)
      c->add_option("--new-holder", a->new_holder, "New holder: member id")->required();
    c->add_option("--remark", a->remark, "A remark recorded with the action (at most 256 bytes)");
    add_tx_options(c, a->tx);
    c->callback([a] {
      Hash32 id = hash_or_document(a->record, false);
      std::string owner = a->new_owner.empty() ? "" : member_id(a->new_owner, "--new-owner");
      std::string holder = a->new_holder.empty() ? "" : member_id(a->new_holder, "--new-holder");
      std::string what = a->name + " " + to_hex(id);
      if (!owner.empty()) what += ", new owner " + owner;
      if (!holder.empty()) what += ", new holder " + holder;
      submit(a->tx, tx::bl_action(id, a->kind, owner, holder, a->remark), what);
    });
  }
  {
    struct A { NodeOptions node; std::string record; bool json = false; };
    auto a = std::make_shared<A>();
    auto* c = bl->add_subcommand("show", "Show a bill of lading's ledger record (owner, holder, status, endorsement chain)");
    c->add_option("record", a->record, "Wrapped bill of lading, or the record id in hex")->required();
    c->add_flag("--json", a->json, "Print the node's JSON");
    add_node_option(*c, a->node);
    c->callback([a] {
      Hash32 id = hash_or_document(a->record, false);
      auto client = take(net::NodeClient::connect(a->node.url));
      auto rec = take(client.bill_of_lading(to_hex(id)));
      if (!rec) fail(kNotValid, "no bill of lading " + to_hex(id) + " on the ledger");
      if (a->json) return print_json(*rec);
      print_record(*rec);
      std::cout << "history\n";
      if ((*rec).contains("history") && (*rec)["history"].is_array())
        for (const auto& e : (*rec)["history"]) std::cout << "  " << verify::history_line(e) << "\n";
    });
  }
}

void register_status(CLI::App& app) {
  auto a = std::make_shared<NodeOptions>();
  auto* c = app.add_subcommand("status", "Show the node's status (chain id, height); exit 3 if unreachable");
  add_node_option(*c, *a);
  c->callback([a] {
    auto client = take(net::NodeClient::connect(a->url));
    print_json(take(client.status()));
  });
}

}  // namespace

void register_ledger_commands(CLI::App& app) {
  register_status(app);
  register_documents(app);
  register_bl(app);
}

}  // namespace docket::wallet::cli
