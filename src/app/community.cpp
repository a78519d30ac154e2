#include "app/community.hpp"

#include <algorithm>
#include <set>

#include "app/policy.hpp"
#include "app/rate_limits.hpp"
#include "app/tx_helpers.hpp"
#include "core/image.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;
using core::Status;

namespace {

constexpr TimestampMs kDayMs = 24LL * 3600 * 1000;

// The first characters of a text, cut on a code point, with an ellipsis.
std::string excerpt(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

Error no_such(const char* what) {
  return Error::not_found(std::string("No ") + what + " with this id.");
}

bool is_http_url(const std::string& url) {
  return (url.starts_with("https://") || url.starts_with("http://")) && url.size() > 10 &&
         url.find_first_of(" \t\r\n\"<>") == std::string::npos;
}

}  // namespace

Community::Community(Store& store, Crypto& crypto, Clock& clock, const Wording& wording,
                     CommunityOptions options, Mailer* mailer)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      wording_(wording),
      options_(std::move(options)),
      mailer_(mailer) {}

void Community::notify(Tx& tx, const std::string& user_id, const std::string& kind, Params params,
                       const core::Link& link, core::Subject subject_type,
                       const std::string& subject_id, bool mail) {
  NotificationRecord n;
  n.id = crypto_.random_id();
  n.user_id = user_id;
  n.kind = kind;
  n.link = link;
  n.subject_type = subject_type;
  n.subject_id = subject_id;
  n.created_at = clock_.now();
  n.mail = mail && options_.mail_enabled;
  n.params = std::move(params);
  tx.notifications().insert_notification(n);
}

namespace {

template <typename Record>
std::string worded_record(const Wording& wording, const std::string& lang, const Record& r) {
  if (r.params.empty() && !r.text.empty()) return r.text;  // from before kinds had parameters
  return wording.say(lang, "say_" + r.kind, r.params);
}

}  // namespace

std::string worded(const Wording& wording, const std::string& lang, const NotificationRecord& n) {
  return worded_record(wording, lang, n);
}

std::string worded(const Wording& wording, const std::string& lang, const ActivityRecord& a) {
  return worded_record(wording, lang, a);
}

// ---------------------------------------------------------------- news

Result<UpdateRecord> Community::post_update(const Principal& who, const std::string& campaign_id,
                                            const std::string& title, const std::string& body_md) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_text(title, 200)) problems["title"] = *p;
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
    std::set<std::string> backers;
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

Result<std::vector<UpdateRecord>> Community::updates(const std::optional<Principal>& who,
                                                     const std::string& campaign_id,
                                                     std::int64_t limit, std::int64_t offset) {
  return read_value<Result<std::vector<UpdateRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<UpdateRecord>> {
        auto link = target_link(tx, who, core::Subject::campaign, campaign_id);
        if (!link) return link.error();
        return tx.discussion().updates_of_campaign(campaign_id, limit, offset);
      });
}

Result<UpdateRecord> Community::update(const std::optional<Principal>& who, const std::string& id) {
  return read_value<Result<UpdateRecord>>(store_, [&](ReadTx& tx) -> Result<UpdateRecord> {
    auto update = tx.discussion().update_by_id(id);
    if (!update || update->hidden) return no_such("news item");
    if (!target_link(tx, who, core::Subject::campaign, update->campaign_id))
      return no_such("news item");
    return *update;
  });
}

Result<CampaignDiscussion> Community::discussion(const std::optional<Principal>& who,
                                                 const CampaignRecord& campaign,
                                                 std::int64_t news_limit) {
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
        out.comments = tx.discussion().comments_of(core::Subject::campaign, campaign.id);
        return out;
      });
}

// ---------------------------------------------------------------- comments

Result<core::Link> Community::target_link(ReadTx& tx, const std::optional<Principal>& who,
                                          core::Subject target_type, const std::string& target_id) {
  switch (target_type) {
    case core::Subject::campaign: {
      auto campaign = tx.campaigns().campaign_by_id(target_id);
      if (!campaign) return no_such("campaign");
      if (!core::is_public(campaign->status) &&
          !(who && (who->moderator || tx.orgs().member_role(campaign->org_id, who->user_id)))) {
        return no_such("campaign");
      }
      return core::Link{core::Place::campaign, target_id};
    }
    case core::Subject::update: {
      auto update = tx.discussion().update_by_id(target_id);
      if (!update || update->hidden) return no_such("news item");
      if (!target_link(tx, who, core::Subject::campaign, update->campaign_id))
        return no_such("news item");
      return core::Link{core::Place::campaign, update->campaign_id, core::Anchor::update,
                        target_id};
    }
    case core::Subject::proposal: {
      auto proposal = tx.governance().proposal_by_id(target_id);
      if (!proposal || !who ||
          (!who->moderator && !tx.orgs().member_role(proposal->org_id, who->user_id)))
        return no_such("proposal");
      return core::Link{core::Place::proposal, target_id};
    }
    case core::Subject::org:
    case core::Subject::comment:
    case core::Subject::user:
    case core::Subject::event:
    case core::Subject::circle:
    case core::Subject::circle_post:
    case core::Subject::draft:
    case core::Subject::assembly:
    case core::Subject::call:
      break;
  }
  return Error::validation({{"target_type", "must be campaign, update or proposal"}});
}

Result<CommentRecord> Community::comment(const Principal& who, core::Subject target_type,
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
      auto proposal = tx.governance().proposal_by_id(target_id);
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
      auto campaign = tx.campaigns().campaign_by_id(target->id);
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

Result<std::vector<CommentRecord>> Community::comments(const std::optional<Principal>& who,
                                                       core::Subject target_type,
                                                       const std::string& target_id) {
  return read_value<Result<std::vector<CommentRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<CommentRecord>> {
        auto target = target_link(tx, who, target_type, target_id);
        if (!target) return target.error();
        return tx.discussion().comments_of(target_type, target_id);
      });
}

// ---------------------------------------------------------------- moderation

Status Community::report(const Principal& who, core::Subject target_type,
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

Result<std::vector<ReportView>> Community::open_reports(const Principal& who) {
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

Status Community::hide(const Principal& who, core::Subject target_type,
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
      for (const auto& reply : tx.discussion().comments_of(c.target_type, c.target_id)) {
        if (reply.parent_id == target_id) gone.emplace_back(core::Subject::comment, reply.id);
      }
    } else {
      for (const auto& c : tx.discussion().comments_of(core::Subject::update, target_id))
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

Status Community::dismiss(const Principal& who, core::Subject target_type,
                          const std::string& target_id) {
  if (!who.moderator) return Error::forbidden("Only moderators handle reports.");
  const TimestampMs now = clock_.now();
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    tx.discussion().resolve_reports(target_type, target_id, "kept", now);
    return core::ok_status();
  });
}

// ---------------------------------------------------------------- follows

Result<FollowRecord> Community::follow(const Principal& who, core::Subject target_type,
                                       const std::string& target_id) {
  if (!core::followable(target_type))
    return Error::validation({{"target_type", "must be org, campaign or user"}});
  if (target_id.empty()) return Error::validation({{"target_id", "required"}});
  if (target_type == core::Subject::user && target_id == who.user_id)
    return Error::validation({{"target_id", "you cannot follow yourself"}});
  const TimestampMs now = clock_.now();
  return write_result<FollowRecord>(store_, [&](Tx& tx) -> Result<FollowRecord> {
    bool exists = false;
    if (target_type == core::Subject::org) {
      exists = tx.orgs().org_by_id(target_id).has_value();
    } else if (target_type == core::Subject::campaign) {
      exists = target_link(tx, who, core::Subject::campaign, target_id).ok();
    } else {
      exists = tx.accounts().user_by_id(target_id).has_value();
    }
    if (!exists) return Error::not_found("Nothing to follow with this id.");
    FollowRecord follow{target_type, target_id, now};
    (void)tx.follows().insert_follow(who.user_id, follow);  // following twice is following
    return follow;
  });
}

Status Community::unfollow(const Principal& who, core::Subject target_type,
                           const std::string& target_id) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    if (!tx.follows().delete_follow(who.user_id, target_type, target_id))
      return Error::not_found("You do not follow this.");
    return core::ok_status();
  });
}

std::vector<FollowRecord> Community::follows(const Principal& who) {
  return read_value<std::vector<FollowRecord>>(
      store_, [&](ReadTx& tx) { return tx.follows().follows_of(who.user_id); });
}

bool Community::is_following(const Principal& who, core::Subject target_type,
                             const std::string& target_id) {
  return read_value<bool>(store_, [&](ReadTx& tx) {
    return tx.follows().is_following(who.user_id, target_type, target_id);
  });
}

std::vector<ActivityRecord> Community::feed(const Principal& who, std::int64_t limit,
                                            std::int64_t offset) {
  return read_value<std::vector<ActivityRecord>>(
      store_, [&](ReadTx& tx) { return tx.follows().feed_of(who.user_id, limit, offset); });
}

Result<std::vector<ActivityRecord>> Community::org_activity(const std::string& org_id,
                                                            std::int64_t limit) {
  return read_value<Result<std::vector<ActivityRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<ActivityRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return no_such("organisation");
        return tx.follows().activities_of_org(org_id, limit);
      });
}

// ---------------------------------------------------------------- notifications

std::vector<NotificationRecord> Community::notifications(const Principal& who, std::int64_t limit,
                                                         std::int64_t offset) {
  return read_value<std::vector<NotificationRecord>>(store_, [&](ReadTx& tx) {
    return tx.notifications().notifications_of(who.user_id, limit, offset);
  });
}

std::int64_t Community::unread(const Principal& who) {
  return read_value<std::int64_t>(
      store_, [&](ReadTx& tx) { return tx.notifications().unread_notifications(who.user_id); });
}

std::int64_t Community::mark_read(const Principal& who, const std::vector<std::string>& ids) {
  std::int64_t count = 0;
  const TimestampMs now = clock_.now();
  store_.write([&](Tx& tx) {
    count = tx.notifications().mark_notifications_read(who.user_id, ids, now);
    return true;
  });
  return count;
}

MailSettings Community::settings_for(Tx& tx, const std::string& user_id) {
  if (auto settings = tx.outbox().mail_settings(user_id)) return *settings;
  MailSettings settings{user_id, "immediate", crypto_.random_token(), std::nullopt};
  tx.outbox().put_mail_settings(settings);
  return settings;
}

std::string Community::mail_mode(const Principal& who) {
  return read_value<std::string>(store_, [&](ReadTx& tx) {
    auto settings = tx.outbox().mail_settings(who.user_id);
    return settings ? settings->mode : std::string("immediate");
  });
}

Status Community::set_mail_mode(const Principal& who, const std::string& mode) {
  if (mode != "immediate" && mode != "daily" && mode != "none")
    return Error::validation({{"mail", "must be immediate, daily or none"}});
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    auto settings = settings_for(tx, who.user_id);
    settings.mode = mode;
    tx.outbox().put_mail_settings(settings);
    return core::ok_status();
  });
}

Result<std::string> Community::unsubscribe_target(const std::string& token) {
  return read_value<Result<std::string>>(store_, [&](ReadTx& tx) -> Result<std::string> {
    auto settings = token.empty() ? std::nullopt : tx.outbox().mail_settings_by_token(token);
    if (!settings) return Error::not_found("This unsubscribe link is not valid.");
    auto user = tx.accounts().user_by_id(settings->user_id);
    return user->email;
  });
}

Status Community::unsubscribe(const std::string& token) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    auto settings = token.empty() ? std::nullopt : tx.outbox().mail_settings_by_token(token);
    if (!settings) return Error::not_found("This unsubscribe link is not valid.");
    settings->mode = "none";
    tx.outbox().put_mail_settings(*settings);
    return core::ok_status();
  });
}

// ---------------------------------------------------------------- events

Result<EventRecord> Community::create_event(const Principal& who, const std::string& org_id,
                                            const EventInput& in) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_text(in.title, 200)) problems["title"] = *p;
  if (auto p = core::check_text(in.description_md, 20000, false)) problems["description_md"] = *p;
  const TimestampMs now = clock_.now();
  if (in.starts_at <= now) problems["starts_at"] = "must be in the future";
  if (in.ends_at <= in.starts_at) problems["ends_at"] = "must be after the start";
  if (in.ends_at - in.starts_at > 31 * kDayMs)
    problems["ends_at"] = "an event lasts 31 days at most";
  if (in.location) {
    if (auto p = core::check_text(*in.location, 300)) problems["location"] = *p;
  }
  if (in.online_url && !is_http_url(*in.online_url))
    problems["online_url"] = "must be an http:// or https:// address";
  if (!in.location && !in.online_url)
    problems["location"] = "give a place, an online meeting link, or both";
  if (in.capacity && (*in.capacity < 1 || *in.capacity > 100000))
    problems["capacity"] = "must be between 1 and 100000";
  if (!problems.empty()) return Error::validation(std::move(problems));
  return write_result<EventRecord>(store_, [&](Tx& tx) -> Result<EventRecord> {
    auto org = tx.orgs().org_by_id(org_id);
    if (!org) return no_such("organisation");
    if (!campaign_allows(who, tx.orgs().member_role(org_id, who.user_id),
                         CampaignActionKind::manage))
      return Error::forbidden("Only the organisation's admins create events.");
    EventRecord e;
    e.id = crypto_.random_id();
    e.org_id = org_id;
    e.title = core::trim(in.title);
    e.description_md = core::trim(in.description_md);
    e.starts_at = in.starts_at;
    e.ends_at = in.ends_at;
    if (in.location) e.location = core::trim(*in.location);
    e.online_url = in.online_url;
    e.capacity = in.capacity;
    e.created_by = who.user_id;
    e.created_at = now;
    tx.events().insert_event(e);
    const core::Link link{core::Place::event, e.id};
    const Params params = {
        {"org", org->name}, {"event", e.title}, {"starts_at", std::to_string(e.starts_at)}};
    record_activity(tx, crypto_, now, "event_created", who.user_id, org_id, std::nullopt,
                    core::Subject::event, e.id, link, params);
    for (const auto& follower : tx.follows().followers_of(core::Subject::org, org_id)) {
      if (follower != who.user_id)
        notify(tx, follower, "event_created", params, link, core::Subject::event, e.id);
    }
    return e;
  });
}

Result<EventView> Community::event(const std::optional<Principal>& who, const std::string& id) {
  return read_value<Result<EventView>>(store_, [&](ReadTx& tx) -> Result<EventView> {
    auto e = tx.events().event_by_id(id);
    if (!e) return no_such("event");
    EventView view;
    view.event = *e;
    view.org_name = tx.orgs().org_by_id(e->org_id)->name;
    const auto people = tx.events().registrations_of(id);
    for (const auto& r : people) {
      if (r.status == core::RegistrationStatus::waiting) ++view.waiting;
      if (who && r.user_id == who->user_id) view.mine = r;
    }
    if (who) {
      view.can_manage = campaign_allows(*who, tx.orgs().member_role(e->org_id, who->user_id),
                                        CampaignActionKind::manage);
      if (view.can_manage) view.people = people;
    }
    view.show_link = may_see_meeting_link(
        view.can_manage, view.mine ? std::optional(view.mine->status) : std::nullopt);
    return view;
  });
}

Result<std::vector<EventRecord>> Community::org_events(const std::string& org_id,
                                                       bool upcoming_only) {
  const TimestampMs from = upcoming_only ? clock_.now() : 0;
  return read_value<Result<std::vector<EventRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<EventRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return no_such("organisation");
        return tx.events().events_of_org(org_id, from, 500);
      });
}

Result<RegistrationRecord> Community::register_for(const Principal& who,
                                                   const std::string& event_id, bool waitlist) {
  const TimestampMs now = clock_.now();
  return write_result<RegistrationRecord>(store_, [&](Tx& tx) -> Result<RegistrationRecord> {
    auto e = tx.events().event_by_id(event_id);
    if (!e) return no_such("event");
    if (auto existing = tx.events().registration(event_id, who.user_id)) return *existing;
    if (e->ends_at <= now) return Error::conflict("event_over", "This event is over.");
    RegistrationRecord r{event_id, who.user_id, who.display_name,
                         core::RegistrationStatus::registered, now};
    if (!tx.events().take_seat(event_id)) {
      if (!waitlist) {
        return Error::conflict("event_full",
                               "No seat is left. You can join the waiting list instead.");
      }
      r.status = core::RegistrationStatus::waiting;
    }
    if (!tx.events().insert_registration(r)) {
      // The same person registered meanwhile (two clicks, two devices):
      // theirs stands, and the seat taken for this one goes back.
      if (r.status == core::RegistrationStatus::registered) tx.events().release_seat(event_id);
      if (auto existing = tx.events().registration(event_id, who.user_id)) return *existing;
      return Error::conflict("registration_changed",
                             "Your registration changed meanwhile: try again.");
    }
    return r;
  });
}

Status Community::unregister(const Principal& who, const std::string& event_id) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    auto e = tx.events().event_by_id(event_id);
    if (!e) return no_such("event");
    auto mine = tx.events().registration(event_id, who.user_id);
    if (!mine || !tx.events().delete_registration(event_id, who.user_id))
      return Error::not_found("You are not registered to this event.");
    if (mine->status != core::RegistrationStatus::registered) return core::ok_status();
    // The seat goes to the first on the waiting list, if any.
    for (const auto& r : tx.events().registrations_of(event_id)) {
      if (r.status != core::RegistrationStatus::waiting) continue;
      if (tx.events().set_registration_status(event_id, r.user_id,
                                              core::RegistrationStatus::waiting,
                                              core::RegistrationStatus::registered)) {
        notify(tx, r.user_id, "event_seat",
               {{"event", e->title}, {"starts_at", std::to_string(e->starts_at)}},
               {core::Place::event, event_id}, core::Subject::event, event_id);
        return core::ok_status();
      }
    }
    tx.events().release_seat(event_id);
    return core::ok_status();
  });
}

std::vector<std::pair<EventRecord, core::RegistrationStatus>> Community::my_events(
    const Principal& who) {
  const TimestampMs now = clock_.now();
  return read_value<std::vector<std::pair<EventRecord, core::RegistrationStatus>>>(
      store_, [&](ReadTx& tx) { return tx.events().events_of_user(who.user_id, now); });
}

// ---------------------------------------------------------------- circles

Result<CircleRecord> Community::create_circle(const Principal& who, const std::string& name,
                                              const std::string& description) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_text(name, 100)) problems["name"] = *p;
  if (auto p = core::check_text(description, 2000, false)) problems["description"] = *p;
  if (!problems.empty()) return Error::validation(std::move(problems));
  const TimestampMs now = clock_.now();
  return write_result<CircleRecord>(store_, [&](Tx& tx) -> Result<CircleRecord> {
    CircleRecord circle{crypto_.random_id(), core::trim(name), core::trim(description), who.user_id,
                        now};
    tx.circles().insert_circle(circle);
    (void)tx.circles().insert_circle_member(circle.id, who.user_id, now);  // a new circle
    return circle;
  });
}

Result<CircleMemberRecord> Community::add_circle_member(const Principal& who,
                                                        const std::string& circle_id,
                                                        const std::string& email) {
  if (auto p = core::check_email(core::trim(email))) return Error::validation({{"email", *p}});
  const TimestampMs now = clock_.now();
  return write_result<CircleMemberRecord>(store_, [&](Tx& tx) -> Result<CircleMemberRecord> {
    auto circle = tx.circles().circle_by_id(circle_id);
    if (!circle || !tx.circles().is_circle_member(circle_id, who.user_id)) return no_such("circle");
    auto user = tx.accounts().user_by_email(core::ascii_lower(core::trim(email)));
    if (!user) {
      return Error::validation(
          {{"email", "no account has this address: ask them to sign up first"}});
    }
    if (tx.circles().insert_circle_member(circle_id, user->id, now)) {
      notify(tx, user->id, "circle_added", {{"actor", who.display_name}, {"circle", circle->name}},
             {core::Place::circle, circle_id}, core::Subject::circle, circle_id, false);
    }
    for (auto& member : tx.circles().circle_members(circle_id)) {
      if (member.user_id == user->id) return member;
    }
    return Error::not_found();
  });
}

core::Status Community::leave_circle(const Principal& who, const std::string& circle_id,
                                     const std::string& user_id) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> core::Status {
    auto circle = tx.circles().circle_by_id(circle_id);
    if (!circle || !tx.circles().is_circle_member(circle_id, who.user_id)) return no_such("circle");
    if (user_id != who.user_id) {
      return Error::forbidden("Members leave a circle themselves; nobody removes another.");
    }
    tx.circles().delete_circle_member(circle_id, user_id);
    return core::Unit{};
  });
}

Result<CirclePostRecord> Community::post_in_circle(const Principal& who,
                                                   const std::string& circle_id,
                                                   const std::string& body_md,
                                                   const std::optional<std::string>& photo) {
  std::map<std::string, std::string> problems;
  // A photo may go alone; words alone or with it.
  if (auto p = core::check_text(body_md, 5000, !photo.has_value())) problems["body_md"] = *p;
  std::optional<std::string> photo_type;
  if (photo) {
    if (photo->size() > core::kMaxCoverBytes) {
      problems["photo"] = "too large (5 MB at most)";
    } else if (!(photo_type = core::detect_image_type(*photo))) {
      problems["photo"] = "must be a JPEG, PNG or WebP image";
    }
  }
  if (!problems.empty()) return Error::validation(std::move(problems));
  const TimestampMs now = clock_.now();
  return write_result<CirclePostRecord>(store_, [&](Tx& tx) -> Result<CirclePostRecord> {
    auto circle = tx.circles().circle_by_id(circle_id);
    if (!circle || !tx.circles().is_circle_member(circle_id, who.user_id)) return no_such("circle");
    if (options_.rate_limits) {
      if (auto limited = rate_limit(tx, kPostsPerAccount, who.user_id, now)) return *limited;
      if (photo) {
        if (auto limited = rate_limit(tx, kUploadsPerAccount, who.user_id, now)) return *limited;
      }
    }
    CirclePostRecord post;
    post.id = crypto_.random_id();
    post.circle_id = circle_id;
    post.user_id = who.user_id;
    post.display_name = who.display_name;
    post.body_md = core::trim(body_md);
    post.photo_type = photo_type;
    if (photo) post.photo_base64 = core::base64_encode(*photo);
    post.created_at = now;
    tx.circles().insert_circle_post(post);
    tx.circles().touch_circle_member(circle_id, who.user_id, now);
    // Members only; by mail through the circle digest, not one by one.
    for (const auto& member : tx.circles().circle_members(circle_id)) {
      if (member.user_id == who.user_id) continue;
      notify(tx, member.user_id, "circle_post",
             {{"actor", who.display_name}, {"circle", circle->name}},
             {core::Place::circle, circle_id, core::Anchor::post, post.id},
             core::Subject::circle_post, post.id, false);
    }
    post.photo_base64.clear();
    return post;
  });
}

Result<CircleView> Community::circle(const Principal& who, const std::string& circle_id,
                                     std::int64_t limit, std::int64_t offset) {
  const TimestampMs now = clock_.now();
  return write_result<CircleView>(store_, [&](Tx& tx) -> Result<CircleView> {
    auto circle = tx.circles().circle_by_id(circle_id);
    if (!circle || !tx.circles().is_circle_member(circle_id, who.user_id)) return no_such("circle");
    tx.circles().touch_circle_member(circle_id, who.user_id, now);
    CircleView view;
    view.circle = *circle;
    view.members = tx.circles().circle_members(circle_id);
    view.posts = tx.circles().circle_posts(circle_id, 0, limit + 1, offset);
    view.more = static_cast<std::int64_t>(view.posts.size()) > limit;
    if (view.more) view.posts.pop_back();
    return view;
  });
}

Result<CirclePostRecord> Community::circle_photo(const Principal& who, const std::string& post_id) {
  return read_value<Result<CirclePostRecord>>(store_, [&](ReadTx& tx) -> Result<CirclePostRecord> {
    auto post = tx.circles().circle_post(post_id);
    if (!post || !post->photo_type || !tx.circles().is_circle_member(post->circle_id, who.user_id))
      return no_such("photo");
    return *post;
  });
}

std::vector<CircleRecord> Community::circles(const Principal& who) {
  return read_value<std::vector<CircleRecord>>(
      store_, [&](ReadTx& tx) { return tx.circles().circles_of_user(who.user_id); });
}

SearchResults Community::search(const std::string& query, std::int64_t limit) {
  const std::string q = core::trim(query);
  if (q.empty()) return {};
  const TimestampMs now = clock_.now();
  return read_value<SearchResults>(store_, [&](ReadTx& tx) {
    return SearchResults{tx.orgs().search_orgs(q, limit), tx.events().search_events(q, now, limit)};
  });
}

// ---------------------------------------------------------------- scheduled work

std::string Community::address(const core::Link& link) const {
  return options_.public_url + wording_.path(link);
}

std::string Community::address(const NotificationRecord& n) const {
  return options_.public_url + (n.url.empty() ? wording_.path(n.link) : n.url);
}

std::string Community::mail_footer(const MailSettings& settings) const {
  return "\n-- \n" +
         wording_.say(kMailLang, "mail_footer",
                      {{"settings_url", address({core::Place::notification_settings, ""})},
                       {"unsubscribe_url",
                        address({core::Place::unsubscribe, settings.unsubscribe_token})}}) +
         "\n";
}

int Community::remind_events(TimestampMs now) {
  const auto due = read_value<std::vector<EventRecord>>(store_, [&](ReadTx& tx) {
    return tx.events().events_to_remind(now, now + options_.reminder_ahead_ms, 100);
  });
  int reminded = 0;
  for (const auto& e : due) {
    store_.write([&](Tx& tx) {
      if (!tx.events().mark_reminded(e.id, now)) return false;  // another instance did it
      std::string where = e.location.value_or("");
      if (e.online_url) where += (where.empty() ? "" : " — ") + *e.online_url;
      const Params params = {
          {"event", e.title}, {"starts_at", std::to_string(e.starts_at)}, {"where", where}};
      for (const auto& r : tx.events().registrations_of(e.id)) {
        if (r.status != core::RegistrationStatus::registered) continue;
        notify(tx, r.user_id, "event_reminder", params, {core::Place::event, e.id},
               core::Subject::event, e.id);
      }
      ++reminded;
      return true;
    });
  }
  return reminded;
}

int Community::compose_mails(TimestampMs now, DueWork& work) {
  // Daily digests go once a day, at the first run after the digest hour.
  const TimestampMs day_start = now - now % kDayMs;
  const TimestampMs digest_time = day_start + options_.digest_hour_utc * 3600LL * 1000;
  const auto users = read_value<std::vector<std::string>>(
      store_, [&](ReadTx& tx) { return tx.notifications().users_with_mail_due(200); });
  int queued = 0;
  for (const auto& user_id : users) {
    store_.write([&](Tx& tx) {
      auto user = tx.accounts().user_by_id(user_id);
      const auto due = tx.notifications().mail_due_of(user_id);
      if (!user || due.empty()) return false;
      auto settings = settings_for(tx, user_id);
      std::vector<std::string> ids;
      for (const auto& n : due) ids.push_back(n.id);
      const std::string hello =
          wording_.say(kMailLang, "mail_hello", {{"name", user->display_name}}) + "\n\n";
      const std::string unsubscribe =
          address({core::Place::unsubscribe, settings.unsubscribe_token});
      if (settings.mode == "immediate") {
        for (const auto& n : due) {
          const std::string text = worded(wording_, kMailLang, n);
          tx.outbox().insert_outbox(
              {crypto_.random_id(), user_id, n.kind, user->email, "[Essor] " + excerpt(text, 150),
               hello + text + "\n" + address(n) + "\n" + mail_footer(settings), unsubscribe, now,
               0});
          ++queued;
        }
      } else if (settings.mode == "daily") {
        if (now < digest_time ||
            (settings.last_digest_at && *settings.last_digest_at >= digest_time))
          return false;  // not yet today's turn
        std::string body = hello + wording_.say(kMailLang, "mail_digest_intro", {}) + "\n\n";
        for (const auto& n : due) {
          body += "- " + worded(wording_, kMailLang, n) + "\n  " + address(n) + "\n";
        }
        tx.outbox().insert_outbox({crypto_.random_id(), user_id, "daily_digest", user->email,
                                   wording_.say(kMailLang, "mail_digest_subject",
                                                {{"count", std::to_string(due.size())}}),
                                   body + mail_footer(settings), unsubscribe, now, 0});
        settings.last_digest_at = now;
        tx.outbox().put_mail_settings(settings);
        ++queued;
        ++work.digests;
      }
      tx.notifications().mark_mailed(ids, now);  // "none": dropped
      return true;
    });
  }
  return queued;
}

int Community::compose_circle_digests(TimestampMs now) {
  const auto due =
      read_value<std::vector<std::pair<std::string, std::string>>>(store_, [&](ReadTx& tx) {
        return tx.circles().circle_digests_due(now - options_.circle_quiet_ms, 200);
      });
  int composed = 0;
  for (const auto& pair : due) {
    // Named, not bound: a lambda may capture neither in clang 14.
    const std::string& circle_id = pair.first;
    const std::string& user_id = pair.second;
    store_.write([&](Tx& tx) {
      auto circle = tx.circles().circle_by_id(circle_id);
      auto user = tx.accounts().user_by_id(user_id);
      if (!circle || !user) return false;
      TimestampMs since = 0;
      for (const auto& m : tx.circles().circle_members(circle_id)) {
        if (m.user_id == user_id) since = std::max(m.last_seen_at, m.last_digest_at.value_or(0));
      }
      auto settings = settings_for(tx, user_id);
      tx.circles().mark_circle_digest(circle_id, user_id, now);
      if (settings.mode == "none") return true;
      std::string body =
          wording_.say(kMailLang, "mail_hello", {{"name", user->display_name}}) + "\n\n" +
          wording_.say(kMailLang, "mail_circle_intro", {{"circle", circle->name}}) + "\n\n";
      int posts = 0;
      for (const auto& p : tx.circles().circle_posts(circle_id, since, 20, 0)) {
        if (p.user_id == user_id) continue;
        body +=
            wording_.say(kMailLang, "mail_circle_post_by",
                         {{"name", p.display_name}, {"created_at", std::to_string(p.created_at)}}) +
            "\n" + excerpt(p.body_md, 1000) +
            (p.photo_type ? "\n" + wording_.say(kMailLang, "mail_circle_photo", {}) : "") + "\n\n";
        ++posts;
      }
      if (posts == 0) return true;
      body += wording_.say(kMailLang, "mail_circle_read",
                           {{"url", address({core::Place::circle, circle_id})}}) +
              "\n";
      tx.outbox().insert_outbox(
          {crypto_.random_id(), user_id, "circle_digest", user->email,
           wording_.say(kMailLang, "mail_circle_subject", {{"circle", circle->name}}),
           body + mail_footer(settings),
           address({core::Place::unsubscribe, settings.unsubscribe_token}), now, 0});
      ++composed;
      return true;
    });
  }
  return composed;
}

void Community::send_outbox(TimestampMs now, DueWork& work) {
  if (!mailer_) return;
  for (;;) {
    std::vector<OutboxMail> batch;
    store_.write([&](Tx& tx) {
      batch = tx.outbox().claim_outbox(now, now + 5 * 60 * 1000, 20);
      return true;
    });
    if (batch.empty()) return;
    for (const auto& mail : batch) {
      std::optional<std::string> error;
      try {
        mailer_->send({mail.to_address, mail.subject, mail.body, mail.unsubscribe_url});
      } catch (const std::exception& e) {
        error = e.what();
      }
      store_.write([&](Tx& tx) {
        if (error) {
          tx.outbox().mark_send_failed(mail.id, *error);
        } else {
          tx.outbox().mark_sent(mail.id, clock_.now());
        }
        return true;
      });
      ++(error ? work.failed : work.sent);
    }
    if (work.failed > 0) return;  // the server is unwell: try again at the next run
  }
}

DueWork Community::run_due() {
  const TimestampMs now = clock_.now();
  DueWork work;
  work.reminders = remind_events(now);
  if (options_.mail_enabled) {
    work.queued = compose_mails(now, work);
    work.circle_digests = compose_circle_digests(now);
    work.queued += work.circle_digests;
    send_outbox(now, work);
  }
  return work;
}

}  // namespace essor::app
