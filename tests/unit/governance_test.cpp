// Tallies against hand-computed cases: majority and consent with quorum,
// majority judgment with even numbers of voters and ties broken at several
// depths, approval, proxy caps, and participatory budgets (greedy and the
// Method of Equal Shares) on small published-style examples.
#include "core/governance.hpp"

#include <gtest/gtest.h>

namespace essor::core {
namespace {

// Grades given by each voter, by name, into a merit profile.
MeritProfile profile(std::initializer_list<const char*> grades) {
  MeritProfile out(kGrades, 0);
  for (const char* name : grades) ++out[static_cast<std::size_t>(*parse_grade(name))];
  return out;
}

// The vocabulary is typed (issue 12): text only at the edges, each value
// read back as itself, anything else refused.
TEST(Vocabulary, MethodsAndStatusesReadBackAsThemselves) {
  for (auto method : {VoteMethod::majority, VoteMethod::consent, VoteMethod::majority_judgment,
                      VoteMethod::approval}) {
    EXPECT_EQ(parse_vote_method(to_string(method)), method);
  }
  EXPECT_FALSE(parse_vote_method("plurality"));
  EXPECT_TRUE(has_options(VoteMethod::majority_judgment));
  EXPECT_TRUE(has_options(VoteMethod::approval));
  EXPECT_FALSE(has_options(VoteMethod::majority));
  EXPECT_FALSE(has_options(VoteMethod::consent));
  for (auto status : {ProposalStatus::open, ProposalStatus::closed}) {
    EXPECT_EQ(parse_proposal_status(to_string(status)), status);
  }
  EXPECT_FALSE(parse_proposal_status("Open"));
  for (auto status : {BudgetStatus::open, BudgetStatus::closed}) {
    EXPECT_EQ(parse_budget_status(to_string(status)), status);
  }
  EXPECT_FALSE(parse_budget_status("draft"));
  for (auto attendance : {Attendance::present, Attendance::represented, Attendance::absent}) {
    EXPECT_EQ(parse_attendance(to_string(attendance)), attendance);
  }
  EXPECT_FALSE(parse_attendance("excused"));
  EXPECT_FALSE(parse_attendance(""));
}

TEST(Majority, ThresholdQuorumAndAbstentions) {
  EXPECT_TRUE(quorum_reached(5, 10, 50));
  EXPECT_FALSE(quorum_reached(4, 10, 50));
  EXPECT_TRUE(quorum_reached(0, 10, 0));
  EXPECT_TRUE(majority_passes({3, 2, 1}, 50, true));
  EXPECT_FALSE(majority_passes({2, 2, 5}, 50, true)) << "a tie is not a majority";
  EXPECT_FALSE(majority_passes({3, 2, 0}, 50, false)) << "no quorum, no decision";
  EXPECT_TRUE(majority_passes({2, 1, 0}, 66, true));   // 66.7% > 66%
  EXPECT_FALSE(majority_passes({2, 1, 0}, 67, true));  // 66.7% < 67%
  EXPECT_FALSE(majority_passes({0, 0, 4}, 50, true)) << "only abstentions";
}

TEST(Consent, OneObjectionBlocks) {
  EXPECT_TRUE(consent_passes({5, 0}, true));
  EXPECT_FALSE(consent_passes({9, 1}, true));
  EXPECT_FALSE(consent_passes({5, 0}, false));
}

TEST(MajorityJudgment, LowerMedianWithAnEvenNumberOfVoters) {
  EXPECT_EQ(majority_grade(profile({"poor", "good", "very_good", "excellent"})), 3);  // good
  EXPECT_EQ(majority_grade(profile({"poor", "fair"})), 1);                            // poor
  EXPECT_EQ(majority_grade(profile({"excellent"})), 5);
  EXPECT_EQ(majority_grade(MeritProfile(kGrades, 0)), -1);
}

TEST(MajorityJudgment, HigherMajorityGradeWins) {
  const auto a = profile({"good", "good", "fair", "poor"});         // fair
  const auto b = profile({"very_good", "good", "good", "reject"});  // good
  EXPECT_GT(compare_merit(a, b), 0);
  EXPECT_LT(compare_merit(b, a), 0);
}

TEST(MajorityJudgment, AboveBeatsBelowThenLargerPThenSmallerQ) {
  // Both "good". A: 2 above, 1 below (above side); C: 1 above, 2 below.
  const auto a = profile({"poor", "good", "good", "good", "excellent", "excellent"});
  const auto c = profile({"poor", "reject", "good", "good", "good", "very_good"});
  EXPECT_LT(compare_merit(a, c), 0);
  // Both above: B has 3 of 6 above, A 2 of 6: B wins.
  const auto b = profile({"reject", "good", "good", "very_good", "very_good", "very_good"});
  EXPECT_LT(compare_merit(b, a), 0);
  // Both below: the smaller share below wins. D: 2 of 6 below, E: 3 of 7.
  const auto d = profile({"poor", "poor", "good", "good", "good", "good"});
  const auto e = profile({"poor", "poor", "fair", "good", "good", "good", "good"});
  EXPECT_EQ(majority_grade(d), 3);
  EXPECT_EQ(majority_grade(e), 3);
  EXPECT_LT(compare_merit(d, e), 0);
}

TEST(MajorityJudgment, ExactTiesAreBrokenByRemovingMedianGrades) {
  // Four voters each. Depth 1 and 2 tie (good, one above and one below);
  // with two "good" removed, A has fair and excellent (lower median fair),
  // B poor and very good (poor): A wins at the third comparison.
  const auto a = profile({"fair", "good", "good", "excellent"});
  const auto b = profile({"poor", "good", "good", "very_good"});
  EXPECT_LT(compare_merit(a, b), 0);
  EXPECT_GT(compare_merit(b, a), 0);
  // Identical profiles tie all the way down.
  EXPECT_EQ(compare_merit(a, a), 0);
  // Ranking: complete ties keep the options' order.
  const auto order =
      rank_majority_judgment({b, a, a, profile({"reject", "reject", "poor", "excellent"})});
  EXPECT_EQ(order, (std::vector<std::size_t>{1, 2, 0, 3}));
}

TEST(Approval, MostApprovalsWinsTiesKeepOrder) {
  EXPECT_EQ(rank_approval({3, 5, 5, 0}), (std::vector<std::size_t>{1, 2, 0, 3}));
}

TEST(Proxies, FixedCapAndTheScopRule) {
  EXPECT_EQ(proxy_cap(ProxyRule::fixed, 2, 100), 2);
  EXPECT_EQ(proxy_cap(ProxyRule::scop, 2, 19), 1);
  EXPECT_EQ(proxy_cap(ProxyRule::scop, 2, 20), 1);
  EXPECT_EQ(proxy_cap(ProxyRule::scop, 2, 45), 2);
  EXPECT_EQ(proxy_cap(ProxyRule::scop, 2, 100), 5);
}

std::vector<std::size_t> voters(std::size_t from, std::size_t to) {
  std::vector<std::size_t> out;
  for (std::size_t v = from; v < to; ++v) out.push_back(v);
  return out;
}

std::vector<bool> funded(const BudgetOutcome& outcome) {
  std::vector<bool> out;
  for (const auto& d : outcome.decisions) out.push_back(d.funded);
  return out;
}

TEST(Budgets, EqualSharesIsProportionalWhereGreedyIsNot) {
  // €100 for 10 voters. Six approve A1, A2, A3 (€30 each); four approve B
  // (€40). Greedy funds the three A's (most votes). Equal shares gives each
  // voter €10: A1 and A2 cost the six €5 each and use their €60, B costs the
  // four €10 each; A3 is left with supporters who have nothing.
  const std::vector<BudgetProject> projects = {
      {3000, voters(0, 6)}, {3000, voters(0, 6)}, {3000, voters(0, 6)}, {4000, voters(6, 10)}};
  const auto greedy = allocate_greedy(10000, projects);
  EXPECT_EQ(funded(greedy), (std::vector<bool>{true, true, true, false}));
  EXPECT_EQ(greedy.spent_cents, 9000);
  EXPECT_EQ(greedy.decisions[3].reason, BudgetReason::too_expensive_left);
  EXPECT_EQ(greedy.decisions[3].available_cents, 1000);

  const auto mes = allocate_equal_shares(10000, 10, projects);
  EXPECT_EQ(funded(mes), (std::vector<bool>{true, true, false, true}));
  EXPECT_EQ(mes.spent_cents, 10000);
  EXPECT_EQ(mes.decisions[0].share_cents, 500);
  EXPECT_EQ(mes.decisions[3].share_cents, 1000);
  EXPECT_EQ(mes.decisions[0].round, 1);
  EXPECT_EQ(mes.decisions[2].reason, BudgetReason::supporters_ran_short);
  // Completion raised the share to €14.90 (at €15 the six could pay A3 too,
  // €130 in all): A3's supporters end with €4.90 each, €29.40 of its €30.
  EXPECT_EQ(mes.decisions[2].available_cents, 2940);
}

TEST(Budgets, CompletionStopsBeforeTheEnvelopeIsExceeded) {
  // €300, three voters (€100 each). P3 (€150, everyone) costs €50 each;
  // then P1 (€200, voters 1 and 2) and P2 (€100, voter 3) need €150 per
  // voter, at which share both would be funded (€450 > €300): completion
  // keeps the outcome just below, P3 alone. Greedy adds P2.
  const std::vector<BudgetProject> projects = {
      {20000, {0, 1}}, {10000, {2}}, {15000, {0, 1, 2}}, {5000, {}}};
  const auto mes = allocate_equal_shares(30000, 3, projects);
  EXPECT_EQ(funded(mes), (std::vector<bool>{false, false, true, false}));
  EXPECT_EQ(mes.spent_cents, 15000);
  EXPECT_EQ(mes.decisions[3].reason, BudgetReason::no_votes);
  const auto greedy = allocate_greedy(30000, projects);
  EXPECT_EQ(funded(greedy), (std::vector<bool>{false, true, true, false}));
  EXPECT_EQ(greedy.decisions[0].reason, BudgetReason::too_expensive_left);
}

TEST(Budgets, CompletionRaisesTheShareToUseTheEnvelope) {
  // €100, two voters. X (€60) is approved by both, Y by voter 1 only. X
  // always costs €30 each and goes first. Y at €45 needs a share of €75
  // (€105 in all, over the envelope): X alone. Y at €40 needs €70: both,
  // €100 spent.
  EXPECT_EQ(funded(allocate_equal_shares(10000, 2, {{6000, {0, 1}}, {4500, {0}}})),
            (std::vector<bool>{true, false}));
  const auto both = allocate_equal_shares(10000, 2, {{6000, {0, 1}}, {4000, {0}}});
  EXPECT_EQ(funded(both), (std::vector<bool>{true, true}));
  EXPECT_EQ(both.spent_cents, 10000);
}

TEST(Budgets, NeverOverTheEnvelope) {
  for (Cents envelope : {Cents{1000}, Cents{5000}, Cents{12345}, Cents{100000}}) {
    std::vector<BudgetProject> projects;
    for (int p = 0; p < 8; ++p) {
      BudgetProject project{Cents{1000 + 700 * p}, {}};
      for (std::size_t v = 0; v < 12; ++v) {
        if ((v * 7 + static_cast<std::size_t>(p) * 3) % 5 < 2) project.supporters.push_back(v);
      }
      projects.push_back(project);
    }
    EXPECT_LE(allocate_equal_shares(envelope, 12, projects).spent_cents, envelope);
    EXPECT_LE(allocate_greedy(envelope, projects).spent_cents, envelope);
  }
}

}  // namespace
}  // namespace essor::core
