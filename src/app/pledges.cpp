#include "app/pledges.hpp"

#include <algorithm>
#include <future>
#include <memory>
#include <set>

#include "app/bilingual_mail.hpp"
#include "app/calls.hpp"
#include "app/policy.hpp"
#include "app/rate_limits.hpp"
#include "app/receipts.hpp"
#include "app/tx_helpers.hpp"
#include "core/epc_qr.hpp"
#include "core/id.hpp"
#include "core/loan.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;

namespace {

Error not_live() {
  return Error::conflict("campaign_not_live", "The campaign is not open for pledges.");
}
Error not_pending() {
  return Error::conflict("pledge_not_pending", "Only a pledge waiting for payment can change now.");
}

}  // namespace

const PaymentProvider* PaymentOptions::provider(core::PaymentMethod method) const {
  for (const auto* each : providers) {
    if (each->method() == method) return each;
  }
  return nullptr;
}

const PaymentProvider* PaymentOptions::provider(std::string_view word) const {
  const auto method = core::parse_payment_method(word);
  return method ? provider(*method) : nullptr;
}

std::string PaymentOptions::words() const {
  std::string out;
  for (const auto* each : providers)
    out += (out.empty() ? "" : " or ") + core::to_string(each->method());
  return out;
}

bool PaymentOptions::sandbox_card() const {
  return provider(core::PaymentMethod::sandbox_card) != nullptr;
}

Pledges::Pledges(Store& store, Crypto& crypto, Clock& clock, const Wording& wording, Ledger& ledger,
                 PaymentOptions options, core::LoanRules loan_rules)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      wording_(wording),
      ledger_(ledger),
      options_(std::move(options)),
      loan_rules_(loan_rules) {}

std::optional<TransferInstructions> Pledges::instructions(ReadTx& tx, const PledgeRecord& pledge) {
  const auto* method = options_.provider(pledge.payment_method);
  auto campaign = tx.campaigns().campaign_by_id(pledge.campaign_id);
  auto org = campaign ? tx.orgs().org_by_id(campaign->org_id) : std::nullopt;
  if (!method || !org) return std::nullopt;
  return method->instructions(*org, pledge.reference, pledge.amount_cents);
}

struct Pledges::Recorded {
  PledgeOutcome outcome;
  CampaignForMoney read;  // the campaign, its organisation, its matching call
};

Result<Pledges::Recorded> Pledges::record(Tx& tx, const Principal& who,
                                          const core::CampaignId& campaign_id,
                                          const PledgeInput& input) {
  const TimestampMs now = clock_.now();
  // Its money lock shared with every other pledge into it, exclusive of
  // its resolution: the campaign stays live until this commits. Read with
  // its organisation and its matching call: one statement.
  auto read = tx.ledger().campaign_for_money(campaign_id, LockMode::shared);
  const CampaignRecord* campaign = read ? &read->campaign : nullptr;
  if (!campaign || !core::is_public(campaign->status)) {
    return campaign && (who.moderator || tx.orgs().member_role(campaign->org_id, who.user_id))
               ? Result<Recorded>(not_live())
               : Result<Recorded>(Error::not_found("No campaign with this id."));
  }
  if (campaign->status != core::CampaignStatus::live || campaign->ends_at <= now) return not_live();
  std::optional<RewardRecord> reward;
  if (input.reward_id) {
    for (auto& candidate : tx.campaigns().rewards_of(campaign_id)) {
      if (candidate.id == *input.reward_id) reward = candidate;
    }
    if (!reward) return Error::validation({{"reward_id", "not a reward of this campaign"}});
    if (input.amount_cents < reward->min_amount_cents) {
      return Error::validation(
          {{"amount_cents", "below the reward's minimum of " +
                                std::to_string(reward->min_amount_cents) + " cents"}});
    }
  }
  if (campaign->loan && input.guest)
    return Error::validation({{"guest", "lending needs an account (a loan is a contract)"}});
  if (campaign->loan) {
    const core::Cents minimum = loan_rules_.min_ticket_cents;
    const core::Cents cap = core::lender_cap(*campaign->loan, loan_rules_);
    if (input.amount_cents < minimum) {
      return Error::validation(
          {{"amount_cents", "below the smallest loan of " + std::to_string(minimum) + " cents"}});
    }
    if (tx.pledges().pledged_by_user(campaign_id, who.user_id) + input.amount_cents > cap) {
      return Error::validation(
          {{"amount_cents", "above the most one lender may lend to this campaign (" +
                                std::to_string(cap) + " cents, earlier loans included)"}});
    }
  }
  const auto* method = options_.provider(std::string_view{input.payment_method});
  if (method && method->method() == core::PaymentMethod::balance) {
    // The wallet's lock orders every spender of this balance one after another.
    tx.ledger().lock_wallet(who.user_id);
    if (input.amount_cents > Ledger::available_balance(tx, who.user_id)) {
      return Error::conflict("insufficient_balance",
                             "Your balance of repaid loans is smaller than this amount.");
    }
  }
  const auto& org = read->org;
  if (!org || !method || !method->available_for(*org)) {
    return Error::conflict("bank_details_missing",
                           "This organisation has not given its bank details yet.");
  }
  // One guarded statement per claim: never oversold, whatever the number of
  // requests or processes.
  if (reward && !tx.campaigns().claim_reward(reward->id)) {
    return Error::conflict("reward_sold_out", "This reward is sold out.");
  }
  PledgeRecord pledge;
  pledge.id = crypto_.random_id();
  pledge.campaign_id = campaign_id;
  pledge.user_id = who.user_id;
  pledge.amount_cents = input.amount_cents;
  pledge.reward_id = input.reward_id;
  pledge.status =
      method->confirms_at_once() ? core::PledgeStatus::confirmed : core::PledgeStatus::pending;
  pledge.payment_method = method->method();
  pledge.anonymous = input.anonymous;
  pledge.message = input.message;
  pledge.reference = core::transfer_reference("ESSOR-", pledge.id);
  pledge.created_at = now;
  pledge.updated_at = now;
  tx.pledges().insert_pledge(pledge);
  if (input.receipt) {
    if (campaign->loan)
      return Error::validation({{"receipt", "a loan is not a gift: it gives no tax receipt"}});
    if (auto refused = keep_donor_details(tx, core::ReceiptSource::pledge, pledge.id, who.user_id,
                                          campaign->org_id, *input.receipt, now))
      return *refused;
  }
  auto transfer = method->instructions(*org, pledge.reference, pledge.amount_cents);
  return Recorded{PledgeOutcome{std::move(pledge), std::move(transfer)}, std::move(*read)};
}

struct Pledges::Asked {
  Principal who;  // once checked, when session is set
  std::optional<SessionToCheck> session;
  core::CampaignId campaign_id;
  std::string key;
  std::string request_hash;
  std::string scope;  // whose keys and limits: the account's, or a guest's address
  TimestampMs now = 0;
  PledgeInput input;
  RenderPledge render;
};

Result<Rendered> Pledges::pledge(const Principal& who, const core::CampaignId& campaign_id,
                                 const std::string& key, const std::string& fingerprint,
                                 const PledgeInput& input, const RenderPledge& render) {
  std::promise<Later<Rendered>> answered;
  auto answer = answered.get_future();
  pledge_then(who, campaign_id, key, fingerprint, input, render,
              [&answered](Later<Rendered> later) { answered.set_value(std::move(later)); });
  auto later = answer.get();
  return std::move(later.get());
}

void Pledges::pledge_then(Asker who, const core::CampaignId& campaign_id, const std::string& key,
                          const std::string& fingerprint, const PledgeInput& input,
                          RenderPledge render, std::function<void(Later<Rendered>)> then) {
  const auto refuse = [&then](Error error) {
    Later<Rendered> later;
    later.result.emplace(std::move(error));
    then(std::move(later));
  };
  if (auto problem = check_idempotency_key(key)) return refuse(*problem);
  std::map<std::string, std::string> problems;
  if (input.amount_cents <= 0 || input.amount_cents > core::kMaxPledgeCents) {
    problems["amount_cents"] = "must be from 1 to 10000000";
  }
  const auto* method = options_.provider(std::string_view{input.payment_method});
  if (!method) problems["payment_method"] = "must be " + options_.words();
  if (input.message) {
    if (auto p = core::check_text(*input.message, 1000, false)) problems["message"] = *p;
  }
  if (input.receipt) {
    for (auto& [field, problem] : check_donor(*input.receipt))
      problems["receipt." + field] = problem;
  }
  if (input.guest) {
    for (auto& [field, problem] : check_guest(*input.guest)) problems["guest." + field] = problem;
    // A guest has no balance of repaid loans to spend.
    if (method && method->method() == core::PaymentMethod::balance)
      problems["payment_method"] = "not for a guest";
  }
  if (!problems.empty()) return refuse(Error::validation(std::move(problems)));
  // What the write needs, kept until it runs (on the writer's thread).
  auto asked = std::make_shared<Asked>();
  if (auto* session = std::get_if<SessionToCheck>(&who)) {
    asked->session = std::move(*session);
  } else {
    asked->who = std::move(std::get<Principal>(who));
  }
  asked->campaign_id = campaign_id;
  asked->key = key;
  asked->request_hash = crypto_.sha256_hex(campaign_id + "\n" + fingerprint);
  // A guest's keys and limits are their address's.
  asked->scope = input.guest ? guest_scope(*input.guest) : asked->who.user_id;
  asked->now = clock_.now();
  asked->input = input;
  asked->render = std::move(render);
  auto result = std::make_shared<std::optional<Result<Rendered>>>();
  // One backer's pledges on one writer: each updates the backer's totals
  // row. A session to check stands for its backer (one person's pledges
  // from two sessions at once may go to two writers, the second waiting
  // for the first's commit on that row).
  store_.write_then_for(
      asked->session ? "session " + asked->session->session_hash : asked->scope,
      asked->session ? std::string_view{asked->session->session_hash} : std::string_view{},
      [this, asked, result](Tx& tx) {
        if (asked->session) {
          auto checked = asked->session->check(tx);
          if (!checked) {
            result->emplace(no_live_session());
            return false;
          }
          asked->who = std::move(*checked);
          asked->scope = asked->who.user_id;
        }
        result->emplace(write_pledge(tx, *asked));
        return (*result)->ok();
      },
      [result, then = std::move(then)](std::exception_ptr failure) {
        Later<Rendered> later;
        later.failure = failure;
        if (!failure) later.result = std::move(*result);
        then(std::move(later));
      });
}

Result<Rendered> Pledges::write_pledge(Tx& tx, const Asked& asked) {
  const auto& input = asked.input;
  const auto& campaign_id = asked.campaign_id;
  const TimestampMs now = asked.now;
  if (options_.rate_limits) {
    if (auto limited = rate_limit(tx, kPledgesPerAccount, asked.scope, now)) return *limited;
  }
  std::optional<Recorded> confirmed;
  auto answer = run_idempotent(
      tx, asked.scope, asked.key, asked.request_hash, now, [&]() -> Result<Rendered> {
        const Principal payer =
            input.guest ? make_guest(tx, crypto_, now, *input.guest) : asked.who;
        auto recorded = record(tx, payer, campaign_id, input);
        if (!recorded) return recorded.error();
        if (input.guest) {
          mail_guest(tx, crypto_, wording_, options_.public_url, now, payer,
                     recorded->read.campaign.title, input.amount_cents);
        }
        Rendered rendered{201, asked.render(recorded->outcome)};
        if (recorded->outcome.pledge.status == core::PledgeStatus::confirmed)
          confirmed = std::move(*recorded);
        return rendered;
      });
  // The money is posted in the same transaction: durable with the
  // pledge (on PostgreSQL unsealed, chained by the sealer after).
  if (answer && confirmed) {
    const PledgeRecord& pledge = confirmed->outcome.pledge;
    ledger_.post(tx, Ledger::source(tx, pledge.payment_method, pledge.user_id),
                 core::campaign_account(campaign_id), pledge.amount_cents,
                 core::TransferKind::pledge, pledge.id, campaign_id);
    // A funder's call may match it (matchfunding).
    match_pledge(tx, crypto_, ledger_, now, pledge, confirmed->read.matching_call);
    if (input.receipt) {
      issue_pledge_receipt(tx, crypto_, {wording_, options_.public_url}, now, pledge,
                           confirmed->read.campaign);
    }
  }
  return answer;
}

Result<PledgeOutcome> Pledges::confirm(const Principal& who, const std::string& pledge_id) {
  const TimestampMs now = clock_.now();
  return write_result<PledgeOutcome>(store_, [&](Tx& tx) -> Result<PledgeOutcome> {
    auto pledge = tx.pledges().pledge_by_id(pledge_id);
    if (!pledge) return Error::not_found("No pledge with this id.");
    // The campaign's money exclusively, as its resolution takes it: the two
    // run one after the other, so money is never confirmed into a campaign
    // that is failing (and not refunded).
    tx.ledger().lock_campaign_money(pledge->campaign_id, LockMode::exclusive);
    auto campaign = tx.campaigns().campaign_by_id(pledge->campaign_id);
    if (!campaign_allows(who, tx.orgs().member_role(campaign->org_id, who.user_id),
                         CampaignActionKind::treasury)) {
      return Error::forbidden("Only the organisation's treasurer or admins confirm transfers.");
    }
    // Money confirmed into a campaign that failed (its pledges refunded)
    // would be stranded there.
    if (campaign->status != core::CampaignStatus::live &&
        campaign->status != core::CampaignStatus::succeeded) {
      return Error::conflict("campaign_not_live",
                             "This campaign is over without success; the transfer cannot be "
                             "confirmed.");
    }
    if (!tx.pledges().transition_pledge(pledge_id, core::PledgeStatus::pending,
                                        core::PledgeStatus::confirmed, now))
      return not_pending();
    const std::string account = core::campaign_account(campaign->id);
    ledger_.post(tx, Ledger::source(tx, pledge->payment_method, pledge->user_id), account,
                 pledge->amount_cents, core::TransferKind::pledge, pledge->id, campaign->id);
    if (campaign->status == core::CampaignStatus::succeeded) {
      // The campaign was already paid out: this late money follows it.
      ledger_.post(tx, account, core::org_account(campaign->org_id), pledge->amount_cents,
                   campaign->kind == core::CampaignKind::loan ? core::TransferKind::loan
                                                              : core::TransferKind::payout,
                   pledge->id, campaign->id);
    }
    pledge->status = core::PledgeStatus::confirmed;
    match_pledge(tx, crypto_, ledger_, now, *pledge);
    pledge->updated_at = now;
    issue_pledge_receipt(tx, crypto_, {wording_, options_.public_url}, now, *pledge, *campaign);
    // The backer learns that the transfer arrived.
    notify_in(
        tx, crypto_, now, pledge->user_id, "transfer_confirmed",
        {{"campaign", campaign->title}, {"amount_cents", std::to_string(pledge->amount_cents)}},
        {core::Place::pledge, pledge->id}, core::Subject::campaign, campaign->id);
    return PledgeOutcome{*pledge, std::nullopt};
  });
}

Result<PledgeOutcome> Pledges::cancel(const Principal& who, const std::string& pledge_id) {
  const TimestampMs now = clock_.now();
  return write_result<PledgeOutcome>(store_, [&](Tx& tx) -> Result<PledgeOutcome> {
    auto pledge = tx.pledges().pledge_by_id(pledge_id);
    if (!pledge) return Error::not_found("No pledge with this id.");
    auto campaign = tx.campaigns().campaign_by_id(pledge->campaign_id);
    const bool backer = pledge->user_id == who.user_id;
    if (!backer && !campaign_allows(who, tx.orgs().member_role(campaign->org_id, who.user_id),
                                    CampaignActionKind::treasury)) {
      return Error::forbidden();
    }
    if (!tx.pledges().transition_pledge(pledge_id, core::PledgeStatus::pending,
                                        core::PledgeStatus::cancelled, now))
      return not_pending();
    if (pledge->reward_id) tx.campaigns().release_reward(*pledge->reward_id);
    pledge->status = core::PledgeStatus::cancelled;
    pledge->updated_at = now;
    return PledgeOutcome{*pledge, std::nullopt};
  });
}

ExpiryWork Pledges::expire_due() {
  const TimestampMs now = clock_.now();
  ExpiryWork work;
  const TimestampMs notice_from = now - (options_.transfer_expiry_ms - options_.expiry_notice_ms);
  for (const auto& pledge : read_value<std::vector<PledgeRecord>>(store_, [&](ReadTx& tx) {
         return tx.pledges().pending_transfers_before(notice_from, true, 200);
       })) {
    write_counted(store_, work, [&](Tx& tx) {
      if (!tx.pledges().mark_expiry_notice(pledge.id, now)) return true;
      auto user = tx.accounts().user_by_id(pledge.user_id);
      auto campaign = tx.campaigns().campaign_by_id(pledge.campaign_id);
      if (!user || !campaign) return true;
      auto params_in = [&](const std::string& lang) {
        return std::map<std::string, std::string>{
            {"name", user->display_name},
            {"amount", core::format_eur(pledge.amount_cents, lang)},
            {"campaign", campaign->title},
            {"reference", pledge.reference},
            {"until_at", std::to_string(pledge.created_at + options_.transfer_expiry_ms)},
            {"reward", pledge.reward_id ? wording_.say(lang, "mail_transfer_expiring_reward", {})
                                        : std::string()}};
      };
      auto mail = bilingual_mail(wording_, "mail_transfer_expiring_subject",
                                 "mail_transfer_expiring_body", params_in("fr"), params_in("en"));
      tx.outbox().insert_outbox({crypto_.random_id(), user->id, "transfer_expiring", user->email,
                                 std::move(mail.subject), std::move(mail.body), "", now, 0});
      ++work.noticed;
      return true;
    });
  }
  for (const auto& pledge : read_value<std::vector<PledgeRecord>>(store_, [&](ReadTx& tx) {
         return tx.pledges().pending_transfers_before(now - options_.transfer_expiry_ms, false,
                                                      200);
       })) {
    write_counted(store_, work, [&](Tx& tx) {
      if (!tx.pledges().transition_pledge(pledge.id, core::PledgeStatus::pending,
                                          core::PledgeStatus::cancelled, now))
        return true;
      if (pledge.reward_id) tx.campaigns().release_reward(*pledge.reward_id);
      ++work.expired;
      return true;
    });
  }
  return work;
}

Result<PledgeOutcome> Pledges::get(const Principal& who, const std::string& pledge_id) {
  return read_value<Result<PledgeOutcome>>(store_, [&](ReadTx& tx) -> Result<PledgeOutcome> {
    auto pledge = tx.pledges().pledge_by_id(pledge_id);
    if (!pledge) return Error::not_found("No pledge with this id.");
    auto campaign = tx.campaigns().campaign_by_id(pledge->campaign_id);
    const bool allowed = pledge->user_id == who.user_id || who.moderator ||
                         campaign_allows(who, tx.orgs().member_role(campaign->org_id, who.user_id),
                                         CampaignActionKind::treasury);
    if (!allowed) return Error::forbidden();
    auto transfer =
        pledge->status == core::PledgeStatus::pending ? instructions(tx, *pledge) : std::nullopt;
    return PledgeOutcome{*pledge, transfer};
  });
}

std::vector<PledgeOfUser> Pledges::mine(const Principal& who, std::int64_t limit,
                                        std::int64_t offset) {
  return read_value<std::vector<PledgeOfUser>>(
      store_, [&](ReadTx& tx) { return tx.pledges().pledges_of_user(who.user_id, limit, offset); });
}

Result<std::vector<PledgeRecord>> Pledges::pending_of_org(const Principal& who,
                                                          const core::OrgId& org_id) {
  return read_value<Result<std::vector<PledgeRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<PledgeRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        if (!campaign_allows(who, tx.orgs().member_role(org_id, who.user_id),
                             CampaignActionKind::treasury)) {
          return Error::forbidden();
        }
        return tx.pledges().pending_pledges_of_org(org_id);
      });
}

Result<std::vector<Backer>> Pledges::backers(const Principal& who,
                                             const core::CampaignId& campaign_id) {
  return read_value<Result<std::vector<Backer>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<Backer>> {
        auto campaign = tx.campaigns().campaign_by_id(campaign_id);
        if (!campaign) return Error::not_found("No campaign with this id.");
        if (!campaign_allows(who, tx.orgs().member_role(campaign->org_id, who.user_id),
                             CampaignActionKind::treasury)) {
          return Error::forbidden(
              "Only the organisation's treasurer or admins export its backers.");
        }
        std::vector<PledgeRecord> pledges;
        for (const auto status : {core::PledgeStatus::pending, core::PledgeStatus::confirmed,
                                  core::PledgeStatus::refunded, core::PledgeStatus::cancelled}) {
          for (auto& pledge : tx.pledges().pledges_of_campaign(campaign_id, status))
            pledges.push_back(std::move(pledge));
        }
        // Their people in one statement, not one each.
        std::set<core::UserId> ids;
        for (const auto& pledge : pledges) ids.insert(pledge.user_id);
        const auto users = tx.accounts().users_by_ids({ids.begin(), ids.end()});
        std::vector<Backer> out;
        for (auto& pledge : pledges) {
          const auto user = users.find(pledge.user_id);
          const bool known = user != users.end();
          out.push_back({std::move(pledge), known ? user->second.display_name : "",
                         known ? user->second.email : ""});
        }
        std::sort(out.begin(), out.end(), [](const Backer& a, const Backer& b) {
          return a.pledge.created_at != b.pledge.created_at
                     ? a.pledge.created_at < b.pledge.created_at
                     : a.pledge.id < b.pledge.id;
        });
        return out;
      });
}

}  // namespace essor::app
