#include "core/gift.hpp"

#include "core/time.hpp"
#include "core/words.hpp"

namespace essor::core {

std::string to_string(GiftInterval interval) {
  switch (interval) {
    case GiftInterval::month:
      return "month";
    case GiftInterval::year:
      return "year";
  }
  return "";
}

std::optional<GiftInterval> parse_gift_interval(std::string_view text) {
  return parse_word(text, {GiftInterval::month, GiftInterval::year});
}

std::string to_string(GiftStatus status) {
  switch (status) {
    case GiftStatus::active:
      return "active";
    case GiftStatus::paused:
      return "paused";
    case GiftStatus::cancelled:
      return "cancelled";
  }
  return "";
}

std::optional<GiftStatus> parse_gift_status(std::string_view text) {
  return parse_word(text, {GiftStatus::active, GiftStatus::paused, GiftStatus::cancelled});
}

std::string gift_charge_on(std::string_view starts_on, GiftInterval interval, int period) {
  const int months = interval == GiftInterval::month ? period : 12 * period;
  return format_date(add_months(parse_date(starts_on).value_or(0), months));
}

}  // namespace essor::core
