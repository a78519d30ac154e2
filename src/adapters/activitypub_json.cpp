#include "adapters/activitypub_json.hpp"

#include <nlohmann/json.hpp>

#include "core/money.hpp"
#include "core/time.hpp"

namespace essor::adapters {

namespace {

using Json = nlohmann::json;

constexpr const char* kPublic = "https://www.w3.org/ns/activitystreams#Public";

std::optional<Json> parse(const std::string& body) {
  Json json = Json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  return json;
}

std::string text_of(const Json& json, const char* name) {
  const auto it = json.find(name);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A property that is a URL string or an object with an "id".
std::string id_of(const Json& json, const char* name) {
  const auto it = json.find(name);
  if (it == json.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) return text_of(*it, "id");
  return {};
}

// Markdown shown as plain paragraphs: the fediverse renders HTML; nothing
// of the text is trusted as markup.
std::string escaped_paragraphs(const std::string& text) {
  std::string out = "<p>";
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        out += c;
    }
  }
  return out + "</p>";
}

}  // namespace

std::optional<app::InboundActivity> ActivityPubJson::parse_inbound(const std::string& body) const {
  const auto json = parse(body);
  if (!json) return std::nullopt;
  app::InboundActivity out;
  out.id = text_of(*json, "id");
  out.type = text_of(*json, "type");
  out.actor = id_of(*json, "actor");
  if (out.type.empty() || out.actor.empty()) return std::nullopt;
  if (const auto object = json->find("object"); object != json->end()) {
    if (object->is_string()) {
      out.object_id = object->get<std::string>();
    } else if (object->is_object()) {
      out.object_id = text_of(*object, "id");
      out.object_type = text_of(*object, "type");
      out.object_actor = id_of(*object, "actor");
      out.object_object = id_of(*object, "object");
    }
  }
  return out;
}

std::optional<app::RemoteActor> ActivityPubJson::parse_actor(const std::string& body,
                                                             const std::string& key_id) const {
  const auto json = parse(body);
  if (!json) return std::nullopt;
  app::RemoteActor out;
  // The document is the key itself, or an actor that lists it.
  const Json* key = nullptr;
  if (text_of(*json, "id") == key_id && json->contains("publicKeyPem")) {
    key = &*json;
  } else if (const auto it = json->find("publicKey"); it != json->end()) {
    if (it->is_object() && text_of(*it, "id") == key_id) key = &*it;
    if (it->is_array()) {
      for (const auto& candidate : *it)
        if (candidate.is_object() && text_of(candidate, "id") == key_id) key = &candidate;
    }
  }
  if (!key) return std::nullopt;
  out.key_id = key_id;
  out.key_owner = id_of(*key, "owner");
  out.public_pem = text_of(*key, "publicKeyPem");
  if (out.public_pem.empty()) return std::nullopt;
  if (key != &*json) {
    out.id = text_of(*json, "id");
    out.inbox = text_of(*json, "inbox");
    if (const auto endpoints = json->find("endpoints");
        endpoints != json->end() && endpoints->is_object()) {
      const std::string shared = text_of(*endpoints, "sharedInbox");
      if (!shared.empty()) out.shared_inbox = shared;
    }
  }
  return out;
}

std::string ActivityPubJson::accept(const app::ActorUrls& actor, const std::string& accept_id,
                                    const std::string& follow_body) const {
  Json follow = Json::parse(follow_body, nullptr, false);
  Json object;
  if (follow.is_object()) {
    // The Follow as it came, without its context.
    object = {{"id", follow.value("id", "")},
              {"type", "Follow"},
              {"actor", follow.contains("actor") ? follow["actor"] : Json()},
              {"object", actor.id}};
  }
  return Json{{"@context", "https://www.w3.org/ns/activitystreams"},
              {"id", accept_id},
              {"type", "Accept"},
              {"actor", actor.id},
              {"object", object}}
      .dump();
}

namespace {

Json event_object(const app::PublicItem& item, const std::string& public_url) {
  const std::string url = public_url + "/events/" + item.id;
  Json object = {{"id", url},
                 {"type", "Event"},
                 {"name", item.title},
                 {"content", escaped_paragraphs(item.text_md)},
                 {"startTime", core::format_rfc3339(item.starts_at)},
                 {"endTime", core::format_rfc3339(item.ends_at)},
                 {"url", url}};
  if (item.location) object["location"] = {{"type", "Place"}, {"name", *item.location}};
  return object;
}

// An activity of the organisation about object, both addressed to the
// public and to its followers.
std::string public_activity(const app::ActorUrls& actor, Json context, const std::string& id,
                            const char* type, const std::string& published, Json object) {
  object["attributedTo"] = actor.id;
  object["to"] = Json::array({kPublic});
  object["cc"] = Json::array({actor.followers});
  return Json{{"@context", std::move(context)},
              {"id", id},
              {"type", type},
              {"actor", actor.id},
              {"published", published},
              {"to", Json::array({kPublic})},
              {"cc", Json::array({actor.followers})},
              {"object", std::move(object)}}
      .dump();
}

}  // namespace

std::string ActivityPubJson::update(const app::ActorUrls& actor, const app::PublicItem& item,
                                    const std::string& public_url, core::TimestampMs at) const {
  Json object = event_object(item, public_url);
  const std::string updated = core::format_rfc3339(at);
  object["published"] = core::format_rfc3339(item.at);
  object["updated"] = updated;
  // Mobilizon's word for a cancelled event (iCalendar's STATUS).
  object["ical:status"] = item.cancelled ? "CANCELLED" : "CONFIRMED";
  return public_activity(
      actor,
      Json::array({"https://www.w3.org/ns/activitystreams",
                   {{"ical", "http://www.w3.org/2002/12/cal/ical#"}}}),
      actor.id + "/activities/event-" + item.id + "/" + std::to_string(item.sequence), "Update",
      updated, std::move(object));
}

std::string ActivityPubJson::create(const app::ActorUrls& actor, const app::PublicItem& item,
                                    const std::string& public_url) const {
  Json object;
  const std::string published = core::format_rfc3339(item.at);
  switch (item.kind) {
    case app::PublicKind::event:
      object = event_object(item, public_url);
      break;
    case app::PublicKind::news: {
      const std::string url = public_url + "/campaigns/" + item.campaign_id + "#news-" + item.id;
      object = {{"id", url},
                {"type", "Article"},
                {"name", item.title},
                {"content", escaped_paragraphs(item.text_md)},
                {"url", url}};
      break;
    }
    case app::PublicKind::launch: {
      const std::string url = public_url + "/campaigns/" + item.id;
      // A launch: the title, the link and the goal (a public total).
      object = {
          {"id", url + "#launch"},
          {"type", "Note"},
          {"content", escaped_paragraphs(item.title + "\n" + item.text_md + "\n" +
                                         "Objectif : " + core::format_eur(item.goal_cents, "fr")) +
                          "<p><a href=\"" + url + "\">" + url + "</a></p>"},
          {"url", url}};
      break;
    }
  }
  object["published"] = published;
  return public_activity(actor, "https://www.w3.org/ns/activitystreams",
                         actor.id + "/activities/" + app::to_string(item.kind) + "-" + item.id,
                         "Create", published, std::move(object));
}

}  // namespace essor::adapters
