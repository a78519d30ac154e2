// Distance learning on the site: the courses' list, a course (its lessons,
// enrolling, the learner's progress and certificate; for its trainers the
// learners' progress, a lesson form and a quiz form), a lesson (its text,
// video, live session, "done" and its quiz), the course form, and the
// public check of a certificate. Quizzes are written as plain text:
//   ? The question
//   - a wrong choice
//   * a right choice
#include <algorithm>

#include "app/policy.hpp"
#include "core/course.hpp"
#include "web/form.hpp"
#include "web/json_api.hpp"
#include "web/markdown.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

Json progress_json(const app::CourseProgress& p);

namespace {

// The quiz text format above; problems under "quiz".
std::vector<core::QuizQuestion> quiz_of_text(const std::string& text,
                                             std::map<std::string, std::string>& problems) {
  std::vector<core::QuizQuestion> out;
  for (const auto& raw : core::split_lines(text)) {
    const std::string line = core::trim(raw);
    if (line.empty()) continue;
    if (line[0] == '?') {
      out.push_back({core::trim(line.substr(1)), {}, {}, false});
    } else if ((line[0] == '-' || line[0] == '*') && !out.empty()) {
      auto& question = out.back();
      if (line[0] == '*') question.correct.push_back(static_cast<int>(question.choices.size()));
      question.choices.push_back(core::trim(line.substr(1)));
    } else {
      problems["quiz"] = "each line starts with ? (a question), - (a choice) or * (a right choice)";
      return {};
    }
  }
  for (auto& question : out) question.multiple = question.correct.size() > 1;
  return out;
}

std::string quiz_text(const app::QuizRecord& quiz) {
  std::string out;
  for (const auto& q : quiz.questions) {
    out += "? " + q.text + "\n";
    for (std::size_t c = 0; c < q.choices.size(); ++c) {
      const bool right =
          std::find(q.correct.begin(), q.correct.end(), static_cast<int>(c)) != q.correct.end();
      out += std::string(right ? "* " : "- ") + q.choices[c] + "\n";
    }
  }
  return out;
}

Json course_card(const app::CourseRecord& c) {
  return Json{{"id", c.id},
              {"title", c.title},
              {"summary", c.summary},
              {"org_id", c.org_id},
              {"org_name", c.org_name},
              {"lessons", c.lessons_count},
              {"members_only", c.visibility == core::Visibility::members}};
}

Response render_course(Services& services, const Request& request, const PageContext& context,
                       const core::CourseId& id, Json extra, int status) {
  auto view = services.courses.get(context.user, id);
  if (!view) return render_error_page(services, request, status_of(view.error().kind));
  const auto& lang = context.lang;
  Json data = std::move(extra);
  data["course"] = course_card(view->course);
  data["summary_html"] = markdown_to_html(view->course.summary);
  Json lessons = Json::array();
  std::int64_t number = 0;
  for (const auto& l : view->lessons) {
    lessons.push_back(Json{{"id", l.id},
                           {"title", l.title},
                           {"number", ++number},
                           {"has_quiz", l.has_quiz},
                           {"done", view->done.count(l.id) > 0},
                           {"passed", view->passed.count(l.id) > 0}});
  }
  data["lessons"] = lessons;
  data["has_lessons"] = !lessons.empty();
  data["enrolled"] = view->enrolled;
  data["may_enrol"] = view->may_enrol;
  data["signed_in"] = context.user.has_value();
  data["progress"] = progress_json(view->progress);
  data["percent"] = view->progress.lessons_total + view->progress.quizzes_total > 0
                        ? (view->progress.lessons_done + view->progress.quizzes_passed) * 100 /
                              (view->progress.lessons_total + view->progress.quizzes_total)
                        : 0;
  data["completed"] = view->progress.completed;
  data["may_teach"] = view->may_teach;
  if (view->may_teach) {
    if (auto learners = services.courses.learners(*context.user, id)) {
      Json rows = Json::array();
      for (const auto& l : learners->learners) {
        rows.push_back(Json{{"name", l.display_name},
                            {"enrolled", when_json(lang, l.enrolled_at)},
                            {"lessons_done", l.lessons_done},
                            {"quizzes_passed", l.quizzes_passed}});
      }
      data["learners"] = rows;
      data["has_learners"] = !rows.empty();
      data["lessons_total"] = learners->lessons_total;
      data["quizzes_total"] = learners->quizzes_total;
    }
    if (!data.contains("lesson_values")) data["lesson_values"] = Json::object();
    // The organisation's coming events, to link one as a lesson's live session.
    Json events = Json::array();
    if (auto upcoming = services.community.events.org_events(view->course.org_id,
                                                             app::Events::Span::upcoming, 500)) {
      const std::string chosen = data["lesson_values"].value("event_id", "");
      for (const auto& e : *upcoming) {
        events.push_back(Json{{"id", e.id},
                              {"label", e.title + " · " + date_time_text(lang, e.starts_at)},
                              {"selected", e.id == chosen}});
      }
    }
    data["events"] = events;
    data["has_events"] = !events.empty();
  }
  return render_page(services, context, "course", data, "course_title", status);
}

Response render_lesson(Services& services, const Request& request, const PageContext& context,
                       const core::LessonId& id, Json extra, int status) {
  auto view = services.courses.lesson(context.user, id);
  if (!view) return render_error_page(services, request, status_of(view.error().kind));
  const auto& lang = context.lang;
  const auto& l = view->lesson;
  Json data = std::move(extra);
  data["course"] = course_card(view->course);
  data["lesson"] = {{"id", l.id},
                    {"title", l.title},
                    {"number", view->number},
                    {"total", view->lessons_total},
                    {"video_url", l.video_url.value_or("")}};
  data["body_html"] = markdown_to_html(l.body_md);
  const auto embed = l.video_url ? core::video_embed_url(*l.video_url) : std::nullopt;
  data["embed_url"] = embed.value_or("");
  if (view->live_session) {
    data["live"] = {{"id", view->live_session->id},
                    {"title", view->live_session->title},
                    {"when", when_json(lang, view->live_session->starts_at)}};
  }
  data["previous_id"] = view->previous_id.value_or("");
  data["next_id"] = view->next_id.value_or("");
  data["enrolled"] = view->enrolled;
  data["done"] = view->done;
  data["passed"] = view->passed;
  data["may_teach"] = view->may_teach;
  if (view->quiz) {
    Json questions = Json::array();
    for (std::size_t q = 0; q < view->quiz->questions.size(); ++q) {
      const auto& question = view->quiz->questions[q];
      Json choices = Json::array();
      for (std::size_t c = 0; c < question.choices.size(); ++c) {
        // A radio "q<n>" valued by the choice, or a check box "q<n>c<k>".
        const std::string id = "q" + std::to_string(q) + "c" + std::to_string(c);
        choices.push_back(
            Json{{"id", id},
                 {"text", question.choices[c]},
                 {"type", question.multiple ? "checkbox" : "radio"},
                 {"name", question.multiple ? id : "q" + std::to_string(q)},
                 {"value", question.multiple ? std::string("on") : std::to_string(c)}});
      }
      questions.push_back(Json{{"index", q},
                               {"number", q + 1},
                               {"text", question.text},
                               {"multiple", question.multiple},
                               {"choices", choices}});
    }
    data["quiz"] = {{"questions", questions}, {"pass_pct", view->quiz->pass_pct}};
    if (view->may_teach && !data.contains("quiz_text")) data["quiz_text"] = quiz_text(*view->quiz);
    if (view->may_teach && !data.contains("pass_pct")) data["pass_pct"] = view->quiz->pass_pct;
  }
  if (view->may_teach && !data.contains("pass_pct")) data["pass_pct"] = 80;
  Json attempts = Json::array();
  for (const auto& a : view->attempts) {
    attempts.push_back(Json{
        {"score", a.score_pct}, {"passed", a.passed}, {"when", when_json(lang, a.created_at)}});
  }
  data["attempts"] = attempts;
  Json attachments = Json::array();
  for (const auto& a : view->attachments) {
    attachments.push_back(Json{{"name", a.name},
                               {"size_kb", (a.size + 1023) / 1024},
                               {"url", "/lessons/" + l.id + "/attachments/" + a.id}});
  }
  data["attachments"] = attachments;
  data["has_attachments"] = !attachments.empty();
  data["has_attempts"] = !attempts.empty();
  return render_page(services, context, "lesson", data, "lesson_title", status);
}

}  // namespace

void add_course_pages(Router& router, Services& services) {
  router.add("GET", "/courses", [&services](Request& request) {
    auto context = page_context(services, request);
    // The catalogue 24 at a time, newest first.
    const auto page = list_page(request, 24);
    auto courses = services.courses.list(context.user, page.limit(), page.offset());
    const bool more = trim_to_list_page(courses, page);
    Json list = Json::array();
    for (const auto& c : courses) list.push_back(course_card(c));
    Json mine = Json::array();
    Json teach = Json::array();
    if (context.user) {
      for (const auto& c : services.courses.of_learner(*context.user))
        mine.push_back(course_card(c));
      for (const auto& [org, role] : services.orgs.orgs_of(context.user->user_id)) {
        if (app::course_allows(role, core::Visibility::public_, app::CourseAction::teach))
          teach.push_back(Json{{"id", org.id}, {"name", org.name}});
      }
    }
    Json data = {{"courses", list},
                 {"has_courses", !list.empty()},
                 {"pager", pager_html(context.lang, translate(context.lang, "courses_pages"), page,
                                      more, std::nullopt, "/courses?page=")},
                 {"mine", mine},
                 {"has_mine", !mine.empty()},
                 {"teach", teach},
                 {"has_teach", !teach.empty()}};
    return render_page(services, context, "courses", data, "courses_title");
  });

  router.add("GET", "/orgs/{id}/courses/new", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto org = services.orgs.get(request.id<core::OrgId>());
    if (!org) return render_error_page(services, request, 404);
    if (!app::course_allows(services.orgs.role_of(context.user->user_id, org->id),
                            core::Visibility::public_, app::CourseAction::teach))
      return render_error_page(services, request, 403);
    return render_page(
        services, context, "course_new",
        {{"org", {{"id", org->id}, {"name", org->name}}}, {"values", Json::object()}},
        "course_new_title");
  });

  add_page_form(router, services, "/orgs/{id}/courses",
                [&services](Request& request, PageContext& context, const Form& form) {
                  auto org = services.orgs.get(request.id<core::OrgId>());
                  if (!org) return render_error_page(services, request, 404);
                  auto course = services.courses.create(
                      *context.user, org->id, field(form, "title"), field(form, "summary"),
                      field(form, "visibility") == "members" ? "members" : "public");
                  if (!course) {
                    if (course.error().kind != core::ErrorKind::validation)
                      return render_error_page(services, request, status_of(course.error().kind));
                    return render_page(services, context, "course_new",
                                       {{"org", {{"id", org->id}, {"name", org->name}}},
                                        {"errors", errors_json(context.lang, course.error())},
                                        {"values",
                                         {{"title", field(form, "title")},
                                          {"summary", field(form, "summary")},
                                          {"members", field(form, "visibility") == "members"}}}},
                                       "course_new_title", 400);
                  }
                  return redirect_response("/courses/" + course->id + "?done=course_created");
                });

  router.add("GET", "/courses/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    Json extra = Json::object();
    if (auto notice = notice_of(request, context.lang); !notice.empty()) extra["notice"] = notice;
    return render_course(services, request, context, request.id<core::CourseId>(), extra, 200);
  });

  add_page_form(router, services, "/courses/{id}/enrolments",
                [&services](Request& request, PageContext& context, const Form&) {
                  const auto id = request.id<core::CourseId>();
                  auto enrolled = services.courses.enrol(*context.user, id);
                  // Enrolled twice is enrolled: the page says so either way.
                  if (!enrolled && enrolled.error().code != "already_enrolled")
                    return render_error_page(services, request, status_of(enrolled.error().kind));
                  return redirect_response("/courses/" + id + "?done=course_enrolled");
                });

  add_page_form(router, services, "/courses/{id}/lessons",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const auto id = request.id<core::CourseId>();
                  app::LessonInput input;
                  input.title = field(form, "title");
                  input.body_md = field(form, "body_md");
                  if (!field(form, "video_url").empty()) input.video_url = field(form, "video_url");
                  if (!field(form, "event_id").empty()) input.event_id = field(form, "event_id");
                  auto lesson = services.courses.add_lesson(*context.user, id, input);
                  if (!lesson) {
                    if (lesson.error().kind != core::ErrorKind::validation)
                      return render_error_page(services, request, status_of(lesson.error().kind));
                    return render_course(
                        services, request, context, id,
                        {{"lesson_errors", errors_json(context.lang, lesson.error())},
                         {"lesson_values",
                          {{"title", field(form, "title")},
                           {"body_md", field(form, "body_md")},
                           {"video_url", field(form, "video_url")},
                           {"event_id", field(form, "event_id")}}}},
                        400);
                  }
                  return redirect_response("/lessons/" + lesson->id + "?done=lesson_added");
                });

  router.add("GET", "/lessons/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    Json extra = Json::object();
    if (auto notice = notice_of(request, context.lang); !notice.empty()) extra["notice"] = notice;
    return render_lesson(services, request, context, request.id<core::LessonId>(), extra, 200);
  });

  add_page_form(router, services, "/lessons/{id}/complete",
                [&services](Request& request, PageContext& context, const Form&) {
                  const auto id = request.id<core::LessonId>();
                  auto done = services.courses.complete(*context.user, id);
                  if (!done)
                    return render_error_page(services, request, status_of(done.error().kind));
                  return redirect_response("/lessons/" + id + "?done=" +
                                           (done->completed ? "course_completed" : "lesson_done"));
                });

  add_page_form(
      router, services, "/lessons/{id}/quiz/attempts",
      [&services](Request& request, PageContext& context, const Form& form) {
        const auto id = request.id<core::LessonId>();
        auto view = services.courses.lesson(context.user, id);
        if (!view || !view->quiz) return render_error_page(services, request, 404);
        // Answers as fields "q<n>" (a radio) or "q<n>c<k>" (check boxes).
        std::vector<std::vector<int>> answers;
        for (std::size_t q = 0; q < view->quiz->questions.size(); ++q) {
          std::vector<int> chosen;
          const auto& question = view->quiz->questions[q];
          for (std::size_t c = 0; c < question.choices.size(); ++c) {
            const std::string qn = "q" + std::to_string(q);
            if (question.multiple ? field(form, qn + "c" + std::to_string(c)) == "on"
                                  : field(form, qn) == std::to_string(c))
              chosen.push_back(static_cast<int>(c));
          }
          answers.push_back(chosen);
        }
        auto result = services.courses.attempt(*context.user, id, answers);
        if (!result) {
          if (result.error().kind != core::ErrorKind::validation)
            return render_error_page(services, request, status_of(result.error().kind));
          return render_lesson(services, request, context, id,
                               {{"quiz_errors", errors_json(context.lang, result.error())}}, 400);
        }
        Json outcome = {{"score", result->attempt.score_pct}, {"passed", result->attempt.passed}};
        Json right = Json::array();
        for (std::size_t q = 0; q < result->right.size(); ++q)
          right.push_back(Json{{"number", q + 1}, {"right", static_cast<bool>(result->right[q])}});
        outcome["questions"] = right;
        outcome["completed"] = result->progress.completed;
        return render_lesson(services, request, context, id, {{"outcome", outcome}}, 201);
      });

  add_page_form(
      router, services, "/lessons/{id}/attachments",
      [&services](Request& request, PageContext& context, const Form& form) {
        const auto id = request.id<core::LessonId>();
        std::string name = core::trim(field(form, "name"));
        if (!name.empty() && !name.ends_with(".pdf")) name += ".pdf";
        auto attached = services.courses.attach(*context.user, id, name, field(form, "file"));
        if (!attached) {
          const auto kind = attached.error().kind;
          if (kind != core::ErrorKind::validation && kind != core::ErrorKind::payload_too_large)
            return render_error_page(services, request, status_of(kind));
          return render_lesson(services, request, context, id,
                               {{"file_errors", errors_json(context.lang, attached.error())},
                                {"file_name", field(form, "name")}},
                               status_of(kind));
        }
        return redirect_response("/lessons/" + id + "?done=document_attached");
      });

  add_page_form(
      router, services, "/lessons/{id}/quiz",
      [&services](Request& request, PageContext& context, const Form& form) {
        const auto id = request.id<core::LessonId>();
        std::map<std::string, std::string> problems;
        const auto questions = quiz_of_text(field(form, "quiz_text"), problems);
        const std::int64_t pass_pct = std::atoll(field(form, "pass_pct").c_str());
        core::Result<app::QuizRecord> quiz =
            problems.empty() ? services.courses.put_quiz(*context.user, id, questions, pass_pct)
                             : core::Result<app::QuizRecord>(core::Error::validation(problems));
        if (!quiz) {
          if (quiz.error().kind != core::ErrorKind::validation)
            return render_error_page(services, request, status_of(quiz.error().kind));
          return render_lesson(services, request, context, id,
                               {{"quiz_form_errors", errors_json(context.lang, quiz.error())},
                                {"quiz_text", field(form, "quiz_text")},
                                {"pass_pct", pass_pct}},
                               400);
        }
        return redirect_response("/lessons/" + id + "?done=quiz_saved");
      });

  router.add("GET", "/certificates/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    auto certificate = services.courses.verify(request.params["id"]);
    if (!certificate) return render_error_page(services, request, 404);
    const auto& c = *certificate;
    Json data = {{"learner", c.learner_name},
                 {"course", c.course_title},
                 {"course_id", c.course_id},
                 {"org", c.org_name},
                 {"issued", when_json(context.lang, c.issued_at)}};
    return render_page(services, context, "certificate", data, "certificate_title");
  });
}

}  // namespace essor::web
