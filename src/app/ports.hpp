// The ports the use cases need from the outside world. Each is a small
// interface implemented in store/ or adapters/; the app knows nothing of SQL,
// HTTP or libsodium.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/books_port.hpp"
#include "app/calls_port.hpp"
#include "app/courses_port.hpp"
#include "app/cowriting_port.hpp"
#include "app/dues_port.hpp"
#include "app/federation_port.hpp"
#include "app/gifts_port.hpp"
#include "app/guests_port.hpp"
#include "app/notices_port.hpp"
#include "app/receipts_port.hpp"
#include "core/campaign.hpp"
#include "core/governance.hpp"
#include "core/id.hpp"
#include "core/ledger.hpp"
#include "core/loan.hpp"
#include "core/subject.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::TimestampMs;

struct UserRecord {
  core::UserId id;
  std::string email;       // as typed at sign-up
  std::string email_norm;  // lower-cased, unique
  std::string display_name;
  std::string password_hash;
  TimestampMs created_at = 0;
  std::optional<TimestampMs> email_verified_at;  // when the address was proven
  std::string wallet_id;  // the opaque id of their money account in the ledger
};

// One value of a personal-data export: what a column held.
struct PersonalValue {
  enum class Kind { null, integer, text } kind = Kind::null;
  std::int64_t integer = 0;
  std::string text;
};
using PersonalRow = std::vector<std::pair<std::string, PersonalValue>>;  // column, value
struct PersonalTable {
  std::string name;
  std::vector<PersonalRow> rows;
};

struct SessionRecord {
  std::string token_hash;  // SHA-256 of the bearer token: tokens are never stored
  core::UserId user_id;
  TimestampMs created_at = 0;
  TimestampMs expires_at = 0;
  TimestampMs last_seen_at = 0;  // refreshed at most every few minutes
};

// A single-use token sent by mail (email verification, password reset);
// only its hash is stored.
struct OneTimeTokenRecord {
  std::string token_hash;
  std::string purpose;  // verify_email, password_reset
  core::UserId user_id;
  std::string email_norm;  // the address it was sent to
  TimestampMs created_at = 0;
  TimestampMs expires_at = 0;
};

// Failed logins of one key ("acct:…", "addr:…"): how many in a row, and
// when the next attempt may be made.
struct ThrottleState {
  std::int64_t failures = 0;
  TimestampMs last_at = 0;
  TimestampMs next_at = 0;
};

struct OrgRecord {
  core::OrgId id;
  std::string name;
  core::LegalForm legal_form = core::LegalForm::association;
  std::string description;
  std::optional<std::string> siren, region, department, iban, bic;
  // Proposals' eligible voters are the members whose dues of a voting plan
  // are paid when the vote opens (statutes often say so).
  bool voting_requires_dues = false;
  core::UserId created_by;
  TimestampMs created_at = 0;
};

// An organisation a person belongs to, and their role in it.
struct OrgOfUser {
  OrgRecord org;
  core::Role role = core::Role::member;
};

struct MemberRecord {
  core::UserId user_id;
  std::string display_name;
  core::Role role = core::Role::member;
  TimestampMs joined_at = 0;
};

// An invitation to an organisation or a circle (spec "Invitations
// (consent)"); only the hash of its token is kept.
struct InvitationRecord {
  std::string id;
  std::string token_hash;
  core::InvitationTarget target_kind = core::InvitationTarget::org;
  std::string target_id;
  std::string email_norm;
  core::Role role = core::Role::member;  // always member for a circle
  core::UserId invited_by;
  core::InvitationStatus status = core::InvitationStatus::pending;
  TimestampMs created_at = 0;
  TimestampMs expires_at = 0;
  std::optional<TimestampMs> answered_at;
};

struct RewardRecord {
  std::string id;
  core::CampaignId campaign_id;
  std::int64_t position = 0;
  std::string title;
  std::string description;
  core::Cents min_amount_cents = 0;
  std::optional<std::int64_t> quantity_limit;
  std::int64_t claimed = 0;                  // pending and confirmed pledges holding it
  std::optional<core::Cents> value_cents{};  // what it is worth (none: its minimum)
};

struct CampaignRecord {
  core::CampaignId id;
  core::OrgId org_id;
  std::string title, summary, description_md, category;
  core::CampaignKind kind = core::CampaignKind::donation;
  core::FundingModel funding_model = core::FundingModel::keep_it_all;
  core::CampaignStatus status = core::CampaignStatus::draft;
  core::Cents goal_cents = 0;
  TimestampMs ends_at = 0;
  std::optional<std::string> reject_reason;
  std::optional<core::LoanTerms> loan;
  core::UserId created_by;
  TimestampMs created_at = 0;
  std::optional<TimestampMs> published_at, resolved_at;
};

struct CampaignTotals {
  core::Cents raised_cents = 0;    // confirmed (and refunded or paid out: money that came in)
  core::Cents pledged_cents = 0;   // confirmed plus pending
  std::int64_t backers_count = 0;  // people with a pending or confirmed pledge
  core::Cents matched_cents = 0;   // a funder's matches (matchfunding), not given back
};

struct CampaignSide {
  CampaignTotals totals;
  std::string org_name;
  std::optional<std::string> cover_hash;
  std::vector<RewardRecord> rewards;  // in their order
};

struct CampaignFilter {
  std::optional<core::CampaignStatus> status;
  std::optional<std::string> category, query;
  std::optional<core::OrgId> org_id;
  // Drafts and campaigns in review are listed only when this is set, which
  // Campaigns::list does for the organisation's members and moderators.
  bool include_unpublished = false;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

struct PledgeRecord {
  std::string id;
  core::CampaignId campaign_id;
  core::UserId user_id;
  core::Cents amount_cents = 0;
  std::optional<std::string> reward_id;
  core::PledgeStatus status = core::PledgeStatus::pending;
  core::PaymentMethod payment_method = core::PaymentMethod::sandbox_card;
  bool anonymous = false;
  std::optional<std::string> message;
  std::string reference;  // unique, given to the bank with a transfer
  TimestampMs created_at = 0;
  TimestampMs updated_at = 0;
};

// A person's pledge and the title of the campaign it went to (a campaign
// that took a pledge was live, and stays public).
struct PledgeOfUser {
  PledgeRecord pledge;
  std::string campaign_title;
};

struct CoverRecord {
  std::string content_type;  // image/jpeg, image/png, image/webp
  std::string data_base64;
  std::string sha256;  // of the bytes: the ETag
};

// One lender's loan to a succeeded loan campaign, with what came back.
struct LoanContractRecord {
  core::CampaignId campaign_id;
  core::UserId user_id;
  core::Cents amount_cents = 0;
  core::Cents repaid_principal_cents = 0;
  core::Cents repaid_interest_cents = 0;
  TimestampMs created_at = 0;
};

struct AllocationRecord {
  core::UserId user_id;
  core::Cents principal_cents = 0;
  core::Cents interest_cents = 0;
};

struct RepaymentRecord {
  std::string id;
  core::CampaignId campaign_id;
  core::Cents amount_cents = 0;
  core::Cents principal_cents = 0;
  core::Cents interest_cents = 0;
  core::UserId recorded_by;
  TimestampMs created_at = 0;
  std::vector<AllocationRecord> allocations;
  // pending (declared by the borrower), confirmed (a moderator saw the money
  // arrive: only then does it reach the lenders), rejected.
  core::RepaymentStatus status = core::RepaymentStatus::pending;
};

// What one lender received from one repayment (yearly statements).
struct ReceiptRecord {
  std::string repayment_id;
  core::CampaignId campaign_id;
  core::Cents principal_cents = 0;
  core::Cents interest_cents = 0;
  TimestampMs created_at = 0;
};

struct WithdrawalRecord {
  std::string id;
  core::UserId user_id;
  core::Cents amount_cents = 0;
  std::string iban;
  core::WithdrawalStatus status = core::WithdrawalStatus::requested;
  TimestampMs created_at = 0;
  std::optional<TimestampMs> executed_at;
  std::optional<core::UserId> executed_by;
};

struct ProposalOption {
  std::string id;
  std::string name;
};

struct ProposalRecord {
  core::ProposalId id;
  core::OrgId org_id;
  std::string title, body_md;
  core::VoteMethod method = core::VoteMethod::majority;
  core::ProposalStatus status = core::ProposalStatus::open;
  TimestampMs closes_at = 0;
  std::int64_t quorum_pct = 0;
  std::int64_t threshold_pct = 50;
  bool secret = false;
  std::vector<ProposalOption> options;
  core::UserId created_by;
  TimestampMs created_at = 0;
  std::optional<TimestampMs> closed_at;
};

// Who voted: directly (via empty) or through a proxy held by via.
struct RegisterEntry {
  core::UserId user_id;
  std::optional<core::UserId> via_user_id;
};

struct ProxyRecord {
  core::UserId from_user_id;
  core::UserId to_user_id;
  TimestampMs created_at = 0;
};

struct AssemblyRecord {
  std::string id;
  core::OrgId org_id;
  std::string title;
  std::string place;
  TimestampMs held_at = 0;
  std::int64_t quorum_pct = 0;
  core::UserId created_by;
  TimestampMs created_at = 0;
  // The chair and the secretary of the meeting, named in the minutes.
  std::optional<core::UserId> chair_user_id, secretary_user_id;
};

struct AttendanceRecord {
  core::UserId user_id;
  core::Attendance mode = core::Attendance::present;  // present or represented (absent: no row)
  std::optional<core::UserId> represented_by;
};

struct BudgetProjectRecord {
  std::string id;
  std::string title;
  std::string description;
  core::Cents cost_cents = 0;
  std::optional<core::CampaignId> campaign_id;
};

struct BudgetRecord {
  std::string id;
  core::OrgId org_id;
  std::string title, description;
  core::Cents envelope_cents = 0;
  core::BudgetStatus status = core::BudgetStatus::open;
  TimestampMs closes_at = 0;
  std::vector<BudgetProjectRecord> projects;
  core::UserId created_by;
  TimestampMs created_at = 0;
  std::optional<TimestampMs> closed_at;
};

// One member's approvals.
struct BudgetBallot {
  core::UserId user_id;
  std::vector<std::string> project_ids;
};

// A comment on a campaign, a news item or a proposal. A reply points to a
// top-level comment of the same target (one level of replies).
struct CommentRecord {
  std::string id;
  core::UserId user_id;
  std::string display_name;  // when read
  std::string body;
  TimestampMs created_at = 0;
  std::optional<std::string> parent_id;
  core::Subject target_type = core::Subject::campaign;  // commentable()
  std::string target_id;
  bool hidden = false;
};

// News posted by an organisation on one of its campaigns.
struct UpdateRecord {
  std::string id;
  core::CampaignId campaign_id;
  std::string title;
  std::string body_md;
  core::UserId created_by;
  std::string author_name;  // when read
  TimestampMs created_at = 0;
  bool hidden = false;
};

struct ReportRecord {
  std::string id;
  core::Subject target_type = core::Subject::comment;  // reportable()
  std::string target_id;
  core::UserId user_id;
  std::string reason;
  TimestampMs created_at = 0;
};

struct FollowRecord {
  core::Subject target_type = core::Subject::org;  // followable()
  std::string target_id;
  TimestampMs created_at = 0;
};

// Something that happened in public, shown in the feeds of those who
// follow its organisation, campaign or actor. Never about a circle.
struct ActivityRecord {
  std::string id;
  std::string kind;  // campaign_published, update_posted, event_created, comment_posted
  core::UserId actor_id;
  std::string actor_name;  // when read
  std::optional<core::OrgId> org_id;
  std::optional<core::CampaignId> campaign_id;
  core::Subject subject_type = core::Subject::org;
  std::string subject_id;
  std::string text;  // rows from before kinds had parameters; empty since
  core::Link link;   // its page (web/links.cpp spells it)
  std::string url;   // rows from before links: their page's path; empty since
  TimestampMs created_at = 0;
  // What the sentence of its kind is made of, worded by Wording when read.
  std::map<std::string, std::string> params;
};

struct NotificationRecord {
  std::string id;
  core::UserId user_id;
  std::string kind;
  std::string text;
  core::Link link;  // its page (web/links.cpp spells it)
  std::string url;  // rows from before links: their page's path; empty since
  core::Subject subject_type = core::Subject::org;
  std::string subject_id;
  TimestampMs created_at = 0;
  std::optional<TimestampMs> read_at;
  bool mail = true;  // false: shown in the site only (circle posts go by digest)
  // As ActivityRecord's: the sentence is worded when read, in the
  // reader's language (text: rows from before, empty since).
  std::map<std::string, std::string> params;
};

struct MailSettings {
  core::UserId user_id;
  core::MailMode mode = core::MailMode::immediate;
  std::string unsubscribe_token;
  std::optional<TimestampMs> last_digest_at;
};

struct OutboxMail {
  std::string id;
  core::UserId user_id;
  std::string kind;
  std::string to_address;
  std::string subject;
  std::string body;
  std::string unsubscribe_url;
  TimestampMs created_at = 0;
  std::int64_t attempts = 0;
};

struct EventRecord {
  std::string id;
  core::OrgId org_id;
  std::string title;
  std::string description_md;
  TimestampMs starts_at = 0;
  TimestampMs ends_at = 0;
  std::optional<std::string> location, online_url;
  std::optional<std::int64_t> capacity;
  std::int64_t registered = 0;  // seats taken
  core::UserId created_by;
  TimestampMs created_at = 0;
  std::optional<TimestampMs> reminded_at;
  std::optional<TimestampMs> cancelled_at;
  // Raised by each change and by the cancellation: a calendar's SEQUENCE.
  std::int64_t sequence = 0;
};

struct RegistrationRecord {
  std::string event_id;
  core::UserId user_id;
  std::string display_name;  // when read
  core::RegistrationStatus status = core::RegistrationStatus::registered;
  TimestampMs created_at = 0;
};

struct CircleRecord {
  std::string id;
  std::string name;
  std::string description;
  core::UserId created_by;
  TimestampMs created_at = 0;
};

struct CircleMemberRecord {
  core::UserId user_id;
  std::string display_name;
  std::string email;
  TimestampMs joined_at = 0;
  TimestampMs last_seen_at = 0;
  std::optional<TimestampMs> last_digest_at;
};

struct CirclePostRecord {
  std::string id;
  std::string circle_id;
  core::UserId user_id;
  std::string display_name;  // when read
  std::string body_md;
  std::optional<std::string> photo_type;  // image/jpeg, image/png, image/webp
  std::string photo_base64;               // loaded only by circle_photo
  TimestampMs created_at = 0;
};

struct StoredResponse {
  std::string request_hash;
  int status = 0;  // 0 while the first request is still running
  std::string body;
};

struct LedgerHead {
  std::int64_t seq = 0;
  std::string hash = core::kGenesisHash;
};

// A transfer committed but not yet in the chain (stores that seal later):
// its place in the queue, and the transfer without seq, prev_hash or hash.
struct UnsealedTransfer {
  std::int64_t entry = 0;
  core::Transfer transfer;
};

// How a money lock is held: shared by those who add to what it guards,
// exclusive by those who read all of it to decide.
enum class LockMode { shared, exclusive };

// Whether taking the ledger's head waits for another transaction holding
// it (queue) or gives nothing at once (skip_if_held).
enum class HeadWait { queue, skip_if_held };

// A campaign as a pledge into it decides on it: the campaign, its
// organisation (its bank details say how it is paid), and the funders'
// call that accepted it (matchfunding), if any.
// The campaign and its organisation without their descriptions
// (description_md and description are empty): what money needs, not what
// a page shows.
struct CampaignForMoney {
  CampaignRecord campaign;
  std::optional<OrgRecord> org;
  std::optional<std::string> matching_call;
};

// One transaction on the database. Every method runs inside the
// transaction that Store::read or Store::write opened; write methods called
// from a read transaction throw. Not safe to share between threads.
// What a page kept for any signed-in reader needs of the one reading it:
// their role in the page's organisation (org_id, "" when none) and
// whether they follow (follow_type, follow_id) (follow_id "" when the page
// has no follow button).
struct ReaderQuestion {
  core::OrgId org_id;
  core::Subject follow_type = core::Subject::org;
  std::string follow_id;
};

struct ReaderRow {
  SessionRecord session;
  UserRecord user;
  std::optional<core::Role> role;  // in the question's organisation
  std::int64_t unread = 0;         // unread notifications
  core::Cents balance = 0;         // spendable wallet balance
  bool following = false;
};

// The store by capability: one small port per part of the domain, each
// a Reads (what a read transaction may ask) and a Writes (the reads and
// the writes). ReadTx and Tx below hand them out, so a use case names
// what it touches (tx.pledges().insert_pledge(...)) and a test fakes
// only those parts.

// People, their sessions and one-time tokens (sql_tx.cpp).
class AccountsReads {
 public:
  virtual ~AccountsReads() = default;
  virtual std::optional<UserRecord> user_by_id(const core::UserId& id) = 0;
  virtual std::optional<UserRecord> user_by_email(const std::string& email_norm) = 0;
  // The users of these ids that exist, by id, in one statement.
  virtual std::map<core::UserId, UserRecord> users_by_ids(const std::vector<core::UserId>& ids) = 0;
  // Everything stored about a person, table by table (GDPR art. 15/20):
  // never password hashes, tokens or other people's secret ballots.
  virtual std::vector<PersonalTable> personal_data(const core::UserId& user_id) = 0;
  // The wallet id of a user (throws if there is no such user).
  virtual std::string wallet_of(const core::UserId& user_id) = 0;
  // The session whose token hashes to token_hash and that expires after now.
  virtual std::optional<SessionRecord> live_session(const std::string& token_hash,
                                                    TimestampMs now) = 0;
  // live_session and its user, in one statement (every signed-in request).
  virtual std::optional<std::pair<SessionRecord, UserRecord>> live_session_with_user(
      const std::string& token_hash, TimestampMs now) = 0;
  // live_session_with_user and what a page shows of that reader (see
  // ReaderQuestion), in one statement.
  virtual std::optional<ReaderRow> live_reader(const std::string& token_hash, TimestampMs now,
                                               const ReaderQuestion& question) = 0;
  virtual std::vector<SessionRecord> sessions_of_user(const core::UserId& user_id,
                                                      TimestampMs now) = 0;
};

class AccountsWrites : public AccountsReads {
 public:
  // False when the normalised email is already taken (nothing written).
  [[nodiscard]] virtual bool insert_user(const UserRecord& user) = 0;
  // Erases or anonymises a person (GDPR art. 17): profile and address
  // emptied (the address may sign up again), sessions, tokens, memberships,
  // follows, notifications and posts gone, comments emptied and hidden,
  // pledges made anonymous; money records and the ledger stay, under the
  // person's wallet, which nothing links to anyone any more.
  virtual void erase_person(const core::UserId& user_id, TimestampMs now) = 0;
  virtual void insert_session(const SessionRecord& session) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;
  // Every session of the user but keep_hash's (none kept when empty).
  virtual void delete_sessions_of_user(const core::UserId& user_id,
                                       const std::string& keep_hash) = 0;
  virtual void touch_session(const std::string& token_hash, TimestampMs now) = 0;
  virtual void set_email_verified(const core::UserId& user_id, TimestampMs at) = 0;
  virtual void set_password_hash(const core::UserId& user_id, const std::string& hash) = 0;
  virtual void insert_one_time_token(const OneTimeTokenRecord& token) = 0;
  // Marks the token used and returns it, when it exists for that purpose,
  // is unused and expires after now: one guarded statement, so a token
  // works once however many requests race.
  [[nodiscard]] virtual std::optional<OneTimeTokenRecord> use_one_time_token(
      const std::string& token_hash, const std::string& purpose, TimestampMs now) = 0;
  // Unused tokens of the user for that purpose stop working.
  virtual void drop_one_time_tokens(const core::UserId& user_id, const std::string& purpose) = 0;
};

// Failed-login throttles and rate limits (app/accounts.cpp, rate_limits.hpp).
class ThrottlesReads {
 public:
  virtual ~ThrottlesReads() = default;
  // Failed-login throttle (app/accounts.cpp). Compare-and-set: the new state
  // is written only if the key still holds `expected_failures` (0 also
  // matches a key not yet seen), so concurrent attempts cannot share a count.
  virtual ThrottleState throttle_state(const std::string& key) = 0;
};

class ThrottlesWrites : public ThrottlesReads {
 public:
  [[nodiscard]] virtual bool throttle_advance(const std::string& key,
                                              std::int64_t expected_failures,
                                              const ThrottleState& next) = 0;
  virtual void throttle_clear(const std::string& key) = 0;
  // Takes back one counted failure (an attempt that turned out right).
  virtual void throttle_forgive(const std::string& key) = 0;
  // Counts one action of key in the fixed window starting at window_start
  // (an older window is started again) and returns the count including it.
  virtual std::int64_t rate_hit(const std::string& key, TimestampMs window_start) = 0;
};

// Organisations and their members.
class OrgsReads {
 public:
  virtual ~OrgsReads() = default;
  virtual std::optional<OrgRecord> org_by_id(const core::OrgId& id) = 0;
  // Newest first.
  virtual std::vector<OrgRecord> list_orgs(std::int64_t limit, std::int64_t offset) = 0;
  // Every organisation the person belongs to, newest first, with their role.
  virtual std::vector<OrgOfUser> orgs_of_user(const core::UserId& user_id) = 0;
  virtual std::optional<core::Role> member_role(const core::OrgId& org_id,
                                                const core::UserId& user_id) = 0;
  virtual std::int64_t count_members_with_role(const core::OrgId& org_id, core::Role role) = 0;
  virtual std::int64_t count_members(const core::OrgId& org_id) = 0;
  // Ordered by joined_at then user_id.
  virtual std::vector<MemberRecord> members(const core::OrgId& org_id, std::int64_t limit,
                                            std::int64_t offset) = 0;
  // Every member with one of roles (every member when roles is empty), in
  // the same order, with no cap: those a notice, a convocation or a
  // register must reach, however large the organisation.
  virtual std::vector<MemberRecord> members_with_roles(const core::OrgId& org_id,
                                                       const std::vector<core::Role>& roles) = 0;
  // Search of public things by words in their names.
  virtual std::vector<OrgRecord> search_orgs(const std::string& query, std::int64_t limit) = 0;
};

class OrgsWrites : public OrgsReads {
 public:
  virtual void insert_org(const OrgRecord& org) = 0;
  virtual void update_org(const OrgRecord& org) = 0;
  // False when the user is already a member (nothing written).
  [[nodiscard]] virtual bool insert_member(const core::OrgId& org_id, const core::UserId& user_id,
                                           core::Role role, TimestampMs joined_at) = 0;
  // False when the user was not a member.
  [[nodiscard]] virtual bool delete_member(const core::OrgId& org_id,
                                           const core::UserId& user_id) = 0;
};

// Campaigns, their rewards and cover.
class CampaignsReads {
 public:
  virtual ~CampaignsReads() = default;
  virtual std::optional<CampaignRecord> campaign_by_id(const core::CampaignId& id) = 0;
  virtual std::vector<CampaignRecord> list_campaigns(const CampaignFilter& filter) = 0;
  virtual std::vector<core::CampaignId> live_campaigns_ending_by(TimestampMs instant,
                                                                 std::int64_t limit) = 0;
  virtual CampaignTotals campaign_totals(const core::CampaignId& campaign_id) = 0;
  // What a campaign's page or card shows besides the campaign, for each of
  // the campaigns given that exists, in a constant number of statements.
  virtual std::map<std::string, CampaignSide> campaign_sides(
      const std::vector<std::string>& ids) = 0;
  virtual std::vector<RewardRecord> rewards_of(const core::CampaignId& campaign_id) = 0;
  virtual std::optional<CoverRecord> cover_of(const core::CampaignId& campaign_id) = 0;
};

class CampaignsWrites : public CampaignsReads {
 public:
  // Campaigns and rewards.
  virtual void insert_campaign(const CampaignRecord& campaign) = 0;
  virtual void update_campaign(const CampaignRecord& campaign) = 0;
  // Moves status from `from` to `to` only if it is still `from`; false
  // otherwise (another request got there first). Sets published_at when
  // going live and resolved_at when resolving.
  [[nodiscard]] virtual bool transition_campaign(const std::string& id, core::CampaignStatus from,
                                                 core::CampaignStatus to, TimestampMs now) = 0;
  virtual void replace_rewards(const core::CampaignId& campaign_id,
                               const std::vector<RewardRecord>& rewards) = 0;
  // One guarded statement: false when a limited reward has none left.
  [[nodiscard]] virtual bool claim_reward(const std::string& reward_id) = 0;
  virtual void release_reward(const std::string& reward_id) = 0;
  // A campaign's cover image (one per campaign; putting replaces it).
  virtual void put_cover(const core::CampaignId& campaign_id, const CoverRecord& cover,
                         TimestampMs now) = 0;
};

// Pledges (donations and loans promised to a campaign).
class PledgesReads {
 public:
  virtual ~PledgesReads() = default;
  virtual std::optional<PledgeRecord> pledge_by_id(const std::string& id) = 0;
  // Pending bank transfers announced at or before `before`, oldest first;
  // unnoticed_only: those whose backer was not yet told they will expire.
  virtual std::vector<PledgeRecord> pending_transfers_before(TimestampMs before,
                                                             bool unnoticed_only,
                                                             std::int64_t limit) = 0;
  // Newest first, with their campaigns' titles: one statement.
  virtual std::vector<PledgeOfUser> pledges_of_user(const core::UserId& user_id, std::int64_t limit,
                                                    std::int64_t offset) = 0;
  virtual std::vector<PledgeRecord> pledges_of_campaign(const core::CampaignId& campaign_id,
                                                        core::PledgeStatus status) = 0;
  virtual std::vector<PledgeRecord> pending_pledges_of_org(const core::OrgId& org_id) = 0;
  // Pending and confirmed amounts this user pledged to this campaign.
  virtual core::Cents pledged_by_user(const core::CampaignId& campaign_id,
                                      const core::UserId& user_id) = 0;
};

class PledgesWrites : public PledgesReads {
 public:
  // Pledges.
  virtual void insert_pledge(const PledgeRecord& pledge) = 0;
  // Records that the backer was told; false when another process did.
  [[nodiscard]] virtual bool mark_expiry_notice(const std::string& pledge_id, TimestampMs now) = 0;
  [[nodiscard]] virtual bool transition_pledge(const std::string& id, core::PledgeStatus from,
                                               core::PledgeStatus to, TimestampMs now) = 0;
};

// Idempotency keys and the responses kept for them.
class IdempotencyReads {
 public:
  virtual ~IdempotencyReads() = default;
  virtual std::optional<StoredResponse> stored_response(const std::string& user_id,
                                                        const std::string& key) = 0;
};

class IdempotencyWrites : public IdempotencyReads {
 public:
  // Idempotency keys, per user. claim: false when the key exists already
  // (on PostgreSQL it waits for a concurrent holder to finish first). In
  // a PostgreSQL group commit's batch it may say true at once and write
  // the key only with its answer (store_response): a key that existed
  // then fails the batch, which runs again, claiming key by key.
  [[nodiscard]] virtual bool claim_idempotency_key(const std::string& user_id,
                                                   const std::string& key,
                                                   const std::string& request_hash,
                                                   TimestampMs now) = 0;
  virtual void store_response(const std::string& user_id, const std::string& key, int status,
                              const std::string& body) = 0;
};

// Solidarity loans: contracts, repayments, what lenders received, withdrawals.
class LoansReads {
 public:
  virtual ~LoansReads() = default;
  // With what each lender got back; ordered by created_at then user_id.
  virtual std::vector<LoanContractRecord> loan_contracts(const core::CampaignId& campaign_id) = 0;
  virtual std::vector<LoanContractRecord> loans_of_user(const core::UserId& user_id) = 0;
  virtual std::optional<RepaymentRecord> repayment_by_id(const std::string& id) = 0;
  // Newest first, allocations not loaded.
  virtual std::vector<RepaymentRecord> repayments_of_campaign(
      const core::CampaignId& campaign_id) = 0;
  // Oldest first, at most 1000.
  virtual std::vector<RepaymentRecord> repayments_with_status(core::RepaymentStatus status) = 0;
  // What this lender received between two instants, oldest first.
  virtual std::vector<ReceiptRecord> receipts_of_user(const core::UserId& user_id, TimestampMs from,
                                                      TimestampMs to) = 0;
  virtual std::optional<WithdrawalRecord> withdrawal_by_id(const std::string& id) = 0;
  // Of one user (newest first), or every one with a status (oldest first).
  virtual std::vector<WithdrawalRecord> withdrawals_of_user(const core::UserId& user_id) = 0;
  virtual std::vector<WithdrawalRecord> withdrawals_with_status(core::WithdrawalStatus status) = 0;
};

class LoansWrites : public LoansReads {
 public:
  // Loans.
  virtual void insert_loan_contract(const LoanContractRecord& contract) = 0;
  // Inserts the repayment, and its allocations when it is confirmed.
  virtual void insert_repayment(const RepaymentRecord& repayment) = 0;
  // Confirms a pending repayment with the allocations computed then.
  [[nodiscard]] virtual bool confirm_repayment(const RepaymentRecord& repayment,
                                               const core::UserId& by, TimestampMs now) = 0;
  [[nodiscard]] virtual bool reject_repayment(const std::string& id, const core::UserId& by,
                                              TimestampMs now) = 0;
  // Lenders' withdrawals of their balance.
  virtual void insert_withdrawal(const WithdrawalRecord& withdrawal) = 0;
  // Guarded like transition_campaign; sets executed_at/by when executed.
  [[nodiscard]] virtual bool transition_withdrawal(const std::string& id,
                                                   core::WithdrawalStatus from,
                                                   core::WithdrawalStatus to,
                                                   const core::UserId& by, TimestampMs now) = 0;
};

// Proposals, the vote register, ballots and proxies.
class GovernanceReads {
 public:
  virtual ~GovernanceReads() = default;
  virtual std::optional<ProposalRecord> proposal_by_id(const core::ProposalId& id) = 0;
  // Newest first.
  virtual std::vector<ProposalRecord> proposals_of_org(const core::OrgId& org_id,
                                                       std::int64_t limit, std::int64_t offset) = 0;
  virtual std::vector<core::ProposalId> open_proposals_closing_by(TimestampMs instant,
                                                                  std::int64_t limit) = 0;
  virtual bool is_eligible(const core::ProposalId& proposal_id, const core::UserId& user_id) = 0;
  virtual std::int64_t eligible_count(const core::ProposalId& proposal_id) = 0;
  virtual std::optional<RegisterEntry> register_entry(const core::ProposalId& proposal_id,
                                                      const core::UserId& user_id) = 0;
  // Ordered by user_id.
  virtual std::vector<RegisterEntry> vote_register(const core::ProposalId& proposal_id) = 0;
  virtual std::vector<std::string> ballots_of(const core::ProposalId& proposal_id) = 0;
  virtual std::vector<ProxyRecord> proxies_of_org(const core::OrgId& org_id) = 0;
};

class GovernanceWrites : public GovernanceReads {
 public:
  // Governance. Ballots carry no voter and no time; ballots_of returns them
  // ordered by their keys.
  virtual void insert_proposal(const ProposalRecord& proposal,
                               const std::vector<core::UserId>& eligible) = 0;
  // Guarded like transition_campaign; sets closed_at.
  [[nodiscard]] virtual bool close_proposal(const core::ProposalId& id, TimestampMs now) = 0;
  virtual void put_register_entry(const core::ProposalId& proposal_id,
                                  const RegisterEntry& entry) = 0;
  virtual void put_ballot(const core::ProposalId& proposal_id, const std::string& ballot_key,
                          const std::string& choice) = 0;
  // A secret vote's register entry while it is open, its ballot sealed
  // (Crypto::seal) in it, put like put_register_entry; sealed_ballots gives
  // those of a proposal in no meaningful order, forget_sealed_ballots
  // removes them.
  virtual void put_sealed_register_entry(const core::ProposalId& proposal_id,
                                         const RegisterEntry& entry, const std::string& sealed) = 0;
  virtual std::vector<std::string> sealed_ballots(const core::ProposalId& proposal_id) = 0;
  virtual void forget_sealed_ballots(const core::ProposalId& proposal_id) = 0;
  // One proxy per member and organisation: putting replaces it.
  virtual void put_proxy(const core::OrgId& org_id, const ProxyRecord& proxy) = 0;
  [[nodiscard]] virtual bool delete_proxy(const core::OrgId& org_id,
                                          const core::UserId& from_user_id) = 0;
};

// General assemblies: agenda, officers, attendance.
class AssembliesReads {
 public:
  virtual ~AssembliesReads() = default;
  virtual std::optional<AssemblyRecord> assembly_by_id(const std::string& id) = 0;
  // Latest first.
  virtual std::vector<AssemblyRecord> assemblies_of_org(const core::OrgId& org_id) = 0;
  virtual std::vector<core::ProposalId> agenda_of(const std::string& assembly_id) = 0;
  virtual std::vector<AttendanceRecord> attendance_of(const std::string& assembly_id) = 0;
};

class AssembliesWrites : public AssembliesReads {
 public:
  // General assemblies.
  virtual void insert_assembly(const AssemblyRecord& assembly) = 0;
  virtual void set_assembly_officers(const std::string& assembly_id,
                                     const std::optional<core::UserId>& chair_user_id,
                                     const std::optional<core::UserId>& secretary_user_id) = 0;
  // Appends at the end; false when already on the agenda.
  [[nodiscard]] virtual bool add_to_agenda(const std::string& assembly_id,
                                           const core::ProposalId& proposal_id) = 0;
  // Absent: no row.
  virtual void put_attendance(const std::string& assembly_id, const AttendanceRecord& record) = 0;
  virtual void delete_attendance(const std::string& assembly_id, const core::UserId& user_id) = 0;
};

// Participatory budgets and their ballots.
class BudgetsReads {
 public:
  virtual ~BudgetsReads() = default;
  virtual std::optional<BudgetRecord> budget_by_id(const std::string& id) = 0;
  virtual std::vector<BudgetRecord> budgets_of_org(const core::OrgId& org_id) = 0;
  virtual std::vector<std::string> open_budgets_closing_by(TimestampMs instant,
                                                           std::int64_t limit) = 0;
  // Ordered by user.
  virtual std::vector<BudgetBallot> budget_ballots(const std::string& budget_id) = 0;
};

class BudgetsWrites : public BudgetsReads {
 public:
  // Participatory budgets.
  virtual void insert_budget(const BudgetRecord& budget) = 0;
  [[nodiscard]] virtual bool close_budget(const std::string& id, TimestampMs now) = 0;
  // Replaces the member's approvals.
  virtual void put_budget_ballot(const std::string& budget_id, const BudgetBallot& ballot) = 0;
};

// Comments, campaign news and reports to moderators.
class DiscussionReads {
 public:
  virtual ~DiscussionReads() = default;
  virtual std::optional<CommentRecord> comment_by_id(const std::string& id) = 0;
  // Visible comments, oldest first, limit from offset (a reply whose parent
  // was hidden goes with it).
  virtual std::vector<CommentRecord> comments_of(core::Subject target_type,
                                                 const std::string& target_id, std::int64_t limit,
                                                 std::int64_t offset) = 0;
  // Threads: the visible top-level comments, newest first, limit from
  // offset, then every visible reply of theirs, in the order written.
  virtual std::vector<CommentRecord> comment_threads(core::Subject target_type,
                                                     const std::string& target_id,
                                                     std::int64_t limit, std::int64_t offset) = 0;
  // comments_of for many targets of one type at once, by target id.
  virtual std::map<std::string, std::vector<CommentRecord>> comments_of_many(
      core::Subject target_type, const std::vector<std::string>& target_ids) = 0;
  virtual std::optional<UpdateRecord> update_by_id(const std::string& id) = 0;
  // Visible news of a campaign, newest first.
  virtual std::vector<UpdateRecord> updates_of_campaign(const core::CampaignId& campaign_id,
                                                        std::int64_t limit,
                                                        std::int64_t offset) = 0;
  // Unresolved reports, oldest first.
  virtual std::vector<ReportRecord> open_reports(std::int64_t limit) = 0;
};

class DiscussionWrites : public DiscussionReads {
 public:
  // Comments of campaigns, news and proposals (target_type and target_id of
  // the record), oldest first, hidden ones left out.
  virtual void insert_comment(const CommentRecord& comment) = 0;
  // Guarded: false when already hidden or absent.
  [[nodiscard]] virtual bool hide_comment(const std::string& id) = 0;
  // Community (sql_tx_community.cpp).
  virtual void insert_update(const UpdateRecord& update) = 0;
  [[nodiscard]] virtual bool hide_update(const std::string& id) = 0;
  // False when this user already reported it (nothing written).
  [[nodiscard]] virtual bool insert_report(const ReportRecord& report) = 0;
  virtual void resolve_reports(core::Subject target_type, const std::string& target_id,
                               const std::string& resolution, TimestampMs now) = 0;
};

// Follows and the activities that feed them.
class FollowsReads {
 public:
  virtual ~FollowsReads() = default;
  virtual std::vector<FollowRecord> follows_of(const core::UserId& user_id) = 0;
  virtual bool is_following(const core::UserId& user_id, core::Subject target_type,
                            const std::string& target_id) = 0;
  virtual std::vector<core::UserId> followers_of(core::Subject target_type,
                                                 const std::string& target_id) = 0;
  // What the user follows did, newest first.
  virtual std::vector<ActivityRecord> feed_of(const core::UserId& user_id, std::int64_t limit,
                                              std::int64_t offset) = 0;
  // An organisation's activity (its own and on its campaigns), newest first.
  virtual std::vector<ActivityRecord> activities_of_org(const core::OrgId& org_id,
                                                        std::int64_t limit) = 0;
};

class FollowsWrites : public FollowsReads {
 public:
  // False when already followed (nothing written).
  [[nodiscard]] virtual bool insert_follow(const core::UserId& user_id,
                                           const FollowRecord& follow) = 0;
  [[nodiscard]] virtual bool delete_follow(const core::UserId& user_id, core::Subject target_type,
                                           const std::string& target_id) = 0;
  virtual void insert_activity(const ActivityRecord& activity) = 0;
  virtual void delete_activities_of(core::Subject subject_type, const std::string& subject_id) = 0;
};

// A person's notifications, and which are due by mail.
class NotificationsReads {
 public:
  virtual ~NotificationsReads() = default;
  // Newest first.
  virtual std::vector<NotificationRecord> notifications_of(const core::UserId& user_id,
                                                           std::int64_t limit,
                                                           std::int64_t offset) = 0;
  virtual std::int64_t unread_notifications(const core::UserId& user_id) = 0;
  // Users with notifications to mail (mail = 1, not mailed yet).
  virtual std::vector<core::UserId> users_with_mail_due(std::int64_t limit) = 0;
  // Oldest first.
  virtual std::vector<NotificationRecord> mail_due_of(const core::UserId& user_id) = 0;
};

class NotificationsWrites : public NotificationsReads {
 public:
  virtual void insert_notification(const NotificationRecord& notification) = 0;
  // Every unread one when ids is empty; returns how many changed.
  virtual std::int64_t mark_notifications_read(const core::UserId& user_id,
                                               const std::vector<std::string>& ids,
                                               TimestampMs now) = 0;
  virtual void delete_notifications_of(core::Subject subject_type,
                                       const std::string& subject_id) = 0;
  virtual void mark_mailed(const std::vector<std::string>& notification_ids, TimestampMs now) = 0;
};

// Mail settings and the outbox.
class OutboxReads {
 public:
  virtual ~OutboxReads() = default;
  virtual std::optional<MailSettings> mail_settings(const core::UserId& user_id) = 0;
  virtual std::optional<MailSettings> mail_settings_by_token(const std::string& token) = 0;
  // For tests and operators: the newest mails, sent or not.
  virtual std::vector<OutboxMail> recent_outbox(const core::UserId& user_id,
                                                std::int64_t limit) = 0;
};

class OutboxWrites : public OutboxReads {
 public:
  virtual void put_mail_settings(const MailSettings& settings) = 0;
  virtual void insert_outbox(const OutboxMail& mail) = 0;
  // Claims up to limit unsent mails not claimed by another sender (or whose
  // claim ran out) until `until`; each claim is one guarded statement.
  virtual std::vector<OutboxMail> claim_outbox(TimestampMs now, TimestampMs until,
                                               std::int64_t limit) = 0;
  virtual void mark_sent(const std::string& id, TimestampMs now) = 0;
  virtual void mark_send_failed(const std::string& id, const std::string& error) = 0;
};

// Events and registrations.
class EventsReads {
 public:
  virtual ~EventsReads() = default;
  virtual std::optional<EventRecord> event_by_id(const std::string& id) = 0;
  // Ending after `from`, by start; all of them when from is 0.
  virtual std::vector<EventRecord> events_of_org(const core::OrgId& org_id, TimestampMs from,
                                                 std::int64_t limit, std::int64_t offset) = 0;
  // Starting after from and by until, no reminder sent yet.
  virtual std::vector<EventRecord> events_to_remind(TimestampMs from, TimestampMs until,
                                                    std::int64_t limit) = 0;
  virtual std::optional<RegistrationRecord> registration(const std::string& event_id,
                                                         const core::UserId& user_id) = 0;
  // Registered first, then waiting; each by time of registration.
  virtual std::vector<RegistrationRecord> registrations_of(const std::string& event_id) = 0;
  virtual std::vector<EventRecord> search_events(const std::string& query, TimestampMs from,
                                                 std::int64_t limit) = 0;
};

class EventsWrites : public EventsReads {
 public:
  virtual void insert_event(const EventRecord& event) = 0;
  // Writes its title, description, times, place, link, seats and
  // reminded_at, with sequence + 1, if it is still at event.sequence, not
  // cancelled, and its seats hold those registered: false, and nothing
  // written, when it changed meanwhile.
  [[nodiscard]] virtual bool update_event(const EventRecord& event) = 0;
  // Cancelled at now, sequence + 1; false when it was already.
  [[nodiscard]] virtual bool cancel_event(const std::string& event_id, TimestampMs now) = 0;
  [[nodiscard]] virtual bool mark_reminded(const std::string& event_id, TimestampMs now) = 0;
  // One guarded statement: false when the event is full.
  [[nodiscard]] virtual bool take_seat(const std::string& event_id) = 0;
  virtual void release_seat(const std::string& event_id) = 0;
  // False when a registration exists already (nothing written).
  [[nodiscard]] virtual bool insert_registration(const RegistrationRecord& registration) = 0;
  [[nodiscard]] virtual bool delete_registration(const std::string& event_id,
                                                 const core::UserId& user_id) = 0;
  // Guarded status change.
  [[nodiscard]] virtual bool set_registration_status(const std::string& event_id,
                                                     const core::UserId& user_id,
                                                     core::RegistrationStatus from,
                                                     core::RegistrationStatus to) = 0;
};

// Private circles, their invitations and posts.
class CirclesReads {
 public:
  virtual ~CirclesReads() = default;
  virtual std::optional<CircleRecord> circle_by_id(const std::string& id) = 0;
  virtual std::vector<CircleRecord> circles_of_user(const core::UserId& user_id) = 0;
  virtual bool is_circle_member(const std::string& circle_id, const core::UserId& user_id) = 0;
  virtual std::optional<InvitationRecord> invitation_by_token(const std::string& token_hash) = 0;
  virtual std::vector<CircleMemberRecord> circle_members(const std::string& circle_id) = 0;
  // (circle, member) pairs whose member has not visited since `seen_before`
  // and had no circle digest since then either.
  virtual std::vector<std::pair<std::string, core::UserId>> circle_digests_due(
      TimestampMs seen_before, std::int64_t limit) = 0;
  // Newest first; photos not loaded.
  virtual std::vector<CirclePostRecord> circle_posts(const std::string& circle_id,
                                                     TimestampMs since, std::int64_t limit,
                                                     std::int64_t offset) = 0;
  // The post with its photo.
  virtual std::optional<CirclePostRecord> circle_post(const std::string& post_id) = 0;
};

class CirclesWrites : public CirclesReads {
 public:
  virtual void insert_circle(const CircleRecord& circle) = 0;
  // False when already a member.
  [[nodiscard]] virtual bool insert_circle_member(const std::string& circle_id,
                                                  const core::UserId& user_id, TimestampMs now) = 0;
  virtual void delete_circle_member(const std::string& circle_id, const core::UserId& user_id) = 0;
  // Invitations.
  virtual void insert_invitation(const InvitationRecord& invitation) = 0;
  // pending → status; false when it was not pending any more.
  [[nodiscard]] virtual bool answer_invitation(const std::string& id, core::InvitationStatus status,
                                               TimestampMs now) = 0;
  virtual void touch_circle_member(const std::string& circle_id, const core::UserId& user_id,
                                   TimestampMs now) = 0;
  virtual void mark_circle_digest(const std::string& circle_id, const core::UserId& user_id,
                                  TimestampMs now) = 0;
  virtual void insert_circle_post(const CirclePostRecord& post) = 0;
};

// The public ledger and the money locks.
class LedgerReads {
 public:
  virtual ~LedgerReads() = default;
  virtual LedgerHead ledger_head() = 0;
  virtual std::vector<core::Transfer> transfers_of_campaign(const core::CampaignId& campaign_id,
                                                            std::int64_t limit,
                                                            std::int64_t offset) = 0;
  // The whole chain in pages: transfers with seq > after_seq, in order.
  virtual std::vector<core::Transfer> transfers_after(std::int64_t after_seq,
                                                      std::int64_t limit) = 0;
  // Credits minus debits of one account.
  virtual core::Cents account_balance(const std::string& account) = 0;
  // What a person may spend or withdraw: their wallet's balance less the
  // withdrawals they asked for and that are not yet executed or cancelled.
  virtual core::Cents available_balance(const core::UserId& user_id) = 0;
  // Every transfer in chain order, in pages, to fn.
  virtual void for_each_transfer(const std::function<void(const core::Transfer&)>& fn) = 0;
  // Committed transfers waiting to be sealed, oldest entry first (always
  // none on a store that chains each transfer at once).
  virtual std::vector<UnsealedTransfer> unsealed_transfers(std::int64_t limit) = 0;
};

class LedgerWrites : public LedgerReads {
 public:
  // The ledger. lock_ledger_head locks the head for the rest of the
  // transaction (so two processes cannot both append after the same
  // transfer). append_transfer adds a chained transfer (stores that chain
  // at once); append_unsealed a transfer without its place in the chain,
  // which seal gives it later, with the new head, in one statement
  // (stores that seal later: Store::seals_ledger_later). With
  // HeadWait::skip_if_held, a head another transaction holds gives nothing
  // at once instead of waiting its turn.
  virtual std::optional<LedgerHead> lock_ledger_head(HeadWait wait) = 0;
  virtual void append_transfer(const core::Transfer& transfer) = 0;
  virtual void append_unsealed(const core::Transfer& transfer) = 0;
  virtual void seal(const std::vector<UnsealedTransfer>& sealed, const LedgerHead& head) = 0;
  // Money locks, held to the end of the transaction, so that whoever
  // decides on a sum decides on all of it (nothing on a store whose one
  // writer already orders every write). A campaign's money: shared by
  // pledges into it, exclusive to resolve it, confirm a transfer into it
  // or review its repayments. A person's wallet: whoever spends from it.
  virtual void lock_campaign_money(const core::CampaignId& campaign_id, LockMode mode) = 0;
  // The campaign, read with its money lock taken, with what a pledge into
  // it decides on (one statement for all).
  [[nodiscard]] virtual std::optional<CampaignForMoney> campaign_for_money(
      const core::CampaignId& campaign_id, LockMode mode) = 0;
  virtual void lock_wallet(const core::UserId& user_id) = 0;
};

// What a read may ask: every method here only reads. Store::read gives
// a ReadTx, so a write in a read does not compile.
class ReadTx {
 public:
  virtual ~ReadTx() = default;
  virtual AccountsReads& accounts() = 0;
  virtual ThrottlesReads& throttles() = 0;
  virtual OrgsReads& orgs() = 0;
  virtual CampaignsReads& campaigns() = 0;
  virtual PledgesReads& pledges() = 0;
  virtual IdempotencyReads& idempotency() = 0;
  virtual LoansReads& loans() = 0;
  virtual GovernanceReads& governance() = 0;
  virtual AssembliesReads& assemblies() = 0;
  virtual BudgetsReads& budgets() = 0;
  virtual DiscussionReads& discussion() = 0;
  virtual FollowsReads& follows() = 0;
  virtual NotificationsReads& notifications() = 0;
  virtual OutboxReads& outbox() = 0;
  virtual EventsReads& events() = 0;
  virtual CirclesReads& circles() = 0;
  virtual LedgerReads& ledger() = 0;

  // Memberships (adhésions) and the books: small ports of their own.
  virtual DuesReads& dues() = 0;
  virtual BooksReads& books() = 0;
  virtual GiftsReads& gifts() = 0;
  virtual ReceiptsReads& receipts() = 0;
  virtual GuestsReads& guests() = 0;
  virtual CallsReads& calls() = 0;
  virtual NoticesReads& notices() = 0;
  virtual CoWritingReads& cowriting() = 0;
  virtual CoursesReads& courses() = 0;
  virtual FederationReads& federation() = 0;
};

// A write transaction: everything a read may ask, and the writes.
class Tx : public ReadTx {
 public:
  AccountsWrites& accounts() override = 0;
  ThrottlesWrites& throttles() override = 0;
  OrgsWrites& orgs() override = 0;
  CampaignsWrites& campaigns() override = 0;
  PledgesWrites& pledges() override = 0;
  IdempotencyWrites& idempotency() override = 0;
  LoansWrites& loans() override = 0;
  GovernanceWrites& governance() override = 0;
  AssembliesWrites& assemblies() override = 0;
  BudgetsWrites& budgets() override = 0;
  DiscussionWrites& discussion() override = 0;
  FollowsWrites& follows() override = 0;
  NotificationsWrites& notifications() override = 0;
  OutboxWrites& outbox() override = 0;
  EventsWrites& events() override = 0;
  CirclesWrites& circles() override = 0;
  LedgerWrites& ledger() override = 0;
  DuesWrites& dues() override = 0;
  GiftsWrites& gifts() override = 0;
  ReceiptsWrites& receipts() override = 0;
  GuestsWrites& guests() override = 0;
  CallsWrites& calls() override = 0;
  NoticesWrites& notices() override = 0;
  CoWritingWrites& cowriting() override = 0;
  CoursesWrites& courses() override = 0;
  FederationWrites& federation() override = 0;
};

// Sentences in a language, from the web layer's catalogs (web/wording.cpp):
// app stores a notification's or an activity's kind and parameters, never
// its sentence, and mails are worded in their reader's language.
class Wording {
 public:
  virtual ~Wording() = default;
  // The catalog's text for key, its {name} placeholders filled from params.
  // A parameter whose name ends in "_at" holds an instant (milliseconds),
  // written as people of lang write it, on the clocks of Europe/Paris; one
  // ending in "_on" a calendar date "YYYY-MM-DD"; one ending in "_cents" an
  // amount in euros.
  virtual std::string say(const std::string& lang, const std::string& key,
                          const std::map<std::string, std::string>& params) const = 0;
  // The path of a place of the site ("/campaigns/…#comment-…"): the routes
  // are the web layer's, app only names the place.
  virtual std::string path(const core::Link& link) const = 0;
};

// While one is held (see Store::share_reads), reads on its thread share
// one read transaction.
class ReadScope {
 public:
  virtual ~ReadScope() = default;
};

// The database. Safe to use from many threads. Never call it from an io
// thread: it blocks on disk.
class Store {
 public:
  virtual ~Store() = default;
  // Until the returned scope goes, reads on this thread share one read
  // transaction (one snapshot), begun at the first of them; a write on this
  // thread ends it first, so that reads after a write see it. Null when
  // the store does not share (each read its own transaction).
  [[nodiscard]] virtual std::unique_ptr<ReadScope> share_reads() { return nullptr; }
  // Runs fn on a read connection.
  virtual void read(const std::function<void(ReadTx&)>& fn) = 0;
  // Runs fn, which makes exactly one statement, on a read connection
  // without a transaction of its own (a statement sees one snapshot): two
  // round trips fewer than read() on PostgreSQL. Joins the shared read
  // transaction when one is open.
  virtual void read_statement(const std::function<void(ReadTx&)>& fn) { read(fn); }
  // Runs fn in a write transaction: committed when fn returns true, rolled
  // back when it returns false or throws (the exception propagates). Returns
  // only once the outcome is durable. The transaction may be shared with
  // other writes (group commit), and fn may be run again after its changes
  // were rolled back (a lock it waited for too long): whatever fn changes
  // outside the database is set afresh by each run, never accumulated.
  virtual void write(const std::function<bool(Tx&)>& fn) = 0;
  // As write, without waiting: returns at once, and then runs, once, when
  // the outcome is durable (null) or failed (what write would have thrown),
  // on whichever thread finished the write; then must not block. A store
  // with a queue of writes (SQLite's group commit) parks no thread for it;
  // others run fn at once on the caller's thread.
  virtual void write_then(std::function<bool(Tx&)> fn,
                          std::function<void(std::exception_ptr)> then) {
    std::exception_ptr failure;
    try {
      write(fn);
    } catch (...) {
      failure = std::current_exception();
    }
    then(failure);
  }
  // As write_then, for a write of one person's rows (the totals rows each
  // of their pledges updates): a store with several writers gives all of
  // one owner's writes to the same one, so that two of its transactions
  // never wait for each other's rows. session: the hash of the session
  // token the write checks first (Accounts::asker's SessionToCheck), or
  // empty; a store that groups writes reads a group's sessions at once.
  virtual void write_then_for(std::string_view owner, std::string_view session,
                              std::function<bool(Tx&)> fn,
                              std::function<void(std::exception_ptr)> then) {
    (void)owner;
    (void)session;
    write_then(std::move(fn), std::move(then));
  }
  // As write, in a transaction of its own: for work that holds a row many
  // others wait for (the ledger's head while sealing) and should release
  // it at once.
  virtual void write_alone(const std::function<bool(Tx&)>& fn) { write(fn); }
  // False: each transfer is chained in the transaction that posts it (one
  // writer, SQLite). True: transfers commit unsealed, with no shared row
  // to wait for, and a sealer chains them after (PostgreSQL).
  virtual bool seals_ledger_later() const { return false; }
  // True when, besides queues_writes, a read is a local call that does not
  // wait on others (SQLite's readers in WAL mode): work made of a read and
  // a write_then may then run on an io thread (web/server.hpp).
  virtual bool suits_io_threads() const { return false; }
  // True when write_then only queues the write for a writer thread (a group
  // commit) and never runs it on the caller's: a route whose one wait is
  // its write may then run on an io thread (App::hand_on).
  virtual bool queues_writes() const { return false; }
};

// Password hashing, tokens and digests. Safe to use from many threads.
class Crypto {
 public:
  virtual ~Crypto() = default;
  // argon2id; runs on a bounded pool, blocking the caller until done.
  virtual std::string hash_password(const std::string& password) = 0;
  virtual bool verify_password(const std::string& hash, const std::string& password) = 0;
  // A new random token of at least 128 bits, URL-safe.
  virtual std::string random_token() = 0;
  // A new identifier (128 bits, hex): its creation time to the millisecond,
  // then at least 80 random bits (made in order, stored in order).
  virtual std::string random_id() = 0;
  // A new identifier that says nothing, not even when it was made (128
  // random bits, hex): for what others see and must not be dated, like a
  // person's id or their wallet on the public ledger.
  virtual std::string undated_id() = 0;
  virtual std::string sha256_hex(const std::string& data) = 0;
  // HMAC-SHA-256 (RFC 2104) of message under key, lowercase hex.
  virtual std::string hmac_sha256_hex(const std::string& key, const std::string& message) = 0;
  // Authenticated encryption under a key derived from `key` (any text):
  // seal gives printable text (a random nonce, then the sealed bytes);
  // unseal gives the plaintext back, or nothing when the text was sealed
  // under another key or altered.
  virtual std::string seal(const std::string& key, const std::string& plaintext) = 0;
  virtual std::optional<std::string> unseal(const std::string& key, const std::string& sealed) = 0;
};

// What a backer must do to pay by bank transfer: the organisation's
// account, a unique reference and the SEPA (EPC) QR code.
struct TransferInstructions {
  std::string iban, bic, beneficiary, reference;
  core::Cents amount_cents = 0;
  std::string epc_qr_svg;
};

// One way to pay (adapters/payments/). Safe to use from many threads.
class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  // The payment method it takes (its word is payment_method's in requests).
  virtual core::PaymentMethod method() const = 0;
  // True when the money is in hand as soon as the pledge is made (the
  // pledge is confirmed at once); false when it is only announced.
  virtual bool confirms_at_once() const = 0;
  // Whether this organisation can receive money this way.
  virtual bool available_for(const OrgRecord& org) const = 0;
  // What the backer must do, if anything.
  virtual std::optional<TransferInstructions> instructions(const OrgRecord& org,
                                                           const std::string& reference,
                                                           core::Cents amount_cents) const = 0;
};

// Renders a QR code as an SVG document.
class QrEncoder {
 public:
  virtual ~QrEncoder() = default;
  // Error correction level M. Nothing when text does not fit a QR code.
  virtual std::optional<std::string> svg(const std::string& text) const = 0;
};

// A plain printable document: a title, paragraphs, one table, and notes
// under it. Text is UTF-8.
struct PlainDocument {
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<std::string> table_header;
  std::vector<std::vector<std::string>> table_rows;
  std::vector<std::string> notes;
};

// Renders documents as PDF (adapters/pdf_haru.cpp). Safe to use from many
// threads.
class PdfWriter {
 public:
  virtual ~PdfWriter() = default;
  virtual std::string pdf(const PlainDocument& document) const = 0;
};

// One plain-text mail in UTF-8.
struct MailMessage {
  std::string to;
  std::string subject;
  std::string text;
  std::string unsubscribe_url;  // List-Unsubscribe (RFC 2369, one click: RFC 8058)
};

// Sends mail (adapters/smtp_mailer.cpp). Safe to use from many threads.
class Mailer {
 public:
  virtual ~Mailer() = default;
  // Throws std::runtime_error when the server refuses or cannot be reached.
  virtual void send(const MailMessage& message) = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimestampMs now() const = 0;
};

}  // namespace essor::app
