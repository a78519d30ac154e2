// Democratic governance, pure: the tallies of the four voting methods, the
// cap on proxies, and participatory budgets (greedy and the Method of Equal
// Shares). The app stores ballots and who voted; everything that decides an
// outcome is here, in integers, with the rules of REFERENCE.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"

namespace essor::core {

enum class VoteMethod { majority, consent, majority_judgment, approval };
std::optional<VoteMethod> parse_vote_method(std::string_view text);
std::string to_string(VoteMethod method);
// Majority judgment and approval are votes on options.
bool has_options(VoteMethod method);
// A ballot's choice: for, against or abstaining (majority); consenting or
// objecting, with a reason (consent). The words are the API's and the
// stored ballots'.
enum class MajorityChoice { yes, no, abstain };
std::optional<MajorityChoice> parse_majority_choice(std::string_view text);
std::string to_string(MajorityChoice choice);
enum class ConsentChoice { consent, object };
std::optional<ConsentChoice> parse_consent_choice(std::string_view text);
std::string to_string(ConsentChoice choice);

// A proposal is open until its closing time (or an admin closes it).
enum class ProposalStatus { open, closed };
std::optional<ProposalStatus> parse_proposal_status(std::string_view text);
std::string to_string(ProposalStatus status);
// A participatory budget: open to ballots, then closed.
enum class BudgetStatus { open, closed };
std::optional<BudgetStatus> parse_budget_status(std::string_view text);
std::string to_string(BudgetStatus status);
// A member at a general assembly: there, represented by someone there, or
// absent (the default: nobody is counted present without being recorded).
enum class Attendance { present, represented, absent };
std::optional<Attendance> parse_attendance(std::string_view text);
std::string to_string(Attendance attendance);

// Quorum: voters (directly or by proxy) × 100 ≥ quorum_pct × eligible.
bool quorum_reached(std::int64_t voters, std::int64_t eligible, std::int64_t quorum_pct);

// majority: passes when quorum is reached and yes × 100 > threshold_pct ×
// (yes + no); abstentions count for the quorum only.
struct MajorityTally {
  std::int64_t yes = 0, no = 0, abstain = 0;
};
bool majority_passes(const MajorityTally& tally, std::int64_t threshold_pct, bool quorum);

// consent: passes when quorum is reached and nobody objects.
struct ConsentTally {
  std::int64_t consent = 0, object = 0;
};
bool consent_passes(const ConsentTally& tally, bool quorum);

// Majority judgment (Balinski & Laraki). Grades from worst to best; a
// missing grade counts as the worst.
inline constexpr int kGrades = 6;
extern const char* const kGradeNames[kGrades];  // reject, poor, fair, good, very_good, excellent
std::optional<int> parse_grade(std::string_view name);

// How many voters gave each grade to one option (index: grade).
using MeritProfile = std::vector<std::int64_t>;

// The lower median grade of a profile (-1 when it is empty).
int majority_grade(const MeritProfile& profile);
// < 0 when a ranks before b (a is better), 0 on a complete tie, > 0 else.
// Same majority grade: p = share above it, q = share below; the larger
// side "above" beats "below"; two "above": larger p wins; two "below":
// smaller q wins; exact tie: one majority grade is removed from each and
// the comparison starts again.
int compare_merit(MeritProfile a, MeritProfile b);
// Option indexes from best to worst; complete ties keep the options' order.
std::vector<std::size_t> rank_majority_judgment(const std::vector<MeritProfile>& profiles);

// Approval: most approvals wins; ties keep the options' order.
std::vector<std::size_t> rank_approval(const std::vector<std::int64_t>& approvals);

// How many proxies a member may hold: fixed, `cap`; scop (law of 1947 as
// applied to SCOP): one below 20 members, else members / 20.
enum class ProxyRule { fixed, scop };
std::optional<ProxyRule> parse_proxy_rule(std::string_view text);
std::string to_string(ProxyRule rule);
std::int64_t proxy_cap(ProxyRule rule, std::int64_t cap, std::int64_t members);

// Participatory budgets: approval ballots over projects with costs.
struct BudgetProject {
  Cents cost_cents = 0;
  std::vector<std::size_t> supporters;  // voter indexes, each once
};

enum class BudgetReason {
  funded,
  too_expensive_left,    // greedy: did not fit in what was left
  no_votes,              // nobody approved it
  supporters_ran_short,  // equal shares: its supporters' money could not cover it
};

struct BudgetDecision {
  bool funded = false;
  BudgetReason reason = BudgetReason::no_votes;
  int round = 0;  // the order in which it was funded (1, 2 …), 0 if not
  // Equal shares: what each supporter paid (the most one paid), in cents,
  // rounded up; greedy: 0.
  Cents share_cents = 0;
  // What was left of the envelope (greedy) or with its supporters (equal
  // shares) when it was last considered.
  Cents available_cents = 0;
};

struct BudgetOutcome {
  std::vector<BudgetDecision> decisions;  // one per project
  Cents spent_cents = 0;
};

// Greedy (CONSUL, Decidim): by votes, most first (ties: lower cost, then
// the projects' order), funding each that still fits.
BudgetOutcome allocate_greedy(Cents envelope, const std::vector<BudgetProject>& projects);

// The Method of Equal Shares with completion: the envelope is split equally
// between the voters; repeatedly, the project whose cost its supporters can
// share most equally (the smallest most-anyone-pays) is funded, each
// supporter paying that share or all they have left (ties: lower cost, then
// more votes, then the projects' order); when no project can be paid, the
// per-voter share is raised by steps of 1% of the initial one (up to ten
// times it) and the whole is run again, keeping the last outcome that stays
// within the envelope.
// Exact integer arithmetic in millionths of a cent per voter.
BudgetOutcome allocate_equal_shares(Cents envelope, std::size_t voters,
                                    const std::vector<BudgetProject>& projects);

}  // namespace essor::core
