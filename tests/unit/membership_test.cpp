// Memberships' periods and the books' entries (core).
#include "core/membership.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "core/accounting.hpp"

namespace essor::core {
namespace {

TEST(MembershipPeriod, CalendarYearsEndOnTheLastDayOfDecember) {
  EXPECT_EQ(membership_ends_on(MembershipPeriod::calendar_year, "2026-01-01"), "2026-12-31");
  EXPECT_EQ(membership_ends_on(MembershipPeriod::calendar_year, "2026-12-31"), "2026-12-31");
}

TEST(MembershipPeriod, TwelveMonthsEndOnTheSameDateAYearLater) {
  EXPECT_EQ(membership_ends_on(MembershipPeriod::twelve_months, "2026-12-02"), "2027-12-02");
  EXPECT_EQ(membership_ends_on(MembershipPeriod::twelve_months, "2028-02-29"), "2029-02-28");
}

TEST(MembershipPeriod, WordsAndDates) {
  for (auto s : {MembershipStatus::pending, MembershipStatus::active, MembershipStatus::expired,
                 MembershipStatus::cancelled})
    EXPECT_EQ(parse_membership_status(to_string(s)), s);
  EXPECT_FALSE(parse_membership_status("paid"));
  EXPECT_FALSE(parse_membership_period("weekly"));
  EXPECT_TRUE(is_date("2028-02-29"));
  EXPECT_FALSE(is_date("2027-02-29"));
  EXPECT_FALSE(is_date("2027-2-1"));
  EXPECT_EQ(add_days("2026-12-31", 1), "2027-01-01");
  EXPECT_EQ(add_days("2027-03-01", -1), "2027-02-28");
}

// Property: whatever the transfers, every entry of the FEC is balanced and
// the debits of the file equal the money moved.
TEST(Books, EveryEntryIsBalanced) {
  std::mt19937 random(7);
  using K = TransferKind;
  const K kinds[] = {K::pledge,       K::refund,    K::payout,     K::loan,
                     K::repayment_in, K::repayment, K::membership, K::reversal};
  const char* accounts[] = {"org:o1", "campaign:c1", "external:sandbox_card", "wallet:w1"};
  std::vector<BookEntry> entries;
  Cents moved = 0;
  for (int idx = 0; idx < 500; ++idx) {
    BookEntry e;
    e.transfer.id = "t" + std::to_string(idx);
    e.transfer.kind = kinds[random() % 8];
    const auto from = random() % 4;
    const auto to = (from + 1 + random() % 3) % 4;
    e.transfer.debit_account = accounts[from];
    e.transfer.credit_account = accounts[to];
    e.transfer.amount_cents = Cents{1 + static_cast<std::int64_t>(random() % 10'000'000)};
    e.transfer.created_at = TimestampMs{1'790'000'000'000LL + idx * 60'000LL};
    e.loan_campaign = random() % 2;
    e.campaign_title = random() % 2 ? "Un\tfour" : "";
    moved += e.transfer.amount_cents;
    entries.push_back(e);
  }
  const auto lines = fec_lines(entries);
  ASSERT_EQ(lines.size(), entries.size() * 2);
  std::map<std::string, Cents> balance;
  Cents debits = 0;
  auto cents = [](const std::string& text) {
    const auto comma = text.find(',');
    return Cents{std::stoll(text.substr(0, comma)) * 100 + std::stoll(text.substr(comma + 1))};
  };
  for (const auto& line : lines) {
    balance[line[2]] += cents(line[11]) - cents(line[12]);
    debits += cents(line[11]);
    EXPECT_EQ(line[4].size(), 6u);
  }
  for (const auto& [entry, sum] : balance) EXPECT_EQ(sum, 0) << entry;
  EXPECT_EQ(debits, moved);
  // No tab inside a field survives into the file.
  const std::string text = fec_text(lines);
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    const auto end = text.find('\n', line_start);
    const std::string line = text.substr(line_start, end - line_start);
    EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 17) << line;
    line_start = end + 1;
  }
}

TEST(Books, AccountsFollowWhatTheMoneyIsFor) {
  BookEntry dues;
  dues.transfer.kind = core::TransferKind::membership;
  EXPECT_EQ(book_account("external:sandbox_card", dues).number, "756000");
  EXPECT_EQ(book_account("org:o1", dues).number, "512000");
  BookEntry gift;
  gift.transfer.kind = core::TransferKind::pledge;
  EXPECT_EQ(book_account("external:bank_transfer", gift).number, "754100");
  EXPECT_EQ(book_account("campaign:c", gift).number, "467100");
  gift.loan_campaign = true;
  EXPECT_EQ(book_account("external:bank_transfer", gift).number, "168000");
}

}  // namespace
}  // namespace essor::core

#include "core/amount_words.hpp"

namespace essor::core {
namespace {

TEST(AmountInWords, FrenchAsOnATaxReceipt) {
  EXPECT_EQ(amount_in_words_fr(123450),
            "mille deux cent trente-quatre euros et cinquante centimes");
  EXPECT_EQ(amount_in_words_fr(100), "un euro");
  EXPECT_EQ(amount_in_words_fr(1), "un centime");
  EXPECT_EQ(amount_in_words_fr(0), "zéro euro");
  EXPECT_EQ(amount_in_words_fr(2100), "vingt et un euros");
  EXPECT_EQ(amount_in_words_fr(7100), "soixante et onze euros");
  EXPECT_EQ(amount_in_words_fr(7200), "soixante-douze euros");
  EXPECT_EQ(amount_in_words_fr(8000), "quatre-vingts euros");
  EXPECT_EQ(amount_in_words_fr(8100), "quatre-vingt-un euros");
  EXPECT_EQ(amount_in_words_fr(9100), "quatre-vingt-onze euros");
  EXPECT_EQ(amount_in_words_fr(9900), "quatre-vingt-dix-neuf euros");
  EXPECT_EQ(amount_in_words_fr(20000), "deux cents euros");
  EXPECT_EQ(amount_in_words_fr(20100), "deux cent un euros");
  EXPECT_EQ(amount_in_words_fr(10000), "cent euros");
  EXPECT_EQ(amount_in_words_fr(8000000), "quatre-vingt mille euros");
  EXPECT_EQ(amount_in_words_fr(20000000), "deux cent mille euros");
  EXPECT_EQ(amount_in_words_fr(100000), "mille euros");
  EXPECT_EQ(amount_in_words_fr(200000), "deux mille euros");
  EXPECT_EQ(amount_in_words_fr(100000000), "un million d'euros");
  EXPECT_EQ(amount_in_words_fr(8000000000), "quatre-vingts millions d'euros");
  EXPECT_EQ(amount_in_words_fr(100020000), "un million deux cents euros");
  EXPECT_EQ(amount_in_words_fr(7300), "soixante-treize euros");
  EXPECT_EQ(amount_in_words_fr(1799), "dix-sept euros et quatre-vingt-dix-neuf centimes");
  EXPECT_EQ(amount_in_words_fr(80), "quatre-vingts centimes");
}

}  // namespace
}  // namespace essor::core
