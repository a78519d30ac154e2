// Spec "Loans" and the additions of docs/api.md (balance, withdrawals,
// statements), on every database.
#include <atomic>
#include <regex>
#include <thread>
#include <vector>

#include "adapters/sodium_crypto.hpp"
#include "core/money.hpp"
#include "http/campaign_fixture.hpp"
#include "store/database.hpp"

namespace essor::testing {
namespace {

class LoansTest : public CampaignsTest {
 protected:
  void SetUp() override {
    CampaignsTest::SetUp();
    if (IsSkipped()) return;
    second = signup("second");
  }

  Json loan_body(std::int64_t bp, std::int64_t months, const std::string& repayment) const {
    return {{"kind", "loan"},
            {"funding_model", "keep_it_all"},
            {"rewards", Json::array()},
            {"loan", {{"annual_rate_bp", bp}, {"term_months", months}, {"repayment", repayment}}}};
  }

  HttpResult repay(const std::string& id, Json body, const std::string& key,
                   const std::string& token) const {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                               {"Authorization", "Bearer " + token}};
    if (!key.empty()) headers["Idempotency-Key"] = key;
    return http().request("POST", "/api/v1/campaigns/" + id + "/repayments", body.dump(), headers);
  }

  Json schedule(const std::string& id) const {
    auto res = http().get("/api/v1/campaigns/" + id + "/schedule");
    EXPECT_EQ(res.status, 200) << res.body;
    return res.json();
  }

  Json my_loans(const std::string& token) const {
    return http().json("GET", "/api/v1/me/loans", token).json()["items"];
  }

  Json balance(const std::string& token) const {
    return http().json("GET", "/api/v1/me/balance", token).json();
  }

  // A lender's pledge: by bank transfer, confirmed by the treasurer (real
  // money), or by the test card.
  void lend(const std::string& id, std::int64_t cents, const std::string& key,
            const TestUser& lender, bool test_card) {
    auto res = pledge(
        id,
        {{"amount_cents", cents}, {"payment_method", test_card ? "sandbox_card" : "bank_transfer"}},
        key, lender.token);
    ASSERT_EQ(res.status, 201) << res.body;
    if (test_card) return;
    const std::string pledge_id = res.json()["pledge"]["id"];
    ASSERT_EQ(
        http().json("POST", "/api/v1/pledges/" + pledge_id + "/confirm", treasurer.token).status,
        200);
  }

  // A succeeded loan repaid in full at once: the backer's balance of
  // repaid money (more than the 600 € lent), ready to lend again.
  std::int64_t repaid_balance() {
    const std::string id = succeeded_loan();
    const std::int64_t owed = schedule(id)["owed_now"]["total_cents"];
    arrived(repay(id, {{"amount_cents", owed}}, "all", treasurer.token));
    return balance(backer.token)["available_cents"];
  }

  // A 3% annuity over 12 months: backer lends 600 €, second 400 €, closed.
  std::string succeeded_loan(bool test_card = false) {
    const std::string id = live(loan_body(300, 12, "annuity"))["id"];
    lend(id, 60000, "a", backer, test_card);
    lend(id, 40000, "b", second, test_card);
    EXPECT_EQ(http().json("POST", "/api/v1/campaigns/" + id + "/close", admin.token).status, 200);
    return id;
  }

  // A moderator confirms that a declared repayment arrived.
  void arrived(const HttpResult& declared) {
    ASSERT_EQ(declared.status, 201) << declared.body;
    const std::string rid = declared.json()["repayment"]["id"];
    auto res = http().json("POST", "/api/v1/repayments/" + rid + "/confirm", moderator.token);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json()["repayment"]["status"], "confirmed");
  }

  TestUser second;
};

TEST_P(LoansTest, MinimumTicketAndLegalCaps) {
  const std::string id = live(loan_body(300, 12, "annuity"))["id"];
  // Below the €20 minimum ticket.
  auto small =
      pledge(id, {{"amount_cents", 1999}, {"payment_method", "sandbox_card"}}, "s", backer.token);
  expect_error(small, 400, "validation_failed");
  EXPECT_TRUE(small.json()["error"]["fields"].contains("amount_cents"));
  // Interest-bearing: €2,000 per lender and campaign, earlier loans counted.
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 150000}, {"payment_method", "sandbox_card"}}, "1", backer.token)
          .status,
      201);
  expect_error(
      pledge(id, {{"amount_cents", 50001}, {"payment_method", "sandbox_card"}}, "2", backer.token),
      400, "validation_failed");
  EXPECT_EQ(
      pledge(id, {{"amount_cents", 50000}, {"payment_method", "sandbox_card"}}, "3", backer.token)
          .status,
      201);
  // A campaign may not set its own cap above the legal one.
  Json above = loan_body(300, 12, "annuity");
  above["loan"]["max_per_lender_cents"] = 200001;
  auto refused = http().json("POST", "/api/v1/campaigns", campaign_body(above), admin.token);
  expect_error(refused, 400, "validation_failed");
  EXPECT_TRUE(refused.json()["error"]["fields"].contains("loan.max_per_lender_cents"));
  // Nor below the smallest loan (€20): nobody could lend.
  Json below = loan_body(300, 12, "annuity");
  below["loan"]["max_per_lender_cents"] = 1999;
  auto too_low = http().json("POST", "/api/v1/campaigns", campaign_body(below), admin.token);
  expect_error(too_low, 400, "validation_failed");
  EXPECT_TRUE(too_low.json()["error"]["fields"].contains("loan.max_per_lender_cents"));
  // Interest-free loans allow €5,000.
  const std::string free_id = live(loan_body(0, 24, "linear"))["id"];
  EXPECT_EQ(pledge(free_id, {{"amount_cents", 500000}, {"payment_method", "sandbox_card"}}, "4",
                   backer.token)
                .status,
            201);
}

TEST_P(LoansTest, OneLendersLoansSentAtOnceNeverPassTheCap) {
  // Forty loans of €500 at once from one lender, whose cap is €2,000: on
  // PostgreSQL they share the group commit's batches (one lender's on one
  // writer), whose loans are written at the batch's end (one statement
  // for the batch); each loan's cap must still count every earlier one.
  const std::string id = live(loan_body(300, 12, "annuity"))["id"];
  std::atomic<int> lent{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 4; ++n) {
        auto res = pledge(id, {{"amount_cents", 50000}, {"payment_method", "sandbox_card"}},
                          "cap-" + std::to_string(t) + "-" + std::to_string(n), backer.token);
        if (res.status == 201)
          ++lent;
        else if (res.status == 400 && res.json()["error"]["code"] == "validation_failed")
          ++refused;
        else
          ++other;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(lent.load(), 4);
  EXPECT_EQ(refused.load(), 36);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(get_campaign(id)["raised_cents"], 200000);
  EXPECT_EQ(transfers_count(), 4);
  expect_ledger_intact();
}

TEST_P(LoansTest, ScheduleAtSuccessWithContractsPerLender) {
  const std::string id = live(loan_body(300, 12, "annuity"))["id"];
  // No schedule before success, none for donations.
  expect_error(http().get("/api/v1/campaigns/" + id + "/schedule"), 409, "loan_not_started");
  const std::string donation = live()["id"];
  expect_error(http().get("/api/v1/campaigns/" + donation + "/schedule"), 409, "not_a_loan");
  // Two card loans by one lender make one contract; a transfer not received
  // by the end does not become a loan.
  for (const char* key : {"a", "b"}) {
    ASSERT_EQ(
        pledge(id, {{"amount_cents", 30000}, {"payment_method", "sandbox_card"}}, key, backer.token)
            .status,
        201);
  }
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 40000}, {"payment_method", "sandbox_card"}}, "c", second.token)
          .status,
      201);
  auto pending =
      pledge(id, {{"amount_cents", 5000}, {"payment_method", "bank_transfer"}}, "d", second.token);
  ASSERT_EQ(pending.status, 201);
  const auto closed_at = clock_->now();
  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + id + "/close", admin.token).status, 200);
  const std::string pending_id = pending.json()["pledge"]["id"];
  EXPECT_EQ(
      http().json("GET", "/api/v1/pledges/" + pending_id, second.token).json()["pledge"]["status"],
      "cancelled");

  const auto plan = schedule(id);
  ASSERT_EQ(plan["installments"].size(), 12u);
  std::int64_t principal = 0;
  for (std::size_t idx = 0; idx < 12; ++idx) {
    const auto& item = plan["installments"][idx];
    EXPECT_EQ(item["number"], static_cast<int>(idx) + 1);
    EXPECT_EQ(
        item["total_cents"].get<std::int64_t>(),
        item["principal_cents"].get<std::int64_t>() + item["interest_cents"].get<std::int64_t>());
    EXPECT_EQ(item["state"], "due");
    principal += item["principal_cents"].get<std::int64_t>();
  }
  EXPECT_EQ(principal, 100000);
  EXPECT_EQ(plan["principal_cents"], 100000);
  EXPECT_EQ(plan["lenders_count"], 2);
  // Monthly from the month after success.
  EXPECT_EQ(plan["installments"][0]["due_date"], core::format_date(core::add_months(closed_at, 1)));
  EXPECT_EQ(plan["installments"][11]["due_date"],
            core::format_date(core::add_months(closed_at, 12)));
  // €1,000 at 3% over 12 months: €84.69 a month.
  EXPECT_EQ(plan["installments"][0]["total_cents"], 8469);

  const auto loans = my_loans(backer.token);
  ASSERT_EQ(loans.size(), 1u);
  EXPECT_EQ(loans[0]["campaign_id"], id);
  EXPECT_EQ(loans[0]["lent_cents"], 60000);
  EXPECT_EQ(loans[0]["outstanding_cents"], 60000);
  EXPECT_EQ(loans[0]["repaid_principal_cents"], 0);
  EXPECT_EQ(loans[0]["repaid_interest_cents"], 0);
  // The lender's share of the first installment: 60% of it, to the cent.
  const auto share = loans[0]["next_installment"];
  EXPECT_NEAR(share["total_cents"].get<double>(), 8469 * 0.6, 1.0);
  // Every installment's share, and the two lenders' shares add up exactly.
  const auto mine = loans[0]["schedule"];
  const auto theirs = my_loans(second.token)[0]["schedule"];
  ASSERT_EQ(mine.size(), 12u);
  for (std::size_t idx = 0; idx < 12; ++idx) {
    EXPECT_EQ(mine[idx]["principal_cents"].get<std::int64_t>() +
                  theirs[idx]["principal_cents"].get<std::int64_t>(),
              plan["installments"][idx]["principal_cents"].get<std::int64_t>());
    EXPECT_EQ(mine[idx]["interest_cents"].get<std::int64_t>() +
                  theirs[idx]["interest_cents"].get<std::int64_t>(),
              plan["installments"][idx]["interest_cents"].get<std::int64_t>());
  }
  expect_ledger_intact();
}

TEST_P(LoansTest, RepaymentsGoInterestFirstProRataAndAreIdempotent) {
  const std::string id = succeeded_loan();
  const auto plan = schedule(id);
  const std::int64_t first = plan["installments"][0]["total_cents"];
  const std::int64_t interest = plan["installments"][0]["interest_cents"];
  // Only the organisation's treasurer or admins; a key is required.
  expect_error(repay(id, {{"amount_cents", first}}, "k", backer.token), 403, "forbidden");
  expect_error(repay(id, {{"amount_cents", first}}, "", treasurer.token), 400, "validation_failed");
  expect_error(repay(id, {{"amount_cents", "12"}}, "k", treasurer.token), 400, "validation_failed");
  expect_error(repay(id, {{"amount_cents", 0}}, "k", treasurer.token), 400, "validation_failed");
  // More than everything owed today is refused and changes nothing.
  const auto before = transfers_count();
  const std::int64_t owed = plan["owed_now"]["total_cents"];
  EXPECT_EQ(owed, 100000 + interest);
  auto over = repay(id, {{"amount_cents", owed + 1}}, "k", treasurer.token);
  expect_error(over, 400, "validation_failed");
  EXPECT_EQ(transfers_count(), before);

  auto paid = repay(id, {{"amount_cents", first}}, "k1", treasurer.token);
  ASSERT_EQ(paid.status, 201) << paid.body;
  const auto repayment = paid.json()["repayment"];
  EXPECT_EQ(repayment["amount_cents"], first);
  // Declared, not yet seen arriving: no money moves, nothing is paid yet.
  EXPECT_EQ(repayment["status"], "pending");
  EXPECT_EQ(transfers_count(), before);
  EXPECT_EQ(schedule(id)["installments"][0]["state"], "due");
  EXPECT_EQ(balance(backer.token)["balance_cents"], 0);
  expect_error(repay(id, {{"amount_cents", 100}}, "k-other", treasurer.token), 409,
               "repayment_pending");
  const std::string rid = repayment["id"];
  // Only moderators confirm; they see it waiting.
  for (const auto* who : {&treasurer, &admin, &backer}) {
    expect_error(http().json("POST", "/api/v1/repayments/" + rid + "/confirm", who->token), 403,
                 "forbidden");
    expect_error(http().json("GET", "/api/v1/repayments", who->token), 403, "forbidden");
  }
  const auto waiting = http().json("GET", "/api/v1/repayments", moderator.token).json()["items"];
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0]["id"], rid);
  arrived(paid);
  expect_error(http().json("POST", "/api/v1/repayments/" + rid + "/confirm", moderator.token), 409,
               "repayment_not_pending");
  expect_error(http().json("POST", "/api/v1/repayments/" + rid + "/reject", moderator.token), 409,
               "repayment_not_pending");
  std::int64_t p = 0, i = 0;
  for (const auto& a : repayment["allocations"]) {
    p += a["principal_cents"].get<std::int64_t>();
    i += a["interest_cents"].get<std::int64_t>();
    const bool is_backer = a["user_id"] == backer.id;
    // Pro rata to outstanding principal (60/40), within a cent.
    EXPECT_NEAR(a["interest_cents"].get<double>(), interest * (is_backer ? 0.6 : 0.4), 1.0);
  }
  EXPECT_EQ(i, interest) << "interest first";
  EXPECT_EQ(p + i, first) << "parts sum exactly to the amount";
  EXPECT_EQ(transfers_count(), before + 3) << "the money in, then one transfer per lender";

  // The same key again: the same repayment, nothing new.
  auto again = repay(id, {{"amount_cents", first}}, "k1", treasurer.token);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.json()["repayment"]["id"], repayment["id"]);
  EXPECT_EQ(transfers_count(), before + 3);
  expect_error(repay(id, {{"amount_cents", first + 1}}, "k1", treasurer.token), 422,
               "idempotency_key_reused");

  // A lender's allocation rewritten behind the application's back is found.
  store::execute_for_tests(database_url(),
                           "UPDATE loan_allocations SET interest_cents = interest_cents + 1 WHERE "
                           "user_id = '" +
                               backer.id + "'");
  EXPECT_EQ(cli::run_verify(config_), 1);
  store::execute_for_tests(database_url(),
                           "UPDATE loan_allocations SET interest_cents = interest_cents - 1 WHERE "
                           "user_id = '" +
                               backer.id + "'");

  const auto after = schedule(id);
  EXPECT_EQ(after["installments"][0]["state"], "paid");
  EXPECT_EQ(after["installments"][1]["state"], "due");
  EXPECT_EQ(after["repaid_interest_cents"], interest);
  EXPECT_EQ(after["repayments"].size(), 1u);
  // The lenders see it and hold the money.
  const auto loans = my_loans(backer.token);
  EXPECT_EQ(loans[0]["repaid_principal_cents"].get<std::int64_t>() +
                loans[0]["repaid_interest_cents"].get<std::int64_t>(),
            balance(backer.token)["balance_cents"].get<std::int64_t>());
  EXPECT_GT(balance(backer.token)["balance_cents"].get<std::int64_t>(), 0);
  expect_ledger_intact();
  EXPECT_EQ(cli::run_verify(config_), 0);

  // Early repayment of everything left; then nothing is owed.
  const std::int64_t rest = schedule(id)["owed_now"]["total_cents"];
  arrived(repay(id, {{"amount_cents", rest}}, "k2", treasurer.token));
  const auto done = schedule(id);
  EXPECT_EQ(done["owed_now"]["total_cents"], 0);
  EXPECT_EQ(done["repaid_principal_cents"], 100000);
  for (const auto& item : done["installments"]) EXPECT_EQ(item["state"], "paid");
  expect_error(repay(id, {{"amount_cents", 1}}, "k3", treasurer.token), 400, "validation_failed");
  EXPECT_EQ(my_loans(second.token)[0]["outstanding_cents"], 0);
}

TEST_P(LoansTest, UnpaidInstallmentsPastDueAreFlagged) {
  const std::string id = succeeded_loan();
  clock_->advance(std::int64_t{75} * 86'400'000);  // two due dates passed
  // Sessions last 30 days: sign in again.
  backer.token =
      http()
          .json("POST", "/api/v1/auth/login", {{"email", backer.email}, {"password", kPassword}})
          .json()["token"];
  const auto plan = schedule(id);
  EXPECT_EQ(plan["overdue_count"], 2);
  EXPECT_EQ(plan["installments"][0]["state"], "overdue");
  EXPECT_EQ(plan["installments"][1]["state"], "overdue");
  EXPECT_EQ(plan["installments"][2]["state"], "due");
  // Interest of both periods is owed now and paid first.
  const std::int64_t interest = plan["installments"][0]["interest_cents"].get<std::int64_t>() +
                                plan["installments"][1]["interest_cents"].get<std::int64_t>();
  EXPECT_EQ(plan["owed_now"]["interest_cents"], interest);
  EXPECT_TRUE(my_loans(backer.token)[0]["overdue"].get<bool>());
  // The page says so to everyone, and the lender's page too.
  auto page = http().get("/campaigns/" + id, {{"Accept-Language", "en"}});
  EXPECT_NE(page.body.find("Installments past due and unpaid"), std::string::npos);
}

TEST_P(LoansTest, ConcurrentRepaymentsNeverExceedWhatIsOwed) {
  const std::string id = succeeded_loan();
  const std::int64_t owed = schedule(id)["owed_now"]["total_cents"];
  std::atomic<int> created{0}, refused{0};
  std::vector<std::thread> threads;
  for (int n = 0; n < 6; ++n) {
    threads.emplace_back([&, n] {
      const auto res =
          repay(id, {{"amount_cents", owed - 10}}, "c" + std::to_string(n), treasurer.token);
      (res.status == 201 ? created : refused)++;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), 5);
  expect_ledger_intact();
}

// Spending a balance (re-lending it, withdrawing it) takes the wallet's
// lock before reading it: six requests at once, each for 40 % of the
// balance, two withdrawals and re-lendings in turn: exactly two go
// through, whatever the order and the database.
TEST_P(LoansTest, ABalanceIsNeverSpentTwice) {
  const std::int64_t money = repaid_balance();
  ASSERT_GT(money, 60000);
  const std::string next = live(loan_body(0, 24, "linear"))["id"];
  const std::int64_t part = money * 2 / 5;
  std::atomic<int> spent{0}, refused{0};
  std::vector<std::thread> threads;
  for (int n = 0; n < 6; ++n) {
    threads.emplace_back([&, n] {
      const auto res =
          n % 2 == 0
              ? http().json("POST", "/api/v1/me/withdrawals",
                            {{"amount_cents", part}, {"iban", "FR7630004000031234567890143"}},
                            backer.token)
              : pledge(next, {{"amount_cents", part}, {"payment_method", "balance"}},
                       "twice" + std::to_string(n), backer.token);
      if (res.status == 201) {
        ++spent;
      } else {
        EXPECT_EQ(res.status, 409) << res.body;
        ++refused;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(spent.load(), 2);
  EXPECT_EQ(refused.load(), 4);
  EXPECT_EQ(balance(backer.token)["available_cents"], money - 2 * part);
  expect_ledger_intact();
}

TEST_P(LoansTest, RepaidMoneyIsLentAgainOrWithdrawn) {
  const std::int64_t money = repaid_balance();
  ASSERT_GT(money, 60000);

  // Re-lend from the balance to another loan campaign.
  const std::string next = live(loan_body(0, 24, "linear"))["id"];
  expect_error(pledge(next, {{"amount_cents", money + 1}, {"payment_method", "balance"}}, "r0",
                      backer.token),
               409, "insufficient_balance");
  auto relent =
      pledge(next, {{"amount_cents", 50000}, {"payment_method", "balance"}}, "r1", backer.token);
  ASSERT_EQ(relent.status, 201) << relent.body;
  EXPECT_EQ(relent.json()["pledge"]["status"], "confirmed");
  EXPECT_EQ(balance(backer.token)["available_cents"], money - 50000);
  // The loan's page offers each reader their own balance (a hole of the
  // page kept for signed-in readers, web/render.hpp).
  const std::string path = "/campaigns/" + next;
  const auto own = http().get(path, {{"Cookie", "essor_session=" + backer.token}});
  EXPECT_NE(own.body.find("value=\"balance\""), std::string::npos);
  EXPECT_NE(own.body.find(core::format_eur(core::Cents{money - 50000}, "fr")), std::string::npos);
  const auto without = signup("sans-solde");
  const auto theirs = http().get(path, {{"Cookie", "essor_session=" + without.token}});
  EXPECT_EQ(theirs.status, 200);
  EXPECT_EQ(theirs.body.find("value=\"balance\""), std::string::npos);

  // Withdraw part of the rest; what is asked for is set aside at once.
  auto bad_iban = http().json("POST", "/api/v1/me/withdrawals",
                              {{"amount_cents", 100}, {"iban", "FR76 0000"}}, backer.token);
  expect_error(bad_iban, 400, "validation_failed");
  EXPECT_TRUE(bad_iban.json()["error"]["fields"].contains("iban"));
  expect_error(
      http().json("POST", "/api/v1/me/withdrawals",
                  {{"amount_cents", money}, {"iban", "FR7630004000031234567890143"}}, backer.token),
      409, "insufficient_balance");
  auto asked = http().json("POST", "/api/v1/me/withdrawals",
                           {{"amount_cents", 5000}, {"iban", "fr76 3000 4000 0312 3456 7890 143"}},
                           backer.token);
  ASSERT_EQ(asked.status, 201) << asked.body;
  EXPECT_EQ(asked.json()["withdrawal"]["iban"], "FR7630004000031234567890143");
  const std::string wid = asked.json()["withdrawal"]["id"];
  EXPECT_EQ(balance(backer.token)["available_cents"], money - 55000);
  expect_error(pledge(next, {{"amount_cents", money - 50000}, {"payment_method", "balance"}}, "r2",
                      backer.token),
               409, "insufficient_balance");

  // Moderators pay it; nobody else can, and only once.
  expect_error(http().json("POST", "/api/v1/withdrawals/" + wid + "/execute", backer.token), 403,
               "forbidden");
  EXPECT_EQ(http().json("GET", "/api/v1/withdrawals", moderator.token).json()["items"].size(), 1u);
  auto executed = http().json("POST", "/api/v1/withdrawals/" + wid + "/execute", moderator.token);
  ASSERT_EQ(executed.status, 200) << executed.body;
  EXPECT_EQ(executed.json()["withdrawal"]["status"], "executed");
  expect_error(http().json("POST", "/api/v1/withdrawals/" + wid + "/execute", moderator.token), 409,
               "withdrawal_not_requested");
  const auto after = balance(backer.token);
  EXPECT_EQ(after["balance_cents"], money - 55000);
  EXPECT_EQ(after["available_cents"], money - 55000);
  expect_ledger_intact();
  EXPECT_EQ(cli::run_verify(config_), 0);

  // If the campaign lent to fails, the money goes back to the balance.
  const std::string failing = live(loan_body(0, 24, "linear"))["id"];
  Json all_or_nothing = {{"funding_model", "all_or_nothing"}};
  const std::string strict = live([&] {
    Json body = loan_body(0, 24, "linear");
    body.update(all_or_nothing);
    return body;
  }())["id"];
  (void)failing;
  ASSERT_EQ(
      pledge(strict, {{"amount_cents", 2000}, {"payment_method", "balance"}}, "r3", backer.token)
          .status,
      201);
  EXPECT_EQ(balance(backer.token)["available_cents"], money - 57000);
  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + strict + "/close", admin.token).status, 200);
  EXPECT_EQ(balance(backer.token)["available_cents"], money - 55000);
  expect_ledger_intact();
}

TEST_P(LoansTest, YearlyStatementsInCsvAndPdf) {
  const std::string id = succeeded_loan();
  const auto plan = schedule(id);
  arrived(
      repay(id, {{"amount_cents", plan["installments"][0]["total_cents"]}}, "y", treasurer.token));
  const std::string year = core::format_date(clock_->now()).substr(0, 4);
  const std::map<std::string, std::string> cookie{{"Cookie", "essor_session=" + backer.token}};
  auto csv = http().get("/me/loans/statement.csv?year=" + year, cookie);
  ASSERT_EQ(csv.status, 200);
  // As a French spreadsheet opens it: ";" between cells, "," in decimals,
  // French headers, the borrowing organisation named, the project whole.
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.body.find("\"Date\";\"Remboursement\""), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("\"Organisation emprunteuse\""), std::string::npos);
  EXPECT_NE(csv.body.find("Un four à pain pour le quartier\""), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("\"Total\""), std::string::npos);
  EXPECT_TRUE(std::regex_search(csv.body, std::regex(";\"[0-9]+,[0-9]{2}\"\r\n"))) << csv.body;
  EXPECT_EQ(csv.body.find("\",\""), std::string::npos) << csv.body;
  // In English: "," and ".", English headers.
  auto english = http().get("/me/loans/statement.csv?year=" + year,
                            {{"Cookie", "essor_session=" + backer.token + "; essor_lang=en"}});
  EXPECT_NE(english.body.find("\"Date\",\"Repayment\""), std::string::npos) << english.body;
  EXPECT_NE(english.body.find("\"Total\""), std::string::npos);
  auto pdf = http().get("/me/loans/statement.pdf?year=" + year, cookie);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_EQ(pdf.headers.find("content-type")->second, "application/pdf");
  EXPECT_EQ(http().get("/me/loans/statement.pdf?year=abc", cookie).status, 400);
  // Signed out: to the login page.
  EXPECT_EQ(http().get("/me/loans/statement.csv?year=" + year).status, 303);
  auto page = http().get("/me/loans", cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("/campaigns/" + id), std::string::npos);
  // Only the years with repayments are offered.
  EXPECT_NE(page.body.find("statement.pdf?year=" + year), std::string::npos);
  const std::string last_year = std::to_string(std::stoi(year) - 1);
  EXPECT_EQ(page.body.find("statement.pdf?year=" + last_year), std::string::npos);
}

// Issue 11, item 6: a loan made with the test card, "repaid" by a
// declaration: the money back is test money, shown apart, never withdrawn
// nor lent again. A rejected declaration moves nothing.
TEST_P(LoansTest, TestCardMoneyIsNeverWithdrawn) {
  const std::string id = succeeded_loan(/*test_card=*/true);
  const std::int64_t owed = schedule(id)["owed_now"]["total_cents"];
  auto declared = repay(id, {{"amount_cents", owed}}, "t1", treasurer.token);
  ASSERT_EQ(declared.status, 201);
  const auto before = transfers_count();
  const std::string rid = declared.json()["repayment"]["id"];
  auto rejected = http().json("POST", "/api/v1/repayments/" + rid + "/reject", moderator.token);
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(rejected.json()["repayment"]["status"], "rejected");
  EXPECT_EQ(transfers_count(), before);
  EXPECT_EQ(schedule(id)["owed_now"]["total_cents"], owed);

  arrived(repay(id, {{"amount_cents", owed}}, "t2", treasurer.token));
  const auto money = balance(backer.token);
  EXPECT_EQ(money["balance_cents"], 0);
  EXPECT_EQ(money["available_cents"], 0);
  EXPECT_GT(money["test_balance_cents"].get<std::int64_t>(), 60000);
  expect_error(
      http().json("POST", "/api/v1/me/withdrawals",
                  {{"amount_cents", 100}, {"iban", "FR7630004000031234567890143"}}, backer.token),
      409, "insufficient_balance");
  const std::string next = live(loan_body(0, 24, "linear"))["id"];
  expect_error(
      pledge(next, {{"amount_cents", 2000}, {"payment_method", "balance"}}, "t3", backer.token),
      409, "insufficient_balance");
  expect_ledger_intact();
  EXPECT_EQ(cli::run_verify(config_), 0);
}

// Issue 11, item 3, and spec "Public ledger, whole chain": the export
// names nobody (wallets, not user ids; lenders and anonymous backers
// unnamed), pages by seq, and its hashes are what docs/ledger.md says.
TEST_P(LoansTest, ThePublicLedgerIsWholeAndNamesNobody) {
  const std::string id = succeeded_loan();
  arrived(repay(id, {{"amount_cents", schedule(id)["owed_now"]["total_cents"]}}, "w1",
                treasurer.token));
  const std::string next = live()["id"];
  ASSERT_EQ(
      pledge(next, {{"amount_cents", 2500}, {"payment_method", "balance"}, {"anonymous", true}},
             "w2", backer.token)
          .status,
      201);
  for (const auto* query : {"?limit=0", "?limit=1001", "?limit=abc", "?after_seq=-1"}) {
    expect_error(http().get(std::string("/api/v1/ledger/transfers") + query), 400,
                 "validation_failed");
  }
  auto crypto = adapters::make_sodium_crypto({});
  std::vector<Json> all;
  std::string after = "0";
  std::string prev(64, '0');
  for (int guard = 0; guard < 100; ++guard) {
    auto res = http().get("/api/v1/ledger/transfers?limit=3&after_seq=" + after);
    ASSERT_EQ(res.status, 200) << res.body;
    const auto body = res.json();
    for (const auto& t : body["items"]) {
      all.push_back(t);
      // The hashing of docs/ledger.md, from the public fields only.
      std::string text = prev + "essor-transfer-v1\n";
      for (const auto& field :
           {t["seq"].dump(), t["id"].get<std::string>(), t["debit_account"].get<std::string>(),
            t["credit_account"].get<std::string>(), t["amount_cents"].dump(),
            t["kind"].get<std::string>(),
            t["pledge_id"].is_null() ? "-" : t["pledge_id"].get<std::string>(),
            t["campaign_id"].is_null() ? "-" : t["campaign_id"].get<std::string>(),
            t["created_at_ms"].dump()}) {
        text += field + "\n";
      }
      EXPECT_EQ(t["prev_hash"], prev);
      EXPECT_EQ(t["hash"], crypto->sha256_hex(text)) << t.dump();
      prev = t["hash"];
    }
    if (body["next_after_seq"].is_null()) break;
    after = std::to_string(body["next_after_seq"].get<std::int64_t>());
  }
  ASSERT_EQ(static_cast<std::int64_t>(all.size()), transfers_count());
  EXPECT_EQ(prev, http().get("/api/v1/ledger/head").json()["head_hash"]);
  bool saw_wallet = false;
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i]["seq"], static_cast<std::int64_t>(i + 1));
    for (const char* side : {"debit_account", "credit_account"}) {
      const std::string account = all[i][side];
      EXPECT_FALSE(account.starts_with("user:")) << account;
      for (const auto* person : {&backer, &second, &admin, &treasurer}) {
        EXPECT_EQ(account.find(person->id), std::string::npos) << account;
      }
      saw_wallet = saw_wallet || account.starts_with("wallet:");
    }
  }
  EXPECT_TRUE(saw_wallet);
  // No public answer maps a wallet to a person: the lender list of the
  // schedule is a count, the public repayments carry no allocations.
  const auto plan = schedule(id);
  EXPECT_EQ(plan.dump().find(backer.id), std::string::npos);
  EXPECT_EQ(http().get("/campaigns/" + id).body.find(backer.id), std::string::npos);
}

ESSOR_ON_EVERY_DATABASE(LoansTest);

}  // namespace
}  // namespace essor::testing
