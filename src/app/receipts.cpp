#include "app/receipts.hpp"

#include "app/bilingual_mail.hpp"
#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/receipt.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;

std::map<std::string, std::string> check_receipt_settings(const ReceiptSettingsInput& input) {
  std::map<std::string, std::string> problems;
  if (!core::parse_legal_basis(input.legal_basis))
    problems["legal_basis"] = "must be 200, 238bis or both";
  if (input.enabled) {
    // A receipt without them would lack mandatory mentions.
    if (auto p = core::check_text(core::trim(input.object), 500)) problems["object"] = *p;
    if (auto p = core::check_text(core::trim(input.address), 300)) problems["address"] = *p;
    if (auto p = core::check_name(core::trim(input.signatory), 200)) problems["signatory"] = *p;
  }
  return problems;
}

std::map<std::string, std::string> check_donor(const DonorDetails& donor) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_name(core::trim(donor.full_name), 200)) problems["full_name"] = *p;
  if (auto p = core::check_name(core::trim(donor.address_line), 300)) problems["address_line"] = *p;
  const std::string postal = core::trim(donor.postal_code);
  if (postal.empty() || postal.size() > 12 || core::check_name(postal, 12))
    problems["postal_code"] = "required, a postal code";
  if (auto p = core::check_name(core::trim(donor.city), 100)) problems["city"] = *p;
  return problems;
}

std::optional<Error> keep_donor_details(Tx& tx, core::ReceiptSource source_kind,
                                        const std::string& source_id, const core::UserId& user_id,
                                        const core::OrgId& org_id, const DonorDetails& donor,
                                        TimestampMs now) {
  auto settings = tx.receipts().settings_of(org_id);
  if (!settings || !settings->enabled)
    return Error::validation({{"receipt", "this organisation does not issue tax receipts"}});
  DonorDetails kept{core::trim(donor.full_name), core::trim(donor.address_line),
                    core::trim(donor.postal_code), core::trim(donor.city)};
  tx.receipts().put_request(source_kind, source_id, user_id, org_id, kept, now);
  return std::nullopt;
}

void mail_receipt(Tx& tx, Crypto& crypto, const ReceiptMail& mail, TimestampMs now,
                  const TaxReceiptRecord& receipt, const std::string& org_name) {
  auto user = tx.accounts().user_by_id(receipt.user_id);
  if (!user || user->email.empty()) return;
  const std::map<std::string, std::string> params = {
      {"name", receipt.donor.full_name},
      {"org", org_name},
      {"number", receipt.number},
      {"amount_cents", std::to_string(receipt.amount_cents)},
      {"link", mail.public_url + mail.wording.path({core::Place::my_receipts, ""})}};
  auto text =
      bilingual_mail(mail.wording, "mail_receipt_subject", "mail_receipt_body", params, params);
  tx.outbox().insert_outbox({crypto.random_id(), user->id, "receipt_issued", user->email,
                             std::move(text.subject), std::move(text.body), "", now, 0});
}

void issue_pledge_receipt(Tx& tx, Crypto& crypto, const ReceiptMail& mail, TimestampMs now,
                          const PledgeRecord& pledge, const CampaignRecord& campaign) {
  if (campaign.kind != core::CampaignKind::donation) return;  // a loan is not a gift
  auto donor = tx.receipts().request_for(core::ReceiptSource::pledge, pledge.id);
  if (!donor) return;
  auto settings = tx.receipts().settings_of(campaign.org_id);
  if (!settings || !settings->enabled) return;
  std::optional<core::Cents> reward_value;
  if (pledge.reward_id) {
    for (const auto& reward : tx.campaigns().rewards_of(campaign.id))
      if (reward.id == *pledge.reward_id)
        reward_value = reward.value_cents.value_or(reward.min_amount_cents);
  }
  TaxReceiptRecord receipt;
  receipt.id = crypto.random_id();
  receipt.org_id = campaign.org_id;
  receipt.user_id = pledge.user_id;
  receipt.year = core::paris_time(now).year;
  receipt.seq = tx.receipts().next_seq(campaign.org_id, receipt.year);
  receipt.number = core::receipt_number(receipt.year, receipt.seq);
  receipt.kind = core::ReceiptKind::single;
  receipt.amount_cents = core::receipt_amount(pledge.amount_cents, reward_value);
  receipt.gift_cents = pledge.amount_cents;
  receipt.donor = *donor;
  receipt.source_kind = core::ReceiptSource::pledge;
  receipt.source_id = pledge.id;
  receipt.given_at = now;
  receipt.issued_at = now;
  tx.receipts().insert_receipt(receipt, {});
  auto org = tx.orgs().org_by_id(campaign.org_id);
  mail_receipt(tx, crypto, mail, now, receipt, org ? org->name : "");
}

Result<ReceiptSettings> Receipts::configure(const Principal& who, const core::OrgId& org_id,
                                            const ReceiptSettingsInput& input) {
  auto problems = check_receipt_settings(input);
  return write_result<ReceiptSettings>(store_, [&](Tx& tx) -> Result<ReceiptSettings> {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    if (!org_allows(who, tx.orgs().member_role(org_id, who.user_id), OrgAction::edit_profile))
      return Error::forbidden();
    if (!problems.empty()) return Error::validation(problems);
    ReceiptSettings settings{org_id,
                             input.enabled,
                             *core::parse_legal_basis(input.legal_basis),
                             core::trim(input.object),
                             core::trim(input.address),
                             core::trim(input.signatory)};
    tx.receipts().put_settings(settings);
    return settings;
  });
}

std::optional<ReceiptSettings> Receipts::settings(const core::OrgId& org_id) {
  return read_value<std::optional<ReceiptSettings>>(
      store_, [&](ReadTx& tx) { return tx.receipts().settings_of(org_id); });
}

std::vector<TaxReceiptRecord> Receipts::mine(const Principal& who) {
  return read_value<std::vector<TaxReceiptRecord>>(
      store_, [&](ReadTx& tx) { return tx.receipts().receipts_of_user(who.user_id); });
}

Result<std::vector<TaxReceiptRecord>> Receipts::of_org(const Principal& who,
                                                       const core::OrgId& org_id,
                                                       std::optional<std::int64_t> year,
                                                       std::int64_t limit, std::int64_t offset) {
  return read_value<Result<std::vector<TaxReceiptRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<TaxReceiptRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        if (!dues_allows(tx.orgs().member_role(org_id, who.user_id), DuesAction::keep_books))
          return Error::forbidden("Only the organisation's treasurer or admins read receipts.");
        return tx.receipts().receipts_of_org(org_id, year, limit, offset);
      });
}

Result<std::int64_t> Receipts::annual(const Principal& who, const core::OrgId& org_id,
                                      std::int64_t year) {
  const TimestampMs now = clock_.now();
  return write_result<std::int64_t>(store_, [&](Tx& tx) -> Result<std::int64_t> {
    const auto org = tx.orgs().org_by_id(org_id);
    if (!org) return Error::not_found("No organisation with this id.");
    if (!org_allows(who, tx.orgs().member_role(org_id, who.user_id), OrgAction::edit_profile))
      return Error::forbidden("Only the organisation's admins issue receipts.");
    if (year < 2000 || year > core::paris_time(now).year)
      return Error::validation({{"year", "must be a past or the current year"}});
    auto settings = tx.receipts().settings_of(org_id);
    if (!settings || !settings->enabled)
      return Error::conflict("receipts_disabled", "This organisation does not issue tax receipts.");
    return issue_annual(tx, *org, year, now);
  });
}

std::int64_t Receipts::issue_annual(Tx& tx, const OrgRecord& org, std::int64_t year,
                                    TimestampMs now) {
  const auto from = core::from_paris_time(year, 1, 1, 0, 0);
  const auto to = core::from_paris_time(year + 1, 1, 1, 0, 0);
  // The sources come ordered by donor: one receipt for each.
  const auto sources = tx.receipts().annual_sources(org.id, *from, *to);
  std::int64_t created = 0;
  for (std::size_t start = 0; start < sources.size();) {
    std::size_t end = start;
    core::Cents total = 0;
    std::vector<std::pair<core::ReceiptSource, std::string>> lines;
    while (end < sources.size() && sources[end].user_id == sources[start].user_id) {
      total += sources[end].amount_cents;
      lines.emplace_back(sources[end].kind, sources[end].id);
      ++end;
    }
    const core::UserId user_id = sources[start].user_id;
    start = end;
    auto donor = tx.receipts().latest_request(user_id, org.id);
    if (!donor) continue;  // no name and address given: no receipt
    TaxReceiptRecord receipt;
    receipt.id = crypto_.random_id();
    receipt.org_id = org.id;
    receipt.user_id = user_id;
    receipt.year = year;
    receipt.seq = tx.receipts().next_seq(org.id, year);
    receipt.number = core::receipt_number(year, receipt.seq);
    receipt.kind = core::ReceiptKind::annual;
    receipt.amount_cents = total;
    receipt.gift_cents = total;
    receipt.donor = *donor;
    receipt.source_kind = core::ReceiptSource::annual;
    receipt.given_at = *to - 1;
    receipt.issued_at = now;
    tx.receipts().insert_receipt(receipt, lines);
    mail_receipt(tx, crypto_, mail_, now, receipt, org.name);
    ++created;
  }
  return created;
}

std::int64_t Receipts::run_annual_due() {
  const TimestampMs now = clock_.now();
  const auto today = core::paris_time(now);
  if (today.month != 1) return 0;
  // Once a day is enough: what a day adds is what was paid late.
  const std::int64_t day = now / 86'400'000;
  if (annual_checked_day_.exchange(day) == day) return 0;
  std::int64_t created = 0;
  const auto orgs = read_value<std::vector<core::OrgId>>(
      store_, [](ReadTx& tx) { return tx.receipts().orgs_issuing(); });
  for (const auto& org_id : orgs) {
    // Counted once committed: a write the store tries again counts once.
    std::int64_t made = 0;
    store_.write([&](Tx& tx) {
      made = 0;
      const auto org = tx.orgs().org_by_id(org_id);
      const auto settings = tx.receipts().settings_of(org_id);
      if (!org || !settings || !settings->enabled) return true;
      made = issue_annual(tx, *org, today.year - 1, now);
      return true;
    });
    created += made;
  }
  return created;
}

Result<ReceiptView> Receipts::get(const Principal& who, const std::string& receipt_id) {
  return read_value<Result<ReceiptView>>(store_, [&](ReadTx& tx) -> Result<ReceiptView> {
    auto receipt = tx.receipts().receipt_by_id(receipt_id);
    if (!receipt) return Error::not_found("No receipt with this id.");
    if (receipt->user_id != who.user_id &&
        !dues_allows(tx.orgs().member_role(receipt->org_id, who.user_id), DuesAction::keep_books))
      return Error::forbidden();
    auto settings = tx.receipts().settings_of(receipt->org_id);
    auto org = tx.orgs().org_by_id(receipt->org_id);
    if (!settings || !org) return Error::not_found("No receipt with this id.");
    return ReceiptView{*receipt, *settings, *org};
  });
}

}  // namespace essor::app
