// SqlFederation: actors, followers, remote keys, the outbox, deliveries.
#include "store/sql_federation.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <stdexcept>

#include "core/id.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"

namespace essor::store {

namespace {

Param opt_text(const std::optional<std::string>& value) {
  return value ? Param{*value} : Param{nullptr};
}

app::ActorRecord actor_from_row(const NativeRow& row) {
  return {row.text(0), row.text(1), row.text(2), row.text(3)};
}

// An event as federation announces it: public on the organisation's page;
// the meeting link never goes.
#define ESSOR_EVENT_ITEM_COLUMNS                                                             \
  "SELECT e.id, e.org_id, e.title, e.description_md, e.created_at, e.starts_at, e.ends_at, " \
  "e.location, e.sequence, e.cancelled_at FROM events e "

app::PublicItem event_item(const NativeRow& row) {
  app::PublicItem item;
  item.kind = app::PublicKind::event;
  item.id = row.text(0);
  item.org_id = row.text(1);
  item.title = row.text(2);
  item.text_md = row.text(3);
  item.at = row.i64(4);
  item.starts_at = row.i64(5);
  item.ends_at = row.i64(6);
  item.location = row.opt(7);
  item.sequence = row.i64(8);
  item.cancelled = row.opt_i64(9).value.has_value();
  return item;
}

}  // namespace

void SqlFederation::require_writable() const {
  if (!writable_) throw std::logic_error("write inside a read transaction");
}

std::optional<app::ActorRecord> SqlFederation::actor(const core::OrgId& org_id) {
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT org_id, handle, public_pem, private_pem FROM ap_actors WHERE org_id = ?",
           {org_id}))
    return actor_from_row(row);
  return std::nullopt;
}

std::optional<app::ActorRecord> SqlFederation::actor_by_handle(const std::string& handle) {
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT org_id, handle, public_pem, private_pem FROM ap_actors WHERE handle = ?",
           {handle}))
    return actor_from_row(row);
  return std::nullopt;
}

std::vector<app::FollowerRecord> SqlFederation::followers(const core::OrgId& org_id) {
  std::vector<app::FollowerRecord> out;
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT org_id, actor_id, inbox, shared_inbox, followed_at "
                                      "FROM ap_followers WHERE org_id = ? ORDER BY followed_at, "
                                      "actor_id",
                                      {org_id}))
    out.push_back({row.text(0), row.text(1), row.text(2), row.opt(3), row.i64(4)});
  return out;
}

std::int64_t SqlFederation::followers_count(const core::OrgId& org_id) {
  return native_query(sql_, backend_, "SELECT COUNT(*) FROM ap_followers WHERE org_id = ?",
                      {org_id})
      .front()
      .i64(0);
}

std::optional<app::RemoteKey> SqlFederation::remote_key(const std::string& key_id) {
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT key_id, actor_id, public_pem, inbox, shared_inbox, "
                                      "fetched_at FROM ap_remote_keys WHERE key_id = ?",
                                      {key_id}))
    return app::RemoteKey{row.text(0), row.text(1), row.text(2),
                          row.text(3), row.opt(4),  row.i64(5)};
  return std::nullopt;
}

std::vector<app::PublishedRecord> SqlFederation::outbox(const core::OrgId& org_id,
                                                        std::int64_t limit) {
  std::vector<app::PublishedRecord> out;
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT kind, subject_id, org_id, activity, published_at "
                                      "FROM ap_published WHERE org_id = ? ORDER BY published_at "
                                      "DESC, subject_id LIMIT ?",
                                      {org_id, limit}))
    out.push_back({known(app::parse_public_kind, row.text(0)), row.text(1), row.text(2),
                   row.text(3), row.i64(4)});
  return out;
}

std::int64_t SqlFederation::outbox_count(const core::OrgId& org_id) {
  return native_query(sql_, backend_, "SELECT COUNT(*) FROM ap_published WHERE org_id = ?",
                      {org_id})
      .front()
      .i64(0);
}

std::vector<app::PublicItem> SqlFederation::changed_events(std::int64_t limit) {
  std::vector<app::PublicItem> out;
  for (const auto& row : native_query(sql_, backend_,
                                      ESSOR_EVENT_ITEM_COLUMNS
                                      "JOIN ap_published p ON p.kind = 'event' AND p.subject_id = "
                                      "e.id WHERE e.sequence > p.sequence ORDER BY e.id LIMIT ?",
                                      {limit}))
    out.push_back(event_item(row));
  return out;
}

std::vector<app::PublicItem> SqlFederation::unpublished(core::TimestampMs since,
                                                        std::int64_t limit) {
  std::vector<app::PublicItem> out;
  for (const auto& row :
       native_query(sql_, backend_,
                    ESSOR_EVENT_ITEM_COLUMNS
                    "WHERE e.created_at > ? AND e.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 "
                    "FROM ap_published p WHERE p.kind = 'event' AND p.subject_id = e.id) ORDER BY "
                    "e.created_at, e.id LIMIT ?",
                    {since, limit}))
    out.push_back(event_item(row));
  // Launches: campaigns made public.
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT c.id, c.org_id, c.title, c.summary, c.published_at, c.goal_cents FROM "
           "campaigns c WHERE c.published_at IS NOT NULL AND c.published_at > ? AND c.status IN "
           "('live', 'succeeded', 'failed') AND NOT EXISTS (SELECT 1 FROM ap_published p WHERE "
           "p.kind = 'launch' AND p.subject_id = c.id) ORDER BY c.published_at, c.id LIMIT ?",
           {since, limit})) {
    app::PublicItem item;
    item.kind = app::PublicKind::launch;
    item.id = item.campaign_id = row.text(0);
    item.org_id = row.text(1);
    item.title = row.text(2);
    item.text_md = row.text(3);
    item.at = row.i64(4);
    item.goal_cents = row.i64(5);
    out.push_back(std::move(item));
  }
  // News of live campaigns, not hidden by moderation.
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT u.id, c.org_id, u.title, u.body_md, u.created_at, c.id FROM campaign_updates u "
           "JOIN campaigns c ON c.id = u.campaign_id WHERE u.hidden = 0 AND c.status = 'live' AND "
           "u.created_at > ? AND NOT EXISTS (SELECT 1 FROM ap_published p WHERE p.kind = 'news' "
           "AND p.subject_id = u.id) ORDER BY u.created_at, u.id LIMIT ?",
           {since, limit})) {
    app::PublicItem item;
    item.kind = app::PublicKind::news;
    item.id = row.text(0);
    item.org_id = row.text(1);
    item.title = row.text(2);
    item.text_md = row.text(3);
    item.at = row.i64(4);
    item.campaign_id = row.text(5);
    out.push_back(std::move(item));
  }
  std::sort(out.begin(), out.end(), [](const app::PublicItem& a, const app::PublicItem& b) {
    return a.at != b.at ? a.at < b.at : a.id < b.id;
  });
  if (static_cast<std::int64_t>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
  return out;
}

std::vector<std::pair<core::OrgId, std::string>> SqlFederation::orgs_without_handle(
    std::int64_t limit) {
  std::vector<std::pair<core::OrgId, std::string>> out;
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT o.id, o.name FROM orgs o WHERE NOT EXISTS (SELECT 1 "
                                      "FROM ap_actors a WHERE a.org_id = o.id) ORDER BY o.id "
                                      "LIMIT ?",
                                      {limit}))
    out.emplace_back(row.text(0), row.text(1));
  return out;
}

std::vector<app::DeliveryRecord> SqlFederation::due_deliveries(core::TimestampMs now,
                                                               std::int64_t limit) {
  std::vector<app::DeliveryRecord> out;
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT id, org_id, inbox, activity, attempts, next_at, created_at FROM ap_deliveries "
           "WHERE delivered_at IS NULL AND given_up_at IS NULL AND next_at <= ? ORDER BY next_at, "
           "id LIMIT ?",
           {now, limit}))
    out.push_back(
        {row.text(0), row.text(1), row.text(2), row.text(3), row.i64(4), row.i64(5), row.i64(6)});
  return out;
}

bool SqlFederation::insert_actor(const core::OrgId& org_id, const std::string& handle) {
  require_writable();
  return !native_query(sql_, backend_,
                       "INSERT INTO ap_actors (org_id, handle) VALUES (?, ?) ON CONFLICT DO "
                       "NOTHING RETURNING org_id",
                       {org_id, handle})
              .empty();
}

bool SqlFederation::set_keys(const core::OrgId& org_id, const std::string& public_pem,
                             const std::string& private_pem) {
  require_writable();
  return !native_query(sql_, backend_,
                       "UPDATE ap_actors SET public_pem = ?, private_pem = ? WHERE org_id = ? AND "
                       "public_pem = '' RETURNING org_id",
                       {public_pem, private_pem, org_id})
              .empty();
}

void SqlFederation::put_follower(const app::FollowerRecord& f) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO ap_followers (org_id, actor_id, inbox, shared_inbox, followed_at) "
               "VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id, actor_id) DO UPDATE SET inbox = "
               "excluded.inbox, shared_inbox = excluded.shared_inbox",
               {f.org_id, f.actor_id, f.inbox, opt_text(f.shared_inbox), f.followed_at});
}

void SqlFederation::remove_follower(const core::OrgId& org_id, const std::string& actor_id) {
  require_writable();
  native_query(sql_, backend_, "DELETE FROM ap_followers WHERE org_id = ? AND actor_id = ?",
               {org_id, actor_id});
}

void SqlFederation::put_remote_key(const app::RemoteKey& k) {
  require_writable();
  native_query(
      sql_, backend_,
      "INSERT INTO ap_remote_keys (key_id, actor_id, public_pem, inbox, shared_inbox, "
      "fetched_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET actor_id "
      "= excluded.actor_id, public_pem = excluded.public_pem, inbox = excluded.inbox, "
      "shared_inbox = excluded.shared_inbox, fetched_at = excluded.fetched_at",
      {k.key_id, k.actor_id, k.public_pem, k.inbox, opt_text(k.shared_inbox), k.fetched_at});
}

bool SqlFederation::remember_signature(const std::string& hash, core::TimestampMs now) {
  require_writable();
  return !native_query(sql_, backend_,
                       "INSERT INTO ap_seen_signatures (hash, seen_at) VALUES (?, ?) ON CONFLICT "
                       "DO NOTHING RETURNING hash",
                       {hash, now})
              .empty();
}

void SqlFederation::forget_signatures_before(core::TimestampMs before) {
  require_writable();
  native_query(sql_, backend_, "DELETE FROM ap_seen_signatures WHERE seen_at < ?", {before});
}

bool SqlFederation::insert_published(const app::PublishedRecord& p) {
  require_writable();
  return !native_query(sql_, backend_,
                       "INSERT INTO ap_published (kind, subject_id, org_id, activity, "
                       "published_at, sequence) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING "
                       "RETURNING subject_id",
                       {app::to_string(p.kind), p.subject_id, p.org_id, p.activity, p.published_at,
                        p.sequence})
              .empty();
}

bool SqlFederation::republish(const app::PublishedRecord& p) {
  require_writable();
  return !native_query(sql_, backend_,
                       "UPDATE ap_published SET activity = ?, published_at = ?, sequence = ? "
                       "WHERE kind = ? AND subject_id = ? AND sequence < ? RETURNING subject_id",
                       {p.activity, p.published_at, p.sequence, app::to_string(p.kind),
                        p.subject_id, p.sequence})
              .empty();
}

void SqlFederation::insert_delivery(const app::DeliveryRecord& d) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO ap_deliveries (id, org_id, inbox, activity, attempts, next_at, "
               "created_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
               {d.id, d.org_id, d.inbox, d.activity, d.next_at, d.created_at});
}

bool SqlFederation::claim_delivery(const std::string& id, core::TimestampMs due_at,
                                   core::TimestampMs until) {
  require_writable();
  return !native_query(sql_, backend_,
                       "UPDATE ap_deliveries SET next_at = ? WHERE id = ? AND next_at = ? AND "
                       "delivered_at IS NULL AND given_up_at IS NULL RETURNING id",
                       {until, id, due_at})
              .empty();
}

void SqlFederation::delivered(const std::string& id, core::TimestampMs now) {
  require_writable();
  native_query(sql_, backend_,
               "UPDATE ap_deliveries SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?",
               {now, id});
}

void SqlFederation::delivery_failed(const std::string& id, core::TimestampMs next_at,
                                    const std::string& error) {
  require_writable();
  native_query(sql_, backend_,
               "UPDATE ap_deliveries SET attempts = attempts + 1, next_at = ?, last_error = ? "
               "WHERE id = ?",
               {next_at, error.substr(0, 500), id});
}

void SqlFederation::delivery_given_up(const std::string& id, core::TimestampMs now,
                                      const std::string& error) {
  require_writable();
  native_query(sql_, backend_,
               "UPDATE ap_deliveries SET attempts = attempts + 1, given_up_at = ?, last_error = ? "
               "WHERE id = ?",
               {now, error.substr(0, 500), id});
}

}  // namespace essor::store
