// The HTTP/1.1 server of `stepline serve`: Boost.Beast on an Asio io_context run by N threads,
// keep-alive connections. GET serves the web console's files and /metrics (Prometheus text);
// every other request goes to the AWS JSON 1.0 ProtocolDispatcher. Each request is counted and
// timed per operation. Beast and Asio stay inside server.cpp (they are costly to compile).
#pragma once

#include "api/protocol.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace stepline::observability {
class MetricsRegistry;
}

namespace stepline::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8083;  // 0 picks a free port (see Server::port)
  unsigned threads = 0;       // 0 means one per core
  std::size_t body_limit = 8 * 1024 * 1024;
  // The web console's built files (web/dist); empty: web::default_console_dir().
  std::filesystem::path console_dir;
  // What /metrics exposes and where HTTP metrics go; nullptr: observability::default_registry().
  observability::MetricsRegistry* metrics = nullptr;
};

class Server {
 public:
  // Binds and listens at once (throws std::system_error when the address is unusable).
  // `dispatcher` must outlive the server.
  Server(const ServerOptions& options, const ProtocolDispatcher& dispatcher);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound.
  std::uint16_t port() const;
  // Serves until stop() or, when `handle_signals`, SIGINT/SIGTERM; returns after every worker
  // thread has finished.
  void run(bool handle_signals);
  // Stops accepting and ends run(); callable from any thread, including a signal's handler.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepline::api
