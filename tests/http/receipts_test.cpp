// Tax receipts, spec "Tax receipts": the organisation's settings, a
// receipt for each confirmed gift whose donor asked for one (numbers
// without gaps, even for 50 gifts at once), the reward rule, cancellation
// on refund, annual receipts, and the PDF read back by pdftotext.
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

#include "campaign_fixture.hpp"
#include "store/database.hpp"

namespace essor::testing {
namespace {

const Json kDonor = {{"full_name", "Jeanne Lambert"},
                     {"address_line", "12 rue des Lilas"},
                     {"postal_code", "69003"},
                     {"city", "Lyon"}};

class ReceiptsTest : public CampaignsTest {
 protected:
  void SetUp() override {
    CampaignsTest::SetUp();
    if (IsSkipped()) return;
    auto res = http().json("PATCH", "/api/v1/orgs/" + org_id,
                           {{"siren", "732829320"},
                            {"tax_receipts",
                             {{"enabled", true},
                              {"legal_basis", "200"},
                              {"object", "Réemploi et réparation d'objets du quotidien"},
                              {"address", "4 place du Marché, 69001 Lyon"},
                              {"signatory", "Camille Martin, présidente"}}}},
                           admin.token);
    ASSERT_EQ(res.status, 200) << res.body;
  }

  Json mine(const std::string& token) const {
    return http().json("GET", "/api/v1/me/receipts", token).json()["items"];
  }
};

TEST_P(ReceiptsTest, SettingsAreTheAdminsAndChecked) {
  const auto org = http().json("GET", "/api/v1/orgs/" + org_id).json()["org"];
  EXPECT_EQ(org["tax_receipts"]["enabled"], true);
  EXPECT_EQ(org["tax_receipts"]["legal_basis"], "200");
  expect_error(http().json("PATCH", "/api/v1/orgs/" + org_id,
                           {{"tax_receipts", {{"enabled", false}, {"legal_basis", "200"}}}},
                           treasurer.token),
               403, "forbidden");
  expect_error(
      http().json("PATCH", "/api/v1/orgs/" + org_id,
                  {{"tax_receipts", {{"enabled", false}, {"legal_basis", "200"}}}}, backer.token),
      403, "forbidden");
  auto bad = http().json(
      "PATCH", "/api/v1/orgs/" + org_id,
      {{"name", "Autre nom"}, {"tax_receipts", {{"enabled", true}, {"legal_basis", "978"}}}},
      admin.token);
  expect_error(bad, 400, "validation_failed");
  EXPECT_TRUE(bad.json()["error"]["fields"].contains("tax_receipts.legal_basis")) << bad.body;
  EXPECT_TRUE(bad.json()["error"]["fields"].contains("tax_receipts.object")) << bad.body;
  // Nothing changed, the name included.
  const auto after = http().json("GET", "/api/v1/orgs/" + org_id).json()["org"];
  EXPECT_EQ(after["name"], org["name"]);
  EXPECT_EQ(after["tax_receipts"]["object"], org["tax_receipts"]["object"]);
}

TEST_P(ReceiptsTest, AConfirmedGiftGetsItsReceiptWithEveryMention) {
  const std::string id = live()["id"];
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 123450}, {"payment_method", "sandbox_card"}}, "n1", backer.token)
          .status,
      201);
  EXPECT_TRUE(mine(backer.token).empty());  // no details given: no receipt
  auto gift = pledge(
      id, {{"amount_cents", 123450}, {"payment_method", "sandbox_card"}, {"receipt", kDonor}}, "r1",
      backer.token);
  ASSERT_EQ(gift.status, 201) << gift.body;
  const auto receipts = mine(backer.token);
  ASSERT_EQ(receipts.size(), 1u);
  const auto r = receipts[0];
  EXPECT_EQ(r["org_name"], http().json("GET", "/api/v1/orgs/" + org_id).json()["org"]["name"]);
  const std::string year = core::paris_date_field(clock_->now()).substr(0, 4);
  EXPECT_EQ(r["number"], year + "-000001");
  EXPECT_EQ(r["amount_cents"], 123450);
  EXPECT_EQ(r["kind"], "single");
  EXPECT_EQ(r["status"], "issued");
  // The donor is told by mail, with the link to their receipts.
  std::vector<app::OutboxMail> mails;
  runtime_->store->read(
      [&](app::ReadTx& tx) { mails = tx.outbox().recent_outbox(core::UserId{backer.id}, 20); });
  int told = 0;
  for (const auto& mail : mails)
    told += mail.kind == "receipt_issued" && mail.body.find("/me/receipts") != std::string::npos;
  EXPECT_EQ(told, 1);

  auto pdf = http().get("/api/v1/receipts/" + r["id"].get<std::string>() + ".pdf",
                        {{"Authorization", "Bearer " + backer.token}});
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  const std::string text = pdf_text(pdf.body);
  for (const std::string& mention : std::vector<std::string>{
           "11580*04", year + "-000001", "La Ressourcerie", "732829320",
           "4 place du Marché, 69001 Lyon", "Réemploi et réparation", "Jeanne Lambert",
           "12 rue des Lilas, 69003 Lyon", "1 234,50",
           "mille deux cent trente-quatre euros et cinquante centimes", "[X] 200 du CGI",
           "238 bis du CGI", "978 du CGI", "déclaration de don manuel", "numéraire",
           "carte bancaire", "Camille Martin, présidente", "certifie sur l'honneur"}) {
    EXPECT_NE(text.find(mention), std::string::npos) << mention << "\n" << text;
  }
  // The organisation's treasury reads it; nobody else.
  EXPECT_EQ(http()
                .get("/api/v1/receipts/" + r["id"].get<std::string>() + ".pdf",
                     {{"Authorization", "Bearer " + treasurer.token}})
                .status,
            200);
  const auto stranger = signup("stranger");
  expect_error(http().get("/api/v1/receipts/" + r["id"].get<std::string>() + ".pdf",
                          {{"Authorization", "Bearer " + stranger.token}}),
               403, "forbidden");
  expect_error(
      http().get("/api/v1/receipts/nope.pdf", {{"Authorization", "Bearer " + admin.token}}), 404,
      "not_found");
  auto list = http().json("GET", "/api/v1/orgs/" + org_id + "/receipts?year=" + year, admin.token);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["items"].size(), 1u);
  expect_error(http().json("GET", "/api/v1/orgs/" + org_id + "/receipts", backer.token), 403,
               "forbidden");
}

TEST_P(ReceiptsTest, ARewardWorthMoreThanAQuarterIsDeducted) {
  const auto campaign = live();
  const std::string id = campaign["id"];
  const std::string reward = campaign["rewards"][0]["id"];  // "Une fournée", 20 €
  ASSERT_EQ(pledge(id,
                   {{"amount_cents", 10000},
                    {"reward_id", reward},
                    {"payment_method", "sandbox_card"},
                    {"receipt", kDonor}},
                   "w1", backer.token)
                .status,
            201);
  ASSERT_EQ(pledge(id,
                   {{"amount_cents", 5000},
                    {"reward_id", reward},
                    {"payment_method", "sandbox_card"},
                    {"receipt", kDonor}},
                   "w2", backer.token)
                .status,
            201);
  std::multiset<std::int64_t> amounts;
  for (const auto& r : mine(backer.token)) amounts.insert(r["amount_cents"].get<std::int64_t>());
  // 20 € is a quarter of 100 € (kept whole); 40 % of 50 € (deducted).
  EXPECT_EQ(amounts, (std::multiset<std::int64_t>{3000, 10000}));
}

// A reward's own value, when the organisation gives it, is what the rule
// weighs (spec: value_cents, default its minimum).
TEST_P(ReceiptsTest, ARewardsOwnValueIsWhatTheRuleWeighs) {
  const auto campaign = live({{"rewards", Json::array({{{"title", "Un tablier"},
                                                        {"description", "Brodé"},
                                                        {"min_amount_cents", 2000},
                                                        {"value_cents", 3500}}})}});
  const std::string id = campaign["id"];
  ASSERT_EQ(campaign["rewards"].size(), 1u);
  EXPECT_EQ(campaign["rewards"][0]["value_cents"], 3500);
  ASSERT_EQ(pledge(id,
                   {{"amount_cents", 10000},
                    {"reward_id", campaign["rewards"][0]["id"]},
                    {"payment_method", "sandbox_card"},
                    {"receipt", kDonor}},
                   "v1", backer.token)
                .status,
            201);
  // 35 € is more than a quarter of 100 €: deducted (the minimum, 20 €,
  // would have been kept whole).
  const auto receipts = mine(backer.token);
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0]["amount_cents"], 6500);
  auto bad = http().json(
      "POST", "/api/v1/campaigns",
      campaign_body(
          {{"rewards",
            Json::array({{{"title", "X"}, {"min_amount_cents", 100}, {"value_cents", -1}}})}}),
      admin.token);
  expect_error(bad, 400, "validation_failed");
  EXPECT_TRUE(bad.json()["error"]["fields"].contains("rewards[0].value_cents")) << bad.body;
}

TEST_P(ReceiptsTest, BadDetailsOrNoReceiptsChangeNothing) {
  const std::string id = live()["id"];
  const auto before = transfers_count();
  Json partial = kDonor;
  partial.erase("city");
  auto bad =
      pledge(id, {{"amount_cents", 1000}, {"payment_method", "sandbox_card"}, {"receipt", partial}},
             "b1", backer.token);
  expect_error(bad, 400, "validation_failed");
  EXPECT_TRUE(bad.json()["error"]["fields"].contains("receipt.city"));
  expect_error(
      pledge(id, {{"amount_cents", 1000}, {"payment_method", "sandbox_card"}, {"receipt", 5}}, "b2",
             backer.token),
      400, "validation_failed");
  // What the receipt prints is on one line each, readable as it is.
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, std::string>>{{"full_name", "Jeanne\nLambert"},
                                                        {"address_line", "\u202E12 rue"},
                                                        {"postal_code", "69\t003"},
                                                        {"city", "Ly\x01on"}}) {
    Json donor = kDonor;
    donor[field] = value;
    auto refused =
        pledge(id, {{"amount_cents", 1000}, {"payment_method", "sandbox_card"}, {"receipt", donor}},
               "b-" + field, backer.token);
    expect_error(refused, 400, "validation_failed");
    EXPECT_TRUE(refused.json()["error"]["fields"].contains("receipt." + field)) << refused.body;
  }
  // An organisation that does not issue receipts.
  ASSERT_EQ(
      http()
          .json("PATCH", "/api/v1/orgs/" + org_id,
                {{"tax_receipts", {{"enabled", false}, {"legal_basis", "200"}, {"object", ""}}}},
                admin.token)
          .status,
      200);
  auto refused =
      pledge(id, {{"amount_cents", 1000}, {"payment_method", "sandbox_card"}, {"receipt", kDonor}},
             "b3", backer.token);
  expect_error(refused, 400, "validation_failed");
  EXPECT_TRUE(refused.json()["error"]["fields"].contains("receipt"));
  EXPECT_EQ(transfers_count(), before);
  EXPECT_TRUE(mine(backer.token).empty());
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/receipts/annual", {{"year", 2026}},
                           admin.token),
               409, "receipts_disabled");
}

TEST_P(ReceiptsTest, ARefundCancelsTheReceiptWhichKeepsItsNumber) {
  const std::string id =
      live({{"funding_model", "all_or_nothing"}, {"goal_cents", 1'000'000}})["id"];
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 5000}, {"payment_method", "sandbox_card"}, {"receipt", kDonor}},
             "f1", backer.token)
          .status,
      201);
  const std::string number = mine(backer.token)[0]["number"];
  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + id + "/close", admin.token).status, 200);
  const auto receipts = mine(backer.token);
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0]["status"], "cancelled");
  EXPECT_EQ(receipts[0]["number"], number);
  // The next receipt takes the next number: none is reused.
  const std::string other = live()["id"];
  ASSERT_EQ(pledge(other,
                   {{"amount_cents", 700}, {"payment_method", "sandbox_card"}, {"receipt", kDonor}},
                   "f2", backer.token)
                .status,
            201);
  std::set<std::string> numbers;
  for (const auto& r : mine(backer.token)) numbers.insert(r["number"]);
  EXPECT_EQ(numbers.size(), 2u);
  EXPECT_TRUE(numbers.count(number.substr(0, 5) + "000002"));
}

TEST_P(ReceiptsTest, FiftyConcurrentGiftsGetFiftyConsecutiveNumbers) {
  const std::string id = live()["id"];
  std::vector<TestUser> donors;
  for (int n = 0; n < 5; ++n) donors.push_back(signup("donor"));
  std::vector<std::thread> threads;
  std::vector<int> statuses(50, 0);
  for (int n = 0; n < 50; ++n) {
    threads.emplace_back([&, n] {
      statuses[static_cast<std::size_t>(n)] =
          pledge(
              id,
              {{"amount_cents", 1000 + n}, {"payment_method", "sandbox_card"}, {"receipt", kDonor}},
              "c" + std::to_string(n), donors[static_cast<std::size_t>(n % 5)].token)
              .status;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int status : statuses) EXPECT_EQ(status, 201);
  const auto list = http().json("GET", "/api/v1/orgs/" + org_id + "/receipts", admin.token).json();
  ASSERT_EQ(list["items"].size(), 50u);
  std::set<std::string> numbers;
  for (const auto& r : list["items"]) numbers.insert(r["number"]);
  const std::string year = core::paris_date_field(clock_->now()).substr(0, 4);
  std::set<std::string> expected;
  for (int n = 1; n <= 50; ++n) {
    char number[16];
    std::snprintf(number, sizeof number, "-%06d", n);
    expected.insert(year + number);
  }
  EXPECT_EQ(numbers, expected);
}

// The same on two instances sharing PostgreSQL: half of the gifts go
// through a second server; the numbers are still 1 to 50, no gap, no twin.
TEST_P(ReceiptsTest, TwoInstancesNumberReceiptsWithoutGapsOrTwins) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "several instances share PostgreSQL only";
  const std::string id = live()["id"];
  auto other_clock = std::make_unique<ManualClock>();
  other_clock->advance(clock_->now() - other_clock->now());
  auto other = cli::build_runtime(config_, std::move(other_clock));
  auto other_server = cli::make_server(*other, config_);
  other_server->start();
  const HttpClient other_client(other_server->port());
  std::vector<TestUser> donors;
  for (int n = 0; n < 5; ++n) donors.push_back(signup("donor"));
  std::vector<int> statuses(50, 0);
  std::vector<std::thread> threads;
  for (int n = 0; n < 50; ++n) {
    threads.emplace_back([&, n] {
      const HttpClient& client = n % 2 ? other_client : http();
      const Json body = {
          {"amount_cents", 1000 + n}, {"payment_method", "sandbox_card"}, {"receipt", kDonor}};
      statuses[static_cast<std::size_t>(n)] =
          client
              .request(
                  "POST", "/api/v1/campaigns/" + id + "/pledges", body.dump(),
                  {{"Content-Type", "application/json"},
                   {"Authorization", "Bearer " + donors[static_cast<std::size_t>(n % 5)].token},
                   {"Idempotency-Key", "two-" + std::to_string(n)}})
              .status;
    });
  }
  for (auto& thread : threads) thread.join();
  other_server->stop();
  other_server->wait();
  for (int status : statuses) EXPECT_EQ(status, 201);
  const auto list = http().json("GET", "/api/v1/orgs/" + org_id + "/receipts", admin.token).json();
  ASSERT_EQ(list["items"].size(), 50u);
  std::set<std::int64_t> seqs;
  for (const auto& r : list["items"]) {
    const std::string number = r["number"];
    seqs.insert(std::stoll(number.substr(number.find('-') + 1)));
  }
  ASSERT_EQ(seqs.size(), 50u);
  EXPECT_EQ(*seqs.begin(), 1);
  EXPECT_EQ(*seqs.rbegin(), 50);
}

TEST_P(ReceiptsTest, AnnualReceiptsCoverRegularGiftsAndDuesOnce) {
  auto plan = http().json(
      "POST", "/api/v1/orgs/" + org_id + "/membership-plans",
      {{"name", "Adhésion"}, {"amount_cents", 2000}, {"period", "twelve_months"}}, admin.token);
  ASSERT_EQ(plan.status, 201);
  auto dues = http().request(
      "POST",
      "/api/v1/membership-plans/" + plan.json()["plan"]["id"].get<std::string>() + "/subscriptions",
      Json{{"payment_method", "sandbox_card"}, {"receipt", kDonor}}.dump(),
      {{"Content-Type", "application/json"},
       {"Authorization", "Bearer " + backer.token},
       {"Idempotency-Key", "a1"}});
  ASSERT_EQ(dues.status, 201) << dues.body;
  auto gift = http().request(
      "POST", "/api/v1/orgs/" + org_id + "/recurring-gifts",
      Json{{"amount_cents", 1500}, {"interval", "month"}, {"payment_method", "sandbox_card"}}
          .dump(),
      {{"Content-Type", "application/json"},
       {"Authorization", "Bearer " + backer.token},
       {"Idempotency-Key", "a2"}});
  ASSERT_EQ(gift.status, 201) << gift.body;
  // Someone who gave no name and address gets none.
  auto anonymous = http().request(
      "POST", "/api/v1/orgs/" + org_id + "/recurring-gifts",
      Json{{"amount_cents", 500}, {"interval", "month"}, {"payment_method", "sandbox_card"}}.dump(),
      {{"Content-Type", "application/json"},
       {"Authorization", "Bearer " + treasurer.token},
       {"Idempotency-Key", "a3"}});
  ASSERT_EQ(anonymous.status, 201);
  const int year = core::paris_time(clock_->now()).year;
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/receipts/annual", {{"year", year}},
                           treasurer.token),
               403, "forbidden");
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/receipts/annual", {{"year", 1999}},
                           admin.token),
               400, "validation_failed");
  auto made = http().json("POST", "/api/v1/orgs/" + org_id + "/receipts/annual", {{"year", year}},
                          admin.token);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json()["created"], 1);
  auto again = http().json("POST", "/api/v1/orgs/" + org_id + "/receipts/annual", {{"year", year}},
                           admin.token);
  EXPECT_EQ(again.json()["created"], 0);
  const auto receipts = mine(backer.token);
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0]["kind"], "annual");
  EXPECT_EQ(receipts[0]["amount_cents"], 3500);
  EXPECT_TRUE(mine(treasurer.token).empty());
}

TEST_P(ReceiptsTest, JanuaryIssuesLastYearsAnnualReceiptsByItself) {
  auto gift = http().request("POST", "/api/v1/orgs/" + org_id + "/recurring-gifts",
                             Json{{"amount_cents", 1500},
                                  {"interval", "month"},
                                  {"payment_method", "sandbox_card"},
                                  {"receipt", kDonor}}
                                 .dump(),
                             {{"Content-Type", "application/json"},
                              {"Authorization", "Bearer " + backer.token},
                              {"Idempotency-Key", "j1"}});
  ASSERT_EQ(gift.status, 201) << gift.body;
  const auto year = core::paris_time(clock_->now()).year;
  // Nothing before January.
  if (core::paris_time(clock_->now()).month != 1) {
    EXPECT_EQ(runtime_->receipts->run_annual_due(), 0);
  }
  EXPECT_TRUE(mine(backer.token).empty());
  // The 5th of next January, at noon in Paris.
  clock_->advance(*core::from_paris_time(year + 1, 1, 5, 12, 0) - clock_->now());
  EXPECT_EQ(runtime_->receipts->run_annual_due(), 1);
  EXPECT_EQ(runtime_->receipts->run_annual_due(), 0);  // once a day
  clock_->advance(86'400'000);
  EXPECT_EQ(runtime_->receipts->run_annual_due(), 0);  // nothing new to receipt
  // A month on, the backer signs in again (sessions last 30 days).
  const std::string token =
      http()
          .json("POST", "/api/v1/auth/login", {{"email", backer.email}, {"password", kPassword}})
          .json()["token"];
  const auto receipts = mine(token);
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0]["kind"], "annual");
  EXPECT_EQ(receipts[0]["year"], year);
  EXPECT_EQ(receipts[0]["amount_cents"], 1500);
}

// An association that gives more receipts than a page holds: the API's
// cursor and the page's links reach every one of them, in any year.
TEST_P(ReceiptsTest, EveryReceiptOfAnOrganisationCanBeReached) {
  // 10,050 receipts: 10,000 in 2025, 50 in 2026 (more than the old cap).
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050) "
      "INSERT INTO receipts (id, org_id, user_id, number, year, seq, kind, status, amount_cents, "
      "gift_cents, donor_name, donor_address, donor_postal_code, donor_city, source_kind, "
      "given_at, issued_at) SELECT 'r' || i, '" +
          org_id + "', '" + backer.id +
          "', 'n' || i, CASE WHEN i <= 10000 THEN 2025 ELSE 2026 END, CASE WHEN i <= 10000 "
          "THEN i ELSE i - 10000 END, 'single', 'issued', 1000, 1000, 'Donateur ' || i, "
          "'1 rue', '69001', 'Lyon', 'pledge', i, i FROM n");
  const std::string api = "/api/v1/orgs/" + org_id + "/receipts?limit=200";
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto res =
        http().json("GET", api + (cursor.empty() ? "" : "&cursor=" + cursor), treasurer.token);
    ASSERT_EQ(res.status, 200) << res.body;
    const Json body = res.json();
    for (const auto& r : body["items"]) seen.insert(r["id"].get<std::string>());
    cursor = body["next"].is_null() ? "" : body["next"].get<std::string>();
    ASSERT_LT(++pages, 60);
  } while (!cursor.empty());
  EXPECT_EQ(seen.size(), 10050u);
  EXPECT_EQ(pages, 51);
  // One year's, newest first, to its end.
  auto year = http().json("GET", "/api/v1/orgs/" + org_id + "/receipts?year=2026&limit=40",
                          treasurer.token);
  ASSERT_EQ(year.status, 200);
  EXPECT_EQ(year.json()["items"].size(), 40u);
  EXPECT_EQ(year.json()["items"][0]["number"], "n10050");
  auto rest = http().json("GET",
                          "/api/v1/orgs/" + org_id + "/receipts?year=2026&limit=40&cursor=" +
                              year.json()["next"].get<std::string>(),
                          treasurer.token);
  EXPECT_EQ(rest.json()["items"].size(), 10u);
  EXPECT_TRUE(rest.json()["next"].is_null());
  // The page: a hundred at a time, with its links.
  const std::map<std::string, std::string> cookie{{"Cookie", "essor_session=" + treasurer.token}};
  const std::string path = "/orgs/" + org_id + "/receipts";
  const auto rows = [](const std::string& html) { return occurrences(html, "<tr><td><a"); };
  const auto first = http().get(path, cookie);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(rows(first.body), 100u);
  EXPECT_NE(first.body.find("href=\"" + path + "?page=2\" rel=\"next\""), std::string::npos);
  const auto last = http().get(path + "?page=101", cookie);
  ASSERT_EQ(last.status, 200);
  EXPECT_EQ(rows(last.body), 50u);
  EXPECT_NE(last.body.find("n1<"), std::string::npos);  // the oldest
  EXPECT_EQ(last.body.find("rel=\"next\""), std::string::npos);
  // Neither a backer nor a member of another organisation reads them.
  expect_error(http().json("GET", api, backer.token), 403, "forbidden");
  const auto elsewhere = signup("ailleurs");
  create_org(elsewhere.token, "Une autre association");
  expect_error(http().json("GET", api, elsewhere.token), 403, "forbidden");
  EXPECT_EQ(http().get(path + "?page=2", {{"Cookie", "essor_session=" + backer.token}}).status,
            403);
}

ESSOR_ON_EVERY_DATABASE(ReceiptsTest);

}  // namespace
}  // namespace essor::testing
