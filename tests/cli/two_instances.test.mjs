// Two `essor serve` processes on one PostgreSQL: a session opened on one
// works on the other, an Idempotency-Key holds across them, 100 concurrent
// pledges on a reward of 10 sell exactly 10, and a campaign closed on both at
// once resolves once. Skipped without ESSOR_TEST_PG_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { startEssor, apiSignup, apiCall } from '../browser/harness.mjs';

const base = process.env.ESSOR_TEST_PG_URL;

test('two instances share one PostgreSQL safely', { skip: !base && 'ESSOR_TEST_PG_URL is not set' }, async () => {
  execFileSync('psql', [base, '-qc', 'SET client_min_messages = warning; DROP SCHEMA IF EXISTS two_instances CASCADE; CREATE SCHEMA two_instances']);
  const url = `${base}${base.includes('?') ? '&' : '?'}options=-csearch_path%3Dtwo_instances`;
  const env = { ESSOR_ADMIN_EMAILS: 'modo@test.example', ESSOR_RATE_LIMITS: 'off' };
  const a = await startEssor(env, url);
  const b = await startEssor(env, url);
  try {
    const admin = await apiSignup(a.base, 'admin@test.example', 'Admin');
    const modo = await apiSignup(a.base, 'modo@test.example', 'Modo');
    const backer = await apiSignup(b.base, 'backer@test.example', 'Backer');
    // A session opened on one instance works on the other.
    assert.equal((await apiCall(b.base, 'GET', '/api/v1/me', admin.token)).body.user.email, 'admin@test.example');
    const org = await apiCall(a.base, 'POST', '/api/v1/orgs', admin.token, { name: 'Coop', legal_form: 'scic' });
    const campaign = await apiCall(b.base, 'POST', '/api/v1/campaigns', admin.token, {
      org_id: org.body.org.id, title: 'Atelier', summary: 'Dix places', description_md: '', category: 'education',
      kind: 'donation', goal_cents: 100000, ends_at: new Date(Date.now() + 86400000 * 10).toISOString(),
      funding_model: 'keep_it_all', rewards: [{ title: 'Place', description: '', min_amount_cents: 1000, quantity_limit: 10 }],
    });
    assert.equal(campaign.status, 201);
    const id = campaign.body.campaign.id;
    const reward = campaign.body.campaign.rewards[0].id;
    assert.equal((await apiCall(a.base, 'POST', `/api/v1/campaigns/${id}/submit`, admin.token)).status, 200);
    assert.equal((await apiCall(b.base, 'POST', `/api/v1/campaigns/${id}/approve`, modo.token)).status, 200);

    const pledge = (server, key, body) => fetch(`${server.base}/api/v1/campaigns/${id}/pledges`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${backer.token}`, 'Idempotency-Key': key },
      body: JSON.stringify(body),
    });
    const body = { amount_cents: 1000, reward_id: reward, payment_method: 'sandbox_card' };
    const answers = await Promise.all(Array.from({ length: 100 }, (_, n) => pledge(n % 2 ? a : b, `k${n}`, body)));
    const statuses = answers.map((res) => res.status);
    assert.equal(statuses.filter((s) => s === 201).length, 10, `statuses: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 409).length, 90);

    // The same key on the other instance replays the first answer.
    const first = await (await pledge(a, 'k0', body)).text();
    const again = await (await pledge(b, 'k0', body)).text();
    assert.equal(again, first);

    const closes = await Promise.all([a, b, a, b].map((server) =>
      apiCall(server.base, 'POST', `/api/v1/campaigns/${id}/close`, admin.token)));
    assert.equal(closes.filter((res) => res.status === 200).length, 1);
    const ledger = await apiCall(a.base, 'GET', `/api/v1/campaigns/${id}/ledger?limit=200`);
    assert.equal(ledger.body.items.filter((t) => t.kind === 'payout').length, 1);
    assert.equal(ledger.body.items.filter((t) => t.kind === 'pledge').length, 10);
  } finally {
    assert.equal(await a.stop(), 0);
    assert.equal(await b.stop(), 0);
  }
  const verify = spawnSync(process.env.ESSOR_BIN, ['verify', '--database', url], { encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
});
