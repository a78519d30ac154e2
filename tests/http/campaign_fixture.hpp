// A server with an organisation (admin, treasurer with bank details), a
// backer and a moderator, and helpers to create campaigns and pledge.
#pragma once

#include "core/time.hpp"
#include "support/test_server.hpp"

namespace essor::testing {

using Json = nlohmann::json;

class CampaignsTest : public ServerTest {
 protected:
  void configure(cli::Config& config) override { config.admin_emails = "modo@test.example"; }

  void SetUp() override {
    ServerTest::SetUp();
    if (IsSkipped()) return;
    admin = signup("admin");
    treasurer = signup("treasurer");
    backer = signup("backer");
    moderator = signup_verified("modo@test.example", "Modo");
    org_id = create_org(admin.token, "La Ressourcerie");
    add_member(org_id, admin.token, treasurer, "treasurer");
    EXPECT_EQ(
        http()
            .json("PATCH", "/api/v1/orgs/" + org_id,
                  {{"iban", "FR7630004000031234567890143"}, {"bic", "BNPAFRPP"}}, treasurer.token)
            .status,
        200);
  }

  std::string in_days(int days) const {
    return core::format_rfc3339(clock_->now() + static_cast<std::int64_t>(days) * 86'400'000);
  }

  Json campaign_body(Json overrides = Json::object()) const {
    Json body = {
        {"org_id", org_id},
        {"title", "Un four à pain pour le quartier"},
        {"summary", "Cuire ensemble, chaque samedi."},
        {"description_md", "## Le projet\n\nUn four *partagé*."},
        {"category", "food"},
        {"kind", "donation"},
        {"goal_cents", 100000},
        {"ends_at", in_days(30)},
        {"funding_model", "all_or_nothing"},
        {"rewards",
         Json::array({{{"title", "Une fournée"},
                       {"description", "Dix pains"},
                       {"min_amount_cents", 2000},
                       {"quantity_limit", 2}},
                      {{"title", "Merci"}, {"description", ""}, {"min_amount_cents", 500}}})}};
    body.update(overrides);
    return body;
  }

  Json create(Json overrides = Json::object()) {
    auto res =
        http().json("POST", "/api/v1/campaigns", campaign_body(std::move(overrides)), admin.token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["campaign"];
  }

  Json live(Json overrides = Json::object()) {
    const auto campaign = create(std::move(overrides));
    const std::string id = campaign["id"];
    EXPECT_EQ(http().json("POST", "/api/v1/campaigns/" + id + "/submit", admin.token).status, 200);
    auto approved = http().json("POST", "/api/v1/campaigns/" + id + "/approve", moderator.token);
    EXPECT_EQ(approved.status, 200) << approved.body;
    return approved.json()["campaign"];
  }

  HttpResult pledge(const std::string& campaign_id, const Json& body, const std::string& key,
                    const std::string& token) const {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                               {"Authorization", "Bearer " + token}};
    if (!key.empty()) headers["Idempotency-Key"] = key;
    return http().request("POST", "/api/v1/campaigns/" + campaign_id + "/pledges", body.dump(),
                          headers);
  }

  Json get_campaign(const std::string& id, const std::string& token = "") const {
    return http().json("GET", "/api/v1/campaigns/" + id, token).json()["campaign"];
  }

  std::int64_t transfers_count() const {
    return http().get("/api/v1/ledger/head").json()["transfers_count"];
  }

  // The tests' clock jumps days in a microsecond, while the background
  // sealer (PostgreSQL) works in real time: seal what it has not reached
  // yet, or a transfer committed just before a jump looks stale. That
  // check has its own test (store_test's sealing test).
  void expect_ledger_intact() {
    runtime_->ledger->seal_all();
    const auto report = runtime_->ledger->verify();
    EXPECT_TRUE(report.problems.empty()) << ::testing::PrintToString(report.problems);
  }

  TestUser admin, treasurer, backer, moderator;
  std::string org_id;
};

}  // namespace essor::testing
