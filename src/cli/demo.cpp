// `essor demo`: a small, realistic data set of French ESS organisations and
// their members, made through the same use cases as the pages and the API
// (so passwords are hashed, memberships checked). Running it twice changes
// nothing the second time. Every demo account's password is
// kDemoPassword, printed at the end.
#include <iostream>

#include "cli/wiring.hpp"

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

app::PatchField field(const char* value) {
  return value ? app::PatchField{true, std::string(value)} : app::PatchField{};
}

}  // namespace

int run_demo(const Config& config) {
  auto runtime = build_runtime(config);
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
    people.push_back(signed_up->principal);
  }
  std::vector<std::string> org_ids;
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
  app::Principal reviewer = moderator->principal;
  reviewer.moderator = true;
  const core::TimestampMs now = runtime->clock->now();
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
    int key = 0;
    for (const auto& [person, amount] : demo.card_pledges) {
      app::PledgeInput pledge{amount, std::nullopt, "sandbox_card", false, std::nullopt};
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
  std::cout << "Demo data ready: " << std::size(kPeople) << " people, " << std::size(kOrgs)
            << " organisations, " << std::size(kCampaigns) << " live campaigns.\n"
            << "Log in as " << kPeople[0].email << " (or any address above) with the password "
            << kDemoPassword << "; moderation@example.org moderates.\n";
  return 0;
}

}  // namespace essor::cli
