// Solidarity loans in a real browser: an organisation writes a loan
// campaign in the form, a moderator publishes it, a lender lends by (test)
// bank transfer that the treasurer confirms, the campaign closes, the
// treasurer declares a repayment on the schedule, a moderator confirms on
// their page that the money arrived, the lender sees it come back on their
// page and lends it again to another project. axe-core scans each page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, expectAccessible, apiSignup, apiCall, pageLogin, verifyAddress } from './harness.mjs';

const suite = browserSuite({ ESSOR_ADMIN_EMAILS: 'modo@test.example' });
const newPage = suite.newPage;

test('lend, close, repay, see the money come back and lend it again', async () => {
  const admin = await apiSignup(suite.base, 'ines@test.example', 'Inès Moreau');
  const modo = await apiSignup(suite.base, 'modo@test.example', 'Modération');
  verifyAddress(suite.database, 'modo@test.example');
  await apiSignup(suite.base, 'paul@test.example', 'Paul Girard');
  const org = await apiCall(suite.base, 'POST', '/api/v1/orgs', admin.token,
    { name: 'La Fabrique Coopérative', legal_form: 'scic' });
  const orgId = org.body.org.id;
  assert.equal((await apiCall(suite.base, 'PATCH', `/api/v1/orgs/${orgId}`, admin.token,
    { iban: 'FR7630004000031234567890143' })).status, 200);

  // The admin writes an interest-free loan in the campaign form.
  const ines = await newPage();
  await pageLogin(ines, suite.base, 'ines@test.example');
  await ines.goto(`${suite.base}/orgs/${orgId}/campaigns/new`);
  await ines.locator('#title').fill('Un four pour la boulangerie coopérative');
  await ines.getByLabel('Résumé en une phrase').fill('Un prêt à taux zéro, remboursé en un an.');
  await ines.getByLabel('Catégorie').selectOption('food');
  await ines.getByLabel('Objectif (en euros)').fill('100');
  const inTenDays = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
  await ines.getByLabel('Date de fin').fill(inTenDays);
  await ines.getByLabel(/Prêt solidaire/).check();
  await ines.getByLabel(/Taux annuel/).fill('0');
  await ines.getByLabel(/Durée/).fill('12');
  await ines.getByLabel('Remboursement', { exact: true }).selectOption('linear');
  await ines.getByLabel(/On garde tout/).check();
  await expectAccessible(ines, 'loan campaign form');
  await ines.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await ines.waitForURL(/\/campaigns\/[0-9a-f]+\?done=created/);
  const campaignUrl = ines.url().split('?')[0];
  const campaignId = campaignUrl.split('/').pop();
  assert.match(await ines.locator('body').innerText(), /Conditions du prêt/);
  await ines.getByRole('button', { name: 'Soumettre à la modération' }).click();
  await ines.waitForURL(/done=submit/);
  assert.equal((await apiCall(suite.base, 'POST', `/api/v1/campaigns/${campaignId}/approve`, modo.token)).status, 200);

  // Paul lends 60 € by bank transfer; the treasurer sees it arrive.
  const paul = await newPage();
  await pageLogin(paul, suite.base, 'paul@test.example');
  await paul.goto(campaignUrl);
  await paul.getByLabel('Montant').fill('60');
  await paul.getByLabel(/Virement bancaire/).check();
  await paul.getByRole('button', { name: 'Je prête' }).click();
  await paul.waitForURL(/\/pledges\/[0-9a-f]+\?done=thanks/);
  const pledgeId = paul.url().split('?')[0].split('/').pop();
  assert.equal((await apiCall(suite.base, 'POST', `/api/v1/pledges/${pledgeId}/confirm`, admin.token)).status, 200);

  // The admin closes; the schedule appears: 12 installments of 5 €.
  await ines.goto(campaignUrl);
  await ines.getByRole('button', { name: 'Clore la collecte maintenant' }).click();
  await ines.getByRole('button', { name: 'Oui, clore la collecte' }).click();
  await ines.waitForURL(/done=close/);
  const schedule = ines.locator('#schedule');
  assert.equal(await schedule.locator('tbody').first().locator('tr').count(), 12);
  assert.match(await schedule.locator('tbody tr').first().innerText(), /5,00/);
  await expectAccessible(ines, 'loan schedule');

  // More than what is owed is refused, with the reason.
  await ines.getByLabel(/Montant du remboursement/).fill('61');
  await ines.getByRole('button', { name: 'Enregistrer le remboursement' }).click();
  await ines.waitForURL(/error=repay_refused/);
  assert.match(await ines.getByRole('alert').innerText(), /Remboursement refusé/);
  // She declares a repayment of 30 € (early: six installments): it waits
  // for the platform to see the money arrive.
  await ines.getByLabel(/Montant du remboursement/).fill('30');
  await ines.getByRole('button', { name: 'Enregistrer le remboursement' }).click();
  await ines.waitForURL(/done=repaid/);
  assert.match(await ines.getByRole('status').innerText(), /Remboursement déclaré/);
  assert.match(await schedule.innerText(), /30,00/);
  assert.match(await schedule.innerText(), /En attente de l'arrivée des fonds/);

  // The moderator sees it on the platform's account and confirms.
  const moderator = await newPage();
  await pageLogin(moderator, suite.base, 'modo@test.example');
  await moderator.goto(`${suite.base}/admin/withdrawals`);
  await expectAccessible(moderator, 'moderator: withdrawals and repayments');
  await moderator.getByRole('button', { name: /L'argent est arrivé/ }).click();
  await moderator.waitForURL(/done=repayment_confirmed/);
  assert.match(await moderator.getByRole('status').innerText(), /Remboursement confirmé/);

  // Paul sees the money come back.
  await paul.goto(`${suite.base}/me/loans`);
  const body = await paul.locator('main').innerText();
  assert.match(body, /Un four pour la boulangerie coopérative/);
  assert.match(body, /30,00/);
  await expectAccessible(paul, 'lender page');

  // Another project opens; Paul lends 25 € from his balance.
  const other = await apiCall(suite.base, 'POST', '/api/v1/campaigns', admin.token, {
    org_id: orgId, title: 'Une camionnette de livraison', summary: 'Livrer le pain aux villages.',
    description_md: 'Une camionnette électrique.', category: 'food', kind: 'loan',
    goal_cents: 50000, ends_at: new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 19) + 'Z',
    funding_model: 'keep_it_all', rewards: [],
    loan: { annual_rate_bp: 0, term_months: 24, repayment: 'linear' },
  });
  assert.equal(other.status, 201);
  const otherId = other.body.campaign.id;
  assert.equal((await apiCall(suite.base, 'POST', `/api/v1/campaigns/${otherId}/submit`, admin.token)).status, 200);
  assert.equal((await apiCall(suite.base, 'POST', `/api/v1/campaigns/${otherId}/approve`, modo.token)).status, 200);
  await paul.goto(`${suite.base}/campaigns/${otherId}`);
  await paul.getByLabel('Montant').fill('25');
  await paul.getByLabel(/Mon solde de prêts remboursés/).check();
  await paul.getByRole('button', { name: 'Je prête' }).click();
  await paul.waitForURL(/\/pledges\/[0-9a-f]+\?done=thanks/);
  assert.match(await paul.locator('main').innerText(), /Confirm/);
  await paul.goto(`${suite.base}/me/loans`);
  assert.match(await paul.locator('#balance').innerText(), /5,00/);
});
