// The laws of loan schedules and of the split of repayments, over a table
// of cases and random property runs.
#include "core/loan.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

namespace essor::core {
namespace {

const TimestampMs kStart = *parse_rfc3339("2026-01-31T10:00:00Z");

LoanTerms terms(std::int64_t bp, std::int64_t months, const std::string& repayment) {
  return LoanTerms{bp, months, repayment, std::nullopt};
}

// Total interest of the exact annuity: n·A − P with A from the closed form.
double closed_form_interest(Cents amount, std::int64_t bp, std::int64_t n) {
  if (bp == 0) return 0;
  const double r = static_cast<double>(bp) / 120'000.0;
  const double payment = amount * r / (1 - std::pow(1 + r, -static_cast<double>(n)));
  return payment * static_cast<double>(n) - static_cast<double>(amount);
}

struct Case {
  std::int64_t bp;
  std::int64_t months;
};

class ScheduleLaws : public ::testing::TestWithParam<std::tuple<Case, std::string, Cents>> {};

TEST_P(ScheduleLaws, Hold) {
  const auto [c, repayment, amount] = GetParam();
  const auto schedule = loan_schedule(amount, terms(c.bp, c.months, repayment), kStart);
  ASSERT_EQ(static_cast<std::int64_t>(schedule.size()), c.months);
  Cents principal = 0, interest = 0, total = 0;
  Cents outstanding = amount;
  for (const auto& item : schedule) {
    EXPECT_GE(item.principal_cents, 0);
    EXPECT_GE(item.interest_cents, 0);
    EXPECT_EQ(item.total_cents, item.principal_cents + item.interest_cents);
    // Interest is the month's interest on what was still owed.
    EXPECT_EQ(item.interest_cents, monthly_interest(outstanding, c.bp));
    outstanding -= item.principal_cents;
    principal += item.principal_cents;
    interest += item.interest_cents;
    total += item.total_cents;
  }
  EXPECT_EQ(principal, amount) << "principal parts sum exactly to the amount lent";
  EXPECT_EQ(total, amount + interest);
  // Monthly, from the month after the start; the 31st becomes the month's
  // last day when the month is shorter.
  EXPECT_EQ(format_date(schedule[0].due), "2026-02-28");
  EXPECT_EQ(format_date(schedule[1].due), "2026-03-31");
  if (repayment == "annuity") {
    for (std::size_t idx = 1; idx + 1 < schedule.size(); ++idx) {
      EXPECT_LE(std::llabs(schedule[idx].total_cents - schedule[0].total_cents), 1)
          << "installment " << idx + 1 << " of an annuity";
    }
    // Within a few cents of the closed form (each month's rounding moves a
    // fraction of a cent of principal from one month to the next).
    EXPECT_NEAR(static_cast<double>(interest), closed_form_interest(amount, c.bp, c.months),
                3.0 + static_cast<double>(c.months) / 12.0);
  } else {
    for (std::size_t idx = 0; idx + 1 < schedule.size(); ++idx)
      EXPECT_EQ(schedule[idx].principal_cents, amount / c.months);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ScheduleLaws,
    ::testing::Combine(::testing::Values(Case{0, 6}, Case{0, 12}, Case{0, 84}, Case{150, 6},
                                         Case{150, 36}, Case{150, 84}, Case{300, 12}, Case{300, 60},
                                         Case{700, 6}, Case{700, 24}, Case{700, 84}),
                       ::testing::Values("annuity", "linear"),
                       ::testing::Values(Cents{2'000}, Cents{99'999}, Cents{1'234'567},
                                         Cents{5'000'000'00})));

// Repayment and withdrawal statuses are typed (issue 12): each read back
// as itself, anything else refused.
TEST(Vocabulary, RepaymentAndWithdrawalStatusesReadBackAsThemselves) {
  for (auto status :
       {RepaymentStatus::pending, RepaymentStatus::confirmed, RepaymentStatus::rejected}) {
    EXPECT_EQ(parse_repayment_status(to_string(status)), status);
  }
  for (auto status :
       {WithdrawalStatus::requested, WithdrawalStatus::executed, WithdrawalStatus::cancelled}) {
    EXPECT_EQ(parse_withdrawal_status(to_string(status)), status);
  }
  EXPECT_FALSE(parse_repayment_status("requested"));
  EXPECT_FALSE(parse_withdrawal_status("pending"));
  EXPECT_FALSE(parse_withdrawal_status("Executed"));
}

TEST(Schedule, KnownAnnuity) {
  // €10,000 at 3% over 12 months: the textbook payment is €846.94.
  const auto schedule = loan_schedule(1'000'000, terms(300, 12, "annuity"), kStart);
  EXPECT_EQ(schedule[0].total_cents, 84'694);
  EXPECT_EQ(schedule[0].interest_cents, 2'500);
  EXPECT_EQ(schedule[0].principal_cents, 82'194);
}

TEST(Schedule, InterestRoundsHalfUp) {
  EXPECT_EQ(monthly_interest(100, 600), 1);    // 0.5 cent → 1
  EXPECT_EQ(monthly_interest(99, 600), 0);     // 0.495 → 0
  EXPECT_EQ(monthly_interest(120'000, 1), 1);  // exactly 1
  EXPECT_EQ(monthly_interest(1'000'000, 0), 0);
}

TEST(Schedule, TinyLoansNeverGoNegative) {
  for (Cents amount = 1; amount < 400; amount += 7) {
    for (std::int64_t bp : {0, 700, 2000}) {
      const auto schedule = loan_schedule(amount, terms(bp, 84, "annuity"), kStart);
      Cents principal = 0;
      for (const auto& item : schedule) {
        ASSERT_GE(item.principal_cents, 0);
        principal += item.principal_cents;
      }
      EXPECT_EQ(principal, amount);
    }
  }
}

TEST(SplitProRata, ExactSumsAndWithinACent) {
  std::mt19937_64 rng(20261126);
  for (int run = 0; run < 2000; ++run) {
    std::vector<Cents> weights(1 + rng() % 12);
    for (auto& w : weights) w = static_cast<Cents>(rng() % 500'000);
    const Cents sum = std::accumulate(weights.begin(), weights.end(), Cents{0});
    if (sum == 0) continue;
    const Cents total = static_cast<Cents>(rng() % 1'000'000);
    const auto parts = split_pro_rata(total, weights);
    EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), Cents{0}), total);
    for (std::size_t idx = 0; idx < parts.size(); ++idx) {
      const double exact = static_cast<double>(total) * weights[idx] / sum;
      EXPECT_LT(std::fabs(parts[idx] - exact), 1.0);
      if (weights[idx] == 0) {
        EXPECT_EQ(parts[idx], 0);
      }
    }
  }
}

TEST(SplitProRata, LargestRemainderTiesGoToTheEarlierLender) {
  EXPECT_EQ(split_pro_rata(100, {1, 1, 1}), (std::vector<Cents>{34, 33, 33}));
  EXPECT_EQ(split_pro_rata(2, {1, 1, 1}), (std::vector<Cents>{1, 1, 0}));
  EXPECT_EQ(split_pro_rata(10, {1, 2, 7}), (std::vector<Cents>{1, 2, 7}));
  EXPECT_EQ(split_pro_rata(0, {0, 0}), (std::vector<Cents>{0, 0}));
  EXPECT_THROW(split_pro_rata(5, {0, 0}), std::invalid_argument);
}

TEST(Repayment, InterestFirstThenPrincipal) {
  const auto schedule = loan_schedule(300'000, terms(600, 12, "annuity"), kStart);
  LoanPosition position{300'000, 0, 0};
  const auto owed = amount_owed(schedule, position, kStart);
  EXPECT_EQ(owed.interest_cents, schedule[0].interest_cents);
  EXPECT_EQ(owed.principal_cents, 300'000);
  // Less than the interest: all of it is interest.
  auto split = split_repayment(100, owed, {100'000, 200'000});
  ASSERT_TRUE(split);
  EXPECT_EQ(split->interest_cents, 100);
  EXPECT_EQ(split->principal_cents, 0);
  // One installment exactly.
  split = split_repayment(schedule[0].total_cents, owed, {100'000, 200'000});
  ASSERT_TRUE(split);
  EXPECT_EQ(split->interest_cents, schedule[0].interest_cents);
  EXPECT_EQ(split->principal_cents, schedule[0].principal_cents);
  EXPECT_EQ(split->shares[0].interest_cents + split->shares[1].interest_cents,
            split->interest_cents);
  EXPECT_EQ(split->shares[0].principal_cents + split->shares[1].principal_cents,
            split->principal_cents);
  // Everything owed is allowed (early repayment), a cent more is not.
  EXPECT_TRUE(split_repayment(owed.total(), owed, {100'000, 200'000}));
  EXPECT_FALSE(split_repayment(owed.total() + Cents{1}, owed, {100'000, 200'000}));
  EXPECT_FALSE(split_repayment(0, owed, {100'000, 200'000}));
}

TEST(Repayment, FollowingTheScheduleSettlesEachInstallmentOnTime) {
  for (const char* method : {"annuity", "linear"}) {
    const auto schedule = loan_schedule(777'777, terms(450, 24, method), kStart);
    LoanPosition position{777'777, 0, 0};
    for (const auto& item : schedule) {
      EXPECT_EQ(settled_installments(schedule, position), item.number - 1);
      const auto owed = amount_owed(schedule, position, item.due);
      EXPECT_EQ(owed.interest_cents, item.interest_cents);
      const auto split = split_repayment(
          item.total_cents, owed, {position.principal_cents - position.repaid_principal_cents});
      ASSERT_TRUE(split);
      EXPECT_EQ(split->principal_cents, item.principal_cents);
      position.repaid_principal_cents += split->principal_cents;
      position.repaid_interest_cents += split->interest_cents;
    }
    EXPECT_EQ(position.repaid_principal_cents, 777'777);
    EXPECT_EQ(amount_owed(schedule, position, schedule.back().due).total(), 0);
  }
}

TEST(Repayment, LatePaymentStillSettlesItsInstallmentAndLaterOnesAccrue) {
  const auto schedule = loan_schedule(120'000, terms(500, 12, "linear"), kStart);
  LoanPosition position{120'000, 0, 0};
  // A day after the first due date, only the first installment's interest.
  auto owed = amount_owed(schedule, position, schedule[0].due + 86'400'000);
  EXPECT_EQ(owed.interest_cents, schedule[0].interest_cents);
  // Three months late, three installments of interest.
  owed = amount_owed(schedule, position, schedule[2].due + 86'400'000);
  EXPECT_EQ(owed.interest_cents,
            schedule[0].interest_cents + schedule[1].interest_cents + schedule[2].interest_cents);
}

TEST(Repayment, PropertyPartsAlwaysSumAndNoLenderIsOverpaid) {
  std::mt19937_64 rng(7);
  for (int run = 0; run < 300; ++run) {
    const std::int64_t months = 6 + static_cast<std::int64_t>(rng() % 79);
    const std::int64_t bp = static_cast<std::int64_t>(rng() % 800);
    std::vector<Cents> lent(1 + rng() % 8);
    for (auto& each : lent) each = Cents{2'000 + static_cast<std::int64_t>(rng() % 198'000)};
    const Cents total = std::accumulate(lent.begin(), lent.end(), Cents{0});
    const auto schedule =
        loan_schedule(total, terms(bp, months, rng() % 2 ? "annuity" : "linear"), kStart);
    LoanPosition position{total, 0, 0};
    std::vector<Cents> outstanding = lent;
    Cents paid_interest = 0;
    for (int step = 0; step < 200 && position.repaid_principal_cents < total; ++step) {
      const TimestampMs now = add_months(kStart, step / 3);
      const auto owed = amount_owed(schedule, position, now);
      const Cents amount{
          1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(owed.total()))};
      const auto split = split_repayment(amount, owed, outstanding);
      ASSERT_TRUE(split);
      EXPECT_EQ(split->interest_cents + split->principal_cents, amount);
      EXPECT_EQ(split->interest_cents, std::min(amount, owed.interest_cents));
      Cents p = 0, i = 0;
      for (std::size_t idx = 0; idx < lent.size(); ++idx) {
        EXPECT_LE(split->shares[idx].principal_cents, outstanding[idx]);
        outstanding[idx] -= split->shares[idx].principal_cents;
        p += split->shares[idx].principal_cents;
        i += split->shares[idx].interest_cents;
      }
      EXPECT_EQ(p, split->principal_cents);
      EXPECT_EQ(i, split->interest_cents);
      position.repaid_principal_cents += split->principal_cents;
      position.repaid_interest_cents += split->interest_cents;
      paid_interest += split->interest_cents;
    }
    Cents scheduled_interest = 0;
    for (const auto& item : schedule) scheduled_interest += item.interest_cents;
    EXPECT_LE(paid_interest, scheduled_interest) << "never more interest than scheduled";
  }
}

TEST(Repayment, AnInstallmentIsLateFromTheDayAfterItsDueDate) {
  const TimestampMs due = *parse_rfc3339("2027-03-15T10:00:00Z");
  EXPECT_FALSE(past_due(due, due));
  EXPECT_FALSE(past_due(due, *parse_rfc3339("2027-03-15T23:59:59Z")));
  EXPECT_TRUE(past_due(due, *parse_rfc3339("2027-03-16T00:00:00Z")));
  EXPECT_FALSE(past_due(due, *parse_rfc3339("2027-03-14T23:00:00Z")));
}

TEST(Caps, LegalCapsAndCampaignCaps) {
  const LoanRules rules;
  EXPECT_EQ(lender_cap(terms(0, 12, "linear"), rules), 500'000);
  EXPECT_EQ(lender_cap(terms(300, 12, "linear"), rules), 200'000);
  auto own = terms(0, 12, "linear");
  own.max_per_lender_cents = core::Cents{100'000};
  EXPECT_EQ(lender_cap(own, rules), 100'000);
}

TEST(Dates, AddMonthsClampsToTheMonthsEnd) {
  EXPECT_EQ(format_date(add_months(*parse_rfc3339("2027-01-31T00:00:00Z"), 1)), "2027-02-28");
  EXPECT_EQ(format_date(add_months(*parse_rfc3339("2028-01-31T00:00:00Z"), 1)), "2028-02-29");
  EXPECT_EQ(format_date(add_months(*parse_rfc3339("2026-11-15T00:00:00Z"), 2)), "2027-01-15");
  EXPECT_EQ(format_date(add_months(*parse_rfc3339("2026-11-15T00:00:00Z"), 84)), "2033-11-15");
  EXPECT_EQ(*parse_date("2026-11-26"), *parse_rfc3339("2026-11-26T00:00:00Z"));
  EXPECT_FALSE(parse_date("2026-02-30"));
  EXPECT_FALSE(parse_date("26-11-2026"));
}

}  // namespace
}  // namespace essor::core
