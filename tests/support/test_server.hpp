// A real essor server (the program's own wiring) on a free port and a fresh
// database, for each test; parameterised by database back end.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "cli/wiring.hpp"
#include "support/http_client.hpp"
#include "support/test_env.hpp"

namespace essor::testing {

struct TestUser {
  std::string id;
  std::string email;
  std::string token;
};

inline constexpr const char* kPassword = "correct horse battery";

// How many times needle occurs in text: the rows of a table, the items of
// a list on a page.
inline std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

// A clock the test moves by hand (starts at the wall clock's now).
class ManualClock final : public app::Clock {
 public:
  ManualClock();
  app::TimestampMs now() const override { return app::TimestampMs{now_.load()}; }
  void advance(std::int64_t ms) { now_ += ms; }

 private:
  std::atomic<std::int64_t> now_;
};

class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Lets a suite change the configuration before the server starts.
  virtual void configure(cli::Config& /*config*/) {}

  const HttpClient& http() const { return *client_; }
  std::uint16_t port() const { return server_->port(); }
  const std::string& database_url() const { return config_.database_url; }

  // Signs up a new user with a unique address (prefix@test.example).
  TestUser signup(const std::string& prefix);
  // The single-use token of the newest mail of that kind ("verify_email",
  // "password_reset") put in the outbox for the user: the last segment of
  // the link in its body. Fails the test when there is none.
  std::string mailed_token(const std::string& user_id, const std::string& kind);
  // Verifies the user's address by the link mailed at sign-up.
  void verify_email(const TestUser& user);
  // Signs up with this address and verifies it (moderators in
  // ESSOR_ADMIN_EMAILS need a verified address).
  TestUser signup_verified(const std::string& email, const std::string& display_name);
  // The token a page gives its forms for a browser with these cookies
  // (read from the language switch of a page).
  std::string csrf_token_for(const std::string& cookie_header);
  // Creates an organisation as token's user; returns its id.
  std::string create_org(const std::string& token,
                         const std::string& name = "Les Jardins Partagés");
  // Invites who as admin_token's user, then who accepts (their address
  // verified first if it was not): a member by consent, as in real life.
  void add_member(const std::string& org_id, const std::string& admin_token, const TestUser& who,
                  const std::string& role);
  // The token of the newest invitation mailed by inviter_id to email.
  std::string invitation_token(const std::string& inviter_id, const std::string& email);
  // The user id behind a session token.
  std::string user_of(const std::string& token);
  // Every item of an API list as token's user, page after page by its
  // cursor (list: its address with a query, e.g. "…?limit=200"); fails
  // the test on an answer other than 200 or past max_pages pages.
  std::vector<nlohmann::json> every_item(const std::string& list, const std::string& token = "",
                                         int max_pages = 50);

  ManualClock* clock_ = nullptr;  // owned by runtime_
  cli::Config config_;
  std::unique_ptr<cli::Runtime> runtime_;
  std::unique_ptr<web::Server> server_;
  std::unique_ptr<HttpClient> client_;
};

// A PDF's text as an independent reader (poppler's pdftotext) finds it.
std::string pdf_text(const std::string& pdf);

// The database work of the requests of one route so far, from /metrics
// (essor_db_statements_per_request and essor_db_read_transactions_per_request).
struct RouteWork {
  double statements = 0, read_transactions = 0, requests = 0;
};
RouteWork route_work(const HttpClient& http, const std::string& route);

// Checks the status and the error body of spec/api.md.
void expect_error(const HttpResult& res, int status, const std::string& code);

std::string backend_label(const ::testing::TestParamInfo<std::string>& info);

}  // namespace essor::testing

#define ESSOR_ON_EVERY_DATABASE(Suite)                                                 \
  INSTANTIATE_TEST_SUITE_P(Db, Suite, ::testing::ValuesIn(essor::testing::backends()), \
                           essor::testing::backend_label)
