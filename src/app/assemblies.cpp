#include "app/assemblies.hpp"

#include <algorithm>

#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;

namespace {

Error no_assembly() {
  return Error::not_found("No assembly with this id.");
}

// The assembly an admin of its organisation is about to change: not found
// for anyone outside it, forbidden (with `refusal`) for its other members.
Result<AssemblyRecord> managed_assembly(Tx& tx, const Principal& who, const std::string& id,
                                        const char* refusal) {
  auto assembly = tx.assemblies().assembly_by_id(id);
  if (!assembly) return no_assembly();
  const auto role = tx.orgs().member_role(assembly->org_id, who.user_id);
  if (!role) return no_assembly();
  if (!governance_allows(who, role, GovernanceAction::manage_assembly))
    return Error::forbidden(refusal);
  return *assembly;
}

}  // namespace

Assemblies::Assemblies(Store& store, Crypto& crypto, Clock& clock, Governance& governance,
                       GovernanceOptions options)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      governance_(governance),
      options_(std::move(options)) {}

Result<AssemblyRecord> Assemblies::create(const Principal& who, const core::OrgId& org_id,
                                          const AssemblyInput& input) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_name(input.title, 200)) problems["title"] = *p;
  if (auto p = core::check_text(input.place, 300, false)) problems["place"] = *p;
  if (input.held_at <= 0) problems["held_at"] = "required";
  const std::int64_t quorum = input.quorum_pct.value_or(0);
  if (quorum < 0 || quorum > 100) problems["quorum_pct"] = "must be from 0 to 100";
  if (!problems.empty()) return Error::validation(std::move(problems));
  const TimestampMs now = clock_.now();
  return write_result<AssemblyRecord>(store_, [&](Tx& tx) -> Result<AssemblyRecord> {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    if (!governance_allows(who, tx.orgs().member_role(org_id, who.user_id),
                           GovernanceAction::call_assembly))
      return Error::forbidden("Only the organisation's admins call an assembly.");
    AssemblyRecord a{crypto_.random_id(),
                     org_id,
                     core::trim(input.title),
                     core::trim(input.place),
                     input.held_at,
                     quorum,
                     who.user_id,
                     now,
                     std::nullopt,
                     std::nullopt};
    tx.assemblies().insert_assembly(a);
    notify_members(tx, crypto_, now, org_id, {}, who.user_id, "assembly_called",
                   {{"assembly", a.title}, {"held_at", std::to_string(a.held_at)}},
                   {core::Place::assembly, a.id}, core::Subject::assembly, a.id);
    return a;
  });
}

Result<AssemblyView> Assemblies::get(const Principal& who, const std::string& id) {
  auto view = read_value<Result<AssemblyView>>(store_, [&](ReadTx& tx) -> Result<AssemblyView> {
    auto assembly = tx.assemblies().assembly_by_id(id);
    if (!assembly) return no_assembly();
    const auto role = tx.orgs().member_role(assembly->org_id, who.user_id);
    if (!role && !who.moderator) return no_assembly();
    AssemblyView v;
    v.can_manage = governance_allows(who, role, GovernanceAction::manage_assembly);
    if (auto org = tx.orgs().org_by_id(assembly->org_id)) v.org_name = org->name;
    std::map<std::string, AttendanceRecord> attendance;
    for (auto& record : tx.assemblies().attendance_of(id)) attendance[record.user_id] = record;
    std::map<core::UserId, std::string> names;
    for (const auto& member : tx.orgs().members_with_roles(assembly->org_id, {}))
      names[member.user_id] = member.display_name;
    for (const auto& [user_id, name] : names) {
      Attendee a{user_id, name, core::Attendance::absent, std::nullopt, ""};
      if (auto it = attendance.find(user_id); it != attendance.end()) {
        a.mode = it->second.mode;
        a.represented_by = it->second.represented_by;
        if (a.represented_by) a.represented_by_name = names[*a.represented_by];
      }
      if (a.mode == core::Attendance::present) ++v.present;
      if (a.mode == core::Attendance::represented) ++v.represented;
      v.members.push_back(std::move(a));
    }
    std::sort(v.members.begin(), v.members.end(), [](const Attendee& a, const Attendee& b) {
      return a.display_name != b.display_name ? a.display_name < b.display_name
                                              : a.user_id < b.user_id;
    });
    v.quorum_reached =
        core::quorum_reached(v.present + v.represented, static_cast<std::int64_t>(v.members.size()),
                             assembly->quorum_pct);
    for (const auto& proposal_id : tx.assemblies().agenda_of(id)) {
      if (auto proposal = tx.governance().proposal_by_id(proposal_id))
        v.agenda.push_back({std::move(*proposal), std::nullopt});
    }
    v.assembly = std::move(*assembly);
    return v;
  });
  if (!view) return view;
  for (auto& item : view->agenda) {
    if (auto results = governance_.results(who, item.proposal.id)) item.results = *results;
  }
  return view;
}

Result<std::vector<AssemblyRecord>> Assemblies::of_org(const Principal& who,
                                                       const core::OrgId& org_id) {
  return read_value<Result<std::vector<AssemblyRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<AssemblyRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        if (!who.moderator && !tx.orgs().member_role(org_id, who.user_id))
          return Error::forbidden("Only the organisation's members see its assemblies.");
        return tx.assemblies().assemblies_of_org(org_id);
      });
}

Result<AssemblyView> Assemblies::add_item(const Principal& who, const std::string& id,
                                          const core::ProposalId& proposal_id) {
  auto done = write_result<bool>(store_, [&](Tx& tx) -> Result<bool> {
    auto assembly = managed_assembly(tx, who, id, "Only the organisation's admins set the agenda.");
    if (!assembly) return assembly.error();
    auto proposal = tx.governance().proposal_by_id(proposal_id);
    if (!proposal || proposal->org_id != assembly->org_id)
      return Error::validation({{"proposal_id", "not a proposal of this organisation"}});
    if (!tx.assemblies().add_to_agenda(id, proposal_id))
      return Error::conflict("already_on_agenda", "This proposal is already on the agenda.");
    return true;
  });
  if (!done) return done.error();
  return get(who, id);
}

Result<AssemblyView> Assemblies::set_attendance(const Principal& who, const std::string& id,
                                                const core::UserId& user_id, core::Attendance mode,
                                                const std::optional<core::UserId>& represented_by) {
  using core::Attendance;
  if (mode == Attendance::represented && !represented_by)
    return Error::validation({{"represented_by", "required for a represented member"}});
  auto done = write_result<bool>(store_, [&](Tx& tx) -> Result<bool> {
    auto assembly =
        managed_assembly(tx, who, id, "Only the organisation's admins record the attendance.");
    if (!assembly) return assembly.error();
    if (!tx.orgs().member_role(assembly->org_id, user_id))
      return Error::validation({{"user_id", "not a member of the organisation"}});
    const auto attendance = tx.assemblies().attendance_of(id);
    // Nobody may be marked absent or represented while representing others.
    for (const auto& record : attendance) {
      if (record.represented_by == user_id && mode != Attendance::present) {
        return Error::conflict("represents_others",
                               "This member represents others: they must be present.");
      }
    }
    if (mode == Attendance::absent) {
      tx.assemblies().delete_attendance(id, user_id);
      return true;
    }
    if (mode == Attendance::represented) {
      const auto& holder = *represented_by;
      const bool holder_present = std::any_of(
          attendance.begin(), attendance.end(),
          [&](const auto& r) { return r.user_id == holder && r.mode == Attendance::present; });
      if (holder == user_id || !holder_present) {
        return Error::validation({{"represented_by", "must be another member, marked present"}});
      }
      std::int64_t held = 0;
      for (const auto& record : attendance)
        held += record.represented_by == holder && record.user_id != user_id ? 1 : 0;
      const auto cap = core::proxy_cap(options_.proxy_rule, options_.proxy_cap,
                                       tx.orgs().count_members(assembly->org_id));
      if (held >= cap) {
        return Error::conflict("proxy_cap_reached",
                               "This member already represents the most members allowed.");
      }
    }
    tx.assemblies().put_attendance(
        id, AttendanceRecord{user_id, mode,
                             mode == Attendance::represented ? represented_by : std::nullopt});
    return true;
  });
  if (!done) return done.error();
  return get(who, id);
}

Result<AssemblyView> Assemblies::set_officers(
    const Principal& who, const std::string& id, const std::optional<core::UserId>& chair_user_id,
    const std::optional<core::UserId>& secretary_user_id) {
  if (chair_user_id && secretary_user_id && *chair_user_id == *secretary_user_id)
    return Error::validation({{"secretary_user_id", "must be another member than the chair"}});
  auto done = write_result<bool>(store_, [&](Tx& tx) -> Result<bool> {
    auto assembly = managed_assembly(
        tx, who, id, "Only the organisation's admins name the chair and the secretary.");
    if (!assembly) return assembly.error();
    std::map<std::string, std::string> problems;
    if (chair_user_id && !tx.orgs().member_role(assembly->org_id, *chair_user_id))
      problems["chair_user_id"] = "not a member of the organisation";
    if (secretary_user_id && !tx.orgs().member_role(assembly->org_id, *secretary_user_id))
      problems["secretary_user_id"] = "not a member of the organisation";
    if (!problems.empty()) return Error::validation(std::move(problems));
    tx.assemblies().set_assembly_officers(id, chair_user_id, secretary_user_id);
    return true;
  });
  if (!done) return done.error();
  return get(who, id);
}

}  // namespace essor::app
