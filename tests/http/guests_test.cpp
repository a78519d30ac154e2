// Giving without an account, spec "Giving without an account": a pledge
// or a membership with only an address and a name, its mail with a link
// that hands it over to an account, and what a guest may not do.
#include "campaign_fixture.hpp"

namespace essor::testing {
namespace {

class GuestsTest : public CampaignsTest {
 protected:
  HttpResult as_guest(const std::string& path, const Json& body, const std::string& key) const {
    return http().request("POST", path, body.dump(),
                          {{"Content-Type", "application/json"}, {"Idempotency-Key", key}});
  }

  std::string pledge_owner(const std::string& pledge_id) const {
    std::optional<app::PledgeRecord> pledge;
    runtime_->store->read([&](app::ReadTx& tx) { pledge = tx.pledges().pledge_by_id(pledge_id); });
    return pledge ? pledge->user_id.str() : "";
  }

  // The claim link's token from the newest guest mail to that account.
  std::string claim_token(const std::string& user_id, std::string* to = nullptr) const {
    std::vector<app::OutboxMail> mails;
    runtime_->store->read(
        [&](app::ReadTx& tx) { mails = tx.outbox().recent_outbox(core::UserId{user_id}, 10); });
    for (const auto& mail : mails) {
      if (mail.kind != "guest_gift") continue;
      if (to) *to = mail.to_address;
      const auto at = mail.body.find("/claim/");
      if (at == std::string::npos) continue;
      auto end = at + 7;
      while (end < mail.body.size() && !std::isspace(static_cast<unsigned char>(mail.body[end])))
        ++end;
      return mail.body.substr(at + 7, end - at - 7);
    }
    ADD_FAILURE() << "no guest mail for " << user_id;
    return "";
  }
};

TEST_P(GuestsTest, AGuestGivesThenAnAccountClaimsTheGift) {
  const std::string id = live()["id"];
  const auto before = transfers_count();
  const Json body = {{"amount_cents", 2500},
                     {"payment_method", "sandbox_card"},
                     {"guest", {{"email", "Paul.Martin@Example.org"}, {"display_name", "Paul"}}}};
  auto res = as_guest("/api/v1/campaigns/" + id + "/pledges", body, "g1");
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string pledge_id = res.json()["pledge"]["id"];
  EXPECT_EQ(res.json()["pledge"]["status"], "confirmed");
  EXPECT_EQ(transfers_count(), before + 1);
  // The same key and address: the same answer, no second gift.
  auto again = as_guest("/api/v1/campaigns/" + id + "/pledges", body, "g1");
  EXPECT_EQ(again.json()["pledge"]["id"], pledge_id);
  EXPECT_EQ(transfers_count(), before + 1);

  const std::string guest_id = pledge_owner(pledge_id);
  std::string to;
  const std::string token = claim_token(guest_id, &to);
  EXPECT_EQ(to, "Paul.Martin@Example.org");
  // Nobody signs in as the guest; the address is still free to sign up.
  expect_error(http().json("POST", "/api/v1/auth/login",
                           {{"email", "paul.martin@example.org"}, {"password", kPassword}}),
               401, "invalid_credentials");
  auto paul = http().json("POST", "/api/v1/auth/signup",
                          {{"email", "paul.martin@example.org"},
                           {"password", kPassword},
                           {"display_name", "Paul Martin"}});
  ASSERT_EQ(paul.status, 201) << paul.body;
  const std::string paul_token = paul.json()["token"];
  EXPECT_TRUE(http().json("GET", "/api/v1/me/pledges", paul_token).json()["items"].empty());

  expect_error(http().json("POST", "/api/v1/claims/" + token), 401, "unauthenticated");
  auto claimed = http().json("POST", "/api/v1/claims/" + token, paul_token);
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  EXPECT_GE(claimed.json()["claimed"], 1);
  const auto mine = http().json("GET", "/api/v1/me/pledges", paul_token).json()["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["id"], pledge_id);
  // Single use.
  expect_error(http().json("POST", "/api/v1/claims/" + token, backer.token), 400, "invalid_token");
  expect_error(http().json("POST", "/api/v1/claims/nope", backer.token), 400, "invalid_token");
  expect_ledger_intact();
}

TEST_P(GuestsTest, BadGuestsChangeNothing) {
  const std::string id = live()["id"];
  const auto before = transfers_count();
  expect_error(as_guest("/api/v1/campaigns/" + id + "/pledges",
                        {{"amount_cents", 2500}, {"payment_method", "sandbox_card"}}, "b1"),
               401, "unauthenticated");
  auto bad = as_guest("/api/v1/campaigns/" + id + "/pledges",
                      {{"amount_cents", 2500},
                       {"payment_method", "sandbox_card"},
                       {"guest", {{"email", "not an address"}, {"display_name", ""}}}},
                      "b2");
  expect_error(bad, 400, "validation_failed");
  EXPECT_TRUE(bad.json()["error"]["fields"].contains("guest.email"));
  EXPECT_TRUE(bad.json()["error"]["fields"].contains("guest.display_name"));
  expect_error(as_guest("/api/v1/campaigns/" + id + "/pledges",
                        {{"amount_cents", 2500},
                         {"payment_method", "balance"},
                         {"guest", {{"email", "a@example.org"}, {"display_name", "A"}}}},
                        "b3"),
               400, "validation_failed");
  expect_error(
      as_guest("/api/v1/campaigns/" + id + "/pledges",
               {{"amount_cents", 2500}, {"payment_method", "sandbox_card"}, {"guest", 3}}, "b4"),
      400, "validation_failed");
  // A loan needs an account.
  Json loan_terms = {{"kind", "loan"}, {"funding_model", "keep_it_all"}};
  loan_terms["rewards"] = Json::array();
  loan_terms["loan"] = {{"annual_rate_bp", 0}, {"term_months", 12}, {"repayment", "annuity"}};
  const std::string loan = live(loan_terms)["id"];
  expect_error(as_guest("/api/v1/campaigns/" + loan + "/pledges",
                        {{"amount_cents", 5000},
                         {"payment_method", "sandbox_card"},
                         {"guest", {{"email", "a@example.org"}, {"display_name", "A"}}}},
                        "b5"),
               400, "validation_failed");
  EXPECT_EQ(transfers_count(), before);
}

TEST_P(GuestsTest, AGuestJoinsAnAssociation) {
  auto plan = http().json(
      "POST", "/api/v1/orgs/" + org_id + "/membership-plans",
      {{"name", "Adhésion"}, {"amount_cents", 1500}, {"period", "calendar_year"}, {"voting", true}},
      admin.token);
  ASSERT_EQ(plan.status, 201);
  const std::string plan_id = plan.json()["plan"]["id"];
  auto res = as_guest("/api/v1/membership-plans/" + plan_id + "/subscriptions",
                      {{"payment_method", "bank_transfer"},
                       {"guest", {{"email", "rose@example.org"}, {"display_name", "Rose"}}}},
                      "m1");
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["membership"]["status"], "pending");
  EXPECT_EQ(res.json()["payment"]["method"], "bank_transfer");
  const std::string guest_id = res.json()["membership"]["user_id"];
  EXPECT_FALSE(claim_token(guest_id).empty());
  // Confirmed, the guest account gets no role (it never signs in).
  ASSERT_EQ(http()
                .json("POST",
                      "/api/v1/memberships/" + res.json()["membership"]["id"].get<std::string>() +
                          "/confirm",
                      treasurer.token)
                .status,
            200);
  bool member = true;
  runtime_->store->read([&](app::ReadTx& tx) {
    member = tx.orgs().member_role(core::OrgId{org_id}, core::UserId{guest_id}).has_value();
  });
  EXPECT_FALSE(member);
  expect_error(as_guest("/api/v1/membership-plans/" + plan_id + "/subscriptions",
                        {{"payment_method", "sandbox_card"}}, "m2"),
               401, "unauthenticated");
  // Rose claims it with her new account: the dues and the vote are hers.
  auto rose = signup("rose");
  auto claimed = http().json("POST", "/api/v1/claims/" + claim_token(guest_id), rose.token);
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  runtime_->store->read([&](app::ReadTx& tx) {
    member = tx.orgs().member_role(core::OrgId{org_id}, core::UserId{rose.id}).has_value();
  });
  EXPECT_TRUE(member);
  EXPECT_EQ(http().json("GET", "/api/v1/me/memberships", rose.token).json()["items"].size(), 1u);
}

ESSOR_ON_EVERY_DATABASE(GuestsTest);

}  // namespace
}  // namespace essor::testing
