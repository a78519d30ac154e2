// Each CASE is a mix-up core/id.hpp must refuse to compile. ctest compiles
// this file once per case expecting failure, and once more per case with
// ESSOR_CONTROL defined (the same line written correctly) expecting success,
// so a case cannot pass by failing for an unrelated reason.
#include <optional>
#include <string>

#include "core/id.hpp"

using essor::core::CampaignId;
using essor::core::CourseId;
using essor::core::LessonId;
using essor::core::OrgId;
using essor::core::ProposalId;
using essor::core::UserId;

namespace {
[[maybe_unused]] bool takes_user(const UserId& user) {
  return user.empty();
}
[[maybe_unused]] bool takes_org(const OrgId& org) {
  return org.empty();
}
[[maybe_unused]] bool takes_proposal(const ProposalId& proposal) {
  return proposal.empty();
}
[[maybe_unused]] bool takes_course(const CourseId& course) {
  return course.empty();
}
}  // namespace

int main(int argc, char** argv) {
  const std::string text = argv[argc - 1];  // text known at run time
  const std::optional<std::string> maybe_text = text;
  const UserId user{text};
  const OrgId org{text};
  const CampaignId campaign{text};
  const ProposalId proposal{text};
  const CourseId course{text};
  const LessonId lesson{text};
#ifdef ESSOR_CONTROL
#define WRONG(bad, good) good
#else
#define WRONG(bad, good) bad
#endif
#if CASE == 1  // text made a user id without saying so
  UserId c = WRONG(text, UserId{text});
#elif CASE == 2   // an organisation passed where a user is expected
  bool c = takes_user(WRONG(org, user));
#elif CASE == 3   // an organisation's id turned into a user's, even explicitly
  UserId c = WRONG(UserId{org}, UserId{text});
#elif CASE == 4   // a user compared with an organisation
  bool c = WRONG(user == org, user == UserId{text});
#elif CASE == 5   // a campaign passed where an organisation is expected
  bool c = takes_org(WRONG(campaign, org));
#elif CASE == 6   // a literal where a user is expected
  bool c = takes_user(WRONG("u-1", UserId{"u-1"}));
#elif CASE == 7   // a user ordered against an organisation
  bool c = WRONG(user < org, user < UserId{text});
#elif CASE == 8   // one kind assigned to another
  CampaignId c;
  WRONG(c = org, c = CampaignId{text});
#elif CASE == 9   // optional text made an optional id without saying so
  std::optional<UserId> c = WRONG(maybe_text, essor::core::optional_id<UserId>(maybe_text));
#elif CASE == 10  // a campaign put on an assembly's agenda as if it were a proposal
  bool c = takes_proposal(WRONG(campaign, proposal));
#elif CASE == 11  // a lesson's id where its course's is expected
  bool c = takes_course(WRONG(lesson, course));
#else
#error "CASE must be 1..11"
#endif
  return static_cast<int>(sizeof(c) & 1);
}
