// General assemblies: a date and place, an agenda of the organisation's
// proposals, the attendance (present, or represented by a present member,
// within the proxy cap), the assembly's quorum over present and
// represented members, and what the minutes are made of. Safe to use from
// many threads.
#pragma once

#include <string>
#include <vector>

#include "app/governance.hpp"
#include "core/id.hpp"

namespace essor::app {

struct AssemblyInput {
  std::string title;
  std::string place;
  TimestampMs held_at = 0;
  std::optional<std::int64_t> quorum_pct;
};

struct Attendee {
  core::UserId user_id;
  std::string display_name;
  core::Attendance mode = core::Attendance::absent;
  std::optional<core::UserId> represented_by;
  std::string represented_by_name;
};

struct AgendaItem {
  ProposalRecord proposal;
  std::optional<ProposalResults> results;  // none while a secret ballot is open
};

struct AssemblyView {
  AssemblyRecord assembly;
  std::string org_name;
  std::vector<AgendaItem> agenda;
  std::vector<Attendee> members;  // every member, present or not, by name
  std::int64_t present = 0;
  std::int64_t represented = 0;
  bool quorum_reached = false;
  bool can_manage = false;  // the reader is an admin of the organisation
};

class Assemblies {
 public:
  Assemblies(Store& store, Crypto& crypto, Clock& clock, Governance& governance,
             GovernanceOptions options);

  // Org admins.
  core::Result<AssemblyRecord> create(const Principal& who, const core::OrgId& org_id,
                                      const AssemblyInput& input);
  // Org members and moderators.
  core::Result<AssemblyView> get(const Principal& who, const std::string& id);
  core::Result<std::vector<AssemblyRecord>> of_org(const Principal& who, const core::OrgId& org_id);
  // Org admins: a proposal of the same organisation.
  core::Result<AssemblyView> add_item(const Principal& who, const std::string& id,
                                      const core::ProposalId& proposal_id);
  // Org admins. mode: present, represented (by a present member, within the
  // proxy cap) or absent.
  core::Result<AssemblyView> set_attendance(const Principal& who, const std::string& id,
                                            const core::UserId& user_id, core::Attendance mode,
                                            const std::optional<core::UserId>& represented_by);
  // Org admins: who chairs the meeting and who takes the minutes (members
  // of the organisation, two different people; none to clear).
  core::Result<AssemblyView> set_officers(const Principal& who, const std::string& id,
                                          const std::optional<core::UserId>& chair_user_id,
                                          const std::optional<core::UserId>& secretary_user_id);

 private:
  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  Governance& governance_;
  GovernanceOptions options_;
};

}  // namespace essor::app
