// Every page of the demo on a 375 px phone, signed out and signed in as each
// demo role (an association's admin, a member who lends and votes, a member
// of a family circle, the platform's moderator), in French and in English:
// nothing overflows horizontally (scrollWidth ≤ innerWidth), every link of
// the menu is reachable, and axe-core finds no serious or critical
// violation. The pages are found by following the links of the pages
// themselves from the home page (GET only, same site), so a new page is
// checked as soon as something links to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startEssor, launchBrowser, expectAccessible, pageLogin, temporaryDirectory } from './harness.mjs';

const password = 'essor-demo-2026';
let essor;
let browser;
// The irreversible actions whose confirmation was checked, over all tests.
const confirmations = new Set();

before(async () => {
  const dir = temporaryDirectory('essor-phones-');
  const database = `sqlite:${dir}/essor.db`;
  execFileSync(process.env.ESSOR_BIN, ['demo', '--database', database],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ESSOR_ADMIN_EMAILS: 'moderation@example.org' } });
  essor = await startEssor({ ESSOR_ADMIN_EMAILS: 'moderation@example.org' }, database);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  assert.equal(await essor?.stop(), 0);
});

// Paths not worth visiting: downloads, feeds and actions reached by GET.
function skip(url) {
  return /\.(csv|pdf|ics|atom|svg|png|jpe?g|webp|json|md|txt)(\?|$)/.test(url.pathname) ||
    url.pathname.startsWith('/static/') || url.pathname.startsWith('/api/') ||
    url.pathname.startsWith('/media/') || url.pathname.startsWith('/data/') ||
    url.pathname.endsWith('/feed.atom') || url.pathname.endsWith('/calendar') ||
    url.pathname.startsWith('/unsubscribe') || url.pathname.startsWith('/invitations/') ||
    url.pathname.startsWith('/ledger/export') || url.pathname.endsWith('/minutes') ||
    url.pathname.endsWith('/statement');
}

// A page's kind, so that of fifty campaign pages only a few are visited.
function kind(url) {
  return url.pathname.replace(/\/[0-9a-f]{32}|\/[0-9a-f]{8}-[0-9a-f-]{27,}/g, '/:id').replace(/\/\d+/g, '/:n') +
    (url.search ? '?' : '');
}

async function crawl(page, label, { perKind = 2, limit = 70 } = {}) {
  const problems = [];
  const seen = new Set();
  const kinds = new Map();
  const queue = ['/'];
  const visited = [];
  while (queue.length && visited.length < limit) {
    const target = queue.shift();
    const response = await page.goto(essor.base + target);
    assert.ok(response.status() < 500, `${label} ${target}: ${response.status()}`);
    visited.push(target);
    const overflow = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: 375,
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > 376 && e.children.length === 0 && e.checkVisibility())
        .slice(0, 4).map((e) => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 30)}"` +
          ` in ${e.parentElement.tagName.toLowerCase()}.${e.parentElement.className}`),
    }));
    if (overflow.scroll > overflow.inner) {
      problems.push(`${label} ${target}: ${overflow.scroll} px wide on a ${overflow.inner} px screen (${overflow.wide.join(', ')})`);
    }
    // Each scrolling table's region has a name of its own (its caption), so
    // that a screen reader's list of regions tells them apart.
    const regions = await page.evaluate(() => [...document.querySelectorAll('[role=region]')]
      .map((e) => e.getAttribute('aria-label')));
    const twice = regions.filter((name, i) => regions.indexOf(name) !== i);
    if (twice.length > 0) problems.push(`${label} ${target}: regions named alike: ${[...new Set(twice)].join(' | ')}`);
    // No empty message bar: a notice, status or alert always says something.
    const silent = await page.evaluate(() => [...document.querySelectorAll('.notice, [role=status], [role=alert]')]
      .filter((e) => e.checkVisibility() && e.textContent.trim() === '').length);
    if (silent > 0) problems.push(`${label} ${target}: ${silent} empty message bar(s)`);
    // A table drawn as cards (class stack) shows every cell on the screen,
    // each but the card's title after its column's name.
    const cards = await page.evaluate(() => [...document.querySelectorAll('table.stack td')]
      .filter((td) => td.checkVisibility())
      .map((td) => ({
        text: td.textContent.trim().slice(0, 30),
        off: td.getBoundingClientRect().right > 376,
        unnamed: td.previousElementSibling !== null && td.querySelector('form') === null &&
          !td.hasAttribute('data-label'),
      })));
    for (const cell of cards.filter((c) => c.off || c.unnamed)) {
      problems.push(`${label} ${target}: a card's cell "${cell.text}" is ${cell.off ? 'off the screen' : 'without its column name'}`);
    }
    try {
      await expectAccessible(page, `${label} ${target}`);
    } catch (e) {
      problems.push(e.message.split('\n\n')[0]);
    }
    // Every irreversible action found on the page asks first: posting its
    // form answers a confirmation page, and the page still offers it after.
    const irreversible = await page.evaluate(() => [...document.querySelectorAll('form[method=post]')]
      .map((f) => f.getAttribute('action'))
      .filter((a) => /\/(close|cancel|remove|leave)$/.test(a ?? '')));
    for (const action of irreversible) {
      const k = 'post ' + kind(new URL(essor.base + action));
      if (kinds.has(k)) continue;
      kinds.set(k, 1);
      const fields = await page.evaluate((a) =>
        Object.fromEntries(new FormData(document.querySelector(`form[action="${a}"]`))), action);
      const res = await page.request.post(essor.base + action, { form: fields, maxRedirects: 0 });
      const answer = { status: res.status(), body: await res.text() };
      if (answer.status !== 200 || !answer.body.includes('name="confirmed" value="yes"')) {
        problems.push(`${label} ${target}: ${action} acted without asking (${answer.status})`);
      }
      confirmations.add(action.replace(/^.*\//, ''));
      await page.goto(essor.base + target);
      const still = await page.locator(`form[action="${action}"]`).count();
      if (still === 0) problems.push(`${label} ${target}: ${action} changed something before it was confirmed`);
    }
    const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.href));
    for (const href of links) {
      const url = new URL(href);
      if (url.origin !== essor.base || skip(url)) continue;
      const key = url.pathname + url.search;
      if (seen.has(key)) continue;
      seen.add(key);
      const k = kind(url);
      const count = kinds.get(k) ?? 0;
      if (count >= perKind) continue;
      kinds.set(k, count + 1);
      queue.push(key);
    }
  }
  console.log(`${label}: ${visited.length} pages visited`);
  assert.deepEqual(problems, [], problems.join('\n'));
  return visited;
}

// The menu's every link is on the screen once the menu is open (no
// JavaScript needed: a <details> element).
async function menuReachable(page, label) {
  await page.goto(essor.base + '/');
  const toggle = page.locator('header details.menu > summary');
  if (await toggle.isVisible()) await toggle.click();
  const entries = await page.evaluate(() => [...document.querySelectorAll('header nav a, header nav button')]
    .filter((e) => e.checkVisibility())
    .map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent.trim(), on: r.width > 0 && r.right <= 376 && r.left >= -1 };
    }));
  const outside = entries.filter((e) => !e.on).map((e) => e.text);
  // Every entry of the page's menu is there to tap: the site's name, the
  // projects, the search, and signing in or the reader's own pages.
  assert.ok(entries.length >= 4, `${label}: only ${entries.map((e) => e.text)} in the menu`);
  assert.ok(entries.some((e) => /Projets/.test(e.text)), `${label}: no link to the projects`);
  assert.deepEqual(outside, [], `${label}: menu entries off the screen`);
}

async function phone(locale) {
  const context = await browser.newContext({ locale, viewport: { width: 375, height: 740 } });
  context.setDefaultTimeout(15000);
  return context.newPage();
}

test('signed out, French and English: every page fits a 375 px phone', async () => {
  const page = await phone('fr-FR');
  await menuReachable(page, 'visitor');
  const visited = await crawl(page, 'visitor');
  assert.ok(visited.length >= 8, `only ${visited.length} pages reached`);
  await page.goto(essor.base + '/');
  await page.getByRole('button', { name: 'English' }).click();
  await crawl(page, 'visitor (en)', { perKind: 1, limit: 25 });
});

for (const [role, email] of [
  ['admin', 'camille.martin@example.org'],
  ['member', 'karim.benali@example.org'],
  ['circle', 'helene.roux@example.org'],
  ['moderator', 'moderation@example.org'],
]) {
  test(`signed in as ${role}: every page fits a 375 px phone`, async () => {
    const page = await phone('fr-FR');
    await pageLogin(page, essor.base, email, password);
    await menuReachable(page, role);
    const visited = await crawl(page, role, { perKind: 2, limit: role === 'admin' ? 80 : 50 });
    assert.ok(visited.length >= 10, `${role}: only ${visited.length} pages reached`);
  });
}

// A table about the reader: cards on a phone, a table on a desktop. The
// column's name before each value comes from the table's own header.
test('a backer\'s gifts are cards on a phone and a table on a desktop', async () => {
  const layout = async (width) => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width, height: 800 } });
    const page = await context.newPage();
    await pageLogin(page, essor.base, 'camille.martin@example.org', password);
    await page.goto(essor.base + '/me');
    const seen = await page.evaluate(() => {
      const table = document.querySelector('table.stack');
      const header = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
      const row = table.querySelector('tbody tr');
      return {
        header,
        headerShown: table.querySelector('thead').getBoundingClientRect().height > 2,
        cells: [...row.children].map((td) => ({
          before: getComputedStyle(td, '::before').content,
          right: td.getBoundingClientRect().right,
          top: td.getBoundingClientRect().top,
        })),
      };
    });
    await context.close();
    return seen;
  };
  const phoneView = await layout(375);
  assert.ok(phoneView.cells.length >= 3, JSON.stringify(phoneView));
  assert.equal(phoneView.headerShown, false);
  assert.ok(phoneView.cells.every((c) => c.right <= 376), JSON.stringify(phoneView.cells));
  // One cell a line, each but the first named by its column's header.
  for (let i = 1; i < phoneView.cells.length; ++i) {
    assert.ok(phoneView.cells[i].top > phoneView.cells[i - 1].top, JSON.stringify(phoneView.cells));
    assert.ok(phoneView.cells[i].before.startsWith(`"${phoneView.header[i]}`), `${phoneView.cells[i].before} for ${phoneView.header[i]}`);
  }
  const desk = await layout(1280);
  assert.equal(desk.headerShown, true);
  assert.ok(desk.cells.every((c) => c.before === 'none' && c.top === desk.cells[0].top), JSON.stringify(desk.cells));
});

test('the crawls met the irreversible actions of the demo', () => {
  for (const action of ['close', 'remove']) assert.ok(confirmations.has(action), `no "${action}" form met`);
});
