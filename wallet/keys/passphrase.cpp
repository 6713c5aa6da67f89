#include "wallet/keys/passphrase.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <cstdlib>
#include <fstream>

namespace docket::wallet::keys {
namespace {

// Reads one line from the terminal with echo off; restores the terminal whatever happens.
Result<Passphrase> prompt_tty(const std::string& prompt) {
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return make_error(Errc::invalid_argument,
                      "no passphrase: use --passphrase-file, set DOCKET_PASSPHRASE, or run on a terminal");
  termios old{};
  bool have_term = ::tcgetattr(fd, &old) == 0;
  if (have_term) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  (void)!::write(fd, prompt.data(), prompt.size());
  std::string line;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n' && line.size() < 4096) line += c;
  if (have_term) ::tcsetattr(fd, TCSAFLUSH, &old);
  ::close(fd);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return Passphrase(std::move(line));
}

}  // namespace

Result<Passphrase> get_passphrase(const PassphraseSource& src, const std::string& prompt, bool confirm) {
  if (!src.file.empty()) {
    std::ifstream in(src.file);
    if (!in) return make_error(Errc::not_found, src.file + ": cannot open passphrase file");
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) return make_error(Errc::invalid_argument, src.file + ": the passphrase file's first line is empty");
    return Passphrase(std::move(line));
  }
  if (const char* env = std::getenv("DOCKET_PASSPHRASE"); env && *env) return Passphrase(env);
  auto first = prompt_tty(prompt);
  if (!first.ok()) return first;
  if (first->str().empty()) return make_error(Errc::invalid_argument, "the passphrase is empty");
  if (confirm) {
    auto again = prompt_tty("Repeat passphrase: ");
    if (!again.ok()) return again;
    if (again->str() != first->str()) return make_error(Errc::invalid_argument, "the passphrases do not match");
  }
  return first;
}

}  // namespace docket::wallet::keys
