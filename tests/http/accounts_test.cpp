// Spec "Accounts", on every database.
#include <atomic>
#include <thread>
#include <vector>

#include "support/test_server.hpp"

namespace essor::testing {
namespace {

using Json = nlohmann::json;

class AccountsTest : public ServerTest {};

TEST_P(AccountsTest, SignupReturnsUserAndTokenThatAuthenticates) {
  auto res =
      http().json("POST", "/api/v1/auth/signup",
                  {{"email", "Ana@Example.org"}, {"password", kPassword}, {"display_name", "Ana"}});
  ASSERT_EQ(res.status, 201) << res.body;
  const auto body = res.json();
  EXPECT_EQ(body["user"]["email"], "Ana@Example.org");
  EXPECT_EQ(body["user"]["display_name"], "Ana");
  EXPECT_TRUE(body["user"]["id"].is_string());
  EXPECT_TRUE(body["user"]["created_at"].get<std::string>().ends_with("Z"));
  ASSERT_GE(body["token"].get<std::string>().size(), 22u);  // >= 128 bits
  auto me = http().json("GET", "/api/v1/me", body["token"].get<std::string>());
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["user"]["id"], body["user"]["id"]);
  EXPECT_EQ(me.json()["user"]["moderator"], false);
}

TEST_P(AccountsTest, SignupValidatesEveryFieldAndCreatesNothing) {
  struct Case {
    Json body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"email", "not-an-email"}, {"password", kPassword}, {"display_name", "A"}}, "email"},
      {{{"email", "a@b.example"}, {"password", "123456789"}, {"display_name", "A"}}, "password"},
      {{{"email", "a@b.example"}, {"password", kPassword}, {"display_name", "   "}},
       "display_name"},
      {{{"email", "a@b.example"}, {"password", kPassword}}, "display_name"},
      {{{"email", 42}, {"password", kPassword}, {"display_name", "A"}}, "email"},
      {{{"email", "a@b.example"}, {"password", kPassword}, {"display_name", std::string(101, 'x')}},
       "display_name"},
  };
  for (const auto& c : cases) {
    auto res = http().json("POST", "/api/v1/auth/signup", c.body);
    expect_error(res, 400, "validation_failed");
    EXPECT_TRUE(res.json()["error"]["fields"].contains(c.field))
        << c.body.dump() << " → " << res.body;
  }
  // Ten characters is enough, counted in characters, not bytes.
  auto ok =
      http().json("POST", "/api/v1/auth/signup",
                  {{"email", "a@b.example"}, {"password", "éééééééééé"}, {"display_name", "A"}});
  EXPECT_EQ(ok.status, 201) << ok.body;  // so none of the failures above created a@b.example
}

TEST_P(AccountsTest, MalformedBodiesAreInvalidJson) {
  for (const std::string body : {"{", "[]", "\"text\"", "", "{\"email\": }"}) {
    auto res =
        http().request("POST", "/api/v1/auth/signup", body, {{"Content-Type", "application/json"}});
    expect_error(res, 400, "invalid_json");
  }
}

TEST_P(AccountsTest, EmailIsUniqueCaseInsensitively) {
  auto first =
      http().json("POST", "/api/v1/auth/signup",
                  {{"email", "lea@example.org"}, {"password", kPassword}, {"display_name", "Léa"}});
  ASSERT_EQ(first.status, 201);
  auto second = http().json(
      "POST", "/api/v1/auth/signup",
      {{"email", "LEA@example.ORG"}, {"password", kPassword}, {"display_name", "Autre"}});
  expect_error(second, 409, "email_taken");
  // The first account is untouched: its password still works.
  auto login = http().json("POST", "/api/v1/auth/login",
                           {{"email", "lea@example.org"}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(login.json()["user"]["display_name"], "Léa");
}

TEST_P(AccountsTest, LoginSucceedsCaseInsensitivelyAndFailsTheSameWayForUnknownEmails) {
  const auto user = signup("marc");
  auto ok = http().json("POST", "/api/v1/auth/login",
                        {{"email", " MARC" + user.email.substr(4) + " "}, {"password", kPassword}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["user"]["id"], user.id);
  EXPECT_NE(ok.json()["token"], user.token);  // a new session each time

  auto wrong = http().json("POST", "/api/v1/auth/login",
                           {{"email", user.email}, {"password", "wrong password!"}});
  auto unknown = http().json("POST", "/api/v1/auth/login",
                             {{"email", "nobody@test.example"}, {"password", kPassword}});
  expect_error(wrong, 401, "invalid_credentials");
  expect_error(unknown, 401, "invalid_credentials");
  EXPECT_EQ(wrong.body, unknown.body);
  auto missing = http().json("POST", "/api/v1/auth/login", {{"email", user.email}});
  expect_error(missing, 400, "validation_failed");
}

TEST_P(AccountsTest, LogoutRevokesTheToken) {
  const auto user = signup("zoe");
  auto other =
      http().json("POST", "/api/v1/auth/login", {{"email", user.email}, {"password", kPassword}});
  const std::string other_token = other.json()["token"];
  auto res = http().json("POST", "/api/v1/auth/logout", user.token);
  EXPECT_EQ(res.status, 204);
  EXPECT_TRUE(res.body.empty());
  expect_error(http().json("GET", "/api/v1/me", user.token), 401, "unauthenticated");
  // Only that session ends.
  EXPECT_EQ(http().json("GET", "/api/v1/me", other_token).status, 200);
  expect_error(http().json("POST", "/api/v1/auth/logout", user.token), 401, "unauthenticated");
}

TEST_P(AccountsTest, MeNeedsAValidBearerToken) {
  expect_error(http().json("GET", "/api/v1/me"), 401, "unauthenticated");
  expect_error(http().json("GET", "/api/v1/me", std::string("forged-token")), 401,
               "unauthenticated");
  auto basic = http().request("GET", "/api/v1/me", "", {{"Authorization", "Basic YTpi"}});
  expect_error(basic, 401, "unauthenticated");
  auto empty = http().request("GET", "/api/v1/me", "", {{"Authorization", "Bearer "}});
  expect_error(empty, 401, "unauthenticated");
}

TEST_P(AccountsTest, TheBearerSchemeIsCaseInsensitive) {
  const auto user = signup("scheme");
  for (const char* scheme : {"bearer ", "BEARER ", "BeArEr "}) {
    auto res = http().request("GET", "/api/v1/me", "", {{"Authorization", scheme + user.token}});
    EXPECT_EQ(res.status, 200) << scheme;
  }
}

TEST_P(AccountsTest, SessionCookieAloneDoesNotAuthenticateTheApi) {
  const auto user = signup("cookie");
  auto res = http().request("GET", "/api/v1/me", "", {{"Cookie", "essor_session=" + user.token}});
  expect_error(res, 401, "unauthenticated");
}

TEST_P(AccountsTest, FailedLoginsSlowDownPerAccountWithoutLockingTheRightPasswordOutForLong) {
  const auto user = signup("target");
  // The first five failures in a row cost nothing.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto res = http().json(
        "POST", "/api/v1/auth/login",
        {{"email", user.email}, {"password", "guess number " + std::to_string(attempt)}});
    expect_error(res, 401, "invalid_credentials");
  }
  // Then the account must wait, even with the right password: the throttle
  // must not leak it.
  auto blocked =
      http().json("POST", "/api/v1/auth/login", {{"email", user.email}, {"password", kPassword}});
  expect_error(blocked, 429, "rate_limited");
  EXPECT_EQ(blocked.header("retry-after"), "1");
  // Each further failure doubles the wait, up to a minute and never more.
  std::int64_t expected_wait = 1;
  for (int attempt = 0; attempt < 10; ++attempt) {
    clock_->advance(expected_wait * 1000);
    expect_error(http().json("POST", "/api/v1/auth/login",
                             {{"email", user.email}, {"password", "still guessing"}}),
                 401, "invalid_credentials");
    expected_wait = std::min<std::int64_t>(expected_wait * 2, 60);
    auto waiting =
        http().json("POST", "/api/v1/auth/login", {{"email", user.email}, {"password", kPassword}});
    expect_error(waiting, 429, "rate_limited");
    EXPECT_EQ(waiting.header("retry-after"), std::to_string(expected_wait));
  }
  // A minute later the right password works, and the count starts again.
  clock_->advance(60'000);
  EXPECT_EQ(
      http()
          .json("POST", "/api/v1/auth/login", {{"email", user.email}, {"password", kPassword}})
          .status,
      200);
  expect_error(http().json("POST", "/api/v1/auth/login",
                           {{"email", user.email}, {"password", "one more wrong"}}),
               401, "invalid_credentials");
  // Another account from the same address still logs in.
  const auto other = signup("bystander");
  EXPECT_EQ(
      http()
          .json("POST", "/api/v1/auth/login", {{"email", other.email}, {"password", kPassword}})
          .status,
      200);
}

TEST_P(AccountsTest, ConcurrentWrongPasswordsCannotOutrunTheCount) {
  const auto user = signup("storm");
  std::atomic<int> unauthorised{0}, limited{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      HttpClient client(port());
      auto res = client.json("POST", "/api/v1/auth/login",
                             {{"email", user.email}, {"password", "wrong " + std::to_string(i)}});
      (res.status == 401 ? unauthorised : res.status == 429 ? limited : other)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  // Five free failures; the attempt that made the fifth sets the wait, so
  // nothing beyond five is checked against the password.
  EXPECT_LE(unauthorised.load(), 5);
  EXPECT_EQ(unauthorised.load() + limited.load(), 40);
}

TEST_P(AccountsTest, DisplayNamesAreOneLineWithoutDirectionOverrides) {
  for (const std::string& name : {std::string("Ana\nAdmin"), std::string("Ana\tB"),
                                  std::string("\u202Enimda"), std::string("a\u2066b\u2069")}) {
    auto res = http().json(
        "POST", "/api/v1/auth/signup",
        {{"email", "bidi@test.example"}, {"password", kPassword}, {"display_name", name}});
    expect_error(res, 400, "validation_failed");
    EXPECT_TRUE(res.json()["error"]["fields"].contains("display_name")) << res.body;
  }
  EXPECT_EQ(http()
                .json("POST", "/api/v1/auth/signup",
                      {{"email", "bidi@test.example"},
                       {"password", kPassword},
                       {"display_name", "Ana-Lúcia مريم"}})
                .status,
            201);
}

TEST_P(AccountsTest, SignUpsAreLimitedPerAddress) {
  for (int i = 0; i < 20; ++i) signup("many");
  auto refused = http().json(
      "POST", "/api/v1/auth/signup",
      {{"email", "one-too-many@test.example"}, {"password", kPassword}, {"display_name", "X"}});
  expect_error(refused, 429, "rate_limited");
  EXPECT_FALSE(refused.header("retry-after").empty());
  expect_error(http().json("POST", "/api/v1/auth/login",
                           {{"email", "one-too-many@test.example"}, {"password", kPassword}}),
               401, "invalid_credentials");
  clock_->advance(3600 * 1000);
  EXPECT_EQ(http()
                .json("POST", "/api/v1/auth/signup",
                      {{"email", "one-too-many@test.example"},
                       {"password", kPassword},
                       {"display_name", "X"}})
                .status,
            201);
}

class RateLimitsOffTest : public ServerTest {
  void configure(cli::Config& config) override { config.rate_limits = "off"; }
};

TEST_P(RateLimitsOffTest, EssorRateLimitsOffDisablesThrottling) {
  for (int i = 0; i < 25; ++i) signup("crowd");
  const auto user = signup("free");
  for (int attempt = 0; attempt < 12; ++attempt) {
    EXPECT_EQ(http()
                  .json("POST", "/api/v1/auth/login",
                        {{"email", user.email}, {"password", "nope nope nope"}})
                  .status,
              401);
  }
  EXPECT_EQ(
      http()
          .json("POST", "/api/v1/auth/login", {{"email", user.email}, {"password", kPassword}})
          .status,
      200);
}

class ModeratorTest : public ServerTest {
  void configure(cli::Config& config) override {
    config.admin_emails = " Modo@Test.example , other@test.example";
  }
};

TEST_P(ModeratorTest, AdminEmailsAreModeratorsOnlyOnceTheAddressIsVerified) {
  auto res = http().json(
      "POST", "/api/v1/auth/signup",
      {{"email", "modo@test.example"}, {"password", kPassword}, {"display_name", "Modo"}});
  ASSERT_EQ(res.status, 201);
  // Whoever signs up first with the address gets nothing until it is proven.
  EXPECT_EQ(res.json()["user"]["moderator"], false);
  EXPECT_EQ(res.json()["user"]["email_verified"], false);
  const TestUser modo{res.json()["user"]["id"], "modo@test.example", res.json()["token"]};
  expect_error(http().json("GET", "/api/v1/moderation/reports", modo.token), 403, "forbidden");
  verify_email(modo);
  auto me = http().json("GET", "/api/v1/me", modo.token).json();
  EXPECT_EQ(me["user"]["moderator"], true);
  EXPECT_EQ(me["user"]["email_verified"], true);
  EXPECT_EQ(http().json("GET", "/api/v1/moderation/reports", modo.token).status, 200);
  const auto plain = signup("plain");
  EXPECT_EQ(http().json("GET", "/api/v1/me", plain.token).json()["user"]["moderator"], false);
}

ESSOR_ON_EVERY_DATABASE(AccountsTest);
ESSOR_ON_EVERY_DATABASE(RateLimitsOffTest);
ESSOR_ON_EVERY_DATABASE(ModeratorTest);

}  // namespace
}  // namespace essor::testing
