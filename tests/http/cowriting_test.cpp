// Spec "Co-creation": drafts written together (co-authors, revisions,
// diffs, a stale edit refused with the current text), publishing as a
// proposal naming every co-author, amendments decided by the authors, and
// shared pages public or members-only. Each rule also for a stranger and a
// member of another organisation.
#include <algorithm>
#include <set>
#include <thread>

#include "core/time.hpp"
#include "store/database.hpp"
#include "support/test_server.hpp"

namespace essor::testing {
namespace {

using Json = nlohmann::json;

class CoWritingTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (IsSkipped()) return;
    alice = signup("alice");
    bob = signup("bob");
    carol = signup("carol");
    stranger = signup("stranger");
    outsider = signup("outsider");
    org_id = create_org(alice.token, "La Coopérative du Coin");
    add_member(org_id, alice.token, bob, "member");
    add_member(org_id, alice.token, carol, "member");
    other_org = create_org(outsider.token, "Une autre association");
  }

  Json draft(const std::string& title = "Charte du jardin",
             const std::string& body = "Article 1\nArticle 2\nArticle 3\n") {
    auto res = http().json("POST", "/api/v1/orgs/" + org_id + "/drafts",
                           {{"title", title}, {"body_md", body}}, alice.token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["draft"];
  }

  HttpResult edit(const std::string& id, const std::string& body, std::int64_t base,
                  const std::string& token) const {
    return http().json("PUT", "/api/v1/drafts/" + id, {{"body_md", body}, {"base_revision", base}},
                       token);
  }

  HttpResult add_coauthor(const std::string& id, const TestUser& who,
                          const std::string& token) const {
    return http().json("POST", "/api/v1/drafts/" + id + "/coauthors", {{"user_id", who.id}}, token);
  }

  Json publish_body() const {
    return {{"method", "majority"},
            {"closes_at", core::format_rfc3339(clock_->now() + 7 * 86'400'000LL)}};
  }

  Json proposal(const std::string& body = "Nous adoptons la charte.\n") {
    auto res = http().json("POST", "/api/v1/orgs/" + org_id + "/proposals",
                           {{"title", "Adopter la charte"},
                            {"body_md", body},
                            {"method", "majority"},
                            {"closes_at", core::format_rfc3339(clock_->now() + 7 * 86'400'000LL)}},
                           alice.token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["proposal"];
  }

  TestUser alice, bob, carol, stranger, outsider;
  std::string org_id, other_org;
};

// Every draft of an organisation can be reached, by the API's cursor and
// by the page's links: both listed the 200 changed last and no more.
TEST_P(CoWritingTest, EveryDraftOfAnOrganisationCanBeReached) {
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 205) INSERT INTO "
      "drafts (id, org_id, title, body_md, revision, created_by, created_at, updated_at) SELECT "
      "'dr' || i, '" +
          org_id + "', 'Brouillon ' || i, 'Texte', 1, '" + alice.id + "', i, i FROM n");
  const std::string list = "/api/v1/orgs/" + org_id + "/drafts?limit=200";
  auto first = http().json("GET", list, bob.token);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto one = first.json();
  EXPECT_EQ(one["items"].size(), 200u);
  ASSERT_EQ(one["next"], "200");
  const auto two = http().json("GET", list + "&cursor=200", bob.token).json();
  EXPECT_EQ(two["items"].size(), 5u);
  EXPECT_TRUE(two["next"].is_null());
  std::set<std::string> seen;
  for (const auto* body : {&one, &two})
    for (const auto& d : (*body)["items"]) seen.insert(d["id"].get<std::string>());
  EXPECT_EQ(seen.size(), 205u);
  const std::string page = "/orgs/" + org_id + "/drafts";
  const std::map<std::string, std::string> cookie{{"Cookie", "essor_session=" + bob.token}};
  const auto items = [](const std::string& html) {
    return occurrences(html, "<li><a href=\"/drafts/");
  };
  const auto page_one = http().get(page, cookie);
  ASSERT_EQ(page_one.status, 200);
  EXPECT_EQ(items(page_one.body), 50u);
  EXPECT_NE(page_one.body.find("Brouillon 205<"), std::string::npos);  // changed last, first
  EXPECT_NE(page_one.body.find("href=\"" + page + "?page=2\" rel=\"next\""), std::string::npos);
  const auto last = http().get(page + "?page=5", cookie);
  EXPECT_EQ(items(last.body), 5u);
  EXPECT_NE(last.body.find("Brouillon 1<"), std::string::npos);
  EXPECT_EQ(last.body.find("rel=\"next\""), std::string::npos);
  // Nobody outside the organisation reads any page of it.
  EXPECT_EQ(http().json("GET", list + "&cursor=200", stranger.token).status, 403);
  EXPECT_EQ(http().get(page + "?page=5", {{"Cookie", "essor_session=" + stranger.token}}).status,
            403);
}

// Every shared page of an organisation can be reached, by the API's
// cursor and by the page's links, a hundred at a time by title, read so by
// the store (it read every page, with its whole text, for either); each
// reader sees only the pages meant for them.
TEST_P(CoWritingTest, EverySharedPageOfAnOrganisationCanBeReached) {
  // Pages 1001 to 1230; every third is for members only (76 of them).
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 230) INSERT INTO "
      "wiki_pages (id, org_id, title, body_md, visibility, revision, created_by, created_at, "
      "updated_at) SELECT 'wp' || i, '" +
          org_id +
          "', 'Page ' || (1000 + i), 'Texte', CASE WHEN i % 3 = 0 THEN 'members' ELSE 'public' "
          "END, 1, '" +
          alice.id + "', i, i FROM n");
  const auto every = [&](const std::string& token) {
    std::vector<std::string> titles;
    for (const auto& p : every_item("/api/v1/orgs/" + org_id + "/pages?limit=100", token))
      titles.push_back(p["title"].get<std::string>());
    return titles;
  };
  const auto members_see = every(bob.token);
  ASSERT_EQ(members_see.size(), 230u);
  EXPECT_EQ(members_see.front(), "Page 1001");
  EXPECT_EQ(members_see.back(), "Page 1230");
  EXPECT_TRUE(std::is_sorted(members_see.begin(), members_see.end()));
  for (const auto& token : {stranger.token, std::string()}) {
    const auto others_see = every(token);
    EXPECT_EQ(others_see.size(), 154u);
    EXPECT_EQ(std::count(others_see.begin(), others_see.end(), "Page 1003"), 0);
    EXPECT_EQ(others_see.back(), "Page 1230");
  }
  const std::string page = "/orgs/" + org_id + "/pages";
  const std::map<std::string, std::string> cookie{{"Cookie", "essor_session=" + bob.token}};
  const auto items = [](const std::string& html) {
    return occurrences(html, "<li><a href=\"/pages/");
  };
  const auto page_one = http().get(page, cookie);
  ASSERT_EQ(page_one.status, 200);
  EXPECT_EQ(items(page_one.body), 100u);
  EXPECT_NE(page_one.body.find(">Page 1001<"), std::string::npos);
  EXPECT_NE(page_one.body.find("href=\"" + page + "?page=2\" rel=\"next\""), std::string::npos);
  const auto last = http().get(page + "?page=3", cookie);
  EXPECT_EQ(items(last.body), 30u);
  EXPECT_NE(last.body.find(">Page 1230<"), std::string::npos);
  EXPECT_EQ(last.body.find("rel=\"next\""), std::string::npos);
  const auto visitor_last = http().get(page + "?page=2");
  EXPECT_EQ(items(visitor_last.body), 54u);
  EXPECT_EQ(visitor_last.body.find(">Page 1228<"), std::string::npos);  // for members
  EXPECT_NE(visitor_last.body.find(">Page 1230<"), std::string::npos);
}

TEST_P(CoWritingTest, MembersReadDraftsAndOnlyCoauthorsEditThem) {
  const auto d = draft();
  const std::string id = d["id"];
  EXPECT_EQ(d["revision"], 1);
  ASSERT_EQ(d["coauthors"].size(), 1u);
  EXPECT_EQ(d["coauthors"][0]["id"], alice.id);
  EXPECT_EQ(http().json("GET", "/api/v1/drafts/" + id, bob.token).status, 200);
  // Nothing of a draft outside the organisation, not even that it exists.
  expect_error(http().json("GET", "/api/v1/drafts/" + id, stranger.token), 404, "not_found");
  expect_error(http().json("GET", "/api/v1/drafts/" + id, outsider.token), 404, "not_found");
  expect_error(http().json("GET", "/api/v1/drafts/" + id), 401, "unauthenticated");
  expect_error(http().json("GET", "/api/v1/orgs/" + org_id + "/drafts", stranger.token), 403,
               "forbidden");
  expect_error(edit(id, "Pirate\n", 1, stranger.token), 404, "not_found");
  expect_error(edit(id, "Pirate\n", 1, outsider.token), 404, "not_found");
  // A member who is not a co-author asks to be added first.
  expect_error(edit(id, "Bob seul\n", 1, bob.token), 403, "forbidden");
  expect_error(add_coauthor(id, bob, bob.token), 403, "forbidden");
  expect_error(add_coauthor(id, stranger, alice.token), 400, "validation_failed");
  const auto added = add_coauthor(id, bob, alice.token);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json()["draft"]["coauthors"].size(), 2u);
  expect_error(add_coauthor(id, bob, alice.token), 409, "already_coauthor");
  const auto edited = edit(id, "Article 1\nArticle 2 revu\nArticle 3\n", 1, bob.token);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["draft"]["revision"], 2);
  const auto list = http().json("GET", "/api/v1/orgs/" + org_id + "/drafts", carol.token).json();
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["revision"], 2);
}

TEST_P(CoWritingTest, AStaleEditGets409WithTheCurrentTextAndChangesNothing) {
  const std::string id = draft()["id"];
  ASSERT_EQ(add_coauthor(id, bob, alice.token).status, 201);
  ASSERT_EQ(edit(id, "Version de Bob\n", 1, bob.token).status, 200);
  const auto stale = edit(id, "Version d'Alice\n", 1, alice.token);
  expect_error(stale, 409, "edit_conflict");
  const auto current = stale.json()["error"]["current"];
  EXPECT_EQ(current["revision"], 2);
  EXPECT_EQ(current["body_md"], "Version de Bob\n");
  const auto now = http().json("GET", "/api/v1/drafts/" + id, alice.token).json()["draft"];
  EXPECT_EQ(now["body_md"], "Version de Bob\n");
  EXPECT_EQ(now["revision"], 2);
  // Merged on the current revision, it is written.
  EXPECT_EQ(edit(id, "Version de Bob\nEt d'Alice\n", 2, alice.token).status, 200);
  const auto revisions =
      http().json("GET", "/api/v1/drafts/" + id + "/revisions", carol.token).json()["items"];
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[1]["author"]["id"], bob.id);
}

// Two co-authors save at the same moment on the same revision: one is
// written, the other gets 409 and the winner's text; nothing is lost.
TEST_P(CoWritingTest, TwoMembersEditingAtOnceOneWinsTheOtherGets409) {
  for (int round = 0; round < 5; ++round) {
    const std::string id = draft("Brouillon " + std::to_string(round))["id"];
    ASSERT_EQ(add_coauthor(id, bob, alice.token).status, 201);
    HttpResult by_alice, by_bob;
    std::thread a([&] { by_alice = edit(id, "Texte d'Alice\n", 1, alice.token); });
    std::thread b([&] { by_bob = edit(id, "Texte de Bob\n", 1, bob.token); });
    a.join();
    b.join();
    ASSERT_TRUE((by_alice.status == 200 && by_bob.status == 409) ||
                (by_alice.status == 409 && by_bob.status == 200))
        << by_alice.status << " " << by_bob.status;
    const auto& winner = by_alice.status == 200 ? by_alice : by_bob;
    const auto& loser = by_alice.status == 200 ? by_bob : by_alice;
    const std::string won = winner.json()["draft"]["body_md"];
    EXPECT_EQ(loser.json()["error"]["current"]["body_md"], won);
    EXPECT_EQ(loser.json()["error"]["current"]["revision"], 2);
    const auto now = http().json("GET", "/api/v1/drafts/" + id, bob.token).json()["draft"];
    EXPECT_EQ(now["body_md"], won);
    EXPECT_EQ(
        http().json("GET", "/api/v1/drafts/" + id + "/revisions", bob.token).json()["items"].size(),
        2u);
  }
}

TEST_P(CoWritingTest, DiffsAreLineBasedInUnifiedFormat) {
  const std::string id = draft()["id"];
  ASSERT_EQ(edit(id, "Article 1\nArticle 2 revu\nArticle 3\n", 1, alice.token).status, 200);
  const auto diff =
      http().json("GET", "/api/v1/drafts/" + id + "/revisions/2/diff", carol.token).json();
  EXPECT_EQ(
      diff["unified"],
      "--- r1\n+++ r2\n@@ -1,3 +1,3 @@\n Article 1\n-Article 2\n+Article 2 revu\n Article 3\n");
  EXPECT_EQ(diff["from"], 1);
  EXPECT_EQ(diff["lines"][1]["op"], "removed");
  EXPECT_EQ(diff["lines"][2]["op"], "added");
  // The first revision against the empty text; any two with ?from=.
  const auto first =
      http().json("GET", "/api/v1/drafts/" + id + "/revisions/1/diff", carol.token).json();
  EXPECT_EQ(first["unified"],
            "--- r0\n+++ r1\n@@ -0,0 +1,3 @@\n+Article 1\n+Article 2\n+Article 3\n");
  const auto text =
      http().request("GET", "/api/v1/drafts/" + id + "/revisions/2/diff?from=1&format=unified", "",
                     {{"Authorization", "Bearer " + carol.token}});
  EXPECT_EQ(text.status, 200);
  EXPECT_EQ(text.body, diff["unified"]);
  expect_error(http().json("GET", "/api/v1/drafts/" + id + "/revisions/7/diff", carol.token), 404,
               "not_found");
  expect_error(http().json("GET", "/api/v1/drafts/" + id + "/revisions/2/diff?from=9", carol.token),
               404, "not_found");
  expect_error(http().json("GET", "/api/v1/drafts/" + id + "/revisions/0/diff", carol.token), 400,
               "validation_failed");
  expect_error(http().json("GET", "/api/v1/drafts/" + id + "/revisions/x/diff", carol.token), 400,
               "validation_failed");
  expect_error(http().json("GET", "/api/v1/drafts/" + id + "/revisions/2/diff", outsider.token),
               404, "not_found");
}

// Spec "Security": comments are rate limited per account. Those on drafts
// and on proposals count with those on campaigns (one budget of 30 per ten
// minutes), and the one refused is not stored.
TEST_P(CoWritingTest, CommentsOnDraftsAndProposalsAreRateLimitedPerAccount) {
  const std::string id = draft()["id"];
  const std::string proposal_id = proposal()["id"];
  const auto on_draft = [&](const TestUser& who, int n) {
    return http().json("POST", "/api/v1/drafts/" + id + "/comments",
                       {{"body", "Remarque " + std::to_string(n)}}, who.token);
  };
  const auto on_proposal = [&](const TestUser& who, const std::string& text) {
    return http().json("POST", "/api/v1/proposals/" + proposal_id + "/comments", {{"body", text}},
                       who.token);
  };
  for (int n = 0; n < 29; ++n) ASSERT_EQ(on_draft(bob, n).status, 201) << n;
  ASSERT_EQ(on_proposal(bob, "La trentième").status, 201);
  auto refused = on_draft(bob, 29);
  expect_error(refused, 429, "rate_limited");
  EXPECT_FALSE(refused.header("retry-after").empty());
  expect_error(on_proposal(bob, "Une de trop"), 429, "rate_limited");
  // Nothing was stored for them; someone else may still speak.
  const auto seen = http().json("GET", "/api/v1/drafts/" + id, alice.token).json();
  EXPECT_EQ(seen["comments"].size(), 29u);
  EXPECT_EQ(seen.dump().find("Remarque 29"), std::string::npos);
  const auto thread =
      http()
          .json("GET", "/api/v1/proposals/" + proposal_id + "/comments", alice.token)
          .json()["items"];
  ASSERT_EQ(thread.size(), 1u);
  EXPECT_EQ(on_draft(carol, 0).status, 201);
  // Ten minutes later bob may go on.
  clock_->advance(10 * 60 * 1000);
  EXPECT_EQ(on_proposal(bob, "Je reprends").status, 201);
  EXPECT_EQ(on_draft(bob, 30).status, 201);
}

TEST_P(CoWritingTest, BadInputIsRefusedAndChangesNothing) {
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/drafts",
                           {{"title", ""}, {"body_md", "x"}}, alice.token),
               400, "validation_failed");
  expect_error(
      http().json("POST", "/api/v1/orgs/" + org_id + "/drafts",
                  {{"title", "Trop long"}, {"body_md", std::string(50'001, 'a')}}, alice.token),
      400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/drafts",
                           {{"title", "Ailleurs"}, {"body_md", "x"}}, stranger.token),
               403, "forbidden");
  const std::string id = draft()["id"];
  expect_error(http().json("PUT", "/api/v1/drafts/" + id, {{"body_md", "Sans base"}}, alice.token),
               400, "validation_failed");
  expect_error(http().json("PUT", "/api/v1/drafts/" + id,
                           {{"body_md", "Base fausse"}, {"base_revision", "un"}}, alice.token),
               400, "validation_failed");
  expect_error(edit(id, "Base zéro", 0, alice.token), 400, "validation_failed");
  const auto raw = http().request(
      "PUT", "/api/v1/drafts/" + id, "{not json",
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + alice.token}});
  EXPECT_EQ(raw.status, 400);
  const auto now = http().json("GET", "/api/v1/drafts/" + id, alice.token).json()["draft"];
  EXPECT_EQ(now["revision"], 1);
  EXPECT_EQ(now["body_md"], "Article 1\nArticle 2\nArticle 3\n");
}

TEST_P(CoWritingTest, PublishingMakesAProposalNamingEveryCoauthor) {
  const std::string id = draft()["id"];
  ASSERT_EQ(add_coauthor(id, bob, alice.token).status, 201);
  expect_error(
      http().json("POST", "/api/v1/drafts/" + id + "/publish", publish_body(), carol.token), 403,
      "forbidden");
  expect_error(
      http().json("POST", "/api/v1/drafts/" + id + "/publish", publish_body(), outsider.token), 404,
      "not_found");
  // A bad vote leaves the draft a draft.
  expect_error(
      http().json("POST", "/api/v1/drafts/" + id + "/publish", {{"method", "majority"}}, bob.token),
      400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/drafts/" + id + "/publish",
                           {{"method", "tirage"},
                            {"closes_at", core::format_rfc3339(clock_->now() + 86'400'000)}},
                           bob.token),
               400, "validation_failed");
  EXPECT_EQ(http().json("GET", "/api/v1/drafts/" + id, bob.token).json()["draft"]["status"],
            "draft");
  const auto published =
      http().json("POST", "/api/v1/drafts/" + id + "/publish", publish_body(), bob.token);
  ASSERT_EQ(published.status, 201) << published.body;
  const auto proposal = published.json()["proposal"];
  EXPECT_EQ(proposal["title"], "Charte du jardin");
  EXPECT_EQ(proposal["body_md"], "Article 1\nArticle 2\nArticle 3\n");
  ASSERT_EQ(proposal["authors"].size(), 2u);
  EXPECT_EQ(proposal["authors"][0]["id"], alice.id);
  EXPECT_EQ(proposal["authors"][1]["id"], bob.id);
  const auto now = http().json("GET", "/api/v1/drafts/" + id, alice.token).json()["draft"];
  EXPECT_EQ(now["status"], "published");
  EXPECT_EQ(now["proposal_id"], proposal["id"]);
  expect_error(edit(id, "Après coup\n", 1, alice.token), 409, "draft_published");
  expect_error(
      http().json("POST", "/api/v1/drafts/" + id + "/publish", publish_body(), alice.token), 409,
      "draft_published");
  // Members can vote on it as on any proposal.
  const std::string pid = proposal["id"];
  EXPECT_EQ(
      http()
          .json("POST", "/api/v1/proposals/" + pid + "/votes", {{"choice", "yes"}}, carol.token)
          .status,
      200);
  const auto listed =
      http().json("GET", "/api/v1/orgs/" + org_id + "/proposals", carol.token).json()["items"];
  ASSERT_EQ(listed.size(), 1u);
}

TEST_P(CoWritingTest, AmendmentsComeFromAnyMemberAndTheAuthorsDecide) {
  const auto p = proposal();
  const std::string pid = p["id"];
  // Carol votes before any amendment.
  ASSERT_EQ(
      http()
          .json("POST", "/api/v1/proposals/" + pid + "/votes", {{"choice", "yes"}}, carol.token)
          .status,
      200);
  expect_error(http().json("POST", "/api/v1/proposals/" + pid + "/amendments",
                           {{"body_md", "Pirate"}, {"rationale", ""}}, outsider.token),
               404, "not_found");
  expect_error(http().json("POST", "/api/v1/proposals/" + pid + "/amendments",
                           {{"body_md", ""}, {"rationale", "vide"}}, carol.token),
               400, "validation_failed");
  const auto proposed =
      http().json("POST", "/api/v1/proposals/" + pid + "/amendments",
                  {{"body_md", "Nous adoptons la charte, révisable chaque année.\n"},
                   {"rationale", "Une charte vit."}},
                  carol.token);
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const auto amendment = proposed.json()["amendment"];
  EXPECT_EQ(amendment["status"], "pending");
  const std::string aid = amendment["id"];
  const auto diff = http().json("GET", "/api/v1/amendments/" + aid + "/diff", bob.token).json();
  EXPECT_NE(diff["unified"].get<std::string>().find("+Nous adoptons la charte, révisable"),
            std::string::npos);
  // Only the proposal's authors decide; nobody else learns more than 404.
  expect_error(http().json("POST", "/api/v1/amendments/" + aid + "/decision", {{"accepted", true}},
                           carol.token),
               403, "forbidden");
  expect_error(http().json("POST", "/api/v1/amendments/" + aid + "/decision", {{"accepted", true}},
                           outsider.token),
               404, "not_found");
  expect_error(http().json("POST", "/api/v1/amendments/" + aid + "/decision", {{"accepted", "oui"}},
                           alice.token),
               400, "validation_failed");
  const auto decided = http().json("POST", "/api/v1/amendments/" + aid + "/decision",
                                   {{"accepted", true}}, alice.token);
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.json()["amendment"]["status"], "accepted");
  expect_error(http().json("POST", "/api/v1/amendments/" + aid + "/decision", {{"accepted", false}},
                           alice.token),
               409, "amendment_decided");
  const auto now = http().json("GET", "/api/v1/proposals/" + pid, bob.token).json()["proposal"];
  EXPECT_EQ(now["body_md"], "Nous adoptons la charte, révisable chaque année.\n");
  // The history stays: the first text, then the amended one.
  const auto view =
      http().json("GET", "/api/v1/proposals/" + pid + "/amendments", bob.token).json();
  ASSERT_EQ(view["history"].size(), 2u);
  EXPECT_EQ(view["history"][0]["body_md"], "Nous adoptons la charte.\n");
  EXPECT_EQ(view["history"][1]["note"], "amendment:" + aid);
  // No vote was reset.
  EXPECT_EQ(http().json("GET", "/api/v1/proposals/" + pid + "/results", bob.token).json()["voters"],
            1);
  // A second amendment accepted with reset_votes: the ballots go.
  const std::string second =
      http()
          .json("POST", "/api/v1/proposals/" + pid + "/amendments",
                {{"body_md", "Texte entièrement nouveau.\n"}, {"rationale", ""}}, bob.token)
          .json()["amendment"]["id"];
  ASSERT_EQ(http()
                .json("POST", "/api/v1/amendments/" + second + "/decision",
                      {{"accepted", true}, {"reset_votes", true}}, alice.token)
                .status,
            200);
  EXPECT_EQ(http().json("GET", "/api/v1/proposals/" + pid + "/results", bob.token).json()["voters"],
            0);
  // A closed vote takes no amendment.
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + pid + "/close", alice.token).status, 200);
  expect_error(http().json("POST", "/api/v1/proposals/" + pid + "/amendments",
                           {{"body_md", "Trop tard.\n"}, {"rationale", ""}}, carol.token),
               409, "proposal_closed");
}

// The amendments page shows each amendment's diff from what it read once:
// three amendments cost the database what one does (no read per item).
TEST_P(CoWritingTest, TheAmendmentsPageCostsTheSameWhateverTheirNumber) {
  const std::string pid = proposal()["id"];
  auto amend = [&](const std::string& body) {
    ASSERT_EQ(http()
                  .json("POST", "/api/v1/proposals/" + pid + "/amendments",
                        {{"body_md", body}, {"rationale", ""}}, carol.token)
                  .status,
              201);
  };
  const std::map<std::string, std::string> signed_in{{"Cookie", "essor_session=" + bob.token}};
  const std::string route = "/proposals/{id}/amendments";
  auto cost = [&] {
    const auto before = route_work(http(), route);
    const auto page = http().get("/proposals/" + pid + "/amendments", signed_in);
    EXPECT_EQ(page.status, 200);
    const auto after = route_work(http(), route);
    EXPECT_EQ(after.read_transactions - before.read_transactions, 1);
    return std::make_pair(after.statements - before.statements, page.body);
  };
  amend("Nous adoptons la charte, révisable.\n");
  const auto [one, one_page] = cost();
  EXPECT_GE(one, 2);
  amend("Nous adoptons la charte, amendée.\n");
  amend("Nous rejetons la charte.\n");
  const auto [three, three_page] = cost();
  EXPECT_EQ(three, one);
  // Each diff is still on the page.
  for (const char* words : {"révisable", "amendée", "rejetons"})
    EXPECT_NE(three_page.find(words), std::string::npos) << words;
}

TEST_P(CoWritingTest, SharedPagesArePublicOrForMembersAndLinkedByTitle) {
  auto page = [&](const std::string& title, const std::string& body, const std::string& vis,
                  const std::string& token) {
    return http().json("POST", "/api/v1/orgs/" + org_id + "/pages",
                       {{"title", title}, {"body_md", body}, {"visibility", vis}}, token);
  };
  const auto home =
      page("Accueil", "Lire [[Statuts]] et [[Horaires|nos horaires]].\n", "public", bob.token);
  ASSERT_EQ(home.status, 201) << home.body;
  const std::string home_id = home.json()["page"]["id"];
  const auto statutes = page("Statuts", "Article premier.\n", "members", alice.token);
  ASSERT_EQ(statutes.status, 201);
  const std::string statutes_id = statutes.json()["page"]["id"];
  ASSERT_EQ(page("Horaires", "Le samedi.\n", "public", alice.token).status, 201);
  expect_error(page("Statuts", "Doublon.\n", "public", alice.token), 409, "page_title_taken");
  expect_error(page("Autre", "x", "secret", alice.token), 400, "validation_failed");
  expect_error(page("Intrus", "x", "public", stranger.token), 403, "forbidden");
  // A visitor reads the public page; the members' page stays unnamed as a link.
  const auto visitor = http().get("/api/v1/pages/" + home_id).json();
  const std::string visitor_md = visitor["linked_md"];
  EXPECT_EQ(visitor_md.find("/pages/" + statutes_id), std::string::npos) << visitor_md;
  EXPECT_NE(visitor_md.find("[nos horaires](/pages/"), std::string::npos) << visitor_md;
  const auto member = http().json("GET", "/api/v1/pages/" + home_id, carol.token).json();
  EXPECT_NE(member["linked_md"].get<std::string>().find("[Statuts](/pages/" + statutes_id + ")"),
            std::string::npos);
  expect_error(http().get("/api/v1/pages/" + statutes_id), 404, "not_found");
  expect_error(http().json("GET", "/api/v1/pages/" + statutes_id, outsider.token), 404,
               "not_found");
  EXPECT_EQ(http().get("/api/v1/orgs/" + org_id + "/pages").json()["items"].size(), 2u);
  EXPECT_EQ(
      http().json("GET", "/api/v1/orgs/" + org_id + "/pages", carol.token).json()["items"].size(),
      3u);
  // Edited like drafts: a stale base is refused with the current text.
  ASSERT_EQ(
      http()
          .json("PUT", "/api/v1/pages/" + statutes_id,
                {{"body_md", "Article premier, modifié.\n"}, {"base_revision", 1}}, carol.token)
          .status,
      200);
  const auto stale = http().json("PUT", "/api/v1/pages/" + statutes_id,
                                 {{"body_md", "Autre chose.\n"}, {"base_revision", 1}}, bob.token);
  expect_error(stale, 409, "edit_conflict");
  EXPECT_EQ(stale.json()["error"]["current"]["body_md"], "Article premier, modifié.\n");
  expect_error(http().json("PUT", "/api/v1/pages/" + statutes_id,
                           {{"body_md", "x"}, {"base_revision", 2}}, outsider.token),
               404, "not_found");
  expect_error(http().json("PUT", "/api/v1/pages/" + home_id,
                           {{"body_md", "x"}, {"base_revision", 1}}, outsider.token),
               403, "forbidden");
  expect_error(
      http().json("PUT", "/api/v1/pages/" + home_id,
                  {{"title", "Statuts"}, {"body_md", "x"}, {"base_revision", 1}}, bob.token),
      409, "page_title_taken");
  // Revisions and diffs; a visitor does not learn who wrote what.
  const auto revisions = http().get("/api/v1/pages/" + home_id + "/revisions").json()["items"];
  ASSERT_EQ(revisions.size(), 1u);
  EXPECT_TRUE(revisions[0]["author"].is_null());
  const auto members_revisions =
      http().json("GET", "/api/v1/pages/" + statutes_id + "/revisions", bob.token).json()["items"];
  ASSERT_EQ(members_revisions.size(), 2u);
  EXPECT_EQ(members_revisions[1]["author"]["id"], carol.id);
  const auto diff =
      http().json("GET", "/api/v1/pages/" + statutes_id + "/revisions/2/diff", bob.token).json();
  EXPECT_EQ(diff["unified"],
            "--- r1\n+++ r2\n@@ -1 +1 @@\n-Article premier.\n+Article premier, modifié.\n");
  expect_error(http().get("/api/v1/pages/" + statutes_id + "/revisions/2/diff"), 404, "not_found");
}

ESSOR_ON_EVERY_DATABASE(CoWritingTest);

}  // namespace
}  // namespace essor::testing
