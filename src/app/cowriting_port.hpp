// The store's part for co-creation: drafts and their co-authors, the
// revisions of drafts, shared pages and proposals (one history), draft
// comments, proposal authors and amendments. A small port of its own
// (ReadTx::cowriting() reads, Tx::cowriting() also writes). An edit is a
// compare-and-set on the revision it was based on: of two edits on the
// same revision, one is written and the other told it is stale.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cowriting.hpp"
#include "core/id.hpp"
#include "core/time.hpp"

namespace essor::app {

struct Author {
  core::UserId user_id;
  std::string display_name;
};

struct DraftRecord {
  std::string id;
  core::OrgId org_id;
  std::string title, body_md;
  std::int64_t revision = 1;
  std::optional<core::ProposalId> proposal_id;  // once published
  core::UserId created_by;
  core::TimestampMs created_at = 0, updated_at = 0;
  std::vector<Author> coauthors;  // read with it, in the order they joined
};

struct RevisionRecord {
  core::DocKind kind = core::DocKind::draft;
  std::string doc_id;
  std::int64_t n = 1;
  std::string title, body_md;
  core::UserId author_id;
  std::string note;  // "amendment:<id>" when an amendment made it
  core::TimestampMs created_at = 0;
  std::string author_name;  // read with it
};

struct DraftComment {
  std::string id, draft_id;
  core::UserId user_id;
  std::string body;
  core::TimestampMs created_at = 0;
  std::string author_name;  // read with it
};

struct AmendmentRecord {
  std::string id;
  core::ProposalId proposal_id;
  std::string body_md, rationale;
  core::AmendmentStatus status = core::AmendmentStatus::pending;
  core::UserId created_by;
  core::TimestampMs created_at = 0;
  std::optional<core::UserId> decided_by;
  std::optional<core::TimestampMs> decided_at;
  std::string author_name;  // read with it
};

struct WikiPageRecord {
  std::string id;
  core::OrgId org_id;
  std::string title, body_md;
  core::Visibility visibility = core::Visibility::members;
  std::int64_t revision = 1;
  core::UserId created_by;
  core::TimestampMs created_at = 0, updated_at = 0;
};

class CoWritingReads {
 public:
  virtual ~CoWritingReads() = default;
  virtual std::optional<DraftRecord> draft_by_id(const std::string& id) = 0;
  // Newest change first.
  virtual std::vector<DraftRecord> drafts_of_org(const core::OrgId& org_id, std::int64_t limit,
                                                 std::int64_t offset) = 0;
  virtual bool is_coauthor(const std::string& draft_id, const core::UserId& user_id) = 0;
  virtual std::vector<DraftComment> draft_comments(const std::string& draft_id) = 0;
  // Oldest first.
  virtual std::vector<RevisionRecord> revisions(core::DocKind kind, const std::string& doc_id) = 0;
  virtual std::optional<RevisionRecord> revision(core::DocKind kind, const std::string& doc_id,
                                                 std::int64_t n) = 0;
  // Those named as a proposal's authors besides the member who made it
  // (a published draft's co-authors), in the order they joined.
  virtual std::vector<Author> proposal_authors(const core::ProposalId& proposal_id) = 0;
  virtual std::optional<AmendmentRecord> amendment_by_id(const std::string& id) = 0;
  // Oldest first.
  virtual std::vector<AmendmentRecord> amendments_of(const core::ProposalId& proposal_id) = 0;
  virtual std::optional<WikiPageRecord> page_by_id(const std::string& id) = 0;
  virtual std::optional<WikiPageRecord> page_by_title(const core::OrgId& org_id,
                                                      const std::string& title) = 0;
  // By title, limit from offset; members_too: the members-only pages as
  // well.
  virtual std::vector<WikiPageRecord> pages_of_org(const core::OrgId& org_id, bool members_too,
                                                   std::int64_t limit, std::int64_t offset) = 0;
};

class CoWritingWrites : public CoWritingReads {
 public:
  // The draft, its first revision, and its author as first co-author.
  virtual void insert_draft(const DraftRecord& draft) = 0;
  // The draft's text, if it is still at base_revision and not published:
  // its new revision number, or nothing (stale or published).
  [[nodiscard]] virtual std::optional<std::int64_t> update_draft(
      const std::string& id, std::int64_t base_revision, const std::string& title,
      const std::string& body_md, const core::UserId& author_id, core::TimestampMs now) = 0;
  // False when already a co-author.
  [[nodiscard]] virtual bool add_coauthor(const std::string& draft_id, const core::UserId& user_id,
                                          core::TimestampMs now) = 0;
  virtual void insert_draft_comment(const DraftComment& comment) = 0;
  // False when it already was published.
  [[nodiscard]] virtual bool mark_published(const std::string& draft_id,
                                            const core::ProposalId& proposal_id,
                                            core::TimestampMs now) = 0;
  virtual void add_proposal_authors(const core::ProposalId& proposal_id,
                                    const std::vector<core::UserId>& user_ids) = 0;
  virtual void insert_amendment(const AmendmentRecord& amendment) = 0;
  // pending → accepted or declined; false when it was not pending.
  [[nodiscard]] virtual bool decide_amendment(const std::string& id, core::AmendmentStatus to,
                                              const core::UserId& by, core::TimestampMs now) = 0;
  // The proposal's text replaced (an accepted amendment), with its
  // revision recorded; its first revision (the text it was opened with)
  // is recorded first if it was not yet.
  virtual void replace_proposal_text(const core::ProposalId& proposal_id,
                                     const std::string& body_md, const core::UserId& author_id,
                                     const std::string& note, core::TimestampMs now) = 0;
  // Every ballot and who voted, for a proposal whose text changed.
  virtual void reset_votes(const core::ProposalId& proposal_id) = 0;
  // False when the organisation already has a page of this title.
  [[nodiscard]] virtual bool insert_page(const WikiPageRecord& page) = 0;
  // As update_draft (the title checked free before).
  [[nodiscard]] virtual std::optional<std::int64_t> update_page(
      const std::string& id, std::int64_t base_revision, const std::string& title,
      const std::string& body_md, core::Visibility visibility, const core::UserId& author_id,
      core::TimestampMs now) = 0;
};

}  // namespace essor::app
