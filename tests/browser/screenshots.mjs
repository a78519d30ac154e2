// Screenshots of the main pages at 375 px (a phone) and 1280 px (a
// desktop), signed out and signed in, in French, so anyone can look at the
// pages without running the demo: `scripts/screenshots [DIR]` (default
// ./screenshots, which git ignores). ESSOR_BIN names the program.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEssor, launchBrowser, pageLogin } from './harness.mjs';

const out = path.resolve(process.argv[2] ?? 'screenshots');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(path.join(os.tmpdir(), 'essor-shots-'));
const database = `sqlite:${dir}/essor.db`;
const env = { ...process.env, ESSOR_ADMIN_EMAILS: 'moderation@example.org' };
execFileSync(process.env.ESSOR_BIN, ['demo', '--database', database], { stdio: ['ignore', 'ignore', 'inherit'], env });
const essor = await startEssor({ ESSOR_ADMIN_EMAILS: 'moderation@example.org' }, database);
const browser = await launchBrowser();

// The first link on `from` whose address matches `pattern`.
async function firstLink(page, from, pattern) {
  await page.goto(essor.base + from);
  const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')));
  return hrefs.find((h) => pattern.test(h));
}

try {
  for (const [who, email] of [['visitor', null], ['camille', 'camille.martin@example.org']]) {
    for (const width of [375, 1280]) {
      const context = await browser.newContext({ locale: 'fr-FR', viewport: { width, height: 900 } });
      const page = await context.newPage();
      if (email) await pageLogin(page, essor.base, email, 'essor-demo-2026');
      const pages = [['home', '/'], ['campaigns', '/campaigns']];
      const campaign = await firstLink(page, '/campaigns', /^\/campaigns\/[0-9a-f]{32}$/);
      if (campaign) pages.push(['campaign', campaign]);
      if (email) {
        pages.push(['me', '/me'], ['loans', '/me/loans'], ['notifications', '/me/notifications']);
        // The organisation with the richest democratic life: the first whose
        // governance tab links to a vote.
        await page.goto(essor.base + '/me');
        const orgs = [...new Set((await page.evaluate(() => [...document.querySelectorAll('a[href]')]
          .map((a) => a.getAttribute('href')))).filter((h) => /^\/orgs\/[0-9a-f]{32}$/.test(h)))];
        let org;
        let proposal;
        for (const candidate of orgs) {
          proposal = await firstLink(page, `${candidate}?tab=governance`, /^\/proposals\/[0-9a-f]{32}$/);
          org = candidate;
          if (proposal) break;
        }
        if (org) pages.push(['org', org], ['org-governance', `${org}?tab=governance`]);
        if (proposal) pages.push(['proposal', proposal]);
        const budget = org && await firstLink(page, `${org}?tab=governance`, /^\/budgets\/[0-9a-f]{32}$/);
        if (budget) pages.push(['budget', budget]);
        const assembly = org && await firstLink(page, `${org}?tab=governance`, /^\/assemblies\/[0-9a-f]{32}$/);
        if (assembly) pages.push(['assembly', assembly]);
      }
      for (const [name, target] of pages) {
        await page.goto(essor.base + target);
        const file = path.join(out, `${who}-${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
      }
      if (width === 375) {
        await page.goto(essor.base + '/');
        await page.locator('header details.menu > summary').click();
        const file = path.join(out, `${who}-menu-open-375.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await essor.stop();
}
