// ActivityPub and WebFinger (spec "Federation (ActivityPub)"): the
// organisations' actors, outboxes and followers' counts, and the inboxes.
// Everything answers 404 when ESSOR_FEDERATION=off.
#include "core/id.hpp"
#include "web/json_api.hpp"
#include "web/routes.hpp"

namespace essor::web {

namespace {

constexpr const char* kActivityJson = "application/activity+json";

Response activity_response(int status, const Json& body) {
  Response response = json_response(status, body);
  response.content_type = kActivityJson;
  response.header("Access-Control-Allow-Origin", "*");
  return response;
}

Json actor_json(const app::ActorView& view) {
  const auto& urls = view.urls;
  return Json{{"@context", Json::array({"https://www.w3.org/ns/activitystreams",
                                        "https://w3id.org/security/v1"})},
              {"id", urls.id},
              {"type", "Group"},
              {"preferredUsername", view.actor.handle},
              {"name", view.org.name},
              {"summary", view.org.description},
              {"url", urls.page},
              {"inbox", urls.inbox},
              {"outbox", urls.outbox},
              {"followers", urls.followers},
              {"manuallyApprovesFollowers", false},
              {"discoverable", true},
              {"endpoints", {{"sharedInbox", urls.shared_inbox}}},
              {"publicKey",
               {{"id", urls.key_id}, {"owner", urls.id}, {"publicKeyPem", view.actor.public_pem}}}};
}

Response inbox(Services& services, Request& request, const core::OrgId& org_id) {
  app::InboxRequest inbound;
  inbound.org_id = org_id;
  inbound.method = request.method;
  inbound.target = request.path + (request.query.empty() ? "" : "?" + request.query);
  for (const auto& [name, value] : request.headers) inbound.headers.emplace(name, value);
  inbound.body = request.body;
  inbound.client_address = request.client_address;
  auto received = services.federation.receive(inbound);
  if (!received) {
    Response response = error_response(received.error());
    // 401 here names HTTP Signatures, not a bearer token.
    for (auto& [name, value] : response.headers) {
      if (name == "WWW-Authenticate") value = "Signature realm=\"essor\"";
    }
    return response;
  }
  Response response;
  response.status = 202;
  response.content_type = "text/plain; charset=utf-8";
  return response;
}

}  // namespace

void add_federation_routes(Router& router, Services& services) {
  router.add("GET", "/.well-known/webfinger", [&services](Request& request) {
    auto& federation = services.federation;
    const auto query = request.query_params();
    const auto it = query.find("resource");
    if (it == query.end() || it->second.empty())
      return error_response(core::Error::validation({{"resource", "acct:handle@host"}}));
    std::string resource = it->second;
    std::string handle;
    if (resource.starts_with("acct:")) {
      resource = resource.substr(5);
      if (!resource.empty() && resource.front() == '@') resource.erase(resource.begin());
      const auto at = resource.rfind('@');
      if (at == std::string::npos || resource.substr(at + 1) != federation.host())
        return error_response(core::Error::not_found("No such account on this server."));
      handle = resource.substr(0, at);
    } else {
      return error_response(core::Error::not_found("No such account on this server."));
    }
    auto view = federation.by_handle(handle);
    if (!view) return error_response(view.error());
    Json body = {
        {"subject", "acct:" + view->actor.handle + "@" + federation.host()},
        {"aliases", Json::array({view->urls.id, view->urls.page})},
        {"links", Json::array({{{"rel", "self"}, {"type", kActivityJson}, {"href", view->urls.id}},
                               {{"rel", "http://webfinger.net/rel/profile-page"},
                                {"type", "text/html"},
                                {"href", view->urls.page}}})}};
    Response response = json_response(200, body);
    response.content_type = "application/jrd+json";
    response.header("Access-Control-Allow-Origin", "*");
    return response;
  });

  router.add("GET", "/ap/orgs/{id}", [&services](Request& request) {
    auto view = services.federation.actor(request.id<core::OrgId>());
    if (!view) return error_response(view.error());
    return activity_response(200, actor_json(*view));
  });

  router.add("GET", "/ap/orgs/{id}/outbox", [&services](Request& request) {
    const auto id = request.id<core::OrgId>();
    auto items = services.federation.outbox(id, 20);
    if (!items) return error_response(items.error());
    const auto urls = services.federation.urls_of(id);
    Json ordered = Json::array();
    for (const auto& item : *items) {
      Json activity = Json::parse(item.activity, nullptr, false);
      if (!activity.is_discarded()) ordered.push_back(activity);
    }
    auto view = services.federation.actor(id);
    return activity_response(
        200, Json{{"@context", "https://www.w3.org/ns/activitystreams"},
                  {"id", urls.outbox},
                  {"type", "OrderedCollection"},
                  {"totalItems", view ? view->outbox : static_cast<std::int64_t>(ordered.size())},
                  {"orderedItems", ordered}});
  });

  // Who follows is theirs to tell: the count only.
  router.add("GET", "/ap/orgs/{id}/followers", [&services](Request& request) {
    auto view = services.federation.actor(request.id<core::OrgId>());
    if (!view) return error_response(view.error());
    return activity_response(200, Json{{"@context", "https://www.w3.org/ns/activitystreams"},
                                       {"id", view->urls.followers},
                                       {"type", "OrderedCollection"},
                                       {"totalItems", view->followers}});
  });

  router.add("POST", "/ap/orgs/{id}/inbox", [&services](Request& request) {
    return inbox(services, request, request.id<core::OrgId>());
  });
  router.add("POST", "/ap/inbox",
             [&services](Request& request) { return inbox(services, request, core::OrgId{}); });
}

}  // namespace essor::web
