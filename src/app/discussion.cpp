#include "app/discussion.hpp"

#include <limits>
#include <set>

#include "app/policy.hpp"
#include "app/rate_limits.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;
using core::Status;

namespace {
// Every row: a limit no list reaches.
constexpr std::int64_t kEvery = std::numeric_limits<std::int64_t>::max();
}  // namespace

Result<UpdateRecord> Discussion::post_update(const Principal& who,
                                             const core::CampaignId& campaign_id,
                                             const std::string& title, const std::string& body_md) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_name(title, 200)) problems["title"] = *p;
  if (auto p = core::check_text(body_md, 20000)) problems["body_md"] = *p;
  if (!problems.empty()) return Error::validation(std::move(problems));
  const TimestampMs now = clock_.now();
  return write_result<UpdateRecord>(store_, [&](Tx& tx) -> Result<UpdateRecord> {
    auto campaign = tx.campaigns().campaign_by_id(campaign_id);
    if (!campaign) return no_such("campaign");
    const auto role = tx.orgs().member_role(campaign->org_id, who.user_id);
    if (!role && !who.moderator && !core::is_public(campaign->status)) return no_such("campaign");
    if (!campaign_allows(who, role, CampaignActionKind::manage)) {
      return Error::forbidden("Only the organisation's admins post news.");
    }
    UpdateRecord update{crypto_.random_id(),
                        campaign_id,
                        core::trim(title),
                        core::trim(body_md),
                        who.user_id,
                        who.display_name,
                        now,
                        false};
    tx.discussion().insert_update(update);
    const core::Link link{core::Place::campaign, campaign_id, core::Anchor::update, update.id};
    const Params params = {{"campaign", campaign->title}, {"title", update.title}};
    record_activity(tx, crypto_, now, "update_posted", who.user_id, campaign->org_id, campaign_id,
                    core::Subject::update, update.id, link, params);
    std::set<core::UserId> backers;
    for (const auto status : {core::PledgeStatus::confirmed, core::PledgeStatus::pending}) {
      for (const auto& pledge : tx.pledges().pledges_of_campaign(campaign_id, status))
        backers.insert(pledge.user_id);
    }
    for (const auto& backer : backers) {
      notify(tx, backer, "campaign_update", params, link, core::Subject::update, update.id);
    }
    return update;
  });
}

Result<std::vector<UpdateRecord>> Discussion::updates(const std::optional<Principal>& who,
                                                      const core::CampaignId& campaign_id,
                                                      std::int64_t limit, std::int64_t offset) {
  return read_value<Result<std::vector<UpdateRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<UpdateRecord>> {
        auto link = target_link(tx, who, core::Subject::campaign, campaign_id);
        if (!link) return link.error();
        return tx.discussion().updates_of_campaign(campaign_id, limit, offset);
      });
}

Result<UpdateRecord> Discussion::update(const std::optional<Principal>& who,
                                        const std::string& id) {
  return read_value<Result<UpdateRecord>>(store_, [&](ReadTx& tx) -> Result<UpdateRecord> {
    auto update = tx.discussion().update_by_id(id);
    if (!update || update->hidden) return no_such("news item");
    if (!target_link(tx, who, core::Subject::campaign, update->campaign_id))
      return no_such("news item");
    return *update;
  });
}

Result<CampaignDiscussion> Discussion::of_campaign(const std::optional<Principal>& who,
                                                   const CampaignRecord& campaign,
                                                   std::int64_t news_limit,
                                                   std::int64_t threads_limit,
                                                   std::int64_t threads_offset) {
  return read_value<Result<CampaignDiscussion>>(
      store_, [&](ReadTx& tx) -> Result<CampaignDiscussion> {
        if (!core::is_public(campaign.status) &&
            !(who && (who->moderator || tx.orgs().member_role(campaign.org_id, who->user_id)))) {
          return no_such("campaign");
        }
        CampaignDiscussion out;
        auto updates = tx.discussion().updates_of_campaign(campaign.id, news_limit, 0);
        std::vector<std::string> ids;
        for (const auto& update : updates) ids.push_back(update.id);
        auto comments = tx.discussion().comments_of_many(core::Subject::update, ids);
        for (auto& update : updates) {
          auto thread = std::move(comments[update.id]);
          out.updates.emplace_back(std::move(update), std::move(thread));
        }
        // One thread more than asked tells whether older ones follow.
        out.comments = tx.discussion().comment_threads(core::Subject::campaign, campaign.id,
                                                       threads_limit + 1, threads_offset);
        std::int64_t threads = 0;
        std::string last;
        for (const auto& c : out.comments) {
          if (c.parent_id) continue;
          ++threads;
          last = c.id;
        }
        if (threads > threads_limit) {
          out.more_comments = true;
          std::erase_if(out.comments,
                        [&](const CommentRecord& c) { return c.parent_id.value_or(c.id) == last; });
        }
        return out;
      });
}

Result<CommentRecord> Discussion::comment(const Principal& who, core::Subject target_type,
                                          const std::string& target_id, const std::string& body,
                                          const std::optional<std::string>& parent_id) {
  if (auto p = core::check_text(body, 5000)) return Error::validation({{"body_md", *p}});
  const TimestampMs now = clock_.now();
  return write_result<CommentRecord>(store_, [&](Tx& tx) -> Result<CommentRecord> {
    auto target = target_link(tx, who, target_type, target_id);
    if (!target) return target.error();
    if (options_.rate_limits) {
      if (auto limited = rate_limit(tx, kCommentsPerAccount, who.user_id, now)) return *limited;
    }
    if (target_type == core::Subject::proposal) {
      auto proposal = tx.governance().proposal_by_id(core::ProposalId{target_id});
      if (!tx.orgs().member_role(proposal->org_id, who.user_id))
        return Error::forbidden("Only members take part in the discussion.");
    }
    std::optional<CommentRecord> parent;
    if (parent_id) {
      parent = tx.discussion().comment_by_id(*parent_id);
      if (!parent || parent->hidden || parent->target_type != target_type ||
          parent->target_id != target_id) {
        return Error::validation({{"parent_id", "must be a comment of the same page"}});
      }
      if (parent->parent_id) {
        return Error::validation(
            {{"parent_id", "replies take one level: answer the first comment"}});
      }
    }
    CommentRecord c;
    c.id = crypto_.random_id();
    c.user_id = who.user_id;
    c.display_name = who.display_name;
    c.body = core::trim(body);
    c.created_at = now;
    c.parent_id = parent_id;
    c.target_type = target_type;
    c.target_id = target_id;
    tx.discussion().insert_comment(c);
    // Under the page of what it answers (a news item's comments are on its
    // campaign's page).
    const core::Link link{target->place, target->id, core::Anchor::comment, c.id};
    if (target_type != core::Subject::proposal) {
      auto campaign = tx.campaigns().campaign_by_id(core::CampaignId{target->id});
      record_activity(tx, crypto_, now, "comment_posted", who.user_id, campaign->org_id,
                      campaign->id, core::Subject::comment, c.id, link,
                      {{"actor", who.display_name}, {"campaign", campaign->title}});
    }
    if (parent && parent->user_id != who.user_id) {
      notify(tx, parent->user_id, "comment_reply", {{"actor", who.display_name}}, link,
             core::Subject::comment, c.id);
    }
    return c;
  });
}

Result<std::vector<CommentRecord>> Discussion::comments(const std::optional<Principal>& who,
                                                        core::Subject target_type,
                                                        const std::string& target_id,
                                                        std::int64_t limit, std::int64_t offset) {
  return read_value<Result<std::vector<CommentRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<CommentRecord>> {
        auto target = target_link(tx, who, target_type, target_id);
        if (!target) return target.error();
        return tx.discussion().comments_of(target_type, target_id, limit, offset);
      });
}

Status Discussion::report(const Principal& who, core::Subject target_type,
                          const std::string& target_id, const std::string& reason) {
  if (!core::reportable(target_type))
    return Error::validation({{"target_type", "must be comment or update"}});
  if (auto p = core::check_text(reason, 1000, false)) return Error::validation({{"reason", *p}});
  const TimestampMs now = clock_.now();
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    bool visible = false;
    if (target_type == core::Subject::comment) {
      auto c = tx.discussion().comment_by_id(target_id);
      visible = c && !c->hidden && target_link(tx, who, c->target_type, c->target_id).ok();
    } else {
      visible = target_link(tx, who, core::Subject::update, target_id).ok();
    }
    if (!visible) return Error::not_found("Nothing to report with this id.");
    // A second report by the same person counts once.
    (void)tx.discussion().insert_report(
        {crypto_.random_id(), target_type, target_id, who.user_id, core::trim(reason), now});
    return core::ok_status();
  });
}

Result<std::vector<ReportView>> Discussion::open_reports(const Principal& who) {
  if (!who.moderator) return Error::forbidden("Only moderators see reports.");
  return read_value<
      Result<std::vector<ReportView>>>(store_, [&](ReadTx& tx) -> Result<std::vector<ReportView>> {
    std::vector<ReportView> out;
    for (auto& report : tx.discussion().open_reports(200)) {
      ReportView view{report, "", std::nullopt};
      if (report.target_type == core::Subject::comment) {
        if (auto c = tx.discussion().comment_by_id(report.target_id)) {
          view.excerpt = c->display_name + " : " + excerpt(c->body, 300);
          auto target = target_link(tx, who, c->target_type, c->target_id);
          if (target)
            view.link = core::Link{target->place, target->id, core::Anchor::comment, c->id};
        }
      } else if (auto u = tx.discussion().update_by_id(report.target_id)) {
        view.excerpt = u->title + " : " + excerpt(u->body_md, 300);
        view.link = core::Link{core::Place::campaign, u->campaign_id, core::Anchor::update, u->id};
      }
      out.push_back(std::move(view));
    }
    return out;
  });
}

Status Discussion::hide(const Principal& who, core::Subject target_type,
                        const std::string& target_id) {
  if (!who.moderator) return Error::forbidden("Only moderators hide content.");
  if (!core::reportable(target_type))
    return Error::validation({{"target_type", "must be comment or update"}});
  const TimestampMs now = clock_.now();
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    const bool exists = target_type == core::Subject::comment
                            ? tx.discussion().comment_by_id(target_id).has_value()
                            : tx.discussion().update_by_id(target_id).has_value();
    if (!exists) return Error::not_found("Nothing with this id.");
    // Replies go with the comment they answer; news with its comments.
    std::vector<std::pair<core::Subject, std::string>> gone{{target_type, target_id}};
    if (target_type == core::Subject::comment) {
      const auto c = *tx.discussion().comment_by_id(target_id);
      for (const auto& reply : tx.discussion().comments_of(c.target_type, c.target_id, kEvery, 0)) {
        if (reply.parent_id == target_id) gone.emplace_back(core::Subject::comment, reply.id);
      }
    } else {
      for (const auto& c : tx.discussion().comments_of(core::Subject::update, target_id, kEvery, 0))
        gone.emplace_back(core::Subject::comment, c.id);
    }
    for (const auto& [type, id] : gone) {
      // Already hidden (by another moderator) is as good.
      if (type == core::Subject::comment) {
        (void)tx.discussion().hide_comment(id);
      } else {
        (void)tx.discussion().hide_update(id);
      }
      // Gone from the feeds and the notifications too.
      tx.follows().delete_activities_of(type, id);
      tx.notifications().delete_notifications_of(type, id);
    }
    tx.discussion().resolve_reports(target_type, target_id, "hidden", now);
    return core::ok_status();
  });
}

Status Discussion::dismiss(const Principal& who, core::Subject target_type,
                           const std::string& target_id) {
  if (!who.moderator) return Error::forbidden("Only moderators handle reports.");
  const TimestampMs now = clock_.now();
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    tx.discussion().resolve_reports(target_type, target_id, "kept", now);
    return core::ok_status();
  });
}

}  // namespace essor::app
