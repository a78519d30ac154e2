#include "app/cowriting.hpp"

#include <algorithm>
#include <set>

#include "app/policy.hpp"
#include "app/rate_limits.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;

namespace {

Error no_draft() {
  return Error::not_found("No draft with this id.");
}
Error no_page() {
  return Error::not_found("No page with this id.");
}
Error no_proposal() {
  return Error::not_found("No proposal with this id.");
}
Error no_amendment() {
  return Error::not_found("No amendment with this id.");
}
Error stale(std::int64_t current) {
  return Error::conflict("edit_conflict",
                         "Someone saved another version meanwhile (now revision " +
                             std::to_string(current) +
                             "): your text was not saved; merge it with the current one.");
}

bool is_author(ReadTx& tx, const ProposalRecord& proposal, const core::UserId& user_id) {
  if (proposal.created_by == user_id) return true;
  const auto authors = tx.cowriting().proposal_authors(proposal.id);
  return std::any_of(authors.begin(), authors.end(),
                     [&](const Author& a) { return a.user_id == user_id; });
}

// Revision n of a text against `from` (n - 1, or the empty text before
// the first one, when not given).
Result<DocDiff> diff_of(ReadTx& tx, core::DocKind kind, const std::string& id, std::int64_t n,
                        std::optional<std::int64_t> from) {
  auto to = tx.cowriting().revision(kind, id, n);
  if (!to) return Error::not_found("No revision " + std::to_string(n) + " of this text.");
  DocDiff diff;
  diff.to = std::move(*to);
  const std::int64_t base = from.value_or(n - 1);
  if (base != 0 || from) {
    auto before = tx.cowriting().revision(kind, id, base);
    if (!before) return Error::not_found("No revision " + std::to_string(base) + " of this text.");
    diff.from = std::move(*before);
  } else {
    diff.from.kind = kind;
    diff.from.doc_id = id;
    diff.from.n = 0;
  }
  const std::string from_name = "r" + std::to_string(diff.from.n);
  const std::string to_name = "r" + std::to_string(diff.to.n);
  diff.unified = core::unified_diff(diff.from.body_md, diff.to.body_md, from_name, to_name);
  diff.lines =
      core::diff_lines(core::split_lines(diff.from.body_md), core::split_lines(diff.to.body_md));
  return diff;
}

std::map<std::string, std::string> check_base(std::int64_t base_revision) {
  if (base_revision < 1)
    return {{"base_revision", "the revision your text started from (1 or more)"}};
  return {};
}

}  // namespace

// --- Drafts ------------------------------------------------------------------

Result<DraftRecord> CoWriting::start_draft(const Principal& who, const core::OrgId& org_id,
                                           const std::string& title, const std::string& body_md) {
  auto problems = core::check_doc(title, body_md);
  const TimestampMs now = clock_.now();
  return write_result<DraftRecord>(store_, [&](Tx& tx) -> Result<DraftRecord> {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    if (!cowrite_allows(tx.orgs().member_role(org_id, who.user_id), false, CoWriteAction::start))
      return Error::forbidden("Only the organisation's members write drafts.");
    if (!problems.empty()) return Error::validation(problems);
    DraftRecord draft;
    draft.id = crypto_.random_id();
    draft.org_id = org_id;
    draft.title = core::trim(title);
    draft.body_md = body_md;
    draft.created_by = who.user_id;
    draft.created_at = draft.updated_at = now;
    tx.cowriting().insert_draft(draft);
    draft.coauthors = {{who.user_id, who.display_name}};
    return draft;
  });
}

Result<std::vector<DraftRecord>> CoWriting::drafts_of_org(const Principal& who,
                                                          const core::OrgId& org_id,
                                                          std::int64_t limit, std::int64_t offset) {
  return read_value<Result<std::vector<DraftRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<DraftRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        if (!cowrite_allows(tx.orgs().member_role(org_id, who.user_id), false,
                            CoWriteAction::read_drafts))
          return Error::forbidden("Only the organisation's members see its drafts.");
        return tx.cowriting().drafts_of_org(org_id, limit, offset);
      });
}

Result<DraftView> CoWriting::draft(const Principal& who, const std::string& id) {
  return read_value<Result<DraftView>>(store_, [&](ReadTx& tx) -> Result<DraftView> {
    auto draft = tx.cowriting().draft_by_id(id);
    if (!draft) return no_draft();
    const auto role = tx.orgs().member_role(draft->org_id, who.user_id);
    if (!cowrite_allows(role, false, CoWriteAction::read_drafts)) return no_draft();
    DraftView view;
    const bool author = std::any_of(draft->coauthors.begin(), draft->coauthors.end(),
                                    [&](const Author& a) { return a.user_id == who.user_id; });
    view.may_edit = !draft->proposal_id && cowrite_allows(role, author, CoWriteAction::edit_draft);
    view.comments = tx.cowriting().draft_comments(id);
    if (auto org = tx.orgs().org_by_id(draft->org_id)) view.org_name = org->name;
    view.draft = std::move(*draft);
    return view;
  });
}

Result<DraftRecord> CoWriting::edit_draft(const Principal& who, const std::string& id,
                                          const DocEdit& edit) {
  const TimestampMs now = clock_.now();
  return write_result<DraftRecord>(store_, [&](Tx& tx) -> Result<DraftRecord> {
    auto draft = tx.cowriting().draft_by_id(id);
    if (!draft) return no_draft();
    const auto role = tx.orgs().member_role(draft->org_id, who.user_id);
    if (!role) return no_draft();
    if (!cowrite_allows(role, tx.cowriting().is_coauthor(id, who.user_id),
                        CoWriteAction::edit_draft))
      return Error::forbidden("Only the draft's co-authors edit it; ask one to add you.");
    const std::string title = edit.title.value_or(draft->title);
    auto problems = core::check_doc(title, edit.body_md);
    problems.merge(check_base(edit.base_revision));
    if (!problems.empty()) return Error::validation(problems);
    if (draft->proposal_id)
      return Error::conflict("draft_published", "This draft was published as a proposal.");
    const auto revision = tx.cowriting().update_draft(id, edit.base_revision, core::trim(title),
                                                      edit.body_md, who.user_id, now);
    if (!revision) return stale(draft->revision);
    draft->title = core::trim(title);
    draft->body_md = edit.body_md;
    draft->revision = *revision;
    draft->updated_at = now;
    return *draft;
  });
}

Result<DraftRecord> CoWriting::add_coauthor(const Principal& who, const std::string& id,
                                            const core::UserId& user_id) {
  const TimestampMs now = clock_.now();
  return write_result<DraftRecord>(store_, [&](Tx& tx) -> Result<DraftRecord> {
    auto draft = tx.cowriting().draft_by_id(id);
    if (!draft) return no_draft();
    const auto role = tx.orgs().member_role(draft->org_id, who.user_id);
    if (!role) return no_draft();
    if (!cowrite_allows(role, tx.cowriting().is_coauthor(id, who.user_id),
                        CoWriteAction::edit_draft))
      return Error::forbidden("Only the draft's co-authors add co-authors.");
    if (draft->proposal_id)
      return Error::conflict("draft_published", "This draft was published as a proposal.");
    if (!tx.orgs().member_role(draft->org_id, user_id))
      return Error::validation({{"user_id", "not a member of the organisation"}});
    if (!tx.cowriting().add_coauthor(id, user_id, now))
      return Error::conflict("already_coauthor", "This member already writes this draft.");
    notify_in(tx, crypto_, now, user_id, "draft_coauthor", {{"draft", draft->title}},
              {core::Place::draft, id}, core::Subject::draft, id);
    draft->coauthors = tx.cowriting().draft_by_id(id)->coauthors;
    return *draft;
  });
}

Result<DraftComment> CoWriting::comment_draft(const Principal& who, const std::string& id,
                                              const std::string& body) {
  const TimestampMs now = clock_.now();
  return write_result<DraftComment>(store_, [&](Tx& tx) -> Result<DraftComment> {
    auto draft = tx.cowriting().draft_by_id(id);
    if (!draft) return no_draft();
    if (!cowrite_allows(tx.orgs().member_role(draft->org_id, who.user_id), false,
                        CoWriteAction::read_drafts))
      return no_draft();
    if (auto p = core::check_text(body, 5000)) return Error::validation({{"body", *p}});
    // The comments' budget of an account, as on proposals (their options say it).
    if (governance_.options().rate_limits) {
      if (auto limited = rate_limit(tx, kCommentsPerAccount, who.user_id, now)) return *limited;
    }
    DraftComment comment{crypto_.random_id(), id,  who.user_id,
                         core::trim(body),    now, who.display_name};
    tx.cowriting().insert_draft_comment(comment);
    for (const auto& author : draft->coauthors) {
      if (author.user_id != who.user_id)
        notify_in(tx, crypto_, now, author.user_id, "draft_comment",
                  {{"draft", draft->title}, {"name", who.display_name}}, {core::Place::draft, id},
                  core::Subject::draft, id);
    }
    return comment;
  });
}

Result<std::vector<RevisionRecord>> CoWriting::draft_revisions(const Principal& who,
                                                               const std::string& id) {
  return read_value<Result<std::vector<RevisionRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<RevisionRecord>> {
        auto draft = tx.cowriting().draft_by_id(id);
        if (!draft || !cowrite_allows(tx.orgs().member_role(draft->org_id, who.user_id), false,
                                      CoWriteAction::read_drafts))
          return no_draft();
        return tx.cowriting().revisions(core::DocKind::draft, id);
      });
}

Result<DocDiff> CoWriting::draft_diff(const Principal& who, const std::string& id, std::int64_t n,
                                      std::optional<std::int64_t> from) {
  return read_value<Result<DocDiff>>(store_, [&](ReadTx& tx) -> Result<DocDiff> {
    auto draft = tx.cowriting().draft_by_id(id);
    if (!draft || !cowrite_allows(tx.orgs().member_role(draft->org_id, who.user_id), false,
                                  CoWriteAction::read_drafts))
      return no_draft();
    return diff_of(tx, core::DocKind::draft, id, n, from);
  });
}

Result<ProposalRecord> CoWriting::publish(const Principal& who, const std::string& id,
                                          ProposalInput input) {
  const TimestampMs now = clock_.now();
  return write_result<ProposalRecord>(store_, [&](Tx& tx) -> Result<ProposalRecord> {
    auto draft = tx.cowriting().draft_by_id(id);
    if (!draft) return no_draft();
    const auto role = tx.orgs().member_role(draft->org_id, who.user_id);
    if (!role) return no_draft();
    if (!cowrite_allows(role, tx.cowriting().is_coauthor(id, who.user_id),
                        CoWriteAction::edit_draft))
      return Error::forbidden("Only the draft's co-authors publish it.");
    if (draft->proposal_id)
      return Error::conflict("draft_published", "This draft was already published as a proposal.");
    input.title = draft->title;
    input.body_md = draft->body_md;
    auto proposal = governance_.create_in(tx, who, draft->org_id, input, now);
    if (!proposal) return proposal.error();
    if (!tx.cowriting().mark_published(id, proposal->id, now))
      return Error::conflict("draft_published", "This draft was already published as a proposal.");
    std::vector<core::UserId> authors;
    for (const auto& author : draft->coauthors) {
      // Co-authors who left the organisation are not named.
      if (tx.orgs().member_role(draft->org_id, author.user_id)) authors.push_back(author.user_id);
    }
    tx.cowriting().add_proposal_authors(proposal->id, authors);
    return proposal;
  });
}

// --- Amendments --------------------------------------------------------------

Result<AmendmentRecord> CoWriting::propose_amendment(const Principal& who,
                                                     const core::ProposalId& proposal_id,
                                                     const std::string& body_md,
                                                     const std::string& rationale) {
  const TimestampMs now = clock_.now();
  return write_result<AmendmentRecord>(store_, [&](Tx& tx) -> Result<AmendmentRecord> {
    auto proposal = tx.governance().proposal_by_id(proposal_id);
    if (!proposal) return no_proposal();
    if (!cowrite_allows(tx.orgs().member_role(proposal->org_id, who.user_id), false,
                        CoWriteAction::start))
      return no_proposal();
    std::map<std::string, std::string> problems;
    if (auto p = core::check_text(body_md, core::kMaxDocChars)) problems["body_md"] = *p;
    if (auto p = core::check_text(rationale, core::kMaxRationaleChars, false))
      problems["rationale"] = *p;
    if (!problems.empty()) return Error::validation(problems);
    if (proposal->status != core::ProposalStatus::open || proposal->closes_at <= now)
      return Error::conflict("proposal_closed", "This vote is closed: its text no longer changes.");
    if (body_md == proposal->body_md)
      return Error::validation({{"body_md", "the same as the proposal's text"}});
    AmendmentRecord amendment;
    amendment.id = crypto_.random_id();
    amendment.proposal_id = proposal_id;
    amendment.body_md = body_md;
    amendment.rationale = core::trim(rationale);
    amendment.created_by = who.user_id;
    amendment.created_at = now;
    amendment.author_name = who.display_name;
    tx.cowriting().insert_amendment(amendment);
    std::set<core::UserId> told{who.user_id};
    auto tell = [&](const core::UserId& user_id) {
      if (told.insert(user_id).second)
        notify_in(tx, crypto_, now, user_id, "amendment_proposed",
                  {{"proposal", proposal->title}, {"name", who.display_name}},
                  {core::Place::amendments, proposal_id}, core::Subject::proposal, proposal_id);
    };
    tell(proposal->created_by);
    for (const auto& author : tx.cowriting().proposal_authors(proposal_id)) tell(author.user_id);
    return amendment;
  });
}

Result<AmendmentRecord> CoWriting::decide_amendment(const Principal& who, const std::string& id,
                                                    bool accepted, bool reset_votes) {
  const TimestampMs now = clock_.now();
  return write_result<AmendmentRecord>(store_, [&](Tx& tx) -> Result<AmendmentRecord> {
    auto amendment = tx.cowriting().amendment_by_id(id);
    if (!amendment) return no_amendment();
    auto proposal = tx.governance().proposal_by_id(amendment->proposal_id);
    if (!proposal) return no_amendment();
    const auto role = tx.orgs().member_role(proposal->org_id, who.user_id);
    if (!role) return no_amendment();
    if (!cowrite_allows(role, is_author(tx, *proposal, who.user_id),
                        CoWriteAction::decide_amendment))
      return Error::forbidden("Only the proposal's authors accept or decline amendments.");
    if (amendment->status != core::AmendmentStatus::pending)
      return Error::conflict("amendment_decided", "This amendment was already decided.");
    if (accepted && (proposal->status != core::ProposalStatus::open || proposal->closes_at <= now))
      return Error::conflict("proposal_closed", "This vote is closed: its text no longer changes.");
    const auto to = accepted ? core::AmendmentStatus::accepted : core::AmendmentStatus::declined;
    if (!tx.cowriting().decide_amendment(id, to, who.user_id, now))
      return Error::conflict("amendment_decided", "This amendment was already decided.");
    if (accepted) {
      tx.cowriting().replace_proposal_text(proposal->id, amendment->body_md, amendment->created_by,
                                           "amendment:" + id, now);
      if (reset_votes) tx.cowriting().reset_votes(proposal->id);
    }
    if (amendment->created_by != who.user_id) {
      notify_in(tx, crypto_, now, amendment->created_by,
                accepted ? "amendment_accepted" : "amendment_declined",
                {{"proposal", proposal->title}}, {core::Place::amendments, proposal->id},
                core::Subject::proposal, proposal->id);
    }
    amendment->status = to;
    amendment->decided_by = who.user_id;
    amendment->decided_at = now;
    return *amendment;
  });
}

DocDiff amendment_diff_of(const ProposalRecord& proposal,
                          const std::vector<RevisionRecord>& history,
                          const AmendmentRecord& amendment) {
  DocDiff diff;
  diff.from.kind = diff.to.kind = core::DocKind::proposal;
  diff.from.doc_id = diff.to.doc_id = proposal.id;
  diff.from.body_md = proposal.body_md;
  if (amendment.status == core::AmendmentStatus::accepted) {
    for (std::size_t k = 1; k < history.size(); ++k) {
      if (history[k].note == "amendment:" + amendment.id) diff.from = history[k - 1];
    }
  }
  diff.to.body_md = amendment.body_md;
  diff.unified = core::unified_diff(diff.from.body_md, diff.to.body_md, "proposal", "amendment");
  diff.lines =
      core::diff_lines(core::split_lines(diff.from.body_md), core::split_lines(diff.to.body_md));
  return diff;
}

Result<AmendmentsView> CoWriting::amendments(const Principal& who,
                                             const core::ProposalId& proposal_id) {
  const TimestampMs now = clock_.now();
  return read_value<Result<AmendmentsView>>(store_, [&](ReadTx& tx) -> Result<AmendmentsView> {
    auto proposal = tx.governance().proposal_by_id(proposal_id);
    if (!proposal) return no_proposal();
    const auto role = tx.orgs().member_role(proposal->org_id, who.user_id);
    if (!cowrite_allows(role, false, CoWriteAction::read_drafts)) return no_proposal();
    AmendmentsView view;
    view.authors = tx.cowriting().proposal_authors(proposal_id);
    if (std::none_of(view.authors.begin(), view.authors.end(),
                     [&](const Author& a) { return a.user_id == proposal->created_by; })) {
      const auto users = tx.accounts().users_by_ids({proposal->created_by});
      const auto it = users.find(proposal->created_by);
      view.authors.insert(view.authors.begin(),
                          {proposal->created_by, it == users.end() ? "" : it->second.display_name});
    }
    const bool author = std::any_of(view.authors.begin(), view.authors.end(),
                                    [&](const Author& a) { return a.user_id == who.user_id; });
    const bool open = proposal->status == core::ProposalStatus::open && proposal->closes_at > now;
    view.may_decide = open && cowrite_allows(role, author, CoWriteAction::decide_amendment);
    view.may_amend = open && cowrite_allows(role, false, CoWriteAction::start);
    view.amendments = tx.cowriting().amendments_of(proposal_id);
    view.history = tx.cowriting().revisions(core::DocKind::proposal, proposal_id);
    view.proposal = std::move(*proposal);
    return view;
  });
}

Result<DocDiff> CoWriting::amendment_diff(const Principal& who, const std::string& id) {
  return read_value<Result<DocDiff>>(store_, [&](ReadTx& tx) -> Result<DocDiff> {
    auto amendment = tx.cowriting().amendment_by_id(id);
    if (!amendment) return no_amendment();
    auto proposal = tx.governance().proposal_by_id(amendment->proposal_id);
    if (!proposal || !cowrite_allows(tx.orgs().member_role(proposal->org_id, who.user_id), false,
                                     CoWriteAction::read_drafts))
      return no_amendment();
    return amendment_diff_of(*proposal,
                             amendment->status == core::AmendmentStatus::accepted
                                 ? tx.cowriting().revisions(core::DocKind::proposal, proposal->id)
                                 : std::vector<RevisionRecord>{},
                             *amendment);
  });
}

// --- Shared pages ------------------------------------------------------------

Result<WikiPageRecord> CoWriting::create_page(const Principal& who, const core::OrgId& org_id,
                                              const std::string& title, const std::string& body_md,
                                              const std::string& visibility) {
  auto problems = core::check_doc(title, body_md);
  const auto seen = core::parse_visibility(visibility);
  if (!seen) problems["visibility"] = "must be public or members";
  const TimestampMs now = clock_.now();
  return write_result<WikiPageRecord>(store_, [&](Tx& tx) -> Result<WikiPageRecord> {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    if (!cowrite_allows(tx.orgs().member_role(org_id, who.user_id), false, CoWriteAction::start))
      return Error::forbidden("Only the organisation's members write its pages.");
    if (!problems.empty()) return Error::validation(problems);
    WikiPageRecord page;
    page.id = crypto_.random_id();
    page.org_id = org_id;
    page.title = core::trim(title);
    page.body_md = body_md;
    page.visibility = *seen;
    page.created_by = who.user_id;
    page.created_at = page.updated_at = now;
    if (!tx.cowriting().insert_page(page))
      return Error::conflict("page_title_taken",
                             "The organisation already has a page of this title.");
    return page;
  });
}

Result<WikiPageRecord> CoWriting::edit_page(const Principal& who, const std::string& id,
                                            const DocEdit& edit) {
  const TimestampMs now = clock_.now();
  return write_result<WikiPageRecord>(store_, [&](Tx& tx) -> Result<WikiPageRecord> {
    auto page = tx.cowriting().page_by_id(id);
    if (!page) return no_page();
    const auto role = tx.orgs().member_role(page->org_id, who.user_id);
    if (!may_read(role, page->visibility)) return no_page();
    if (!cowrite_allows(role, false, CoWriteAction::start))
      return Error::forbidden("Only the organisation's members edit its pages.");
    const std::string title = core::trim(edit.title.value_or(page->title));
    auto problems = core::check_doc(title, edit.body_md);
    problems.merge(check_base(edit.base_revision));
    auto visibility = page->visibility;
    if (edit.visibility) {
      if (auto seen = core::parse_visibility(*edit.visibility))
        visibility = *seen;
      else
        problems["visibility"] = "must be public or members";
    }
    if (!problems.empty()) return Error::validation(problems);
    if (title != page->title) {
      if (auto other = tx.cowriting().page_by_title(page->org_id, title); other && other->id != id)
        return Error::conflict("page_title_taken",
                               "The organisation already has a page of this title.");
    }
    const auto revision = tx.cowriting().update_page(id, edit.base_revision, title, edit.body_md,
                                                     visibility, who.user_id, now);
    if (!revision) return stale(page->revision);
    page->title = title;
    page->body_md = edit.body_md;
    page->visibility = visibility;
    page->revision = *revision;
    page->updated_at = now;
    return *page;
  });
}

Result<PageView> CoWriting::page(const std::optional<Principal>& who, const std::string& id) {
  return read_value<Result<PageView>>(store_, [&](ReadTx& tx) -> Result<PageView> {
    auto page = tx.cowriting().page_by_id(id);
    if (!page) return no_page();
    const auto role = role_in(tx, page->org_id, who);
    if (!may_read(role, page->visibility)) return no_page();
    PageView view;
    view.may_edit = cowrite_allows(role, false, CoWriteAction::start);
    for (const auto& title : core::linked_titles(page->body_md)) {
      auto target = tx.cowriting().page_by_title(page->org_id, title);
      if (target && may_read(role, target->visibility)) view.linked_pages[title] = target->id;
    }
    if (auto org = tx.orgs().org_by_id(page->org_id)) view.org_name = org->name;
    view.page = std::move(*page);
    return view;
  });
}

Result<std::vector<WikiPageRecord>> CoWriting::pages_of_org(const std::optional<Principal>& who,
                                                            const core::OrgId& org_id,
                                                            std::int64_t limit,
                                                            std::int64_t offset) {
  return read_value<Result<std::vector<WikiPageRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<WikiPageRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        const auto role = role_in(tx, org_id, who);
        return tx.cowriting().pages_of_org(org_id, may_read(role, core::Visibility::members), limit,
                                           offset);
      });
}

Result<std::vector<RevisionRecord>> CoWriting::page_revisions(const std::optional<Principal>& who,
                                                              const std::string& id) {
  return read_value<Result<std::vector<RevisionRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<RevisionRecord>> {
        auto page = tx.cowriting().page_by_id(id);
        if (!page) return no_page();
        const auto role = role_in(tx, page->org_id, who);
        if (!may_read(role, page->visibility)) return no_page();
        auto revisions = tx.cowriting().revisions(core::DocKind::page, id);
        // Who wrote what is for the organisation's members.
        if (!role) {
          for (auto& revision : revisions) revision.author_id = {}, revision.author_name.clear();
        }
        return revisions;
      });
}

Result<DocDiff> CoWriting::page_diff(const std::optional<Principal>& who, const std::string& id,
                                     std::int64_t n, std::optional<std::int64_t> from) {
  return read_value<Result<DocDiff>>(store_, [&](ReadTx& tx) -> Result<DocDiff> {
    auto page = tx.cowriting().page_by_id(id);
    if (!page || !may_read(role_in(tx, page->org_id, who), page->visibility)) return no_page();
    return diff_of(tx, core::DocKind::page, id, n, from);
  });
}

}  // namespace essor::app
