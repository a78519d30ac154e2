#include "support/test_server.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>

namespace essor::testing {

ManualClock::ManualClock()
    : now_(std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count()) {}

std::string backend_label(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

void expect_error(const HttpResult& res, int status, const std::string& code) {
  EXPECT_EQ(res.status, status) << res.body;
  const auto body = nlohmann::json::parse(res.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << res.body;
  EXPECT_EQ(body["error"]["code"], code) << res.body;
  EXPECT_TRUE(body["error"]["message"].is_string()) << res.body;
}

void ServerTest::SetUp() {
  if (!backend_available(GetParam())) {
    GTEST_SKIP() << "set ESSOR_TEST_PG_URL to run the PostgreSQL suites";
  }
  std::string suite = ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name();
  for (auto& c : suite) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  config_.database_url = fresh_database_url(GetParam(), suite);
  config_.listen = "127.0.0.1:0";
  config_.handler_threads = 8;
  config_.db_connections = 4;
  config_.ballot_key = "a test key for secret ballots, never in the database";
  configure(config_);
  auto clock = std::make_unique<ManualClock>();
  clock_ = clock.get();
  runtime_ = cli::build_runtime(config_, std::move(clock));
  server_ = cli::make_server(*runtime_, config_);
  server_->start();
  client_ = std::make_unique<HttpClient>(server_->port());
}

void ServerTest::TearDown() {
  if (server_) {
    server_->stop();
    server_->wait();
  }
  server_.reset();
  runtime_.reset();
  if (!config_.database_url.empty()) drop_database(config_.database_url);
}

TestUser ServerTest::signup(const std::string& prefix) {
  static std::atomic<int> counter{0};
  const std::string email = prefix + std::to_string(counter++) + "@test.example";
  auto res = http().json("POST", "/api/v1/auth/signup",
                         {{"email", email}, {"password", kPassword}, {"display_name", prefix}});
  EXPECT_EQ(res.status, 201) << res.body;
  const auto body = res.json();
  return TestUser{body["user"]["id"], email, body["token"]};
}

namespace {

// The token of a link in a mail's body: the path segment after marker.
std::string token_in(const std::string& body, const std::string& marker) {
  const auto at = body.find(marker);
  if (at == std::string::npos) return "";
  const auto start = at + marker.size();
  return body.substr(start, body.find_first_of("\r\n ", start) - start);
}

}  // namespace

std::string ServerTest::mailed_token(const std::string& user_id, const std::string& kind) {
  std::vector<app::OutboxMail> mails;
  runtime_->store->read(
      [&](app::ReadTx& tx) { mails = tx.outbox().recent_outbox(core::UserId{user_id}, 100); });
  const std::string marker = kind == "verify_email" ? "/verify-email/" : "/password-reset/";
  for (const auto& mail : mails) {  // newest first
    if (mail.kind != kind) continue;
    if (auto token = token_in(mail.body, marker); !token.empty()) return token;
  }
  ADD_FAILURE() << "no " << kind << " mail for " << user_id;
  return "";
}

void ServerTest::verify_email(const TestUser& user) {
  auto res = http().json("POST", "/api/v1/auth/verify-email",
                         {{"token", mailed_token(user.id, "verify_email")}});
  EXPECT_EQ(res.status, 200) << res.body;
}

TestUser ServerTest::signup_verified(const std::string& email, const std::string& display_name) {
  auto res =
      http().json("POST", "/api/v1/auth/signup",
                  {{"email", email}, {"password", kPassword}, {"display_name", display_name}});
  EXPECT_EQ(res.status, 201) << res.body;
  TestUser user{res.json()["user"]["id"], email, res.json()["token"]};
  verify_email(user);
  return user;
}

std::string ServerTest::csrf_token_for(const std::string& cookie_header) {
  auto page = http().get("/search", {{"Cookie", cookie_header}});  // never a kept page
  const std::string marker = "name=\"_csrf\" value=\"";
  const auto at = page.body.find(marker);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no form token in " << page.body.substr(0, 200);
    return "";
  }
  const auto start = at + marker.size();
  return page.body.substr(start, page.body.find('"', start) - start);
}

std::string ServerTest::create_org(const std::string& token, const std::string& name) {
  auto res =
      http().json("POST", "/api/v1/orgs", {{"name", name}, {"legal_form", "association"}}, token);
  EXPECT_EQ(res.status, 201) << res.body;
  return res.json()["org"]["id"];
}

std::string ServerTest::user_of(const std::string& token) {
  return http().json("GET", "/api/v1/me", token).json()["user"]["id"];
}

std::vector<nlohmann::json> ServerTest::every_item(const std::string& list,
                                                   const std::string& token, int max_pages) {
  std::vector<nlohmann::json> items;
  std::string cursor;
  for (int pages = 0; pages < max_pages; ++pages) {
    auto res = http().json("GET", list + (cursor.empty() ? "" : "&cursor=" + cursor), token);
    if (res.status != 200) {
      ADD_FAILURE() << list << " → " << res.status << " " << res.body;
      return items;
    }
    const auto body = res.json();
    for (const auto& item : body["items"]) items.push_back(item);
    if (body["next"].is_null()) return items;
    cursor = body["next"].get<std::string>();
  }
  ADD_FAILURE() << list << " still has a next page after " << max_pages;
  return items;
}

std::string ServerTest::invitation_token(const std::string& inviter_id, const std::string& email) {
  std::vector<app::OutboxMail> mails;
  runtime_->store->read(
      [&](app::ReadTx& tx) { mails = tx.outbox().recent_outbox(core::UserId{inviter_id}, 200); });
  for (const auto& mail : mails) {  // newest first
    if (mail.kind != "invitation" || mail.to_address != email) continue;
    if (auto token = token_in(mail.body, "/invitations/"); !token.empty()) return token;
  }
  ADD_FAILURE() << "no invitation mailed by " << inviter_id << " to " << email;
  return "";
}

void ServerTest::add_member(const std::string& org_id, const std::string& admin_token,
                            const TestUser& who, const std::string& role) {
  clock_->advance(1);  // the newest invitation mail is this one
  auto res = http().json("POST", "/api/v1/orgs/" + org_id + "/members",
                         {{"email", who.email}, {"role", role}}, admin_token);
  ASSERT_EQ(res.status, 202) << res.body;
  ASSERT_TRUE(runtime_->accounts->confirm_address(who.email));
  const std::string token = invitation_token(user_of(admin_token), who.email);
  auto accepted = http().json("POST", "/api/v1/invitations/" + token + "/accept", who.token);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
}

RouteWork route_work(const HttpClient& http, const std::string& route) {
  const std::string text = http.get("/metrics").body;
  auto value = [&text, &route](const std::string& name) {
    const std::string key = name + "{route=\"" + route + "\"} ";
    const auto at = text.find(key);
    return at == std::string::npos ? 0.0 : std::stod(text.substr(at + key.size()));
  };
  return {value("essor_db_statements_per_request_sum"),
          value("essor_db_read_transactions_per_request_sum"),
          value("essor_db_statements_per_request_count")};
}

std::string pdf_text(const std::string& pdf) {
  static std::atomic<int> counter{0};
  const std::string path = ::testing::TempDir() + "pdf-text-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter++) + ".pdf";
  std::ofstream(path, std::ios::binary) << pdf;
  std::string text;
  if (FILE* out = popen(("pdftotext -enc UTF-8 '" + path + "' -").c_str(), "r")) {
    char buffer[4096];
    for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, out)) > 0;) text.append(buffer, n);
    pclose(out);
  }
  std::remove(path.c_str());
  return text;
}

}  // namespace essor::testing
