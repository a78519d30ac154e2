#include "web/links.hpp"

#include "core/cowriting.hpp"

namespace essor::web {

namespace {

std::string page_path(const core::Link& link) {
  switch (link.place) {
    case core::Place::campaign:
      return "/campaigns/" + link.id;
    case core::Place::proposal:
      return "/proposals/" + link.id;
    case core::Place::amendments:
      return "/proposals/" + link.id + "/amendments";
    case core::Place::event:
      return "/events/" + link.id;
    case core::Place::circle:
      return "/circles/" + link.id;
    case core::Place::draft:
      return "/drafts/" + link.id;
    case core::Place::assembly:
      return "/assemblies/" + link.id;
    case core::Place::org:
      return "/orgs/" + link.id;
    case core::Place::call:
      return "/calls/" + link.id;
    case core::Place::pledge:
      return "/pledges/" + link.id;
    case core::Place::wiki_page:
      return "/pages/" + link.id;
    case core::Place::recurring_gifts:
      return "/me/recurring-gifts";
    case core::Place::notification_settings:
      return "/me/notifications";
    case core::Place::unsubscribe:
      return "/unsubscribe/" + link.id;
    case core::Place::verify_email:
      return "/verify-email/" + link.id;
    case core::Place::password_reset:
      return "/password-reset/" + link.id;
    case core::Place::claim:
      return "/claim/" + link.id;
    case core::Place::invitation:
      return "/invitations/" + link.id;
    case core::Place::my_memberships:
      return "/me/memberships";
    case core::Place::my_receipts:
      return "/me/receipts";
  }
  return "/";
}

}  // namespace

std::string path(const core::Link& link) {
  std::string out = page_path(link);
  switch (link.anchor) {
    case core::Anchor::none:
      break;
    case core::Anchor::update:
      out += "#update-" + link.anchor_id;
      break;
    case core::Anchor::comment:
      out += "#comment-" + link.anchor_id;
      break;
    case core::Anchor::post:
      out += "#post-" + link.anchor_id;
      break;
    case core::Anchor::governance:
      out += "#governance";
      break;
    case core::Anchor::adhesion:
      out += "#adhesion";
      break;
  }
  return out;
}

std::string linked_md(const std::string& body_md,
                      const std::map<std::string, std::string>& linked_pages) {
  return core::link_pages(body_md, [&](const std::string& title) -> std::optional<std::string> {
    const auto it = linked_pages.find(title);
    if (it == linked_pages.end()) return std::nullopt;
    return path({core::Place::wiki_page, it->second});
  });
}

}  // namespace essor::web
