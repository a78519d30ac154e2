// Follows of organisations, campaigns and people, and the activity feeds
// they make.
#pragma once

#include <string>
#include <vector>

#include "app/community_section.hpp"
#include "core/id.hpp"

namespace essor::app {

class Follows : CommunitySection {
 public:
  explicit Follows(CommunityDeps deps) : CommunitySection(std::move(deps)) {}

  // What core::followable() allows; following twice is one follow.
  core::Result<FollowRecord> follow(const Principal& who, core::Subject target_type,
                                    const std::string& target_id);
  core::Status unfollow(const Principal& who, core::Subject target_type,
                        const std::string& target_id);
  std::vector<FollowRecord> list(const Principal& who);
  bool is_following(const Principal& who, core::Subject target_type, const std::string& target_id);
  std::vector<ActivityRecord> feed(const Principal& who, std::int64_t limit, std::int64_t offset);
  core::Result<std::vector<ActivityRecord>> org_activity(const core::OrgId& org_id,
                                                         std::int64_t limit);
};

}  // namespace essor::app
