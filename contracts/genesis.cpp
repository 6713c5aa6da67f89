#include "contracts/genesis.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "contracts/governance.h"
#include "contracts/records.h"
#include "contracts/validate.h"
#include "ledger/crypto/sha256.h"
#include "ledger/primitives/validator_limit.h"

namespace docket::contracts {

namespace {

using json = nlohmann::json;

Error bad(const std::string& where, const std::string& what) {
  return make_error(Errc::invalid_argument, "genesis: " + where + ": " + what);
}

Status only_fields(const json& obj, const std::string& where, std::initializer_list<std::string_view> allowed) {
  if (!obj.is_object()) return bad(where, "must be an object");
  for (const auto& [k, v] : obj.items())
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) return bad(where, "unknown field '" + k + "'");
  return ok_status();
}

Result<std::string> get_string(const json& obj, const std::string& where, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end()) return bad(where, std::string("missing '") + name + "'");
  if (!it->is_string()) return bad(where, std::string("'") + name + "' must be a string");
  return it->get<std::string>();
}

Result<uint64_t> get_u64(const json& obj, const std::string& where, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end()) return bad(where, std::string("missing '") + name + "'");
  if (!it->is_number_unsigned()) return bad(where, std::string("'") + name + "' must be a non-negative integer");
  return it->get<uint64_t>();
}

Result<crypto::PublicKey> get_key(const json& v, const std::string& where) {
  if (!v.is_string()) return bad(where, "key must be a hex string");
  auto k = crypto::public_key_from_hex(v.get<std::string>());
  if (!k) return bad(where, k.error().message);
  if (!crypto::is_valid_public_key(*k)) return bad(where, "not a valid x-only public key");
  return *k;
}

Result<GenesisMember> parse_member(const json& j, const std::string& where) {
  DOCKET_TRY(only_fields(j, where, {"id", "name", "country", "keys", "roles"}));
  GenesisMember m;
  auto id = get_string(j, where, "id");
  if (!id) return id.error();
  m.id = *id;
  auto name = get_string(j, where, "name");
  if (!name) return name.error();
  m.name = *name;
  auto country = get_string(j, where, "country");
  if (!country) return country.error();
  m.country = *country;
  if (!j.contains("keys") || !j["keys"].is_array() || j["keys"].empty()) return bad(where, "'keys' must be a non-empty array");
  for (const auto& k : j["keys"]) {
    auto key = get_key(k, where + ".keys");
    if (!key) return key.error();
    m.keys.push_back(*key);
  }
  if (!j.contains("roles") || !j["roles"].is_array() || j["roles"].empty()) return bad(where, "'roles' must be a non-empty array");
  for (const auto& r : j["roles"]) {
    if (!r.is_string()) return bad(where, "roles must be strings");
    m.roles.push_back(r.get<std::string>());
  }
  std::sort(m.keys.begin(), m.keys.end());
  if (std::adjacent_find(m.keys.begin(), m.keys.end()) != m.keys.end()) return bad(where, "duplicate key");
  std::sort(m.roles.begin(), m.roles.end());
  if (std::adjacent_find(m.roles.begin(), m.roles.end()) != m.roles.end()) return bad(where, "duplicate role");
  return m;
}

pb::MemberSpec to_spec(const GenesisMember& m) {
  pb::MemberSpec s;
  s.set_id(m.id);
  s.set_name(m.name);
  s.set_country(m.country);
  for (const auto& k : m.keys) s.add_keys(to_field(k));
  for (const auto& r : m.roles) s.add_roles(r);
  return s;
}

bool valid_chain_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

void put_u32(Bytes& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}
void put_str(Bytes& out, std::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  append(out, as_bytes(s));
}

class EmptyState final : public StateReader {
 public:
  Result<std::optional<Bytes>> get(std::string_view) const override { return std::optional<Bytes>{}; }
  Status scan(std::string_view, const Visitor&) const override { return ok_status(); }
};

}  // namespace

Result<Genesis> parse_genesis(std::string_view text) {
  if (text.size() > kMaxGenesisBytes) return make_error(Errc::too_large, "genesis: file larger than 4 MiB");
  // nlohmann keeps the last of duplicate object keys; track keys per object to refuse them instead.
  std::vector<std::set<std::string>> seen;
  bool duplicate = false;
  std::string duplicate_key;
  json::parser_callback_t cb = [&](int, json::parse_event_t ev, json& parsed) {
    if (ev == json::parse_event_t::object_start) seen.emplace_back();
    else if (ev == json::parse_event_t::object_end && !seen.empty()) seen.pop_back();
    else if (ev == json::parse_event_t::key && !seen.empty() && !seen.back().insert(parsed.get<std::string>()).second) {
      duplicate = true;
      duplicate_key = parsed.get<std::string>();
    }
    return true;
  };
  json j = json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error(Errc::invalid_argument, "genesis: not valid JSON");
  if (duplicate) return bad("genesis.json", "duplicate JSON key '" + duplicate_key + "'");
  DOCKET_TRY(only_fields(j, "top level", {"chain_id", "genesis_time_ms", "members", "validators", "params"}));

  Genesis g;
  auto chain = get_string(j, "top level", "chain_id");
  if (!chain) return chain.error();
  if (!valid_chain_id(*chain)) return bad("chain_id", "1..64 characters of A-Z a-z 0-9 . _ -");
  g.chain_id = *chain;
  auto t = get_u64(j, "top level", "genesis_time_ms");
  if (!t) return t.error();
  g.genesis_time_ms = *t;

  if (!j.contains("params")) return bad("top level", "missing 'params'");
  const json& p = j["params"];
  DOCKET_TRY(only_fields(p, "params", {"proposal_ttl_blocks", "max_tx_ttl_blocks", "max_members", "epoch_length_blocks"}));
  auto ttl = get_u64(p, "params", "proposal_ttl_blocks");
  if (!ttl) return ttl.error();
  g.params.proposal_ttl_blocks = *ttl;
  for (auto [name, field] : {std::pair{"max_tx_ttl_blocks", &g.params.max_tx_ttl_blocks},
                             std::pair{"max_members", &g.params.max_members},
                             std::pair{"epoch_length_blocks", &g.params.epoch_length_blocks}}) {
    if (!p.contains(name)) continue;
    auto v = get_u64(p, "params", name);
    if (!v) return v.error();
    *field = *v;
  }
  for (auto [name, value] : {std::pair{"proposal_ttl_blocks", g.params.proposal_ttl_blocks},
                             std::pair{"max_tx_ttl_blocks", g.params.max_tx_ttl_blocks},
                             std::pair{"max_members", g.params.max_members},
                             std::pair{"epoch_length_blocks", g.params.epoch_length_blocks}})
    if (auto prob = check_param(name, value)) return bad("params", prob->message);

  if (!j.contains("members") || !j["members"].is_array() || j["members"].empty())
    return bad("top level", "'members' must be a non-empty array");
  if (j["members"].size() > g.params.max_members) return bad("members", "more members than max_members");
  std::set<std::string> ids;
  std::set<crypto::PublicKey> keys;
  bool admin = false;
  for (size_t i = 0; i < j["members"].size(); ++i) {
    const std::string where = "members[" + std::to_string(i) + "]";
    auto m = parse_member(j["members"][i], where);
    if (!m) return m.error();
    if (auto prob = check_member_spec(to_spec(*m))) return bad(where, prob->message);
    if (!ids.insert(m->id).second) return bad(where, "duplicate member id '" + m->id + "'");
    for (const auto& k : m->keys)
      if (!keys.insert(k).second) return bad(where, "key " + to_hex(k) + " is used twice");
    admin = admin || std::count(m->roles.begin(), m->roles.end(), std::string(kRoleAdmin)) > 0;
    g.members.push_back(std::move(*m));
  }
  if (!admin) return bad("members", "no member has role admin");
  std::sort(g.members.begin(), g.members.end(), [](const auto& a, const auto& b) { return a.id < b.id; });

  if (!j.contains("validators") || !j["validators"].is_array() || j["validators"].empty())
    return bad("top level", "'validators' must be a non-empty array");
  if (j["validators"].size() > primitives::kMaxValidators)
    return bad("top level", "at most " + std::to_string(primitives::kMaxValidators) +
                                " validators (the largest set blocks and certificates can carry)");
  std::set<crypto::PublicKey> node_keys;
  for (size_t i = 0; i < j["validators"].size(); ++i) {
    const std::string where = "validators[" + std::to_string(i) + "]";
    const json& v = j["validators"][i];
    DOCKET_TRY(only_fields(v, where, {"member", "node_key"}));
    auto member = get_string(v, where, "member");
    if (!member) return member.error();
    auto mit = std::find_if(g.members.begin(), g.members.end(), [&](const auto& m) { return m.id == *member; });
    if (mit == g.members.end()) return bad(where, "unknown member '" + *member + "'");
    if (std::count(mit->roles.begin(), mit->roles.end(), std::string(kRoleValidator)) == 0)
      return bad(where, "member '" + *member + "' lacks role validator");
    if (!v.contains("node_key")) return bad(where, "missing 'node_key'");
    auto key = get_key(v["node_key"], where);
    if (!key) return key.error();
    if (!node_keys.insert(*key).second) return bad(where, "duplicate node key");
    g.validators.push_back({*member, *key});
  }
  return g;
}

Bytes canonical_encoding(const Genesis& g) {
  Bytes out;
  put_str(out, g.chain_id);
  append_u64_be(out, g.genesis_time_ms);
  put_u32(out, static_cast<uint32_t>(g.members.size()));
  for (const auto& m : g.members) {
    put_str(out, m.id);
    put_str(out, m.name);
    put_str(out, m.country);
    put_u32(out, static_cast<uint32_t>(m.keys.size()));
    for (const auto& k : m.keys) append(out, k);
    put_u32(out, static_cast<uint32_t>(m.roles.size()));
    for (const auto& r : m.roles) put_str(out, r);
  }
  put_u32(out, static_cast<uint32_t>(g.validators.size()));
  for (const auto& v : g.validators) {
    put_str(out, v.member_id);
    append(out, v.node_key);
  }
  append_u64_be(out, g.params.proposal_ttl_blocks);
  append_u64_be(out, g.params.max_tx_ttl_blocks);
  append_u64_be(out, g.params.max_members);
  append_u64_be(out, g.params.epoch_length_blocks);
  return out;
}

Hash32 genesis_hash(const Genesis& g) { return crypto::tagged_hash(kGenesisTag, canonical_encoding(g)); }

crypto::ChainBinding chain_binding(const Genesis& g) { return {g.chain_id, genesis_hash(g)}; }

Writes genesis_writes(const Genesis& g) {
  EmptyState empty;
  StateOverlay st(empty);
  pb::ChainInfo chain;
  chain.set_chain_id(g.chain_id);
  chain.set_genesis_hash(to_field(genesis_hash(g)));
  chain.set_genesis_time_ms(g.genesis_time_ms);
  store(st, kChainKey, chain);
  pb::Params params;
  params.set_proposal_ttl_blocks(g.params.proposal_ttl_blocks);
  params.set_max_tx_ttl_blocks(g.params.max_tx_ttl_blocks);
  params.set_max_members(g.params.max_members);
  params.set_epoch_length_blocks(g.params.epoch_length_blocks);
  store(st, kParamsKey, params);
  pb::ValidatorSet vs;
  for (const auto& v : g.validators) {
    auto* e = vs.add_validators();
    e->set_member_id(v.member_id);
    e->set_node_key(to_field(v.node_key));
  }
  store(st, kValidatorsKey, vs);
  store(st, kGovMetaKey, pb::GovMeta{});
  for (const auto& m : g.members) {
    // parse_genesis has checked ids and keys are unique, so creation cannot be refused.
    auto r = create_member(st, to_spec(m), 0);
    DOCKET_ASSERT(r.ok() && !r->has_value());
  }
  return st.writes();
}

}  // namespace docket::contracts
