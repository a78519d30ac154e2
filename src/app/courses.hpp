// Distance learning (spec "Courses (distance learning)"): an organisation's
// admins publish courses (public or members-only) of lessons, each with an
// optional quiz and an optional live session (one of the organisation's
// events); learners enrol, mark lessons done, attempt quizzes (every
// attempt recorded; the right answers never sent before one), follow their
// progress, and get a certificate once every lesson is done and every quiz
// passed. Trainers see every learner's progress. Who may do what is
// app/policy's course_allows. Safe from many threads.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/course.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct CourseProgress {
  std::int64_t lessons_done = 0, lessons_total = 0;
  std::int64_t quizzes_passed = 0, quizzes_total = 0;
  bool completed = false;
};

struct CourseView {
  CourseRecord course;
  std::vector<LessonRecord> lessons;
  bool may_teach = false;
  bool may_enrol = false;  // may read it, signed in, not yet enrolled
  bool enrolled = false;
  CourseProgress progress;  // the reader's, when enrolled
  std::set<core::LessonId> done, passed;
  std::optional<CertificateRecord> certificate;
};

struct LessonView {
  LessonRecord lesson;
  CourseRecord course;
  // For learners the questions without their right answers; for the
  // course's trainers with them.
  std::optional<QuizRecord> quiz;
  std::vector<AttemptRecord> attempts;        // the reader's, newest first
  std::vector<AttachmentRecord> attachments;  // without their bytes
  std::optional<EventRecord> live_session;
  std::optional<std::string> previous_id, next_id;  // lessons around it
  std::int64_t number = 0;                          // 1-based place in the course
  std::int64_t lessons_total = 0;
  bool may_teach = false;
  bool enrolled = false;
  bool done = false;
  bool passed = false;
};

struct LessonInput {
  std::string title, body_md;
  std::optional<std::string> video_url, event_id;
  std::optional<std::int64_t> position;  // after the last lesson when not given
};

struct AttemptResult {
  AttemptRecord attempt;
  std::vector<bool> right;  // per question
  CourseProgress progress;
};

struct LearnersView {
  CourseRecord course;
  std::vector<LearnerProgress> learners;
  std::int64_t lessons_total = 0, quizzes_total = 0;
};

class Courses {
 public:
  Courses(Store& store, Crypto& crypto, Clock& clock)
      : store_(store), crypto_(crypto), clock_(clock) {}

  core::Result<CourseRecord> create(const Principal& who, const core::OrgId& org_id,
                                    const std::string& title, const std::string& summary,
                                    const std::string& visibility);
  core::Result<LessonRecord> add_lesson(const Principal& who, const core::CourseId& course_id,
                                        const LessonInput& input);
  core::Result<QuizRecord> put_quiz(const Principal& who, const core::LessonId& lesson_id,
                                    const std::vector<core::QuizQuestion>& questions,
                                    std::int64_t pass_pct);
  // Public courses, and the members-only ones of the reader's
  // organisations: newest first, limit of them from offset.
  std::vector<CourseRecord> list(const std::optional<Principal>& who, std::int64_t limit,
                                 std::int64_t offset);
  std::vector<CourseRecord> of_learner(const Principal& who);
  core::Result<CourseView> get(const std::optional<Principal>& who, const core::CourseId& id);
  core::Result<LessonView> lesson(const std::optional<Principal>& who, const core::LessonId& id);
  core::Result<CourseView> enrol(const Principal& who, const core::CourseId& course_id);
  core::Result<CourseProgress> complete(const Principal& who, const core::LessonId& lesson_id);
  core::Result<AttemptResult> attempt(const Principal& who, const core::LessonId& lesson_id,
                                      const std::vector<std::vector<int>>& answers);
  core::Result<CourseProgress> progress(const Principal& who, const core::CourseId& course_id);
  core::Result<LearnersView> learners(const Principal& who, const core::CourseId& course_id);
  // 409 not_completed before every lesson is done and every quiz passed.
  core::Result<CertificateRecord> certificate(const Principal& who,
                                              const core::CourseId& course_id);
  // A PDF attached to a lesson by the course's admins (400 for anything
  // else than a PDF or a bad name, 413 over 5 MiB).
  core::Result<AttachmentRecord> attach(const Principal& who, const core::LessonId& lesson_id,
                                        const std::string& name, const std::string& bytes);
  // The document with its bytes (in data_base64), for whoever may read
  // the lesson.
  core::Result<AttachmentRecord> attachment(const std::optional<Principal>& who,
                                            const core::LessonId& lesson_id, const std::string& id);
  // Anyone with its address: what the certificate says.
  core::Result<CertificateRecord> verify(const std::string& certificate_id);

 private:
  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
};

}  // namespace essor::app
