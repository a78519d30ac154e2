// The foundation, as a person uses it in a real browser: sign up, log out,
// log in, create an organisation, invite a member who accepts, switch to English; every
// page scanned by axe-core (which needs JavaScript in the page, so this
// flow runs with it on; the pages themselves carry none). A second test
// does the essentials with JavaScript off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEssor, launchBrowser, expectAccessible, apiSignup, pageLogin, verifyAddress, invitationToken } from './harness.mjs';

let essor;
let browser;

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const code = await essor?.stop();
  assert.equal(code, 0, 'essor exits 0 on SIGTERM');
});

test('sign up, log in, create an organisation, add a member, switch language', async () => {
  const password = 'une phrase de passe solide';
  await apiSignup(essor.base, 'yasmine@test.example', 'Yasmine Haddad');
  const context = await browser.newContext({ locale: 'fr-FR' });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();

  await page.goto(essor.base + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await expectAccessible(page, 'home');

  await page.getByRole('link', { name: 'Créer un compte' }).click();
  await page.waitForURL('**/signup');
  // A mistake first: the form explains it and keeps what was typed.
  await page.getByLabel('Nom affiché').fill('Claire Fontaine');
  await page.getByLabel('Adresse e-mail').fill('claire@test.example');
  await page.getByLabel('Mot de passe').fill('court');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /au moins 10 caractères/);
  assert.equal(await page.getByLabel('Nom affiché').inputValue(), 'Claire Fontaine');
  await expectAccessible(page, 'signup with errors');

  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.waitForURL('**/me?done=welcome');
  assert.match(await page.getByRole('status').innerText(), /Bienvenue/);
  await expectAccessible(page, 'my space');

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.waitForURL('**/?done=logged_out');
  await page.getByRole('link', { name: 'Se connecter' }).first().click();
  await page.waitForURL('**/login');
  await expectAccessible(page, 'login');
  await page.getByLabel('Adresse e-mail').fill('claire@test.example');
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL('**/me');

  await page.getByRole('link', { name: 'Créer une organisation' }).click();
  await page.waitForURL('**/orgs/new');
  await expectAccessible(page, 'new organisation');
  await page.getByLabel("Nom de l'organisation").fill('La Fabrique Solidaire');
  await page.getByLabel('Forme juridique').selectOption('scic');
  await page.getByLabel('Présentation').fill('Un tiers-lieu coopératif pour réparer, apprendre et partager.');
  await page.getByLabel('SIREN').fill('628 194 821');
  await page.getByLabel('Région').fill('Bretagne');
  await page.getByRole('button', { name: "Créer l'organisation" }).click();
  await page.waitForURL(/\/orgs\/[0-9a-f]+\?done=created/);
  await page.getByRole('heading', { level: 1, name: 'La Fabrique Solidaire' }).waitFor();
  await expectAccessible(page, 'organisation');

  // The members have a tab of their own.
  await page.getByRole('link', { name: 'Membres', exact: true }).click();
  await page.waitForURL(/tab=members/);
  await page.getByLabel('Adresse e-mail de la personne').fill('yasmine@test.example');
  await page.getByLabel('Rôle').selectOption('treasurer');
  await page.getByRole('button', { name: 'Inviter', exact: true }).click();
  await page.waitForURL(/done=member_invited/);
  assert.match(await page.getByRole('status').innerText(), /Invitation envoyée/);
  await page.getByRole('heading', { name: 'Membres (1)' }).waitFor();

  // Yasmine opens the mailed link, signed in with her (verified) address,
  // and accepts: only then is she a member.
  verifyAddress(essor.database, 'yasmine@test.example');
  const yasmineContext = await browser.newContext({ locale: 'fr-FR' });
  yasmineContext.setDefaultTimeout(15000);
  const yasmine = await yasmineContext.newPage();
  await pageLogin(yasmine, essor.base, 'yasmine@test.example');
  await yasmine.goto(`${essor.base}/invitations/${invitationToken(essor.database, 'yasmine@test.example')}`);
  assert.match(await yasmine.locator('main').innerText(), /vous invite à rejoindre l'organisation « La Fabrique Solidaire »/);
  await expectAccessible(yasmine, 'invitation');
  await yasmine.getByRole('button', { name: "Accepter l'invitation" }).click();
  await yasmine.waitForURL(/done=invitation_accepted/);
  await yasmineContext.close();

  await page.reload();
  const row = page.getByRole('row', { name: /Yasmine Haddad/ });
  assert.match(await row.innerText(), /Trésorier/);
  await expectAccessible(page, 'organisation with a new member');

  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForLoadState();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByRole('heading', { name: 'Members (2)' }).waitFor();
  await expectAccessible(page, 'organisation in English');
  await page.goto(essor.base + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the choice is remembered');
  await page.getByRole('heading', { level: 1, name: 'Fund, decide and act together' }).waitFor();
  if (process.env.ESSOR_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.ESSOR_SCREENSHOTS}/home-en.png`, fullPage: true });
  }
  await context.close();
});

test('the essentials work with JavaScript turned off', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await page.goto(essor.base + '/signup');
  await page.getByLabel('Nom affiché').fill('Paul Sans-Script');
  await page.getByLabel('Adresse e-mail').fill('paul@test.example');
  await page.getByLabel('Mot de passe').fill('pas besoin de javascript');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.waitForURL('**/me?done=welcome');
  await page.getByRole('link', { name: 'Créer une organisation' }).click();
  await page.getByLabel("Nom de l'organisation").fill('Le Café Lent');
  await page.getByRole('button', { name: "Créer l'organisation" }).click();
  await page.waitForURL(/\/orgs\/[0-9a-f]+\?done=created/);
  await page.getByRole('heading', { level: 1, name: 'Le Café Lent' }).waitFor();
  assert.equal(await page.locator('script').count(), 0, 'pages carry no script');
  await context.close();
});
