#include "app/backer_notices.hpp"

#include <algorithm>

#include "app/tx_helpers.hpp"

namespace essor::app {

namespace {
constexpr std::int64_t kEveryMs = 3'600'000;
}  // namespace

int BackerNotices::run_due(bool force) {
  const TimestampMs now = clock_.now();
  TimestampMs last = last_run_.load();
  if (force) {
    last_run_.store(now);
  } else if (now - last < kEveryMs || !last_run_.compare_exchange_strong(last, now)) {
    return 0;  // not yet, or another thread of this instance runs it
  }
  const auto moved = read_value<std::vector<BackerProgress>>(
      store_, [](ReadTx& tx) { return tx.notices().backer_progress(500); });
  int told = 0;
  for (const auto& progress : moved) {
    // Counted once committed: a write the store tries again counts once.
    bool done = false;
    store_.write([&](Tx& tx) {
      done = false;
      if (!tx.notices().advance_backers(progress)) return true;  // told elsewhere
      const std::int64_t more = std::max<std::int64_t>(
          0, progress.backers - std::max<std::int64_t>(progress.told_backers, 0));
      const core::Cents money = progress.raised_cents - progress.told_raised_cents;
      if (money <= 0) return true;  // money went (a refund): nothing to celebrate
      for (const auto& member : tx.orgs().members_with_roles(
               progress.org_id, {core::Role::treasurer, core::Role::admin})) {
        notify_in(tx, crypto_, now, member.user_id, more > 0 ? "new_backers" : "new_money",
                  {{"campaign", progress.title},
                   {"count", std::to_string(more)},
                   {"amount_cents", std::to_string(money)}},
                  {core::Place::campaign, progress.campaign_id}, core::Subject::campaign,
                  progress.campaign_id);
      }
      done = true;
      return true;
    });
    if (done) ++told;
  }
  return told;
}

}  // namespace essor::app
