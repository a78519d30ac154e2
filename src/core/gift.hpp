// Recurring gifts (dons réguliers): their vocabulary and calendar. A gift
// is charged on its start date, then once per period on the same day of
// the month (or the month's last day when shorter), counted from the start
// so that a 31st never drifts to the 28th. A declined charge is tried
// again 2, 4 and 7 days after its date; then the gift is paused.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace essor::core {

enum class GiftInterval { month, year };
std::optional<GiftInterval> parse_gift_interval(std::string_view text);
std::string to_string(GiftInterval interval);

enum class GiftStatus { active, paused, cancelled };
std::optional<GiftStatus> parse_gift_status(std::string_view text);
std::string to_string(GiftStatus status);

// The date of the charge of period n (0: the start) of a gift started on
// starts_on ("YYYY-MM-DD").
std::string gift_charge_on(std::string_view starts_on, GiftInterval interval, int period);

// Days after a period's date at which a declined charge is tried again.
inline constexpr std::array<int, 3> kGiftRetryDays = {2, 4, 7};

}  // namespace essor::core
