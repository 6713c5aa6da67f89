// A minimal synchronous HTTP/1.1 client (Boost.Beast) for the node's JSON API. Plain http:// only:
// the node API is served on the local machine or a private network; put a TLS proxy in front for
// anything else. One request per connection, with a timeout and a bound on the response size.
// Not thread-safe: one client per thread.
#pragma once

#include <chrono>
#include <string>

#include "ledger/common/result.h"

namespace docket::wallet::net {

struct HttpResponse {
  int status = 0;
  std::string body;
};

struct Url {
  std::string host;
  std::string port;
  std::string base_path;  // without a trailing '/', may be empty
};

// Parses "http://host[:port][/base]". Errors for any other scheme.
Result<Url> parse_url(const std::string& url);

class HttpClient {
 public:
  static constexpr size_t kMaxResponseBytes = 16u << 20;

  explicit HttpClient(Url url, std::chrono::milliseconds timeout = std::chrono::seconds(30))
      : url_(std::move(url)), timeout_(timeout) {}

  // Errc::unavailable when the node cannot be reached (resolve, connect, timeout, reset);
  // any HTTP status is a successful result for the caller to interpret.
  Result<HttpResponse> get(const std::string& path) { return request("GET", path, {}); }
  Result<HttpResponse> post_json(const std::string& path, const std::string& body) {
    return request("POST", path, body);
  }

 private:
  Result<HttpResponse> request(const std::string& method, const std::string& path, const std::string& body);
  Url url_;
  std::chrono::milliseconds timeout_;
};

}  // namespace docket::wallet::net
