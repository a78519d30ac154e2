// Matchfunding in a real browser: a Région's admin opens a call from the
// organisation's page (a bad pool comes back with its message), an
// association's admin puts a live campaign forward from the call's page,
// the Région chooses it, a backer gives by card, and the campaign page
// says "+ 10,00 € abondés par …"; /territoires shows the map and the
// table. axe-core scans each page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, expectAccessible, apiSignup, apiCall, verifyAddress } from './harness.mjs';

const suite = browserSuite({ ESSOR_ADMIN_EMAILS: 'modo@test.example' });
const newPage = suite.newPage;

test('a funder opens a call, chooses a campaign, and a gift is matched', async () => {
  const modo = await apiSignup(suite.base, 'modo@test.example', 'Modération');
  verifyAddress(suite.database, 'modo@test.example');
  const region = await apiSignup(suite.base, 'region@test.example', 'Rémi Vidal');
  const funder = await apiCall(suite.base, 'POST', '/api/v1/orgs', region.token,
    { name: 'Région Bretagne', legal_form: 'collectivite', region: '53' });
  assert.equal(funder.status, 201);
  const funderId = funder.body.org.id;
  const admin = await apiSignup(suite.base, 'asso@test.example', 'Awa Traoré');
  const org = await apiCall(suite.base, 'POST', '/api/v1/orgs', admin.token,
    { name: 'Le Bar Commun', legal_form: 'association', region: 'Bretagne', department: '29' });
  const orgId = org.body.org.id;
  const endsAt = new Date(Date.now() + 20 * 86400000).toISOString();
  const created = await apiCall(suite.base, 'POST', '/api/v1/campaigns', admin.token, {
    org_id: orgId, title: 'Un café associatif à Quimper', summary: 'Un lieu pour tous.',
    description_md: 'Le projet', category: 'food', kind: 'donation', goal_cents: 500000,
    ends_at: endsAt, funding_model: 'keep_it_all' });
  assert.equal(created.status, 201);
  const campaignId = created.body.campaign.id;
  assert.equal((await apiCall(suite.base, 'POST', `/api/v1/campaigns/${campaignId}/submit`,
    admin.token)).status, 200);
  assert.equal((await apiCall(suite.base, 'POST', `/api/v1/campaigns/${campaignId}/approve`,
    modo.token)).status, 200);
  await apiSignup(suite.base, 'backer@test.example', 'Paul Le Bihan');

  // The Région's admin opens the call from its page.
  const remi = await newPage('region@test.example');
  await remi.goto(`${suite.base}/orgs/${funderId}`);
  await remi.getByRole('link', { name: 'Ouvrir un appel à projets' }).click();
  await remi.waitForURL(/\/calls\/new$/);
  await expectAccessible(remi, 'call form');
  await remi.getByLabel('Titre').fill('Cafés et tiers-lieux');
  await remi.getByLabel('Enveloppe (€)').fill('beaucoup');
  await remi.getByLabel('Plafond par projet (€)').fill('2000');
  const closes = new Date(Date.now() + 40 * 86400000).toISOString().slice(0, 10);
  await remi.getByLabel('Clôture').fill(closes);
  await remi.getByRole('button', { name: "Ouvrir l'appel" }).click();
  // A bad pool: the form comes back with its message, the title kept.
  assert.equal(await remi.getByLabel('Titre').inputValue(), 'Cafés et tiers-lieux');
  assert.ok(await remi.locator('#pool-error').isVisible());
  await remi.getByLabel('Enveloppe (€)').fill('10 000');
  await remi.getByRole('button', { name: "Ouvrir l'appel" }).click();
  await remi.waitForURL(/\/calls\/[0-9a-f]+\?done=call_opened/);
  await expectAccessible(remi, 'call page');
  const callUrl = remi.url().split('?')[0];
  assert.match(await remi.locator("main").innerText(), /10\s000,00\s€/);

  // The association's admin puts the campaign forward.
  const awa = await newPage('asso@test.example');
  await awa.goto(callUrl);
  await awa.getByLabel('Collecte', { exact: true }).selectOption({ label: 'Un café associatif à Quimper (Le Bar Commun)' });
  await awa.getByRole('button', { name: 'Candidater' }).click();
  await awa.waitForURL(/done=call_applied/);
  assert.match(await awa.locator('main').innerText(), /En attente/);

  // The Région chooses it.
  await remi.goto(callUrl);
  await remi.getByRole('button', { name: /Retenir Un café associatif/ }).click();
  await remi.waitForURL(/done=call_accepted/);

  // A backer gives 10 € by card; the Région adds 10 €.
  const paul = await newPage('backer@test.example');
  await paul.goto(`${suite.base}/campaigns/${campaignId}`);
  await paul.getByLabel('Montant').fill('10');
  const card = paul.getByLabel(/paiement de test/);
  if (await card.count()) await card.check();
  await paul.getByRole('button', { name: 'Je soutiens' }).click();
  await paul.waitForURL(/\/pledges\/[0-9a-f]+\?done=thanks/);
  await paul.goto(`${suite.base}/campaigns/${campaignId}`);
  await expectAccessible(paul, 'campaign page with a match');
  assert.match(await paul.locator('.match-line').innerText(), /\+\s10,00\s€ abondés par Région Bretagne/);

  // The territories: the map and Brittany's line.
  await paul.goto(`${suite.base}/territoires`);
  await expectAccessible(paul, 'territories');
  assert.equal(await paul.locator('svg.france-map').count(), 1);
  const row = await paul.locator('#territoire-53').innerText();
  assert.match(row, /Bretagne/);
  assert.match(row, /10,00\s€/);
});
