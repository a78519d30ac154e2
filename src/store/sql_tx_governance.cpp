// SqlTx: proposals, eligibility, the register of who voted, ballots, proxies.
#include <soci/soci.h>

#include "core/id.hpp"
#include "store/sql_helpers.hpp"
#include "store/sql_tx.hpp"

namespace essor::store {

using app::TimestampMs;

void SqlTx::insert_proposal(const app::ProposalRecord& p,
                            const std::vector<core::UserId>& eligible) {
  require_writable();
  long long closes = p.closes_at, quorum = p.quorum_pct, threshold = p.threshold_pct,
            secret = p.secret ? 1 : 0, at = p.created_at;
  const std::string method = core::to_string(p.method), status = core::to_string(p.status);
  sql_ << "INSERT INTO proposals (id, org_id, title, body_md, method, status, closes_at, "
          "quorum_pct, threshold_pct, secret, created_by, created_at) VALUES (:id, :o, :t, :b, "
          ":m, :s, :c, :q, :th, :sec, :by, :at)",
      soci::use(p.id), soci::use(p.org_id), soci::use(p.title), soci::use(p.body_md),
      soci::use(method), soci::use(status), soci::use(closes), soci::use(quorum),
      soci::use(threshold), soci::use(secret), soci::use(p.created_by), soci::use(at);
  long long position = 0;
  for (const auto& option : p.options) {
    sql_ << "INSERT INTO proposal_options (id, proposal_id, position, name) VALUES (:id, :p, "
            ":pos, :n)",
        soci::use(option.id), soci::use(p.id), soci::use(position), soci::use(option.name);
    ++position;
  }
  for (const auto& user : eligible) {
    sql_ << "INSERT INTO proposal_eligible (proposal_id, user_id) VALUES (:p, :u)", soci::use(p.id),
        soci::use(user);
  }
}

std::vector<app::ProposalRecord> SqlTx::query_proposals(const std::string& where_sql,
                                                        const std::string& value,
                                                        std::int64_t limit, std::int64_t offset) {
  long long lim = limit, off = offset;
  std::vector<app::ProposalRecord> out;
  {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, org_id, title, body_md, method, status, closes_at, "
                         "quorum_pct, threshold_pct, secret, created_by, created_at, closed_at "
                         "FROM proposals "
                      << where_sql << " LIMIT :lim OFFSET :off",
         soci::use(value), soci::use(lim), soci::use(off));
    for (const auto& row : rows) {
      app::ProposalRecord p;
      p.id = get_text(row, 0);
      p.org_id = get_text(row, 1);
      p.title = get_text(row, 2);
      p.body_md = get_text(row, 3);
      p.method = known(core::parse_vote_method, get_text(row, 4));
      p.status = known(core::parse_proposal_status, get_text(row, 5));
      p.closes_at = get_i64(row, 6);
      p.quorum_pct = get_i64(row, 7);
      p.threshold_pct = get_i64(row, 8);
      p.secret = get_i64(row, 9) != 0;
      p.created_by = get_text(row, 10);
      p.created_at = get_i64(row, 11);
      p.closed_at = get_opt_i64(row, 12);
      out.push_back(std::move(p));
    }
  }
  for (auto& p : out) {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, name FROM proposal_options WHERE proposal_id = :p ORDER BY "
                         "position",
         soci::use(p.id));
    for (const auto& row : rows) p.options.push_back({get_text(row, 0), get_text(row, 1)});
  }
  return out;
}

std::optional<app::ProposalRecord> SqlTx::proposal_by_id(const core::ProposalId& id) {
  auto rows = query_proposals("WHERE id = :v", id, 1, 0);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<app::ProposalRecord> SqlTx::proposals_of_org(const core::OrgId& org_id,
                                                         std::int64_t limit, std::int64_t offset) {
  return query_proposals("WHERE org_id = :v ORDER BY created_at DESC, id", org_id, limit, offset);
}

std::vector<core::ProposalId> SqlTx::open_proposals_closing_by(TimestampMs instant,
                                                               std::int64_t limit) {
  long long at = instant, lim = limit;
  std::vector<core::ProposalId> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT id FROM proposals WHERE status = 'open' AND closes_at <= :at "
                       "ORDER BY closes_at LIMIT :lim",
       soci::use(at), soci::use(lim));
  for (const auto& row : rows) out.push_back(get_text(row, 0));
  return out;
}

bool SqlTx::close_proposal(const core::ProposalId& id, TimestampMs now) {
  require_writable();
  long long at = now;
  soci::statement st = (sql_.prepare << "UPDATE proposals SET status = 'closed', closed_at = :at "
                                        "WHERE id = :id AND status = 'open'",
                        soci::use(at), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool SqlTx::is_eligible(const core::ProposalId& proposal_id, const core::UserId& user_id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT 1 FROM proposal_eligible WHERE proposal_id = :p AND user_id = :u",
       soci::use(proposal_id), soci::use(user_id));
  return rows.begin() != rows.end();
}

std::int64_t SqlTx::eligible_count(const core::ProposalId& proposal_id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT COUNT(*) FROM proposal_eligible WHERE proposal_id = :p",
       soci::use(proposal_id));
  for (const auto& row : rows) return get_i64(row, 0);
  return 0;
}

std::optional<app::RegisterEntry> SqlTx::register_entry(const core::ProposalId& proposal_id,
                                                        const core::UserId& user_id) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT user_id, via_user_id FROM vote_register WHERE proposal_id = :p "
                       "AND user_id = :u",
       soci::use(proposal_id), soci::use(user_id));
  for (const auto& row : rows) return app::RegisterEntry{get_text(row, 0), get_opt(row, 1)};
  return std::nullopt;
}

void SqlTx::put_register_entry(const core::ProposalId& proposal_id,
                               const app::RegisterEntry& entry) {
  require_writable();
  Nullable via(entry.via_user_id);
  sql_ << "INSERT INTO vote_register (proposal_id, user_id, via_user_id) VALUES (:p, :u, :v) "
          "ON CONFLICT (proposal_id, user_id) DO UPDATE SET via_user_id = excluded.via_user_id",
      soci::use(proposal_id), soci::use(entry.user_id), soci::use(via.text, via.indicator);
}

std::vector<app::RegisterEntry> SqlTx::vote_register(const core::ProposalId& proposal_id) {
  std::vector<app::RegisterEntry> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT user_id, via_user_id FROM vote_register WHERE proposal_id = :p "
                       "ORDER BY user_id",
       soci::use(proposal_id));
  for (const auto& row : rows) out.push_back({get_text(row, 0), get_opt(row, 1)});
  return out;
}

void SqlTx::put_ballot(const core::ProposalId& proposal_id, const std::string& ballot_key,
                       const std::string& choice) {
  require_writable();
  sql_ << "INSERT INTO ballots (proposal_id, ballot_key, choice) VALUES (:p, :k, :c) "
          "ON CONFLICT (proposal_id, ballot_key) DO UPDATE SET choice = excluded.choice",
      soci::use(proposal_id), soci::use(ballot_key), soci::use(choice);
}

void SqlTx::put_sealed_register_entry(const core::ProposalId& proposal_id,
                                      const app::RegisterEntry& entry, const std::string& sealed) {
  require_writable();
  Nullable via(entry.via_user_id);
  sql_ << "INSERT INTO vote_register (proposal_id, user_id, via_user_id, sealed_ballot) VALUES "
          "(:p, :u, :v, :s) ON CONFLICT (proposal_id, user_id) DO UPDATE SET via_user_id = "
          "excluded.via_user_id, sealed_ballot = excluded.sealed_ballot",
      soci::use(proposal_id), soci::use(entry.user_id), soci::use(via.text, via.indicator),
      soci::use(sealed);
}

std::vector<std::string> SqlTx::sealed_ballots(const core::ProposalId& proposal_id) {
  std::vector<std::string> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT sealed_ballot FROM vote_register WHERE proposal_id = :p AND "
                       "sealed_ballot IS NOT NULL",
       soci::use(proposal_id));
  for (const auto& row : rows) out.push_back(get_text(row, 0));
  return out;
}

void SqlTx::forget_sealed_ballots(const core::ProposalId& proposal_id) {
  require_writable();
  sql_ << "UPDATE vote_register SET sealed_ballot = NULL WHERE proposal_id = :p AND "
          "sealed_ballot IS NOT NULL",
      soci::use(proposal_id);
}

std::vector<std::string> SqlTx::ballots_of(const core::ProposalId& proposal_id) {
  std::vector<std::string> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT choice FROM ballots WHERE proposal_id = :p ORDER BY ballot_key",
       soci::use(proposal_id));
  for (const auto& row : rows) out.push_back(get_text(row, 0));
  return out;
}

void SqlTx::put_proxy(const core::OrgId& org_id, const app::ProxyRecord& proxy) {
  require_writable();
  long long at = proxy.created_at;
  sql_ << "INSERT INTO proxies (org_id, from_user_id, to_user_id, created_at) VALUES (:o, :f, "
          ":t, :at) ON CONFLICT (org_id, from_user_id) DO UPDATE SET to_user_id = "
          "excluded.to_user_id, created_at = excluded.created_at",
      soci::use(org_id), soci::use(proxy.from_user_id), soci::use(proxy.to_user_id), soci::use(at);
}

bool SqlTx::delete_proxy(const core::OrgId& org_id, const core::UserId& from_user_id) {
  require_writable();
  soci::statement st =
      (sql_.prepare << "DELETE FROM proxies WHERE org_id = :o AND from_user_id = :f",
       soci::use(org_id), soci::use(from_user_id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<app::ProxyRecord> SqlTx::proxies_of_org(const core::OrgId& org_id) {
  std::vector<app::ProxyRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT from_user_id, to_user_id, created_at FROM proxies WHERE org_id = "
                       ":o ORDER BY to_user_id, from_user_id",
       soci::use(org_id));
  for (const auto& row : rows) out.push_back({get_text(row, 0), get_text(row, 1), get_i64(row, 2)});
  return out;
}

void SqlTx::insert_assembly(const app::AssemblyRecord& a) {
  require_writable();
  long long held = a.held_at, quorum = a.quorum_pct, at = a.created_at;
  sql_ << "INSERT INTO assemblies (id, org_id, title, place, held_at, quorum_pct, created_by, "
          "created_at) VALUES (:id, :o, :t, :p, :h, :q, :by, :at)",
      soci::use(a.id), soci::use(a.org_id), soci::use(a.title), soci::use(a.place), soci::use(held),
      soci::use(quorum), soci::use(a.created_by), soci::use(at);
}

void SqlTx::set_assembly_officers(const std::string& assembly_id,
                                  const std::optional<core::UserId>& chair_user_id,
                                  const std::optional<core::UserId>& secretary_user_id) {
  require_writable();
  const std::string chair = chair_user_id ? chair_user_id->str() : "",
                    secretary = secretary_user_id ? secretary_user_id->str() : "";
  soci::indicator chair_ind = chair_user_id ? soci::i_ok : soci::i_null;
  soci::indicator secretary_ind = secretary_user_id ? soci::i_ok : soci::i_null;
  sql_ << "UPDATE assemblies SET chair_user_id = :c, secretary_user_id = :s WHERE id = :id",
      soci::use(chair, chair_ind), soci::use(secretary, secretary_ind), soci::use(assembly_id);
}

std::vector<app::AssemblyRecord> SqlTx::query_assemblies(const std::string& where_sql,
                                                         const std::string& value) {
  std::vector<app::AssemblyRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT id, org_id, title, place, held_at, quorum_pct, created_by, "
                       "created_at, chair_user_id, secretary_user_id FROM assemblies "
                    << where_sql,
       soci::use(value));
  for (const auto& row : rows) {
    app::AssemblyRecord a;
    a.id = get_text(row, 0);
    a.org_id = get_text(row, 1);
    a.title = get_text(row, 2);
    a.place = get_text(row, 3);
    a.held_at = get_i64(row, 4);
    a.quorum_pct = get_i64(row, 5);
    a.created_by = get_text(row, 6);
    a.created_at = get_i64(row, 7);
    if (row.get_indicator(8) == soci::i_ok) a.chair_user_id = get_text(row, 8);
    if (row.get_indicator(9) == soci::i_ok) a.secretary_user_id = get_text(row, 9);
    out.push_back(std::move(a));
  }
  return out;
}

std::optional<app::AssemblyRecord> SqlTx::assembly_by_id(const std::string& id) {
  auto rows = query_assemblies("WHERE id = :v", id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<app::AssemblyRecord> SqlTx::assemblies_of_org(const core::OrgId& org_id) {
  return query_assemblies("WHERE org_id = :v ORDER BY held_at DESC, id LIMIT 200", org_id);
}

bool SqlTx::add_to_agenda(const std::string& assembly_id, const core::ProposalId& proposal_id) {
  require_writable();
  soci::statement st =
      (sql_.prepare << "INSERT INTO assembly_agenda (assembly_id, proposal_id, position) SELECT "
                       ":a, :p, COALESCE(MAX(position), 0) + 1 FROM assembly_agenda WHERE "
                       "assembly_id = :a2 ON CONFLICT (assembly_id, proposal_id) DO NOTHING",
       soci::use(assembly_id), soci::use(proposal_id), soci::use(assembly_id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<core::ProposalId> SqlTx::agenda_of(const std::string& assembly_id) {
  std::vector<core::ProposalId> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT proposal_id FROM assembly_agenda WHERE assembly_id = :a ORDER BY "
                       "position",
       soci::use(assembly_id));
  for (const auto& row : rows) out.push_back(get_text(row, 0));
  return out;
}

void SqlTx::put_attendance(const std::string& assembly_id, const app::AttendanceRecord& r) {
  require_writable();
  Nullable by(r.represented_by);
  const std::string mode = core::to_string(r.mode);
  sql_ << "INSERT INTO assembly_attendance (assembly_id, user_id, mode, represented_by) VALUES "
          "(:a, :u, :m, :b) ON CONFLICT (assembly_id, user_id) DO UPDATE SET mode = excluded.mode, "
          "represented_by = excluded.represented_by",
      soci::use(assembly_id), soci::use(r.user_id), soci::use(mode),
      soci::use(by.text, by.indicator);
}

void SqlTx::delete_attendance(const std::string& assembly_id, const core::UserId& user_id) {
  require_writable();
  sql_ << "DELETE FROM assembly_attendance WHERE assembly_id = :a AND user_id = :u",
      soci::use(assembly_id), soci::use(user_id);
}

std::vector<app::AttendanceRecord> SqlTx::attendance_of(const std::string& assembly_id) {
  std::vector<app::AttendanceRecord> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT user_id, mode, represented_by FROM assembly_attendance WHERE "
                       "assembly_id = :a ORDER BY user_id",
       soci::use(assembly_id));
  for (const auto& row : rows)
    out.push_back(
        {get_text(row, 0), known(core::parse_attendance, get_text(row, 1)), get_opt(row, 2)});
  return out;
}

void SqlTx::insert_budget(const app::BudgetRecord& b) {
  require_writable();
  long long envelope = b.envelope_cents, closes = b.closes_at, at = b.created_at;
  const std::string status = core::to_string(b.status);
  sql_ << "INSERT INTO budgets (id, org_id, title, description, envelope_cents, status, "
          "closes_at, created_by, created_at) VALUES (:id, :o, :t, :d, :e, :s, :c, :by, :at)",
      soci::use(b.id), soci::use(b.org_id), soci::use(b.title), soci::use(b.description),
      soci::use(envelope), soci::use(status), soci::use(closes), soci::use(b.created_by),
      soci::use(at);
  long long position = 0;
  for (const auto& p : b.projects) {
    long long cost = p.cost_cents;
    Nullable campaign(p.campaign_id);
    sql_ << "INSERT INTO budget_projects (id, budget_id, position, title, description, "
            "cost_cents, campaign_id) VALUES (:id, :b, :pos, :t, :d, :c, :camp)",
        soci::use(p.id), soci::use(b.id), soci::use(position), soci::use(p.title),
        soci::use(p.description), soci::use(cost), soci::use(campaign.text, campaign.indicator);
    ++position;
  }
}

std::vector<app::BudgetRecord> SqlTx::query_budgets(const std::string& where_sql,
                                                    const std::string& value) {
  std::vector<app::BudgetRecord> out;
  {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, org_id, title, description, envelope_cents, status, "
                         "closes_at, created_by, created_at, closed_at FROM budgets "
                      << where_sql,
         soci::use(value));
    for (const auto& row : rows) {
      app::BudgetRecord b;
      b.id = get_text(row, 0);
      b.org_id = get_text(row, 1);
      b.title = get_text(row, 2);
      b.description = get_text(row, 3);
      b.envelope_cents = get_i64(row, 4);
      b.status = known(core::parse_budget_status, get_text(row, 5));
      b.closes_at = get_i64(row, 6);
      b.created_by = get_text(row, 7);
      b.created_at = get_i64(row, 8);
      b.closed_at = get_opt_i64(row, 9);
      out.push_back(std::move(b));
    }
  }
  for (auto& b : out) {
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, title, description, cost_cents, campaign_id FROM "
                         "budget_projects WHERE budget_id = :b ORDER BY position",
         soci::use(b.id));
    for (const auto& row : rows) {
      b.projects.push_back(
          {get_text(row, 0), get_text(row, 1), get_text(row, 2), get_i64(row, 3), get_opt(row, 4)});
    }
  }
  return out;
}

std::optional<app::BudgetRecord> SqlTx::budget_by_id(const std::string& id) {
  auto rows = query_budgets("WHERE id = :v", id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<app::BudgetRecord> SqlTx::budgets_of_org(const core::OrgId& org_id) {
  return query_budgets("WHERE org_id = :v ORDER BY created_at DESC, id LIMIT 200", org_id);
}

std::vector<std::string> SqlTx::open_budgets_closing_by(TimestampMs instant, std::int64_t limit) {
  long long at = instant, lim = limit;
  std::vector<std::string> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT id FROM budgets WHERE status = 'open' AND closes_at <= :at ORDER "
                       "BY closes_at LIMIT :lim",
       soci::use(at), soci::use(lim));
  for (const auto& row : rows) out.push_back(get_text(row, 0));
  return out;
}

bool SqlTx::close_budget(const std::string& id, TimestampMs now) {
  require_writable();
  long long at = now;
  soci::statement st = (sql_.prepare << "UPDATE budgets SET status = 'closed', closed_at = :at "
                                        "WHERE id = :id AND status = 'open'",
                        soci::use(at), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void SqlTx::put_budget_ballot(const std::string& budget_id, const app::BudgetBallot& ballot) {
  require_writable();
  sql_ << "DELETE FROM budget_votes WHERE budget_id = :b AND user_id = :u", soci::use(budget_id),
      soci::use(ballot.user_id);
  for (const auto& project : ballot.project_ids) {
    sql_ << "INSERT INTO budget_votes (budget_id, user_id, project_id) VALUES (:b, :u, :p)",
        soci::use(budget_id), soci::use(ballot.user_id), soci::use(project);
  }
}

std::vector<app::BudgetBallot> SqlTx::budget_ballots(const std::string& budget_id) {
  std::vector<app::BudgetBallot> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT user_id, project_id FROM budget_votes WHERE budget_id = :b ORDER "
                       "BY user_id, project_id",
       soci::use(budget_id));
  for (const auto& row : rows) {
    const auto user = get_text(row, 0);
    if (out.empty() || out.back().user_id != user) out.push_back({user, {}});
    out.back().project_ids.push_back(get_text(row, 1));
  }
  return out;
}

}  // namespace essor::store
