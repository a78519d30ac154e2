// Spec "Account lifecycle": email verification, password reset and change,
// sessions; on every database.
#include "http/campaign_fixture.hpp"
#include "support/test_server.hpp"

namespace essor::testing {
namespace {

using Json = nlohmann::json;

class AccountLifecycleTest : public ServerTest {
 protected:
  HttpResult login(const std::string& email, const std::string& password) const {
    return http().json("POST", "/api/v1/auth/login", {{"email", email}, {"password", password}});
  }
  // A second session of the user (another device).
  std::string another_session(const TestUser& user) const {
    return login(user.email, kPassword).json()["token"].get<std::string>();
  }
};

TEST_P(AccountLifecycleTest, TheMailedLinkVerifiesTheAddressOnce) {
  const auto user = signup("vera");
  EXPECT_EQ(http().json("GET", "/api/v1/me", user.token).json()["user"]["email_verified"], false);
  const std::string token = mailed_token(user.id, "verify_email");
  ASSERT_FALSE(token.empty());
  auto verified = http().json("POST", "/api/v1/auth/verify-email", {{"token", token}});
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.json()["user"]["email_verified"], true);
  EXPECT_EQ(verified.json()["user"]["id"], user.id);
  EXPECT_EQ(http().json("GET", "/api/v1/me", user.token).json()["user"]["email_verified"], true);
  // Single use.
  expect_error(http().json("POST", "/api/v1/auth/verify-email", {{"token", token}}), 400,
               "invalid_token");
  expect_error(http().json("POST", "/api/v1/auth/verify-email", {{"token", "made-up"}}), 400,
               "invalid_token");
  expect_error(http().json("POST", "/api/v1/auth/verify-email", Json::object()), 400,
               "validation_failed");
  // Nothing more to verify.
  expect_error(http().json("POST", "/api/v1/auth/verify-email/resend", Json::object(), user.token),
               409, "already_verified");
}

TEST_P(AccountLifecycleTest, VerificationLinksExpireAfter48HoursAndCanBeSentAgain) {
  const auto user = signup("late");
  const std::string old_token = mailed_token(user.id, "verify_email");
  clock_->advance(48LL * 3600 * 1000 + 1);
  expect_error(http().json("POST", "/api/v1/auth/verify-email", {{"token", old_token}}), 400,
               "invalid_token");
  expect_error(http().json("POST", "/api/v1/auth/verify-email/resend", Json::object()), 401,
               "unauthenticated");
  EXPECT_EQ(
      http().json("POST", "/api/v1/auth/verify-email/resend", Json::object(), user.token).status,
      204);
  const std::string new_token = mailed_token(user.id, "verify_email");
  EXPECT_NE(new_token, old_token);
  EXPECT_EQ(http().json("POST", "/api/v1/auth/verify-email", {{"token", new_token}}).status, 200);
}

TEST_P(AccountLifecycleTest, PasswordResetAnswersTheSameForAnyAddressAndRevokesEverySession) {
  const auto user = signup("oubli");
  const auto other_session = another_session(user);
  auto known = http().json("POST", "/api/v1/auth/password-reset", {{"email", user.email}});
  auto unknown =
      http().json("POST", "/api/v1/auth/password-reset", {{"email", "personne@test.example"}});
  EXPECT_EQ(known.status, 204);
  EXPECT_EQ(unknown.status, 204);
  EXPECT_EQ(known.body, unknown.body);
  const std::string token = mailed_token(user.id, "password_reset");
  ASSERT_FALSE(token.empty());
  // Too short a password: refused, and the token still works afterwards.
  expect_error(http().json("POST", "/api/v1/auth/password-reset/confirm",
                           {{"token", token}, {"password", "short"}}),
               400, "validation_failed");
  auto reset = http().json("POST", "/api/v1/auth/password-reset/confirm",
                           {{"token", token}, {"password", "a brand new passphrase"}});
  ASSERT_EQ(reset.status, 200) << reset.body;
  // Every session is gone, the old password too.
  expect_error(http().json("GET", "/api/v1/me", user.token), 401, "unauthenticated");
  expect_error(http().json("GET", "/api/v1/me", other_session), 401, "unauthenticated");
  expect_error(login(user.email, kPassword), 401, "invalid_credentials");
  EXPECT_EQ(login(user.email, "a brand new passphrase").status, 200);
  // Used once.
  expect_error(http().json("POST", "/api/v1/auth/password-reset/confirm",
                           {{"token", token}, {"password", "yet another passphrase"}}),
               400, "invalid_token");
}

TEST_P(AccountLifecycleTest, PasswordResetLinksExpireAfterAnHour) {
  const auto user = signup("lent");
  ASSERT_EQ(http().json("POST", "/api/v1/auth/password-reset", {{"email", user.email}}).status,
            204);
  const std::string token = mailed_token(user.id, "password_reset");
  clock_->advance(3600 * 1000 + 1);
  expect_error(http().json("POST", "/api/v1/auth/password-reset/confirm",
                           {{"token", token}, {"password", "a brand new passphrase"}}),
               400, "invalid_token");
  EXPECT_EQ(login(user.email, kPassword).status, 200);
}

TEST_P(AccountLifecycleTest, ChangingThePasswordNeedsTheCurrentOneAndRevokesOtherSessions) {
  const auto user = signup("change");
  const auto phone = another_session(user);
  expect_error(http().json("POST", "/api/v1/me/password",
                           {{"current_password", "not the password"},
                            {"password", "a brand new passphrase"}},
                           user.token),
               401, "invalid_credentials");
  EXPECT_EQ(http().json("GET", "/api/v1/me", phone).status, 200);  // nothing changed
  expect_error(http().json("POST", "/api/v1/me/password",
                           {{"current_password", kPassword}, {"password", "short"}}, user.token),
               400, "validation_failed");
  auto changed = http().json(
      "POST", "/api/v1/me/password",
      {{"current_password", kPassword}, {"password", "a brand new passphrase"}}, user.token);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(http().json("GET", "/api/v1/me", user.token).status, 200);  // this session stays
  expect_error(http().json("GET", "/api/v1/me", phone), 401, "unauthenticated");
  EXPECT_EQ(login(user.email, "a brand new passphrase").status, 200);
}

TEST_P(AccountLifecycleTest, SessionsAreListedAndRevokedByTheirOwnerOnly) {
  const auto user = signup("sessions");
  const auto second = another_session(user);
  auto list = http().json("GET", "/api/v1/me/sessions", user.token);
  ASSERT_EQ(list.status, 200) << list.body;
  const auto items = list.json()["items"];
  ASSERT_EQ(items.size(), 2u);
  std::string other_id;
  int current = 0;
  for (const auto& s : items) {
    EXPECT_TRUE(s["created_at"].get<std::string>().ends_with("Z"));
    EXPECT_TRUE(s["last_seen_at"].get<std::string>().ends_with("Z"));
    if (s["current"] == true) {
      ++current;
    } else {
      other_id = s["id"];
    }
    // The id is not the token.
    EXPECT_EQ(s["id"].get<std::string>().find(second), std::string::npos);
  }
  EXPECT_EQ(current, 1);
  // A stranger cannot revoke it, nor see it.
  const auto stranger = signup("stranger");
  expect_error(http().json("DELETE", "/api/v1/me/sessions/" + other_id, Json(), stranger.token),
               404, "not_found");
  EXPECT_EQ(http().json("GET", "/api/v1/me/sessions", stranger.token).json()["items"].size(), 1u);
  EXPECT_EQ(http().json("GET", "/api/v1/me", second).status, 200);
  expect_error(http().json("GET", "/api/v1/me/sessions"), 401, "unauthenticated");
  // The owner can.
  EXPECT_EQ(http().json("DELETE", "/api/v1/me/sessions/" + other_id, Json(), user.token).status,
            204);
  expect_error(http().json("GET", "/api/v1/me", second), 401, "unauthenticated");
  EXPECT_EQ(http().json("GET", "/api/v1/me/sessions", user.token).json()["items"].size(), 1u);
}

ESSOR_ON_EVERY_DATABASE(AccountLifecycleTest);

// GDPR: the export holds what Essor keeps about the person and nothing
// secret; deletion erases the person and keeps the money, unnamed.
class PersonalDataTest : public CampaignsTest {};

TEST_P(PersonalDataTest, TheExportHoldsEverythingAboutThePersonAndNoSecret) {
  const std::string id = live()["id"];
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 2500}, {"payment_method", "sandbox_card"}}, "p1", backer.token)
          .status,
      201);
  ASSERT_EQ(http()
                .json("POST", "/api/v1/campaigns/" + id + "/comments",
                      {{"body", "Bravo pour ce projet !"}}, backer.token)
                .status,
            201);
  expect_error(http().json("GET", "/api/v1/me/export"), 401, "unauthenticated");
  auto res = http().json("GET", "/api/v1/me/export", backer.token);
  ASSERT_EQ(res.status, 200) << res.body;
  const auto data = res.json();
  EXPECT_EQ(data["format"], "essor-personal-data-v1");
  const auto& tables = data["tables"];
  EXPECT_EQ(tables["profile"][0]["email"], backer.email);
  ASSERT_EQ(tables["pledges"].size(), 1u);
  EXPECT_EQ(tables["pledges"][0]["amount_cents"], 2500);
  ASSERT_EQ(tables["comments"].size(), 1u);
  EXPECT_EQ(tables["comments"][0]["body"], "Bravo pour ce projet !");
  EXPECT_EQ(tables["sessions"].size(), 1u);
  EXPECT_TRUE(tables.contains("notifications"));
  // Never a secret: no password hash, no session or mail token.
  EXPECT_EQ(res.body.find("argon2"), std::string::npos);
  EXPECT_EQ(res.body.find("password_hash"), std::string::npos);
  EXPECT_EQ(res.body.find("token_hash"), std::string::npos);
  EXPECT_EQ(res.body.find(backer.token), std::string::npos);
  // Only one's own: another person's export does not name the backer.
  EXPECT_EQ(http().json("GET", "/api/v1/me/export", admin.token).body.find(backer.email),
            std::string::npos);
  // The page offers it as a file.
  auto file = http().get("/me/export.json", {{"Cookie", "essor_session=" + backer.token}});
  ASSERT_EQ(file.status, 200);
  EXPECT_NE(file.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_NE(file.body.find("Bravo pour ce projet"), std::string::npos);
}

TEST_P(PersonalDataTest, DeletionErasesThePersonAndKeepsTheMoneyUnnamed) {
  const std::string id = live()["id"];
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 4200}, {"payment_method", "sandbox_card"}}, "p1", backer.token)
          .status,
      201);
  ASSERT_EQ(http()
                .json("POST", "/api/v1/campaigns/" + id + "/comments",
                      {{"body", "Mon adresse est 3 rue des Lilas"}}, backer.token)
                .status,
            201);
  add_member(org_id, admin.token, backer, "member");
  const auto raised = get_campaign(id)["raised_cents"];
  const auto head = transfers_count();

  expect_error(http().json("DELETE", "/api/v1/me", {{"password", "wrong password!"}}, backer.token),
               401, "invalid_credentials");
  expect_error(http().json("DELETE", "/api/v1/me", Json::object(), backer.token), 400,
               "validation_failed");
  expect_error(http().json("DELETE", "/api/v1/me", {{"password", kPassword}}), 401,
               "unauthenticated");
  // The only admin of an organisation is asked to name another first.
  expect_error(http().json("DELETE", "/api/v1/me", {{"password", kPassword}}, admin.token), 409,
               "last_admin");
  EXPECT_EQ(http().json("GET", "/api/v1/me", backer.token).status, 200) << "nothing changed";

  const std::string other_session =
      http()
          .json("POST", "/api/v1/auth/login", {{"email", backer.email}, {"password", kPassword}})
          .json()["token"];
  ASSERT_EQ(http().json("DELETE", "/api/v1/me", {{"password", kPassword}}, backer.token).status,
            204);
  // Signed out everywhere; the password no longer opens anything.
  expect_error(http().json("GET", "/api/v1/me", backer.token), 401, "unauthenticated");
  expect_error(http().json("GET", "/api/v1/me", other_session), 401, "unauthenticated");
  expect_error(
      http().json("POST", "/api/v1/auth/login", {{"email", backer.email}, {"password", kPassword}}),
      401, "invalid_credentials");
  // Gone from the organisation, the comment emptied, the name nowhere.
  const auto org_members = http().json("GET", "/api/v1/orgs/" + org_id + "/members").json();
  for (const auto& m : org_members["items"]) EXPECT_NE(m["user_id"], backer.id);
  const auto comments = http().get("/api/v1/campaigns/" + id + "/comments").body;
  EXPECT_EQ(comments.find("3 rue des Lilas"), std::string::npos);
  EXPECT_EQ(comments.find("backer"), std::string::npos);
  EXPECT_EQ(http().get("/campaigns/" + id).body.find("3 rue des Lilas"), std::string::npos);
  // The money stays: the campaign's total, the ledger, its checks.
  EXPECT_EQ(get_campaign(id)["raised_cents"], raised);
  EXPECT_EQ(transfers_count(), head);
  expect_ledger_intact();
  // The address may sign up again, as a new person.
  auto again =
      http().json("POST", "/api/v1/auth/signup",
                  {{"email", backer.email}, {"password", kPassword}, {"display_name", "Nouveau"}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_NE(again.json()["user"]["id"], backer.id);
  const auto fresh =
      http().json("GET", "/api/v1/me/export", again.json()["token"].get<std::string>()).json();
  EXPECT_EQ(fresh["tables"]["pledges"].size(), 0u);
}

ESSOR_ON_EVERY_DATABASE(PersonalDataTest);

}  // namespace
}  // namespace essor::testing
