// Recurring gifts (dons réguliers): charged at creation, then once per
// period by Essor's own scheduler (no provider subscription), each charge a
// ledger transfer of kind `gift` to the organisation, exactly once per
// period whatever the restarts, crashes and number of instances (the
// charge, its guarded schedule change and its transfer are one
// transaction). A declined charge is tried again 2, 4 and 7 days later,
// then the gift is paused and the giver mailed. The giver changes the
// amount, pauses, resumes or cancels at any time. Safe from many threads.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "app/accounts.hpp"
#include "app/idempotency.hpp"
#include "app/ledger.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct GiftOptions {
  bool sandbox_card = true;  // the test card is on (the only method for now)
  // ESSOR_SANDBOX_DECLINE_CENTS: the test card declines exactly this amount.
  std::optional<core::Cents> decline_cents;
  std::string public_url;
};

struct GiftInput {
  core::Cents amount_cents = 0;
  std::string interval;  // month, year
  std::string payment_method;
  std::optional<DonorDetails> receipt;  // for the annual tax receipt
};

struct GiftPatch {
  std::optional<core::Cents> amount_cents;
  std::optional<std::string> status;  // paused, active, cancelled
};

struct GiftWork {
  int charged = 0;
  int declined = 0;
  int paused = 0;
};

class Gifts {
 public:
  Gifts(Store& store, Crypto& crypto, Clock& clock, const Wording& wording, Ledger& ledger,
        GiftOptions options)
      : store_(store),
        crypto_(crypto),
        clock_(clock),
        wording_(wording),
        ledger_(ledger),
        options_(std::move(options)) {}

  // The first charge is made now: declined → 409 payment_declined, nothing kept.
  core::Result<Rendered> create(const Principal& who, const core::OrgId& org_id,
                                const std::string& key, const std::string& fingerprint,
                                const GiftInput& input,
                                const std::function<std::string(const GiftRecord&)>& render);
  std::vector<GiftRecord> mine(const Principal& who);
  // The organisation's treasurer and admins.
  core::Result<std::vector<GiftRecord>> of_org(const Principal& who, const core::OrgId& org_id,
                                               std::int64_t limit, std::int64_t offset);
  // The giver only.
  core::Result<GiftRecord> change(const Principal& who, const std::string& gift_id,
                                  const GiftPatch& patch);

  // The scheduler's work: charges (or tries again) what is due today.
  GiftWork run_due();

 private:
  bool card_accepts(core::Cents amount) const {
    return !options_.decline_cents || *options_.decline_cents != amount;
  }
  void mail(Tx& tx, const GiftRecord& gift, const std::string& kind, TimestampMs now);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  const Wording& wording_;
  Ledger& ledger_;
  GiftOptions options_;
};

}  // namespace essor::app
