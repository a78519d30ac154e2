// Helpers that run a use case's work in a transaction and carry its Result
// out: committed when the work succeeds, rolled back when it fails.
#pragma once

#include <exception>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

template <class T, class F>
core::Result<T> write_result(Store& store, F&& work) {
  std::optional<core::Result<T>> out;
  store.write([&](Tx& tx) {
    out.emplace(work(tx));
    return out->ok();
  });
  return std::move(*out);
}

// A write whose work counts what it did into counts (a number, or a struct
// of numbers): each run starts again from the counts as they were before
// it, so a write the store runs again (Store::write) counts once.
template <class Counts, class F>
void write_counted(Store& store, Counts& counts, F&& work) {
  const Counts before = counts;
  store.write([&](Tx& tx) {
    counts = before;
    return work(tx);
  });
}

template <class T, class F>
T read_value(Store& store, F&& work) {
  std::optional<T> out;
  store.read([&](ReadTx& tx) { out.emplace(work(tx)); });
  return std::move(*out);
}

// A read of things the scheduler settles at their deadline (a campaign's
// resolution, a vote's or a budget's closing): read(tx, due) appends the id
// of each thing it found past its deadline and not settled yet. settle(id)
// then does at once, for each, what the scheduler's next round would (a
// guarded write: done once however many readers race), and the read runs
// again, so that nobody sees a vote open after its closing time, whatever
// the scheduler's interval. One that cannot be settled (a secret vote whose
// ballots do not open) is read as it is, and left to the scheduler's round,
// which tries again and logs why.
template <class T, class Id, class Read, class Settle>
T read_settled(Store& store, Read&& read, Settle&& settle) {
  std::vector<Id> due;
  auto first = read_value<T>(store, [&](ReadTx& tx) { return read(tx, due); });
  if (due.empty()) return first;
  for (const auto& id : due) {
    try {
      settle(id);
    } catch (const std::exception&) {
      // Left as it is: the scheduler's round tries again and logs why.
    }
  }
  std::vector<Id> still_due;
  return read_value<T>(store, [&](ReadTx& tx) { return read(tx, still_due); });
}

// A notification for user_id, written in the use case's own transaction
// (so it exists exactly when what it tells happened). The words are the
// catalogs' "say_<kind>" with params, chosen when read, in the reader's
// language; shown on the site, and mailed when mail is set (Community
// mails its own kinds).
inline void notify_in(Tx& tx, Crypto& crypto, core::TimestampMs now, const core::UserId& user_id,
                      const std::string& kind, std::map<std::string, std::string> params,
                      const core::Link& link, core::Subject subject_type,
                      const std::string& subject_id, bool mail = false) {
  NotificationRecord n;
  n.id = crypto.random_id();
  n.user_id = user_id;
  n.kind = kind;
  n.link = link;
  n.subject_type = subject_type;
  n.subject_id = subject_id;
  n.created_at = now;
  n.mail = mail;
  n.params = std::move(params);
  tx.notifications().insert_notification(n);
}

// Something that happened in public, for the feeds of those who follow its
// organisation, campaign or actor (ActivityRecord), written in the use
// case's own transaction.
inline void record_activity(Tx& tx, Crypto& crypto, core::TimestampMs now, const std::string& kind,
                            const core::UserId& actor_id, const core::OrgId& org_id,
                            const std::optional<core::CampaignId>& campaign_id,
                            core::Subject subject_type, const std::string& subject_id,
                            const core::Link& link, std::map<std::string, std::string> params) {
  ActivityRecord a;
  a.id = crypto.random_id();
  a.kind = kind;
  a.actor_id = actor_id;
  a.org_id = org_id;
  a.campaign_id = campaign_id;
  a.subject_type = subject_type;
  a.subject_id = subject_id;
  a.link = link;
  a.created_at = now;
  a.params = std::move(params);
  tx.follows().insert_activity(a);
}

// The same for every member of an organisation with one of roles (all
// members when roles is empty), but not `except` (who did it).
inline void notify_members(Tx& tx, Crypto& crypto, core::TimestampMs now, const core::OrgId& org_id,
                           const std::vector<core::Role>& roles, const std::string& except,
                           const std::string& kind,
                           const std::map<std::string, std::string>& params, const core::Link& link,
                           core::Subject subject_type, const std::string& subject_id) {
  for (const auto& member : tx.orgs().members_with_roles(org_id, roles)) {
    if (member.user_id != except)
      notify_in(tx, crypto, now, member.user_id, kind, params, link, subject_type, subject_id);
  }
}

}  // namespace essor::app
