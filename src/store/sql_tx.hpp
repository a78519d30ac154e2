// app::Tx over one SOCI session, in the SQL subset that SQLite >= 3.35 and
// PostgreSQL >= 15 share. Not thread-safe: one per transaction.
#pragma once

#include "app/ports.hpp"
#include "core/id.hpp"
#include "store/database.hpp"
#include "store/sql_calls.hpp"
#include "store/sql_courses.hpp"
#include "store/sql_cowriting.hpp"
#include "store/sql_dues.hpp"
#include "store/sql_federation.hpp"
#include "store/sql_notices.hpp"

namespace soci {
class session;
}

namespace essor::store {

class SqlTx final : public app::Tx,
                    public app::AccountsWrites,
                    public app::ThrottlesWrites,
                    public app::OrgsWrites,
                    public app::CampaignsWrites,
                    public app::PledgesWrites,
                    public app::IdempotencyWrites,
                    public app::LoansWrites,
                    public app::GovernanceWrites,
                    public app::AssembliesWrites,
                    public app::BudgetsWrites,
                    public app::DiscussionWrites,
                    public app::FollowsWrites,
                    public app::NotificationsWrites,
                    public app::OutboxWrites,
                    public app::EventsWrites,
                    public app::CirclesWrites,
                    public app::LedgerWrites {
 public:
  enum class Mode { read_only, read_write };
  SqlTx(soci::session& sql, Mode mode, Backend backend)
      : sql_(sql),
        mode_(mode),
        backend_(backend),
        dues_(sql, mode == Mode::read_write),
        books_(sql),
        gifts_(sql, mode == Mode::read_write),
        receipts_(sql, mode == Mode::read_write),
        guests_(sql, mode == Mode::read_write),
        calls_(sql, backend, mode == Mode::read_write),
        notices_(sql, backend, mode == Mode::read_write),
        cowriting_(sql, backend, mode == Mode::read_write),
        courses_(sql, backend, mode == Mode::read_write),
        federation_(sql, backend, mode == Mode::read_write) {}
  // Writes a key claimed on trust whose answer was never stored, as a
  // claim without an answer (store/sql_tx_campaigns.cpp).
  ~SqlTx() override;
  SqlTx(const SqlTx&) = delete;
  SqlTx& operator=(const SqlTx&) = delete;

  // The capabilities this class implements itself (sql_tx*.cpp), and
  // those of their own classes.
  app::AccountsWrites& accounts() override { return *this; }
  app::ThrottlesWrites& throttles() override { return *this; }
  app::OrgsWrites& orgs() override { return *this; }
  app::CampaignsWrites& campaigns() override { return *this; }
  app::PledgesWrites& pledges() override { return *this; }
  app::IdempotencyWrites& idempotency() override { return *this; }
  app::LoansWrites& loans() override { return *this; }
  app::GovernanceWrites& governance() override { return *this; }
  app::AssembliesWrites& assemblies() override { return *this; }
  app::BudgetsWrites& budgets() override { return *this; }
  app::DiscussionWrites& discussion() override { return *this; }
  app::FollowsWrites& follows() override { return *this; }
  app::NotificationsWrites& notifications() override { return *this; }
  app::OutboxWrites& outbox() override { return *this; }
  app::EventsWrites& events() override { return *this; }
  app::CirclesWrites& circles() override { return *this; }
  app::LedgerWrites& ledger() override { return *this; }
  app::DuesWrites& dues() override { return dues_; }
  app::BooksReads& books() override { return books_; }
  app::GiftsWrites& gifts() override { return gifts_; }
  app::ReceiptsWrites& receipts() override { return receipts_; }
  app::GuestsWrites& guests() override { return guests_; }
  app::CallsWrites& calls() override { return calls_; }
  app::NoticesWrites& notices() override { return notices_; }
  app::CoWritingWrites& cowriting() override { return cowriting_; }
  app::CoursesWrites& courses() override { return courses_; }
  app::FederationWrites& federation() override { return federation_; }

  std::optional<app::UserRecord> user_by_id(const core::UserId& id) override;
  std::optional<app::UserRecord> user_by_email(const std::string& email_norm) override;
  bool insert_user(const app::UserRecord& user) override;
  std::map<core::UserId, app::UserRecord> users_by_ids(
      const std::vector<core::UserId>& ids) override;
  std::string wallet_of(const core::UserId& user_id) override;
  std::vector<app::PersonalTable> personal_data(const core::UserId& user_id) override;
  void erase_person(const core::UserId& user_id, app::TimestampMs now) override;
  void insert_session(const app::SessionRecord& session) override;
  std::optional<app::SessionRecord> live_session(const std::string& token_hash,
                                                 app::TimestampMs now) override;
  std::optional<std::pair<app::SessionRecord, app::UserRecord>> live_session_with_user(
      const std::string& token_hash, app::TimestampMs now) override;
  std::optional<app::ReaderRow> live_reader(const std::string& token_hash, app::TimestampMs now,
                                            const app::ReaderQuestion& question) override;
  void delete_session(const std::string& token_hash) override;
  std::vector<app::SessionRecord> sessions_of_user(const core::UserId& user_id,
                                                   app::TimestampMs now) override;
  void delete_sessions_of_user(const core::UserId& user_id, const std::string& keep_hash) override;
  void touch_session(const std::string& token_hash, app::TimestampMs now) override;
  void set_email_verified(const core::UserId& user_id, app::TimestampMs at) override;
  void set_password_hash(const core::UserId& user_id, const std::string& hash) override;
  void insert_one_time_token(const app::OneTimeTokenRecord& token) override;
  std::optional<app::OneTimeTokenRecord> use_one_time_token(const std::string& token_hash,
                                                            const std::string& purpose,
                                                            app::TimestampMs now) override;
  void drop_one_time_tokens(const core::UserId& user_id, const std::string& purpose) override;
  app::ThrottleState throttle_state(const std::string& key) override;
  bool throttle_advance(const std::string& key, std::int64_t expected_failures,
                        const app::ThrottleState& next) override;
  void throttle_clear(const std::string& key) override;
  void throttle_forgive(const std::string& key) override;
  std::int64_t rate_hit(const std::string& key, app::TimestampMs window_start) override;
  void insert_org(const app::OrgRecord& org) override;
  void update_org(const app::OrgRecord& org) override;
  std::optional<app::OrgRecord> org_by_id(const core::OrgId& id) override;
  std::vector<app::OrgRecord> list_orgs(std::int64_t limit, std::int64_t offset) override;
  std::vector<app::OrgOfUser> orgs_of_user(const core::UserId& user_id) override;
  std::optional<core::Role> member_role(const core::OrgId& org_id,
                                        const core::UserId& user_id) override;
  bool insert_member(const core::OrgId& org_id, const core::UserId& user_id, core::Role role,
                     app::TimestampMs joined_at) override;
  bool delete_member(const core::OrgId& org_id, const core::UserId& user_id) override;
  std::int64_t count_members_with_role(const core::OrgId& org_id, core::Role role) override;
  std::int64_t count_members(const core::OrgId& org_id) override;
  std::vector<app::MemberRecord> members_with_roles(const core::OrgId& org_id,
                                                    const std::vector<core::Role>& roles) override;
  std::vector<app::MemberRecord> members(const core::OrgId& org_id, std::int64_t limit,
                                         std::int64_t offset) override;

  // sql_tx_campaigns.cpp
  void insert_campaign(const app::CampaignRecord& campaign) override;
  void update_campaign(const app::CampaignRecord& campaign) override;
  std::optional<app::CampaignRecord> campaign_by_id(const core::CampaignId& id) override;
  std::vector<app::CampaignRecord> list_campaigns(const app::CampaignFilter& filter) override;
  bool transition_campaign(const std::string& id, core::CampaignStatus from,
                           core::CampaignStatus to, app::TimestampMs now) override;
  std::vector<core::CampaignId> live_campaigns_ending_by(app::TimestampMs instant,
                                                         std::int64_t limit) override;
  app::CampaignTotals campaign_totals(const core::CampaignId& campaign_id) override;
  std::map<std::string, app::CampaignSide> campaign_sides(
      const std::vector<std::string>& ids) override;
  void replace_rewards(const core::CampaignId& campaign_id,
                       const std::vector<app::RewardRecord>& rewards) override;
  std::vector<app::RewardRecord> rewards_of(const core::CampaignId& campaign_id) override;
  bool claim_reward(const std::string& reward_id) override;
  void release_reward(const std::string& reward_id) override;
  void put_cover(const core::CampaignId& campaign_id, const app::CoverRecord& cover,
                 app::TimestampMs now) override;
  std::optional<app::CoverRecord> cover_of(const core::CampaignId& campaign_id) override;
  void insert_pledge(const app::PledgeRecord& pledge) override;
  std::optional<app::PledgeRecord> pledge_by_id(const std::string& id) override;
  std::vector<app::PledgeRecord> pending_transfers_before(app::TimestampMs before,
                                                          bool unnoticed_only,
                                                          std::int64_t limit) override;
  bool mark_expiry_notice(const std::string& pledge_id, app::TimestampMs now) override;
  bool transition_pledge(const std::string& id, core::PledgeStatus from, core::PledgeStatus to,
                         app::TimestampMs now) override;
  std::vector<app::PledgeOfUser> pledges_of_user(const core::UserId& user_id, std::int64_t limit,
                                                 std::int64_t offset) override;
  std::vector<app::PledgeRecord> pledges_of_campaign(const core::CampaignId& campaign_id,
                                                     core::PledgeStatus status) override;
  std::vector<app::PledgeRecord> pending_pledges_of_org(const core::OrgId& org_id) override;
  core::Cents pledged_by_user(const core::CampaignId& campaign_id,
                              const core::UserId& user_id) override;
  bool claim_idempotency_key(const std::string& user_id, const std::string& key,
                             const std::string& request_hash, app::TimestampMs now) override;
  std::optional<app::StoredResponse> stored_response(const std::string& user_id,
                                                     const std::string& key) override;
  void store_response(const std::string& user_id, const std::string& key, int status,
                      const std::string& body) override;

  // sql_tx_ledger.cpp
  std::optional<app::LedgerHead> lock_ledger_head(app::HeadWait wait) override;
  app::LedgerHead ledger_head() override;
  void append_transfer(const core::Transfer& transfer) override;
  std::vector<core::Transfer> transfers_of_campaign(const core::CampaignId& campaign_id,
                                                    std::int64_t limit,
                                                    std::int64_t offset) override;
  void for_each_transfer(const std::function<void(const core::Transfer&)>& fn) override;
  std::vector<core::Transfer> transfers_after(std::int64_t after_seq, std::int64_t limit) override;
  core::Cents account_balance(const std::string& account) override;
  core::Cents available_balance(const core::UserId& user_id) override;
  void append_unsealed(const core::Transfer& transfer) override;
  std::vector<app::UnsealedTransfer> unsealed_transfers(std::int64_t limit) override;
  void seal(const std::vector<app::UnsealedTransfer>& sealed, const app::LedgerHead& head) override;
  void lock_campaign_money(const core::CampaignId& campaign_id, app::LockMode mode) override;
  std::optional<app::CampaignForMoney> campaign_for_money(const core::CampaignId& campaign_id,
                                                          app::LockMode mode) override;
  void lock_wallet(const core::UserId& user_id) override;

  // sql_tx_governance.cpp
  void insert_proposal(const app::ProposalRecord& proposal,
                       const std::vector<core::UserId>& eligible) override;
  std::optional<app::ProposalRecord> proposal_by_id(const core::ProposalId& id) override;
  std::vector<app::ProposalRecord> proposals_of_org(const core::OrgId& org_id, std::int64_t limit,
                                                    std::int64_t offset) override;
  std::vector<core::ProposalId> open_proposals_closing_by(app::TimestampMs instant,
                                                          std::int64_t limit) override;
  bool close_proposal(const core::ProposalId& id, app::TimestampMs now) override;
  bool is_eligible(const core::ProposalId& proposal_id, const core::UserId& user_id) override;
  std::int64_t eligible_count(const core::ProposalId& proposal_id) override;
  std::optional<app::RegisterEntry> register_entry(const core::ProposalId& proposal_id,
                                                   const core::UserId& user_id) override;
  void put_register_entry(const core::ProposalId& proposal_id,
                          const app::RegisterEntry& entry) override;
  std::vector<app::RegisterEntry> vote_register(const core::ProposalId& proposal_id) override;
  void put_ballot(const core::ProposalId& proposal_id, const std::string& ballot_key,
                  const std::string& choice) override;
  void put_sealed_register_entry(const core::ProposalId& proposal_id,
                                 const app::RegisterEntry& entry,
                                 const std::string& sealed) override;
  std::vector<std::string> sealed_ballots(const core::ProposalId& proposal_id) override;
  void forget_sealed_ballots(const core::ProposalId& proposal_id) override;
  std::vector<std::string> ballots_of(const core::ProposalId& proposal_id) override;
  void put_proxy(const core::OrgId& org_id, const app::ProxyRecord& proxy) override;
  bool delete_proxy(const core::OrgId& org_id, const core::UserId& from_user_id) override;
  std::vector<app::ProxyRecord> proxies_of_org(const core::OrgId& org_id) override;

  void insert_assembly(const app::AssemblyRecord& assembly) override;
  void set_assembly_officers(const std::string& assembly_id,
                             const std::optional<core::UserId>& chair_user_id,
                             const std::optional<core::UserId>& secretary_user_id) override;
  std::optional<app::AssemblyRecord> assembly_by_id(const std::string& id) override;
  std::vector<app::AssemblyRecord> assemblies_of_org(const core::OrgId& org_id) override;
  bool add_to_agenda(const std::string& assembly_id, const core::ProposalId& proposal_id) override;
  std::vector<core::ProposalId> agenda_of(const std::string& assembly_id) override;
  void put_attendance(const std::string& assembly_id, const app::AttendanceRecord& record) override;
  void delete_attendance(const std::string& assembly_id, const core::UserId& user_id) override;
  std::vector<app::AttendanceRecord> attendance_of(const std::string& assembly_id) override;

  void insert_budget(const app::BudgetRecord& budget) override;
  std::optional<app::BudgetRecord> budget_by_id(const std::string& id) override;
  std::vector<app::BudgetRecord> budgets_of_org(const core::OrgId& org_id) override;
  std::vector<std::string> open_budgets_closing_by(app::TimestampMs instant,
                                                   std::int64_t limit) override;
  bool close_budget(const std::string& id, app::TimestampMs now) override;
  void put_budget_ballot(const std::string& budget_id, const app::BudgetBallot& ballot) override;
  std::vector<app::BudgetBallot> budget_ballots(const std::string& budget_id) override;

  // sql_tx_loans.cpp
  void insert_loan_contract(const app::LoanContractRecord& contract) override;
  std::vector<app::LoanContractRecord> loan_contracts(const core::CampaignId& campaign_id) override;
  std::vector<app::LoanContractRecord> loans_of_user(const core::UserId& user_id) override;
  bool confirm_repayment(const app::RepaymentRecord& repayment, const core::UserId& by,
                         app::TimestampMs now) override;
  bool reject_repayment(const std::string& id, const core::UserId& by,
                        app::TimestampMs now) override;
  std::optional<app::RepaymentRecord> repayment_by_id(const std::string& id) override;
  std::vector<app::RepaymentRecord> repayments_with_status(core::RepaymentStatus status) override;
  std::vector<app::RepaymentRecord> query_repayments(const std::string& where_sql,
                                                     const std::string& value);
  void insert_allocations(const app::RepaymentRecord& repayment);
  void insert_repayment(const app::RepaymentRecord& repayment) override;
  std::vector<app::RepaymentRecord> repayments_of_campaign(
      const core::CampaignId& campaign_id) override;
  std::vector<app::ReceiptRecord> receipts_of_user(const core::UserId& user_id,
                                                   app::TimestampMs from,
                                                   app::TimestampMs to) override;
  void insert_withdrawal(const app::WithdrawalRecord& withdrawal) override;
  std::optional<app::WithdrawalRecord> withdrawal_by_id(const std::string& id) override;
  bool transition_withdrawal(const std::string& id, core::WithdrawalStatus from,
                             core::WithdrawalStatus to, const core::UserId& by,
                             app::TimestampMs now) override;
  std::vector<app::WithdrawalRecord> withdrawals_of_user(const core::UserId& user_id) override;
  std::vector<app::WithdrawalRecord> withdrawals_with_status(
      core::WithdrawalStatus status) override;

  // sql_tx_community.cpp
  void insert_comment(const app::CommentRecord& comment) override;
  std::optional<app::CommentRecord> comment_by_id(const std::string& id) override;
  std::vector<app::CommentRecord> comments_of(core::Subject target_type,
                                              const std::string& target_id, std::int64_t limit,
                                              std::int64_t offset) override;
  std::vector<app::CommentRecord> comment_threads(core::Subject target_type,
                                                  const std::string& target_id, std::int64_t limit,
                                                  std::int64_t offset) override;
  std::map<std::string, std::vector<app::CommentRecord>> comments_of_many(
      core::Subject target_type, const std::vector<std::string>& target_ids) override;
  bool hide_comment(const std::string& id) override;
  void insert_update(const app::UpdateRecord& update) override;
  std::optional<app::UpdateRecord> update_by_id(const std::string& id) override;
  std::vector<app::UpdateRecord> updates_of_campaign(const core::CampaignId& campaign_id,
                                                     std::int64_t limit,
                                                     std::int64_t offset) override;
  bool hide_update(const std::string& id) override;
  bool insert_report(const app::ReportRecord& report) override;
  std::vector<app::ReportRecord> open_reports(std::int64_t limit) override;
  void resolve_reports(core::Subject target_type, const std::string& target_id,
                       const std::string& resolution, app::TimestampMs now) override;
  bool insert_follow(const core::UserId& user_id, const app::FollowRecord& follow) override;
  bool delete_follow(const core::UserId& user_id, core::Subject target_type,
                     const std::string& target_id) override;
  std::vector<app::FollowRecord> follows_of(const core::UserId& user_id) override;
  bool is_following(const core::UserId& user_id, core::Subject target_type,
                    const std::string& target_id) override;
  std::vector<core::UserId> followers_of(core::Subject target_type,
                                         const std::string& target_id) override;
  void insert_activity(const app::ActivityRecord& activity) override;
  void delete_activities_of(core::Subject subject_type, const std::string& subject_id) override;
  std::vector<app::ActivityRecord> feed_of(const core::UserId& user_id, std::int64_t limit,
                                           std::int64_t offset) override;
  std::vector<app::ActivityRecord> activities_of_org(const core::OrgId& org_id,
                                                     std::int64_t limit) override;
  void insert_notification(const app::NotificationRecord& notification) override;
  std::vector<app::NotificationRecord> notifications_of(const core::UserId& user_id,
                                                        std::int64_t limit,
                                                        std::int64_t offset) override;
  std::int64_t unread_notifications(const core::UserId& user_id) override;
  std::int64_t mark_notifications_read(const core::UserId& user_id,
                                       const std::vector<std::string>& ids,
                                       app::TimestampMs now) override;
  void delete_notifications_of(core::Subject subject_type, const std::string& subject_id) override;
  std::vector<core::UserId> users_with_mail_due(std::int64_t limit) override;
  std::vector<app::NotificationRecord> mail_due_of(const core::UserId& user_id) override;
  void mark_mailed(const std::vector<std::string>& notification_ids, app::TimestampMs now) override;
  std::optional<app::MailSettings> mail_settings(const core::UserId& user_id) override;
  std::optional<app::MailSettings> mail_settings_by_token(const std::string& token) override;
  void put_mail_settings(const app::MailSettings& settings) override;
  void insert_outbox(const app::OutboxMail& mail) override;
  std::vector<app::OutboxMail> claim_outbox(app::TimestampMs now, app::TimestampMs until,
                                            std::int64_t limit) override;
  void mark_sent(const std::string& id, app::TimestampMs now) override;
  void mark_send_failed(const std::string& id, const std::string& error) override;
  std::vector<app::OutboxMail> recent_outbox(const core::UserId& user_id,
                                             std::int64_t limit) override;
  void insert_event(const app::EventRecord& event) override;
  std::optional<app::EventRecord> event_by_id(const std::string& id) override;
  std::vector<app::EventRecord> events_of_org(const core::OrgId& org_id, app::TimestampMs from,
                                              std::int64_t limit, std::int64_t offset) override;
  std::vector<app::EventRecord> events_to_remind(app::TimestampMs from, app::TimestampMs until,
                                                 std::int64_t limit) override;
  bool update_event(const app::EventRecord& event) override;
  bool cancel_event(const std::string& event_id, app::TimestampMs now) override;
  bool mark_reminded(const std::string& event_id, app::TimestampMs now) override;
  bool take_seat(const std::string& event_id) override;
  void release_seat(const std::string& event_id) override;
  std::optional<app::RegistrationRecord> registration(const std::string& event_id,
                                                      const core::UserId& user_id) override;
  bool insert_registration(const app::RegistrationRecord& registration) override;
  bool delete_registration(const std::string& event_id, const core::UserId& user_id) override;
  bool set_registration_status(const std::string& event_id, const core::UserId& user_id,
                               core::RegistrationStatus from, core::RegistrationStatus to) override;
  std::vector<app::RegistrationRecord> registrations_of(const std::string& event_id) override;
  void insert_circle(const app::CircleRecord& circle) override;
  std::optional<app::CircleRecord> circle_by_id(const std::string& id) override;
  std::vector<app::CircleRecord> circles_of_user(const core::UserId& user_id) override;
  bool insert_circle_member(const std::string& circle_id, const core::UserId& user_id,
                            app::TimestampMs now) override;
  void delete_circle_member(const std::string& circle_id, const core::UserId& user_id) override;
  void insert_invitation(const app::InvitationRecord& invitation) override;
  std::optional<app::InvitationRecord> invitation_by_token(const std::string& token_hash) override;
  bool answer_invitation(const std::string& id, core::InvitationStatus status,
                         app::TimestampMs now) override;
  bool is_circle_member(const std::string& circle_id, const core::UserId& user_id) override;
  std::vector<app::CircleMemberRecord> circle_members(const std::string& circle_id) override;
  void touch_circle_member(const std::string& circle_id, const core::UserId& user_id,
                           app::TimestampMs now) override;
  void mark_circle_digest(const std::string& circle_id, const core::UserId& user_id,
                          app::TimestampMs now) override;
  std::vector<std::pair<std::string, core::UserId>> circle_digests_due(app::TimestampMs seen_before,
                                                                       std::int64_t limit) override;
  void insert_circle_post(const app::CirclePostRecord& post) override;
  std::vector<app::CirclePostRecord> circle_posts(const std::string& circle_id,
                                                  app::TimestampMs since, std::int64_t limit,
                                                  std::int64_t offset) override;
  std::optional<app::CirclePostRecord> circle_post(const std::string& post_id) override;
  std::vector<app::OrgRecord> search_orgs(const std::string& query, std::int64_t limit) override;
  std::vector<app::EventRecord> search_events(const std::string& query, app::TimestampMs from,
                                              std::int64_t limit) override;

 private:
  void require_writable() const;
  std::vector<app::OrgRecord> query_orgs(const std::string& where_sql, const std::string& param,
                                         std::int64_t limit, std::int64_t offset);

  std::vector<app::ProposalRecord> query_proposals(const std::string& where_sql,
                                                   const std::string& value, std::int64_t limit,
                                                   std::int64_t offset);
  std::vector<app::AssemblyRecord> query_assemblies(const std::string& where_sql,
                                                    const std::string& value);
  std::vector<app::BudgetRecord> query_budgets(const std::string& where_sql,
                                               const std::string& value);
  std::vector<app::LoanContractRecord> query_contracts(const std::string& column,
                                                       const std::string& value);
  std::vector<app::WithdrawalRecord> query_withdrawals(const std::string& where_sql,
                                                       const std::string& value);

  std::vector<app::PledgeRecord> query_pledges(const std::string& where_sql, const std::string& a,
                                               const std::string& b, std::int64_t limit,
                                               std::int64_t offset);

  soci::session& sql_;
  Mode mode_;
  Backend backend_;
  // Keys claimed without a statement (PostgreSQL while the group commit
  // holds rows, SQLite under the writer's lock): written with their
  // answer by store_response (as held rows on PostgreSQL).
  struct HeldClaim {
    std::string user_id, key, request_hash;
    app::TimestampMs now;
  };
  std::vector<HeldClaim> held_claims_;
  std::vector<HeldClaim>::iterator held_claim(const std::string& user_id, const std::string& key);
  SqlDues dues_;
  SqlBooks books_;
  SqlGifts gifts_;
  SqlReceipts receipts_;
  SqlGuests guests_;
  SqlCalls calls_;
  SqlNotices notices_;
  SqlCoWriting cowriting_;
  SqlCourses courses_;
  SqlFederation federation_;
};

// PostgreSQL, at a group commit's start: reads the sessions (with their
// people) of these token hashes in one statement, kept for the batch as
// SqlTx::live_session_with_user's reads (GroupWriterOptions::read_ahead).
void read_sessions_ahead(soci::session& sql, const std::vector<std::string>& token_hashes);

}  // namespace essor::store
