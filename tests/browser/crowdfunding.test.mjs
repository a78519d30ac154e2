// Crowdfunding in a real browser: an organisation starts a project, a
// moderator publishes it, a backer gives by (test) card and by bank transfer
// with the SEPA QR code, the treasurer confirms the transfer, the campaign is
// closed and the public ledger shows every movement. axe-core scans each page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, expectAccessible, apiSignup, apiCall, pageLogin, verifyAddress } from './harness.mjs';

const suite = browserSuite({ ESSOR_ADMIN_EMAILS: 'modo@test.example' });
const newPage = suite.newPage;

test('create, review, back by card and by transfer, confirm, close, read the ledger', async () => {
  const admin = await apiSignup(suite.base, 'nadia@test.example', 'Nadia Benkirane');
  await apiSignup(suite.base, 'modo@test.example', 'Modération');
  verifyAddress(suite.database, 'modo@test.example');
  await apiSignup(suite.base, 'louis@test.example', 'Louis Martin');
  const org = await apiCall(suite.base, 'POST', '/api/v1/orgs', admin.token,
    { name: 'Le Jardin Partagé', legal_form: 'association' });
  assert.equal(org.status, 201);
  const orgId = org.body.org.id;
  assert.equal((await apiCall(suite.base, 'PATCH', `/api/v1/orgs/${orgId}`, admin.token,
    { iban: 'FR76 3000 4000 0312 3456 7890 143', bic: 'BNPAFRPP' })).status, 200);

  // The organisation's admin writes the project and submits it.
  const nadia = await newPage();
  await pageLogin(nadia, suite.base, 'nadia@test.example');
  await nadia.goto(`${suite.base}/orgs/${orgId}`);
  await nadia.getByRole('link', { name: 'Lancer un projet' }).click();
  await nadia.waitForURL('**/campaigns/new');
  await expectAccessible(nadia, 'new campaign form');
  assert.equal(await nadia.locator('#reward1_title').inputValue(), '', 'reward fields start empty');
  await nadia.locator('#title').fill('Une serre pour le jardin');
  await nadia.getByLabel('Résumé en une phrase').fill('Semer plus tôt, récolter plus longtemps.');
  await nadia.getByLabel('Présentation détaillée').fill('## Pourquoi\n\nUne **serre** de 20 m².');
  await nadia.getByLabel('Catégorie').selectOption('environment');
  await nadia.getByLabel('Objectif (en euros)').fill('50');
  const inTenDays = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
  await nadia.getByLabel('Date de fin').fill(inTenDays);
  await nadia.locator('#reward1_title').fill('Panier de légumes');
  await nadia.locator('#reward1_min').fill('20');
  await nadia.locator('#reward1_quantity').fill('3');
  await nadia.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await nadia.waitForURL(/\/campaigns\/[0-9a-f]+\?done=created/);
  const campaignUrl = nadia.url().split('?')[0];
  await expectAccessible(nadia, 'draft campaign');
  await nadia.getByRole('button', { name: 'Soumettre à la modération' }).click();
  await nadia.waitForURL(/done=submit/);

  // A moderator publishes it from the queue.
  const modo = await newPage();
  await pageLogin(modo, suite.base, 'modo@test.example');
  await modo.getByRole('link', { name: 'Modération' }).click();
  await modo.waitForURL('**/moderation');
  await expectAccessible(modo, 'moderation queue');
  await modo.getByRole('button', { name: 'Publier' }).click();
  await modo.waitForURL(/done=approve/);

  // A backer gives by card, then by transfer.
  const louis = await newPage();
  await pageLogin(louis, suite.base, 'louis@test.example');
  await louis.goto(campaignUrl);
  assert.equal(await louis.locator('meta[property="og:title"]').getAttribute('content'), 'Une serre pour le jardin');
  await expectAccessible(louis, 'live campaign');
  await louis.getByLabel('Montant').fill('25');
  await louis.getByLabel(/Panier de légumes/).check();
  await louis.getByLabel(/paiement de test/).check();
  await louis.getByRole('button', { name: 'Je soutiens' }).click();
  await louis.waitForURL(/\/pledges\/[0-9a-f]+\?done=thanks/);
  assert.match(await louis.getByRole('status').innerText(), /Merci/);
  assert.match(await louis.locator('body').innerText(), /Paiement de test/);
  await expectAccessible(louis, 'pledge by card');

  await louis.goto(campaignUrl);
  await louis.getByLabel('Montant').fill('40');
  await louis.getByLabel(/Virement bancaire/).check();
  await louis.getByRole('button', { name: 'Je soutiens' }).click();
  await louis.waitForURL(/\/pledges\/[0-9a-f]+/);
  const qr = louis.getByRole('img', { name: /QR code de virement SEPA/ });
  assert.ok(await qr.locator('svg').isVisible(), 'the EPC QR code is visible');
  assert.match(await louis.locator('body').innerText(), /FR7630004000031234567890143/);
  await expectAccessible(louis, 'pledge by transfer');

  // The treasurer (here the admin) confirms the transfer, then closes.
  await nadia.goto(`${suite.base}/orgs/${orgId}/transfers`);
  await expectAccessible(nadia, 'pending transfers');
  await nadia.getByRole('button', { name: /^Reçu/ }).click();
  await nadia.waitForURL(/transfers\?done=confirmed/);
  assert.match(await nadia.locator('body').innerText(), /Aucun virement en attente/);
  await nadia.goto(campaignUrl);
  assert.match(await nadia.locator('#progress-text').innerText(), /65,00/);
  await nadia.getByRole('button', { name: 'Clore la collecte maintenant' }).click();
  // It asks first, saying what closing does; without JavaScript too.
  await nadia.getByRole('heading', { name: 'Clore la collecte maintenant ?' }).waitFor();
  assert.match(await nadia.locator('main').innerText(), /remboursées/);
  await expectAccessible(nadia, 'confirmation of closing the campaign');
  await nadia.getByRole('button', { name: 'Oui, clore la collecte' }).click();
  await nadia.waitForURL(/done=close/);
  assert.match(await nadia.locator('body').innerText(), /Réussi/);

  // Anyone reads the ledger: two pledges and the payout, chained.
  const visitor = await newPage();
  await visitor.goto(`${campaignUrl}/ledger`);
  const rows = visitor.locator('tbody tr');
  assert.equal(await rows.count(), 3);
  assert.match(await rows.nth(2).innerText(), /Versement à l'organisation/);
  const head = await apiCall(suite.base, 'GET', '/api/v1/ledger/head');
  assert.match(await visitor.locator('code.hash').innerText(), new RegExp(head.body.head_hash));
  await expectAccessible(visitor, 'public ledger');
});
