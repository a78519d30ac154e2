// app/policy: the one place where permissions are decided, as a matrix of
// role × action (the HTTP suites check that each use case and page asks it).
#include "app/policy.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string_view>

#include "app/accounts.hpp"

namespace essor::app {
namespace {

const std::optional<core::Role> kNone = std::nullopt;
const std::optional<core::Role> kMember = core::Role::member, kTreasurer = core::Role::treasurer,
                                kAdmin = core::Role::admin;

TEST(Policy, OrganisationsAreRunByTheirAdminsAndBankDetailsByTreasurersToo) {
  Principal person, moderator;
  moderator.moderator = true;
  for (auto action : {OrgAction::edit_profile, OrgAction::manage_members}) {
    EXPECT_TRUE(org_allows(person, kAdmin, action));
    EXPECT_FALSE(org_allows(person, kTreasurer, action));
    EXPECT_FALSE(org_allows(person, kMember, action));
    EXPECT_FALSE(org_allows(moderator, kNone, action)) << "moderators do not run organisations";
  }
  EXPECT_TRUE(org_allows(person, kTreasurer, OrgAction::edit_bank_details));
  EXPECT_FALSE(org_allows(person, kMember, OrgAction::edit_bank_details));
}

TEST(Policy, CampaignsAreManagedByAdminsReviewedByModeratorsClosedByEither) {
  Principal person, moderator;
  moderator.moderator = true;
  EXPECT_TRUE(campaign_allows(person, kAdmin, CampaignActionKind::manage));
  EXPECT_FALSE(campaign_allows(moderator, kNone, CampaignActionKind::manage));
  EXPECT_TRUE(campaign_allows(moderator, kNone, CampaignActionKind::review));
  EXPECT_FALSE(campaign_allows(person, kAdmin, CampaignActionKind::review));
  EXPECT_TRUE(campaign_allows(moderator, kNone, CampaignActionKind::close));
  EXPECT_TRUE(campaign_allows(person, kAdmin, CampaignActionKind::close));
  EXPECT_FALSE(campaign_allows(person, kTreasurer, CampaignActionKind::close));
  EXPECT_TRUE(campaign_allows(person, kTreasurer, CampaignActionKind::treasury));
  EXPECT_FALSE(campaign_allows(person, kMember, CampaignActionKind::treasury));
  EXPECT_FALSE(campaign_allows(moderator, kNone, CampaignActionKind::treasury));
}

TEST(Policy, VotesAndAssembliesAreRunByTheOrganisationsAdminsOnly) {
  Principal person, moderator;
  moderator.moderator = true;
  for (auto action : {GovernanceAction::close_vote, GovernanceAction::manage_assembly,
                      GovernanceAction::call_assembly, GovernanceAction::open_budget,
                      GovernanceAction::see_proxies}) {
    EXPECT_TRUE(governance_allows(person, kAdmin, action));
    EXPECT_FALSE(governance_allows(person, kTreasurer, action));
    EXPECT_FALSE(governance_allows(person, kMember, action));
    EXPECT_FALSE(governance_allows(person, kNone, action));
    EXPECT_FALSE(governance_allows(moderator, kNone, action));
  }
}

TEST(Policy, EveryMemberMayProposeAndNobodyElse) {
  Principal person, moderator;
  moderator.moderator = true;
  for (const auto role : {kAdmin, kTreasurer, kMember})
    EXPECT_TRUE(governance_allows(person, role, GovernanceAction::propose));
  EXPECT_FALSE(governance_allows(person, kNone, GovernanceAction::propose));
  EXPECT_FALSE(governance_allows(moderator, kNone, GovernanceAction::propose));
}

// Whoever sees more than the public page (a member sees drafts, a
// treasurer the export, a moderator the review) has it rendered for them;
// only the others share the page kept for any signed-in reader.
TEST(Policy, OnlyReadersWithoutARoleOrModerationShareThePageKeptForReaders) {
  Principal person, moderator;
  moderator.moderator = true;
  EXPECT_TRUE(reads_as_any_reader(person, kNone));
  for (auto role : {kMember, kTreasurer, kAdmin}) EXPECT_FALSE(reads_as_any_reader(person, role));
  EXPECT_FALSE(reads_as_any_reader(moderator, kNone));
  // Consistent with the campaign actions: nothing a sharing reader may do.
  for (auto action : {CampaignActionKind::manage, CampaignActionKind::review,
                      CampaignActionKind::close, CampaignActionKind::treasury}) {
    EXPECT_FALSE(campaign_allows(person, kNone, action));
  }
}

TEST(Policy, AMeetingLinkGoesToRegisteredPeopleAndOrganisersOnly) {
  EXPECT_TRUE(may_see_meeting_link(false, core::RegistrationStatus::registered));
  EXPECT_FALSE(may_see_meeting_link(false, core::RegistrationStatus::waiting));
  EXPECT_FALSE(may_see_meeting_link(false, std::nullopt));
  EXPECT_TRUE(may_see_meeting_link(true, std::nullopt));
}

}  // namespace
}  // namespace essor::app
