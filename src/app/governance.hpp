// Democratic governance inside an organisation: proposals, one member one
// vote, proxies, secret ballots, closing and results. The tallies are
// core/governance.hpp's. Safe to use from many threads.
//
// Secrecy. Who voted is kept in a register (member, and the proxy holder
// who voted for them if any); what was chosen is kept in ballots that carry
// no voter and no time. A secret ballot is keyed by a keyed hash of the
// proposal and the member under the server's ballot key (never stored in
// the database), so the server can replace a member's earlier ballot while
// nobody reading the database, a page, the API or an export can link a
// choice to a person. An open (non-secret) proposal keys ballots by member.
// While a secret vote is open its ballots are not rows of their own: each
// is sealed (Crypto::seal, under the ballot key) in its voter's register
// entry, and the closing writes them all out at once, in the order of
// their keys, and forgets the sealed copies. A ballot row written by its
// voter's transaction could otherwise be paired with the register entry
// beside it (PostgreSQL stamps each row with the transaction that wrote it
// and stores rows in the order they come; SQLite's WAL keeps a commit's
// pages together).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/governance.hpp"
#include "core/id.hpp"

namespace essor::app {

struct ProposalInput {
  std::string title;
  std::string body_md;
  std::string method;
  std::vector<std::string> options;  // majority judgment and approval
  TimestampMs closes_at = 0;
  std::optional<std::int64_t> quorum_pct, threshold_pct;
  bool secret = false;
};

struct VoteInput {
  std::string choice;                         // majority, consent
  std::string reason;                         // consent objection
  std::map<std::string, std::string> grades;  // majority judgment: option id → grade
  std::vector<std::string> approve;           // approval: option ids
};

struct OptionResult {
  ProposalOption option;
  core::MeritProfile profile;  // majority judgment
  int majority_grade = -1;     // majority judgment
  std::int64_t approvals = 0;  // approval
  int rank = 0;                // 1 = winner
};

struct ProposalResults {
  ProposalRecord proposal;
  std::int64_t voters = 0;
  std::int64_t eligible = 0;
  bool quorum_reached = false;
  // "passed" / "rejected" (majority, consent) or the winning option's id;
  // empty while open.
  std::string outcome;
  core::MajorityTally majority;
  core::ConsentTally consent;
  std::vector<std::string> objections;  // consent: the reasons, without names
  std::vector<OptionResult> options;    // in ranking order once closed
  // A closed secret ballot with fewer than kMinSecretBallots ballots: no
  // tally and no outcome, whoever closed it and whenever (spec "Secret
  // ballots"): a handful of ballots would tell who chose what.
  bool withheld = false;
};

inline constexpr std::int64_t kMinSecretBallots = 3;

struct Participant {
  core::UserId user_id;
  std::string display_name;
  std::optional<core::UserId> via_user_id;  // voted by this proxy holder
};

struct GovernanceOptions {
  std::string ballot_key;  // keys secret ballots; never stored
  core::ProxyRule proxy_rule = core::ProxyRule::fixed;
  std::int64_t proxy_cap = 2;
  // Comments per account (app/rate_limits.hpp: one budget with those of
  // campaigns, news and drafts); ESSOR_RATE_LIMITS=off turns it off.
  bool rate_limits = true;
};

class Governance {
 public:
  const GovernanceOptions& options() const { return options_; }
  Governance(Store& store, Crypto& crypto, Clock& clock, GovernanceOptions options);

  // Org members. Eligibility: the members at this moment.
  core::Result<ProposalRecord> create(const Principal& who, const core::OrgId& org_id,
                                      const ProposalInput& input);
  // The same inside a transaction the caller holds (a draft published).
  core::Result<ProposalRecord> create_in(Tx& tx, const Principal& who, const core::OrgId& org_id,
                                         const ProposalInput& input, TimestampMs now);
  // Org members and moderators; 404 for anyone else.
  core::Result<ProposalRecord> get(const Principal& who, const core::ProposalId& id);
  // An organisation's proposals, newest first: limit of them from offset.
  core::Result<std::vector<ProposalRecord>> of_org(const Principal& who, const core::OrgId& org_id,
                                                   std::int64_t limit, std::int64_t offset);
  // Eligible members while open; replaces the member's earlier vote, and
  // votes for each member who gave this one their proxy and has not voted
  // themselves.
  core::Result<ProposalRecord> vote(const Principal& who, const core::ProposalId& id,
                                    const VoteInput& input);
  // Org admins: closes now.
  core::Result<ProposalRecord> close(const Principal& who, const core::ProposalId& id);
  // Closes every open proposal whose time is up; returns how many.
  int close_due();
  // Members; a secret proposal's results only once closed (409
  // results_sealed before). This, get, of_org and participants close a vote
  // whose time is up before reading it, if the scheduler has not yet.
  core::Result<ProposalResults> results(const Principal& who, const core::ProposalId& id);
  // Who voted (never what): members of the organisation.
  core::Result<std::vector<Participant>> participants(const Principal& who,
                                                      const core::ProposalId& id);

  // The discussion thread: members read and write, open or closed (a
  // comment is 1–5000 characters); limit comments from offset, read so by
  // the store, oldest or newest first.
  enum class CommentOrder { oldest_first, newest_first };
  core::Result<std::vector<CommentRecord>> comments(
      const Principal& who, const core::ProposalId& id, std::int64_t limit, std::int64_t offset,
      CommentOrder order = CommentOrder::oldest_first);
  // 429 rate_limited past the comments an account may post (see options).
  core::Result<CommentRecord> comment(const Principal& who, const core::ProposalId& id,
                                      const std::string& body);

  // Proxies: a member gives its vote to another member (replacing any
  // earlier proxy), or takes it back.
  core::Result<ProxyRecord> give_proxy(const Principal& who, const core::OrgId& org_id,
                                       const core::UserId& to_user_id);
  core::Result<bool> revoke_proxy(const Principal& who, const core::OrgId& org_id);
  // The member's own proxies in an organisation: the one given (from_user_id
  // is the member) and those held (to_user_id is the member).
  std::vector<ProxyRecord> my_proxies(const Principal& who, const core::OrgId& org_id);
  // The organisation's admins.
  core::Result<std::vector<ProxyRecord>> proxies(const Principal& who, const core::OrgId& org_id);

 private:
  std::string ballot_key(const ProposalRecord& proposal, const core::UserId& user_id);
  // Records the entry's vote: its register entry, and its ballot (sealed
  // in the entry while a secret vote is open).
  void cast(Tx& tx, const ProposalRecord& proposal, const RegisterEntry& entry,
            const std::string& ballot);
  // Closes an open vote (false if it was not open any more), its sealed
  // ballots written out as ballots: every closing goes through here. Throws
  // if one cannot be opened (the ballot key changed during the vote): the
  // transaction, and so the closing, is then undone.
  bool close_in(Tx& tx, const ProposalRecord& proposal, TimestampMs now);
  // Closes the proposal if it is open and its time is up (in a transaction
  // of its own); throws as close_in does.
  bool close_if_due(const core::ProposalId& id, TimestampMs now);
  void open_sealed_ballots(Tx& tx, const ProposalRecord& proposal);
  ProposalResults tally(ReadTx& tx, const ProposalRecord& proposal);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  GovernanceOptions options_;
};

}  // namespace essor::app
