#include "app/memberships.hpp"

#include "app/bilingual_mail.hpp"
#include "app/policy.hpp"
#include "app/receipts.hpp"
#include "app/tx_helpers.hpp"
#include "core/epc_qr.hpp"
#include "core/id.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::MembershipStatus;
using core::Result;

namespace {

// How long before its last day a member is reminded, and how far ahead of
// it the next membership of the same plan may be paid.
constexpr int kReminderDays = 30;

Error no_plan() {
  return Error::not_found("No membership plan with this id.");
}

}  // namespace

Memberships::Memberships(Store& store, Crypto& crypto, Clock& clock, const Wording& wording,
                         Ledger& ledger, PaymentOptions options, std::string public_url)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      wording_(wording),
      ledger_(ledger),
      options_(std::move(options)),
      public_url_(std::move(public_url)) {}

std::string Memberships::today() const {
  return core::paris_date_field(clock_.now());
}

Result<MembershipPlanRecord> Memberships::create_plan(const Principal& who,
                                                      const core::OrgId& org_id,
                                                      const PlanInput& input) {
  std::map<std::string, std::string> problems;
  const std::string name = core::trim(input.name);
  auto unreadable = [&](const char* field) { return input.unreadable.count(field) > 0; };
  if (auto p = core::check_name(name, 120); p && !unreadable("name")) problems["name"] = *p;
  if ((input.amount_cents <= 0 || input.amount_cents > core::kMaxPledgeCents) &&
      !unreadable("amount_cents"))
    problems["amount_cents"] = "must be from 1 to 10000000";
  const auto period = core::parse_membership_period(input.period);
  if (!period && !unreadable("period"))
    problems["period"] = "must be calendar_year or twelve_months";
  core::Cents minimum = input.free_amount ? core::Cents{1} : input.amount_cents;
  if (input.min_amount_cents) {
    if (!input.free_amount) {
      if (*input.min_amount_cents != input.amount_cents)
        problems["min_amount_cents"] = "only for a free amount";
    } else if (*input.min_amount_cents <= 0 || *input.min_amount_cents > input.amount_cents) {
      problems["min_amount_cents"] = "must be from 1 to the suggested amount_cents";
    } else {
      minimum = *input.min_amount_cents;
    }
  }
  return write_result<MembershipPlanRecord>(store_, [&](Tx& tx) -> Result<MembershipPlanRecord> {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    if (!dues_allows(tx.orgs().member_role(org_id, who.user_id), DuesAction::manage_plans))
      return Error::forbidden("Only the organisation's admins create membership plans.");
    for (const auto& [field, problem] : input.unreadable) problems[field] = problem;
    if (!problems.empty()) return Error::validation(problems);
    MembershipPlanRecord plan;
    plan.id = crypto_.random_id();
    plan.org_id = org_id;
    plan.name = name;
    plan.amount_cents = input.amount_cents;
    plan.free_amount = input.free_amount;
    plan.min_amount_cents = minimum;
    plan.period = *period;
    plan.voting = input.voting;
    plan.created_at = clock_.now();
    tx.dues().insert_plan(plan);
    return plan;
  });
}

Result<std::vector<MembershipPlanRecord>> Memberships::plans(const core::OrgId& org_id) {
  return read_value<Result<std::vector<MembershipPlanRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<MembershipPlanRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        return tx.dues().plans_of(org_id);
      });
}

bool Memberships::activate(Tx& tx, const MembershipRecord& membership,
                           const MembershipPlanRecord& plan, const OrgRecord& org,
                           TimestampMs now) {
  ledger_.post(tx, Ledger::source(tx, membership.payment_method, membership.user_id),
               core::org_account(org.id), membership.amount_cents, core::TransferKind::membership,
               std::nullopt, std::nullopt);
  bool made = false;
  auto user = tx.accounts().user_by_id(membership.user_id);
  // A guest account never signs in: it holds no role (claimed, the dues
  // are the claiming account's).
  const bool guest = user && user->email_norm.starts_with("guest:");
  if (plan.voting && !guest) {
    const auto role = tx.orgs().member_role(org.id, membership.user_id);
    if (!role) {
      made = tx.orgs().insert_member(org.id, membership.user_id, core::Role::member, now);
    } else if (*role == core::Role::member) {
      // Renewed: the role the earlier dues gave now rests on these.
      for (const auto& earlier : tx.dues().memberships_of_user(membership.user_id))
        made = made || (earlier.org_id == org.id && earlier.made_member);
    }
    if (made) tx.dues().set_made_member(membership.id);
  }
  if (!user) return made;
  auto params_in = [&](const std::string&) {
    return std::map<std::string, std::string>{
        {"name", user->display_name},
        {"org", org.name},
        {"plan", plan.name},
        {"amount_cents", std::to_string(membership.amount_cents)},
        {"starts_on", membership.starts_on},
        {"ends_on", membership.ends_on},
        {"link", public_url_ + wording_.path({core::Place::my_memberships, ""})}};
  };
  auto mail = bilingual_mail(wording_, "mail_membership_subject", "mail_membership_body",
                             params_in("fr"), params_in("en"));
  tx.outbox().insert_outbox({crypto_.random_id(), user->id, "membership_confirmed", user->email,
                             std::move(mail.subject), std::move(mail.body), "", now, 0});
  return made;
}

Result<Rendered> Memberships::subscribe(
    const Principal& who, const std::string& plan_id, const std::string& key,
    const std::string& fingerprint, const SubscriptionInput& input,
    const std::function<std::string(const MembershipOutcome&)>& render) {
  if (auto problem = check_idempotency_key(key)) return *problem;
  {
    std::map<std::string, std::string> problems;
    if (input.receipt) {
      for (auto& [field, problem] : check_donor(*input.receipt))
        problems["receipt." + field] = problem;
    }
    if (input.guest) {
      for (auto& [field, problem] : check_guest(*input.guest)) problems["guest." + field] = problem;
    }
    if (!problems.empty()) return Error::validation(problems);
  }
  const auto* method = options_.provider(std::string_view{input.payment_method});
  if (!method) return Error::validation({{"payment_method", "must be " + options_.words()}});
  const std::string request_hash =
      crypto_.sha256_hex("membership\n" + plan_id + "\n" + fingerprint);
  const TimestampMs now = clock_.now();
  const std::string today = core::paris_date_field(now);
  const std::string scope = input.guest ? guest_scope(*input.guest) : who.user_id;
  return write_result<Rendered>(store_, [&](Tx& tx) -> Result<Rendered> {
    return run_idempotent(tx, scope, key, request_hash, now, [&]() -> Result<Rendered> {
      auto plan = tx.dues().plan_by_id(plan_id);
      if (!plan) return no_plan();
      auto org = tx.orgs().org_by_id(plan->org_id);
      if (!org) return no_plan();
      core::Cents amount = plan->amount_cents;
      if (plan->free_amount) {
        if (input.amount_cents) amount = *input.amount_cents;
        if (amount < plan->min_amount_cents) {
          return Error::validation(
              {{"amount_cents", "below this plan's minimum of " +
                                    std::to_string(plan->min_amount_cents) + " cents"}});
        }
        if (amount > core::kMaxPledgeCents)
          return Error::validation({{"amount_cents", "must be from 1 to 10000000"}});
      } else if (input.amount_cents && *input.amount_cents != plan->amount_cents) {
        return Error::validation(
            {{"amount_cents",
              "this plan's amount is " + std::to_string(plan->amount_cents) + " cents"}});
      }
      if (!method->available_for(*org)) {
        return Error::conflict("bank_details_missing",
                               "This organisation has not given its bank details yet.");
      }
      // A guest joins as a new guest account (no earlier memberships).
      const Principal member = input.guest ? make_guest(tx, crypto_, now, *input.guest) : who;
      // The next membership of a plan follows the last one: paid ahead
      // (from a month before its end), it starts the day after.
      std::string starts_on = today;
      for (const auto& earlier : tx.dues().memberships_of_user(member.user_id)) {
        if (earlier.plan_id != plan->id || (earlier.status != MembershipStatus::active &&
                                            earlier.status != MembershipStatus::pending))
          continue;
        if (earlier.ends_on > core::add_days(today, kReminderDays)) {
          return Error::conflict("already_member",
                                 "You are a member under this plan until " + earlier.ends_on + ".");
        }
        if (earlier.ends_on >= starts_on) starts_on = core::add_days(earlier.ends_on, 1);
      }
      MembershipRecord membership;
      membership.id = crypto_.random_id();
      membership.org_id = org->id;
      membership.user_id = member.user_id;
      membership.plan_id = plan->id;
      membership.status =
          method->confirms_at_once() ? MembershipStatus::active : MembershipStatus::pending;
      membership.starts_on = starts_on;
      membership.ends_on = core::membership_ends_on(plan->period, starts_on);
      membership.amount_cents = amount;
      membership.payment_method = method->method();
      membership.reference = core::transfer_reference("ADH-", membership.id);
      membership.created_at = now;
      membership.updated_at = now;
      membership.plan_name = plan->name;
      membership.display_name = member.display_name;
      tx.dues().insert_membership(membership);
      if (input.receipt) {
        if (auto refused = keep_donor_details(tx, core::ReceiptSource::membership, membership.id,
                                              member.user_id, org->id, *input.receipt, now))
          return *refused;
      }
      if (membership.status == MembershipStatus::active) {
        membership.made_member = activate(tx, membership, *plan, *org, now);
      }
      if (input.guest)
        mail_guest(tx, crypto_, wording_, public_url_, now, member, org->name, amount);
      MembershipOutcome outcome{membership, std::nullopt};
      if (membership.status == MembershipStatus::pending)
        outcome.transfer = method->instructions(*org, membership.reference, amount);
      return Rendered{201, render(outcome)};
    });
  });
}

Result<MembershipOutcome> Memberships::confirm(const Principal& who,
                                               const std::string& membership_id) {
  const TimestampMs now = clock_.now();
  return write_result<MembershipOutcome>(store_, [&](Tx& tx) -> Result<MembershipOutcome> {
    auto membership = tx.dues().membership_by_id(membership_id);
    if (!membership) return Error::not_found("No membership with this id.");
    if (!dues_allows(tx.orgs().member_role(membership->org_id, who.user_id),
                     DuesAction::confirm_dues))
      return Error::forbidden("Only the organisation's treasurer or admins confirm dues.");
    if (!tx.dues().transition_membership(membership_id, MembershipStatus::pending,
                                         MembershipStatus::active, now)) {
      return Error::conflict("membership_not_pending",
                             "Only a membership waiting for its transfer can be confirmed.");
    }
    auto plan = tx.dues().plan_by_id(membership->plan_id);
    auto org = tx.orgs().org_by_id(membership->org_id);
    membership->status = MembershipStatus::active;
    membership->updated_at = now;
    activate(tx, *membership, *plan, *org, now);
    return MembershipOutcome{*tx.dues().membership_by_id(membership_id), std::nullopt};
  });
}

Result<MembershipOutcome> Memberships::get(const Principal& who, const std::string& membership_id) {
  return read_value<Result<MembershipOutcome>>(
      store_, [&](ReadTx& tx) -> Result<MembershipOutcome> {
        auto membership = tx.dues().membership_by_id(membership_id);
        if (!membership) return Error::not_found("No membership with this id.");
        if (membership->user_id != who.user_id &&
            !dues_allows(tx.orgs().member_role(membership->org_id, who.user_id),
                         DuesAction::see_register))
          return Error::forbidden();
        MembershipOutcome outcome{*membership, std::nullopt};
        if (membership->status == MembershipStatus::pending) {
          auto org = tx.orgs().org_by_id(membership->org_id);
          if (const auto* method = options_.provider(membership->payment_method); method && org)
            outcome.transfer =
                method->instructions(*org, membership->reference, membership->amount_cents);
        }
        return outcome;
      });
}

Result<std::vector<MembershipRecord>> Memberships::register_of(
    const Principal& who, const core::OrgId& org_id, std::optional<core::MembershipStatus> status,
    std::int64_t limit, std::int64_t offset) {
  return read_value<Result<std::vector<MembershipRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<MembershipRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        if (!dues_allows(tx.orgs().member_role(org_id, who.user_id), DuesAction::see_register))
          return Error::forbidden("Only the organisation's treasurer or admins read its register.");
        return tx.dues().memberships_of_org(org_id, status, limit, offset);
      });
}

std::vector<MembershipRecord> Memberships::mine(const Principal& who) {
  return read_value<std::vector<MembershipRecord>>(
      store_, [&](ReadTx& tx) { return tx.dues().memberships_of_user(who.user_id); });
}

DuesWork Memberships::run_due() {
  const TimestampMs now = clock_.now();
  const std::string today = core::paris_date_field(now);
  DuesWork work;
  for (const auto& due : read_value<std::vector<MembershipRecord>>(store_, [&](ReadTx& tx) {
         return tx.dues().to_remind(core::add_days(today, kReminderDays), 200);
       })) {
    write_counted(store_, work, [&](Tx& tx) {
      if (!tx.dues().mark_reminded(due.id, now)) return true;
      auto user = tx.accounts().user_by_id(due.user_id);
      auto org = tx.orgs().org_by_id(due.org_id);
      if (!user || !org || user->email.empty()) return true;
      auto params_in = [&](const std::string&) {
        return std::map<std::string, std::string>{
            {"name", user->display_name},
            {"org", org->name},
            {"plan", due.plan_name},
            {"ends_on", due.ends_on},
            {"link",
             public_url_ + wording_.path({core::Place::org, org->id, core::Anchor::adhesion, ""})}};
      };
      auto mail = bilingual_mail(wording_, "mail_membership_reminder_subject",
                                 "mail_membership_reminder_body", params_in("fr"), params_in("en"));
      tx.outbox().insert_outbox({crypto_.random_id(), user->id, "membership_reminder", user->email,
                                 std::move(mail.subject), std::move(mail.body), "", now, 0});
      ++work.reminded;
      return true;
    });
  }
  for (const auto& ended : read_value<std::vector<MembershipRecord>>(
           store_, [&](ReadTx& tx) { return tx.dues().ended_before(today, 200); })) {
    write_counted(store_, work, [&](Tx& tx) {
      if (!tx.dues().transition_membership(ended.id, MembershipStatus::active,
                                           MembershipStatus::expired, now))
        return true;
      ++work.expired;
      // The role this membership gave goes with it, unless another voting
      // membership (the next year's, paid ahead) holds it, or the person
      // has been given another role since.
      if (ended.made_member &&
          tx.orgs().member_role(ended.org_id, ended.user_id) == std::optional(core::Role::member) &&
          !tx.dues().has_voting_dues(ended.org_id, ended.user_id, ended.id)) {
        (void)tx.orgs().delete_member(ended.org_id, ended.user_id);  // gone already is as good
      }
      return true;
    });
  }
  return work;
}

}  // namespace essor::app
