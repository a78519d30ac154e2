// Memberships in a real browser: the treasurer gives the bank details, the
// admin creates a voting plan on the organisation's page, a visitor joins
// by card and becomes a member, another announces a bank transfer that the
// treasurer confirms from the register; the register's CSV and the
// accounting page. axe-core scans each page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, expectAccessible, apiSignup, apiCall, verifyAddress } from './harness.mjs';

const suite = browserSuite({ ESSOR_ADMIN_EMAILS: 'modo@test.example' });
const newPage = suite.newPage;

test('create a plan, join by card and by transfer, confirm it from the register', async () => {
  const admin = await apiSignup(suite.base, 'odile@test.example', 'Odile Perrin');
  const org = await apiCall(suite.base, 'POST', '/api/v1/orgs', admin.token,
    { name: 'Association des Jardins', legal_form: 'association' });
  const orgId = org.body.org.id;
  assert.equal((await apiCall(suite.base, 'PATCH', `/api/v1/orgs/${orgId}`, admin.token,
    { iban: 'FR7630004000031234567890143', bic: 'BNPAFRPP' })).status, 200);
  await apiSignup(suite.base, 'anna@test.example', 'Anna Roy');
  await apiSignup(suite.base, 'bruno@test.example', 'Bruno Petit');

  // The admin creates the plan in the administration tab.
  const odile = await newPage('odile@test.example');
  await odile.goto(`${suite.base}/orgs/${orgId}?tab=admin`);
  await expectAccessible(odile, 'organisation administration with memberships');
  await odile.getByLabel('Nom de la formule').fill('Adhésion annuelle');
  await odile.getByLabel('Montant (€) ; prix suggéré si le prix est libre').fill('abc');
  await odile.getByRole('button', { name: 'Créer la formule' }).click();
  // A bad amount: the form comes back with its message and the name kept.
  assert.equal(await odile.getByLabel('Nom de la formule').inputValue(), 'Adhésion annuelle');
  assert.match(await odile.locator('#plan-amount-error').innerText(), /montant/i);
  await odile.getByLabel('Montant (€) ; prix suggéré si le prix est libre').fill('20');
  await odile.getByLabel('Les adhérents de cette formule deviennent membres et votent').check();
  await odile.getByRole('button', { name: 'Créer la formule' }).click();
  await odile.waitForURL(/done=plan_created/);

  // Anna, signed in, joins by (test) card from the public page.
  const anna = await newPage('anna@test.example');
  await anna.goto(`${suite.base}/orgs/${orgId}`);
  await expectAccessible(anna, 'organisation page with the membership form');
  const form = anna.locator('#adhesion');
  assert.match(await form.innerText(), /20,00\s€/);
  await form.getByRole('button', { name: /J'adhère/ }).click();
  await anna.waitForURL(/\/memberships\/[0-9a-f]+\?done=joined/);
  await expectAccessible(anna, 'membership page');
  assert.match(await anna.locator('main').innerText(), /À jour/);
  assert.match(await anna.locator('main').innerText(), /31 décembre/);
  await anna.goto(`${suite.base}/me/memberships`);
  await expectAccessible(anna, 'my memberships');
  assert.match(await anna.locator('main').innerText(), /Association des Jardins/);
  // She is now a member: the members' tab is hers.
  await anna.goto(`${suite.base}/orgs/${orgId}`);
  assert.equal(await anna.getByRole('link', { name: 'Membres' }).count(), 1);

  // Bruno chooses the bank transfer and reads its details.
  const bruno = await newPage('bruno@test.example');
  await bruno.goto(`${suite.base}/orgs/${orgId}`);
  await bruno.locator('#adhesion').getByLabel(/Virement bancaire/).check();
  await bruno.locator('#adhesion').getByRole('button', { name: /J'adhère/ }).click();
  await bruno.waitForURL(/\/memberships\/[0-9a-f]+\?done=joined/);
  const text = await bruno.locator('main').innerText();
  assert.match(text, /En attente du virement/);
  assert.match(text, /FR7630004000031234567890143/);
  const reference = text.match(/ADH-[0-9A-Z]{12}/)[0];

  // The admin confirms it from the register, then downloads the register.
  await odile.goto(`${suite.base}/orgs/${orgId}/register`);
  await expectAccessible(odile, 'member register');
  assert.match(await odile.locator('main').innerText(), new RegExp(reference));
  await odile.getByRole('button', { name: /Confirmer la réception du virement · Bruno Petit/ }).click();
  await odile.waitForURL(/register\?done=confirmed/);
  assert.doesNotMatch(await odile.locator('tbody').innerText(), /En attente du virement/);
  const csv = await odile.request.get(`${suite.base}/orgs/${orgId}/register.csv`);
  assert.equal(csv.status(), 200);
  const body = await csv.text();
  assert.match(body, /Bruno Petit/);
  assert.match(body, /Anna Roy/);
  assert.match(body, /;/);

  // Carl's transfer is confirmed by the bank statement the admin uploads.
  await apiSignup(suite.base, 'carl@test.example', 'Carl Noir');
  const carl = await newPage('carl@test.example');
  await carl.goto(`${suite.base}/orgs/${orgId}`);
  await carl.locator('#adhesion').getByLabel(/Virement bancaire/).check();
  await carl.locator('#adhesion').getByRole('button', { name: /J'adhère/ }).click();
  await carl.waitForURL(/done=joined/);
  const carlRef = (await carl.locator('main').innerText()).match(/ADH-[0-9A-Z]{12}/)[0];
  const statement = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-12-02T08:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><CreDtTm>2026-12-02T08:00:00</CreDtTm><Acct><Id><IBAN>FR7630004000031234567890143</IBAN></Id></Acct>
<Ntry><NtryRef>E1</NtryRef><Amt Ccy="EUR">20.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-12-02</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Ustrd>VIR C NOIR ${carlRef.toLowerCase()}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
<Ntry><NtryRef>E2</NtryRef><Amt Ccy="EUR">75.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-12-02</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Ustrd>SUBVENTION FETE</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>`;
  await odile.goto(`${suite.base}/orgs/${orgId}/bank-statements`);
  await expectAccessible(odile, 'bank statement upload');
  await odile.getByLabel('Relevé CAMT.053 (fichier XML)').setInputFiles(
    { name: 'releve.xml', mimeType: 'application/xml', buffer: Buffer.from(statement) });
  await odile.getByRole('button', { name: 'Rapprocher' }).click();
  await expectAccessible(odile, 'reconciliation report');
  assert.match(await odile.locator('#matched-heading + ul').innerText(), /Adhésion/);
  assert.match(await odile.locator('main').innerText(), /SUBVENTION FETE/);
  assert.match(await odile.locator('main').innerText(), /Aucune référence Essor/);
  await carl.reload();
  assert.match(await carl.locator('main').innerText(), /À jour/);

  // Anna gives 5 € every month, then pauses it.
  await anna.goto(`${suite.base}/orgs/${orgId}`);
  await anna.getByLabel('Montant de chaque don (€)').fill('5');
  await anna.getByRole('button', { name: 'Donner régulièrement' }).click();
  await anna.waitForURL(/\/me\/recurring-gifts\?done=gift_created/);
  await expectAccessible(anna, 'my regular gifts');
  assert.match(await anna.locator('main').innerText(), /5,00\s€ par mois/);
  await anna.getByRole('button', { name: /Suspendre/ }).click();
  await anna.waitForURL(/done=gift_pause/);
  assert.match(await anna.locator('main').innerText(), /Suspendu/);

  await odile.goto(`${suite.base}/orgs/${orgId}/accounting`);
  await expectAccessible(odile, 'accounting page');
  const year = String(new Date().getFullYear());
  const fec = await odile.request.get(`${suite.base}/orgs/${orgId}/accounting/fec?year=${year}`);
  assert.equal(fec.status(), 200);
  assert.match(await fec.text(), /^JournalCode\tJournalLib/);

  // A stranger reads neither the register nor the books.
  const stranger = await apiSignup(suite.base, 'dora@test.example', 'Dora Gris');
  const refused = await apiCall(suite.base, 'GET', `/api/v1/orgs/${orgId}/memberships`, stranger.token);
  assert.equal(refused.status, 403);
});

test('a visitor gives and joins without an account', async () => {
  const admin = await apiSignup(suite.base, 'ines@test.example', 'Inès Moreau');
  const modo = await apiSignup(suite.base, 'modo@test.example', 'Modération');
  verifyAddress(suite.database, 'modo@test.example');
  const org = await apiCall(suite.base, 'POST', '/api/v1/orgs', admin.token,
    { name: 'Repair Café du Plateau', legal_form: 'association' });
  const orgId = org.body.org.id;
  const ends = new Date(Date.now() + 20 * 86400000).toISOString();
  const created = await apiCall(suite.base, 'POST', '/api/v1/campaigns', admin.token, {
    org_id: orgId, title: 'Des outils pour réparer', summary: 'Un établi et des outils.',
    description_md: 'Pour réparer ensemble.', category: 'environment', kind: 'donation',
    goal_cents: 100000, ends_at: ends, funding_model: 'keep_it_all', rewards: [] });
  assert.equal(created.status, 201);
  const campaignId = created.body.campaign.id;
  assert.equal((await apiCall(suite.base, 'POST', `/api/v1/campaigns/${campaignId}/submit`, admin.token)).status, 200);
  assert.equal((await apiCall(suite.base, 'POST', `/api/v1/campaigns/${campaignId}/approve`, modo.token)).status, 200);
  await apiCall(suite.base, 'POST', `/api/v1/orgs/${orgId}/membership-plans`, admin.token,
    { name: 'Adhésion', amount_cents: 1000, period: 'calendar_year' });
  assert.equal((await apiCall(suite.base, 'PATCH', `/api/v1/orgs/${orgId}`, admin.token, {
    tax_receipts: { enabled: true, legal_basis: '200', object: 'Réparer plutôt que jeter',
      address: '3 rue du Plateau, 75019 Paris', signatory: 'Inès Moreau, présidente' } })).status, 200);

  // A visitor gives with an address and a name only.
  const visitor = await newPage();
  await visitor.goto(`${suite.base}/campaigns/${campaignId}`);
  await expectAccessible(visitor, 'campaign page with the guest form');
  const form = visitor.locator('#pledge');
  await form.getByLabel('Adresse e-mail').fill('pas-bon');
  await form.getByLabel('Nom affiché').fill('Yann');
  await form.getByLabel('Montant').fill('15');
  await form.getByRole('button', { name: /soutiens/i }).click();
  // A bad address: the form comes back with its message and the values.
  assert.equal(await visitor.locator('#guest_name').inputValue(), 'Yann');
  assert.match(await visitor.locator('#guest_email-error').innerText(), /adresse/i);
  await visitor.locator('#guest_email').fill('yann@example.org');
  // He asks for a tax receipt.
  await visitor.locator('details.receipt-fields').evaluate((d) => { d.open = true; });
  await visitor.getByLabel('Nom et prénom').fill('Yann Le Bihan');
  await visitor.getByLabel('Adresse', { exact: true }).fill('5 rue des Envierges');
  await visitor.getByLabel('Code postal').fill('75020');
  await visitor.getByLabel('Ville').fill('Paris');
  await visitor.locator('#pledge').getByRole('button', { name: /soutiens/i }).click();
  await visitor.waitForURL(/done=guest_thanks/);
  assert.match(await visitor.locator('main').innerText(), /e-mail de confirmation/);
  const campaign = await apiCall(suite.base, 'GET', `/api/v1/campaigns/${campaignId}`);
  assert.equal(campaign.body.campaign.backers_count, 1);
  const receipts = await apiCall(suite.base, 'GET', `/api/v1/orgs/${orgId}/receipts`, admin.token);
  assert.equal(receipts.body.items.length, 1);
  assert.equal(receipts.body.items[0].amount_cents, 1500);

  // And joins the association the same way.
  await visitor.goto(`${suite.base}/orgs/${orgId}`);
  await expectAccessible(visitor, 'organisation page with the guest join form');
  const join = visitor.locator('#adhesion');
  await join.getByLabel('Adresse e-mail').fill('yann@example.org');
  await join.getByLabel('Nom affiché').fill('Yann');
  await join.getByRole('button', { name: /J'adhère/ }).click();
  await visitor.waitForURL(/done=guest_joined/);
  assert.match(await visitor.locator('main').innerText(), /Merci pour votre adhésion/);
});
