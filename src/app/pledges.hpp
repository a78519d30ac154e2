// Pledges: backing a live campaign by card (sandbox provider: confirmed at
// once), by bank transfer (pending until the treasurer confirms it) or from
// the backer's balance of repaid loans (confirmed at once), with
// Idempotency-Key semantics, limited rewards never oversold, and every
// confirmed cent on the ledger. Safe to use from many threads.
#pragma once

#include <functional>
#include <string>

#include "app/accounts.hpp"
#include "app/guests.hpp"
#include "app/idempotency.hpp"
#include "app/later.hpp"
#include "app/ledger.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct PledgeInput {
  core::Cents amount_cents = 0;
  std::optional<std::string> reward_id;
  std::string payment_method;
  bool anonymous = false;
  std::optional<std::string> message;
  // The donor's name and address, for a tax receipt (CERFA 11580).
  std::optional<DonorDetails> receipt;
  // Giving without an account: the pledge is made for a new guest
  // account with this address and name (the principal is not used).
  std::optional<GuestInput> guest;
};

struct PledgeOutcome {
  PledgeRecord pledge;
  std::optional<TransferInstructions> transfer;
};

struct Backer {
  PledgeRecord pledge;
  std::string display_name;
  std::string email;
};

// The payment methods on offer; the sandbox card provider is listed only
// where test payments are allowed (ESSOR_SANDBOX_CARD).
struct PaymentOptions {
  std::vector<const PaymentProvider*> providers;
  // The provider of a method, or null when it is not on offer.
  const PaymentProvider* provider(core::PaymentMethod method) const;
  // The provider a request names by its word (payment_method), or null.
  const PaymentProvider* provider(std::string_view word) const;
  // "sandbox_card or bank_transfer": what is on offer, for an error message.
  std::string words() const;
  bool rate_limits = true;  // pledges per account (app/rate_limits.hpp)
  std::string public_url;   // for the links in guests' mails
  // A bank transfer not received after this long is cancelled and gives its
  // reward back (ESSOR_TRANSFER_EXPIRY_DAYS); the backer is told
  // expiry_notice_ms before.
  std::int64_t transfer_expiry_ms = 14LL * 86'400'000;
  std::int64_t expiry_notice_ms = 3LL * 86'400'000;
  bool sandbox_card() const;
};

struct ExpiryWork {
  int noticed = 0;  // backers told their transfer will expire
  int expired = 0;  // pending transfers cancelled
};

class Pledges {
 public:
  // The scheduler's work: mails backers whose bank transfer has not arrived
  // and will expire soon (once each), then cancels those past the expiry,
  // giving their reward back. Safe from several processes.
  ExpiryWork expire_due();

  Pledges(Store& store, Crypto& crypto, Clock& clock, const Wording& wording, Ledger& ledger,
          PaymentOptions options, core::LoanRules loan_rules = {});

  // key: the Idempotency-Key (1–255 characters). fingerprint: the request's
  // canonical form; the same key with another fingerprint is 422
  // idempotency_key_reused. render turns the outcome into the answer that is
  // stored with the key, in the same transaction as the money, and given
  // again on a replay.
  using RenderPledge = std::function<std::string(const PledgeOutcome&)>;
  core::Result<Rendered> pledge(const Principal& who, const core::CampaignId& campaign_id,
                                const std::string& key, const std::string& fingerprint,
                                const PledgeInput& input, const RenderPledge& render);
  // The same without waiting for the commit: returns at once, and then runs
  // once, when the pledge is durable or refused (at once, on this thread,
  // for a request that fails its checks; else on whichever thread finished
  // the write, see Store::write_then). A crowd of pledges parks no thread.
  // who: the backer (nobody, for a guest), or their session for the write
  // to check (401 when it is over).
  void pledge_then(Asker who, const core::CampaignId& campaign_id, const std::string& key,
                   const std::string& fingerprint, const PledgeInput& input, RenderPledge render,
                   std::function<void(Later<Rendered>)> then);

  // Treasurer or admin of the campaign's organisation: pending → confirmed.
  core::Result<PledgeOutcome> confirm(const Principal& who, const std::string& pledge_id);
  // The backer, or the organisation's treasurer or admin: pending → cancelled.
  core::Result<PledgeOutcome> cancel(const Principal& who, const std::string& pledge_id);
  // The backer, the organisation's treasurer or admin, a moderator.
  core::Result<PledgeOutcome> get(const Principal& who, const std::string& pledge_id);
  std::vector<PledgeOfUser> mine(const Principal& who, std::int64_t limit, std::int64_t offset);
  // Pending bank transfers of an organisation (treasurer or admin).
  core::Result<std::vector<PledgeRecord>> pending_of_org(const Principal& who,
                                                         const core::OrgId& org_id);

  // Every pledge of a campaign with its backer, oldest first (the
  // organisation's treasurer or admins).
  core::Result<std::vector<Backer>> backers(const Principal& who,
                                            const core::CampaignId& campaign_id);

  const PaymentOptions& options() const { return options_; }
  const core::LoanRules& loan_rules() const { return loan_rules_; }

 private:
  // A pledge asked for, checked, as its write needs it.
  struct Asked;
  // The pledge's write, in its transaction.
  core::Result<Rendered> write_pledge(Tx& tx, const Asked& asked);
  // A pledge recorded, with the campaign as it was read for it.
  struct Recorded;
  // Checks and inserts the pledge; the caller posts a confirmed one to the
  // ledger, last before the commit.
  core::Result<Recorded> record(Tx& tx, const Principal& who, const core::CampaignId& campaign_id,
                                const PledgeInput& input);
  std::optional<TransferInstructions> instructions(ReadTx& tx, const PledgeRecord& pledge);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  const Wording& wording_;
  Ledger& ledger_;
  PaymentOptions options_;
  core::LoanRules loan_rules_;
};

}  // namespace essor::app
