// Recurring gifts, spec "Recurring gifts": charged at creation then once
// per period by the scheduler, declines retried then paused, the giver's
// changes, and two instances charging the same day charging each gift once.
#include <thread>

#include "campaign_fixture.hpp"
#include "core/gift.hpp"

namespace essor::testing {
namespace {

constexpr core::Cents kDeclined = 1313;
constexpr std::int64_t kDay = 86'400'000;

class GiftsTest : public CampaignsTest {
 protected:
  void configure(cli::Config& config) override {
    CampaignsTest::configure(config);
    config.sandbox_decline_cents = kDeclined;
  }

  HttpResult give(const Json& body, const std::string& key, const std::string& token,
                  const std::string& org = "") const {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                               {"Authorization", "Bearer " + token}};
    if (!key.empty()) headers["Idempotency-Key"] = key;
    return http().request("POST",
                          "/api/v1/orgs/" + (org.empty() ? org_id : org) + "/recurring-gifts",
                          body.dump(), headers);
  }

  Json monthly(core::Cents amount, const std::string& key) {
    auto res =
        give({{"amount_cents", amount}, {"interval", "month"}, {"payment_method", "sandbox_card"}},
             key, backer.token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["gift"];
  }

  app::GiftRecord stored(const std::string& id) const {
    std::optional<app::GiftRecord> gift;
    runtime_->store->read([&](app::ReadTx& tx) { gift = tx.gifts().gift_by_id(id); });
    EXPECT_TRUE(gift.has_value());
    return gift.value_or(app::GiftRecord{});
  }

  int mails(const std::string& user_id, const std::string& kind) const {
    std::vector<app::OutboxMail> out;
    runtime_->store->read(
        [&](app::ReadTx& tx) { out = tx.outbox().recent_outbox(core::UserId{user_id}, 200); });
    int count = 0;
    for (const auto& mail : out) count += mail.kind == kind;
    return count;
  }

  std::string today() const { return core::paris_date_field(clock_->now()); }

  // Sessions do not outlive the weeks a test skips: signs in again.
  void sign_in_again(TestUser& user) {
    auto res =
        http().json("POST", "/api/v1/auth/login", {{"email", user.email}, {"password", kPassword}});
    ASSERT_EQ(res.status, 200) << res.body;
    user.token = res.json()["token"];
  }
};

TEST_P(GiftsTest, AGiftIsChargedAtOnceThenOncePerPeriod) {
  const auto before = transfers_count();
  const auto gift = monthly(1500, "g1");
  const std::string id = gift["id"];
  EXPECT_EQ(gift["status"], "active");
  EXPECT_EQ(gift["amount_cents"], 1500);
  EXPECT_EQ(gift["interval"], "month");
  EXPECT_EQ(gift["charges_count"], 1);
  EXPECT_EQ(gift["next_charge_on"], core::gift_charge_on(today(), core::GiftInterval::month, 1));
  EXPECT_EQ(transfers_count(), before + 1);
  const auto last =
      http().get("/api/v1/ledger/transfers?after_seq=" + std::to_string(before)).json()["items"][0];
  EXPECT_EQ(last["kind"], "gift");
  EXPECT_EQ(last["credit_account"], "org:" + org_id);
  EXPECT_EQ(mails(backer.id, "gift_charged"), 1);

  // The same key again: the same gift, no second charge; another body: 422.
  auto replay =
      give({{"amount_cents", 1500}, {"interval", "month"}, {"payment_method", "sandbox_card"}},
           "g1", backer.token);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.json()["gift"]["id"], id);
  expect_error(
      give({{"amount_cents", 1600}, {"interval", "month"}, {"payment_method", "sandbox_card"}},
           "g1", backer.token),
      422, "idempotency_key_reused");
  EXPECT_EQ(transfers_count(), before + 1);

  // Nothing is due before the next date; then once, however often the
  // scheduler runs.
  EXPECT_EQ(runtime_->gifts->run_due().charged, 0);
  clock_->advance(32 * kDay);
  EXPECT_EQ(runtime_->gifts->run_due().charged, 1);
  EXPECT_EQ(runtime_->gifts->run_due().charged, 0);
  EXPECT_EQ(stored(id).charges_count, 2);
  EXPECT_EQ(transfers_count(), before + 2);
  expect_ledger_intact();
}

TEST_P(GiftsTest, ListsBelongToTheGiverAndTheOrganisationsTreasury) {
  const std::string id = monthly(2000, "l1")["id"];
  auto mine = http().json("GET", "/api/v1/me/recurring-gifts", backer.token);
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.json()["items"].size(), 1u);
  EXPECT_EQ(mine.json()["items"][0]["id"], id);
  EXPECT_TRUE(
      http().json("GET", "/api/v1/me/recurring-gifts", admin.token).json()["items"].empty());
  auto of_org = http().json("GET", "/api/v1/orgs/" + org_id + "/recurring-gifts", treasurer.token);
  ASSERT_EQ(of_org.status, 200);
  ASSERT_EQ(of_org.json()["items"].size(), 1u);
  expect_error(http().json("GET", "/api/v1/orgs/" + org_id + "/recurring-gifts", backer.token), 403,
               "forbidden");
  expect_error(http().json("GET", "/api/v1/orgs/nope/recurring-gifts", admin.token), 404,
               "not_found");
  expect_error(http().json("GET", "/api/v1/me/recurring-gifts"), 401, "unauthenticated");
}

TEST_P(GiftsTest, BadGiftsChangeNothing) {
  const auto before = transfers_count();
  const Json good = {
      {"amount_cents", 1000}, {"interval", "month"}, {"payment_method", "sandbox_card"}};
  expect_error(
      give({{"amount_cents", 0}, {"interval", "month"}, {"payment_method", "sandbox_card"}}, "b1",
           backer.token),
      400, "validation_failed");
  auto bad = give({{"amount_cents", "10"}, {"interval", "week"}, {"payment_method", "cheque"}},
                  "b2", backer.token);
  expect_error(bad, 400, "validation_failed");
  EXPECT_TRUE(bad.json()["error"]["fields"].contains("amount_cents"));
  expect_error(
      give({{"amount_cents", 1000}, {"interval", "week"}, {"payment_method", "sandbox_card"}}, "b3",
           backer.token),
      400, "validation_failed");
  expect_error(
      give({{"amount_cents", 1000}, {"interval", "month"}, {"payment_method", "bank_transfer"}},
           "b4", backer.token),
      400, "validation_failed");
  expect_error(give(good, "", backer.token), 400, "validation_failed");
  expect_error(give(good, "b5", backer.token, "nope"), 404, "not_found");
  expect_error(give(good, "b6", ""), 401, "unauthenticated");
  // The test card declines this amount: no gift, no money.
  expect_error(
      give({{"amount_cents", kDeclined}, {"interval", "month"}, {"payment_method", "sandbox_card"}},
           "b7", backer.token),
      409, "payment_declined");
  EXPECT_EQ(transfers_count(), before);
  EXPECT_TRUE(
      http().json("GET", "/api/v1/me/recurring-gifts", backer.token).json()["items"].empty());

  // Changes: the giver only; bad values refused.
  const std::string id = monthly(1000, "b8")["id"];
  expect_error(
      http().json("PATCH", "/api/v1/recurring-gifts/" + id, {{"status", "paused"}}, admin.token),
      404, "not_found");
  expect_error(
      http().json("PATCH", "/api/v1/recurring-gifts/" + id, {{"status", "stopped"}}, backer.token),
      400, "validation_failed");
  expect_error(
      http().json("PATCH", "/api/v1/recurring-gifts/" + id, {{"amount_cents", -5}}, backer.token),
      400, "validation_failed");
  EXPECT_EQ(stored(id).status, core::GiftStatus::active);
  EXPECT_EQ(stored(id).amount_cents, 1000);
}

TEST_P(GiftsTest, TheGiverPausesResumesChangesAndCancels) {
  const std::string id = monthly(1000, "p1")["id"];
  auto paused =
      http().json("PATCH", "/api/v1/recurring-gifts/" + id, {{"status", "paused"}}, backer.token);
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(paused.json()["gift"]["status"], "paused");
  clock_->advance(40 * kDay);
  EXPECT_EQ(runtime_->gifts->run_due().charged, 0);
  EXPECT_EQ(stored(id).charges_count, 1);
  sign_in_again(backer);

  // Resumed with a new amount: charged from today, the new amount.
  auto resumed = http().json("PATCH", "/api/v1/recurring-gifts/" + id,
                             {{"status", "active"}, {"amount_cents", 2500}}, backer.token);
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(resumed.json()["gift"]["next_charge_on"], today());
  const auto before = transfers_count();
  EXPECT_EQ(runtime_->gifts->run_due().charged, 1);
  EXPECT_EQ(transfers_count(), before + 1);
  const auto last =
      http().get("/api/v1/ledger/transfers?after_seq=" + std::to_string(before)).json()["items"][0];
  EXPECT_EQ(last["amount_cents"], 2500);

  auto cancelled = http().json("PATCH", "/api/v1/recurring-gifts/" + id, {{"status", "cancelled"}},
                               backer.token);
  ASSERT_EQ(cancelled.status, 200);
  expect_error(
      http().json("PATCH", "/api/v1/recurring-gifts/" + id, {{"status", "active"}}, backer.token),
      409, "gift_cancelled");
  clock_->advance(40 * kDay);
  EXPECT_EQ(runtime_->gifts->run_due().charged, 0);
}

TEST_P(GiftsTest, ADeclinedChargeIsTriedThreeTimesOverAWeekThenPaused) {
  const std::string id = monthly(1000, "d1")["id"];
  ASSERT_EQ(http()
                .json("PATCH", "/api/v1/recurring-gifts/" + id, {{"amount_cents", kDeclined}},
                      backer.token)
                .status,
            200);
  const std::string due = stored(id).next_charge_on;
  clock_->advance(27 * kDay);  // a month is at least 28 days: not due yet
  while (today() < due) clock_->advance(kDay);
  EXPECT_EQ(runtime_->gifts->run_due().declined, 1);
  EXPECT_EQ(stored(id).retry_on, core::add_days(due, 2));
  EXPECT_EQ(runtime_->gifts->run_due().declined, 0);  // not before its retry
  for (int days : {2, 2, 3}) {
    clock_->advance(days * kDay);
    EXPECT_EQ(runtime_->gifts->run_due().declined, 1);
  }
  const auto gift = stored(id);
  EXPECT_EQ(gift.status, core::GiftStatus::paused);
  EXPECT_EQ(gift.charges_count, 1);
  EXPECT_EQ(mails(backer.id, "gift_paused"), 1);
  clock_->advance(10 * kDay);
  EXPECT_EQ(runtime_->gifts->run_due().declined, 0);
}

TEST_P(GiftsTest, AGiftStopsWhenItsGiverDeletesTheirAccount) {
  const std::string id = monthly(1000, "e1")["id"];
  ASSERT_EQ(http().json("DELETE", "/api/v1/me", {{"password", kPassword}}, backer.token).status,
            204);
  EXPECT_EQ(stored(id).status, core::GiftStatus::cancelled);
  clock_->advance(40 * kDay);
  EXPECT_EQ(runtime_->gifts->run_due().charged, 0);
}

// Two instances on one database run the scheduler at the same time: each
// gift is charged once (PostgreSQL, where instances share the database).
TEST_P(GiftsTest, TwoInstancesChargingTheSameDayChargeEachGiftOnce) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "several instances share PostgreSQL only";
  std::vector<std::string> ids;
  for (int idx = 0; idx < 30; ++idx)
    ids.push_back(monthly(core::Cents{100 + idx}, "t" + std::to_string(idx))["id"]);
  const auto before = transfers_count();
  clock_->advance(32 * kDay);
  auto other_clock = std::make_unique<ManualClock>();
  other_clock->advance(clock_->now() - other_clock->now());
  auto other = cli::build_runtime(config_, std::move(other_clock));
  int charged_here = 0, charged_there = 0;
  std::thread there([&] { charged_there = other->gifts->run_due().charged; });
  charged_here = runtime_->gifts->run_due().charged;
  there.join();
  EXPECT_EQ(charged_here + charged_there, 30);
  EXPECT_EQ(runtime_->gifts->run_due().charged + other->gifts->run_due().charged, 0);
  for (const auto& id : ids) EXPECT_EQ(stored(id).charges_count, 2) << id;
  EXPECT_EQ(transfers_count(), before + 30);
  expect_ledger_intact();
}

ESSOR_ON_EVERY_DATABASE(GiftsTest);

}  // namespace
}  // namespace essor::testing
