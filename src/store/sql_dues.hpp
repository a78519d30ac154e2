// app::DuesWrites (memberships' plans and dues) over the transaction's SOCI
// session. Internal to store/: SqlTx hands it out as its dues().
#pragma once

#include "app/books_port.hpp"
#include "app/dues_port.hpp"
#include "app/gifts_port.hpp"
#include "app/guests_port.hpp"
#include "app/receipts_port.hpp"
#include "core/id.hpp"

namespace soci {
class session;
}

namespace essor::store {

class SqlDues final : public app::DuesWrites {
 public:
  SqlDues(soci::session& sql, bool writable) : sql_(sql), writable_(writable) {}

  std::optional<app::MembershipPlanRecord> plan_by_id(const std::string& id) override;
  std::vector<app::MembershipPlanRecord> plans_of(const core::OrgId& org_id) override;
  std::optional<app::MembershipRecord> membership_by_id(const std::string& id) override;
  std::vector<app::MembershipRecord> memberships_of_org(
      const core::OrgId& org_id, std::optional<core::MembershipStatus> status, std::int64_t limit,
      std::int64_t offset) override;
  std::vector<app::MembershipRecord> memberships_of_user(const core::UserId& user_id) override;
  std::vector<core::UserId> voters_with_dues(const core::OrgId& org_id,
                                             const std::string& on) override;
  bool has_voting_dues(const core::OrgId& org_id, const core::UserId& user_id,
                       const std::string& except_id) override;
  std::vector<app::MembershipRecord> to_remind(const std::string& by, std::int64_t limit) override;
  std::vector<app::MembershipRecord> ended_before(const std::string& today,
                                                  std::int64_t limit) override;

  void insert_plan(const app::MembershipPlanRecord& plan) override;
  void insert_membership(const app::MembershipRecord& membership) override;
  bool transition_membership(const std::string& id, core::MembershipStatus from,
                             core::MembershipStatus to, core::TimestampMs now) override;
  void set_made_member(const std::string& id) override;
  bool mark_reminded(const std::string& id, core::TimestampMs now) override;

 private:
  void require_writable() const;
  std::vector<app::MembershipRecord> query(const std::string& where_and_order,
                                           const std::vector<std::string>& texts,
                                           std::int64_t limit, std::int64_t offset);
  soci::session& sql_;
  bool writable_;
};

// app::GiftsWrites: recurring gifts and their charges.
class SqlGifts final : public app::GiftsWrites {
 public:
  SqlGifts(soci::session& sql, bool writable) : sql_(sql), writable_(writable) {}
  std::optional<app::GiftRecord> gift_by_id(const std::string& id) override;
  std::vector<app::GiftRecord> gifts_of_user(const core::UserId& user_id) override;
  std::vector<app::GiftRecord> gifts_of_org(const core::OrgId& org_id, std::int64_t limit,
                                            std::int64_t offset) override;
  std::vector<app::GiftRecord> due_gifts(const std::string& today, std::int64_t limit) override;
  void insert_gift(const app::GiftRecord& gift) override;
  bool record_charge(const app::GiftRecord& from, const std::string& next_on,
                     core::TimestampMs now) override;
  bool record_decline(const app::GiftRecord& from, const std::optional<std::string>& retry_on,
                      core::TimestampMs now) override;
  bool change_gift(const app::GiftRecord& from, const app::GiftRecord& to,
                   core::TimestampMs now) override;
  void insert_charge(const std::string& id, const app::GiftRecord& gift, bool charged,
                     core::TimestampMs now) override;

 private:
  void require_writable() const;
  std::vector<app::GiftRecord> query(const std::string& where_and_order, const std::string& text,
                                     std::int64_t limit, std::int64_t offset);
  soci::session& sql_;
  bool writable_;
};

// app::ReceiptsWrites: tax receipts (sql_receipts.cpp).
class SqlReceipts final : public app::ReceiptsWrites {
 public:
  SqlReceipts(soci::session& sql, bool writable) : sql_(sql), writable_(writable) {}
  std::optional<app::ReceiptSettings> settings_of(const core::OrgId& org_id) override;
  std::optional<app::TaxReceiptRecord> receipt_by_id(const std::string& id) override;
  std::vector<app::TaxReceiptRecord> receipts_of_user(const core::UserId& user_id) override;
  std::vector<app::TaxReceiptRecord> receipts_of_org(const core::OrgId& org_id,
                                                     std::optional<std::int64_t> year,
                                                     std::int64_t limit,
                                                     std::int64_t offset) override;
  std::optional<app::DonorDetails> request_for(core::ReceiptSource source_kind,
                                               const std::string& source_id) override;
  std::optional<app::DonorDetails> latest_request(const core::UserId& user_id,
                                                  const core::OrgId& org_id) override;
  std::vector<app::AnnualSource> annual_sources(const core::OrgId& org_id, core::TimestampMs from,
                                                core::TimestampMs to) override;
  std::vector<core::OrgId> orgs_issuing() override;
  void put_settings(const app::ReceiptSettings& settings) override;
  void put_request(core::ReceiptSource source_kind, const std::string& source_id,
                   const core::UserId& user_id, const core::OrgId& org_id,
                   const app::DonorDetails& donor, core::TimestampMs now) override;
  std::int64_t next_seq(const core::OrgId& org_id, std::int64_t year) override;
  void insert_receipt(
      const app::TaxReceiptRecord& receipt,
      const std::vector<std::pair<core::ReceiptSource, std::string>>& lines) override;
  bool cancel_for(core::ReceiptSource source_kind, const std::string& source_id,
                  core::TimestampMs now) override;

 private:
  void require_writable() const;
  soci::session& sql_;
  bool writable_;
};

// app::GuestsWrites: claim links and the hand-over (sql_receipts.cpp).
class SqlGuests final : public app::GuestsWrites {
 public:
  SqlGuests(soci::session& sql, bool writable) : sql_(sql), writable_(writable) {}
  void insert_claim(const std::string& token_hash, const core::UserId& guest_user_id,
                    core::TimestampMs now, core::TimestampMs expires_at) override;
  std::optional<core::UserId> use_claim(const std::string& token_hash,
                                        core::TimestampMs now) override;
  std::int64_t hand_over(const core::UserId& guest_user_id, const core::UserId& user_id) override;

 private:
  void require_writable() const;
  soci::session& sql_;
  bool writable_;
};

// app::BooksReads: an organisation's ledger transfers, for its accounting.
class SqlBooks final : public app::BooksReads {
 public:
  explicit SqlBooks(soci::session& sql) : sql_(sql) {}
  std::optional<app::AnnouncedPayment> payment_by_reference(const std::string& reference) override;
  std::vector<core::BookEntry> entries_of_org(const core::OrgId& org_id, core::TimestampMs from,
                                              core::TimestampMs to) override;

 private:
  soci::session& sql_;
};

}  // namespace essor::store
