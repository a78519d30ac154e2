// The store's part for recurring gifts: the gifts and their charges. A
// small port of its own (ReadTx::gifts() reads, Tx::gifts() also writes).
// Every change of a gift's schedule is one guarded statement that names
// the state it starts from, so that a charge is made once per period
// whatever the restarts and the number of instances.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/gift.hpp"
#include "core/id.hpp"
#include "core/money.hpp"
#include "core/payment.hpp"
#include "core/time.hpp"

namespace essor::app {

struct GiftRecord {
  std::string id;
  core::OrgId org_id;
  core::UserId user_id;
  core::Cents amount_cents = 0;
  core::GiftInterval interval = core::GiftInterval::month;
  core::GiftStatus status = core::GiftStatus::active;
  core::PaymentMethod payment_method = core::PaymentMethod::sandbox_card;
  std::string starts_on;       // the first charge's date (Paris)
  std::int64_t period = 0;     // the period due next (0: the start)
  std::string next_charge_on;  // that period's date
  std::int64_t charges_count = 0;
  std::int64_t attempts = 0;            // declines of the period due
  std::optional<std::string> retry_on;  // when it is tried again
  core::TimestampMs created_at = 0;
  core::TimestampMs updated_at = 0;
  // Read with the gift, for lists.
  std::string display_name;
  std::string org_name;
};

class GiftsReads {
 public:
  virtual ~GiftsReads() = default;
  virtual std::optional<GiftRecord> gift_by_id(const std::string& id) = 0;
  virtual std::vector<GiftRecord> gifts_of_user(const core::UserId& user_id) = 0;
  virtual std::vector<GiftRecord> gifts_of_org(const core::OrgId& org_id, std::int64_t limit,
                                               std::int64_t offset) = 0;
  // Active gifts whose charge (or retry) is due on or before today.
  virtual std::vector<GiftRecord> due_gifts(const std::string& today, std::int64_t limit) = 0;
};

class GiftsWrites : public GiftsReads {
 public:
  virtual void insert_gift(const GiftRecord& gift) = 0;
  // The period `from.period` charged: the next period becomes due. False
  // when the gift is no longer as read (charged or changed meanwhile).
  [[nodiscard]] virtual bool record_charge(const GiftRecord& from, const std::string& next_on,
                                           core::TimestampMs now) = 0;
  // A decline: tried again on retry_on, or paused when there is none.
  [[nodiscard]] virtual bool record_decline(const GiftRecord& from,
                                            const std::optional<std::string>& retry_on,
                                            core::TimestampMs now) = 0;
  // The giver's change: amount, status, and the schedule when resumed.
  [[nodiscard]] virtual bool change_gift(const GiftRecord& from, const GiftRecord& to,
                                         core::TimestampMs now) = 0;
  // A row per attempt (charged or declined), for the giver and the books.
  virtual void insert_charge(const std::string& id, const GiftRecord& gift, bool charged,
                             core::TimestampMs now) = 0;
};

}  // namespace essor::app
