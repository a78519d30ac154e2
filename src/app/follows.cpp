#include "app/follows.hpp"

#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;
using core::Status;

Result<FollowRecord> Follows::follow(const Principal& who, core::Subject target_type,
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
      exists = tx.orgs().org_by_id(core::OrgId{target_id}).has_value();
    } else if (target_type == core::Subject::campaign) {
      exists = target_link(tx, who, core::Subject::campaign, target_id).ok();
    } else {
      exists = tx.accounts().user_by_id(core::UserId{target_id}).has_value();
    }
    if (!exists) return Error::not_found("Nothing to follow with this id.");
    FollowRecord follow{target_type, target_id, now};
    (void)tx.follows().insert_follow(who.user_id, follow);  // following twice is following
    return follow;
  });
}

Status Follows::unfollow(const Principal& who, core::Subject target_type,
                         const std::string& target_id) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    if (!tx.follows().delete_follow(who.user_id, target_type, target_id))
      return Error::not_found("You do not follow this.");
    return core::ok_status();
  });
}

std::vector<FollowRecord> Follows::list(const Principal& who) {
  return read_value<std::vector<FollowRecord>>(
      store_, [&](ReadTx& tx) { return tx.follows().follows_of(who.user_id); });
}

bool Follows::is_following(const Principal& who, core::Subject target_type,
                           const std::string& target_id) {
  return read_value<bool>(store_, [&](ReadTx& tx) {
    return tx.follows().is_following(who.user_id, target_type, target_id);
  });
}

std::vector<ActivityRecord> Follows::feed(const Principal& who, std::int64_t limit,
                                          std::int64_t offset) {
  return read_value<std::vector<ActivityRecord>>(
      store_, [&](ReadTx& tx) { return tx.follows().feed_of(who.user_id, limit, offset); });
}

Result<std::vector<ActivityRecord>> Follows::org_activity(const core::OrgId& org_id,
                                                          std::int64_t limit) {
  return read_value<Result<std::vector<ActivityRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<ActivityRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return no_such("organisation");
        return tx.follows().activities_of_org(org_id, limit);
      });
}

}  // namespace essor::app
