// Co-creation and distance learning in a real browser. Two members co-write
// a proposal: one starts the draft and invites the other; both edit from
// the same revision, the second save comes back with its text kept and the
// change shown side by side, then is merged; the draft is put to the vote
// naming both. A learner follows a course to its certificate: enrols,
// marks the lessons done, fails then passes the quiz, downloads the PDF.
// axe-core scans each page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invitationToken, verifyAddress, browserSuite, expectAccessible, apiSignup, apiCall } from './harness.mjs';

const suite = browserSuite();
const newPage = suite.newPage;

async function organisation(adminEmail, adminName, name, members) {
  const admin = await apiSignup(suite.base, adminEmail, adminName);
  const org = await apiCall(suite.base, 'POST', '/api/v1/orgs', admin.token,
    { name, legal_form: 'association' });
  const orgId = org.body.org.id;
  const people = {};
  for (const [email, who] of members) {
    const person = await apiSignup(suite.base, email, who);
    assert.equal((await apiCall(suite.base, 'POST', `/api/v1/orgs/${orgId}/members`, admin.token,
      { email, role: 'member' })).status, 202);
    verifyAddress(suite.database, email);
    const token = invitationToken(suite.database, email);
    assert.equal((await apiCall(suite.base, 'POST', `/api/v1/invitations/${token}/accept`, person.token)).status, 200);
    people[email] = person;
  }
  return { admin, orgId, people };
}

test('two members co-write a proposal and put it to the vote', async () => {
  const { orgId } = await organisation('ines@test.example', 'Inès Moreau', 'Le Jardin du Lavoir',
    [['theo@test.example', 'Théo Garnier']]);
  const ines = await newPage('ines@test.example');
  await ines.goto(`${suite.base}/orgs/${orgId}?tab=governance`);
  await ines.getByRole('link', { name: 'Brouillons' }).click();
  await expectAccessible(ines, 'drafts');
  await ines.getByLabel('Titre').fill('Règlement des parcelles');
  await ines.getByLabel('Texte de la proposition').fill('Une parcelle par foyer.\nArrosage le soir.');
  await ines.getByRole('button', { name: 'Créer le brouillon' }).click();
  await ines.waitForURL(/\/drafts\/[0-9a-f]+\?done=draft_started/);
  const draftUrl = ines.url().split('?')[0];
  await ines.getByLabel('Membre').selectOption({ label: 'Théo Garnier' });
  await ines.getByRole('button', { name: 'Ajouter' }).click();
  await ines.waitForURL(/done=coauthor_added/);
  await expectAccessible(ines, 'draft');

  // Both open the same revision; Théo saves first.
  const theo = await newPage('theo@test.example');
  await theo.goto(draftUrl);
  await ines.goto(draftUrl);
  await theo.getByLabel('Texte de la proposition').fill('Une parcelle par foyer.\nArrosage le soir, jamais à midi.');
  await theo.getByRole('button', { name: 'Enregistrer une nouvelle révision' }).click();
  await theo.waitForURL(/done=draft_saved/);
  await ines.getByLabel('Texte de la proposition').fill('Une parcelle par foyer.\nArrosage le soir.\nCompost partagé.');
  await ines.getByRole('button', { name: 'Enregistrer une nouvelle révision' }).click();
  // Refused, her text kept, the difference shown side by side.
  assert.match(await ines.locator('main').innerText(), /Votre texte n'a pas été enregistré/);
  assert.match(await ines.getByLabel('Texte de la proposition').inputValue(), /Compost partagé/);
  assert.ok(await ines.locator('table.diff .diff-added').count() > 0);
  await expectAccessible(ines, 'draft conflict');
  await ines.getByLabel('Texte de la proposition').fill('Une parcelle par foyer.\nArrosage le soir, jamais à midi.\nCompost partagé.');
  await ines.getByRole('button', { name: 'Enregistrer une nouvelle révision' }).click();
  await ines.waitForURL(/done=draft_saved/);
  assert.match(await ines.locator('main').innerText(), /révision 3/);
  // What Théo changed, side by side.
  await ines.getByRole('link', { name: 'révision 2' }).click();
  await ines.waitForURL(/\/revisions\/2\/diff$/);
  assert.match(await ines.locator('table.diff').innerText(), /jamais à midi/);
  await expectAccessible(ines, 'diff');
  await ines.goto(draftUrl);
  await ines.getByRole('button', { name: 'Soumettre au vote' }).click();
  await ines.waitForURL(/\/proposals\/[0-9a-f]+\?done=draft_published/);
  assert.match(await ines.locator('main').innerText(), /Compost partagé/);
  await ines.getByRole('link', { name: 'Amendements' }).click();
  assert.match(await ines.locator('main').innerText(), /Inès Moreau/);
  assert.match(await ines.locator('main').innerText(), /Théo Garnier/);
  await expectAccessible(ines, 'amendments');
});

test('a learner follows a course to its certificate', async () => {
  const { admin, orgId } = await organisation('nadia@test.example', 'Nadia Benali', 'Réseau Trésoriers', []);
  const course = await apiCall(suite.base, 'POST', `/api/v1/orgs/${orgId}/courses`, admin.token,
    { title: "Tenir la trésorerie d'une association", summary: 'Trois leçons.', visibility: 'public' });
  const courseId = course.body.course.id;
  const lessons = [];
  for (const title of ['Le budget', 'Les reçus fiscaux']) {
    const made = await apiCall(suite.base, 'POST', `/api/v1/courses/${courseId}/lessons`, admin.token,
      { title, body_md: `## ${title}\n\nLe contenu.` });
    lessons.push(made.body.lesson.id);
  }
  assert.equal((await apiCall(suite.base, 'POST', `/api/v1/lessons/${lessons[1]}/quiz`, admin.token, {
    questions: [{ text: 'Combien de temps garder un reçu ?', choices: ['Un an', 'Six ans'], correct: [1], multiple: false }],
    pass_pct: 100 })).status, 201);
  const startsAt = new Date(Date.now() + 5 * 86400000);
  assert.equal((await apiCall(suite.base, 'POST', `/api/v1/orgs/${orgId}/events`, admin.token, {
    title: 'Permanence trésorerie', description_md: 'Questions en direct.', starts_at: startsAt.toISOString(),
    ends_at: new Date(startsAt.getTime() + 3600000).toISOString(), online_url: 'https://visio.example/tresorerie',
  })).status, 201);
  await apiSignup(suite.base, 'leo@test.example', 'Léo Martin');

  // The trainer attaches a PDF from the lesson's page; a wrong file comes back with its reason.
  const nadia = await newPage('nadia@test.example');
  await nadia.goto(`${suite.base}/lessons/${lessons[0]}`);
  await nadia.getByLabel('Nom du document').fill('Modèle de budget');
  await nadia.getByLabel('Fichier PDF (5 Mo au plus)').setInputFiles(
    { name: 'budget.txt', mimeType: 'text/plain', buffer: Buffer.from('pas un PDF') });
  await nadia.getByRole('button', { name: 'Joindre' }).click();
  assert.match(await nadia.locator('main').innerText(), /PDF/);
  await nadia.getByLabel('Fichier PDF (5 Mo au plus)').setInputFiles(
    { name: 'budget.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await nadia.getByRole('button', { name: 'Joindre' }).click();
  await nadia.waitForURL(/done=document_attached/);
  await expectAccessible(nadia, 'lesson for its trainer');

  const leo = await newPage('leo@test.example');
  await leo.goto(`${suite.base}/courses`);
  await expectAccessible(leo, 'courses');
  await leo.getByRole('link', { name: "Tenir la trésorerie d'une association" }).click();
  await leo.getByRole('button', { name: 'Suivre cette formation' }).click();
  await leo.waitForURL(/done=course_enrolled/);
  await expectAccessible(leo, 'course');
  await leo.getByRole('link', { name: 'Le budget' }).click();
  assert.ok(await leo.getByRole('link', { name: 'Modèle de budget.pdf' }).isVisible());
  await leo.getByRole('button', { name: "J'ai terminé cette leçon" }).click();
  await leo.waitForURL(/done=lesson_done/);
  await leo.getByRole('link', { name: 'Leçon suivante' }).click();
  // The page carries no right answer before an attempt.
  assert.ok(!(await leo.content()).includes('"correct"'));
  await leo.getByRole('button', { name: "J'ai terminé cette leçon" }).click();
  await leo.waitForURL(/done=lesson_done/);
  await leo.getByLabel('Un an').check();
  await leo.getByRole('button', { name: 'Valider mes réponses' }).click();
  assert.match(await leo.locator('main').innerText(), /Score : 0 %/);
  await expectAccessible(leo, 'lesson with a failed attempt');
  await leo.getByLabel('Six ans').check();
  await leo.getByRole('button', { name: 'Valider mes réponses' }).click();
  assert.match(await leo.locator('main').innerText(), /Score : 100 %/);
  await leo.getByRole('link', { name: 'Formation terminée : bravo !' }).click();
  const download = await leo.request.get(`${suite.base}/courses/${courseId}/certificate.pdf`);
  assert.equal(download.status(), 200);
  assert.equal(download.headers()['content-type'], 'application/pdf');
  assert.match(await leo.locator('main').innerText(), /Télécharger mon certificat/);
  // Then a third lesson from the course page, with its live session (the
  // meeting link stays for those registered to the event).
  await nadia.goto(`${suite.base}/courses/${courseId}`);
  await nadia.locator('#lesson-title').fill('Questions en direct');
  await nadia.getByLabel(/Séance en direct/).selectOption({ index: 1 });
  await nadia.getByRole('button', { name: 'Ajouter la leçon' }).click();
  await nadia.waitForURL(/done=lesson_added/);
  const live = await leo.context().newPage();
  await live.goto(nadia.url().split('?')[0]);
  assert.match(await live.locator('main').innerText(), /Permanence trésorerie/);
  assert.ok(!(await live.content()).includes('visio.example'));
  // The large-text view reads the lesson too.
  await leo.goto(`${suite.base}/lessons/${lessons[0]}`);
  await leo.getByRole('button', { name: 'Agrandir le texte' }).click();
  assert.match(await leo.locator('main').innerText(), /Le contenu/);
});
