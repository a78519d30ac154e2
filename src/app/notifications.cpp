#include "app/notifications.hpp"

#include "app/tx_helpers.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;
using core::Status;

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

std::vector<NotificationRecord> Notifications::list(const Principal& who, std::int64_t limit,
                                                    std::int64_t offset) {
  return read_value<std::vector<NotificationRecord>>(store_, [&](ReadTx& tx) {
    return tx.notifications().notifications_of(who.user_id, limit, offset);
  });
}

std::int64_t Notifications::unread(const Principal& who) {
  return read_value<std::int64_t>(
      store_, [&](ReadTx& tx) { return tx.notifications().unread_notifications(who.user_id); });
}

std::int64_t Notifications::mark_read(const Principal& who, const std::vector<std::string>& ids) {
  std::int64_t count = 0;
  const TimestampMs now = clock_.now();
  store_.write([&](Tx& tx) {
    count = tx.notifications().mark_notifications_read(who.user_id, ids, now);
    return true;
  });
  return count;
}

core::MailMode Notifications::mail_mode(const Principal& who) {
  return read_value<core::MailMode>(store_, [&](ReadTx& tx) {
    auto settings = tx.outbox().mail_settings(who.user_id);
    return settings ? settings->mode : core::MailMode::immediate;
  });
}

Status Notifications::set_mail_mode(const Principal& who, core::MailMode mode) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    auto settings = settings_for(tx, who.user_id);
    settings.mode = mode;
    tx.outbox().put_mail_settings(settings);
    return core::ok_status();
  });
}

Result<std::string> Notifications::unsubscribe_target(const std::string& token) {
  return read_value<Result<std::string>>(store_, [&](ReadTx& tx) -> Result<std::string> {
    auto settings = token.empty() ? std::nullopt : tx.outbox().mail_settings_by_token(token);
    if (!settings) return Error::not_found("This unsubscribe link is not valid.");
    auto user = tx.accounts().user_by_id(settings->user_id);
    return user->email;
  });
}

Status Notifications::unsubscribe(const std::string& token) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    auto settings = token.empty() ? std::nullopt : tx.outbox().mail_settings_by_token(token);
    if (!settings) return Error::not_found("This unsubscribe link is not valid.");
    settings->mode = core::MailMode::none;
    tx.outbox().put_mail_settings(*settings);
    return core::ok_status();
  });
}

int Notifications::compose(TimestampMs now, DueWork& work) {
  // Daily digests go once a day, at the first run after the digest hour.
  const TimestampMs day_start = now - now % kDayMs;
  const TimestampMs digest_time = day_start + options_.digest_hour_utc * 3600LL * 1000;
  const auto users = read_value<std::vector<core::UserId>>(
      store_, [&](ReadTx& tx) { return tx.notifications().users_with_mail_due(200); });
  int queued = 0;
  for (const auto& user_id : users) {
    // Counted once: a write the store runs again starts from these.
    const int queued_before = queued, digests_before = work.digests;
    store_.write([&](Tx& tx) {
      queued = queued_before;
      work.digests = digests_before;
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
      if (settings.mode == core::MailMode::immediate) {
        for (const auto& n : due) {
          const std::string text = worded(wording_, kMailLang, n);
          tx.outbox().insert_outbox(
              {crypto_.random_id(), user_id, n.kind, user->email, "[Essor] " + excerpt(text, 150),
               hello + text + "\n" + address(n) + "\n" + mail_footer(settings), unsubscribe, now,
               0});
          ++queued;
        }
      } else if (settings.mode == core::MailMode::daily) {
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

void Notifications::send(TimestampMs now, DueWork& work) {
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

}  // namespace essor::app
