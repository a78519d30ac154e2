// Authorization: the one place that decides who may do what. Every use case
// asks here; the web layer never decides on its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/cowriting.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

struct Principal;
class ReadTx;

// The role of who in an organisation: none when signed out or not a member
// (what every decision below takes as `role`).
std::optional<core::Role> role_in(ReadTx& tx, const core::OrgId& org_id,
                                  const std::optional<Principal>& who);

enum class OrgAction {
  edit_profile,       // name, legal form, description, SIREN, region, department
  edit_bank_details,  // IBAN and BIC
  manage_members,     // add, remove, change roles
};

// An organisation's money life beyond campaigns: memberships and their dues.
enum class DuesAction {
  manage_plans,  // create membership plans: the organisation's admins
  see_register,  // read the member register: admins and treasurers
  confirm_dues,  // confirm dues paid by bank transfer: admins and treasurers
  keep_books,    // read the books and their exports: admins and treasurers
};

// role: the principal's role in the organisation, nothing if not a member.
bool org_allows(const Principal& principal, std::optional<core::Role> role, OrgAction action);
bool dues_allows(std::optional<core::Role> role, DuesAction action);

// Matchfunding (spec "Funding calls").
enum class CallAction {
  open_call,  // the admins of a funder organisation (collectivité, fondation, entreprise, État)
  decide,     // accept or decline an application: the admins of the call's funder
  apply,      // put a campaign forward: the admins of the campaign's organisation
};
bool call_allows(std::optional<core::Role> role, core::LegalForm legal_form, CallAction action);

// Co-creation (spec "Co-creation"): drafts, amendments, shared pages.
enum class CoWriteAction {
  read_drafts,       // drafts, their revisions, diffs and comments: the members
  start,             // start a draft, write a shared page, propose an amendment: the members
  edit_draft,        // edit, add a co-author, comment, publish: co-authors still members
  decide_amendment,  // accept or decline: the proposal's authors still members
};
// author: a co-author of the draft, or an author of the amended proposal.
bool cowrite_allows(std::optional<core::Role> role, bool author, CoWriteAction action);
// A shared page or a course: a public one for everyone, a members' one for
// the members.
bool may_read(std::optional<core::Role> role, core::Visibility visibility);

// Courses (spec "Courses (distance learning)").
enum class CourseAction {
  teach,  // publish a course, its lessons and quizzes, see its learners: the organisation's admins
  enrol,  // follow a course: whoever may read it
};
bool course_allows(std::optional<core::Role> role, core::Visibility visibility,
                   CourseAction action);

}  // namespace essor::app

namespace essor::app {

enum class CampaignActionKind {
  manage,    // create, edit, submit: the organisation's admins
  review,    // approve, reject: platform moderators
  close,     // end now: the organisation's admins or a moderator
  treasury,  // confirm pending pledges: the organisation's admins or treasurers
};

bool campaign_allows(const Principal& principal, std::optional<core::Role> role,
                     CampaignActionKind action);

}  // namespace essor::app

namespace essor::app {

// Running the organisation's democratic life. Voting itself is decided by
// the proposal's eligibility (one member, one vote), not here.
enum class GovernanceAction {
  propose,          // make a proposal: the members
  close_vote,       // close a proposal or a participatory budget before its time
  manage_assembly,  // set an assembly's agenda, record attendance and proxies
  call_assembly,    // call a general assembly
  open_budget,      // open a participatory budget
  see_proxies,      // read who holds whose proxy
};

bool governance_allows(const Principal& principal, std::optional<core::Role> role,
                       GovernanceAction action);

// An event's online meeting link goes to the people registered (not those
// waiting) and to those who manage the event; never into lists, search or
// public calendars.
bool may_see_meeting_link(bool manages_event, std::optional<core::RegistrationStatus> registration);

// A public page reads the same for every signed-in reader who has no role
// in its organisation and is not a moderator (their own parts aside: the
// menu, the form tokens, the balance, the follow button): such a reader may
// be served the page kept for any signed-in reader (web/routes.cpp).
// Anyone else (a member sees drafts, admins their buttons) gets the page
// rendered for them.
bool reads_as_any_reader(const Principal& principal, std::optional<core::Role> role);

}  // namespace essor::app
