// Spec "Community" on every database: news notified to backers, comments
// with one level of replies, reports and hiding, follows and the feed,
// notifications and the mail they become (read from the outbox; the SMTP
// exchange itself is tests/community/community_test.py), events with
// capacity, waiting list, reminders and iCalendar, and the privacy of
// circles.
#include <set>
#include <string>
#include <vector>

#include "campaign_fixture.hpp"
#include "store/database.hpp"

namespace essor::testing {
namespace {

class CommunityTest : public CampaignsTest {
 protected:
  // inviter invites who into the circle; who, address verified, accepts.
  void join_circle(const std::string& circle_id, const TestUser& inviter, const TestUser& who) {
    clock_->advance(1);  // the newest invitation mail is this one
    auto res = http().json("POST", "/api/v1/circles/" + circle_id + "/members",
                           {{"email", who.email}}, inviter.token);
    ASSERT_EQ(res.status, 202) << res.body;
    ASSERT_TRUE(runtime_->accounts->confirm_address(who.email));
    auto accepted = http().json(
        "POST", "/api/v1/invitations/" + invitation_token(inviter.id, who.email) + "/accept",
        who.token);
    ASSERT_EQ(accepted.status, 200) << accepted.body;
  }

  void configure(cli::Config& config) override {
    CampaignsTest::configure(config);
    // Mail on, to a port where nothing listens: mails are composed into the
    // outbox (what these tests read) and their sending fails harmlessly.
    config.smtp_url = "smtp://127.0.0.1:9";
    config.digest_hour_utc = 7;
  }

  std::vector<app::OutboxMail> outbox(const std::string& user_id) {
    std::vector<app::OutboxMail> mails;
    runtime_->store->read(
        [&](app::ReadTx& tx) { mails = tx.outbox().recent_outbox(core::UserId{user_id}, 100); });
    // The address check mailed at sign-up is the accounts tests' business.
    std::erase_if(mails, [](const app::OutboxMail& m) { return m.kind == "verify_email"; });
    return mails;
  }

  Json notifications(const TestUser& who) {
    auto res = http().json("GET", "/api/v1/me/notifications", who.token);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.json();
  }

  Json feed(const TestUser& who, const std::string& query = "") {
    auto res = http().json("GET", "/api/v1/me/feed" + query, who.token);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.json();
  }

  Json event(Json overrides = Json::object()) {
    Json body = {{"title", "Atelier réparation de vélos"},
                 {"description_md", "Apportez votre vélo."},
                 {"starts_at", in_days(3)},
                 {"ends_at", core::format_rfc3339(clock_->now() + 3 * 86'400'000LL + 7'200'000)},
                 {"location", "12 rue des Lilas, Lyon"},
                 {"capacity", 1}};
    body.update(overrides);
    auto res = http().json("POST", "/api/v1/orgs/" + org_id + "/events", body, admin.token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["event"];
  }

  // Someone new who follows the organisation.
  TestUser follower_of_org(const std::string& name) {
    auto who = signup(name);
    EXPECT_EQ(http()
                  .json("POST", "/api/v1/follows", {{"target_type", "org"}, {"target_id", org_id}},
                        who.token)
                  .status,
              201);
    return who;
  }

  static bool has_kind(const Json& list, const std::string& kind) {
    for (const auto& item : list["items"]) {
      if (item["kind"] == kind) return true;
    }
    return false;
  }
};

// Presentation stays out of app (issue 12): a notification and an activity
// are kept as a kind and its parameters, never as a French sentence, and
// are worded when read, in the reader's language and on Paris clocks.
TEST_P(CommunityTest, NotificationsAreWordedInTheReadersLanguageOnParisClocks) {
  auto follower = follower_of_org("follower");
  const std::string starts = "2027-01-15T17:30:00Z";  // winter: 18:30 in Paris
  const std::string event_id =
      event({{"starts_at", starts}, {"ends_at", "2027-01-15T19:30:00Z"}})["id"];
  auto read_in = [&](const std::string& lang, const std::string& path) {
    auto res =
        http().request("GET", path, "",
                       {{"Authorization", "Bearer " + follower.token}, {"Accept-Language", lang}});
    EXPECT_EQ(res.status, 200) << res.body;
    return res.json()["items"];
  };
  const auto fr = read_in("fr", "/api/v1/me/notifications");
  const auto en = read_in("en", "/api/v1/me/notifications");
  ASSERT_EQ(fr.size(), 1u);
  ASSERT_EQ(en.size(), 1u);
  EXPECT_EQ(fr[0]["kind"], "event_created");
  EXPECT_EQ(fr[0]["text"],
            "La Ressourcerie organise « Atelier réparation de vélos » le vendredi 15 janvier 2027 "
            "à 18 h 30");
  EXPECT_EQ(en[0]["text"],
            "La Ressourcerie holds “Atelier réparation de vélos” on Friday 15 January 2027 at "
            "18:30 (Paris time)");
  EXPECT_EQ(read_in("en", "/api/v1/me/feed")[0]["text"], en[0]["text"]);
  // The page of notifications words it in the page's language.
  auto page = http().get("/me/notifications", {{"Cookie", "essor_session=" + follower.token},
                                               {"Accept-Language", "en"}});
  EXPECT_NE(page.body.find("on Friday 15 January 2027 at 18:30"), std::string::npos);
  // Stored: the kind and its parameters, no sentence.
  for (const char* table : {"notifications", "activities"}) {
    const auto rows =
        store::query_for_tests(database_url(), std::string("SELECT text, params FROM ") + table +
                                                   " WHERE subject_id = '" + event_id + "'");
    ASSERT_FALSE(rows.empty()) << table;
    for (const auto& row : rows) {
      EXPECT_EQ(row.at(0), "") << table;
      const auto params = Json::parse(row.at(1));
      EXPECT_EQ(params["event"], "Atelier réparation de vélos");
      EXPECT_EQ(params["starts_at"], std::to_string(*core::parse_rfc3339(starts)));
    }
  }
}

TEST_P(CommunityTest, NewsAndCommentsOfADraftStayOutOfFeedsUntilItIsPublished) {
  const std::string id = create({{"title", "Projet secret du quartier"}})["id"];
  auto follower = follower_of_org("curious");
  auto news =
      http().json("POST", "/api/v1/campaigns/" + id + "/updates",
                  {{"title", "Brouillon de nouvelle"}, {"body_md", "Rien encore."}}, admin.token);
  ASSERT_EQ(news.status, 201) << news.body;
  auto comment = http().json("POST", "/api/v1/campaigns/" + id + "/comments",
                             {{"body_md", "Note interne au brouillon"}}, admin.token);
  ASSERT_EQ(comment.status, 201) << comment.body;
  const auto atom = http().get("/orgs/" + org_id + "/activity.atom");
  ASSERT_EQ(atom.status, 200);
  EXPECT_EQ(atom.body.find("Projet secret"), std::string::npos) << atom.body;
  EXPECT_EQ(atom.body.find("Brouillon de nouvelle"), std::string::npos);
  EXPECT_EQ(feed(follower).dump().find("Projet secret"), std::string::npos);
  // Once published, its news reaches the feed like any other.
  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + id + "/submit", admin.token).status, 200);
  ASSERT_EQ(http().json("POST", "/api/v1/campaigns/" + id + "/approve", moderator.token).status,
            200);
  EXPECT_NE(feed(follower).dump().find("Projet secret"), std::string::npos);
}

// Someone who follows nothing still has a feed: the public news of the
// campaigns they backed and of the organisations they belong to; never a
// draft's, never another organisation's.
TEST_P(CommunityTest, AFeedWithoutFollowsShowsWhatOneBackedAndBelongsTo) {
  const std::string id = live()["id"];
  const auto fan = signup("fan");
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 1500}, {"payment_method", "sandbox_card"}}, "f1", fan.token)
          .status,
      201);
  ASSERT_EQ(
      http()
          .json("POST", "/api/v1/campaigns/" + id + "/updates",
                {{"title", "Le four est commandé"}, {"body_md", "Livraison en mars."}}, admin.token)
          .status,
      201);
  EXPECT_NE(feed(fan).dump().find("Le four est commandé"), std::string::npos) << feed(fan).dump();
  // The treasurer, a member who follows nothing, sees the organisation's news.
  EXPECT_NE(feed(treasurer).dump().find("Le four est commandé"), std::string::npos);
  // A draft's news reaches nobody; a stranger's feed stays empty.
  const std::string draft = create({{"title", "Projet pas encore public"}})["id"];
  ASSERT_EQ(http()
                .json("POST", "/api/v1/campaigns/" + draft + "/updates",
                      {{"title", "Nouvelle du brouillon"}, {"body_md", "Rien."}}, admin.token)
                .status,
            201);
  EXPECT_EQ(feed(treasurer).dump().find("Nouvelle du brouillon"), std::string::npos);
  EXPECT_EQ(feed(signup("stranger"))["items"].size(), 0u);
}

TEST_P(CommunityTest, NewsIsPostedByAdminsNotifiedToEveryBackerAndInFollowersFeeds) {
  const std::string id = live()["id"];
  ASSERT_EQ(
      pledge(id, {{"amount_cents", 2500}, {"payment_method", "sandbox_card"}}, "k1", backer.token)
          .status,
      201);
  auto follower = follower_of_org("follower");
  clock_->advance(1000);  // the news comes after the campaign went live
  const std::string path = "/api/v1/campaigns/" + id + "/updates";
  // Only the organisation's admins post; bad input changes nothing.
  expect_error(http().json("POST", path, {{"title", "x"}, {"body_md", "y"}}, backer.token), 403,
               "forbidden");
  expect_error(http().json("POST", path, {{"title", ""}, {"body_md", "y"}}, admin.token), 400,
               "validation_failed");
  expect_error(http().json("POST", path, {{"title", 3}, {"body_md", "y"}}, admin.token), 400,
               "validation_failed");
  expect_error(http().json("POST", path, {{"title", "x"}, {"body_md", "y"}}), 401,
               "unauthenticated");
  EXPECT_EQ(http().json("GET", path).json()["items"].size(), 0u);
  auto res = http().json("POST", path,
                         {{"title", "Le four est commandé"}, {"body_md", "Livraison en **mai**."}},
                         admin.token);
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string update_id = res.json()["update"]["id"];
  auto list = http().json("GET", path).json();
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["title"], "Le four est commandé");
  // The backer is notified; someone who did not back is not.
  auto mine = notifications(backer);
  ASSERT_TRUE(has_kind(mine, "campaign_update")) << mine.dump();
  EXPECT_EQ(mine["items"][0]["url"], "/campaigns/" + id + "#update-" + update_id);
  EXPECT_EQ(mine["items"][0]["read"], false);
  EXPECT_FALSE(has_kind(notifications(follower), "campaign_update"));
  // Followers of the organisation see the campaign going live and the news.
  auto items = feed(follower)["items"];
  ASSERT_GE(items.size(), 2u);
  EXPECT_EQ(items[0]["kind"], "update_posted");
  EXPECT_EQ(items[1]["kind"], "campaign_published");
  // Reading marks them.
  ASSERT_EQ(
      http().json("POST", "/api/v1/me/notifications/read", Json::object(), backer.token).status,
      200);
  EXPECT_EQ(notifications(backer)["unread"], 0);
  // The Atom feed carries it.
  auto atom = http().get("/campaigns/" + id + "/updates.atom");
  EXPECT_EQ(atom.status, 200);
  EXPECT_NE(atom.header("content-type").find("application/atom+xml"), std::string::npos);
  EXPECT_NE(atom.body.find("Le four est commandé"), std::string::npos);
  EXPECT_EQ(http().get("/api/v1/campaigns/" + id + "/updates.atom").status, 200);
}

TEST_P(CommunityTest, CommentsTakeOneLevelOfRepliesAndHiddenContentDisappearsEverywhere) {
  const std::string id = live()["id"];
  auto reader = signup("reader");
  ASSERT_EQ(http()
                .json("POST", "/api/v1/follows",
                      {{"target_type", "user"}, {"target_id", backer.id}}, reader.token)
                .status,
            201);
  const std::string path = "/api/v1/campaigns/" + id + "/comments";
  expect_error(http().json("POST", path, {{"body_md", "Bravo"}}), 401, "unauthenticated");
  expect_error(http().json("POST", path, {{"body_md", "   "}}, backer.token), 400,
               "validation_failed");
  auto first = http().json("POST", path, {{"body_md", "Bravo !"}}, backer.token);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string first_id = first.json()["comment"]["id"];
  auto reply =
      http().json("POST", path, {{"body_md", "Merci"}, {"parent_id", first_id}}, admin.token);
  ASSERT_EQ(reply.status, 201) << reply.body;
  const std::string reply_id = reply.json()["comment"]["id"];
  // One level only, and the parent must be on the same page.
  expect_error(
      http().json("POST", path, {{"body_md", "Et ?"}, {"parent_id", reply_id}}, backer.token), 400,
      "validation_failed");
  const std::string other = live({{"title", "Une autre campagne"}})["id"];
  expect_error(http().json("POST", "/api/v1/campaigns/" + other + "/comments",
                           {{"body_md", "x"}, {"parent_id", first_id}}, backer.token),
               400, "validation_failed");
  EXPECT_EQ(http().json("GET", path).json()["items"].size(), 2u);
  // The author of the first comment hears of the reply; people who follow
  // them see their comment.
  EXPECT_TRUE(has_kind(notifications(backer), "comment_reply"));
  EXPECT_EQ(feed(reader)["items"].size(), 1u);
  // Anyone signed in reports; only moderators hide.
  const Json target = {{"target_type", "comment"}, {"target_id", first_id}};
  expect_error(http().json("POST", "/api/v1/reports", target), 401, "unauthenticated");
  EXPECT_EQ(http()
                .json("POST", "/api/v1/reports",
                      {{"target_type", "comment"}, {"target_id", first_id}, {"reason", "insulte"}},
                      reader.token)
                .status,
            201);
  EXPECT_EQ(http().json("POST", "/api/v1/reports", target, reader.token).status, 201);  // once
  expect_error(http().json("POST", "/api/v1/reports",
                           {{"target_type", "comment"}, {"target_id", "nope"}}, reader.token),
               404, "not_found");
  expect_error(http().json("GET", "/api/v1/moderation/reports", reader.token), 403, "forbidden");
  auto queue = http().json("GET", "/api/v1/moderation/reports", moderator.token).json();
  ASSERT_EQ(queue["items"].size(), 1u);
  EXPECT_EQ(queue["items"][0]["reason"], "insulte");
  expect_error(http().json("POST", "/api/v1/moderation/hide", target, reader.token), 403,
               "forbidden");
  EXPECT_EQ(http().json("POST", "/api/v1/moderation/hide", target, moderator.token).status, 204);
  // Gone: the comment and its reply, from the list, the page, the feed and
  // the notifications; the report is resolved.
  EXPECT_EQ(http().json("GET", path).json()["items"].size(), 0u);
  EXPECT_EQ(http().get("/campaigns/" + id).body.find("Bravo !"), std::string::npos);
  EXPECT_EQ(feed(reader)["items"].size(), 0u);
  EXPECT_FALSE(has_kind(notifications(backer), "comment_reply"));
  EXPECT_EQ(
      http().json("GET", "/api/v1/moderation/reports", moderator.token).json()["items"].size(), 0u);
  expect_error(http().json("POST", path, {{"body_md", "x"}, {"parent_id", first_id}}, backer.token),
               400, "validation_failed");
}

TEST_P(CommunityTest, FollowingTwiceIsOneFollowAndTheFeedIsNewestFirstInPages) {
  auto fan = signup("fan");
  const Json org = {{"target_type", "org"}, {"target_id", org_id}};
  EXPECT_EQ(http().json("POST", "/api/v1/follows", org, fan.token).status, 201);
  EXPECT_EQ(http().json("POST", "/api/v1/follows", org, fan.token).status, 201);
  EXPECT_EQ(http().json("GET", "/api/v1/me/follows", fan.token).json()["items"].size(), 1u);
  expect_error(http().json("POST", "/api/v1/follows",
                           {{"target_type", "planet"}, {"target_id", "x"}}, fan.token),
               400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/follows",
                           {{"target_type", "org"}, {"target_id", "nope"}}, fan.token),
               404, "not_found");
  expect_error(http().json("POST", "/api/v1/follows",
                           {{"target_type", "user"}, {"target_id", fan.id}}, fan.token),
               400, "validation_failed");
  for (int i = 0; i < 3; ++i) {
    event({{"title", "Atelier " + std::to_string(i)}, {"capacity", nullptr}});
    clock_->advance(1000);
  }
  auto first = feed(fan, "?limit=2");
  ASSERT_EQ(first["items"].size(), 2u);
  EXPECT_NE(first["items"][0]["text"].get<std::string>().find("Atelier 2"), std::string::npos);
  EXPECT_NE(first["items"][1]["text"].get<std::string>().find("Atelier 1"), std::string::npos);
  ASSERT_TRUE(first["next"].is_string());
  auto second = feed(fan, "?limit=2&cursor=" + first["next"].get<std::string>());
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_TRUE(second["next"].is_null());
  // Followers of the organisation are told of its events.
  EXPECT_TRUE(has_kind(notifications(fan), "event_created"));
  EXPECT_EQ(http().json("DELETE", "/api/v1/follows/org/" + org_id, fan.token).status, 204);
  expect_error(http().json("DELETE", "/api/v1/follows/org/" + org_id, fan.token), 404, "not_found");
  EXPECT_EQ(feed(fan)["items"].size(), 0u);
}

TEST_P(CommunityTest, EventSeatsAreNeverOversoldAndTheWaitingListTakesAFreedSeat) {
  auto anna = signup("anna"), bruno = signup("bruno"), chloe = signup("chloe");
  // Validation and authorization.
  const std::string events = "/api/v1/orgs/" + org_id + "/events";
  const Json good = {{"title", "Atelier"},
                     {"description_md", ""},
                     {"starts_at", in_days(2)},
                     {"ends_at", in_days(3)},
                     {"online_url", "https://visio.example.org/atelier"}};
  expect_error(http().json("POST", events, good, anna.token), 403, "forbidden");
  for (const Json& bad :
       {Json{{"ends_at", in_days(1)}}, Json{{"online_url", "javascript:alert(1)"}},
        Json{{"starts_at", "tomorrow"}}, Json{{"capacity", 0}}, Json{{"online_url", nullptr}},
        Json{{"starts_at", in_days(-1)}}}) {
    Json body = good;
    body.update(bad);
    expect_error(http().json("POST", events, body, admin.token), 400, "validation_failed");
  }
  EXPECT_EQ(http().json("GET", events).json()["items"].size(), 0u);
  // The meeting link of an online workshop goes to the registered only.
  auto online = http().json("POST", events, good, admin.token);
  ASSERT_EQ(online.status, 201) << online.body;
  const std::string online_id = online.json()["event"]["id"];
  const std::string link = "https://visio.example.org/atelier";
  auto seen_by = [&](const std::string& token) {
    return http().json("GET", "/api/v1/events/" + online_id, token).json()["event"];
  };
  EXPECT_TRUE(seen_by("")["online_url"].is_null());
  EXPECT_EQ(seen_by("")["online"], true);
  EXPECT_TRUE(seen_by(chloe.token)["online_url"].is_null());
  EXPECT_EQ(seen_by(admin.token)["online_url"], link);
  EXPECT_EQ(http().get("/orgs/" + org_id + "/events.ics").body.find(link), std::string::npos);
  EXPECT_EQ(http().get("/events/" + online_id).body.find(link), std::string::npos);
  EXPECT_EQ(http().get("/events/" + online_id + ".ics").body.find(link), std::string::npos);
  ASSERT_EQ(
      http().json("POST", "/api/v1/events/" + online_id + "/registrations", chloe.token).status,
      201);
  EXPECT_EQ(seen_by(chloe.token)["online_url"], link);
  EXPECT_NE(http()
                .get("/events/" + online_id, {{"Cookie", "essor_session=" + chloe.token}})
                .body.find(link),
            std::string::npos);
  EXPECT_NE(
      http()
          .get("/api/v1/events/" + online_id + ".ics", {{"Authorization", "Bearer " + chloe.token}})
          .body.find(link),
      std::string::npos);
  EXPECT_EQ(http().json("GET", "/api/v1/search?q=Atelier").json()["events"][0]["online_url"],
            nullptr);
  const std::string id = event()["id"];
  const std::string regs = "/api/v1/events/" + id + "/registrations";
  EXPECT_EQ(http().json("POST", regs, anna.token).status, 201);
  EXPECT_EQ(http().json("POST", regs, anna.token).status, 201);  // one registration
  expect_error(http().json("POST", regs, bruno.token), 409, "event_full");
  auto waiting = http().json("POST", regs, {{"waitlist", true}}, bruno.token);
  ASSERT_EQ(waiting.status, 201);
  EXPECT_EQ(waiting.json()["registration"]["status"], "waiting");
  expect_error(http().json("POST", regs, {{"waitlist", "yes"}}, chloe.token), 400,
               "validation_failed");
  auto seen = http().json("GET", "/api/v1/events/" + id, admin.token).json();
  EXPECT_EQ(seen["event"]["registered"], 1);
  EXPECT_EQ(seen["event"]["waiting"], 1);
  EXPECT_EQ(seen["registrations"].size(), 2u);
  EXPECT_FALSE(
      http().json("GET", "/api/v1/events/" + id, anna.token).json().contains("registrations"));
  // Anna leaves: Bruno takes the seat and is told.
  EXPECT_EQ(http().json("DELETE", regs, anna.token).status, 204);
  expect_error(http().json("DELETE", regs, anna.token), 404, "not_found");
  auto bruno_view = http().json("GET", "/api/v1/events/" + id, bruno.token).json();
  EXPECT_EQ(bruno_view["registration"]["status"], "registered");
  EXPECT_EQ(bruno_view["event"]["registered"], 1);
  EXPECT_TRUE(has_kind(notifications(bruno), "event_seat"));
  expect_error(http().json("POST", regs, chloe.token), 409, "event_full");
  // The reminder goes the day before, once.
  EXPECT_EQ(runtime_->community->run_due().reminders, 0);
  clock_->advance(2 * 86'400'000LL + 3'600'000);
  EXPECT_EQ(runtime_->community->run_due().reminders, 1);
  EXPECT_EQ(runtime_->community->run_due().reminders, 0);
  EXPECT_TRUE(has_kind(notifications(bruno), "event_reminder"));
  EXPECT_FALSE(has_kind(notifications(anna), "event_reminder"));
  // One iCalendar file per event, and the organisation's calendar.
  auto ics = http().get("/events/" + id + ".ics");
  EXPECT_EQ(ics.status, 200);
  EXPECT_NE(ics.header("content-type").find("text/calendar"), std::string::npos);
  EXPECT_NE(ics.body.find("BEGIN:VEVENT\r\n"), std::string::npos);
  EXPECT_NE(ics.body.find("SUMMARY:Atelier réparation de vélos\r\n"), std::string::npos);
  EXPECT_NE(ics.body.find("LOCATION:12 rue des Lilas\\, Lyon\r\n"), std::string::npos);
  EXPECT_EQ(http().get("/api/v1/events/" + id + ".ics").status, 200);
  EXPECT_EQ(http().get("/events/nope.ics").status, 404);
  EXPECT_NE(http().get("/orgs/" + org_id + "/events.ics").body.find("UID:" + id + "@essor"),
            std::string::npos);
}

// A busy organisation: 600 events, one a week for eleven years and more,
// the last ones still on or to come. The API's cursor reaches every one; the
// calendar holds every event to come and those of the past year.
// An organisation's admins change an event or cancel it; those registered
// or waiting are told, calendars take the newest version (SEQUENCE) and
// strike a cancelled one out; a moved event is reminded again; a cancelled
// one takes nobody more and stays listed, marked.
TEST_P(CommunityTest, AnEventIsChangedOrCancelledByItsAdminsAndItsPeopleAreTold) {
  const auto anna = signup("anna"), bruno = signup("bruno"), chloe = signup("chloe");
  const auto other_admin = signup("other-admin");
  create_org(other_admin.token, "Une autre association");
  const Json created = event();
  const std::string id = created["id"];
  const std::string path = "/api/v1/events/" + id, regs = path + "/registrations";
  ASSERT_EQ(http().json("POST", regs, anna.token).status, 201);
  ASSERT_EQ(http().json("POST", regs, {{"waitlist", true}}, bruno.token).status, 201);
  const auto told = [&](const TestUser& who, const std::string& kind) {
    int count = 0;
    const Json list = notifications(who);
    for (const auto& n : list["items"]) count += n["kind"] == kind;
    return count;
  };
  const Json moved = {
      {"starts_at", in_days(10)},
      {"ends_at", core::format_rfc3339(clock_->now() + 10 * 86'400'000LL + 7'200'000)},
      {"location", "Salle des fêtes, Lyon"}};
  // Nobody but the organisation's admins changes or cancels it.
  for (const TestUser* who : {&anna, static_cast<const TestUser*>(&treasurer), &other_admin}) {
    expect_error(http().json("PATCH", path, moved, who->token), 403, "forbidden");
    expect_error(http().json("POST", path + "/cancel", who->token), 403, "forbidden");
  }
  expect_error(http().json("PATCH", path, moved), 401, "unauthenticated");
  expect_error(http().json("POST", path + "/cancel"), 401, "unauthenticated");
  expect_error(http().json("PATCH", "/api/v1/events/nope", moved, admin.token), 404, "not_found");
  // Bad changes are refused whole.
  for (const Json& bad :
       {Json{{"ends_at", in_days(1)}}, Json{{"starts_at", in_days(-1)}}, Json{{"title", ""}},
        Json{{"title", "A\nB"}}, Json{{"capacity", 0}}, Json{{"location", nullptr}},
        Json{{"starts_at", "demain"}}, Json{{"online_url", "javascript:alert(1)"}}}) {
    Json body = moved;
    body.update(bad);
    expect_error(http().json("PATCH", path, body, admin.token), 400, "validation_failed");
  }
  // The same values again: nothing changes, nobody is told.
  auto same = http().json("PATCH", path, {{"title", created["title"]}}, admin.token);
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(same.json()["event"]["sequence"], 0);
  EXPECT_EQ(told(anna, "event_changed"), 0);
  // The reminder went the day before; then the event moves a week later.
  clock_->advance(2 * 86'400'000LL + 3'600'000);
  EXPECT_EQ(runtime_->community->run_due().reminders, 1);
  auto changed = http().json("PATCH", path, moved, admin.token);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["event"]["starts_at"], moved["starts_at"]);
  EXPECT_EQ(changed.json()["event"]["location"], "Salle des fêtes, Lyon");
  EXPECT_EQ(changed.json()["event"]["capacity"], 1);
  EXPECT_EQ(changed.json()["event"]["sequence"], 1);
  EXPECT_EQ(told(anna, "event_changed"), 1);
  EXPECT_EQ(told(bruno, "event_changed"), 1);
  EXPECT_EQ(told(chloe, "event_changed"), 0);
  const auto ics = http().get("/events/" + id + ".ics").body;
  EXPECT_NE(ics.find("SEQUENCE:1\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("STATUS:CONFIRMED\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("LOCATION:Salle des fêtes\\, Lyon"), std::string::npos) << ics;
  EXPECT_EQ(http().json("GET", "/api/v1/search?q=vélos").json()["events"].size(), 1u);
  // Reminded again before its new start, once.
  EXPECT_EQ(runtime_->community->run_due().reminders, 0);
  clock_->advance(7 * 86'400'000LL);
  EXPECT_EQ(runtime_->community->run_due().reminders, 1);
  EXPECT_EQ(told(anna, "event_reminder"), 2);
  // Cancelled: everyone registered or waiting is told; nobody registers.
  auto cancelled = http().json("POST", path + "/cancel", admin.token);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json()["event"]["status"], "cancelled");
  EXPECT_EQ(told(anna, "event_cancelled"), 1);
  EXPECT_EQ(told(bruno, "event_cancelled"), 1);
  expect_error(http().json("POST", regs, chloe.token), 409, "event_cancelled");
  expect_error(http().json("PATCH", path, moved, admin.token), 409, "event_cancelled");
  expect_error(http().json("POST", path + "/cancel", admin.token), 409, "event_cancelled");
  // Anna leaves: no seat goes to Bruno, who is not told of one.
  EXPECT_EQ(http().json("DELETE", regs, anna.token).status, 204);
  EXPECT_EQ(told(bruno, "event_seat"), 0);
  const auto struck = http().get("/events/" + id + ".ics").body;
  EXPECT_NE(struck.find("STATUS:CANCELLED\r\n"), std::string::npos) << struck;
  EXPECT_NE(struck.find("SEQUENCE:2\r\n"), std::string::npos) << struck;
  EXPECT_NE(http().get("/orgs/" + org_id + "/events.ics").body.find("STATUS:CANCELLED"),
            std::string::npos);
  // Listed, marked; out of search; its page says so and offers nothing.
  const auto listed = http().json("GET", "/api/v1/orgs/" + org_id + "/events").json()["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["status"], "cancelled");
  EXPECT_TRUE(http().json("GET", "/api/v1/search?q=vélos").json()["events"].empty());
  const auto page = http().get("/events/" + id, {{"Cookie", "essor_session=" + chloe.token}});
  EXPECT_NE(page.body.find("Cet événement est annulé."), std::string::npos);
  EXPECT_EQ(page.body.find("/register\""), std::string::npos);
  EXPECT_NE(http().get("/orgs/" + org_id).body.find("<strong>annulé</strong>"), std::string::npos);
}

// Seats added to an event go to its waiting list in its order, each told;
// its seats never fall below those registered; no limit takes everyone.
TEST_P(CommunityTest, SeatsAddedToAnEventGoToItsWaitingList) {
  const auto anna = signup("anna"), bruno = signup("bruno"), chloe = signup("chloe"),
             dave = signup("dave");
  const std::string id = event({{"capacity", 2}})["id"];
  const std::string path = "/api/v1/events/" + id, regs = path + "/registrations";
  for (const auto* who : {&anna, &dave})
    ASSERT_EQ(http().json("POST", regs, who->token).status, 201);
  for (const auto* who : {&bruno, &chloe}) {
    clock_->advance(1000);  // the waiting list's order
    ASSERT_EQ(http().json("POST", regs, {{"waitlist", true}}, who->token).status, 201);
  }
  const auto seen = [&] { return http().json("GET", path, admin.token).json(); };
  auto fewer = http().json("PATCH", path, {{"capacity", 1}}, admin.token);
  expect_error(fewer, 400, "validation_failed");
  EXPECT_TRUE(fewer.json()["error"]["fields"].contains("capacity")) << fewer.body;
  EXPECT_EQ(seen()["event"]["capacity"], 2);
  auto more = http().json("PATCH", path, {{"capacity", 3}}, admin.token);
  ASSERT_EQ(more.status, 200) << more.body;
  EXPECT_EQ(more.json()["event"]["registered"], 3);
  EXPECT_EQ(more.json()["event"]["seats_left"], 0);
  EXPECT_EQ(http().json("GET", path, bruno.token).json()["registration"]["status"], "registered");
  EXPECT_EQ(http().json("GET", path, chloe.token).json()["registration"]["status"], "waiting");
  EXPECT_TRUE(has_kind(notifications(bruno), "event_seat"));
  EXPECT_FALSE(has_kind(notifications(chloe), "event_seat"));
  auto unlimited = http().json("PATCH", path, {{"capacity", nullptr}}, admin.token);
  ASSERT_EQ(unlimited.status, 200) << unlimited.body;
  EXPECT_TRUE(unlimited.json()["event"]["capacity"].is_null());
  EXPECT_EQ(seen()["event"]["registered"], 4);
  EXPECT_EQ(seen()["event"]["waiting"], 0);
  EXPECT_TRUE(has_kind(notifications(chloe), "event_seat"));
}

// The pages: an admin changes an event by its form (filled with its
// values, in Paris time) and cancels it after confirming; nobody else may.
TEST_P(CommunityTest, AnEventsPagesChangeAndCancelIt) {
  const std::string id = event()["id"];
  const std::string admin_cookies =
      "essor_session=" + admin.token + "; essor_csrf=" + std::string(40, 'c');
  const std::string csrf = csrf_token_for(admin_cookies);
  const auto form = http().get("/events/" + id + "/edit", {{"Cookie", admin_cookies}});
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"Atelier réparation de vélos\""), std::string::npos);
  EXPECT_NE(form.body.find("name=\"starts_time\" required value=\"" +
                           core::paris_time_field(clock_->now() + 3 * 86'400'000LL) + "\""),
            std::string::npos);
  EXPECT_NE(form.body.find("name=\"capacity\" min=\"1\" inputmode=\"numeric\" value=\"1\""),
            std::string::npos);
  EXPECT_EQ(
      http().get("/events/" + id + "/edit", {{"Cookie", "essor_session=" + backer.token}}).status,
      403);
  const auto post = [&](const std::string& to, const std::string& body) {
    return http().request(
        "POST", to, "_csrf=" + csrf + "&" + body,
        {{"Cookie", admin_cookies}, {"Content-Type", "application/x-www-form-urlencoded"}});
  };
  const std::string day = core::paris_date_field(clock_->now() + 5 * 86'400'000LL);
  const std::string fields = "title=Atelier+du+samedi&description_md=&starts_on=" + day +
                             "&starts_time=10:00&ends_on=" + day +
                             "&ends_time=12:00&location=Lyon&online_url=&capacity=1";
  const auto bad = post("/events/" + id + "/edit", "title=Atelier&starts_on=" + day +
                                                       "&starts_time=10:00&ends_on=" + day +
                                                       "&ends_time=09:00&location=Lyon");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("aria-invalid=\"true\""), std::string::npos);
  const auto saved = post("/events/" + id + "/edit", fields);
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.header("location"), "/events/" + id + "?done=event_changed");
  const auto seen = http().json("GET", "/api/v1/events/" + id).json()["event"];
  EXPECT_EQ(seen["title"], "Atelier du samedi");
  EXPECT_EQ(seen["starts_at"], core::format_rfc3339(*core::parse_paris_date_time(day, "10:00")));
  // Cancelling asks first, then cancels.
  const auto asked = post("/events/" + id + "/cancel", "");
  EXPECT_EQ(asked.status, 200);
  EXPECT_NE(asked.body.find("Annuler cet événement ?"), std::string::npos);
  EXPECT_EQ(http().json("GET", "/api/v1/events/" + id).json()["event"]["status"], "scheduled");
  const auto done = post("/events/" + id + "/cancel", "confirmed=yes");
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(http().json("GET", "/api/v1/events/" + id).json()["event"]["status"], "cancelled");
  EXPECT_EQ(http().get("/events/" + id, {{"Cookie", admin_cookies}}).body.find("/edit\""),
            std::string::npos);
  // Its form, kept by an old tab, leads back to the page that says why.
  const auto stale = http().get("/events/" + id + "/edit", {{"Cookie", admin_cookies}});
  EXPECT_EQ(stale.status, 303);
  EXPECT_EQ(stale.header("location"), "/events/" + id);
}

TEST_P(CommunityTest, EveryEventOfABusyOrganisationCanBeReached) {
  constexpr long long kWeek = 7LL * 86'400'000;
  const long long now = clock_->now();
  // Event i starts (590 - i) weeks before now for an hour: event 590 is on,
  // 591 to 600 are to come.
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) "
      "INSERT INTO events (id, org_id, title, description_md, starts_at, ends_at, created_by, "
      "created_at) SELECT 'ev' || i, '" +
          org_id + "', 'Atelier ' || i, '', " + std::to_string(now) +
          " - CAST(590 - i AS BIGINT) * " + std::to_string(kWeek) + ", " +
          std::to_string(now + 3'600'000) + " - CAST(590 - i AS BIGINT) * " +
          std::to_string(kWeek) + ", '" + admin.id + "', 1 FROM n");
  const auto reach = [&](const std::string& list) {
    std::vector<std::string> ids;
    for (const auto& e : every_item(list)) ids.push_back(e["id"].get<std::string>());
    return ids;
  };
  const auto all = reach("/api/v1/orgs/" + org_id + "/events?all&limit=200");
  ASSERT_EQ(all.size(), 600u);
  EXPECT_EQ(all.front(), "ev1");  // by start
  EXPECT_EQ(all.back(), "ev600");
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 600u);
  const auto upcoming = reach("/api/v1/orgs/" + org_id + "/events?limit=4");
  ASSERT_EQ(upcoming.size(), 11u);
  EXPECT_EQ(upcoming.front(), "ev590");
  // The calendar: the year past (52 weeks back: from ev538) and what is to come.
  const auto ics = http().get("/orgs/" + org_id + "/events.ics");
  ASSERT_EQ(ics.status, 200);
  EXPECT_EQ(occurrences(ics.body, "BEGIN:VEVENT"), 63u);
  EXPECT_NE(ics.body.find("UID:ev600@essor"), std::string::npos);
  EXPECT_NE(ics.body.find("UID:ev538@essor"), std::string::npos);
  EXPECT_EQ(ics.body.find("UID:ev537@essor"), std::string::npos);
  expect_error(http().json("GET", "/api/v1/orgs/" + org_id + "/events?cursor=minus"), 400,
               "validation_failed");
}

// A campaign people talk about: 1,500 comments and 600 replies (more than
// the 2,000 the list once held, oldest first, so the newest went unseen).
// The API's cursor reaches each one; the page shows fifty threads at a
// time, newest first, each with its replies.
TEST_P(CommunityTest, EveryCommentOfACampaignCanBeReached) {
  const std::string id = live()["id"];
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
      "INSERT INTO comments (id, target_type, target_id, user_id, body, created_at) SELECT "
      "'c' || i, 'campaign', '" +
          id + "', '" + backer.id + "', 'Commentaire ' || i, 1000 + i FROM n");
  // Comment i of the first 600 gets a reply, written after every comment.
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) "
      "INSERT INTO comments (id, target_type, target_id, parent_id, user_id, body, created_at) "
      "SELECT 'r' || i, 'campaign', '" +
          id + "', 'c' || i, '" + admin.id + "', 'Réponse ' || i, 5000 + i FROM n");
  std::set<std::string> seen;
  for (const auto& c : every_item("/api/v1/campaigns/" + id + "/comments?limit=200"))
    seen.insert(c["id"].get<std::string>());
  EXPECT_EQ(seen.size(), 2100u);
  EXPECT_TRUE(seen.count("c1500") && seen.count("r600"));
  // The page: the newest thread first, fifty threads, a link to older ones.
  const std::string page = "/campaigns/" + id;
  const auto first = http().get(page);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(occurrences(first.body, "class=\"comment\""), 50u);
  EXPECT_LT(first.body.find("Commentaire 1500<"), first.body.find("Commentaire 1499<"));
  EXPECT_EQ(first.body.find("Commentaire 1450<"), std::string::npos);
  EXPECT_NE(first.body.find("href=\"" + page + "?comments_page=2#comments\" rel=\"next\""),
            std::string::npos);
  // The last page: the oldest threads, newest first, each with its reply
  // under it.
  const auto last = http().get(page + "?comments_page=30");
  ASSERT_EQ(last.status, 200);
  EXPECT_EQ(occurrences(last.body, "class=\"comment\""), 50u);
  EXPECT_EQ(occurrences(last.body, "class=\"comment reply\""), 50u);
  const auto second = last.body.find("Commentaire 2<"), oldest = last.body.find("Commentaire 1<");
  ASSERT_NE(oldest, std::string::npos);
  EXPECT_LT(second, last.body.find("Réponse 2<"));
  EXPECT_LT(last.body.find("Réponse 2<"), oldest);
  EXPECT_LT(oldest, last.body.find("Réponse 1<"));
  EXPECT_EQ(last.body.find("rel=\"next\""), std::string::npos);
  EXPECT_NE(last.body.find("rel=\"prev\""), std::string::npos);
  // A reply written on that page comes back to it, at the reply; a new
  // thread comes back to the first page, where it is shown.
  const std::string cookies =
      "essor_session=" + backer.token + "; essor_csrf=" + std::string(40, 'c');
  const std::string csrf = csrf_token_for(cookies);
  const auto post = [&](const std::string& body) {
    return http().request(
        "POST", "/campaigns/" + id + "/comments", "_csrf=" + csrf + "&back=" + page + "&" + body,
        {{"Cookie", cookies}, {"Content-Type", "application/x-www-form-urlencoded"}});
  };
  EXPECT_NE(http()
                .get(page + "?comments_page=30", {{"Cookie", cookies}})
                .body.find("name=\"comments_page\" value=\"30\""),
            std::string::npos);
  const auto reply = post("parent_id=c1&comments_page=30&body_md=Bien+dit");
  ASSERT_EQ(reply.status, 303) << reply.body;
  const std::string to = reply.header("location");
  EXPECT_EQ(to.rfind(page + "?done=comment_posted&comments_page=30#comment-", 0), 0u) << to;
  const auto shown = http().get(to.substr(0, to.find('#')), {{"Cookie", cookies}});
  EXPECT_NE(shown.body.find("id=\"" + to.substr(to.find('#') + 1) + "\""), std::string::npos);
  const auto thread = post("comments_page=30&body_md=Nouveau+sujet");
  ASSERT_EQ(thread.status, 303);
  EXPECT_EQ(thread.header("location").rfind(page + "?done=comment_posted#comment-", 0), 0u);
}

TEST_P(CommunityTest, CommentsAndCirclePostsAreRateLimitedPerAccount) {
  const std::string id = live()["id"];
  const auto talker = signup("talker");
  const auto comment = [&](const TestUser& who, int n) {
    return http().json("POST", "/api/v1/campaigns/" + id + "/comments",
                       {{"body_md", "Message " + std::to_string(n)}}, who.token);
  };
  for (int n = 0; n < 30; ++n) ASSERT_EQ(comment(talker, n).status, 201) << n;
  auto refused = comment(talker, 30);
  expect_error(refused, 429, "rate_limited");
  EXPECT_FALSE(refused.header("retry-after").empty());
  // Nothing was stored for it; someone else may still speak.
  const auto list = http().json("GET", "/api/v1/campaigns/" + id + "/comments?limit=200").json();
  EXPECT_EQ(list.dump().find("Message 30"), std::string::npos);
  EXPECT_EQ(comment(backer, 0).status, 201);
  // Ten minutes later the talker may go on.
  clock_->advance(10 * 60 * 1000);
  EXPECT_EQ(comment(talker, 31).status, 201);

  auto circle = http().json("POST", "/api/v1/circles", {{"name", "Voisins"}}, talker.token);
  ASSERT_EQ(circle.status, 201) << circle.body;
  const std::string posts =
      "/api/v1/circles/" + circle.json()["circle"]["id"].get<std::string>() + "/posts";
  for (int n = 0; n < 20; ++n) {
    ASSERT_EQ(http()
                  .json("POST", posts, {{"body_md", "Nouvelle " + std::to_string(n)}}, talker.token)
                  .status,
              201)
        << n;
  }
  expect_error(http().json("POST", posts, {{"body_md", "Une de trop"}}, talker.token), 429,
               "rate_limited");
}

TEST_P(CommunityTest, NothingOfACircleIsVisibleOutsideIt) {
  auto grandma = signup("grandma"), son = signup("son"), stranger = signup("stranger");
  auto res =
      http().json("POST", "/api/v1/circles",
                  {{"name", "Famille Martin"}, {"description", "Autour de Mamie"}}, son.token);
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string id = res.json()["circle"]["id"];
  expect_error(http().json("POST", "/api/v1/circles", {{"name", ""}}, son.token), 400,
               "validation_failed");
  const std::string members = "/api/v1/circles/" + id + "/members";
  join_circle(id, son, grandma);
  // An address without an account is invited all the same (the answer
  // never says whether it has one); a bad one is refused.
  EXPECT_EQ(http().json("POST", members, {{"email", "nobody@test.example"}}, son.token).status,
            202);
  expect_error(http().json("POST", members, {{"email", "nobody"}}, son.token), 400,
               "validation_failed");
  expect_error(http().json("POST", members, {{"email", stranger.email}}, stranger.token), 404,
               "not_found");
  // The stranger cannot accept an invitation meant for someone else.
  ASSERT_TRUE(runtime_->accounts->confirm_address(stranger.email));
  expect_error(http().json("POST",
                           "/api/v1/invitations/" +
                               invitation_token(son.id, "nobody@test.example") + "/accept",
                           stranger.token),
               403, "forbidden");
  const std::string posts = "/api/v1/circles/" + id + "/posts";
  auto post =
      http().json("POST", posts, {{"body_md", "Photos du déjeuner de dimanche"}}, son.token);
  ASSERT_EQ(post.status, 201) << post.body;
  expect_error(
      http().json("POST", posts, {{"body_md", "x"}, {"photo_base64", "aGVsbG8="}}, son.token), 400,
      "validation_failed");
  expect_error(http().json("POST", posts, {{"body_md", "intrus"}}, stranger.token), 404,
               "not_found");
  // Members read; anyone else gets 404, as for a circle that does not exist.
  EXPECT_EQ(http().json("GET", posts, grandma.token).json()["items"].size(), 1u);
  expect_error(http().json("GET", posts, stranger.token), 404, "not_found");
  expect_error(http().json("GET", posts), 401, "unauthenticated");
  // A photo may go alone; nothing at all is refused.
  const std::string png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII"
      "=";
  auto photo_alone =
      http().json("POST", posts, {{"body_md", ""}, {"photo_base64", png}}, son.token);
  EXPECT_EQ(photo_alone.status, 201) << photo_alone.body;
  expect_error(http().json("POST", posts, {{"body_md", "  "}}, son.token), 400,
               "validation_failed");
  expect_error(http().json("GET", "/api/v1/circles/" + id, stranger.token), 404, "not_found");
  EXPECT_EQ(http().json("GET", "/api/v1/circles", stranger.token).json()["items"].size(), 0u);
  EXPECT_TRUE(has_kind(notifications(grandma), "circle_post"));
  // Even someone following the author sees nothing of it.
  ASSERT_EQ(http()
                .json("POST", "/api/v1/follows", {{"target_type", "user"}, {"target_id", son.id}},
                      stranger.token)
                .status,
            201);
  EXPECT_EQ(feed(stranger)["items"].size(), 0u);
  EXPECT_EQ(notifications(stranger)["items"].size(), 0u);
  auto search = http().json("GET", "/api/v1/search?q=Martin").json();
  EXPECT_EQ(search["orgs"].size() + search["events"].size() + search["campaigns"].size(), 0u);
  EXPECT_EQ(http().get("/search?q=Famille").body.find("Famille Martin"), std::string::npos);
  // Pages: 404 for a stranger, readable by members.
  auto page = http().get("/circles/" + id, {{"Cookie", "essor_session=" + stranger.token}});
  EXPECT_EQ(page.status, 404);
  page = http().get("/circles/" + id + "?large=1", {{"Cookie", "essor_session=" + grandma.token}});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Photos du déjeuner de dimanche"), std::string::npos);
  EXPECT_NE(page.body.find("large-text"), std::string::npos);
}

TEST_P(CommunityTest, MailFollowsEachPersonsChoiceAndEveryMailCanUnsubscribe) {
  const std::string id = live()["id"];
  auto daily = signup("daily"), quiet = signup("quiet");
  for (const auto* who : {&backer, &daily, &quiet}) {
    ASSERT_EQ(pledge(id, {{"amount_cents", 1000}, {"payment_method", "sandbox_card"}},
                     "k-" + who->id, who->token)
                  .status,
              201);
  }
  const std::string settings = "/api/v1/me/notification-settings";
  EXPECT_EQ(http().json("GET", settings, backer.token).json()["mail"], "immediate");
  expect_error(http().json("PUT", settings, {{"mail", "weekly"}}, daily.token), 400,
               "validation_failed");
  EXPECT_EQ(http().json("PUT", settings, {{"mail", "daily"}}, daily.token).status, 200);
  EXPECT_EQ(http().json("PUT", settings, {{"mail", "none"}}, quiet.token).status, 200);
  // Move to just before the digest hour, so that the first run sends no digest.
  const std::int64_t day = 86'400'000;
  std::int64_t now = clock_->now();
  std::int64_t digest = now - now % day + 7 * 3'600'000LL;
  if (digest <= now) digest += day;
  clock_->advance(digest - now - 60'000);
  ASSERT_EQ(http()
                .json("POST", "/api/v1/campaigns/" + id + "/updates",
                      {{"title", "Bonne nouvelle"}, {"body_md", "Le four arrive."}}, admin.token)
                .status,
            201);
  auto work = runtime_->community->run_due();
  EXPECT_EQ(work.queued, 1);  // the immediate one only
  auto mails = outbox(backer.id);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].subject.find("Bonne nouvelle"), std::string::npos);
  EXPECT_NE(mails[0].body.find("/campaigns/" + id), std::string::npos);
  EXPECT_NE(mails[0].body.find(mails[0].unsubscribe_url), std::string::npos);
  EXPECT_EQ(outbox(daily.id).size(), 0u);
  EXPECT_EQ(outbox(quiet.id).size(), 0u);
  // After the digest hour: one digest, once that day.
  clock_->advance(120'000);
  work = runtime_->community->run_due();
  EXPECT_EQ(work.digests, 1);
  ASSERT_EQ(outbox(daily.id).size(), 1u);
  EXPECT_EQ(outbox(daily.id)[0].kind, "daily_digest");
  EXPECT_NE(outbox(daily.id)[0].body.find("Bonne nouvelle"), std::string::npos);
  EXPECT_EQ(runtime_->community->run_due().digests, 0);
  EXPECT_EQ(outbox(quiet.id).size(), 0u);
  EXPECT_EQ(outbox(backer.id).size(), 1u);  // not mailed twice
  // The unsubscribe link works without logging in; GET changes nothing.
  const std::string link = mails[0].unsubscribe_url;
  const std::string path = link.substr(link.find("/unsubscribe/"));
  auto confirm = http().get(path);
  EXPECT_EQ(confirm.status, 200);
  EXPECT_NE(confirm.body.find(backer.email), std::string::npos);
  EXPECT_EQ(http().json("GET", settings, backer.token).json()["mail"], "immediate");
  auto done = http().request("POST", path, "List-Unsubscribe=One-Click",
                             {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(done.status, 200);
  EXPECT_EQ(http().json("GET", settings, backer.token).json()["mail"], "none");
  EXPECT_EQ(http().get("/unsubscribe/not-a-token").status, 404);
}

// Issue 11, item 9: any member leaves a circle; nobody removes another.
TEST_P(CommunityTest, AMemberLeavesACircle) {
  auto grandma = signup("grandma"), son = signup("son"), stranger = signup("stranger");
  const std::string id = http()
                             .json("POST", "/api/v1/circles", {{"name", "Famille"}}, son.token)
                             .json()["circle"]["id"];
  join_circle(id, son, grandma);
  const std::string members = "/api/v1/circles/" + id + "/members/";
  expect_error(http().json("DELETE", members + grandma.id, son.token), 403, "forbidden");
  expect_error(http().json("DELETE", members + stranger.id, stranger.token), 404, "not_found");
  expect_error(http().json("DELETE", members + grandma.id), 401, "unauthenticated");
  EXPECT_EQ(http().json("DELETE", members + grandma.id, grandma.token).status, 204);
  expect_error(http().json("GET", "/api/v1/circles/" + id, grandma.token), 404, "not_found");
  EXPECT_EQ(http().json("GET", "/api/v1/circles/" + id, son.token).json()["members"].size(), 1u);
}

TEST_P(CommunityTest, MembersWhoRarelyVisitACircleGetADigest) {
  auto grandma = signup("grandma"), son = signup("son");
  const std::string id = http()
                             .json("POST", "/api/v1/circles", {{"name", "Famille"}}, son.token)
                             .json()["circle"]["id"];
  join_circle(id, son, grandma);
  clock_->advance(1000);  // she joined, then he wrote
  ASSERT_EQ(http()
                .json("POST", "/api/v1/circles/" + id + "/posts", {{"body_md", "On pense à toi"}},
                      son.token)
                .status,
            201);
  EXPECT_EQ(runtime_->community->run_due().circle_digests, 0);  // she visited lately
  clock_->advance(8 * 86'400'000LL);
  EXPECT_EQ(runtime_->community->run_due().circle_digests, 1);
  EXPECT_EQ(runtime_->community->run_due().circle_digests, 0);
  auto mails = outbox(grandma.id);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].kind, "circle_digest");
  EXPECT_NE(mails[0].body.find("On pense à toi"), std::string::npos);
  for (const auto& mail : outbox(son.id)) {
    EXPECT_NE(mail.kind, "circle_digest") << "not of his own post";
  }
}

ESSOR_ON_EVERY_DATABASE(CommunityTest);

}  // namespace
}  // namespace essor::testing
