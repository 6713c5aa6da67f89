#include "bench/loadgen/node_stats.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace docket::loadgen {

namespace {

// "VmHWM:    123456 kB" -> bytes; 0 when absent.
uint64_t status_kb(const std::string& status, const std::string& field) {
  const auto at = status.find(field + ":");
  if (at == std::string::npos) return 0;
  std::istringstream in(status.substr(at + field.size() + 1));
  uint64_t kb = 0;
  in >> kb;
  return kb * 1024;
}

Result<ProcSample> read_proc_dir(const std::string& proc_dir) {
  std::ifstream stat_file(proc_dir + "/stat");
  std::string stat;
  if (!stat_file || !std::getline(stat_file, stat)) return make_error(Errc::not_found, proc_dir + ": no such process");
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return make_error(Errc::invalid_argument, proc_dir + "/stat: unexpected format");
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {  // field 3 is the state; 14 utime, 15 stime
    if (i == 14) utime = std::stoull(f);
    if (i == 15) stime = std::stoull(f);
  }
  std::ifstream status_file(proc_dir + "/status");
  std::stringstream status;
  status << status_file.rdbuf();
  ProcSample s;
  s.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  s.rss_bytes = status_kb(status.str(), "VmRSS");
  s.peak_rss_bytes = status_kb(status.str(), "VmHWM");
  return s;
}

}  // namespace

Result<ProcSample> read_proc(pid_t pid) { return read_proc_dir("/proc/" + std::to_string(pid)); }

ProcSample read_self() {
  auto s = read_proc_dir("/proc/self");
  return s ? *s : ProcSample{};
}

DataBytes data_bytes(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  DataBytes total;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "LOG" || name.rfind("LOG.old.", 0) == 0) continue;
    std::error_code fec;
    if (!it->is_regular_file(fec) || fec) continue;
    const auto size = it->file_size(fec);
    if (fec) continue;
    total.total += size;
    const std::string ext = it->path().extension().string();
    if (ext == ".sst") total.tables += size;
    if (ext == ".log") total.wal += size;
  }
  return total;
}

}  // namespace docket::loadgen
