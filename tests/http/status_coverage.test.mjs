// Status, coverage, missing lists and turnaround (docs/api.md; docs/openapi.yaml, Status, coverage, follow-up).
//
// Each test builds its own community, so that rounds of one test never touch people of another
// (a person's status follows the latest round over their places).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertProblem, assertStatus, masked, residentRow, startServer, uniqueIdNumbers, withWrongCheck,
} from './harness.mjs';
import { Rounds, assertRfc3339, isNoEndpoint, parseCsv } from './round_helpers.mjs';

const STREET = '朝阳区/八里庄街道';
let srv;
let r;
let communityCount = 0;
let labReady = null;

before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
});
after(() => srv?.dispose());

/** A fresh community with `n` residents, a round over it (pool 5 unless told) and a site. */
async function world(n, { pool_size = 5, place, tags, rows } = {}) {
  const path = `${STREET}/测试${++communityCount}社区`;
  const w = await r.community({ path, residents: n, place, tags, rows: rows?.(path) });
  const round = await r.round([w.community.id], { pool_size });
  const site = await r.site(w.community.id);
  return { ...w, path, round, site };
}

/** Whether lab results can be uploaded (POST /lab/results and the transport before it). */
async function lab(t) {
  labReady ??= (await r.labAvailable()) && (await r.transportAvailable());
  if (!labReady) t.skip('POST /api/v1/lab/results or transport is not built yet');
  return labReady;
}

describe('a person\'s status', () => {
  test('before sampling the state is not_sampled and green, for the latest round', async () => {
    const w = await world(2);
    const res = await r.status(w.ids[0]);
    const s = assertStatus(res, 200);
    const who = await r.resident(w.ids[0]);
    for (const k of ['person', 'color', 'state', 'reasons', 'latest']) assert.ok(k in s, `status lacks ${k}`);
    assert.equal(s.person.id, who.id);
    assert.equal(s.person.name, who.name);
    assert.equal(s.person.id_number_masked, masked(w.ids[0]));
    assert.equal(s.state, 'not_sampled');
    assert.equal(s.color, 'green');
    assert.ok(Array.isArray(s.reasons));
    assert.equal(s.latest.round_id, w.round.id);
    assert.equal(s.latest.tube, null);
    assert.equal(s.latest.sampled_at, null);
    assert.equal(s.latest.result, null);
    assert.ok(!res.text.includes(w.ids[0]), 'no clear ID number');
  });

  test('after sampling the state is pending, naming the tube and the time', async () => {
    const w = await world(2);
    const tube = await r.openTube(w.round.id, w.site.id);
    const sample = await r.scanOk(tube.barcode, w.ids[0]);
    const s = await r.statusOk(w.ids[0]);
    assert.equal(s.state, 'pending');
    assert.equal(s.color, 'green');
    assert.equal(s.latest.round_id, w.round.id);
    assert.equal(s.latest.tube, tube.barcode);
    assert.equal(Date.parse(s.latest.sampled_at), Date.parse(sample.sampled_at));
    assertRfc3339(s.latest.sampled_at);
    assert.equal(s.latest.result, null);
    assert.equal((await r.statusOk(w.ids[1])).state, 'not_sampled', 'the neighbour is not sampled');
  });

  test('a voided sample leaves the person not_sampled again', async () => {
    const w = await world(1);
    const tube = await r.openTube(w.round.id, w.site.id);
    const sample = await r.scanOk(tube.barcode, w.ids[0]);
    assertStatus(await r.voidSample(sample.id, '扫错'), 200);
    assert.equal((await r.statusOk(w.ids[0])).state, 'not_sampled');
  });

  test('the person may be named by ID number, resident id or personal code, with the same answer', async (t) => {
    const w = await world(1);
    await r.scanOk((await r.openTube(w.round.id, w.site.id)).barcode, w.ids[0]);
    const who = await r.resident(w.ids[0]);
    const byNumber = await r.statusOk(w.ids[0]);
    const byId = await r.statusOk(String(who.id));
    assert.deepEqual(byId, byNumber);
    const code = await r.personalCode(who.id);
    if (code === null) return t.skip('GET /residents/{id}/code is not built yet');
    assert.deepEqual(await r.statusOk(code), byNumber);
  });

  test('an unknown person is 404 unknown_person; a bad ID number 422 invalid_id_number; a bad code 422 invalid_personal_code', async () => {
    assertProblem(await r.status(uniqueIdNumbers(1, { region: '110101' })[0]), 404, 'unknown_person');
    assertProblem(await r.status(withWrongCheck(uniqueIdNumbers(1)[0])), 422, 'invalid_id_number');
    assertProblem(await r.status('hello'), 422, 'invalid_personal_code');
  });

  test('staff status needs a token: 401', async () => {
    const w = await world(1);
    assertProblem(await srv.api('GET', `/api/v1/people/${w.ids[0]}/status`), 401);
  });

  test('a recorder and a viewer may read a status; a courier and a lab may not (403)', async () => {
    const w = await world(1);
    for (const role of ['recorder', 'viewer']) {
      const u = r.as((await srv.newUser({ role })).token);
      assert.equal((await u.statusOk(w.ids[0])).state, 'not_sampled', role);
    }
    for (const role of ['courier', 'lab']) {
      const u = r.as((await srv.newUser({ role })).token);
      assertProblem(await u.status(w.ids[0]), 403, undefined, role);
    }
  });

  test('a user scoped to one community may not read the status of a person of another (403)', async () => {
    const mine = await world(1);
    const theirs = await world(1);
    for (const role of ['recorder', 'community', 'viewer']) {
      const u = r.as((await srv.newUser({ role, scope: mine.path })).token);
      assert.equal((await u.statusOk(mine.ids[0])).state, 'not_sampled', role);
      assertProblem(await u.status(theirs.ids[0]), 403, undefined, role);
    }
  });

  test('without a token, GET /status?code= answers the status of the code\'s person', async (t) => {
    const w = await world(1);
    await r.scanOk((await r.openTube(w.round.id, w.site.id)).barcode, w.ids[0]);
    const who = await r.resident(w.ids[0]);
    const code = await r.personalCode(who.id);
    if (code === null) return t.skip('GET /residents/{id}/code is not built yet');
    const res = await srv.api('GET', `/api/v1/status?code=${encodeURIComponent(code)}`);
    const s = assertStatus(res, 200);
    assert.equal(s.person.id, who.id);
    assert.equal(s.state, 'pending');
    assert.equal(s.latest.round_id, w.round.id);
    assert.ok(!res.text.includes(w.ids[0]));
  });

  test('GET /status without a token refuses a bad code (422 invalid_personal_code) and an ID number', async (t) => {
    const w = await world(1);
    const who = await r.resident(w.ids[0]);
    if ((await r.personalCode(who.id)) === null) return t.skip('GET /residents/{id}/code is not built yet');
    assertProblem(await srv.api('GET', '/api/v1/status?code=hello'), 422, 'invalid_personal_code');
    // An ID number is not a personal code: the public endpoint does not look people up by number.
    const byNumber = await srv.api('GET', `/api/v1/status?code=${w.ids[0]}`);
    assert.ok(byNumber.status >= 400, `a status by ID number without a token must be refused, got ${byNumber.status}`);
  });

  test('a negative tube makes its members negative and green', async (t) => {
    if (!(await lab(t))) return;
    const w = await world(3);
    const { tube } = await r.filledTube(w.round.id, w.site.id, w.ids.slice(0, 2));
    assertStatus(await r.seal(tube.barcode), 200);
    await r.shipAndResult([tube.barcode], { [tube.barcode]: 'negative' });
    for (const id of w.ids.slice(0, 2)) {
      const s = await r.statusOk(id);
      assert.equal(s.state, 'negative');
      assert.equal(s.color, 'green');
      assert.equal(s.latest.result, 'negative');
      assert.equal(s.latest.tube, tube.barcode);
    }
    assert.equal((await r.statusOk(w.ids[2])).state, 'not_sampled');
  });

  test('a positive pool makes every member pool_positive and yellow, with the reason', async (t) => {
    if (!(await lab(t))) return;
    const w = await world(5);
    const { tube } = await r.filledTube(w.round.id, w.site.id, w.ids);
    assert.equal(tube.status, 'sealed');
    await r.shipAndResult([tube.barcode], { [tube.barcode]: 'positive' });
    for (const id of w.ids) {
      const s = await r.statusOk(id);
      assert.equal(s.state, 'pool_positive', id);
      assert.equal(s.color, 'yellow');
      assert.equal(s.latest.result, 'positive');
      assert.ok(s.reasons.some((x) => x.code === 'pool_positive'), JSON.stringify(s.reasons));
      for (const x of s.reasons) assert.equal(typeof x.detail, 'string');
    }
  });

  test('a positive single tube (pool size 1) makes its person positive and red', async (t) => {
    if (!(await lab(t))) return;
    const w = await world(1, { pool_size: 1 });
    const { tube } = await r.filledTube(w.round.id, w.site.id, w.ids);
    await r.shipAndResult([tube.barcode], { [tube.barcode]: 'positive' });
    const s = await r.statusOk(w.ids[0]);
    assert.equal(s.state, 'positive');
    assert.equal(s.color, 'red');
    assert.ok(s.reasons.some((x) => x.code === 'positive'), JSON.stringify(s.reasons));
  });

  test('someone who missed a closed round carries missed_round, cleared by a sample in the next round', async () => {
    const w = await world(2);
    await r.scanOk((await r.openTube(w.round.id, w.site.id)).barcode, w.ids[0]);
    await r.closeRound(w.round.id);
    const missed = await r.statusOk(w.ids[1]);
    assert.ok(missed.reasons.some((x) => x.code === 'missed_round'), JSON.stringify(missed.reasons));
    assert.ok(!(await r.statusOk(w.ids[0])).reasons.some((x) => x.code === 'missed_round'), 'the one sampled did not miss it');
    const next = await r.round([w.community.id], { pool_size: 5 });
    await r.scanOk((await r.openTube(next.id, w.site.id)).barcode, w.ids[1]);
    const after = await r.statusOk(w.ids[1]);
    assert.equal(after.state, 'pending');
    assert.equal(after.latest.round_id, next.id);
    assert.ok(!after.reasons.some((x) => x.code === 'missed_round'), JSON.stringify(after.reasons));
  });

  test('an invalid tube makes its members resample_required and yellow', async (t) => {
    if (!(await lab(t))) return;
    const w = await world(2);
    const { tube } = await r.filledTube(w.round.id, w.site.id, w.ids);
    assertStatus(await r.seal(tube.barcode), 200);
    await r.shipAndResult([tube.barcode], { [tube.barcode]: 'invalid' });
    const s = await r.statusOk(w.ids[0]);
    assert.equal(s.state, 'resample_required');
    assert.equal(s.color, 'yellow');
    assert.equal(s.latest.result, 'invalid');
    assert.ok(s.reasons.some((x) => x.code === 'resample_required'), JSON.stringify(s.reasons));
  });
});

describe('coverage', () => {
  test('coverage counts expected and sampled people of a place and of each child', async () => {
    const w = await world(0, {
      rows: (path) => {
        const ids = uniqueIdNumbers(6);
        return [
          residentRow(ids[0], '一号楼甲', `${path}/1号楼/1单元/101`),
          residentRow(ids[1], '一号楼乙', `${path}/1号楼/1单元/102`),
          residentRow(ids[2], '一号楼丙', `${path}/1号楼/2单元/201`),
          residentRow(ids[3], '二号楼甲', `${path}/2号楼/1单元/101`),
          residentRow(ids[4], '二号楼乙', `${path}/2号楼/1单元/102`),
          residentRow(ids[5], '社区直属', path),
        ];
      },
    });
    const b1 = await r.place(`${w.path}/1号楼`);
    const b2 = await r.place(`${w.path}/2号楼`);
    const empty = await r.coverage(w.round.id, w.community.id);
    assert.deepEqual(
      { place_id: empty.place_id, expected: empty.expected, sampled: empty.sampled, resulted: empty.resulted, positive: empty.positive },
      { place_id: w.community.id, expected: 6, sampled: 0, resulted: 0, positive: 0 });

    const tube = await r.openTube(w.round.id, w.site.id);
    for (const i of [0, 1, 3]) await r.scanOk(tube.barcode, w.ids[i]);
    const cov = await r.coverage(w.round.id, w.community.id);
    assert.equal(cov.expected, 6);
    assert.equal(cov.sampled, 3);
    assert.equal(cov.resulted, 0);
    assert.equal(cov.positive, 0);
    const kids = Object.fromEntries(cov.children.map((c) => [c.place_id, c]));
    assert.deepEqual(kids[b1.id], { place_id: b1.id, name: '1号楼', expected: 3, sampled: 2, resulted: 0, positive: 0 });
    assert.deepEqual(kids[b2.id], { place_id: b2.id, name: '2号楼', expected: 2, sampled: 1, resulted: 0, positive: 0 });
    const sum = cov.children.reduce((a, c) => a + c.expected, 0);
    assert.ok(sum <= cov.expected, 'the children never count more than the place');

    // One level down: the units of building 1.
    const inB1 = await r.coverage(w.round.id, b1.id);
    assert.equal(inB1.place_id, b1.id);
    assert.equal(inB1.expected, 3);
    assert.equal(inB1.sampled, 2);
    const units = Object.fromEntries(inB1.children.map((c) => [c.name, c]));
    assert.equal(units['1单元'].expected, 2);
    assert.equal(units['1单元'].sampled, 2);
    assert.equal(units['2单元'].expected, 1);
    assert.equal(units['2单元'].sampled, 0);
  });

  test('without place_id the coverage is of the round\'s place', async () => {
    const w = await world(3);
    await r.scanOk((await r.openTube(w.round.id, w.site.id)).barcode, w.ids[0]);
    const implicit = assertStatus(await r.get(`/api/v1/rounds/${w.round.id}/coverage`), 200);
    assert.deepEqual(implicit, await r.coverage(w.round.id, w.community.id));
  });

  test('a resident who moves in after the round starts is expected; one who moves out is not', async () => {
    const w = await world(3);
    assert.equal((await r.coverage(w.round.id, w.community.id)).expected, 3);
    const [newcomer] = uniqueIdNumbers(1);
    await srv.importOk(r.token, [residentRow(newcomer, '新搬来', `${w.path}/1号楼/1单元`)]);
    assert.equal((await r.coverage(w.round.id, w.community.id)).expected, 4);
    await srv.importOk(r.token, [residentRow(w.ids[0], '搬走了', `${STREET}/别处社区`)]);
    assert.equal((await r.coverage(w.round.id, w.community.id)).expected, 3);
  });

  test('a walk-in counts as expected and sampled where registered', async () => {
    const w = await world(2);
    const before = await r.coverage(w.round.id, w.community.id);
    const tube = await r.openTube(w.round.id, w.site.id);
    await r.scanOk(tube.barcode, uniqueIdNumbers(1, { region: '110101' })[0], { name: '路人' });
    const cov = await r.coverage(w.round.id, w.community.id);
    assert.equal(cov.expected, before.expected + 1);
    assert.equal(cov.sampled, before.sampled + 1);
  });

  test('a voided sample is no longer counted; a repeat sample is counted once', async () => {
    const w = await world(3);
    const tube = await r.openTube(w.round.id, w.site.id);
    const a = await r.scanOk(tube.barcode, w.ids[0]);
    await r.scanOk(tube.barcode, w.ids[1]);
    const other = await r.openTube(w.round.id, w.site.id);
    await r.scanOk(other.barcode, w.ids[1], { allow_repeat: true, reason: '重采' });
    assert.equal((await r.coverage(w.round.id, w.community.id)).sampled, 2);
    assertStatus(await r.voidSample(a.id, '作废'), 200);
    assert.equal((await r.coverage(w.round.id, w.community.id)).sampled, 1);
  });

  test('a round over two communities sums them', async () => {
    const a = await world(3);
    const b = await world(4);
    const both = await r.round([a.community.id, b.community.id], { pool_size: 10 });
    const tube = await r.openTube(both.id, a.site.id);
    await r.scanOk(tube.barcode, a.ids[0]);
    await r.scanOk(tube.barcode, b.ids[0]);
    const street = await r.place(STREET);
    const covA = await r.coverage(both.id, a.community.id);
    assert.equal(covA.expected, 3);
    assert.equal(covA.sampled, 1);
    const covB = await r.coverage(both.id, b.community.id);
    assert.equal(covB.expected, 4);
    assert.equal(covB.sampled, 1);
    const covStreet = await r.coverage(both.id, street.id);
    assert.equal(covStreet.expected, 7, 'the street holds only the round\'s two communities as expected');
    assert.equal(covStreet.sampled, 2);
    const kids = Object.fromEntries(covStreet.children.map((c) => [c.place_id, c]));
    assert.equal(kids[a.community.id]?.expected, 3);
    assert.equal(kids[b.community.id]?.expected, 4);
  });

  test('coverage, missing and turnaround are not for recorders, couriers and labs (403)', async () => {
    const w = await world(1);
    for (const role of ['recorder', 'courier', 'lab']) {
      const u = r.as((await srv.newUser({ role })).token);
      assertProblem(await u.get(`/api/v1/rounds/${w.round.id}/coverage?place_id=${w.community.id}`), 403, undefined, role);
      assertProblem(await u.get(`/api/v1/rounds/${w.round.id}/missing?place_id=${w.community.id}`), 403, undefined, role);
      assertProblem(await u.get(`/api/v1/rounds/${w.round.id}/turnaround`), 403, undefined, role);
    }
  });

  test('a community user or viewer reads coverage and missing of its own places only (403 elsewhere)', async () => {
    const mine = await world(2);
    const theirs = await world(2);
    const both = await r.round([mine.community.id, theirs.community.id]);
    for (const role of ['community', 'viewer']) {
      const u = r.as((await srv.newUser({ role, scope: mine.path })).token);
      assert.equal((await u.coverage(both.id, mine.community.id)).expected, 2, role);
      assertStatus(await u.get(`/api/v1/rounds/${both.id}/missing?place_id=${mine.community.id}`), 200, role);
      assertProblem(await u.get(`/api/v1/rounds/${both.id}/coverage?place_id=${theirs.community.id}`), 403, undefined, role);
      assertProblem(await u.get(`/api/v1/rounds/${both.id}/missing?place_id=${theirs.community.id}`), 403, undefined, role);
    }
  });

  test('a community user may not read the turnaround of a round over another community: 403', async () => {
    const mine = await world(1);
    const theirs = await world(1);
    const tube = await r.openTube(theirs.round.id, theirs.site.id);
    await r.scanOk(tube.barcode, theirs.ids[0]);
    const u = r.as((await srv.newUser({ role: 'community', scope: mine.path })).token);
    assertStatus(await u.get(`/api/v1/rounds/${mine.round.id}/turnaround`), 200);
    const res = await u.get(`/api/v1/rounds/${theirs.round.id}/turnaround?limit_hours=0`);
    assert.ok(!res.text.includes(tube.barcode), 'the tubes of another community are not shown');
    assertProblem(res, 403);
  });

  test('coverage of an unknown round is 404 unknown_round, of an unknown place 404 unknown_place', async () => {
    const w = await world(1);
    assertProblem(await r.get(`/api/v1/rounds/987654/coverage?place_id=${w.community.id}`), 404, 'unknown_round');
    assertProblem(await r.get(`/api/v1/rounds/${w.round.id}/coverage?place_id=987654`), 404, 'unknown_place');
    assertProblem(await srv.api('GET', `/api/v1/rounds/${w.round.id}/coverage?place_id=${w.community.id}`), 401);
  });

  test('resulted and positive count the people of resulted and positive tubes', async (t) => {
    if (!(await lab(t))) return;
    const w = await world(12, { place: (i) => `${i < 6 ? 1 : 2}号楼/1单元` });
    const neg = await r.filledTube(w.round.id, w.site.id, w.ids.slice(0, 5));
    const pos = await r.filledTube(w.round.id, w.site.id, w.ids.slice(6, 11));
    const pending = await r.openTube(w.round.id, w.site.id);
    await r.scanOk(pending.barcode, w.ids[5]);
    await r.shipAndResult([neg.tube.barcode, pos.tube.barcode], { [pos.tube.barcode]: 'positive' });
    const cov = await r.coverage(w.round.id, w.community.id);
    assert.equal(cov.expected, 12);
    assert.equal(cov.sampled, 11);
    assert.equal(cov.resulted, 10);
    assert.equal(cov.positive, 5);
    const b1 = await r.place(`${w.path}/1号楼`);
    const b2 = await r.place(`${w.path}/2号楼`);
    const kids = Object.fromEntries(cov.children.map((c) => [c.place_id, c]));
    assert.deepEqual(kids[b1.id], { place_id: b1.id, name: '1号楼', expected: 6, sampled: 6, resulted: 5, positive: 0 });
    assert.deepEqual(kids[b2.id], { place_id: b2.id, name: '2号楼', expected: 6, sampled: 5, resulted: 5, positive: 5 });
  });
});

describe('the missing list', () => {
  // Addresses chosen so that a plain string sort would put 10号楼 before 2号楼.
  async function missingWorld() {
    const ids = uniqueIdNumbers(10);
    const w = await world(0, {
      rows: (path) => [
        residentRow(ids[0], '十号楼老人', `${path}/10号楼/1单元/101`, { tags: 'elderly', phone: '13800000000' }),
        residentRow(ids[1], '二号楼老人', `${path}/2号楼/1单元/101`, { tags: 'elderly' }),
        residentRow(ids[2], '十号楼卧床', `${path}/10号楼/2单元/301`, { tags: 'bedridden' }),
        residentRow(ids[3], '二号楼卧床老人', `${path}/2号楼/1单元/1001`, { tags: 'elderly;bedridden' }),
        residentRow(ids[4], '一号楼青年', `${path}/1号楼/1单元/101`, { tags: 'worker' }),
        residentRow(ids[5], '十号楼学生', `${path}/10号楼/1单元/201`, { tags: 'student' }),
        residentRow(ids[6], '二号楼九室', `${path}/2号楼/1单元/901`),
        residentRow(ids[7], '二号楼十室', `${path}/2号楼/1单元/1001`),
        residentRow(ids[8], '已采样老人', `${path}/1号楼/1单元/102`, { tags: 'elderly' }),
        residentRow(ids[9], '已采样', `${path}/3号楼/1单元/101`),
      ],
    });
    const tube = await r.openTube(w.round.id, w.site.id);
    await r.scanOk(tube.barcode, ids[8]);
    await r.scanOk(tube.barcode, ids[9]);
    return { ...w, ids };
  }
  const ORDER = ['二号楼卧床老人', '十号楼卧床', '二号楼老人', '十号楼老人', '一号楼青年', '二号楼九室', '二号楼十室', '十号楼学生'];

  test('the missing people come bedridden first, then elderly, then the rest, each by address', async () => {
    const w = await missingWorld();
    const res = await r.get(`/api/v1/rounds/${w.round.id}/missing?place_id=${w.community.id}`);
    const body = assertStatus(res, 200);
    assert.deepEqual(body.people.map((p) => p.name), ORDER);
    assert.equal(body.total, 8);
    assert.equal(body.next_cursor, null);
    const first = body.people[0];
    for (const k of ['id', 'name', 'id_number_masked', 'phone', 'address', 'tags']) assert.ok(k in first, `missing person lacks ${k}`);
    assert.equal(first.id_number_masked, masked(w.ids[3]));
    assert.deepEqual([...first.tags].sort(), ['bedridden', 'elderly']);
    assert.ok(first.address.includes('2号楼') && first.address.includes('1001'), first.address);
    const oldTen = body.people.find((p) => p.name === '十号楼老人');
    assert.equal(oldTen.phone, '13800000000');
    for (const id of w.ids) assert.ok(!res.text.includes(id), 'no clear ID number in the list');
  });

  test('the missing list pages with limit and cursor, and total counts every page', async () => {
    const w = await missingWorld();
    const all = await r.missingAll(w.round.id, w.community.id, { limit: 3 });
    assert.equal(all.pages, 3);
    assert.equal(all.total, 8);
    assert.deepEqual(all.people.map((p) => p.name), ORDER);
    const one = assertStatus(await r.get(`/api/v1/rounds/${w.round.id}/missing?place_id=${w.community.id}&limit=3`), 200);
    assert.equal(one.people.length, 3);
    assert.equal(one.total, 8);
    assert.equal(typeof one.next_cursor, 'string');
  });

  test('the missing list of a building holds that building only', async () => {
    const w = await missingWorld();
    const b10 = await r.place(`${w.path}/10号楼`);
    const body = assertStatus(await r.get(`/api/v1/rounds/${w.round.id}/missing?place_id=${b10.id}`), 200);
    assert.deepEqual(body.people.map((p) => p.name), ['十号楼卧床', '十号楼老人', '十号楼学生']);
    assert.equal(body.total, 3);
  });

  test('someone sampled leaves the missing list; a voided sample brings them back', async () => {
    const w = await world(2);
    const before = await r.missingAll(w.round.id, w.community.id);
    assert.equal(before.total, 2);
    const s = await r.scanOk((await r.openTube(w.round.id, w.site.id)).barcode, w.ids[0]);
    assert.equal((await r.missingAll(w.round.id, w.community.id)).total, 1);
    assertStatus(await r.voidSample(s.id, '作废'), 200);
    assert.equal((await r.missingAll(w.round.id, w.community.id)).total, 2);
  });

  test('Accept: text/csv answers the same list as CSV with the header id,name,id_number_masked,phone,address,tags', async () => {
    const w = await missingWorld();
    const json = assertStatus(await r.get(`/api/v1/rounds/${w.round.id}/missing?place_id=${w.community.id}`), 200);
    const res = await r.get(`/api/v1/rounds/${w.round.id}/missing?place_id=${w.community.id}`, { headers: { accept: 'text/csv' } });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const rows = parseCsv(res.text);
    assert.deepEqual(rows[0], ['id', 'name', 'id_number_masked', 'phone', 'address', 'tags']);
    const data = rows.slice(1);
    assert.equal(data.length, 8, 'every missing person, not one page');
    assert.deepEqual(data.map((x) => x[1]), ORDER);
    data.forEach((row, i) => {
      const p = json.people[i];
      assert.equal(row[0], String(p.id));
      assert.equal(row[2], p.id_number_masked);
      assert.equal(row[3], p.phone ?? '');
      assert.equal(row[4], p.address);
      assert.deepEqual(row[5] ? row[5].split(';').sort() : [], [...p.tags].sort());
    });
    for (const id of w.ids) assert.ok(!res.text.includes(id), 'no clear ID number in the CSV');
  });

  test('?format=xlsx answers an Excel workbook', async () => {
    const w = await missingWorld();
    const res = await r.getBytes(`/api/v1/rounds/${w.round.id}/missing?place_id=${w.community.id}&format=xlsx`);
    assert.equal(res.status, 200, res.bytes.toString('utf8').slice(0, 300));
    assert.match(res.headers.get('content-type') ?? '', /spreadsheetml|officedocument|xlsx|octet-stream/);
    assert.ok(res.bytes.length > 100);
    assert.deepEqual([...res.bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a ZIP container (PK\\3\\4)');
    assert.ok(res.bytes.includes(Buffer.from('xl/')), 'holds the xl/ parts of a workbook');
  });

  test('the missing list refuses a malformed limit or cursor with 422 invalid_field, as other lists do', async () => {
    const w = await world(1);
    assertProblem(await r.get(`/api/v1/rounds/${w.round.id}/missing?place_id=${w.community.id}&limit=abc`), 422, 'invalid_field');
    assertProblem(await r.get(`/api/v1/rounds/${w.round.id}/missing?place_id=${w.community.id}&cursor=abc`), 422, 'invalid_field');
  });

  test('the missing list of an unknown round is 404 unknown_round', async () => {
    const w = await world(1);
    assertProblem(await r.get(`/api/v1/rounds/987654/missing?place_id=${w.community.id}`), 404, 'unknown_round');
    assertProblem(await r.get(`/api/v1/rounds/${w.round.id}/missing?place_id=987654`), 404, 'unknown_place');
  });
});

describe('turnaround', () => {
  function assertTurnaroundShape(t, roundId) {
    for (const k of ['round_id', 'tubes', 'resulted', 'median_hours', 'p95_hours', 'legs', 'limit_hours', 'overdue'])
      assert.ok(k in t, `turnaround lacks ${k}`);
    assert.equal(t.round_id, roundId);
    assert.equal(typeof t.tubes, 'number');
    assert.equal(typeof t.resulted, 'number');
    assert.equal(typeof t.legs, 'object');
    assert.ok(Array.isArray(t.overdue));
    for (const o of t.overdue) {
      for (const k of ['barcode', 'status', 'first_sample_at', 'hours']) assert.ok(k in o, `overdue entry lacks ${k}`);
      assertRfc3339(o.first_sample_at);
      assert.equal(typeof o.hours, 'number');
    }
  }

  test('a round answers its tubes, resulted, median and p95 hours, legs, limit and overdue', async () => {
    const w = await world(4);
    const tube = await r.openTube(w.round.id, w.site.id);
    await r.scanOk(tube.barcode, w.ids[0]);
    const t = assertStatus(await r.get(`/api/v1/rounds/${w.round.id}/turnaround`), 200);
    assertTurnaroundShape(t, w.round.id);
    assert.equal(t.tubes, 1);
    assert.equal(t.resulted, 0);
    assert.equal(t.median_hours, null);
    assert.equal(t.p95_hours, null);
    assert.equal(t.limit_hours, 12, 'the default limit is 12 h');
    assert.deepEqual(t.overdue, [], 'a tube sampled a moment ago is not overdue');
  });

  test('limit_hours=0 lists every unresulted tube as overdue', async () => {
    const w = await world(4);
    const a = await r.openTube(w.round.id, w.site.id);
    const s = await r.scanOk(a.barcode, w.ids[0]);
    const b = await r.openTube(w.round.id, w.site.id);
    await r.scanOk(b.barcode, w.ids[1]);
    assertStatus(await r.seal(b.barcode), 200);
    await new Promise((res) => setTimeout(res, 20));
    const t = assertStatus(await r.get(`/api/v1/rounds/${w.round.id}/turnaround?limit_hours=0`), 200);
    assertTurnaroundShape(t, w.round.id);
    assert.equal(t.limit_hours, 0);
    const byBarcode = Object.fromEntries(t.overdue.map((o) => [o.barcode, o]));
    assert.ok(byBarcode[a.barcode] && byBarcode[b.barcode], JSON.stringify(t.overdue));
    assert.equal(byBarcode[a.barcode].status, 'open');
    assert.equal(byBarcode[b.barcode].status, 'sealed');
    assert.equal(Date.parse(byBarcode[a.barcode].first_sample_at), Date.parse(s.sampled_at));
    assert.ok(byBarcode[a.barcode].hours >= 0);
  });

  test('a limit that is not a number is 422 invalid_field; an unknown round 404 unknown_round', async () => {
    const w = await world(1);
    assertProblem(await r.get(`/api/v1/rounds/${w.round.id}/turnaround?limit_hours=abc`), 422, 'invalid_field');
    assertProblem(await r.get('/api/v1/rounds/987654/turnaround'), 404, 'unknown_round');
  });

  test('a negative limit is refused as invalid_field', async () => {
    const w = await world(1);
    assertProblem(await r.get(`/api/v1/rounds/${w.round.id}/turnaround?limit_hours=-1`), 422, 'invalid_field');
  });

  test('after results, resulted equals the tubes and median and p95 hours are numbers', async (t) => {
    if (!(await lab(t))) return;
    const w = await world(10);
    const a = await r.filledTube(w.round.id, w.site.id, w.ids.slice(0, 5));
    const b = await r.filledTube(w.round.id, w.site.id, w.ids.slice(5, 10));
    await r.shipAndResult([a.tube.barcode, b.tube.barcode]);
    const ta = assertStatus(await r.get(`/api/v1/rounds/${w.round.id}/turnaround?limit_hours=0`), 200);
    assertTurnaroundShape(ta, w.round.id);
    assert.equal(ta.tubes, 2);
    assert.equal(ta.resulted, 2);
    assert.equal(typeof ta.median_hours, 'number');
    assert.equal(typeof ta.p95_hours, 'number');
    assert.ok(ta.median_hours >= 0 && ta.median_hours < 1, `median ${ta.median_hours} h`);
    assert.ok(ta.p95_hours >= ta.median_hours);
    for (const leg of ['sample_to_seal_hours', 'seal_to_dispatch_hours', 'dispatch_to_receipt_hours', 'receipt_to_result_hours']) {
      assert.equal(typeof ta.legs[leg], 'number', `leg ${leg}`);
      assert.ok(ta.legs[leg] >= 0);
    }
    assert.deepEqual(ta.overdue, [], 'a resulted tube is never overdue');
    const tube = await r.tubeOk(a.tube.barcode);
    assert.equal(tube.status, 'resulted');
    assert.equal(tube.result, 'negative');
    for (const k of ['first_sample_at', 'sealed_at', 'boxed_at', 'dispatched_at', 'received_at', 'resulted_at']) assertRfc3339(tube[k], k);
  });
});

test('coverage, missing, turnaround and status are all served (no endpoint is missing)', async () => {
  const w = await world(1);
  for (const p of [`/api/v1/rounds/${w.round.id}/coverage`, `/api/v1/rounds/${w.round.id}/missing?place_id=${w.community.id}`,
    `/api/v1/rounds/${w.round.id}/turnaround`, `/api/v1/people/${w.ids[0]}/status`]) {
    assert.ok(!isNoEndpoint(await r.get(p)), p);
  }
});
