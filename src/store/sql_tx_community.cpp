// SqlTx: comments, news, reports, follows, activities, notifications, mail,
// events and circles.
#include <soci/soci.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "core/id.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"
#include "store/sql_tx.hpp"

namespace essor::store {
namespace {

using app::TimestampMs;

// Runs a prepared statement and tells whether it changed a row.
bool changed(soci::statement& st) {
  st.execute(true);
  return st.get_affected_rows() > 0;
}

#define ESSOR_COMMENT_COLUMNS                                                                  \
  "SELECT c.id, c.user_id, u.display_name, c.body, c.created_at, c.parent_id, c.target_type, " \
  "c.target_id, c.hidden FROM comments c JOIN users u ON u.id = c.user_id "
constexpr const char* kCommentColumns = ESSOR_COMMENT_COLUMNS;

template <typename Row>
app::CommentRecord comment_from_row(const Row& row) {
  app::CommentRecord c;
  c.id = get_text(row, 0);
  c.user_id = get_text(row, 1);
  c.display_name = get_text(row, 2);
  c.body = get_text(row, 3);
  c.created_at = get_i64(row, 4);
  c.parent_id = get_opt(row, 5);
  c.target_type = known(core::parse_subject, get_text(row, 6));
  c.target_id = get_text(row, 7);
  c.hidden = get_i64(row, 8) != 0;
  return c;
}

#define ESSOR_UPDATE_COLUMNS                                                                     \
  "SELECT n.id, n.campaign_id, n.title, n.body_md, n.created_by, u.display_name, n.created_at, " \
  "n.hidden FROM campaign_updates n JOIN users u ON u.id = n.created_by "
constexpr const char* kUpdateColumns = ESSOR_UPDATE_COLUMNS;

template <typename Row>
app::UpdateRecord update_from_row(const Row& row) {
  return app::UpdateRecord{get_text(row, 0), get_text(row, 1),    get_text(row, 2),
                           get_text(row, 3), get_text(row, 4),    get_text(row, 5),
                           get_i64(row, 6),  get_i64(row, 7) != 0};
}

// Activities about a campaign that is not public (a draft, one in review)
// stay out of every feed until it is published.
constexpr const char* kActivityOfPublicCampaign =
    "(a.campaign_id IS NULL OR EXISTS (SELECT 1 FROM campaigns pc WHERE pc.id = a.campaign_id "
    "AND pc.status IN ('live', 'succeeded', 'failed'))) ";

// Parameters of a notification or an activity (migration 15): a JSON
// object of strings; rows from before it have none (and their text).
std::string params_to_text(const std::map<std::string, std::string>& params) {
  return nlohmann::json(params).dump();
}

std::map<std::string, std::string> params_from_text(const std::optional<std::string>& text) {
  std::map<std::string, std::string> out;
  if (!text) return out;
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object()) return out;
  for (const auto& [key, value] : json.items()) {
    if (value.is_string()) out[key] = value.get<std::string>();
  }
  return out;
}

constexpr const char* kActivityColumns =
    "SELECT a.id, a.kind, a.actor_id, u.display_name, a.org_id, a.campaign_id, a.subject_type, "
    "a.subject_id, a.text, a.url, a.created_at, a.params, a.link FROM activities a JOIN users u "
    "ON u.id = a.actor_id ";

app::ActivityRecord activity_from_row(const soci::row& row) {
  app::ActivityRecord a;
  a.id = get_text(row, 0);
  a.kind = get_text(row, 1);
  a.actor_id = get_text(row, 2);
  a.actor_name = get_text(row, 3);
  a.org_id = get_opt(row, 4);
  a.campaign_id = get_opt(row, 5);
  a.subject_type = known(core::parse_subject, get_text(row, 6));
  a.subject_id = get_text(row, 7);
  a.text = get_text(row, 8);
  a.url = get_text(row, 9);
  a.created_at = get_i64(row, 10);
  a.params = params_from_text(get_opt(row, 11));
  if (auto link = get_opt(row, 12)) a.link = known(core::parse_link, *link);
  return a;
}

constexpr const char* kNotificationColumns =
    "SELECT id, user_id, kind, text, url, subject_type, subject_id, created_at, read_at, mail, "
    "params, link FROM notifications ";

app::NotificationRecord notification_from_row(const soci::row& row) {
  app::NotificationRecord n;
  n.id = get_text(row, 0);
  n.user_id = get_text(row, 1);
  n.kind = get_text(row, 2);
  n.text = get_text(row, 3);
  n.url = get_text(row, 4);
  n.subject_type = known(core::parse_subject, get_text(row, 5));
  n.subject_id = get_text(row, 6);
  n.created_at = get_i64(row, 7);
  n.read_at = get_opt_i64(row, 8);
  n.mail = get_i64(row, 9) != 0;
  n.params = params_from_text(get_opt(row, 10));
  if (auto link = get_opt(row, 11)) n.link = known(core::parse_link, *link);
  return n;
}

constexpr const char* kOutboxColumns =
    "SELECT id, user_id, kind, to_address, subject, body, unsubscribe_url, created_at, attempts "
    "FROM outbox ";

app::OutboxMail outbox_from_row(const soci::row& row) {
  return app::OutboxMail{get_text(row, 0), get_text(row, 1), get_text(row, 2),
                         get_text(row, 3), get_text(row, 4), get_text(row, 5),
                         get_text(row, 6), get_i64(row, 7),  get_i64(row, 8)};
}

constexpr const char* kEventColumns =
    "SELECT e.id, e.org_id, e.title, e.description_md, e.starts_at, e.ends_at, e.location, "
    "e.online_url, e.capacity, e.registered, e.created_by, e.created_at, e.reminded_at, "
    "e.cancelled_at, e.sequence FROM events e ";

app::EventRecord event_from_row(const soci::row& row) {
  app::EventRecord e;
  e.id = get_text(row, 0);
  e.org_id = get_text(row, 1);
  e.title = get_text(row, 2);
  e.description_md = get_text(row, 3);
  e.starts_at = get_i64(row, 4);
  e.ends_at = get_i64(row, 5);
  e.location = get_opt(row, 6);
  e.online_url = get_opt(row, 7);
  e.capacity = get_opt_i64(row, 8);
  e.registered = get_i64(row, 9);
  e.created_by = get_text(row, 10);
  e.created_at = get_i64(row, 11);
  e.reminded_at = get_opt_i64(row, 12);
  e.cancelled_at = get_opt_i64(row, 13);
  e.sequence = get_i64(row, 14);
  return e;
}

constexpr const char* kPostColumns =
    "SELECT p.id, p.circle_id, p.user_id, u.display_name, p.body_md, p.photo_type, p.created_at "
    "FROM circle_posts p JOIN users u ON u.id = p.user_id ";

app::CirclePostRecord post_from_row(const soci::row& row) {
  app::CirclePostRecord p;
  p.id = get_text(row, 0);
  p.circle_id = get_text(row, 1);
  p.user_id = get_text(row, 2);
  p.display_name = get_text(row, 3);
  p.body_md = get_text(row, 4);
  p.photo_type = get_opt(row, 5);
  p.created_at = get_i64(row, 6);
  return p;
}

// A LIKE pattern matching text that contains `query`, ASCII-lower-cased,
// with LIKE's own characters escaped by '!'.
std::string contains_pattern(const std::string& query) {
  std::string out = "%";
  for (char c : query) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out + "%";
}

}  // namespace

void SqlTx::insert_comment(const app::CommentRecord& c) {
  require_writable();
  long long at = c.created_at;
  Nullable parent(c.parent_id);
  const std::string target_type = core::to_string(c.target_type);
  sql_ << "INSERT INTO comments (id, target_type, target_id, parent_id, user_id, body, "
          "created_at) VALUES (:id, :tt, :ti, :p, :u, :b, :at)",
      soci::use(c.id), soci::use(target_type), soci::use(c.target_id),
      soci::use(parent.text, parent.indicator), soci::use(c.user_id), soci::use(c.body),
      soci::use(at);
}

std::optional<app::CommentRecord> SqlTx::comment_by_id(const std::string& id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << kCommentColumns << "WHERE c.id = :id", soci::use(id));
  for (const auto& row : rows) return comment_from_row(row);
  return std::nullopt;
}

std::vector<app::CommentRecord> SqlTx::comments_of(core::Subject target_type,
                                                   const std::string& target_id, std::int64_t limit,
                                                   std::int64_t offset) {
  std::vector<app::CommentRecord> out;
  // A reply whose parent was hidden goes with it.
  const auto rows = native_query(
      sql_, backend_,
      ESSOR_COMMENT_COLUMNS
      "LEFT JOIN comments p ON p.id = c.parent_id WHERE c.target_type = ? AND c.target_id = ? "
      "AND c.hidden = 0 AND (p.id IS NULL OR p.hidden = 0) ORDER BY c.created_at, c.id LIMIT ? "
      "OFFSET ?",
      {core::to_string(target_type), target_id, limit, offset});
  for (const auto& row : rows) out.push_back(comment_from_row(row));
  return out;
}

std::vector<app::CommentRecord> SqlTx::comment_threads(core::Subject target_type,
                                                       const std::string& target_id,
                                                       std::int64_t limit, std::int64_t offset) {
  std::vector<app::CommentRecord> out;
  const std::string type = core::to_string(target_type);
  const auto rows = native_query(
      sql_, backend_,
      ESSOR_COMMENT_COLUMNS
      "WHERE c.hidden = 0 AND COALESCE(c.parent_id, c.id) IN (SELECT t.id FROM comments t WHERE "
      "t.target_type = ? AND t.target_id = ? AND t.parent_id IS NULL AND t.hidden = 0 ORDER BY "
      "t.created_at DESC, t.id DESC LIMIT ? OFFSET ?) ORDER BY CASE WHEN c.parent_id IS NULL THEN "
      "0 ELSE 1 END, CASE WHEN c.parent_id IS NULL THEN -c.created_at ELSE c.created_at END, "
      "CASE WHEN c.parent_id IS NULL THEN '' ELSE c.id END, c.id DESC",
      {type, target_id, limit, offset});
  for (const auto& row : rows) out.push_back(comment_from_row(row));
  return out;
}

std::map<std::string, std::vector<app::CommentRecord>> SqlTx::comments_of_many(
    core::Subject target_type, const std::vector<std::string>& target_ids) {
  std::map<std::string, std::vector<app::CommentRecord>> out;
  if (target_ids.empty()) return out;
  const auto rows = native_query(
      sql_, backend_,
      ESSOR_COMMENT_COLUMNS
      "LEFT JOIN comments p ON p.id = c.parent_id WHERE c.target_type = ? AND c.target_id IN "
      "ID_LIST(?) AND c.hidden = 0 AND (p.id IS NULL OR p.hidden = 0) ORDER BY c.created_at, "
      "c.id LIMIT 20000",
      {core::to_string(target_type), json_ids(target_ids)});
  for (const auto& row : rows) {
    auto comment = comment_from_row(row);
    auto& list = out[comment.target_id];
    if (list.size() < 2000) list.push_back(std::move(comment));  // as comments_of
  }
  return out;
}

bool SqlTx::hide_comment(const std::string& id) {
  require_writable();
  soci::statement st =
      (sql_.prepare << "UPDATE comments SET hidden = 1 WHERE id = :id AND hidden = 0",
       soci::use(id));
  return changed(st);
}

void SqlTx::insert_update(const app::UpdateRecord& n) {
  require_writable();
  long long at = n.created_at;
  sql_ << "INSERT INTO campaign_updates (id, campaign_id, title, body_md, created_by, "
          "created_at) VALUES (:id, :c, :t, :b, :by, :at)",
      soci::use(n.id), soci::use(n.campaign_id), soci::use(n.title), soci::use(n.body_md),
      soci::use(n.created_by), soci::use(at);
}

std::optional<app::UpdateRecord> SqlTx::update_by_id(const std::string& id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << kUpdateColumns << "WHERE n.id = :id", soci::use(id));
  for (const auto& row : rows) return update_from_row(row);
  return std::nullopt;
}

std::vector<app::UpdateRecord> SqlTx::updates_of_campaign(const core::CampaignId& campaign_id,
                                                          std::int64_t limit, std::int64_t offset) {
  std::vector<app::UpdateRecord> out;
  const auto rows = native_query(sql_, backend_,
                                 ESSOR_UPDATE_COLUMNS
                                 "WHERE n.campaign_id = ? AND n.hidden = 0 ORDER BY n.created_at "
                                 "DESC, n.id DESC LIMIT ? OFFSET ?",
                                 {campaign_id, limit, offset});
  for (const auto& row : rows) out.push_back(update_from_row(row));
  return out;
}

bool SqlTx::hide_update(const std::string& id) {
  require_writable();
  soci::statement st =
      (sql_.prepare << "UPDATE campaign_updates SET hidden = 1 WHERE id = :id AND hidden = 0",
       soci::use(id));
  return changed(st);
}

bool SqlTx::insert_report(const app::ReportRecord& r) {
  require_writable();
  long long at = r.created_at;
  const std::string target_type = core::to_string(r.target_type);
  soci::statement st =
      (sql_.prepare << "INSERT INTO reports (id, target_type, target_id, user_id, reason, "
                       "created_at) VALUES (:id, :tt, :ti, :u, :r, :at) ON CONFLICT (target_type, "
                       "target_id, user_id) DO NOTHING",
       soci::use(r.id), soci::use(target_type), soci::use(r.target_id), soci::use(r.user_id),
       soci::use(r.reason), soci::use(at));
  return changed(st);
}

std::vector<app::ReportRecord> SqlTx::open_reports(std::int64_t limit) {
  long long lim = limit;
  std::vector<app::ReportRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT id, target_type, target_id, user_id, reason, created_at FROM "
                       "reports WHERE resolved_at IS NULL ORDER BY created_at, id LIMIT :lim",
       soci::use(lim));
  for (const auto& row : rows) {
    out.push_back({get_text(row, 0), known(core::parse_subject, get_text(row, 1)), get_text(row, 2),
                   get_text(row, 3), get_text(row, 4), get_i64(row, 5)});
  }
  return out;
}

void SqlTx::resolve_reports(core::Subject target, const std::string& target_id,
                            const std::string& resolution, TimestampMs now) {
  require_writable();
  long long at = now;
  const std::string target_type = core::to_string(target);
  sql_ << "UPDATE reports SET resolved_at = :at, resolution = :r WHERE target_type = :tt AND "
          "target_id = :ti AND resolved_at IS NULL",
      soci::use(at), soci::use(resolution), soci::use(target_type), soci::use(target_id);
}

bool SqlTx::insert_follow(const core::UserId& user_id, const app::FollowRecord& f) {
  require_writable();
  long long at = f.created_at;
  const std::string target_type = core::to_string(f.target_type);
  soci::statement st =
      (sql_.prepare << "INSERT INTO follows (user_id, target_type, target_id, created_at) VALUES "
                       "(:u, :tt, :ti, :at) ON CONFLICT (user_id, target_type, target_id) DO "
                       "NOTHING",
       soci::use(user_id), soci::use(target_type), soci::use(f.target_id), soci::use(at));
  return changed(st);
}

bool SqlTx::delete_follow(const core::UserId& user_id, core::Subject target,
                          const std::string& target_id) {
  require_writable();
  const std::string target_type = core::to_string(target);
  soci::statement st =
      (sql_.prepare << "DELETE FROM follows WHERE user_id = :u AND target_type = :tt AND "
                       "target_id = :ti",
       soci::use(user_id), soci::use(target_type), soci::use(target_id));
  return changed(st);
}

std::vector<app::FollowRecord> SqlTx::follows_of(const core::UserId& user_id) {
  std::vector<app::FollowRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT target_type, target_id, created_at FROM follows WHERE user_id = "
                       ":u ORDER BY created_at DESC, target_id LIMIT 1000",
       soci::use(user_id));
  for (const auto& row : rows)
    out.push_back(
        {known(core::parse_subject, get_text(row, 0)), get_text(row, 1), get_i64(row, 2)});
  return out;
}

bool SqlTx::is_following(const core::UserId& user_id, core::Subject target_type,
                         const std::string& target_id) {
  return !native_query(
              sql_, backend_,
              "SELECT 1 FROM follows WHERE user_id = ? AND target_type = ? AND target_id = ?",
              {user_id, core::to_string(target_type), target_id})
              .empty();
}

std::vector<core::UserId> SqlTx::followers_of(core::Subject target, const std::string& target_id) {
  std::vector<core::UserId> out;
  const std::string target_type = core::to_string(target);
  soci::rowset<std::string> rows =
      (sql_.prepare << "SELECT user_id FROM follows WHERE target_type = :tt AND target_id = :ti "
                       "ORDER BY user_id",
       soci::use(target_type), soci::use(target_id));
  for (const auto& id : rows) out.emplace_back(id);
  return out;
}

void SqlTx::insert_activity(const app::ActivityRecord& a) {
  require_writable();
  long long at = a.created_at;
  Nullable org(a.org_id), campaign(a.campaign_id);
  const std::string params = params_to_text(a.params);
  const std::string subject_type = core::to_string(a.subject_type);
  const std::string link = core::to_text(a.link);
  sql_ << "INSERT INTO activities (id, kind, actor_id, org_id, campaign_id, subject_type, "
          "subject_id, text, url, created_at, params, link) VALUES (:id, :k, :a, :o, :c, :st, :si, "
          ":t, :url, :at, :p, :l)",
      soci::use(a.id), soci::use(a.kind), soci::use(a.actor_id), soci::use(org.text, org.indicator),
      soci::use(campaign.text, campaign.indicator), soci::use(subject_type),
      soci::use(a.subject_id), soci::use(a.text), soci::use(a.url), soci::use(at),
      soci::use(params), soci::use(link);
}

void SqlTx::delete_activities_of(core::Subject subject, const std::string& subject_id) {
  require_writable();
  const std::string subject_type = core::to_string(subject);
  sql_ << "DELETE FROM activities WHERE subject_type = :st AND subject_id = :si",
      soci::use(subject_type), soci::use(subject_id);
}

std::vector<app::ActivityRecord> SqlTx::feed_of(const core::UserId& user_id, std::int64_t limit,
                                                std::int64_t offset) {
  long long lim = limit, off = offset;
  std::vector<app::ActivityRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kActivityColumns
                    << "WHERE (a.org_id IN (SELECT target_id FROM follows WHERE user_id = :u1 AND "
                       "target_type = 'org') OR a.campaign_id IN (SELECT target_id FROM follows "
                       "WHERE user_id = :u2 AND target_type = 'campaign') OR a.actor_id IN "
                       "(SELECT target_id FROM follows WHERE user_id = :u3 AND target_type = "
                       "'user') "
                       // Without following anything: the organisations one belongs to
                       // and the campaigns one backed.
                       "OR a.org_id IN (SELECT org_id FROM memberships WHERE user_id = :u4) "
                       "OR a.campaign_id IN (SELECT campaign_id FROM pledges WHERE user_id = :u5 "
                       "AND status IN ('pending', 'confirmed'))) AND "
                    << kActivityOfPublicCampaign
                    << "ORDER BY a.created_at DESC, a.id DESC LIMIT :lim OFFSET :off",
       soci::use(user_id), soci::use(user_id), soci::use(user_id), soci::use(user_id),
       soci::use(user_id), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back(activity_from_row(row));
  return out;
}

std::vector<app::ActivityRecord> SqlTx::activities_of_org(const core::OrgId& org_id,
                                                          std::int64_t limit) {
  long long lim = limit;
  std::vector<app::ActivityRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kActivityColumns << "WHERE a.org_id = :o AND " << kActivityOfPublicCampaign
                    << "ORDER BY a.created_at DESC, a.id DESC LIMIT :lim",
       soci::use(org_id), soci::use(lim));
  for (const auto& row : rows) out.push_back(activity_from_row(row));
  return out;
}

void SqlTx::insert_notification(const app::NotificationRecord& n) {
  require_writable();
  long long at = n.created_at;
  int mail = n.mail ? 1 : 0;
  const std::string params = params_to_text(n.params);
  const std::string subject_type = core::to_string(n.subject_type);
  const std::string link = core::to_text(n.link);
  sql_ << "INSERT INTO notifications (id, user_id, kind, text, url, subject_type, subject_id, "
          "created_at, mail, params, link) VALUES (:id, :u, :k, :t, :url, :st, :si, :at, :m, :p, "
          ":l)",
      soci::use(n.id), soci::use(n.user_id), soci::use(n.kind), soci::use(n.text), soci::use(n.url),
      soci::use(subject_type), soci::use(n.subject_id), soci::use(at), soci::use(mail),
      soci::use(params), soci::use(link);
}

std::vector<app::NotificationRecord> SqlTx::notifications_of(const core::UserId& user_id,
                                                             std::int64_t limit,
                                                             std::int64_t offset) {
  long long lim = limit, off = offset;
  std::vector<app::NotificationRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kNotificationColumns
                    << "WHERE user_id = :u ORDER BY created_at DESC, id DESC LIMIT :lim OFFSET "
                       ":off",
       soci::use(user_id), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back(notification_from_row(row));
  return out;
}

std::int64_t SqlTx::unread_notifications(const core::UserId& user_id) {
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {user_id})) {
    return row.i64(0);
  }
  return 0;
}

std::int64_t SqlTx::mark_notifications_read(const core::UserId& user_id,
                                            const std::vector<std::string>& ids, TimestampMs now) {
  require_writable();
  long long at = now;
  if (ids.empty()) {
    soci::statement st =
        (sql_.prepare << "UPDATE notifications SET read_at = :at WHERE user_id = :u AND read_at "
                         "IS NULL",
         soci::use(at), soci::use(user_id));
    st.execute(true);
    return st.get_affected_rows();
  }
  std::int64_t count = 0;
  for (const auto& id : ids) {
    soci::statement st =
        (sql_.prepare << "UPDATE notifications SET read_at = :at WHERE id = :id AND user_id = :u "
                         "AND read_at IS NULL",
         soci::use(at), soci::use(id), soci::use(user_id));
    count += changed(st) ? 1 : 0;
  }
  return count;
}

void SqlTx::delete_notifications_of(core::Subject subject, const std::string& subject_id) {
  require_writable();
  const std::string subject_type = core::to_string(subject);
  sql_ << "DELETE FROM notifications WHERE subject_type = :st AND subject_id = :si",
      soci::use(subject_type), soci::use(subject_id);
}

std::vector<core::UserId> SqlTx::users_with_mail_due(std::int64_t limit) {
  long long lim = limit;
  std::vector<core::UserId> out;
  soci::rowset<std::string> rows =
      (sql_.prepare << "SELECT DISTINCT user_id FROM notifications WHERE mailed_at IS NULL AND "
                       "mail = 1 ORDER BY user_id LIMIT :lim",
       soci::use(lim));
  for (const auto& id : rows) out.emplace_back(id);
  return out;
}

std::vector<app::NotificationRecord> SqlTx::mail_due_of(const core::UserId& user_id) {
  std::vector<app::NotificationRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kNotificationColumns
                    << "WHERE user_id = :u AND mailed_at IS NULL AND mail = 1 ORDER BY "
                       "created_at, id LIMIT 500",
       soci::use(user_id));
  for (const auto& row : rows) out.push_back(notification_from_row(row));
  return out;
}

void SqlTx::mark_mailed(const std::vector<std::string>& ids, TimestampMs now) {
  require_writable();
  long long at = now;
  for (const auto& id : ids) {
    sql_ << "UPDATE notifications SET mailed_at = :at WHERE id = :id", soci::use(at), soci::use(id);
  }
}

namespace {

std::optional<app::MailSettings> settings_where(soci::session& sql, const char* where,
                                                const std::string& value) {
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT user_id, mode, unsubscribe_token, last_digest_at FROM "
                      "mail_settings WHERE "
                   << where << " = :v",
       soci::use(value));
  for (const auto& row : rows) {
    return app::MailSettings{get_text(row, 0), known(core::parse_mail_mode, get_text(row, 1)),
                             get_text(row, 2), get_opt_i64(row, 3)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<app::MailSettings> SqlTx::mail_settings(const core::UserId& user_id) {
  return settings_where(sql_, "user_id", user_id);
}

std::optional<app::MailSettings> SqlTx::mail_settings_by_token(const std::string& token) {
  return settings_where(sql_, "unsubscribe_token", token);
}

void SqlTx::put_mail_settings(const app::MailSettings& s) {
  require_writable();
  NullableInt digest(s.last_digest_at);
  const std::string mode = core::to_string(s.mode);
  sql_ << "INSERT INTO mail_settings (user_id, mode, unsubscribe_token, last_digest_at) VALUES "
          "(:u, :m, :t, :d) ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, "
          "unsubscribe_token = excluded.unsubscribe_token, last_digest_at = "
          "excluded.last_digest_at",
      soci::use(s.user_id), soci::use(mode), soci::use(s.unsubscribe_token),
      soci::use(digest.number, digest.indicator);
}

void SqlTx::insert_outbox(const app::OutboxMail& m) {
  require_writable();
  long long at = m.created_at;
  sql_ << "INSERT INTO outbox (id, user_id, kind, to_address, subject, body, unsubscribe_url, "
          "created_at) VALUES (:id, :u, :k, :to, :s, :b, :un, :at)",
      soci::use(m.id), soci::use(m.user_id), soci::use(m.kind), soci::use(m.to_address),
      soci::use(m.subject), soci::use(m.body), soci::use(m.unsubscribe_url), soci::use(at);
}

std::vector<app::OutboxMail> SqlTx::claim_outbox(TimestampMs now, TimestampMs until,
                                                 std::int64_t limit) {
  require_writable();
  long long at = now, lim = limit, till = until;
  std::vector<app::OutboxMail> candidates;
  {
    soci::rowset<soci::row> rows =
        (sql_.prepare << kOutboxColumns
                      << "WHERE sent_at IS NULL AND claimed_until < :at AND attempts < 10 ORDER "
                         "BY created_at, id LIMIT :lim",
         soci::use(at), soci::use(lim));
    for (const auto& row : rows) candidates.push_back(outbox_from_row(row));
  }
  std::vector<app::OutboxMail> claimed;
  for (auto& mail : candidates) {
    soci::statement st =
        (sql_.prepare << "UPDATE outbox SET claimed_until = :till, attempts = attempts + 1 WHERE "
                         "id = :id AND sent_at IS NULL AND claimed_until < :at",
         soci::use(till), soci::use(mail.id), soci::use(at));
    if (changed(st)) claimed.push_back(std::move(mail));
  }
  return claimed;
}

void SqlTx::mark_sent(const std::string& id, TimestampMs now) {
  require_writable();
  long long at = now;
  // The body is not kept once sent: its links carry tokens that stay good
  // until used or out of date, and a copy of the database (a backup) must
  // not hand them out; what was sent, to whom and when is kept.
  sql_ << "UPDATE outbox SET sent_at = :at, last_error = NULL, body = '' WHERE id = :id",
      soci::use(at), soci::use(id);
}

void SqlTx::mark_send_failed(const std::string& id, const std::string& error) {
  require_writable();
  sql_ << "UPDATE outbox SET last_error = :e WHERE id = :id", soci::use(error), soci::use(id);
}

std::vector<app::OutboxMail> SqlTx::recent_outbox(const core::UserId& user_id, std::int64_t limit) {
  long long lim = limit;
  std::vector<app::OutboxMail> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kOutboxColumns
                    << "WHERE user_id = :u ORDER BY created_at DESC, id DESC LIMIT :lim",
       soci::use(user_id), soci::use(lim));
  for (const auto& row : rows) out.push_back(outbox_from_row(row));
  return out;
}

void SqlTx::insert_event(const app::EventRecord& e) {
  require_writable();
  long long starts = e.starts_at, ends = e.ends_at, at = e.created_at;
  Nullable location(e.location), online(e.online_url);
  NullableInt capacity(e.capacity);
  sql_ << "INSERT INTO events (id, org_id, title, description_md, starts_at, ends_at, location, "
          "online_url, capacity, created_by, created_at) VALUES (:id, :o, :t, :d, :s, :e, :l, "
          ":u, :c, :by, :at)",
      soci::use(e.id), soci::use(e.org_id), soci::use(e.title), soci::use(e.description_md),
      soci::use(starts), soci::use(ends), soci::use(location.text, location.indicator),
      soci::use(online.text, online.indicator), soci::use(capacity.number, capacity.indicator),
      soci::use(e.created_by), soci::use(at);
}

std::optional<app::EventRecord> SqlTx::event_by_id(const std::string& id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << kEventColumns << "WHERE e.id = :id", soci::use(id));
  for (const auto& row : rows) return event_from_row(row);
  return std::nullopt;
}

std::vector<app::EventRecord> SqlTx::events_of_org(const core::OrgId& org_id, TimestampMs from,
                                                   std::int64_t limit, std::int64_t offset) {
  long long at = from, lim = limit, off = offset;
  std::vector<app::EventRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kEventColumns
                    << "WHERE e.org_id = :o AND e.ends_at > :f ORDER BY e.starts_at, e.id LIMIT "
                       ":lim OFFSET :off",
       soci::use(org_id), soci::use(at), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back(event_from_row(row));
  return out;
}

std::vector<app::EventRecord> SqlTx::events_to_remind(TimestampMs from, TimestampMs until,
                                                      std::int64_t limit) {
  long long f = from, u = until, lim = limit;
  std::vector<app::EventRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kEventColumns
                    << "WHERE e.starts_at > :f AND e.starts_at <= :u AND e.reminded_at IS NULL "
                       "AND e.cancelled_at IS NULL ORDER BY e.starts_at, e.id LIMIT :lim",
       soci::use(f), soci::use(u), soci::use(lim));
  for (const auto& row : rows) out.push_back(event_from_row(row));
  return out;
}

bool SqlTx::update_event(const app::EventRecord& e) {
  require_writable();
  long long starts = e.starts_at, ends = e.ends_at, sequence = e.sequence;
  // The seats hold those registered (none: no limit).
  long long room = e.capacity.value_or(std::numeric_limits<std::int64_t>::max());
  Nullable location(e.location), online(e.online_url);
  NullableInt capacity(e.capacity);
  NullableInt reminded(e.reminded_at
                           ? std::optional<std::int64_t>(static_cast<std::int64_t>(*e.reminded_at))
                           : std::nullopt);
  soci::statement st =
      (sql_.prepare << "UPDATE events SET title = :t, description_md = :d, starts_at = :s, "
                       "ends_at = :e, location = :l, online_url = :u, capacity = :c, "
                       "reminded_at = :r, sequence = sequence + 1 WHERE id = :id AND sequence = "
                       ":q AND cancelled_at IS NULL AND registered <= :room",
       soci::use(e.title), soci::use(e.description_md), soci::use(starts), soci::use(ends),
       soci::use(location.text, location.indicator), soci::use(online.text, online.indicator),
       soci::use(capacity.number, capacity.indicator),
       soci::use(reminded.number, reminded.indicator), soci::use(e.id), soci::use(sequence),
       soci::use(room));
  return changed(st);
}

bool SqlTx::cancel_event(const std::string& event_id, TimestampMs now) {
  require_writable();
  long long at = now;
  soci::statement st =
      (sql_.prepare << "UPDATE events SET cancelled_at = :at, sequence = sequence + 1 WHERE id = "
                       ":id AND cancelled_at IS NULL",
       soci::use(at), soci::use(event_id));
  return changed(st);
}

bool SqlTx::mark_reminded(const std::string& event_id, TimestampMs now) {
  require_writable();
  long long at = now;
  soci::statement st =
      (sql_.prepare << "UPDATE events SET reminded_at = :at WHERE id = :id AND reminded_at IS "
                       "NULL",
       soci::use(at), soci::use(event_id));
  return changed(st);
}

bool SqlTx::take_seat(const std::string& event_id) {
  require_writable();
  // One guarded statement (and a CHECK behind it), as for rewards.
  soci::statement st =
      (sql_.prepare << "UPDATE events SET registered = registered + 1 WHERE id = :id AND "
                       "(capacity IS NULL OR registered < capacity)",
       soci::use(event_id));
  return changed(st);
}

void SqlTx::release_seat(const std::string& event_id) {
  require_writable();
  sql_ << "UPDATE events SET registered = registered - 1 WHERE id = :id AND registered > 0",
      soci::use(event_id);
}

namespace {

constexpr const char* kRegistrationColumns =
    "SELECT r.event_id, r.user_id, u.display_name, r.status, r.created_at FROM "
    "event_registrations r JOIN users u ON u.id = r.user_id ";

app::RegistrationRecord registration_from_row(const soci::row& row) {
  return app::RegistrationRecord{get_text(row, 0), get_text(row, 1), get_text(row, 2),
                                 known(core::parse_registration_status, get_text(row, 3)),
                                 get_i64(row, 4)};
}

}  // namespace

std::optional<app::RegistrationRecord> SqlTx::registration(const std::string& event_id,
                                                           const core::UserId& user_id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << kRegistrationColumns << "WHERE r.event_id = :e AND r.user_id = :u",
       soci::use(event_id), soci::use(user_id));
  for (const auto& row : rows) return registration_from_row(row);
  return std::nullopt;
}

bool SqlTx::insert_registration(const app::RegistrationRecord& r) {
  require_writable();
  long long at = r.created_at;
  const std::string status = core::to_string(r.status);
  soci::statement st =
      (sql_.prepare << "INSERT INTO event_registrations (event_id, user_id, status, created_at) "
                       "VALUES (:e, :u, :s, :at) ON CONFLICT (event_id, user_id) DO NOTHING",
       soci::use(r.event_id), soci::use(r.user_id), soci::use(status), soci::use(at));
  return changed(st);
}

bool SqlTx::delete_registration(const std::string& event_id, const core::UserId& user_id) {
  require_writable();
  soci::statement st =
      (sql_.prepare << "DELETE FROM event_registrations WHERE event_id = :e AND user_id = :u",
       soci::use(event_id), soci::use(user_id));
  return changed(st);
}

bool SqlTx::set_registration_status(const std::string& event_id, const core::UserId& user_id,
                                    core::RegistrationStatus from_status,
                                    core::RegistrationStatus to_status) {
  require_writable();
  const std::string from = core::to_string(from_status), to = core::to_string(to_status);
  soci::statement st =
      (sql_.prepare << "UPDATE event_registrations SET status = :to WHERE event_id = :e AND "
                       "user_id = :u AND status = :from",
       soci::use(to), soci::use(event_id), soci::use(user_id), soci::use(from));
  return changed(st);
}

std::vector<app::RegistrationRecord> SqlTx::registrations_of(const std::string& event_id) {
  std::vector<app::RegistrationRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kRegistrationColumns
                    << "WHERE r.event_id = :e ORDER BY CASE r.status WHEN 'registered' THEN 0 "
                       "ELSE 1 END, r.created_at, r.user_id",
       soci::use(event_id));
  for (const auto& row : rows) out.push_back(registration_from_row(row));
  return out;
}

void SqlTx::insert_circle(const app::CircleRecord& c) {
  require_writable();
  long long at = c.created_at;
  sql_ << "INSERT INTO circles (id, name, description, created_by, created_at) VALUES (:id, :n, "
          ":d, :by, :at)",
      soci::use(c.id), soci::use(c.name), soci::use(c.description), soci::use(c.created_by),
      soci::use(at);
}

namespace {

app::CircleRecord circle_from_row(const soci::row& row) {
  return app::CircleRecord{get_text(row, 0), get_text(row, 1), get_text(row, 2), get_text(row, 3),
                           get_i64(row, 4)};
}

}  // namespace

std::optional<app::CircleRecord> SqlTx::circle_by_id(const std::string& id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT id, name, description, created_by, created_at FROM circles WHERE "
                       "id = :id",
       soci::use(id));
  for (const auto& row : rows) return circle_from_row(row);
  return std::nullopt;
}

std::vector<app::CircleRecord> SqlTx::circles_of_user(const core::UserId& user_id) {
  std::vector<app::CircleRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT c.id, c.name, c.description, c.created_by, c.created_at FROM "
                       "circles c JOIN circle_members m ON m.circle_id = c.id WHERE m.user_id = "
                       ":u ORDER BY c.name, c.id",
       soci::use(user_id));
  for (const auto& row : rows) out.push_back(circle_from_row(row));
  return out;
}

bool SqlTx::insert_circle_member(const std::string& circle_id, const core::UserId& user_id,
                                 TimestampMs now) {
  require_writable();
  long long at = now;
  soci::statement st =
      (sql_.prepare << "INSERT INTO circle_members (circle_id, user_id, joined_at, last_seen_at) "
                       "VALUES (:c, :u, :at, :seen) ON CONFLICT (circle_id, user_id) DO NOTHING",
       soci::use(circle_id), soci::use(user_id), soci::use(at), soci::use(at));
  return changed(st);
}

bool SqlTx::is_circle_member(const std::string& circle_id, const core::UserId& user_id) {
  int found = 0;
  soci::indicator ind;
  sql_ << "SELECT 1 FROM circle_members WHERE circle_id = :c AND user_id = :u",
      soci::into(found, ind), soci::use(circle_id), soci::use(user_id);
  return sql_.got_data() && found == 1;
}

std::vector<app::CircleMemberRecord> SqlTx::circle_members(const std::string& circle_id) {
  std::vector<app::CircleMemberRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT m.user_id, u.display_name, u.email, m.joined_at, m.last_seen_at, "
                       "m.last_digest_at FROM circle_members m JOIN users u ON u.id = m.user_id "
                       "WHERE m.circle_id = :c ORDER BY m.joined_at, m.user_id",
       soci::use(circle_id));
  for (const auto& row : rows) {
    out.push_back({get_text(row, 0), get_text(row, 1), get_text(row, 2), get_i64(row, 3),
                   get_i64(row, 4), get_opt_i64(row, 5)});
  }
  return out;
}

void SqlTx::touch_circle_member(const std::string& circle_id, const core::UserId& user_id,
                                TimestampMs now) {
  require_writable();
  long long at = now;
  sql_ << "UPDATE circle_members SET last_seen_at = :at WHERE circle_id = :c AND user_id = :u",
      soci::use(at), soci::use(circle_id), soci::use(user_id);
}

void SqlTx::mark_circle_digest(const std::string& circle_id, const core::UserId& user_id,
                               TimestampMs now) {
  require_writable();
  long long at = now;
  sql_ << "UPDATE circle_members SET last_digest_at = :at WHERE circle_id = :c AND user_id = :u",
      soci::use(at), soci::use(circle_id), soci::use(user_id);
}

std::vector<std::pair<std::string, core::UserId>> SqlTx::circle_digests_due(TimestampMs seen_before,
                                                                            std::int64_t limit) {
  long long before = seen_before, before2 = seen_before, lim = limit;
  std::vector<std::pair<std::string, core::UserId>> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT m.circle_id, m.user_id FROM circle_members m WHERE "
                       "m.last_seen_at < :b1 AND (m.last_digest_at IS NULL OR m.last_digest_at < "
                       ":b2) AND EXISTS (SELECT 1 FROM circle_posts p WHERE p.circle_id = "
                       "m.circle_id AND p.user_id <> m.user_id AND p.created_at > m.last_seen_at "
                       "AND (m.last_digest_at IS NULL OR p.created_at > m.last_digest_at)) "
                       "ORDER BY m.circle_id, m.user_id LIMIT :lim",
       soci::use(before), soci::use(before2), soci::use(lim));
  for (const auto& row : rows) out.emplace_back(get_text(row, 0), get_text(row, 1));
  return out;
}

void SqlTx::insert_circle_post(const app::CirclePostRecord& p) {
  require_writable();
  long long at = p.created_at;
  Nullable type(p.photo_type);
  Nullable photo(p.photo_type ? std::optional<std::string>(p.photo_base64) : std::nullopt);
  sql_ << "INSERT INTO circle_posts (id, circle_id, user_id, body_md, photo_type, photo_base64, "
          "created_at) VALUES (:id, :c, :u, :b, :pt, :pb, :at)",
      soci::use(p.id), soci::use(p.circle_id), soci::use(p.user_id), soci::use(p.body_md),
      soci::use(type.text, type.indicator), soci::use(photo.text, photo.indicator), soci::use(at);
}

std::vector<app::CirclePostRecord> SqlTx::circle_posts(const std::string& circle_id,
                                                       TimestampMs since, std::int64_t limit,
                                                       std::int64_t offset) {
  long long at = since, lim = limit, off = offset;
  std::vector<app::CirclePostRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kPostColumns
                    << "WHERE p.circle_id = :c AND p.created_at > :s ORDER BY p.created_at DESC, "
                       "p.id DESC LIMIT :lim OFFSET :off",
       soci::use(circle_id), soci::use(at), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back(post_from_row(row));
  return out;
}

std::optional<app::CirclePostRecord> SqlTx::circle_post(const std::string& post_id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT p.id, p.circle_id, p.user_id, u.display_name, p.body_md, "
                       "p.photo_type, p.created_at, p.photo_base64 FROM circle_posts p JOIN users "
                       "u ON u.id = p.user_id WHERE p.id = :id",
       soci::use(post_id));
  for (const auto& row : rows) {
    auto post = post_from_row(row);
    post.photo_base64 = get_opt(row, 7).value_or("");
    return post;
  }
  return std::nullopt;
}

std::vector<app::OrgRecord> SqlTx::search_orgs(const std::string& query, std::int64_t limit) {
  return query_orgs("WHERE LOWER(o.name || ' ' || o.description) LIKE :p ESCAPE '!'",
                    contains_pattern(query), limit, 0);
}

std::vector<app::EventRecord> SqlTx::search_events(const std::string& query, TimestampMs from,
                                                   std::int64_t limit) {
  const std::string pattern = contains_pattern(query);
  long long at = from, lim = limit;
  std::vector<app::EventRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kEventColumns
                    << "WHERE LOWER(e.title || ' ' || e.description_md) LIKE :p ESCAPE '!' AND "
                       "e.ends_at > :f AND e.cancelled_at IS NULL ORDER BY e.starts_at, e.id "
                       "LIMIT :lim",
       soci::use(pattern), soci::use(at), soci::use(lim));
  for (const auto& row : rows) out.push_back(event_from_row(row));
  return out;
}

void SqlTx::delete_circle_member(const std::string& circle_id, const core::UserId& user_id) {
  require_writable();
  sql_ << "DELETE FROM circle_members WHERE circle_id = :c AND user_id = :u", soci::use(circle_id),
      soci::use(user_id);
}

void SqlTx::insert_invitation(const app::InvitationRecord& i) {
  require_writable();
  long long created = i.created_at, expires = i.expires_at;
  const std::string role = core::to_string(i.role), status = core::to_string(i.status),
                    target_kind = core::to_string(i.target_kind);
  sql_ << "INSERT INTO invitations (id, token_hash, target_kind, target_id, email_norm, role, "
          "invited_by, status, created_at, expires_at) VALUES (:id, :h, :k, :t, :e, :r, :by, :s, "
          ":c, :x)",
      soci::use(i.id), soci::use(i.token_hash), soci::use(target_kind), soci::use(i.target_id),
      soci::use(i.email_norm), soci::use(role), soci::use(i.invited_by), soci::use(status),
      soci::use(created), soci::use(expires);
}

std::optional<app::InvitationRecord> SqlTx::invitation_by_token(const std::string& token_hash) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT id, token_hash, target_kind, target_id, email_norm, role, "
                       "invited_by, status, created_at, expires_at, answered_at FROM invitations "
                       "WHERE token_hash = :h",
       soci::use(token_hash));
  for (const auto& row : rows) {
    app::InvitationRecord i;
    i.id = get_text(row, 0);
    i.token_hash = get_text(row, 1);
    i.target_kind = known(core::parse_invitation_target, get_text(row, 2));
    i.target_id = get_text(row, 3);
    i.email_norm = get_text(row, 4);
    i.role = known(core::parse_role, get_text(row, 5));
    i.invited_by = get_text(row, 6);
    i.status = known(core::parse_invitation_status, get_text(row, 7));
    i.created_at = get_i64(row, 8);
    i.expires_at = get_i64(row, 9);
    i.answered_at = get_opt_i64(row, 10);
    return i;
  }
  return std::nullopt;
}

bool SqlTx::answer_invitation(const std::string& id, core::InvitationStatus answer,
                              TimestampMs now) {
  require_writable();
  long long at = now;
  const std::string status = core::to_string(answer);
  soci::statement st =
      (sql_.prepare << "UPDATE invitations SET status = :s, answered_at = :at WHERE id = :id AND "
                       "status = 'pending'",
       soci::use(status), soci::use(at), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace essor::store
