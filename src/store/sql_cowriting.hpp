// app::CoWritingWrites (drafts, revisions, amendments, shared pages) over
// the transaction's session, through statements kept prepared
// (store/native.hpp). Internal to store/: SqlTx hands it out as its
// cowriting().
#pragma once

#include "app/cowriting_port.hpp"
#include "core/id.hpp"
#include "store/database.hpp"

namespace soci {
class session;
}

namespace essor::store {

class SqlCoWriting final : public app::CoWritingWrites {
 public:
  SqlCoWriting(soci::session& sql, Backend backend, bool writable)
      : sql_(sql), backend_(backend), writable_(writable) {}

  std::optional<app::DraftRecord> draft_by_id(const std::string& id) override;
  std::vector<app::DraftRecord> drafts_of_org(const core::OrgId& org_id, std::int64_t limit,
                                              std::int64_t offset) override;
  bool is_coauthor(const std::string& draft_id, const core::UserId& user_id) override;
  std::vector<app::DraftComment> draft_comments(const std::string& draft_id) override;
  std::vector<app::RevisionRecord> revisions(core::DocKind kind,
                                             const std::string& doc_id) override;
  std::optional<app::RevisionRecord> revision(core::DocKind kind, const std::string& doc_id,
                                              std::int64_t n) override;
  std::vector<app::Author> proposal_authors(const core::ProposalId& proposal_id) override;
  std::optional<app::AmendmentRecord> amendment_by_id(const std::string& id) override;
  std::vector<app::AmendmentRecord> amendments_of(const core::ProposalId& proposal_id) override;
  std::optional<app::WikiPageRecord> page_by_id(const std::string& id) override;
  std::optional<app::WikiPageRecord> page_by_title(const core::OrgId& org_id,
                                                   const std::string& title) override;
  std::vector<app::WikiPageRecord> pages_of_org(const core::OrgId& org_id, bool members_too,
                                                std::int64_t limit, std::int64_t offset) override;

  void insert_draft(const app::DraftRecord& draft) override;
  std::optional<std::int64_t> update_draft(const std::string& id, std::int64_t base_revision,
                                           const std::string& title, const std::string& body_md,
                                           const core::UserId& author_id,
                                           core::TimestampMs now) override;
  bool add_coauthor(const std::string& draft_id, const core::UserId& user_id,
                    core::TimestampMs now) override;
  void insert_draft_comment(const app::DraftComment& comment) override;
  bool mark_published(const std::string& draft_id, const core::ProposalId& proposal_id,
                      core::TimestampMs now) override;
  void add_proposal_authors(const core::ProposalId& proposal_id,
                            const std::vector<core::UserId>& user_ids) override;
  void insert_amendment(const app::AmendmentRecord& amendment) override;
  bool decide_amendment(const std::string& id, core::AmendmentStatus to, const core::UserId& by,
                        core::TimestampMs now) override;
  void replace_proposal_text(const core::ProposalId& proposal_id, const std::string& body_md,
                             const core::UserId& author_id, const std::string& note,
                             core::TimestampMs now) override;
  void reset_votes(const core::ProposalId& proposal_id) override;
  bool insert_page(const app::WikiPageRecord& page) override;
  std::optional<std::int64_t> update_page(const std::string& id, std::int64_t base_revision,
                                          const std::string& title, const std::string& body_md,
                                          core::Visibility visibility,
                                          const core::UserId& author_id,
                                          core::TimestampMs now) override;

 private:
  void require_writable() const;
  void insert_revision(const app::RevisionRecord& revision);
  std::vector<app::Author> coauthors(const std::string& draft_id);
  soci::session& sql_;
  Backend backend_;
  bool writable_;
};

}  // namespace essor::store
