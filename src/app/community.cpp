#include "app/community.hpp"

#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;
using core::Status;

std::string excerpt(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

Error no_such(const char* what) {
  return Error::not_found(std::string("No ") + what + " with this id.");
}

CommunitySection::CommunitySection(CommunityDeps deps)
    : store_(deps.store),
      crypto_(deps.crypto),
      clock_(deps.clock),
      wording_(deps.wording),
      options_(std::move(deps.options)),
      mailer_(deps.mailer) {}

void CommunitySection::notify(Tx& tx, const core::UserId& user_id, const std::string& kind,
                              Params params, const core::Link& link, core::Subject subject_type,
                              const std::string& subject_id, bool mail) {
  notify_in(tx, crypto_, clock_.now(), user_id, kind, std::move(params), link, subject_type,
            subject_id, mail && options_.mail_enabled);
}

Result<core::Link> CommunitySection::target_link(ReadTx& tx, const std::optional<Principal>& who,
                                                 core::Subject target_type,
                                                 const std::string& target_id) {
  switch (target_type) {
    case core::Subject::campaign: {
      auto campaign = tx.campaigns().campaign_by_id(core::CampaignId{target_id});
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
      auto proposal = tx.governance().proposal_by_id(core::ProposalId{target_id});
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

MailSettings CommunitySection::settings_for(Tx& tx, const core::UserId& user_id) {
  if (auto settings = tx.outbox().mail_settings(user_id)) return *settings;
  MailSettings settings{user_id, core::MailMode::immediate, crypto_.random_token(), std::nullopt};
  tx.outbox().put_mail_settings(settings);
  return settings;
}

std::string CommunitySection::address(const core::Link& link) const {
  return options_.public_url + wording_.path(link);
}

std::string CommunitySection::address(const NotificationRecord& n) const {
  return options_.public_url + (n.url.empty() ? wording_.path(n.link) : n.url);
}

std::string CommunitySection::mail_footer(const MailSettings& settings) const {
  return "\n-- \n" +
         wording_.say(kMailLang, "mail_footer",
                      {{"settings_url", address({core::Place::notification_settings, ""})},
                       {"unsubscribe_url",
                        address({core::Place::unsubscribe, settings.unsubscribe_token})}}) +
         "\n";
}

Community::Community(Store& store, Crypto& crypto, Clock& clock, const Wording& wording,
                     CommunityOptions options, Mailer* mailer)
    : discussion({store, crypto, clock, wording, options, mailer}),
      follows({store, crypto, clock, wording, options, mailer}),
      notifications({store, crypto, clock, wording, options, mailer}),
      events({store, crypto, clock, wording, options, mailer}),
      circles({store, crypto, clock, wording, options, mailer}),
      store_(store),
      clock_(clock),
      mail_enabled_(options.mail_enabled) {}

SearchResults Community::search(const std::string& query, std::int64_t limit) {
  const std::string q = core::trim(query);
  if (q.empty()) return {};
  const TimestampMs now = clock_.now();
  return read_value<SearchResults>(store_, [&](ReadTx& tx) {
    return SearchResults{tx.orgs().search_orgs(q, limit), tx.events().search_events(q, now, limit)};
  });
}

DueWork Community::run_due() {
  const TimestampMs now = clock_.now();
  DueWork work;
  work.reminders = events.remind(now);
  if (mail_enabled_) {
    work.queued = notifications.compose(now, work);
    work.circle_digests = circles.compose_digests(now);
    work.queued += work.circle_digests;
    notifications.send(now, work);
  }
  return work;
}

}  // namespace essor::app
