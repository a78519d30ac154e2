// SqlCoWriting: drafts, revisions, amendments, shared pages.
#include "store/sql_cowriting.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "core/id.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"

namespace essor::store {

namespace {

#define ESSOR_DRAFT_COLUMNS                                                            \
  "SELECT id, org_id, title, body_md, revision, proposal_id, created_by, created_at, " \
  "updated_at FROM drafts "

#define ESSOR_REVISION_COLUMNS                                                                \
  "SELECT r.doc_kind, r.doc_id, r.n, r.title, r.body_md, r.author_id, r.note, r.created_at, " \
  "u.display_name FROM revisions r JOIN users u ON u.id = r.author_id "

#define ESSOR_AMENDMENT_COLUMNS                                                              \
  "SELECT a.id, a.proposal_id, a.body_md, a.rationale, a.status, a.created_by, "             \
  "a.created_at, a.decided_by, a.decided_at, u.display_name FROM amendments a JOIN users u " \
  "ON u.id = a.created_by "

#define ESSOR_PAGE_COLUMNS                                                            \
  "SELECT id, org_id, title, body_md, visibility, revision, created_by, created_at, " \
  "updated_at FROM wiki_pages "

app::DraftRecord draft_from_row(const NativeRow& row) {
  app::DraftRecord d;
  d.id = row.text(0);
  d.org_id = row.text(1);
  d.title = row.text(2);
  d.body_md = row.text(3);
  d.revision = row.i64(4);
  d.proposal_id = row.opt(5);
  d.created_by = row.text(6);
  d.created_at = row.i64(7);
  d.updated_at = row.i64(8);
  return d;
}

core::DocKind kind_of(const std::string& text) {
  if (text == "page") return core::DocKind::page;
  if (text == "proposal") return core::DocKind::proposal;
  if (text == "draft") return core::DocKind::draft;
  throw std::runtime_error("unknown revision kind in the database: " + text);
}

app::RevisionRecord revision_from_row(const NativeRow& row) {
  app::RevisionRecord r;
  r.kind = kind_of(row.text(0));
  r.doc_id = row.text(1);
  r.n = row.i64(2);
  r.title = row.text(3);
  r.body_md = row.text(4);
  r.author_id = row.text(5);
  r.note = row.text(6);
  r.created_at = row.i64(7);
  r.author_name = row.text(8);
  return r;
}

app::AmendmentRecord amendment_from_row(const NativeRow& row) {
  app::AmendmentRecord a;
  a.id = row.text(0);
  a.proposal_id = row.text(1);
  a.body_md = row.text(2);
  a.rationale = row.text(3);
  a.status = known(core::parse_amendment_status, row.text(4));
  a.created_by = row.text(5);
  a.created_at = row.i64(6);
  a.decided_by = row.opt(7);
  a.decided_at = row.opt_i64(8);
  a.author_name = row.text(9);
  return a;
}

app::WikiPageRecord page_from_row(const NativeRow& row) {
  app::WikiPageRecord p;
  p.id = row.text(0);
  p.org_id = row.text(1);
  p.title = row.text(2);
  p.body_md = row.text(3);
  p.visibility = known(core::parse_visibility, row.text(4));
  p.revision = row.i64(5);
  p.created_by = row.text(6);
  p.created_at = row.i64(7);
  p.updated_at = row.i64(8);
  return p;
}

}  // namespace

void SqlCoWriting::require_writable() const {
  if (!writable_) throw std::logic_error("write inside a read transaction");
}

std::vector<app::Author> SqlCoWriting::coauthors(const std::string& draft_id) {
  std::vector<app::Author> out;
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT a.user_id, u.display_name FROM draft_coauthors a "
                                      "JOIN users u ON u.id = a.user_id WHERE a.draft_id = ? "
                                      "ORDER BY a.position",
                                      {draft_id}))
    out.push_back({row.text(0), row.text(1)});
  return out;
}

std::optional<app::DraftRecord> SqlCoWriting::draft_by_id(const std::string& id) {
  for (const auto& row : native_query(sql_, backend_, ESSOR_DRAFT_COLUMNS "WHERE id = ?", {id})) {
    auto draft = draft_from_row(row);
    draft.coauthors = coauthors(id);
    return draft;
  }
  return std::nullopt;
}

std::vector<app::DraftRecord> SqlCoWriting::drafts_of_org(const core::OrgId& org_id,
                                                          std::int64_t limit, std::int64_t offset) {
  std::vector<app::DraftRecord> out;
  for (const auto& row : native_query(
           sql_, backend_,
           ESSOR_DRAFT_COLUMNS "WHERE org_id = ? ORDER BY updated_at DESC, id LIMIT ? OFFSET ?",
           {org_id, limit, offset}))
    out.push_back(draft_from_row(row));
  return out;
}

bool SqlCoWriting::is_coauthor(const std::string& draft_id, const core::UserId& user_id) {
  return !native_query(sql_, backend_,
                       "SELECT 1 FROM draft_coauthors WHERE draft_id = ? AND user_id = ?",
                       {draft_id, user_id})
              .empty();
}

std::vector<app::DraftComment> SqlCoWriting::draft_comments(const std::string& draft_id) {
  std::vector<app::DraftComment> out;
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT c.id, c.draft_id, c.user_id, c.body, c.created_at, "
                                      "u.display_name FROM draft_comments c JOIN users u ON u.id "
                                      "= c.user_id WHERE c.draft_id = ? ORDER BY c.created_at, "
                                      "c.id",
                                      {draft_id}))
    out.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.i64(4), row.text(5)});
  return out;
}

std::vector<app::RevisionRecord> SqlCoWriting::revisions(core::DocKind kind,
                                                         const std::string& doc_id) {
  std::vector<app::RevisionRecord> out;
  for (const auto& row :
       native_query(sql_, backend_,
                    ESSOR_REVISION_COLUMNS "WHERE r.doc_kind = ? AND r.doc_id = ? ORDER BY r.n",
                    {core::to_string(kind), doc_id}))
    out.push_back(revision_from_row(row));
  return out;
}

std::optional<app::RevisionRecord> SqlCoWriting::revision(core::DocKind kind,
                                                          const std::string& doc_id,
                                                          std::int64_t n) {
  for (const auto& row :
       native_query(sql_, backend_,
                    ESSOR_REVISION_COLUMNS "WHERE r.doc_kind = ? AND r.doc_id = ? AND r.n = ?",
                    {core::to_string(kind), doc_id, n}))
    return revision_from_row(row);
  return std::nullopt;
}

std::vector<app::Author> SqlCoWriting::proposal_authors(const core::ProposalId& proposal_id) {
  std::vector<app::Author> out;
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT a.user_id, u.display_name FROM proposal_authors a "
                                      "JOIN users u ON u.id = a.user_id WHERE a.proposal_id = ? "
                                      "ORDER BY a.position",
                                      {proposal_id}))
    out.push_back({row.text(0), row.text(1)});
  return out;
}

std::optional<app::AmendmentRecord> SqlCoWriting::amendment_by_id(const std::string& id) {
  for (const auto& row :
       native_query(sql_, backend_, ESSOR_AMENDMENT_COLUMNS "WHERE a.id = ?", {id}))
    return amendment_from_row(row);
  return std::nullopt;
}

std::vector<app::AmendmentRecord> SqlCoWriting::amendments_of(const core::ProposalId& proposal_id) {
  std::vector<app::AmendmentRecord> out;
  for (const auto& row :
       native_query(sql_, backend_,
                    ESSOR_AMENDMENT_COLUMNS "WHERE a.proposal_id = ? ORDER BY a.created_at, a.id",
                    {proposal_id}))
    out.push_back(amendment_from_row(row));
  return out;
}

std::optional<app::WikiPageRecord> SqlCoWriting::page_by_id(const std::string& id) {
  for (const auto& row : native_query(sql_, backend_, ESSOR_PAGE_COLUMNS "WHERE id = ?", {id}))
    return page_from_row(row);
  return std::nullopt;
}

std::optional<app::WikiPageRecord> SqlCoWriting::page_by_title(const core::OrgId& org_id,
                                                               const std::string& title) {
  for (const auto& row : native_query(
           sql_, backend_, ESSOR_PAGE_COLUMNS "WHERE org_id = ? AND title = ?", {org_id, title}))
    return page_from_row(row);
  return std::nullopt;
}

std::vector<app::WikiPageRecord> SqlCoWriting::pages_of_org(const core::OrgId& org_id,
                                                            bool members_too, std::int64_t limit,
                                                            std::int64_t offset) {
  std::vector<app::WikiPageRecord> out;
  const auto rows =
      members_too
          ? native_query(sql_, backend_,
                         ESSOR_PAGE_COLUMNS "WHERE org_id = ? ORDER BY title, id LIMIT ? OFFSET ?",
                         {org_id, limit, offset})
          : native_query(sql_, backend_,
                         ESSOR_PAGE_COLUMNS
                         "WHERE org_id = ? AND visibility = 'public' ORDER BY title, id "
                         "LIMIT ? OFFSET ?",
                         {org_id, limit, offset});
  for (const auto& row : rows) out.push_back(page_from_row(row));
  return out;
}

void SqlCoWriting::insert_revision(const app::RevisionRecord& r) {
  native_query(sql_, backend_,
               "INSERT INTO revisions (doc_kind, doc_id, n, title, body_md, author_id, note, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               {core::to_string(r.kind), r.doc_id, r.n, r.title, r.body_md, r.author_id, r.note,
                r.created_at});
}

void SqlCoWriting::insert_draft(const app::DraftRecord& d) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO drafts (id, org_id, title, body_md, revision, proposal_id, "
               "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 1, NULL, ?, ?, ?)",
               {d.id, d.org_id, d.title, d.body_md, d.created_by, d.created_at, d.updated_at});
  native_query(sql_, backend_,
               "INSERT INTO draft_coauthors (draft_id, user_id, position, added_at) VALUES (?, ?, "
               "1, ?)",
               {d.id, d.created_by, d.created_at});
  insert_revision(
      {core::DocKind::draft, d.id, 1, d.title, d.body_md, d.created_by, "", d.created_at, ""});
}

std::optional<std::int64_t> SqlCoWriting::update_draft(
    const std::string& id, std::int64_t base_revision, const std::string& title,
    const std::string& body_md, const core::UserId& author_id, core::TimestampMs now) {
  require_writable();
  // Compare and set: the row changes only if nobody wrote since the base.
  const auto rows =
      native_query(sql_, backend_,
                   "UPDATE drafts SET title = ?, body_md = ?, revision = revision + 1, "
                   "updated_at = ? WHERE id = ? AND revision = ? AND proposal_id IS NULL "
                   "RETURNING revision",
                   {title, body_md, now, id, base_revision});
  if (rows.empty()) return std::nullopt;
  const std::int64_t n = rows.front().i64(0);
  insert_revision({core::DocKind::draft, id, n, title, body_md, author_id, "", now, ""});
  return n;
}

bool SqlCoWriting::add_coauthor(const std::string& draft_id, const core::UserId& user_id,
                                core::TimestampMs now) {
  require_writable();
  return !native_query(sql_, backend_,
                       "INSERT INTO draft_coauthors (draft_id, user_id, position, added_at) "
                       "SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ? FROM draft_coauthors "
                       "WHERE draft_id = ? ON CONFLICT DO NOTHING RETURNING user_id",
                       {draft_id, user_id, now, draft_id})
              .empty();
}

void SqlCoWriting::insert_draft_comment(const app::DraftComment& c) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO draft_comments (id, draft_id, user_id, body, created_at) VALUES (?, "
               "?, ?, ?, ?)",
               {c.id, c.draft_id, c.user_id, c.body, c.created_at});
}

bool SqlCoWriting::mark_published(const std::string& draft_id, const core::ProposalId& proposal_id,
                                  core::TimestampMs now) {
  require_writable();
  return !native_query(sql_, backend_,
                       "UPDATE drafts SET proposal_id = ?, updated_at = ? WHERE id = ? AND "
                       "proposal_id IS NULL RETURNING id",
                       {proposal_id, now, draft_id})
              .empty();
}

void SqlCoWriting::add_proposal_authors(const core::ProposalId& proposal_id,
                                        const std::vector<core::UserId>& user_ids) {
  require_writable();
  std::int64_t position = 0;
  for (const auto& user_id : user_ids) {
    native_query(sql_, backend_,
                 "INSERT INTO proposal_authors (proposal_id, user_id, position) VALUES (?, ?, ?) "
                 "ON CONFLICT DO NOTHING",
                 {proposal_id, user_id, ++position});
  }
}

void SqlCoWriting::insert_amendment(const app::AmendmentRecord& a) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO amendments (id, proposal_id, body_md, rationale, status, created_by, "
               "created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
               {a.id, a.proposal_id, a.body_md, a.rationale, a.created_by, a.created_at});
}

bool SqlCoWriting::decide_amendment(const std::string& id, core::AmendmentStatus to,
                                    const core::UserId& by, core::TimestampMs now) {
  require_writable();
  return !native_query(sql_, backend_,
                       "UPDATE amendments SET status = ?, decided_by = ?, decided_at = ? WHERE "
                       "id = ? AND status = 'pending' RETURNING id",
                       {core::to_string(to), by, now, id})
              .empty();
}

void SqlCoWriting::replace_proposal_text(const core::ProposalId& proposal_id,
                                         const std::string& body_md, const core::UserId& author_id,
                                         const std::string& note, core::TimestampMs now) {
  require_writable();
  // The text the proposal was opened with, as its first revision.
  native_query(sql_, backend_,
               "INSERT INTO revisions (doc_kind, doc_id, n, title, body_md, author_id, note, "
               "created_at) SELECT 'proposal', id, 1, title, body_md, created_by, '', created_at "
               "FROM proposals WHERE id = ? ON CONFLICT DO NOTHING",
               {proposal_id});
  const auto rows =
      native_query(sql_, backend_, "UPDATE proposals SET body_md = ? WHERE id = ? RETURNING title",
                   {body_md, proposal_id});
  if (rows.empty()) throw std::runtime_error("no proposal " + proposal_id);
  const auto last = native_query(sql_, backend_,
                                 "SELECT MAX(n) FROM revisions WHERE doc_kind = 'proposal' AND "
                                 "doc_id = ?",
                                 {proposal_id});
  insert_revision({core::DocKind::proposal, proposal_id, last.front().i64(0) + 1,
                   rows.front().text(0), body_md, author_id, note, now, ""});
}

void SqlCoWriting::reset_votes(const core::ProposalId& proposal_id) {
  require_writable();
  native_query(sql_, backend_, "DELETE FROM ballots WHERE proposal_id = ?", {proposal_id});
  native_query(sql_, backend_, "DELETE FROM vote_register WHERE proposal_id = ?", {proposal_id});
}

bool SqlCoWriting::insert_page(const app::WikiPageRecord& p) {
  require_writable();
  const bool inserted =
      !native_query(sql_, backend_,
                    "INSERT INTO wiki_pages (id, org_id, title, body_md, visibility, revision, "
                    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) ON "
                    "CONFLICT DO NOTHING RETURNING id",
                    {p.id, p.org_id, p.title, p.body_md, core::to_string(p.visibility),
                     p.created_by, p.created_at, p.updated_at})
           .empty();
  if (inserted) {
    insert_revision(
        {core::DocKind::page, p.id, 1, p.title, p.body_md, p.created_by, "", p.created_at, ""});
  }
  return inserted;
}

std::optional<std::int64_t> SqlCoWriting::update_page(
    const std::string& id, std::int64_t base_revision, const std::string& title,
    const std::string& body_md, core::Visibility visibility, const core::UserId& author_id,
    core::TimestampMs now) {
  require_writable();
  const auto rows =
      native_query(sql_, backend_,
                   "UPDATE wiki_pages SET title = ?, body_md = ?, visibility = ?, revision = "
                   "revision + 1, updated_at = ? WHERE id = ? AND revision = ? RETURNING revision",
                   {title, body_md, core::to_string(visibility), now, id, base_revision});
  if (rows.empty()) return std::nullopt;
  const std::int64_t n = rows.front().i64(0);
  insert_revision({core::DocKind::page, id, n, title, body_md, author_id, "", now, ""});
  return n;
}

}  // namespace essor::store
