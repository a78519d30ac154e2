// Spec "Campaigns", "Pledges" and "Ledger", on every database.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "core/time.hpp"
#include "http/campaign_fixture.hpp"
#include "store/database.hpp"
#include "store/sql_helpers.hpp"

namespace essor::testing {
namespace {

TEST_P(CampaignsTest, DraftReviewAndPublication) {
  const auto draft = create();
  const std::string id = draft["id"];
  EXPECT_EQ(draft["status"], "draft");
  EXPECT_EQ(draft["raised_cents"], 0);
  EXPECT_EQ(draft["pledged_cents"], 0);
  EXPECT_EQ(draft["backers_count"], 0);
  ASSERT_EQ(draft["rewards"].size(), 2u);
  EXPECT_EQ(draft["rewards"][0]["remaining"], 2);
  EXPECT_TRUE(draft["rewards"][1]["remaining"].is_null());
  EXPECT_TRUE(draft["published_at"].is_null());
  // A draft is visible to the organisation and to moderators only.
  EXPECT_EQ(http().json("GET", "/api/v1/campaigns/" + id).status, 404);
  EXPECT_EQ(http().json("GET", "/api/v1/campaigns/" + id, backer.token).status, 404);
  EXPECT_EQ(http().json("GET", "/api/v1/campaigns/" + id, treasurer.token).status, 200);

  auto edited =
      http().json("PATCH", "/api/v1/campaigns/" + id, {{"goal_cents", 150000}}, admin.token);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["campaign"]["goal_cents"], 150000);
  expect_error(
      http().json("PATCH", "/api/v1/campaigns/" + id, {{"goal_cents", 1}}, treasurer.token), 403,
      "forbidden");

  expect_error(http().json("POST", "/api/v1/campaigns/" + id + "/approve", moderator.token), 409,
               "campaign_not_submitted");
  auto submitted = http().json("POST", "/api/v1/campaigns/" + id + "/submit", admin.token);
  ASSERT_EQ(submitted.status, 200);
  EXPECT_EQ(submitted.json()["campaign"]["status"], "in_review");
  expect_error(http().json("PATCH", "/api/v1/campaigns/" + id, {{"goal_cents", 1000}}, admin.token),
               409, "campaign_not_draft");
  expect_error(http().json("POST", "/api/v1/campaigns/" + id + "/approve", admin.token), 403,
               "forbidden");

  auto rejected = http().json("POST", "/api/v1/campaigns/" + id + "/reject",
                              {{"reason", "Précisez le budget."}}, moderator.token);
  ASSERT_EQ(rejected.status, 200);
  EXPECT_EQ(rejected.json()["campaign"]["status"], "draft");
  EXPECT_EQ(rejected.json()["campaign"]["reject_reason"], "Précisez le budget.");

  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + id + "/submit", admin.token).status, 200);
  auto queue = http().json("GET", "/api/v1/campaigns?status=in_review", moderator.token);
  ASSERT_EQ(queue.status, 200);
  EXPECT_EQ(queue.json()["items"].size(), 1u);
  expect_error(http().json("GET", "/api/v1/campaigns?status=in_review", backer.token), 403,
               "forbidden");
  auto approved = http().json("POST", "/api/v1/campaigns/" + id + "/approve", moderator.token);
  ASSERT_EQ(approved.status, 200);
  EXPECT_EQ(approved.json()["campaign"]["status"], "live");
  EXPECT_FALSE(approved.json()["campaign"]["published_at"].is_null());
  EXPECT_EQ(get_campaign(id)["status"], "live");  // public now
  auto listed = http().json("GET", "/api/v1/campaigns?status=live&category=food&q=FOUR");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json()["items"].size(), 1u);
  EXPECT_EQ(listed.json()["items"][0]["id"], id);
  EXPECT_EQ(http().json("GET", "/api/v1/campaigns?q=introuvable").json()["items"].size(), 0u);
  // A status that does not exist is a mistake to tell, not an empty list.
  expect_error(http().json("GET", "/api/v1/campaigns?status=open"), 400, "validation_failed");
}

TEST_P(CampaignsTest, CreationValidatesEveryField) {
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"title", ""}}, "title"},
      {{{"category", "sport"}}, "category"},
      {{{"kind", "equity"}}, "kind"},
      {{{"goal_cents", 0}}, "goal_cents"},
      {{{"goal_cents", "1000"}}, "goal_cents"},
      {{{"ends_at", core::format_rfc3339(clock_->now() - 1000)}}, "ends_at"},
      {{{"ends_at", "next week"}}, "ends_at"},
      {{{"funding_model", "flex"}}, "funding_model"},
      {{{"rewards", Json::array({{{"title", "X"}, {"min_amount_cents", 0}}})}},
       "rewards[0].min_amount_cents"},
      {{{"rewards",
         Json::array({{{"title", "X"}, {"min_amount_cents", 100}, {"quantity_limit", 0}}})}},
       "rewards[0].quantity_limit"},
      {{{"kind", "loan"}, {"rewards", Json::array()}}, "loan"},
      {{{"org_id", nullptr}}, "org_id"},
  };
  for (const auto& [overrides, field] : cases) {
    auto res = http().json("POST", "/api/v1/campaigns", campaign_body(overrides), admin.token);
    expect_error(res, 400, "validation_failed");
    EXPECT_TRUE(res.json()["error"]["fields"].contains(field))
        << overrides.dump() << " → " << res.body;
  }
  expect_error(http().json("POST", "/api/v1/campaigns", campaign_body(), treasurer.token), 403,
               "forbidden");
  expect_error(http().json("POST", "/api/v1/campaigns", campaign_body(), backer.token), 403,
               "forbidden");
  expect_error(http().json("POST", "/api/v1/campaigns", campaign_body()), 401, "unauthenticated");
  EXPECT_EQ(
      http().json("GET", "/api/v1/campaigns?org_id=" + org_id, admin.token).json()["items"].size(),
      0u);
}

// A title or name others read is one line, without the direction controls
// that could make it read as something else, like a person's display name;
// white space around it is trimmed, not refused.
TEST_P(CampaignsTest, TitlesAndNamesAreOneLineWithoutDirectionOverrides) {
  const auto campaign = live();
  const std::string campaign_id = campaign["id"];
  for (const std::string bad : {"Un four\nà pain", "Un four\tà pain", "\u202Eniap à ruof"}) {
    SCOPED_TRACE(bad);
    auto field_refused = [&](const HttpResult& res, const std::string& field) {
      expect_error(res, 400, "validation_failed");
      EXPECT_TRUE(res.json()["error"]["fields"].contains(field)) << res.body;
    };
    field_refused(
        http().json("POST", "/api/v1/campaigns", campaign_body({{"title", bad}}), admin.token),
        "title");
    field_refused(
        http().json("POST", "/api/v1/campaigns",
                    campaign_body(
                        {{"rewards", Json::array({{{"title", bad}, {"min_amount_cents", 500}}})}}),
                    admin.token),
        "rewards[0].title");
    field_refused(
        http().json("POST", "/api/v1/orgs", {{"name", bad}, {"legal_form", "scop"}}, backer.token),
        "name");
    field_refused(http().json("PATCH", "/api/v1/orgs/" + org_id, {{"name", bad}}, admin.token),
                  "name");
    field_refused(http().json("POST", "/api/v1/orgs/" + org_id + "/events",
                              {{"title", bad},
                               {"description_md", ""},
                               {"starts_at", in_days(3)},
                               {"ends_at", in_days(4)}},
                              admin.token),
                  "title");
    field_refused(http().json("POST", "/api/v1/circles", {{"name", bad}}, backer.token), "name");
    field_refused(
        http().json(
            "POST", "/api/v1/orgs/" + org_id + "/proposals",
            {{"title", bad}, {"body_md", ""}, {"method", "majority"}, {"closes_at", in_days(3)}},
            admin.token),
        "title");
    field_refused(
        http().request("POST", "/api/v1/campaigns/" + campaign_id + "/pledges",
                       Json{{"amount_cents", 500},
                            {"payment_method", "sandbox_card"},
                            {"guest", {{"email", "paul@example.org"}, {"display_name", bad}}}}
                           .dump(),
                       {{"Content-Type", "application/json"},
                        {"Idempotency-Key", "guest-" + std::to_string(bad.size())}}),
        "guest.display_name");
  }
  // Nothing was made or changed.
  EXPECT_EQ(
      http().json("GET", "/api/v1/campaigns?org_id=" + org_id, admin.token).json()["items"].size(),
      1u);
  EXPECT_EQ(http().get("/api/v1/orgs/" + org_id).json()["org"]["name"], "La Ressourcerie");
  EXPECT_EQ(http()
                .json("GET", "/api/v1/orgs/" + org_id + "/events?all", admin.token)
                .json()["items"]
                .size(),
            0u);
  EXPECT_EQ(
      http().json("GET", "/api/v1/campaigns/" + campaign_id).json()["campaign"]["backers_count"],
      0);
  // A line break around a title is only trimmed away.
  auto trimmed = http().json("POST", "/api/v1/campaigns",
                             campaign_body({{"title", "Un four à pain\n"}}), admin.token);
  ASSERT_EQ(trimmed.status, 201) << trimmed.body;
  EXPECT_EQ(trimmed.json()["campaign"]["title"], "Un four à pain");
}

TEST_P(CampaignsTest, CardPledgeIsConfirmedAndOnTheLedger) {
  const std::string id = live()["id"];
  const auto before = transfers_count();
  auto res = pledge(id, {{"amount_cents", 2500}, {"payment_method", "sandbox_card"}}, "key-1",
                    backer.token);
  ASSERT_EQ(res.status, 201) << res.body;
  const auto body = res.json();
  EXPECT_EQ(body["pledge"]["status"], "confirmed");
  EXPECT_EQ(body["pledge"]["amount_cents"], 2500);
  EXPECT_EQ(body["pledge"]["user_id"], backer.id);
  EXPECT_TRUE(body["pledge"]["reward_id"].is_null());
  EXPECT_EQ(body["payment"]["test_payment"], true);
  EXPECT_EQ(transfers_count(), before + 1);
  const auto campaign = get_campaign(id);
  EXPECT_EQ(campaign["raised_cents"], 2500);
  EXPECT_EQ(campaign["pledged_cents"], 2500);
  EXPECT_EQ(campaign["backers_count"], 1);
  auto ledger = http().json("GET", "/api/v1/campaigns/" + id + "/ledger").json()["items"];
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0]["kind"], "pledge");
  EXPECT_EQ(ledger[0]["amount_cents"], 2500);
  EXPECT_EQ(ledger[0]["pledge_id"], body["pledge"]["id"]);
  EXPECT_EQ(ledger[0]["hash"], http().get("/api/v1/ledger/head").json()["head_hash"]);
  auto mine = http().json("GET", "/api/v1/me/pledges", backer.token).json()["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["id"], body["pledge"]["id"]);
  EXPECT_EQ(mine[0]["campaign_title"], campaign["title"]);
  expect_ledger_intact();
}

namespace {
// A value of /metrics, if the line is there.
std::optional<std::int64_t> metric_value(const HttpClient& http, const std::string& name) {
  const std::string text = http.get("/metrics").body;
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return std::nullopt;
  return std::stoll(text.substr(at + name.size() + 2));
}
}  // namespace

// A signed-in pledge needs a live session, checked as late as its write:
// on PostgreSQL inside the pledge's own transaction (Accounts::asker), so
// that its request reads nothing on a thread of its own; on SQLite on the
// io thread, where reads never wait. Either way a session that is over
// (logged out, expired, unknown) is 401 and nothing is written, and a
// session last seen long ago is seen again with the pledge.
TEST_P(CampaignsTest, ASignedInPledgeNeedsALiveSessionCheckedWithItsWrite) {
  const std::string id = live()["id"];
  const Json body = {{"amount_cents", 700}, {"payment_method", "sandbox_card"}};
  const auto last_seen = [&](const std::string& token) {
    long long at = -1;
    const std::string hash = runtime_->crypto->sha256_hex(token);
    *store::open_session(database_url())
        << "SELECT last_seen_at FROM sessions WHERE token_hash = :h",
        soci::use(hash), soci::into(at);
    return at;
  };
  // Seen six minutes ago: the pledge's write sees it again (every five).
  clock_->advance(6 * 60 * 1000);
  ASSERT_LT(last_seen(backer.token), clock_->now() - 5 * 60 * 1000);
  ASSERT_EQ(pledge(id, body, "live", backer.token).status, 201);
  EXPECT_EQ(last_seen(backer.token), clock_->now());
  const std::string route = "{route=\"/api/v1/campaigns/{id}/pledges\"}";
  const auto statements = metric_value(http(), "essor_db_statements_per_request_sum" + route);
  ASSERT_TRUE(statements.has_value());
  if (GetParam() == "sqlite") {
    EXPECT_EQ(*statements, 1);  // the session, on the io thread
  } else {
    EXPECT_EQ(*statements, 0);  // the session is read by the write
  }

  const auto transfers = transfers_count();
  const auto unchanged = [&](const std::string& why) {
    EXPECT_EQ(get_campaign(id)["raised_cents"], 700) << why;
    EXPECT_EQ(transfers_count(), transfers) << why;
  };
  expect_error(pledge(id, body, "forged", std::string(64, 'f')), 401, "unauthenticated");
  unchanged("an unknown token");
  // A second session, logged out: its token is over, the first one lives.
  auto login =
      http().json("POST", "/api/v1/auth/login", {{"email", backer.email}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string second = login.json()["token"];
  ASSERT_EQ(http().json("POST", "/api/v1/auth/logout", second).status, 204);
  expect_error(pledge(id, body, "logged-out", second), 401, "unauthenticated");
  unchanged("a logged-out session");
  // The same key, by the live session, is a first pledge: the refused one
  // claimed nothing.
  EXPECT_EQ(pledge(id, body, "logged-out", backer.token).status, 201);
  EXPECT_EQ(get_campaign(id)["raised_cents"], 1400);
  // Past its 30 days, the session is over.
  clock_->advance(std::int64_t{30} * 86'400'000);
  expect_error(pledge(id, body, "expired", backer.token), 401, "unauthenticated");
  EXPECT_EQ(get_campaign(id)["raised_cents"], 1400);
  expect_ledger_intact();
}

// On PostgreSQL the background sealer seals a pledge's transfer without
// anyone reading the ledger, and /metrics counts its rounds; SQLite chains
// each transfer as it is posted and has no sealer.
TEST_P(CampaignsTest, TheBackgroundSealerSealsAPledgeAndCountsItsRounds) {
  const std::string id = live()["id"];
  const auto metric = [&](const std::string& name) {
    return metric_value(http(), name).value_or(-1);
  };
  const std::string taken = "essor_ledger_seal_rounds_total{head=\"taken\"}";
  ASSERT_EQ(pledge(id, {{"amount_cents", 1200}, {"payment_method", "sandbox_card"}}, "sealed",
                   backer.token)
                .status,
            201);
  if (GetParam() == "sqlite") {
    EXPECT_EQ(metric("essor_ledger_sealed_total"), 0);
    EXPECT_EQ(metric(taken), 0);
    return;
  }
  // A guard, not a timing: the sealer wakes on the pledge.
  for (int tries = 0; tries < 30'000 && metric("essor_ledger_sealed_total") < 1; ++tries)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(metric("essor_ledger_sealed_total"), 1);
  EXPECT_GE(metric(taken), 1);
  long long unsealed = -1;
  *store::open_session(database_url()) << "SELECT COUNT(*) FROM ledger_transfers WHERE seq IS NULL",
      soci::into(unsealed);
  EXPECT_EQ(unsealed, 0);
}

namespace {
std::string progress_of(const std::string& html) {
  const auto at = html.find("id=\"progress-text\"");
  return at == std::string::npos ? "" : html.substr(at, html.find("</p>", at) - at);
}
std::uint64_t cache_count(const HttpClient& http, const std::string& outcome) {
  return static_cast<std::uint64_t>(
      metric_value(http, "essor_page_cache_total{outcome=\"" + outcome + "\"}").value_or(0));
}
}  // namespace

// Reads with a plan (issue 12): a signed-in campaign page is one read
// transaction of a dozen statements at most, and the campaign list costs
// the same few statements whatever its length (no statement per item).
TEST_P(CampaignsTest, PagesReadInOneSnapshotAndAListCostsTheSameWhateverItsLength) {
  const std::string id = live()["id"];
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 2500}, {"payment_method", "sandbox_card"}}, "k1", backer.token)
          .status,
      201);
  const std::map<std::string, std::string> signed_in{{"Cookie", "essor_session=" + backer.token}};
  ASSERT_EQ(http().get("/campaigns/" + id, signed_in).status, 200);  // the session is fresh now

  auto cost = [&](const std::string& path, const std::string& route,
                  const std::map<std::string, std::string>& headers) {
    const auto before = route_work(http(), route);
    const auto res = http().get(path, headers);
    EXPECT_EQ(res.status, 200) << path;
    const auto after = route_work(http(), route);
    EXPECT_EQ(after.requests - before.requests, 1) << path;
    return RouteWork{after.statements - before.statements,
                     after.read_transactions - before.read_transactions, 1};
  };
  // Rendered (a write has just made kept pages stale): one snapshot.
  const auto other = signup("other");
  const std::map<std::string, std::string> other_signed_in{
      {"Cookie", "essor_session=" + other.token}};
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 1000}, {"payment_method", "sandbox_card"}}, "k2", backer.token)
          .status,
      201);
  const auto page = cost("/campaigns/" + id, "/campaigns/{id}", signed_in);
  EXPECT_EQ(page.read_transactions, 1);
  EXPECT_LE(page.statements, 12);
  EXPECT_GE(page.statements, 2);  // counted: the session, the campaign, …
  // Kept for any signed-in reader: another reader's parts, one statement.
  const auto before_other = route_work(http(), "/campaigns/{id}");
  ASSERT_EQ(http().get("/campaigns/" + id, other_signed_in).status, 200);
  const auto after_other = route_work(http(), "/campaigns/{id}");
  EXPECT_EQ(after_other.read_transactions - before_other.read_transactions, 1);
  EXPECT_EQ(after_other.statements - before_other.statements, 1);
  // And again: the page and the reader's parts are both kept (no write
  // since), so no statement at all.
  const auto hits = cache_count(http(), "hit");
  ASSERT_EQ(http().get("/campaigns/" + id, other_signed_in).status, 200);
  EXPECT_EQ(cache_count(http(), "hit"), hits + 1);
  EXPECT_EQ(route_work(http(), "/campaigns/{id}").statements, after_other.statements);
  // The organisation's admin has the page rendered for them (one snapshot)
  // once the statement that finds so has been read.
  const std::map<std::string, std::string> as_admin{{"Cookie", "essor_session=" + admin.token}};
  EXPECT_NE(http().get("/campaigns/" + id, as_admin).body.find("/close\""), std::string::npos);
  const auto admin_page = cost("/campaigns/" + id, "/campaigns/{id}", as_admin);
  EXPECT_EQ(admin_page.read_transactions, 1);
  EXPECT_LE(admin_page.statements, 12);

  const auto short_list = cost("/campaigns", "/campaigns", signed_in);
  for (int n = 0; n < 6; ++n) live({{"title", "Campagne " + std::to_string(n)}});
  const auto long_list = cost("/campaigns", "/campaigns", signed_in);
  EXPECT_EQ(long_list.statements, short_list.statements);
  EXPECT_LE(long_list.statements, 6);
  EXPECT_EQ(long_list.read_transactions, 1);
}

// Anonymous readers of a public page share one rendering (web/page_cache):
// each still gets the CSRF token of their own cookie in its forms, a write
// shows at once, and a signed-in reader never gets the shared page.
TEST_P(CampaignsTest, AnonymousReadersShareAPageButNeverATokenAndSeeWritesAtOnce) {
  const std::string id = live()["id"];
  const std::string path = "/campaigns/" + id;
  auto first = http().get(path);
  ASSERT_EQ(first.status, 200);
  const std::string first_cookie = first.cookie("essor_csrf");
  ASSERT_FALSE(first_cookie.empty());
  // Forms carry a token made from the cookie, never the cookie itself.
  EXPECT_EQ(first.body.find(first_cookie), std::string::npos);
  const std::string first_token = csrf_token_for("essor_csrf=" + first_cookie);
  EXPECT_NE(first.body.find("value=\"" + first_token + "\""), std::string::npos);
  const auto hits = cache_count(http(), "hit");

  auto second = http().get(path);  // another visitor, without cookies
  ASSERT_EQ(second.status, 200);
  const std::string second_cookie = second.cookie("essor_csrf");
  ASSERT_FALSE(second_cookie.empty());
  EXPECT_NE(second_cookie, first_cookie);
  const std::string second_token = csrf_token_for("essor_csrf=" + second_cookie);
  EXPECT_NE(second.body.find("value=\"" + second_token + "\""), std::string::npos);
  EXPECT_EQ(second.body.find(first_token), std::string::npos);

  auto again = http().get(path, {{"Cookie", "essor_csrf=" + first_cookie}});
  EXPECT_TRUE(again.cookie("essor_csrf").empty());  // the visitor keeps theirs
  EXPECT_NE(again.body.find("value=\"" + first_token + "\""), std::string::npos);
  EXPECT_EQ(again.body.find(second_token), std::string::npos);
  EXPECT_EQ(cache_count(http(), "hit"), hits + 2);

  const std::string before = progress_of(again.body);
  ASSERT_FALSE(before.empty());
  ASSERT_EQ(pledge(id, {{"amount_cents", 2500}, {"payment_method", "sandbox_card"}}, "cache-1",
                   backer.token)
                .status,
            201);
  const std::string after = progress_of(http().get(path).body);
  EXPECT_NE(after, before);
  EXPECT_NE(after.find("25"), std::string::npos) << after;

  auto login =
      http().json("POST", "/api/v1/auth/login", {{"email", backer.email}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200);
  const auto misses = cache_count(http(), "miss");
  auto signed_in =
      http().get(path, {{"Cookie", "essor_session=" + std::string(login.json()["token"])}});
  EXPECT_NE(signed_in.body.find("/logout"), std::string::npos);
  // Rendered and kept for signed-in readers, apart from the anonymous page.
  EXPECT_EQ(cache_count(http(), "miss"), misses + 1);
  EXPECT_EQ(http().get(path).body.find("/logout"), std::string::npos);
}

// The list's cards are kept by what they show (web/pages_campaigns.cpp):
// a pledge changes a card at once, and two languages never share one.
TEST_P(CampaignsTest, ListCardsShowTheirCampaignAsItIsNow) {
  const std::string id = live()["id"];
  const std::map<std::string, std::string> french{{"Cookie", "essor_session=" + backer.token}};
  const std::map<std::string, std::string> english{
      {"Cookie", "essor_session=" + backer.token + "; essor_lang=en"}};
  const auto before = http().get("/campaigns", french).body;
  EXPECT_NE(before.find("/campaigns/" + id), std::string::npos);
  EXPECT_NE(before.find("<strong>0,00\u00a0€</strong>"), std::string::npos) << before;
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 2500}, {"payment_method", "sandbox_card"}}, "card", backer.token)
          .status,
      201);
  const auto after = http().get("/campaigns", french).body;
  EXPECT_NE(after.find("25,00"), std::string::npos);
  EXPECT_NE(after.find("1 contributeur·rices"), std::string::npos) << after;
  const auto in_english = http().get("/campaigns", english).body;
  EXPECT_NE(in_english.find("1 backers"), std::string::npos) << in_english;
}

// Signed-in readers with no role in the organisation share one rendering
// too (App::reader_page), but each gets their own parts: their form token,
// menu, notifications count, follow button and a new idempotency key; the
// organisation's people and moderators get the page rendered for them.
TEST_P(CampaignsTest, SignedInReadersShareAPageButEachGetsTheirOwnParts) {
  const std::string id = live()["id"];
  const std::string path = "/campaigns/" + id;
  const auto other = signup("reader");
  const std::string backer_cookies =
      "essor_session=" + backer.token + "; essor_csrf=" + std::string(40, 'b');
  const std::string other_cookies =
      "essor_session=" + other.token + "; essor_csrf=" + std::string(40, 'o');
  ASSERT_EQ(http()
                .json("POST", "/api/v1/follows", {{"target_type", "campaign"}, {"target_id", id}},
                      backer.token)
                .status,
            201);
  // A news item notifies the backers: the backer has one unread.
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 1500}, {"payment_method", "sandbox_card"}}, "r1", backer.token)
          .status,
      201);
  ASSERT_EQ(http()
                .json("POST", "/api/v1/campaigns/" + id + "/updates",
                      {{"title", "Nouvelles"}, {"body_md", "Merci !"}}, admin.token)
                .status,
            201);
  const std::string backer_token = csrf_token_for(backer_cookies);
  const std::string other_token = csrf_token_for(other_cookies);
  ASSERT_NE(backer_token, other_token);

  const auto mine = http().get(path, {{"Cookie", backer_cookies}});
  const auto hits = cache_count(http(), "hit");
  const auto theirs = http().get(path, {{"Cookie", other_cookies}});
  const auto mine_again = http().get(path, {{"Cookie", backer_cookies}});
  EXPECT_EQ(cache_count(http(), "hit"), hits + 2);  // one rendering for both readers
  for (const auto* page : {&mine, &theirs, &mine_again}) {
    ASSERT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("/logout"), std::string::npos);
    EXPECT_NE(page->body.find("name=\"idempotency_key\""), std::string::npos);
    EXPECT_EQ(page->body.find("zzhole"), std::string::npos);  // no marker left
    EXPECT_EQ(page->body.find("/moderation"), std::string::npos);
    EXPECT_EQ(page->body.find("/close\""), std::string::npos);
  }
  EXPECT_EQ(theirs.body.find("value=\"" + backer_token + "\""), std::string::npos);
  EXPECT_NE(theirs.body.find("value=\"" + other_token + "\""), std::string::npos);
  EXPECT_NE(mine.body.find("value=\"" + backer_token + "\""), std::string::npos);
  EXPECT_NE(mine.body.find("value=\"unfollow\""), std::string::npos);
  EXPECT_EQ(theirs.body.find("value=\"unfollow\""), std::string::npos);
  EXPECT_NE(theirs.body.find("value=\"follow\""), std::string::npos);
  EXPECT_NE(mine.body.find("class=\"badge\">1<"), std::string::npos);
  EXPECT_EQ(theirs.body.find("class=\"badge\""), std::string::npos);
  auto key_of = [](const std::string& body) {
    const std::string name = "name=\"idempotency_key\" value=\"";
    const auto at = body.find(name);
    return at == std::string::npos
               ? std::string()
               : body.substr(at + name.size(), body.find('"', at + name.size()) - at - name.size());
  };
  EXPECT_FALSE(key_of(mine.body).empty());
  EXPECT_NE(key_of(mine.body), key_of(mine_again.body));
  EXPECT_NE(key_of(mine.body), key_of(theirs.body));

  // The organisation's treasurer and a moderator have their own page.
  const auto treasurers = http().get(path, {{"Cookie", "essor_session=" + treasurer.token}});
  EXPECT_NE(treasurers.body.find("/backers.csv"), std::string::npos);
  EXPECT_EQ(theirs.body.find("/backers.csv"), std::string::npos);
  const auto moderators = http().get(path, {{"Cookie", "essor_session=" + moderator.token}});
  EXPECT_NE(moderators.body.find("/moderation"), std::string::npos);
  EXPECT_NE(moderators.body.find("/close\""), std::string::npos);
  // A session that is not one gets the anonymous view.
  const auto stranger = http().get(path, {{"Cookie", "essor_session=not-a-session"}});
  EXPECT_EQ(stranger.status, 200);
  EXPECT_EQ(stranger.body.find("/logout"), std::string::npos);
}

TEST_P(CampaignsTest, IdempotencyKeyReplaysAndRefusesAnotherBody) {
  const std::string id = live()["id"];
  const Json body = {{"amount_cents", 3000}, {"payment_method", "sandbox_card"}};
  expect_error(pledge(id, body, "", backer.token), 400, "validation_failed");
  expect_error(pledge(id, body, std::string(256, 'k'), backer.token), 400, "validation_failed");
  auto first = pledge(id, body, "same-key", backer.token);
  ASSERT_EQ(first.status, 201);
  const auto count = transfers_count();
  auto again = pledge(id, body, "same-key", backer.token);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);  // the first response, byte for byte
  EXPECT_EQ(transfers_count(), count);
  expect_error(pledge(id, {{"amount_cents", 3001}, {"payment_method", "sandbox_card"}}, "same-key",
                      backer.token),
               422, "idempotency_key_reused");
  EXPECT_EQ(get_campaign(id)["raised_cents"], 3000);
  // Keys are per user: another person may use the same one.
  EXPECT_EQ(pledge(id, body, "same-key", treasurer.token).status, 201);
  EXPECT_EQ(get_campaign(id)["raised_cents"], 6000);
}

TEST_P(CampaignsTest, PledgeValidation) {
  const auto campaign = live();
  const std::string id = campaign["id"];
  const std::string reward = campaign["rewards"][0]["id"];
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"amount_cents", 0}, {"payment_method", "sandbox_card"}}, "amount_cents"},
      {{{"amount_cents", -5}, {"payment_method", "sandbox_card"}}, "amount_cents"},
      {{{"amount_cents", 10000001}, {"payment_method", "sandbox_card"}}, "amount_cents"},
      {{{"amount_cents", 12.5}, {"payment_method", "sandbox_card"}}, "amount_cents"},
      {{{"payment_method", "sandbox_card"}}, "amount_cents"},
      {{{"amount_cents", 1999}, {"reward_id", reward}, {"payment_method", "sandbox_card"}},
       "amount_cents"},
      {{{"amount_cents", 5000}, {"reward_id", "nope"}, {"payment_method", "sandbox_card"}},
       "reward_id"},
      {{{"amount_cents", 5000}, {"payment_method", "bitcoin"}}, "payment_method"},
      {{{"amount_cents", 5000}, {"payment_method", "sandbox_card"}, {"anonymous", "yes"}},
       "anonymous"},
  };
  int key = 0;
  for (const auto& [body, field] : cases) {
    auto res = pledge(id, body, "v" + std::to_string(key++), backer.token);
    expect_error(res, 400, "validation_failed");
    EXPECT_TRUE(res.json()["error"]["fields"].contains(field)) << body.dump() << " → " << res.body;
  }
  EXPECT_EQ(pledge(id, {{"amount_cents", 10000000}, {"payment_method", "sandbox_card"}}, "max",
                   backer.token)
                .status,
            201);
  EXPECT_EQ(get_campaign(id)["raised_cents"], 10000000);  // only the valid one counted
  expect_error(pledge("unknown", {{"amount_cents", 100}, {"payment_method", "sandbox_card"}}, "u",
                      backer.token),
               404, "not_found");
  expect_error(pledge(id, {{"amount_cents", 100}, {"payment_method", "sandbox_card"}}, "anon", ""),
               401, "unauthenticated");
}

TEST_P(CampaignsTest, OnlyLiveCampaignsTakePledges) {
  const std::string draft = create()["id"];
  const Json body = {{"amount_cents", 1000}, {"payment_method", "sandbox_card"}};
  expect_error(pledge(draft, body, "d", admin.token), 409, "campaign_not_live");
  expect_error(pledge(draft, body, "d", backer.token), 404, "not_found");  // drafts are not public
  const std::string id = live()["id"];
  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + id + "/close", admin.token).status, 200);
  expect_error(pledge(id, body, "c", backer.token), 409, "campaign_not_live");
}

TEST_P(CampaignsTest, BankTransferIsPendingUntilTheTreasurerConfirms) {
  const auto campaign = live();
  const std::string id = campaign["id"];
  auto res =
      pledge(id, {{"amount_cents", 4200}, {"payment_method", "bank_transfer"}}, "bt", backer.token);
  ASSERT_EQ(res.status, 201) << res.body;
  const auto body = res.json();
  const std::string pledge_id = body["pledge"]["id"];
  EXPECT_EQ(body["pledge"]["status"], "pending");
  EXPECT_EQ(body["payment"]["iban"], "FR7630004000031234567890143");
  EXPECT_EQ(body["payment"]["bic"], "BNPAFRPP");
  EXPECT_EQ(body["payment"]["beneficiary"], "La Ressourcerie");
  EXPECT_EQ(body["payment"]["amount_cents"], 4200);
  EXPECT_EQ(body["payment"]["reference"], body["pledge"]["reference"]);
  EXPECT_TRUE(body["payment"]["epc_qr_svg"].get<std::string>().starts_with("<svg"));
  const auto count = transfers_count();
  EXPECT_EQ(count, 0);  // announced money is not on the ledger yet
  auto state = get_campaign(id);
  EXPECT_EQ(state["raised_cents"], 0);
  EXPECT_EQ(state["pledged_cents"], 4200);

  expect_error(http().json("POST", "/api/v1/pledges/" + pledge_id + "/confirm", backer.token), 403,
               "forbidden");
  auto confirmed =
      http().json("POST", "/api/v1/pledges/" + pledge_id + "/confirm", treasurer.token);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json()["pledge"]["status"], "confirmed");
  EXPECT_EQ(transfers_count(), count + 1);
  EXPECT_EQ(get_campaign(id)["raised_cents"], 4200);
  // The backer is told the money arrived, in euros; the organisation's
  // admin was told the campaign is published.
  const auto told = http().json("GET", "/api/v1/me/notifications", backer.token);
  EXPECT_NE(told.body.find("\"transfer_confirmed\""), std::string::npos) << told.body;
  EXPECT_NE(told.body.find("42,00"), std::string::npos) << told.body;
  EXPECT_NE(
      http().json("GET", "/api/v1/me/notifications", admin.token).body.find("campaign_approved"),
      std::string::npos);
  expect_error(http().json("POST", "/api/v1/pledges/" + pledge_id + "/confirm", treasurer.token),
               409, "pledge_not_pending");
  expect_error(http().json("POST", "/api/v1/pledges/" + pledge_id + "/cancel", backer.token), 409,
               "pledge_not_pending");
  EXPECT_EQ(http().json("GET", "/api/v1/pledges/" + pledge_id, backer.token).status, 200);
  EXPECT_EQ(http().json("GET", "/api/v1/pledges/" + pledge_id, treasurer.token).status, 200);
  EXPECT_EQ(http().json("GET", "/api/v1/pledges/" + pledge_id, moderator.token).status, 200);
  const auto stranger = signup("stranger");
  expect_error(http().json("GET", "/api/v1/pledges/" + pledge_id, stranger.token), 403,
               "forbidden");
  expect_ledger_intact();
}

TEST_P(CampaignsTest, BankTransferNeedsTheOrganisationsBankDetails) {
  const std::string id = live()["id"];
  ASSERT_EQ(http().json("PATCH", "/api/v1/orgs/" + org_id, {{"iban", nullptr}}, admin.token).status,
            200);
  expect_error(
      pledge(id, {{"amount_cents", 1000}, {"payment_method", "bank_transfer"}}, "k", backer.token),
      409, "bank_details_missing");
  EXPECT_EQ(get_campaign(id)["pledged_cents"], 0);
}

TEST_P(CampaignsTest, LimitedRewardIsNeverOversoldAndCancellationGivesItBack) {
  const auto campaign = live();
  const std::string id = campaign["id"];
  const std::string reward = campaign["rewards"][0]["id"];
  const Json by_transfer = {
      {"amount_cents", 2000}, {"reward_id", reward}, {"payment_method", "bank_transfer"}};
  auto first = pledge(id, by_transfer, "r1", backer.token);
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(pledge(id, by_transfer, "r2", backer.token).status, 201);
  expect_error(pledge(id, by_transfer, "r3", backer.token), 409, "reward_sold_out");
  EXPECT_EQ(get_campaign(id)["rewards"][0]["remaining"], 0);
  const std::string first_id = first.json()["pledge"]["id"];
  auto cancelled = http().json("POST", "/api/v1/pledges/" + first_id + "/cancel", backer.token);
  ASSERT_EQ(cancelled.status, 200);
  EXPECT_EQ(cancelled.json()["pledge"]["status"], "cancelled");
  EXPECT_EQ(get_campaign(id)["rewards"][0]["remaining"], 1);
  EXPECT_EQ(pledge(id, by_transfer, "r4", backer.token).status, 201);
  expect_error(pledge(id, by_transfer, "r5", backer.token), 409, "reward_sold_out");
}

// Issue 11, item 11: an unpaid bank transfer holds a limited reward for
// ESSOR_TRANSFER_EXPIRY_DAYS (14) at most; its backer is told three days
// before, once; then it is cancelled and the reward is free again.
TEST_P(CampaignsTest, UnpaidTransfersExpireAndGiveTheirRewardBack) {
  const auto campaign = live();
  const std::string id = campaign["id"];
  const std::string reward = campaign["rewards"][0]["id"];
  const Json by_transfer = {
      {"amount_cents", 2000}, {"reward_id", reward}, {"payment_method", "bank_transfer"}};
  auto held = pledge(id, by_transfer, "e1", backer.token);
  ASSERT_EQ(held.status, 201);
  const std::string held_id = held.json()["pledge"]["id"];
  clock_->advance(std::int64_t{86'400'000});
  ASSERT_EQ(pledge(id, by_transfer, "e2", backer.token).status, 201);
  expect_error(pledge(id, by_transfer, "e3", backer.token), 409, "reward_sold_out");
  const auto before = transfers_count();
  auto expiring_mails = [&] {
    std::vector<app::OutboxMail> mails;
    runtime_->store->read(
        [&](app::ReadTx& tx) { mails = tx.outbox().recent_outbox(core::UserId{backer.id}, 100); });
    return std::count_if(mails.begin(), mails.end(),
                         [](const auto& m) { return m.kind == "transfer_expiring"; });
  };

  // Ten days: nothing yet.
  clock_->advance(std::int64_t{9} * 86'400'000);
  auto work = runtime_->pledges->expire_due();
  EXPECT_EQ(work.noticed + work.expired, 0);
  // Eleven days after the first: its backer is told, once.
  clock_->advance(std::int64_t{86'400'000} + 1);
  work = runtime_->pledges->expire_due();
  EXPECT_EQ(work.noticed, 1);
  EXPECT_EQ(runtime_->pledges->expire_due().noticed, 0);
  EXPECT_EQ(expiring_mails(), 1);
  {
    // Worded from the catalogs, in French then English, every placeholder
    // filled (the reward is given back too: this pledge held one).
    std::vector<app::OutboxMail> mails;
    runtime_->store->read(
        [&](app::ReadTx& tx) { mails = tx.outbox().recent_outbox(core::UserId{backer.id}, 100); });
    const auto mail = std::find_if(mails.begin(), mails.end(),
                                   [](const auto& m) { return m.kind == "transfer_expiring"; });
    ASSERT_NE(mail, mails.end());
    EXPECT_EQ(mail->subject,
              "[Essor] Votre virement n'est pas encore arrivé / Your transfer has not arrived");
    EXPECT_EQ(mail->body.find('{'), std::string::npos) << mail->body;
    EXPECT_NE(mail->body.find("et la contrepartie rendue disponible"), std::string::npos);
    EXPECT_NE(mail->body.find("and its reward made available again"), std::string::npos);
    EXPECT_NE(mail->body.find("\n-- \n"), std::string::npos);
  }
  EXPECT_EQ(get_campaign(id)["rewards"][0]["remaining"], 0);
  // Fourteen days: cancelled, the reward free again; the second waits.
  clock_->advance(std::int64_t{3} * 86'400'000);
  work = runtime_->pledges->expire_due();
  EXPECT_EQ(work.expired, 1);
  EXPECT_EQ(work.noticed, 1);  // the second one's turn to be told
  auto status = http().json("GET", "/api/v1/pledges/" + held_id, backer.token);
  EXPECT_EQ(status.json()["pledge"]["status"], "cancelled");
  EXPECT_EQ(get_campaign(id)["rewards"][0]["remaining"], 1);
  EXPECT_EQ(transfers_count(), before) << "a cancelled announcement is not a ledger transfer";
  // It cannot be confirmed any more; the freed reward goes to someone else.
  expect_error(http().json("POST", "/api/v1/pledges/" + held_id + "/confirm", treasurer.token), 409,
               "pledge_not_pending");
  EXPECT_EQ(pledge(id, by_transfer, "e4", backer.token).status, 201);
  expect_ledger_intact();
}

// Issue 11, item 14: a treasurer's confirmation racing the campaign's
// failure must never leave confirmed money in a failed campaign: either
// the confirmation wins and the resolution refunds it, or the resolution
// wins and the confirmation is refused.
TEST_P(CampaignsTest, ConfirmingATransferNeverRacesAFailingCampaign) {
  for (int round = 0; round < 8; ++round) {
    const std::string id =
        live({{"funding_model", "all_or_nothing"}, {"goal_cents", 10'000'000}})["id"];
    auto announced = pledge(id, {{"amount_cents", 5000}, {"payment_method", "bank_transfer"}},
                            "race" + std::to_string(round), backer.token);
    ASSERT_EQ(announced.status, 201) << announced.body;
    const std::string pledge_id = announced.json()["pledge"]["id"];
    int confirm_status = 0, close_status = 0;
    std::thread confirm([&] {
      confirm_status =
          http().json("POST", "/api/v1/pledges/" + pledge_id + "/confirm", treasurer.token).status;
    });
    std::thread close([&] {
      close_status = http().json("POST", "/api/v1/campaigns/" + id + "/close", admin.token).status;
    });
    confirm.join();
    close.join();
    ASSERT_EQ(close_status, 200);
    EXPECT_EQ(get_campaign(id)["status"], "failed");
    const std::string status =
        http().json("GET", "/api/v1/pledges/" + pledge_id, backer.token).json()["pledge"]["status"];
    if (confirm_status == 200) {
      EXPECT_EQ(status, "refunded") << "confirmed first, then refunded by the failure";
    } else {
      EXPECT_EQ(confirm_status, 409);
      EXPECT_EQ(status, "cancelled");
    }
  }
  expect_ledger_intact();
  EXPECT_EQ(cli::run_verify(config_), 0);
}

// Card pledges (confirmed at once) racing the close of an all-or-nothing
// campaign: each pledge is either in before the resolution (and refunded
// by it) or refused as too late; no money stays in the failed campaign.
// On PostgreSQL pledges hold the campaign's row KEY SHARE and the
// resolution takes it FOR UPDATE.
TEST_P(CampaignsTest, CardPledgesNeverRaceAFailingCampaign) {
  for (int round = 0; round < 4; ++round) {
    const std::string id =
        live({{"funding_model", "all_or_nothing"}, {"goal_cents", 10'000'000}})["id"];
    std::vector<std::string> answered(6);
    std::vector<int> statuses(6, 0);
    std::vector<std::thread> threads;
    for (int n = 0; n < 6; ++n) {
      threads.emplace_back([&, n] {
        const auto res =
            pledge(id, {{"amount_cents", 1000 + n}, {"payment_method", "sandbox_card"}},
                   "late" + std::to_string(round) + "-" + std::to_string(n), backer.token);
        statuses[n] = res.status;
        if (res.status == 201) answered[n] = res.json()["pledge"]["id"];
      });
    }
    int close_status = 0;
    threads.emplace_back([&] {
      close_status = http().json("POST", "/api/v1/campaigns/" + id + "/close", admin.token).status;
    });
    for (auto& thread : threads) thread.join();
    ASSERT_EQ(close_status, 200);
    EXPECT_EQ(get_campaign(id)["status"], "failed");
    for (int n = 0; n < 6; ++n) {
      if (statuses[n] == 201) {
        EXPECT_EQ(http()
                      .json("GET", "/api/v1/pledges/" + answered[n], backer.token)
                      .json()["pledge"]["status"],
                  "refunded");
      } else {
        EXPECT_EQ(statuses[n], 409);
      }
    }
  }
  expect_ledger_intact();
  EXPECT_EQ(cli::run_verify(config_), 0);
}

TEST_P(CampaignsTest, HundredConcurrentPledgesOnARewardOfTen) {
  const auto campaign = live({{"rewards", Json::array({{{"title", "Atelier"},
                                                        {"description", ""},
                                                        {"min_amount_cents", 1000},
                                                        {"quantity_limit", 10}}})}});
  const std::string id = campaign["id"];
  const std::string reward = campaign["rewards"][0]["id"];
  std::atomic<int> created{0}, sold_out{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 10; ++n) {
        auto res = pledge(
            id, {{"amount_cents", 1000}, {"reward_id", reward}, {"payment_method", "sandbox_card"}},
            "c" + std::to_string(t) + "-" + std::to_string(n), backer.token);
        if (res.status == 201)
          ++created;
        else if (res.status == 409)
          ++sold_out;
        else
          ++other;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 10);
  EXPECT_EQ(sold_out.load(), 90);
  EXPECT_EQ(other.load(), 0);
  const auto state = get_campaign(id);
  EXPECT_EQ(state["rewards"][0]["claimed"], 10);
  EXPECT_EQ(state["raised_cents"], 10000);
  EXPECT_EQ(transfers_count(), 10);
  expect_ledger_intact();
}

TEST_P(CampaignsTest, OneKeySentManyTimesAtOnceMakesOnePledge) {
  // A phone retrying on a bad network: twenty copies of one pledge at
  // once. On PostgreSQL they share the group commit's batches (one
  // backer's on one writer), whose pledges are written at the batch's
  // end; each copy must still find the first one's stored answer.
  const std::string id = live()["id"];
  std::mutex mutex;
  std::set<std::string> pledge_ids;
  std::atomic<int> created{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 20; ++t) {
    threads.emplace_back([&] {
      auto res = pledge(id, {{"amount_cents", 1500}, {"payment_method", "sandbox_card"}}, "one-key",
                        backer.token);
      if (res.status != 201) {
        ++other;
        return;
      }
      ++created;
      std::lock_guard lock(mutex);
      pledge_ids.insert(res.json()["pledge"]["id"].get<std::string>());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 20);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(pledge_ids.size(), 1u);
  EXPECT_EQ(get_campaign(id)["raised_cents"], 1500);
  EXPECT_EQ(transfers_count(), 1);
  expect_ledger_intact();
}

TEST_P(CampaignsTest, AllOrNothingBelowGoalFailsAndRefunds) {
  const auto campaign = live();
  const std::string id = campaign["id"];
  const std::string reward = campaign["rewards"][0]["id"];
  ASSERT_EQ(
      pledge(id,
             {{"amount_cents", 2000}, {"reward_id", reward}, {"payment_method", "sandbox_card"}},
             "a", backer.token)
          .status,
      201);
  auto pending = pledge(
      id, {{"amount_cents", 2000}, {"reward_id", reward}, {"payment_method", "bank_transfer"}}, "b",
      backer.token);
  ASSERT_EQ(pending.status, 201);
  expect_error(http().json("POST", "/api/v1/campaigns/" + id + "/close", backer.token), 403,
               "forbidden");
  auto closed = http().json("POST", "/api/v1/campaigns/" + id + "/close", admin.token);
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["campaign"]["status"], "failed");
  expect_error(http().json("POST", "/api/v1/campaigns/" + id + "/close", moderator.token), 409,
               "campaign_not_live");
  EXPECT_EQ(runtime_->campaigns->resolve_due(), 0);
  auto ledger = http().json("GET", "/api/v1/campaigns/" + id + "/ledger").json()["items"];
  ASSERT_EQ(ledger.size(), 2u);
  EXPECT_EQ(ledger[1]["kind"], "refund");
  EXPECT_EQ(ledger[1]["debit_account"], "campaign:" + id);
  const auto mine = http().json("GET", "/api/v1/me/pledges", backer.token).json()["items"];
  std::multiset<std::string> statuses;
  for (const auto& item : mine) statuses.insert(item["status"].get<std::string>());
  EXPECT_EQ(statuses, (std::multiset<std::string>{"cancelled", "refunded"}));
  EXPECT_EQ(get_campaign(id)["rewards"][0]["claimed"], 0);  // both given back
  expect_ledger_intact();
}

TEST_P(CampaignsTest, KeepItAllSucceedsAndPaysTheOrganisationOnce) {
  const std::string id = live({{"funding_model", "keep_it_all"}, {"ends_at", in_days(2)}})["id"];
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 700}, {"payment_method", "sandbox_card"}}, "a", backer.token)
          .status,
      201);
  auto late =
      pledge(id, {{"amount_cents", 300}, {"payment_method", "bank_transfer"}}, "b", backer.token);
  ASSERT_EQ(late.status, 201);
  // The deadline passes: the scheduler resolves it, once.
  clock_->advance(3LL * 86'400'000);  // sessions (30 days) stay valid
  EXPECT_EQ(runtime_->campaigns->resolve_due(), 1);
  EXPECT_EQ(runtime_->campaigns->resolve_due(), 0);
  EXPECT_EQ(get_campaign(id)["status"], "succeeded");
  expect_error(http().json("POST", "/api/v1/campaigns/" + id + "/close", admin.token), 409,
               "campaign_not_live");
  // Money that arrives after success follows it to the organisation.
  const std::string late_id = late.json()["pledge"]["id"];
  ASSERT_EQ(http().json("POST", "/api/v1/pledges/" + late_id + "/confirm", treasurer.token).status,
            200);
  const auto ledger = http().json("GET", "/api/v1/campaigns/" + id + "/ledger").json()["items"];
  std::vector<std::string> kinds;
  core::Cents paid_out = 0;
  for (const auto& item : ledger) {
    kinds.push_back(item["kind"]);
    if (item["kind"] == "payout") {
      EXPECT_EQ(item["credit_account"], "org:" + org_id);
      paid_out += item["amount_cents"].get<core::Cents>();
    }
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"pledge", "payout", "pledge", "payout"}));
  EXPECT_EQ(paid_out, 1000);
  expect_ledger_intact();
}

// A deadline holds from its very millisecond: the first reader after it
// (of the campaign, or of a list that holds it) finds the campaign
// resolved, without waiting for the scheduler's next round.
TEST_P(CampaignsTest, ACampaignIsResolvedForItsFirstReaderOnceItsDeadlinePassed) {
  const std::string kept = live({{"funding_model", "keep_it_all"}, {"ends_at", in_days(2)}})["id"];
  const std::string failing = live({{"ends_at", in_days(2)}})["id"];
  ASSERT_EQ(
      pledge(kept, {{"amount_cents", 700}, {"payment_method", "sandbox_card"}}, "a", backer.token)
          .status,
      201);
  ASSERT_EQ(pledge(failing, {{"amount_cents", 900}, {"payment_method", "sandbox_card"}}, "b",
                   backer.token)
                .status,
            201);
  clock_->advance(2LL * 86'400'000 - 1);
  EXPECT_EQ(get_campaign(kept)["status"], "live");
  clock_->advance(1);
  // An anonymous reader of the campaign: resolved, the money paid out.
  EXPECT_EQ(get_campaign(kept)["status"], "succeeded");
  // A list of live campaigns no longer holds the other: resolved too.
  const auto lives = http().json("GET", "/api/v1/campaigns?status=live").json()["items"];
  for (const auto& item : lives) EXPECT_NE(item["id"], failing) << lives.dump();
  EXPECT_EQ(get_campaign(failing)["status"], "failed");
  // Nothing left for the scheduler, and each resolved once.
  EXPECT_EQ(runtime_->campaigns->resolve_due(), 0);
  std::map<std::string, int> kinds;
  for (const auto& id : {kept, failing}) {
    const auto ledger = http().json("GET", "/api/v1/campaigns/" + id + "/ledger").json();
    for (const auto& item : ledger["items"]) ++kinds[item["kind"].get<std::string>()];
  }
  EXPECT_EQ(kinds, (std::map<std::string, int>{{"payout", 1}, {"pledge", 2}, {"refund", 1}}));
  expect_error(
      pledge(kept, {{"amount_cents", 700}, {"payment_method", "sandbox_card"}}, "c", backer.token),
      409, "campaign_not_live");
  expect_ledger_intact();
}

TEST_P(CampaignsTest, ConcurrentResolutionHappensOnce) {
  const std::string id = live({{"funding_model", "keep_it_all"}, {"ends_at", in_days(2)}})["id"];
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 900}, {"payment_method", "sandbox_card"}}, "a", backer.token)
          .status,
      201);
  clock_->advance(3LL * 86'400'000);  // sessions (30 days) stay valid
  std::atomic<int> resolved{0}, closed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] { resolved += runtime_->campaigns->resolve_due(); });
    threads.emplace_back([&] {
      if (http().json("POST", "/api/v1/campaigns/" + id + "/close", admin.token).status == 200)
        ++closed;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(resolved.load() + closed.load(), 1);
  int payouts = 0;
  const auto ledger = http().json("GET", "/api/v1/campaigns/" + id + "/ledger");
  const Json items = ledger.json()["items"];  // a copy: the parsed body is a temporary
  for (const auto& item : items) payouts += item["kind"] == "payout" ? 1 : 0;
  EXPECT_EQ(payouts, 1) << ledger.body;
  expect_ledger_intact();
}

TEST_P(CampaignsTest, LoanCampaignCapsWhatOneLenderLends) {
  const std::string id = live({{"kind", "loan"},
                               {"rewards", Json::array()},
                               {"loan",
                                {{"annual_rate_bp", 0},
                                 {"term_months", 24},
                                 {"repayment", "linear"},
                                 {"max_per_lender_cents", 5000}}}})["id"];
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 3000}, {"payment_method", "sandbox_card"}}, "l1", backer.token)
          .status,
      201);
  auto over =
      pledge(id, {{"amount_cents", 2001}, {"payment_method", "sandbox_card"}}, "l2", backer.token);
  expect_error(over, 400, "validation_failed");
  EXPECT_TRUE(over.json()["error"]["fields"].contains("amount_cents"));
  EXPECT_EQ(
      pledge(id, {{"amount_cents", 2000}, {"payment_method", "sandbox_card"}}, "l3", backer.token)
          .status,
      201);
}

TEST_P(CampaignsTest, TransfersAreImmutableAndTamperingIsDetected) {
  const std::string id = live()["id"];
  for (int n = 0; n < 3; ++n) {
    ASSERT_EQ(pledge(id, {{"amount_cents", 1000 + n}, {"payment_method", "sandbox_card"}},
                     "k" + std::to_string(n), backer.token)
                  .status,
              201);
  }
  expect_ledger_intact();
  EXPECT_EQ(cli::run_verify(config_), 0);
  const std::string tamper =
      "UPDATE ledger_transfers SET amount_cents = amount_cents + 100 WHERE seq = 2";
  // The database itself refuses to change a transfer.
  EXPECT_ANY_THROW(store::execute_for_tests(database_url(), tamper));
  expect_ledger_intact();
  // Someone with direct access removes the guard and rewrites history.
  store::execute_for_tests(
      database_url(), GetParam() == "sqlite" ? "DROP TRIGGER ledger_transfers_immutable_update"
                                             : "ALTER TABLE ledger_transfers DISABLE TRIGGER USER");
  store::execute_for_tests(database_url(), tamper);
  const auto report = runtime_->ledger->verify();
  ASSERT_FALSE(report.problems.empty());
  EXPECT_NE(report.problems.front().find("#2"), std::string::npos) << report.problems.front();
  EXPECT_EQ(cli::run_verify(config_), 1);
}

TEST_P(CampaignsTest, PledgeFormNeedsLoginAndCsrfAndSurvivesADoubleSubmit) {
  const std::string id = live()["id"];
  const std::map<std::string, std::string> form_type{
      {"Content-Type", "application/x-www-form-urlencoded"}};
  auto anonymous = http().request("POST", "/campaigns/" + id + "/pledge",
                                  "amount=10&payment_method=sandbox_card", form_type);
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_TRUE(anonymous.header("location").starts_with("/login")) << anonymous.header("location");
  auto headers = form_type;
  headers["Cookie"] = "essor_session=" + backer.token;
  auto forged = http().request("POST", "/campaigns/" + id + "/pledge",
                               "amount=10&payment_method=sandbox_card&idempotency_key=f1", headers);
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(get_campaign(id)["pledged_cents"], 0);

  headers["Cookie"] = "essor_session=" + backer.token + "; essor_csrf=" + std::string(43, 'c');
  const std::string csrf = csrf_token_for(headers["Cookie"]);
  const std::string body =
      "_csrf=" + csrf + "&amount=12%2C50&payment_method=sandbox_card&idempotency_key=form-1";
  auto first = http().request("POST", "/campaigns/" + id + "/pledge", body, headers);
  ASSERT_EQ(first.status, 303) << first.body;
  EXPECT_TRUE(first.header("location").starts_with("/pledges/"));
  auto again = http().request("POST", "/campaigns/" + id + "/pledge", body, headers);
  EXPECT_EQ(again.header("location"), first.header("location"));  // a double click pledges once
  EXPECT_EQ(get_campaign(id)["raised_cents"], 1250);
  auto page = http().get(first.header("location").substr(0, first.header("location").find('?')),
                         {{"Cookie", headers["Cookie"]}});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("12,50"), std::string::npos);
  auto bad = http().request(
      "POST", "/campaigns/" + id + "/pledge",
      "_csrf=" + csrf + "&amount=douze&payment_method=sandbox_card&idempotency_key=form-2",
      headers);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("role=\"alert\""), std::string::npos);
}

// The campaign page: the description's own heading is not repeated; a
// failed pledge form comes back with every choice kept and a message that
// says what is wrong with this amount; a transfer is offered only to an
// organisation that gave its IBAN; a loan says it is one, calls its
// backers lenders and warns of the risk.
TEST_P(CampaignsTest, TheCampaignPageKeepsAFailedFormAndTellsTheTruth) {
  const auto campaign = live();
  const std::string id = campaign["id"];
  const std::string reward = campaign["rewards"][0]["id"];
  std::map<std::string, std::string> headers{
      {"Content-Type", "application/x-www-form-urlencoded"},
      {"Cookie", "essor_session=" + backer.token + "; essor_csrf=" + std::string(43, 'c')}};
  const std::string csrf = csrf_token_for(headers["Cookie"]);
  const auto page = http().get("/campaigns/" + id, {{"Cookie", headers["Cookie"]}});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("id=\"about-heading\""), std::string::npos) << "\"Le projet\" twice";
  EXPECT_NE(page.body.find("value=\"bank_transfer\""), std::string::npos);
  EXPECT_NE(page.body.find("class=\"campaign-side\""), std::string::npos);

  // 10 € for a reward of 20 €, by transfer, anonymously, with a message.
  auto failed = http().request("POST", "/campaigns/" + id + "/pledge",
                               "_csrf=" + csrf + "&amount=10&reward_id=" + reward +
                                   "&payment_method=bank_transfer&anonymous=on&message=Bravo"
                                   "&idempotency_key=keep-1",
                               headers);
  ASSERT_EQ(failed.status, 400) << failed.body;
  EXPECT_NE(failed.body.find("demande au moins 20,00"), std::string::npos) << failed.body;
  // The summary at the top leads to the field in euros.
  EXPECT_NE(failed.body.find("<a href=\"#amount\">"), std::string::npos);
  EXPECT_NE(failed.body.find("value=\"" + reward + "\" checked"), std::string::npos);
  EXPECT_NE(failed.body.find("value=\"bank_transfer\" checked"), std::string::npos);
  EXPECT_EQ(failed.body.find("value=\"sandbox_card\" checked"), std::string::npos);
  EXPECT_NE(failed.body.find("name=\"anonymous\" value=\"on\" checked"), std::string::npos);
  EXPECT_NE(failed.body.find(">Bravo</textarea>"), std::string::npos);
  EXPECT_NE(failed.body.find("value=\"10\""), std::string::npos);
  // Not an amount at all: another message.
  auto words = http().request(
      "POST", "/campaigns/" + id + "/pledge",
      "_csrf=" + csrf + "&amount=dix&payment_method=sandbox_card&idempotency_key=keep-2", headers);
  EXPECT_NE(words.body.find("Indiquez un montant en euros"), std::string::npos);
  EXPECT_EQ(get_campaign(id)["pledged_cents"], 0);

  // Without an IBAN, no transfer is offered.
  ASSERT_EQ(
      http()
          .json("PATCH", "/api/v1/orgs/" + org_id, {{"iban", ""}, {"bic", ""}}, treasurer.token)
          .status,
      200);
  EXPECT_EQ(http()
                .get("/campaigns/" + id, {{"Cookie", headers["Cookie"]}})
                .body.find("value=\"bank_transfer\""),
            std::string::npos);
  // The test card is on in the tests, so the page does not say none is left.
  EXPECT_EQ(http()
                .get("/campaigns/" + id, {{"Cookie", headers["Cookie"]}})
                .body.find("pas encore donné ses coordonnées bancaires : seul"),
            std::string::npos);

  // A loan.
  const std::string loan = live(
      {{"kind", "loan"},
       {"rewards", Json::array()},
       {"loan", {{"annual_rate_bp", 100}, {"term_months", 12}, {"repayment", "annuity"}}}})["id"];
  const auto loan_page = http().get("/campaigns/" + loan, {{"Cookie", headers["Cookie"]}});
  ASSERT_EQ(loan_page.status, 200) << loan_page.body;
  EXPECT_NE(loan_page.body.find("Prêt solidaire"), std::string::npos);
  EXPECT_NE(loan_page.body.find("risque de perte en capital"), std::string::npos);
  EXPECT_NE(loan_page.body.find("prêteurs et prêteuses"), std::string::npos);
  EXPECT_EQ(loan_page.body.find("contributeur·rices"), std::string::npos);
}

TEST_P(CampaignsTest, CsvExportsOfLedgerAndBackers) {
  const std::string id = live()["id"];
  ASSERT_EQ(pledge(id,
                   {{"amount_cents", 1234},
                    {"payment_method", "sandbox_card"},
                    {"message", "=HYPERLINK(\"http://evil\")"}},
                   "x1", backer.token)
                .status,
            201);
  auto ledger = http().get("/api/v1/campaigns/" + id + "/ledger.csv");
  ASSERT_EQ(ledger.status, 200);
  EXPECT_EQ(ledger.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(ledger.body.find("\"seq\",\"id\""), std::string::npos);
  EXPECT_NE(ledger.body.find("\"1234\",\"12.34\""), std::string::npos) << ledger.body;
  // On the site, the reader's spreadsheet: French by default (";", "12,34",
  // French headers, dates as 23/12/2026 18:05), English on request.
  const auto french = http().get("/campaigns/" + id + "/ledger.csv");
  ASSERT_EQ(french.status, 200);
  EXPECT_NE(french.body.find("\"N°\";\"Identifiant\";\"Date\""), std::string::npos) << french.body;
  EXPECT_NE(french.body.find("\"1234\";\"12,34\""), std::string::npos) << french.body;
  const auto shown = core::paris_time(clock_->now());
  char day[16];
  std::snprintf(day, sizeof day, "\"%02u/%02u/%04lld ", shown.day, shown.month,
                static_cast<long long>(shown.year));
  EXPECT_NE(french.body.find(day), std::string::npos) << french.body;
  const auto english =
      http().get("/campaigns/" + id + "/ledger.csv", {{"Accept-Language", "en-GB,en;q=0.9"}});
  EXPECT_NE(english.body.find("\"No.\",\"Id\",\"Date\""), std::string::npos) << english.body;
  EXPECT_NE(english.body.find("\"1234\",\"12.34\""), std::string::npos);

  expect_error(http().json("GET", "/api/v1/campaigns/" + id + "/backers.csv"), 401,
               "unauthenticated");
  expect_error(http().json("GET", "/api/v1/campaigns/" + id + "/backers.csv", backer.token), 403,
               "forbidden");
  const std::string route = "/api/v1/campaigns/{id}/backers.csv";
  auto before = route_work(http(), route);
  auto backers = http().json("GET", "/api/v1/campaigns/" + id + "/backers.csv", treasurer.token);
  ASSERT_EQ(backers.status, 200) << backers.body;
  EXPECT_NE(backers.body.find(backer.email), std::string::npos);
  const double one_backer = route_work(http(), route).statements - before.statements;
  // Another person backs: the export names them too, at the same cost
  // (their names and addresses in one statement, not one each).
  ASSERT_EQ(pledge(id, {{"amount_cents", 700}, {"payment_method", "sandbox_card"}}, "k-other",
                   treasurer.token)
                .status,
            201);
  before = route_work(http(), route);
  backers = http().json("GET", "/api/v1/campaigns/" + id + "/backers.csv", treasurer.token);
  ASSERT_EQ(backers.status, 200);
  EXPECT_NE(backers.body.find(backer.email), std::string::npos);
  EXPECT_NE(backers.body.find(treasurer.email), std::string::npos);
  EXPECT_EQ(route_work(http(), route).statements - before.statements, one_backer);
  // A formula in a message is defused for spreadsheets.
  EXPECT_NE(backers.body.find("\"'=HYPERLINK(\"\"http://evil\"\")\""), std::string::npos)
      << backers.body;
  auto page =
      http().get("/campaigns/" + id + "/backers.csv", {{"Cookie", "essor_session=" + admin.token}});
  EXPECT_EQ(page.status, 200);
}

TEST_P(CampaignsTest, DraftsAreEditedThroughThePages) {
  const std::string id = create()["id"];
  const std::map<std::string, std::string> as_admin{
      {"Cookie", "essor_session=" + admin.token + "; essor_csrf=" + std::string(43, 'e')},
      {"Content-Type", "application/x-www-form-urlencoded"}};
  const std::string csrf = csrf_token_for(as_admin.at("Cookie"));
  auto form = http().get("/campaigns/" + id + "/edit", as_admin);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"Un four à pain pour le quartier\""), std::string::npos);
  EXPECT_NE(form.body.find("value=\"1000.00\""), std::string::npos);  // the goal, in euros
  EXPECT_EQ(http()
                .get("/campaigns/" + id + "/edit", {{"Cookie", "essor_session=" + treasurer.token}})
                .status,
            403);
  const std::string body =
      "_csrf=" + csrf +
      "&title=Un+four+solaire&summary=Cuire+au+soleil&description_md=&category=energy"
      "&goal=1500&ends_on=" +
      in_days(20).substr(0, 10) + "&funding_model=keep_it_all";
  auto invalid = http().request("POST", "/campaigns/" + id + "/edit", body, as_admin);
  EXPECT_EQ(invalid.status, 400);  // no such category
  EXPECT_EQ(get_campaign(id, admin.token)["title"], "Un four à pain pour le quartier");
  std::string fixed = body;
  fixed.replace(fixed.find("energy"), 6, "environment");
  auto saved = http().request("POST", "/campaigns/" + id + "/edit", fixed, as_admin);
  ASSERT_EQ(saved.status, 303) << saved.body;
  const auto campaign = get_campaign(id, admin.token);
  EXPECT_EQ(campaign["title"], "Un four solaire");
  EXPECT_EQ(campaign["goal_cents"], 150000);
  EXPECT_EQ(campaign["funding_model"], "keep_it_all");
  EXPECT_EQ(campaign["rewards"].size(), 0u);  // the form sent none
}

TEST_P(CampaignsTest, FullTextSearch) {
  const std::string oven = live()["id"];
  const std::string bikes = live({{"title", "Des vélos pour le lycée"},
                                  {"summary", "Réparer ensemble"},
                                  {"description_md", "Atelier de **mécanique** solidaire."},
                                  {"category", "solidarity"}})["id"];
  auto search = [&](const std::string& q) {
    std::vector<std::string> ids;
    auto res = http().json("GET", std::string("/api/v1/campaigns?q=") + q);
    EXPECT_EQ(res.status, 200) << q << " → " << res.body;
    if (res.status != 200) return ids;
    const Json items = res.json()["items"];
    for (const auto& item : items) ids.push_back(item["id"]);
    return ids;
  };
  EXPECT_EQ(search("pain"), std::vector<std::string>{oven});
  EXPECT_EQ(search("PAIN%20quartier"), std::vector<std::string>{oven});
  EXPECT_EQ(search("m%C3%A9canique"), std::vector<std::string>{bikes});  // the description counts
  EXPECT_EQ(search("v%C3%A9los"), std::vector<std::string>{bikes});
  EXPECT_TRUE(search("introuvable").empty());
  // Search syntax typed by a person is only text.
  for (const std::string odd :
       {"%22", "*", "pain%22%20OR%20%22", "NEAR(pain)", "%28%29%3A%5E", "-pain"}) {
    search(odd);
  }
  EXPECT_EQ(search("%20%20").size(), 2u);  // blank: no filter
}

TEST_P(CampaignsTest, CoverImagesAreCheckedByContentAndServed) {
  const std::string id = live()["id"];
  const std::string png =
      std::string("\x89PNG\r\n\x1A\n", 8) + std::string(2000, '\x01') + std::string("\0end", 4);
  auto put = [&](const std::string& bytes, const std::string& token) {
    return http().request("PUT", "/api/v1/campaigns/" + id + "/cover", bytes,
                          {{"Authorization", "Bearer " + token}, {"Content-Type", "image/png"}});
  };
  expect_error(put(png, backer.token), 403, "forbidden");
  auto not_image = put("<svg onload=alert(1)>", admin.token);
  expect_error(not_image, 400, "validation_failed");
  EXPECT_TRUE(not_image.json()["error"]["fields"].contains("cover"));
  std::string too_big = png + std::string(5 * 1024 * 1024, 'x');
  expect_error(put(too_big, admin.token), 413, "payload_too_large");
  too_big += std::string(1024 * 1024, 'x');  // past what the server reads at all
  expect_error(put(too_big, admin.token), 413, "payload_too_large");
  EXPECT_TRUE(get_campaign(id)["cover_url"].is_null());

  auto saved = put(png, admin.token);
  ASSERT_EQ(saved.status, 200) << saved.body;
  const std::string url = saved.json()["campaign"]["cover_url"];
  auto image = http().get(url);
  ASSERT_EQ(image.status, 200);
  EXPECT_EQ(image.header("content-type"), "image/png");
  EXPECT_EQ(image.body, png);
  EXPECT_EQ(http().get(url, {{"If-None-Match", image.header("etag")}}).status, 304);
  auto page = http().get("/campaigns/" + id);
  EXPECT_NE(page.body.find("og:image\" content=\"" + config_.public_url), std::string::npos);
  EXPECT_NE(page.body.find("/campaigns/" + id + "/cover\""), std::string::npos);

  // The same through the page's form (multipart, CSRF).
  const std::string jpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "jfif-bytes";
  const std::string cookie =
      "essor_session=" + admin.token + "; essor_csrf=" + std::string(43, 'i');
  const std::string csrf = csrf_token_for(cookie);
  const std::string boundary = "XyZ123";
  const std::string body =
      "--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf +
      "\r\n--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"cover\"; filename=\"four.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n" +
      jpeg + "\r\n--" + boundary + "--\r\n";
  std::map<std::string, std::string> headers{
      {"Cookie", cookie}, {"Content-Type", "multipart/form-data; boundary=" + boundary}};
  auto uploaded = http().request("POST", "/campaigns/" + id + "/cover", body, headers);
  ASSERT_EQ(uploaded.status, 303) << uploaded.body;
  EXPECT_EQ(http().get("/campaigns/" + id + "/cover").body, jpeg);
  headers["Cookie"] = "essor_session=" + admin.token;  // no CSRF cookie
  EXPECT_EQ(http().request("POST", "/campaigns/" + id + "/cover", body, headers).status, 403);
}

TEST_P(CampaignsTest, UnpublishedCampaignsAreListedToTheirOrganisationOnly) {
  const std::string draft = create({{"title", "Brouillon confidentiel"}})["id"];
  const std::string review = create({{"title", "En relecture discrète"}})["id"];
  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + review + "/submit", admin.token).status,
            200);
  const std::string published = live({{"title", "Publique et ouverte"}})["id"];
  const auto ids_in = [](const Json& list) {
    std::set<std::string> ids;
    for (const auto& item : list["items"]) ids.insert(item["id"].get<std::string>());
    return ids;
  };
  const std::string by_org = "/api/v1/campaigns?org_id=" + org_id;
  const auto stranger = signup("stranger");
  const auto other_admin = signup("elsewhere");
  create_org(other_admin.token, "Une autre association");
  for (const std::string& token : {std::string(), stranger.token, other_admin.token}) {
    auto res = http().json("GET", by_org, token);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(ids_in(res.json()), std::set<std::string>{published}) << res.body;
    auto searched = http().json("GET", by_org + "&q=confidentiel", token);
    EXPECT_EQ(searched.json()["items"].size(), 0u) << searched.body;
  }
  // The organisation's members and moderators see all three.
  EXPECT_EQ(ids_in(http().json("GET", by_org, treasurer.token).json()).size(), 3u);
  EXPECT_EQ(ids_in(http().json("GET", by_org, moderator.token).json()).size(), 3u);
  EXPECT_EQ(ids_in(http().json("GET", by_org + "&q=confidentiel", admin.token).json()),
            std::set<std::string>{draft});
}

TEST_P(CampaignsTest, ASearchOfPunctuationAloneMatchesNothing) {
  live();
  EXPECT_EQ(http().json("GET", "/api/v1/campaigns").json()["items"].size(), 1u);
  for (const char* q : {"%21%21%21", "%2A", "%22", "-", "%28%29"}) {
    auto res = http().json("GET", std::string("/api/v1/campaigns?q=") + q);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json()["items"].size(), 0u) << q;
  }
}

// The public ledger's page shows every transfer of a campaign, a hundred
// at a time: it showed the first 1,000 and no more.
TEST_P(CampaignsTest, TheLedgerPageShowsEveryTransferAHundredAtATime) {
  const std::string id = live()["id"];
  for (int n = 0; n < 101; ++n) {
    if (n % 50 == 49) clock_->advance(600'000);  // within the backer's rate limit
    ASSERT_EQ(pledge(id, {{"amount_cents", 500 + n}, {"payment_method", "sandbox_card"}},
                     "l" + std::to_string(n), backer.token)
                  .status,
              201);
  }
  const auto rows = [](const std::string& html) { return occurrences(html, "<tr><td>"); };
  const std::string ledger = "/campaigns/" + id + "/ledger";
  const auto first = http().get(ledger);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(rows(first.body), 100u);
  EXPECT_NE(first.body.find("5,00"), std::string::npos);  // the oldest first
  EXPECT_EQ(first.body.find("6,00"), std::string::npos);
  EXPECT_NE(first.body.find("href=\"" + ledger + "?page=2\" rel=\"next\""), std::string::npos);
  const auto second = http().get(ledger + "?page=2");
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(rows(second.body), 1u);
  EXPECT_NE(second.body.find("6,00"), std::string::npos);  // the 101st, 600 cents
  EXPECT_NE(second.body.find("href=\"" + ledger + "?page=1\" rel=\"prev\""), std::string::npos);
  EXPECT_EQ(second.body.find("rel=\"next\""), std::string::npos);
  // A page number that is not one reads as the first.
  EXPECT_EQ(rows(http().get(ledger + "?page=-3").body), 100u);
}

// A backer's page reaches every pledge, fifty at a time: it showed the
// latest 50 and no more.
TEST_P(CampaignsTest, MyPageReachesEveryPledge) {
  const std::string id = live()["id"];
  for (int n = 0; n < 55; ++n) {
    clock_->advance(1000);  // one a second: newest first means something
    ASSERT_EQ(pledge(id, {{"amount_cents", 700 + n}, {"payment_method", "sandbox_card"}},
                     "m" + std::to_string(n), backer.token)
                  .status,
              201);
  }
  const std::map<std::string, std::string> cookie{{"Cookie", "essor_session=" + backer.token}};
  const auto rows = [](const std::string& html) {
    return occurrences(html, "<tr><td><a href=\"/pledges/");
  };
  const auto first = http().get("/me", cookie);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(rows(first.body), 50u);
  EXPECT_EQ(first.body.find("7,00"), std::string::npos);
  EXPECT_NE(first.body.find("href=\"/me?page=2#pledges-heading\" rel=\"next\""), std::string::npos);
  const auto second = http().get("/me?page=2", cookie);
  EXPECT_EQ(rows(second.body), 5u);
  EXPECT_NE(second.body.find("7,00"), std::string::npos);  // the first pledge, the oldest
  EXPECT_EQ(second.body.find("rel=\"next\""), std::string::npos);
}

// An organisation's admins are told however many members joined before
// them: the moderators' answer reached only the first 10,000 members'
// admins, and news of backers only the first 1,000's.
TEST_P(CampaignsTest, AnAdminWhoJoinedAfterThousandsOfMembersIsToldToo) {
  // 10,000 members who joined before everyone of the fixture.
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) "
      "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
      "wallet_id) SELECT 'early' || i, 'early' || i || '@t.example', 'early' || i || "
      "'@t.example', 'Early', 'x', 1, 'wearly' || i FROM n");
  store::execute_for_tests(database_url(),
                           "INSERT INTO memberships (org_id, user_id, role, joined_at) SELECT '" +
                               org_id + "', id, 'member', 1 FROM users WHERE id LIKE 'early%'");
  const std::string id = live()["id"];
  const auto kinds = [&] {
    std::set<std::string> out;
    const auto list = http().json("GET", "/api/v1/me/notifications", admin.token).json();
    for (const auto& n : list["items"]) out.insert(n["kind"].get<std::string>());
    return out;
  };
  EXPECT_TRUE(kinds().count("campaign_approved"));
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 1500}, {"payment_method", "sandbox_card"}}, "k1", backer.token)
          .status,
      201);
  EXPECT_EQ(runtime_->backer_notices->run_due(true), 1);
  EXPECT_TRUE(kinds().count("new_backers"));
}

// Issue 14: the organisation learns of new backers as a summary made by
// the scheduler, once per change, never one notification per pledge.
TEST_P(CampaignsTest, TheOrganisationIsToldOfNewBackersInASummary) {
  const std::string id = live()["id"];
  auto told = [&](const TestUser& who) {
    std::vector<std::string> texts;
    const auto list = http().json("GET", "/api/v1/me/notifications", who.token).json();
    for (const auto& n : list["items"]) {
      if (n["kind"] == "new_backers" || n["kind"] == "new_money") texts.push_back(n["text"]);
    }
    return texts;
  };
  EXPECT_EQ(runtime_->backer_notices->run_due(true), 0);  // nothing came in yet
  const auto second = signup("second");
  for (const auto& [who, key] : {std::pair{backer, "n1"}, std::pair{second, "n2"}}) {
    ASSERT_EQ(
        pledge(id, {{"amount_cents", 1500}, {"payment_method", "sandbox_card"}}, key, who.token)
            .status,
        201);
  }
  EXPECT_TRUE(told(admin).empty());  // not at each pledge
  EXPECT_EQ(runtime_->backer_notices->run_due(true), 1);
  EXPECT_EQ(runtime_->backer_notices->run_due(true), 0);  // told once
  ASSERT_EQ(told(admin).size(), 1u);
  EXPECT_NE(told(admin)[0].find("2 soutien(s) de plus et 30,00"), std::string::npos)
      << told(admin)[0];
  EXPECT_EQ(told(treasurer).size(), 1u);
  EXPECT_TRUE(told(backer).empty());
  // Later money from a known backer: what came in, no new backer.
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 500}, {"payment_method", "sandbox_card"}}, "n3", backer.token)
          .status,
      201);
  EXPECT_EQ(runtime_->backer_notices->run_due(true), 1);
  const auto texts = told(admin);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(std::count_if(
                texts.begin(), texts.end(),
                [](const std::string& t) { return t.find("a reçu 5,00") != std::string::npos; }),
            1)
      << texts[0] << " / " << texts[1];
}

ESSOR_ON_EVERY_DATABASE(CampaignsTest);

// One io thread and one handler thread: whatever waits on either, waits
// for everything else. On PostgreSQL with its group-commit writer
// (ESSOR_DB_WRITERS), the path where a pledge is handed to a writer.
class OneHandlerThreadTest : public CampaignsTest {
 protected:
  void configure(cli::Config& config) override {
    CampaignsTest::configure(config);
    config.io_threads = 1;
    config.handler_threads = 1;
    config.db_writers = 1;  // PostgreSQL only; SQLite always has its writer
  }
  // The gauge of writes handed to the group-commit writer and not answered.
  std::int64_t writes_pending() {
    return metric_value(http(), "essor_store_writes_pending").value_or(-1);
  }
};

// A pledge waiting for its group commit holds no thread: the writer answers
// it. Shown with one thread of each kind and a lock the pledge needs held
// outside the server (SQLite's write lock; on PostgreSQL the idempotency
// keys' table, which the writer's first job waits for), so the pledge's
// batch cannot commit: the server still answers other requests (here
// /metrics, which shows the pledge waiting), and the pledge lands once the
// lock is released. A server that parked a thread per pledge (its io
// thread on SQLite, where the pledge runs there, or its handler thread)
// would answer nothing until the pledge ended.
TEST_P(OneHandlerThreadTest, APledgeWaitingForItsCommitHoldsNoHandlerThread) {
  const std::string id = live()["id"];
  // The backer's session seen now, so that the pledge's is the only write
  // waiting (a session's last_seen_at is written every five minutes).
  ASSERT_EQ(http().json("GET", "/api/v1/me/pledges", backer.token).status, 200);
  for (int tries = 0; tries < 10'000 && writes_pending() != 0; ++tries)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(writes_pending(), 0);
  auto outside = store::open_session(database_url());
  if (GetParam() == "sqlite") {
    *outside << "BEGIN IMMEDIATE";  // the write lock, until ROLLBACK
  } else {
    *outside << "BEGIN";
    *outside << "LOCK TABLE idempotency_keys IN SHARE ROW EXCLUSIVE MODE";  // no insert
  }
  auto pledged = std::async(std::launch::async, [&] {
    return pledge(id, {{"amount_cents", 1500}, {"payment_method", "sandbox_card"}}, "waiting",
                  backer.token);
  });
  // Answered meanwhile, by the same single thread, until the pledge is seen
  // waiting for the writer. A server that parked its thread would answer
  // nothing until the lock is released: the deadline (far beyond any
  // answer) turns that hang into a failure.
  auto answered = std::async(std::launch::async, [&] {
    std::int64_t pending = 0;
    for (int tries = 0; tries < 10'000 && pending == 0; ++tries) {
      pending = writes_pending();
      if (pending == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return pending;
  });
  const bool in_time = answered.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  const bool pledge_waited =
      pledged.wait_for(std::chrono::seconds(0)) == std::future_status::timeout;
  *outside << "ROLLBACK";
  ASSERT_TRUE(in_time) << "nothing answered while a pledge waited for its commit";
  EXPECT_GE(answered.get(), 1);  // the pledge (and on PostgreSQL whatever queued behind it)
  EXPECT_TRUE(pledge_waited);
  const auto res = pledged.get();
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json()["pledge"]["status"], "confirmed");
  EXPECT_EQ(get_campaign(id)["raised_cents"], 1500);
  for (int tries = 0; tries < 10'000 && writes_pending() != 0; ++tries)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(writes_pending(), 0);
  expect_ledger_intact();
}

ESSOR_ON_EVERY_DATABASE(OneHandlerThreadTest);

// PostgreSQL without a group-commit writer (ESSOR_DB_WRITERS=0): each write
// is a transaction on the thread that asks for it, so a pledge runs on the
// handler pool, never on the io thread (Store::queues_writes), which goes on
// answering while the pledge waits for a lock.
class NoGroupCommitTest : public CampaignsTest {
 protected:
  void configure(cli::Config& config) override {
    CampaignsTest::configure(config);
    config.io_threads = 1;
    config.handler_threads = 2;
    config.db_writers = 0;
  }
};

TEST_P(NoGroupCommitTest, APledgeWaitingForALockLeavesTheIoThreadFree) {
  if (GetParam() == "sqlite") GTEST_SKIP() << "SQLite always has its group-commit writer";
  const std::string id = live()["id"];
  auto outside = store::open_session(database_url());
  *outside << "BEGIN";
  *outside << "LOCK TABLE idempotency_keys IN SHARE ROW EXCLUSIVE MODE";  // no insert
  auto pledged = std::async(std::launch::async, [&] {
    return pledge(id, {{"amount_cents", 900}, {"payment_method", "sandbox_card"}}, "blocked",
                  backer.token);
  });
  auto observer = store::open_session(database_url());
  int waiting = 0;
  for (int tries = 0; tries < 10'000 && waiting == 0; ++tries) {
    *observer << "SELECT COUNT(*) FROM pg_locks WHERE NOT granted AND relation = "
                 "'idempotency_keys'::regclass",
        soci::into(waiting);
    if (waiting == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // The one io thread answers meanwhile; had it run the pledge, it would
  // answer nothing until the lock is released (the deadline, far beyond
  // any answer, turns that hang into a failure).
  auto answered = std::async(std::launch::async, [&] { return http().get("/healthz").status; });
  const bool in_time = answered.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  *outside << "ROLLBACK";
  ASSERT_EQ(waiting, 1) << "the pledge never waited for the lock";
  ASSERT_TRUE(in_time) << "the io thread waited with the pledge";
  EXPECT_EQ(answered.get(), 200);
  const auto res = pledged.get();
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(get_campaign(id)["raised_cents"], 900);
  expect_ledger_intact();
}

ESSOR_ON_EVERY_DATABASE(NoGroupCommitTest);

}  // namespace
}  // namespace essor::testing
