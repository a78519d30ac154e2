// Shared by the browser tests: starts a real `essor serve` on a fresh SQLite
// database and a free port, launches Debian's Chromium through
// playwright-core, and scans pages with axe-core.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';

const require = createRequire(path.join(process.env.NODE_PATH ?? process.cwd(), 'x.js'));
const { chromium } = require('playwright-core');
const axeSource = require('axe-core').source;

// A port that is free now, below the kernel's range of ports given to
// sockets bound to port 0: the servers of the tests running meanwhile
// (CTest runs two at a time) bind to port 0, so none of them can take
// this port before the server started on it listens.
export async function freePort() {
  let low = 32768;
  try {
    [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  } catch { /* not Linux: the usual range */ }
  const from = Math.max(1024, low - 12000);
  for (;;) {
    const port = from + Math.floor(Math.random() * (low - from));
    const free = await new Promise((resolve) => {
      const server = net.createServer();
      server.on('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

// A fresh directory under the system's temporary one, removed when this
// test file's process ends with every test passed (kept for a look
// otherwise).
const temporaryDirectories = [];
process.on('exit', (code) => {
  if (code !== 0) return;
  for (const dir of temporaryDirectories) rmSync(dir, { recursive: true, force: true });
});
export function temporaryDirectory(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirectories.push(dir);
  return dir;
}

// databaseUrl: a fresh SQLite file unless given.
export async function startEssor(extraEnv = {}, databaseUrl = undefined) {
  const bin = process.env.ESSOR_BIN;
  assert.ok(bin, 'ESSOR_BIN must name the essor program');
  const dir = temporaryDirectory('essor-browser-');
  const port = await freePort();
  const database = databaseUrl ?? `sqlite:${dir}/essor.db`;
  const child = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--database', database], {
    env: { ...process.env, ESSOR_LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`essor exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  };
  // A crash: no draining, no clean exit.
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.on('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };
  return { base, stop, kill, dir, port, database };
}

// The operator vouches for an address (`essor user verify`): moderators in
// ESSOR_ADMIN_EMAILS need a verified one.
export function verifyAddress(database, email) {
  execFileSync(process.env.ESSOR_BIN, ['user', 'verify', '--database', database, email],
    { stdio: ['ignore', 'ignore', 'inherit'] });
}

// The token of the newest invitation mailed to email (read from the
// outbox of the suite's SQLite database, as the mail would carry it).
export function invitationToken(database, email) {
  const file = database.replace(/^sqlite:/, '');
  const body = execFileSync('sqlite3', [file,
    `SELECT body FROM outbox WHERE kind = 'invitation' AND to_address = '${email}' ORDER BY created_at DESC LIMIT 1`],
  { encoding: 'utf8' });
  const match = body.match(/\/invitations\/([^\s]+)/);
  if (!match) throw new Error(`no invitation mailed to ${email}`);
  return match[1];
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page and fails on any
// serious or critical violation, listing them.
export async function expectAccessible(page, label) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  assert.equal(bad.length, 0, `${label}: accessibility violations\n${report.join('\n')}`);
  assert.ok(results.passes.length > 10, `${label}: axe ran`);
}

export async function apiSignup(base, email, name, password = 'correct horse battery') {
  const res = await fetch(`${base}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password, display_name: name }),
  });
  assert.equal(res.status, 201);
  return res.json();
}

export async function apiCall(base, method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// Logs in through the French log-in page.
export async function pageLogin(page, base, email, password = 'correct horse battery') {
  await page.goto(`${base}/login`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL('**/me');
}

// One Essor and one browser for a test file: started before its tests,
// stopped after (Essor must exit 0). newPage(email?) opens a French page,
// signed in when an address is given.
export function browserSuite(extraEnv = {}) {
  const suite = { base: undefined, essor: undefined, browser: undefined };
  before(async () => {
    suite.essor = await startEssor(extraEnv);
    suite.base = suite.essor.base;
    suite.database = suite.essor.database;
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    assert.equal(await suite.essor?.stop(), 0);
  });
  suite.newPage = async (email) => {
    const context = await suite.browser.newContext({ locale: 'fr-FR' });
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    if (email) await pageLogin(page, suite.base, email);
    return page;
  };
  return suite;
}
