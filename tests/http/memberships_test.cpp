// Memberships (adhésions), spec "Memberships": plans, dues by card and by
// bank transfer, the register, the role a voting plan gives, eligibility
// that follows paid dues, reminders and expiry, on both databases.
#include <set>

#include "campaign_fixture.hpp"
#include "core/membership.hpp"
#include "store/database.hpp"

namespace essor::testing {
namespace {

class MembershipsTest : public CampaignsTest {
 protected:
  Json plan(Json overrides = Json::object()) {
    Json body = {{"name", "Adhésion annuelle"},
                 {"amount_cents", 2000},
                 {"period", "calendar_year"},
                 {"voting", true}};
    body.update(overrides);
    auto res =
        http().json("POST", "/api/v1/orgs/" + org_id + "/membership-plans", body, admin.token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["plan"];
  }

  HttpResult join(const std::string& plan_id, const Json& body, const std::string& key,
                  const std::string& token) const {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                               {"Authorization", "Bearer " + token}};
    if (!key.empty()) headers["Idempotency-Key"] = key;
    return http().request("POST", "/api/v1/membership-plans/" + plan_id + "/subscriptions",
                          body.dump(), headers);
  }

  std::string today() const { return core::paris_date_field(clock_->now()); }

  // Read in the store: sessions do not outlive the months a test skips.
  bool is_member(const std::string& user_id) const {
    bool member = false;
    runtime_->store->read([&](app::ReadTx& tx) {
      member = tx.orgs().member_role(core::OrgId{org_id}, core::UserId{user_id}).has_value();
    });
    return member;
  }

  int mails(const std::string& user_id, const std::string& kind) const {
    std::vector<app::OutboxMail> out;
    runtime_->store->read(
        [&](app::ReadTx& tx) { out = tx.outbox().recent_outbox(core::UserId{user_id}, 100); });
    int count = 0;
    for (const auto& mail : out) count += mail.kind == kind;
    return count;
  }
};

// The register's page lists every membership, a hundred at a time, its
// filter kept from one page to the next: it listed the first 1,000 only.
TEST_P(MembershipsTest, TheRegisterPageListsEveryMembershipAHundredAtATime) {
  const std::string plan_id = plan()["id"];
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150) "
      "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
      "wallet_id) SELECT 'adh' || i, 'adh' || i || '@t.example', 'adh' || i || '@t.example', "
      "'Adhérent ' || i, 'x', 1, 'wadh' || i FROM n");
  store::execute_for_tests(
      database_url(),
      "INSERT INTO paid_memberships (id, org_id, user_id, plan_id, status, starts_on, ends_on, "
      "amount_cents, payment_method, reference, created_at, updated_at) SELECT 'm' || id, '" +
          org_id + "', id, '" + plan_id +
          "', 'active', '2026-01-01', '2026-12-31', 2000, 'sandbox_card', 'ADH-' || id, "
          "CAST(substr(id, 4) AS INTEGER), 1 FROM users WHERE id LIKE 'adh%'");
  const std::map<std::string, std::string> cookie{{"Cookie", "essor_session=" + treasurer.token}};
  const auto rows = [](const std::string& html) { return occurrences(html, "<tr><td>"); };
  const std::string path = "/orgs/" + org_id + "/register?status=active";
  const auto first = http().get(path, cookie);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(rows(first.body), 100u);
  EXPECT_NE(first.body.find("href=\"" + path + "&amp;page=2\" rel=\"next\""), std::string::npos);
  const auto second = http().get(path + "&page=2", cookie);
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(rows(second.body), 50u);
  EXPECT_NE(second.body.find("href=\"" + path + "&amp;page=1\" rel=\"prev\""), std::string::npos);
  EXPECT_EQ(second.body.find("rel=\"next\""), std::string::npos);
  // Every one of them, once.
  std::set<std::string> names;
  for (const auto* res : {&first, &second}) {
    for (auto at = res->body.find("<tr><td>Adhérent "); at != std::string::npos;
         at = res->body.find("<tr><td>Adhérent ", at + 1))
      names.insert(res->body.substr(at + 8, res->body.find('<', at + 8) - at - 8));
  }
  EXPECT_EQ(names.size(), 150u);
  // A stranger still reads nothing of it.
  EXPECT_EQ(http().get(path + "&page=2", {{"Cookie", "essor_session=" + backer.token}}).status,
            403);
}

TEST_P(MembershipsTest, AdminsMakePlansThatAnyoneReads) {
  const auto created = plan();
  EXPECT_EQ(created["amount_cents"], 2000);
  EXPECT_EQ(created["period"], "calendar_year");
  EXPECT_EQ(created["voting"], true);
  EXPECT_EQ(created["free_amount"], false);
  const auto list = http().get("/api/v1/orgs/" + org_id + "/membership-plans");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json()["items"].size(), 1u);
  EXPECT_EQ(list.json()["items"][0]["id"], created["id"]);

  // A stranger and a treasurer may not; neither learns what the body lacks.
  const Json good = {{"name", "x"}, {"amount_cents", 100}, {"period", "twelve_months"}};
  expect_error(
      http().json("POST", "/api/v1/orgs/" + org_id + "/membership-plans", good, backer.token), 403,
      "forbidden");
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/membership-plans", Json::object(),
                           treasurer.token),
               403, "forbidden");
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/membership-plans", good), 401,
               "unauthenticated");
  expect_error(http().json("POST", "/api/v1/orgs/nope/membership-plans", good, admin.token), 404,
               "not_found");
  expect_error(http().get("/api/v1/orgs/nope/membership-plans"), 404, "not_found");

  // Bad input: every field named, nothing created.
  auto bad = http().json(
      "POST", "/api/v1/orgs/" + org_id + "/membership-plans",
      {{"name", ""}, {"amount_cents", "20"}, {"period", "weekly"}, {"voting", "yes"}}, admin.token);
  expect_error(bad, 400, "validation_failed");
  for (const char* field : {"name", "amount_cents", "period", "voting"})
    EXPECT_TRUE(bad.json()["error"]["fields"].contains(field)) << field << bad.body;
  expect_error(
      http().json("POST", "/api/v1/orgs/" + org_id + "/membership-plans",
                  {{"name", "x"}, {"amount_cents", 0}, {"period", "calendar_year"}}, admin.token),
      400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/membership-plans",
                           {{"name", "x"},
                            {"amount_cents", 1000},
                            {"free_amount", true},
                            {"min_amount_cents", 5000},
                            {"period", "calendar_year"}},
                           admin.token),
               400, "validation_failed");
  EXPECT_EQ(http().get("/api/v1/orgs/" + org_id + "/membership-plans").json()["items"].size(), 1u);
}

TEST_P(MembershipsTest, DuesByCardAreActiveOnTheLedgerAndMakeAVotingMember) {
  // Twelve months: paid ahead by more than 30 days whatever today's date.
  const std::string plan_id = plan({{"period", "twelve_months"}})["id"];
  const auto before = transfers_count();
  ASSERT_FALSE(is_member(backer.id));
  auto res = join(plan_id, {{"payment_method", "sandbox_card"}}, "k1", backer.token);
  ASSERT_EQ(res.status, 201) << res.body;
  const auto m = res.json()["membership"];
  EXPECT_EQ(m["status"], "active");
  EXPECT_EQ(m["org_id"], org_id);
  EXPECT_EQ(m["user_id"], backer.id);
  EXPECT_EQ(m["plan_id"], plan_id);
  EXPECT_EQ(m["amount_cents"], 2000);
  EXPECT_EQ(m["starts_on"], today());
  EXPECT_EQ(m["ends_on"], core::membership_ends_on(core::MembershipPeriod::twelve_months, today()));
  EXPECT_EQ(res.json()["payment"]["method"], "sandbox_card");
  EXPECT_EQ(transfers_count(), before + 1);
  const auto last =
      http().get("/api/v1/ledger/transfers?after_seq=" + std::to_string(before)).json()["items"][0];
  EXPECT_EQ(last["kind"], "membership");
  EXPECT_EQ(last["amount_cents"], 2000);
  EXPECT_EQ(last["credit_account"], "org:" + org_id);
  expect_ledger_intact();
  EXPECT_TRUE(is_member(backer.id));
  EXPECT_EQ(mails(backer.id, "membership_confirmed"), 1);

  // The same key and body: the same answer, no second charge.
  auto again = join(plan_id, {{"payment_method", "sandbox_card"}}, "k1", backer.token);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.json()["membership"]["id"], m["id"]);
  EXPECT_EQ(transfers_count(), before + 1);
  expect_error(join(plan_id, {{"payment_method", "sandbox_card"}, {"amount_cents", 2000}}, "k1",
                    backer.token),
               422, "idempotency_key_reused");
  // Paid for a year: a second membership of the plan now is refused.
  expect_error(join(plan_id, {{"payment_method", "sandbox_card"}}, "k2", backer.token), 409,
               "already_member");
  EXPECT_EQ(transfers_count(), before + 1);

  auto mine = http().json("GET", "/api/v1/me/memberships", backer.token);
  ASSERT_EQ(mine.json()["items"].size(), 1u);
  EXPECT_EQ(mine.json()["items"][0]["id"], m["id"]);
  EXPECT_EQ(mine.json()["items"][0]["org_name"],
            http().json("GET", "/api/v1/orgs/" + org_id).json()["org"]["name"]);
  EXPECT_TRUE(http().json("GET", "/api/v1/me/memberships", admin.token).json()["items"].empty());
}

TEST_P(MembershipsTest, BadSubscriptionsChangeNothing) {
  const std::string fixed = plan()["id"];
  const std::string free = plan({{"name", "Prix libre"},
                                 {"amount_cents", 3000},
                                 {"free_amount", true},
                                 {"min_amount_cents", 1000},
                                 {"period", "twelve_months"},
                                 {"voting", false}})["id"];
  const auto before = transfers_count();
  expect_error(join("nope", {{"payment_method", "sandbox_card"}}, "a", backer.token), 404,
               "not_found");
  expect_error(join(fixed, {{"payment_method", "cheque"}}, "b", backer.token), 400,
               "validation_failed");
  expect_error(join(fixed, {{"payment_method", "balance"}}, "b2", backer.token), 400,
               "validation_failed");
  expect_error(join(fixed, {{"payment_method", "sandbox_card"}}, "", backer.token), 400,
               "validation_failed");
  expect_error(
      join(fixed, {{"payment_method", "sandbox_card"}, {"amount_cents", 100}}, "c", backer.token),
      400, "validation_failed");
  auto low =
      join(free, {{"payment_method", "sandbox_card"}, {"amount_cents", 999}}, "d", backer.token);
  expect_error(low, 400, "validation_failed");
  EXPECT_TRUE(low.json()["error"]["fields"].contains("amount_cents"));
  expect_error(join(free, {{"payment_method", "sandbox_card"}, {"amount_cents", 10'000'001}}, "e",
                    backer.token),
               400, "validation_failed");
  expect_error(
      join(free, {{"payment_method", "sandbox_card"}, {"amount_cents", "12"}}, "f", backer.token),
      400, "validation_failed");
  expect_error(join(free, {{"payment_method", "sandbox_card"}}, "g", ""), 401, "unauthenticated");
  EXPECT_EQ(transfers_count(), before);
  EXPECT_TRUE(http().json("GET", "/api/v1/me/memberships", backer.token).json()["items"].empty());

  // A free amount at or above the minimum; twelve months end a year later.
  auto ok =
      join(free, {{"payment_method", "sandbox_card"}, {"amount_cents", 1000}}, "h", backer.token);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.json()["membership"]["amount_cents"], 1000);
  EXPECT_EQ(ok.json()["membership"]["ends_on"],
            core::membership_ends_on(core::MembershipPeriod::twelve_months, today()));
  // A plan without the vote makes nobody a member.
  EXPECT_FALSE(is_member(backer.id));
}

TEST_P(MembershipsTest, BankTransfersWaitForTheTreasurer) {
  const std::string plan_id = plan()["id"];
  const auto before = transfers_count();
  auto res = join(plan_id, {{"payment_method", "bank_transfer"}}, "t1", backer.token);
  ASSERT_EQ(res.status, 201) << res.body;
  const auto m = res.json()["membership"];
  const std::string id = m["id"];
  EXPECT_EQ(m["status"], "pending");
  EXPECT_EQ(m["starts_on"], today());
  EXPECT_EQ(m["ends_on"], today().substr(0, 4) + "-12-31");
  const auto payment = res.json()["payment"];
  EXPECT_EQ(payment["method"], "bank_transfer");
  EXPECT_EQ(payment["iban"], "FR7630004000031234567890143");
  EXPECT_EQ(payment["amount_cents"], 2000);
  EXPECT_EQ(payment["reference"], m["reference"]);
  EXPECT_EQ(transfers_count(), before);
  EXPECT_FALSE(is_member(backer.id));

  // The register: the treasurer and admins, nobody else.
  auto pending =
      http().json("GET", "/api/v1/orgs/" + org_id + "/memberships?status=pending", admin.token);
  ASSERT_EQ(pending.status, 200);
  ASSERT_EQ(pending.json()["items"].size(), 1u);
  EXPECT_EQ(pending.json()["items"][0]["id"], id);
  EXPECT_EQ(
      http()
          .json("GET", "/api/v1/orgs/" + org_id + "/memberships?status=active", treasurer.token)
          .json()["items"]
          .size(),
      0u);
  expect_error(http().json("GET", "/api/v1/orgs/" + org_id + "/memberships", backer.token), 403,
               "forbidden");
  expect_error(
      http().json("GET", "/api/v1/orgs/" + org_id + "/memberships?status=paid", admin.token), 400,
      "validation_failed");
  expect_error(http().json("GET", "/api/v1/orgs/" + org_id + "/memberships.csv", backer.token), 403,
               "forbidden");

  // Only the treasurer or admins confirm, once.
  expect_error(http().json("POST", "/api/v1/memberships/" + id + "/confirm", backer.token), 403,
               "forbidden");
  expect_error(http().json("POST", "/api/v1/memberships/nope/confirm", admin.token), 404,
               "not_found");
  auto confirmed = http().json("POST", "/api/v1/memberships/" + id + "/confirm", treasurer.token);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json()["membership"]["status"], "active");
  expect_error(http().json("POST", "/api/v1/memberships/" + id + "/confirm", admin.token), 409,
               "membership_not_pending");
  EXPECT_EQ(transfers_count(), before + 1);
  EXPECT_TRUE(is_member(backer.id));
  expect_ledger_intact();

  // The member reads their own; a stranger does not.
  EXPECT_EQ(http().json("GET", "/api/v1/memberships/" + id, backer.token).status, 200);
  const auto other = signup("other");
  expect_error(http().json("GET", "/api/v1/memberships/" + id, other.token), 403, "forbidden");

  // The register as CSV, for programs: a header and one line.
  auto csv = http().get("/api/v1/orgs/" + org_id + "/memberships.csv",
                        {{"Authorization", "Bearer " + admin.token}});
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("membership_id"), std::string::npos);
  EXPECT_NE(csv.body.find(id), std::string::npos);
  EXPECT_NE(csv.body.find("active"), std::string::npos);
}

TEST_P(MembershipsTest, VotingCanRequirePaidDues) {
  const std::string plan_id = plan()["id"];
  // Only admins set the rule; a wrong type is refused.
  expect_error(http().json("PATCH", "/api/v1/orgs/" + org_id, {{"voting_requires_dues", true}},
                           treasurer.token),
               403, "forbidden");
  expect_error(http().json("PATCH", "/api/v1/orgs/" + org_id, {{"voting_requires_dues", "yes"}},
                           admin.token),
               400, "validation_failed");
  auto set =
      http().json("PATCH", "/api/v1/orgs/" + org_id, {{"voting_requires_dues", true}}, admin.token);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json()["org"]["voting_requires_dues"], true);

  ASSERT_EQ(join(plan_id, {{"payment_method", "sandbox_card"}}, "v1", backer.token).status, 201);
  auto proposal = http().json("POST", "/api/v1/orgs/" + org_id + "/proposals",
                              {{"title", "Budget 2027"},
                               {"body_md", "x"},
                               {"method", "majority"},
                               {"closes_at", in_days(7)}},
                              admin.token);
  ASSERT_EQ(proposal.status, 201) << proposal.body;
  const std::string pid = proposal.json()["proposal"]["id"];
  // The backer paid: they vote. The admin and the treasurer did not.
  EXPECT_EQ(
      http()
          .json("POST", "/api/v1/proposals/" + pid + "/votes", {{"choice", "yes"}}, backer.token)
          .status,
      200);
  expect_error(
      http().json("POST", "/api/v1/proposals/" + pid + "/votes", {{"choice", "yes"}}, admin.token),
      403, "forbidden");
  const auto results = http().json("GET", "/api/v1/proposals/" + pid + "/results", admin.token);
  EXPECT_EQ(results.json()["eligible"], 1) << results.body;

  // Without the rule, every member votes again.
  ASSERT_EQ(
      http()
          .json("PATCH", "/api/v1/orgs/" + org_id, {{"voting_requires_dues", false}}, admin.token)
          .status,
      200);
  auto open = http().json("POST", "/api/v1/orgs/" + org_id + "/proposals",
                          {{"title", "Budget 2028"},
                           {"body_md", "x"},
                           {"method", "majority"},
                           {"closes_at", in_days(7)}},
                          admin.token);
  ASSERT_EQ(open.status, 201);
  EXPECT_EQ(http()
                .json("GET",
                      "/api/v1/proposals/" + open.json()["proposal"]["id"].get<std::string>() +
                          "/results",
                      admin.token)
                .json()["eligible"],
            3);
}

TEST_P(MembershipsTest, MembersAreRemindedThenTheirMembershipEnds) {
  const std::string plan_id = plan({{"period", "twelve_months"}})["id"];
  ASSERT_EQ(join(plan_id, {{"payment_method", "sandbox_card"}}, "r1", backer.token).status, 201);
  ASSERT_TRUE(is_member(backer.id));
  EXPECT_EQ(runtime_->memberships->run_due().reminded, 0);
  EXPECT_EQ(mails(backer.id, "membership_reminder"), 0);

  // 340 days later: within 30 days of the end, one reminder, once.
  clock_->advance(340LL * 86'400'000);
  EXPECT_EQ(runtime_->memberships->run_due().reminded, 1);
  EXPECT_EQ(runtime_->memberships->run_due().reminded, 0);
  EXPECT_EQ(mails(backer.id, "membership_reminder"), 1);
  EXPECT_TRUE(is_member(backer.id));

  // After its last day: expired, and the role it gave goes with it.
  clock_->advance(30LL * 86'400'000);
  const auto done = runtime_->memberships->run_due();
  EXPECT_EQ(done.expired, 1);
  EXPECT_EQ(runtime_->memberships->run_due().expired, 0);
  std::vector<app::MembershipRecord> mine;
  runtime_->store->read(
      [&](app::ReadTx& tx) { mine = tx.dues().memberships_of_user(core::UserId{backer.id}); });
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].status, core::MembershipStatus::expired);
  EXPECT_FALSE(is_member(backer.id));
  // The admin keeps their role whatever the dues.
  EXPECT_TRUE(is_member(admin.id));
}

// The FEC read back as an independent program would: the standard's 18
// columns in its order, each entry balanced, dates in the year asked.
TEST_P(MembershipsTest, TheBooksOfAYearAreABalancedFec) {
  const std::string plan_id = plan()["id"];
  ASSERT_EQ(join(plan_id, {{"payment_method", "sandbox_card"}}, "f1", backer.token).status, 201);
  const auto campaign = live();
  const std::string cid = campaign["id"];
  ASSERT_EQ(
      pledge(cid, {{"amount_cents", 4550}, {"payment_method", "sandbox_card"}}, "p1", backer.token)
          .status,
      201);
  const std::string year = today().substr(0, 4);
  auto res = http().get("/api/v1/orgs/" + org_id + "/accounting/fec?year=" + year,
                        {{"Authorization", "Bearer " + treasurer.token}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_NE(res.header("content-type").find("text/plain"), std::string::npos);
  std::vector<std::vector<std::string>> rows;
  std::size_t start = 0;
  while (start < res.body.size()) {
    const auto end = res.body.find('\n', start);
    const std::string line = res.body.substr(start, end - start);
    start = end == std::string::npos ? res.body.size() : end + 1;
    std::vector<std::string> cells;
    std::size_t from = 0;
    for (;;) {
      const auto tab = line.find('\t', from);
      cells.push_back(line.substr(from, tab - from));
      if (tab == std::string::npos) break;
      from = tab + 1;
    }
    rows.push_back(cells);
  }
  ASSERT_GE(rows.size(), 5u);  // the header, two entries of two lines
  const std::vector<std::string> header = {
      "JournalCode", "JournalLib",  "EcritureNum", "EcritureDate", "CompteNum",     "CompteLib",
      "CompAuxNum",  "CompAuxLib",  "PieceRef",    "PieceDate",    "EcritureLib",   "Debit",
      "Credit",      "EcritureLet", "DateLet",     "ValidDate",    "Montantdevise", "Idevise"};
  EXPECT_EQ(rows[0], header);
  auto cents = [](const std::string& text) {
    const auto comma = text.find(',');
    EXPECT_NE(comma, std::string::npos) << text;
    return std::stoll(text.substr(0, comma)) * 100 + std::stoll(text.substr(comma + 1));
  };
  std::map<std::string, long long> balance;
  long long debits = 0;
  std::set<std::string> accounts;
  for (std::size_t idx = 1; idx < rows.size(); ++idx) {
    ASSERT_EQ(rows[idx].size(), 18u) << idx;
    const auto& r = rows[idx];
    EXPECT_EQ(r[3].size(), 8u);
    EXPECT_EQ(r[3].substr(0, 4), year);
    balance[r[2]] += cents(r[11]) - cents(r[12]);
    debits += cents(r[11]);
    accounts.insert(r[4]);
  }
  for (const auto& [entry, sum] : balance) EXPECT_EQ(sum, 0) << "entry " << entry;
  EXPECT_EQ(debits, 2000 + 4550);
  EXPECT_TRUE(accounts.count("756000"));  // the dues
  EXPECT_TRUE(accounts.count("754100"));  // the gift
  EXPECT_TRUE(accounts.count("512000"));
  EXPECT_TRUE(accounts.count("467100"));

  // The journal for French spreadsheets.
  auto csv = http().get("/api/v1/orgs/" + org_id + "/accounting/journal.csv?year=" + year,
                        {{"Authorization", "Bearer " + admin.token}});
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.body.find("\"Débit\";\"Crédit\""), std::string::npos);
  EXPECT_NE(csv.body.find("\"45,50\""), std::string::npos);

  // Bad input and strangers.
  expect_error(http().get("/api/v1/orgs/" + org_id + "/accounting/fec",
                          {{"Authorization", "Bearer " + admin.token}}),
               400, "validation_failed");
  expect_error(http().get("/api/v1/orgs/" + org_id + "/accounting/fec?year=20x6",
                          {{"Authorization", "Bearer " + admin.token}}),
               400, "validation_failed");
  expect_error(http().get("/api/v1/orgs/" + org_id + "/accounting/fec?year=2001",
                          {{"Authorization", "Bearer " + admin.token}}),
               404, "not_found");
  expect_error(http().get("/api/v1/orgs/" + org_id + "/accounting/fec?year=" + year,
                          {{"Authorization", "Bearer " + backer.token}}),
               403, "forbidden");
  expect_error(http().get("/api/v1/orgs/" + org_id + "/accounting/fec?year=" + year), 401,
               "unauthenticated");
  const auto other_admin = signup("elsewhere");
  create_org(other_admin.token, "Ailleurs");
  expect_error(http().get("/api/v1/orgs/" + org_id + "/accounting/journal.csv",
                          {{"Authorization", "Bearer " + other_admin.token}}),
               403, "forbidden");
}

// A CAMT.053 statement as banks send it (ISO 20022, camt.053.001.02):
// one Ntry per line, credits with their remittance text.
struct Line {
  std::string ref;
  std::string amount;  // "20.00"
  bool credit;
  std::string remittance;
};

std::string camt053(const std::vector<Line>& lines,
                    const std::string& ns = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02") {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"" + ns +
                    "\">\n<BkToCstmrStmt>\n<GrpHdr><MsgId>STMT-1</MsgId>"
                    "<CreDtTm>2026-12-02T08:00:00</CreDtTm></GrpHdr>\n<Stmt><Id>1</Id>"
                    "<CreDtTm>2026-12-02T08:00:00</CreDtTm><Acct><Id><IBAN>"
                    "FR7630004000031234567890143</IBAN></Id></Acct>\n";
  for (const auto& l : lines) {
    xml += "<Ntry><NtryRef>" + l.ref + "</NtryRef><Amt Ccy=\"EUR\">" + l.amount +
           "</Amt><CdtDbtInd>" + (l.credit ? "CRDT" : "DBIT") +
           "</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-12-01</Dt></BookgDt>"
           "<ValDt><Dt>2026-12-01</Dt></ValDt><AcctSvcrRef>BANK-" +
           l.ref +
           "</AcctSvcrRef><BkTxCd/><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId>"
           "</Refs><RmtInf><Ustrd>" +
           l.remittance + "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n";
  }
  return xml + "</Stmt>\n</BkToCstmrStmt>\n</Document>\n";
}

TEST_P(MembershipsTest, ABankStatementConfirmsTheTransfersItPaysOnce) {
  const std::string plan_id = plan()["id"];
  auto dues = join(plan_id, {{"payment_method", "bank_transfer"}}, "s1", backer.token);
  ASSERT_EQ(dues.status, 201);
  const std::string membership_id = dues.json()["membership"]["id"];
  const std::string dues_ref = dues.json()["membership"]["reference"];
  const std::string cid = live()["id"];
  auto gift = pledge(cid, {{"amount_cents", 4550}, {"payment_method", "bank_transfer"}}, "s2",
                     backer.token);
  ASSERT_EQ(gift.status, 201);
  const std::string pledge_id = gift.json()["pledge"]["id"];
  std::string gift_ref = gift.json()["pledge"]["reference"];
  auto other = pledge(cid, {{"amount_cents", 1000}, {"payment_method", "bank_transfer"}}, "s3",
                      backer.token);
  const std::string other_ref = other.json()["pledge"]["reference"];
  const auto before = transfers_count();
  std::string lower = gift_ref;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

  const std::string xml = camt053({{"L1", "45.50", true, "VIR DE M BACKER " + lower + " MERCI"},
                                   {"L2", "20.00", true, dues_ref},
                                   {"L3", "99.00", true, other_ref},
                                   {"L4", "12.00", true, "COTISATION SANS REFERENCE"},
                                   {"L5", "20.00", false, dues_ref}});
  auto post = [&](const std::string& body, const std::string& token) {
    return http().request(
        "POST", "/api/v1/orgs/" + org_id + "/bank-statements", body,
        {{"Content-Type", "application/xml"}, {"Authorization", "Bearer " + token}});
  };
  auto res = post(xml, treasurer.token);
  ASSERT_EQ(res.status, 200) << res.body;
  const Json report = res.json();
  ASSERT_EQ(report["matched"].size(), 2u) << res.body;
  EXPECT_EQ(report["matched"][0]["entry_ref"], "L1");
  EXPECT_EQ(report["matched"][0]["pledge_id"], pledge_id);
  EXPECT_EQ(report["matched"][0]["amount_cents"], 4550);
  EXPECT_EQ(report["matched"][1]["membership_id"], membership_id);
  ASSERT_EQ(report["unmatched"].size(), 3u);
  EXPECT_EQ(report["unmatched"][0]["entry_ref"], "L3");
  EXPECT_EQ(report["unmatched"][0]["reason"], "amount_differs");
  EXPECT_EQ(report["unmatched"][1]["reason"], "no_reference");
  EXPECT_EQ(report["unmatched"][1]["remittance"], "COTISATION SANS REFERENCE");
  EXPECT_EQ(report["unmatched"][2]["reason"], "debit");
  EXPECT_EQ(transfers_count(), before + 2);
  EXPECT_EQ(
      http().json("GET", "/api/v1/pledges/" + pledge_id, backer.token).json()["pledge"]["status"],
      "confirmed");
  EXPECT_TRUE(is_member(backer.id));
  expect_ledger_intact();

  // The same statement again: recognised, nothing confirmed twice.
  auto again = post(xml, admin.token);
  ASSERT_EQ(again.status, 200);
  ASSERT_EQ(again.json()["matched"].size(), 2u);
  EXPECT_EQ(again.json()["matched"][0]["already_confirmed"], true);
  EXPECT_EQ(again.json()["matched"][1]["already_confirmed"], true);
  EXPECT_EQ(transfers_count(), before + 2);

  // Strangers, and statements that are not statements: nothing changes.
  expect_error(post(xml, backer.token), 403, "forbidden");
  expect_error(http().request("POST", "/api/v1/orgs/" + org_id + "/bank-statements", xml,
                              {{"Content-Type", "application/xml"}}),
               401, "unauthenticated");
  const std::string other_pending = camt053({{"X", "10.00", true, other_ref}});
  expect_error(post(camt053({{"X", "10.00", true, other_ref}},
                            "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"),
                    admin.token),
               400, "validation_failed");
  expect_error(post("<Document><Ntry>", admin.token), 400, "validation_failed");
  expect_error(post("", admin.token), 400, "validation_failed");
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE Document [<!ENTITY a \"aaaaaaaaaa\">"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c "
      "\"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><x>&c;</x></Document>";
  expect_error(post(laughs, admin.token), 400, "validation_failed");
  const std::string external =
      "<?xml version=\"1.0\"?><!DOCTYPE Document [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">&e;</Document>";
  expect_error(post(external, admin.token), 400, "validation_failed");
  expect_error(post(camt053({{"Y", "10.005", true, other_ref}}), admin.token), 400,
               "validation_failed");
  expect_error(post(std::string(2 * 1024 * 1024, ' ') + other_pending, admin.token), 413,
               "payload_too_large");
  EXPECT_EQ(transfers_count(), before + 2);
  EXPECT_EQ(http()
                .json("GET", "/api/v1/pledges/" + other.json()["pledge"]["id"].get<std::string>(),
                      backer.token)
                .json()["pledge"]["status"],
            "pending");
}

ESSOR_ON_EVERY_DATABASE(MembershipsTest);

}  // namespace
}  // namespace essor::testing
