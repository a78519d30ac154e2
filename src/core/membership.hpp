// Memberships (adhésions): the words of their vocabulary and the dates of a
// membership's period. Dates are calendar dates "YYYY-MM-DD" as people of
// Europe/Paris count them (callers pass today's Paris date in); a
// membership is in force from starts_on to ends_on, both included.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace essor::core {

// calendar_year: until 31 December of the year it starts in;
// twelve_months: until the same date a year later.
enum class MembershipPeriod { calendar_year, twelve_months };
std::optional<MembershipPeriod> parse_membership_period(std::string_view text);
std::string to_string(MembershipPeriod period);

// pending: announced by bank transfer, not paid yet; active: paid and in
// force; expired: its period is over; cancelled: never paid (or refunded).
enum class MembershipStatus { pending, active, expired, cancelled };
std::optional<MembershipStatus> parse_membership_status(std::string_view text);
std::string to_string(MembershipStatus status);

// True for a well-formed, possible date "YYYY-MM-DD".
bool is_date(std::string_view date);
// The date n days after (or before, n < 0) a well-formed date.
std::string add_days(std::string_view date, int days);
// The last day of a membership of this period starting on starts_on. A
// twelve-month membership started on 29 February ends on 28 February.
std::string membership_ends_on(MembershipPeriod period, std::string_view starts_on);

}  // namespace essor::core
