#include "store/dataset.hpp"

#include <soci/soci.h>

#include <chrono>
#include <random>
#include <stdexcept>
#include <vector>

#include "store/migrations.hpp"
#include "store/sql_helpers.hpp"

namespace essor::store {
namespace {

constexpr std::size_t kChunk = 10'000;

const char* const kFirstNames[] = {"Camille", "Karim",  "Lucie", "Joseph", "Aminata", "Hélène",
                                   "Thomas",  "Claire", "Yanis", "Inès",   "Marc",    "Fatou",
                                   "Louise",  "Hugo",   "Nadia", "Paul"};
const char* const kLastNames[] = {"Martin", "Benali", "Garnier", "Le Goff", "Diallo",   "Roux",
                                  "Nguyen", "Dubois", "Moreau",  "Laurent", "Fontaine", "Petit"};
const char* const kCities[] = {"Lyon",  "Nantes", "Lille",    "Rennes",  "Grenoble",  "Marseille",
                               "Brest", "Dijon",  "Poitiers", "Limoges", "Montreuil", "Arles"};
const char* const kThings[] = {"jardin partagé", "ressourcerie",    "épicerie solidaire",
                               "atelier vélo",   "café associatif", "four à pain",
                               "tiers-lieu",     "recyclerie",      "habitat partagé"};
const char* const kLegalForms[] = {"association", "scop", "scic", "cooperative", "mutuelle"};
const char* const kCategories[] = {"food",    "environment", "culture", "education",
                                   "housing", "health",      "other"};

class Ids {
 public:
  explicit Ids(std::uint64_t seed) : rng_(seed) {}
  // 32 hex digits like the program's own ids, but a counter first and 64
  // random bits after: rows then arrive in key order, so the bulk load
  // appends to the B-trees instead of writing pages all over them.
  std::string next() {
    static const char* hex = "0123456789abcdef";
    std::string out(32, '0');
    std::uint64_t bits = ++count_;
    for (int i = 15; i >= 0; --i, bits >>= 4) out[static_cast<std::size_t>(i)] = hex[bits & 15];
    bits = rng_();
    for (int i = 16; i < 32; ++i, bits >>= 4) out[static_cast<std::size_t>(i)] = hex[bits & 15];
    return out;
  }
  std::uint64_t number() { return rng_(); }
  std::mt19937_64& engine() { return rng_; }

 private:
  std::mt19937_64 rng_;
  std::uint64_t count_ = 0;
};

template <class T, std::size_t N>
const T& pick(const T (&items)[N], std::uint64_t n) {
  return items[n % N];
}

class Timer {
 public:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

void generate_dataset(const std::string& url, const DatasetSize& size,
                      const std::string& password_hash, const core::Sha256Hex& sha256,
                      core::TimestampMs now,
                      const std::function<void(const std::string&)>& progress) {
  if (size.users < 1 || size.orgs < 1 || size.campaigns < 1 || size.pledges < 0 ||
      size.orgs > size.users)
    throw std::runtime_error(
        "sizes: at least one user, organisation and campaign; no more "
        "organisations than users");
  migrate(url);
  auto session = open_session(url);
  soci::session& sql = *session;
  long long existing = 0;
  sql << "SELECT COUNT(*) FROM users", soci::into(existing);
  if (existing > 0) throw std::runtime_error("the database is not empty: generate into a new one");
  const bool pg = backend_of(url) == Backend::postgresql;
  const Timer timer;
  auto step = [&](const std::string& what) {
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.1f s", timer.seconds());
    progress(what + " (" + elapsed + ")");
  };
  Ids ids(size.seed);
  constexpr std::int64_t kDay = 86'400'000;
  // A large page cache for this one connection (the secondary indexes,
  // pledges by campaign and by user, are written in no particular order),
  // so SQLite does not spill the transaction to the WAL and read it back.
  if (!pg) sql << "PRAGMA cache_size = -1048576";
  sql << (pg ? "BEGIN" : "BEGIN IMMEDIATE");
  try {
    // Users.
    std::vector<std::string> user_ids;
    user_ids.reserve(static_cast<std::size_t>(size.users));
    for (std::int64_t start = 0; start < size.users; start += kChunk) {
      std::vector<std::string> id, email, name, hash, wallet;
      std::vector<long long> created;
      for (std::int64_t i = start; i < std::min<std::int64_t>(size.users, start + kChunk); ++i) {
        id.push_back(ids.next());
        wallet.push_back(ids.next());
        user_ids.push_back(id.back());
        email.push_back("user" + std::to_string(i) + "@bench.example");
        name.push_back(std::string(pick(kFirstNames, ids.number())) + " " +
                       pick(kLastNames, ids.number()));
        hash.push_back(password_hash);
        created.push_back(now - 400 * kDay + i);
      }
      sql << "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
             "wallet_id) VALUES (:i, :e, :n, :d, :h, :c, :w)",
          soci::use(id), soci::use(email), soci::use(email), soci::use(name), soci::use(hash),
          soci::use(created), soci::use(wallet);
    }
    step(std::to_string(size.users) + " users");

    // Organisations, each with its admin.
    std::vector<std::string> org_ids, org_admins;
    for (std::int64_t start = 0; start < size.orgs; start += kChunk) {
      std::vector<std::string> id, name, form, description, admin, role;
      std::vector<long long> created;
      for (std::int64_t i = start; i < std::min<std::int64_t>(size.orgs, start + kChunk); ++i) {
        id.push_back(ids.next());
        org_ids.push_back(id.back());
        const std::string city = pick(kCities, ids.number());
        name.push_back(std::string("Le ") + pick(kThings, ids.number()) + " de " + city + " n°" +
                       std::to_string(i + 1));
        form.push_back(pick(kLegalForms, ids.number()));
        description.push_back("Une structure de l'économie sociale et solidaire à " + city + ".");
        admin.push_back(user_ids[static_cast<std::size_t>(i * (size.users / size.orgs))]);
        org_admins.push_back(admin.back());
        role.push_back("admin");
        created.push_back(now - 300 * kDay + i);
      }
      sql << "INSERT INTO orgs (id, name, legal_form, description, created_by, created_at) VALUES "
             "(:i, :n, :f, :d, :b, :c)",
          soci::use(id), soci::use(name), soci::use(form), soci::use(description), soci::use(admin),
          soci::use(created);
      sql << "INSERT INTO memberships (org_id, user_id, role, joined_at) VALUES (:o, :u, :r, :j)",
          soci::use(id), soci::use(admin), soci::use(role), soci::use(created);
    }
    step(std::to_string(size.orgs) + " organisations");

    // Live campaigns.
    std::vector<std::string> campaign_ids;
    for (std::int64_t start = 0; start < size.campaigns; start += kChunk) {
      std::vector<std::string> id, org, title, summary, description, category, kind, model, status,
          by;
      std::vector<long long> goal, ends, created, published;
      for (std::int64_t i = start; i < std::min<std::int64_t>(size.campaigns, start + kChunk);
           ++i) {
        id.push_back(ids.next());
        campaign_ids.push_back(id.back());
        const auto o = static_cast<std::size_t>(i % size.orgs);
        org.push_back(org_ids[o]);
        by.push_back(org_admins[o]);
        const std::string thing = pick(kThings, ids.number());
        const std::string city = pick(kCities, ids.number());
        title.push_back("Un " + thing + " pour " + city + " (" + std::to_string(i + 1) + ")");
        summary.push_back("Financer ensemble un " + thing + " ouvert à toutes et tous.");
        description.push_back("## Le projet\n\nÀ " + city + ", un **" + thing +
                              "** porté par ses habitants.\n\n- des bénévoles\n- un lieu\n");
        category.push_back(pick(kCategories, ids.number()));
        kind.push_back("donation");
        model.push_back(i % 3 == 0 ? "all_or_nothing" : "keep_it_all");
        status.push_back("live");
        goal.push_back(static_cast<long long>(100'000 + (ids.number() % 40) * 50'000));
        ends.push_back(now + (10 + static_cast<long long>(ids.number() % 80)) * kDay);
        created.push_back(now - 60 * kDay + i);
        published.push_back(now - 50 * kDay + i);
      }
      sql << "INSERT INTO campaigns (id, org_id, title, summary, description_md, category, kind, "
             "funding_model, status, goal_cents, ends_at, created_by, created_at, published_at) "
             "VALUES (:i, :o, :t, :s, :d, :c, :k, :m, :st, :g, :e, :b, :cr, :p)",
          soci::use(id), soci::use(org), soci::use(title), soci::use(summary),
          soci::use(description), soci::use(category), soci::use(kind), soci::use(model),
          soci::use(status), soci::use(goal), soci::use(ends), soci::use(by), soci::use(created),
          soci::use(published);
    }
    step(std::to_string(size.campaigns) + " campaigns");

    // Confirmed card pledges, each with its transfer on the chain. Popular
    // campaigns get more (the square of a uniform draw skews to the first).
    std::string prev_hash = core::kGenesisHash;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    static const long long kAmounts[] = {500, 1000, 1500, 2000, 2500, 3000, 5000, 10000, 20000};
    for (std::int64_t start = 0; start < size.pledges; start += kChunk) {
      std::vector<std::string> id, campaign, user, status, method, reference, tid, debit, credit,
          tkind, prev, hash;
      std::vector<long long> amount, created, seq;
      for (std::int64_t i = start; i < std::min<std::int64_t>(size.pledges, start + kChunk); ++i) {
        const double u = unit(ids.engine());
        const auto c = static_cast<std::size_t>(u * u * static_cast<double>(size.campaigns));
        id.push_back(ids.next());
        campaign.push_back(campaign_ids[std::min(c, campaign_ids.size() - 1)]);
        user.push_back(user_ids[ids.number() % user_ids.size()]);
        amount.push_back(pick(kAmounts, ids.number()));
        status.push_back("confirmed");
        method.push_back(core::to_string(core::PaymentMethod::sandbox_card));
        std::string ref = "ESSOR-";
        for (std::size_t k = 4; k < 16; ++k) {  // the counter's digits: unique
          const char ch = id.back()[k];
          ref.push_back(ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 32) : ch);
        }
        reference.push_back(ref);
        const core::TimestampMs at = now - 45 * kDay + i * 3;
        created.push_back(at);
        core::Transfer t;
        t.seq = i + 1;
        t.id = ids.next();
        t.debit_account = core::external_account(core::PaymentMethod::sandbox_card);
        const core::CampaignId campaign_id{campaign.back()};
        t.credit_account = core::campaign_account(campaign_id);
        t.amount_cents = core::Cents{static_cast<std::int64_t>(amount.back())};
        t.kind = core::TransferKind::pledge;
        t.pledge_id = id.back();
        t.campaign_id = campaign_id;
        t.created_at = at;
        t.prev_hash = prev_hash;
        t.hash = core::chain_hash(prev_hash, t, sha256);
        prev_hash = t.hash;
        seq.push_back(t.seq);
        tid.push_back(t.id);
        debit.push_back(t.debit_account);
        credit.push_back(t.credit_account);
        tkind.push_back(core::to_string(t.kind));
        prev.push_back(t.prev_hash);
        hash.push_back(t.hash);
      }
      sql << "INSERT INTO pledges (id, campaign_id, user_id, amount_cents, status, payment_method, "
             "reference, created_at, updated_at) VALUES (:i, :c, :u, :a, :s, :m, :r, :cr, :up)",
          soci::use(id), soci::use(campaign), soci::use(user), soci::use(amount), soci::use(status),
          soci::use(method), soci::use(reference), soci::use(created), soci::use(created);
      sql << "INSERT INTO ledger_transfers (seq, id, debit_account, credit_account, amount_cents, "
             "kind, pledge_id, campaign_id, created_at, prev_hash, hash) VALUES (:s, :i, :d, :c, "
             ":a, :k, :p, :ca, :cr, :pr, :h)",
          soci::use(seq), soci::use(tid), soci::use(debit), soci::use(credit), soci::use(amount),
          soci::use(tkind), soci::use(id), soci::use(campaign), soci::use(created), soci::use(prev),
          soci::use(hash);
      if ((start / kChunk) % 20 == 19) step(std::to_string(start + kChunk) + " pledges");
    }
    long long head_seq = size.pledges;
    sql << "UPDATE ledger_head SET seq = :s, hash = :h WHERE id = 1", soci::use(head_seq),
        soci::use(prev_hash);
    sql << "COMMIT";
  } catch (...) {
    sql << "ROLLBACK";
    throw;
  }
  step(std::to_string(size.pledges) + " pledges with their transfers, committed");
  if (pg) {
    sql << "ANALYZE";
  } else {
    sql << "ANALYZE";
    sql << "PRAGMA wal_checkpoint(TRUNCATE)";
  }
  step("statistics updated");
}

}  // namespace essor::store
