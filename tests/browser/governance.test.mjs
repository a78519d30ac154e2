// Governance in a real browser: a member gives her proxy on the
// organisation's page, another writes a proposal, three members vote (one
// of them also for the member who gave her proxy), the admin closes the
// vote and everyone reads the results with their chart. axe-core scans
// each page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invitationToken, verifyAddress, browserSuite, expectAccessible, apiSignup, apiCall } from './harness.mjs';

const suite = browserSuite({});
const newPage = suite.newPage;

test('propose, vote (one by proxy), close, read the results', async () => {
  const admin = await apiSignup(suite.base, 'odile@test.example', 'Odile Perrin');
  const org = await apiCall(suite.base, 'POST', '/api/v1/orgs', admin.token,
    { name: 'Association des Jardins', legal_form: 'association' });
  const orgId = org.body.org.id;
  for (const [email, name] of [['anna@test.example', 'Anna Roy'], ['bruno@test.example', 'Bruno Petit'],
    ['chloe@test.example', 'Chloé Blanc']]) {
    const person = await apiSignup(suite.base, email, name);
    assert.equal((await apiCall(suite.base, 'POST', `/api/v1/orgs/${orgId}/members`, admin.token,
      { email, role: 'member' })).status, 202);
    // Members by consent: each accepts the invitation, address verified.
    verifyAddress(suite.database, email);
    const token = invitationToken(suite.database, email);
    assert.equal((await apiCall(suite.base, 'POST', `/api/v1/invitations/${token}/accept`, person.token)).status, 200);
  }

  // Bruno gives his vote to Anna on the organisation's page.
  const bruno = await newPage('bruno@test.example');
  await bruno.goto(`${suite.base}/orgs/${orgId}`);
  await bruno.getByRole('link', { name: 'Vie démocratique' }).click();
  await bruno.waitForURL(/tab=governance/);
  await expectAccessible(bruno, 'organisation page with governance');
  await bruno.getByLabel('Donner ma voix à').selectOption({ label: 'Anna Roy' });
  await bruno.getByRole('button', { name: 'Donner procuration' }).click();
  await bruno.waitForURL(/done=proxy_given/);
  assert.match(await bruno.locator('#governance').innerText(), /Anna Roy/);

  // Anna writes the proposal.
  const anna = await newPage('anna@test.example');
  await anna.goto(`${suite.base}/orgs/${orgId}/proposals/new`);
  await expectAccessible(anna, 'proposal form');
  await anna.getByLabel('Titre').fill('Ouvrir le jardin le dimanche');
  await anna.getByLabel('Texte de la proposition').fill('Ouvrir **de 10 h à 17 h**, avec deux bénévoles.');
  await anna.getByLabel('Mode de scrutin').selectOption('majority');
  const inAWeek = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  await anna.getByLabel('Date de clôture').fill(inAWeek);
  await anna.getByLabel('Heure de clôture (heure de Paris)').fill('18:00');
  await anna.getByLabel('Quorum (%)').fill('50');
  await anna.getByRole('button', { name: 'Ouvrir le vote' }).click();
  await anna.waitForURL(/\/proposals\/[0-9a-f]+\?done=created/);
  const proposalUrl = anna.url().split('?')[0];
  await expectAccessible(anna, 'open proposal');

  // Chloé asks a question in the discussion.
  const chloe = await newPage('chloe@test.example');
  await chloe.goto(proposalUrl);
  await chloe.getByLabel('Votre message').fill('Qui ferme le portail à 17 h ?');
  await chloe.getByRole('button', { name: 'Publier' }).click();
  await chloe.waitForURL(/done=commented/);
  assert.match(await chloe.locator('#discussion').innerText(), /Qui ferme le portail/);

  // Anna votes yes (for herself and for Bruno), Chloé no, Odile yes.
  await anna.getByLabel('Pour').check();
  await anna.getByRole('button', { name: 'Enregistrer mon vote' }).click();
  await anna.waitForURL(/done=voted/);
  await chloe.goto(proposalUrl);
  await chloe.getByLabel('Contre').check();
  await chloe.getByRole('button', { name: 'Enregistrer mon vote' }).click();
  await chloe.waitForURL(/done=voted/);
  const odile = await newPage('odile@test.example');
  await odile.goto(proposalUrl);
  await odile.getByLabel('Pour').check();
  await odile.getByRole('button', { name: 'Enregistrer mon vote' }).click();
  await odile.waitForURL(/done=voted/);
  await bruno.goto(proposalUrl);
  assert.match(await bruno.locator('main').innerText(), /Votre procuration a voté pour vous/);
  assert.match(await bruno.locator('main').innerText(), /Bruno Petit \(par procuration\)/);

  // Odile closes; the results read 3 for, 1 against, passed.
  // Closing asks first, on a page of its own; going back changes nothing.
  await odile.getByRole('button', { name: 'Clore le vote maintenant' }).click();
  await odile.getByRole('heading', { name: 'Clore le vote maintenant ?' }).waitFor();
  await expectAccessible(odile, 'confirmation of closing the vote');
  await odile.getByRole('link', { name: 'Non, revenir en arrière' }).click();
  await odile.waitForURL(proposalUrl);
  assert.equal(await odile.getByRole('button', { name: 'Enregistrer mon vote' }).count(), 1, 'still open');
  await odile.getByRole('button', { name: 'Clore le vote maintenant' }).click();
  await odile.getByRole('button', { name: 'Oui, clore le vote' }).click();
  await odile.waitForURL(/done=closed/);
  const results = await odile.locator('main').innerText();
  assert.match(results, /Adoptée/);
  assert.match(results, /4 votants sur 4/);
  const rows = odile.locator('table tbody tr');
  assert.match(await rows.nth(0).innerText(), /Pour\s+3/);
  assert.match(await rows.nth(1).innerText(), /Contre\s+1/);
  assert.ok(await odile.locator('figure svg rect').count() >= 3, 'the chart is drawn');
  await expectAccessible(odile, 'closed proposal with results');
  assert.equal(await odile.getByRole('button', { name: 'Enregistrer mon vote' }).count(), 0);
});
