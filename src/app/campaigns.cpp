#include "app/campaigns.hpp"

#include <map>
#include <stdexcept>

#include "app/calls.hpp"
#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/image.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::CampaignAction;
using core::Error;
using core::Result;

namespace {

core::CampaignInput input_of(const CampaignRecord& campaign,
                             const std::vector<RewardRecord>& rewards) {
  core::CampaignInput input{campaign.title,
                            campaign.summary,
                            campaign.description_md,
                            campaign.category,
                            core::to_string(campaign.kind),
                            core::to_string(campaign.funding_model),
                            campaign.goal_cents,
                            campaign.ends_at,
                            {},
                            campaign.loan};
  for (const auto& reward : rewards) {
    input.rewards.push_back({reward.title, reward.description, reward.min_amount_cents,
                             reward.quantity_limit, reward.value_cents});
  }
  return input;
}

Error not_found() {
  return Error::not_found("No campaign with this id.");
}

Error wrong_state(core::CampaignStatus status) {
  switch (status) {
    case core::CampaignStatus::live:
      return Error::conflict("campaign_live", "The campaign is live; it cannot change now.");
    case core::CampaignStatus::draft:
      return Error::conflict("campaign_not_submitted", "The campaign is a draft: submit it first.");
    case core::CampaignStatus::in_review:
      return Error::conflict("campaign_in_review", "The campaign is waiting for review.");
    case core::CampaignStatus::succeeded:
    case core::CampaignStatus::failed:
      break;
  }
  return Error::conflict("campaign_not_live", "The campaign is not live.");
}

}  // namespace

Campaigns::Campaigns(Store& store, Crypto& crypto, Clock& clock, Ledger& ledger,
                     core::LoanRules loan_rules)
    : store_(store), crypto_(crypto), clock_(clock), ledger_(ledger), loan_rules_(loan_rules) {}

namespace {

using core::PledgeStatus;

// A guarded step that cannot fail while the ledger head is held.
void must(bool done) {
  if (!done) throw std::logic_error("a pledge changed while its campaign was being resolved");
}

CampaignView view_of(CampaignRecord campaign, CampaignSide side) {
  CampaignView out;
  out.campaign = std::move(campaign);
  out.rewards = std::move(side.rewards);
  out.totals = side.totals;
  out.org_name = std::move(side.org_name);
  out.cover_hash = std::move(side.cover_hash);
  return out;
}

// Live past its ends_at: the scheduler's next round, or its first reader,
// resolves it.
bool is_due(const CampaignRecord& campaign, TimestampMs now) {
  return campaign.status == core::CampaignStatus::live && campaign.ends_at <= now;
}

}  // namespace

CampaignView Campaigns::view(ReadTx& tx, CampaignRecord campaign) {
  const std::string id = campaign.id;
  auto sides = tx.campaigns().campaign_sides({id});
  return view_of(std::move(campaign), std::move(sides[id]));
}

Result<CampaignView> Campaigns::create(const Principal& who, const core::OrgId& org_id,
                                       const core::CampaignInput& input) {
  const TimestampMs now = clock_.now();
  return write_result<CampaignView>(store_, [&](Tx& tx) -> Result<CampaignView> {
    if (!tx.orgs().org_by_id(org_id))
      return Error::validation({{"org_id", "no organisation with this id"}});
    if (!campaign_allows(who, tx.orgs().member_role(org_id, who.user_id),
                         CampaignActionKind::manage)) {
      return Error::forbidden("Only the organisation's admins create its campaigns.");
    }
    auto problems = core::check_campaign(input, now, loan_rules_);
    if (!problems.empty()) return Error::validation(std::move(problems));
    CampaignRecord campaign;
    campaign.id = core::CampaignId{crypto_.random_id()};
    campaign.org_id = org_id;
    campaign.title = core::trim(input.title);
    campaign.summary = core::trim(input.summary);
    campaign.description_md = input.description_md;
    campaign.category = input.category;
    // check_campaign has parsed both.
    campaign.kind = core::parse_kind(input.kind).value();
    campaign.funding_model = core::parse_funding_model(input.funding_model).value();
    campaign.status = core::CampaignStatus::draft;
    campaign.goal_cents = input.goal_cents;
    campaign.ends_at = input.ends_at;
    campaign.loan = input.loan;
    campaign.created_by = who.user_id;
    campaign.created_at = now;
    tx.campaigns().insert_campaign(campaign);
    std::vector<RewardRecord> rewards;
    for (std::size_t idx = 0; idx < input.rewards.size(); ++idx) {
      const auto& reward = input.rewards[idx];
      rewards.push_back({crypto_.random_id(), campaign.id, static_cast<std::int64_t>(idx),
                         core::trim(reward.title), core::trim(reward.description),
                         reward.min_amount_cents, reward.quantity_limit, 0, reward.value_cents});
    }
    tx.campaigns().replace_rewards(campaign.id, rewards);
    return view(tx, campaign);
  });
}

Result<CampaignView> Campaigns::update(const Principal& who, const core::CampaignId& id,
                                       const CampaignPatch& patch) {
  const TimestampMs now = clock_.now();
  return write_result<CampaignView>(store_, [&](Tx& tx) -> Result<CampaignView> {
    auto campaign = tx.campaigns().campaign_by_id(id);
    if (!campaign) return not_found();
    if (!campaign_allows(who, tx.orgs().member_role(campaign->org_id, who.user_id),
                         CampaignActionKind::manage)) {
      return Error::forbidden();
    }
    if (campaign->status != core::CampaignStatus::draft) {
      return Error::conflict("campaign_not_draft", "Only a draft can be edited.");
    }
    auto input = input_of(*campaign, tx.campaigns().rewards_of(id));
    if (patch.title) input.title = *patch.title;
    if (patch.summary) input.summary = *patch.summary;
    if (patch.description_md) input.description_md = *patch.description_md;
    if (patch.category) input.category = *patch.category;
    if (patch.kind) input.kind = *patch.kind;
    if (patch.funding_model) input.funding_model = *patch.funding_model;
    if (patch.goal_cents) input.goal_cents = *patch.goal_cents;
    if (patch.ends_at) input.ends_at = *patch.ends_at;
    if (patch.rewards) input.rewards = *patch.rewards;
    if (patch.loan) input.loan = *patch.loan;
    auto problems = core::check_campaign(input, now, loan_rules_);
    if (!problems.empty()) return Error::validation(std::move(problems));
    campaign->title = core::trim(input.title);
    campaign->summary = core::trim(input.summary);
    campaign->description_md = input.description_md;
    campaign->category = input.category;
    campaign->kind = core::parse_kind(input.kind).value();
    campaign->funding_model = core::parse_funding_model(input.funding_model).value();
    campaign->goal_cents = input.goal_cents;
    campaign->ends_at = input.ends_at;
    campaign->loan = input.loan;
    tx.campaigns().update_campaign(*campaign);
    if (patch.rewards) {
      std::vector<RewardRecord> rewards;
      for (std::size_t idx = 0; idx < input.rewards.size(); ++idx) {
        const auto& reward = input.rewards[idx];
        rewards.push_back({crypto_.random_id(), id, static_cast<std::int64_t>(idx),
                           core::trim(reward.title), core::trim(reward.description),
                           reward.min_amount_cents, reward.quantity_limit, 0, reward.value_cents});
      }
      tx.campaigns().replace_rewards(id, rewards);
    }
    return view(tx, *campaign);
  });
}

Result<CampaignView> Campaigns::change_status(const Principal& who, const core::CampaignId& id,
                                              CampaignAction action, const std::string& reason) {
  const TimestampMs now = clock_.now();
  return write_result<CampaignView>(store_, [&](Tx& tx) -> Result<CampaignView> {
    auto campaign = tx.campaigns().campaign_by_id(id);
    if (!campaign) return not_found();
    const auto role = tx.orgs().member_role(campaign->org_id, who.user_id);
    const bool visible = role || who.moderator;
    if (!visible && !core::is_public(campaign->status)) return not_found();
    const auto kind = action == CampaignAction::submit  ? CampaignActionKind::manage
                      : action == CampaignAction::close ? CampaignActionKind::close
                                                        : CampaignActionKind::review;
    if (!campaign_allows(who, role, kind)) return Error::forbidden();
    const auto to = core::next_status(campaign->status, action);
    if (!to)
      return action == CampaignAction::close ? wrong_state(core::CampaignStatus::failed)
                                             : wrong_state(campaign->status);
    if (action == CampaignAction::submit) {
      // Re-check against today's date: a draft may have been saved long ago.
      auto problems = core::check_campaign(input_of(*campaign, tx.campaigns().rewards_of(id)), now,
                                           loan_rules_);
      if (!problems.empty()) return Error::validation(std::move(problems));
    }
    if (action == CampaignAction::approve && campaign->ends_at <= now) {
      return Error::conflict("campaign_deadline_passed",
                             "The deadline has passed; the organisation must change it.");
    }
    if (action == CampaignAction::close) {
      if (!resolve(tx, *campaign)) return wrong_state(core::CampaignStatus::failed);
    } else if (!tx.campaigns().transition_campaign(id, campaign->status, *to, now)) {
      return wrong_state(campaign->status);
    }
    auto updated = tx.campaigns().campaign_by_id(id);
    if (action == CampaignAction::approve) {
      // Shown in the feeds of those who follow the organisation.
      record_activity(tx, crypto_, now, "campaign_published", updated->created_by, updated->org_id,
                      updated->id, core::Subject::campaign, updated->id,
                      {core::Place::campaign, updated->id}, {{"campaign", updated->title}});
    }
    if (action == CampaignAction::approve || action == CampaignAction::reject) {
      // The organisation's admins hear the moderators' answer.
      notify_members(tx, crypto_, now, updated->org_id, {core::Role::admin}, who.user_id,
                     action == CampaignAction::approve ? "campaign_approved" : "campaign_rejected",
                     {{"campaign", updated->title}, {"reason", reason}},
                     {core::Place::campaign, updated->id}, core::Subject::campaign, updated->id);
    }
    if (action == CampaignAction::reject) {
      updated->reject_reason = reason;
      tx.campaigns().update_campaign(*updated);
    } else if (action == CampaignAction::submit && updated->reject_reason) {
      updated->reject_reason.reset();
      tx.campaigns().update_campaign(*updated);
    }
    return view(tx, *updated);
  });
}

Result<CampaignView> Campaigns::submit(const Principal& who, const core::CampaignId& id) {
  return change_status(who, id, CampaignAction::submit, "");
}

Result<CampaignView> Campaigns::approve(const Principal& who, const core::CampaignId& id) {
  return change_status(who, id, CampaignAction::approve, "");
}

Result<CampaignView> Campaigns::reject(const Principal& who, const core::CampaignId& id,
                                       const std::string& reason) {
  if (auto p = core::check_text(reason, 2000)) return Error::validation({{"reason", *p}});
  return change_status(who, id, CampaignAction::reject, core::trim(reason));
}

Result<CampaignView> Campaigns::close(const Principal& who, const core::CampaignId& id) {
  return change_status(who, id, CampaignAction::close, "");
}

bool Campaigns::resolve(Tx& tx, const CampaignRecord& campaign) {
  const TimestampMs now = clock_.now();
  // The campaign's money, exclusively, before anything is read: pledges
  // (shared) and a treasurer's confirmation take it too, so the totals and
  // the pledges read here include every one committed before, and none
  // after.
  tx.ledger().lock_campaign_money(campaign.id, LockMode::exclusive);
  const CampaignTotals totals = tx.campaigns().campaign_totals(campaign.id);
  const auto outcome =
      core::resolution(campaign.funding_model, totals.raised_cents, campaign.goal_cents);
  // The guarded transition is what makes resolution happen exactly once.
  if (!tx.campaigns().transition_campaign(campaign.id, core::CampaignStatus::live, outcome, now))
    return false;
  const std::string account = core::campaign_account(campaign.id);
  if (outcome == core::CampaignStatus::failed) {
    // The ledger head is held (above): no pledge of this campaign changes
    // meanwhile, so every transition below must take; if one did not, the
    // whole resolution is rolled back rather than refund money twice.
    // A funder's matches go back to its pool first.
    return_matches(tx, ledger_, campaign.id, now);
    for (const auto& pledge :
         tx.pledges().pledges_of_campaign(campaign.id, PledgeStatus::confirmed)) {
      ledger_.post(tx, account, Ledger::source(tx, pledge.payment_method, pledge.user_id),
                   pledge.amount_cents, core::TransferKind::refund, pledge.id, campaign.id);
      must(tx.pledges().transition_pledge(pledge.id, PledgeStatus::confirmed,
                                          PledgeStatus::refunded, now));
      if (pledge.reward_id) tx.campaigns().release_reward(*pledge.reward_id);
      // Its tax receipt, if any, is cancelled and keeps its number.
      tx.receipts().cancel_for(core::ReceiptSource::pledge, pledge.id, now);
    }
    for (const auto& pledge :
         tx.pledges().pledges_of_campaign(campaign.id, PledgeStatus::pending)) {
      must(tx.pledges().transition_pledge(pledge.id, PledgeStatus::pending, PledgeStatus::cancelled,
                                          now));
      if (pledge.reward_id) tx.campaigns().release_reward(*pledge.reward_id);
    }
  } else if (campaign.kind == core::CampaignKind::loan) {
    // The loan is fixed now: money announced but not received does not
    // become a loan, and each lender's confirmed pledges make one contract.
    for (const auto& pledge :
         tx.pledges().pledges_of_campaign(campaign.id, PledgeStatus::pending)) {
      must(tx.pledges().transition_pledge(pledge.id, PledgeStatus::pending, PledgeStatus::cancelled,
                                          now));
    }
    std::map<std::string, LoanContractRecord> contracts;
    for (const auto& pledge :
         tx.pledges().pledges_of_campaign(campaign.id, PledgeStatus::confirmed)) {
      auto& contract = contracts[pledge.user_id];
      contract.campaign_id = campaign.id;
      contract.user_id = pledge.user_id;
      contract.amount_cents += pledge.amount_cents;
      contract.created_at = now;
    }
    for (const auto& [user, contract] : contracts) tx.loans().insert_loan_contract(contract);
    if (totals.raised_cents > 0) {
      ledger_.post(tx, account, core::org_account(campaign.org_id), totals.raised_cents,
                   core::TransferKind::loan, std::nullopt, campaign.id);
    }
  } else if (totals.raised_cents + totals.matched_cents > 0) {
    // The citizens' money and the funder's matches.
    ledger_.post(tx, account, core::org_account(campaign.org_id),
                 totals.raised_cents + totals.matched_cents, core::TransferKind::payout,
                 std::nullopt, campaign.id);
  }
  return true;
}

Result<CampaignView> Campaigns::set_cover(const Principal& who, const core::CampaignId& id,
                                          const std::string& bytes) {
  if (bytes.size() > core::kMaxCoverBytes) {
    return Error{core::ErrorKind::payload_too_large,
                 "payload_too_large",
                 "The image is larger than 5 MiB.",
                 {}};
  }
  const auto type = core::detect_image_type(bytes);
  if (!type) return Error::validation({{"cover", "must be a JPEG, PNG or WebP image"}});
  CoverRecord cover{*type, core::base64_encode(bytes), crypto_.sha256_hex(bytes)};
  const TimestampMs now = clock_.now();
  return write_result<CampaignView>(store_, [&](Tx& tx) -> Result<CampaignView> {
    auto campaign = tx.campaigns().campaign_by_id(id);
    if (!campaign) return not_found();
    const auto role = tx.orgs().member_role(campaign->org_id, who.user_id);
    if (!campaign_allows(who, role, CampaignActionKind::manage)) {
      return role || who.moderator || core::is_public(campaign->status)
                 ? Result<CampaignView>(Error::forbidden())
                 : Result<CampaignView>(not_found());
    }
    tx.campaigns().put_cover(id, cover, now);
    return view(tx, *campaign);
  });
}

Result<CoverImage> Campaigns::cover(const std::optional<Principal>& who,
                                    const core::CampaignId& id) {
  auto visible = get(who, id);
  if (!visible) return visible.error();
  auto record = read_value<std::optional<CoverRecord>>(
      store_, [&](ReadTx& tx) { return tx.campaigns().cover_of(id); });
  if (!record) return Error::not_found("This campaign has no cover image.");
  auto bytes = core::base64_decode(record->data_base64);
  if (!bytes) throw std::runtime_error("a stored cover image is not valid base64");
  return CoverImage{record->content_type, std::move(*bytes), record->sha256.substr(0, 16)};
}

int Campaigns::resolve_due() {
  const TimestampMs now = clock_.now();
  const auto due = read_value<std::vector<core::CampaignId>>(
      store_, [&](ReadTx& tx) { return tx.campaigns().live_campaigns_ending_by(now, 100); });
  int resolved = 0;
  for (const auto& id : due)
    if (resolve_if_due(id, now)) ++resolved;
  return resolved;
}

bool Campaigns::resolve_if_due(const core::CampaignId& id, TimestampMs now) {
  bool resolved = false;
  write_counted(store_, resolved, [&](Tx& tx) {
    const auto campaign = tx.campaigns().campaign_by_id(id);
    resolved = campaign && is_due(*campaign, now) && resolve(tx, *campaign);
    return true;
  });
  return resolved;
}

Result<CampaignView> Campaigns::get(const std::optional<Principal>& who,
                                    const core::CampaignId& id) {
  const TimestampMs now = clock_.now();
  return read_settled<Result<CampaignView>, core::CampaignId>(
      store_,
      [&](ReadTx& tx, std::vector<core::CampaignId>& due) -> Result<CampaignView> {
        auto campaign = tx.campaigns().campaign_by_id(id);
        if (!campaign) return not_found();
        if (!core::is_public(campaign->status)) {
          const bool allowed =
              who &&
              (who->moderator || tx.orgs().member_role(campaign->org_id, who->user_id).has_value());
          if (!allowed) return not_found();
        }
        if (is_due(*campaign, now)) due.push_back(campaign->id);
        return view(tx, *campaign);
      },
      [&](const core::CampaignId& due_id) { resolve_if_due(due_id, now); });
}

Result<CampaignPage> Campaigns::list(const std::optional<Principal>& who,
                                     const CampaignFilter& filter) {
  if (filter.category && !core::is_category(*filter.category)) {
    return Error::validation({{"category", "not a known category"}});
  }
  if (filter.query && filter.query->size() > 200)
    return Error::validation({{"q", "too long (200 characters at most)"}});
  if (filter.query && core::trim(*filter.query).empty()) {
    CampaignFilter without_query = filter;
    without_query.query.reset();
    return list(who, without_query);
  }
  if (filter.query && !core::has_word_character(*filter.query)) {
    return CampaignPage{};  // only punctuation: nothing can match it
  }
  const TimestampMs now = clock_.now();
  const auto read = [&](ReadTx& tx, std::vector<core::CampaignId>& due) -> Result<CampaignPage> {
    CampaignFilter query = filter;
    // Unpublished campaigns are listed to their organisation's members and to
    // moderators only, and only when the list is of one organisation.
    query.include_unpublished =
        query.org_id && who &&
        (who->moderator || tx.orgs().member_role(*query.org_id, who->user_id));
    if (query.status && !core::is_public(*query.status)) {
      // Moderators see every campaign in review; an organisation's members
      // see their own drafts through the organisation filter.
      const bool moderator_queue =
          who && who->moderator && query.status == core::CampaignStatus::in_review;
      const bool own_org =
          who && query.org_id && tx.orgs().member_role(*query.org_id, who->user_id);
      if (!moderator_queue && !own_org)
        return Error::forbidden("Only moderators and members see these.");
    }
    query.limit = filter.limit + 1;
    CampaignPage page;
    auto campaigns = tx.campaigns().list_campaigns(query);
    std::vector<std::string> ids;
    for (const auto& campaign : campaigns) {
      ids.push_back(campaign.id);
      if (is_due(campaign, now)) due.push_back(campaign.id);
    }
    // Totals, organisations, covers and rewards of the whole page at once.
    auto sides = tx.campaigns().campaign_sides(ids);
    for (auto& campaign : campaigns) {
      const std::string id = campaign.id;
      page.items.push_back(view_of(std::move(campaign), std::move(sides[id])));
    }
    if (static_cast<std::int64_t>(page.items.size()) > filter.limit) {
      page.items.pop_back();
      page.next_offset = filter.offset + filter.limit;
    }
    return page;
  };
  return read_settled<Result<CampaignPage>, core::CampaignId>(
      store_, read, [&](const core::CampaignId& due_id) { resolve_if_due(due_id, now); });
}

}  // namespace essor::app
