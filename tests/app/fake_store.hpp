// An in-memory app::Store for the use cases' unit tests: the small ports
// that governance, events and pledges need (organisations, accounts,
// proposals, discussion, notifications, dues, events, campaigns, pledges,
// the ledger, idempotency keys, funding calls), kept in plain maps. A write works on the state and
// is undone when it returns false or throws, as a transaction would be; a
// read may not write (std::logic_error, as on the real stores). A port or
// method a test does not need throws std::logic_error("not faked: …"), so a
// use case that starts to touch more says so at once.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/community_section.hpp"
#include "app/ports.hpp"

namespace essor::fakes {

struct FakeState {
  std::map<core::OrgId, app::OrgRecord> orgs;
  std::map<core::OrgId, std::vector<app::MemberRecord>> members;  // by org, in joining order
  std::map<core::UserId, app::UserRecord> users;
  std::map<core::ProposalId, app::ProposalRecord> proposals;
  std::map<core::ProposalId, std::set<core::UserId>> eligible;
  std::map<core::ProposalId, std::map<core::UserId, app::RegisterEntry>> register_;
  std::map<core::ProposalId, std::map<std::string, std::string>> ballots;  // → by ballot key
  std::map<core::ProposalId, std::map<core::UserId, std::string>> sealed_ballots;
  std::map<core::OrgId, std::map<core::UserId, app::ProxyRecord>> proxies;  // → by giver
  std::vector<app::CommentRecord> comments;
  std::vector<app::UpdateRecord> updates;  // in order of posting
  std::vector<std::pair<app::ReportRecord, std::optional<std::string>>> reports;  // resolution
  std::vector<std::pair<std::string, app::FollowRecord>> follows;  // (follower, what)
  std::vector<app::ActivityRecord> activities;                     // in order
  std::map<std::string, app::CircleRecord> circles;
  std::map<std::string, std::vector<app::CircleMemberRecord>> circle_members;  // by circle
  std::vector<app::CirclePostRecord> circle_posts;                             // in order

  std::vector<app::NotificationRecord> notifications;
  std::map<core::OrgId, std::vector<core::UserId>> voters_with_dues;
  std::map<std::string, app::EventRecord> events;
  std::vector<app::RegistrationRecord> registrations;  // in order of registration
  std::map<core::CampaignId, app::CampaignRecord> campaigns;
  std::map<core::CampaignId, std::vector<app::RewardRecord>> rewards;
  std::vector<app::PledgeRecord> pledges;
  std::vector<core::Transfer> transfers;  // the chain, in order
  std::map<std::pair<std::string, std::string>, app::StoredResponse> idempotency;  // (scope, key)
};

class FakeStore final : public app::Store {
 public:
  FakeState state;
  int commits = 0, rollbacks = 0;

  void read(const std::function<void(app::ReadTx&)>& fn) override;
  void write(const std::function<bool(app::Tx&)>& fn) override;
};

// A clock that says what the test sets.
class FakeClock final : public app::Clock {
 public:
  app::TimestampMs at = 1'800'000'000'000;  // 15 January 2027
  app::TimestampMs now() const override { return at; }
};

// Ids from a counter; digests from two 64-bit FNV-1a hashes (different for
// different inputs in any test, and showing nothing of what they digest).
class FakeCrypto final : public app::Crypto {
 public:
  std::string hash_password(const std::string& password) override { return "hashed:" + password; }
  bool verify_password(const std::string& hash, const std::string& password) override {
    return hash == "hashed:" + password;
  }
  std::string random_token() override { return "token" + std::to_string(++counter_); }
  std::string random_id() override;
  std::string undated_id() override { return random_id(); }
  std::string sha256_hex(const std::string& data) override;
  std::string hmac_sha256_hex(const std::string& key, const std::string& message) override {
    return sha256_hex(key + '\0' + message);
  }
  // Not secret (a fake): the key's digest, then the text; unsealed only
  // under the same key.
  std::string seal(const std::string& key, const std::string& plaintext) override {
    return "sealed:" + sha256_hex(key) + ":" + plaintext;
  }
  std::optional<std::string> unseal(const std::string& key, const std::string& sealed) override {
    const std::string prefix = "sealed:" + sha256_hex(key) + ":";
    if (!sealed.starts_with(prefix)) return std::nullopt;
    return sealed.substr(prefix.size());
  }

 private:
  std::uint64_t counter_ = 0;
};

// A signed-in person as the use cases see them, their address verified.
app::Principal person(const std::string& id);
// An organisation with no members yet.
void add_org(FakeState& state, const std::string& id, const std::string& name);

// Community's options for rules tests: no throttles (they are the store's,
// tested over HTTP).
app::CommunityOptions community_options();

// Words are the web layer's; here a notification's or a mail's key is enough.
class KeyWording final : public app::Wording {
 public:
  std::string say(const std::string&, const std::string& key,
                  const std::map<std::string, std::string>&) const override {
    return key;
  }
  // The place's stored form: the routes are the web layer's.
  std::string path(const core::Link& link) const override { return core::to_text(link); }
};

}  // namespace essor::fakes
