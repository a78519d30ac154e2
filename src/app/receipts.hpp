// Tax receipts (reçus fiscaux, CERFA 11580*04). An organisation turns
// them on with its object, address, signatory and legal basis; a donor
// who wants one gives their name and address with the gift. A confirmed
// gift to a donation campaign gets its receipt at once, in the
// confirmation's transaction; recurring gifts and dues get one annual
// receipt per donor. Numbers are YYYY-NNNNNN per organisation and year,
// gapless and never reused; a refunded gift's receipt is cancelled and
// keeps its number.
#pragma once

#include <map>
#include <string>

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"

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
std::optional<core::Error> keep_donor_details(Tx& tx, const std::string& source_kind,
                                              const std::string& source_id,
                                              const std::string& user_id, const std::string& org_id,
                                              const DonorDetails& donor, TimestampMs now);

// Inside tx, when a pledge to a donation campaign is confirmed: its
// receipt, when its donor asked for one and the organisation issues them.
void issue_pledge_receipt(Tx& tx, Crypto& crypto, TimestampMs now, const PledgeRecord& pledge,
                          const CampaignRecord& campaign);

struct ReceiptView {
  TaxReceiptRecord receipt;
  ReceiptSettings settings;
  OrgRecord org;
};

class Receipts {
 public:
  Receipts(Store& store, Crypto& crypto, Clock& clock)
      : store_(store), crypto_(crypto), clock_(clock) {}

  // The organisation's admins.
  core::Result<ReceiptSettings> configure(const Principal& who, const std::string& org_id,
                                          const ReceiptSettingsInput& input);
  std::optional<ReceiptSettings> settings(const std::string& org_id);
  std::vector<TaxReceiptRecord> mine(const Principal& who);
  // The organisation's treasurer and admins.
  core::Result<std::vector<TaxReceiptRecord>> of_org(const Principal& who,
                                                     const std::string& org_id,
                                                     std::optional<std::int64_t> year);
  // One receipt per donor for the year's recurring gifts and dues not yet
  // receipted (admins); returns how many were made. Twice is once.
  core::Result<std::int64_t> annual(const Principal& who, const std::string& org_id,
                                    std::int64_t year);
  // The donor, or the organisation's treasurer and admins.
  core::Result<ReceiptView> get(const Principal& who, const std::string& receipt_id);

 private:
  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
};

}  // namespace essor::app
