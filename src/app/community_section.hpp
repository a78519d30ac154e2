// What the sections of Community (app/community.hpp) share: their
// dependencies and options, notifying someone in a use case's transaction,
// whether a reader may see what is commented, and the addresses and
// settings mails are made with.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct CommunityOptions {
  std::string public_url = "http://127.0.0.1:8080";  // links in mails
  bool mail_enabled = false;                         // an SMTP server is configured
  bool rate_limits = true;  // comments, posts and photos per account (app/rate_limits.hpp)
  int digest_hour_utc = 7;  // daily digests go after this hour
  std::int64_t circle_quiet_ms = 7LL * 24 * 3600 * 1000;  // "rarely visits": no visit for a week
  std::int64_t reminder_ahead_ms = 24LL * 3600 * 1000;    // reminders: the day before
};

// The dependencies every section is built with.
struct CommunityDeps {
  Store& store;
  Crypto& crypto;
  Clock& clock;
  const Wording& wording;  // the sentences and paths of mails (web/wording.cpp)
  CommunityOptions options;
  Mailer* mailer = nullptr;  // nothing when no SMTP server is configured
};

class CommunitySection {
 protected:
  explicit CommunitySection(CommunityDeps deps);

  using Params = std::map<std::string, std::string>;
  // Mails are worded in French until people choose a language for them.
  static constexpr const char* kMailLang = "fr";
  static constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

  void notify(Tx& tx, const core::UserId& user_id, const std::string& kind, Params params,
              const core::Link& link, core::Subject subject_type, const std::string& subject_id,
              bool mail = true);
  // The page of what may be commented, or not found when the reader may
  // not see it.
  core::Result<core::Link> target_link(ReadTx& tx, const std::optional<Principal>& who,
                                       core::Subject target_type, const std::string& target_id);
  // The absolute address of a place, or of a notification's page, for mails.
  std::string address(const core::Link& link) const;
  std::string address(const NotificationRecord& n) const;
  // A person's mail settings, made (immediate mail) the first time.
  MailSettings settings_for(Tx& tx, const core::UserId& user_id);
  std::string mail_footer(const MailSettings& settings) const;

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  const Wording& wording_;
  CommunityOptions options_;
  Mailer* mailer_;
};

// The first characters of a text, cut on a code point, with an ellipsis.
std::string excerpt(const std::string& text, std::size_t max_bytes);
// 404 "No <what> with this id."
core::Error no_such(const char* what);

}  // namespace essor::app
