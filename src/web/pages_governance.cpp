// HTML pages of governance: the organisation's proposals and proxies (on
// its page), the proposal form, the proposal page with its vote form and
// its results drawn as SVG by the server, and the results as CSV.
#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "app/policy.hpp"
#include "core/atom.hpp"
#include "core/governance.hpp"
#include "core/id.hpp"
#include "core/money.hpp"
#include "core/validation.hpp"
#include "web/csv.hpp"
#include "web/form.hpp"
#include "web/json_api.hpp"
#include "web/markdown.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

// The charts below draw each row's label on its own line, above its bar,
// so that a long name (an approval option, a budget project) never runs
// into the bar; the drawing is 420 units wide and CSS (`svg.chart`) keeps
// it under 28rem, so that its text is about the body's size on a phone as
// on a desktop. They are images described by their caption; the same
// figures are in the table beside them.
namespace {

constexpr int kChartWidth = 420;
constexpr int kChartRow = 52;

std::string chart_open(std::size_t rows) {
  return "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
         std::to_string(kChartWidth) + " " +
         std::to_string(kChartRow * static_cast<int>(rows) + 4) +
         "\" width=\"100%\" aria-hidden=\"true\">";
}

std::string chart_label(int y, const std::string& label) {
  return "<text x=\"0\" y=\"" + std::to_string(y + 19) + "\" font-size=\"20\" fill=\"#1b1b1b\">" +
         core::xml_escape(core::utf8_prefix(label, 40)) + "</text>";
}

}  // namespace

// Horizontal bars, one per row: the label, then a bar proportional to the
// count and the count.
std::string bar_chart(const std::vector<std::pair<std::string, std::int64_t>>& rows) {
  std::int64_t most = 1;
  for (const auto& [label, count] : rows) most = std::max(most, count);
  std::string svg = chart_open(rows.size());
  int y = 2;
  for (const auto& [label, count] : rows) {
    const auto width = static_cast<int>(320 * count / most);
    svg += chart_label(y, label);
    svg += "<rect x=\"0\" y=\"" + std::to_string(y + 26) + "\" width=\"" +
           std::to_string(std::max(width, 1)) + "\" height=\"18\" fill=\"#1f5f8b\"/>";
    svg += "<text x=\"" + std::to_string(width + 8) + "\" y=\"" + std::to_string(y + 42) +
           "\" font-size=\"20\" fill=\"#1b1b1b\">" + std::to_string(count) + "</text>";
    y += kChartRow;
  }
  return svg + "</svg>";
}

namespace {

const char* const kMethods[4] = {"majority", "consent", "majority_judgment", "approval"};

// The merit profile of majority judgment: one stacked bar per option, from
// "reject" (left) to "excellent" (right), with the median line.
std::string merit_chart(const std::vector<app::OptionResult>& options) {
  static const char* const kColours[core::kGrades] = {"#8b1e1e", "#c0562b", "#d9a13b",
                                                      "#8fae3e", "#3f8f4f", "#1f5f3b"};
  std::string svg = chart_open(options.size());
  int y = 2;
  for (const auto& option : options) {
    std::int64_t total = 0;
    for (const auto count : option.profile) total += count;
    svg += chart_label(y, option.option.name);
    double x = 0;
    for (int grade = 0; grade < core::kGrades && total > 0; ++grade) {
      const double width = static_cast<double>(kChartWidth) *
                           static_cast<double>(option.profile[static_cast<std::size_t>(grade)]) /
                           static_cast<double>(total);
      if (width > 0) {
        svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y + 26) +
               "\" width=\"" + std::to_string(width) + "\" height=\"18\" fill=\"" +
               kColours[grade] + "\"/>";
      }
      x += width;
    }
    svg += "<line x1=\"" + std::to_string(kChartWidth / 2) + "\" x2=\"" +
           std::to_string(kChartWidth / 2) + "\" y1=\"" + std::to_string(y + 22) + "\" y2=\"" +
           std::to_string(y + 48) + "\" stroke=\"#000\" stroke-width=\"2\"/>";
    y += kChartRow;
  }
  return svg + "</svg>";
}

Json results_view(const std::string& lang, const app::ProposalResults& r) {
  Json out = {{"voters", r.voters},
              {"eligible", r.eligible},
              {"quorum_label", translate(lang, r.voters == 0      ? "results_no_voters"
                                               : r.quorum_reached ? "results_quorum_reached"
                                                                  : "results_quorum_missed")},
              {"is_closed", r.proposal.status == core::ProposalStatus::closed},
              {"rows", Json::array()}};
  if (r.withheld) {
    out["outcome_text"] = translate(lang, "results_withheld");
    return out;
  }
  std::vector<std::pair<std::string, std::int64_t>> bars;
  const auto& method = r.proposal.method;
  if (method == core::VoteMethod::majority) {
    bars = {{translate(lang, "vote_yes"), r.majority.yes},
            {translate(lang, "vote_no"), r.majority.no},
            {translate(lang, "vote_abstain"), r.majority.abstain}};
  } else if (method == core::VoteMethod::consent) {
    bars = {{translate(lang, "vote_consent"), r.consent.consent},
            {translate(lang, "vote_object"), r.consent.object}};
    Json reasons = Json::array();
    for (const auto& reason : r.objections) reasons.push_back(Json{{"text", reason}});
    out["objections"] = reasons;
    out["has_objections"] = !reasons.empty();
  } else if (method == core::VoteMethod::approval) {
    for (const auto& o : r.options) bars.emplace_back(o.option.name, o.approvals);
  }
  for (const auto& [label, count] : bars)
    out["rows"].push_back(Json{{"label", label}, {"count", count}});
  if (method == core::VoteMethod::majority_judgment) {
    out["chart_svg"] = merit_chart(r.options);
    out["is_judgment"] = true;
    Json rows = Json::array();
    for (const auto& o : r.options) {
      Json grades = Json::array();
      for (int grade = core::kGrades - 1; grade >= 0; --grade)
        grades.push_back(
            Json{{"count", o.profile[static_cast<std::size_t>(grade)]},
                 // Its column's name, before it when the table is cards.
                 {"label", translate(lang, std::string("grade_") + core::kGradeNames[grade])}});
      rows.push_back(
          Json{{"rank", o.rank},
               {"name", o.option.name},
               {"grades", grades},
               {"majority_label",
                o.majority_grade >= 0
                    ? translate(lang, std::string("grade_") + core::kGradeNames[o.majority_grade])
                    : ""}});
    }
    out["judgment_rows"] = rows;
  } else {
    out["chart_svg"] = bar_chart(bars);
    out["is_judgment"] = false;
    out["judgment_rows"] = Json::array();
  }
  if (!out.contains("has_objections")) {
    out["objections"] = Json::array();
    out["has_objections"] = false;
  }
  std::string outcome;
  if (r.outcome == "passed" || r.outcome == "rejected") {
    outcome = translate(lang, "outcome_" + r.outcome);
  } else if (!r.outcome.empty()) {
    for (const auto& o : r.options)
      if (o.option.id == r.outcome)
        outcome = translate(lang, "outcome_winner") + " " + o.option.name;
  } else if (r.proposal.status == core::ProposalStatus::closed) {
    outcome = translate(lang, "outcome_none");
  }
  out["outcome_text"] = outcome;
  return out;
}

Json proposal_summary(const std::string& lang, const app::ProposalRecord& p) {
  return Json{{"id", p.id},
              {"title", p.title},
              {"status_label", translate(lang, "proposal_" + core::to_string(p.status))},
              {"method_label", translate(lang, "method_" + core::to_string(p.method))},
              {"closes_on", when_json(lang, p.closes_at)},
              {"is_open", p.status == core::ProposalStatus::open}};
}

Response render_proposal_page(Services& services, const Request& request,
                              const PageContext& context, const core::ProposalId& id, Json extra,
                              int status) {
  auto proposal = services.governance.get(*context.user, id);
  if (!proposal) return render_error_page(services, request, 404);
  const auto& p = *proposal;
  const auto& lang = context.lang;
  const auto role = services.orgs.role_of(context.user->user_id, p.org_id);
  Json data = std::move(extra);
  data["proposal"] = proposal_summary(lang, p);
  data["closed_on"] = p.closed_at ? when_json(lang, *p.closed_at) : Json(false);
  data["title"] = p.title;
  data["body_html"] = markdown_to_html(p.body_md);
  data["org"] = {{"id", p.org_id}};
  if (auto org = services.orgs.get(p.org_id)) data["org"]["name"] = org->name;
  data["quorum_pct"] = p.quorum_pct;
  data["threshold_pct"] = p.threshold_pct;
  data["is_secret"] = p.secret;
  data["is_majority"] = p.method == core::VoteMethod::majority;
  data["is_consent"] = p.method == core::VoteMethod::consent;
  data["is_judgment"] = p.method == core::VoteMethod::majority_judgment;
  data["is_approval"] = p.method == core::VoteMethod::approval;
  Json options = Json::array();
  Json grades = Json::array();
  for (int grade = core::kGrades - 1; grade >= 0; --grade) {
    grades.push_back(
        Json{{"value", core::kGradeNames[grade]},
             {"label", translate(lang, std::string("grade_") + core::kGradeNames[grade])}});
  }
  for (const auto& o : p.options) {
    Json option_grades = grades;
    for (auto& g : option_grades) g["option_id"] = o.id;
    options.push_back(Json{{"id", o.id}, {"name", o.name}, {"grades", option_grades}});
  }
  data["options"] = options;
  data["grade_names"] = grades;
  // The members whose proxy the reader holds: their vote goes with the
  // reader's, and the ballot says so.
  std::set<std::string> givers;
  for (const auto& proxy : services.governance.my_proxies(*context.user, p.org_id)) {
    if (proxy.to_user_id == context.user->user_id) givers.insert(proxy.from_user_id);
  }
  std::string held;
  if (!givers.empty()) {  // the members' names, read once
    for (const auto& m : services.orgs.roster(p.org_id)) {
      if (givers.count(m.user_id)) held += (held.empty() ? "" : ", ") + m.display_name;
    }
  }
  data["proxies_held"] = held.empty() ? Json(false) : Json(held);
  const bool open = p.status == core::ProposalStatus::open && p.closes_at > services.clock.now();
  data["can_vote"] = open;
  data["can_close"] =
      p.status == core::ProposalStatus::open &&
      app::governance_allows(*context.user, role, app::GovernanceAction::close_vote);
  // Participation: who voted, and whether I did (never what).
  auto participants = services.governance.participants(*context.user, id);
  Json names = Json::array();
  data["my_vote"] = false;
  if (participants) {
    for (const auto& who : *participants) {
      names.push_back(Json{{"name", who.display_name}, {"by_proxy", who.via_user_id.has_value()}});
      if (who.user_id == context.user->user_id)
        data["my_vote"] = translate(
            lang, !open ? (who.via_user_id ? "vote_recorded_proxy_closed" : "vote_recorded_closed")
                  : who.via_user_id ? "vote_recorded_proxy"
                                    : "vote_recorded");
    }
  }
  data["participants"] = names;
  // The discussion fifty comments at a time, newest first, as a
  // campaign's (?comments_page=).
  Json thread = Json::array();
  const auto comments_page = list_page(request, kThreadsPerPage, "comments_page");
  bool more_comments = false;
  if (auto comments = services.governance.comments(*context.user, id, comments_page.limit(),
                                                   comments_page.offset(),
                                                   app::Governance::CommentOrder::newest_first)) {
    more_comments = trim_to_list_page(*comments, comments_page);
    for (const auto& c : *comments) {
      thread.push_back(Json{{"name", c.display_name},
                            {"date", when_json(lang, c.created_at)},
                            {"body_html", markdown_to_html(c.body)}});
    }
  }
  data["comments"] = thread;
  data["has_comments"] = !thread.empty();
  data["comments_pager"] =
      pager_html(lang, translate(lang, "comments_pages"), comments_page, more_comments,
                 std::nullopt, "/proposals/" + p.id + "?comments_page=", "#discussion");
  auto results = services.governance.results(*context.user, id);
  data["results"] = results && !results->withheld ? results_view(lang, *results) : Json(false);
  data["sealed"] = !results;
  data["withheld"] = results && results->withheld;
  return render_page(services, context, "proposal", data, "", status);
}

// The minutes (procès-verbal) as lines: 1–3 headings, 0 paragraphs, -1
// list items. Rendered as Markdown and as PDF from the same lines.
std::vector<std::pair<int, std::string>> minutes_lines(const std::string& lang,
                                                       const app::AssemblyView& v,
                                                       core::TimestampMs now) {
  std::vector<std::pair<int, std::string>> out;
  const auto t = [&](const char* key) { return translate(lang, key); };
  out.push_back({1, t("minutes_title") + " · " + v.assembly.title});
  out.push_back({0, v.org_name + " · " + date_time_text(lang, v.assembly.held_at) +
                        (v.assembly.place.empty() ? "" : " · " + v.assembly.place)});
  std::string chair, secretary;
  for (const auto& a : v.members) {
    if (v.assembly.chair_user_id && a.user_id == *v.assembly.chair_user_id) chair = a.display_name;
    if (v.assembly.secretary_user_id && a.user_id == *v.assembly.secretary_user_id)
      secretary = a.display_name;
  }
  out.push_back({0, t("minutes_chair") + " " + (chair.empty() ? t("minutes_not_named") : chair) +
                        " · " + t("minutes_secretary") + " " +
                        (secretary.empty() ? t("minutes_not_named") : secretary)});
  out.push_back({2, t("assembly_attendance")});
  out.push_back({0, t("assembly_members") + " " + std::to_string(v.members.size()) + " · " +
                        t("assembly_present") + " " + std::to_string(v.present) + " · " +
                        t("assembly_represented") + " " + std::to_string(v.represented) + " · " +
                        t("field_quorum") + " " + std::to_string(v.assembly.quorum_pct) + " % : " +
                        t(v.quorum_reached ? "results_quorum_reached" : "results_quorum_missed")});
  for (const auto& a : v.members) {
    if (a.mode == core::Attendance::present)
      out.push_back({-1, a.display_name + " (" + t("assembly_present_one") + ")"});
    if (a.mode == core::Attendance::represented)
      out.push_back({-1, a.display_name + " (" + t("assembly_represented_by") + " " +
                             a.represented_by_name + ")"});
  }
  out.push_back({2, t("assembly_agenda")});
  int number = 0;
  for (const auto& item : v.agenda) {
    out.push_back({3, std::to_string(++number) + ". " + item.proposal.title});
    out.push_back({0, t(("method_" + core::to_string(item.proposal.method)).c_str()) + " · " +
                          t(("proposal_" + core::to_string(item.proposal.status)).c_str())});
    if (!item.results) {
      out.push_back({0, t("results_sealed")});
      continue;
    }
    const auto view = results_view(lang, *item.results);
    out.push_back({-1, std::to_string(item.results->voters) + " " + t("results_voters") + " " +
                           std::to_string(item.results->eligible) + " · " +
                           view["quorum_label"].get<std::string>()});
    for (const auto& row : view["rows"])
      out.push_back({-1, row["label"].get<std::string>() + " : " +
                             std::to_string(row["count"].get<std::int64_t>())});
    for (const auto& row : view["judgment_rows"])
      out.push_back({-1, std::to_string(row["rank"].get<int>()) + ". " +
                             row["name"].get<std::string>() + " · " +
                             row["majority_label"].get<std::string>()});
    for (const auto& reason : view["objections"])
      out.push_back({-1, t("results_objections") + " : " + reason["text"].get<std::string>()});
    if (!view["outcome_text"].get<std::string>().empty())
      out.push_back({0, t("minutes_decision") + " " + view["outcome_text"].get<std::string>()});
  }
  out.push_back({2, t("minutes_signatures")});
  out.push_back({0, t("minutes_chair") + " " + chair + " — " + t("minutes_signature")});
  out.push_back({0, t("minutes_secretary") + " " + secretary + " — " + t("minutes_signature")});
  out.push_back({0, t("minutes_generated") + " " + date_time_text(lang, now)});
  return out;
}

}  // namespace

Json org_governance_json(Services& services, const std::string& lang, const app::Principal& who,
                         const core::OrgId& org_id, std::span<const app::MemberRecord> members,
                         const ListPage& proposals_page) {
  Json proposals = Json::array();
  std::string proposals_pager;
  if (auto list = services.governance.of_org(who, org_id, proposals_page.limit(),
                                             proposals_page.offset())) {
    const bool more = trim_to_list_page(*list, proposals_page);
    for (const auto& p : *list) proposals.push_back(proposal_summary(lang, p));
    proposals_pager =
        pager_html(lang, translate(lang, "governance_proposals_pages"), proposals_page, more,
                   std::nullopt, "/orgs/" + org_id + "?tab=governance&page=", "#proposals");
  }
  std::map<std::string_view, std::string_view> names;
  for (const auto& member : members) names.emplace(member.user_id.str(), member.display_name);
  auto name_of = [&](const core::UserId& id) -> std::string {
    const auto it = names.find(id.str());
    return std::string(it == names.end() ? id.str() : it->second);
  };
  Json given = false;
  Json held = Json::array();
  for (const auto& proxy : services.governance.my_proxies(who, org_id)) {
    if (proxy.from_user_id == who.user_id) given = name_of(proxy.to_user_id);
    if (proxy.to_user_id == who.user_id)
      held.push_back(Json{{"name", name_of(proxy.from_user_id)}, {"last", false}});
  }
  if (!held.empty()) held.back()["last"] = true;
  // Every proxy of the organisation, for its admins.
  Json all_proxies = Json::array();
  if (auto list = services.governance.proxies(who, org_id)) {
    for (const auto& proxy : *list) {
      all_proxies.push_back(
          Json{{"from", name_of(proxy.from_user_id)}, {"to", name_of(proxy.to_user_id)}});
    }
  }
  // Whom the member can give their proxy to: not themself, and not someone
  // who gave theirs to them (a proxy cannot go round in a circle).
  std::set<std::string> gave_me;
  for (const auto& proxy : services.governance.my_proxies(who, org_id)) {
    if (proxy.to_user_id == who.user_id) gave_me.insert(proxy.from_user_id);
  }
  Json candidates = Json::array();
  for (const auto& member : members) {
    if (member.user_id != who.user_id && !gave_me.count(member.user_id.str()))
      candidates.push_back(Json{{"value", member.user_id}, {"label", member.display_name}});
  }
  Json assemblies = Json::array();
  if (auto list = services.assemblies.of_org(who, org_id)) {
    for (const auto& a : *list) {
      assemblies.push_back(
          Json{{"id", a.id}, {"title", a.title}, {"held_on", when_json(lang, a.held_at)}});
    }
  }
  Json budgets = Json::array();
  if (auto list = services.budgets.of_org(who, org_id)) {
    for (const auto& b : *list) {
      budgets.push_back(
          Json{{"id", b.id},
               {"title", b.title},
               {"envelope_text", core::format_eur(b.envelope_cents, lang)},
               {"status_label", translate(lang, "proposal_" + core::to_string(b.status))}});
    }
  }
  return Json{{"proposals", proposals},
              {"has_proposals", !proposals.empty() || proposals_page.number > 1},
              {"proposals_pager", proposals_pager},
              {"assemblies", assemblies},
              {"has_assemblies", !assemblies.empty()},
              {"budgets", budgets},
              {"has_budgets", !budgets.empty()},
              {"all_proxies", all_proxies},
              {"has_all_proxies", !all_proxies.empty()},
              {"proxy_given", given},
              {"proxies_held", held},
              {"holds_proxies", !held.empty()},
              {"candidates", candidates},
              {"has_candidates", !candidates.empty()},
              // Nothing to say about proxies in an organisation of one.
              {"proxy_relevant", members.size() > 1}};
}

void add_governance_pages(Router& router, Services& services) {
  router.add("GET", "/orgs/{id}/proposals/new", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const core::OrgId org_id = request.id<core::OrgId>();
    if (!app::governance_allows(*context.user, services.orgs.role_of(context.user->user_id, org_id),
                                app::GovernanceAction::propose))
      return render_error_page(services, request, 403);
    Json data = {{"org", {{"id", org_id}}},
                 {"methods", options_json(context.lang, "method_", kMethods, "majority")},
                 {"values", {{"quorum", "0"}, {"threshold", "50"}}}};
    return render_page(services, context, "proposal_new", data, "proposal_new_title");
  });

  add_page_form(
      router, services, "/orgs/{id}/proposals/new",
      [&services](Request& request, PageContext& context, const Form& form) {
        const core::OrgId org_id = request.id<core::OrgId>();
        app::ProposalInput input;
        input.title = field(form, "title");
        input.body_md = field(form, "body_md");
        input.method = field(form, "method");
        input.options = lines_of(field(form, "options"));
        const auto method = core::parse_vote_method(input.method);
        if (!method || !core::has_options(*method)) input.options.clear();
        std::map<std::string, std::string> problems;
        const auto closes = date_time_field(form, "closes_on", "closes_time");
        if (closes)
          input.closes_at = *closes;
        else
          problems[date_time_blame(form, "closes_on", "closes_time", "closes_at")] =
              "not a date and time";
        input.quorum_pct = std::atoll(field(form, "quorum").c_str());
        input.threshold_pct = std::atoll(field(form, "threshold").c_str());
        input.secret = field(form, "secret") == "on";
        auto created = problems.empty()
                           ? services.governance.create(*context.user, org_id, input)
                           : core::Result<app::ProposalRecord>(core::Error::validation(problems));
        if (!created) {
          if (created.error().kind != core::ErrorKind::validation)
            return render_error_page(services, request, status_of(created.error().kind));
          Json values = form;
          values.erase("_csrf");
          Json data = {{"org", {{"id", org_id}}},
                       {"methods", options_json(context.lang, "method_", kMethods, input.method)},
                       {"values", values},
                       {"errors", errors_json(context.lang, created.error())}};
          return render_page(services, context, "proposal_new", data, "proposal_new_title", 400);
        }
        return redirect_response("/proposals/" + created->id + "?done=created");
      });

  router.add("GET", "/proposals/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Json extra = Json::object();
    if (auto notice = notice_of(request, context.lang, "notice_proposal_"); !notice.empty())
      extra["notice"] = notice;
    return render_proposal_page(services, request, context, request.id<core::ProposalId>(), extra,
                                200);
  });

  add_page_form(router, services, "/proposals/{id}/vote",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const auto id = request.id<core::ProposalId>();
                  auto proposal = services.governance.get(*context.user, id);
                  if (!proposal) return render_error_page(services, request, 404);
                  app::VoteInput input;
                  input.choice = field(form, "choice");
                  input.reason = field(form, "reason");
                  for (const auto& option : proposal->options) {
                    if (!field(form, "grade_" + option.id).empty())
                      input.grades[option.id] = field(form, "grade_" + option.id);
                    if (field(form, "approve_" + option.id) == "on")
                      input.approve.push_back(option.id);
                  }
                  auto voted = services.governance.vote(*context.user, id, input);
                  if (!voted) {
                    if (voted.error().kind != core::ErrorKind::validation &&
                        voted.error().kind != core::ErrorKind::conflict)
                      return render_error_page(services, request, status_of(voted.error().kind));
                    return render_proposal_page(
                        services, request, context, id,
                        Json{{"errors", errors_json(context.lang, voted.error())}},
                        status_of(voted.error().kind));
                  }
                  return redirect_response("/proposals/" + id + "?done=voted");
                });

  add_page_form(router, services, "/proposals/{id}/comments",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const auto id = request.id<core::ProposalId>();
                  auto posted = services.governance.comment(*context.user, id, field(form, "body"));
                  if (!posted) {
                    if (posted.error().kind != core::ErrorKind::validation)
                      return render_error_page(services, request, status_of(posted.error().kind));
                    return render_proposal_page(
                        services, request, context, id,
                        Json{{"errors", errors_json(context.lang, posted.error())}}, 400);
                  }
                  return redirect_response("/proposals/" + id + "?done=commented#discussion");
                });

  add_page_form(router, services, "/proposals/{id}/close",
                [&services](Request& request, PageContext& context, const Form& form) {
                  if (auto ask = confirmation_first(services, context, request, form,
                                                    "confirm_proposal_close",
                                                    "/proposals/" + request.params["id"]))
                    return *ask;
                  auto closed =
                      services.governance.close(*context.user, request.id<core::ProposalId>());
                  if (!closed)
                    return render_error_page(services, request, status_of(closed.error().kind));
                  return redirect_response("/proposals/" + closed->id + "?done=closed");
                });

  router.add("GET", "/proposals/{id}/results.csv", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto r = services.governance.results(*context.user, request.id<core::ProposalId>());
    if (!r) return render_error_page(services, request, status_of(r.error().kind));
    if (r->withheld) return render_error_page(services, request, 409);
    const auto& lang = context.lang;
    CsvSheet sheet(lang);
    sheet.header(
        {"proposal", "method", "status", "eligible", "voters", "quorum_reached", "outcome"});
    sheet.row({r->proposal.title, translate(lang, "method_" + core::to_string(r->proposal.method)),
               translate(lang, "proposal_" + core::to_string(r->proposal.status)),
               std::to_string(r->eligible), std::to_string(r->voters),
               sheet.yes_no(r->quorum_reached), r->outcome});
    sheet.row({});
    if (r->proposal.method == core::VoteMethod::majority) {
      sheet.header({"choice", "count"});
      sheet.row({sheet.word("choice_yes"), std::to_string(r->majority.yes)});
      sheet.row({sheet.word("choice_no"), std::to_string(r->majority.no)});
      sheet.row({sheet.word("choice_abstain"), std::to_string(r->majority.abstain)});
    } else if (r->proposal.method == core::VoteMethod::consent) {
      sheet.header({"choice", "count", "reason"});
      sheet.row({sheet.word("choice_consent"), std::to_string(r->consent.consent), ""});
      sheet.row({sheet.word("choice_object"), std::to_string(r->consent.object), ""});
      for (const auto& reason : r->objections)
        sheet.row({sheet.word("choice_objection"), "", reason});
    } else {
      std::vector<std::string> header = {sheet.word("rank"), sheet.word("option"),
                                         sheet.word("approvals")};
      for (int grade = core::kGrades - 1; grade >= 0; --grade)
        header.push_back(translate(lang, std::string("grade_") + core::kGradeNames[grade]));
      sheet.row(header);
      for (const auto& o : r->options) {
        std::vector<std::string> row = {std::to_string(o.rank), o.option.name,
                                        std::to_string(o.approvals)};
        for (int grade = core::kGrades - 1; grade >= 0; --grade)
          row.push_back(std::to_string(o.profile[static_cast<std::size_t>(grade)]));
        sheet.row(row);
      }
    }
    return std::move(sheet).response("results-" + r->proposal.id + ".csv");
  });

  router.add("GET", "/orgs/{id}/assemblies/new", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    const core::OrgId org_id = request.id<core::OrgId>();
    if (!app::governance_allows(*context.user, services.orgs.role_of(context.user->user_id, org_id),
                                app::GovernanceAction::call_assembly))
      return render_error_page(services, request, 403);
    return render_page(
        services, context, "assembly_new",
        Json{{"org", {{"id", org_id}}}, {"values", {{"quorum", "25"}, {"held_time", "18:00"}}}},
        "assembly_new_title");
  });

  add_page_form(router, services, "/orgs/{id}/assemblies/new",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const core::OrgId org_id = request.id<core::OrgId>();
                  app::AssemblyInput input;
                  input.title = field(form, "title");
                  input.place = field(form, "place");
                  input.quorum_pct = std::atoll(field(form, "quorum").c_str());
                  std::map<std::string, std::string> problems;
                  if (auto at = date_time_field(form, "held_on", "held_time"))
                    input.held_at = *at;
                  else
                    problems[date_time_blame(form, "held_on", "held_time", "held_at")] =
                        "not a date and time";
                  auto created =
                      problems.empty()
                          ? services.assemblies.create(*context.user, org_id, input)
                          : core::Result<app::AssemblyRecord>(core::Error::validation(problems));
                  if (!created) {
                    if (created.error().kind != core::ErrorKind::validation)
                      return render_error_page(services, request, status_of(created.error().kind));
                    Json values = form;
                    values.erase("_csrf");
                    return render_page(services, context, "assembly_new",
                                       Json{{"org", {{"id", org_id}}},
                                            {"values", values},
                                            {"errors", errors_json(context.lang, created.error())}},
                                       "assembly_new_title", 400);
                  }
                  return redirect_response("/assemblies/" + created->id + "?done=created");
                });

  router.add("GET", "/assemblies/{id}", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    auto view = services.assemblies.get(*context.user, request.params["id"]);
    if (!view) return render_error_page(services, request, status_of(view.error().kind));
    const auto& lang = context.lang;
    Json members = Json::array();
    Json present = Json::array();
    for (const auto& a : view->members) {
      if (a.mode == core::Attendance::present)
        present.push_back(Json{{"value", a.user_id}, {"label", a.display_name}});
    }
    // The chair and the secretary: any member, the current one chosen.
    const auto& record = view->assembly;
    Json chairs = Json::array(), secretaries = Json::array();
    std::string chair_name, secretary_name;
    for (const auto& a : view->members) {
      const bool is_chair = record.chair_user_id && *record.chair_user_id == a.user_id;
      const bool is_secretary = record.secretary_user_id && *record.secretary_user_id == a.user_id;
      if (is_chair) chair_name = a.display_name;
      if (is_secretary) secretary_name = a.display_name;
      chairs.push_back(
          Json{{"value", a.user_id}, {"label", a.display_name}, {"selected", is_chair}});
      secretaries.push_back(
          Json{{"value", a.user_id}, {"label", a.display_name}, {"selected", is_secretary}});
    }
    for (const auto& a : view->members) {
      // Who may represent this member: someone present, not themself; the
      // current representative chosen.
      Json by = Json::array();
      for (const auto& p : present) {
        if (p["value"] == a.user_id.str()) continue;
        Json option = p;
        option["selected"] = a.represented_by && p["value"] == a.represented_by->str();
        by.push_back(option);
      }
      members.push_back(
          Json{{"user_id", a.user_id},
               {"name", a.display_name},
               {"mode_label", translate(lang, "attendance_" + core::to_string(a.mode))},
               {"by", a.represented_by_name},
               {"is_present", a.mode == core::Attendance::present},
               {"is_represented", a.mode == core::Attendance::represented},
               {"is_absent", a.mode == core::Attendance::absent},
               {"present_members", by}});
    }
    Json agenda = Json::array();
    std::set<std::string> on_agenda;
    for (const auto& item : view->agenda) {
      on_agenda.insert(item.proposal.id);
      Json entry = proposal_summary(lang, item.proposal);
      entry["outcome_text"] =
          item.results ? results_view(lang, *item.results)["outcome_text"] : Json("");
      agenda.push_back(entry);
    }
    Json candidates = Json::array();
    // The organisation's latest 200 proposals may be put on the agenda.
    if (auto list = services.governance.of_org(*context.user, view->assembly.org_id, 200, 0)) {
      for (const auto& p : *list) {
        if (!on_agenda.count(p.id)) candidates.push_back(Json{{"value", p.id}, {"label", p.title}});
      }
    }
    Json data = {{"assembly",
                  {{"id", view->assembly.id},
                   {"title", view->assembly.title},
                   {"place", view->assembly.place},
                   {"held_on", when_json(context.lang, view->assembly.held_at)},
                   {"held_time", time_text(context.lang, view->assembly.held_at)},
                   {"held", view->assembly.held_at <= services.clock.now()},
                   {"chair", chair_name.empty() ? Json(false) : Json(chair_name)},
                   {"secretary", secretary_name.empty() ? Json(false) : Json(secretary_name)},
                   {"chairs", chairs},
                   {"secretaries", secretaries},
                   {"quorum_pct", view->assembly.quorum_pct}}},
                 {"org", {{"id", view->assembly.org_id}, {"name", view->org_name}}},
                 {"title", view->assembly.title},
                 {"members", members},
                 {"members_count", view->members.size()},
                 {"present", view->present},
                 {"represented", view->represented},
                 {"quorum_label", translate(lang, view->quorum_reached ? "results_quorum_reached"
                                                                       : "results_quorum_missed")},
                 {"agenda", agenda},
                 {"has_agenda", !agenda.empty()},
                 {"candidates", candidates},
                 {"has_candidates", !candidates.empty()},
                 {"can_manage", view->can_manage}};
    const auto query = request.query_params();
    if (auto notice = notice_of(request, lang, "notice_assembly_"); !notice.empty())
      data["notice"] = notice;
    if (query.count("error") && catalog_has(lang, "error_assembly_" + query.at("error")))
      data["error_notice"] = translate(lang, "error_assembly_" + query.at("error"));
    return render_page(services, context, "assembly", data, "");
  });

  add_page_form(router, services, "/assemblies/{id}/attendance",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const std::string& id = request.params["id"];
                  std::optional<core::UserId> by;
                  if (!field(form, "represented_by").empty())
                    by = core::UserId{field(form, "represented_by")};
                  const auto mode = core::parse_attendance(field(form, "mode"));
                  if (!mode)
                    return redirect_response("/assemblies/" + id + "?error=attendance#attendance");
                  auto done = services.assemblies.set_attendance(
                      *context.user, id, core::UserId{field(form, "user_id")}, *mode, by);
                  if (!done) {
                    const auto kind = done.error().kind;
                    if (kind == core::ErrorKind::forbidden || kind == core::ErrorKind::not_found)
                      return render_error_page(services, request, status_of(kind));
                    return redirect_response("/assemblies/" + id + "?error=attendance#attendance");
                  }
                  return redirect_response("/assemblies/" + id + "?done=attendance#attendance");
                });

  add_page_form(router, services, "/assemblies/{id}/officers",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const std::string& id = request.params["id"];
                  const auto chosen = [&](const char* name) -> std::optional<core::UserId> {
                    if (field(form, name).empty()) return std::nullopt;
                    return core::UserId{field(form, name)};
                  };
                  auto done = services.assemblies.set_officers(
                      *context.user, id, chosen("chair_user_id"), chosen("secretary_user_id"));
                  if (!done) {
                    const auto kind = done.error().kind;
                    if (kind == core::ErrorKind::forbidden || kind == core::ErrorKind::not_found)
                      return render_error_page(services, request, status_of(kind));
                    return redirect_response("/assemblies/" + id + "?error=officers#officers");
                  }
                  return redirect_response("/assemblies/" + id + "?done=officers#officers");
                });

  add_page_form(router, services, "/assemblies/{id}/agenda",
                [&services](Request& request, PageContext& context, const Form& form) {
                  const std::string& id = request.params["id"];
                  auto done = services.assemblies.add_item(
                      *context.user, id, core::ProposalId{field(form, "proposal_id")});
                  if (!done) {
                    const auto kind = done.error().kind;
                    if (kind == core::ErrorKind::forbidden || kind == core::ErrorKind::not_found)
                      return render_error_page(services, request, status_of(kind));
                    return redirect_response("/assemblies/" + id + "?error=agenda#agenda");
                  }
                  return redirect_response("/assemblies/" + id + "?done=agenda#agenda");
                });

  for (const std::string format : {"md", "pdf"}) {
    router.add("GET", "/assemblies/{id}/minutes." + format, [&services, format](Request& request) {
      auto context = page_context(services, request);
      if (!context.user) return login_redirect(request);
      auto view = services.assemblies.get(*context.user, request.params["id"]);
      if (!view) return render_error_page(services, request, status_of(view.error().kind));
      // Minutes record a meeting that took place: none before it.
      if (view->assembly.held_at > services.clock.now())
        return render_error_page(services, request, 409);
      const auto lines = minutes_lines(context.lang, *view, services.clock.now());
      const std::string name = "minutes-" + view->assembly.id;
      Response response;
      response.header("Cache-Control", "no-store");
      if (format == "md") {
        std::string md;
        int previous = 0;
        for (const auto& [level, text] : lines) {
          // A list ends with a blank line, or what follows runs into it.
          if (level >= 0 && previous < 0) md += "\n";
          if (level > 0)
            md += std::string(static_cast<std::size_t>(level), '#') + " " + text + "\n\n";
          if (level == 0) md += text + "\n\n";
          if (level < 0) md += "- " + text + "\n";
          previous = level;
        }
        response.content_type = "text/markdown; charset=utf-8";
        response.body = md;
        response.header("Content-Disposition", "attachment; filename=\"" + name + ".md\"");
        return response;
      }
      app::PlainDocument doc;
      doc.title = lines.front().second;
      for (std::size_t idx = 1; idx < lines.size(); ++idx) {
        const auto& [level, text] = lines[idx];
        doc.paragraphs.push_back(level < 0 ? "• " + text : text);
      }
      response.content_type = "application/pdf";
      response.body = services.pdf.pdf(doc);
      response.header("Content-Disposition", "attachment; filename=\"" + name + ".pdf\"");
      return response;
    });
  }

  add_page_form(
      router, services, "/orgs/{id}/proxy",
      [&services](Request& request, PageContext& context, const Form& form) {
        const core::OrgId org_id = request.id<core::OrgId>();
        if (field(form, "revoke") == "1") {
          // Nothing to take back is no error for a page: the state is what was asked.
          (void)services.governance.revoke_proxy(*context.user, org_id);
          return redirect_response("/orgs/" + org_id + "?tab=governance&done=proxy_revoked");
        }
        auto given = services.governance.give_proxy(*context.user, org_id,
                                                    core::UserId{field(form, "to_user_id")});
        if (!given) {
          const auto& code = given.error().code;
          const std::string which = code == "proxy_cap_reached" ? "proxy_cap"
                                    : code == "proxy_chain"     ? "proxy_chain"
                                                                : "proxy_invalid";
          if (given.error().kind == core::ErrorKind::forbidden ||
              given.error().kind == core::ErrorKind::not_found)
            return render_error_page(services, request, status_of(given.error().kind));
          return redirect_response("/orgs/" + org_id + "?tab=governance&error=" + which);
        }
        return redirect_response("/orgs/" + org_id + "?tab=governance&done=proxy_given");
      });
}

}  // namespace essor::web
