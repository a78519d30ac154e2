#include "app/policy.hpp"

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/id.hpp"
#include "core/matchfunding.hpp"

namespace essor::app {

std::optional<core::Role> role_in(ReadTx& tx, const core::OrgId& org_id,
                                  const std::optional<Principal>& who) {
  if (!who) return std::nullopt;
  return tx.orgs().member_role(org_id, who->user_id);
}

bool org_allows(const Principal& /*principal*/, std::optional<core::Role> role, OrgAction action) {
  // Platform moderators review content; they do not run organisations, so
  // they get no rights here beyond those of their own memberships.
  if (!role) return false;
  switch (action) {
    case OrgAction::edit_profile:
    case OrgAction::manage_members:
      return *role == core::Role::admin;
    case OrgAction::edit_bank_details:
      return *role == core::Role::admin || *role == core::Role::treasurer;
  }
  return false;
}

bool dues_allows(std::optional<core::Role> role, DuesAction action) {
  // Dues are the organisation's own money: no platform role sees them.
  if (!role) return false;
  switch (action) {
    case DuesAction::manage_plans:
      return *role == core::Role::admin;
    case DuesAction::see_register:
    case DuesAction::confirm_dues:
    case DuesAction::keep_books:
      return *role == core::Role::admin || *role == core::Role::treasurer;
  }
  return false;
}

bool call_allows(std::optional<core::Role> role, core::LegalForm legal_form, CallAction action) {
  if (!role || *role != core::Role::admin) return false;
  switch (action) {
    case CallAction::open_call:
    case CallAction::decide:
      return core::is_funder_form(legal_form);
    case CallAction::apply:
      return true;
  }
  return false;
}

bool cowrite_allows(std::optional<core::Role> role, bool author, CoWriteAction action) {
  if (!role) return false;  // nothing of co-creation for those outside
  switch (action) {
    case CoWriteAction::read_drafts:
    case CoWriteAction::start:
      return true;
    case CoWriteAction::edit_draft:
    case CoWriteAction::decide_amendment:
      return author;
  }
  return false;
}

bool may_read(std::optional<core::Role> role, core::Visibility visibility) {
  return visibility == core::Visibility::public_ || role.has_value();
}

bool course_allows(std::optional<core::Role> role, core::Visibility visibility,
                   CourseAction action) {
  switch (action) {
    case CourseAction::teach:
      return role && *role == core::Role::admin;
    case CourseAction::enrol:
      return may_read(role, visibility);
  }
  return false;
}

}  // namespace essor::app

namespace essor::app {

bool campaign_allows(const Principal& principal, std::optional<core::Role> role,
                     CampaignActionKind action) {
  const bool admin = role && *role == core::Role::admin;
  switch (action) {
    case CampaignActionKind::manage:
      return admin;
    case CampaignActionKind::review:
      return principal.moderator;
    case CampaignActionKind::close:
      return admin || principal.moderator;
    case CampaignActionKind::treasury:
      return admin || (role && *role == core::Role::treasurer);
  }
  return false;
}

}  // namespace essor::app

namespace essor::app {

bool governance_allows(const Principal& /*principal*/, std::optional<core::Role> role,
                       GovernanceAction action) {
  // Moderators do not run organisations' votes either.
  switch (action) {
    case GovernanceAction::propose:
      return role.has_value();
    case GovernanceAction::close_vote:
    case GovernanceAction::manage_assembly:
    case GovernanceAction::call_assembly:
    case GovernanceAction::open_budget:
    case GovernanceAction::see_proxies:
      return role && *role == core::Role::admin;
  }
  return false;
}

bool may_see_meeting_link(bool manages_event,
                          std::optional<core::RegistrationStatus> registration) {
  return manages_event || registration == core::RegistrationStatus::registered;
}

bool reads_as_any_reader(const Principal& principal, std::optional<core::Role> role) {
  return !principal.moderator && !role;
}

}  // namespace essor::app
