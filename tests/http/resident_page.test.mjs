// The resident's page, without a token, by personal code (docs/api.md, "The resident's page";
// docs/openapi.yaml, tag resident): GET /status/history, GET /status/code.svg and an antigen
// report through POST /reports; each counts against the address's public status limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, startServer } from './harness.mjs';
import { Rounds, assertRfc3339 } from './round_helpers.mjs';

let srv;
let r;
let communities = 0;

before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
});
after(() => srv?.dispose());

/** A fresh community of `n` residents, a round over it and a site; `codes` of each resident. */
async function world(n) {
  const w = await r.community({ path: `朝阳区/居民页街道/居民页${++communities}社区`, residents: n });
  const round = await r.round([w.community.id], { pool_size: 5 });
  const site = await r.site(w.community.id);
  const who = [];
  for (const id of w.ids) who.push(await r.resident(id));
  const codes = [];
  for (const p of who) codes.push(await r.personalCode(p.id));
  return { ...w, round, site, who, codes };
}

const q = (code) => encodeURIComponent(code);

describe('GET /status/history', () => {
  test('lists the person\'s own samples, newest first, with round, time and result', async () => {
    const w = await world(2);
    const first = await r.filledTube(w.round.id, w.site.id, [w.ids[0], w.ids[1]]);
    assertStatus(await r.seal(first.tube.barcode), 200);
    await r.shipAndResult([first.tube.barcode], { [first.tube.barcode]: 'negative' });
    const second = await r.round([w.community.id], { pool_size: 5, name: '第二轮' });
    const retube = await r.openTube(second.id, w.site.id);
    await r.scanOk(retube.barcode, w.ids[0]);

    const res = await srv.api('GET', `/api/v1/status/history?code=${q(w.codes[0])}`);
    const body = assertStatus(res, 200);
    assert.equal(body.next_cursor, null);
    assert.deepEqual(body.samples.map((s) => [s.round_id, s.tube, s.result]), [
      [second.id, retube.barcode, null],
      [w.round.id, first.tube.barcode, 'negative'],
    ]);
    assert.equal(body.samples[0].round_name, '第二轮');
    for (const s of body.samples) {
      assertRfc3339(s.sampled_at, 'sampled_at');
      assert.equal(s.purpose, 'screening');
      assert.equal(s.pooled, true);
    }
    // No one else's data: the pool partner is not named, nor any ID number.
    assert.ok(!res.text.includes(w.who[1].name), 'the pool partner is not named');
    assert.ok(!res.text.includes(w.ids[0]) && !res.text.includes(w.ids[1]), 'no ID number');
    // The other member's history has only the shared tube.
    const other = assertStatus(await srv.api('GET', `/api/v1/status/history?code=${q(w.codes[1])}`), 200);
    assert.deepEqual(other.samples.map((s) => s.tube), [first.tube.barcode]);
  });

  test('pages with limit and cursor, and leaves voided samples out', async () => {
    const w = await world(1);
    const tubes = [];
    for (const name of ['甲轮', '乙轮', '丙轮']) {
      const round = await r.round([w.community.id], { pool_size: 5, name });
      const tube = await r.openTube(round.id, w.site.id);
      tubes.push({ tube, sample: await r.scanOk(tube.barcode, w.ids[0]) });
    }
    assertStatus(await r.voidSample(tubes[1].sample.id, 'wrong person'), 200);
    const one = assertStatus(await srv.api('GET', `/api/v1/status/history?code=${q(w.codes[0])}&limit=1`), 200);
    assert.deepEqual(one.samples.map((s) => s.tube), [tubes[2].tube.barcode]);
    assert.notEqual(one.next_cursor, null);
    const rest = assertStatus(await srv.api('GET',
      `/api/v1/status/history?code=${q(w.codes[0])}&limit=1&cursor=${one.next_cursor}`), 200);
    assert.deepEqual(rest.samples.map((s) => s.tube), [tubes[0].tube.barcode]);
    assert.equal(rest.next_cursor, null);
  });

  test('a wrong, replaced or missing code is a problem with a stable code', async () => {
    const w = await world(1);
    assertProblem(await srv.api('GET', '/api/v1/status/history?code=hello'), 422, 'invalid_personal_code');
    assertProblem(await srv.api('GET', `/api/v1/status/history?code=${w.ids[0]}`), 422, 'invalid_personal_code');
    assertProblem(await srv.api('GET', '/api/v1/status/history'), 422, 'missing_field');
    assertProblem(await srv.api('GET', `/api/v1/status/history?code=${q(w.codes[0])}&limit=x`), 422, 'invalid_field');
    assertStatus(await r.post(`/api/v1/residents/${w.who[0].id}/code/reissue`), 200);
    assertProblem(await srv.api('GET', `/api/v1/status/history?code=${q(w.codes[0])}`), 422, 'invalid_personal_code');
  });
});

describe('the public status', () => {
  test('names the ids along the person\'s home, for the sites near them', async () => {
    const w = await world(1);
    const s = assertStatus(await srv.api('GET', `/api/v1/status?code=${q(w.codes[0])}`), 200);
    assert.ok(Array.isArray(s.home_place_ids));
    assert.equal(s.home_place_ids.at(-1), w.who[0].place_id);
    assert.ok(s.home_place_ids.includes(w.community.id));
  });
});

describe('GET /status/code.svg', () => {
  test('draws the person\'s code as a QR image, and refuses a wrong one', async () => {
    const w = await world(1);
    const res = await srv.api('GET', `/api/v1/status/code.svg?code=${q(w.codes[0])}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^image\/svg\+xml/);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    assert.match(res.text, /<svg[\s>]/);
    assertProblem(await srv.api('GET', '/api/v1/status/code.svg?code=SW1.forged'), 422, 'invalid_personal_code');
    assertProblem(await srv.api('GET', '/api/v1/status/code.svg'), 422, 'missing_field');
  });
});

describe('POST /reports without a token', () => {
  test('opens the antigen_report incident of the code\'s person; a repeat answers the same one', async () => {
    const w = await world(1);
    const res = await srv.api('POST', '/api/v1/reports', { json: { person: w.codes[0], kind: 'antigen_positive' } });
    const incident = assertStatus(res, 201);
    assert.equal(incident.kind, 'antigen_report');
    assert.equal(incident.status, 'open');
    assert.deepEqual(incident.people.map((p) => p.id), [w.who[0].id]);
    assert.deepEqual(incident.checklist.map((c) => c.item), ['nasal_swab', 'throat_swab', 'blood', 'environment', 'antigen']);
    assert.ok(!res.text.includes(w.ids[0]), 'no clear ID number');
    // Staff see it through the API, opened by the resident.
    const seen = assertStatus(await r.get(`/api/v1/incidents/${incident.id}`), 200);
    assert.equal(seen.kind, 'antigen_report');
    assert.equal(seen.timeline[0].actor, 'resident');
    const zones = assertStatus(await r.get(`/api/v1/zones?active=true&place_id=${w.community.id}`), 200).zones;
    assert.ok(zones.some((z) => z.incident_id === incident.id && z.level === 'temporary'), 'the unit is under temporary control');
    // Sent again while it is open: the same incident, nothing new.
    const again = await srv.api('POST', '/api/v1/reports', { json: { person: w.codes[0], kind: 'antigen_positive' } });
    assert.equal(assertStatus(again, 200).id, incident.id);
    const open = assertStatus(await r.get(`/api/v1/incidents?status=open&place_id=${w.community.id}`), 200).incidents;
    assert.equal(open.filter((i) => i.kind === 'antigen_report').length, 1);
  });

  test('refuses a wrong code, an ID number, and another kind', async () => {
    const w = await world(1);
    const send = (person, kind = 'antigen_positive') => srv.api('POST', '/api/v1/reports', { json: { person, kind } });
    assertProblem(await send('SW1.forged'), 422, 'invalid_personal_code');
    assertProblem(await send(w.ids[0]), 401, 'unauthenticated');
    assertProblem(await send(w.codes[0], 'pcr_positive'), 422, 'invalid_field');
    assertProblem(await srv.api('POST', '/api/v1/reports', { json: { kind: 'antigen_positive' } }), 422, 'missing_field');
    const open = assertStatus(await r.get(`/api/v1/incidents?status=open&place_id=${w.community.id}`), 200).incidents;
    assert.equal(open.length, 0, 'nothing was opened');
  });
});

describe('the public limit per address', () => {
  let lim;
  before(async () => {
    lim = await startServer({ args: ['--status-rate', '3'] });
  });
  after(() => lim?.dispose());

  test('history, QR image and reports share --status-rate: 429 with Retry-After, other addresses go on', async () => {
    const from = '127.0.7.1';
    assertProblem(await lim.apiFrom(from, 'GET', '/api/v1/status/history?code=hello'), 422, 'invalid_personal_code');
    assertProblem(await lim.apiFrom(from, 'GET', '/api/v1/status/code.svg?code=hello'), 422, 'invalid_personal_code');
    assertProblem(await lim.apiFrom(from, 'POST', '/api/v1/reports', { json: { person: 'SW1.x', kind: 'antigen_positive' } }), 422, 'invalid_personal_code');
    for (const [method, path, json] of [
      ['GET', '/api/v1/status/history?code=hello'],
      ['GET', '/api/v1/status/code.svg?code=hello'],
      ['POST', '/api/v1/reports', { person: 'SW1.x', kind: 'antigen_positive' }],
    ]) {
      const limited = await lim.apiFrom(from, method, path, json ? { json } : {});
      assertProblem(limited, 429, 'rate_limited', path);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'Retry-After says when to come back');
    }
    assertProblem(await lim.apiFrom('127.0.7.2', 'GET', '/api/v1/status/history?code=hello'), 422, 'invalid_personal_code');
  });

  test('staff reports with a token are not limited by address', async () => {
    const admin = await lim.adminToken();
    for (let i = 0; i < 5; i++)
      assertProblem(await lim.apiFrom('127.0.7.3', 'POST', '/api/v1/reports', { token: admin, json: { person: '999999', kind: 'antigen_positive' } }), 404, 'unknown_person');
  });
});

describe('the access log', () => {
  test('keeps no personal code of the resident\'s calls', async () => {
    const logged = await startServer({ accessLog: true });
    try {
      const lr = new Rounds(logged, await logged.adminToken());
      const w = await lr.community({ path: '朝阳区/居民页街道/日志社区', residents: 1 });
      const code = await lr.personalCode((await lr.resident(w.ids[0])).id);
      await logged.api('GET', `/api/v1/status/history?code=${q(code)}`);
      await logged.api('GET', `/api/v1/status/code.svg?code=${q(code)}`);
      await logged.api('POST', '/api/v1/reports', { json: { person: code, kind: 'antigen_positive' } });
      await logged.stop();
      assert.match(logged.log, /\/api\/v1\/status\/history/, 'the access log is on');
      assert.ok(!logged.log.includes(code.slice(4, 24)), 'no part of the code is logged');
    } finally {
      await logged.dispose();
    }
  });
});
