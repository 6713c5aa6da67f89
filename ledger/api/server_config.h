// Settings of the HTTP API server: where it listens and the limits that bound every connection.
// Plain data; the node fills it from config.toml.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace docket::api {

struct ServerConfig {
  using ms = std::chrono::milliseconds;

  std::string listen_host = "127.0.0.1";  // an IP address
  uint16_t listen_port = 26657;           // 0: an ephemeral port (see HttpServer::listen_port)
  size_t max_body_bytes = 1u << 20;       // larger bodies get 413
  size_t max_header_bytes = 8u << 10;     // request line and headers; larger get 431
  size_t max_connections = 256;           // more are closed on accept
  ms request_timeout{15000};              // to receive one whole request, keep-alive wait included
  ms write_timeout{10000};                // to send one response
  ms max_wait{60000};                     // upper bound of timeout_ms in POST /v1/transactions
  size_t threads = 1;                     // io threads
};

}  // namespace docket::api
