// Community pages: news and comments on a campaign's page, follows, the
// feed, notifications and mail settings, unsubscribing, events and
// workshops, circles (with a large-text view), search, and the reports
// queue of moderators. Every page works without JavaScript.
#include "app/policy.hpp"
#include "core/id.hpp"
#include "core/image.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"
#include "web/form.hpp"
#include "web/json_api.hpp"
#include "web/links.hpp"
#include "web/markdown.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

namespace {

// Comments as threads: top-level comments, each with its replies.
Json threads_json(const std::string& lang, const std::vector<app::CommentRecord>& comments) {
  Json threads = Json::array();
  std::map<std::string, std::size_t> position;
  for (const auto& c : comments) {
    Json item{{"id", c.id},
              {"author", c.display_name},
              {"when", date_time_text(lang, c.created_at)},
              {"body_html", markdown_to_html(c.body)}};
    if (!c.parent_id) {
      item["replies"] = Json::array();
      position[c.id] = threads.size();
      threads.push_back(item);
    } else if (auto found = position.find(*c.parent_id); found != position.end()) {
      threads[found->second]["replies"].push_back(item);
    }
  }
  return threads;
}

// Back to a page of this site, with a notice.
Response back_to(const Form& form, const std::string& fallback, const std::string& done,
                 const std::string& anchor = "") {
  std::string target = safe_next(field(form, "back"), fallback);
  target = target.substr(0, target.find_first_of("?#"));
  return redirect_response(target + "?done=" + done + anchor);
}

Response failed(Services& services, const Request& request, const core::Error& error) {
  return render_error_page(services, request, status_of(error.kind));
}

Json event_view_json(const std::string& lang, const app::EventRecord& e) {
  Json out{{"id", e.id},
           {"title", e.title},
           {"starts", date_time_text(lang, e.starts_at)},
           {"ends", date_time_text(lang, e.ends_at)},
           {"location", e.location ? Json(*e.location) : Json(false)},
           {"online_url", e.online_url ? Json(*e.online_url) : Json(false)},
           {"capacity", e.capacity ? Json(*e.capacity) : Json(false)},
           {"cancelled", e.cancelled_at.has_value()}};
  if (e.capacity) {
    const auto left = std::max<std::int64_t>(0, *e.capacity - e.registered);
    out["seats_text"] = std::to_string(left) + " / " + std::to_string(*e.capacity);
    out["full"] = left == 0;
  } else {
    out["full"] = false;
  }
  return out;
}

// The form of a new event (event_id empty) or of a change to one.
Json event_form_json(const std::string& lang, const core::OrgId& org_id,
                     const std::optional<std::string>& event_id, Json values) {
  if (!event_id) {
    return Json{{"org", {{"id", org_id}}},
                {"values", std::move(values)},
                {"heading", translate(lang, "event_new_title")},
                {"back", "/orgs/" + org_id + "#events"},
                {"back_label", translate(lang, "events_heading")},
                {"action", "/orgs/" + org_id + "/events/new"},
                {"submit", translate(lang, "event_create")},
                {"editing", false}};
  }
  return Json{{"org", {{"id", org_id}}},
              {"values", std::move(values)},
              {"heading", translate(lang, "event_edit_title")},
              {"back", "/events/" + *event_id},
              {"back_label", translate(lang, "event_back")},
              {"action", "/events/" + *event_id + "/edit"},
              {"submit", translate(lang, "event_save")},
              {"editing", true}};
}

// An event form's start and end (Paris time), each with a problem when it
// is missing or not a date and a time.
std::pair<std::optional<core::TimestampMs>, std::optional<core::TimestampMs>> event_times(
    const Form& form, const std::string& lang, std::map<std::string, std::string>& problems) {
  const auto starts = date_time_field(form, "starts_on", "starts_time");
  const auto ends = date_time_field(form, "ends_on", "ends_time");
  if (!starts)
    problems[date_time_blame(form, "starts_on", "starts_time", "starts_at")] =
        translate(lang, "error_date_time");
  if (!ends)
    problems[date_time_blame(form, "ends_on", "ends_time", "ends_at")] =
        translate(lang, "error_date_time");
  return {starts, ends};
}

// An event form's seats: none when empty (no limit), or a problem when it
// is not a whole number.
std::optional<std::int64_t> event_capacity(const Form& form, const std::string& lang,
                                           std::map<std::string, std::string>& problems) {
  if (field(form, "capacity").empty()) return std::nullopt;
  try {
    return std::stoll(field(form, "capacity"));
  } catch (...) {
    problems["capacity"] = translate(lang, "error_whole_number");
    return std::nullopt;
  }
}

// An event's fields as its form shows them, in Paris time.
Json event_form_values(const app::EventRecord& e) {
  return Json{{"title", e.title},
              {"description_md", e.description_md},
              {"starts_on", core::paris_date_field(e.starts_at)},
              {"starts_time", core::paris_time_field(e.starts_at)},
              {"ends_on", core::paris_date_field(e.ends_at)},
              {"ends_time", core::paris_time_field(e.ends_at)},
              {"location", e.location.value_or("")},
              {"online_url", e.online_url.value_or("")},
              {"capacity", e.capacity ? std::to_string(*e.capacity) : ""}};
}

Json post_view_json(const std::string& lang, const app::CirclePostRecord& p) {
  return Json{{"id", p.id},
              {"author", p.display_name},
              {"when", date_time_text(lang, p.created_at)},
              {"body_html", markdown_to_html(p.body_md)},
              {"photo_url", p.photo_type ? Json("/circle-posts/" + p.id + "/photo") : Json(false)}};
}

Response circle_page(Services& services, const PageContext& context, const Request& request,
                     Json extra, int status) {
  const auto query = request.query_params();
  std::int64_t offset = 0;
  if (query.count("from")) {
    try {
      offset = std::max<long long>(0, std::stoll(query.at("from")));
    } catch (...) {
      offset = 0;
    }
  }
  auto view = services.community.circles.circle(*context.user, request.params.at("id"), 20, offset);
  if (!view) return failed(services, request, view.error());
  Json posts = Json::array();
  for (const auto& p : view->posts) posts.push_back(post_view_json(context.lang, p));
  Json members = Json::array();
  for (const auto& m : view->members) members.push_back(Json{{"name", m.display_name}});
  // ?large=1 opens the large-text view once (a link in a mail); the
  // reader's choice (web/render.hpp kTextCookie) keeps it on every page.
  PageContext shown = context;
  if (query.count("large") && query.at("large") == "1") shown.large_text = true;
  Json data = std::move(extra);
  data["circle"] = {{"id", view->circle.id},
                    {"name", view->circle.name},
                    {"description", view->circle.description}};
  data["title"] = view->circle.name;
  data["posts"] = posts;
  data["members"] = members;
  data["more"] = view->more ? Json(offset + 20) : Json(false);
  if (!data.contains("notice")) data["notice"] = notice_of(request, context.lang);
  return render_page(services, shown, "circle", data, "", status);
}

}  // namespace

Json campaign_community_json(Services& services, const std::string& lang,
                             const std::optional<app::Principal>& who,
                             const app::CampaignRecord& campaign, bool is_admin,
                             const ListPage& threads) {
  Json updates = Json::array();
  Json comments = Json::array();
  std::string pager;
  if (auto discussion = services.community.discussion.of_campaign(
          who, campaign, 20, threads.per_page, threads.offset())) {
    for (const auto& [u, thread] : discussion->updates) {
      updates.push_back(Json{{"id", u.id},
                             {"title", u.title},
                             {"author", u.author_name},
                             {"when", date_time_text(lang, u.created_at)},
                             {"body_html", markdown_to_html(u.body_md)},
                             {"comments", threads_json(lang, thread)}});
    }
    comments = threads_json(lang, discussion->comments);
    pager = pager_html(lang, translate(lang, "comments_pages"), threads, discussion->more_comments,
                       std::nullopt, "/campaigns/" + campaign.id + "?comments_page=", "#comments");
  }
  return Json{{"updates", updates},
              {"has_updates", !updates.empty()},
              {"comments", comments},
              {"comments_pager", pager},
              {"comments_page", threads.number},
              {"can_post_update", is_admin},
              {"signed_in", who.has_value()}};
}

Json org_community_json(Services& services, const std::string& lang,
                        const std::optional<app::Principal>& who, const core::OrgId& org_id) {
  Json events = Json::array();
  if (auto list = services.community.events.org_events(org_id, app::Events::Span::upcoming, 500)) {
    for (const auto& e : *list) events.push_back(event_view_json(lang, e));
  }
  return Json{{"events", events},
              {"has_events", !events.empty()},
              {"following",
               who && services.community.follows.is_following(*who, core::Subject::org, org_id)},
              {"signed_in", who.has_value()}};
}

namespace {

// A form's target_type; types: what the form takes, for the message when
// the type is unknown.
core::Result<core::Subject> subject_field(const Form& form, const std::string& types) {
  if (auto type = core::parse_subject(field(form, "target_type"))) return *type;
  return core::Error::validation({{"target_type", "must be " + types}});
}

}  // namespace

void add_community_pages(Router& router, Services& services) {
  // News, comments, reports, follows: forms that come back to their page.
  add_page_form(
      router, services, "/campaigns/{id}/updates",
      [&services](Request& request, PageContext& context, const Form& form) {
        const auto id = request.id<core::CampaignId>();
        auto update = services.community.discussion.post_update(
            *context.user, id, field(form, "title"), field(form, "body_md"));
        if (!update) {
          if (update.error().kind != core::ErrorKind::validation)
            return failed(services, request, update.error());
          return redirect_response("/campaigns/" + id + "?done=update_invalid#news");
        }
        return redirect_response("/campaigns/" + id + "?done=update_posted#update-" + update->id);
      });

  for (const auto type : {core::Subject::campaign, core::Subject::update}) {
    const std::string path =
        type == core::Subject::campaign ? "/campaigns/{id}/comments" : "/updates/{id}/comments";
    add_page_form(router, services, path,
                  [&services, type](Request& request, PageContext& context, const Form& form) {
                    const std::string parent = field(form, "parent_id");
                    auto c = services.community.discussion.comment(
                        *context.user, type, request.params["id"], field(form, "body_md"),
                        parent.empty() ? std::nullopt : std::optional(parent));
                    if (!c) {
                      if (c.error().kind != core::ErrorKind::validation)
                        return failed(services, request, c.error());
                      return back_to(form, "/", "comment_invalid", "#comments");
                    }
                    // A reply is shown on its thread's page; a new thread on the first.
                    const auto page = list_page(field(form, "comments_page"), kThreadsPerPage);
                    const std::string on_page =
                        c->parent_id && page.number > 1
                            ? "&comments_page=" + std::to_string(page.number)
                            : "";
                    return back_to(form, "/", "comment_posted" + on_page, "#comment-" + c->id);
                  });
  }

  add_page_form(router, services, "/reports",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const auto type = subject_field(form, "comment or update");
                  if (!type) return failed(services, request, type.error());
                  auto done = services.community.discussion.report(
                      *context.user, *type, field(form, "target_id"), field(form, "reason"));
                  if (!done) return failed(services, request, done.error());
                  return back_to(form, "/", "reported");
                });

  add_page_form(router, services, "/follows",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const auto type = subject_field(form, "org, campaign or user");
                  if (!type) return failed(services, request, type.error());
                  const std::string id = field(form, "target_id");
                  if (field(form, "action") == "unfollow") {
                    auto done = services.community.follows.unfollow(*context.user, *type, id);
                    if (!done) return failed(services, request, done.error());
                    return back_to(form, "/", "unfollowed");
                  }
                  auto done = services.community.follows.follow(*context.user, *type, id);
                  if (!done) return failed(services, request, done.error());
                  return back_to(form, "/", "followed");
                });

  router.add("GET", "/me/feed", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto page = page_request(request);
    const std::int64_t offset = page ? page->offset : 0;
    auto list = services.community.follows.feed(*context.user, 31, offset);
    const bool more = list.size() > 30;
    if (more) list.pop_back();
    Json items = Json::array();
    for (const auto& a : list) {
      items.push_back(Json{{"text", app::worded(catalog_wording(), context.lang, a)},
                           {"url", path_of(a)},
                           {"actor", a.actor_name},
                           {"when", date_time_text(context.lang, a.created_at)}});
    }
    Json follows = Json::array();
    for (const auto& f : services.community.follows.list(*context.user)) {
      const std::string type = core::to_string(f.target_type);
      follows.push_back(
          Json{{"type_label", translate(context.lang, "follow_type_" + type)},
               {"url", f.target_type == core::Subject::org ? path({core::Place::org, f.target_id})
                       : f.target_type == core::Subject::campaign
                           ? path({core::Place::campaign, f.target_id})
                           : ""},
               {"target_type", type},
               {"target_id", f.target_id}});
    }
    return render_page(
        services, context, "feed",
        Json{{"items", items},
             {"has_items", !items.empty()},
             {"follows", follows},
             {"more", more ? Json(percent_encode(std::to_string(offset + 30))) : Json(false)},
             {"notice", notice_of(request, context.lang)}},
        "feed_title");
  });

  router.add("GET", "/me/notifications", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json items = Json::array();
    for (const auto& n : services.community.notifications.list(*context.user, 100, 0)) {
      items.push_back(Json{{"id", n.id},
                           {"text", app::worded(catalog_wording(), context.lang, n)},
                           {"url", path_of(n)},
                           {"when", date_time_text(context.lang, n.created_at)},
                           {"unread", !n.read_at.has_value()}});
    }
    const auto mode = services.community.notifications.mail_mode(*context.user);
    Json modes = Json::array();
    for (const auto m : {core::MailMode::immediate, core::MailMode::daily, core::MailMode::none}) {
      const std::string word = core::to_string(m);
      modes.push_back(Json{{"value", word},
                           {"label", translate(context.lang, "mail_" + word)},
                           {"checked", mode == m}});
    }
    return render_page(services, context, "notifications",
                       Json{{"items", items},
                            {"has_items", !items.empty()},

                            {"modes", modes},
                            {"notice", notice_of(request, context.lang)}},
                       "notifications_title");
  });

  add_page_form(router, services, "/me/notifications/read",
                [&services](Request&, PageContext& context, const Form& form) {
                  std::vector<std::string> ids;
                  if (!field(form, "id").empty()) ids.push_back(field(form, "id"));
                  services.community.notifications.mark_read(*context.user, ids);
                  const std::string go = safe_next(field(form, "go"), "");
                  if (!go.empty()) return redirect_response(go);
                  return redirect_response("/me/notifications?done=notifications_read");
                });

  add_page_form(router, services, "/me/notification-settings",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const auto mode = core::parse_mail_mode(field(form, "mail"));
                  if (!mode) {
                    return failed(
                        services, request,
                        core::Error::validation({{"mail", "must be immediate, daily or none"}}));
                  }
                  auto done = services.community.notifications.set_mail_mode(*context.user, *mode);
                  if (!done) return failed(services, request, done.error());
                  return redirect_response("/me/notifications?done=mail_saved");
                });

  // Unsubscribing needs no login: the token in the link is the key. GET
  // only shows a confirmation (no change on GET); POST changes, also as
  // the one-click unsubscribe of RFC 8058 sent by mail programs.
  router.add("GET", "/unsubscribe/{token}", [&services](Request& request) {
    auto context = page_context(services, request);
    auto email = services.community.notifications.unsubscribe_target(request.params["token"]);
    if (!email) return failed(services, request, email.error());
    return render_page(services, context, "unsubscribe",
                       Json{{"email", *email}, {"token", request.params["token"]}},
                       "unsubscribe_title");
  });

  router.add("POST", "/unsubscribe/{token}", [&services](Request& request) {
    auto context = page_context(services, request);
    auto done = services.community.notifications.unsubscribe(request.params["token"]);
    if (!done) return failed(services, request, done.error());
    return render_page(services, context, "unsubscribe", Json{{"done", true}}, "unsubscribe_title");
  });

  // Events.
  router.add("GET", "/orgs/{id}/events/new", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const core::OrgId org_id = request.id<core::OrgId>();
    if (!app::campaign_allows(*context.user, services.orgs.role_of(context.user->user_id, org_id),
                              app::CampaignActionKind::manage))  // as Community::create_event
      return render_error_page(services, request, 403);
    return render_page(services, context, "event_new",
                       event_form_json(context.lang, org_id, std::nullopt,
                                       {{"starts_time", "18:00"}, {"ends_time", "20:00"}}),
                       "event_new_title");
  });

  add_page_form(
      router, services, "/orgs/{id}/events/new",
      [&services](Request& request, PageContext& context, const Form& form) {
        const core::OrgId org_id = request.id<core::OrgId>();
        app::EventInput in;
        in.title = field(form, "title");
        in.description_md = field(form, "description_md");
        std::map<std::string, std::string> problems;
        const auto [starts, ends] = event_times(form, context.lang, problems);
        in.starts_at = starts.value_or(0);
        in.ends_at = ends.value_or(0);
        if (!field(form, "location").empty()) in.location = field(form, "location");
        if (!field(form, "online_url").empty())
          in.online_url = core::trim(field(form, "online_url"));
        in.capacity = event_capacity(form, context.lang, problems);
        auto created = problems.empty()
                           ? services.community.events.create_event(*context.user, org_id, in)
                           : core::Result<app::EventRecord>(core::Error::validation(problems));
        if (!created) {
          if (created.error().kind != core::ErrorKind::validation)
            return failed(services, request, created.error());
          Json values = form;
          values.erase("_csrf");
          Json data = event_form_json(context.lang, org_id, std::nullopt, values);
          data["errors"] = errors_json(context.lang, created.error());
          return render_page(services, context, "event_new", data, "event_new_title", 400);
        }
        return redirect_response("/events/" + created->id + "?done=event_created");
      });

  router.add("GET", "/events/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    auto view = services.community.events.event(context.user, request.params["id"]);
    if (!view) return failed(services, request, view.error());
    const auto& e = view->event;
    Json people = Json::array();
    for (const auto& r : view->people) {
      people.push_back(Json{{"name", r.display_name},
                            {"waiting", r.status == core::RegistrationStatus::waiting}});
    }
    Json data{
        {"event", event_view_json(context.lang, e)},
        {"title", e.title},
        {"org", {{"id", e.org_id}, {"name", view->org_name}}},
        {"description_html", markdown_to_html(e.description_md)},
        {"waiting", view->waiting},
        {"registered", view->mine && view->mine->status == core::RegistrationStatus::registered},
        {"on_waitlist", view->mine && view->mine->status == core::RegistrationStatus::waiting},
        {"can_manage", view->can_manage},
        {"people", people},
        {"signed_in", context.user.has_value()},
        {"is_over", e.ends_at <= services.clock.now()},
        {"can_change", view->can_manage && !e.cancelled_at && e.ends_at > services.clock.now()},
        {"show_link", view->show_link},
        {"notice", notice_of(request, context.lang)}};
    // The meeting link is not even in the page of those not registered.
    if (!data["show_link"].get<bool>() && e.online_url) data["event"]["online_url"] = true;
    return render_page(services, context, "event", data, "");
  });

  // An organisation's admins change an event, or cancel it (confirmed
  // first); those registered or waiting are told (Events::edit_event).
  router.add("GET", "/events/{id}/edit", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto view = services.community.events.event(context.user, request.params["id"]);
    if (!view) return failed(services, request, view.error());
    if (!view->can_manage) return render_error_page(services, request, 403);
    const auto& e = view->event;
    // Over or cancelled: nothing to change; its page says why.
    if (e.cancelled_at || e.ends_at <= services.clock.now())
      return redirect_response("/events/" + e.id);
    return render_page(services, context, "event_new",
                       event_form_json(context.lang, e.org_id, e.id, event_form_values(e)),
                       "event_edit_title");
  });

  add_page_form(
      router, services, "/events/{id}/edit",
      [&services](Request& request, PageContext& context, const Form& form) {
        const std::string& id = request.params["id"];
        std::map<std::string, std::string> problems;
        app::EventChanges changes;
        changes.title = field(form, "title");
        changes.description_md = field(form, "description_md");
        const auto [starts, ends] = event_times(form, context.lang, problems);
        changes.starts_at = starts;
        changes.ends_at = ends;
        const auto location = core::trim(field(form, "location"));
        const auto online = core::trim(field(form, "online_url"));
        changes.location = location.empty() ? std::nullopt : std::optional(location);
        changes.online_url = online.empty() ? std::nullopt : std::optional(online);
        changes.capacity = event_capacity(form, context.lang, problems);  // empty: no limit
        auto changed = problems.empty()
                           ? services.community.events.edit_event(*context.user, id, changes)
                           : core::Result<app::EventRecord>(core::Error::validation(problems));
        if (!changed) {
          if (changed.error().kind != core::ErrorKind::validation)
            return failed(services, request, changed.error());
          auto view = services.community.events.event(context.user, id);
          if (!view) return failed(services, request, view.error());
          Json values = form;
          values.erase("_csrf");
          Json data = event_form_json(context.lang, view->event.org_id, id, values);
          data["errors"] = errors_json(context.lang, changed.error());
          return render_page(services, context, "event_new", data, "event_edit_title", 400);
        }
        return redirect_response("/events/" + id + "?done=event_changed");
      });

  add_page_form(
      router, services, "/events/{id}/cancel",
      [&services](Request& request, PageContext& context, const Form& form) {
        const std::string& id = request.params["id"];
        auto view = services.community.events.event(context.user, id);
        if (!view) return failed(services, request, view.error());
        if (auto ask = confirmation_first(services, context, request, form, "confirm_event_cancel",
                                          "/events/" + id, view->event.title))
          return *ask;
        auto cancelled = services.community.events.cancel_event(*context.user, id);
        if (!cancelled) return failed(services, request, cancelled.error());
        return redirect_response("/events/" + id + "?done=event_cancelled");
      });

  add_page_form(router, services, "/events/{id}/register",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const std::string& id = request.params["id"];
                  auto r = services.community.events.register_for(*context.user, id,
                                                                  field(form, "waitlist") == "1");
                  if (!r) {
                    if (r.error().code == "event_full")
                      return redirect_response("/events/" + id + "?done=event_full");
                    return failed(services, request, r.error());
                  }
                  return redirect_response("/events/" + id + "?done=" +
                                           (r->status == core::RegistrationStatus::waiting
                                                ? "event_waiting"
                                                : "event_registered"));
                });

  add_page_form(router, services, "/events/{id}/unregister",
                [&services](Request& request, PageContext& context, const Form&) {
                  const std::string& id = request.params["id"];
                  auto done = services.community.events.unregister(*context.user, id);
                  if (!done) return failed(services, request, done.error());
                  return redirect_response("/events/" + id + "?done=event_unregistered");
                });

  // Circles.
  router.add("GET", "/circles", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json circles = Json::array();
    for (const auto& c : services.community.circles.circles(*context.user)) {
      circles.push_back(Json{{"id", c.id}, {"name", c.name}, {"description", c.description}});
    }
    Json data = {
        {"circles", circles}, {"has_circles", !circles.empty()}, {"values", Json::object()}};
    const auto query = request.query_params();
    if (query.count("done") && query.at("done") == "circle_left")
      data["notice"] = translate(context.lang, "notice_circle_left");
    return render_page(services, context, "circles", data, "circles_title");
  });

  add_page_form(router, services, "/circles",
                [&services](Request& request, PageContext& context, const Form& form) {
                  auto circle = services.community.circles.create_circle(
                      *context.user, field(form, "name"), field(form, "description"));
                  if (!circle) {
                    if (circle.error().kind != core::ErrorKind::validation)
                      return failed(services, request, circle.error());
                    Json values = form;
                    values.erase("_csrf");
                    return render_page(services, context, "circles",
                                       Json{{"circles", Json::array()},
                                            {"values", values},
                                            {"errors", errors_json(context.lang, circle.error())}},
                                       "circles_title", 400);
                  }
                  return redirect_response("/circles/" + circle->id + "?done=circle_created");
                });

  router.add("GET", "/circles/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    return circle_page(services, context, request, Json::object(), 200);
  });

  add_page_form(router, services, "/circles/{id}/posts",
                [&services](Request& request, PageContext& context, const Form& form) {
                  std::optional<std::string> photo;
                  if (!field(form, "photo").empty()) photo = field(form, "photo");
                  const std::string& id = request.params["id"];
                  auto post = services.community.circles.post_in_circle(
                      *context.user, id, field(form, "body_md"), photo);
                  if (!post) {
                    if (post.error().kind != core::ErrorKind::validation)
                      return failed(services, request, post.error());
                    return circle_page(services, context, request,
                                       Json{{"errors", errors_json(context.lang, post.error())},
                                            {"values", {{"body_md", field(form, "body_md")}}}},
                                       400);
                  }
                  return redirect_response("/circles/" + id + "?done=circle_posted");
                });

  add_page_form(router, services, "/circles/{id}/members",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const std::string& id = request.params["id"];
                  auto member = services.invitations.invite_to_circle(*context.user, id,
                                                                      field(form, "email"));
                  if (!member) {
                    if (member.error().kind != core::ErrorKind::validation)
                      return failed(services, request, member.error());
                    return circle_page(services, context, request,
                                       Json{{"errors", errors_json(context.lang, member.error())},
                                            {"member_values", {{"email", field(form, "email")}}}},
                                       400);
                  }
                  return redirect_response("/circles/" + id + "?done=circle_member_invited");
                });

  add_page_form(
      router, services, "/circles/{id}/leave",
      [&services](Request& request, PageContext& context, const Form& form) {
        if (auto ask = confirmation_first(services, context, request, form, "confirm_circle_leave",
                                          "/circles/" + request.params["id"]))
          return *ask;
        auto left = services.community.circles.leave_circle(*context.user, request.params["id"],
                                                            context.user->user_id);
        if (!left) return failed(services, request, left.error());
        return redirect_response("/circles?done=circle_left");
      });

  router.add("GET", "/circle-posts/{id}/photo", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return render_error_page(services, request, 404);
    auto post = services.community.circles.circle_photo(*context.user, request.params["id"]);
    if (!post) return failed(services, request, post.error());
    auto bytes = core::base64_decode(post->photo_base64);
    Response response = text_response(200, bytes.value_or(""));
    response.content_type = *post->photo_type;
    response.header("Cache-Control", "private, max-age=3600");
    return response;
  });

  router.add("GET", "/search", [&services](Request& request) {
    auto context = page_context(services, request);
    const auto query = request.query_params();
    const std::string q = query.count("q") ? core::utf8_prefix(core::trim(query.at("q")), 200) : "";
    Json data{{"q", q}, {"searched", !q.empty()}};
    if (!q.empty()) {
      const auto found = services.community.search(q, 20);
      app::CampaignFilter filter;
      filter.query = q;
      filter.limit = 20;
      Json campaigns = Json::array();
      if (auto list = services.campaigns.list(context.user, filter)) {
        for (const auto& c : list->items)
          campaigns.push_back(Json{
              {"id", c.campaign.id}, {"title", c.campaign.title}, {"summary", c.campaign.summary}});
      }
      Json orgs = Json::array();
      for (const auto& o : found.orgs) orgs.push_back(Json{{"id", o.id}, {"name", o.name}});
      Json events = Json::array();
      for (const auto& e : found.events) events.push_back(event_view_json(context.lang, e));
      data["campaigns"] = campaigns;
      data["orgs"] = orgs;
      data["events"] = events;
      data["nothing"] = campaigns.empty() && orgs.empty() && events.empty();
      data["has_campaigns"] = !campaigns.empty();
      data["has_orgs"] = !orgs.empty();
      data["has_events"] = !events.empty();
    }
    return render_page(services, context, "search", data, "search_title");
  });

  // Moderators: the reports queue.
  router.add("GET", "/moderation/reports", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto reports = services.community.discussion.open_reports(*context.user);
    if (!reports) return failed(services, request, reports.error());
    Json items = Json::array();
    for (const auto& r : *reports) {
      const std::string type = core::to_string(r.report.target_type);
      items.push_back(Json{{"target_type", type},
                           {"target_id", r.report.target_id},
                           {"type_label", translate(context.lang, "report_type_" + type)},
                           {"reason", r.report.reason},
                           {"excerpt", r.excerpt},
                           {"url", r.link ? path(*r.link) : ""},
                           {"when", date_time_text(context.lang, r.report.created_at)}});
    }
    return render_page(services, context, "reports",
                       Json{{"items", items},
                            {"has_items", !items.empty()},
                            {"notice", notice_of(request, context.lang)}},
                       "reports_title");
  });

  add_page_form(router, services, "/moderation/reports",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const bool hide = field(form, "action") == "hide";
                  const auto type = subject_field(form, "comment or update");
                  if (!type) return failed(services, request, type.error());
                  auto done = hide ? services.community.discussion.hide(*context.user, *type,
                                                                        field(form, "target_id"))
                                   : services.community.discussion.dismiss(
                                         *context.user, *type, field(form, "target_id"));
                  if (!done) return failed(services, request, done.error());
                  return redirect_response(std::string("/moderation/reports?done=") +
                                           (hide ? "report_hidden" : "report_dismissed"));
                });
}

}  // namespace essor::web
