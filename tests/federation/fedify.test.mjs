// Federation against an independent ActivityPub implementation: a small
// follower server written with Fedify (https://fedify.dev), on loopback.
// It finds an Essor organisation through WebFinger, follows it (Fedify
// signs the Follow), receives Essor's signed Accept, then the signed Create
// of a new event, of a campaign's launch and of the campaign's news, each
// signature checked by Fedify against the key Essor's actor publishes. The
// other way, Essor refuses an unsigned post.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  createFederation, MemoryKvStore, Person, Endpoints, Follow, Accept, Create,
  generateCryptoKeyPair,
} from '@fedify/fedify';
import { startEssor, freePort, apiSignup, apiCall, verifyAddress } from '../browser/harness.mjs';

let essor;
let follower;
const received = [];

async function startFollower() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });
  const keys = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
  federation
    .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
      if (identifier !== 'leo') return null;
      const [pair] = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: 'Léo, qui suit le fédivers',
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pair.cryptographicKey,
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === 'leo' ? [keys] : []));
  // Fedify checks each inbox post's signature before these run.
  federation
    .setInboxListeners('/users/{identifier}/inbox', '/inbox')
    .on(Accept, async (_ctx, activity) => { received.push({ type: 'Accept', activity }); })
    .on(Create, async (_ctx, activity) => {
      const object = await activity.getObject();
      received.push({ type: 'Create', activity, object });
    });
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) headers.set(name, String(value));
    const request = new Request(`${base}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
    });
    const response = await federation.fetch(request, { contextData: undefined });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { base, federation, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function waitFor(predicate, what) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const found = received.find(predicate);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`nothing received: ${what} (received: ${received.map((r) => r.type).join(', ')})`);
}

before(async () => {
  essor = await startEssor({
    ESSOR_FEDERATION_ALLOW_PRIVATE: 'on',
    ESSOR_SCHEDULER_INTERVAL_S: '1',
    ESSOR_ADMIN_EMAILS: 'modo@test.example',
  });
  follower = await startFollower();
});

after(async () => {
  await follower?.close();
  assert.equal(await essor?.stop(), 0);
});

test('a Fedify server follows an organisation and gets its signed announcements', async () => {
  const admin = await apiSignup(essor.base, 'admin@test.example', 'Awa Traoré');
  const org = await apiCall(essor.base, 'POST', '/api/v1/orgs', admin.token,
    { name: 'Le Bar Commun', legal_form: 'association' });
  assert.equal(org.status, 201);
  const orgId = org.body.org.id;

  // WebFinger: the handle the organisation's page shows.
  const host = `127.0.0.1:${essor.port}`;
  const finger = await fetch(`${essor.base}/.well-known/webfinger?resource=acct:le_bar_commun@${host}`);
  assert.equal(finger.status, 200);
  const jrd = await finger.json();
  const self = jrd.links.find((link) => link.rel === 'self' && link.type === 'application/activity+json');
  assert.ok(self, 'a self link');

  // Fedify reads the actor (a Group with its key) and follows it.
  const ctx = follower.federation.createContext(new URL(follower.base), undefined);
  const group = await ctx.lookupObject(self.href);
  assert.ok(group, 'the actor document is readable by Fedify');
  assert.equal(group.constructor.name, 'Group');
  await ctx.sendActivity({ identifier: 'leo' }, group, new Follow({
    id: new URL(`${follower.base}/follows/1`),
    actor: ctx.getActorUri('leo'),
    object: group.id,
  }));
  const accept = await waitFor((r) => r.type === 'Accept', 'the Accept of the Follow');
  assert.equal(accept.activity.actorId?.href, self.href);

  // A public event: a Create of an Event, with its times and its place.
  const starts = new Date(Date.now() + 3 * 86400000);
  const event = await apiCall(essor.base, 'POST', `/api/v1/orgs/${orgId}/events`, admin.token, {
    title: 'Soirée jeux', description_md: 'Venez jouer.', starts_at: starts.toISOString(),
    ends_at: new Date(starts.getTime() + 3 * 3600000).toISOString(), location: 'Le Bar Commun, Quimper',
    online_url: 'https://visio.example/secret',
  });
  assert.equal(event.status, 201);
  const created = await waitFor((r) => r.type === 'Create' && r.object?.constructor.name === 'Event',
    'the Create of the event');
  assert.equal(created.object.name?.toString(), 'Soirée jeux');
  assert.equal(created.object.startTime?.epochMilliseconds, starts.getTime());

  // A campaign launched, then its news.
  const modo = await apiSignup(essor.base, 'modo@test.example', 'Modération');
  verifyAddress(essor.database, 'modo@test.example');
  const campaign = await apiCall(essor.base, 'POST', '/api/v1/campaigns', admin.token, {
    org_id: orgId, title: 'Un four à pain', summary: 'Cuire ensemble.', description_md: 'Le projet',
    category: 'food', kind: 'donation', goal_cents: 500000,
    ends_at: new Date(Date.now() + 20 * 86400000).toISOString(), funding_model: 'keep_it_all' });
  const campaignId = campaign.body.campaign.id;
  assert.equal((await apiCall(essor.base, 'POST', `/api/v1/campaigns/${campaignId}/submit`, admin.token)).status, 200);
  assert.equal((await apiCall(essor.base, 'POST', `/api/v1/campaigns/${campaignId}/approve`, modo.token)).status, 200);
  const launch = await waitFor((r) => r.type === 'Create' && r.object?.constructor.name === 'Note',
    'the Create of the launch');
  assert.match(launch.object.content?.toString() ?? '', /Un four à pain/);
  assert.match(launch.object.content?.toString() ?? '', /5\s000,00\s€/);
  const news = await apiCall(essor.base, 'POST', `/api/v1/campaigns/${campaignId}/updates`, admin.token,
    { title: 'Le four est commandé', body_md: 'Merci à toutes et tous !' });
  assert.equal(news.status, 201);
  const article = await waitFor((r) => r.type === 'Create' && r.object?.constructor.name === 'Article',
    'the Create of the news');
  assert.equal(article.object.name?.toString(), 'Le four est commandé');
  // Never the meeting link.
  for (const r of received) {
    assert.ok(!JSON.stringify(await r.activity.toJsonLd()).includes('visio.example'));
  }

  // The other way: an unsigned post is refused.
  const unsigned = await fetch(`${essor.base}/ap/orgs/${orgId}/inbox`, {
    method: 'POST', headers: { 'Content-Type': 'application/activity+json' },
    body: JSON.stringify({ type: 'Follow', actor: `${follower.base}/users/leo`, object: self.href }),
  });
  assert.equal(unsigned.status, 401);
});
