// Plain HTTP request and response values for the router and the route handlers, with no sockets
// and no Beast types, so everything above the server can be tested by calling functions.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace docket::api {

enum class Method { get, post, put, del, head, patch, options, other };
const char* method_name(Method m);

struct Request {
  Method method = Method::get;
  std::string target;        // path and query as sent, e.g. /v1/proofs/ab?height=3
  std::string content_type;  // empty when absent
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Allow
};

// Completes a request. Call it once, from any thread; the server takes care of getting back to the
// connection. Later calls are ignored.
using Reply = std::function<void(Response)>;

}  // namespace docket::api
