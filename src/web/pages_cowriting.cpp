// Co-creation on the site: an organisation's drafts (write together, see
// who changed what side by side, comment, publish as a proposal), the
// amendments of a proposal, and its shared pages. An edit on a stale
// revision comes back with the writer's text kept and the current one
// beside it, to merge; nothing typed is lost.
#include <algorithm>

#include "app/policy.hpp"
#include "core/diff.hpp"
#include "core/id.hpp"
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

const char* const kPublishMethods[2] = {"majority", "consent"};

// Rows side by side: the old line left, the new one right.
Json diff_rows(const std::vector<core::DiffLine>& lines) {
  Json rows = Json::array();
  for (const auto& row : core::side_by_side(lines)) {
    auto side = [](bool has, core::DiffOp op) {
      if (!has) return "diff-empty";
      return op == core::DiffOp::removed ? "diff-removed"
             : op == core::DiffOp::added ? "diff-added"
                                         : "diff-same";
    };
    rows.push_back(Json{{"left", row.left},
                        {"right", row.right},
                        {"left_no", row.has_left ? Json(row.left_no) : Json("")},
                        {"right_no", row.has_right ? Json(row.right_no) : Json("")},
                        {"left_class", side(row.has_left, row.left_op)},
                        {"right_class", side(row.has_right, row.right_op)},
                        {"removed", row.has_left && row.left_op == core::DiffOp::removed},
                        {"added", row.has_right && row.right_op == core::DiffOp::added}});
  }
  return rows;
}

// The table of a diff (templates/diff_table.html).
std::string diff_html(const std::string& lang, const std::vector<core::DiffLine>& lines) {
  return render_fragment("diff_table", lang, Json{{"rows", diff_rows(lines)}});
}

// A save refused as stale: the writer's text stays in the form, now based
// on the current revision; the current text and the difference are shown
// beside it, so the merge is one more save.
void keep_for_merge(Json& extra, const std::string& lang, std::int64_t revision,
                    const std::string& current_md, const std::string& typed_md) {
  extra["base_revision"] = revision;
  extra["current_md"] = current_md;
  extra["conflict_html"] =
      diff_html(lang, core::diff_lines(core::split_lines(current_md), core::split_lines(typed_md)));
}

Json revisions_json(const std::string& lang, const std::string& base,
                    const std::vector<app::RevisionRecord>& revisions) {
  Json out = Json::array();
  for (auto it = revisions.rbegin(); it != revisions.rend(); ++it) {
    out.push_back(Json{{"n", it->n},
                       {"author", it->author_name},
                       {"has_author", !it->author_name.empty()},
                       {"when", when_json(lang, it->created_at)},
                       {"diff_url", base + "/revisions/" + std::to_string(it->n) + "/diff"}});
  }
  return out;
}

Response render_draft(Services& services, const Request& request, const PageContext& context,
                      const std::string& id, Json extra, int status) {
  auto view = services.cowriting.draft(*context.user, id);
  if (!view) return render_error_page(services, request, status_of(view.error().kind));
  auto revisions = services.cowriting.draft_revisions(*context.user, id);
  const auto& d = view->draft;
  const auto& lang = context.lang;
  Json data = std::move(extra);
  Json coauthors = Json::array();
  for (const auto& a : d.coauthors) coauthors.push_back(a.display_name);
  data["draft"] = {{"id", d.id},
                   {"title", d.title},
                   {"revision", d.revision},
                   {"org_id", d.org_id},
                   {"org_name", view->org_name},
                   {"coauthors", coauthors},
                   {"updated", when_json(lang, d.updated_at)},
                   {"proposal_id", d.proposal_id ? d.proposal_id->str() : ""},
                   {"published", d.proposal_id.has_value()}};
  data["body_html"] = markdown_to_html(d.body_md);
  data["may_edit"] = view->may_edit;
  if (!data.contains("values")) data["values"] = {{"title", d.title}, {"body_md", d.body_md}};
  if (!data.contains("base_revision")) data["base_revision"] = d.revision;
  Json comments = Json::array();
  for (const auto& c : view->comments) {
    comments.push_back(
        Json{{"author", c.author_name}, {"body", c.body}, {"when", when_json(lang, c.created_at)}});
  }
  data["comments"] = comments;
  data["has_comments"] = !comments.empty();
  data["revisions"] = revisions ? revisions_json(lang, "/drafts/" + id, *revisions) : Json::array();
  if (view->may_edit) {
    // Members who may join as co-authors.
    Json candidates = Json::array();
    for (const auto& m : services.orgs.roster(d.org_id)) {
      const bool already =
          std::any_of(d.coauthors.begin(), d.coauthors.end(),
                      [&](const app::Author& a) { return a.user_id == m.user_id; });
      if (!already) candidates.push_back(Json{{"id", m.user_id}, {"name", m.display_name}});
    }
    data["candidates"] = candidates;
    data["has_candidates"] = !candidates.empty();
    data["methods"] = options_json(lang, "method_", kPublishMethods, "majority");
    const auto in_week = services.clock.now() + 7 * 86'400'000LL;
    if (!data.contains("publish_values"))
      data["publish_values"] = {{"closes_on", core::paris_date_field(in_week)},
                                {"closes_time", "18:00"}};
  }
  return render_page(services, context, "draft", data, "draft_title", status);
}

Response render_drafts(Services& services, const Request& request, const PageContext& context,
                       const core::OrgId& org_id, Json extra, int status) {
  // Fifty at a time, newest change first.
  const auto page = list_page(request, 50);
  auto drafts =
      services.cowriting.drafts_of_org(*context.user, org_id, page.limit(), page.offset());
  if (!drafts) return render_error_page(services, request, status_of(drafts.error().kind));
  const bool more = trim_to_list_page(*drafts, page);
  auto org = services.orgs.get(org_id);
  if (!org) return render_error_page(services, request, 404);
  Json data = std::move(extra);
  data["org"] = {{"id", org->id}, {"name", org->name}};
  Json list = Json::array();
  for (const auto& d : *drafts) {
    list.push_back(Json{{"id", d.id},
                        {"title", d.title},
                        {"revision", d.revision},
                        {"published", d.proposal_id.has_value()},
                        {"updated", when_json(context.lang, d.updated_at)}});
  }
  data["drafts"] = list;
  data["has_drafts"] = !list.empty();
  data["pager"] = pager_html(context.lang, translate(context.lang, "drafts_pages"), page, more,
                             std::nullopt, "/orgs/" + org_id + "/drafts?page=");
  return render_page(services, context, "drafts", data, "drafts_title", status);
}

Response render_diff(Services& services, const PageContext& context,
                     const core::Result<app::DocDiff>& diff, const std::string& back,
                     const std::string& title, const Request& request) {
  if (!diff) return render_error_page(services, request, status_of(diff.error().kind));
  Json data = {{"diff_html", diff_html(context.lang, diff->lines)},
               {"from", diff->from.n},
               {"to", diff->to.n},
               {"back", back},
               {"doc_title", title},
               {"unified", diff->unified}};
  return render_page(services, context, "diff", data, "diff_title");
}

Response render_amendments(Services& services, const Request& request, const PageContext& context,
                           const core::ProposalId& id, Json extra, int status) {
  auto view = services.cowriting.amendments(*context.user, id);
  if (!view) return render_error_page(services, request, status_of(view.error().kind));
  const auto& lang = context.lang;
  Json data = std::move(extra);
  data["proposal"] = {{"id", view->proposal.id}, {"title", view->proposal.title}};
  data["body_html"] = markdown_to_html(view->proposal.body_md);
  Json authors = Json::array();
  for (const auto& a : view->authors) authors.push_back(a.display_name);
  data["authors"] = authors;
  Json items = Json::array();
  for (const auto& a : view->amendments) {
    Json item = {{"id", a.id},
                 {"author", a.author_name},
                 {"rationale", a.rationale},
                 {"has_rationale", !a.rationale.empty()},
                 {"when", when_json(lang, a.created_at)},
                 {"status_label", translate(lang, "amendment_status_" + core::to_string(a.status))},
                 {"pending", a.status == core::AmendmentStatus::pending}};
    // From what the view read once: a list of any length costs the same reads.
    item["diff_html"] =
        diff_html(lang, app::amendment_diff_of(view->proposal, view->history, a).lines);
    items.push_back(item);
  }
  data["amendments"] = items;
  data["has_amendments"] = !items.empty();
  data["may_decide"] = view->may_decide;
  data["may_amend"] = view->may_amend;
  Json history = Json::array();
  for (const auto& r : view->history) {
    history.push_back(
        Json{{"n", r.n}, {"author", r.author_name}, {"when", when_json(lang, r.created_at)}});
  }
  data["history"] = history;
  data["has_history"] = history.size() > 1;
  if (!data.contains("values")) data["values"] = {{"body_md", view->proposal.body_md}};
  return render_page(services, context, "amendments", data, "amendments_title", status);
}

Response render_wiki_page(Services& services, const Request& request, const PageContext& context,
                          const std::string& id, Json extra, int status, bool editing) {
  auto view = services.cowriting.page(context.user, id);
  if (!view) return render_error_page(services, request, status_of(view.error().kind));
  if (editing && !view->may_edit) return render_error_page(services, request, 403);
  auto revisions = services.cowriting.page_revisions(context.user, id);
  const auto& p = view->page;
  Json data = std::move(extra);
  data["page"] = {{"id", p.id},
                  {"title", p.title},
                  {"revision", p.revision},
                  {"org_id", p.org_id},
                  {"org_name", view->org_name},
                  {"members_only", p.visibility == core::Visibility::members},
                  {"updated", when_json(context.lang, p.updated_at)}};
  data["body_html"] = markdown_to_html(linked_md(view->page.body_md, view->linked_pages));
  data["may_edit"] = view->may_edit;
  data["editing"] = editing;
  if (!data.contains("values")) {
    data["values"] = {{"title", p.title},
                      {"body_md", p.body_md},
                      {"members", p.visibility == core::Visibility::members}};
  }
  if (!data.contains("base_revision")) data["base_revision"] = p.revision;
  data["revisions"] =
      revisions ? revisions_json(context.lang, "/pages/" + id, *revisions) : Json::array();
  return render_page(services, context, "wiki_page", data, "wiki_page_title", status);
}

Response render_wiki_pages(Services& services, const Request& request, const PageContext& context,
                           const core::OrgId& org_id, Json extra, int status) {
  // A hundred at a time, by title.
  const auto page = list_page(request, 100);
  auto pages = services.cowriting.pages_of_org(context.user, org_id, page.limit(), page.offset());
  if (!pages) return render_error_page(services, request, status_of(pages.error().kind));
  const bool more = trim_to_list_page(*pages, page);
  auto org = services.orgs.get(org_id);
  if (!org) return render_error_page(services, request, 404);
  Json data = std::move(extra);
  data["org"] = {{"id", org->id}, {"name", org->name}};
  Json list = Json::array();
  for (const auto& p : *pages) {
    list.push_back(Json{{"id", p.id},
                        {"title", p.title},
                        {"members_only", p.visibility == core::Visibility::members},
                        {"updated", when_json(context.lang, p.updated_at)}});
  }
  data["pages"] = list;
  data["has_pages"] = !list.empty();
  data["pager"] = pager_html(context.lang, translate(context.lang, "wiki_pages_pages"), page, more,
                             std::nullopt, "/orgs/" + org_id + "/pages?page=");
  data["may_write"] =
      context.user && app::cowrite_allows(services.orgs.role_of(context.user->user_id, org_id),
                                          false, app::CoWriteAction::start);
  return render_page(services, context, "wiki_pages", data, "wiki_pages_title", status);
}

// The page of a form that was refused: what was typed comes back with the
// reasons; a stale edit also shows the text as it is now.
Json refused(const std::string& lang, const core::Error& error, const Form& form) {
  Json out = {{"errors", errors_json(lang, error)},
              {"values",
               {{"title", field(form, "title")},
                {"body_md", field(form, "body_md")},
                {"members", field(form, "visibility") == "members"}}}};
  if (error.code == "edit_conflict") out["conflict"] = true;
  return out;
}

}  // namespace

void add_cowriting_pages(Router& router, Services& services) {
  // --- Drafts ---
  router.add("GET", "/orgs/{id}/drafts", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json extra = Json::object();
    if (auto notice = notice_of(request, context.lang); !notice.empty()) extra["notice"] = notice;
    return render_drafts(services, request, context, request.id<core::OrgId>(), extra, 200);
  });

  add_page_form(router, services, "/orgs/{id}/drafts",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const auto org_id = request.id<core::OrgId>();
                  auto draft = services.cowriting.start_draft(
                      *context.user, org_id, field(form, "title"), field(form, "body_md"));
                  if (!draft) {
                    if (draft.error().kind != core::ErrorKind::validation)
                      return render_error_page(services, request, status_of(draft.error().kind));
                    return render_drafts(services, request, context, org_id,
                                         refused(context.lang, draft.error(), form), 400);
                  }
                  return redirect_response("/drafts/" + draft->id + "?done=draft_started");
                });

  router.add("GET", "/drafts/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json extra = Json::object();
    if (auto notice = notice_of(request, context.lang); !notice.empty()) extra["notice"] = notice;
    return render_draft(services, request, context, request.params["id"], extra, 200);
  });

  add_page_form(
      router, services, "/drafts/{id}",
      [&services](Request& request, PageContext& context, const Form& form) {
        const std::string id = request.params["id"];
        app::DocEdit edit;
        edit.title = field(form, "title");
        edit.body_md = field(form, "body_md");
        edit.base_revision = whole_number(field(form, "base_revision")).value_or(0);
        auto saved = services.cowriting.edit_draft(*context.user, id, edit);
        if (!saved) {
          const auto kind = saved.error().kind;
          if (kind != core::ErrorKind::validation && saved.error().code != "edit_conflict")
            return render_error_page(services, request, status_of(kind));
          Json extra = refused(context.lang, saved.error(), form);
          if (saved.error().code == "edit_conflict") {
            if (auto now = services.cowriting.draft(*context.user, id))
              keep_for_merge(extra, context.lang, now->draft.revision, now->draft.body_md,
                             edit.body_md);
          }
          return render_draft(services, request, context, id, extra, status_of(kind));
        }
        return redirect_response("/drafts/" + id + "?done=draft_saved");
      });

  add_page_form(router, services, "/drafts/{id}/coauthors",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const std::string id = request.params["id"];
                  auto added = services.cowriting.add_coauthor(
                      *context.user, id, core::UserId{field(form, "user_id")});
                  if (!added) {
                    if (added.error().kind == core::ErrorKind::not_found ||
                        added.error().kind == core::ErrorKind::forbidden)
                      return render_error_page(services, request, status_of(added.error().kind));
                    return render_draft(
                        services, request, context, id,
                        {{"coauthor_errors", errors_json(context.lang, added.error())}},
                        status_of(added.error().kind));
                  }
                  return redirect_response("/drafts/" + id + "?done=coauthor_added");
                });

  add_page_form(
      router, services, "/drafts/{id}/comments",
      [&services](Request& request, PageContext& context, const Form& form) {
        const std::string id = request.params["id"];
        auto comment = services.cowriting.comment_draft(*context.user, id, field(form, "body"));
        if (!comment) {
          if (comment.error().kind != core::ErrorKind::validation)
            return render_error_page(services, request, status_of(comment.error().kind));
          return render_draft(services, request, context, id,
                              {{"comment_errors", errors_json(context.lang, comment.error())},
                               {"comment_value", field(form, "body")}},
                              400);
        }
        return redirect_response("/drafts/" + id + "?done=comment_posted#comments");
      });

  add_page_form(
      router, services, "/drafts/{id}/publish",
      [&services](Request& request, PageContext& context, const Form& form) {
        const std::string id = request.params["id"];
        app::ProposalInput input;
        input.method = field(form, "method");
        std::map<std::string, std::string> problems;
        if (auto closes = date_time_field(form, "closes_on", "closes_time"))
          input.closes_at = *closes;
        else
          problems[date_time_blame(form, "closes_on", "closes_time", "closes_at")] =
              "not a date and time";
        core::Result<app::ProposalRecord> published =
            problems.empty() ? services.cowriting.publish(*context.user, id, input)
                             : core::Result<app::ProposalRecord>(core::Error::validation(problems));
        if (!published) {
          if (published.error().kind != core::ErrorKind::validation &&
              published.error().kind != core::ErrorKind::conflict)
            return render_error_page(services, request, status_of(published.error().kind));
          return render_draft(services, request, context, id,
                              {{"publish_errors", errors_json(context.lang, published.error())},
                               {"publish_values",
                                {{"closes_on", field(form, "closes_on")},
                                 {"closes_time", field(form, "closes_time")}}}},
                              status_of(published.error().kind));
        }
        return redirect_response("/proposals/" + published->id + "?done=draft_published");
      });

  router.add("GET", "/drafts/{id}/revisions/{n}/diff", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const auto n = whole_number(request.params["n"]);
    if (!n || *n < 1) return render_error_page(services, request, 404);
    const std::string id = request.params["id"];
    auto view = services.cowriting.draft(*context.user, id);
    if (!view) return render_error_page(services, request, 404);
    return render_diff(services, context,
                       services.cowriting.draft_diff(*context.user, id, *n, std::nullopt),
                       "/drafts/" + id, view->draft.title, request);
  });

  // --- Amendments ---
  router.add("GET", "/proposals/{id}/amendments", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json extra = Json::object();
    if (auto notice = notice_of(request, context.lang); !notice.empty()) extra["notice"] = notice;
    return render_amendments(services, request, context, request.id<core::ProposalId>(), extra,
                             200);
  });

  add_page_form(
      router, services, "/proposals/{id}/amendments",
      [&services](Request& request, PageContext& context, const Form& form) {
        const auto id = request.id<core::ProposalId>();
        auto amendment = services.cowriting.propose_amendment(
            *context.user, id, field(form, "body_md"), field(form, "rationale"));
        if (!amendment) {
          const auto kind = amendment.error().kind;
          if (kind != core::ErrorKind::validation && kind != core::ErrorKind::conflict)
            return render_error_page(services, request, status_of(kind));
          return render_amendments(
              services, request, context, id,
              {{"errors", errors_json(context.lang, amendment.error())},
               {"values",
                {{"body_md", field(form, "body_md")}, {"rationale", field(form, "rationale")}}}},
              status_of(kind));
        }
        return redirect_response("/proposals/" + id + "/amendments?done=amendment_proposed");
      });

  add_page_form(
      router, services, "/amendments/{id}/decision",
      [&services](Request& request, PageContext& context, const Form& form) {
        const std::string decision = field(form, "accepted");
        if (decision != "yes" && decision != "no") return render_error_page(services, request, 400);
        auto decided = services.cowriting.decide_amendment(*context.user, request.params["id"],
                                                           decision == "yes",
                                                           field(form, "reset_votes") == "on");
        if (!decided) return render_error_page(services, request, status_of(decided.error().kind));
        return redirect_response("/proposals/" + decided->proposal_id + "/amendments?done=" +
                                 (decision == "yes" ? "amendment_accepted" : "amendment_declined"));
      });

  // --- Shared pages ---
  router.add("GET", "/orgs/{id}/pages", [&services](Request& request) {
    auto context = page_context(services, request);
    return render_wiki_pages(services, request, context, request.id<core::OrgId>(), Json::object(),
                             200);
  });

  add_page_form(router, services, "/orgs/{id}/pages",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const auto org_id = request.id<core::OrgId>();
                  auto page = services.cowriting.create_page(
                      *context.user, org_id, field(form, "title"), field(form, "body_md"),
                      field(form, "visibility") == "members" ? "members" : "public");
                  if (!page) {
                    const auto kind = page.error().kind;
                    if (kind != core::ErrorKind::validation && kind != core::ErrorKind::conflict)
                      return render_error_page(services, request, status_of(kind));
                    return render_wiki_pages(services, request, context, org_id,
                                             refused(context.lang, page.error(), form),
                                             status_of(kind));
                  }
                  return redirect_response("/pages/" + page->id + "?done=page_saved");
                });

  router.add("GET", "/pages/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    Json extra = Json::object();
    if (auto notice = notice_of(request, context.lang); !notice.empty()) extra["notice"] = notice;
    return render_wiki_page(services, request, context, request.params["id"], extra, 200, false);
  });

  router.add("GET", "/pages/{id}/edit", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    return render_wiki_page(services, request, context, request.params["id"], Json::object(), 200,
                            true);
  });

  add_page_form(router, services, "/pages/{id}",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const std::string id = request.params["id"];
                  app::DocEdit edit;
                  edit.title = field(form, "title");
                  edit.body_md = field(form, "body_md");
                  edit.visibility = field(form, "visibility") == "members" ? "members" : "public";
                  edit.base_revision = whole_number(field(form, "base_revision")).value_or(0);
                  auto saved = services.cowriting.edit_page(*context.user, id, edit);
                  if (!saved) {
                    const auto kind = saved.error().kind;
                    if (kind != core::ErrorKind::validation && kind != core::ErrorKind::conflict)
                      return render_error_page(services, request, status_of(kind));
                    Json extra = refused(context.lang, saved.error(), form);
                    if (saved.error().code == "edit_conflict") {
                      if (auto now = services.cowriting.page(context.user, id))
                        keep_for_merge(extra, context.lang, now->page.revision, now->page.body_md,
                                       edit.body_md);
                    }
                    return render_wiki_page(services, request, context, id, extra, status_of(kind),
                                            true);
                  }
                  return redirect_response("/pages/" + id + "?done=page_saved");
                });

  router.add("GET", "/pages/{id}/revisions/{n}/diff", [&services](Request& request) {
    auto context = page_context(services, request);
    const auto n = whole_number(request.params["n"]);
    if (!n || *n < 1) return render_error_page(services, request, 404);
    const std::string id = request.params["id"];
    auto view = services.cowriting.page(context.user, id);
    if (!view) return render_error_page(services, request, 404);
    return render_diff(services, context,
                       services.cowriting.page_diff(context.user, id, *n, std::nullopt),
                       "/pages/" + id, view->page.title, request);
  });
}

}  // namespace essor::web
