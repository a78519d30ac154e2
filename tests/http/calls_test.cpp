// Matchfunding, spec "Funding calls (matchfunding)", and the territorial
// open data, spec "Territorial open data": who may open a call and decide,
// the criteria, every cap, the pool never over-committed (200 concurrent
// pledges, on two instances on PostgreSQL), matches given back when a
// campaign fails, and the territories' figures equal to the campaigns'.
#include <set>
#include <thread>

#include "campaign_fixture.hpp"
#include "store/database.hpp"

namespace essor::testing {
namespace {

class CallsTest : public CampaignsTest {
 protected:
  void SetUp() override {
    CampaignsTest::SetUp();
    if (IsSkipped()) return;
    funder = signup("region");
    auto res = http().json(
        "POST", "/api/v1/orgs",
        {{"name", "Région Auvergne-Rhône-Alpes"}, {"legal_form", "collectivite"}, {"region", "84"}},
        funder.token);
    ASSERT_EQ(res.status, 201) << res.body;
    funder_org = res.json()["org"]["id"];
    // The campaigns' organisation is in Lyon.
    ASSERT_EQ(http()
                  .json("PATCH", "/api/v1/orgs/" + org_id,
                        {{"region", "Auvergne-Rhône-Alpes"}, {"department", "69"}}, admin.token)
                  .status,
              200);
  }

  std::string at(std::int64_t offset_ms) const {
    return core::format_rfc3339(clock_->now() + offset_ms);
  }

  Json call_body(Json overrides = Json::object()) const {
    Json body = {{"title", "Tiers-lieux solidaires 2027"},
                 {"description_md", "La Région **double** vos dons."},
                 {"pool_cents", 100000},
                 {"match_ratio_pct", 100},
                 {"cap_per_campaign_cents", 50000},
                 {"opens_at", at(-60'000)},
                 {"closes_at", at(30LL * 86'400'000)}};
    body.update(overrides);
    return body;
  }

  Json open_call(Json overrides = Json::object()) {
    auto res = http().json("POST", "/api/v1/orgs/" + funder_org + "/calls",
                           call_body(std::move(overrides)), funder.token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["call"];
  }

  Json get_call(const std::string& id, const std::string& token = "") const {
    return http().json("GET", "/api/v1/calls/" + id, token).json()["call"];
  }

  // A live campaign of the fixture's organisation, accepted by the call.
  std::string matched_campaign(const std::string& call_id, Json overrides = Json::object()) {
    const std::string id = live(std::move(overrides))["id"];
    auto applied = http().json("POST", "/api/v1/calls/" + call_id + "/applications",
                               {{"campaign_id", id}}, admin.token);
    EXPECT_EQ(applied.status, 201) << applied.body;
    auto decided =
        http().json("POST", "/api/v1/calls/" + call_id + "/applications/" + id + "/decision",
                    {{"accepted", true}}, funder.token);
    EXPECT_EQ(decided.status, 200) << decided.body;
    return id;
  }

  HttpResult card(const std::string& campaign_id, std::int64_t cents, const std::string& key,
                  const std::string& token) const {
    return pledge(campaign_id, {{"amount_cents", cents}, {"payment_method", "sandbox_card"}}, key,
                  token);
  }

  // Every committed transfer chained (PostgreSQL seals after the commit),
  // so that the campaigns' ledgers list them all.
  void seal_all() { runtime_->ledger->seal_all(); }

  TestUser funder;
  std::string funder_org;
};

// A funder's page lists every call it opened, and the list of calls
// reaches every call: the funder's page looked for its calls among the
// latest 200 of all funders, the list showed the latest 100 and no more.
TEST_P(CallsTest, EveryCallIsListedAndAFundersPageShowsItsOwn) {
  const std::string own = open_call({{"title", "Appel de la Région"}})["id"];
  // 205 calls of another funder, all closing later than the Region's.
  const auto other = signup("dept");
  auto res =
      http().json("POST", "/api/v1/orgs",
                  {{"name", "Département du Rhône"}, {"legal_form", "collectivite"}}, other.token);
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string other_org = res.json()["org"]["id"];
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 205) INSERT INTO "
      "calls (id, org_id, title, description_md, pool_cents, match_ratio_pct, "
      "cap_per_campaign_cents, opens_at, closes_at, regions, categories, legal_forms, "
      "committed_cents, created_by, created_at) SELECT 'call' || i, '" +
          other_org + "', 'Appel ' || i, 'D', 1000, 100, 1000, 1, " +
          std::to_string(clock_->now() + 60LL * 86'400'000) + " + i, '', '', '', 0, '" + other.id +
          "', 1 FROM n");
  const auto funder_page = http().get("/orgs/" + funder_org);
  ASSERT_EQ(funder_page.status, 200);
  EXPECT_NE(funder_page.body.find("/calls/" + own), std::string::npos);
  EXPECT_EQ(funder_page.body.find("/calls/call1\""), std::string::npos);  // not another's
  // The list, fifty at a time: 206 calls, the Region's last.
  const auto cards = [](const std::string& html) { return occurrences(html, "<li><article>"); };
  const auto first = http().get("/calls");
  EXPECT_EQ(cards(first.body), 50u);
  EXPECT_NE(first.body.find("href=\"/calls?page=2\" rel=\"next\""), std::string::npos);
  const auto last = http().get("/calls?page=5");
  EXPECT_EQ(cards(last.body), 6u);
  EXPECT_NE(last.body.find("/calls/" + own), std::string::npos);
  EXPECT_EQ(last.body.find("rel=\"next\""), std::string::npos);
}

TEST_P(CallsTest, OnlyAFundersAdminsOpenACallAndBadTermsChangeNothing) {
  const auto before = transfers_count();
  // An association is not a funder, even for its admin.
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/calls", call_body(), admin.token),
               403, "forbidden");
  // A stranger and a member who is not an admin.
  const auto stranger = signup("stranger");
  expect_error(
      http().json("POST", "/api/v1/orgs/" + funder_org + "/calls", call_body(), stranger.token),
      403, "forbidden");
  expect_error(http().json("POST", "/api/v1/orgs/" + funder_org + "/calls", call_body()), 401,
               "unauthenticated");
  expect_error(http().json("POST", "/api/v1/orgs/nope/calls", call_body(), funder.token), 404,
               "not_found");
  // Terms that contradict each other, a pool of 0, a window in the past.
  auto bad = [&](Json overrides, const std::string& field) {
    auto res = http().json("POST", "/api/v1/orgs/" + funder_org + "/calls",
                           call_body(std::move(overrides)), funder.token);
    expect_error(res, 400, "validation_failed");
    EXPECT_TRUE(res.json()["error"]["fields"].contains(field)) << field << " " << res.body;
  };
  bad({{"pool_cents", 0}}, "pool_cents");
  bad({{"cap_per_campaign_cents", 200000}}, "cap_per_campaign_cents");
  bad({{"cap_per_pledge_cents", 60000}}, "cap_per_pledge_cents");
  bad({{"cap_per_pledge_cents", 5000}, {"cap_per_backer_cents", 1000}}, "cap_per_backer_cents");
  bad({{"closes_at", at(-1000)}}, "closes_at");
  bad({{"opens_at", at(2 * 86'400'000)}, {"closes_at", at(86'400'000)}}, "closes_at");
  bad({{"match_ratio_pct", 0}}, "match_ratio_pct");
  bad({{"regions", {"99"}}}, "regions");
  bad({{"categories", {"weapons"}}}, "categories");
  bad({{"legal_forms", {"collectivite"}}}, "legal_forms");
  bad({{"opens_at", "tomorrow"}}, "opens_at");
  bad({{"pool_cents", "beaucoup"}}, "pool_cents");
  EXPECT_TRUE(http().get("/api/v1/calls").json()["items"].empty());
  EXPECT_EQ(transfers_count(), before);
}

TEST_P(CallsTest, TheOpenedPoolIsOnTheLedger) {
  const auto before = transfers_count();
  const auto call = open_call();
  EXPECT_EQ(call["pool_cents"], 100000);
  EXPECT_EQ(call["committed_cents"], 0);
  EXPECT_EQ(call["remaining_cents"], 100000);
  EXPECT_EQ(call["org_name"], "Région Auvergne-Rhône-Alpes");
  EXPECT_EQ(transfers_count(), before + 1);
  const auto listed = http().get("/api/v1/calls").json()["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], call["id"]);
  expect_error(http().get("/api/v1/calls/nope"), 404, "not_found");
  expect_ledger_intact();
}

TEST_P(CallsTest, ApplicationsFollowTheCriteriaAndTheFunderDecides) {
  const auto call = open_call({{"regions", {"84"}}, {"categories", {"food", "culture"}}});
  const std::string call_id = call["id"];
  const std::string id = live()["id"];
  const std::string path = "/api/v1/calls/" + call_id + "/applications";
  // Only the campaign's organisation's admins put it forward.
  expect_error(http().json("POST", path, {{"campaign_id", id}}, backer.token), 403, "forbidden");
  expect_error(http().json("POST", path, {{"campaign_id", id}}, treasurer.token), 403, "forbidden");
  expect_error(http().json("POST", path, {{"campaign_id", id}}, funder.token), 403, "forbidden");
  expect_error(http().json("POST", path, Json::object(), admin.token), 400, "validation_failed");
  expect_error(
      http().json("POST", "/api/v1/calls/nope/applications", {{"campaign_id", id}}, admin.token),
      404, "not_found");
  // Outside the criteria: another category.
  const std::string health = live({{"category", "health"}})["id"];
  expect_error(http().json("POST", path, {{"campaign_id", health}}, admin.token), 400,
               "validation_failed");
  // A loan is not matched.
  const std::string loan = live(
      {{"kind", "loan"},
       {"rewards", Json::array()},
       {"loan", {{"annual_rate_bp", 150}, {"term_months", 24}, {"repayment", "annuity"}}}})["id"];
  expect_error(http().json("POST", path, {{"campaign_id", loan}}, admin.token), 400,
               "validation_failed");
  ASSERT_EQ(http().json("POST", path, {{"campaign_id", id}}, admin.token).status, 201);
  expect_error(http().json("POST", path, {{"campaign_id", id}}, admin.token), 409,
               "already_applied");
  // Pending applications are the funder's and the applicant's business.
  EXPECT_TRUE(get_call(call_id)["applications"].empty());
  EXPECT_EQ(get_call(call_id, funder.token)["applications"].size(), 1u);
  EXPECT_EQ(get_call(call_id, admin.token)["applications"].size(), 1u);
  EXPECT_TRUE(get_call(call_id, backer.token)["applications"].empty());
  // Only the funder's admins decide.
  const std::string decision = path + "/" + id + "/decision";
  expect_error(http().json("POST", decision, {{"accepted", true}}, admin.token), 403, "forbidden");
  expect_error(http().json("POST", decision, {{"accepted", true}}, backer.token), 403, "forbidden");
  expect_error(http().json("POST", decision, {{"accepted", "oui"}}, funder.token), 400,
               "validation_failed");
  expect_error(
      http().json("POST", path + "/" + health + "/decision", {{"accepted", true}}, funder.token),
      404, "not_found");
  auto accepted = http().json("POST", decision, {{"accepted", true}}, funder.token);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json()["application"]["status"], "accepted");
  expect_error(http().json("POST", decision, {{"accepted", false}}, funder.token), 409,
               "application_decided");
  EXPECT_EQ(get_call(call_id)["applications"].size(), 1u);
  // A second call cannot match the same campaign's pledges.
  const std::string other = open_call({{"title", "Un autre appel"}})["id"];
  ASSERT_EQ(http()
                .json("POST", "/api/v1/calls/" + other + "/applications", {{"campaign_id", id}},
                      admin.token)
                .status,
            201);
  expect_error(http().json("POST", "/api/v1/calls/" + other + "/applications/" + id + "/decision",
                           {{"accepted", true}}, funder.token),
               409, "already_matched");
}

TEST_P(CallsTest, EachConfirmedPledgeIsMatchedWithinEveryCap) {
  const std::string call_id = open_call({{"cap_per_pledge_cents", 3000},
                                         {"cap_per_campaign_cents", 10000},
                                         {"cap_per_backer_cents", 5000}})["id"];
  const std::string id = matched_campaign(call_id);
  const auto second = signup("second"), third = signup("third");
  ASSERT_EQ(card(id, 2000, "a", backer.token).status, 201);  // 2000
  ASSERT_EQ(card(id, 5000, "b", backer.token).status, 201);  // 3000 (per pledge; backer at 5000)
  ASSERT_EQ(card(id, 1000, "c", backer.token).status, 201);  // 0 (backer's cap)
  ASSERT_EQ(card(id, 4000, "d", second.token).status, 201);  // 3000 (campaign at 8000)
  ASSERT_EQ(card(id, 4000, "e", third.token).status, 201);   // 2000 (campaign's cap)
  ASSERT_EQ(card(id, 4000, "f", third.token).status, 201);   // 0
  const auto campaign = get_campaign(id);
  EXPECT_EQ(campaign["raised_cents"], 20000);
  EXPECT_EQ(campaign["matched_cents"], 10000);
  const auto call = get_call(call_id);
  EXPECT_EQ(call["committed_cents"], 10000);
  EXPECT_EQ(call["remaining_cents"], 90000);
  EXPECT_EQ(call["applications"][0]["matched_cents"], 10000);
  expect_ledger_intact();
}

TEST_P(CallsTest, HalfRatioRoundsDownAndTransfersAreMatchedWhenConfirmed) {
  const std::string call_id = open_call({{"match_ratio_pct", 50}})["id"];
  const std::string id = matched_campaign(call_id);
  ASSERT_EQ(card(id, 1001, "a", backer.token).status, 201);  // 500, not 500.5
  auto transfer =
      pledge(id, {{"amount_cents", 3000}, {"payment_method", "bank_transfer"}}, "t", backer.token);
  ASSERT_EQ(transfer.status, 201) << transfer.body;
  EXPECT_EQ(get_campaign(id)["matched_cents"], 500);  // not before the money arrives
  const std::string pledge_id = transfer.json()["pledge"]["id"];
  ASSERT_EQ(
      http().json("POST", "/api/v1/pledges/" + pledge_id + "/confirm", treasurer.token).status,
      200);
  EXPECT_EQ(get_campaign(id)["matched_cents"], 2000);
  expect_ledger_intact();
}

TEST_P(CallsTest, NoMatchOutsideTheWindowNorForCampaignsNotChosen) {
  const std::string call_id =
      open_call({{"opens_at", at(86'400'000)}, {"closes_at", at(3LL * 86'400'000)}})["id"];
  const std::string id = matched_campaign(call_id);
  const std::string unchosen = live({{"title", "Pas retenue"}})["id"];
  ASSERT_EQ(card(id, 1000, "early", backer.token).status, 201);
  clock_->advance(2LL * 86'400'000);
  ASSERT_EQ(card(id, 1000, "during", backer.token).status, 201);
  ASSERT_EQ(card(unchosen, 1000, "other", backer.token).status, 201);
  clock_->advance(2LL * 86'400'000);
  ASSERT_EQ(card(id, 1000, "late", backer.token).status, 201);
  EXPECT_EQ(get_campaign(id)["matched_cents"], 1000);
  EXPECT_EQ(get_campaign(unchosen)["matched_cents"], 0);
  expect_ledger_intact();
}

TEST_P(CallsTest, AFailedCampaignGivesItsMatchesBackAndASuccessCarriesThem) {
  const std::string call_id = open_call()["id"];
  const std::string failing = matched_campaign(call_id, {{"goal_cents", 500000}});
  const std::string winning =
      matched_campaign(call_id, {{"title", "Réussira"}, {"goal_cents", 1000}});
  ASSERT_EQ(card(failing, 3000, "a", backer.token).status, 201);
  ASSERT_EQ(card(winning, 2000, "b", backer.token).status, 201);
  EXPECT_EQ(get_call(call_id)["committed_cents"], 5000);
  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + failing + "/close", admin.token).status,
            200);
  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + winning + "/close", admin.token).status,
            200);
  EXPECT_EQ(get_campaign(failing)["status"], "failed");
  EXPECT_EQ(get_campaign(failing)["matched_cents"], 0);
  EXPECT_EQ(get_campaign(winning)["status"], "succeeded");
  EXPECT_EQ(get_campaign(winning)["matched_cents"], 2000);
  const auto call = get_call(call_id);
  EXPECT_EQ(call["committed_cents"], 2000);
  EXPECT_EQ(call["remaining_cents"], 98000);
  // The payout carried the citizens' 20 € and the Région's 20 €.
  seal_all();
  bool found = false;
  const auto transfers = http().get("/api/v1/campaigns/" + winning + "/ledger").json();
  for (const auto& t : transfers["items"]) {
    if (t["kind"] == "payout") {
      EXPECT_EQ(t["amount_cents"], 4000);
      found = true;
    }
  }
  EXPECT_TRUE(found);
  expect_ledger_intact();
}

// The pool covers 50 pledges; 200 come at once. On PostgreSQL half of
// them go through a second instance.
TEST_P(CallsTest, TwoHundredConcurrentPledgesNeverOverCommitThePool) {
  const std::string call_id =
      open_call({{"pool_cents", 50000}, {"cap_per_campaign_cents", 50000}})["id"];
  const std::string id = matched_campaign(call_id, {{"goal_cents", 1000000}});
  std::unique_ptr<cli::Runtime> other;
  std::unique_ptr<web::Server> other_server;
  std::unique_ptr<HttpClient> other_client;
  if (GetParam() == "postgresql") {
    auto other_clock = std::make_unique<ManualClock>();
    other_clock->advance(clock_->now() - other_clock->now());
    other = cli::build_runtime(config_, std::move(other_clock));
    other_server = cli::make_server(*other, config_);
    other_server->start();
    other_client = std::make_unique<HttpClient>(other_server->port());
  }
  std::vector<TestUser> backers;
  for (int n = 0; n < 5; ++n) backers.push_back(signup("crowd"));
  std::vector<int> statuses(200, 0);
  std::vector<std::thread> threads;
  for (int n = 0; n < 200; ++n) {
    threads.emplace_back([&, n] {
      const HttpClient& client = other_client && n % 2 ? *other_client : http();
      const Json body = {{"amount_cents", 1000}, {"payment_method", "sandbox_card"}};
      statuses[static_cast<std::size_t>(n)] =
          client
              .request(
                  "POST", "/api/v1/campaigns/" + id + "/pledges", body.dump(),
                  {{"Content-Type", "application/json"},
                   {"Authorization", "Bearer " + backers[static_cast<std::size_t>(n % 5)].token},
                   {"Idempotency-Key", "crowd-" + std::to_string(n)}})
              .status;
    });
  }
  for (auto& thread : threads) thread.join();
  if (other_server) {
    other_server->stop();
    other_server->wait();
  }
  for (int status : statuses) EXPECT_EQ(status, 201);
  EXPECT_EQ(get_campaign(id)["raised_cents"], 200000);
  EXPECT_EQ(get_campaign(id)["matched_cents"], 50000);
  const auto call = get_call(call_id);
  EXPECT_EQ(call["committed_cents"], 50000);
  EXPECT_EQ(call["remaining_cents"], 0);
  // Exactly 50 matches on the ledger, of 10 € each.
  seal_all();
  int matches = 0;
  for (std::string cursor;;) {
    const auto page = http()
                          .get("/api/v1/campaigns/" + id + "/ledger?limit=200" +
                               (cursor.empty() ? "" : "&cursor=" + cursor))
                          .json();
    for (const auto& t : page["items"]) {
      if (t["kind"] == "match") {
        EXPECT_EQ(t["amount_cents"], 1000);
        ++matches;
      }
    }
    if (page["next"].is_null()) break;
    cursor = page["next"];
  }
  EXPECT_EQ(matches, 50);
  expect_ledger_intact();
}

TEST_P(CallsTest, TerritoriesAddUpToTheCampaignsAndAreOpenData) {
  const std::string call_id = open_call()["id"];
  const std::string matched = matched_campaign(call_id);
  const std::string plain = live({{"title", "Sans abondement"}, {"category", "culture"}})["id"];
  ASSERT_EQ(card(matched, 3000, "a", backer.token).status, 201);
  ASSERT_EQ(card(plain, 1500, "b", backer.token).status, 201);
  const auto second = signup("second");
  ASSERT_EQ(card(plain, 500, "c", second.token).status, 201);
  // An organisation elsewhere, with no place given.
  const auto other_admin = signup("ailleurs");
  const std::string elsewhere = create_org(other_admin.token, "Ailleurs");
  auto far = http().json("POST", "/api/v1/campaigns",
                         campaign_body({{"org_id", elsewhere}, {"rewards", Json::array()}}),
                         other_admin.token);
  ASSERT_EQ(far.status, 201) << far.body;
  const std::string far_id = far.json()["campaign"]["id"];
  ASSERT_EQ(
      http().json("POST", "/api/v1/campaigns/" + far_id + "/submit", other_admin.token).status,
      200);
  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + far_id + "/approve", moderator.token).status,
            200);
  ASSERT_EQ(card(far_id, 700, "d", backer.token).status, 201);

  // A campaign counts in the year it was launched.
  const std::string year = core::paris_date_field(clock_->now()).substr(0, 4);
  auto res = http().get("/api/v1/data/territories?level=region&year=" + year);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_NE(res.header("link").find("etalab"), std::string::npos);
  const auto items = res.json()["items"];
  EXPECT_GE(items.size(), 18u);  // every region, for the map
  std::int64_t raised = 0, matched_total = 0, campaigns = 0;
  Json ara;
  for (const auto& line : items) {
    raised += line["raised_cents"].get<std::int64_t>();
    matched_total += line["matched_cents"].get<std::int64_t>();
    campaigns += line["campaigns"].get<std::int64_t>();
    if (line["code"] == "84") ara = line;
  }
  // Equal to the sum of the campaigns.
  std::int64_t expected_raised = 0, expected_matched = 0;
  for (const auto& id : {matched, plain, far_id}) {
    const auto c = get_campaign(id);
    expected_raised += c["raised_cents"].get<std::int64_t>();
    expected_matched += c["matched_cents"].get<std::int64_t>();
  }
  EXPECT_EQ(raised, expected_raised);
  EXPECT_EQ(matched_total, expected_matched);
  EXPECT_EQ(campaigns, 3);
  EXPECT_EQ(ara["name"], "Auvergne-Rhône-Alpes");
  EXPECT_EQ(ara["campaigns"], 2);
  EXPECT_EQ(ara["raised_cents"], 5000);
  EXPECT_EQ(ara["matched_cents"], 3000);
  EXPECT_EQ(ara["backers"], 2);
  EXPECT_EQ(ara["organisations"], 1);
  EXPECT_EQ(ara["by_category"]["food"]["raised_cents"], 3000);
  EXPECT_EQ(ara["by_category"]["culture"]["raised_cents"], 2000);
  EXPECT_EQ(ara["by_legal_form"]["association"]["campaigns"], 2);
  EXPECT_NEAR(ara["leverage"].get<double>(), 5000.0 / 3000.0, 1e-9);
  // Departments: the Rhône has both.
  const auto departments =
      http().get("/data/territories.json?level=department&year=" + year).json()["items"];
  bool rhone = false;
  for (const auto& line : departments) {
    if (line["code"] == "69") {
      rhone = true;
      EXPECT_EQ(line["raised_cents"], 5000);
    }
  }
  EXPECT_TRUE(rhone);
  // The spec's own path answers the same.
  EXPECT_EQ(http().get("/data/territories?year=" + year).json()["items"], items);
  // The CSV download, with the licence.
  auto csv = http().get("/data/territories.csv?year=" + year);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
  EXPECT_NE(csv.body.find("\"84\",\"Auvergne-Rhône-Alpes\",\"2\",\"0\",\"50.00\",\"30.00\""),
            std::string::npos)
      << csv.body;
  // Bad queries.
  expect_error(http().get("/api/v1/data/territories?level=canton"), 400, "validation_failed");
  expect_error(http().get("/api/v1/data/territories?year=19"), 400, "validation_failed");
  // Another year has nothing.
  const auto empty = http().get("/api/v1/data/territories?year=2001").json();
  for (const auto& line : empty["items"]) EXPECT_EQ(line["campaigns"], 0);
}

TEST_P(CallsTest, PagesShowTheCallTheMatchAndTheMap) {
  const std::string call_id = open_call()["id"];
  const std::string id = matched_campaign(call_id);
  ASSERT_EQ(card(id, 2500, "a", backer.token).status, 201);
  const auto calls = http().get("/calls");
  ASSERT_EQ(calls.status, 200);
  EXPECT_NE(calls.body.find("Tiers-lieux solidaires 2027"), std::string::npos);
  const auto call = http().get("/calls/" + call_id);
  ASSERT_EQ(call.status, 200);
  EXPECT_NE(call.body.find("Un four à pain pour le quartier"), std::string::npos);
  EXPECT_NE(call.body.find("25,00"), std::string::npos);
  const auto campaign = http().get("/campaigns/" + id);
  ASSERT_EQ(campaign.status, 200);
  EXPECT_NE(campaign.body.find("abondés par"), std::string::npos);
  EXPECT_NE(campaign.body.find("Région Auvergne-Rhône-Alpes"), std::string::npos);
  EXPECT_NE(campaign.body.find("class=\"match-bar\""), std::string::npos);
  // The funder's page lists its calls.
  const auto funder_page = http().get("/orgs/" + funder_org);
  EXPECT_NE(funder_page.body.find("/calls/" + call_id), std::string::npos);
  const auto map = http().get("/territoires");
  ASSERT_EQ(map.status, 200);
  EXPECT_NE(map.body.find("<svg"), std::string::npos);
  EXPECT_NE(map.body.find("Auvergne-Rhône-Alpes"), std::string::npos);
  EXPECT_NE(map.body.find("Licence Ouverte"), std::string::npos);
  EXPECT_EQ(http().get("/territoires?year=abc").status, 400);
  EXPECT_EQ(http().get("/calls/nope").status, 404);
}

ESSOR_ON_EVERY_DATABASE(CallsTest);

}  // namespace
}  // namespace essor::testing
