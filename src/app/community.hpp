// Community: campaign news, comments and their moderation, follows and the
// activity feed, notifications (in the site and by mail), events and
// workshops with a waiting list, private circles, and search of public
// things. Safe to use from many threads.
//
// Privacy of circles: a circle's name, members and posts are only ever
// read for its members. Nothing of a circle goes into activities (the
// feeds, the Atom feeds, search) and its notifications go to its members
// only.
//
// Mail. Notifications are written in the same transaction as what caused
// them. run_due() turns them into mails in an outbox table (one mail per
// notification for "immediate", one digest a day for "daily", none for
// "none"), then sends the outbox through the Mailer; a mail is claimed by
// one sender at a time, so several instances never send it twice.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"

namespace essor::app {

struct CommunityOptions {
  std::string public_url = "http://127.0.0.1:8080";  // links in mails
  bool mail_enabled = false;                         // an SMTP server is configured
  bool rate_limits = true;  // comments, posts and photos per account (app/rate_limits.hpp)
  int digest_hour_utc = 7;  // daily digests go after this hour
  TimestampMs circle_quiet_ms = 7LL * 24 * 3600 * 1000;  // "rarely visits": no visit for a week
  TimestampMs reminder_ahead_ms = 24LL * 3600 * 1000;    // reminders: the day before
};

struct EventInput {
  std::string title;
  std::string description_md;
  TimestampMs starts_at = 0;
  TimestampMs ends_at = 0;
  std::optional<std::string> location, online_url;
  std::optional<std::int64_t> capacity;
};

struct EventView {
  EventRecord event;
  std::string org_name;
  std::int64_t waiting = 0;
  std::optional<RegistrationRecord> mine;  // the reader's registration
  std::vector<RegistrationRecord> people;  // for the organisation's admins only
  bool can_manage = false;
  // The online meeting link: for registered people and the organisation's
  // admins only (app/policy.hpp, may_see_meeting_link).
  bool show_link = false;
};

struct CircleView {
  CircleRecord circle;
  std::vector<CircleMemberRecord> members;
  std::vector<CirclePostRecord> posts;  // newest first, one page
  bool more = false;
};

struct ReportView {
  ReportRecord report;
  std::string excerpt;             // of the reported content
  std::optional<core::Link> link;  // its page (nothing when gone)
};

// What a campaign's page shows of its community, read at once: its news
// (newest first), each with its comments, and its own comments.
struct CampaignDiscussion {
  std::vector<std::pair<UpdateRecord, std::vector<CommentRecord>>> updates;
  std::vector<CommentRecord> comments;
};

struct SearchResults {
  std::vector<OrgRecord> orgs;
  std::vector<EventRecord> events;
};

struct DueWork {
  int reminders = 0;       // events reminded
  int digests = 0;         // daily digests composed
  int circle_digests = 0;  // circle digests composed
  int queued = 0;          // mails put in the outbox
  int sent = 0;
  int failed = 0;
};

class Community {
 public:
  // mailer: nothing when no SMTP server is configured (then nothing is mailed).
  // wording: the sentences of notifications and mails (web/wording.cpp).
  Community(Store& store, Crypto& crypto, Clock& clock, const Wording& wording,
            CommunityOptions options, Mailer* mailer = nullptr);

  // News (title 1–200, body 1–20000): org admins of a visible campaign;
  // every backer is notified.
  core::Result<UpdateRecord> post_update(const Principal& who, const std::string& campaign_id,
                                         const std::string& title, const std::string& body_md);
  core::Result<std::vector<UpdateRecord>> updates(const std::optional<Principal>& who,
                                                  const std::string& campaign_id,
                                                  std::int64_t limit, std::int64_t offset);
  core::Result<UpdateRecord> update(const std::optional<Principal>& who, const std::string& id);
  // The news and comments of a campaign already read (the campaign page),
  // in a constant number of statements whatever the number of news.
  core::Result<CampaignDiscussion> discussion(const std::optional<Principal>& who,
                                              const CampaignRecord& campaign,
                                              std::int64_t news_limit);

  // Comments on "campaign", "update" or "proposal" (proposals: members
  // only). parent_id: a top-level comment of the same target. 1–5000
  // characters.
  core::Result<CommentRecord> comment(const Principal& who, core::Subject target_type,
                                      const std::string& target_id, const std::string& body,
                                      const std::optional<std::string>& parent_id);
  core::Result<std::vector<CommentRecord>> comments(const std::optional<Principal>& who,
                                                    core::Subject target_type,
                                                    const std::string& target_id);

  // Reports ("comment" or "update") by anyone signed in; moderators hide the
  // content (it disappears from lists, feeds, notifications and Atom) or
  // dismiss the reports.
  core::Status report(const Principal& who, core::Subject target_type, const std::string& target_id,
                      const std::string& reason);
  core::Result<std::vector<ReportView>> open_reports(const Principal& who);
  core::Status hide(const Principal& who, core::Subject target_type, const std::string& target_id);
  core::Status dismiss(const Principal& who, core::Subject target_type,
                       const std::string& target_id);

  // Follows of "org", "campaign" or "user"; following twice is one follow.
  core::Result<FollowRecord> follow(const Principal& who, core::Subject target_type,
                                    const std::string& target_id);
  core::Status unfollow(const Principal& who, core::Subject target_type,
                        const std::string& target_id);
  std::vector<FollowRecord> follows(const Principal& who);
  bool is_following(const Principal& who, core::Subject target_type, const std::string& target_id);
  std::vector<ActivityRecord> feed(const Principal& who, std::int64_t limit, std::int64_t offset);
  core::Result<std::vector<ActivityRecord>> org_activity(const std::string& org_id,
                                                         std::int64_t limit);

  // Notifications and the choice of mail.
  std::vector<NotificationRecord> notifications(const Principal& who, std::int64_t limit,
                                                std::int64_t offset);
  std::int64_t unread(const Principal& who);
  std::int64_t mark_read(const Principal& who, const std::vector<std::string>& ids);
  std::string mail_mode(const Principal& who);
  core::Status set_mail_mode(const Principal& who, const std::string& mode);
  // The account's address behind an unsubscribe token, or not found.
  core::Result<std::string> unsubscribe_target(const std::string& token);
  // Stops every mail to that account (no login needed: the token is the key).
  core::Status unsubscribe(const std::string& token);

  // Events and workshops of an organisation (org admins create them).
  core::Result<EventRecord> create_event(const Principal& who, const std::string& org_id,
                                         const EventInput& input);
  core::Result<EventView> event(const std::optional<Principal>& who, const std::string& id);
  // Upcoming (ending after now), or all of them.
  core::Result<std::vector<EventRecord>> org_events(const std::string& org_id, bool upcoming_only);
  // 409 event_full when no seat is left, unless waitlist: then a place on
  // the waiting list. Registering twice is one registration.
  core::Result<RegistrationRecord> register_for(const Principal& who, const std::string& event_id,
                                                bool waitlist);
  // Frees the seat; the first on the waiting list takes it and is notified.
  core::Status unregister(const Principal& who, const std::string& event_id);
  std::vector<std::pair<EventRecord, core::RegistrationStatus>> my_events(const Principal& who);

  // Circles.
  core::Result<CircleRecord> create_circle(const Principal& who, const std::string& name,
                                           const std::string& description);
  // A member leaves (only oneself: 403 for another id); outside the
  // circle, 404 as for a circle that does not exist.
  core::Status leave_circle(const Principal& who, const std::string& circle_id,
                            const std::string& user_id);
  core::Result<CircleMemberRecord> add_circle_member(const Principal& who,
                                                     const std::string& circle_id,
                                                     const std::string& email);
  // photo: the image's bytes (JPEG, PNG or WebP, 5 MB at most), if any.
  core::Result<CirclePostRecord> post_in_circle(const Principal& who, const std::string& circle_id,
                                                const std::string& body_md,
                                                const std::optional<std::string>& photo);
  // Marks the visit. 404 for anyone outside the circle.
  core::Result<CircleView> circle(const Principal& who, const std::string& circle_id,
                                  std::int64_t limit, std::int64_t offset);
  core::Result<CirclePostRecord> circle_photo(const Principal& who, const std::string& post_id);
  std::vector<CircleRecord> circles(const Principal& who);

  SearchResults search(const std::string& query, std::int64_t limit);

  // Reminders, digests, the outbox. Idempotent; safe in several processes.
  DueWork run_due();

 private:
  using Params = std::map<std::string, std::string>;
  // Mails are worded in French until people choose a language for them.
  static constexpr const char* kMailLang = "fr";
  void notify(Tx& tx, const std::string& user_id, const std::string& kind, Params params,
              const core::Link& link, core::Subject subject_type, const std::string& subject_id,
              bool mail = true);
  // The page of what may be commented, or not found when the reader may
  // not see it.
  core::Result<core::Link> target_link(ReadTx& tx, const std::optional<Principal>& who,
                                       core::Subject target_type, const std::string& target_id);
  // The absolute address of a place, or of a notification's page, for mails.
  std::string address(const core::Link& link) const;
  std::string address(const NotificationRecord& n) const;
  MailSettings settings_for(Tx& tx, const std::string& user_id);
  std::string mail_footer(const MailSettings& settings) const;
  int remind_events(TimestampMs now);
  int compose_mails(TimestampMs now, DueWork& work);
  int compose_circle_digests(TimestampMs now);
  void send_outbox(TimestampMs now, DueWork& work);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  const Wording& wording_;
  CommunityOptions options_;
  Mailer* mailer_;
};

// The sentence of a notification or an activity in lang: its kind's
// catalog entry ("say_<kind>") with its parameters, or the text stored
// with rows from before kinds had parameters.
std::string worded(const Wording& wording, const std::string& lang, const NotificationRecord& n);
std::string worded(const Wording& wording, const std::string& lang, const ActivityRecord& a);

}  // namespace essor::app
