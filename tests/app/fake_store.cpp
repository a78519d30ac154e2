#include "fake_store.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "core/id.hpp"

namespace essor::fakes {
namespace {

using app::TimestampMs;
using namespace app;  // the records' names, as in the port it fakes

[[noreturn]] void unfaked(const char* what) {
  throw std::logic_error(std::string("not faked: ") + what);
}

class FakeTx final : public app::Tx,
                     public app::OrgsWrites,
                     public app::GovernanceWrites,
                     public app::AccountsWrites,
                     public app::DiscussionWrites,
                     public app::NotificationsWrites,
                     public app::DuesWrites,
                     public app::EventsWrites,
                     public app::CampaignsWrites,
                     public app::PledgesWrites,
                     public app::LedgerWrites,
                     public app::IdempotencyWrites,
                     public app::CallsWrites,
                     public app::FollowsWrites,
                     public app::CirclesWrites {
 public:
  FakeTx(FakeState& state, bool writable) : s_(state), writable_(writable) {}

  app::OrgsWrites& orgs() override { return *this; }
  app::GovernanceWrites& governance() override { return *this; }
  app::AccountsWrites& accounts() override { return *this; }
  app::DiscussionWrites& discussion() override { return *this; }
  app::NotificationsWrites& notifications() override { return *this; }
  app::DuesWrites& dues() override { return *this; }
  app::ThrottlesWrites& throttles() override { unfaked("throttles"); }
  app::CampaignsWrites& campaigns() override { return *this; }
  app::PledgesWrites& pledges() override { return *this; }
  app::IdempotencyWrites& idempotency() override { return *this; }
  app::LoansWrites& loans() override { unfaked("loans"); }
  app::AssembliesWrites& assemblies() override { unfaked("assemblies"); }
  app::BudgetsWrites& budgets() override { unfaked("budgets"); }
  app::FollowsWrites& follows() override { return *this; }
  app::OutboxWrites& outbox() override { unfaked("outbox"); }
  app::EventsWrites& events() override { return *this; }
  app::CirclesWrites& circles() override { return *this; }
  app::LedgerWrites& ledger() override { return *this; }
  app::BooksReads& books() override { unfaked("books"); }
  app::GiftsWrites& gifts() override { unfaked("gifts"); }
  app::ReceiptsWrites& receipts() override { unfaked("receipts"); }
  app::GuestsWrites& guests() override { unfaked("guests"); }
  app::CallsWrites& calls() override { return *this; }
  app::NoticesWrites& notices() override { unfaked("notices"); }
  app::CoWritingWrites& cowriting() override { unfaked("cowriting"); }
  app::CoursesWrites& courses() override { unfaked("courses"); }
  app::FederationWrites& federation() override { unfaked("federation"); }

  // OrgsReads
  std::optional<OrgRecord> org_by_id(const core::OrgId& id) override {
    const auto it = s_.orgs.find(id);
    if (it == s_.orgs.end()) return std::nullopt;
    return it->second;
  }
  std::vector<OrgRecord> list_orgs(std::int64_t, std::int64_t) override { unfaked("list_orgs"); }
  std::vector<OrgOfUser> orgs_of_user(const core::UserId& user_id) override {
    std::vector<OrgOfUser> out;
    for (const auto& [org_id, members] : s_.members) {
      for (const auto& member : members)
        if (member.user_id == user_id) out.push_back({s_.orgs.at(org_id), member.role});
    }
    return out;
  }
  std::optional<core::Role> member_role(const core::OrgId& org_id,
                                        const core::UserId& user_id) override {
    for (const auto& member : s_.members[org_id])
      if (member.user_id == user_id) return member.role;
    return std::nullopt;
  }
  std::int64_t count_members_with_role(const core::OrgId& org_id, core::Role role) override {
    const auto& members = s_.members[org_id];
    return std::count_if(members.begin(), members.end(),
                         [&](const MemberRecord& member) { return member.role == role; });
  }
  std::int64_t count_members(const core::OrgId& org_id) override {
    return static_cast<std::int64_t>(s_.members[org_id].size());
  }
  std::vector<MemberRecord> members(const core::OrgId& org_id, std::int64_t limit,
                                    std::int64_t offset) override {
    auto all = s_.members[org_id];
    std::stable_sort(all.begin(), all.end(), [](const MemberRecord& a, const MemberRecord& b) {
      return a.joined_at != b.joined_at ? a.joined_at < b.joined_at : a.user_id < b.user_id;
    });
    std::vector<MemberRecord> out;
    for (std::size_t idx = static_cast<std::size_t>(offset);
         idx < all.size() && static_cast<std::int64_t>(out.size()) < limit; ++idx)
      out.push_back(all[idx]);
    return out;
  }
  std::vector<MemberRecord> members_with_roles(const core::OrgId& org_id,
                                               const std::vector<core::Role>& roles) override {
    std::vector<MemberRecord> out;
    for (auto& member : members(org_id, std::numeric_limits<std::int64_t>::max(), 0)) {
      if (roles.empty() || std::find(roles.begin(), roles.end(), member.role) != roles.end())
        out.push_back(std::move(member));
    }
    return out;
  }
  std::vector<OrgRecord> search_orgs(const std::string&, std::int64_t) override {
    unfaked("search_orgs");
  }
  // OrgsWrites
  void insert_org(const OrgRecord& org) override {
    writing();
    s_.orgs[org.id] = org;
  }
  void update_org(const OrgRecord& org) override {
    writing();
    s_.orgs.at(org.id) = org;
  }
  bool insert_member(const core::OrgId& org_id, const core::UserId& user_id, core::Role role,
                     TimestampMs joined_at) override {
    writing();
    if (member_role(org_id, user_id)) return false;
    const auto user = user_by_id(user_id);
    s_.members[org_id].push_back({user_id, user ? user->display_name : "", role, joined_at});
    return true;
  }
  bool delete_member(const core::OrgId& org_id, const core::UserId& user_id) override {
    writing();
    auto& members = s_.members[org_id];
    return std::erase_if(members, [&](const MemberRecord& m) { return m.user_id == user_id; }) > 0;
  }

  // GovernanceReads
  std::optional<ProposalRecord> proposal_by_id(const core::ProposalId& id) override {
    const auto it = s_.proposals.find(id);
    if (it == s_.proposals.end()) return std::nullopt;
    return it->second;
  }
  std::vector<ProposalRecord> proposals_of_org(const core::OrgId& org_id, std::int64_t limit,
                                               std::int64_t offset) override {
    std::vector<ProposalRecord> out;
    for (const auto& [id, proposal] : s_.proposals)
      if (proposal.org_id == org_id) out.push_back(proposal);
    std::sort(out.begin(), out.end(), [](const ProposalRecord& a, const ProposalRecord& b) {
      return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
    });
    const auto from = std::min(out.size(), static_cast<std::size_t>(offset));
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(from));
    if (static_cast<std::int64_t>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
    return out;
  }
  std::vector<core::ProposalId> open_proposals_closing_by(TimestampMs instant,
                                                          std::int64_t limit) override {
    std::vector<core::ProposalId> out;
    for (const auto& [id, proposal] : s_.proposals) {
      if (proposal.status == core::ProposalStatus::open && proposal.closes_at <= instant &&
          static_cast<std::int64_t>(out.size()) < limit)
        out.push_back(proposal.id);
    }
    return out;
  }
  bool is_eligible(const core::ProposalId& proposal_id, const core::UserId& user_id) override {
    return s_.eligible[proposal_id].count(user_id) > 0;
  }
  std::int64_t eligible_count(const core::ProposalId& proposal_id) override {
    return static_cast<std::int64_t>(s_.eligible[proposal_id].size());
  }
  std::optional<RegisterEntry> register_entry(const core::ProposalId& proposal_id,
                                              const core::UserId& user_id) override {
    const auto& entries = s_.register_[proposal_id];
    const auto it = entries.find(user_id);
    if (it == entries.end()) return std::nullopt;
    return it->second;
  }
  std::vector<RegisterEntry> vote_register(const core::ProposalId& proposal_id) override {
    std::vector<RegisterEntry> out;
    for (const auto& [user, entry] : s_.register_[proposal_id]) out.push_back(entry);
    return out;
  }
  std::vector<std::string> ballots_of(const core::ProposalId& proposal_id) override {
    std::vector<std::string> out;
    for (const auto& [key, choice] : s_.ballots[proposal_id]) out.push_back(choice);
    return out;
  }
  std::vector<ProxyRecord> proxies_of_org(const core::OrgId& org_id) override {
    std::vector<ProxyRecord> out;
    for (const auto& [from, proxy] : s_.proxies[org_id]) out.push_back(proxy);
    return out;
  }
  // GovernanceWrites
  void insert_proposal(const ProposalRecord& proposal,
                       const std::vector<core::UserId>& eligible) override {
    writing();
    s_.proposals[proposal.id] = proposal;
    s_.eligible[proposal.id] = {eligible.begin(), eligible.end()};
  }
  bool close_proposal(const core::ProposalId& id, TimestampMs now) override {
    writing();
    auto& proposal = s_.proposals.at(id);
    if (proposal.status != core::ProposalStatus::open) return false;
    proposal.status = core::ProposalStatus::closed;
    proposal.closed_at = now;
    return true;
  }
  void put_register_entry(const core::ProposalId& proposal_id,
                          const RegisterEntry& entry) override {
    writing();
    s_.register_[proposal_id][entry.user_id] = entry;
  }
  void put_ballot(const core::ProposalId& proposal_id, const std::string& ballot_key,
                  const std::string& choice) override {
    writing();
    s_.ballots[proposal_id][ballot_key] = choice;
  }
  void put_sealed_register_entry(const core::ProposalId& proposal_id, const RegisterEntry& entry,
                                 const std::string& sealed) override {
    writing();
    s_.register_[proposal_id][entry.user_id] = entry;
    s_.sealed_ballots[proposal_id][entry.user_id] = sealed;
  }
  std::vector<std::string> sealed_ballots(const core::ProposalId& proposal_id) override {
    std::vector<std::string> out;
    for (const auto& [user, sealed] : s_.sealed_ballots[proposal_id]) out.push_back(sealed);
    return out;
  }
  void forget_sealed_ballots(const core::ProposalId& proposal_id) override {
    writing();
    s_.sealed_ballots.erase(proposal_id);
  }
  void put_proxy(const core::OrgId& org_id, const ProxyRecord& proxy) override {
    writing();
    s_.proxies[org_id][proxy.from_user_id] = proxy;
  }
  bool delete_proxy(const core::OrgId& org_id, const core::UserId& from_user_id) override {
    writing();
    return s_.proxies[org_id].erase(from_user_id) > 0;
  }

  // AccountsReads
  std::optional<UserRecord> user_by_id(const core::UserId& id) override {
    const auto it = s_.users.find(id);
    if (it == s_.users.end()) return std::nullopt;
    return it->second;
  }
  std::optional<UserRecord> user_by_email(const std::string& email_norm) override {
    for (const auto& [id, user] : s_.users)
      if (user.email_norm == email_norm) return user;
    return std::nullopt;
  }
  std::map<core::UserId, UserRecord> users_by_ids(const std::vector<core::UserId>& ids) override {
    std::map<core::UserId, UserRecord> out;
    for (const auto& id : ids)
      if (auto user = user_by_id(id)) out.emplace(id, *user);
    return out;
  }
  bool insert_user(const UserRecord& user) override {
    writing();
    if (user_by_email(user.email_norm)) return false;
    s_.users[user.id] = user;
    return true;
  }
  // DiscussionReads
  std::optional<CommentRecord> comment_by_id(const std::string& id) override {
    for (const auto& comment : s_.comments)
      if (comment.id == id) return comment;
    return std::nullopt;
  }
  // As the store's: a reply whose parent was hidden goes with it.
  std::vector<CommentRecord> comments_of(core::Subject target_type, const std::string& target_id,
                                         std::int64_t limit, std::int64_t offset) override {
    auto all = comments_of(target_type, target_id);
    const auto from = std::min<std::size_t>(all.size(), static_cast<std::size_t>(offset));
    const auto to = std::min<std::size_t>(all.size(), from + static_cast<std::size_t>(limit));
    return {all.begin() + static_cast<std::ptrdiff_t>(from),
            all.begin() + static_cast<std::ptrdiff_t>(to)};
  }
  std::vector<CommentRecord> comment_threads(core::Subject target_type,
                                             const std::string& target_id, std::int64_t limit,
                                             std::int64_t offset) override {
    const auto all = comments_of(target_type, target_id);
    std::set<std::string> tops;
    std::vector<CommentRecord> out;
    std::int64_t seen = 0;
    for (auto c = all.rbegin(); c != all.rend(); ++c) {
      if (c->parent_id) continue;
      if (seen >= offset && seen < offset + limit) {
        tops.insert(c->id);
        out.push_back(*c);
      }
      ++seen;
    }
    for (const auto& c : all)
      if (c.parent_id && tops.count(*c.parent_id)) out.push_back(c);
    return out;
  }
  std::vector<CommentRecord> comments_of(core::Subject target_type, const std::string& target_id) {
    std::vector<CommentRecord> out;
    for (const auto& comment : s_.comments) {
      if (comment.target_type != target_type || comment.target_id != target_id || comment.hidden)
        continue;
      if (comment.parent_id) {
        const auto parent = comment_by_id(*comment.parent_id);
        if (parent && parent->hidden) continue;
      }
      out.push_back(comment);
    }
    return out;
  }
  std::map<std::string, std::vector<CommentRecord>> comments_of_many(
      core::Subject target_type, const std::vector<std::string>& target_ids) override {
    std::map<std::string, std::vector<CommentRecord>> out;
    for (const auto& id : target_ids) {
      auto list = comments_of(target_type, id);
      if (!list.empty()) out[id] = std::move(list);
    }
    return out;
  }
  std::optional<UpdateRecord> update_by_id(const std::string& id) override {
    for (const auto& update : s_.updates)
      if (update.id == id) return update;
    return std::nullopt;
  }
  std::vector<UpdateRecord> updates_of_campaign(const core::CampaignId& campaign_id,
                                                std::int64_t limit, std::int64_t offset) override {
    std::vector<UpdateRecord> out;
    for (auto it = s_.updates.rbegin(); it != s_.updates.rend(); ++it) {
      if (it->campaign_id != campaign_id || it->hidden) continue;
      if (offset-- > 0) continue;
      if (static_cast<std::int64_t>(out.size()) == limit) break;
      out.push_back(*it);
    }
    return out;
  }
  std::vector<ReportRecord> open_reports(std::int64_t limit) override {
    std::vector<ReportRecord> out;
    for (const auto& [report, resolution] : s_.reports) {
      if (!resolution && static_cast<std::int64_t>(out.size()) < limit) out.push_back(report);
    }
    return out;
  }
  void insert_comment(const CommentRecord& comment) override {
    writing();
    s_.comments.push_back(comment);
  }
  bool hide_comment(const std::string& id) override {
    writing();
    for (auto& comment : s_.comments) {
      if (comment.id != id || comment.hidden) continue;
      comment.hidden = true;
      return true;
    }
    return false;
  }
  void insert_update(const UpdateRecord& update) override {
    writing();
    s_.updates.push_back(update);
  }
  bool hide_update(const std::string& id) override {
    writing();
    for (auto& update : s_.updates) {
      if (update.id != id || update.hidden) continue;
      update.hidden = true;
      return true;
    }
    return false;
  }
  bool insert_report(const ReportRecord& report) override {
    writing();
    for (const auto& [kept, resolution] : s_.reports) {
      if (kept.target_type == report.target_type && kept.target_id == report.target_id &&
          kept.user_id == report.user_id)
        return false;
    }
    s_.reports.emplace_back(report, std::nullopt);
    return true;
  }
  void resolve_reports(core::Subject target_type, const std::string& target_id,
                       const std::string& resolution, TimestampMs) override {
    writing();
    for (auto& [report, resolved] : s_.reports) {
      if (report.target_type == target_type && report.target_id == target_id && !resolved)
        resolved = resolution;
    }
  }
  // CirclesReads
  std::optional<CircleRecord> circle_by_id(const std::string& id) override {
    const auto it = s_.circles.find(id);
    if (it == s_.circles.end()) return std::nullopt;
    return it->second;
  }
  std::vector<CircleRecord> circles_of_user(const core::UserId& user_id) override {
    std::vector<CircleRecord> out;
    for (const auto& [id, circle] : s_.circles)
      if (is_circle_member(id, user_id)) out.push_back(circle);
    return out;
  }
  bool is_circle_member(const std::string& circle_id, const core::UserId& user_id) override {
    for (const auto& m : s_.circle_members[circle_id])
      if (m.user_id == user_id) return true;
    return false;
  }
  std::optional<InvitationRecord> invitation_by_token(const std::string&) override {
    unfaked("invitation_by_token");
  }
  std::vector<CircleMemberRecord> circle_members(const std::string& circle_id) override {
    return s_.circle_members[circle_id];
  }
  std::vector<std::pair<std::string, core::UserId>> circle_digests_due(TimestampMs,
                                                                       std::int64_t) override {
    unfaked("circle_digests_due");
  }
  std::vector<CirclePostRecord> circle_posts(const std::string& circle_id, TimestampMs since,
                                             std::int64_t limit, std::int64_t offset) override {
    std::vector<CirclePostRecord> out;
    for (auto it = s_.circle_posts.rbegin(); it != s_.circle_posts.rend(); ++it) {
      if (it->circle_id != circle_id || it->created_at <= since) continue;
      if (offset-- > 0) continue;
      if (static_cast<std::int64_t>(out.size()) == limit) break;
      out.push_back(*it);
      out.back().photo_base64.clear();  // photos not loaded
    }
    return out;
  }
  std::optional<CirclePostRecord> circle_post(const std::string& post_id) override {
    for (const auto& post : s_.circle_posts)
      if (post.id == post_id) return post;
    return std::nullopt;
  }
  // CirclesWrites
  void insert_circle(const CircleRecord& circle) override {
    writing();
    s_.circles[circle.id] = circle;
  }
  bool insert_circle_member(const std::string& circle_id, const core::UserId& user_id,
                            TimestampMs now) override {
    writing();
    if (is_circle_member(circle_id, user_id)) return false;
    CircleMemberRecord m;
    m.user_id = user_id;
    if (auto user = user_by_id(user_id)) {
      m.display_name = user->display_name;
      m.email = user->email;
    }
    m.joined_at = m.last_seen_at = now;
    s_.circle_members[circle_id].push_back(m);
    return true;
  }
  void delete_circle_member(const std::string& circle_id, const core::UserId& user_id) override {
    writing();
    std::erase_if(s_.circle_members[circle_id],
                  [&](const CircleMemberRecord& m) { return m.user_id == user_id; });
  }
  void insert_invitation(const InvitationRecord&) override { unfaked("insert_invitation"); }
  bool answer_invitation(const std::string&, core::InvitationStatus, TimestampMs) override {
    unfaked("answer_invitation");
  }
  void touch_circle_member(const std::string& circle_id, const core::UserId& user_id,
                           TimestampMs now) override {
    writing();
    for (auto& m : s_.circle_members[circle_id])
      if (m.user_id == user_id) m.last_seen_at = now;
  }
  void mark_circle_digest(const std::string&, const core::UserId&, TimestampMs) override {
    unfaked("mark_circle_digest");
  }
  void insert_circle_post(const CirclePostRecord& post) override {
    writing();
    s_.circle_posts.push_back(post);
  }
  // FollowsReads
  std::vector<FollowRecord> follows_of(const core::UserId& user_id) override {
    std::vector<FollowRecord> out;
    for (const auto& [user, follow] : s_.follows)
      if (user == user_id) out.push_back(follow);
    return out;
  }
  bool is_following(const core::UserId& user_id, core::Subject target_type,
                    const std::string& target_id) override {
    for (const auto& [user, follow] : s_.follows) {
      if (user == user_id && follow.target_type == target_type && follow.target_id == target_id)
        return true;
    }
    return false;
  }
  std::vector<core::UserId> followers_of(core::Subject target_type,
                                         const std::string& target_id) override {
    std::vector<core::UserId> out;
    for (const auto& [user, follow] : s_.follows) {
      if (follow.target_type == target_type && follow.target_id == target_id)
        out.emplace_back(user);
    }
    return out;
  }
  std::vector<ActivityRecord> feed_of(const core::UserId&, std::int64_t, std::int64_t) override {
    unfaked("feed_of");
  }
  std::vector<ActivityRecord> activities_of_org(const core::OrgId& org_id,
                                                std::int64_t limit) override {
    std::vector<ActivityRecord> out;
    for (auto it = s_.activities.rbegin(); it != s_.activities.rend(); ++it) {
      if (it->org_id == org_id && static_cast<std::int64_t>(out.size()) < limit) out.push_back(*it);
    }
    return out;
  }
  // FollowsWrites
  bool insert_follow(const core::UserId& user_id, const FollowRecord& follow) override {
    writing();
    if (is_following(user_id, follow.target_type, follow.target_id)) return false;
    s_.follows.emplace_back(user_id, follow);
    return true;
  }
  bool delete_follow(const core::UserId& user_id, core::Subject target_type,
                     const std::string& target_id) override {
    writing();
    const auto before = s_.follows.size();
    std::erase_if(s_.follows, [&](const auto& entry) {
      return entry.first == user_id && entry.second.target_type == target_type &&
             entry.second.target_id == target_id;
    });
    return s_.follows.size() < before;
  }
  void insert_activity(const ActivityRecord& activity) override {
    writing();
    s_.activities.push_back(activity);
  }
  void delete_activities_of(core::Subject subject_type, const std::string& subject_id) override {
    writing();
    std::erase_if(s_.activities, [&](const ActivityRecord& a) {
      return a.subject_type == subject_type && a.subject_id == subject_id;
    });
  }
  // NotificationsReads
  std::vector<NotificationRecord> notifications_of(const core::UserId& user_id, std::int64_t limit,
                                                   std::int64_t offset) override {
    std::vector<NotificationRecord> out;
    for (auto it = s_.notifications.rbegin(); it != s_.notifications.rend(); ++it) {
      if (it->user_id != user_id) continue;
      if (offset > 0) {
        --offset;
        continue;
      }
      if (static_cast<std::int64_t>(out.size()) == limit) break;
      out.push_back(*it);
    }
    return out;
  }
  std::int64_t unread_notifications(const core::UserId& user_id) override {
    return std::count_if(
        s_.notifications.begin(), s_.notifications.end(),
        [&](const NotificationRecord& n) { return n.user_id == user_id && !n.read_at; });
  }
  void insert_notification(const NotificationRecord& notification) override {
    writing();
    s_.notifications.push_back(notification);
  }
  void delete_notifications_of(core::Subject subject_type, const std::string& subject_id) override {
    writing();
    std::erase_if(s_.notifications, [&](const NotificationRecord& n) {
      return n.subject_type == subject_type && n.subject_id == subject_id;
    });
  }
  // DuesReads
  std::vector<core::UserId> voters_with_dues(const core::OrgId& org_id,
                                             const std::string&) override {
    return s_.voters_with_dues[org_id];
  }

  // EventsReads
  std::optional<EventRecord> event_by_id(const std::string& id) override {
    const auto it = s_.events.find(id);
    if (it == s_.events.end()) return std::nullopt;
    return it->second;
  }
  std::optional<RegistrationRecord> registration(const std::string& event_id,
                                                 const core::UserId& user_id) override {
    for (const auto& r : s_.registrations)
      if (r.event_id == event_id && r.user_id == user_id) return r;
    return std::nullopt;
  }
  // Registered first, then waiting; each by time of registration.
  std::vector<RegistrationRecord> registrations_of(const std::string& event_id) override {
    std::vector<RegistrationRecord> out;
    for (const auto status :
         {core::RegistrationStatus::registered, core::RegistrationStatus::waiting})
      for (const auto& r : s_.registrations)
        if (r.event_id == event_id && r.status == status) out.push_back(r);
    return out;
  }
  // EventsWrites
  bool take_seat(const std::string& event_id) override {
    writing();
    auto& event = s_.events.at(event_id);
    if (event.capacity && event.registered >= *event.capacity) return false;
    ++event.registered;
    return true;
  }
  void release_seat(const std::string& event_id) override {
    writing();
    auto& event = s_.events.at(event_id);
    if (event.registered > 0) --event.registered;
  }
  bool insert_registration(const RegistrationRecord& registration) override {
    writing();
    if (this->registration(registration.event_id, registration.user_id)) return false;
    s_.registrations.push_back(registration);
    return true;
  }
  bool delete_registration(const std::string& event_id, const core::UserId& user_id) override {
    writing();
    return std::erase_if(s_.registrations, [&](const RegistrationRecord& r) {
             return r.event_id == event_id && r.user_id == user_id;
           }) > 0;
  }
  bool set_registration_status(const std::string& event_id, const core::UserId& user_id,
                               core::RegistrationStatus from,
                               core::RegistrationStatus to) override {
    writing();
    for (auto& r : s_.registrations) {
      if (r.event_id == event_id && r.user_id == user_id && r.status == from) {
        r.status = to;
        return true;
      }
    }
    return false;
  }

  // CampaignsReads
  std::optional<CampaignRecord> campaign_by_id(const core::CampaignId& id) override {
    const auto it = s_.campaigns.find(id);
    if (it == s_.campaigns.end()) return std::nullopt;
    return it->second;
  }
  std::vector<RewardRecord> rewards_of(const core::CampaignId& campaign_id) override {
    return s_.rewards[campaign_id];
  }
  // CampaignsWrites
  bool claim_reward(const std::string& reward_id) override {
    writing();
    for (auto& [campaign, rewards] : s_.rewards) {
      for (auto& reward : rewards) {
        if (reward.id != reward_id) continue;
        if (reward.quantity_limit && reward.claimed >= *reward.quantity_limit) return false;
        ++reward.claimed;
        return true;
      }
    }
    return false;
  }
  // PledgesReads
  std::optional<PledgeRecord> pledge_by_id(const std::string& id) override {
    for (const auto& pledge : s_.pledges)
      if (pledge.id == id) return pledge;
    return std::nullopt;
  }
  core::Cents pledged_by_user(const core::CampaignId& campaign_id,
                              const core::UserId& user_id) override {
    core::Cents sum = 0;
    for (const auto& p : s_.pledges) {
      if (p.campaign_id == campaign_id && p.user_id == user_id &&
          (p.status == core::PledgeStatus::pending || p.status == core::PledgeStatus::confirmed))
        sum += p.amount_cents;
    }
    return sum;
  }
  // PledgesWrites
  void insert_pledge(const PledgeRecord& pledge) override {
    writing();
    s_.pledges.push_back(pledge);
  }
  // LedgerReads
  LedgerHead ledger_head() override {
    if (s_.transfers.empty()) return {};
    return {s_.transfers.back().seq, s_.transfers.back().hash};
  }
  std::vector<core::Transfer> transfers_after(std::int64_t after_seq, std::int64_t limit) override {
    std::vector<core::Transfer> out;
    for (const auto& t : s_.transfers)
      if (t.seq > after_seq && static_cast<std::int64_t>(out.size()) < limit) out.push_back(t);
    return out;
  }
  core::Cents account_balance(const std::string& account) override {
    core::Cents balance = 0;
    for (const auto& t : s_.transfers) {
      if (t.credit_account == account) balance += t.amount_cents;
      if (t.debit_account == account) balance -= t.amount_cents;
    }
    return balance;
  }
  core::Cents available_balance(const core::UserId&) override { return 0; }
  // LedgerWrites: one writer, so the locks order nothing here.
  std::optional<LedgerHead> lock_ledger_head(HeadWait) override {
    writing();
    return ledger_head();
  }
  void append_transfer(const core::Transfer& transfer) override {
    writing();
    s_.transfers.push_back(transfer);
  }
  void lock_campaign_money(const core::CampaignId&, LockMode) override { writing(); }
  std::optional<CampaignForMoney> campaign_for_money(const core::CampaignId& campaign_id,
                                                     LockMode) override {
    writing();
    auto campaign = campaign_by_id(campaign_id);
    if (!campaign) return std::nullopt;
    auto org = org_by_id(campaign->org_id);
    // As the store: without the descriptions.
    campaign->description_md.clear();
    if (org) org->description.clear();
    return CampaignForMoney{std::move(*campaign), std::move(org), accepted_call_of(campaign_id)};
  }
  void lock_wallet(const core::UserId&) override { writing(); }
  // IdempotencyReads
  std::optional<StoredResponse> stored_response(const std::string& user_id,
                                                const std::string& key) override {
    const auto it = s_.idempotency.find({user_id, key});
    if (it == s_.idempotency.end()) return std::nullopt;
    return it->second;
  }
  // IdempotencyWrites
  bool claim_idempotency_key(const std::string& user_id, const std::string& key,
                             const std::string& request_hash, TimestampMs) override {
    writing();
    return s_.idempotency.emplace(std::pair{user_id, key}, StoredResponse{request_hash, 0, ""})
        .second;
  }
  void store_response(const std::string& user_id, const std::string& key, int status,
                      const std::string& body) override {
    writing();
    auto& stored = s_.idempotency.at({user_id, key});
    stored.status = status;
    stored.body = body;
  }
  // CallsReads: no funding call matches anything here.
  std::optional<std::string> accepted_call_of(const core::CampaignId&) override {
    return std::nullopt;
  }

  // What these tests do not need.
  std::vector<CampaignRecord> list_campaigns(const CampaignFilter&) override {
    unfaked("list_campaigns");
  }
  std::vector<core::CampaignId> live_campaigns_ending_by(TimestampMs, std::int64_t) override {
    unfaked("live_campaigns_ending_by");
  }
  CampaignTotals campaign_totals(const core::CampaignId&) override { unfaked("campaign_totals"); }
  std::map<std::string, CampaignSide> campaign_sides(const std::vector<std::string>&) override {
    unfaked("campaign_sides");
  }
  std::optional<CoverRecord> cover_of(const core::CampaignId&) override { unfaked("cover_of"); }
  void insert_campaign(const CampaignRecord&) override { unfaked("insert_campaign"); }
  void update_campaign(const CampaignRecord&) override { unfaked("update_campaign"); }
  bool transition_campaign(const std::string&, core::CampaignStatus, core::CampaignStatus,
                           TimestampMs) override {
    unfaked("transition_campaign");
  }
  void replace_rewards(const core::CampaignId&, const std::vector<RewardRecord>&) override {
    unfaked("replace_rewards");
  }
  void release_reward(const std::string&) override { unfaked("release_reward"); }
  void put_cover(const core::CampaignId&, const CoverRecord&, TimestampMs) override {
    unfaked("put_cover");
  }
  std::vector<PledgeRecord> pending_transfers_before(TimestampMs, bool, std::int64_t) override {
    unfaked("pending_transfers_before");
  }
  std::vector<PledgeOfUser> pledges_of_user(const core::UserId&, std::int64_t,
                                            std::int64_t) override {
    unfaked("pledges_of_user");
  }
  std::vector<PledgeRecord> pledges_of_campaign(const core::CampaignId& campaign_id,
                                                core::PledgeStatus status) override {
    std::vector<PledgeRecord> out;
    for (const auto& pledge : s_.pledges)
      if (pledge.campaign_id == campaign_id && pledge.status == status) out.push_back(pledge);
    return out;
  }
  std::vector<PledgeRecord> pending_pledges_of_org(const core::OrgId&) override {
    unfaked("pending_pledges_of_org");
  }
  bool mark_expiry_notice(const std::string&, TimestampMs) override {
    unfaked("mark_expiry_notice");
  }
  bool transition_pledge(const std::string&, core::PledgeStatus, core::PledgeStatus,
                         TimestampMs) override {
    unfaked("transition_pledge");
  }
  std::vector<core::Transfer> transfers_of_campaign(const core::CampaignId&, std::int64_t,
                                                    std::int64_t) override {
    unfaked("transfers_of_campaign");
  }
  void for_each_transfer(const std::function<void(const core::Transfer&)>&) override {
    unfaked("for_each_transfer");
  }
  std::vector<UnsealedTransfer> unsealed_transfers(std::int64_t) override {
    unfaked("unsealed_transfers");
  }
  void append_unsealed(const core::Transfer&) override { unfaked("append_unsealed"); }
  void seal(const std::vector<UnsealedTransfer>&, const LedgerHead&) override { unfaked("seal"); }
  std::optional<CallRecord> call_by_id(const std::string&) override { unfaked("call_by_id"); }
  std::vector<CallRecord> list_calls(std::int64_t, std::int64_t) override { unfaked("list_calls"); }
  std::vector<CallRecord> calls_of_org(const core::OrgId&) override { unfaked("calls_of_org"); }
  std::vector<ApplicationRecord> applications_of_call(const std::string&) override {
    unfaked("applications_of_call");
  }
  std::vector<ApplicationRecord> applications_of_campaign(const core::CampaignId&) override {
    unfaked("applications_of_campaign");
  }
  std::optional<ApplicationRecord> application(const std::string&,
                                               const core::CampaignId&) override {
    unfaked("application");
  }
  core::Cents matched_to_backer(const std::string&, const core::UserId&) override {
    unfaked("matched_to_backer");
  }
  std::vector<MatchRecord> active_matches_of_campaign(const core::CampaignId&) override {
    unfaked("active_matches_of_campaign");
  }
  TerritoryFigures territory_figures(core::TimestampMs, core::TimestampMs) override {
    unfaked("territory_figures");
  }
  void insert_call(const CallRecord&) override { unfaked("insert_call"); }
  std::optional<CallRecord> lock_call(const std::string&) override { unfaked("lock_call"); }
  bool insert_application(const ApplicationRecord&) override { unfaked("insert_application"); }
  bool decide_application(const std::string&, const core::CampaignId&, core::ApplicationStatus,
                          core::TimestampMs) override {
    unfaked("decide_application");
  }
  void insert_match(const MatchRecord&) override { unfaked("insert_match"); }
  bool return_match(const MatchRecord&, core::TimestampMs) override { unfaked("return_match"); }
  std::vector<EventRecord> events_of_org(const core::OrgId&, TimestampMs, std::int64_t,
                                         std::int64_t) override {
    unfaked("events_of_org");
  }
  std::vector<EventRecord> events_to_remind(TimestampMs, TimestampMs, std::int64_t) override {
    unfaked("events_to_remind");
  }
  std::vector<EventRecord> search_events(const std::string&, TimestampMs, std::int64_t) override {
    unfaked("search_events");
  }
  void insert_event(const EventRecord&) override { unfaked("insert_event"); }
  bool update_event(const EventRecord&) override { unfaked("update_event"); }
  bool cancel_event(const std::string&, TimestampMs) override { unfaked("cancel_event"); }
  std::vector<PersonalTable> personal_data(const core::UserId&) override {
    unfaked("personal_data");
  }
  std::string wallet_of(const core::UserId&) override { unfaked("wallet_of"); }
  std::optional<SessionRecord> live_session(const std::string&, TimestampMs) override {
    unfaked("live_session");
  }
  std::optional<std::pair<SessionRecord, UserRecord>> live_session_with_user(const std::string&,
                                                                             TimestampMs) override {
    unfaked("live_session_with_user");
  }
  std::optional<ReaderRow> live_reader(const std::string&, TimestampMs,
                                       const ReaderQuestion&) override {
    unfaked("live_reader");
  }
  std::vector<SessionRecord> sessions_of_user(const core::UserId&, TimestampMs) override {
    unfaked("sessions_of_user");
  }
  void erase_person(const core::UserId&, TimestampMs) override { unfaked("erase_person"); }
  void insert_session(const SessionRecord&) override { unfaked("insert_session"); }
  void delete_session(const std::string&) override { unfaked("delete_session"); }
  void delete_sessions_of_user(const core::UserId&, const std::string&) override {
    unfaked("delete_sessions_of_user");
  }
  void touch_session(const std::string&, TimestampMs) override { unfaked("touch_session"); }
  void set_email_verified(const core::UserId&, TimestampMs) override {
    unfaked("set_email_verified");
  }
  void set_password_hash(const core::UserId&, const std::string&) override {
    unfaked("set_password_hash");
  }
  void insert_one_time_token(const OneTimeTokenRecord&) override {
    unfaked("insert_one_time_token");
  }
  std::optional<OneTimeTokenRecord> use_one_time_token(const std::string&, const std::string&,
                                                       TimestampMs) override {
    unfaked("use_one_time_token");
  }
  void drop_one_time_tokens(const core::UserId&, const std::string&) override {
    unfaked("drop_one_time_tokens");
  }
  std::vector<core::UserId> users_with_mail_due(std::int64_t) override {
    unfaked("users_with_mail_due");
  }
  std::vector<NotificationRecord> mail_due_of(const core::UserId&) override {
    unfaked("mail_due_of");
  }
  std::int64_t mark_notifications_read(const core::UserId&, const std::vector<std::string>&,
                                       TimestampMs) override {
    unfaked("mark_notifications_read");
  }
  void mark_mailed(const std::vector<std::string>&, TimestampMs) override {
    unfaked("mark_mailed");
  }
  std::optional<MembershipPlanRecord> plan_by_id(const std::string&) override {
    unfaked("plan_by_id");
  }
  std::vector<MembershipPlanRecord> plans_of(const core::OrgId&) override { unfaked("plans_of"); }
  std::optional<MembershipRecord> membership_by_id(const std::string&) override {
    unfaked("membership_by_id");
  }
  std::vector<MembershipRecord> memberships_of_org(const core::OrgId&,
                                                   std::optional<core::MembershipStatus>,
                                                   std::int64_t, std::int64_t) override {
    unfaked("memberships_of_org");
  }
  std::vector<MembershipRecord> memberships_of_user(const core::UserId&) override {
    unfaked("memberships_of_user");
  }
  bool has_voting_dues(const core::OrgId&, const core::UserId&, const std::string&) override {
    unfaked("has_voting_dues");
  }
  std::vector<MembershipRecord> to_remind(const std::string&, std::int64_t) override {
    unfaked("to_remind");
  }
  std::vector<MembershipRecord> ended_before(const std::string&, std::int64_t) override {
    unfaked("ended_before");
  }
  void insert_plan(const MembershipPlanRecord&) override { unfaked("insert_plan"); }
  void insert_membership(const MembershipRecord&) override { unfaked("insert_membership"); }
  bool transition_membership(const std::string&, core::MembershipStatus, core::MembershipStatus,
                             core::TimestampMs) override {
    unfaked("transition_membership");
  }
  void set_made_member(const std::string&) override { unfaked("set_made_member"); }
  // Dues' and events' mark_reminded share a signature: this one stands for both.
  bool mark_reminded(const std::string&, core::TimestampMs) override { unfaked("mark_reminded"); }

 private:
  void writing() const {
    if (!writable_) throw std::logic_error("a write in a read transaction");
  }

  FakeState& s_;
  bool writable_;
};

}  // namespace

void FakeStore::read(const std::function<void(app::ReadTx&)>& fn) {
  FakeTx tx(state, false);
  fn(tx);
}

void FakeStore::write(const std::function<bool(app::Tx&)>& fn) {
  FakeState before = state;
  try {
    FakeTx tx(state, true);
    if (fn(tx)) {
      ++commits;
      return;
    }
  } catch (...) {
    state = std::move(before);
    ++rollbacks;
    throw;
  }
  state = std::move(before);
  ++rollbacks;
}

app::CommunityOptions community_options() {
  app::CommunityOptions o;
  o.rate_limits = false;
  return o;
}

app::Principal person(const std::string& id) {
  app::Principal who;
  who.user_id = core::UserId{id};
  who.email = id + "@example.org";
  who.display_name = "Name " + id;
  who.email_verified = true;
  return who;
}

void add_org(FakeState& state, const std::string& id, const std::string& name) {
  app::OrgRecord org;
  org.id = core::OrgId{id};
  org.name = name;
  state.orgs[org.id] = org;
}

std::string FakeCrypto::random_id() {
  char text[33];
  std::snprintf(text, sizeof text, "%032llx", static_cast<unsigned long long>(++counter_));
  return text;
}

std::string FakeCrypto::sha256_hex(const std::string& data) {
  std::uint64_t first = 14695981039346656037ULL, second = 1099511628211ULL * 31;
  for (const unsigned char c : data) {
    first = (first ^ c) * 1099511628211ULL;
    second = (second ^ c) * 1099511628211ULL + 0x9e3779b97f4a7c15ULL;
  }
  char text[33];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(first),
                static_cast<unsigned long long>(second));
  return text;
}

}  // namespace essor::fakes
