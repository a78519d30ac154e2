// CSV exports: a campaign's ledger (public, as the ledger is) and its
// backers (the organisation's treasurer or admins), by bearer token under
// /api/v1 or by session cookie on the site.
#include <charconv>

#include "core/accounting.hpp"
#include "core/amount_words.hpp"
#include "core/money.hpp"
#include "core/receipt.hpp"
#include "core/time.hpp"
#include "web/csv.hpp"
#include "web/json_api.hpp"
#include "web/render.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

namespace {

// The reader's language on the site; the fixed format for programs under /api/v1.
std::string sheet_language(const Request& request) {
  return request.path.starts_with("/api/") ? "" : negotiate_language(request);
}

Response ledger_csv(Services& services, Request& request) {
  auto campaign =
      services.campaigns.get(reader_of(services, request), request.id<core::CampaignId>());
  if (!campaign) return document_failure(services, request, campaign.error());
  CsvSheet sheet(sheet_language(request));
  sheet.header({"seq", "id", "created_at", "kind", "debit_account", "credit_account",
                "amount_cents", "amount_eur", "pledge_id", "prev_hash", "hash"});
  for (std::int64_t offset = 0;; offset += 1000) {
    const auto transfers = services.ledger.of_campaign(campaign->campaign.id, 1000, offset);
    for (const auto& t : transfers) {
      sheet.row({std::to_string(t.seq), t.id, sheet.date_time(t.created_at),
                 core::to_string(t.kind), t.debit_account, t.credit_account,
                 std::to_string(t.amount_cents), sheet.money(t.amount_cents),
                 t.pledge_id.value_or(""), t.prev_hash, t.hash});
    }
    if (transfers.size() < 1000) break;
  }
  return std::move(sheet).response("ledger-" + campaign->campaign.id + ".csv");
}

Response backers_csv(Services& services, Request& request) {
  auto who = reader_of(services, request);
  if (!who) return document_failure(services, request, core::Error::unauthenticated());
  auto backers = services.pledges.backers(*who, request.id<core::CampaignId>());
  if (!backers) return document_failure(services, request, backers.error());
  CsvSheet sheet(sheet_language(request));
  sheet.header({"pledge_id", "created_at", "status", "payment_method", "amount_cents", "amount_eur",
                "reward_id", "reference", "display_name", "email", "anonymous", "message"});
  for (const auto& backer : *backers) {
    const auto& p = backer.pledge;
    sheet.row({p.id, sheet.date_time(p.created_at), core::to_string(p.status),
               core::to_string(p.payment_method), std::to_string(p.amount_cents),
               sheet.money(p.amount_cents), p.reward_id.value_or(""), p.reference,
               backer.display_name, backer.email, sheet.yes_no(p.anonymous),
               p.message.value_or("")});
  }
  return std::move(sheet).response("backers-" + request.params["id"] + ".csv");
}

// The member register (the organisation's treasurer or admins): who paid
// which dues, for which period.
Response register_csv(Services& services, Request& request) {
  auto who = reader_of(services, request);
  if (!who) return document_failure(services, request, core::Error::unauthenticated());
  auto rows =
      services.memberships.register_of(*who, request.id<core::OrgId>(), std::nullopt, 1'000'000, 0);
  if (!rows) return document_failure(services, request, rows.error());
  CsvSheet sheet(sheet_language(request));
  sheet.header({"membership_id", "display_name", "plan", "status", "starts_on", "ends_on",
                "amount_cents", "amount_eur", "payment_method", "reference", "created_at"});
  auto day = [&](const std::string& date) {
    const auto instant = core::parse_date(date);
    return instant ? sheet.date(*instant + 12 * 3'600'000) : date;
  };
  for (const auto& m : *rows) {
    const std::string status = core::to_string(m.status);
    sheet.row({m.id, m.display_name, m.plan_name,
               sheet_language(request).empty() ? status : sheet.word("status_" + status),
               day(m.starts_on), day(m.ends_on), std::to_string(m.amount_cents),
               sheet.money(m.amount_cents), core::to_string(m.payment_method), m.reference,
               sheet.date_time(m.created_at)});
  }
  return std::move(sheet).response("register-" + request.params["id"] + ".csv");
}

// The year asked for (?year=YYYY), else this year when it may be left out.
core::Result<std::int64_t> year_asked(Services& services, const Request& request, bool required) {
  const auto query = request.query_params();
  const auto it = query.find("year");
  if (it == query.end() || it->second.empty()) {
    if (required) return core::Error::validation({{"year", "required, e.g. ?year=2026"}});
    return core::paris_time(services.clock.now()).year;
  }
  std::int64_t year = 0;
  const auto& text = it->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || end != text.data() + text.size() || text.size() != 4)
    return core::Error::validation({{"year", "must be a year from 2000 to 2100"}});
  return year;
}

// The FEC of a year (org treasurer or admins), as the tax administration
// reads it: text/plain, tab-separated, UTF-8.
Response fec(Services& services, Request& request) {
  auto who = reader_of(services, request);
  if (!who) return document_failure(services, request, core::Error::unauthenticated());
  auto year = year_asked(services, request, true);
  if (!year) return document_failure(services, request, year.error());
  auto entries = services.books.year(*who, request.id<core::OrgId>(), *year);
  if (!entries) return document_failure(services, request, entries.error());
  auto org = services.orgs.get(request.id<core::OrgId>());
  Response response;
  response.status = 200;
  response.content_type = "text/plain; charset=utf-8";
  response.body = core::fec_text(core::fec_lines(*entries));
  // The name the standard gives: SIREN, "FEC", the closing date.
  const std::string siren = org && org->siren ? *org->siren : request.params["id"];
  response.header("Content-Disposition",
                  "attachment; filename=\"" + siren + "FEC" + std::to_string(*year) + "1231.txt\"");
  response.header("Cache-Control", "no-store");
  return response;
}

// The same lines for French spreadsheets: ";" between cells, "," in
// amounts, French headers, UTF-8 with a byte-order mark.
Response journal_csv(Services& services, Request& request) {
  auto who = reader_of(services, request);
  if (!who) return document_failure(services, request, core::Error::unauthenticated());
  auto year = year_asked(services, request, false);
  if (!year) return document_failure(services, request, year.error());
  auto entries = services.books.year(*who, request.id<core::OrgId>(), *year);
  if (!entries) return document_failure(services, request, entries.error());
  std::string body = csv_row({"Journal", "N° d'écriture", "Date", "Compte", "Libellé du compte",
                              "Compte auxiliaire", "Pièce", "Libellé", "Débit", "Crédit"},
                             ';');
  for (const auto& line : core::fec_lines(*entries)) {
    const std::string& d = line[3];
    const std::string date = d.substr(6, 2) + "/" + d.substr(4, 2) + "/" + d.substr(0, 4);
    body += csv_row(
        {line[0], line[2], date, line[4], line[5], line[6], line[8], line[10], line[11], line[12]},
        ';');
  }
  return csv_response(std::move(body),
                      "journal-" + request.params["id"] + "-" + std::to_string(*year) + ".csv");
}

// The tax receipt as a PDF with every mention of CERFA 11580*04 (in
// French: it is a French tax document). The donor, or the organisation's
// treasurer and admins.
Response receipt_pdf(Services& services, Request& request) {
  auto who = reader_of(services, request);
  if (!who) return document_failure(services, request, core::Error::unauthenticated());
  auto view = services.receipts.get(*who, request.params["id"]);
  if (!view) return document_failure(services, request, view.error());
  const auto& r = view->receipt;
  const auto& s = view->settings;
  const auto& org = view->org;
  auto box = [](bool ticked) { return std::string(ticked ? "[X] " : "[  ] "); };
  const bool art200 = s.legal_basis != core::LegalBasis::art238bis;
  const bool art238 = s.legal_basis != core::LegalBasis::art200;
  app::PlainDocument doc;
  doc.title = "Reçu au titre des dons à certains organismes d'intérêt général";
  if (r.status == core::ReceiptStatus::cancelled) {
    doc.paragraphs.push_back("REÇU ANNULÉ le " + date_text("fr", r.cancelled_at.value_or(0)) +
                             " (don remboursé) : il ne donne droit à aucune réduction d'impôt.");
  }
  doc.paragraphs.insert(
      doc.paragraphs.end(),
      {"Cerfa n° 11580*04 — articles 200, 238 bis et 978 du code général des impôts",
       "Numéro d'ordre du reçu : " + r.number, "BÉNÉFICIAIRE DES VERSEMENTS",
       "Nom ou dénomination : " + org.name, "SIREN : " + org.siren.value_or("non communiqué"),
       "Adresse : " + s.address, "Objet : " + s.object,
       "Qualité : œuvre ou organisme d'intérêt général", "DONATEUR",
       "Nom et prénom ou dénomination : " + r.donor.full_name,
       "Adresse : " + r.donor.address_line + ", " + r.donor.postal_code + " " + r.donor.city,
       "Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à "
       "réduction d'impôt la somme de : " +
           core::format_eur(r.amount_cents, "fr"),
       "Somme en toutes lettres : " + core::amount_in_words_fr(r.amount_cents),
       r.kind == core::ReceiptKind::annual
           ? "Année des versements : " + std::to_string(r.year)
           : "Date du versement ou du don : " + date_text("fr", r.given_at),
       "Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent "
       "droit à la réduction d'impôt prévue à l'article : " +
           box(art200) + "200 du CGI   " + box(art238) + "238 bis du CGI   " + box(false) +
           "978 du CGI",
       "Forme du don : déclaration de don manuel", "Nature du don : numéraire",
       "Mode de versement : " + box(false) + "remise d'espèces   " + box(false) + "chèque   " +
           box(true) + "virement, prélèvement, carte bancaire"});
  if (r.gift_cents != r.amount_cents) {
    doc.paragraphs.push_back("Montant versé : " + core::format_eur(r.gift_cents, "fr") +
                             ", dont contrepartie reçue par le donateur : " +
                             core::format_eur(r.gift_cents - r.amount_cents, "fr"));
  }
  doc.paragraphs.push_back("Nom et qualité du signataire : " + s.signatory);
  doc.paragraphs.push_back("Date : " + date_text("fr", r.issued_at) + " — signé électroniquement");
  doc.notes = {"Reçu établi par Essor pour " + org.name +
               " ; à conserver six ans. Le don ouvre droit à une réduction d'impôt de 66 % de "
               "son montant dans la limite de 20 % du revenu imposable (particuliers)."};
  Response response;
  response.status = 200;
  response.content_type = "application/pdf";
  response.body = services.pdf.pdf(doc);
  response.header("Content-Disposition", "inline; filename=\"recu-" + r.number + ".pdf\"");
  response.header("Cache-Control", "no-store");
  return response;
}

}  // namespace

void add_export_routes(Router& router, Services& services) {
  for (const std::string prefix : {"", "/api/v1"}) {
    router.add("GET", prefix + "/campaigns/{id}/ledger.csv",
               [&services](Request& request) { return ledger_csv(services, request); });
    router.add("GET", prefix + "/campaigns/{id}/backers.csv",
               [&services](Request& request) { return backers_csv(services, request); });
    router.add("GET",
               prefix + (prefix.empty() ? "/orgs/{id}/register.csv" : "/orgs/{id}/memberships.csv"),
               [&services](Request& request) { return register_csv(services, request); });
    router.add("GET", prefix + "/receipts/{id}.pdf",
               [&services](Request& request) { return receipt_pdf(services, request); });
    router.add("GET", prefix + "/orgs/{id}/accounting/fec",
               [&services](Request& request) { return fec(services, request); });
    router.add("GET", prefix + "/orgs/{id}/accounting/journal.csv",
               [&services](Request& request) { return journal_csv(services, request); });
  }
}

}  // namespace essor::web
