// JSON API, spec "Courses (distance learning)", plus the reads of
// docs/api.md (lists, a course with its lessons, a lesson with its quiz,
// certificates' verification). The certificate PDF is served at the pages'
// address too, for the signed-in learner.
#include "core/course.hpp"
#include "core/image.hpp"
#include "core/time.hpp"
#include "web/csv.hpp"
#include "web/json_api.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

Json course_json(const app::CourseRecord& c) {
  return Json{{"id", c.id},
              {"org_id", c.org_id},
              {"org_name", c.org_name},
              {"title", c.title},
              {"summary", c.summary},
              {"visibility", core::to_string(c.visibility)},
              {"lessons_count", c.lessons_count},
              {"created_at", core::format_rfc3339(c.created_at)}};
}

Json progress_json(const app::CourseProgress& p) {
  return Json{{"lessons_done", p.lessons_done},
              {"lessons_total", p.lessons_total},
              {"quizzes_passed", p.quizzes_passed},
              {"quizzes_total", p.quizzes_total},
              {"completed", p.completed}};
}

namespace {

Json lesson_json(const app::LessonRecord& l) {
  const auto embed = l.video_url ? core::video_embed_url(*l.video_url) : std::nullopt;
  return Json{{"id", l.id},
              {"course_id", l.course_id},
              {"title", l.title},
              {"body_md", l.body_md},
              {"video_url", l.video_url ? Json(*l.video_url) : Json()},
              {"video_embed_url", embed ? Json(*embed) : Json()},
              {"position", l.position},
              {"event_id", l.event_id ? Json(*l.event_id) : Json()},
              {"has_quiz", l.has_quiz}};
}

// The right answers only for those who teach the course.
Json quiz_json(const app::QuizRecord& quiz, bool with_answers) {
  Json questions = Json::array();
  for (const auto& q : quiz.questions) {
    Json item = {{"text", q.text}, {"choices", q.choices}, {"multiple", q.multiple}};
    if (with_answers) item["correct"] = q.correct;
    questions.push_back(item);
  }
  return Json{{"questions", questions}, {"pass_pct", quiz.pass_pct}};
}

Json attempt_json(const app::AttemptRecord& a) {
  return Json{{"id", a.id},
              {"score_pct", a.score_pct},
              {"passed", a.passed},
              {"created_at", core::format_rfc3339(a.created_at)}};
}

// A list of small indexes, or nothing (the problem told).
std::optional<std::vector<int>> index_list(const Json& value, std::size_t max) {
  if (!value.is_array() || value.size() > max) return std::nullopt;
  std::vector<int> out;
  for (const auto& item : value) {
    if (!item.is_number_integer()) return std::nullopt;
    const auto n = item.get<std::int64_t>();
    if (n < -1000 || n > 1000) return std::nullopt;
    out.push_back(static_cast<int>(n));
  }
  return out;
}

std::vector<core::QuizQuestion> quiz_questions(const Json& body,
                                               std::map<std::string, std::string>& problems) {
  std::vector<core::QuizQuestion> out;
  const auto it = body.find("questions");
  if (it == body.end() || !it->is_array()) {
    problems["questions"] = "required: a list of questions";
    return out;
  }
  if (it->size() > core::kMaxQuizQuestions) {
    problems["questions"] = "at most " + std::to_string(core::kMaxQuizQuestions) + " questions";
    return out;
  }
  for (std::size_t k = 0; k < it->size(); ++k) {
    const auto& item = (*it)[k];
    const std::string at = "questions[" + std::to_string(k) + "]";
    if (!item.is_object()) {
      problems[at] = "must be {text, choices, correct, multiple}";
      continue;
    }
    core::QuizQuestion question;
    question.text = string_field(item, "text", problems).value.value_or("");
    if (problems.count("text")) problems[at + ".text"] = problems["text"], problems.erase("text");
    const auto choices = item.find("choices");
    if (choices == item.end() || !choices->is_array() || choices->size() > core::kMaxQuizChoices ||
        std::any_of(choices->begin(), choices->end(), [](const Json& c) { return !c.is_string(); }))
      problems[at + ".choices"] = "must be a list of at most 10 texts";
    else
      question.choices = choices->get<std::vector<std::string>>();
    const auto correct = item.find("correct");
    auto indexes = correct == item.end() ? std::nullopt : index_list(*correct, 10);
    if (!indexes)
      problems[at + ".correct"] = "must be a list of the right choices' indexes";
    else
      question.correct = *indexes;
    if (auto multiple = item.find("multiple"); multiple != item.end() && !multiple->is_null()) {
      if (multiple->is_boolean())
        question.multiple = multiple->get<bool>();
      else
        problems[at + ".multiple"] = "must be true or false";
    }
    out.push_back(std::move(question));
  }
  return out;
}

Response certificate_pdf(Services& services, Request& request) {
  auto who = reader_of(services, request);
  if (!who) return document_failure(services, request, core::Error::unauthenticated());
  auto certificate = services.courses.certificate(*who, request.id<core::CourseId>());
  if (!certificate) return document_failure(services, request, certificate.error());
  const std::string lang = negotiate_language(request);
  const auto& c = *certificate;
  const std::map<std::string, std::string> params = {
      {"name", c.learner_name},
      {"course", c.course_title},
      {"org", c.org_name},
      {"date", date_text(lang, c.issued_at)},
      {"url", services.options.public_url + "/certificates/" + c.id}};
  auto say = [&](const char* key) { return fill_placeholders(translate(lang, key), params); };
  app::PlainDocument doc;
  doc.title = say("certificate_title");
  doc.paragraphs = {say("certificate_line_learner"), say("certificate_line_course"),
                    say("certificate_line_date")};
  doc.notes = {say("certificate_line_verify")};
  Response response;
  response.status = 200;
  response.content_type = "application/pdf";
  response.body = services.pdf.pdf(doc);
  response.header("Content-Disposition", "inline; filename=\"certificat-" + c.id + ".pdf\"");
  response.header("Cache-Control", "no-store");
  return response;
}

Json attachment_json(const app::AttachmentRecord& a) {
  return Json{{"id", a.id},
              {"name", a.name},
              {"size", a.size},
              {"url", "/lessons/" + a.lesson_id + "/attachments/" + a.id},
              {"created_at", core::format_rfc3339(a.created_at)}};
}

// A lesson's PDF, to whoever may read the lesson.
Response attachment_file(Services& services, Request& request) {
  auto who = reader_of(services, request);
  auto found =
      services.courses.attachment(who, request.id<core::LessonId>(), request.params["file"]);
  if (!found) return document_failure(services, request, found.error());
  auto bytes = core::base64_decode(found->data_base64);
  if (!bytes) return error_response(core::Error{core::ErrorKind::internal, "internal", "", {}});
  Response response;
  response.status = 200;
  response.content_type = "application/pdf";
  response.body = std::move(*bytes);
  response.header("Content-Disposition", "attachment; filename=\"" + found->name + "\"");
  response.header("Cache-Control", "private, no-store");
  return response;
}

Response learners_response(Services& services, Request& request, bool csv) {
  auto who = reader_of(services, request);
  if (!who) return document_failure(services, request, core::Error::unauthenticated());
  auto view = services.courses.learners(*who, request.id<core::CourseId>());
  if (!view) return document_failure(services, request, view.error());
  auto completed = [&](const app::LearnerProgress& l) {
    return view->lessons_total > 0 && l.lessons_done == view->lessons_total &&
           l.quizzes_passed == view->quizzes_total;
  };
  if (csv) {
    std::string body = csv_row({"learner", "enrolled_at", "lessons_done", "lessons_total",
                                "quizzes_passed", "quizzes_total", "completed", "last_done_at"});
    for (const auto& l : view->learners) {
      body += csv_row({l.display_name, core::format_rfc3339(l.enrolled_at),
                       std::to_string(l.lessons_done), std::to_string(view->lessons_total),
                       std::to_string(l.quizzes_passed), std::to_string(view->quizzes_total),
                       completed(l) ? "yes" : "no",
                       l.last_done_at ? core::format_rfc3339(*l.last_done_at) : ""});
    }
    return csv_response(std::move(body), "apprenants-" + view->course.id + ".csv");
  }
  Json items = Json::array();
  for (const auto& l : view->learners) {
    items.push_back(Json{
        {"user_id", l.user_id},
        {"display_name", l.display_name},
        {"enrolled_at", core::format_rfc3339(l.enrolled_at)},
        {"lessons_done", l.lessons_done},
        {"lessons_total", view->lessons_total},
        {"quizzes_passed", l.quizzes_passed},
        {"quizzes_total", view->quizzes_total},
        {"completed", completed(l)},
        {"last_done_at", l.last_done_at ? Json(core::format_rfc3339(*l.last_done_at)) : Json()}});
  }
  return paged_list(request, items);
}

}  // namespace

void add_course_routes(Router& router, Services& services) {
  add_api(router, services, "POST", "/api/v1/orgs/{id}/courses",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto title = string_field(*body, "title", problems).value.value_or("");
            const auto summary = string_field(*body, "summary", problems).value.value_or("");
            const auto visibility = string_field(*body, "visibility", problems).value.value_or("");
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto course =
                services.courses.create(who, request.id<core::OrgId>(), title, summary, visibility);
            if (!course) return error_response(course.error());
            return json_response(201, Json{{"course", course_json(*course)}});
          });

  router.add("GET", "/api/v1/courses", [&services](Request& request) {
    const auto page = page_request(request);
    if (!page) return error_response(page.error());
    auto courses =
        services.courses.list(optional_bearer(services, request), page->limit + 1, page->offset);
    const auto next = trim_to_page(courses, *page);
    Json items = Json::array();
    for (const auto& c : courses) items.push_back(course_json(c));
    return json_response(200, list_body(items, next));
  });

  router.add("GET", "/api/v1/courses/{id}", [&services](Request& request) {
    auto view =
        services.courses.get(optional_bearer(services, request), request.id<core::CourseId>());
    if (!view) return error_response(view.error());
    Json lessons = Json::array();
    for (const auto& l : view->lessons) {
      Json item = lesson_json(l);
      if (view->enrolled) item["done"] = view->done.count(l.id) > 0;
      if (view->enrolled && l.has_quiz) item["quiz_passed"] = view->passed.count(l.id) > 0;
      lessons.push_back(item);
    }
    Json out = {
        {"course", course_json(view->course)}, {"lessons", lessons}, {"enrolled", view->enrolled}};
    if (view->enrolled) out["progress"] = progress_json(view->progress);
    return json_response(200, out);
  });

  add_api(router, services, "POST", "/api/v1/courses/{id}/lessons",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            app::LessonInput input;
            input.title = string_field(*body, "title", problems).value.value_or("");
            input.body_md = string_field(*body, "body_md", problems).value.value_or("");
            input.video_url = string_field(*body, "video_url", problems).value;
            if (input.video_url && input.video_url->empty()) input.video_url.reset();
            input.event_id = string_field(*body, "event_id", problems).value;
            if (input.event_id && input.event_id->empty()) input.event_id.reset();
            input.position = int_field(*body, "position", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto lesson = services.courses.add_lesson(who, request.id<core::CourseId>(), input);
            if (!lesson) return error_response(lesson.error());
            return json_response(201, Json{{"lesson", lesson_json(*lesson)}});
          });

  router.add("GET", "/api/v1/lessons/{id}", [&services](Request& request) {
    auto view =
        services.courses.lesson(optional_bearer(services, request), request.id<core::LessonId>());
    if (!view) return error_response(view.error());
    Json out = {{"lesson", lesson_json(view->lesson)},
                {"course", course_json(view->course)},
                {"enrolled", view->enrolled},
                {"quiz", view->quiz ? quiz_json(*view->quiz, view->may_teach) : Json()}};
    Json attachments = Json::array();
    for (const auto& a : view->attachments) attachments.push_back(attachment_json(a));
    out["attachments"] = attachments;
    if (view->enrolled) {
      out["done"] = view->done;
      Json attempts = Json::array();
      for (const auto& a : view->attempts) attempts.push_back(attempt_json(a));
      out["attempts"] = attempts;
    }
    return json_response(200, out);
  });

  add_api(router, services, "POST", "/api/v1/lessons/{id}/quiz",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto questions = quiz_questions(*body, problems);
            const auto pass_pct = int_field(*body, "pass_pct", problems);
            if (!pass_pct && !problems.count("pass_pct"))
              problems["pass_pct"] = "required: the score to pass, in percent";
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto quiz =
                services.courses.put_quiz(who, request.id<core::LessonId>(), questions, *pass_pct);
            if (!quiz) return error_response(quiz.error());
            return json_response(201, Json{{"quiz", quiz_json(*quiz, true)}});
          });

  add_api(router, services, "POST", "/api/v1/courses/{id}/enrolments",
          [&services](Request& request, const app::Principal& who) {
            auto view = services.courses.enrol(who, request.id<core::CourseId>());
            if (!view) return error_response(view.error());
            return json_response(201, Json{{"enrolment", {{"course_id", view->course.id}}},
                                           {"progress", progress_json(view->progress)}});
          });

  add_api(router, services, "POST", "/api/v1/lessons/{id}/complete",
          [&services](Request& request, const app::Principal& who) {
            auto progress = services.courses.complete(who, request.id<core::LessonId>());
            if (!progress) return error_response(progress.error());
            return json_response(200, Json{{"progress", progress_json(*progress)}});
          });

  add_api(router, services, "POST", "/api/v1/lessons/{id}/quiz/attempts",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::vector<std::vector<int>> answers;
            const auto it = body->find("answers");
            bool readable =
                it != body->end() && it->is_array() && it->size() <= core::kMaxQuizQuestions;
            if (readable) {
              for (const auto& answer : *it) {
                auto indexes = index_list(answer, core::kMaxQuizChoices);
                if (!indexes) {
                  readable = false;
                  break;
                }
                answers.push_back(*indexes);
              }
            }
            if (!readable) {
              return error_response(core::Error::validation(
                  {{"answers", "a list with, for each question, the list of chosen indexes"}}));
            }
            auto result = services.courses.attempt(who, request.id<core::LessonId>(), answers);
            if (!result) return error_response(result.error());
            return json_response(201, Json{{"attempt", attempt_json(result->attempt)},
                                           {"score_pct", result->attempt.score_pct},
                                           {"passed", result->attempt.passed},
                                           {"right", result->right},
                                           {"progress", progress_json(result->progress)}});
          });

  add_api(router, services, "GET", "/api/v1/courses/{id}/progress",
          [&services](Request& request, const app::Principal& who) {
            auto progress = services.courses.progress(who, request.id<core::CourseId>());
            if (!progress) return error_response(progress.error());
            return json_response(200, progress_json(*progress));
          });

  router.add("GET", "/api/v1/courses/{id}/learners",
             [&services](Request& request) { return learners_response(services, request, false); });
  // A PDF as the body; its name in ?name=.
  add_api(router, services, "POST", "/api/v1/lessons/{id}/attachments",
          [&services](Request& request, const app::Principal& who) {
            const auto query = request.query_params();
            const auto name = query.count("name") ? query.at("name") : std::string();
            auto attached =
                services.courses.attach(who, request.id<core::LessonId>(), name, request.body);
            if (!attached) return error_response(attached.error());
            return json_response(201, Json{{"attachment", attachment_json(*attached)}});
          });

  for (const std::string prefix : {"", "/api/v1"}) {
    router.add("GET", prefix + "/lessons/{id}/attachments/{file}",
               [&services](Request& request) { return attachment_file(services, request); });
    router.add("GET", prefix + "/courses/{id}/learners.csv", [&services](Request& request) {
      return learners_response(services, request, true);
    });
    router.add("GET", prefix + "/courses/{id}/certificate.pdf",
               [&services](Request& request) { return certificate_pdf(services, request); });
  }

  router.add("GET", "/api/v1/certificates/{id}", [&services](Request& request) {
    auto certificate = services.courses.verify(request.params["id"]);
    if (!certificate) return error_response(certificate.error());
    const auto& c = *certificate;
    return json_response(200, Json{{"certificate",
                                    {{"id", c.id},
                                     {"learner", c.learner_name},
                                     {"course_id", c.course_id},
                                     {"course", c.course_title},
                                     {"org", c.org_name},
                                     {"issued_at", core::format_rfc3339(c.issued_at)}}}});
  });
}

}  // namespace essor::web
