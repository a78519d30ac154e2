#include "store/sql_notices.hpp"

#include <stdexcept>

#include "store/native.hpp"

namespace essor::store {

std::vector<app::BackerProgress> SqlNotices::backer_progress(std::int64_t limit) {
  std::vector<app::BackerProgress> out;
  // Live campaigns are few; their totals are a few shard rows each.
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT c.id, c.org_id, c.title, CAST(COALESCE(SUM(s.backers), 0) AS BIGINT), "
           "CAST(COALESCE(SUM(s.raised_cents), 0) AS BIGINT), COALESCE(n.backers, -1), "
           "COALESCE(n.raised_cents, 0) FROM campaigns c LEFT JOIN campaign_stats s ON "
           "s.campaign_id = c.id LEFT JOIN backer_notices n ON n.campaign_id = c.id WHERE "
           "c.status = 'live' GROUP BY c.id, c.org_id, c.title, n.backers, n.raised_cents HAVING "
           "CAST(COALESCE(SUM(s.raised_cents), 0) AS BIGINT) <> COALESCE(n.raised_cents, 0) ORDER "
           "BY c.id LIMIT ?",
           {limit})) {
    out.push_back(
        {row.text(0), row.text(1), row.text(2), row.i64(3), row.i64(4), row.i64(5), row.i64(6)});
  }
  return out;
}

bool SqlNotices::advance_backers(const app::BackerProgress& from) {
  if (!writable_) throw std::logic_error("write inside a read transaction");
  if (from.told_backers < 0) {
    return !native_query(sql_, backend_,
                         "INSERT INTO backer_notices (campaign_id, backers, raised_cents) VALUES "
                         "(?, ?, ?) ON CONFLICT DO NOTHING RETURNING campaign_id",
                         {from.campaign_id, from.backers, from.raised_cents})
                .empty();
  }
  return !native_query(
              sql_, backend_,
              "UPDATE backer_notices SET backers = ?, raised_cents = ? WHERE campaign_id = "
              "? AND backers = ? AND raised_cents = ? RETURNING campaign_id",
              {from.backers, from.raised_cents, from.campaign_id, from.told_backers,
               from.told_raised_cents})
              .empty();
}

}  // namespace essor::store
