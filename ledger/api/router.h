// The HTTP router: maps (method, path pattern) to a handler, and answers what matches nothing with
// a JSON error (404 unknown route, 405 wrong method with an Allow header, 400 undecodable target).
// It never touches a socket: dispatch() takes a Request and completes a Reply, so routes are
// tested by calling it. Optionally counts requests and latencies per route into a metrics registry.
//
// Thread safety: add() routes before serving; dispatch() may then run on several threads at once.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ledger/api/http_types.h"
#include "ledger/api/metrics.h"
#include "ledger/common/result.h"

namespace docket::api {

// What a handler gets besides the request: path parameters by name and the decoded query.
struct Call {
  const Request& request;
  std::map<std::string, std::string> params;  // {name} segments of the pattern, percent-decoded
  std::map<std::string, std::string> query;   // percent-decoded; a repeated key is a 400
};

// A handler replies exactly once, now or later (from any thread). It must copy from Call what it
// needs after returning.
using Handler = std::function<void(const Call&, Reply)>;

class Router {
 public:
  explicit Router(metrics::Registry* metrics = nullptr) : metrics_(metrics) {}

  // pattern: "/v1/documents/{hash}/history": literal segments and {name} segments.
  void add(Method method, const std::string& pattern, Handler handler);

  void dispatch(const Request& request, Reply reply) const;

 private:
  struct Route {
    Method method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  Reply instrument(const std::string& route, Method method, Reply reply) const;

  std::vector<Route> routes_;
  metrics::Registry* metrics_;
};

// Percent-decodes one path segment or query component; `plus_is_space` for queries.
// Errc::invalid_argument on a malformed escape or a decoded NUL.
Result<std::string> percent_decode(std::string_view s, bool plus_is_space);

}  // namespace docket::api
