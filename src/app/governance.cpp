#include "app/governance.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

#include "app/policy.hpp"
#include "app/rate_limits.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"
#include "core/words.hpp"

namespace essor::app {

using core::Error;
using core::Result;

namespace {

Error no_proposal() {
  return Error::not_found("No proposal with this id.");
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

// What is sealed of a secret ballot: its key, the ballot's length and the
// ballot, padded to a length of the vote's method, so that all the sealed
// ballots of a vote have one length (a "no" is shorter than an "abstain",
// an objection longer than a consent): 4 KiB holds the longest objection
// (1,000 characters of four bytes each), 256 bytes any other ballot (20
// grades or approvals at most).
std::string sealed_text(const ProposalRecord& proposal, const std::string& key,
                        const std::string& ballot) {
  const std::size_t block = proposal.method == core::VoteMethod::consent ? 4096 : 256;
  std::string out = key + "\n" + std::to_string(ballot.size()) + "\n" + ballot;
  out.resize((out.size() + block - 1) / block * block, ' ');
  return out;
}

// Its key and ballot; nothing if the text is not one.
std::optional<std::pair<std::string, std::string>> from_sealed_text(const std::string& text) {
  const auto first = text.find('\n');
  const auto second = first == std::string::npos ? first : text.find('\n', first + 1);
  if (second == std::string::npos) return std::nullopt;
  const std::string length = text.substr(first + 1, second - first - 1);
  if (length.empty() || length.size() > 9 ||
      length.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const auto size = static_cast<std::size_t>(std::stoul(length));
  if (size > text.size() - second - 1) return std::nullopt;
  return std::pair{text.substr(0, first), text.substr(second + 1, size)};
}

// A ballot as stored: the choice only, in a form tied to the options'
// order (majority judgment: one grade number per option; approval: one 0/1
// per option; consent: "object" and the reason on the next line).
Result<std::string> encode_ballot(const ProposalRecord& proposal, const VoteInput& input) {
  switch (proposal.method) {
    case core::VoteMethod::majority: {
      const auto choice = core::parse_majority_choice(input.choice);
      if (!choice) return Error::validation({{"choice", "must be yes, no or abstain"}});
      return core::to_string(*choice);
    }
    case core::VoteMethod::consent: {
      const auto choice = core::parse_consent_choice(input.choice);
      if (!choice) return Error::validation({{"choice", "must be consent or object"}});
      switch (*choice) {
        case core::ConsentChoice::consent:
          return core::to_string(*choice);
        case core::ConsentChoice::object:
          if (auto problem = core::check_text(input.reason, 1000))
            return Error::validation({{"reason", "an objection needs a reason: " + *problem}});
          return core::to_string(*choice) + "\n" + core::trim(input.reason);
      }
      return Error::validation({{"choice", "must be consent or object"}});
    }
    case core::VoteMethod::majority_judgment: {
      std::map<std::string, std::string> problems;
      for (const auto& [option_id, grade] : input.grades) {
        const bool known = std::any_of(proposal.options.begin(), proposal.options.end(),
                                       [&, id = option_id](const auto& o) { return o.id == id; });
        if (!known) problems["grades." + option_id] = "not an option of this proposal";
        if (!core::parse_grade(grade))
          problems["grades." + option_id] =
              "must be excellent, very_good, good, fair, poor or reject";
      }
      if (!problems.empty()) return Error::validation(std::move(problems));
      std::string out;
      for (const auto& option : proposal.options) {
        const auto it = input.grades.find(option.id);
        const int grade = it == input.grades.end() ? 0 : *core::parse_grade(it->second);
        out += (out.empty() ? "" : ",") + std::to_string(grade);
      }
      return out;
    }
    case core::VoteMethod::approval: {
      std::set<std::string> approved;
      for (const auto& id : input.approve) {
        const bool known = std::any_of(proposal.options.begin(), proposal.options.end(),
                                       [&](const auto& o) { return o.id == id; });
        if (!known)
          return Error::validation({{"approve", "not an option of this proposal: " + id}});
        approved.insert(id);
      }
      std::string out;
      for (const auto& option : proposal.options)
        out += std::string(out.empty() ? "" : ",") + (approved.count(option.id) ? "1" : "0");
      return out;
    }
  }
  return Error::validation({{"method", "unknown"}});
}

// Open past its closes_at: the scheduler's next round, or its first reader,
// closes it.
bool is_due(const ProposalRecord& proposal, TimestampMs now) {
  return proposal.status == core::ProposalStatus::open && proposal.closes_at <= now;
}

}  // namespace

Governance::Governance(Store& store, Crypto& crypto, Clock& clock, GovernanceOptions options)
    : store_(store), crypto_(crypto), clock_(clock), options_(std::move(options)) {}

std::string Governance::ballot_key(const ProposalRecord& proposal, const core::UserId& user_id) {
  if (!proposal.secret) return "user:" + user_id;
  return crypto_.sha256_hex(options_.ballot_key + "\nballot\n" + proposal.id + "\n" + user_id);
}

Result<ProposalRecord> Governance::create(const Principal& who, const core::OrgId& org_id,
                                          const ProposalInput& input) {
  const TimestampMs now = clock_.now();
  return write_result<ProposalRecord>(
      store_, [&](Tx& tx) { return create_in(tx, who, org_id, input, now); });
}

Result<ProposalRecord> Governance::create_in(Tx& tx, const Principal& who,
                                             const core::OrgId& org_id, const ProposalInput& input,
                                             TimestampMs now) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_name(input.title, 200)) problems["title"] = *p;
  if (auto p = core::check_text(input.body_md, 50'000, false)) problems["body_md"] = *p;
  const auto method = core::parse_vote_method(input.method);
  if (!method) {
    problems["method"] = "must be majority, consent, majority_judgment or approval";
  } else if (core::has_options(*method)) {
    if (input.options.size() < 2 || input.options.size() > 20)
      problems["options"] = "from 2 to 20 options";
    std::set<std::string> seen;
    for (std::size_t idx = 0; idx < input.options.size(); ++idx) {
      if (auto p = core::check_name(input.options[idx], 200))
        problems["options[" + std::to_string(idx) + "]"] = *p;
      else if (!seen.insert(core::trim(input.options[idx])).second)
        problems["options[" + std::to_string(idx) + "]"] = "given twice";
    }
  } else if (!input.options.empty()) {
    problems["options"] = "only for majority_judgment and approval";
  }
  if (input.closes_at <= now) problems["closes_at"] = "must be in the future";
  if (input.closes_at > now + 366LL * 86'400'000) problems["closes_at"] = "within a year";
  const std::int64_t quorum = input.quorum_pct.value_or(0);
  const std::int64_t threshold = input.threshold_pct.value_or(50);
  if (quorum < 0 || quorum > 100) problems["quorum_pct"] = "must be from 0 to 100";
  if (threshold < 0 || threshold > 99) problems["threshold_pct"] = "must be from 0 to 99";
  if (!problems.empty()) return Error::validation(std::move(problems));
  {
    const auto org = tx.orgs().org_by_id(org_id);
    if (!org) return Error::not_found("No organisation with this id.");
    if (!governance_allows(who, tx.orgs().member_role(org_id, who.user_id),
                           GovernanceAction::propose))
      return Error::forbidden("Only the organisation's members make proposals.");
    ProposalRecord p;
    p.id = core::ProposalId{crypto_.random_id()};
    p.org_id = org_id;
    p.title = core::trim(input.title);
    p.body_md = input.body_md;
    p.method = *method;
    p.status = core::ProposalStatus::open;
    p.closes_at = input.closes_at;
    p.quorum_pct = quorum;
    p.threshold_pct = threshold;
    p.secret = input.secret;
    for (const auto& name : input.options)
      p.options.push_back({crypto_.random_id(), core::trim(name)});
    p.created_by = who.user_id;
    p.created_at = now;
    std::vector<core::UserId> eligible;
    // Statutes may make the right to vote follow paid dues: then the
    // members whose voting membership is in force today.
    std::set<core::UserId> with_dues;
    if (org->voting_requires_dues) {
      for (auto& user : tx.dues().voters_with_dues(org_id, core::paris_date_field(now)))
        with_dues.insert(std::move(user));
    }
    for (const auto& member : tx.orgs().members_with_roles(org_id, {})) {
      if (!org->voting_requires_dues || with_dues.count(member.user_id))
        eligible.push_back(member.user_id);
    }
    tx.governance().insert_proposal(p, eligible);
    // The members just read are those told of the vote (not its author).
    const std::map<std::string, std::string> params = {{"proposal", p.title},
                                                       {"closes_at", std::to_string(p.closes_at)}};
    for (const auto& member : eligible) {
      if (member != who.user_id)
        notify_in(tx, crypto_, now, member, "proposal_opened", params,
                  {core::Place::proposal, p.id}, core::Subject::proposal, p.id);
    }
    return p;
  }
}

Result<ProposalRecord> Governance::get(const Principal& who, const core::ProposalId& id) {
  const TimestampMs now = clock_.now();
  return read_settled<Result<ProposalRecord>, core::ProposalId>(
      store_,
      [&](ReadTx& tx, std::vector<core::ProposalId>& due) -> Result<ProposalRecord> {
        auto proposal = tx.governance().proposal_by_id(id);
        if (!proposal || (!who.moderator && !tx.orgs().member_role(proposal->org_id, who.user_id)))
          return no_proposal();
        if (is_due(*proposal, now)) due.push_back(proposal->id);
        return *proposal;
      },
      [&](const core::ProposalId& due_id) { close_if_due(due_id, now); });
}

Result<std::vector<ProposalRecord>> Governance::of_org(const Principal& who,
                                                       const core::OrgId& org_id,
                                                       std::int64_t limit, std::int64_t offset) {
  const TimestampMs now = clock_.now();
  return read_settled<Result<std::vector<ProposalRecord>>, core::ProposalId>(
      store_,
      [&](ReadTx& tx, std::vector<core::ProposalId>& due) -> Result<std::vector<ProposalRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        if (!who.moderator && !tx.orgs().member_role(org_id, who.user_id))
          return Error::forbidden("Only the organisation's members see its proposals.");
        auto list = tx.governance().proposals_of_org(org_id, limit, offset);
        for (const auto& proposal : list)
          if (is_due(proposal, now)) due.push_back(proposal.id);
        return list;
      },
      [&](const core::ProposalId& due_id) { close_if_due(due_id, now); });
}

Result<ProposalRecord> Governance::vote(const Principal& who, const core::ProposalId& id,
                                        const VoteInput& input) {
  const TimestampMs now = clock_.now();
  return write_result<ProposalRecord>(store_, [&](Tx& tx) -> Result<ProposalRecord> {
    auto proposal = tx.governance().proposal_by_id(id);
    if (!proposal || !tx.orgs().member_role(proposal->org_id, who.user_id)) return no_proposal();
    if (proposal->status != core::ProposalStatus::open || proposal->closes_at <= now)
      return Error::conflict("proposal_closed", "This vote is closed.");
    if (!tx.governance().is_eligible(id, who.user_id)) {
      return Error::forbidden(
          "Only the members of the organisation when the proposal opened may vote.");
    }
    auto ballot = encode_ballot(*proposal, input);
    if (!ballot) return ballot.error();
    cast(tx, *proposal, RegisterEntry{who.user_id, std::nullopt}, *ballot);
    // The members who gave this one their proxy, unless they voted.
    for (const auto& proxy : tx.governance().proxies_of_org(proposal->org_id)) {
      if (proxy.to_user_id != who.user_id || !tx.governance().is_eligible(id, proxy.from_user_id))
        continue;
      const auto entry = tx.governance().register_entry(id, proxy.from_user_id);
      if (entry && !entry->via_user_id) continue;  // voted directly: that stands
      cast(tx, *proposal, RegisterEntry{proxy.from_user_id, who.user_id}, *ballot);
    }
    return *proposal;
  });
}

Result<ProposalRecord> Governance::close(const Principal& who, const core::ProposalId& id) {
  const TimestampMs now = clock_.now();
  return write_result<ProposalRecord>(store_, [&](Tx& tx) -> Result<ProposalRecord> {
    auto proposal = tx.governance().proposal_by_id(id);
    if (!proposal) return no_proposal();
    const auto role = tx.orgs().member_role(proposal->org_id, who.user_id);
    if (!role) return no_proposal();
    if (!governance_allows(who, role, GovernanceAction::close_vote))
      return Error::forbidden("Only the organisation's admins close a vote.");
    if (!close_in(tx, *proposal, now))
      return Error::conflict("proposal_closed", "This vote is already closed.");
    return *tx.governance().proposal_by_id(id);
  });
}

int Governance::close_due() {
  const TimestampMs now = clock_.now();
  const auto due = read_value<std::vector<core::ProposalId>>(
      store_, [&](ReadTx& tx) { return tx.governance().open_proposals_closing_by(now, 100); });
  int closed = 0;
  std::exception_ptr failure;  // the first; the others are still closed
  for (const auto& id : due) {
    try {
      if (close_if_due(id, now)) ++closed;
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  return closed;
}

bool Governance::close_if_due(const core::ProposalId& id, TimestampMs now) {
  bool closed = false;
  write_counted(store_, closed, [&](Tx& tx) {
    const auto proposal = tx.governance().proposal_by_id(id);
    // Closed when its time was up, however late the scheduler or its first
    // reader comes.
    if (proposal && is_due(*proposal, now) && close_in(tx, *proposal, proposal->closes_at))
      closed = true;
    return true;
  });
  return closed;
}

void Governance::cast(Tx& tx, const ProposalRecord& proposal, const RegisterEntry& entry,
                      const std::string& ballot) {
  const std::string key = ballot_key(proposal, entry.user_id);
  if (!proposal.secret) {
    tx.governance().put_register_entry(proposal.id, entry);
    tx.governance().put_ballot(proposal.id, key, ballot);
    return;
  }
  tx.governance().put_sealed_register_entry(
      proposal.id, entry, crypto_.seal(options_.ballot_key, sealed_text(proposal, key, ballot)));
}

bool Governance::close_in(Tx& tx, const ProposalRecord& proposal, TimestampMs now) {
  if (!tx.governance().close_proposal(proposal.id, now)) return false;
  open_sealed_ballots(tx, proposal);
  return true;
}

void Governance::open_sealed_ballots(Tx& tx, const ProposalRecord& proposal) {
  std::vector<std::pair<std::string, std::string>> opened;  // key, ballot
  for (const auto& sealed : tx.governance().sealed_ballots(proposal.id)) {
    const auto text = crypto_.unseal(options_.ballot_key, sealed);
    auto ballot = text ? from_sealed_text(*text) : std::nullopt;
    if (!ballot) {
      throw std::runtime_error("a sealed ballot of proposal " + proposal.id.str() +
                               " cannot be opened: was ESSOR_BALLOT_KEY changed during the vote?");
    }
    opened.push_back(std::move(*ballot));
  }
  if (opened.empty()) return;
  std::sort(opened.begin(), opened.end());
  for (const auto& [key, ballot] : opened) tx.governance().put_ballot(proposal.id, key, ballot);
  tx.governance().forget_sealed_ballots(proposal.id);
}

ProposalResults Governance::tally(ReadTx& tx, const ProposalRecord& proposal) {
  ProposalResults r;
  r.proposal = proposal;
  r.voters = static_cast<std::int64_t>(tx.governance().vote_register(proposal.id).size());
  r.eligible = tx.governance().eligible_count(proposal.id);
  r.quorum_reached = core::quorum_reached(r.voters, r.eligible, proposal.quorum_pct);
  const auto ballots = tx.governance().ballots_of(proposal.id);
  if (proposal.secret && proposal.status == core::ProposalStatus::closed &&
      static_cast<std::int64_t>(ballots.size()) < kMinSecretBallots) {
    r.withheld = true;  // counts of who took part only, nothing of what they chose
    return r;
  }
  const auto method = proposal.method;
  const std::size_t n = proposal.options.size();
  std::vector<core::MeritProfile> profiles(n, core::MeritProfile(core::kGrades, 0));
  std::vector<std::int64_t> approvals(n, 0);
  for (const auto& ballot : ballots) {
    switch (method) {
      case core::VoteMethod::majority:
        switch (core::stored_word(core::parse_majority_choice, ballot, "a ballot")) {
          case core::MajorityChoice::yes:
            ++r.majority.yes;
            break;
          case core::MajorityChoice::no:
            ++r.majority.no;
            break;
          case core::MajorityChoice::abstain:
            ++r.majority.abstain;
            break;
        }
        break;
      case core::VoteMethod::consent: {
        // "consent", or "object" and the reason on the next line.
        const auto newline = ballot.find('\n');
        switch (
            core::stored_word(core::parse_consent_choice, ballot.substr(0, newline), "a ballot")) {
          case core::ConsentChoice::consent:
            ++r.consent.consent;
            break;
          case core::ConsentChoice::object:
            ++r.consent.object;
            r.objections.push_back(newline == std::string::npos ? std::string()
                                                                : ballot.substr(newline + 1));
            break;
        }
        break;
      }
      case core::VoteMethod::majority_judgment: {
        const auto grades = split(ballot, ',');
        for (std::size_t idx = 0; idx < n && idx < grades.size(); ++idx)
          ++profiles[idx][static_cast<std::size_t>(std::stoi(grades[idx]))];
        break;
      }
      case core::VoteMethod::approval: {
        const auto flags = split(ballot, ',');
        for (std::size_t idx = 0; idx < n && idx < flags.size(); ++idx)
          approvals[idx] += flags[idx] == "1" ? 1 : 0;
        break;
      }
    }
  }
  // Objections in a fixed order that says nothing about who or when.
  std::sort(r.objections.begin(), r.objections.end());
  std::vector<std::size_t> order(n);
  for (std::size_t idx = 0; idx < n; ++idx) order[idx] = idx;
  if (method == core::VoteMethod::majority_judgment) order = core::rank_majority_judgment(profiles);
  if (method == core::VoteMethod::approval) order = core::rank_approval(approvals);
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const std::size_t idx = order[rank];
    r.options.push_back({proposal.options[idx], profiles[idx], core::majority_grade(profiles[idx]),
                         approvals[idx], static_cast<int>(rank) + 1});
  }
  if (proposal.status == core::ProposalStatus::closed) {
    if (method == core::VoteMethod::majority) {
      r.outcome = core::majority_passes(r.majority, proposal.threshold_pct, r.quorum_reached)
                      ? "passed"
                      : "rejected";
    } else if (method == core::VoteMethod::consent) {
      r.outcome = core::consent_passes(r.consent, r.quorum_reached) ? "passed" : "rejected";
    } else if (r.quorum_reached && r.voters > 0 && !r.options.empty()) {
      r.outcome = r.options.front().option.id;
    }
  }
  return r;
}

Result<ProposalResults> Governance::results(const Principal& who, const core::ProposalId& id) {
  const TimestampMs now = clock_.now();
  return read_settled<Result<ProposalResults>, core::ProposalId>(
      store_,
      [&](ReadTx& tx, std::vector<core::ProposalId>& due) -> Result<ProposalResults> {
        auto proposal = tx.governance().proposal_by_id(id);
        if (!proposal || (!who.moderator && !tx.orgs().member_role(proposal->org_id, who.user_id)))
          return no_proposal();
        if (is_due(*proposal, now)) due.push_back(proposal->id);
        if (proposal->secret && proposal->status != core::ProposalStatus::closed) {
          return Error::conflict("results_sealed",
                                 "The results of a secret ballot are shown once it is closed.");
        }
        return tally(tx, *proposal);
      },
      [&](const core::ProposalId& due_id) { close_if_due(due_id, now); });
}

Result<std::vector<Participant>> Governance::participants(const Principal& who,
                                                          const core::ProposalId& id) {
  const TimestampMs now = clock_.now();
  return read_settled<Result<std::vector<Participant>>, core::ProposalId>(
      store_,
      [&](ReadTx& tx, std::vector<core::ProposalId>& due) -> Result<std::vector<Participant>> {
        auto proposal = tx.governance().proposal_by_id(id);
        if (!proposal || (!who.moderator && !tx.orgs().member_role(proposal->org_id, who.user_id)))
          return no_proposal();
        if (is_due(*proposal, now)) due.push_back(proposal->id);
        std::vector<Participant> out;
        // While a secret ballot is open, nobody (admins included) learns
        // who has voted: each member sees only their own participation.
        const bool sealed = proposal->secret && proposal->status != core::ProposalStatus::closed;
        auto entries = tx.governance().vote_register(id);
        if (sealed)
          std::erase_if(entries, [&](const auto& entry) { return entry.user_id != who.user_id; });
        // Their names in one statement, not one each.
        std::vector<core::UserId> ids;
        for (const auto& entry : entries) ids.push_back(entry.user_id);
        const auto users = tx.accounts().users_by_ids(ids);
        for (const auto& entry : entries) {
          const auto user = users.find(entry.user_id);
          out.push_back({entry.user_id, user != users.end() ? user->second.display_name : "",
                         entry.via_user_id});
        }
        std::sort(out.begin(), out.end(), [](const Participant& a, const Participant& b) {
          return a.display_name != b.display_name ? a.display_name < b.display_name
                                                  : a.user_id < b.user_id;
        });
        return out;
      },
      [&](const core::ProposalId& due_id) { close_if_due(due_id, now); });
}

Result<std::vector<CommentRecord>> Governance::comments(const Principal& who,
                                                        const core::ProposalId& id,
                                                        std::int64_t limit, std::int64_t offset,
                                                        CommentOrder order) {
  return read_value<Result<std::vector<CommentRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<CommentRecord>> {
        auto proposal = tx.governance().proposal_by_id(id);
        if (!proposal || (!who.moderator && !tx.orgs().member_role(proposal->org_id, who.user_id)))
          return no_proposal();
        // A proposal's comments have no replies: its threads are its
        // comments, newest first.
        return order == CommentOrder::newest_first
                   ? tx.discussion().comment_threads(core::Subject::proposal, id, limit, offset)
                   : tx.discussion().comments_of(core::Subject::proposal, id, limit, offset);
      });
}

Result<CommentRecord> Governance::comment(const Principal& who, const core::ProposalId& id,
                                          const std::string& body) {
  if (auto problem = core::check_text(body, 5000)) return Error::validation({{"body", *problem}});
  const TimestampMs now = clock_.now();
  return write_result<CommentRecord>(store_, [&](Tx& tx) -> Result<CommentRecord> {
    auto proposal = tx.governance().proposal_by_id(id);
    if (!proposal || !tx.orgs().member_role(proposal->org_id, who.user_id)) return no_proposal();
    if (options_.rate_limits) {
      if (auto limited = rate_limit(tx, kCommentsPerAccount, who.user_id, now)) return *limited;
    }
    CommentRecord c;
    c.id = crypto_.random_id();
    c.user_id = who.user_id;
    c.display_name = who.display_name;
    c.body = core::trim(body);
    c.created_at = now;
    c.target_type = core::Subject::proposal;
    c.target_id = id;
    tx.discussion().insert_comment(c);
    return c;
  });
}

Result<ProxyRecord> Governance::give_proxy(const Principal& who, const core::OrgId& org_id,
                                           const core::UserId& to_user_id) {
  const TimestampMs now = clock_.now();
  return write_result<ProxyRecord>(store_, [&](Tx& tx) -> Result<ProxyRecord> {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    if (!tx.orgs().member_role(org_id, who.user_id))
      return Error::forbidden("Only members give proxies.");
    if (to_user_id == who.user_id || !tx.orgs().member_role(org_id, to_user_id))
      return Error::validation({{"to_user_id", "must be another member of the organisation"}});
    const auto proxies = tx.governance().proxies_of_org(org_id);
    std::int64_t held = 0;
    for (const auto& proxy : proxies) {
      if (proxy.from_user_id == to_user_id) {
        return Error::conflict("proxy_chain", "This member has given their own vote to someone.");
      }
      if (proxy.to_user_id == who.user_id) {
        return Error::conflict("proxy_chain", "You hold proxies: you cannot give yours.");
      }
      if (proxy.to_user_id == to_user_id && proxy.from_user_id != who.user_id) ++held;
    }
    const std::int64_t cap =
        core::proxy_cap(options_.proxy_rule, options_.proxy_cap, tx.orgs().count_members(org_id));
    if (held >= cap) {
      return Error::conflict(
          "proxy_cap_reached",
          "This member already holds " + std::to_string(held) + " proxies, the most allowed.");
    }
    ProxyRecord proxy{who.user_id, to_user_id, now};
    tx.governance().put_proxy(org_id, proxy);
    notify_in(tx, crypto_, now, to_user_id, "proxy_received", {{"actor", who.display_name}},
              {core::Place::org, org_id, core::Anchor::governance, ""}, core::Subject::org, org_id);
    return proxy;
  });
}

Result<bool> Governance::revoke_proxy(const Principal& who, const core::OrgId& org_id) {
  return write_result<bool>(store_, [&](Tx& tx) -> Result<bool> {
    if (!tx.governance().delete_proxy(org_id, who.user_id))
      return Error::not_found("You have not given a proxy here.");
    return true;
  });
}

std::vector<ProxyRecord> Governance::my_proxies(const Principal& who, const core::OrgId& org_id) {
  return read_value<std::vector<ProxyRecord>>(store_, [&](ReadTx& tx) {
    std::vector<ProxyRecord> out;
    for (auto& proxy : tx.governance().proxies_of_org(org_id)) {
      if (proxy.from_user_id == who.user_id || proxy.to_user_id == who.user_id)
        out.push_back(std::move(proxy));
    }
    return out;
  });
}

Result<std::vector<ProxyRecord>> Governance::proxies(const Principal& who,
                                                     const core::OrgId& org_id) {
  return read_value<Result<std::vector<ProxyRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<ProxyRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        if (!governance_allows(who, tx.orgs().member_role(org_id, who.user_id),
                               GovernanceAction::see_proxies))
          return Error::forbidden("Only the organisation's admins see the proxies.");
        return tx.governance().proxies_of_org(org_id);
      });
}

}  // namespace essor::app
