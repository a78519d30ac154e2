#include "app/calls.hpp"

#include <algorithm>
#include <set>

#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/territory.hpp"
#include "core/time.hpp"

namespace essor::app {

using core::ApplicationStatus;
using core::Error;
using core::Result;

namespace {

Error no_call() {
  return Error::not_found("No funding call with this id.");
}

template <typename T>
bool contains(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Why the campaign does not meet the call's criteria (nothing: it does).
std::optional<std::string> outside_criteria(const CallRecord& call, const CampaignRecord& campaign,
                                            const OrgRecord& org) {
  if (!call.regions.empty()) {
    const auto region = core::region_code_of(org.region.value_or(""), org.department.value_or(""));
    if (!region || !contains(call.regions, *region))
      return "the organisation is not in a region of this call";
  }
  if (!call.categories.empty() && !contains(call.categories, campaign.category))
    return "the campaign's category is not one of this call's";
  if (!call.legal_forms.empty() && !contains(call.legal_forms, org.legal_form))
    return "the organisation's legal form is not one of this call's";
  return std::nullopt;
}

}  // namespace

Result<CallRecord> Calls::open(const Principal& who, const core::OrgId& org_id,
                               const core::CallInput& input,
                               std::map<std::string, std::string> unreadable) {
  const TimestampMs now = clock_.now();
  auto problems = core::check_call(input, now);
  // What could not be read is told instead of what it made of it.
  for (auto& [field, problem] : unreadable) problems[field] = std::move(problem);
  return write_result<CallRecord>(store_, [&](Tx& tx) -> Result<CallRecord> {
    const auto org = tx.orgs().org_by_id(org_id);
    if (!org) return Error::not_found("No organisation with this id.");
    const auto role = tx.orgs().member_role(org_id, who.user_id);
    if (!call_allows(role, org->legal_form, CallAction::open_call)) {
      return role && *role == core::Role::admin
                 ? Error::forbidden(
                       "Only funders (collectivité, fondation, entreprise, État) open calls.")
                 : Error::forbidden("Only the organisation's admins open its calls.");
    }
    if (!problems.empty()) return Error::validation(std::move(problems));
    CallRecord call;
    call.id = crypto_.random_id();
    call.org_id = org_id;
    call.title = core::trim(input.title);
    call.description_md = input.description_md;
    call.terms = input.terms;
    call.regions = input.regions;
    call.categories = input.categories;
    // Checked by check_call: ESS forms, each known.
    for (const auto& word : input.legal_forms) {
      if (const auto form = core::parse_legal_form(word)) call.legal_forms.push_back(*form);
    }
    call.created_by = who.user_id;
    call.created_at = now;
    call.org_name = org->name;
    tx.calls().insert_call(call);
    // The pool is money from now on: on the call's own account.
    ledger_.post(tx, core::funder_source_account(), core::call_account(call.id),
                 call.terms.pool_cents, core::TransferKind::pool, std::nullopt, std::nullopt);
    return call;
  });
}

std::vector<CallRecord> Calls::list(std::int64_t limit, std::int64_t offset) {
  return read_value<std::vector<CallRecord>>(
      store_, [&](ReadTx& tx) { return tx.calls().list_calls(limit, offset); });
}

std::vector<CallRecord> Calls::of_org(const core::OrgId& org_id) {
  return read_value<std::vector<CallRecord>>(
      store_, [&](ReadTx& tx) { return tx.calls().calls_of_org(org_id); });
}

Result<CallView> Calls::get(const Principal& who, const std::string& id) {
  return read_value<Result<CallView>>(store_, [&](ReadTx& tx) -> Result<CallView> {
    auto call = tx.calls().call_by_id(id);
    if (!call) return no_call();
    CallView view;
    const auto funder = tx.orgs().org_by_id(call->org_id);
    view.may_decide = !who.user_id.empty() && funder &&
                      call_allows(tx.orgs().member_role(call->org_id, who.user_id),
                                  funder->legal_form, CallAction::decide);
    // The organisations the reader runs see their own applications.
    std::set<std::string> own;
    if (!who.user_id.empty()) {
      for (const auto& [org, role] : tx.orgs().orgs_of_user(who.user_id)) {
        if (call_allows(role, org.legal_form, CallAction::apply)) own.insert(org.id);
      }
    }
    for (auto& application : tx.calls().applications_of_call(id)) {
      bool shown = view.may_decide || application.status == ApplicationStatus::accepted;
      if (!shown && !own.empty()) {
        const auto campaign = tx.campaigns().campaign_by_id(application.campaign_id);
        shown = campaign && own.count(campaign->org_id);
      }
      if (shown) view.applications.push_back(std::move(application));
    }
    view.call = std::move(*call);
    return view;
  });
}

Result<ApplicationRecord> Calls::apply(const Principal& who, const std::string& call_id,
                                       const core::CampaignId& campaign_id) {
  const TimestampMs now = clock_.now();
  return write_result<ApplicationRecord>(store_, [&](Tx& tx) -> Result<ApplicationRecord> {
    const auto call = tx.calls().call_by_id(call_id);
    if (!call) return no_call();
    const auto campaign = tx.campaigns().campaign_by_id(campaign_id);
    const auto role =
        campaign ? tx.orgs().member_role(campaign->org_id, who.user_id) : std::nullopt;
    // A campaign one cannot see does not exist, for this answer.
    if (!campaign || (!core::is_public(campaign->status) && !role))
      return Error::validation({{"campaign_id", "no campaign with this id"}});
    const auto org = tx.orgs().org_by_id(campaign->org_id);
    if (!call_allows(role, org->legal_form, CallAction::apply))
      return Error::forbidden("Only the campaign's organisation's admins apply for it.");
    if (call->terms.closes_at <= now) return Error::conflict("call_closed", "This call is closed.");
    if (campaign->kind == core::CampaignKind::loan)
      return Error::validation({{"campaign_id", "a loan is repaid to lenders: it is not matched"}});
    if (campaign->status == core::CampaignStatus::succeeded ||
        campaign->status == core::CampaignStatus::failed)
      return Error::conflict("campaign_not_live", "This campaign is over.");
    if (auto why = outside_criteria(*call, *campaign, *org))
      return Error::validation({{"campaign_id", *why}});
    ApplicationRecord application;
    application.call_id = call_id;
    application.campaign_id = campaign_id;
    application.applied_by = who.user_id;
    application.applied_at = now;
    if (!tx.calls().insert_application(application))
      return Error::conflict("already_applied", "This campaign has already applied to this call.");
    return *tx.calls().application(call_id, campaign_id);
  });
}

Result<ApplicationRecord> Calls::decide(const Principal& who, const std::string& call_id,
                                        const core::CampaignId& campaign_id, bool accepted) {
  const TimestampMs now = clock_.now();
  return write_result<ApplicationRecord>(store_, [&](Tx& tx) -> Result<ApplicationRecord> {
    const auto call = tx.calls().call_by_id(call_id);
    if (!call) return no_call();
    const auto funder = tx.orgs().org_by_id(call->org_id);
    if (!call_allows(tx.orgs().member_role(call->org_id, who.user_id), funder->legal_form,
                     CallAction::decide))
      return Error::forbidden("Only the funder's admins decide on applications.");
    const auto application = tx.calls().application(call_id, campaign_id);
    if (!application) return Error::not_found("This campaign has not applied to this call.");
    if (application->status != ApplicationStatus::pending)
      return Error::conflict("application_decided", "This application has been decided already.");
    const auto to = accepted ? ApplicationStatus::accepted : ApplicationStatus::declined;
    if (!tx.calls().decide_application(call_id, campaign_id, to, now)) {
      return Error::conflict("already_matched",
                             "Another call already matches this campaign's pledges.");
    }
    const auto campaign = tx.campaigns().campaign_by_id(campaign_id);
    if (campaign) {
      // The organisation's admins learn the decision.
      for (const auto& member :
           tx.orgs().members_with_roles(campaign->org_id, {core::Role::admin})) {
        notify_in(tx, crypto_, now, member.user_id,
                  accepted ? "call_application_accepted" : "call_application_declined",
                  {{"campaign", campaign->title}, {"call", call->title}},
                  {core::Place::call, call_id}, core::Subject::call, call_id);
      }
    }
    return *tx.calls().application(call_id, campaign_id);
  });
}

std::vector<ApplicationRecord> Calls::accepted_for(const core::CampaignId& campaign_id) {
  return read_value<std::vector<ApplicationRecord>>(store_, [&](ReadTx& tx) {
    std::vector<ApplicationRecord> out;
    for (auto& application : tx.calls().applications_of_campaign(campaign_id)) {
      if (application.status == ApplicationStatus::accepted) out.push_back(std::move(application));
    }
    return out;
  });
}

Result<std::vector<TerritoryLine>> Calls::territories(TerritoryLevel level, std::int64_t year) {
  if (year < 2000 || year > 2100) return Error::validation({{"year", "must be from 2000 to 2100"}});
  const auto from = core::from_paris_time(year, 1, 1, 0, 0);
  const auto to = core::from_paris_time(year + 1, 1, 1, 0, 0);
  const TerritoryFigures figures = read_value<TerritoryFigures>(
      store_, [&](ReadTx& tx) { return tx.calls().territory_figures(*from, *to); });
  // Every region (the map shows them all); departments with campaigns.
  std::map<std::string, TerritoryLine> lines;
  if (level == TerritoryLevel::region) {
    for (const auto& region : core::regions()) {
      auto& line = lines[std::string(region.code)];
      line.code = region.code;
      line.name = region.name;
    }
  }
  std::map<std::string, std::string> place_of_org;
  auto place = [&](const TerritoryCampaign& c) -> std::string {
    if (level == TerritoryLevel::region)
      return core::region_code_of(c.region, c.department).value_or("NR");
    return core::department_code_of(c.department).value_or("NR");
  };
  std::map<std::string, std::set<std::string>> orgs;
  for (const auto& c : figures.campaigns) {
    const std::string code = place(c);
    place_of_org[c.org_id] = code;
    auto& line = lines[code];
    if (line.code.empty()) {
      line.code = code;
      line.name = code == "NR"                      ? "Non renseigné"
                  : level == TerritoryLevel::region ? core::region_name(code).value_or(code)
                                                    : core::department_name(code).value_or(code);
    }
    ++line.campaigns;
    if (c.status == core::CampaignStatus::succeeded) ++line.succeeded;
    line.raised_cents += c.raised_cents;
    line.matched_cents += c.matched_cents;
    orgs[code].insert(c.org_id);
    for (auto* part :
         {&line.by_category[c.category], &line.by_legal_form[core::to_string(c.legal_form)]}) {
      ++part->campaigns;
      part->raised_cents += c.raised_cents;
      part->matched_cents += c.matched_cents;
    }
  }
  std::map<std::string, std::set<std::string>> backers;
  for (const auto& [org_id, user_id] : figures.org_backers) {
    const auto it = place_of_org.find(org_id);
    if (it != place_of_org.end()) backers[it->second].insert(user_id);
  }
  std::vector<TerritoryLine> out;
  for (auto& [code, line] : lines) {
    line.organisations = static_cast<std::int64_t>(orgs[code].size());
    line.backers = static_cast<std::int64_t>(backers[code].size());
    out.push_back(std::move(line));
  }
  return out;
}

core::Cents match_pledge(Tx& tx, Crypto& crypto, Ledger& ledger, core::TimestampMs now,
                         const PledgeRecord& pledge) {
  // One indexed read for the pledges of campaigns no call matches.
  return match_pledge(tx, crypto, ledger, now, pledge,
                      tx.calls().accepted_call_of(pledge.campaign_id));
}

core::Cents match_pledge(Tx& tx, Crypto& crypto, Ledger& ledger, core::TimestampMs now,
                         const PledgeRecord& pledge, const std::optional<std::string>& call_id) {
  if (!call_id) return 0;
  // Held to the commit: every match of this call, on every instance,
  // decides after this one is recorded.
  const auto call = tx.calls().lock_call(*call_id);
  if (!call || !core::call_open(call->terms, now)) return 0;
  const auto application = tx.calls().application(*call_id, pledge.campaign_id);
  const auto campaign = tx.campaigns().campaign_by_id(pledge.campaign_id);
  if (!application || !campaign) return 0;
  core::MatchRoom room;
  room.campaign_left = call->terms.cap_per_campaign_cents - application->matched_cents;
  if (call->terms.cap_per_backer_cents) {
    room.backer_left =
        *call->terms.cap_per_backer_cents - tx.calls().matched_to_backer(*call_id, pledge.user_id);
  }
  room.pool_left = call->terms.pool_cents - call->committed_cents;
  const core::Cents amount = core::match_amount(pledge.amount_cents, call->terms, room);
  if (amount <= 0) return 0;
  tx.calls().insert_match({crypto.random_id(), *call_id, campaign->id, pledge.id, pledge.user_id,
                           amount, core::MatchStatus::active, now});
  const std::string account = core::campaign_account(campaign->id);
  ledger.post(tx, core::call_account(*call_id), account, amount, core::TransferKind::match,
              pledge.id, campaign->id);
  if (campaign->status == core::CampaignStatus::succeeded) {
    // Paid out already: the late match follows the money.
    ledger.post(tx, account, core::org_account(campaign->org_id), amount,
                core::TransferKind::payout, pledge.id, campaign->id);
  }
  return amount;
}

void return_matches(Tx& tx, Ledger& ledger, const core::CampaignId& campaign_id,
                    core::TimestampMs now) {
  for (const auto& match : tx.calls().active_matches_of_campaign(campaign_id)) {
    if (!tx.calls().return_match(match, now)) continue;
    ledger.post(tx, core::campaign_account(campaign_id), core::call_account(match.call_id),
                match.amount_cents, core::TransferKind::match_return, match.pledge_id, campaign_id);
  }
}

}  // namespace essor::app
