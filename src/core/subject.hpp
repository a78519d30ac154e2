// What community rows are about, and the places of the site they point to.
//
// A Subject names the kind of thing a comment, a report, a follow, an
// activity or a notification is about; it is stored and sent as the word
// to_string gives. A Link names a place of the site by what it shows
// (a campaign, one of its news, a comment under it…); app names places
// without knowing the routes, and only the web layer spells a Link as a
// path (web/links.cpp). Rows keep a Link in its stored form (to_text).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace essor::core {

enum class Subject {
  org,
  campaign,
  update,  // a campaign's news
  comment,
  proposal,
  user,
  event,
  circle,
  circle_post,
  draft,
  assembly,
  call,
};
std::optional<Subject> parse_subject(std::string_view text);
std::string to_string(Subject subject);

// What may be commented, reported and followed.
bool commentable(Subject subject);  // campaign, update, proposal
bool reportable(Subject subject);   // comment, update
bool followable(Subject subject);   // org, campaign, user

// A page of the site.
enum class Place {
  campaign,
  proposal,
  amendments,  // a proposal's amendments
  event,
  circle,
  draft,
  assembly,
  org,
  call,
  pledge,
  wiki_page,
  recurring_gifts,        // the reader's own
  notification_settings,  // the reader's own
  unsubscribe,            // id: the unsubscribe token
  verify_email,           // id: the link's token
  password_reset,         // id: the link's token
  claim,                  // id: a guest's claim token
  invitation,             // id: the invitation's token
  my_memberships,         // the reader's own
  my_receipts,            // the reader's own
};
// A part of a page.
enum class Anchor { none, update, comment, post, governance, adhesion };

struct Link {
  Link() = default;
  Link(Place place_, std::string id_, Anchor anchor_ = Anchor::none, std::string anchor_id_ = "")
      : place(place_), id(std::move(id_)), anchor(anchor_), anchor_id(std::move(anchor_id_)) {}
  Place place = Place::campaign;
  std::string id;
  Anchor anchor = Anchor::none;
  std::string anchor_id;
  bool operator==(const Link&) const = default;
};

// The stored form, "place:id" or "place:id#anchor:anchor_id"; parse_link
// reads it back (nothing for any other text).
std::string to_text(const Link& link);
std::optional<Link> parse_link(std::string_view text);
std::string to_string(Place place);
std::string to_string(Anchor anchor);

}  // namespace essor::core
