// Spec "Courses (distance learning)": admins publish courses, lessons and
// quizzes; learners enrol, finish lessons, attempt quizzes (the right
// answers never sent before), follow their progress and get a certificate
// (read back from the PDF) once everything is done; trainers see every
// learner. Members-only courses stay hidden from strangers.
#include <set>

#include "core/time.hpp"
#include "store/database.hpp"
#include "support/test_server.hpp"

namespace essor::testing {
namespace {

using Json = nlohmann::json;

class CoursesTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (IsSkipped()) return;
    trainer = signup("trainer");
    member = signup("member");
    learner = signup("learner");
    outsider = signup("outsider");
    org_id = create_org(trainer.token, "Réseau des trésoriers");
    add_member(org_id, trainer.token, member, "member");
    create_org(outsider.token, "Autre réseau");
  }

  Json course(const std::string& visibility = "public") {
    auto res = http().json("POST", "/api/v1/orgs/" + org_id + "/courses",
                           {{"title", "Tenir la trésorerie d'une association"},
                            {"summary", "Budget, comptes, rapport financier."},
                            {"visibility", visibility}},
                           trainer.token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["course"];
  }

  std::string lesson(const std::string& course_id, const std::string& title, Json extra = {}) {
    Json body = {{"title", title}, {"body_md", "## " + title + "\n\nLe contenu."}};
    if (extra.is_object()) body.update(extra);
    auto res =
        http().json("POST", "/api/v1/courses/" + course_id + "/lessons", body, trainer.token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["lesson"]["id"];
  }

  static Json quiz() {
    return {{"questions", Json::array({{{"text", "Combien de temps garder un reçu fiscal ?"},
                                        {"choices", {"Un an", "Six ans", "Jamais"}},
                                        {"correct", {1}},
                                        {"multiple", false}},
                                       {{"text", "Qui approuve les comptes ?"},
                                        {"choices",
                                         {"L'assemblée générale", "Le trésorier seul",
                                          "Les adhérents réunis en AG"}},
                                        {"correct", {0, 2}},
                                        {"multiple", true}}})},
            {"pass_pct", 100}};
  }

  TestUser trainer, member, learner, outsider;
  std::string org_id;
};

// The catalogue reaches every course, by the API's cursor and by the
// page's links: both listed the newest 200 and no more. A members-only
// course of another organisation still appears on no page of it.
TEST_P(CoursesTest, TheCatalogueReachesEveryCourse) {
  const auto insert = [&](const std::string& org, const std::string& prefix, int count,
                          const std::string& visibility) {
    store::execute_for_tests(
        database_url(),
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
            std::to_string(count) +
            ") INSERT INTO courses (id, org_id, title, summary, visibility, "
            "created_by, created_at) SELECT '" +
            prefix + "' || i, '" + org + "', 'Formation ' || i, 'Résumé', '" + visibility + "', '" +
            trainer.id + "', i FROM n");
  };
  insert(org_id, "pub", 230, "public");
  const std::string hidden_org = create_org(learner.token, "Cercle fermé");
  insert(hidden_org, "hid", 5, "members");
  std::set<std::string> seen;
  auto first = http().json("GET", "/api/v1/courses?limit=200");
  ASSERT_EQ(first.status, 200) << first.body;
  const auto one = first.json();
  EXPECT_EQ(one["items"].size(), 200u);
  ASSERT_EQ(one["next"], "200");
  auto rest = http().json("GET", "/api/v1/courses?limit=200&cursor=200");
  const auto two = rest.json();
  EXPECT_EQ(two["items"].size(), 30u);
  EXPECT_TRUE(two["next"].is_null());
  for (const auto* body : {&one, &two})
    for (const auto& c : (*body)["items"]) seen.insert(c["id"].get<std::string>());
  EXPECT_EQ(seen.size(), 230u);
  for (const auto& id : seen) EXPECT_TRUE(id.starts_with("pub")) << id;
  // The page: 24 at a time.
  const auto cards = [](const std::string& html) { return occurrences(html, "<li><article><h3>"); };
  const auto page_one = http().get("/courses");
  EXPECT_EQ(cards(page_one.body), 24u);
  EXPECT_NE(page_one.body.find("href=\"/courses?page=2\" rel=\"next\""), std::string::npos);
  const auto last = http().get("/courses?page=10");
  EXPECT_EQ(cards(last.body), 14u);
  EXPECT_NE(last.body.find("Formation 1<"), std::string::npos);
  EXPECT_NE(last.body.find("href=\"/courses?page=9\" rel=\"prev\""), std::string::npos);
  EXPECT_EQ(last.body.find("rel=\"next\""), std::string::npos);
  EXPECT_EQ(last.body.find("/courses/hid"), std::string::npos);
}

TEST_P(CoursesTest, OnlyAdminsPublishCoursesLessonsAndQuizzes) {
  expect_error(
      http().json("POST", "/api/v1/orgs/" + org_id + "/courses",
                  {{"title", "x"}, {"summary", ""}, {"visibility", "public"}}, member.token),
      403, "forbidden");
  expect_error(
      http().json("POST", "/api/v1/orgs/" + org_id + "/courses",
                  {{"title", "x"}, {"summary", ""}, {"visibility", "public"}}, outsider.token),
      403, "forbidden");
  expect_error(
      http().json("POST", "/api/v1/orgs/" + org_id + "/courses",
                  {{"title", ""}, {"summary", ""}, {"visibility", "partout"}}, trainer.token),
      400, "validation_failed");
  const std::string id = course()["id"];
  expect_error(http().json("POST", "/api/v1/courses/" + id + "/lessons",
                           {{"title", "Intrus"}, {"body_md", ""}}, member.token),
               403, "forbidden");
  expect_error(
      http().json("POST", "/api/v1/courses/" + id + "/lessons",
                  {{"title", "Vidéo"}, {"body_md", ""}, {"video_url", "javascript:alert(1)"}},
                  trainer.token),
      400, "validation_failed");
  expect_error(
      http().json("POST", "/api/v1/courses/" + id + "/lessons",
                  {{"title", "Séance"}, {"body_md", ""}, {"event_id", "nope"}}, trainer.token),
      400, "validation_failed");
  const std::string first =
      lesson(id, "Le budget", {{"video_url", "https://www.youtube.com/watch?v=abc123XYZ"}});
  const auto read = http().get("/api/v1/lessons/" + first).json();
  EXPECT_EQ(read["lesson"]["video_embed_url"], "https://www.youtube-nocookie.com/embed/abc123XYZ");
  // Quizzes: a question without a right answer, an index out of range, two
  // right answers to a single-choice question are refused.
  auto bad = quiz();
  bad["questions"][0]["correct"] = Json::array();
  auto res = http().json("POST", "/api/v1/lessons/" + first + "/quiz", bad, trainer.token);
  expect_error(res, 400, "validation_failed");
  EXPECT_TRUE(res.json()["error"]["fields"].contains("questions[0].correct")) << res.body;
  bad = quiz();
  bad["questions"][1]["correct"] = {0, 7};
  expect_error(http().json("POST", "/api/v1/lessons/" + first + "/quiz", bad, trainer.token), 400,
               "validation_failed");
  bad = quiz();
  bad["questions"][0]["correct"] = {0, 1};
  expect_error(http().json("POST", "/api/v1/lessons/" + first + "/quiz", bad, trainer.token), 400,
               "validation_failed");
  bad = quiz();
  bad["pass_pct"] = 140;
  expect_error(http().json("POST", "/api/v1/lessons/" + first + "/quiz", bad, trainer.token), 400,
               "validation_failed");
  expect_error(http().json("POST", "/api/v1/lessons/" + first + "/quiz", quiz(), member.token), 403,
               "forbidden");
  EXPECT_TRUE(http().get("/api/v1/lessons/" + first).json()["quiz"].is_null());
  EXPECT_EQ(http().json("POST", "/api/v1/lessons/" + first + "/quiz", quiz(), trainer.token).status,
            201);
}

TEST_P(CoursesTest, ALearnerFollowsACourseToItsCertificate) {
  const std::string id = course()["id"];
  const std::string one = lesson(id, "Le budget prévisionnel");
  const std::string two = lesson(id, "Le rapport financier");
  ASSERT_EQ(http().json("POST", "/api/v1/lessons/" + two + "/quiz", quiz(), trainer.token).status,
            201);
  // The right answers are in nothing a learner (or a visitor) reads.
  for (const std::string& token : {std::string(), learner.token}) {
    const auto page = http().json("GET", "/api/v1/lessons/" + two, token);
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.body.find("\"correct\""), std::string::npos) << page.body;
  }
  // Before enrolling: no progress, no attempt, no certificate.
  expect_error(http().json("POST", "/api/v1/lessons/" + one + "/complete", learner.token), 409,
               "not_enrolled");
  expect_error(http().json("POST", "/api/v1/lessons/" + two + "/quiz/attempts",
                           {{"answers", {{1}, {0, 2}}}}, learner.token),
               409, "not_enrolled");
  ASSERT_EQ(http().json("POST", "/api/v1/courses/" + id + "/enrolments", learner.token).status,
            201);
  expect_error(http().json("POST", "/api/v1/courses/" + id + "/enrolments", learner.token), 409,
               "already_enrolled");
  expect_error(http().json("GET", "/api/v1/courses/" + id + "/certificate.pdf", learner.token), 409,
               "not_completed");
  auto progress = http().json("POST", "/api/v1/lessons/" + one + "/complete", learner.token);
  ASSERT_EQ(progress.status, 200);
  EXPECT_EQ(progress.json()["progress"]["lessons_done"], 1);
  ASSERT_EQ(http().json("POST", "/api/v1/lessons/" + two + "/complete", learner.token).status, 200);
  // Bad answers: not one per question, an index out of range.
  expect_error(http().json("POST", "/api/v1/lessons/" + two + "/quiz/attempts",
                           {{"answers", {{1}}}}, learner.token),
               400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/lessons/" + two + "/quiz/attempts",
                           {{"answers", {{5}, {0}}}}, learner.token),
               400, "validation_failed");
  expect_error(http().json("POST", "/api/v1/lessons/" + two + "/quiz/attempts",
                           {{"answers", "1,2"}}, learner.token),
               400, "validation_failed");
  const auto failed = http().json("POST", "/api/v1/lessons/" + two + "/quiz/attempts",
                                  {{"answers", {{1}, {0}}}}, learner.token);
  ASSERT_EQ(failed.status, 201) << failed.body;
  EXPECT_EQ(failed.json()["score_pct"], 50);
  EXPECT_EQ(failed.json()["passed"], false);
  EXPECT_EQ(failed.json()["right"], Json({true, false}));
  const auto status =
      http().json("GET", "/api/v1/courses/" + id + "/progress", learner.token).json();
  EXPECT_EQ(status["lessons_done"], 2);
  EXPECT_EQ(status["quizzes_passed"], 0);
  EXPECT_EQ(status["completed"], false);
  expect_error(http().json("GET", "/api/v1/courses/" + id + "/certificate.pdf", learner.token), 409,
               "not_completed");
  const auto passed = http().json("POST", "/api/v1/lessons/" + two + "/quiz/attempts",
                                  {{"answers", {{1}, {2, 0}}}}, learner.token);
  ASSERT_EQ(passed.status, 201);
  EXPECT_EQ(passed.json()["score_pct"], 100);
  EXPECT_EQ(passed.json()["passed"], true);
  EXPECT_EQ(passed.json()["progress"]["completed"], true);
  // Both attempts are recorded.
  EXPECT_EQ(http().json("GET", "/api/v1/lessons/" + two, learner.token).json()["attempts"].size(),
            2u);
  const auto pdf = http().json("GET", "/api/v1/courses/" + id + "/certificate.pdf", learner.token);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.header("content-type"), "application/pdf");
  const std::string text = pdf_text(pdf.body);
  EXPECT_NE(text.find("Certificat de réussite"), std::string::npos) << text;
  EXPECT_NE(text.find("learner"), std::string::npos) << text;  // the learner's display name
  EXPECT_NE(text.find("Tenir la trésorerie d'une association"), std::string::npos) << text;
  EXPECT_NE(text.find("Réseau des trésoriers"), std::string::npos) << text;
  const auto at = text.find("/certificates/");
  ASSERT_NE(at, std::string::npos) << text;
  std::string number = text.substr(at + 14);
  number = number.substr(0, number.find_first_of(" \n\r"));
  const auto verified = http().get("/api/v1/certificates/" + number);
  ASSERT_EQ(verified.status, 200) << number;
  EXPECT_EQ(verified.json()["certificate"]["course_id"], id);
  expect_error(http().get("/api/v1/certificates/nope"), 404, "not_found");
  // Another learner has no certificate from this one's.
  ASSERT_EQ(http().json("POST", "/api/v1/courses/" + id + "/enrolments", member.token).status, 201);
  expect_error(http().json("GET", "/api/v1/courses/" + id + "/certificate.pdf", member.token), 409,
               "not_completed");
}

TEST_P(CoursesTest, AMembersOnlyCourseIsHiddenFromStrangers) {
  const std::string id = course("members")["id"];
  const std::string one = lesson(id, "Réservé");
  expect_error(http().get("/api/v1/courses/" + id), 404, "not_found");
  expect_error(http().json("GET", "/api/v1/courses/" + id, outsider.token), 404, "not_found");
  expect_error(http().get("/api/v1/lessons/" + one), 404, "not_found");
  expect_error(http().json("POST", "/api/v1/courses/" + id + "/enrolments", outsider.token), 404,
               "not_found");
  expect_error(http().json("POST", "/api/v1/lessons/" + one + "/complete", outsider.token), 404,
               "not_found");
  const auto public_list = http().get("/api/v1/courses").json();
  for (const auto& item : public_list["items"]) EXPECT_NE(item["id"], id);
  bool listed = false;
  const auto members_list = http().json("GET", "/api/v1/courses", member.token).json();
  for (const auto& item : members_list["items"]) listed = listed || item["id"] == id;
  EXPECT_TRUE(listed);
  EXPECT_EQ(http().json("POST", "/api/v1/courses/" + id + "/enrolments", member.token).status, 201);
  expect_error(http().json("POST", "/api/v1/courses/" + id + "/enrolments"), 401,
               "unauthenticated");
}

TEST_P(CoursesTest, TrainersSeeEveryLearnersProgressAndExportIt) {
  const std::string id = course()["id"];
  const std::string one = lesson(id, "Un");
  lesson(id, "Deux");
  ASSERT_EQ(http().json("POST", "/api/v1/courses/" + id + "/enrolments", learner.token).status,
            201);
  ASSERT_EQ(http().json("POST", "/api/v1/courses/" + id + "/enrolments", member.token).status, 201);
  ASSERT_EQ(http().json("POST", "/api/v1/lessons/" + one + "/complete", learner.token).status, 200);
  expect_error(http().json("GET", "/api/v1/courses/" + id + "/learners", learner.token), 403,
               "forbidden");
  expect_error(http().json("GET", "/api/v1/courses/" + id + "/learners", member.token), 403,
               "forbidden");
  expect_error(http().json("GET", "/api/v1/courses/" + id + "/learners.csv", outsider.token), 403,
               "forbidden");
  const auto learners =
      http().json("GET", "/api/v1/courses/" + id + "/learners", trainer.token).json()["items"];
  ASSERT_EQ(learners.size(), 2u);
  const bool first = learners[0]["user_id"] == learner.id;
  const auto& done = learners[first ? 0 : 1];
  const auto& not_yet = learners[first ? 1 : 0];
  EXPECT_EQ(done["user_id"], learner.id);
  EXPECT_EQ(done["lessons_done"], 1);
  EXPECT_EQ(done["lessons_total"], 2);
  EXPECT_EQ(not_yet["user_id"], member.id);
  EXPECT_EQ(not_yet["lessons_done"], 0);
  const auto csv = http().json("GET", "/api/v1/courses/" + id + "/learners.csv", trainer.token);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("\"learner\",\"enrolled_at\",\"lessons_done\""), std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(",\"1\",\"2\",\"0\",\"0\",\"no\","), std::string::npos) << csv.body;
  expect_error(http().json("GET", "/api/v1/courses/" + id + "/learners.csv", member.token), 403,
               "forbidden");
}

// A lesson's PDFs: attached by the admins, read by whoever reads the lesson.
TEST_P(CoursesTest, LessonsCarryPdfDocumentsForTheirReaders) {
  const std::string open = course()["id"];
  const std::string lesson_id = lesson(open, "Le budget");
  const std::string pdf = "%PDF-1.4\n% un budget prévisionnel\n%%EOF\n";
  auto attach = [&](const std::string& name, const std::string& body, const std::string& token) {
    return http().request(
        "POST", "/api/v1/lessons/" + lesson_id + "/attachments?name=" + name, body,
        {{"Content-Type", "application/pdf"}, {"Authorization", "Bearer " + token}});
  };
  expect_error(attach("budget.pdf", pdf, member.token), 403, "forbidden");
  expect_error(attach("budget.pdf", "<html>not a pdf</html>", trainer.token), 400,
               "validation_failed");
  expect_error(attach("budget.exe", pdf, trainer.token), 400, "validation_failed");
  expect_error(attach("budget.pdf", "%PDF-" + std::string(5 * 1024 * 1024, 'x'), trainer.token),
               413, "payload_too_large");
  const auto attached = attach("budget.pdf", pdf, trainer.token);
  ASSERT_EQ(attached.status, 201) << attached.body;
  const std::string url = attached.json()["attachment"]["url"];
  const auto listed = http().get("/api/v1/lessons/" + lesson_id).json()["attachments"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["name"], "budget.pdf");
  const auto file = http().get(url);
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.header("content-type"), "application/pdf");
  EXPECT_EQ(file.body, pdf);
  // A members-only course's documents stay with its members.
  const std::string closed = course("members")["id"];
  const std::string hidden = lesson(closed, "Réservé");
  ASSERT_EQ(http()
                .request("POST", "/api/v1/lessons/" + hidden + "/attachments?name=interne.pdf", pdf,
                         {{"Authorization", "Bearer " + trainer.token}})
                .status,
            201);
  const std::string hidden_url =
      http().json("GET", "/api/v1/lessons/" + hidden, member.token).json()["attachments"][0]["url"];
  EXPECT_EQ(http().get(hidden_url).status, 404);
  EXPECT_EQ(http().get(hidden_url, {{"Cookie", "essor_session=" + outsider.token}}).status, 404);
  EXPECT_EQ(http().get(hidden_url, {{"Cookie", "essor_session=" + member.token}}).status, 200);
  // A document of one lesson is not served under another.
  const std::string other_lesson = lesson(open, "Autre");
  const std::string wrong = "/lessons/" + other_lesson + url.substr(url.find("/attachments/"));
  EXPECT_EQ(http().get(wrong).status, 404);
}

// GDPR: what a learner did is in their export, and goes with their account.
TEST_P(CoursesTest, ALearnersProgressIsInTheirExportAndLeavesWithThem) {
  const std::string id = course()["id"];
  const std::string one = lesson(id, "Un");
  ASSERT_EQ(http().json("POST", "/api/v1/lessons/" + one + "/quiz", quiz(), trainer.token).status,
            201);
  ASSERT_EQ(http().json("POST", "/api/v1/courses/" + id + "/enrolments", learner.token).status,
            201);
  ASSERT_EQ(http().json("POST", "/api/v1/lessons/" + one + "/complete", learner.token).status, 200);
  ASSERT_EQ(http()
                .json("POST", "/api/v1/lessons/" + one + "/quiz/attempts",
                      {{"answers", {{1}, {0, 2}}}}, learner.token)
                .status,
            201);
  const auto tables = http().json("GET", "/api/v1/me/export", learner.token).json()["tables"];
  EXPECT_EQ(tables["courses_followed"].size(), 1u);
  EXPECT_EQ(tables["lessons_done"].size(), 1u);
  EXPECT_EQ(tables["quiz_attempts"].size(), 1u);
  ASSERT_EQ(http().json("DELETE", "/api/v1/me", {{"password", kPassword}}, learner.token).status,
            204);
  const auto learners =
      http().json("GET", "/api/v1/courses/" + id + "/learners", trainer.token).json()["items"];
  EXPECT_TRUE(learners.empty()) << learners.dump();
}

ESSOR_ON_EVERY_DATABASE(CoursesTest);

}  // namespace
}  // namespace essor::testing
