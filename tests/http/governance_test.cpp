// Spec "Governance" on every database: proposals, one member one vote,
// replacement, proxies and their cap, closing, results, and the secrecy of
// secret ballots checked on the schema, the stored rows and every answer.
#include <algorithm>
#include <set>

#include "core/time.hpp"
#include "store/database.hpp"
#include "support/test_server.hpp"

namespace essor::testing {
namespace {

using Json = nlohmann::json;

class GovernanceTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (IsSkipped()) return;
    admin = signup("admin");
    for (const char* name : {"anna", "bruno", "chloe"}) members.push_back(signup(name));
    outsider = signup("outsider");
    org_id = create_org(admin.token, "Coopérative du Quartier");
    for (const auto& m : members) add_member(org_id, admin.token, m, "member");
  }

  std::string in_days(int days) const {
    return core::format_rfc3339(clock_->now() + static_cast<std::int64_t>(days) * 86'400'000);
  }

  Json propose(Json body, const std::string& token) {
    Json full = {{"title", "Adopter le budget 2027"},
                 {"body_md", "Le budget est en annexe."},
                 {"method", "majority"},
                 {"closes_at", in_days(7)}};
    full.update(body);
    auto res = http().json("POST", "/api/v1/orgs/" + org_id + "/proposals", full, token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["proposal"];
  }

  HttpResult vote(const std::string& id, const Json& body, const std::string& token) const {
    return http().json("POST", "/api/v1/proposals/" + id + "/votes", body, token);
  }

  // A page as a signed-in member sees it.
  std::string page(const std::string& path, const TestUser& who) const {
    auto res = http().get(path, {{"Cookie", "essor_session=" + who.token}});
    EXPECT_EQ(res.status, 200) << path;
    return res.body;
  }

  Json results(const std::string& id, const std::string& token) const {
    auto res = http().json("GET", "/api/v1/proposals/" + id + "/results", token);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.json();
  }

  TestUser admin, outsider;
  std::vector<TestUser> members;
  std::string org_id;
};

// Every comment of a proposal's discussion can be reached: the API's cursor
// oldest first, the page fifty at a time, newest first, read so by the
// store (it read the whole discussion for either).
TEST_P(GovernanceTest, EveryCommentOfAProposalCanBeReached) {
  const std::string id = propose(Json::object(), admin.token)["id"];
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2100) "
      "INSERT INTO comments (id, target_type, target_id, user_id, body, created_at) SELECT "
      "'c' || i, 'proposal', '" +
          id + "', '" + members[0].id + "', 'Commentaire ' || i, 1000 + i FROM n");
  std::vector<std::string> seen;
  for (const auto& c :
       every_item("/api/v1/proposals/" + id + "/comments?limit=200", members[1].token))
    seen.push_back(c["id"].get<std::string>());
  ASSERT_EQ(seen.size(), 2100u);
  EXPECT_EQ(seen.front(), "c1");
  EXPECT_EQ(seen.back(), "c2100");
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 2100u);
  expect_error(http().json("GET", "/api/v1/proposals/" + id + "/comments", outsider.token), 404,
               "not_found");
  // The page: the newest first, fifty, a link to older ones; the form to
  // write comes before them.
  const std::string path = "/proposals/" + id;
  const auto first = page(path, members[1]);
  EXPECT_EQ(occurrences(first, ">Commentaire "), 50u);
  EXPECT_LT(first.find("id=\"comment-body\""), first.find("Commentaire 2100<"));
  EXPECT_LT(first.find("Commentaire 2100<"), first.find("Commentaire 2099<"));
  EXPECT_EQ(first.find("Commentaire 2050<"), std::string::npos);
  EXPECT_NE(first.find("href=\"" + path + "?comments_page=2#discussion\" rel=\"next\""),
            std::string::npos);
  const auto last = page(path + "?comments_page=42", members[1]);
  EXPECT_EQ(occurrences(last, ">Commentaire "), 50u);
  EXPECT_LT(last.find("Commentaire 2<"), last.find("Commentaire 1<"));
  EXPECT_EQ(last.find("rel=\"next\""), std::string::npos);
  EXPECT_NE(last.find("rel=\"prev\""), std::string::npos);
}

// Every proposal of an organisation can be reached, by the API's cursor
// and by the links of the organisation's page: both read the latest 200
// proposals and no more.
TEST_P(GovernanceTest, EveryProposalOfAnOrganisationCanBeReached) {
  constexpr int kProposals = 205;
  for (int n = 0; n < kProposals; ++n) {
    propose({{"title", "Proposition " + std::to_string(n)}}, admin.token);
    clock_->advance(1000);  // one a second: newest first means something
  }
  const std::string list = "/api/v1/orgs/" + org_id + "/proposals?limit=200";
  std::set<std::string> seen;
  auto first = http().json("GET", list, members[0].token);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json()["items"].size(), 200u);
  ASSERT_EQ(first.json()["next"], "200");
  auto rest = http().json("GET", list + "&cursor=200", members[0].token);
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.json()["items"].size(), 5u);
  EXPECT_TRUE(rest.json()["next"].is_null());
  for (const auto* res : {&first, &rest}) {
    const auto body = res->json();
    for (const auto& p : body["items"]) seen.insert(p["id"].get<std::string>());
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kProposals));
  // The page: fifty at a time, newest first, with links between them.
  const std::string tab = "/orgs/" + org_id + "?tab=governance";
  const auto items = [](const std::string& html) {
    return occurrences(html, "<li><a href=\"/proposals/");
  };
  const std::string one = page(tab, members[0]);
  EXPECT_EQ(items(one), 50u);
  EXPECT_NE(one.find("Proposition 204"), std::string::npos);
  EXPECT_NE(one.find("href=\"" + tab + "&amp;page=2#proposals\" rel=\"next\""), std::string::npos);
  const std::string last = page(tab + "&page=5", members[0]);
  EXPECT_EQ(items(last), 5u);
  EXPECT_NE(last.find("Proposition 0<"), std::string::npos);
  EXPECT_NE(last.find("href=\"" + tab + "&amp;page=4#proposals\" rel=\"prev\""), std::string::npos);
  EXPECT_EQ(last.find("rel=\"next\""), std::string::npos);
  // Beyond the last page: nothing, and the way back.
  const std::string beyond = page(tab + "&page=6", members[0]);
  EXPECT_EQ(items(beyond), 0u);
  EXPECT_NE(beyond.find("rel=\"prev\""), std::string::npos);
  // A stranger still sees none of them.
  EXPECT_EQ(http().json("GET", list, outsider.token).status, 403);
}

TEST_P(GovernanceTest, OneMemberOneVoteReplacedByANewOneProxiesAndClosing) {
  const std::string id =
      propose({{"quorum_pct", 50}, {"threshold_pct", 50}}, members[0].token)["id"];
  // Outsiders see nothing.
  expect_error(http().json("GET", "/api/v1/proposals/" + id, outsider.token), 404, "not_found");
  expect_error(vote(id, {{"choice", "yes"}}, outsider.token), 404, "not_found");
  expect_error(vote(id, {{"choice", "maybe"}}, members[0].token), 400, "validation_failed");

  // Bruno gives his vote to Anna; Anna votes yes for both.
  ASSERT_EQ(http()
                .json("POST", "/api/v1/orgs/" + org_id + "/proxies",
                      {{"to_user_id", members[0].id}}, members[1].token)
                .status,
            201);
  ASSERT_EQ(vote(id, {{"choice", "yes"}}, members[0].token).status, 200);
  ASSERT_EQ(vote(id, {{"choice", "no"}}, members[2].token).status, 200);
  // Chloé changes her mind: the new vote replaces the first.
  ASSERT_EQ(vote(id, {{"choice", "yes"}}, members[2].token).status, 200);
  auto live = results(id, admin.token);
  EXPECT_EQ(live["status"], "open");
  EXPECT_TRUE(live["outcome"].is_null());
  EXPECT_EQ(live["eligible"], 4);
  EXPECT_EQ(live["voters"], 3);
  EXPECT_EQ(live["tally"]["yes"], 3);
  EXPECT_EQ(live["tally"]["no"], 0);

  // Bruno votes himself: that overrides his proxy for this proposal.
  ASSERT_EQ(vote(id, {{"choice", "no"}}, members[1].token).status, 200);
  live = results(id, admin.token);
  EXPECT_EQ(live["voters"], 3);
  EXPECT_EQ(live["tally"]["yes"], 2);
  EXPECT_EQ(live["tally"]["no"], 1);
  // Anna voting again does not take Bruno's own vote back.
  ASSERT_EQ(vote(id, {{"choice", "yes"}}, members[0].token).status, 200);
  EXPECT_EQ(results(id, admin.token)["tally"]["no"], 1);
  auto participants =
      http().json("GET", "/api/v1/proposals/" + id + "/participants", admin.token).json()["items"];
  ASSERT_EQ(participants.size(), 3u);
  // Each voter by name, in the order of names.
  std::vector<std::string> named;
  for (const auto& p : participants) {
    EXPECT_TRUE(p["by_proxy"].is_null());
    named.push_back(p["display_name"].get<std::string>() + " " + p["user_id"].get<std::string>());
  }
  EXPECT_EQ(named, (std::vector<std::string>{"anna " + members[0].id, "bruno " + members[1].id,
                                             "chloe " + members[2].id}));

  // The discussion thread: members write, outsiders see nothing.
  auto said = http().json("POST", "/api/v1/proposals/" + id + "/comments",
                          {{"body", "Et si on votait le budget par poste ?"}}, members[2].token);
  ASSERT_EQ(said.status, 201) << said.body;
  expect_error(http().json("POST", "/api/v1/proposals/" + id + "/comments", {{"body", "  "}},
                           members[2].token),
               400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/proposals/" + id + "/comments", {{"body", "Bonjour"}},
                           outsider.token),
               404, "not_found");
  const auto thread =
      http().json("GET", "/api/v1/proposals/" + id + "/comments", admin.token).json()["items"];
  ASSERT_EQ(thread.size(), 1u);
  EXPECT_EQ(thread[0]["body"], "Et si on votait le budget par poste ?");
  EXPECT_EQ(thread[0]["display_name"], "chloe");

  // Someone who joins after the opening may not vote on it.
  const auto late = signup("late");
  add_member(org_id, admin.token, late, "member");
  expect_error(vote(id, {{"choice", "yes"}}, late.token), 403, "forbidden");

  // Only admins close; nothing is accepted afterwards.
  expect_error(http().json("POST", "/api/v1/proposals/" + id + "/close", members[0].token), 403,
               "forbidden");
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + id + "/close", admin.token).status, 200);
  expect_error(vote(id, {{"choice", "no"}}, members[2].token), 409, "proposal_closed");
  expect_error(http().json("POST", "/api/v1/proposals/" + id + "/close", admin.token), 409,
               "proposal_closed");
  const auto final = results(id, members[2].token);
  EXPECT_EQ(final["status"], "closed");
  EXPECT_EQ(final["quorum_reached"], true);
  EXPECT_EQ(final["outcome"], "passed");  // 2 yes of 3 expressed
}

// The pages tell the truth about a ballot: nothing is chosen for the
// voter, a closed vote is not said to be changeable and shows when it
// closed, nobody voting is not a quorum reached, a proxy holder is told
// whom they vote for, and a proxy cannot be given back in a circle.
TEST_P(GovernanceTest, BallotPagesTellTheTruth) {
  const std::string judged = propose(
      {{"method", "majority_judgment"}, {"options", {"Jardin", "Four à pain"}}, {"quorum_pct", 0}},
      admin.token)["id"];
  const auto ballot = page("/proposals/" + judged, members[2]);
  EXPECT_NE(ballot.find("name=\"grade_"), std::string::npos);
  EXPECT_EQ(ballot.find(" checked"), std::string::npos) << "no grade is chosen for the voter";
  // Nobody voted: not "quorum atteint", even with a quorum of 0 %.
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + judged + "/close", admin.token).status, 200);
  const auto empty = page("/proposals/" + judged, admin);
  EXPECT_NE(empty.find("aucun votant"), std::string::npos);
  EXPECT_EQ(empty.find("quorum atteint"), std::string::npos);

  // Bruno gives his proxy to Anna: Anna's ballot names him, and Anna may
  // not give hers to Bruno (the select does not offer him).
  ASSERT_EQ(http()
                .json("POST", "/api/v1/orgs/" + org_id + "/proxies",
                      {{"to_user_id", members[0].id}}, members[1].token)
                .status,
            201);
  const std::string id = propose(Json::object(), admin.token)["id"];
  const auto annas = page("/proposals/" + id, members[0]);
  EXPECT_NE(annas.find("vous ont donné leur procuration : <strong>bruno</strong>"),
            std::string::npos)
      << annas;
  const auto org = page("/orgs/" + org_id + "?tab=governance", members[0]);
  EXPECT_EQ(org.find("<option value=\"" + members[1].id + "\""), std::string::npos);
  EXPECT_NE(org.find("<option value=\"" + members[2].id + "\""), std::string::npos);
  EXPECT_EQ(org.find("<option value=\"" + members[0].id + "\""), std::string::npos);

  // Anna votes; while open she may change it; once closed, she is told it
  // is closed, and the page shows when it closed.
  ASSERT_EQ(vote(id, {{"choice", "yes"}}, members[0].token).status, 200);
  EXPECT_NE(page("/proposals/" + id, members[0]).find("Vous pouvez le changer"), std::string::npos);
  clock_->advance(std::int64_t{3'600'000});
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + id + "/close", admin.token).status, 200);
  const auto closed = page("/proposals/" + id, members[0]);
  EXPECT_EQ(closed.find("Vous pouvez le changer"), std::string::npos);
  EXPECT_NE(closed.find("Le vote est clos."), std::string::npos);
  EXPECT_NE(closed.find("Clos le <time datetime=\"" + core::format_rfc3339(clock_->now())),
            std::string::npos)
      << closed;
  EXPECT_NE(page("/proposals/" + id, members[1])
                .find("Votre procuration a voté pour vous. Le vote est clos."),
            std::string::npos);
}

// Members hear of what concerns them: a new vote, a meeting called, a
// proxy received; the one who did it is not told of it.
TEST_P(GovernanceTest, MembersAreNotifiedOfVotesMeetingsAndProxies) {
  const auto kinds_of = [&](const TestUser& who) {
    std::vector<std::string> kinds;
    auto res = http().json("GET", "/api/v1/me/notifications", who.token);
    EXPECT_EQ(res.status, 200);
    const Json body = res.json();
    for (const auto& n : body["items"]) kinds.push_back(n["kind"]);
    return kinds;
  };
  const auto has = [](const std::vector<std::string>& kinds, const std::string& kind) {
    return std::count(kinds.begin(), kinds.end(), kind);
  };
  propose(Json::object(), admin.token);
  for (const auto& m : members) EXPECT_EQ(has(kinds_of(m), "proposal_opened"), 1) << m.email;
  EXPECT_EQ(has(kinds_of(admin), "proposal_opened"), 0);
  EXPECT_EQ(has(kinds_of(outsider), "proposal_opened"), 0);
  ASSERT_EQ(http()
                .json("POST", "/api/v1/orgs/" + org_id + "/assemblies",
                      {{"title", "Assemblée générale"},
                       {"place", "Salle des fêtes"},
                       {"held_at", in_days(10)},
                       {"quorum_pct", 25}},
                      admin.token)
                .status,
            201);
  EXPECT_EQ(has(kinds_of(members[2]), "assembly_called"), 1);
  ASSERT_EQ(http()
                .json("POST", "/api/v1/orgs/" + org_id + "/proxies",
                      {{"to_user_id", members[0].id}}, members[1].token)
                .status,
            201);
  EXPECT_EQ(has(kinds_of(members[0]), "proxy_received"), 1);
  EXPECT_EQ(has(kinds_of(members[2]), "proxy_received"), 0);
  // Worded in the reader's language, with the giver's name.
  auto res = http().json("GET", "/api/v1/me/notifications", members[0].token);
  EXPECT_NE(res.body.find("bruno vous a donné sa procuration"), std::string::npos) << res.body;
}

// A form's time field is blamed for a bad time, its date field for a bad
// date; nothing is created either way; a good one is read in Paris time.
TEST_P(GovernanceTest, ABadTimeIsTheTimeFieldsFault) {
  std::map<std::string, std::string> headers{
      {"Content-Type", "application/x-www-form-urlencoded"},
      {"Cookie", "essor_session=" + admin.token + "; essor_csrf=" + std::string(43, 'g')}};
  const std::string csrf = csrf_token_for(headers["Cookie"]);
  const std::string day = in_days(7).substr(0, 10);
  const auto post = [&](const std::string& date, const std::string& time) {
    return http().request("POST", "/orgs/" + org_id + "/proposals/new",
                          "_csrf=" + csrf + "&title=Horaires&body_md=Texte&method=majority" +
                              "&quorum=0&threshold=50&closes_on=" + date + "&closes_time=" + time,
                          headers);
  };
  auto bad_time = post(day, "25%3A99");
  ASSERT_EQ(bad_time.status, 400) << bad_time.body;
  EXPECT_NE(bad_time.body.find("aria-describedby=\"closes_time-error\""), std::string::npos);
  EXPECT_NE(bad_time.body.find("heure de clôture valide"), std::string::npos);
  EXPECT_EQ(bad_time.body.find("aria-describedby=\"closes-error\""), std::string::npos);
  auto bad_date = post("2027-02-30", "18%3A00");
  ASSERT_EQ(bad_date.status, 400);
  EXPECT_NE(bad_date.body.find("aria-describedby=\"closes-error\""), std::string::npos);
  EXPECT_EQ(bad_date.body.find("aria-describedby=\"closes_time-error\""), std::string::npos);
  EXPECT_EQ(http()
                .json("GET", "/api/v1/orgs/" + org_id + "/proposals", admin.token)
                .json()["items"]
                .size(),
            0u);
  auto good = post(day, "18%3A00");
  ASSERT_EQ(good.status, 303) << good.body;
  const auto list = http().json("GET", "/api/v1/orgs/" + org_id + "/proposals", admin.token).json();
  ASSERT_EQ(list["items"].size(), 1u);
  const auto closes = *core::parse_rfc3339(list["items"][0]["closes_at"].get<std::string>());
  EXPECT_EQ(core::paris_time(closes).hour, 18u);
  EXPECT_EQ(core::paris_time(closes).minute, 0u);
}

// A deadline holds from its very millisecond: the first reader after it
// finds the vote closed, without waiting for the scheduler's next round.
TEST_P(GovernanceTest, AVoteIsClosedForItsFirstReaderOnceItsTimeIsUp) {
  const Json secret = propose({{"secret", true}, {"closes_at", in_days(1)}}, admin.token);
  const std::string id = secret["id"];
  for (const auto& m : members) ASSERT_EQ(vote(id, {{"choice", "yes"}}, m.token).status, 200);
  auto budget = http().json("POST", "/api/v1/orgs/" + org_id + "/budgets",
                            {{"title", "Budget du quartier"},
                             {"envelope_cents", 5000},
                             {"closes_at", in_days(1)},
                             {"projects", {{{"title", "Composteur"}, {"cost_cents", 3000}}}}},
                            admin.token);
  ASSERT_EQ(budget.status, 201) << budget.body;
  const std::string budget_id = budget.json()["budget"]["id"];
  const std::string project = budget.json()["budget"]["projects"][0]["id"];
  ASSERT_EQ(http()
                .json("POST", "/api/v1/budgets/" + budget_id + "/votes", {{"approve", {project}}},
                      members[0].token)
                .status,
            200);

  clock_->advance(std::int64_t{86'400'000} - 1);
  expect_error(http().json("GET", "/api/v1/proposals/" + id + "/results", members[0].token), 409,
               "results_sealed");
  // An outsider's request, its time up, changes nothing and learns nothing.
  clock_->advance(1);
  expect_error(http().json("GET", "/api/v1/proposals/" + id, outsider.token), 404, "not_found");
  expect_error(http().json("GET", "/api/v1/proposals/" + id + "/results", outsider.token), 404,
               "not_found");
  expect_error(http().json("GET", "/api/v1/budgets/" + budget_id, outsider.token), 404,
               "not_found");
  // A member's: closed, the secret ballots opened and counted.
  const auto after = results(id, members[1].token);
  EXPECT_EQ(after["status"], "closed");
  EXPECT_EQ(after["voters"], 3);
  EXPECT_EQ(after["outcome"], "passed");
  const auto proposal = http().json("GET", "/api/v1/proposals/" + id, members[2].token).json();
  EXPECT_EQ(proposal["proposal"]["status"], "closed") << proposal.dump();
  EXPECT_EQ(proposal["proposal"]["closed_at"], core::format_rfc3339(clock_->now()));
  expect_error(vote(id, {{"choice", "no"}}, members[0].token), 409, "proposal_closed");
  const auto page_after = page("/proposals/" + id, members[0]);
  EXPECT_NE(page_after.find("Le vote est clos."), std::string::npos);
  // The budget the same way, an hour later: the organisation's page lists
  // it closed (nothing left for the scheduler) when its time was up, and
  // its results are final.
  const std::string budget_closes_at = budget.json()["budget"]["closes_at"];
  clock_->advance(3'600'000);
  (void)page("/orgs/" + org_id + "?tab=governance", members[1]);
  EXPECT_EQ(runtime_->budgets->close_due(), 0);
  const auto results_of_budget =
      http().json("GET", "/api/v1/budgets/" + budget_id, members[1].token).json();
  EXPECT_EQ(results_of_budget["budget"]["status"], "closed") << results_of_budget.dump();
  EXPECT_EQ(results_of_budget["budget"]["closed_at"], budget_closes_at);
  EXPECT_EQ(results_of_budget["voters"], 1);
  expect_error(http().json("POST", "/api/v1/budgets/" + budget_id + "/votes",
                           {{"approve", {project}}}, members[1].token),
               409, "budget_closed");
  // The scheduler finds no vote left to close either.
  EXPECT_EQ(runtime_->governance->close_due(), 0);
}

// An endpoint that reads no field still refuses a malformed body, and
// changes nothing.
TEST_P(GovernanceTest, AMalformedBodyClosesNothing) {
  const std::string id = propose(Json::object(), admin.token)["id"];
  const std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                                   {"Authorization", "Bearer " + admin.token}};
  for (const std::string body : {"{", "[]", "nul", "\"close\"", "  ", "{\"a\": }", "12"}) {
    expect_error(http().request("POST", "/api/v1/proposals/" + id + "/close", body, headers), 400,
                 "invalid_json");
  }
  const auto still = http().json("GET", "/api/v1/proposals/" + id, admin.token).json();
  EXPECT_EQ(still["proposal"]["status"], "open");
  // JSON's null is no body; unknown fields are ignored, as everywhere.
  const auto closed = http().request("POST", "/api/v1/proposals/" + id + "/close",
                                     "{\"why\": \"enough\"}", headers);
  EXPECT_EQ(closed.status, 200) << closed.body;
  const std::string other = propose(Json::object(), admin.token)["id"];
  const auto by_null =
      http().request("POST", "/api/v1/proposals/" + other + "/close", "null", headers);
  EXPECT_EQ(by_null.status, 200) << by_null.body;
}

TEST_P(GovernanceTest, QuorumCountsProxiesAndFailsBelowIt) {
  const std::string id = propose({{"quorum_pct", 75}}, admin.token)["id"];
  ASSERT_EQ(http()
                .json("POST", "/api/v1/orgs/" + org_id + "/proxies",
                      {{"to_user_id", members[0].id}}, members[1].token)
                .status,
            201);
  ASSERT_EQ(vote(id, {{"choice", "yes"}}, members[0].token).status, 200);
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + id + "/close", admin.token).status, 200);
  const auto below = results(id, admin.token);
  EXPECT_EQ(below["voters"], 2);  // Anna and Bruno by proxy
  EXPECT_EQ(below["quorum_reached"], false);
  EXPECT_EQ(below["outcome"], "rejected");

  const std::string reached = propose({{"quorum_pct", 75}}, admin.token)["id"];
  ASSERT_EQ(vote(reached, {{"choice", "yes"}}, members[0].token).status, 200);
  ASSERT_EQ(vote(reached, {{"choice", "no"}}, admin.token).status, 200);
  // The scheduler closes it when its time is up.
  clock_->advance(std::int64_t{8} * 86'400'000);
  EXPECT_GE(runtime_->governance->close_due(), 1);
  // Sessions outlive a week; three of four voted, yes 2 of 3.
  const auto after = results(reached, admin.token);
  EXPECT_EQ(after["status"], "closed");
  EXPECT_EQ(after["voters"], 3);
  EXPECT_EQ(after["quorum_reached"], true);
  EXPECT_EQ(after["outcome"], "passed");
}

TEST_P(GovernanceTest, ProxyCapChainsAndVisibility) {
  auto give = [&](const TestUser& from, const TestUser& to) {
    return http().json("POST", "/api/v1/orgs/" + org_id + "/proxies", {{"to_user_id", to.id}},
                       from.token);
  };
  EXPECT_EQ(give(members[0], admin).status, 201);
  EXPECT_EQ(give(members[1], admin).status, 201);
  expect_error(give(members[2], admin), 409, "proxy_cap_reached");
  // No chains: Anna gave hers, so nobody can give theirs to Anna, and
  // the admin, who holds proxies, cannot give his.
  expect_error(give(members[2], members[0]), 409, "proxy_chain");
  expect_error(give(admin, members[2]), 409, "proxy_chain");
  expect_error(give(members[2], members[2]), 400, "validation_failed");
  expect_error(give(members[2], outsider), 400, "validation_failed");
  // Admins see them; members do not.
  auto list = http().json("GET", "/api/v1/orgs/" + org_id + "/proxies", admin.token);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["items"].size(), 2u);
  expect_error(http().json("GET", "/api/v1/orgs/" + org_id + "/proxies", members[2].token), 403,
               "forbidden");
  // Taking one back frees a place.
  EXPECT_EQ(http().json("DELETE", "/api/v1/orgs/" + org_id + "/proxies", members[0].token).status,
            204);
  EXPECT_EQ(give(members[2], admin).status, 201);
}

TEST_P(GovernanceTest, ASecretBallotTellsNothingWithFewerThanThreeBallotsNorWhoVotedWhileOpen) {
  const std::string id = propose({{"method", "majority"}, {"secret", true}}, admin.token)["id"];
  ASSERT_EQ(vote(id, {{"choice", "yes"}}, members[0].token).status, 200);
  ASSERT_EQ(vote(id, {{"choice", "no"}}, members[1].token).status, 200);
  const auto participants = [&](const TestUser& who) {
    auto res = http().json("GET", "/api/v1/proposals/" + id + "/participants", who.token);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.json()["items"];
  };
  // While open, not even an admin sees who voted; a voter sees only themself.
  EXPECT_EQ(participants(admin).size(), 0u);
  ASSERT_EQ(participants(members[0]).size(), 1u);
  EXPECT_EQ(participants(members[0])[0]["user_id"], members[0].id);
  const std::map<std::string, std::string> as_admin{{"Cookie", "essor_session=" + admin.token}};
  const auto page = http().get("/proposals/" + id, as_admin);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("anna"), std::string::npos);
  EXPECT_EQ(page.body.find("bruno"), std::string::npos);
  // Closing right after two ballots reveals no tally and no outcome.
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + id + "/close", admin.token).status, 200);
  const auto r = results(id, admin.token);
  EXPECT_TRUE(r["outcome"].is_null()) << r.dump();
  EXPECT_TRUE(r["tally"].is_null()) << r.dump();
  EXPECT_EQ(r["withheld"], "too_few_ballots");
  EXPECT_EQ(r.dump().find("\"yes\""), std::string::npos);
  EXPECT_EQ(http().get("/proposals/" + id + "/results.csv", as_admin).status, 409);
  EXPECT_EQ(http().get("/proposals/" + id, as_admin).status, 200);
  // After closing, who took part is known (never what they chose).
  EXPECT_EQ(participants(admin).size(), 2u);
  // With three ballots, the results are published.
  const std::string three = propose({{"method", "majority"}, {"secret", true}}, admin.token)["id"];
  for (const auto* who : {&members[0], &members[1], &admin}) {
    ASSERT_EQ(vote(three, {{"choice", "yes"}}, who->token).status, 200);
  }
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + three + "/close", admin.token).status, 200);
  const auto published = results(three, admin.token);
  EXPECT_FALSE(published.contains("withheld"));
  EXPECT_EQ(published["tally"]["yes"], 3);
}

TEST_P(GovernanceTest, SecretBallotsCannotBeLinkedToVoters) {
  const auto proposal = propose({{"method", "majority_judgment"},
                                 {"secret", true},
                                 {"options", {"Salle des fêtes", "Tiers-lieu", "En ligne"}}},
                                admin.token);
  const std::string id = proposal["id"];
  const auto opt = [&](int idx) { return proposal["options"][idx]["id"].get<std::string>(); };
  expect_error(vote(id, {{"grades", {{opt(0), "great"}}}}, members[0].token), 400,
               "validation_failed");
  expect_error(vote(id, {{"grades", {{"nope", "good"}}}}, members[0].token), 400,
               "validation_failed");
  // Four voters (an even number): hand-computed below.
  const std::vector<std::vector<const char*>> grades = {{"good", "excellent", "poor"},
                                                        {"fair", "good", "good"},
                                                        {"very_good", "fair", "reject"},
                                                        {"good", "good", "fair"}};
  std::vector<TestUser> voters = {admin, members[0], members[1], members[2]};
  for (std::size_t v = 0; v < voters.size(); ++v) {
    Json g;
    for (int o = 0; o < 3; ++o) g[opt(o)] = grades[v][static_cast<std::size_t>(o)];
    ASSERT_EQ(vote(id, {{"grades", g}}, voters[v].token).status, 200);
  }
  // Sealed until closed.
  expect_error(http().json("GET", "/api/v1/proposals/" + id + "/results", admin.token), 409,
               "results_sealed");
  // Stored sealed too: while open, no ballot is a row of its own (a row
  // written by its voter's transaction could be paired with the register
  // entry beside it); each is sealed in its voter's entry, as text that
  // shows neither a grade nor a key.
  const bool pg = GetParam() == "postgresql";
  const std::string of_proposal = " WHERE proposal_id = '" + id + "'";
  EXPECT_EQ(store::query_for_tests(database_url(), "SELECT COUNT(*) FROM ballots" + of_proposal)
                .at(0)
                .at(0),
            "0");
  const auto sealed = store::query_for_tests(
      database_url(), "SELECT sealed_ballot FROM vote_register" + of_proposal);
  ASSERT_EQ(sealed.size(), 4u);
  for (const auto& row : sealed) {
    EXPECT_GT(row[0].size(), 60u);
    EXPECT_EQ(row[0].find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << row[0];
  }
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + id + "/close", admin.token).status, 200);
  // Closed: the ballots written out together by the closing, the sealed
  // copies forgotten. On PostgreSQL every row carries the transaction that
  // wrote it (xmin) and rows lie in the order they were written (ctid):
  // the ballots all carry the closing's and lie in the order of their keys.
  EXPECT_EQ(
      store::query_for_tests(database_url(), "SELECT COUNT(*) FROM vote_register" + of_proposal +
                                                 " AND sealed_ballot IS NOT NULL")
          .at(0)
          .at(0),
      "0");
  if (pg) {
    const auto writers = store::query_for_tests(
        database_url(), "SELECT DISTINCT xmin::text FROM ballots" + of_proposal);
    // (Before, each carried its voter's, shared with their register entry.)
    ASSERT_EQ(writers.size(), 1u) << "one transaction wrote them all";
    const auto by_place = store::query_for_tests(
        database_url(), "SELECT ballot_key FROM ballots" + of_proposal + " ORDER BY ctid");
    const auto by_key = store::query_for_tests(
        database_url(), "SELECT ballot_key FROM ballots" + of_proposal + " ORDER BY ballot_key");
    EXPECT_EQ(by_place, by_key);
  }
  const auto r = results(id, members[0].token);
  // Salle: fair, good, good, very_good → lower median good (1 above, 1
  // below). Tiers-lieu: fair, good, good, excellent → good (1 above, 1
  // below); tie; remove a "good": Salle fair, good, very_good (good, tie
  // again); remove: Salle fair, very_good → fair; Tiers-lieu fair,
  // excellent → fair; tie; remove: very_good vs excellent: Tiers-lieu wins.
  EXPECT_EQ(r["outcome"]["name"], "Tiers-lieu");
  EXPECT_EQ(r["tally"][0]["option"]["name"], "Tiers-lieu");
  EXPECT_EQ(r["tally"][1]["option"]["name"], "Salle des fêtes");
  EXPECT_EQ(r["tally"][2]["option"]["name"], "En ligne");
  EXPECT_EQ(r["tally"][0]["majority_grade"], "good");
  EXPECT_EQ(r["tally"][2]["grades"]["reject"], 1);

  // Participation can be checked …
  const auto participants =
      http().json("GET", "/api/v1/proposals/" + id + "/participants", members[1].token);
  EXPECT_EQ(participants.json()["items"].size(), 4u);
  // … but no answer carries a voter next to a choice.
  for (const auto& body :
       {r.dump(), http().json("GET", "/api/v1/proposals/" + id, admin.token).body}) {
    for (const auto& v : voters) EXPECT_EQ(body.find(v.id), std::string::npos);
  }
  // Nor does the CSV export of the results.
  const std::map<std::string, std::string> cookie{{"Cookie", "essor_session=" + admin.token}};
  const auto csv = http().get("/proposals/" + id + "/results.csv", cookie);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("Tiers-lieu"), std::string::npos);
  for (const auto& v : voters) EXPECT_EQ(csv.body.find(v.id), std::string::npos);
  for (const char* name : {"admin@", "anna", "bruno", "chloe"})
    EXPECT_EQ(csv.body.find(name), std::string::npos);
  // The page's results table names each count by its grade, so that on a
  // phone (one card per option) "1" still says what it counts.
  const auto page = http().get("/proposals/" + id, cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<table class=\"stack\">"), std::string::npos);
  EXPECT_NE(page.body.find("<td data-label=\"À rejeter\">1</td>"), std::string::npos);
  EXPECT_NE(page.body.find("<td data-label=\"Choix\">Tiers-lieu</td>"), std::string::npos)
      << page.body.substr(page.body.find("<table class"), 1500);
  // The schema: ballots hold the proposal, a key and the choice, nothing
  // else: no voter, no time, no sequence.
  const auto columns = store::query_for_tests(
      database_url(), pg ? "SELECT column_name FROM information_schema.columns WHERE table_name "
                           "= 'ballots' AND table_schema = current_schema() ORDER BY column_name"
                         : "SELECT name FROM pragma_table_info('ballots') ORDER BY name");
  std::set<std::string> names;
  for (const auto& row : columns) names.insert(row[0]);
  EXPECT_EQ(names, (std::set<std::string>{"ballot_key", "choice", "proposal_id"}));
  if (!pg) {
    EXPECT_ANY_THROW(store::execute_for_tests(database_url(), "SELECT rowid FROM ballots"))
        << "a rowid would give the order of arrival";
  }
  // The stored rows: keys are keyed hashes, unrelated to the voters' ids,
  // and ordered by key.
  const auto rows = store::query_for_tests(
      database_url(), "SELECT ballot_key, choice FROM ballots WHERE proposal_id = '" + id + "'");
  ASSERT_EQ(rows.size(), 4u);
  for (const auto& row : rows) {
    EXPECT_EQ(row[0].size(), 64u);
    for (const auto& v : voters) EXPECT_EQ(row[0].find(v.id), std::string::npos);
  }
  // The register says who voted and nothing about when or what.
  const auto register_columns = store::query_for_tests(
      database_url(), pg ? "SELECT column_name FROM information_schema.columns WHERE table_name "
                           "= 'vote_register' AND table_schema = current_schema() ORDER BY "
                           "column_name"
                         : "SELECT name FROM pragma_table_info('vote_register') ORDER BY name");
  std::set<std::string> register_names;
  for (const auto& row : register_columns) register_names.insert(row[0]);
  EXPECT_EQ(register_names,
            (std::set<std::string>{"proposal_id", "sealed_ballot", "user_id", "via_user_id"}));
}

TEST_P(GovernanceTest, ApprovalConsentAndValidation) {
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/proposals",
                           {{"title", "x"}, {"method", "plurality"}, {"closes_at", in_days(3)}},
                           admin.token),
               400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/proposals",
                           {{"title", "x"},
                            {"method", "approval"},
                            {"options", {"seule"}},
                            {"closes_at", in_days(3)}},
                           admin.token),
               400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/proposals",
                           {{"title", "x"}, {"method", "majority"}, {"closes_at", in_days(-1)}},
                           admin.token),
               400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/proposals",
                           {{"title", "x"}, {"method", "majority"}, {"closes_at", in_days(3)}},
                           outsider.token),
               403, "forbidden");

  const auto approval =
      propose({{"method", "approval"}, {"options", {"Lundi", "Mardi", "Jeudi"}}}, admin.token);
  const std::string aid = approval["id"];
  const auto day = [&](int idx) { return approval["options"][idx]["id"].get<std::string>(); };
  ASSERT_EQ(vote(aid, {{"approve", {day(0), day(2)}}}, admin.token).status, 200);
  ASSERT_EQ(vote(aid, {{"approve", {day(2)}}}, members[0].token).status, 200);
  ASSERT_EQ(vote(aid, {{"approve", {day(1), day(2)}}}, members[1].token).status, 200);
  expect_error(vote(aid, {{"approve", {"x"}}}, members[2].token), 400, "validation_failed");
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + aid + "/close", admin.token).status, 200);
  const auto ar = results(aid, admin.token);
  EXPECT_EQ(ar["outcome"]["name"], "Jeudi");
  EXPECT_EQ(ar["tally"][0]["approvals"], 3);

  const std::string cid = propose({{"method", "consent"}}, admin.token)["id"];
  expect_error(vote(cid, {{"choice", "object"}}, members[0].token), 400, "validation_failed");
  ASSERT_EQ(vote(cid, {{"choice", "consent"}}, admin.token).status, 200);
  ASSERT_EQ(
      vote(cid, {{"choice", "object"}, {"reason", "Le coût n'est pas chiffré."}}, members[0].token)
          .status,
      200);
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + cid + "/close", admin.token).status, 200);
  const auto cr = results(cid, admin.token);
  EXPECT_EQ(cr["outcome"], "rejected");
  EXPECT_EQ(cr["tally"]["objections"][0], "Le coût n'est pas chiffré.");
}

TEST_P(GovernanceTest, GeneralAssemblyFromAgendaToMinutes) {
  const std::string vote_id = propose({{"title", "Approuver les comptes 2026"}}, admin.token)["id"];
  // Only admins call an assembly.
  const Json body = {{"title", "Assemblée générale ordinaire"},
                     {"place", "Salle des fêtes de Plouguerneau"},
                     {"held_at", in_days(3)},
                     {"quorum_pct", 75}};
  expect_error(
      http().json("POST", "/api/v1/orgs/" + org_id + "/assemblies", body, members[0].token), 403,
      "forbidden");
  auto created = http().json("POST", "/api/v1/orgs/" + org_id + "/assemblies", body, admin.token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["assembly"]["id"];
  auto agenda = http().json("POST", "/api/v1/assemblies/" + id + "/agenda",
                            {{"proposal_id", vote_id}}, admin.token);
  ASSERT_EQ(agenda.status, 200) << agenda.body;
  expect_error(http().json("POST", "/api/v1/assemblies/" + id + "/agenda",
                           {{"proposal_id", vote_id}}, admin.token),
               409, "already_on_agenda");

  auto attend = [&](const TestUser& who, const std::string& mode, const std::string& by = "") {
    Json b = {{"user_id", who.id}, {"mode", mode}};
    if (!by.empty()) b["represented_by"] = by;
    return http().json("PUT", "/api/v1/assemblies/" + id + "/attendance", b, admin.token);
  };
  ASSERT_EQ(attend(admin, "present").status, 200);
  ASSERT_EQ(attend(members[0], "present").status, 200);
  // Represented by someone who is not there: refused.
  expect_error(attend(members[1], "represented", members[2].id), 400, "validation_failed");
  auto represented = attend(members[1], "represented", members[0].id);
  ASSERT_EQ(represented.status, 200) << represented.body;
  // Quorum counts the present and the represented: 3 of 4 = 75%.
  EXPECT_EQ(represented.json()["present"], 2);
  EXPECT_EQ(represented.json()["represented"], 1);
  EXPECT_EQ(represented.json()["quorum_reached"], true);
  // The page shows each member's current attendance: Bruno's select says
  // who represents him, and nobody is offered as their own representative.
  {
    const auto page = http().get("/assemblies/" + id, {{"Cookie", "essor_session=" + admin.token}});
    ASSERT_EQ(page.status, 200);
    const auto bruno = page.body.find("id=\"by-" + members[1].id + "\"");
    ASSERT_NE(bruno, std::string::npos);
    const auto bruno_select = page.body.substr(bruno, page.body.find("</select>", bruno) - bruno);
    EXPECT_NE(bruno_select.find("value=\"" + members[0].id + "\" selected"), std::string::npos)
        << bruno_select;
    const auto anna = page.body.find("id=\"by-" + members[0].id + "\"");
    const auto anna_select = page.body.substr(anna, page.body.find("</select>", anna) - anna);
    EXPECT_EQ(anna_select.find("value=\"" + members[0].id + "\""), std::string::npos);
    // Chloé, not recorded yet, is shown absent, not present.
    const auto chloe = page.body.find("id=\"mode-" + members[2].id + "\"");
    const auto chloe_select = page.body.substr(chloe, page.body.find("</select>", chloe) - chloe);
    EXPECT_EQ(chloe_select.find("value=\"present\" selected"), std::string::npos) << chloe_select;
    EXPECT_NE(chloe_select.find("value=\"absent\" selected"), std::string::npos) << chloe_select;
  }
  // A mode that is not one: 400, nothing recorded.
  expect_error(attend(members[2], "excused"), 400, "validation_failed");
  // Anna represents Bruno: she cannot be marked absent.
  expect_error(attend(members[0], "absent"), 409, "represents_others");
  // Within the proxy cap (2): a second is fine, a third is not.
  const auto d = signup("dora");
  const auto e = signup("emile");
  add_member(org_id, admin.token, d, "member");
  add_member(org_id, admin.token, e, "member");
  ASSERT_EQ(attend(members[2], "represented", members[0].id).status, 200);
  expect_error(attend(d, "represented", members[0].id), 409, "proxy_cap_reached");
  // Six members now, four counted: 67% < 75%; Dora arrives: 83%.
  auto state = http().json("GET", "/api/v1/assemblies/" + id, members[2].token).json();
  EXPECT_EQ(state["members"], 6);
  EXPECT_EQ(state["quorum_reached"], false);
  ASSERT_EQ(attend(d, "present").status, 200);
  state = http().json("GET", "/api/v1/assemblies/" + id, members[2].token).json();
  EXPECT_EQ(state["present"], 3);
  EXPECT_EQ(state["quorum_reached"], true);
  expect_error(http().json("GET", "/api/v1/assemblies/" + id, outsider.token), 404, "not_found");

  // The vote, then the minutes: attendance and results.
  ASSERT_EQ(vote(vote_id, {{"choice", "yes"}}, members[0].token).status, 200);
  ASSERT_EQ(vote(vote_id, {{"choice", "yes"}}, admin.token).status, 200);
  ASSERT_EQ(http().json("POST", "/api/v1/proposals/" + vote_id + "/close", admin.token).status,
            200);
  const std::map<std::string, std::string> cookie{{"Cookie", "essor_session=" + admin.token},
                                                  {"Accept-Language", "fr"}};
  // The chair and the secretary: admins name two different members.
  const std::string officers = "/api/v1/assemblies/" + id + "/officers";
  expect_error(http().json("PUT", officers, {{"chair_user_id", admin.id}}, members[0].token), 403,
               "forbidden");
  expect_error(http().json("PUT", officers, {{"chair_user_id", admin.id}}, outsider.token), 404,
               "not_found");
  expect_error(http().json("PUT", officers, {{"chair_user_id", outsider.id}}, admin.token), 400,
               "validation_failed");
  expect_error(
      http().json("PUT", officers, {{"chair_user_id", admin.id}, {"secretary_user_id", admin.id}},
                  admin.token),
      400, "validation_failed");
  expect_error(http().json("PUT", officers, {{"chair_user_id", 12}}, admin.token), 400,
               "validation_failed");
  EXPECT_TRUE(http()
                  .json("GET", "/api/v1/assemblies/" + id, admin.token)
                  .json()["assembly"]["chair_user_id"]
                  .is_null())
      << "nothing changed";
  auto named =
      http().json("PUT", officers,
                  {{"chair_user_id", admin.id}, {"secretary_user_id", members[2].id}}, admin.token);
  ASSERT_EQ(named.status, 200) << named.body;
  EXPECT_EQ(named.json()["assembly"]["chair_user_id"], admin.id);
  EXPECT_EQ(named.json()["assembly"]["secretary_user_id"], members[2].id);
  // No minutes before the meeting is held.
  EXPECT_EQ(http().get("/assemblies/" + id + "/minutes.md", cookie).status, 409);
  EXPECT_NE(http().get("/assemblies/" + id, cookie).body.find("Le procès-verbal pourra être"),
            std::string::npos);
  clock_->advance(std::int64_t{4} * 86'400'000);
  auto md = http().get("/assemblies/" + id + "/minutes.md", cookie);
  ASSERT_EQ(md.status, 200);
  // A decision is a paragraph of its own, not the end of the list above it.
  EXPECT_NE(md.body.find("\n\nDécision : Adoptée"), std::string::npos) << md.body;
  EXPECT_EQ(md.body.find(" UTC"), std::string::npos) << md.body;
  EXPECT_NE(md.body.find("Président·e de séance : admin · Secrétaire de séance : chloe"),
            std::string::npos)
      << md.body;
  EXPECT_NE(md.body.find("## Signatures"), std::string::npos);
  EXPECT_NE(md.body.find("# Procès-verbal · Assemblée générale ordinaire"), std::string::npos)
      << md.body;
  EXPECT_NE(md.body.find("Salle des fêtes de Plouguerneau"), std::string::npos);
  EXPECT_NE(md.body.find("représenté·e par"), std::string::npos);
  EXPECT_NE(md.body.find("### 1. Approuver les comptes 2026"), std::string::npos);
  EXPECT_NE(md.body.find("Décision : Adoptée"), std::string::npos);
  EXPECT_NE(md.body.find("Pour : 2"), std::string::npos);
  auto pdf = http().get("/assemblies/" + id + "/minutes.pdf", cookie);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  auto page = http().get("/assemblies/" + id, cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(
      http().get("/orgs/" + org_id + "?tab=governance", cookie).body.find("/assemblies/" + id),
      std::string::npos)
      << "the organisation's page lists its assemblies";
  EXPECT_NE(page.body.find("Approuver les comptes 2026"), std::string::npos);
}

TEST_P(GovernanceTest, ParticipatoryBudgetBothAllocationsWithReasons) {
  // Ten voters: six want the three garden projects, four the repair café.
  std::vector<TestUser> voters = {admin, members[0], members[1], members[2]};
  for (int n = 0; n < 6; ++n) {
    voters.push_back(signup("voter" + std::to_string(n)));
    add_member(org_id, admin.token, voters.back(), "member");
  }
  const Json body = {{"title", "Budget du quartier 2027"},
                     {"description", "Cent euros à partager."},
                     {"envelope_cents", 10000},
                     {"closes_at", in_days(10)},
                     {"projects",
                      {{{"title", "Bacs potagers"}, {"cost_cents", 3000}},
                       {{"title", "Composteur"}, {"cost_cents", 3000}},
                       {{"title", "Récupérateur d'eau"}, {"cost_cents", 3000}},
                       {{"title", "Café réparation"}, {"cost_cents", 4000}}}}};
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/budgets", body, members[0].token),
               403, "forbidden");
  Json too_dear = body;
  too_dear["projects"][0]["cost_cents"] = 10001;
  expect_error(http().json("POST", "/api/v1/orgs/" + org_id + "/budgets", too_dear, admin.token),
               400, "validation_failed");
  auto created = http().json("POST", "/api/v1/orgs/" + org_id + "/budgets", body, admin.token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["budget"]["id"];
  const auto projects = created.json()["budget"]["projects"];
  const auto pid = [&](int idx) { return projects[idx]["id"].get<std::string>(); };
  expect_error(http().json("POST", "/api/v1/budgets/" + id + "/votes", {{"approve", {"x"}}},
                           voters[0].token),
               400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/budgets/" + id + "/votes", {{"approve", {pid(0)}}},
                           outsider.token),
               404, "not_found");
  for (std::size_t v = 0; v < voters.size(); ++v) {
    const Json approve = v < 6 ? Json{pid(0), pid(1), pid(2)} : Json{pid(3)};
    ASSERT_EQ(http()
                  .json("POST", "/api/v1/budgets/" + id + "/votes", {{"approve", approve}},
                        voters[v].token)
                  .status,
              200);
  }
  // A new ballot replaces the earlier one.
  ASSERT_EQ(http()
                .json("POST", "/api/v1/budgets/" + id + "/votes", {{"approve", {pid(3)}}},
                      voters[9].token)
                .status,
            200);
  ASSERT_EQ(http().json("POST", "/api/v1/budgets/" + id + "/close", admin.token).status, 200);
  expect_error(http().json("POST", "/api/v1/budgets/" + id + "/votes", {{"approve", {pid(0)}}},
                           voters[0].token),
               409, "budget_closed");
  const auto r = http().json("GET", "/api/v1/budgets/" + id, members[0].token).json();
  EXPECT_EQ(r["voters"], 10);
  const auto& res = r["results"];
  EXPECT_EQ(res[0]["votes"], 6);
  EXPECT_EQ(res[3]["votes"], 4);
  // Greedy: the three garden projects (most votes), the café no longer fits.
  EXPECT_TRUE(res[0]["greedy"]["funded"].get<bool>());
  EXPECT_TRUE(res[2]["greedy"]["funded"].get<bool>());
  EXPECT_FALSE(res[3]["greedy"]["funded"].get<bool>());
  EXPECT_EQ(res[3]["greedy"]["reason"], "too_expensive_left");
  EXPECT_EQ(res[3]["greedy"]["available_cents"], 1000);
  // Equal shares: the four café voters' €40 pays for it.
  EXPECT_TRUE(res[0]["equal_shares"]["funded"].get<bool>());
  EXPECT_TRUE(res[1]["equal_shares"]["funded"].get<bool>());
  EXPECT_FALSE(res[2]["equal_shares"]["funded"].get<bool>());
  EXPECT_EQ(res[2]["equal_shares"]["reason"], "supporters_ran_short");
  EXPECT_TRUE(res[3]["equal_shares"]["funded"].get<bool>());
  EXPECT_EQ(r["equal_shares_spent_cents"], 10000);
  // The page explains each outcome.
  auto page = http().get("/budgets/" + id,
                         {{"Cookie", "essor_session=" + admin.token}, {"Accept-Language", "en"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Not chosen: the envelope had only"), std::string::npos);
  EXPECT_NE(page.body.find("Not chosen: its supporters had only"), std::string::npos);
  // It says which result counts, and draws the votes (with their table).
  EXPECT_NE(page.body.find("The result that counts is equal shares"), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  EXPECT_NE(page.body.find("<rect"), std::string::npos);
  EXPECT_NE(page.body.find("each supporter paid at most"), std::string::npos);
  EXPECT_NE(
      http()
          .get("/orgs/" + org_id + "?tab=governance", {{"Cookie", "essor_session=" + admin.token}})
          .body.find("/budgets/" + id),
      std::string::npos)
      << "the organisation's page lists its budgets";
}

ESSOR_ON_EVERY_DATABASE(GovernanceTest);

}  // namespace
}  // namespace essor::testing
