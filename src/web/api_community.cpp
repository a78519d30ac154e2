// JSON API, spec "Community", plus the additions of docs/api.md (comment
// lists and replies, reports and moderation, notification settings,
// waiting lists, circle listings, search), and the Atom and iCalendar
// documents, served both under /api/v1 and at the pages' addresses.
#include <limits>

#include "core/atom.hpp"
#include "core/icalendar.hpp"
#include "core/id.hpp"
#include "core/image.hpp"
#include "core/time.hpp"
#include "web/json_api.hpp"
#include "web/links.hpp"
#include "web/markdown.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

namespace {

Json opt(const std::optional<std::string>& value) {
  return value ? Json(*value) : Json();
}

Json update_json(const app::UpdateRecord& u) {
  return Json{{"id", u.id},
              {"campaign_id", u.campaign_id},
              {"title", u.title},
              {"body_md", u.body_md},
              {"author", {{"id", u.created_by}, {"display_name", u.author_name}}},
              {"created_at", core::format_rfc3339(u.created_at)}};
}

Json comment_json(const app::CommentRecord& c) {
  return Json{{"id", c.id},
              {"target_type", core::to_string(c.target_type)},
              {"target_id", c.target_id},
              {"parent_id", opt(c.parent_id)},
              {"user_id", c.user_id},
              {"display_name", c.display_name},
              {"body_md", c.body},
              {"body", c.body},
              {"created_at", core::format_rfc3339(c.created_at)}};
}

Json activity_json(const std::string& lang, const app::ActivityRecord& a) {
  return Json{{"id", a.id},
              {"kind", a.kind},
              {"actor", {{"id", a.actor_id}, {"display_name", a.actor_name}}},
              {"org_id", opt(a.org_id)},
              {"campaign_id", opt(a.campaign_id)},
              {"subject", {{"type", core::to_string(a.subject_type)}, {"id", a.subject_id}}},
              {"text", app::worded(catalog_wording(), lang, a)},
              {"url", path_of(a)},
              {"created_at", core::format_rfc3339(a.created_at)}};
}

// The online meeting link goes only to those registered (and the
// organisation's admins): a public link invites intruders.
Json event_json(const app::EventRecord& e, bool show_link = false) {
  return Json{
      {"id", e.id},
      {"org_id", e.org_id},
      {"title", e.title},
      {"description_md", e.description_md},
      {"starts_at", core::format_rfc3339(e.starts_at)},
      {"ends_at", core::format_rfc3339(e.ends_at)},
      {"location", opt(e.location)},
      {"online", e.online_url.has_value()},
      {"online_url", show_link ? opt(e.online_url) : Json()},
      {"capacity", e.capacity ? Json(*e.capacity) : Json()},
      {"registered", e.registered},
      {"seats_left",
       e.capacity ? Json(std::max<std::int64_t>(0, *e.capacity - e.registered)) : Json()},
      {"status", e.cancelled_at ? "cancelled" : "scheduled"},
      {"cancelled_at", e.cancelled_at ? Json(core::format_rfc3339(*e.cancelled_at)) : Json()},
      {"sequence", e.sequence}};
}

Json registration_json(const app::RegistrationRecord& r) {
  return Json{{"event_id", r.event_id},
              {"user_id", r.user_id},
              {"status", core::to_string(r.status)},
              {"created_at", core::format_rfc3339(r.created_at)}};
}

Json circle_json(const app::CircleRecord& c) {
  return Json{{"id", c.id},
              {"name", c.name},
              {"description", c.description},
              {"created_by", c.created_by},
              {"created_at", core::format_rfc3339(c.created_at)}};
}

Json post_json(const app::CirclePostRecord& p) {
  return Json{{"id", p.id},
              {"circle_id", p.circle_id},
              {"user_id", p.user_id},
              {"display_name", p.display_name},
              {"body_md", p.body_md},
              {"photo_url", p.photo_type ? Json("/circle-posts/" + p.id + "/photo") : Json()},
              {"created_at", core::format_rfc3339(p.created_at)}};
}

Response document(const core::Error& error, const Request& request) {
  if (request.path.starts_with("/api/")) return error_response(error);
  return text_response(status_of(error.kind), error.message + "\n");
}

Response typed(std::string body, const std::string& content_type, const std::string& filename) {
  Response response = text_response(200, std::move(body));
  response.content_type = content_type;
  if (!filename.empty())
    response.header("Content-Disposition", "inline; filename=\"" + filename + "\"");
  return response;
}

core::CalendarEvent calendar_event(Services& services, const app::EventRecord& e,
                                   const std::string& org_name, bool show_link) {
  const std::string base = services.options.public_url;
  core::CalendarEvent c;
  c.uid = e.id + "@essor";
  c.stamp = e.created_at;
  c.starts_at = e.starts_at;
  c.ends_at = e.ends_at;
  c.summary = e.title;
  c.sequence = e.sequence;
  c.cancelled = e.cancelled_at.has_value();
  c.description = e.description_md;
  if (!org_name.empty()) c.description = org_name + "\n\n" + c.description;
  if (e.online_url) {
    c.description += show_link ? "\n\nEn ligne : " + *e.online_url
                               : "\n\nEn ligne : le lien est donné aux personnes inscrites.";
  }
  c.location = e.location  ? e.location
               : show_link ? e.online_url
                           : std::optional<std::string>("En ligne");
  c.url = base + "/events/" + e.id;
  return c;
}

Response event_ics(Services& services, Request& request) {
  auto view = services.community.events.event(reader_of(services, request), request.params["id"]);
  if (!view) return document(view.error(), request);
  const bool show_link = view->show_link;
  return typed(
      core::icalendar("", {calendar_event(services, view->event, view->org_name, show_link)}),
      "text/calendar; charset=utf-8", "event-" + view->event.id + ".ics");
}

Response org_ics(Services& services, Request& request) {
  const core::OrgId org_id = request.id<core::OrgId>();
  auto org = services.orgs.get(org_id);
  if (!org) return document(org.error(), request);
  // Every event not over or over within the year, however many.
  auto events = services.community.events.org_events(org_id, app::Events::Span::calendar,
                                                     std::numeric_limits<std::int64_t>::max());
  if (!events) return document(events.error(), request);
  std::vector<core::CalendarEvent> items;
  for (const auto& e : *events) items.push_back(calendar_event(services, e, org->name, false));
  return typed(core::icalendar(org->name, items), "text/calendar; charset=utf-8",
               "events-" + org_id + ".ics");
}

Response updates_atom(Services& services, Request& request) {
  const auto id = request.id<core::CampaignId>();
  const auto who = reader_of(services, request);
  auto campaign = services.campaigns.get(who, id);
  if (!campaign) return document(campaign.error(), request);
  auto updates = services.community.discussion.updates(who, id, 50, 0);
  if (!updates) return document(updates.error(), request);
  const std::string base = services.options.public_url;
  core::AtomFeed feed;
  feed.id = base + "/campaigns/" + id + "/updates";
  feed.title = campaign->campaign.title;
  feed.link = base + "/campaigns/" + id;
  feed.self_link = base + "/campaigns/" + id + "/updates.atom";
  feed.updated = campaign->campaign.created_at;
  for (const auto& u : *updates) {
    feed.updated = std::max(feed.updated, u.created_at);
    feed.entries.push_back({base + "/campaigns/" + id + "#update-" + u.id, u.title,
                            base + "/campaigns/" + id + "#update-" + u.id, u.author_name,
                            u.created_at, markdown_to_html(u.body_md)});
  }
  return typed(core::atom_xml(feed), "application/atom+xml; charset=utf-8", "");
}

Response org_atom(Services& services, Request& request) {
  const core::OrgId org_id = request.id<core::OrgId>();
  auto org = services.orgs.get(org_id);
  if (!org) return document(org.error(), request);
  auto activity = services.community.follows.org_activity(org_id, 50);
  if (!activity) return document(activity.error(), request);
  const std::string base = services.options.public_url;
  core::AtomFeed feed;
  feed.id = base + "/orgs/" + org_id + "/activity";
  feed.title = org->name;
  feed.link = base + "/orgs/" + org_id;
  feed.self_link = base + "/orgs/" + org_id + "/activity.atom";
  feed.updated = org->created_at;
  const std::string lang = negotiate_language(request);
  for (const auto& a : *activity) {
    feed.updated = std::max(feed.updated, a.created_at);
    const std::string text = app::worded(catalog_wording(), lang, a);
    feed.entries.push_back({base + "/activities/" + a.id, text, base + path_of(a), a.actor_name,
                            a.created_at, "<p>" + core::xml_escape(text) + "</p>"});
  }
  return typed(core::atom_xml(feed), "application/atom+xml; charset=utf-8", "");
}

// The optional parent_id and the body of a new comment.
Response post_comment(Services& services, Request& request, core::Subject target_type) {
  auto who = require_bearer(services, request);
  if (!who) return error_response(who.error());
  auto body = parse_json_object(request);
  if (!body) return error_response(body.error());
  std::map<std::string, std::string> problems;
  auto text = string_field(*body, "body_md", problems).value;
  if (!text) text = string_field(*body, "body", problems).value;
  const auto parent = string_field(*body, "parent_id", problems).value;
  if (!problems.empty()) return error_response(core::Error::validation(problems));
  auto c = services.community.discussion.comment(*who, target_type, request.params["id"],
                                                 text.value_or(""), parent);
  if (!c) return error_response(c.error());
  return json_response(201, Json{{"comment", comment_json(*c)}});
}

Response list_comments(Services& services, Request& request, core::Subject target_type) {
  auto page = page_request(request);
  if (!page) return error_response(page.error());
  auto list =
      services.community.discussion.comments(optional_bearer(services, request), target_type,
                                             request.params["id"], page->limit + 1, page->offset);
  if (!list) return error_response(list.error());
  const auto next = trim_to_page(*list, *page);
  Json items = Json::array();
  for (const auto& c : *list) items.push_back(comment_json(c));
  return json_response(200, list_body(items, next));
}

// {target_type, target_id} of a body; types: what the route takes, for the
// message when the type is unknown.
core::Result<std::pair<core::Subject, std::string>> target_of(const Json& body,
                                                              const std::string& types) {
  std::map<std::string, std::string> problems;
  const auto type = string_field(body, "target_type", problems).value;
  const auto id = string_field(body, "target_id", problems).value;
  const auto subject = type ? core::parse_subject(*type) : std::nullopt;
  if (!type) {
    problems.emplace("target_type", "required");
  } else if (!subject) {
    problems.emplace("target_type", "must be " + types);
  }
  if (!id || id->empty()) problems.emplace("target_id", "required");
  if (!problems.empty()) return core::Error::validation(problems);
  return std::make_pair(*subject, *id);
}

Response status_response(const core::Status& status, int success) {
  if (!status) return error_response(status.error());
  return success == 204 ? no_content() : json_response(success, Json::object());
}

}  // namespace

void add_community_routes(Router& router, Services& services) {
  // Documents, at both addresses; suffixed routes before plain ones.
  for (const std::string prefix : {"/api/v1", ""}) {
    router.add("GET", prefix + "/events/{id}.ics",
               [&services](Request& request) { return event_ics(services, request); });
    router.add("GET", prefix + "/orgs/{id}/events.ics",
               [&services](Request& request) { return org_ics(services, request); });
    router.add("GET", prefix + "/campaigns/{id}/updates.atom",
               [&services](Request& request) { return updates_atom(services, request); });
    router.add("GET", prefix + "/orgs/{id}/activity.atom",
               [&services](Request& request) { return org_atom(services, request); });
  }

  add_api(router, services, "POST", "/api/v1/campaigns/{id}/updates",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto title = string_field(*body, "title", problems).value;
            const auto text = string_field(*body, "body_md", problems).value;
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto update = services.community.discussion.post_update(
                who, request.id<core::CampaignId>(), title.value_or(""), text.value_or(""));
            if (!update) return error_response(update.error());
            return json_response(201, Json{{"update", update_json(*update)}});
          });

  router.add("GET", "/api/v1/campaigns/{id}/updates", [&services](Request& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    auto list = services.community.discussion.updates(optional_bearer(services, request),
                                                      request.id<core::CampaignId>(),
                                                      page->limit + 1, page->offset);
    if (!list) return error_response(list.error());
    const auto next = trim_to_page(*list, *page);
    Json items = Json::array();
    for (const auto& update : *list) items.push_back(update_json(update));
    return json_response(200, list_body(items, next));
  });

  router.add("GET", "/api/v1/updates/{id}", [&services](Request& request) {
    auto update = services.community.discussion.update(optional_bearer(services, request),
                                                       request.params["id"]);
    if (!update) return error_response(update.error());
    return json_response(200, Json{{"update", update_json(*update)}});
  });

  router.add("POST", "/api/v1/campaigns/{id}/comments", [&services](Request& request) {
    return post_comment(services, request, core::Subject::campaign);
  });
  router.add("GET", "/api/v1/campaigns/{id}/comments", [&services](Request& request) {
    return list_comments(services, request, core::Subject::campaign);
  });
  router.add("POST", "/api/v1/updates/{id}/comments", [&services](Request& request) {
    return post_comment(services, request, core::Subject::update);
  });
  router.add("GET", "/api/v1/updates/{id}/comments", [&services](Request& request) {
    return list_comments(services, request, core::Subject::update);
  });

  add_api(router, services, "POST", "/api/v1/reports",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            auto target = target_of(*body, "comment or update");
            if (!target) return error_response(target.error());
            std::map<std::string, std::string> problems;
            const auto reason = string_field(*body, "reason", problems).value;
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            return status_response(services.community.discussion.report(
                                       who, target->first, target->second, reason.value_or("")),
                                   201);
          });

  add_api(router, services, "GET", "/api/v1/moderation/reports",
          [&services](Request& request, const app::Principal& who) {
            auto reports = services.community.discussion.open_reports(who);
            if (!reports) return error_response(reports.error());
            Json items = Json::array();
            for (const auto& r : *reports) {
              items.push_back(Json{{"id", r.report.id},
                                   {"target_type", core::to_string(r.report.target_type)},
                                   {"target_id", r.report.target_id},
                                   {"reason", r.report.reason},
                                   {"excerpt", r.excerpt},
                                   {"url", r.link ? path(*r.link) : ""},
                                   {"created_at", core::format_rfc3339(r.report.created_at)}});
            }
            return paged_list(request, items);
          });

  for (const std::string action : {"hide", "dismiss"}) {
    add_api(router, services, "POST", "/api/v1/moderation/" + action,
            [&services, action](Request& request, const app::Principal& who) {
              auto body = parse_json_object(request);
              if (!body) return error_response(body.error());
              auto target = target_of(*body, "comment or update");
              if (!target) return error_response(target.error());
              return status_response(
                  action == "hide"
                      ? services.community.discussion.hide(who, target->first, target->second)
                      : services.community.discussion.dismiss(who, target->first, target->second),
                  204);
            });
  }

  add_api(router, services, "POST", "/api/v1/follows",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            auto target = target_of(*body, "org, campaign or user");
            if (!target) return error_response(target.error());
            auto follow = services.community.follows.follow(who, target->first, target->second);
            if (!follow) return error_response(follow.error());
            return json_response(
                201, Json{{"follow",
                           {{"target_type", core::to_string(follow->target_type)},
                            {"target_id", follow->target_id},
                            {"created_at", core::format_rfc3339(follow->created_at)}}}});
          });

  add_api(router, services, "DELETE", "/api/v1/follows/{type}/{id}",
          [&services](Request& request, const app::Principal& who) {
            const auto type = core::parse_subject(request.params["type"]);
            if (!type) return error_response(core::Error::not_found("You do not follow this."));
            return status_response(
                services.community.follows.unfollow(who, *type, request.params["id"]), 204);
          });

  add_api(router, services, "GET", "/api/v1/me/follows",
          [&services](Request& request, const app::Principal& who) {
            Json items = Json::array();
            for (const auto& f : services.community.follows.list(who)) {
              items.push_back(Json{{"target_type", core::to_string(f.target_type)},
                                   {"target_id", f.target_id},
                                   {"created_at", core::format_rfc3339(f.created_at)}});
            }
            return paged_list(request, items);
          });

  add_api(router, services, "GET", "/api/v1/me/feed",
          [&services](Request& request, const app::Principal& who) {
            auto page = page_request(request);
            if (!page) return error_response(page.error());
            auto list = services.community.follows.feed(who, page->limit + 1, page->offset);
            const auto next = trim_to_page(list, *page);
            Json items = Json::array();
            const std::string lang = negotiate_language(request);
            for (const auto& a : list) items.push_back(activity_json(lang, a));
            return json_response(200, list_body(items, next));
          });

  add_api(router, services, "GET", "/api/v1/me/notifications",
          [&services](Request& request, const app::Principal& who) {
            auto page = page_request(request);
            if (!page) return error_response(page.error());
            auto list = services.community.notifications.list(who, page->limit + 1, page->offset);
            const auto next = trim_to_page(list, *page);
            Json items = Json::array();
            const std::string lang = negotiate_language(request);
            for (const auto& n : list) {
              items.push_back(Json{{"id", n.id},
                                   {"kind", n.kind},
                                   {"text", app::worded(catalog_wording(), lang, n)},
                                   {"url", path_of(n)},
                                   {"created_at", core::format_rfc3339(n.created_at)},
                                   {"read", n.read_at.has_value()}});
            }
            Json body = list_body(items, next);
            body["unread"] = services.community.notifications.unread(who);
            return json_response(200, body);
          });

  add_api(
      router, services, "POST", "/api/v1/me/notifications/read",
      [&services](Request& request, const app::Principal& who) {
        std::vector<std::string> ids;
        if (!request.body.empty()) {
          auto body = parse_json_object(request);
          if (!body) return error_response(body.error());
          if (body->contains("ids")) {
            const auto& list = (*body)["ids"];
            if (!list.is_array() || list.size() > 500)
              return error_response(core::Error::validation({{"ids", "must be a list of ids"}}));
            for (const auto& id : list) {
              if (!id.is_string())
                return error_response(core::Error::validation({{"ids", "must be a list of ids"}}));
              ids.push_back(id.get<std::string>());
            }
          }
        }
        return json_response(
            200, Json{{"marked", services.community.notifications.mark_read(who, ids)}});
      });

  add_api(router, services, "GET", "/api/v1/me/notification-settings",
          [&services](Request&, const app::Principal& who) {
            return json_response(
                200,
                Json{{"mail", core::to_string(services.community.notifications.mail_mode(who))}});
          });

  add_api(router, services, "PUT", "/api/v1/me/notification-settings",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto word = string_field(*body, "mail", problems).value;
            const auto mode = core::parse_mail_mode(word.value_or(""));
            if (problems.empty() && !mode) problems["mail"] = "must be immediate, daily or none";
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto done = services.community.notifications.set_mail_mode(who, *mode);
            if (!done) return error_response(done.error());
            return json_response(200, Json{{"mail", core::to_string(*mode)}});
          });

  add_api(router, services, "POST", "/api/v1/orgs/{id}/events",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            app::EventInput in;
            in.title = string_field(*body, "title", problems).value.value_or("");
            in.description_md = string_field(*body, "description_md", problems).value.value_or("");
            for (const char* name : {"starts_at", "ends_at"}) {
              const auto text = string_field(*body, name, problems).value;
              const auto instant = text ? core::parse_rfc3339(*text) : std::nullopt;
              if (!instant) {
                problems.emplace(name, "required, as an RFC 3339 time");
              } else {
                (std::string(name) == "starts_at" ? in.starts_at : in.ends_at) = *instant;
              }
            }
            in.location = string_field(*body, "location", problems).value;
            in.online_url = string_field(*body, "online_url", problems).value;
            if (in.location && in.location->empty()) in.location.reset();
            if (in.online_url && in.online_url->empty()) in.online_url.reset();
            in.capacity = int_field(*body, "capacity", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto e = services.community.events.create_event(who, request.id<core::OrgId>(), in);
            if (!e) return error_response(e.error());
            return json_response(201, Json{{"event", event_json(*e, true)}});
          });

  add_api(router, services, "PATCH", "/api/v1/events/{id}",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            app::EventChanges changes;
            for (const char* name : {"title", "description_md"}) {
              const auto given = string_field(*body, name, problems);
              if (given.present)
                (std::string(name) == "title" ? changes.title : changes.description_md) =
                    given.value.value_or("");
            }
            for (const char* name : {"starts_at", "ends_at"}) {
              const auto given = string_field(*body, name, problems);
              if (!given.present) continue;
              const auto instant = given.value ? core::parse_rfc3339(*given.value) : std::nullopt;
              if (!instant) {
                problems.emplace(name, "an RFC 3339 time");
              } else {
                (std::string(name) == "starts_at" ? changes.starts_at : changes.ends_at) = *instant;
              }
            }
            // null or "" takes the place or the link away.
            for (const char* name : {"location", "online_url"}) {
              const auto given = string_field(*body, name, problems);
              if (given.present)
                (std::string(name) == "location" ? changes.location : changes.online_url) =
                    given.value && !given.value->empty() ? given.value : std::nullopt;
            }
            // null takes the limit away.
            if (body->contains("capacity"))
              changes.capacity = int_field(*body, "capacity", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto e = services.community.events.edit_event(who, request.params["id"], changes);
            if (!e) return error_response(e.error());
            return json_response(200, Json{{"event", event_json(*e, true)}});
          });

  add_api(router, services, "POST", "/api/v1/events/{id}/cancel",
          [&services](Request& request, const app::Principal& who) {
            auto e = services.community.events.cancel_event(who, request.params["id"]);
            if (!e) return error_response(e.error());
            return json_response(200, Json{{"event", event_json(*e, true)}});
          });

  router.add("GET", "/api/v1/orgs/{id}/events", [&services](Request& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    const auto span = request.query_params().count("all") == 0 ? app::Events::Span::upcoming
                                                               : app::Events::Span::all;
    auto list = services.community.events.org_events(request.id<core::OrgId>(), span,
                                                     page->limit + 1, page->offset);
    if (!list) return error_response(list.error());
    const auto next = trim_to_page(*list, *page);
    Json items = Json::array();
    for (const auto& e : *list) items.push_back(event_json(e));
    return json_response(200, list_body(items, next));
  });

  router.add("GET", "/api/v1/events/{id}", [&services](Request& request) {
    auto view =
        services.community.events.event(optional_bearer(services, request), request.params["id"]);
    if (!view) return error_response(view.error());
    Json event = event_json(view->event, view->show_link);
    event["waiting"] = view->waiting;
    Json body{{"event", event},
              {"registration", view->mine ? registration_json(*view->mine) : Json()}};
    if (view->can_manage) {
      Json people = Json::array();
      for (const auto& r : view->people) {
        Json item = registration_json(r);
        item["display_name"] = r.display_name;
        people.push_back(item);
      }
      body["registrations"] = people;
    }
    return json_response(200, body);
  });

  add_api(router, services, "POST", "/api/v1/events/{id}/registrations",
          [&services](Request& request, const app::Principal& who) {
            bool waitlist = false;
            if (!request.body.empty()) {
              auto body = parse_json_object(request);
              if (!body) return error_response(body.error());
              if (body->contains("waitlist")) {
                if (!(*body)["waitlist"].is_boolean())
                  return error_response(
                      core::Error::validation({{"waitlist", "must be true or false"}}));
                waitlist = (*body)["waitlist"].get<bool>();
              }
            }
            auto r = services.community.events.register_for(who, request.params["id"], waitlist);
            if (!r) return error_response(r.error());
            return json_response(201, Json{{"registration", registration_json(*r)}});
          });

  add_api(router, services, "DELETE", "/api/v1/events/{id}/registrations",
          [&services](Request& request, const app::Principal& who) {
            return status_response(services.community.events.unregister(who, request.params["id"]),
                                   204);
          });

  add_api(router, services, "POST", "/api/v1/circles",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto name = string_field(*body, "name", problems).value;
            const auto description = string_field(*body, "description", problems).value;
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto circle = services.community.circles.create_circle(who, name.value_or(""),
                                                                   description.value_or(""));
            if (!circle) return error_response(circle.error());
            return json_response(201, Json{{"circle", circle_json(*circle)}});
          });

  add_api(router, services, "GET", "/api/v1/circles",
          [&services](Request& request, const app::Principal& who) {
            Json items = Json::array();
            for (const auto& c : services.community.circles.circles(who))
              items.push_back(circle_json(c));
            return paged_list(request, items);
          });

  add_api(router, services, "GET", "/api/v1/circles/{id}",
          [&services](Request& request, const app::Principal& who) {
            auto view = services.community.circles.circle(who, request.params["id"], 1, 0);
            if (!view) return error_response(view.error());
            Json members = Json::array();
            for (const auto& m : view->members) {
              members.push_back(Json{{"user_id", m.user_id},
                                     {"display_name", m.display_name},
                                     {"joined_at", core::format_rfc3339(m.joined_at)}});
            }
            return json_response(200,
                                 Json{{"circle", circle_json(view->circle)}, {"members", members}});
          });

  add_api(router, services, "POST", "/api/v1/circles/{id}/members",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto email = string_field(*body, "email", problems).value;
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto invitation = services.invitations.invite_to_circle(who, request.params["id"],
                                                                    email.value_or(""));
            if (!invitation) return error_response(invitation.error());
            return json_response(202, Json{{"invitation", invitation_json(*invitation)}});
          });

  add_api(router, services, "DELETE", "/api/v1/circles/{id}/members/{user_id}",
          [&services](Request& request, const app::Principal& who) {
            auto status = services.community.circles.leave_circle(
                who, request.params["id"], request.id<core::UserId>("user_id"));
            if (!status) return error_response(status.error());
            return no_content();
          });

  add_api(router, services, "POST", "/api/v1/circles/{id}/posts",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto text = string_field(*body, "body_md", problems).value;
            const auto photo64 = string_field(*body, "photo_base64", problems).value;
            std::optional<std::string> photo;
            if (photo64 && !photo64->empty()) {
              photo = core::base64_decode(*photo64);
              if (!photo) problems.emplace("photo_base64", "must be base64");
            }
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto post = services.community.circles.post_in_circle(who, request.params["id"],
                                                                  text.value_or(""), photo);
            if (!post) return error_response(post.error());
            return json_response(201, Json{{"post", post_json(*post)}});
          });

  add_api(router, services, "GET", "/api/v1/circles/{id}/posts",
          [&services](Request& request, const app::Principal& who) {
            auto page = page_request(request);
            if (!page) return error_response(page.error());
            auto view = services.community.circles.circle(who, request.params["id"], page->limit,
                                                          page->offset);
            if (!view) return error_response(view.error());
            Json items = Json::array();
            for (const auto& p : view->posts) items.push_back(post_json(p));
            return json_response(
                200, list_body(items, view->more ? std::optional(page->offset + page->limit)
                                                 : std::nullopt));
          });

  router.add("GET", "/api/v1/search", [&services](Request& request) {
    const auto query = request.query_params();
    const std::string q = query.count("q") ? query.at("q") : "";
    if (q.size() > 200)
      return error_response(core::Error::validation({{"q", "too long (200 characters at most)"}}));
    auto found = services.community.search(q, 20);
    app::CampaignFilter filter;
    filter.query = q;
    filter.limit = 20;
    Json campaigns = Json::array();
    if (!q.empty()) {
      auto list = services.campaigns.list(optional_bearer(services, request), filter);
      if (list) {
        for (const auto& c : list->items) campaigns.push_back(campaign_json(c));
      }
    }
    Json orgs = Json::array();
    for (const auto& o : found.orgs) orgs.push_back(org_json(o));
    Json events = Json::array();
    for (const auto& e : found.events) events.push_back(event_json(e));
    return json_response(200, Json{{"campaigns", campaigns}, {"orgs", orgs}, {"events", events}});
  });
}

}  // namespace essor::web
