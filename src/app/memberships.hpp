// Memberships (adhésions): an organisation's plans (a fixed or free amount,
// for a calendar year or twelve months), dues paid by card (active at once)
// or by bank transfer (pending until a treasurer confirms it), the member
// register, and the scheduler's work (expiry, reminders). Dues are money:
// each paid membership is a ledger transfer of kind `membership` to the
// organisation. An active membership of a voting plan makes the person a
// member (role member) for its period. Safe to use from many threads.
#pragma once

#include <functional>
#include <string>

#include "app/accounts.hpp"
#include "app/guests.hpp"
#include "app/idempotency.hpp"
#include "app/ledger.hpp"
#include "app/pledges.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct PlanInput {
  std::string name;
  core::Cents amount_cents = 0;
  bool free_amount = false;
  std::optional<core::Cents> min_amount_cents;
  std::string period;  // calendar_year, twelve_months
  bool voting = false;
  // Fields the edge could not read (wrong type, missing), by name.
  std::map<std::string, std::string> unreadable;
};

struct SubscriptionInput {
  std::optional<core::Cents> amount_cents;  // a free plan's chosen amount
  std::string payment_method;
  std::optional<DonorDetails> receipt;  // for the annual tax receipt
  std::optional<GuestInput> guest;      // joining without an account
};

struct MembershipOutcome {
  MembershipRecord membership;
  std::optional<TransferInstructions> transfer;  // a pending bank transfer's details
};

struct DuesWork {
  int reminded = 0;  // members told their membership ends within 30 days
  int expired = 0;   // memberships whose period is over
};

class Memberships {
 public:
  Memberships(Store& store, Crypto& crypto, Clock& clock, const Wording& wording, Ledger& ledger,
              PaymentOptions options, std::string public_url);

  // The organisation's admins.
  core::Result<MembershipPlanRecord> create_plan(const Principal& who, const core::OrgId& org_id,
                                                 const PlanInput& input);
  // Public.
  core::Result<std::vector<MembershipPlanRecord>> plans(const core::OrgId& org_id);
  // Anyone signed in; key and fingerprint as for pledges (Idempotency-Key).
  core::Result<Rendered> subscribe(
      const Principal& who, const std::string& plan_id, const std::string& key,
      const std::string& fingerprint, const SubscriptionInput& input,
      const std::function<std::string(const MembershipOutcome&)>& render);
  // The organisation's treasurer or admins: pending → active.
  core::Result<MembershipOutcome> confirm(const Principal& who, const std::string& membership_id);
  // The member, the organisation's treasurer or admins.
  core::Result<MembershipOutcome> get(const Principal& who, const std::string& membership_id);
  // The member register (the organisation's treasurer or admins), newest first.
  core::Result<std::vector<MembershipRecord>> register_of(
      const Principal& who, const core::OrgId& org_id, std::optional<core::MembershipStatus> status,
      std::int64_t limit, std::int64_t offset);
  std::vector<MembershipRecord> mine(const Principal& who);

  // The scheduler's work: reminds members 30 days before their last day
  // (once each), then ends the memberships whose last day has passed,
  // taking back the role a voting membership gave. Safe from several
  // processes: each step is one guarded statement.
  DuesWork run_due();

  // Today's date on the clocks of Europe/Paris.
  std::string today() const;
  const PaymentOptions& options() const { return options_; }

 private:
  // Inside tx: the money on the ledger, the role for a voting plan, the
  // mail. True when the membership holds the person's role.
  bool activate(Tx& tx, const MembershipRecord& membership, const MembershipPlanRecord& plan,
                const OrgRecord& org, TimestampMs now);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  const Wording& wording_;
  Ledger& ledger_;
  PaymentOptions options_;
  std::string public_url_;
};

}  // namespace essor::app
