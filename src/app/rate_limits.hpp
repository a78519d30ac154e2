// Rate limits on actions (sign-ups, comments, posts, uploads, pledges):
// fixed windows counted in the database (any number of processes share
// them), inside the transaction of the action they guard, so a refused or
// failed action counts nothing. ESSOR_RATE_LIMITS=off turns them off.
#pragma once

#include <optional>
#include <string>

#include "app/ports.hpp"
#include "core/error.hpp"

namespace essor::app {

struct RateRule {
  const char* action;  // "signup", "comment", …: the key's prefix
  std::int64_t limit;  // actions allowed in one window
  std::int64_t window_ms;
};

inline constexpr RateRule kSignupsPerAddress{"signup:addr", 20, 3600 * 1000};
inline constexpr RateRule kCommentsPerAccount{"comment:acct", 30, 10 * 60 * 1000};
inline constexpr RateRule kPostsPerAccount{"post:acct", 20, 10 * 60 * 1000};
inline constexpr RateRule kUploadsPerAccount{"upload:acct", 10, 10 * 60 * 1000};
inline constexpr RateRule kPledgesPerAccount{"pledge:acct", 60, 10 * 60 * 1000};
inline constexpr RateRule kMailsPerAccount{"mail:acct", 5, 3600 * 1000};
inline constexpr RateRule kResetsPerAddress{"reset:addr", 10, 3600 * 1000};
// Posts to the ActivityPub inboxes, per remote address.
inline constexpr RateRule kInboxPerAddress{"inbox:addr", 600, 60 * 1000};

// Counts one action of `who` under rule; 429 rate_limited when over.
inline std::optional<core::Error> rate_limit(Tx& tx, const RateRule& rule, const std::string& who,
                                             TimestampMs now) {
  const TimestampMs window_start = now - now % rule.window_ms;
  if (tx.throttles().rate_hit(std::string(rule.action) + ':' + who, window_start) <= rule.limit) {
    return std::nullopt;
  }
  return core::Error{core::ErrorKind::rate_limited,
                     "rate_limited",
                     "Too many requests of this kind. Wait a few minutes and try again.",
                     {},
                     (window_start + rule.window_ms - now + 999) / 1000};
}

}  // namespace essor::app
