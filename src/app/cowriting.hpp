// Co-creation (spec "Co-creation"): members write a proposal together as a
// draft (co-authors, revisions, line diffs, comments) and publish it as a
// proposal naming every co-author; any member proposes amendments to an
// open proposal, its authors accept or decline them; an organisation keeps
// shared pages (public or members-only, revised like drafts, linked by
// [[Title]]). An edit names the revision it was based on: an edit on a
// stale revision is refused (409 edit_conflict), never written over
// another's. Who may do what is app/policy's cowrite_allows. Safe from many
// threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/governance.hpp"
#include "app/ports.hpp"
#include "core/diff.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct DraftView {
  DraftRecord draft;
  std::vector<DraftComment> comments;
  bool may_edit = false;  // a co-author still a member, and not yet published
  std::string org_name;
};

// Revision from → revision to of one text.
struct DocDiff {
  RevisionRecord from, to;  // from.n == 0: the empty text before the first revision
  std::string unified;
  std::vector<core::DiffLine> lines;
};

struct AmendmentsView {
  ProposalRecord proposal;
  std::vector<Author> authors;  // who made it, then the published draft's co-authors
  std::vector<AmendmentRecord> amendments;
  std::vector<RevisionRecord> history;  // the proposal's texts, once one was amended
  bool may_decide = false;
  bool may_amend = false;  // a member, while the vote is open
};

// An amendment's diff: a pending one against the proposal's text of today,
// an accepted one against the text it was decided on (from history, the
// proposal's revisions). Pure: a page of amendments computes every diff
// from its one read.
DocDiff amendment_diff_of(const ProposalRecord& proposal,
                          const std::vector<RevisionRecord>& history,
                          const AmendmentRecord& amendment);

struct PageView {
  WikiPageRecord page;
  // The pages its [[Title]]s name that the reader may read: title → id
  // (web/links.hpp's linked_md makes them links).
  std::map<std::string, std::string> linked_pages;
  std::string org_name;
  bool may_edit = false;
};

struct DocEdit {
  std::optional<std::string> title;  // kept when not given
  std::string body_md;
  std::int64_t base_revision = 0;
  std::optional<std::string> visibility;  // shared pages only; kept when not given
};

class CoWriting {
 public:
  CoWriting(Store& store, Crypto& crypto, Clock& clock, Governance& governance)
      : store_(store), crypto_(crypto), clock_(clock), governance_(governance) {}

  // Drafts: members of the organisation only (404 for anyone else).
  core::Result<DraftRecord> start_draft(const Principal& who, const core::OrgId& org_id,
                                        const std::string& title, const std::string& body_md);
  // Newest change first: limit of them from offset.
  core::Result<std::vector<DraftRecord>> drafts_of_org(const Principal& who,
                                                       const core::OrgId& org_id,
                                                       std::int64_t limit, std::int64_t offset);
  core::Result<DraftView> draft(const Principal& who, const std::string& id);
  // 409 edit_conflict when base_revision is not the draft's revision.
  core::Result<DraftRecord> edit_draft(const Principal& who, const std::string& id,
                                       const DocEdit& edit);
  core::Result<DraftRecord> add_coauthor(const Principal& who, const std::string& id,
                                         const core::UserId& user_id);
  core::Result<DraftComment> comment_draft(const Principal& who, const std::string& id,
                                           const std::string& body);
  core::Result<std::vector<RevisionRecord>> draft_revisions(const Principal& who,
                                                            const std::string& id);
  // Revision n against `from` (n - 1 when not given).
  core::Result<DocDiff> draft_diff(const Principal& who, const std::string& id, std::int64_t n,
                                   std::optional<std::int64_t> from);
  // The draft's title and text become a proposal (input's method, closing
  // time and options), its co-authors its authors.
  core::Result<ProposalRecord> publish(const Principal& who, const std::string& id,
                                       ProposalInput input);

  // Amendments.
  core::Result<AmendmentRecord> propose_amendment(const Principal& who,
                                                  const core::ProposalId& proposal_id,
                                                  const std::string& body_md,
                                                  const std::string& rationale);
  core::Result<AmendmentRecord> decide_amendment(const Principal& who, const std::string& id,
                                                 bool accepted, bool reset_votes);
  core::Result<AmendmentsView> amendments(const Principal& who,
                                          const core::ProposalId& proposal_id);
  core::Result<DocDiff> amendment_diff(const Principal& who, const std::string& id);

  // Shared pages: public ones for everyone, members' ones for members
  // (404 for anyone else); members write.
  core::Result<WikiPageRecord> create_page(const Principal& who, const core::OrgId& org_id,
                                           const std::string& title, const std::string& body_md,
                                           const std::string& visibility);
  core::Result<WikiPageRecord> edit_page(const Principal& who, const std::string& id,
                                         const DocEdit& edit);
  core::Result<PageView> page(const std::optional<Principal>& who, const std::string& id);
  // An organisation's shared pages that who may read, by title, limit
  // from offset.
  core::Result<std::vector<WikiPageRecord>> pages_of_org(const std::optional<Principal>& who,
                                                         const core::OrgId& org_id,
                                                         std::int64_t limit, std::int64_t offset);
  core::Result<std::vector<RevisionRecord>> page_revisions(const std::optional<Principal>& who,
                                                           const std::string& id);
  core::Result<DocDiff> page_diff(const std::optional<Principal>& who, const std::string& id,
                                  std::int64_t n, std::optional<std::int64_t> from);

 private:
  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  Governance& governance_;
};

}  // namespace essor::app
