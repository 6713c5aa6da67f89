// The HTTP/1.1 server of the API (Boost.Beast): accepts connections, reads requests within the
// header and body limits and the request timeout, hands each to the Router, and writes the reply
// when it comes (possibly later, from another thread: POST /v1/transactions with wait). Keep-alive
// connections serve one request at a time. Malformed or oversized requests get a JSON 4xx and the
// connection is closed; the server keeps serving.
//
// Thread safety: start/stop from one thread; listen_port and connections from any. The router must
// outlive the server. Replies that arrive after stop() are dropped.
#pragma once

#include <memory>

#include "ledger/api/router.h"
#include "ledger/api/server_config.h"
#include "ledger/common/result.h"

namespace docket::api {

class HttpServer {
 public:
  HttpServer(ServerConfig config, const Router& router);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds (Errc::unavailable when the address is taken, Errc::invalid_argument when it is not an
  // IP address) and starts the io threads. REQUIRES: called once.
  Status start();
  void stop();

  uint16_t listen_port() const;
  size_t connections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace docket::api
