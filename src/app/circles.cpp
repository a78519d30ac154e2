#include "app/circles.hpp"

#include <algorithm>

#include "app/rate_limits.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/image.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;
using core::Status;

Result<CircleRecord> Circles::create_circle(const Principal& who, const std::string& name,
                                            const std::string& description) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_name(name, 100)) problems["name"] = *p;
  if (auto p = core::check_text(description, 2000, false)) problems["description"] = *p;
  if (!problems.empty()) return Error::validation(std::move(problems));
  const TimestampMs now = clock_.now();
  return write_result<CircleRecord>(store_, [&](Tx& tx) -> Result<CircleRecord> {
    CircleRecord circle{crypto_.random_id(), core::trim(name), core::trim(description), who.user_id,
                        now};
    tx.circles().insert_circle(circle);
    (void)tx.circles().insert_circle_member(circle.id, who.user_id, now);  // a new circle
    return circle;
  });
}

Result<CircleMemberRecord> Circles::add_circle_member(const Principal& who,
                                                      const std::string& circle_id,
                                                      const std::string& email) {
  if (auto p = core::check_email(core::trim(email))) return Error::validation({{"email", *p}});
  const TimestampMs now = clock_.now();
  return write_result<CircleMemberRecord>(store_, [&](Tx& tx) -> Result<CircleMemberRecord> {
    auto circle = tx.circles().circle_by_id(circle_id);
    if (!circle || !tx.circles().is_circle_member(circle_id, who.user_id)) return no_such("circle");
    auto user = tx.accounts().user_by_email(core::ascii_lower(core::trim(email)));
    if (!user) {
      return Error::validation(
          {{"email", "no account has this address: ask them to sign up first"}});
    }
    if (tx.circles().insert_circle_member(circle_id, user->id, now)) {
      notify(tx, user->id, "circle_added", {{"actor", who.display_name}, {"circle", circle->name}},
             {core::Place::circle, circle_id}, core::Subject::circle, circle_id, false);
    }
    for (auto& member : tx.circles().circle_members(circle_id)) {
      if (member.user_id == user->id) return member;
    }
    return Error::not_found();
  });
}

core::Status Circles::leave_circle(const Principal& who, const std::string& circle_id,
                                   const core::UserId& user_id) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> core::Status {
    auto circle = tx.circles().circle_by_id(circle_id);
    if (!circle || !tx.circles().is_circle_member(circle_id, who.user_id)) return no_such("circle");
    if (user_id != who.user_id) {
      return Error::forbidden("Members leave a circle themselves; nobody removes another.");
    }
    tx.circles().delete_circle_member(circle_id, user_id);
    return core::Unit{};
  });
}

Result<CirclePostRecord> Circles::post_in_circle(const Principal& who, const std::string& circle_id,
                                                 const std::string& body_md,
                                                 const std::optional<std::string>& photo) {
  std::map<std::string, std::string> problems;
  // A photo may go alone; words alone or with it.
  if (auto p = core::check_text(body_md, 5000, !photo.has_value())) problems["body_md"] = *p;
  std::optional<std::string> photo_type;
  if (photo) {
    if (photo->size() > core::kMaxCoverBytes) {
      problems["photo"] = "too large (5 MB at most)";
    } else if (!(photo_type = core::detect_image_type(*photo))) {
      problems["photo"] = "must be a JPEG, PNG or WebP image";
    }
  }
  if (!problems.empty()) return Error::validation(std::move(problems));
  const TimestampMs now = clock_.now();
  return write_result<CirclePostRecord>(store_, [&](Tx& tx) -> Result<CirclePostRecord> {
    auto circle = tx.circles().circle_by_id(circle_id);
    if (!circle || !tx.circles().is_circle_member(circle_id, who.user_id)) return no_such("circle");
    if (options_.rate_limits) {
      if (auto limited = rate_limit(tx, kPostsPerAccount, who.user_id, now)) return *limited;
      if (photo) {
        if (auto limited = rate_limit(tx, kUploadsPerAccount, who.user_id, now)) return *limited;
      }
    }
    CirclePostRecord post;
    post.id = crypto_.random_id();
    post.circle_id = circle_id;
    post.user_id = who.user_id;
    post.display_name = who.display_name;
    post.body_md = core::trim(body_md);
    post.photo_type = photo_type;
    if (photo) post.photo_base64 = core::base64_encode(*photo);
    post.created_at = now;
    tx.circles().insert_circle_post(post);
    tx.circles().touch_circle_member(circle_id, who.user_id, now);
    // Members only; by mail through the circle digest, not one by one.
    for (const auto& member : tx.circles().circle_members(circle_id)) {
      if (member.user_id == who.user_id) continue;
      notify(tx, member.user_id, "circle_post",
             {{"actor", who.display_name}, {"circle", circle->name}},
             {core::Place::circle, circle_id, core::Anchor::post, post.id},
             core::Subject::circle_post, post.id, false);
    }
    post.photo_base64.clear();
    return post;
  });
}

Result<CircleView> Circles::circle(const Principal& who, const std::string& circle_id,
                                   std::int64_t limit, std::int64_t offset) {
  const TimestampMs now = clock_.now();
  return write_result<CircleView>(store_, [&](Tx& tx) -> Result<CircleView> {
    auto circle = tx.circles().circle_by_id(circle_id);
    if (!circle || !tx.circles().is_circle_member(circle_id, who.user_id)) return no_such("circle");
    tx.circles().touch_circle_member(circle_id, who.user_id, now);
    CircleView view;
    view.circle = *circle;
    view.members = tx.circles().circle_members(circle_id);
    view.posts = tx.circles().circle_posts(circle_id, 0, limit + 1, offset);
    view.more = static_cast<std::int64_t>(view.posts.size()) > limit;
    if (view.more) view.posts.pop_back();
    return view;
  });
}

Result<CirclePostRecord> Circles::circle_photo(const Principal& who, const std::string& post_id) {
  return read_value<Result<CirclePostRecord>>(store_, [&](ReadTx& tx) -> Result<CirclePostRecord> {
    auto post = tx.circles().circle_post(post_id);
    if (!post || !post->photo_type || !tx.circles().is_circle_member(post->circle_id, who.user_id))
      return no_such("photo");
    return *post;
  });
}

std::vector<CircleRecord> Circles::circles(const Principal& who) {
  return read_value<std::vector<CircleRecord>>(
      store_, [&](ReadTx& tx) { return tx.circles().circles_of_user(who.user_id); });
}

int Circles::compose_digests(TimestampMs now) {
  const auto due =
      read_value<std::vector<std::pair<std::string, core::UserId>>>(store_, [&](ReadTx& tx) {
        return tx.circles().circle_digests_due(now - options_.circle_quiet_ms, 200);
      });
  int composed = 0;
  for (const auto& pair : due) {
    // Named, not bound: a lambda may capture neither in clang 14.
    const std::string& circle_id = pair.first;
    const core::UserId& user_id = pair.second;
    write_counted(store_, composed, [&](Tx& tx) {
      auto circle = tx.circles().circle_by_id(circle_id);
      auto user = tx.accounts().user_by_id(user_id);
      if (!circle || !user) return false;
      TimestampMs since = 0;
      for (const auto& m : tx.circles().circle_members(circle_id)) {
        if (m.user_id == user_id) since = std::max(m.last_seen_at, m.last_digest_at.value_or(0));
      }
      auto settings = settings_for(tx, user_id);
      tx.circles().mark_circle_digest(circle_id, user_id, now);
      if (settings.mode == core::MailMode::none) return true;
      std::string body =
          wording_.say(kMailLang, "mail_hello", {{"name", user->display_name}}) + "\n\n" +
          wording_.say(kMailLang, "mail_circle_intro", {{"circle", circle->name}}) + "\n\n";
      int posts = 0;
      for (const auto& p : tx.circles().circle_posts(circle_id, since, 20, 0)) {
        if (p.user_id == user_id) continue;
        body +=
            wording_.say(kMailLang, "mail_circle_post_by",
                         {{"name", p.display_name}, {"created_at", std::to_string(p.created_at)}}) +
            "\n" + excerpt(p.body_md, 1000) +
            (p.photo_type ? "\n" + wording_.say(kMailLang, "mail_circle_photo", {}) : "") + "\n\n";
        ++posts;
      }
      if (posts == 0) return true;
      body += wording_.say(kMailLang, "mail_circle_read",
                           {{"url", address({core::Place::circle, circle_id})}}) +
              "\n";
      tx.outbox().insert_outbox(
          {crypto_.random_id(), user_id, "circle_digest", user->email,
           wording_.say(kMailLang, "mail_circle_subject", {{"circle", circle->name}}),
           body + mail_footer(settings),
           address({core::Place::unsubscribe, settings.unsubscribe_token}), now, 0});
      ++composed;
      return true;
    });
  }
  return composed;
}

}  // namespace essor::app
