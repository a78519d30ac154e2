// The HTTP server's own rules: limits, health, metrics, methods, timeouts.
#include <sys/socket.h>
#include <sys/time.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "support/test_server.hpp"

namespace essor::testing {
namespace {

class ServerRulesTest : public ServerTest {};

TEST_P(ServerRulesTest, HealthzAnswersOk) {
  auto res = http().get("/healthz");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "ok\n");
}

TEST_P(ServerRulesTest, BodiesOverOneMebibyteAre413AndChangeNothing) {
  nlohmann::json body = {{"email", "big@test.example"},
                         {"password", kPassword},
                         {"display_name", "Big"},
                         {"padding", std::string(1024 * 1024, 'x')}};
  auto res = http().json("POST", "/api/v1/auth/signup", body);
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(res.json()["error"]["code"], "payload_too_large");
  body.erase("padding");
  EXPECT_EQ(http().json("POST", "/api/v1/auth/signup", body).status,
            201);  // so it was not created before
}

TEST_P(ServerRulesTest, OversizedHeadersAreRefused) {
  auto res = http().request("GET", "/healthz", "", {{"X-Padding", std::string(20 * 1024, 'h')}});
  EXPECT_EQ(res.status, 431);
}

// What the server answers on a raw connection to these bytes, until it closes.
std::string exchange(std::uint16_t port, std::string_view request) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  const timeval bound{20, 0};  // a server that never answers fails the test, not hangs it
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
  asio::write(socket, asio::buffer(request));
  socket.shutdown(asio::ip::tcp::socket::shutdown_send);  // nothing more will come
  std::string answer;
  std::array<char, 4096> chunk{};
  boost::system::error_code ec;
  while (!ec) answer.append(chunk.data(), socket.read_some(asio::buffer(chunk), ec));
  return answer;
}

TEST_P(ServerRulesTest, ARequestThatIsNotValidHttpIs400AndChangesNothing) {
  const std::string signup_body =
      R"({"email":"smuggled@test.example","password":"long-enough-pass","display_name":"S"})";
  const std::vector<std::string> malformed = {
      "HELLO\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n",
      // Both lengths: the classic request smuggling; each reading would differ.
      "POST /api/v1/auth/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
          std::to_string(signup_body.size()) + "\r\nTransfer-Encoding: chunked\r\n\r\n" +
          signup_body,
      "POST /api/v1/auth/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
          std::to_string(signup_body.size()) + "\r\nContent-Length: 2\r\n\r\n" + signup_body,
  };
  for (const auto& request : malformed) {
    const auto answer = exchange(port(), request);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 ")) << request << "\n" << answer;
    EXPECT_NE(answer.find(R"("code":"bad_request")"), std::string::npos) << answer;
  }
  // Nothing was read as a request: the address is still free.
  EXPECT_EQ(http().json("POST", "/api/v1/auth/signup", nlohmann::json::parse(signup_body)).status,
            201);
  // A client that closes or stops mid-request is not answered, and the
  // server goes on.
  EXPECT_EQ(exchange(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 9"), "");
  EXPECT_EQ(http().get("/healthz").status, 200);
}

TEST_P(ServerRulesTest, WrongMethodIs405WithAllow) {
  auto res = http().request("DELETE", "/api/v1/me/sessions");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("allow"), "GET");
  EXPECT_EQ(res.json()["error"]["code"], "method_not_allowed");
}

TEST_P(ServerRulesTest, HeadAnswersLikeGetWithoutBody) {
  auto res = http().request("HEAD", "/static/essor.css");
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.body.empty());
  EXPECT_GT(std::stoul(res.header("content-length")), 100u);
}

TEST_P(ServerRulesTest, MetricsCountRequestsByRouteAndWriteBatches) {
  signup("metrics");
  http().get("/orgs/abc");
  auto res = http().get("/metrics");
  ASSERT_EQ(res.status, 200);
  EXPECT_NE(res.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(res.body.find("essor_http_requests_total{method=\"POST\",route=\"/api/v1/auth/"
                          "signup\",status=\"201\"} 1"),
            std::string::npos)
      << res.body;
  // Routes, not raw paths: the series count stays bounded.
  EXPECT_NE(res.body.find("route=\"/orgs/{id}\",status=\"404\""), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("essor_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
            std::string::npos);
  if (GetParam() == "sqlite") {
    EXPECT_NE(res.body.find("essor_store_write_batch_jobs_count"), std::string::npos);
    EXPECT_EQ(res.body.find("essor_store_write_batch_jobs_count 0\n"), std::string::npos)
        << res.body;
  }
}

TEST_P(ServerRulesTest, ConcurrentSignupsAllLand) {
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int idx = 0; idx < kThreads; ++idx) {
    threads.emplace_back([&, idx] {
      auto res = http().json("POST", "/api/v1/auth/signup",
                             {{"email", "c" + std::to_string(idx) + "@test.example"},
                              {"password", kPassword},
                              {"display_name", "C"}});
      if (res.status == 201) ++created;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), kThreads);
  for (int idx = 0; idx < kThreads; ++idx) {
    auto login = http().json(
        "POST", "/api/v1/auth/login",
        {{"email", "c" + std::to_string(idx) + "@test.example"}, {"password", kPassword}});
    EXPECT_EQ(login.status, 200);
  }
}

// The runtime's end: writes still queued (write_then) are finished, and
// their thens run while what they reach (the store that counts them, the use
// cases) is still there. Before, the database went last, after the counting
// store: under the sanitizers a then run by its draining writer was a use
// after free (ThreadSanitizer found it). The writes take a moment each, so
// that the runtime closes while they wait.
TEST_P(ServerRulesTest, WritesStillQueuedFinishWhenTheRuntimeCloses) {
  server_->stop();
  server_->wait();
  server_.reset();
  std::atomic<int> thens{0};
  for (int idx = 0; idx < 4; ++idx) {
    runtime_->store->write_then(
        [](app::Tx&) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          return true;
        },
        [&thens](std::exception_ptr failure) {
          if (!failure) ++thens;
        });
  }
  runtime_.reset();
  EXPECT_EQ(thens.load(), 4);
}

class MetricsTokenTest : public ServerTest {
  void configure(cli::Config& config) override { config.metrics_token = "s3cret-metrics-token"; }
};

TEST_P(ServerRulesTest, MetricsAreForThisMachineOnlyNotThroughAProxy) {
  EXPECT_EQ(http().get("/metrics").status, 200);  // loopback, straight
  // What a proxy in front forwards is someone else's request.
  for (const auto& header : {"X-Forwarded-For", "Forwarded", "X-Real-IP"}) {
    auto res = http().get("/metrics", {{header, "203.0.113.9"}});
    EXPECT_EQ(res.status, 404) << header;
    EXPECT_EQ(res.body.find("essor_http_requests_total"), std::string::npos);
  }
}

TEST_P(MetricsTokenTest, MetricsTokenOpensThemThroughAProxy) {
  EXPECT_EQ(http().get("/metrics", {{"X-Forwarded-For", "203.0.113.9"}}).status, 404);
  EXPECT_EQ(http()
                .get("/metrics", {{"X-Forwarded-For", "203.0.113.9"},
                                  {"Authorization", "Bearer wrong-metrics-tokenXX"}})
                .status,
            404);
  auto res = http().get("/metrics", {{"X-Forwarded-For", "203.0.113.9"},
                                     {"Authorization", "Bearer s3cret-metrics-token"}});
  EXPECT_EQ(res.status, 200);
  EXPECT_NE(res.body.find("essor_http_requests_total"), std::string::npos);
}

// Several io threads, and a short timeout: a slow client's timer and its
// session must not race (each connection stays on one io thread).
class SlowClientTest : public ServerTest {
  void configure(cli::Config& config) override {
    config.request_timeout_s = 1;
    config.io_threads = 2;
  }
};

TEST_P(SlowClientTest, AHeaderUnfinishedAfterTheTimeoutIsCutWhileOthersAreServed) {
  namespace asio = boost::asio;
  asio::io_context io;
  const asio::ip::tcp::endpoint server{asio::ip::make_address("127.0.0.1"), port()};
  for (int round = 0; round < 3; ++round) {
    std::vector<asio::ip::tcp::socket> slow;
    for (int idx = 0; idx < 8; ++idx) {
      auto& socket = slow.emplace_back(io);
      socket.connect(server);
      // If the server never cut it, the read below fails after 20 s rather
      // than hanging the suite.
      const timeval bound{20, 0};
      ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
      asio::write(socket, asio::buffer(std::string_view("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
    }
    // Meanwhile, whole requests on other connections are answered.
    for (int idx = 0; idx < 4; ++idx) EXPECT_EQ(http().get("/healthz").status, 200);
    for (auto& socket : slow) {
      std::array<char, 256> answer{};
      boost::system::error_code ec;
      const auto got = socket.read_some(asio::buffer(answer), ec);
      // Cut without an answer: an end of stream (or a reset), not a timeout
      // of our own read.
      EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
      EXPECT_EQ(got, 0u);
    }
  }
  EXPECT_EQ(http().get("/healthz").status, 200);  // and the server is still there
}

ESSOR_ON_EVERY_DATABASE(SlowClientTest);
ESSOR_ON_EVERY_DATABASE(MetricsTokenTest);
ESSOR_ON_EVERY_DATABASE(ServerRulesTest);

}  // namespace
}  // namespace essor::testing
