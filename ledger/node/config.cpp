#include "ledger/node/config.h"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "ledger/node/log.h"
#include "ledger/primitives/transaction.h"

namespace docket::node {

namespace fs = std::filesystem;
using ms = std::chrono::milliseconds;

namespace {

constexpr size_t kMaxConfigBytes = 1u << 20;

// Reads the keys of one TOML table, remembering which were used, so that what is left over can be
// reported as unknown. Every getter leaves `out` alone when the key is absent (the default stays).
class TableReader {
 public:
  TableReader(const toml::table& t, std::string prefix, const std::string& source)
      : table_(t), prefix_(std::move(prefix)), source_(source) {}

  Status string(const char* key, std::string& out) {
    const toml::node* n = use(key);
    if (!n) return ok_status();
    if (!n->is_string()) return bad(key, *n, "must be a string");
    out = n->as_string()->get();
    return ok_status();
  }

  Status path(const char* key, const fs::path& home, fs::path& out) {
    std::string s;
    const bool present = table_.get(key) != nullptr;
    DOCKET_TRY(string(key, s));
    if (!present) return ok_status();
    if (s.empty()) return bad(key, *table_.get(key), "must not be empty");
    fs::path p(s);
    out = p.is_absolute() ? p : home / p;
    return ok_status();
  }

  Status uint(const char* key, uint64_t min, uint64_t max, uint64_t& out) {
    const toml::node* n = use(key);
    if (!n) return ok_status();
    if (!n->is_integer()) return bad(key, *n, "must be an integer");
    const int64_t v = n->as_integer()->get();
    if (v < 0 || static_cast<uint64_t>(v) < min || static_cast<uint64_t>(v) > max)
      return bad(key, *n, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    out = static_cast<uint64_t>(v);
    return ok_status();
  }

  template <typename T>
  Status number(const char* key, uint64_t min, uint64_t max, T& out) {
    uint64_t v = static_cast<uint64_t>(out);
    DOCKET_TRY(uint(key, min, max, v));
    out = static_cast<T>(v);
    return ok_status();
  }

  Status millis(const char* key, uint64_t min, uint64_t max, ms& out) {
    uint64_t v = static_cast<uint64_t>(out.count());
    DOCKET_TRY(uint(key, min, max, v));
    out = ms(static_cast<int64_t>(v));
    return ok_status();
  }

  // A sub-table, or nullptr when absent. Errc::invalid_argument when the key is not a table.
  Result<const toml::table*> table(const char* key) {
    const toml::node* n = use(key);
    if (!n) return static_cast<const toml::table*>(nullptr);
    if (!n->is_table()) return bad(key, *n, "must be a table");
    return n->as_table();
  }

  Result<const toml::array*> array(const char* key) {
    const toml::node* n = use(key);
    if (!n) return static_cast<const toml::array*>(nullptr);
    if (!n->is_array()) return bad(key, *n, "must be an array");
    return n->as_array();
  }

  // Whether the key is there (marks it read).
  bool present(const char* key) { return use(key) != nullptr; }

  // Call last: every key not read is an error.
  Status finish() const {
    for (const auto& [k, v] : table_) {
      if (used_.count(std::string(k.str()))) continue;
      return make_error(Errc::invalid_argument, where(v) + ": unknown key '" + prefix_ + printable(k.str(), 64) + "'");
    }
    return ok_status();
  }

  Error bad(const char* key, const toml::node& n, const std::string& what) const {
    return make_error(Errc::invalid_argument, where(n) + ": " + prefix_ + key + " " + what);
  }

 private:
  const toml::node* use(const char* key) {
    used_.insert(key);
    return table_.get(key);
  }
  std::string where(const toml::node& n) const {
    return source_ + ":" + std::to_string(n.source().begin.line);
  }

  const toml::table& table_;
  std::string prefix_;
  const std::string& source_;
  std::set<std::string> used_;
};

Status read_peer(const toml::table& t, size_t index, const std::string& source, p2p::PeerAddress& out) {
  TableReader r(t, "p2p.peers[" + std::to_string(index) + "].", source);
  std::string address, key;
  DOCKET_TRY(r.string("address", address));
  DOCKET_TRY(r.string("public_key", key));
  DOCKET_TRY(r.finish());
  const std::string name = source + ": p2p.peers[" + std::to_string(index) + "]";
  if (address.empty() || key.empty()) return make_error(Errc::invalid_argument, name + " needs address and public_key");
  auto hp = parse_host_port(address);
  if (!hp) return make_error(Errc::invalid_argument, name + ".address: " + hp.error().message);
  auto pk = crypto::public_key_from_hex(key);
  if (!pk) return make_error(Errc::invalid_argument, name + ".public_key: " + pk.error().message);
  out = p2p::PeerAddress{hp->first, hp->second, *pk};
  return ok_status();
}

Status read_p2p(TableReader& r, const std::string& source, p2p::NetworkConfig& p) {
  DOCKET_TRY(r.string("listen_address", p.listen_host));
  DOCKET_TRY(r.number("listen_port", 0, 65535, p.listen_port));
  DOCKET_TRY(r.number("max_frame_bytes", 4096, 64u << 20, p.max_frame_bytes));
  DOCKET_TRY(r.number("send_queue_max_messages", 1, 1u << 20, p.send_queue_max_messages));
  DOCKET_TRY(r.number("send_queue_max_bytes", 4096, 1ull << 32, p.send_queue_max_bytes));
  DOCKET_TRY(r.number("max_pending_connections", 1, 65536, p.max_pending_connections));
  DOCKET_TRY(r.millis("handshake_timeout_ms", 10, 600000, p.handshake_timeout));
  DOCKET_TRY(r.millis("keepalive_interval_ms", 10, 600000, p.keepalive_interval));
  DOCKET_TRY(r.millis("idle_timeout_ms", 10, 3600000, p.idle_timeout));
  DOCKET_TRY(r.millis("write_timeout_ms", 10, 600000, p.write_timeout));
  DOCKET_TRY(r.millis("reconnect_initial_ms", 1, 600000, p.reconnect_initial));
  DOCKET_TRY(r.millis("reconnect_max_ms", 1, 3600000, p.reconnect_max));
  auto peers = r.array("peers");
  if (!peers) return peers.error();
  if (*peers) {
    p.peers.clear();
    size_t i = 0;
    for (const toml::node& n : **peers) {
      if (!n.is_table())
        return make_error(Errc::invalid_argument, source + ":" + std::to_string(n.source().begin.line) +
                                                      ": p2p.peers entries must be tables {address, public_key}");
      p2p::PeerAddress peer;
      DOCKET_TRY(read_peer(*n.as_table(), i++, source, peer));
      p.peers.push_back(peer);
    }
  }
  DOCKET_TRY(r.finish());
  if (p.reconnect_initial > p.reconnect_max)
    return make_error(Errc::invalid_argument, source + ": p2p.reconnect_initial_ms must not exceed p2p.reconnect_max_ms");
  if (p.keepalive_interval >= p.idle_timeout)
    return make_error(Errc::invalid_argument, source + ": p2p.keepalive_interval_ms must be below p2p.idle_timeout_ms");
  return ok_status();
}

Status read_api(TableReader& r, const std::string& source, api::ServerConfig& a) {
  DOCKET_TRY(r.string("listen_address", a.listen_host));
  DOCKET_TRY(r.number("listen_port", 0, 65535, a.listen_port));
  DOCKET_TRY(r.number("max_body_bytes", 1024, 64u << 20, a.max_body_bytes));
  DOCKET_TRY(r.number("max_header_bytes", 1024, 1u << 20, a.max_header_bytes));
  DOCKET_TRY(r.number("max_connections", 1, 65536, a.max_connections));
  DOCKET_TRY(r.millis("request_timeout_ms", 10, 3600000, a.request_timeout));
  DOCKET_TRY(r.millis("write_timeout_ms", 10, 3600000, a.write_timeout));
  DOCKET_TRY(r.millis("max_wait_ms", 0, 3600000, a.max_wait));
  DOCKET_TRY(r.number("threads", 1, 64, a.threads));
  (void)source;
  return r.finish();
}

Status read_mempool(TableReader& r, MempoolLimits& m) {
  DOCKET_TRY(r.number("max_txs", 1, 10000000, m.max_txs));
  DOCKET_TRY(r.number("max_bytes", 1024, 1ull << 34, m.max_bytes));
  // Once a node setting; now the chain's one limit (primitives::kMaxTxBytes), so say so rather than
  // "unknown key" to an operator upgrading an old config.
  if (r.present("max_tx_bytes"))
    return make_error(Errc::invalid_argument, "mempool.max_tx_bytes is no longer a node setting: every node admits "
                                              "and accepts in blocks transactions of at most " +
                                                  std::to_string(primitives::kMaxTxBytes) + " bytes; remove the line");
  DOCKET_TRY(r.number("max_txs_per_sender", 1, 1000000, m.max_txs_per_sender));
  return r.finish();
}

Status read_consensus(TableReader& r, const std::string& source, ConsensusTimeouts& c) {
  DOCKET_TRY(r.millis("round_timeout_ms", 10, 600000, c.round_timeout));
  DOCKET_TRY(r.millis("round_timeout_max_ms", 10, 3600000, c.round_timeout_max));
  DOCKET_TRY(r.finish());
  if (c.round_timeout > c.round_timeout_max)
    return make_error(Errc::invalid_argument,
                      source + ": consensus.round_timeout_ms must not exceed consensus.round_timeout_max_ms");
  return ok_status();
}

// Runs `read` on a sub-table when present.
template <typename F>
Status section(TableReader& top, const char* name, const std::string& source, F&& read) {
  auto t = top.table(name);
  if (!t) return t.error();
  if (!*t) return ok_status();
  TableReader r(**t, std::string(name) + ".", source);
  return read(r);
}

std::string toml_string(const std::string& s) {
  std::ostringstream out;
  out << toml::value<std::string>(s);
  return out.str();
}

// A path relative to home when it is inside it, so a home can be moved.
std::string home_relative(const fs::path& p, const fs::path& home) {
  const fs::path rel = p.lexically_relative(home);
  if (!rel.empty() && *rel.begin() != "..") return rel.string();
  return p.string();
}

}  // namespace

NodeConfig default_config(const fs::path& home) {
  NodeConfig c;
  c.home = fs::absolute(home).lexically_normal();
  c.node_key_file = c.home / "node_key.json";
  c.data_dir = c.home / "data";
  c.genesis_file = c.home / "genesis.json";
  c.p2p.listen_host = "0.0.0.0";
  c.p2p.listen_port = 26656;
  return c;
}

Result<std::pair<std::string, uint16_t>> parse_host_port(std::string_view s) {
  std::string_view host, port;
  if (!s.empty() && s.front() == '[') {
    const size_t close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':')
      return make_error(Errc::invalid_argument, "'" + printable(s, 80) + "' is not [ipv6]:port");
    host = s.substr(1, close - 1);
    port = s.substr(close + 2);
  } else {
    const size_t colon = s.rfind(':');
    if (colon == std::string_view::npos || s.find(':') != colon)
      return make_error(Errc::invalid_argument, "'" + printable(s, 80) + "' is not host:port");
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
    return make_error(Errc::invalid_argument, "'" + printable(s, 80) + "' needs a host and a port in 1..65535");
  return std::make_pair(std::string(host), static_cast<uint16_t>(value));
}

Result<NodeConfig> parse_config(std::string_view text, const fs::path& home, const std::string& source) {
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return make_error(Errc::invalid_argument, source + ":" + std::to_string(e.source().begin.line) + ":" +
                                                  std::to_string(e.source().begin.column) + ": " +
                                                  std::string(e.description()));
  }
  NodeConfig c = default_config(home);
  TableReader top(doc, "", source);
  DOCKET_TRY(top.path("node_key_file", c.home, c.node_key_file));
  DOCKET_TRY(top.path("data_dir", c.home, c.data_dir));
  DOCKET_TRY(top.path("genesis_file", c.home, c.genesis_file));
  DOCKET_TRY(top.string("node_name", c.node_name));
  std::string level = "info";
  DOCKET_TRY(top.string("log_level", level));
  auto parsed_level = parse_log_level(level);
  if (!parsed_level) return make_error(Errc::invalid_argument, source + ": log_level: " + parsed_level.error().message);
  c.log_level = *parsed_level;

  DOCKET_TRY(section(top, "p2p", source, [&](TableReader& r) { return read_p2p(r, source, c.p2p); }));
  DOCKET_TRY(section(top, "api", source, [&](TableReader& r) { return read_api(r, source, c.api); }));
  DOCKET_TRY(section(top, "mempool", source, [&](TableReader& r) { return read_mempool(r, c.mempool); }));
  DOCKET_TRY(section(top, "consensus", source, [&](TableReader& r) { return read_consensus(r, source, c.consensus); }));
  DOCKET_TRY(top.finish());
  return c;
}

Result<NodeConfig> load_config(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec))
    return make_error(Errc::not_found, "config file " + file.string() + " does not exist (run `docketd init --home DIR`)");
  if (!fs::is_regular_file(file, ec)) return make_error(Errc::invalid_argument, "config file " + file.string() + " is not a file");
  const auto size = fs::file_size(file, ec);
  if (ec) return make_error(Errc::io_error, "cannot read config file " + file.string() + ": " + ec.message());
  if (size > kMaxConfigBytes) return make_error(Errc::too_large, "config file " + file.string() + " is larger than 1 MiB");
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(Errc::io_error, "cannot open config file " + file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  const fs::path home = fs::absolute(file).lexically_normal().parent_path();
  return parse_config(ss.str(), home, file.string());
}

std::string render_config(const NodeConfig& c) {
  std::ostringstream o;
  const auto& p = c.p2p;
  const auto& a = c.api;
  o << "# docketd node configuration (see docs/operator.md). Relative paths are relative to this file's folder.\n"
    << "# What all nodes must agree on (chain id, members, validators) is in the genesis file instead.\n\n"
    << "node_key_file = " << toml_string(home_relative(c.node_key_file, c.home)) << "  # written by docketd init, mode 0600\n"
    << "data_dir = " << toml_string(home_relative(c.data_dir, c.home)) << "\n"
    << "genesis_file = " << toml_string(home_relative(c.genesis_file, c.home)) << "\n"
    << "node_name = " << toml_string(c.node_name) << "  # shown in log lines\n"
    << "log_level = " << toml_string(std::string(spdlog::level::to_string_view(c.log_level).data(),
                                                 spdlog::level::to_string_view(c.log_level).size()))
    << "  # trace, debug, info, warn, error, critical, off\n\n"
    << "[p2p]\n"
    << "listen_address = " << toml_string(p.listen_host) << "\n"
    << "listen_port = " << p.listen_port << "\n"
    << "max_frame_bytes = " << p.max_frame_bytes << "\n"
    << "send_queue_max_messages = " << p.send_queue_max_messages << "  # per peer; when full, new messages are dropped\n"
    << "send_queue_max_bytes = " << p.send_queue_max_bytes << "\n"
    << "max_pending_connections = " << p.max_pending_connections << "  # accepted but not yet authenticated\n"
    << "handshake_timeout_ms = " << p.handshake_timeout.count() << "\n"
    << "keepalive_interval_ms = " << p.keepalive_interval.count() << "\n"
    << "idle_timeout_ms = " << p.idle_timeout.count() << "\n"
    << "write_timeout_ms = " << p.write_timeout.count() << "  # a peer that does not read for this long is dropped\n"
    << "reconnect_initial_ms = " << p.reconnect_initial.count() << "\n"
    << "reconnect_max_ms = " << p.reconnect_max.count() << "\n";
  for (const auto& peer : p.peers) {
    const bool v6 = peer.host.find(':') != std::string::npos;
    const std::string address = (v6 ? "[" + peer.host + "]" : peer.host) + ":" + std::to_string(peer.port);
    o << "\n[[p2p.peers]]\n"
      << "address = " << toml_string(address) << "\n"
      << "public_key = " << toml_string(to_hex(peer.key)) << "\n";
  }
  o << "\n[api]\n"
    << "listen_address = " << toml_string(a.listen_host) << "\n"
    << "listen_port = " << a.listen_port << "\n"
    << "max_body_bytes = " << a.max_body_bytes << "\n"
    << "max_header_bytes = " << a.max_header_bytes << "\n"
    << "max_connections = " << a.max_connections << "\n"
    << "request_timeout_ms = " << a.request_timeout.count() << "  # to receive a whole request, keep-alive wait included\n"
    << "write_timeout_ms = " << a.write_timeout.count() << "\n"
    << "max_wait_ms = " << a.max_wait.count() << "  # cap of timeout_ms when a submission waits for commit\n"
    << "threads = " << a.threads << "\n\n"
    << "[mempool]\n"
    << "max_txs = " << c.mempool.max_txs << "\n"
    << "max_bytes = " << c.mempool.max_bytes << "\n"
    << "max_txs_per_sender = " << c.mempool.max_txs_per_sender << "\n\n"
    << "[consensus]\n"
    << "round_timeout_ms = " << c.consensus.round_timeout.count() << "\n"
    << "round_timeout_max_ms = " << c.consensus.round_timeout_max.count() << "\n";
  return o.str();
}

}  // namespace docket::node
