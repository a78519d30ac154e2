// Matchfunding's rules and France's territories (core).
#include "core/matchfunding.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/territory.hpp"

namespace essor::core {
namespace {

CallTerms terms(Cents pool, std::int64_t ratio, std::optional<Cents> per_pledge, Cents per_campaign,
                std::optional<Cents> per_backer) {
  CallTerms t;
  t.pool_cents = pool;
  t.match_ratio_pct = ratio;
  t.cap_per_pledge_cents = per_pledge;
  t.cap_per_campaign_cents = per_campaign;
  t.cap_per_backer_cents = per_backer;
  t.opens_at = 1000;
  t.closes_at = 2000;
  return t;
}

TEST(Matchfunding, OneEuroForOneWithinEachCap) {
  const auto t = terms(100000, 100, 3000, 10000, 5000);
  EXPECT_EQ(match_amount(2000, t, {10000, 5000, 100000}), 2000);
  EXPECT_EQ(match_amount(5000, t, {10000, 5000, 100000}), 3000);  // per pledge
  EXPECT_EQ(match_amount(2000, t, {10000, 500, 100000}), 500);    // the backer's room
  EXPECT_EQ(match_amount(2000, t, {700, 5000, 100000}), 700);     // the campaign's room
  EXPECT_EQ(match_amount(2000, t, {10000, 5000, 1}), 1);          // the pool's last cent
  EXPECT_EQ(match_amount(2000, t, {0, 5000, 100000}), 0);
  EXPECT_EQ(match_amount(0, t, {10000, 5000, 100000}), 0);
}

TEST(Matchfunding, RatiosRoundDownToTheCent) {
  EXPECT_EQ(match_amount(1001, terms(100000, 50, {}, 100000, {}), {100000, {}, 100000}), 500);
  EXPECT_EQ(match_amount(999, terms(100000, 33, {}, 100000, {}), {100000, {}, 100000}), 329);
  EXPECT_EQ(match_amount(10'000'000, terms(kMaxPoolCents, 1000, {}, kMaxPoolCents, {}),
                         {kMaxPoolCents, {}, kMaxPoolCents}),
            100'000'000);
}

// Property: whatever the pledges and the caps, following the rule pledge
// after pledge never gives more than the pool, a campaign's cap or a
// backer's cap, and never more than the ratio of a pledge.
TEST(Matchfunding, NoSequenceOfPledgesEverExceedsACap) {
  std::mt19937 rng(20261202);
  for (int round = 0; round < 300; ++round) {
    const auto between = [&rng](Cents low, Cents high) {
      return Cents{std::uniform_int_distribution<std::int64_t>(low, high)(rng)};
    };
    const Cents pool = between(1, 200000);
    const Cents per_campaign = between(1, pool);
    const std::optional<Cents> per_pledge =
        rng() % 2 ? std::optional<Cents>(between(1, per_campaign)) : std::nullopt;
    const std::optional<Cents> per_backer =
        rng() % 2 ? std::optional<Cents>(between(1, per_campaign)) : std::nullopt;
    const std::int64_t ratio = std::uniform_int_distribution<std::int64_t>(1, 300)(rng);
    const auto t = terms(pool, ratio, per_pledge, per_campaign, per_backer);
    std::map<int, Cents> by_campaign, by_backer;
    Cents committed = 0;
    for (int n = 0; n < 60; ++n) {
      const int campaign = static_cast<int>(rng() % 4), backer = static_cast<int>(rng() % 6);
      const Cents amount = between(1, 50000);
      MatchRoom room{
          per_campaign - by_campaign[campaign],
          per_backer ? std::optional<Cents>(*per_backer - by_backer[backer]) : std::nullopt,
          pool - committed};
      const Cents m = match_amount(amount, t, room);
      ASSERT_GE(m, 0);
      ASSERT_LE(m, amount * ratio / 100);
      if (per_pledge) {
        ASSERT_LE(m, *per_pledge);
      }
      by_campaign[campaign] += m;
      by_backer[backer] += m;
      committed += m;
      ASSERT_LE(committed, pool);
      ASSERT_LE(by_campaign[campaign], per_campaign);
      if (per_backer) {
        ASSERT_LE(by_backer[backer], *per_backer);
      }
    }
  }
}

TEST(Matchfunding, TermsThatContradictEachOtherAreRefused) {
  CallInput input;
  input.title = "Appel";
  input.terms = terms(10000, 100, {}, 5000, {});
  EXPECT_TRUE(check_call(input, 500).empty());
  auto with = [&](auto change) {
    CallInput copy = input;
    change(copy);
    return check_call(copy, 500);
  };
  EXPECT_TRUE(with([](CallInput& c) { c.terms.pool_cents = 0; }).count("pool_cents"));
  EXPECT_TRUE(with([](CallInput& c) {
                c.terms.cap_per_campaign_cents = 20000;
              }).count("cap_per_campaign_cents"));
  EXPECT_TRUE(with([](CallInput& c) {
                c.terms.cap_per_pledge_cents = core::Cents{6000};
              }).count("cap_per_pledge_cents"));
  EXPECT_TRUE(with([](CallInput& c) {
                c.terms.cap_per_pledge_cents = core::Cents{3000};
                c.terms.cap_per_backer_cents = core::Cents{2000};
              }).count("cap_per_backer_cents"));
  EXPECT_TRUE(with([](CallInput& c) { c.terms.closes_at = 400; }).count("closes_at"));
  EXPECT_TRUE(with([](CallInput& c) { c.terms.opens_at = 3000; }).count("closes_at"));
  EXPECT_TRUE(with([](CallInput& c) { c.regions = {"69"}; }).count("regions"));  // a department
  EXPECT_TRUE(with([](CallInput& c) { c.legal_forms = {"etat"}; }).count("legal_forms"));
  EXPECT_TRUE(with([](CallInput& c) { c.regions = {"11", "84"}; }).empty());
}

TEST(Matchfunding, OnlyFundersFundAndWordsReadBack) {
  for (auto form :
       {LegalForm::collectivite, LegalForm::fondation, LegalForm::entreprise, LegalForm::etat})
    EXPECT_TRUE(is_funder_form(form));
  for (auto form : {LegalForm::association, LegalForm::scop, LegalForm::esus, LegalForm::other})
    EXPECT_FALSE(is_funder_form(form));
  for (auto s :
       {ApplicationStatus::pending, ApplicationStatus::accepted, ApplicationStatus::declined})
    EXPECT_EQ(parse_application_status(to_string(s)), s);
  EXPECT_FALSE(parse_application_status("maybe"));
  EXPECT_EQ(parse_match_status("returned"), MatchStatus::returned);
  EXPECT_TRUE(call_open(terms(1, 100, {}, 1, {}), 1000));
  EXPECT_FALSE(call_open(terms(1, 100, {}, 1, {}), 2000));
}

TEST(Territories, EveryDepartmentBelongsToAKnownRegion) {
  EXPECT_EQ(regions().size(), 18u);
  EXPECT_EQ(departments().size(), 101u);
  for (const auto& department : departments())
    EXPECT_TRUE(region_name(department.region)) << department.code;
}

TEST(Territories, AnOrganisationsPlaceReadsFromCodesAndNames) {
  EXPECT_EQ(region_code_of("Auvergne-Rhône-Alpes", ""), "84");
  EXPECT_EQ(region_code_of("auvergne rhône alpes", ""), "84");
  EXPECT_EQ(region_code_of("Île-de-France", ""), "11");
  EXPECT_EQ(region_code_of("île de france", ""), "11");
  EXPECT_EQ(region_code_of("84", ""), "84");
  EXPECT_EQ(region_code_of("", "2a"), "94");
  EXPECT_EQ(region_code_of("Bretagne", "69"), "84");  // the department settles it
  EXPECT_EQ(region_code_of("", "974"), "04");
  EXPECT_FALSE(region_code_of("Atlantide", ""));
  EXPECT_FALSE(region_code_of("", ""));
  EXPECT_EQ(department_code_of("9"), "09");
  EXPECT_EQ(department_code_of(" 2B "), "2B");
  EXPECT_FALSE(department_code_of("20"));
  EXPECT_EQ(department_name("93"), "Seine-Saint-Denis");
}

}  // namespace
}  // namespace essor::core
