#include "web/server.hpp"

#include <pthread.h>

// Boost 1.74's Asio needs <utility> before it (see DESIGN.md).
#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace essor::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// A handler thread names itself at its first request, for top -H, perf and
// bench/cpu_share.py (asio's pool has no hook where its threads start).
void name_handler_thread() {
  thread_local const bool named = (pthread_setname_np(pthread_self(), "essor-handler"), true);
  (void)named;
}

}  // namespace

namespace {

// Applied to every response, whatever produced it.
void add_security_headers(http::response<http::string_body>& res) {
  res.set("Content-Security-Policy",
          "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
          // A lesson's video player: the two hosts core/course.hpp allows.
          "frame-src https://www.youtube-nocookie.com https://player.vimeo.com");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "same-origin");
  res.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Dispatcher dispatcher;
  LimitResponder limit_responder;
  FastDispatcher fast;
  HandOnDispatcher hand_on;
  // One io_context per io thread, each run by its thread alone: a session
  // (its socket, its beast::tcp_stream and that stream's timeout timer) lives
  // on one context, so its handlers never run on two threads at once. With
  // one shared context, a stream's timeout could close the socket on one
  // thread while the session ended on another (beast's streams are not
  // thread-safe). The hint 1 tells asio one thread runs each context; other
  // threads (handlers, the writer) still post replies to it safely.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::size_t next_context = 0;  // the accept loop's alone
  asio::thread_pool handlers;
  // The acceptor and the signals live on the first context: the acceptor is
  // closed (on stop) by a handler posted there, never from another thread.
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::vector<std::thread> io_threads;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> in_flight{0};
  // Dispatched and not yet answered: the server outlives them (a reply
  // posts to the io context).
  std::atomic<std::size_t> replies_due{0};
  std::atomic<bool> draining{false};

  Impl(ServerOptions o, Dispatcher d, LimitResponder l, FastDispatcher f, HandOnDispatcher h)
      : options(std::move(o)),
        dispatcher(std::move(d)),
        limit_responder(std::move(l)),
        fast(std::move(f)),
        hand_on(std::move(h)),
        contexts(make_contexts(options.io_threads)),
        keep_running(guards(contexts)),
        handlers(static_cast<std::size_t>(std::max(1, options.handler_threads))),
        acceptor(*contexts.front()),
        signals(*contexts.front()) {}

  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int wanted) {
    const int count =
        std::max(1, wanted > 0 ? wanted : static_cast<int>(std::thread::hardware_concurrency()));
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int idx = 0; idx < count; ++idx) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  static std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards(
      const std::vector<std::unique_ptr<asio::io_context>>& all) {
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> out;
    for (const auto& context : all) out.push_back(asio::make_work_guard(*context));
    return out;
  }

  void stop_contexts() {
    for (auto& context : contexts) context->stop();
  }

  http::response<http::string_body> to_beast(Response&& response, unsigned version, bool keep_alive,
                                             bool head) {
    http::response<http::string_body> res{static_cast<http::status>(response.status), version};
    res.set(http::field::server, "essor");
    res.set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) res.insert(name, value);
    add_security_headers(res);
    res.keep_alive(keep_alive);
    const auto size = response.body.size();
    if (!head) res.body() = std::move(response.body);
    res.prepare_payload();
    if (head) res.content_length(size);
    return res;
  }

  Request to_request(const http::request<http::string_body>& req, const tcp::endpoint& peer) {
    Request request;
    request.method = std::string(req.method_string());
    const std::string_view target(req.target().data(), req.target().size());
    const auto question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos)
      request.query = std::string(target.substr(question + 1));
    for (const auto& field : req) {
      const auto name = field.name_string();
      request.headers.emplace_back(lower(std::string_view(name.data(), name.size())),
                                   std::string(field.value()));
    }
    request.body = req.body();
    request.client_address = peer.address().to_string();
    request.peer_address = request.client_address;
    if (options.trust_proxy) {
      const auto forwarded = request.header("x-forwarded-for");
      if (!forwarded.empty()) {
        const auto comma = forwarded.find(',');
        std::string first(forwarded.substr(0, comma));
        first.erase(0, first.find_first_not_of(' '));
        request.client_address = first.substr(0, first.find_last_not_of(' ') + 1);
      }
      request.secure = request.header("x-forwarded-proto") == "https";
    }
    return request;
  }

  // A parse error of the request itself, not the client closing or going
  // quiet (end_of_stream, partial_message, short_read, a timeout).
  static bool malformed(const beast::error_code& ec) {
    if (ec.category() != http::make_error_code(http::error::bad_method).category()) return false;
    return ec != http::error::end_of_stream && ec != http::error::partial_message &&
           ec != http::error::short_read && ec != http::error::need_more &&
           ec != http::error::stale_parser;
  }

  asio::awaitable<void> write_limit_response(beast::tcp_stream& stream, int status) {
    auto res = to_beast(limit_responder(status), 11, false, false);
    beast::error_code ec;
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    // Lingering close: the client may still be sending the body we refused.
    // Closing now would make the kernel answer with a reset that can destroy
    // our response before the client reads it, so read and drop a bounded
    // amount first (as nginx's lingering_close does).
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16 * 1024> sink;
    for (std::size_t drained = 0; !ec && drained < 4 * options.max_body_bytes;) {
      drained += co_await stream.async_read_some(asio::buffer(sink),
                                                 asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  // The answer of hand_on (on this io thread) or else of the dispatcher (on
  // the handler pool): this coroutine resumes on its io thread when the
  // reply comes, from whichever thread gave it (a handler's, or the
  // writer's after a group commit), so that no thread waits for a deferred
  // answer.
  asio::awaitable<Response> handled(Request& request) {
    const auto io = co_await asio::this_coro::executor;
    co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(Response)>(
        [this, &request, io](auto resume) {
          auto waiting = std::make_shared<decltype(resume)>(std::move(resume));
          ++replies_due;
          std::function<void(Response)> reply = [this, io, waiting](Response response) {
            asio::post(io, [waiting, response = std::move(response)]() mutable {
              (*waiting)(std::move(response));
            });
            --replies_due;
          };
          if (hand_on && hand_on(request, reply)) return;
          asio::post(handlers, [this, &request, reply = std::move(reply)] {
            name_handler_thread();
            dispatcher(request, reply);
          });
        },
        asio::use_awaitable);
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    beast::error_code ec;
    const auto peer = stream.socket().remote_endpoint(ec);
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      stream.expires_after(std::chrono::seconds(options.request_timeout_s));
      // The header first: the body's limit depends on where it goes.
      co_await http::async_read_header(stream, buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) {
        const auto target = parser.get().target();
        const std::string_view path(target.data(), std::min(target.size(), target.find('?')));
        // Covers and lessons' documents (5 MiB) take more than a form.
        const bool upload =
            (path.ends_with("/cover") || path.ends_with("/attachments")) &&
            (parser.get().method() == http::verb::put || parser.get().method() == http::verb::post);
        parser.body_limit(upload ? options.max_upload_bytes : options.max_body_bytes);
        co_await http::async_read(stream, buffer, parser,
                                  asio::redirect_error(asio::use_awaitable, ec));
      }
      if (ec == http::error::body_limit) {
        co_await write_limit_response(stream, 413);
        break;
      }
      if (ec == http::error::header_limit) {
        co_await write_limit_response(stream, 431);
        break;
      }
      if (ec && malformed(ec)) {
        // RFC 9112: a request that is not valid HTTP gets a 400 before the
        // connection closes (as nginx does), so a client learns why.
        co_await write_limit_response(stream, 400);
        break;
      }
      if (ec) break;  // closed or timed out: nothing to answer
      auto req = parser.release();
      const bool head = req.method() == http::verb::head;
      const bool keep_alive = req.keep_alive();
      Request request = to_request(req, peer);
      ++in_flight;
      // An answer at hand is given on this io thread; any other runs on the
      // blocking pool, and this coroutine resumes on its io thread when the
      // response is ready.
      std::optional<Response> at_hand = fast ? fast(request) : std::nullopt;
      Response response;
      if (at_hand) {
        response = std::move(*at_hand);
      } else {
        response = co_await handled(request);
      }
      const bool keep = keep_alive && !draining.load();
      auto res = to_beast(std::move(response), req.version(), keep, head);
      stream.expires_after(std::chrono::seconds(options.request_timeout_s));
      co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      --in_flight;
      if (ec || !keep) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    --connections;
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      beast::error_code ec;
      // Round robin: the next context owns the connection for its life.
      auto& owner = *contexts[next_context++ % contexts.size()];
      tcp::socket socket =
          co_await acceptor.async_accept(owner, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (!acceptor.is_open()) co_return;
        continue;  // a client gave up during the handshake, or out of descriptors
      }
      if (connections.load() >= options.max_connections) {
        socket.close(ec);  // over the limit: refuse rather than queue
        continue;
      }
      ++connections;
      socket.set_option(tcp::no_delay(true), ec);
      // Sessions on different contexts run in parallel; one session's
      // handlers all run on its own context's thread.
      asio::co_spawn(owner, session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> drain() {
    asio::steady_timer timer(*contexts.front());
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + std::chrono::seconds(options.drain_timeout_s);
    // A grace period as well: a request accepted just before the stop may
    // still be arriving, and is not counted in flight until it is read.
    const auto grace_end = started + std::chrono::milliseconds(200);
    while ((in_flight.load() > 0 || std::chrono::steady_clock::now() < grace_end) &&
           std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(20));
      beast::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    stop_contexts();
  }

  void begin_stop() {
    if (draining.exchange(true)) return;
    beast::error_code ec;
    asio::post(acceptor.get_executor(), [this] {
      beast::error_code ignored;
      acceptor.close(ignored);
    });
    signals.cancel(ec);
    asio::co_spawn(*contexts.front(), drain(), asio::detached);
  }
};

Server::Server(ServerOptions options, Dispatcher dispatcher, LimitResponder limit_responder,
               FastDispatcher fast, HandOnDispatcher hand_on)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(dispatcher),
                                   std::move(limit_responder), std::move(fast),
                                   std::move(hand_on))) {}

Server::~Server() {
  impl_->stop_contexts();
  for (auto& thread : impl_->io_threads) {
    if (thread.joinable()) thread.join();
  }
  impl_->handlers.join();
  // A deferred answer still on its way (a write committing) is waited for.
  while (impl_->replies_due.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Server::start() {
  auto& impl = *impl_;
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl.options.host, ec);
  if (ec)
    throw std::runtime_error("cannot listen on \"" + impl.options.host + "\": not an IP address");
  const tcp::endpoint endpoint{address, impl.options.port};
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + impl.options.host + ":" +
                             std::to_string(impl.options.port) + ": " + ec.message());
  }
  asio::co_spawn(impl.acceptor.get_executor(), impl.accept_loop(), asio::detached);
  for (auto& context : impl.contexts) {
    impl.io_threads.emplace_back([ioc = context.get()] {
      pthread_setname_np(pthread_self(), "essor-io");  // for top -H, perf, bench/cpu_share.py
      ioc->run();
    });
  }
}

std::uint16_t Server::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void Server::stop_on_signals() {
  auto& impl = *impl_;
  impl.signals.add(SIGTERM);
  impl.signals.add(SIGINT);
  impl.signals.async_wait([&impl](const beast::error_code& ec, int) {
    if (!ec) impl.begin_stop();
  });
}

void Server::stop() {
  asio::post(*impl_->contexts.front(), [this] { impl_->begin_stop(); });
}

void Server::wait() {
  for (auto& thread : impl_->io_threads) {
    if (thread.joinable()) thread.join();
  }
}

}  // namespace essor::web
