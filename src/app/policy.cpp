#include "app/policy.hpp"

#include "app/accounts.hpp"

namespace essor::app {

bool org_allows(const Principal& /*principal*/, std::optional<std::string_view> role,
                OrgAction action) {
  // Platform moderators review content; they do not run organisations, so
  // they get no rights here beyond those of their own memberships.
  if (!role) return false;
  switch (action) {
    case OrgAction::edit_profile:
    case OrgAction::manage_members:
      return *role == "admin";
    case OrgAction::edit_bank_details:
      return *role == "admin" || *role == "treasurer";
  }
  return false;
}

}  // namespace essor::app
