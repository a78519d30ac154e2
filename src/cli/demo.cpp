// `essor demo`: a small, realistic data set of French ESS organisations and
// their members, made through the same use cases as the pages and the API
// (so passwords are hashed, memberships checked). Running it twice changes
// nothing the second time. Every demo account's password is
// kDemoPassword, printed at the end.
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/wiring.hpp"
#include "core/id.hpp"
#include "core/money.hpp"
#include "core/time.hpp"

namespace essor::cli {

namespace {

constexpr const char* kDemoPassword = "essor-demo-2026";

struct DemoPerson {
  const char* email;
  const char* name;
};

struct DemoMember {
  int person;
  const char* role;
};

struct DemoOrg {
  const char* name;
  const char* legal_form;
  const char* description;
  const char* siren;
  const char* region;
  const char* department;
  const char* iban;
  const char* bic;
  int admin;
  std::vector<DemoMember> members;
};

const DemoPerson kPeople[] = {
    {"camille.martin@example.org", "Camille Martin"},
    {"karim.benali@example.org", "Karim Benali"},
    {"lucie.garnier@example.org", "Lucie Garnier"},
    {"joseph.le-goff@example.org", "Joseph Le Goff"},
    {"aminata.diallo@example.org", "Aminata Diallo"},
    {"helene.roux@example.org", "Hélène Roux"},
    {"thomas.nguyen@example.org", "Thomas Nguyen"},
    {"marie-claire.dubois@example.org", "Marie-Claire Dubois"},
};

struct DemoCampaign {
  int org;
  const char* title;
  const char* summary;
  const char* description_md;
  const char* category;
  const char* funding_model;
  core::Cents goal_cents;
  int days_left;
  std::vector<core::RewardInput> rewards;
  std::vector<std::pair<int, core::Cents>> card_pledges;  // person, amount
};

const DemoCampaign kCampaigns[] = {
    {0,
     "Un atelier de réparation ouvert à tous",
     "Équiper notre atelier pour réparer 2 000 objets par an au lieu de les jeter.",
     "## Le projet\n\nDepuis 2019, la Ressourcerie répare et revend. Avec **un établi, un poste de "
     "soudure "
     "et des outils partagés**, les habitants pourront venir réparer eux-mêmes, accompagnés par "
     "nos "
     "bénévoles.\n\n## Le budget\n\n- Établis et outillage : 4 200 €\n- Poste de soudure : 1 800 "
     "€\n"
     "- Formation des bénévoles : 2 000 €",
     "environment",
     "all_or_nothing",
     800000,
     24,
     {{"Merci sur notre mur", "Votre nom sur le mur des soutiens", 1000, std::nullopt},
      {"Atelier découverte", "Deux heures pour apprendre à réparer un petit appareil", 3500, 20},
      {"Lampe upcyclée", "Une lampe fabriquée dans l'atelier", 8000, 5}},
     {{1, 5000}, {2, 3500}, {5, 12000}, {4, 2000}}},
    {2,
     "Des vélos pour les jeunes du quartier",
     "Remettre en selle 60 vélos abandonnés et les confier à des lycéens.",
     "Chaque année, des dizaines de vélos finissent à la déchetterie. Nous les récupérons, les "
     "réparons avec les jeunes eux-mêmes, et les leur confions pour aller en cours.",
     "solidarity",
     "keep_it_all",
     300000,
     12,
     {{"Sonnette gravée", "Une sonnette gravée au nom du projet", 1500, 30}},
     {{6, 2500}, {7, 4000}}},
    {4,
     "Tablettes et ateliers pour nos aînés",
     "Des tablettes simples et des ateliers pour garder le lien avec les familles.",
     "Beaucoup de personnes âgées de nos villages ne voient leurs petits-enfants qu'en photo. "
     "Nous prêtons des tablettes simplifiées et animons des ateliers chaque semaine.",
     "silver_economy",
     "all_or_nothing",
     450000,
     40,
     {},
     {{0, 6000}, {3, 2500}}},
};

const DemoOrg kOrgs[] = {
    {"La Ressourcerie du Plateau",
     "association",
     "Collecte, répare et revend à petit prix les objets dont on ne veut plus. Ateliers de "
     "réparation ouverts à toutes et tous le samedi.",
     "628194821",
     "Auvergne-Rhône-Alpes",
     "69",
     "FR7630004000031234567890143",
     "BNPAFRPP",
     0,
     {{1, "treasurer"}, {2, "member"}, {5, "member"}}},
    {"Terres Communes",
     "scic",
     "Société coopérative d'intérêt collectif qui achète des terres agricoles pour y installer "
     "de jeunes maraîchers en bio.",
     "993518190",
     "Bretagne",
     "29",
     "FR1210278089000001234560153",
     "CMCIFR2A",
     3,
     {{0, "member"}, {4, "treasurer"}, {6, "member"}}},
    {"Atelier Vélo Solidaire",
     "association",
     "Apprendre à réparer son vélo, récupérer des vélos abandonnés et les remettre en selle.",
     "543231948",
     "Île-de-France",
     "93",
     nullptr,
     nullptr,
     6,
     {{2, "admin"}, {7, "member"}}},
    {"Les Cafés Partagés",
     "scop",
     "SCOP de torréfaction artisanale, café issu du commerce équitable, six salariés associés.",
     "507529170",
     "Occitanie",
     "34",
     "FR7842559100000812345678962",
     "CCOPFRPP",
     5,
     {{1, "member"}, {3, "member"}}},
    {"Âges et Liens",
     "association",
     "Rompre l'isolement des personnes âgées : visites, appels, ateliers numériques et cercles "
     "familiaux.",
     "353799075",
     "Nouvelle-Aquitaine",
     "33",
     nullptr,
     nullptr,
     7,
     {{0, "member"}, {4, "member"}}},
};

// The system clock, which the demo can set back in time to tell a story
// that started months ago (a loan repaid month after month).
class DemoClock final : public app::Clock {
 public:
  core::TimestampMs now() const override {
    const auto fixed = fixed_.load();
    if (fixed != 0) return fixed;
    return core::TimestampMs{std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count()};
  }
  void set(core::TimestampMs instant) { fixed_ = instant; }
  void release() { fixed_ = 0; }

 private:
  std::atomic<core::TimestampMs> fixed_{0};
};

bool report(const core::Error& error) {
  std::cerr << "demo: " << error.message << "\n";
  return false;
}

bool publish(Runtime& runtime, const app::Principal& admin, const app::Principal& reviewer,
             const core::OrgId& org_id, const core::CampaignInput& input, core::CampaignId& id) {
  auto campaign = runtime.campaigns->create(admin, org_id, input);
  if (!campaign) return report(campaign.error());
  id = campaign->campaign.id;
  if (auto done = runtime.campaigns->submit(admin, id); !done) return report(done.error());
  if (auto done = runtime.campaigns->approve(reviewer, id); !done) return report(done.error());
  return true;
}

bool lend(Runtime& runtime, const app::Principal& who, const core::CampaignId& campaign_id,
          core::Cents amount, const char* method, const std::string& key,
          const app::Principal* treasurer = nullptr) {
  app::PledgeInput pledge{amount,       std::nullopt, method,      false,
                          std::nullopt, std::nullopt, std::nullopt};
  auto done =
      runtime.pledges->pledge(who, campaign_id, key, std::to_string(amount) + method, pledge,
                              [](const app::PledgeOutcome& outcome) { return outcome.pledge.id; });
  if (!done) return report(done.error());
  // A bank transfer: the treasurer sees it arrive.
  if (treasurer) {
    if (auto confirmed = runtime.pledges->confirm(*treasurer, done->body); !confirmed)
      return report(confirmed.error());
  }
  return true;
}

// Terres Communes borrowed from six people four months ago and has paid
// three installments since; one lender lends her repaid money again to the
// Cafés Partagés' interest-free loan, which is live.
bool seed_loans(Runtime& runtime, DemoClock& clock, const std::vector<app::Principal>& people,
                const std::vector<core::OrgId>& org_ids, const app::Principal& reviewer) {
  constexpr std::int64_t kDay = 86'400'000;
  const core::TimestampMs today = clock.now();
  // Closed four months ago, give or take: the fourth installment falls due
  // in five days.
  const core::TimestampMs start = core::add_months(today, -4) - 15 * kDay;
  clock.set(start);
  const auto& joseph = people.at(3);   // Terres Communes' admin
  const auto& aminata = people.at(4);  // its treasurer
  core::CampaignInput farm{
      "Installer deux maraîchers bio à Plouguerneau",
      "Un prêt solidaire à 2 % pour acheter les serres et l'irrigation de la ferme.",
      "## Le projet\n\nTerres Communes a acheté 6 hectares. Pour que Maëlle et Yann s'y "
      "installent, il faut **deux serres et un système d'irrigation**.\n\n## Le prêt\n\n"
      "Taux de 2 % par an, remboursé en 24 mensualités constantes à partir du mois qui suit la "
      "collecte.",
      "environment",
      "loan",
      "keep_it_all",
      1'000'000,
      start + 20 * kDay,
      {},
      core::LoanTerms{200, 24, "annuity", std::nullopt}};
  core::CampaignId farm_id;
  if (!publish(runtime, joseph, reviewer, org_ids.at(1), farm, farm_id)) return false;
  const std::pair<int, core::Cents> lenders[] = {{0, 150'000}, {1, 200'000}, {2, 100'000},
                                                 {5, 200'000}, {6, 50'000},  {7, 120'000}};
  for (const auto& [person, amount] : lenders) {
    // Lent by bank transfer (test-card money never comes back as money).
    if (!lend(runtime, people.at(static_cast<std::size_t>(person)), farm_id, amount,
              "bank_transfer", "demo-loan-farm", &aminata))
      return false;
  }
  clock.set(start + 20 * kDay);
  if (auto closed = runtime.campaigns->close(joseph, farm_id); !closed)
    return report(closed.error());
  auto plan = runtime.loans->schedule(std::nullopt, farm_id);
  if (!plan) return report(plan.error());
  for (int month = 0; month < 3; ++month) {
    const auto& installment = plan->installments.at(static_cast<std::size_t>(month)).installment;
    clock.set(installment.due - kDay);
    auto paid = runtime.loans->repay(aminata, farm_id, "demo-repay-" + std::to_string(month),
                                     installment.total_cents,
                                     [](const app::RepaymentOutcome& o) { return o.repayment.id; });
    if (!paid) return report(paid.error());
    // The platform's moderator sees the money arrive: it reaches the lenders.
    if (auto arrived = runtime.loans->review_repayment(reviewer, paid->body, true); !arrived)
      return report(arrived.error());
  }
  clock.release();
  // Today: the Cafés Partagés borrow at 0 %; Camille lends again part of
  // what came back to her.
  const auto& helene = people.at(5);  // the SCOP's admin
  core::CampaignInput roaster{
      "Un torréfacteur neuf pour la SCOP",
      "Prêt à taux zéro sur 36 mois pour remplacer notre torréfacteur de 1998.",
      "Six salariés associés, du café équitable torréfié à Montpellier. Notre vieux torréfacteur "
      "consomme deux fois trop de gaz : le nouveau se rembourse en économies.",
      "equipment",
      "loan",
      "keep_it_all",
      800'000,
      today + 26 * kDay,
      {},
      core::LoanTerms{0, 36, "linear", std::nullopt}};
  core::CampaignId roaster_id;
  if (!publish(runtime, helene, reviewer, org_ids.at(3), roaster, roaster_id)) return false;
  if (!lend(runtime, people.at(1), roaster_id, 100'000, "sandbox_card", "demo-loan-roaster") ||
      !lend(runtime, people.at(3), roaster_id, 50'000, "sandbox_card", "demo-loan-roaster") ||
      !lend(runtime, people.at(0), roaster_id, 2'500, "balance", "demo-relend-roaster"))
    return false;
  return true;
}

// La Ressourcerie writes together: a charter drafted by two members and
// put to the vote, an amendment accepted by its authors, a shared page
// linking to another, and a short course with a quiz for new treasurers.
bool seed_cocreation(Runtime& runtime, const std::vector<app::Principal>& people,
                     const core::OrgId& org_id) {
  constexpr std::int64_t kDay = 86'400'000;
  const core::TimestampMs now = runtime.clock->now();
  const auto& camille = people.at(0);  // admin
  const auto& karim = people.at(1);    // treasurer
  const auto& lucie = people.at(2);
  auto& co = *runtime.cowriting;
  auto draft = co.start_draft(lucie, org_id, "Charte des bénévoles",
                              "1. Chacun choisit ses créneaux.\n2. On répare avant de jeter.\n");
  if (!draft) return report(draft.error());
  if (auto added = co.add_coauthor(lucie, draft->id, camille.user_id); !added)
    return report(added.error());
  app::DocEdit edit;
  edit.body_md =
      "1. Chacun choisit ses créneaux.\n2. On répare avant de jeter.\n3. Les outils "
      "se rangent à leur place.\n";
  edit.base_revision = 1;
  if (auto saved = co.edit_draft(camille, draft->id, edit); !saved) return report(saved.error());
  if (auto said = co.comment_draft(lucie, draft->id, "Merci Camille, je propose de la soumettre.");
      !said)
    return report(said.error());
  app::ProposalInput vote;
  vote.method = "majority";
  vote.closes_at = now + 12 * kDay;
  auto proposal = co.publish(lucie, draft->id, vote);
  if (!proposal) return report(proposal.error());
  auto amendment = co.propose_amendment(
      karim, proposal->id,
      "1. Chacun choisit ses créneaux.\n2. On répare avant de jeter.\n3. Les outils se rangent "
      "à leur place.\n4. Les clés de l'atelier restent chez deux bénévoles.\n",
      "Savoir qui ouvre l'atelier.");
  if (!amendment) return report(amendment.error());
  if (auto decided = co.decide_amendment(camille, amendment->id, true, false); !decided)
    return report(decided.error());
  auto hours =
      co.create_page(camille, org_id, "Horaires de l'atelier",
                     "Le mercredi de 14 h à 18 h et le samedi de 10 h à 17 h.\n", "public");
  if (!hours) return report(hours.error());
  auto welcome = co.create_page(
      camille, org_id, "Bienvenue",
      "La Ressourcerie répare, prête et transmet.\n\nVoir les [[Horaires de l'atelier]] et la "
      "[[Charte des bénévoles|charte]] votée en assemblée.\n",
      "public");
  if (!welcome) return report(welcome.error());
  auto course = runtime.courses->create(
      camille, org_id, "Tenir la trésorerie d'une association",
      "Trois leçons courtes pour les trésoriers et trésorières bénévoles : le budget, les "
      "reçus fiscaux, les comptes annuels.",
      "public");
  if (!course) return report(course.error());
  const char* lessons[3][2] = {
      {"Le budget prévisionnel",
       "## Pourquoi un budget ?\n\nIl dit ce que l'association compte dépenser et recevoir "
       "sur l'année, et permet de voir venir.\n\n- les charges (loyer, assurance, achats) ;\n- "
       "les produits (adhésions, dons, subventions)."},
      {"Les reçus fiscaux",
       "## Le reçu CERFA 11580\n\nUn don à une association d'intérêt général ouvre droit à une "
       "réduction d'impôt de 66 % : l'association délivre un reçu, que le donateur garde six "
       "ans."},
      {"Les comptes annuels",
       "## Clore l'exercice\n\nLe trésorier présente les comptes ; l'assemblée générale les "
       "approuve (sur Essor, un vote au scrutin majoritaire)."}};
  core::LessonId quiz_lesson;
  for (const auto& [title, body] : lessons) {
    app::LessonInput input;
    input.title = title;
    input.body_md = body;
    auto lesson = runtime.courses->add_lesson(camille, course->id, input);
    if (!lesson) return report(lesson.error());
    quiz_lesson = lesson->id;
  }
  std::vector<core::QuizQuestion> quiz = {
      {"Combien de temps le donateur garde-t-il son reçu fiscal ?",
       {"Un an", "Six ans", "Toute sa vie"},
       {1},
       false},
      {"Qui approuve les comptes annuels ?",
       {"Le trésorier seul", "L'assemblée générale", "La banque"},
       {1},
       false}};
  if (auto put = runtime.courses->put_quiz(camille, quiz_lesson, quiz, 100); !put)
    return report(put.error());
  if (auto enrolled = runtime.courses->enrol(karim, course->id); !enrolled)
    return report(enrolled.error());
  return true;
}

// La Ressourcerie runs its general assembly on Essor: a vote already
// closed (the accounts), an open one with a proxy, a secret majority
// judgment, the assembly with its attendance, and a participatory budget.
bool seed_governance(Runtime& runtime, const std::vector<app::Principal>& people,
                     const core::OrgId& org_id) {
  constexpr std::int64_t kDay = 86'400'000;
  const core::TimestampMs now = runtime.clock->now();
  const auto& camille = people.at(0);  // admin
  const auto& karim = people.at(1);    // treasurer
  const auto& lucie = people.at(2);
  const auto& helene = people.at(5);
  auto& gov = *runtime.governance;
  if (auto given = gov.give_proxy(helene, org_id, lucie.user_id); !given)
    return report(given.error());
  app::ProposalInput accounts{"Approuver les comptes 2025",
                              "Les comptes sont joints au rapport financier présenté par Karim.",
                              "majority",
                              {},
                              now + 7 * kDay,
                              50,
                              50,
                              false};
  auto closed = gov.create(karim, org_id, accounts);
  if (!closed) return report(closed.error());
  for (const auto* who : {&camille, &karim, &lucie}) {
    app::VoteInput yes;
    yes.choice = "yes";
    if (auto voted = gov.vote(*who, closed->id, yes); !voted) return report(voted.error());
  }
  if (auto done = gov.close(camille, closed->id); !done) return report(done.error());
  app::ProposalInput evenings{"Ouvrir l'atelier le mercredi soir",
                              "De 18 h à 21 h, avec deux bénévoles par soirée.",
                              "majority",
                              {},
                              now + 10 * kDay,
                              25,
                              50,
                              false};
  auto open = gov.create(lucie, org_id, evenings);
  if (!open) return report(open.error());
  app::VoteInput yes;
  yes.choice = "yes";
  if (auto voted = gov.vote(lucie, open->id, yes); !voted) return report(voted.error());
  app::ProposalInput party{"Choisir le lieu de la fête de quartier",
                           "Vote secret au jugement majoritaire : une mention pour chaque lieu.",
                           "majority_judgment",
                           {"Cour de l'école", "Parc des Berges", "Salle des fêtes"},
                           now + 14 * kDay,
                           0,
                           50,
                           true};
  auto secret = gov.create(camille, org_id, party);
  if (!secret) return report(secret.error());
  const char* grades[2][3] = {{"very_good", "good", "fair"}, {"good", "excellent", "poor"}};
  for (int v = 0; v < 2; ++v) {
    app::VoteInput ballot;
    for (int o = 0; o < 3; ++o)
      ballot.grades[secret->options[static_cast<std::size_t>(o)].id] = grades[v][o];
    if (auto voted = gov.vote(v == 0 ? karim : camille, secret->id, ballot); !voted)
      return report(voted.error());
  }
  app::AssemblyInput ag{"Assemblée générale ordinaire 2026", "Atelier de la Ressourcerie",
                        now + 7 * kDay, 50};
  auto assembly = runtime.assemblies->create(camille, org_id, ag);
  if (!assembly) return report(assembly.error());
  for (const auto& proposal_id : {closed->id, open->id}) {
    if (auto added = runtime.assemblies->add_item(camille, assembly->id, proposal_id); !added)
      return report(added.error());
  }
  for (const auto* who : {&camille, &karim, &lucie}) {
    if (auto done = runtime.assemblies->set_attendance(camille, assembly->id, who->user_id,
                                                       core::Attendance::present, std::nullopt);
        !done)
      return report(done.error());
  }
  if (auto done = runtime.assemblies->set_attendance(camille, assembly->id, helene.user_id,
                                                     core::Attendance::represented, lucie.user_id);
      !done)
    return report(done.error());
  app::BudgetInput budget{"Budget des habitants 2027",
                          "3 000 € pour des projets proposés par les membres.",
                          300'000,
                          now + 21 * kDay,
                          {{"Établi mobile pour les quartiers", "", 120'000, std::nullopt},
                           {"Formation soudure pour dix bénévoles", "", 90'000, std::nullopt},
                           {"Vitrine de réemploi", "", 150'000, std::nullopt},
                           {"Bacs de tri au marché", "", 60'000, std::nullopt}}};
  auto pb = runtime.budgets->create(camille, org_id, budget);
  if (!pb) return report(pb.error());
  const std::vector<std::vector<int>> approvals = {{0, 1}, {0, 3}, {2, 3}, {0, 1, 3}};
  const std::vector<const app::Principal*> voters = {&camille, &karim, &lucie, &helene};
  for (std::size_t v = 0; v < voters.size(); ++v) {
    std::vector<std::string> ids;
    for (int idx : approvals[v]) ids.push_back(pb->projects[static_cast<std::size_t>(idx)].id);
    if (auto voted = runtime.budgets->vote(*voters[v], pb->id, ids); !voted)
      return report(voted.error());
  }
  return true;
}

// The membership whose bank transfer is on its way (for the statement).
std::string pending_reference;

// La Ressourcerie's members pay their dues on Essor: a yearly voting plan
// and a pay-what-you-want supporters' plan; one transfer still on its way.
bool seed_memberships(Runtime& runtime, const std::vector<app::Principal>& people,
                      const core::OrgId& org_id) {
  auto& memberships = *runtime.memberships;
  auto yearly = memberships.create_plan(
      people.at(0), org_id,
      {"Adhésion annuelle", 2'000, false, std::nullopt, "calendar_year", true, {}});
  if (!yearly) return report(yearly.error());
  auto support = memberships.create_plan(
      people.at(0), org_id,
      {"Adhésion de soutien (prix libre)", 3'000, true, 1'000, "twelve_months", false, {}});
  if (!support) return report(support.error());
  // La Ressourcerie issues tax receipts (it is of general interest).
  auto receipts = runtime.receipts->configure(
      people.at(0), org_id,
      {true, "200", "Réemploi, réparation et sensibilisation à la réduction des déchets",
       "12 rue des Tanneurs, 69001 Lyon", "Camille Martin, présidente"});
  if (!receipts) return report(receipts.error());
  struct Due {
    std::size_t person;
    const std::string* plan;
    std::optional<core::Cents> amount;
    const char* method;
    std::optional<app::DonorDetails> receipt;
  };
  const std::vector<Due> dues = {
      {3, &yearly->id, std::nullopt, "sandbox_card", std::nullopt},
      {4, &yearly->id, std::nullopt, "sandbox_card", std::nullopt},
      {6, &support->id, 3'500, "sandbox_card",
       app::DonorDetails{"Thomas Nguyen", "8 rue Juliette Récamier", "69006", "Lyon"}},
      {7, &yearly->id, std::nullopt, "bank_transfer", std::nullopt}};
  int key = 0;
  for (const auto& due : dues) {
    auto done = memberships.subscribe(
        people.at(due.person), *due.plan, "demo-dues-" + std::to_string(key++),
        std::string(due.method), {due.amount, due.method, due.receipt, std::nullopt},
        [](const app::MembershipOutcome& outcome) { return outcome.membership.id; });
    if (!done && done.error().code != "bank_details_missing") return report(done.error());
    if (done && std::string(due.method) == "bank_transfer") pending_reference = done->body;
  }
  // Lucie gives 10 € every month.
  auto monthly = runtime.gifts->create(people.at(2), org_id, "demo-gift-lucie", "monthly",
                                       {1'000, "month", "sandbox_card", std::nullopt},
                                       [](const app::GiftRecord& gift) { return gift.id; });
  if (!monthly && monthly.error().code != "validation_failed") return report(monthly.error());
  // Thomas gave his address: his dues of the year get their receipt.
  auto annual =
      runtime.receipts->annual(people.at(0), org_id, core::paris_time(runtime.clock->now()).year);
  if (!annual) return report(annual.error());
  return true;
}

// A bank statement (CAMT.053) in which Marie-Claire's transfer for her dues
// arrived, with a line Essor cannot match, for the treasurer to upload.
void write_demo_statement(Runtime& runtime, const app::Principal& who, const std::string& path) {
  if (pending_reference.empty()) return;
  auto membership = runtime.memberships->get(who, pending_reference);
  if (!membership) return;
  const auto& m = membership->membership;
  const std::string today = core::paris_date_field(runtime.clock->now());
  std::ofstream out(path);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n"
         "<BkToCstmrStmt><GrpHdr><MsgId>DEMO-1</MsgId><CreDtTm>"
      << today << "T08:00:00</CreDtTm></GrpHdr>\n<Stmt><Id>DEMO-1</Id><CreDtTm>" << today
      << "T08:00:00</CreDtTm><Acct><Id><IBAN>FR7630004000031234567890143</IBAN></Id></Acct>\n"
      << "<Ntry><NtryRef>1</NtryRef><Amt Ccy=\"EUR\">" << core::format_decimal(m.amount_cents)
      << "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>" << today
      << "</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Ustrd>VIR SEPA M-C DUBOIS " << m.reference
      << "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n"
      << "<Ntry><NtryRef>2</NtryRef><Amt Ccy=\"EUR\">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
         "<Sts>BOOK</Sts><BookgDt><Dt>"
      << today
      << "</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Ustrd>DON MAIRIE FETE DE QUARTIER</Ustrd>"
         "</RmtInf></TxDtls></NtryDtls></Ntry>\n</Stmt></BkToCstmrStmt></Document>\n";
}

// Community around La Ressourcerie: news with a discussion, follows, a
// workshop on site and a full online one with a waiting list, and a family
// circle around Hélène's mother.
bool seed_community(Runtime& runtime, const std::vector<app::Principal>& people,
                    const core::OrgId& org_id, const core::CampaignId& campaign_id) {
  constexpr std::int64_t kDay = 86'400'000;
  auto& community = *runtime.community;
  const core::TimestampMs now = runtime.clock->now();
  const core::TimestampMs day_start = now - now % kDay;
  const auto& camille = people.at(0);
  auto update = community.discussion.post_update(
      camille, campaign_id, "Les premiers meubles sont réparés",
      "Merci à vous ! Les bénévoles ont remis en état **douze chaises** cette semaine. "
      "Prochaine étape : l'établi.");
  if (!update) return report(update.error());
  auto question =
      community.discussion.comment(people.at(1), core::Subject::update, update->id,
                                   "Bravo ! Quand pourra-t-on venir les voir ?", std::nullopt);
  if (!question) return report(question.error());
  if (auto answer =
          community.discussion.comment(camille, core::Subject::update, update->id,
                                       "Samedi, pendant l'atelier : venez !", question->id);
      !answer)
    return report(answer.error());
  for (int person : {2, 3}) {
    if (auto done = community.follows.follow(people.at(static_cast<std::size_t>(person)),
                                             core::Subject::org, org_id);
        !done)
      return report(done.error());
  }
  if (auto done = community.follows.follow(people.at(4), core::Subject::campaign, campaign_id);
      !done)
    return report(done.error());
  app::EventInput workshop{"Atelier réparation du samedi",
                           "Apportez un objet en panne : on le répare ensemble. Café offert.",
                           day_start + 6 * kDay + 9 * 3'600'000LL,
                           day_start + 6 * kDay + 12 * 3'600'000LL,
                           "La Ressourcerie, 14 rue des Tanneurs, Lyon",
                           std::nullopt,
                           12};
  auto first = community.events.create_event(camille, org_id, workshop);
  if (!first) return report(first.error());
  app::EventInput online{"Formation en ligne : réparer son grille-pain",
                         "Une heure en visioconférence, pour apprendre les bons gestes.",
                         day_start + 9 * kDay + 17 * 3'600'000LL,
                         day_start + 9 * kDay + 18 * 3'600'000LL,
                         std::nullopt,
                         "https://visio.example.org/ressourcerie-grille-pain",
                         2};
  auto second = community.events.create_event(camille, org_id, online);
  if (!second) return report(second.error());
  for (int person : {1, 2, 3}) {
    const auto& who = people.at(static_cast<std::size_t>(person));
    if (auto r = community.events.register_for(who, first->id, false); !r) return report(r.error());
    if (auto r = community.events.register_for(who, second->id, true); !r) return report(r.error());
  }
  auto circle = community.circles.create_circle(
      people.at(5), "Autour de Maman", "Des nouvelles de tous les jours, pour Maman et nous.");
  if (!circle) return report(circle.error());
  for (int person : {6, 7}) {
    if (auto m = community.circles.add_circle_member(
            people.at(5), circle->id, kPeople[static_cast<std::size_t>(person)].email);
        !m)
      return report(m.error());
  }
  for (const auto& [person, text] : std::vector<std::pair<int, const char*>>{
           {5, "Maman a bien aimé la promenade au parc ce matin."},
           {7, "Je passe mardi avec les petits-enfants, je lui apporte des fleurs."}}) {
    if (auto post = community.circles.post_in_circle(people.at(static_cast<std::size_t>(person)),
                                                     circle->id, text, std::nullopt);
        !post)
      return report(post.error());
  }
  return true;
}

app::PatchField field(const char* value) {
  return value ? app::PatchField{true, std::string(value)} : app::PatchField{};
}

}  // namespace

// The Région's admin in the demo (Marie-Claire Dubois).
constexpr std::size_t kFunderAdmin = 7;

// A Région (a funder) and its open call: 1 € for 1 €, at most 100 € a gift
// and 3 000 € a campaign, from a 20 000 € pool.
std::optional<std::string> seed_call(Runtime& runtime, const std::vector<app::Principal>& people,
                                     core::TimestampMs now) {
  app::OrgPatch patch;
  patch.name = field("Région Auvergne-Rhône-Alpes");
  patch.legal_form = field("collectivite");
  patch.description = field(
      "La Région soutient l'économie sociale et solidaire de son territoire : elle abonde les "
      "dons des habitants aux projets qu'elle retient.");
  patch.region = field("84");
  auto org = runtime.orgs->create(people.at(kFunderAdmin), patch);
  if (!org) {
    std::cerr << "demo: " << org.error().message << "\n";
    return std::nullopt;
  }
  core::CallInput input;
  input.title = "Tiers-lieux et réemploi solidaires";
  input.description_md =
      "## L'appel\n\nPour chaque euro donné par un habitant à un projet retenu, la Région "
      "ajoute un euro, jusqu'à **100 € par don** et **3 000 € par projet**.\n\n## Pour qui\n\n"
      "Les associations et coopératives qui font vivre un lieu ouvert à tous.";
  input.terms.pool_cents = 2'000'000;
  input.terms.match_ratio_pct = 100;
  input.terms.cap_per_pledge_cents = core::Cents{10'000};
  input.terms.cap_per_campaign_cents = 300'000;
  input.terms.opens_at = now - 86'400'000LL;
  input.terms.closes_at = now + 60LL * 86'400'000;
  auto call = runtime.calls->open(people.at(kFunderAdmin), org->id, input);
  if (!call) {
    std::cerr << "demo: " << call.error().message << "\n";
    return std::nullopt;
  }
  return call->id;
}

int run_demo(const Config& config) {
  auto owned_clock = std::make_unique<DemoClock>();
  DemoClock& clock = *owned_clock;
  auto runtime = build_runtime(config, std::move(owned_clock));
  std::vector<app::Principal> people;
  for (const auto& person : kPeople) {
    auto signed_up = runtime->accounts->signup({person.email, kDemoPassword, person.name});
    if (!signed_up) {
      if (signed_up.error().code != "email_taken") {
        std::cerr << "demo: " << signed_up.error().message << "\n";
        return 1;
      }
      std::cout << "The demo data is already there (" << person.email << " exists).\n";
      return 0;
    }
    // The demo's people proved their addresses long ago.
    if (!runtime->accounts->confirm_address(person.email)) return 1;
    signed_up->principal.email_verified = true;
    people.push_back(signed_up->principal);
  }
  std::vector<core::OrgId> org_ids;
  for (const auto& demo : kOrgs) {
    app::OrgPatch patch;
    patch.name = field(demo.name);
    patch.legal_form = field(demo.legal_form);
    patch.description = field(demo.description);
    patch.siren = field(demo.siren);
    patch.region = field(demo.region);
    patch.department = field(demo.department);
    const auto& admin = people.at(static_cast<std::size_t>(demo.admin));
    auto org = runtime->orgs->create(admin, patch);
    if (!org) {
      std::cerr << "demo: " << org.error().message << "\n";
      return 1;
    }
    if (demo.iban) {
      app::OrgPatch bank;
      bank.iban = field(demo.iban);
      bank.bic = field(demo.bic);
      if (auto updated = runtime->orgs->update(admin, org->id, bank); !updated) {
        std::cerr << "demo: " << updated.error().message << "\n";
        return 1;
      }
    }
    org_ids.push_back(org->id);
    for (const auto& member : demo.members) {
      auto added =
          runtime->orgs->add_member(admin, org->id, kPeople[member.person].email, member.role);
      if (!added) {
        std::cerr << "demo: " << added.error().message << "\n";
        return 1;
      }
    }
  }
  // The platform's moderator publishes the demo campaigns (ESSOR_ADMIN_EMAILS
  // names this address in scripts/demo, so it can moderate in the pages too).
  auto moderator =
      runtime->accounts->signup({"moderation@example.org", kDemoPassword, "Équipe de modération"});
  if (!moderator) {
    std::cerr << "demo: " << moderator.error().message << "\n";
    return 1;
  }
  if (!runtime->accounts->confirm_address("moderation@example.org")) return 1;
  app::Principal reviewer = moderator->principal;
  reviewer.email_verified = true;
  reviewer.moderator = true;
  // The loans first: their story starts months ago, and the ledger's order
  // follows time.
  if (!seed_loans(*runtime, clock, people, org_ids, reviewer)) return 1;
  const core::TimestampMs now = runtime->clock->now();
  // A Région opens a matchfunding call; the first two campaigns are
  // chosen, so their gifts below are matched (and /territoires lives).
  const auto call_id = seed_call(*runtime, people, now);
  if (!call_id) return 1;
  core::CampaignId ressourcerie_campaign;  // the first of La Ressourcerie, for the news
  int published = 0;
  for (const auto& demo : kCampaigns) {
    const auto& admin = people.at(static_cast<std::size_t>(kOrgs[demo.org].admin));
    core::CampaignInput input{
        demo.title,   demo.summary,       demo.description_md, demo.category,
        "donation",   demo.funding_model, demo.goal_cents,     now + demo.days_left * 86'400'000LL,
        demo.rewards, std::nullopt};
    auto campaign =
        runtime->campaigns->create(admin, org_ids.at(static_cast<std::size_t>(demo.org)), input);
    if (!campaign || !runtime->campaigns->submit(admin, campaign->campaign.id) ||
        !runtime->campaigns->approve(reviewer, campaign->campaign.id)) {
      std::cerr << "demo: a campaign could not be published\n";
      return 1;
    }
    if (demo.org == 0 && ressourcerie_campaign.empty())
      ressourcerie_campaign = campaign->campaign.id;
    if (published++ < 2) {
      auto applied = runtime->calls->apply(admin, *call_id, campaign->campaign.id);
      auto chosen = applied ? runtime->calls->decide(people.at(kFunderAdmin), *call_id,
                                                     campaign->campaign.id, true)
                            : core::Result<app::ApplicationRecord>(applied.error());
      if (!chosen) {
        std::cerr << "demo: " << chosen.error().message << "\n";
        return 1;
      }
    }
    int key = 0;
    for (const auto& [person, amount] : demo.card_pledges) {
      app::PledgeInput pledge{amount,       std::nullopt, "sandbox_card", false,
                              std::nullopt, std::nullopt, std::nullopt};
      auto done = runtime->pledges->pledge(
          people.at(static_cast<std::size_t>(person)), campaign->campaign.id,
          "demo-" + std::to_string(key++), std::to_string(amount), pledge,
          [](const app::PledgeOutcome& outcome) { return outcome.pledge.id; });
      if (!done) {
        std::cerr << "demo: " << done.error().message << "\n";
        return 1;
      }
    }
  }
  if (!seed_governance(*runtime, people, org_ids.at(0))) return 1;
  if (!seed_community(*runtime, people, org_ids.at(0), ressourcerie_campaign)) return 1;
  if (!seed_memberships(*runtime, people, org_ids.at(0))) return 1;
  if (!seed_cocreation(*runtime, people, org_ids.at(0))) return 1;
  const std::string statement = "essor-demo-releve-camt053.xml";
  write_demo_statement(*runtime, people.at(0), statement);
  std::cout
      << "Demo data ready: " << std::size(kPeople) << " people, " << std::size(kOrgs)
      << " organisations, " << std::size(kCampaigns) + 1
      << " live campaigns, a loan being repaid, proposals, a general assembly and a "
         "participatory budget, news, workshops, a family circle, members' dues and a "
         "Région's matchfunding call (see /calls and /territoires), a co-written charter with an "
         "amendment, shared pages and a course (see /courses).\n"
      << "A bank statement to upload on La Ressourcerie's reconciliation page: " << statement
      << "\n"
      << "Log in as " << kPeople[0].email << " (or any address above) with the password "
      << kDemoPassword << "; moderation@example.org moderates.\n";
  return 0;
}

}  // namespace essor::cli
