// JSON API, spec "Co-creation": drafts written together, amendments to open
// proposals, shared pages; plus the reads of docs/api.md (lists, comments,
// revisions, amendments' diffs).
#include "core/time.hpp"
#include "web/json_api.hpp"
#include "web/links.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"

namespace essor::web {

namespace {

Json author_json(const app::Author& a) {
  return Json{{"id", a.user_id}, {"display_name", a.display_name}};
}

Json draft_json(const app::DraftRecord& d) {
  Json coauthors = Json::array();
  for (const auto& a : d.coauthors) coauthors.push_back(author_json(a));
  return Json{{"id", d.id},
              {"org_id", d.org_id},
              {"title", d.title},
              {"body_md", d.body_md},
              {"revision", d.revision},
              {"coauthors", coauthors},
              {"status", d.proposal_id ? "published" : "draft"},
              {"proposal_id", d.proposal_id ? Json(*d.proposal_id) : Json()},
              {"created_at", core::format_rfc3339(d.created_at)},
              {"updated_at", core::format_rfc3339(d.updated_at)}};
}

Json revision_json(const app::RevisionRecord& r) {
  Json out = {{"n", r.n},
              {"title", r.title},
              {"body_md", r.body_md},
              {"note", r.note},
              {"created_at", core::format_rfc3339(r.created_at)}};
  // Who wrote a public page's revisions is for the organisation's members.
  out["author"] = r.author_id.empty() ? Json() : author_json({r.author_id, r.author_name});
  return out;
}

Json amendment_json(const app::AmendmentRecord& a) {
  return Json{{"id", a.id},
              {"proposal_id", a.proposal_id},
              {"body_md", a.body_md},
              {"rationale", a.rationale},
              {"status", core::to_string(a.status)},
              {"author", author_json({a.created_by, a.author_name})},
              {"created_at", core::format_rfc3339(a.created_at)},
              {"decided_at", a.decided_at ? Json(core::format_rfc3339(*a.decided_at)) : Json()}};
}

Json page_json(const app::WikiPageRecord& p) {
  return Json{{"id", p.id},
              {"org_id", p.org_id},
              {"title", p.title},
              {"body_md", p.body_md},
              {"visibility", core::to_string(p.visibility)},
              {"revision", p.revision},
              {"created_at", core::format_rfc3339(p.created_at)},
              {"updated_at", core::format_rfc3339(p.updated_at)}};
}

Json comment_json(const app::DraftComment& c) {
  return Json{{"id", c.id},
              {"author", author_json({c.user_id, c.author_name})},
              {"body", c.body},
              {"created_at", core::format_rfc3339(c.created_at)}};
}

const char* op_name(core::DiffOp op) {
  switch (op) {
    case core::DiffOp::same:
      return "same";
    case core::DiffOp::removed:
      return "removed";
    case core::DiffOp::added:
      return "added";
  }
  return "same";
}

// JSON, or the unified diff itself for ?format=unified (text/x-diff).
Response diff_response(const Request& request, const core::Result<app::DocDiff>& diff) {
  if (!diff) return error_response(diff.error());
  const auto query = request.query_params();
  if (auto it = query.find("format"); it != query.end() && it->second == "unified") {
    Response response;
    response.status = 200;
    response.content_type = "text/x-diff; charset=utf-8";
    response.body = diff->unified;
    return response;
  }
  Json lines = Json::array();
  for (const auto& line : diff->lines) {
    lines.push_back(Json{{"op", op_name(line.op)},
                         {"text", line.text},
                         {"old_no", line.old_no ? Json(line.old_no) : Json()},
                         {"new_no", line.new_no ? Json(line.new_no) : Json()}});
  }
  return json_response(200, Json{{"from", diff->from.n},
                                 {"to", diff->to.n},
                                 {"unified", diff->unified},
                                 {"lines", lines}});
}

// A revision number from the path or the query: 1 or more.
std::optional<std::int64_t> revision_number(const std::string& text) {
  const auto n = text.size() <= 9 ? whole_number(text) : std::nullopt;
  if (!n || *n < 1) return std::nullopt;
  return n;
}

// The n of the path and ?from= of a diff request.
core::Result<std::pair<std::int64_t, std::optional<std::int64_t>>> diff_request(Request& request) {
  const auto n = revision_number(request.params["n"]);
  if (!n) return core::Error::validation({{"n", "a revision number (1 or more)"}});
  std::optional<std::int64_t> from;
  const auto query = request.query_params();
  if (auto it = query.find("from"); it != query.end()) {
    from = revision_number(it->second);
    if (!from) return core::Error::validation({{"from", "a revision number (1 or more)"}});
  }
  return std::make_pair(*n, from);
}

// {body_md, base_revision, title?, visibility?}
core::Result<app::DocEdit> doc_edit(const Request& request, bool with_visibility) {
  auto body = parse_json_object(request);
  if (!body) return body.error();
  std::map<std::string, std::string> problems;
  app::DocEdit edit;
  edit.body_md = required_string(*body, "body_md", problems).value_or("");
  edit.title = string_field(*body, "title", problems).value;
  const auto base = int_field(*body, "base_revision", problems);
  if (!base && !problems.count("base_revision"))
    problems["base_revision"] = "required: the revision your text started from";
  edit.base_revision = base.value_or(0);
  if (with_visibility) edit.visibility = string_field(*body, "visibility", problems).value;
  if (!problems.empty()) return core::Error::validation(problems);
  return edit;
}

// 409 edit_conflict carries the text as it is now, so nothing typed is lost
// and the writer can merge.
Response edit_conflict(const core::Error& error, const Json& current) {
  Response response = error_response(error);
  Json body = Json::parse(response.body);
  body["error"]["current"] = current;
  response.body = body.dump();
  return response;
}

}  // namespace

void add_cowriting_routes(Router& router, Services& services) {
  // --- Drafts ---
  add_api(router, services, "POST", "/api/v1/orgs/{id}/drafts",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto title = string_field(*body, "title", problems).value.value_or("");
            const auto text = string_field(*body, "body_md", problems).value.value_or("");
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto draft =
                services.cowriting.start_draft(who, request.id<core::OrgId>(), title, text);
            if (!draft) return error_response(draft.error());
            return json_response(201, Json{{"draft", draft_json(*draft)}});
          });

  add_api(router, services, "GET", "/api/v1/orgs/{id}/drafts",
          [&services](Request& request, const app::Principal& who) {
            const auto page = page_request(request);
            if (!page) return error_response(page.error());
            auto drafts = services.cowriting.drafts_of_org(who, request.id<core::OrgId>(),
                                                           page->limit + 1, page->offset);
            if (!drafts) return error_response(drafts.error());
            const auto next = trim_to_page(*drafts, *page);
            Json items = Json::array();
            for (const auto& d : *drafts) items.push_back(draft_json(d));
            return json_response(200, list_body(items, next));
          });

  add_api(router, services, "GET", "/api/v1/drafts/{id}",
          [&services](Request& request, const app::Principal& who) {
            auto view = services.cowriting.draft(who, request.params["id"]);
            if (!view) return error_response(view.error());
            Json comments = Json::array();
            for (const auto& c : view->comments) comments.push_back(comment_json(c));
            return json_response(200, Json{{"draft", draft_json(view->draft)},
                                           {"comments", comments},
                                           {"may_edit", view->may_edit}});
          });

  add_api(router, services, "PUT", "/api/v1/drafts/{id}",
          [&services](Request& request, const app::Principal& who) {
            auto edit = doc_edit(request, false);
            if (!edit) return error_response(edit.error());
            auto draft = services.cowriting.edit_draft(who, request.params["id"], *edit);
            if (!draft) {
              if (draft.error().code == "edit_conflict") {
                if (auto now = services.cowriting.draft(who, request.params["id"])) {
                  return edit_conflict(draft.error(), Json{{"revision", now->draft.revision},
                                                           {"title", now->draft.title},
                                                           {"body_md", now->draft.body_md}});
                }
              }
              return error_response(draft.error());
            }
            return json_response(200, Json{{"draft", draft_json(*draft)}});
          });

  add_api(router, services, "POST", "/api/v1/drafts/{id}/coauthors",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto user_id = required_string(*body, "user_id", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto draft =
                services.cowriting.add_coauthor(who, request.params["id"], core::UserId{*user_id});
            if (!draft) return error_response(draft.error());
            return json_response(201, Json{{"draft", draft_json(*draft)}});
          });

  add_api(router, services, "GET", "/api/v1/drafts/{id}/revisions",
          [&services](Request& request, const app::Principal& who) {
            auto revisions = services.cowriting.draft_revisions(who, request.params["id"]);
            if (!revisions) return error_response(revisions.error());
            Json items = Json::array();
            for (const auto& r : *revisions) items.push_back(revision_json(r));
            return paged_list(request, items);
          });

  add_api(router, services, "GET", "/api/v1/drafts/{id}/revisions/{n}/diff",
          [&services](Request& request, const app::Principal& who) {
            auto asked = diff_request(request);
            if (!asked) return error_response(asked.error());
            return diff_response(
                request, services.cowriting.draft_diff(who, request.params["id"], asked->first,
                                                       asked->second));
          });

  add_api(router, services, "POST", "/api/v1/drafts/{id}/comments",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto text = string_field(*body, "body", problems).value.value_or("");
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto comment = services.cowriting.comment_draft(who, request.params["id"], text);
            if (!comment) return error_response(comment.error());
            return json_response(201, Json{{"comment", comment_json(*comment)}});
          });

  add_api(router, services, "POST", "/api/v1/drafts/{id}/publish",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            auto input = proposal_input(*body, problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto proposal = services.cowriting.publish(who, request.params["id"], input);
            if (!proposal) return error_response(proposal.error());
            Json out = proposal_json(*proposal);
            auto amendments = services.cowriting.amendments(who, proposal->id);
            out["authors"] = Json::array();
            if (amendments) {
              for (const auto& a : amendments->authors) out["authors"].push_back(author_json(a));
            }
            return json_response(201, Json{{"proposal", out}});
          });

  // --- Amendments ---
  add_api(router, services, "POST", "/api/v1/proposals/{id}/amendments",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto text = string_field(*body, "body_md", problems).value.value_or("");
            const auto rationale = string_field(*body, "rationale", problems).value.value_or("");
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto amendment = services.cowriting.propose_amendment(
                who, request.id<core::ProposalId>(), text, rationale);
            if (!amendment) return error_response(amendment.error());
            return json_response(201, Json{{"amendment", amendment_json(*amendment)}});
          });

  add_api(router, services, "GET", "/api/v1/proposals/{id}/amendments",
          [&services](Request& request, const app::Principal& who) {
            auto view = services.cowriting.amendments(who, request.id<core::ProposalId>());
            if (!view) return error_response(view.error());
            Json items = Json::array(), authors = Json::array(), history = Json::array();
            for (const auto& a : view->amendments) items.push_back(amendment_json(a));
            for (const auto& a : view->authors) authors.push_back(author_json(a));
            for (const auto& r : view->history) history.push_back(revision_json(r));
            return json_response(200, Json{{"items", items},
                                           {"authors", authors},
                                           {"history", history},
                                           {"may_decide", view->may_decide}});
          });

  add_api(router, services, "GET", "/api/v1/amendments/{id}/diff",
          [&services](Request& request, const app::Principal& who) {
            return diff_response(request,
                                 services.cowriting.amendment_diff(who, request.params["id"]));
          });

  add_api(router, services, "POST", "/api/v1/amendments/{id}/decision",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto accepted = bool_field(*body, "accepted", problems);
            if (!accepted && !problems.count("accepted"))
              problems["accepted"] = "required: true or false";
            const auto reset = bool_field(*body, "reset_votes", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto amendment = services.cowriting.decide_amendment(who, request.params["id"],
                                                                 *accepted, reset.value_or(false));
            if (!amendment) return error_response(amendment.error());
            return json_response(200, Json{{"amendment", amendment_json(*amendment)}});
          });

  // --- Shared pages ---
  add_api(router, services, "POST", "/api/v1/orgs/{id}/pages",
          [&services](Request& request, const app::Principal& who) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto title = string_field(*body, "title", problems).value.value_or("");
            const auto text = string_field(*body, "body_md", problems).value.value_or("");
            const auto visibility = string_field(*body, "visibility", problems).value.value_or("");
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto page = services.cowriting.create_page(who, request.id<core::OrgId>(), title, text,
                                                       visibility);
            if (!page) return error_response(page.error());
            return json_response(201, Json{{"page", page_json(*page)}});
          });

  router.add("GET", "/api/v1/orgs/{id}/pages", [&services](Request& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    auto pages =
        services.cowriting.pages_of_org(optional_bearer(services, request),
                                        request.id<core::OrgId>(), page->limit + 1, page->offset);
    if (!pages) return error_response(pages.error());
    const auto next = trim_to_page(*pages, *page);
    Json items = Json::array();
    for (const auto& p : *pages) items.push_back(page_json(p));
    return json_response(200, list_body(items, next));
  });

  router.add("GET", "/api/v1/pages/{id}", [&services](Request& request) {
    auto view = services.cowriting.page(optional_bearer(services, request), request.params["id"]);
    if (!view) return error_response(view.error());
    return json_response(200, Json{{"page", page_json(view->page)},
                                   {"linked_md", linked_md(view->page.body_md, view->linked_pages)},
                                   {"may_edit", view->may_edit}});
  });

  add_api(router, services, "PUT", "/api/v1/pages/{id}",
          [&services](Request& request, const app::Principal& who) {
            auto edit = doc_edit(request, true);
            if (!edit) return error_response(edit.error());
            auto page = services.cowriting.edit_page(who, request.params["id"], *edit);
            if (!page) {
              if (page.error().code == "edit_conflict") {
                if (auto now = services.cowriting.page(who, request.params["id"])) {
                  return edit_conflict(page.error(), Json{{"revision", now->page.revision},
                                                          {"title", now->page.title},
                                                          {"body_md", now->page.body_md}});
                }
              }
              return error_response(page.error());
            }
            return json_response(200, Json{{"page", page_json(*page)}});
          });

  router.add("GET", "/api/v1/pages/{id}/revisions", [&services](Request& request) {
    auto revisions =
        services.cowriting.page_revisions(optional_bearer(services, request), request.params["id"]);
    if (!revisions) return error_response(revisions.error());
    Json items = Json::array();
    for (const auto& r : *revisions) items.push_back(revision_json(r));
    return paged_list(request, items);
  });

  router.add("GET", "/api/v1/pages/{id}/revisions/{n}/diff", [&services](Request& request) {
    auto asked = diff_request(request);
    if (!asked) return error_response(asked.error());
    return diff_response(
        request, services.cowriting.page_diff(optional_bearer(services, request),
                                              request.params["id"], asked->first, asked->second));
  });
}

}  // namespace essor::web
