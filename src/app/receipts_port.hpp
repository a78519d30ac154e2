// The store's part for tax receipts: an organisation's settings, the
// donors' details given with a gift, the gapless counters and the
// receipts. A small port (ReadTx::receipts() reads, Tx::receipts() also
// writes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/id.hpp"
#include "core/receipt.hpp"
#include "core/time.hpp"

namespace essor::app {

struct ReceiptSettings {
  core::OrgId org_id;
  bool enabled = false;
  core::LegalBasis legal_basis = core::LegalBasis::art200;
  std::string object;     // the organisation's object, as its statutes say
  std::string address;    // its full address
  std::string signatory;  // name and quality of who signs
};

// What a donor gives to be receipted (CERFA: name and full address).
struct DonorDetails {
  std::string full_name;
  std::string address_line;
  std::string postal_code;
  std::string city;
};

struct TaxReceiptRecord {
  std::string id;
  core::OrgId org_id;
  core::UserId user_id;
  std::string number;  // YYYY-NNNNNN
  std::int64_t year = 0;
  std::int64_t seq = 0;
  core::ReceiptKind kind = core::ReceiptKind::single;
  core::ReceiptStatus status = core::ReceiptStatus::issued;
  core::Cents amount_cents = 0;  // what gives a right to the reduction
  core::Cents gift_cents = 0;    // what was given
  DonorDetails donor;
  core::ReceiptSource source_kind = core::ReceiptSource::pledge;  // pledge or annual
  std::optional<std::string> source_id;
  core::TimestampMs given_at = 0;  // the gift's date (single receipts)
  core::TimestampMs issued_at = 0;
  std::optional<core::TimestampMs> cancelled_at;
  std::string org_name;  // read with the receipt, for lists
};

// A payment that an annual receipt covers: a recurring gift's charge or
// a membership's dues.
struct AnnualSource {
  core::UserId user_id;
  core::ReceiptSource kind = core::ReceiptSource::gift_charge;  // or membership
  std::string id;
  core::Cents amount_cents = 0;
};

class ReceiptsReads {
 public:
  virtual ~ReceiptsReads() = default;
  virtual std::optional<ReceiptSettings> settings_of(const core::OrgId& org_id) = 0;
  virtual std::optional<TaxReceiptRecord> receipt_by_id(const std::string& id) = 0;
  virtual std::vector<TaxReceiptRecord> receipts_of_user(const core::UserId& user_id) = 0;
  virtual std::vector<TaxReceiptRecord> receipts_of_org(const core::OrgId& org_id,
                                                        std::optional<std::int64_t> year,
                                                        std::int64_t limit,
                                                        std::int64_t offset) = 0;
  virtual std::optional<DonorDetails> request_for(core::ReceiptSource source_kind,
                                                  const std::string& source_id) = 0;
  // The newest details the person gave with a gift to the organisation.
  virtual std::optional<DonorDetails> latest_request(const core::UserId& user_id,
                                                     const core::OrgId& org_id) = 0;
  // Charges of recurring gifts and dues of [from, to) not yet receipted.
  virtual std::vector<AnnualSource> annual_sources(const core::OrgId& org_id,
                                                   core::TimestampMs from,
                                                   core::TimestampMs to) = 0;
  // Organisations that issue receipts (for January's annual receipts).
  virtual std::vector<core::OrgId> orgs_issuing() = 0;
};

class ReceiptsWrites : public ReceiptsReads {
 public:
  virtual void put_settings(const ReceiptSettings& settings) = 0;
  virtual void put_request(core::ReceiptSource source_kind, const std::string& source_id,
                           const core::UserId& user_id, const core::OrgId& org_id,
                           const DonorDetails& donor, core::TimestampMs now) = 0;
  // The next number of the organisation's year, in the caller's
  // transaction: rolled back with it, so numbers have no gap.
  virtual std::int64_t next_seq(const core::OrgId& org_id, std::int64_t year) = 0;
  // With the payments it covers (annual receipts): each payment once.
  virtual void insert_receipt(
      const TaxReceiptRecord& receipt,
      const std::vector<std::pair<core::ReceiptSource, std::string>>& lines) = 0;
  // issued → cancelled for the receipt of that gift; false when none.
  virtual bool cancel_for(core::ReceiptSource source_kind, const std::string& source_id,
                          core::TimestampMs now) = 0;
};

}  // namespace essor::app
