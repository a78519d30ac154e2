// Community, in sections that share their dependencies
// (app/community_section.hpp): campaign news, comments and their
// moderation (discussion), follows and the activity feed (follows), the
// notifications in the site and by mail (notifications), events and
// workshops with a waiting list (events), private circles (circles), and
// search of public things. Safe to use from many threads.
#pragma once

#include <string>
#include <vector>

#include "app/circles.hpp"
#include "app/community_section.hpp"
#include "app/discussion.hpp"
#include "app/events.hpp"
#include "app/follows.hpp"
#include "app/notifications.hpp"

namespace essor::app {

struct SearchResults {
  std::vector<OrgRecord> orgs;
  std::vector<EventRecord> events;
};

class Community {
 public:
  // mailer: nothing when no SMTP server is configured (then nothing is mailed).
  // wording: the sentences and paths of notifications and mails (web/wording.cpp).
  Community(Store& store, Crypto& crypto, Clock& clock, const Wording& wording,
            CommunityOptions options, Mailer* mailer = nullptr);

  Discussion discussion;
  Follows follows;
  Notifications notifications;
  Events events;
  Circles circles;

  SearchResults search(const std::string& query, std::int64_t limit);

  // Reminders, digests, the outbox. Idempotent; safe in several processes.
  DueWork run_due();

 private:
  Store& store_;
  Clock& clock_;
  bool mail_enabled_;
};

}  // namespace essor::app
