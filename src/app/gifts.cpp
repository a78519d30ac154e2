#include "app/gifts.hpp"

#include "app/bilingual_mail.hpp"
#include "app/policy.hpp"
#include "app/receipts.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/time.hpp"

namespace essor::app {

using core::Error;
using core::GiftStatus;
using core::Result;

namespace {

Error no_gift() {
  return Error::not_found("No recurring gift with this id.");
}

}  // namespace

void Gifts::mail(Tx& tx, const GiftRecord& gift, const std::string& kind, TimestampMs now) {
  auto user = tx.accounts().user_by_id(gift.user_id);
  if (!user || user->email.empty()) return;
  const std::map<std::string, std::string> params = {
      {"name", user->display_name},
      {"org", gift.org_name},
      {"amount_cents", std::to_string(gift.amount_cents)},
      {"charged_on", gift.next_charge_on},
      {"link", options_.public_url + wording_.path({core::Place::recurring_gifts, ""})}};
  auto text = bilingual_mail(wording_, "mail_" + kind + "_subject", "mail_" + kind + "_body",
                             params, params);
  tx.outbox().insert_outbox({crypto_.random_id(), user->id, kind, user->email,
                             std::move(text.subject), std::move(text.body), "", now, 0});
}

Result<Rendered> Gifts::create(const Principal& who, const core::OrgId& org_id,
                               const std::string& key, const std::string& fingerprint,
                               const GiftInput& input,
                               const std::function<std::string(const GiftRecord&)>& render) {
  if (auto problem = check_idempotency_key(key)) return *problem;
  std::map<std::string, std::string> problems;
  if (input.amount_cents <= 0 || input.amount_cents > core::kMaxPledgeCents)
    problems["amount_cents"] = "must be from 1 to 10000000";
  const auto interval = core::parse_gift_interval(input.interval);
  if (!interval) problems["interval"] = "must be month or year";
  // Only the test card takes recurring gifts (no mandate of a real provider yet).
  if (core::parse_payment_method(input.payment_method) != core::PaymentMethod::sandbox_card ||
      !options_.sandbox_card)
    problems["payment_method"] = "must be sandbox_card";
  if (input.receipt) {
    for (auto& [field, problem] : check_donor(*input.receipt))
      problems["receipt." + field] = problem;
  }
  if (!problems.empty()) return Error::validation(problems);
  const TimestampMs now = clock_.now();
  const std::string today = core::paris_date_field(now);
  const std::string request_hash = crypto_.sha256_hex("gift\n" + org_id + "\n" + fingerprint);
  return write_result<Rendered>(store_, [&](Tx& tx) -> Result<Rendered> {
    return run_idempotent(tx, who.user_id, key, request_hash, now, [&]() -> Result<Rendered> {
      auto org = tx.orgs().org_by_id(org_id);
      if (!org) return Error::not_found("No organisation with this id.");
      if (!card_accepts(input.amount_cents)) {
        return Error::conflict("payment_declined",
                               "The card was declined: no gift was made. Try another amount or "
                               "card.");
      }
      GiftRecord gift;
      gift.id = crypto_.random_id();
      gift.org_id = org_id;
      gift.user_id = who.user_id;
      gift.amount_cents = input.amount_cents;
      gift.interval = *interval;
      gift.status = GiftStatus::active;
      gift.payment_method = core::PaymentMethod::sandbox_card;
      gift.starts_on = today;
      gift.period = 1;
      gift.next_charge_on = core::gift_charge_on(today, *interval, 1);
      gift.charges_count = 1;
      gift.created_at = now;
      gift.updated_at = now;
      gift.display_name = who.display_name;
      gift.org_name = org->name;
      tx.gifts().insert_gift(gift);
      if (input.receipt) {
        if (auto refused = keep_donor_details(tx, core::ReceiptSource::gift, gift.id, who.user_id,
                                              org_id, *input.receipt, now))
          return *refused;
      }
      GiftRecord first = gift;
      first.period = 0;
      first.next_charge_on = today;
      tx.gifts().insert_charge(crypto_.random_id(), first, true, now);
      ledger_.post(tx, Ledger::source(tx, gift.payment_method, gift.user_id),
                   core::org_account(org_id), gift.amount_cents, core::TransferKind::gift,
                   std::nullopt, std::nullopt);
      mail(tx, first, "gift_charged", now);
      return Rendered{201, render(gift)};
    });
  });
}

std::vector<GiftRecord> Gifts::mine(const Principal& who) {
  return read_value<std::vector<GiftRecord>>(
      store_, [&](ReadTx& tx) { return tx.gifts().gifts_of_user(who.user_id); });
}

Result<std::vector<GiftRecord>> Gifts::of_org(const Principal& who, const core::OrgId& org_id,
                                              std::int64_t limit, std::int64_t offset) {
  return read_value<Result<std::vector<GiftRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<GiftRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        if (!dues_allows(tx.orgs().member_role(org_id, who.user_id), DuesAction::see_register))
          return Error::forbidden("Only the organisation's treasurer or admins read its gifts.");
        return tx.gifts().gifts_of_org(org_id, limit, offset);
      });
}

Result<GiftRecord> Gifts::change(const Principal& who, const std::string& gift_id,
                                 const GiftPatch& patch) {
  std::map<std::string, std::string> problems;
  if (patch.amount_cents &&
      (*patch.amount_cents <= 0 || *patch.amount_cents > core::kMaxPledgeCents))
    problems["amount_cents"] = "must be from 1 to 10000000";
  std::optional<GiftStatus> status;
  if (patch.status) {
    status = core::parse_gift_status(*patch.status);
    if (!status) problems["status"] = "must be paused, active or cancelled";
  }
  const TimestampMs now = clock_.now();
  const std::string today = core::paris_date_field(now);
  return write_result<GiftRecord>(store_, [&](Tx& tx) -> Result<GiftRecord> {
    auto gift = tx.gifts().gift_by_id(gift_id);
    // Someone else's gift is not theirs to see: the same 404.
    if (!gift || gift->user_id != who.user_id) return no_gift();
    if (!problems.empty()) return Error::validation(problems);
    if (gift->status == GiftStatus::cancelled)
      return Error::conflict("gift_cancelled", "This recurring gift was cancelled.");
    GiftRecord next = *gift;
    if (patch.amount_cents) next.amount_cents = *patch.amount_cents;
    if (status) next.status = *status;
    if (gift->status == GiftStatus::paused && next.status == GiftStatus::active) {
      // Resumed: the period due is charged from today, afresh.
      if (next.next_charge_on < today) next.next_charge_on = today;
      next.attempts = 0;
      next.retry_on.reset();
    }
    if (!tx.gifts().change_gift(*gift, next, now))
      return Error::conflict("gift_busy", "The gift changed meanwhile; try again.");
    next.updated_at = now;
    return next;
  });
}

GiftWork Gifts::run_due() {
  const TimestampMs now = clock_.now();
  const std::string today = core::paris_date_field(now);
  GiftWork work;
  for (const auto& due : read_value<std::vector<GiftRecord>>(
           store_, [&](ReadTx& tx) { return tx.gifts().due_gifts(today, 200); })) {
    write_counted(store_, work, [&](Tx& tx) {
      // Read again in this transaction: the guarded writes below name
      // this state, so a gift another instance charged is left alone.
      auto gift = tx.gifts().gift_by_id(due.id);
      if (!gift || gift->status != GiftStatus::active ||
          gift->retry_on.value_or(gift->next_charge_on) > today)
        return true;
      if (card_accepts(gift->amount_cents)) {
        const std::string next_on = core::gift_charge_on(gift->starts_on, gift->interval,
                                                         static_cast<int>(gift->period + 1));
        if (!tx.gifts().record_charge(*gift, next_on, now)) return true;
        tx.gifts().insert_charge(crypto_.random_id(), *gift, true, now);
        ledger_.post(tx, Ledger::source(tx, gift->payment_method, gift->user_id),
                     core::org_account(gift->org_id), gift->amount_cents, core::TransferKind::gift,
                     std::nullopt, std::nullopt);
        mail(tx, *gift, "gift_charged", now);
        ++work.charged;
        return true;
      }
      std::optional<std::string> retry_on;
      if (gift->attempts < static_cast<std::int64_t>(core::kGiftRetryDays.size()))
        retry_on = core::add_days(gift->next_charge_on,
                                  core::kGiftRetryDays[static_cast<std::size_t>(gift->attempts)]);
      if (!tx.gifts().record_decline(*gift, retry_on, now)) return true;
      tx.gifts().insert_charge(crypto_.random_id(), *gift, false, now);
      ++work.declined;
      if (!retry_on) {
        mail(tx, *gift, "gift_paused", now);
        ++work.paused;
      }
      return true;
    });
  }
  return work;
}

}  // namespace essor::app
