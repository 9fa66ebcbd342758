// Outbox delivery (docs/outbreak.md, "Notifications"): a positive pool's messages reach a
// webhook that fails twice first, each exactly once, signed; /metrics counts the failures; the
// log adapter delivers when no webhook is configured.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { assertStatus, startServer } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const SECRET = 'webhook-test-secret';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A local receiver: 500 to the first `failures` POSTs, 200 after; keeps every request. */
async function startReceiver(failures) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const status = requests.length < failures ? 500 : 200;
      requests.push({ method: req.method, url: req.url, headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'try again');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, requests, url: `http://127.0.0.1:${server.address().port}/hooks/swabline` };
}

async function waitFor(what, fn, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The value of one metric line such as `swabline_outbox_pending{adapter="webhook"}`. */
async function metric(srv, name) {
  const res = await srv.api('GET', '/metrics');
  assertStatus(res, 200, 'metrics');
  const line = res.text.split('\n').find((l) => l.startsWith(name + ' '));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

async function outboxIds(srv) {
  const out = await srv.sqlite('SELECT id FROM outbox ORDER BY id');
  assert.equal(out.code, 0, out.stderr);
  return out.stdout.split('\n').filter(Boolean).map(Number);
}

/** A pool of three that turns positive: status_yellow, zone_started and retest_tasks rows. */
async function positivePool(srv, community) {
  const r = new Rounds(srv, await srv.adminToken());
  const { community: place, ids } = await r.community({
    path: community, residents: 3, place: (i) => `${1 + i}号楼/1单元/101`,
  });
  const round = await r.round([place.id], { pool_size: 5 });
  const site = await r.site(place.id);
  const { tube } = await r.filledTube(round.id, site.id, ids, { capacity: 3 });
  await r.shipAndResult([tube.barcode], { [tube.barcode]: 'positive' });
}

describe('the webhook adapter', () => {
  let srv;
  let receiver;
  let args;

  before(async () => {
    receiver = await startReceiver(2);
    srv = await startServer({ start: false });
    const secretFile = path.join(srv.dir, 'webhook.secret');
    await fsp.writeFile(secretFile, SECRET + '\n', { mode: 0o600 });
    args = ['--webhook-url', receiver.url, '--webhook-secret-file', secretFile,
      '--outbox-poll-ms', '100', '--outbox-retry-base-ms', '200'];
    await srv.start({ args });
  });
  after(async () => {
    await srv?.dispose();
    receiver?.server.close();
  });

  test('delivers every message of a positive pool once, though the webhook fails twice first', async () => {
    await positivePool(srv, '东城区/东华门街道/南池子社区');
    const ids = await outboxIds(srv);
    assert.ok(ids.length >= 5, `a positive pool of three writes messages: ${ids}`);

    const accepted = () => receiver.requests.filter((q) => q.status === 200);
    await waitFor('every message accepted', () => {
      const got = new Set(accepted().map((q) => Number(q.headers['x-swabline-delivery'])));
      return ids.every((id) => got.has(id));
    });
    await waitFor('nothing pending', async () =>
      (await metric(srv, 'swabline_outbox_pending{adapter="webhook"}')) === 0);

    const acceptedIds = accepted().map((q) => Number(q.headers['x-swabline-delivery']));
    assert.deepEqual([...acceptedIds].sort((a, b) => a - b), ids, 'each outbox id accepted exactly once');
    assert.equal(receiver.requests.filter((q) => q.status === 500).length, 2);

    for (const q of receiver.requests) {
      assert.equal(q.method, 'POST');
      assert.equal(q.url, '/hooks/swabline');
      assert.match(q.headers['content-type'], /^application\/json/);
      const expected = 'sha256=' + crypto.createHmac('sha256', SECRET).update(q.body).digest('hex');
      assert.equal(q.headers['x-swabline-signature'], expected, 'the signature verifies with the secret');
      const body = JSON.parse(q.body);
      assert.equal(body.id, Number(q.headers['x-swabline-delivery']));
      assert.deepEqual(Object.keys(body).sort(),
        ['created_at', 'event', 'id', 'payload', 'recipient', 'recipient_kind']);
      assert.equal(typeof body.payload, 'object');
      assert.match(body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    const events = new Set(accepted().map((q) => JSON.parse(q.body).event));
    for (const e of ['status_yellow', 'zone_started', 'retest_tasks']) assert.ok(events.has(e), `${e} delivered`);

    assert.equal(await metric(srv, 'swabline_outbox_failed_attempts_total{adapter="webhook"}'), 2);
    assert.equal(await metric(srv, 'swabline_outbox_delivered_total{adapter="webhook"}'), ids.length);
    assert.equal(await metric(srv, 'swabline_outbox_oldest_pending_age_seconds{adapter="webhook"}'), 0);
    const rows = await srv.sqlite(
      "SELECT COUNT(*) FROM outbox_deliveries WHERE adapter = 'webhook' AND delivered_at IS NOT NULL");
    assert.equal(Number(rows.stdout.trim()), ids.length);
  });

  test('stops cleanly, and a restart sends nothing already delivered', async () => {
    const before = receiver.requests.length;
    assert.equal((await srv.stop()).code, 0);
    await srv.start({ args });
    await waitFor('a delivery round after the restart', async () =>
      (await metric(srv, 'swabline_outbox_pending{adapter="webhook"}')) === 0);
    await sleep(500);
    assert.equal(receiver.requests.length, before);
  });
});

describe('the log adapter', () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--outbox-poll-ms', '100'] });
  });
  after(() => srv?.dispose());

  test('logs every message when no webhook is configured', async () => {
    const r = new Rounds(srv, await srv.adminToken());
    const place = await r.community({ path: '西城区/西长安街街道/府右街社区', residents: 1 });
    const zone = assertStatus(await r.post('/api/v1/zones',
      { place_id: place.community.id, level: 'prevention', reason: 'drill' }), 201);
    await waitFor('the delivery counted', async () =>
      (await metric(srv, 'swabline_outbox_delivered_total{adapter="log"}')) === 1);
    const line = new RegExp(`outbox id=1 event=zone_started recipient_kind=place `
      + `recipient=${place.community.id} created_at=\\S+ payload=\\{"zone_id":${zone.id},`);
    await waitFor('the log line', () => line.test(srv.log));
    await waitFor('nothing pending', async () =>
      (await metric(srv, 'swabline_outbox_pending{adapter="log"}')) === 0);
  });
});
