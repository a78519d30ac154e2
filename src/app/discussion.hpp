// Campaign news, comments on campaigns, news and proposals, and their
// moderation: reports by anyone signed in, hidden or dismissed by
// moderators (hidden content leaves lists, feeds, notifications and Atom).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/community_section.hpp"
#include "core/id.hpp"

namespace essor::app {

struct ReportView {
  ReportRecord report;
  std::string excerpt;             // of the reported content
  std::optional<core::Link> link;  // its page (nothing when gone)
};

// What a campaign's page shows of its community, read at once: its news
// (newest first), each with its comments, and its own comments.
struct CampaignDiscussion {
  std::vector<std::pair<UpdateRecord, std::vector<CommentRecord>>> updates;
  // A page of threads, newest first: the top-level comments, then their
  // replies in the order written (DiscussionReads::comment_threads).
  std::vector<CommentRecord> comments;
  bool more_comments = false;  // older threads on the next page
};

class Discussion : CommunitySection {
 public:
  explicit Discussion(CommunityDeps deps) : CommunitySection(std::move(deps)) {}

  // News (title 1–200, body 1–20000): org admins of a visible campaign;
  // every backer is notified.
  core::Result<UpdateRecord> post_update(const Principal& who, const core::CampaignId& campaign_id,
                                         const std::string& title, const std::string& body_md);
  core::Result<std::vector<UpdateRecord>> updates(const std::optional<Principal>& who,
                                                  const core::CampaignId& campaign_id,
                                                  std::int64_t limit, std::int64_t offset);
  core::Result<UpdateRecord> update(const std::optional<Principal>& who, const std::string& id);
  // The news and comments of a campaign already read (the campaign page),
  // in a constant number of statements whatever the number of news.
  core::Result<CampaignDiscussion> of_campaign(const std::optional<Principal>& who,
                                               const CampaignRecord& campaign,
                                               std::int64_t news_limit, std::int64_t threads_limit,
                                               std::int64_t threads_offset);

  // Comments on what core::commentable() allows (proposals: members
  // only). parent_id: a top-level comment of the same target. 1–5000
  // characters.
  core::Result<CommentRecord> comment(const Principal& who, core::Subject target_type,
                                      const std::string& target_id, const std::string& body,
                                      const std::optional<std::string>& parent_id);
  // Oldest first, limit from offset.
  core::Result<std::vector<CommentRecord>> comments(const std::optional<Principal>& who,
                                                    core::Subject target_type,
                                                    const std::string& target_id,
                                                    std::int64_t limit, std::int64_t offset);

  // Reports (core::reportable(): comments and news) by anyone signed in
  // who may see them; a second report by the same person counts once.
  core::Status report(const Principal& who, core::Subject target_type, const std::string& target_id,
                      const std::string& reason);
  core::Result<std::vector<ReportView>> open_reports(const Principal& who);
  // Moderators: hiding takes replies (and a news item's comments) with it,
  // out of the feeds and notifications too.
  core::Status hide(const Principal& who, core::Subject target_type, const std::string& target_id);
  core::Status dismiss(const Principal& who, core::Subject target_type,
                       const std::string& target_id);
};

}  // namespace essor::app
