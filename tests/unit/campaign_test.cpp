#include "core/campaign.hpp"

#include <gtest/gtest.h>

#include "core/ledger.hpp"
#include "core/payment.hpp"

namespace essor::core {
namespace {

constexpr TimestampMs kNow = 1'800'000'000'000;

CampaignInput valid() {
  return CampaignInput{
      "Four", "Pain", "", "food", "donation", "all_or_nothing", 10000, kNow + 86'400'000, {}, {}};
}

TEST(Campaign, ValidInputHasNoProblems) {
  EXPECT_TRUE(check_campaign(valid(), kNow).empty());
}

TEST(Campaign, DeadlineMustBeAheadAndWithinTwoYears) {
  auto input = valid();
  input.ends_at = kNow;
  EXPECT_TRUE(check_campaign(input, kNow).count("ends_at"));
  input.ends_at = kNow + 3LL * 365 * 86'400'000;
  EXPECT_TRUE(check_campaign(input, kNow).count("ends_at"));
}

TEST(Campaign, LoansNeedTermsAndNoRewards) {
  auto input = valid();
  input.kind = "loan";
  EXPECT_TRUE(check_campaign(input, kNow).count("loan"));
  input.loan = LoanTerms{150, 36, "annuity", std::nullopt};
  EXPECT_TRUE(check_campaign(input, kNow).empty());
  input.loan->term_months = 85;
  input.loan->repayment = "balloon";
  const auto problems = check_campaign(input, kNow);
  EXPECT_TRUE(problems.count("loan.term_months"));
  EXPECT_TRUE(problems.count("loan.repayment"));
  input = valid();
  input.loan = LoanTerms{0, 12, "linear", std::nullopt};
  EXPECT_TRUE(check_campaign(input, kNow).count("loan"));
}

TEST(Campaign, TransitionsFollowTheStateMachine) {
  using S = CampaignStatus;
  using A = CampaignAction;
  EXPECT_EQ(next_status(S::draft, A::submit), S::in_review);
  EXPECT_EQ(next_status(S::in_review, A::approve), S::live);
  EXPECT_EQ(next_status(S::in_review, A::reject), S::draft);
  EXPECT_EQ(next_status(S::live, A::close), S::live);
  for (auto from : {S::in_review, S::live, S::succeeded, S::failed}) {
    EXPECT_FALSE(next_status(from, A::submit)) << to_string(from);
    EXPECT_FALSE(next_status(from, A::edit)) << to_string(from);
  }
  for (auto from : {S::draft, S::live, S::succeeded, S::failed})
    EXPECT_FALSE(next_status(from, A::approve));
  for (auto from : {S::draft, S::in_review, S::succeeded, S::failed})
    EXPECT_FALSE(next_status(from, A::close));
}

TEST(Campaign, Resolution) {
  EXPECT_EQ(resolution(FundingModel::all_or_nothing, 9999, 10000), CampaignStatus::failed);
  EXPECT_EQ(resolution(FundingModel::all_or_nothing, 10000, 10000), CampaignStatus::succeeded);
  EXPECT_EQ(resolution(FundingModel::keep_it_all, 1, 10000), CampaignStatus::succeeded);
  EXPECT_EQ(resolution(FundingModel::keep_it_all, 0, 10000), CampaignStatus::succeeded);
  for (auto model : {FundingModel::all_or_nothing, FundingModel::keep_it_all}) {
    EXPECT_EQ(parse_funding_model(to_string(model)), model);
  }
  for (auto kind : {CampaignKind::donation, CampaignKind::loan}) {
    EXPECT_EQ(parse_kind(to_string(kind)), kind);
  }
  EXPECT_FALSE(parse_kind("equity"));
  EXPECT_FALSE(parse_funding_model("flex"));
}

// The words are the API's and the database's: each spelled once, read back.
TEST(PaymentMethodTest, WordsAreTheApisAndReadBack) {
  EXPECT_EQ(to_string(PaymentMethod::balance), "balance");
  EXPECT_EQ(to_string(PaymentMethod::sandbox_card), "sandbox_card");
  EXPECT_EQ(to_string(PaymentMethod::bank_transfer), "bank_transfer");
  for (auto method :
       {PaymentMethod::balance, PaymentMethod::sandbox_card, PaymentMethod::bank_transfer}) {
    EXPECT_EQ(parse_payment_method(to_string(method)), method);
  }
  EXPECT_FALSE(parse_payment_method("card"));
  EXPECT_FALSE(parse_payment_method(""));
  EXPECT_EQ(external_account(PaymentMethod::bank_transfer), "external:bank_transfer");
}

}  // namespace
}  // namespace essor::core
