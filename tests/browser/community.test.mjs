// Community in a real browser: an organisation's admin creates a workshop,
// a neighbour follows the organisation and registers, then creates a family
// circle, invites her father, who accepts, and posts a message with a photo in the
// large-text view; the father reads the notification and the post. axe-core
// scans each page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, expectAccessible, apiSignup, apiCall, verifyAddress, invitationToken } from './harness.mjs';

const suite = browserSuite({});
const newPage = suite.newPage;
// A 1×1 PNG.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64');

test('follow an organisation, register to a workshop, post in a circle, read the notification', async () => {
  const admin = await apiSignup(suite.base, 'odile@test.example', 'Odile Perrin');
  await apiSignup(suite.base, 'fatou@test.example', 'Fatou Diallo');
  await apiSignup(suite.base, 'mamadou@test.example', 'Mamadou Diallo');
  const org = await apiCall(suite.base, 'POST', '/api/v1/orgs', admin.token,
    { name: 'Repair Café de la Croix-Rousse', legal_form: 'association' });
  const orgId = org.body.org.id;

  // Odile creates the workshop on the site.
  const odile = await newPage('odile@test.example');
  await odile.goto(`${suite.base}/orgs/${orgId}/events/new`);
  await expectAccessible(odile, 'event form');
  const day = new Date(Date.now() + 5 * 86400000).toISOString().slice(0, 10);
  await odile.getByLabel('Titre').fill('Atelier réparation de vélos');
  await odile.getByLabel('Présentation').fill('Apportez votre vélo, on répare **ensemble**.');
  await odile.getByLabel('Date de début').fill(day);
  await odile.getByLabel('Heure de début (heure de Paris)').fill('14:00');
  await odile.getByLabel('Date de fin').fill(day);
  await odile.getByLabel('Heure de fin (heure de Paris)').fill('17:00');
  await odile.getByLabel('Lieu').fill('Maison des associations, Lyon');
  await odile.getByLabel('Nombre de places (facultatif)').fill('8');
  await odile.getByRole('button', { name: "Créer l'événement" }).click();
  await odile.waitForURL(/\/events\/[0-9a-f]+\?done=event_created/);
  const eventUrl = odile.url().split('?')[0];

  // Fatou follows the organisation and registers.
  const fatou = await newPage('fatou@test.example');
  await fatou.goto(`${suite.base}/orgs/${orgId}`);
  await fatou.getByRole('button', { name: "Suivre l'organisation" }).click();
  await fatou.waitForURL(/done=followed/);
  await expectAccessible(fatou, 'organisation page with its events');
  await fatou.getByRole('link', { name: 'Atelier réparation de vélos' }).click();
  await fatou.waitForURL(eventUrl);
  await expectAccessible(fatou, 'event page');
  await fatou.getByRole('button', { name: "Je m'inscris" }).click();
  await fatou.waitForURL(/done=event_registered/);
  assert.match(await fatou.locator('main').innerText(), /Vous êtes inscrit·e/);
  assert.match(await fatou.locator('main').innerText(), /7 \/ 8/);
  await fatou.goto(`${suite.base}/me/feed`);
  await expectAccessible(fatou, 'feed');
  assert.match(await fatou.locator('main').innerText(), /organise « Atelier réparation de vélos »/);

  // She creates a family circle, adds her father, and writes with a photo.
  await fatou.goto(`${suite.base}/circles`);
  await expectAccessible(fatou, 'circles');
  await fatou.getByLabel('Nom du cercle').fill('Famille Diallo');
  await fatou.getByRole('button', { name: 'Créer le cercle' }).click();
  await fatou.waitForURL(/\/circles\/[0-9a-f]+\?done=circle_created/);
  const circleUrl = fatou.url().split('?')[0];
  await fatou.getByLabel('Inviter une personne par son adresse e-mail').fill('mamadou@test.example');
  await fatou.getByRole('button', { name: 'Inviter', exact: true }).click();
  await fatou.waitForURL(/done=circle_member_invited/);

  // Her father opens the mailed invitation and accepts.
  verifyAddress(suite.database, 'mamadou@test.example');
  const mamadou = await newPage('mamadou@test.example');
  await mamadou.goto(`${suite.base}/invitations/${invitationToken(suite.database, 'mamadou@test.example')}`);
  assert.match(await mamadou.locator('main').innerText(), /Fatou Diallo vous invite à rejoindre le cercle « Famille Diallo »/);
  await expectAccessible(mamadou, 'invitation to a circle');
  await mamadou.getByRole('button', { name: "Accepter l'invitation" }).click();
  await mamadou.waitForURL(new RegExp(`${circleUrl}\\?done=invitation_accepted`));

  // The large-text view is a choice remembered on every page.
  await fatou.getByRole('button', { name: 'Affichage en grands caractères' }).click();
  await fatou.waitForURL(circleUrl);
  assert.equal(await fatou.getAttribute('html', 'class'), 'large-text');
  await expectAccessible(fatou, 'circle in large text');
  await fatou.getByLabel('Votre message').fill('Papa, voici le vélo réparé !');
  await fatou.getByLabel(/Une photo/).setInputFiles({ name: 'velo.png', mimeType: 'image/png', buffer: png });
  await fatou.getByRole('button', { name: 'Envoyer' }).click();
  await fatou.waitForURL(/done=circle_posted/);
  assert.equal(await fatou.getAttribute('html', 'class'), 'large-text', 'still large after posting');
  assert.match(await fatou.locator('main').innerText(), /voici le vélo réparé/);

  // Mamadou sees the unread notification, opens it, and reads the post.
  await mamadou.goto(`${suite.base}/me/notifications`);
  await expectAccessible(mamadou, 'notifications');
  const badge = mamadou.locator('nav .nav-wide .badge');
  assert.equal(await badge.innerText(), '1');  // the post
  await mamadou.getByRole('button', { name: /a écrit dans le cercle « Famille Diallo »/ }).click();
  await mamadou.waitForURL(new RegExp(`${circleUrl}#post-`));
  assert.match(await mamadou.locator('main').innerText(), /Papa, voici le vélo réparé !/);
  const photo = mamadou.getByRole('img', { name: /Photo partagée par Fatou Diallo/ });
  assert.equal(await photo.evaluate((img) => img.naturalWidth), 1);
  await expectAccessible(mamadou, 'circle');
  assert.equal(await mamadou.locator('nav .nav-wide .badge').count(), 0);  // nothing left unread

  // Someone outside the circle finds nothing there.
  const odilePage = await odile.goto(circleUrl);
  assert.equal(odilePage.status(), 404);

  // Odile moves the workshop an hour later, then calls it off; Fatou is
  // told of both, and its page says so.
  await odile.goto(eventUrl);
  await odile.getByRole('link', { name: "Modifier l'événement" }).click();
  await odile.waitForURL(`${eventUrl}/edit`);
  await expectAccessible(odile, 'event change form');
  assert.equal(await odile.getByLabel('Heure de début (heure de Paris)').inputValue(), '14:00');
  await odile.getByLabel('Heure de début (heure de Paris)').fill('15:00');
  await odile.getByRole('button', { name: 'Enregistrer les changements' }).click();
  await odile.waitForURL(/done=event_changed/);
  await odile.getByRole('button', { name: "Annuler l'événement" }).click();
  await expectAccessible(odile, 'event cancellation, confirmed first');
  await odile.getByRole('button', { name: "Oui, annuler l'événement" }).click();
  await odile.waitForURL(/done=event_cancelled/);
  await fatou.goto(`${suite.base}/me/notifications`);
  const told = await fatou.locator('main').innerText();
  assert.match(told, /« Atelier réparation de vélos » a changé : c'est désormais le .* 15 h/);
  assert.match(told, /« Atelier réparation de vélos » \(.*\) est annulé/);
  await fatou.goto(eventUrl);
  assert.match(await fatou.locator('main').innerText(), /Cet événement est annulé\./);
  assert.equal(await fatou.getByRole('button', { name: "Je m'inscris" }).count(), 0);
  await expectAccessible(fatou, 'cancelled event');
});
