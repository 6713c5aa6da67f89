#include "ledger/node/init.h"

#include "ledger/node/file_io.h"
#include "ledger/node/node_key.h"

namespace docket::node {

namespace fs = std::filesystem;

Status write_config(const fs::path& file, const NodeConfig& cfg) {
  return replace_file_atomically(file, render_config(cfg), 0644);
}

Result<InitResult> init_home(const fs::path& home, const InitOptions& options) {
  std::error_code ec;
  fs::create_directories(home, ec);
  if (ec) return make_error(Errc::io_error, "cannot create home directory " + home.string() + ": " + ec.message());
  fs::permissions(home, fs::perms::owner_all, fs::perm_options::replace, ec);

  NodeConfig cfg = default_config(home);
  cfg.node_name = options.node_name;
  cfg.log_level = options.log_level;
  cfg.p2p.listen_host = options.p2p_listen_address;
  cfg.p2p.listen_port = options.p2p_port;
  cfg.p2p.peers = options.peers;
  cfg.api.listen_host = options.api_listen_address;
  cfg.api.listen_port = options.api_port;
  const fs::path config_file = cfg.home / "config.toml";
  if (fs::exists(config_file, ec))
    return make_error(Errc::already_exists, config_file.string() + " already exists; not overwriting it");

  const auto key = crypto::SecretKey::generate();
  DOCKET_TRY(write_node_key(cfg.node_key_file, key));
  DOCKET_TRY(write_config(config_file, cfg));
  return InitResult{key.public_key(), config_file, cfg.node_key_file};
}

}  // namespace docket::node
