// The live dashboard (docs/api.md, "Live dashboard"; docs/openapi.yaml, tag dashboard): the
// event stream read raw (text/event-stream), its tickets, scoping and Last-Event-ID resume, and
// the snapshot.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { assertProblem, assertStatus, startServer } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const A = '东城区/东华门街道/多福巷社区';
const B = '东城区/景山街道/吉祥社区';

let srv;
let r;
let a;
let b;
let roundId;
let siteA;
let siteB;

before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
  a = await r.community({ path: A, residents: 8 });
  b = await r.community({ path: B, residents: 8 });
  roundId = (await r.round([a.community.id, b.community.id])).id;
  siteA = (await r.site(a.community.id)).id;
  siteB = (await r.site(b.community.id)).id;
});
after(() => srv?.dispose());

/** Opens the stream raw; events arrive in `stream.events` as {id, event, data}. */
function openStream(query, headers = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(`/api/v1/events${query}`, srv.baseUrl);
    const req = http.get(url, { headers }, (res) => {
      const stream = { res, status: res.statusCode, headers: res.headers, events: [], raw: '', body: '' };
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        stream.raw += chunk;
        stream.body += chunk;
        let end;
        while ((end = stream.raw.indexOf('\n\n')) >= 0) {
          const block = stream.raw.slice(0, end);
          stream.raw = stream.raw.slice(end + 2);
          const ev = {};
          for (const line of block.split('\n')) {
            const at = line.indexOf(': ');
            if (line.startsWith(':') || at < 0) continue;
            ev[line.slice(0, at)] = line.slice(at + 2);
          }
          if (ev.event) stream.events.push({ id: ev.id, event: ev.event, data: JSON.parse(ev.data) });
          if (ev.retry) stream.retry = Number(ev.retry);
        }
      });
      stream.close = () => req.destroy();
      resolve(stream);
    });
    req.on('error', reject);
  });
}

async function waitFor(pred, what, ms = 5000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const v = pred();
    if (v) return v;
    await new Promise((res) => setTimeout(res, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function ticket(token) {
  return assertStatus(await srv.api('POST', '/api/v1/events/ticket', { token }), 201, 'ticket').ticket;
}

async function scanOne(site, ids, i) {
  const tube = await r.openTube(roundId, site);
  await r.scanOk(tube.barcode, ids[i]);
  return tube;
}

describe('the event stream', () => {
  test('a scan made through the API arrives as a samples event with an id', async () => {
    const s = await openStream(`?ticket=${await ticket(await srv.adminToken())}`);
    try {
      assert.equal(s.status, 200);
      assert.match(s.headers['content-type'], /^text\/event-stream/);
      await waitFor(() => s.retry, 'the retry line');
      await scanOne(siteA, a.ids, 0);
      const ev = await waitFor(() => s.events.find((e) => e.event === 'samples'), 'a samples event');
      assert.match(ev.id, /^\d+$/);
      assert.equal(ev.data.site_id, siteA);
      assert.equal(ev.data.community_id, a.community.id);
      assert.equal(ev.data.count, 1);
    } finally {
      s.close();
    }
  });

  test('a community user sees only the events of their places', async () => {
    const user = await srv.newUser({ role: 'community', scope: A });
    const s = await openStream(`?ticket=${await ticket(user.token)}`);
    try {
      await waitFor(() => s.retry, 'the retry line');
      await scanOne(siteB, b.ids, 1);
      await scanOne(siteA, a.ids, 2);
      const ev = await waitFor(() => s.events.find((e) => e.event === 'samples'), 'their own scan');
      assert.equal(ev.data.community_id, a.community.id);
      await new Promise((res) => setTimeout(res, 200));
      assert.ok(s.events.every((e) => e.data.community_id !== b.community.id), JSON.stringify(s.events));
    } finally {
      s.close();
    }
  });

  test('Last-Event-ID resumes without loss or repeat, and a too old id is told reset', async () => {
    const token = await srv.adminToken();
    const first = await openStream('', { Authorization: `Bearer ${token}` });
    await waitFor(() => first.retry, 'the retry line');
    await scanOne(siteA, a.ids, 3);
    const seen = await waitFor(() => first.events.find((e) => e.event === 'samples'), 'the first scan');
    first.close();
    await scanOne(siteA, a.ids, 4);
    await scanOne(siteB, b.ids, 5);
    const again = await openStream('', { Authorization: `Bearer ${token}`, 'Last-Event-ID': seen.id });
    try {
      const got = await waitFor(() => {
        const s = again.events.filter((e) => e.event === 'samples');
        return s.length >= 2 && s;
      }, 'the two missed scans');
      assert.deepEqual(got.map((e) => e.data.site_id), [siteA, siteB]);
      assert.ok(got.every((e) => BigInt(e.id) > BigInt(seen.id)), 'nothing seen before is sent again');
      const ids = again.events.map((e) => e.id);
      assert.equal(new Set(ids).size, ids.length, 'no event twice');
    } finally {
      again.close();
    }
    const stale = await openStream('?last_event_id=1', { Authorization: `Bearer ${token}` });
    try {
      await waitFor(() => stale.events.find((e) => e.event === 'reset'), 'a reset');
    } finally {
      stale.close();
    }
  });

  test('a ticket serves once, and a stream needs a ticket or a token', async () => {
    const tk = await ticket(await srv.adminToken());
    const s = await openStream(`?ticket=${tk}`);
    s.close();
    const reused = await srv.api('GET', `/api/v1/events?ticket=${tk}`);
    assertProblem(reused, 401, 'invalid_ticket');
    assertProblem(await srv.api('GET', '/api/v1/events'), 401, 'unauthenticated');
    assertProblem(await srv.api('POST', '/api/v1/events/ticket'), 401, 'unauthenticated');
    const courier = await srv.newUser({ role: 'courier' });
    assertProblem(await srv.api('POST', '/api/v1/events/ticket', { token: courier.token }), 403, 'forbidden');
  });
});

describe('the snapshot', () => {
  test('counts today\'s samples per community and hour, scoped to the user', async () => {
    const admin = assertStatus(await srv.api('GET', '/api/v1/dashboard', { token: await srv.adminToken() }), 200);
    const ca = admin.communities.find((c) => c.id === a.community.id);
    const cb = admin.communities.find((c) => c.id === b.community.id);
    assert.ok(ca && cb, JSON.stringify(admin.communities));
    assert.equal(ca.samples_by_hour.length, 24);
    assert.equal(ca.samples_by_hour.reduce((x, y) => x + y, 0), ca.samples);
    assert.equal(admin.samples, ca.samples + cb.samples);
    assert.match(admin.last_event_id, /^\d+$/);
    for (const k of ['p50', 'p90', 'p99']) assert.ok(k in admin.turnaround_hours);
    const user = await srv.newUser({ role: 'community', scope: B });
    const scoped = assertStatus(await srv.api('GET', '/api/v1/dashboard', { token: user.token }), 200);
    assert.deepEqual(scoped.communities.map((c) => c.id), [b.community.id]);
  });
});
