#include "core/subject.hpp"

#include "core/words.hpp"

namespace essor::core {

std::string to_string(Subject subject) {
  switch (subject) {
    case Subject::org:
      return "org";
    case Subject::campaign:
      return "campaign";
    case Subject::update:
      return "update";
    case Subject::comment:
      return "comment";
    case Subject::proposal:
      return "proposal";
    case Subject::user:
      return "user";
    case Subject::event:
      return "event";
    case Subject::circle:
      return "circle";
    case Subject::circle_post:
      return "circle_post";
    case Subject::draft:
      return "draft";
    case Subject::assembly:
      return "assembly";
    case Subject::call:
      return "call";
  }
  return "org";
}

std::optional<Subject> parse_subject(std::string_view text) {
  return parse_word(text, {Subject::org, Subject::campaign, Subject::update, Subject::comment,
                           Subject::proposal, Subject::user, Subject::event, Subject::circle,
                           Subject::circle_post, Subject::draft, Subject::assembly, Subject::call});
}

bool commentable(Subject subject) {
  return subject == Subject::campaign || subject == Subject::update || subject == Subject::proposal;
}

bool reportable(Subject subject) {
  return subject == Subject::comment || subject == Subject::update;
}

bool followable(Subject subject) {
  return subject == Subject::org || subject == Subject::campaign || subject == Subject::user;
}

std::string to_string(Place place) {
  switch (place) {
    case Place::campaign:
      return "campaign";
    case Place::proposal:
      return "proposal";
    case Place::amendments:
      return "amendments";
    case Place::event:
      return "event";
    case Place::circle:
      return "circle";
    case Place::draft:
      return "draft";
    case Place::assembly:
      return "assembly";
    case Place::org:
      return "org";
    case Place::call:
      return "call";
    case Place::pledge:
      return "pledge";
    case Place::wiki_page:
      return "wiki_page";
    case Place::recurring_gifts:
      return "recurring_gifts";
    case Place::notification_settings:
      return "notification_settings";
    case Place::unsubscribe:
      return "unsubscribe";
    case Place::verify_email:
      return "verify_email";
    case Place::password_reset:
      return "password_reset";
    case Place::claim:
      return "claim";
    case Place::invitation:
      return "invitation";
    case Place::my_memberships:
      return "my_memberships";
    case Place::my_receipts:
      return "my_receipts";
  }
  return "campaign";
}

std::string to_string(Anchor anchor) {
  switch (anchor) {
    case Anchor::none:
      return "";
    case Anchor::update:
      return "update";
    case Anchor::comment:
      return "comment";
    case Anchor::post:
      return "post";
    case Anchor::governance:
      return "governance";
    case Anchor::adhesion:
      return "adhesion";
  }
  return "";
}

std::string to_text(const Link& link) {
  std::string out = to_string(link.place) + ":" + link.id;
  if (link.anchor != Anchor::none) out += "#" + to_string(link.anchor) + ":" + link.anchor_id;
  return out;
}

std::optional<Link> parse_link(std::string_view text) {
  const auto hash = text.find('#');
  const auto page = text.substr(0, hash);
  const auto colon = page.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto place = parse_word(page.substr(0, colon), {Place::campaign,
                                                        Place::proposal,
                                                        Place::amendments,
                                                        Place::event,
                                                        Place::circle,
                                                        Place::draft,
                                                        Place::assembly,
                                                        Place::org,
                                                        Place::call,
                                                        Place::pledge,
                                                        Place::wiki_page,
                                                        Place::recurring_gifts,
                                                        Place::notification_settings,
                                                        Place::unsubscribe,
                                                        Place::verify_email,
                                                        Place::password_reset,
                                                        Place::claim,
                                                        Place::invitation,
                                                        Place::my_memberships,
                                                        Place::my_receipts});
  if (!place) return std::nullopt;
  Link link;
  link.place = *place;
  link.id = std::string(page.substr(colon + 1));
  if (hash == std::string_view::npos) return link;
  const auto part = text.substr(hash + 1);
  const auto part_colon = part.find(':');
  if (part_colon == std::string_view::npos) return std::nullopt;
  const auto anchor = parse_word(
      part.substr(0, part_colon),
      {Anchor::update, Anchor::comment, Anchor::post, Anchor::governance, Anchor::adhesion});
  if (!anchor) return std::nullopt;
  link.anchor = *anchor;
  link.anchor_id = std::string(part.substr(part_colon + 1));
  return link;
}

}  // namespace essor::core
