#include "core/membership.hpp"

#include "core/time.hpp"
#include "core/words.hpp"

namespace essor::core {

std::string to_string(MembershipPeriod period) {
  switch (period) {
    case MembershipPeriod::calendar_year:
      return "calendar_year";
    case MembershipPeriod::twelve_months:
      return "twelve_months";
  }
  return "";
}

std::optional<MembershipPeriod> parse_membership_period(std::string_view text) {
  return parse_word(text, {MembershipPeriod::calendar_year, MembershipPeriod::twelve_months});
}

std::string to_string(MembershipStatus status) {
  switch (status) {
    case MembershipStatus::pending:
      return "pending";
    case MembershipStatus::active:
      return "active";
    case MembershipStatus::expired:
      return "expired";
    case MembershipStatus::cancelled:
      return "cancelled";
  }
  return "";
}

std::optional<MembershipStatus> parse_membership_status(std::string_view text) {
  return parse_word(text, {MembershipStatus::pending, MembershipStatus::active,
                           MembershipStatus::expired, MembershipStatus::cancelled});
}

bool is_date(std::string_view date) {
  const auto instant = parse_date(date);
  return instant && format_date(*instant) == date;
}

std::string add_days(std::string_view date, int days) {
  return format_date(parse_date(date).value_or(0) + static_cast<std::int64_t>(days) * 86'400'000);
}

std::string membership_ends_on(MembershipPeriod period, std::string_view starts_on) {
  switch (period) {
    case MembershipPeriod::calendar_year:
      return std::string(starts_on.substr(0, 4)) + "-12-31";
    case MembershipPeriod::twelve_months:
      return format_date(add_months(parse_date(starts_on).value_or(0), 12));
  }
  return std::string(starts_on);
}

}  // namespace essor::core
