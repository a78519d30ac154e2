// A person's notifications, their choice of mail, and the mails:
// notifications are written in the same transaction as what caused them;
// compose() turns them into mails in an outbox table (one mail per
// notification for "immediate", one digest a day for "daily", none for
// "none"), send() sends the outbox through the Mailer; a mail is claimed by
// one sender at a time, so several instances never send it twice.
#pragma once

#include <string>
#include <vector>

#include "app/community_section.hpp"

namespace essor::app {

struct DueWork {
  int reminders = 0;       // events reminded
  int digests = 0;         // daily digests composed
  int circle_digests = 0;  // circle digests composed
  int queued = 0;          // mails put in the outbox
  int sent = 0;
  int failed = 0;
};

class Notifications : CommunitySection {
 public:
  explicit Notifications(CommunityDeps deps) : CommunitySection(std::move(deps)) {}

  // Newest first.
  std::vector<NotificationRecord> list(const Principal& who, std::int64_t limit,
                                       std::int64_t offset);
  std::int64_t unread(const Principal& who);
  std::int64_t mark_read(const Principal& who, const std::vector<std::string>& ids);
  core::MailMode mail_mode(const Principal& who);
  core::Status set_mail_mode(const Principal& who, core::MailMode mode);
  // The account's address behind an unsubscribe token, or not found.
  core::Result<std::string> unsubscribe_target(const std::string& token);
  // Stops every mail to that account (no login needed: the token is the key).
  core::Status unsubscribe(const std::string& token);

  // Scheduled work: mails put in the outbox; the outbox sent.
  int compose(TimestampMs now, DueWork& work);
  void send(TimestampMs now, DueWork& work);
};

// The sentence of a notification or an activity in lang: its kind's
// catalog entry ("say_<kind>") with its parameters, or the text stored
// with rows from before kinds had parameters.
std::string worded(const Wording& wording, const std::string& lang, const NotificationRecord& n);
std::string worded(const Wording& wording, const std::string& lang, const ActivityRecord& a);

}  // namespace essor::app
