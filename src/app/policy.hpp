// Authorization: the one place that decides who may do what. Every use case
// asks here; the web layer never decides on its own.
#pragma once

#include <optional>
#include <string_view>

namespace essor::app {

struct Principal;

enum class OrgAction {
  edit_profile,       // name, legal form, description, SIREN, region, department
  edit_bank_details,  // IBAN and BIC
  manage_members,     // add, remove, change roles
};

// role: the principal's role in the organisation, nothing if not a member.
bool org_allows(const Principal& principal, std::optional<std::string_view> role, OrgAction action);

}  // namespace essor::app

namespace essor::app {

enum class CampaignActionKind {
  manage,    // create, edit, submit: the organisation's admins
  review,    // approve, reject: platform moderators
  close,     // end now: the organisation's admins or a moderator
  treasury,  // confirm pending pledges: the organisation's admins or treasurers
};

bool campaign_allows(const Principal& principal, std::optional<std::string_view> role,
                     CampaignActionKind action);

}  // namespace essor::app
