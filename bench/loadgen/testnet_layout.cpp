#include "bench/loadgen/testnet_layout.h"

#include <signal.h>

#include <fstream>
#include <sstream>

namespace docket::loadgen {

Result<Testnet> read_testnet(const std::filesystem::path& dir) {
  Testnet t;
  {
    std::ifstream in(dir / "chain_id");
    if (!in || !(in >> t.chain_id)) return make_error(Errc::not_found, "no testnet in " + dir.string() + " (no chain_id file)");
  }
  std::ifstream ports(dir / "ports");
  std::string line;
  while (std::getline(ports, line)) {
    std::istringstream f(line);
    TestnetNode n;
    unsigned api = 0, p2p = 0;
    if (!(f >> n.index >> api >> p2p)) return make_error(Errc::invalid_argument, (dir / "ports").string() + ": bad line '" + line + "'");
    const auto home = dir / ("node" + std::to_string(n.index));
    n.api_url = "http://127.0.0.1:" + std::to_string(api);
    n.data_dir = home / "data";
    std::ifstream pid_file(home / "pid");
    long pid = 0;
    if (!(pid_file >> pid) || pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0)
      return make_error(Errc::unavailable, "node " + std::to_string(n.index) + " of " + dir.string() + " is not running");
    n.pid = static_cast<pid_t>(pid);
    t.nodes.push_back(std::move(n));
  }
  if (t.nodes.empty()) return make_error(Errc::not_found, "no nodes in " + (dir / "ports").string());
  return t;
}

}  // namespace docket::loadgen
