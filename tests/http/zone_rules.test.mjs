// Zone rules (docs/outbreak.md, "Zones and the policy"; the follow-up tag of docs/openapi.yaml): the zone
// policy stored and changed by an admin, and a sealed zone lifted by its rule after days played
// on a settable clock (`serve --settable-clock`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, residentRow, startServer, uniqueIdNumbers } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const C = '东城区/景山街道/黄化门社区';
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

let srv;
let r; // as the admin
let community;
let site;
// A and N share 1号楼/1单元; M lives in 1号楼/2单元; P and Q in 2号楼.
const [A, N, M, P, Q] = uniqueIdNumbers(5);

before(async () => {
  // The server's own once-a-minute evaluation is off, so each change here is the test's.
  srv = await startServer({ args: ['--settable-clock', '--evaluate-zones-every', '0'] });
  r = new Rounds(srv, await srv.adminToken());
  ({ community } = await r.community({
    path: C,
    rows: [
      residentRow(A, '甲', `${C}/1号楼/1单元/101`),
      residentRow(N, '乙', `${C}/1号楼/1单元/102`),
      residentRow(M, '丙', `${C}/1号楼/2单元/201`),
      residentRow(P, '丁', `${C}/2号楼/1单元/101`),
      residentRow(Q, '戊', `${C}/2号楼/1单元/102`),
    ],
  }));
  site = await r.site(community.id, { name: '黄化门采样点' });
});
after(() => srv?.dispose());

/** Moves the server's clock to `ms` (epoch milliseconds) and logs in again: a jump of days
 *  outlives the session. */
async function setClock(ms) {
  const res = await r.api('PUT', '/api/v1/clock', { json: { now: new Date(ms).toISOString() } });
  const body = assertStatus(res, 200, 'set the clock');
  assert.ok(Date.parse(body.now) >= ms);
  srv._adminToken = null;
  r.token = await srv.adminToken();
}

async function statusOf(idNumber) {
  return r.statusOk((await r.resident(idNumber)).id);
}

const codes = (s) => s.reasons.map((x) => x.code);

async function activeZones(placeId) {
  return assertStatus(await r.get(`/api/v1/zones?active=true&place_id=${placeId}`), 200).zones;
}

/** One person's sample in a single tube of `roundId`, resulted `result`. */
async function singleTube(roundId, person, result) {
  const { tube } = await r.filledTube(roundId, site.id, [person], { capacity: 1 });
  await r.shipAndResult([tube.barcode], { [tube.barcode]: result });
  return tube;
}

describe('a sealed zone lifted by its rule after simulated days', () => {
  test('positive retest, seven quiet days and a negative round, step down, three more days', async () => {
    const unit = await r.place(`${C}/1号楼/1单元`);
    const building = await r.place(`${C}/1号楼`);

    // A's pool is positive, then A's retest: A red, the unit sealed, the building controlled.
    const round = await r.round([community.id], { pool_size: 5 });
    const { tube: pool } = await r.filledTube(round.id, site.id, [A], { capacity: 5 });
    assertStatus(await r.seal(pool.barcode), 200);
    await r.shipAndResult([pool.barcode], { [pool.barcode]: 'positive' });
    const incidents = assertStatus(await r.get('/api/v1/incidents?status=open'), 200).incidents;
    const poolIncident = incidents.find((i) => i.tube === pool.barcode);
    assert.ok(poolIncident, JSON.stringify(incidents));
    const retest = await r.openTube(round.id, site.id, { purpose: 'retest', incident_id: poolIncident.id, capacity: 1 });
    await r.scanOk(retest.barcode, A);
    await r.shipAndResult([retest.barcode], { [retest.barcode]: 'positive' });

    assert.equal((await statusOf(A)).color, 'red');
    const sealed = (await activeZones(unit.id)).find((z) => z.level === 'sealed');
    assert.ok(sealed, 'the unit is sealed');
    assert.equal(sealed.place_id, unit.id);
    assert.equal(sealed.stepped_down_from, null);
    assert.ok((await activeZones(building.id)).some((z) => z.level === 'controlled' && z.place_id === building.id));
    const n = await statusOf(N);
    assert.equal(n.color, 'red');
    const sealedReason = n.reasons.find((x) => x.code === 'zone_sealed');
    assert.match(sealedReason.detail, /after 7 days without a new positive and an all-negative round on day 7, then controlled for 3 days/);
    assert.ok(codes(await statusOf(M)).includes('zone_controlled'));

    // Day 7: an all-negative round over the unit, sampled and resulted.
    const start = Date.parse(sealed.started_at);
    await setClock(start + 6 * DAY + HOUR);
    const day7 = await r.round([unit.id], { pool_size: 1 });
    await singleTube(day7.id, N, 'negative');

    // After the seventh day: sealed steps down to controlled; the building's 3 days ran out.
    await setClock(start + 7 * DAY + HOUR);
    const first = assertStatus(await r.post('/api/v1/zones/evaluate', {}), 200);
    assert.ok(first.evaluated >= 3, JSON.stringify(first));
    const liftedSealed = first.changed.find((z) => z.id === sealed.id);
    assert.ok(liftedSealed?.lifted_at, JSON.stringify(first.changed));
    const stepped = first.changed.find((z) => z.stepped_down_from === 'sealed');
    assert.ok(stepped, JSON.stringify(first.changed));
    assert.equal(stepped.level, 'controlled');
    assert.equal(stepped.place_id, unit.id);
    assert.equal(stepped.incident_id, sealed.incident_id);
    assert.equal(stepped.lifted_at, null);
    assert.ok(first.changed.some((z) => z.place_id === building.id && z.lifted_at));
    assert.deepEqual((await activeZones(unit.id)).filter((z) => z.level !== 'temporary').map((z) => z.id), [stepped.id]);

    const nNow = await statusOf(N);
    assert.ok(!codes(nNow).includes('zone_sealed'), JSON.stringify(nNow.reasons));
    assert.ok(codes(nNow).includes('zone_controlled'));
    assert.ok(!codes(await statusOf(M)).some((c) => c.startsWith('zone_')));

    const incident = assertStatus(await r.get(`/api/v1/incidents/${sealed.incident_id}`), 200);
    assert.ok(incident.timeline.some((e) => e.event === 'zone_lifted' && /stepped down to controlled/.test(e.detail)));

    // Three days later the stepped-down zone lifts too.
    await setClock(start + 10 * DAY + 2 * HOUR);
    const second = assertStatus(await r.post('/api/v1/zones/evaluate', {}), 200);
    assert.deepEqual(second.changed.map((z) => z.id), [stepped.id]);
    assert.ok(second.changed[0].lifted_at);
    assert.deepEqual((await activeZones(unit.id)).filter((z) => z.level !== 'temporary'), []);
    for (const person of [N, M]) {
      const s = await statusOf(person);
      assert.ok(!codes(s).includes('zone_sealed') && !codes(s).includes('zone_controlled'), JSON.stringify(s.reasons));
    }
    // Nothing left to change.
    assert.deepEqual(assertStatus(await r.post('/api/v1/zones/evaluate', {}), 200).changed, []);
  });
});

describe('the settable clock', () => {
  test('reads and only moves forward, for an admin', async () => {
    const now = Date.parse(assertStatus(await r.get('/api/v1/clock'), 200).now);
    assertProblem(await r.api('PUT', '/api/v1/clock', { json: { now: new Date(now - DAY).toISOString() } }),
      422, 'invalid_field');
    assertProblem(await r.api('PUT', '/api/v1/clock', { json: { now: 'tomorrow' } }), 422, 'invalid_field');
    const viewer = await srv.newUser({ role: 'viewer' });
    assertProblem(await srv.api('PUT', '/api/v1/clock', { token: viewer.token, json: { now: new Date(now + DAY).toISOString() } }),
      403, 'forbidden');
  });

  test('does not exist without --settable-clock', async () => {
    const plain = await startServer();
    try {
      const token = await plain.adminToken();
      assert.equal((await plain.api('GET', '/api/v1/clock', { token })).status, 404);
      assert.equal((await plain.api('PUT', '/api/v1/clock', { token, json: { now: new Date().toISOString() } })).status, 404);
    } finally {
      await plain.dispose();
    }
  });
});

describe('the zone policy', () => {
  test('reads as the default document', async () => {
    const policy = assertStatus(await r.get('/api/v1/zone-policy'), 200);
    assert.deepEqual(policy, {
      pool_positive: { unit: 'temporary' },
      positive: { unit: 'sealed', building: 'controlled' },
      pool_size: { sealed: 1, controlled: 10, prevention: 20 },
      retest_due_hours: 24,
      lift: {
        sealed: { days_without_positive: 7, all_negative_round_on_last_day: true, then: 'controlled', then_days: 3 },
        controlled: { days_without_positive: 3, all_negative_round_on_last_day: false },
      },
    });
  });

  test('refuses a non-admin and names the JSON path of a bad value', async () => {
    const officer = await srv.newUser({ role: 'community' });
    assertProblem(await srv.api('PUT', '/api/v1/zone-policy', { token: officer.token, json: {} }), 403, 'forbidden');
    let p = assertProblem(await r.api('PUT', '/api/v1/zone-policy',
      { json: { lift: { sealed: { days_without_positive: 7, then: 'controlled', then_days: 'three' } } } }), 422, 'invalid_field');
    assert.match(p.detail, /^lift\.sealed\.then_days: /);
    p = assertProblem(await r.api('PUT', '/api/v1/zone-policy', { json: { pool_size: { sealed: 3 } } }), 422, 'invalid_field');
    assert.match(p.detail, /^pool_size\.sealed: /);
    p = assertProblem(await r.api('PUT', '/api/v1/zone-policy', { json: { positive: { unit: ['sealed'] } } }), 422, 'invalid_field');
    assert.match(p.detail, /^positive\.unit: /);
    p = assertProblem(await r.api('PUT', '/api/v1/zone-policy', { json: { retest_due_hours: 1.5 } }), 422, 'invalid_field');
    assert.match(p.detail, /^retest_due_hours: /);
    assert.equal(assertStatus(await r.get('/api/v1/zone-policy'), 200).retest_due_hours, 24);
  });

  test('a changed policy changes what the next positive pool does', async () => {
    const changed = { pool_positive: { building: 'controlled' }, retest_due_hours: 6 };
    const stored = assertStatus(await r.api('PUT', '/api/v1/zone-policy', { json: changed }), 200);
    assert.deepEqual(stored, changed);
    assert.deepEqual(assertStatus(await r.get('/api/v1/zone-policy'), 200), changed);

    const round = await r.round([community.id], { pool_size: 5 });
    const { tube } = await r.filledTube(round.id, site.id, [P, Q], { capacity: 5 });
    assertStatus(await r.seal(tube.barcode), 200);
    await r.shipAndResult([tube.barcode], { [tube.barcode]: 'positive' });
    const incidents = assertStatus(await r.get('/api/v1/incidents?status=open'), 200).incidents;
    const opened = incidents.find((i) => i.tube === tube.barcode);
    assert.ok(opened, JSON.stringify(incidents));
    const building = await r.place(`${C}/2号楼`);
    assert.deepEqual(opened.zones.map((z) => [z.level, z.place_id]), [['controlled', building.id]]);
    const detail = assertStatus(await r.get(`/api/v1/incidents/${opened.id}`), 200);
    for (const t of detail.tasks)
      assert.equal(Date.parse(t.due_at) - Date.parse(detail.opened_at), 6 * HOUR);
  });
});
