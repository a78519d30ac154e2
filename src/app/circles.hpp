// Private circles (a family around an elderly person): a circle's name,
// members and posts are only ever read for its members. Nothing of a
// circle goes into activities (the feeds, the Atom feeds, search) and its
// notifications go to its members only; those who rarely visit get a
// digest by mail.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/community_section.hpp"
#include "core/id.hpp"

namespace essor::app {

struct CircleView {
  CircleRecord circle;
  std::vector<CircleMemberRecord> members;
  std::vector<CirclePostRecord> posts;  // newest first, one page
  bool more = false;
};

class Circles : CommunitySection {
 public:
  explicit Circles(CommunityDeps deps) : CommunitySection(std::move(deps)) {}

  core::Result<CircleRecord> create_circle(const Principal& who, const std::string& name,
                                           const std::string& description);
  // A member leaves (only oneself: 403 for another id); outside the
  // circle, 404 as for a circle that does not exist.
  core::Status leave_circle(const Principal& who, const std::string& circle_id,
                            const core::UserId& user_id);
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

  // Scheduled work: digests of new posts for members who rarely visit.
  int compose_digests(TimestampMs now);
};

}  // namespace essor::app
