// Outbreak response (docs/outbreak.md; docs/openapi.yaml, follow-up): a positive pool through
// the API opens an incident with zones and retest tasks; retests close it; an antigen report's
// checklist; zones by hand.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, startServer } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const C = '东城区/东华门街道/南池子社区';

let srv;
let r; // as the admin
let community;
let round;
let site;
let pool = [];

function people(n) {
  assert.ok(pool.length >= n, 'the test ran out of residents; import more');
  return pool.splice(0, n);
}

before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
  ({ community, ids: pool } = await r.community({
    path: C, residents: 40, place: (i) => `${1 + (i % 4)}号楼/1单元/${100 + i}`,
  }));
  round = await r.round([community.id], { pool_size: 5, name: '疫情处置测试轮' });
  site = await r.site(community.id, { name: '南池子采样点' });
});
after(() => srv?.dispose());

async function residentId(idNumber) {
  return (await r.resident(idNumber)).id;
}

describe('a positive pool through the API', () => {
  test('opens an incident, yellows its members, and all-negative retests close it', async () => {
    const who = people(3);
    const { tube } = await r.filledTube(round.id, site.id, who, { capacity: 3 }); // full: sealed
    await r.shipAndResult([tube.barcode], { [tube.barcode]: 'positive' });

    const list = assertStatus(await r.get('/api/v1/incidents?status=open'), 200);
    const found = list.incidents.find((i) => i.tube === tube.barcode);
    assert.ok(found, JSON.stringify(list));
    assert.equal(found.kind, 'pool_positive');
    assert.equal(found.people.length, 3);
    assert.ok(found.zones.length >= 1);
    assert.ok(found.zones.every((z) => z.level === 'temporary' && z.lifted_at === null));

    const incident = assertStatus(await r.get(`/api/v1/incidents/${found.id}`), 200);
    assert.equal(incident.tasks.length, 3);
    assert.ok(incident.timeline.some((e) => e.event === 'opened'));
    const s = await r.statusOk(await residentId(who[0]));
    assert.equal(s.color, 'yellow');
    assert.ok(s.reasons.some((x) => x.code === 'zone_temporary'), JSON.stringify(s.reasons));

    const tasks = assertStatus(await r.get(`/api/v1/tasks?status=open&place_id=${community.id}`), 200);
    assert.ok(tasks.tasks.length >= 3);
    const assigned = assertStatus(await r.post(`/api/v1/tasks/${incident.tasks[0].id}/assign`,
      { assignee: 'team-1' }), 200);
    assert.equal(assigned.assignee, 'team-1');

    const retests = [];
    for (const person of who) {
      const t = await r.openTube(round.id, site.id, { purpose: 'retest', incident_id: found.id });
      await r.scanOk(t.barcode, person);
      retests.push(t.barcode);
    }
    await r.shipAndResult(retests, Object.fromEntries(retests.map((b) => [b, 'negative'])));
    const closed = assertStatus(await r.get(`/api/v1/incidents/${found.id}`), 200);
    assert.equal(closed.status, 'closed');
    assert.ok(closed.zones.every((z) => z.lifted_at !== null));
    assert.ok(closed.tasks.every((t) => t.status === 'done'));
    assert.equal((await r.statusOk(await residentId(who[0]))).color, 'green');
    assertProblem(await r.openTubeResponse({
      barcode: `RT${Date.now()}`, round_id: round.id, site_id: site.id, purpose: 'retest',
      capacity: 1, incident_id: found.id,
    }), 409, 'incident_closed');
  });
});

describe('an antigen report', () => {
  test('answers the incident with its checklist; all negative closes it', async () => {
    const [person] = people(1);
    const incident = assertStatus(await r.post('/api/v1/reports',
      { person, kind: 'antigen_positive' }), 201);
    assert.equal(incident.kind, 'antigen_report');
    assert.deepEqual(incident.checklist.map((c) => c.item),
      ['nasal_swab', 'throat_swab', 'blood', 'environment', 'antigen']);
    assertProblem(await r.post(`/api/v1/incidents/${incident.id}/checklist/saliva`,
      { result: 'negative' }), 422, 'invalid_field');
    let last;
    for (const c of incident.checklist) {
      last = assertStatus(await r.post(`/api/v1/incidents/${incident.id}/checklist/${c.item}`,
        { result: 'negative' }), 200);
    }
    assert.equal(last.status, 'closed');
  });

  test('for nobody registered is 404 unknown_person', async () => {
    assertProblem(await r.post('/api/v1/reports', { person: '999999', kind: 'antigen_positive' }),
      404, 'unknown_person');
  });
});

describe('zones by hand', () => {
  test('start, list, lift, and a second lift is 409 zone_lifted', async () => {
    const zone = assertStatus(await r.post('/api/v1/zones',
      { place_id: community.id, level: 'prevention', reason: 'drill' }), 201);
    assert.equal(zone.level, 'prevention');
    const active = assertStatus(await r.get(`/api/v1/zones?active=true&place_id=${community.id}`), 200);
    assert.ok(active.zones.some((z) => z.id === zone.id));
    const lifted = assertStatus(await r.post(`/api/v1/zones/${zone.id}/lift`, { reason: 'done' }), 200);
    assert.ok(lifted.lifted_at);
    assertProblem(await r.post(`/api/v1/zones/${zone.id}/lift`, { reason: 'again' }), 409, 'zone_lifted');
    assertProblem(await r.post('/api/v1/zones/987654/lift', { reason: 'x' }), 404, 'unknown_zone');
  });

  test('a manual incident is 201', async () => {
    const [person] = people(1);
    const incident = assertStatus(await r.post('/api/v1/incidents',
      { kind: 'manual', people: [person], place_ids: [], note: 'close contact' }), 201);
    assert.equal(incident.kind, 'manual');
    assert.equal(incident.note, 'close contact');
    const closed = assertStatus(await r.post(`/api/v1/incidents/${incident.id}/close`,
      { reason: 'cleared' }), 200);
    assert.equal(closed.status, 'closed');
  });
});
