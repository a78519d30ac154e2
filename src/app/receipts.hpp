// Tax receipts (reçus fiscaux, CERFA 11580*04). An organisation turns
// them on with its object, address, signatory and legal basis; a donor
// who wants one gives their name and address with the gift. A confirmed
// gift to a donation campaign gets its receipt at once, in the
// confirmation's transaction; recurring gifts and dues get one annual
// receipt per donor. Numbers are YYYY-NNNNNN per organisation and year,
// gapless and never reused; a refunded gift's receipt is cancelled and
// keeps its number.
#pragma once

#include <atomic>
#include <map>
#include <string>

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct ReceiptSettingsInput {
  bool enabled = false;
  std::string legal_basis;  // 200, 238bis, both
  std::string object, address, signatory;
};

// Problems of settings, by field ("legal_basis"…).
std::map<std::string, std::string> check_receipt_settings(const ReceiptSettingsInput& input);
// Problems of a donor's details, by field ("full_name"…).
std::map<std::string, std::string> check_donor(const DonorDetails& donor);

// Inside tx, for a payment with a donor's details (pledge, membership,
// gift): 400 when the organisation does not issue receipts (nothing is
// written then), else the details kept for its receipt.
std::optional<core::Error> keep_donor_details(Tx& tx, core::ReceiptSource source_kind,
                                              const std::string& source_id,
                                              const core::UserId& user_id,
                                              const core::OrgId& org_id, const DonorDetails& donor,
                                              TimestampMs now);

// Where receipts' mails point (the site's address) and their words.
struct ReceiptMail {
  const Wording& wording;
  std::string public_url;
};

// Inside tx: the mail that tells a donor their receipt is issued.
void mail_receipt(Tx& tx, Crypto& crypto, const ReceiptMail& mail, TimestampMs now,
                  const TaxReceiptRecord& receipt, const std::string& org_name);

// Inside tx, when a pledge to a donation campaign is confirmed: its
// receipt, when its donor asked for one and the organisation issues them
// (and the mail that says so).
void issue_pledge_receipt(Tx& tx, Crypto& crypto, const ReceiptMail& mail, TimestampMs now,
                          const PledgeRecord& pledge, const CampaignRecord& campaign);

struct ReceiptView {
  TaxReceiptRecord receipt;
  ReceiptSettings settings;
  OrgRecord org;
};

class Receipts {
 public:
  Receipts(Store& store, Crypto& crypto, Clock& clock, ReceiptMail mail)
      : store_(store), crypto_(crypto), clock_(clock), mail_(std::move(mail)) {}

  // The organisation's admins.
  core::Result<ReceiptSettings> configure(const Principal& who, const core::OrgId& org_id,
                                          const ReceiptSettingsInput& input);
  std::optional<ReceiptSettings> settings(const core::OrgId& org_id);
  std::vector<TaxReceiptRecord> mine(const Principal& who);
  // The organisation's treasurer and admins: newest first, limit at a time.
  core::Result<std::vector<TaxReceiptRecord>> of_org(const Principal& who,
                                                     const core::OrgId& org_id,
                                                     std::optional<std::int64_t> year,
                                                     std::int64_t limit, std::int64_t offset);
  // One receipt per donor for the year's recurring gifts and dues not yet
  // receipted (admins); returns how many were made. Twice is once.
  core::Result<std::int64_t> annual(const Principal& who, const core::OrgId& org_id,
                                    std::int64_t year);
  // The donor, or the organisation's treasurer and admins.
  core::Result<ReceiptView> get(const Principal& who, const std::string& receipt_id);

  // The scheduler's work in January (Europe/Paris), once a day: last
  // year's annual receipts of every organisation that issues them.
  // Returns how many were made.
  std::int64_t run_annual_due();

 private:
  // Inside tx: the year's annual receipts of the organisation (settings
  // enabled, checked by the caller).
  std::int64_t issue_annual(Tx& tx, const OrgRecord& org, std::int64_t year, TimestampMs now);
  std::atomic<std::int64_t> annual_checked_day_{-1};
  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  ReceiptMail mail_;
};

}  // namespace essor::app
