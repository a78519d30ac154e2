// The HTTP/1.1 server: Boost.Beast over Asio with C++20 coroutines, one io
// thread per core. Handlers run on a separate pool of blocking threads, so
// io threads never wait on disk or on password hashing. Limits on body size,
// header size, request time and connections. Thread-safe: stop() may be
// called from any thread or from a signal.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "web/http.hpp"

namespace essor::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see Server::port())
  int io_threads = 0;         // 0: one per core
  int handler_threads = 64;   // blocking work (database, hashing waits)
  std::size_t max_body_bytes = 1024 * 1024;
  // Image uploads (PUT or POST to a path ending in /cover) may be larger.
  std::size_t max_upload_bytes = 5 * 1024 * 1024 + 64 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  int request_timeout_s = 30;
  std::size_t max_connections = 4096;
  bool trust_proxy = false;  // take the client address and scheme from X-Forwarded-*
  int drain_timeout_s = 30;
};

// Builds the whole answer to a request and hands it to reply, once, on the
// handler pool's thread or later from another (the request lives until
// then); must not throw (it is the place that turns failures into error
// responses).
using Dispatcher = std::function<void(Request&, std::function<void(Response)> reply)>;
// The answer when a request cannot be read: not valid HTTP (400), or a
// limit hit before it is complete (413, 431).
using LimitResponder = std::function<Response(int status)>;
// An answer that needs neither the database nor any wait (health, static
// files, kept pages), or nothing: tried on the io thread before the request
// is handed to the handler pool. Must not throw nor block.
using FastDispatcher = std::function<std::optional<Response>(Request&)>;

// Runs the request on the io thread when it is of the kind that waits there
// only for a short read and then hands its work on (a deferred route:
// router.hpp), replying later; false, and nothing done, for any other.
using HandOnDispatcher = std::function<bool(Request&, const std::function<void(Response)>& reply)>;

class Server {
 public:
  Server(ServerOptions options, Dispatcher dispatcher, LimitResponder limit_responder,
         FastDispatcher fast = {}, HandOnDispatcher hand_on = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting; throws std::runtime_error when it cannot bind.
  void start();
  std::uint16_t port() const;
  // Stops on SIGTERM or SIGINT (graceful, see stop()).
  void stop_on_signals();
  // Stops accepting, lets requests in flight finish (up to drain_timeout_s),
  // then stops the io threads.
  void stop();
  // Blocks until the server has stopped.
  void wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace essor::web
