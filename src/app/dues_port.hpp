// The store's part for memberships (adhésions): plans and the dues paid
// under them. A small port of its own, reached from a transaction
// (ReadTx::dues() reads, Tx::dues() also writes), so a use case can be
// tested with a fake of it and a write on a read transaction does not
// compile.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/id.hpp"
#include "core/membership.hpp"
#include "core/money.hpp"
#include "core/payment.hpp"
#include "core/time.hpp"

namespace essor::app {

struct MembershipPlanRecord {
  std::string id;
  core::OrgId org_id;
  std::string name;
  core::Cents amount_cents = 0;      // the price, or the suggested amount when free
  bool free_amount = false;          // the member chooses the amount
  core::Cents min_amount_cents = 0;  // the least a free amount may be
  core::MembershipPeriod period = core::MembershipPeriod::calendar_year;
  bool voting = false;  // its members vote in the organisation
  core::TimestampMs created_at = 0;
};

struct MembershipRecord {
  std::string id;
  core::OrgId org_id;
  core::UserId user_id;
  std::string plan_id;
  core::MembershipStatus status = core::MembershipStatus::pending;
  std::string starts_on, ends_on;  // "YYYY-MM-DD", Paris dates, both included
  core::Cents amount_cents = 0;
  core::PaymentMethod payment_method = core::PaymentMethod::sandbox_card;
  std::string reference;     // what a bank transfer's remittance carries
  bool made_member = false;  // its activation added the person to the organisation
  core::TimestampMs created_at = 0;
  core::TimestampMs updated_at = 0;
  // Read with the membership, for lists: the plan's name, the person's and
  // the organisation's.
  std::string plan_name;
  std::string display_name;
  std::string org_name;
};

class DuesReads {
 public:
  virtual ~DuesReads() = default;
  virtual std::optional<MembershipPlanRecord> plan_by_id(const std::string& id) = 0;
  virtual std::vector<MembershipPlanRecord> plans_of(const core::OrgId& org_id) = 0;
  virtual std::optional<MembershipRecord> membership_by_id(const std::string& id) = 0;
  // The register, newest first; status filters it.
  virtual std::vector<MembershipRecord> memberships_of_org(
      const core::OrgId& org_id, std::optional<core::MembershipStatus> status, std::int64_t limit,
      std::int64_t offset) = 0;
  virtual std::vector<MembershipRecord> memberships_of_user(const core::UserId& user_id) = 0;
  // The people whose membership of a voting plan is active on that date.
  virtual std::vector<core::UserId> voters_with_dues(const core::OrgId& org_id,
                                                     const std::string& on) = 0;
  // Whether the person has another active voting membership than except_id.
  virtual bool has_voting_dues(const core::OrgId& org_id, const core::UserId& user_id,
                               const std::string& except_id) = 0;
  // Active memberships ending on or before `by` not yet reminded (up to limit).
  virtual std::vector<MembershipRecord> to_remind(const std::string& by, std::int64_t limit) = 0;
  // Active memberships whose last day is before `today` (up to limit).
  virtual std::vector<MembershipRecord> ended_before(const std::string& today,
                                                     std::int64_t limit) = 0;
};

class DuesWrites : public DuesReads {
 public:
  virtual void insert_plan(const MembershipPlanRecord& plan) = 0;
  virtual void insert_membership(const MembershipRecord& membership) = 0;
  // One guarded statement: false when it was not `from` any more.
  [[nodiscard]] virtual bool transition_membership(const std::string& id,
                                                   core::MembershipStatus from,
                                                   core::MembershipStatus to,
                                                   core::TimestampMs now) = 0;
  virtual void set_made_member(const std::string& id) = 0;
  // False when it was reminded already (so a reminder goes once).
  [[nodiscard]] virtual bool mark_reminded(const std::string& id, core::TimestampMs now) = 0;
};

}  // namespace essor::app
