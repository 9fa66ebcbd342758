// Sites and queues (docs/api.md, Sites and queues; docs/openapi.yaml): opening hours and lanes,
// the public site list and queue, staff counting people, collectors on shift, the wait estimate
// following a site's scan rate, the round plan and the sampling rates.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, runCli, startServer } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const C = '东城区/东华门街道/多福巷社区';
const FAR = '东城区/景山街道/吉祥社区';
// 02:00 UTC: 10:00 in Asia/Shanghai, the server's default zone.
const T0 = Date.parse('2031-03-03T02:00:00Z');

let srv;
let r;
let world;
let far;

async function setClock(ms) {
  assertStatus(await r.api('PUT', '/api/v1/clock', { json: { now: new Date(ms).toISOString() } }), 200, 'set the clock');
  srv._adminToken = null;
  r.token = await srv.adminToken();
}

before(async () => {
  srv = await startServer({ args: ['--settable-clock'] });
  r = new Rounds(srv, await srv.adminToken());
  await setClock(T0);
  world = await r.community({ path: C, residents: 60 });
  far = (await r.community({ path: FAR, residents: 1 })).community;
});
after(() => srv?.dispose());

const site = (json) => r.createSiteResponse({ name: `点${Math.random()}`, place_id: world.community.id, ...json });
const publicGet = (p) => srv.api('GET', p);

describe('opening hours and lanes', () => {
  test('a site keeps several spans a day, evening hours included, and its lanes green first', async () => {
    const s = assertStatus(await site({
      hours: [{ from: '18:00', to: '21:30' }, { from: '07:00', to: '11:00' }],
      lanes: ['general', 'green'],
    }), 201);
    assert.deepEqual(s.hours, [{ from: '07:00', to: '11:00' }, { from: '18:00', to: '21:30' }]);
    assert.deepEqual(s.lanes, ['green', 'general']);
  });

  test('no hours means always open, and the lanes default to general', async () => {
    const s = assertStatus(await site({}), 201);
    assert.deepEqual(s.hours, []);
    assert.deepEqual(s.lanes, ['general']);
    assert.equal(assertStatus(await publicGet(`/api/v1/sites/${s.id}/queue`), 200).open_now, true);
  });

  test('open_now follows the hours in the deployment\'s local time, to exclusive', async () => {
    const morning = assertStatus(await site({ hours: [{ from: '07:00', to: '10:01' }] }), 201);
    const evening = assertStatus(await site({ hours: [{ from: '18:00', to: '21:00' }] }), 201);
    const ended = assertStatus(await site({ hours: [{ from: '07:00', to: '10:00' }] }), 201);
    assert.equal(assertStatus(await publicGet(`/api/v1/sites/${morning.id}/queue`), 200).open_now, true);
    assert.equal(assertStatus(await publicGet(`/api/v1/sites/${evening.id}/queue`), 200).open_now, false);
    assert.equal(assertStatus(await publicGet(`/api/v1/sites/${ended.id}/queue`), 200).open_now, false);
  });

  test('malformed, reversed or overlapping hours are 422 invalid_hours naming the span', async () => {
    for (const [hours, reason, index] of [
      [[{ from: '7:00', to: '11:00' }], 'format', '0'],
      [[{ from: '07:00', to: '25:00' }], 'format', '0'],
      [[{ from: '07:00' }], 'format', '0'],
      [[{ from: '07:00', to: '11:00' }, { from: '12:00', to: '11:30' }], 'order', '1'],
      [[{ from: '07:00', to: '11:00' }, { from: '10:00', to: '12:00' }], 'overlap', '1'],
    ]) {
      const p = assertProblem(await site({ hours }), 422, 'invalid_hours', JSON.stringify(hours));
      assert.equal(p.reason, reason);
      assert.equal(p.index, index);
    }
    assertProblem(await site({ hours: '07:00-11:00' }), 422, 'invalid_hours');
  });

  test('a lane other than general or green is 422 unknown_lane', async () => {
    assertProblem(await site({ lanes: ['vip'] }), 422, 'unknown_lane');
    assertProblem(await site({ lanes: ['green', 'green'] }), 422, 'invalid_field');
  });
});

describe('public access', () => {
  test('the site list and a queue answer without a token', async () => {
    const s = assertStatus(await site({ lanes: ['green', 'general'] }), 201);
    const list = assertStatus(await publicGet(`/api/v1/sites?place_id=${world.community.id}`), 200);
    const listed = list.sites.find((x) => x.id === s.id);
    assert.ok(listed, 'the new site is listed');
    for (const k of ['id', 'name', 'place_id', 'hours', 'lanes']) assert.ok(k in listed, k);
    assert.ok('next_cursor' in list);
    const q = assertStatus(await publicGet(`/api/v1/sites/${s.id}/queue`), 200);
    assert.equal(q.site_id, s.id);
    assert.deepEqual(q.lanes.map((l) => l.lane), ['green', 'general']);
    for (const l of q.lanes) {
      assert.equal(l.waiting, 0);
      assert.equal(l.estimated_wait_minutes, 0);
    }
    assert.equal(q.samples_last_hour, 0);
  });

  test('place_id lists the sites of the place\'s subtree; without it, every site', async () => {
    const mine = assertStatus(await site({}), 201);
    const theirs = assertStatus(await r.createSiteResponse({ name: '吉祥点', place_id: far.id }), 201);
    const street = await r.place('东城区');
    const ids = (b) => b.sites.map((x) => x.id);
    const all = assertStatus(await publicGet(`/api/v1/sites?place_id=${street.id}&limit=1000`), 200);
    assert.ok(ids(all).includes(mine.id) && ids(all).includes(theirs.id));
    const one = assertStatus(await publicGet(`/api/v1/sites?place_id=${far.id}`), 200);
    assert.deepEqual(ids(one), [theirs.id]);
    const everywhere = assertStatus(await publicGet('/api/v1/sites?limit=1000'), 200);
    assert.ok(ids(everywhere).includes(theirs.id));
    const page = assertStatus(await publicGet(`/api/v1/sites?place_id=${street.id}&limit=1`), 200);
    assert.equal(page.sites.length, 1);
    assert.notEqual(page.next_cursor, null);
  });

  test('an unknown site or place is 404 without a token too; a bad token is still 401', async () => {
    assertProblem(await publicGet('/api/v1/sites/987654/queue'), 404, 'unknown_site');
    assertProblem(await publicGet('/api/v1/sites?place_id=987654'), 404, 'unknown_place');
    assertProblem(await srv.api('GET', '/api/v1/sites', { token: 'nope' }), 401);
  });

  test('counting people and setting collectors need a token', async () => {
    const s = assertStatus(await site({}), 201);
    assertProblem(await srv.api('POST', `/api/v1/sites/${s.id}/queue`, { json: { lane: 'general', delta: 1 } }), 401);
    assertProblem(await srv.api('PUT', `/api/v1/sites/${s.id}/collectors`, { json: { count: 3 } }), 401);
  });
});

describe('counting the queue', () => {
  test('staff count people joining and leaving; waiting never goes below 0', async () => {
    const s = assertStatus(await site({ lanes: ['general', 'green'] }), 201);
    const recorder = r.as((await srv.newUser({ role: 'recorder', scope: C })).token);
    let q = assertStatus(await recorder.post(`/api/v1/sites/${s.id}/queue`, { lane: 'general', delta: 5 }), 200);
    assert.equal(q.lanes.find((l) => l.lane === 'general').waiting, 5);
    q = assertStatus(await recorder.post(`/api/v1/sites/${s.id}/queue`, { lane: 'general', delta: -2 }), 200);
    assert.equal(q.lanes.find((l) => l.lane === 'general').waiting, 3);
    q = assertStatus(await recorder.post(`/api/v1/sites/${s.id}/queue`, { lane: 'green', delta: -4 }), 200);
    assert.equal(q.lanes.find((l) => l.lane === 'green').waiting, 0);
    const pub = assertStatus(await publicGet(`/api/v1/sites/${s.id}/queue`), 200);
    assert.deepEqual(pub.lanes.map((l) => l.waiting), [0, 3]);
  });

  test('a lane the site does not have is 422 unknown_lane; a missing delta is missing_field', async () => {
    const s = assertStatus(await site({}), 201);
    assertProblem(await r.post(`/api/v1/sites/${s.id}/queue`, { lane: 'green', delta: 1 }), 422, 'unknown_lane');
    assertProblem(await r.post(`/api/v1/sites/${s.id}/queue`, { lane: 'express', delta: 1 }), 422, 'unknown_lane');
    assertProblem(await r.post(`/api/v1/sites/${s.id}/queue`, { lane: 'general' }), 422, 'missing_field');
    assertProblem(await r.post('/api/v1/sites/987654/queue', { lane: 'general', delta: 1 }), 404, 'unknown_site');
  });

  test('only staff at the site\'s place count: a viewer, a courier or staff of another community get 403', async () => {
    const s = assertStatus(await site({}), 201);
    for (const u of [{ role: 'viewer' }, { role: 'courier' }, { role: 'lab' }, { role: 'recorder', scope: FAR }, { role: 'community', scope: FAR }]) {
      const other = r.as((await srv.newUser(u)).token);
      assertProblem(await other.post(`/api/v1/sites/${s.id}/queue`, { lane: 'general', delta: 1 }), 403, 'forbidden', JSON.stringify(u));
      assertProblem(await other.api('PUT', `/api/v1/sites/${s.id}/collectors`, { json: { count: 1 } }), 403, 'forbidden');
    }
    const community = r.as((await srv.newUser({ role: 'community', scope: C })).token);
    assertStatus(await community.post(`/api/v1/sites/${s.id}/queue`, { lane: 'general', delta: 1 }), 200);
  });

  test('collectors on shift are set with PUT and refused outside 0–500', async () => {
    const s = assertStatus(await site({}), 201);
    const q = assertStatus(await r.api('PUT', `/api/v1/sites/${s.id}/collectors`, { json: { count: 4 } }), 200);
    assert.equal(q.collectors, 4);
    assertProblem(await r.api('PUT', `/api/v1/sites/${s.id}/collectors`, { json: { count: -1 } }), 422, 'invalid_field');
    assertProblem(await r.api('PUT', `/api/v1/sites/${s.id}/collectors`, { json: {} }), 422, 'missing_field');
  });
});

describe('the wait estimate', () => {
  test('a site\'s wait estimate follows a simulated scan rate', async () => {
    const s = assertStatus(await site({}), 201);
    const round = await r.round([world.community.id], { pool_size: 10 });
    // Before any scan: 2 collectors × 70 an hour at 10-in-1 for 70 people → 30 minutes.
    assertStatus(await r.api('PUT', `/api/v1/sites/${s.id}/collectors`, { json: { count: 2 } }), 200);
    let q = assertStatus(await r.post(`/api/v1/sites/${s.id}/queue`, { lane: 'general', delta: 70 }), 200);
    assert.equal(q.rate_source, 'collectors');
    assert.equal(q.lanes[0].estimated_wait_minutes, 30);

    // 20 scans in the last hour: 20 an hour, 70 people → 210 minutes.
    const people = world.ids.slice(0, 40);
    let tube;
    for (let i = 0; i < 20; i++) {
      if (i % 10 === 0) tube = await r.openTube(round.id, s.id);
      await r.scanOk(tube.barcode, people[i]);
    }
    q = assertStatus(await publicGet(`/api/v1/sites/${s.id}/queue`), 200);
    assert.equal(q.samples_last_hour, 20);
    assert.equal(q.rate_source, 'scans');
    assert.equal(q.lanes[0].estimated_wait_minutes, 210);

    // Twice the scans: half the wait.
    for (let i = 20; i < 40; i++) {
      if (i % 10 === 0) tube = await r.openTube(round.id, s.id);
      await r.scanOk(tube.barcode, people[i]);
    }
    q = assertStatus(await publicGet(`/api/v1/sites/${s.id}/queue`), 200);
    assert.equal(q.samples_last_hour, 40);
    assert.equal(q.lanes[0].estimated_wait_minutes, 105);

    // An hour later the scans have left the window: back to the collectors' rate.
    await setClock(T0 + 61 * 60_000);
    q = assertStatus(await publicGet(`/api/v1/sites/${s.id}/queue`), 200);
    assert.equal(q.samples_last_hour, 0);
    assert.equal(q.lanes[0].estimated_wait_minutes, 30);
  });

  test('the green lane is served first: the general lane waits for it too', async () => {
    const s = assertStatus(await site({ lanes: ['green', 'general'] }), 201);
    assertStatus(await r.api('PUT', `/api/v1/sites/${s.id}/collectors`, { json: { count: 1 } }), 200);
    await r.post(`/api/v1/sites/${s.id}/queue`, { lane: 'green', delta: 7 });
    const q = assertStatus(await r.post(`/api/v1/sites/${s.id}/queue`, { lane: 'general', delta: 28 }), 200);
    assert.deepEqual(q.lanes.map((l) => [l.lane, l.estimated_wait_minutes]), [['green', 6], ['general', 30]]);
  });

  test('with neither scans nor collectors the estimate is null', async () => {
    const s = assertStatus(await site({}), 201);
    const q = assertStatus(await r.post(`/api/v1/sites/${s.id}/queue`, { lane: 'general', delta: 3 }), 200);
    assert.equal(q.rate_source, 'none');
    assert.equal(q.lanes[0].estimated_wait_minutes, null);
  });
});

describe('planning and rates', () => {
  test('the plan states the rates and the sites and collectors needed to finish in N hours', async () => {
    const round = await r.round([world.community.id, far.id], { pool_size: 10 });
    const plan = assertStatus(await r.get(`/api/v1/rounds/${round.id}/plan?hours=0.5`), 200);
    assert.equal(plan.hours, 0.5);
    assert.equal(plan.swabs_per_collector_hour, 70);
    assert.equal(plan.rates.swabs_per_hour_at_10, 70);
    assert.equal(plan.places.length, 2);
    const mine = plan.places.find((p) => p.place_id === world.community.id);
    assert.equal(mine.residents, 60);
    assert.equal(mine.collectors_needed, 2); // 60 ÷ 35
    assert.equal(mine.sites_needed, 1);
    assert.ok(mine.sites >= 1);
    assert.equal(plan.total.residents, 61);
    const single = assertStatus(await r.get(`/api/v1/rounds/${(await r.round([world.community.id], { pool_size: 1 })).id}/plan?hours=1`), 200);
    assert.ok(single.swabs_per_collector_hour < 40, 'single tubes are slower');
    assertProblem(await r.get(`/api/v1/rounds/${round.id}/plan?hours=abc`), 422, 'invalid_field');
    assertProblem(await r.get(`/api/v1/rounds/${round.id}/plan?hours=0`), 422, 'invalid_field');
    assertProblem(await r.get('/api/v1/rounds/987654/plan'), 404, 'unknown_round');
  });

  test('an admin sets the rates; others read them; the plan follows', async () => {
    const rates = { swabs_per_hour_at_10: 60, seconds_per_tube: 60, residents_per_site: 2000, collectors_per_site: 4 };
    const viewer = r.as((await srv.newUser({ role: 'viewer' })).token);
    const community = r.as((await srv.newUser({ role: 'community', scope: C })).token);
    assertProblem(await community.api('PUT', '/api/v1/settings/sampling-rates', { json: rates }), 403, 'forbidden');
    assertProblem(await r.api('PUT', '/api/v1/settings/sampling-rates', { json: { ...rates, swabs_per_hour_at_10: 'x' } }), 422, 'invalid_field');
    assertProblem(await r.api('PUT', '/api/v1/settings/sampling-rates', { json: { ...rates, seconds_per_tube: 700 } }), 422, 'invalid_field');
    const put = assertStatus(await r.api('PUT', '/api/v1/settings/sampling-rates', { json: rates }), 200);
    assert.equal(put.updated_by, 'admin');
    const got = assertStatus(await viewer.get('/api/v1/settings/sampling-rates'), 200);
    assert.equal(got.swabs_per_hour_at_10, 60);
    const round = await r.round([world.community.id]);
    const plan = assertStatus(await r.get(`/api/v1/rounds/${round.id}/plan?hours=1`), 200);
    assert.equal(plan.swabs_per_collector_hour, 60);
    assert.equal(plan.places[0].collectors_needed, 1);
    await r.api('PUT', '/api/v1/settings/sampling-rates', { json: { ...rates, swabs_per_hour_at_10: 70, residents_per_site: 2500, collectors_per_site: 6 } });
  });
});

test('serve refuses an unknown --tz at start-up, naming the supported zones', async () => {
  const res = await runCli(['serve', '--db', `${srv.db}-tz`, '--tz', 'Mars/Olympus', '--listen', '127.0.0.1:0']);
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /unknown time zone 'Mars\/Olympus'/);
  assert.match(res.stderr, /Asia\/Shanghai/);
});
