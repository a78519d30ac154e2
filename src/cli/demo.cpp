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
    for (const auto& member : demo.members) {
      auto added =
          runtime->orgs->add_member(admin, org->id, kPeople[member.person].email, member.role);
      if (!added) {
        std::cerr << "demo: " << added.error().message << "\n";
        return 1;
      }
    }
  }
  std::cout << "Demo data ready: " << std::size(kPeople) << " people, " << std::size(kOrgs)
            << " organisations.\n"
            << "Log in as " << kPeople[0].email << " (or any address above) with the password "
            << kDemoPassword << ".\n";
  return 0;
}

}  // namespace essor::cli
