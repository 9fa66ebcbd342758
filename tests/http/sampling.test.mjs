// Sampling (docs/api.md; docs/openapi.yaml, Sampling): opening tubes, adding samples, sealing, voiding; every error
// code, the order of checks, walk-ins, roles and scopes, idempotent replays.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertProblem, assertStatus, idNumber, masked, newKey, startServer, uniqueIdNumbers, withWrongCheck,
} from './harness.mjs';
import { Rounds, assertRfc3339, assertTubeShape, isNoEndpoint, newBarcode } from './round_helpers.mjs';

const C = '东城区/东华门街道/韶九社区';
const OTHER = '东城区/景山街道/黄化门社区';

let srv;
let r; // as the admin
let community;
let other;
let round; // pool size 5
let site;
let otherSite;
let pool = []; // ID numbers of registered residents, handed out by people()
let otherIds = [];

function people(n) {
  assert.ok(pool.length >= n, 'the test ran out of residents; import more');
  return pool.splice(0, n);
}

before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
  ({ community, ids: pool } = await r.community({
    path: C, residents: 260, place: (i) => `${1 + (i % 4)}号楼/${1 + (i % 2)}单元/${100 + i}`,
  }));
  ({ community: other, ids: otherIds } = await r.community({ path: OTHER, residents: 10 }));
  round = await r.round([community.id, other.id], { pool_size: 5, name: '采样测试轮' });
  site = await r.site(community.id, { name: '韶九社区采样点' });
  otherSite = await r.site(other.id, { name: '黄化门社区采样点' });
});
after(() => srv?.dispose());

/** A fresh valid ID number nobody is registered with. */
function unregistered() {
  return uniqueIdNumbers(1, { region: '110101' })[0];
}

async function countOf(barcode) {
  return (await r.tubeOk(barcode)).count;
}

describe('opening tubes', () => {
  test('a new tube answers 201 with the round pool size as capacity, empty, open, screening, no result', async () => {
    const barcode = newBarcode();
    const res = await r.openTubeResponse({ barcode, round_id: round.id, site_id: site.id });
    const tube = assertStatus(res, 201);
    assertTubeShape(tube);
    assert.equal(tube.barcode, barcode);
    assert.equal(tube.round_id, round.id);
    assert.equal(tube.site_id, site.id);
    assert.equal(tube.capacity, 5);
    assert.equal(tube.count, 0);
    assert.equal(tube.status, 'open');
    assert.equal(tube.result, null);
    assert.equal(tube.purpose, 'screening');
  });

  test('GET /tubes/{barcode} reads the tube back with an empty samples list', async () => {
    const tube = await r.openTube(round.id, site.id);
    const got = await r.tubeOk(tube.barcode);
    assertTubeShape(got);
    assert.deepEqual(got.samples, []);
    for (const k of ['barcode', 'round_id', 'site_id', 'capacity', 'count', 'status', 'result', 'purpose'])
      assert.deepEqual(got[k], tube[k], k);
  });

  test('an unknown barcode reads as 404 unknown_tube', async () => {
    assertProblem(await r.tube('NO-SUCH-TUBE-1'), 404, 'unknown_tube');
  });

  test('the capacity may be set per tube, from 1 to 20', async () => {
    for (const capacity of [1, 3, 10, 20]) {
      const tube = await r.openTube(round.id, site.id, { capacity });
      assert.equal(tube.capacity, capacity);
    }
  });

  test('a capacity outside 1..20 is refused as invalid_field (labs may not re-pool)', async () => {
    for (const capacity of [0, -1, 21, 30, 100]) {
      const barcode = newBarcode();
      assertProblem(await r.openTubeResponse({ barcode, round_id: round.id, site_id: site.id, capacity }),
        422, 'invalid_field', `capacity ${capacity}`);
      assertProblem(await r.tube(barcode), 404, 'unknown_tube');
    }
    for (const capacity of [2.5, '5']) {
      assertProblem(await r.openTubeResponse({ barcode: newBarcode(), round_id: round.id, site_id: site.id, capacity }),
        422, 'invalid_field', `capacity ${JSON.stringify(capacity)}`);
    }
  });

  test('barcodes of 6 and of 32 characters of A–Z a–z 0–9 - are accepted', async () => {
    const stamp = String(process.pid).slice(-4).padStart(4, '0');
    for (const barcode of [`A${stamp}z`, `${'Ab-9'.repeat(7)}${stamp}`, `abc-DEF-${stamp}`, `0000${stamp}`]) {
      assert.ok(barcode.length >= 6 && barcode.length <= 32, barcode);
      const tube = assertStatus(await r.openTubeResponse({ barcode, round_id: round.id, site_id: site.id }), 201, barcode);
      assert.equal(tube.barcode, barcode);
      assert.equal((await r.tubeOk(barcode)).barcode, barcode);
    }
  });

  test('a barcode of 5 or 33 characters, or with other characters, is refused as invalid_barcode', async () => {
    const bad = ['ABC12', 'A'.repeat(33), 'ABC_1234', 'ABC 1234', 'ABC.1234', 'ABC/1234', '条码123456', 'ABC1234\u00e9', 'ABC+1234', ' ABC1234'];
    for (const barcode of bad) {
      assertProblem(await r.openTubeResponse({ barcode, round_id: round.id, site_id: site.id }), 422, 'invalid_barcode',
        JSON.stringify(barcode));
    }
  });

  test('a tube without a barcode, round or site is refused with 422', async () => {
    assertProblem(await r.openTubeResponse({ round_id: round.id, site_id: site.id }), 422, 'missing_field');
    assertProblem(await r.openTubeResponse({ barcode: newBarcode(), site_id: site.id }), 422, 'missing_field');
    assertProblem(await r.openTubeResponse({ barcode: newBarcode(), round_id: round.id }), 422, 'missing_field');
  });

  test('a barcode is used once, ever: again in the same or another round is 409 barcode_in_use', async () => {
    const tube = await r.openTube(round.id, site.id);
    assertProblem(await r.openTubeResponse({ barcode: tube.barcode, round_id: round.id, site_id: site.id }), 409, 'barcode_in_use');
    const later = await r.round([community.id], { pool_size: 10 });
    assertProblem(await r.openTubeResponse({ barcode: tube.barcode, round_id: later.id, site_id: site.id }), 409, 'barcode_in_use');
    // The first tube is untouched.
    const got = await r.tubeOk(tube.barcode);
    assert.equal(got.round_id, round.id);
    assert.equal(got.capacity, 5);
  });

  test('an unknown round is 404 unknown_round, an unknown site 404 unknown_site', async () => {
    assertProblem(await r.openTubeResponse({ barcode: newBarcode(), round_id: 987654, site_id: site.id }), 404, 'unknown_round');
    assertProblem(await r.openTubeResponse({ barcode: newBarcode(), round_id: round.id, site_id: 987654 }), 404, 'unknown_site');
  });

  test('a closed round is 409 round_closed', async () => {
    const shut = await r.round([community.id]);
    await r.closeRound(shut.id);
    assertProblem(await r.openTubeResponse({ barcode: newBarcode(), round_id: shut.id, site_id: site.id }), 409, 'round_closed');
  });

  test('the checks run in the order docs/api.md lists them', async () => {
    const shut = await r.round([community.id]);
    const used = await r.openTube(shut.id, site.id);
    await r.closeRound(shut.id);
    // invalid_barcode before everything else
    assertProblem(await r.openTubeResponse({ barcode: 'BAD', round_id: 987654, site_id: 987654 }), 422, 'invalid_barcode');
    // barcode_in_use before unknown_round, round_closed and unknown_site
    assertProblem(await r.openTubeResponse({ barcode: used.barcode, round_id: 987654, site_id: 987654 }), 409, 'barcode_in_use');
    assertProblem(await r.openTubeResponse({ barcode: used.barcode, round_id: shut.id, site_id: 987654 }), 409, 'barcode_in_use');
    // unknown_round before unknown_site
    assertProblem(await r.openTubeResponse({ barcode: newBarcode(), round_id: 987654, site_id: 987654 }), 404, 'unknown_round');
    // round_closed before unknown_site
    assertProblem(await r.openTubeResponse({ barcode: newBarcode(), round_id: shut.id, site_id: 987654 }), 409, 'round_closed');
  });

  test('a purpose other than screening or retest is refused as invalid_field', async () => {
    assertProblem(await r.openTubeResponse({ barcode: newBarcode(), round_id: round.id, site_id: site.id, purpose: 'fun' }),
      422, 'invalid_field');
  });

  test('a retest tube without an incident_id is refused as missing_field', async () => {
    assertProblem(await r.openTubeResponse({ barcode: newBarcode(), round_id: round.id, site_id: site.id, purpose: 'retest', capacity: 1 }),
      422, 'missing_field');
  });

  test('a retest tube naming an unknown incident is 404 unknown_incident', async () => {
    assertProblem(await r.openTubeResponse({
      barcode: newBarcode(), round_id: round.id, site_id: site.id, purpose: 'retest', capacity: 1, incident_id: 987654,
    }), 404, 'unknown_incident');
  });

  test('a retest tube refuses a person outside its incident with 409 not_in_incident', async () => {
    const [member, stranger] = people(2);
    const incident = assertStatus(await r.post('/api/v1/reports', { person: member, kind: 'antigen_positive' }), 201);
    assert.equal(incident.kind, 'antigen_report');
    assert.equal(incident.status, 'open');
    const tube = await r.openTube(round.id, site.id, { purpose: 'retest', incident_id: incident.id });
    assert.equal(tube.capacity, 1, 'a retest tube holds one person');
    assertProblem(await r.scan(tube.barcode, stranger), 409, 'not_in_incident');
    const s = await r.scanOk(tube.barcode, member);
    assert.equal(s.tube.status, 'sealed', 'a single tube seals itself');
  });

  test('a retest tube skips the already_sampled check', async () => {
    const [member] = people(1);
    await r.scanOk((await r.openTube(round.id, site.id)).barcode, member);
    const incident = assertStatus(await r.post('/api/v1/reports', { person: member, kind: 'antigen_positive' }), 201);
    const retest = await r.openTube(round.id, site.id, { purpose: 'retest', incident_id: incident.id });
    const s = await r.scanOk(retest.barcode, member);
    assert.equal(s.tube.purpose, 'retest');
  });

  test('a report of another kind is refused as invalid_field', async () => {
    const [member] = people(1);
    assertProblem(await r.post('/api/v1/reports', { person: member, kind: 'cough' }), 422, 'invalid_field');
  });
});

describe('adding samples', () => {
  test('a sample answers 201 with its id, the person masked, the time and the tube', async () => {
    const tube = await r.openTube(round.id, site.id);
    const [id] = people(1);
    const who = await r.resident(id);
    const res = await r.scan(tube.barcode, id);
    const s = assertStatus(res, 201);
    assert.equal(typeof s.id, 'number');
    assert.deepEqual(s.person, { id: who.id, name: who.name, id_number_masked: masked(id) });
    assertRfc3339(s.sampled_at, 'sampled_at');
    assertTubeShape(s.tube);
    assert.equal(s.tube.barcode, tube.barcode);
    assert.equal(s.tube.count, 1);
    assert.equal(s.tube.status, 'open');
    assert.ok(!res.text.includes(id), 'the clear ID number is not in the answer');
  });

  test('GET /tubes/{barcode} lists the samples with id, person and time', async () => {
    const tube = await r.openTube(round.id, site.id);
    const ids = people(2);
    const a = await r.scanOk(tube.barcode, ids[0]);
    const b = await r.scanOk(tube.barcode, ids[1]);
    const res = await r.tube(tube.barcode);
    const got = assertStatus(res, 200);
    assert.equal(got.count, 2);
    assert.equal(got.samples.length, 2);
    const byId = Object.fromEntries(got.samples.map((s) => [s.id, s]));
    for (const s of [a, b]) {
      assert.ok(byId[s.id], `sample ${s.id} is listed`);
      assert.equal(byId[s.id].person.id, s.person.id);
      assert.equal(byId[s.id].person.id_number_masked, s.person.id_number_masked);
      assert.equal(byId[s.id].sampled_at, s.sampled_at);
    }
    assert.ok(!ids.some((id) => res.text.includes(id)), 'no clear ID number in the tube');
  });

  test('a person may be named by resident id', async () => {
    const tube = await r.openTube(round.id, site.id);
    const [id] = people(1);
    const who = await r.resident(id);
    const s = await r.scanOk(tube.barcode, String(who.id));
    assert.equal(s.person.id, who.id);
    assert.equal(s.person.id_number_masked, masked(id));
  });

  test('an ID number with a lowercase x check character names the same person', async () => {
    // Find a registered resident whose number ends in X; register one if none is left.
    let x = pool.find((id) => id.endsWith('X'));
    if (x) pool.splice(pool.indexOf(x), 1);
    else {
      for (let seq = 1; !x; seq++) {
        const c = idNumber({ region: '110101', date: '19661111', seq });
        if (c.endsWith('X')) x = c;
      }
      await r.community({ path: C, rows: [{ id_number: x, name: '小写x', district: '东城区', street: '东华门街道', community: '韶九社区' }] });
    }
    const who = await r.resident(x);
    const tube = await r.openTube(round.id, site.id);
    const s = await r.scanOk(tube.barcode, x.toLowerCase());
    assert.equal(s.person.id, who.id);
  });

  test('a person may be named by their personal code', async (t) => {
    const [id] = people(1);
    const who = await r.resident(id);
    const code = await r.personalCode(who.id);
    if (code === null) assert.fail('GET /residents/{id}/code answered 404');
    const tube = await r.openTube(round.id, site.id);
    const s = await r.scanOk(tube.barcode, code);
    assert.equal(s.person.id, who.id);
  });

  test('a personal code naming a sampled person is already_sampled like their ID number', async (t) => {
    const [id] = people(1);
    const who = await r.resident(id);
    const code = await r.personalCode(who.id);
    if (code === null) assert.fail('GET /residents/{id}/code answered 404');
    const first = await r.openTube(round.id, site.id);
    await r.scanOk(first.barcode, id);
    const second = await r.openTube(round.id, site.id);
    assertProblem(await r.scan(second.barcode, code), 409, 'already_sampled');
  });

  test('a tampered personal code is 422 invalid_personal_code', async (t) => {
    const [id] = people(1);
    const who = await r.resident(id);
    const code = await r.personalCode(who.id);
    if (code === null) assert.fail('GET /residents/{id}/code answered 404');
    const tube = await r.openTube(round.id, site.id);
    const flip = (str, i) => str.slice(0, i) + (str[i] === 'A' ? 'B' : 'A') + str.slice(i + 1);
    for (const bad of [flip(code, code.length - 3), flip(code, Math.floor(code.length / 2)), code.slice(0, -2)])
      assertProblem(await r.scan(tube.barcode, bad), 422, 'invalid_personal_code', 'a tampered code');
    assertProblem(await r.scan('NO-SUCH-TUBE-5', flip(code, code.length - 3)), 404, 'unknown_tube', 'unknown_tube first');
    assert.equal(await countOf(tube.barcode), 0);
  });

  test('a personal code replaced by a reissue no longer names anyone: 422 invalid_personal_code', async (t) => {
    const [id] = people(1);
    const who = await r.resident(id);
    const old = await r.personalCode(who.id);
    if (old === null) assert.fail('GET /residents/{id}/code answered 404');
    const reissue = await r.post(`/api/v1/residents/${who.id}/code/reissue`);
    if (isNoEndpoint(reissue)) assert.fail('POST /residents/{id}/code/reissue answered 404');
    assert.ok(reissue.status === 200 || reissue.status === 201, `reissue: ${reissue.status} ${reissue.text}`);
    const fresh = await r.personalCode(who.id);
    assert.notEqual(fresh, old);
    const tube = await r.openTube(round.id, site.id);
    assertProblem(await r.scan(tube.barcode, old), 422, 'invalid_personal_code');
    assert.equal((await r.scanOk(tube.barcode, fresh)).person.id, who.id);
  });

  test('a tube seals itself when the count reaches its capacity', async () => {
    const tube = await r.openTube(round.id, site.id);
    const ids = people(5);
    for (let i = 0; i < 4; i++) {
      const s = await r.scanOk(tube.barcode, ids[i]);
      assert.equal(s.tube.count, i + 1);
      assert.equal(s.tube.status, 'open');
    }
    const last = await r.scanOk(tube.barcode, ids[4]);
    assert.equal(last.tube.count, 5);
    assert.equal(last.tube.status, 'sealed');
    const got = await r.tubeOk(tube.barcode);
    assert.equal(got.status, 'sealed');
    assert.equal(got.count, 5);
    assert.equal(got.samples.length, 5);
  });

  test('a capacity override seals the tube at its own capacity, not the round pool size', async () => {
    const small = await r.openTube(round.id, site.id, { capacity: 2 });
    const ids = people(2);
    await r.scanOk(small.barcode, ids[0]);
    assert.equal((await r.scanOk(small.barcode, ids[1])).tube.status, 'sealed');
    const single = await r.openTube(round.id, site.id, { capacity: 1 });
    assert.equal((await r.scanOk(single.barcode, people(1)[0])).tube.status, 'sealed');
    const big = await r.openTube(round.id, site.id, { capacity: 7 });
    const seven = people(7);
    for (let i = 0; i < 6; i++) assert.equal((await r.scanOk(big.barcode, seven[i])).tube.status, 'open', `sample ${i + 1} of 7`);
    assert.equal((await r.scanOk(big.barcode, seven[6])).tube.status, 'sealed');
  });

  test('a sample into an unknown tube is 404 unknown_tube', async () => {
    assertProblem(await r.scan('NO-SUCH-TUBE-2', people(1)[0]), 404, 'unknown_tube');
  });

  test('an ID number failing the region, the date or the check character is 422 invalid_id_number', async () => {
    const tube = await r.openTube(round.id, site.id);
    const [good] = uniqueIdNumbers(1);
    const bad = [
      withWrongCheck(good), // check character
      idNumber({ date: '19900230', seq: 5 }), // 30 February, right check character
      idNumber({ date: '19901301', seq: 5 }), // month 13
      idNumber({ region: '990105', seq: 5 }), // no region 99
      idNumber({ date: `${new Date().getUTCFullYear() + 1}0101`, seq: 5 }), // born next year
      '110105199003071239'.slice(0, 17) + '0', // check character (a known number, altered)
    ];
    for (const p of bad) assertProblem(await r.scan(tube.barcode, p), 422, 'invalid_id_number', p);
    assert.equal(await countOf(tube.barcode), 0);
  });

  test('something that is neither an ID number nor a personal code is 422 invalid_personal_code', async () => {
    const tube = await r.openTube(round.id, site.id);
    for (const p of ['hello', 'ABC', '!!!', '张三']) assertProblem(await r.scan(tube.barcode, p), 422, 'invalid_personal_code', p);
  });

  test('a sample without a person is refused as missing_field', async () => {
    const tube = await r.openTube(round.id, site.id);
    assertProblem(await r.post(`/api/v1/tubes/${tube.barcode}/samples`, {}), 422, 'missing_field');
  });

  test('a valid ID number that is not registered, without a name, is 404 unknown_person', async () => {
    const tube = await r.openTube(round.id, site.id);
    const stranger = unregistered();
    assertProblem(await r.scan(tube.barcode, stranger), 404, 'unknown_person');
    assertProblem(await r.scan(tube.barcode, stranger, { name: '' }), 404, 'unknown_person', 'an empty name is no name');
    assert.equal(await srv.findResident(r.token, stranger), undefined, 'nobody was registered');
    assert.equal(await countOf(tube.barcode), 0);
  });

  test('a resident id that names nobody is 404 unknown_person', async () => {
    const tube = await r.openTube(round.id, site.id);
    assertProblem(await r.scan(tube.barcode, '987654'), 404, 'unknown_person');
  });

  test('a full tube refuses a sample with 409 tube_full', async () => {
    const tube = await r.openTube(round.id, site.id, { capacity: 2 });
    const ids = people(3);
    await r.scanOk(tube.barcode, ids[0]);
    await r.scanOk(tube.barcode, ids[1]);
    assertProblem(await r.scan(tube.barcode, ids[2]), 409, 'tube_full');
    assert.equal(await countOf(tube.barcode), 2);
    // The refused person is still free to be sampled elsewhere.
    const next = await r.openTube(round.id, site.id);
    await r.scanOk(next.barcode, ids[2]);
  });

  test('a tube sealed early refuses a sample with 409 tube_sealed', async () => {
    const tube = await r.openTube(round.id, site.id);
    const ids = people(2);
    await r.scanOk(tube.barcode, ids[0]);
    assertStatus(await r.seal(tube.barcode), 200);
    assertProblem(await r.scan(tube.barcode, ids[1]), 409, 'tube_sealed');
    assert.equal(await countOf(tube.barcode), 1);
  });

  test('the same person twice in a tube is 409 duplicate_in_tube', async () => {
    const tube = await r.openTube(round.id, site.id);
    const [id] = people(1);
    const who = await r.resident(id);
    await r.scanOk(tube.barcode, id);
    assertProblem(await r.scan(tube.barcode, id), 409, 'duplicate_in_tube');
    assertProblem(await r.scan(tube.barcode, String(who.id)), 409, 'duplicate_in_tube', 'by resident id');
    assert.equal(await countOf(tube.barcode), 1);
  });

  test('a person sampled in this round is 409 already_sampled, naming the tube and the time', async () => {
    const first = await r.openTube(round.id, site.id);
    const [id] = people(1);
    const s = await r.scanOk(first.barcode, id);
    const second = await r.openTube(round.id, site.id);
    const p = assertProblem(await r.scan(second.barcode, id), 409, 'already_sampled');
    assert.equal(p.tube, first.barcode);
    assert.equal(Date.parse(p.sampled_at), Date.parse(s.sampled_at));
    assertRfc3339(p.sampled_at, 'problem sampled_at');
    assert.equal(await countOf(second.barcode), 0);
    // At another site of the round too.
    const elsewhere = await r.openTube(round.id, otherSite.id);
    assert.equal(assertProblem(await r.scan(elsewhere.barcode, id), 409, 'already_sampled').tube, first.barcode);
  });

  test('a person sampled in another round may be sampled in this one', async () => {
    const [id] = people(1);
    await r.scanOk((await r.openTube(round.id, site.id)).barcode, id);
    const next = await r.round([community.id], { pool_size: 10 });
    const tube = await r.openTube(next.id, site.id);
    assert.equal((await r.scanOk(tube.barcode, id)).tube.round_id, next.id);
  });

  test('allow_repeat with a reason takes a second sample in the same round', async () => {
    const [id] = people(1);
    await r.scanOk((await r.openTube(round.id, site.id)).barcode, id);
    const second = await r.openTube(round.id, site.id);
    const s = await r.scanOk(second.barcode, id, { allow_repeat: true, reason: '首管污染，重采' });
    assert.equal(s.tube.count, 1);
    assert.equal((await r.tubeOk(second.barcode)).samples.length, 1);
  });

  test('allow_repeat without a reason is 422 reason_required', async () => {
    const [id] = people(1);
    await r.scanOk((await r.openTube(round.id, site.id)).barcode, id);
    const second = await r.openTube(round.id, site.id);
    assertProblem(await r.scan(second.barcode, id, { allow_repeat: true }), 422, 'reason_required');
    assertProblem(await r.scan(second.barcode, id, { allow_repeat: true, reason: '' }), 422, 'reason_required');
    assert.equal(await countOf(second.barcode), 0);
  });

  test('allow_repeat does not allow the same person twice in one tube', async () => {
    const tube = await r.openTube(round.id, site.id);
    const [id] = people(1);
    await r.scanOk(tube.barcode, id);
    assertProblem(await r.scan(tube.barcode, id, { allow_repeat: true, reason: '重复' }), 409, 'duplicate_in_tube');
  });
});

describe('the order of the sampling checks', () => {
  test('an unknown tube comes before a bad ID number, a bad code and an unknown person', async () => {
    assertProblem(await r.scan('NO-SUCH-TUBE-3', withWrongCheck(uniqueIdNumbers(1)[0])), 404, 'unknown_tube');
    assertProblem(await r.scan('NO-SUCH-TUBE-3', 'hello'), 404, 'unknown_tube');
    assertProblem(await r.scan('NO-SUCH-TUBE-3', unregistered()), 404, 'unknown_tube');
  });

  test('a bad ID number, a bad code and an unknown person come before a full tube', async () => {
    const tube = await r.openTube(round.id, site.id, { capacity: 1 });
    await r.scanOk(tube.barcode, people(1)[0]);
    assertProblem(await r.scan(tube.barcode, withWrongCheck(uniqueIdNumbers(1)[0])), 422, 'invalid_id_number');
    assertProblem(await r.scan(tube.barcode, 'hello'), 422, 'invalid_personal_code');
    assertProblem(await r.scan(tube.barcode, unregistered()), 404, 'unknown_person');
  });

  test('a bad ID number comes before an unknown person, even with a name', async () => {
    const tube = await r.openTube(round.id, site.id);
    assertProblem(await r.scan(tube.barcode, withWrongCheck(unregistered()), { name: '王' }), 422, 'invalid_id_number');
  });

  test('a full tube and a person already in it is tube_full, not duplicate_in_tube', async () => {
    const tube = await r.openTube(round.id, site.id, { capacity: 2 });
    const ids = people(2);
    await r.scanOk(tube.barcode, ids[0]);
    await r.scanOk(tube.barcode, ids[1]);
    assertProblem(await r.scan(tube.barcode, ids[0]), 409, 'tube_full');
  });

  test('a full tube and a person sampled elsewhere is tube_full, not already_sampled', async () => {
    const [elsewhere] = people(1);
    await r.scanOk((await r.openTube(round.id, site.id)).barcode, elsewhere);
    const tube = await r.openTube(round.id, site.id, { capacity: 1 });
    await r.scanOk(tube.barcode, people(1)[0]);
    assertProblem(await r.scan(tube.barcode, elsewhere), 409, 'tube_full');
  });

  test('a full tube refuses a walk-in before registering them', async () => {
    const tube = await r.openTube(round.id, site.id, { capacity: 1 });
    await r.scanOk(tube.barcode, people(1)[0]);
    const stranger = unregistered();
    assertProblem(await r.scan(tube.barcode, stranger, { name: '满管路人' }), 409, 'tube_full');
    assert.equal(await srv.findResident(r.token, stranger), undefined, 'the walk-in was not registered');
  });

  test('a tube sealed early and a person already in it is tube_sealed, not duplicate_in_tube', async () => {
    const tube = await r.openTube(round.id, site.id);
    const [id] = people(1);
    await r.scanOk(tube.barcode, id);
    assertStatus(await r.seal(tube.barcode), 200);
    assertProblem(await r.scan(tube.barcode, id), 409, 'tube_sealed');
  });

  test('a tube sealed early and a person sampled elsewhere is tube_sealed, not already_sampled', async () => {
    const [elsewhere] = people(1);
    await r.scanOk((await r.openTube(round.id, site.id)).barcode, elsewhere);
    const tube = await r.openTube(round.id, site.id);
    await r.scanOk(tube.barcode, people(1)[0]);
    assertStatus(await r.seal(tube.barcode), 200);
    assertProblem(await r.scan(tube.barcode, elsewhere), 409, 'tube_sealed');
  });

  test('a person already in this tube is duplicate_in_tube, not already_sampled', async () => {
    const tube = await r.openTube(round.id, site.id);
    const [id] = people(1);
    await r.scanOk(tube.barcode, id);
    assertProblem(await r.scan(tube.barcode, id), 409, 'duplicate_in_tube');
  });

  test('already_sampled comes before reason_required only when allow_repeat is not asked', async () => {
    const [id] = people(1);
    await r.scanOk((await r.openTube(round.id, site.id)).barcode, id);
    const tube = await r.openTube(round.id, site.id);
    assertProblem(await r.scan(tube.barcode, id, { reason: '无 allow_repeat' }), 409, 'already_sampled');
    assertProblem(await r.scan(tube.barcode, id, { allow_repeat: true }), 422, 'reason_required');
  });
});

describe('sealing', () => {
  test('a tube may be sealed early: 200, status sealed, count unchanged', async () => {
    const tube = await r.openTube(round.id, site.id);
    const ids = people(3);
    for (const id of ids) await r.scanOk(tube.barcode, id);
    const res = await r.seal(tube.barcode);
    const sealed = assertStatus(res, 200);
    assertTubeShape(sealed);
    assert.equal(sealed.status, 'sealed');
    assert.equal(sealed.count, 3);
    assert.equal(sealed.capacity, 5);
    assertRfc3339(sealed.sealed_at, 'sealed_at');
  });

  test('sealing a sealed tube is a no-op answered with 200', async () => {
    const tube = await r.openTube(round.id, site.id);
    await r.scanOk(tube.barcode, people(1)[0]);
    const first = assertStatus(await r.seal(tube.barcode), 200);
    const again = assertStatus(await r.seal(tube.barcode), 200);
    assert.equal(again.status, 'sealed');
    assert.equal(again.count, 1);
    assert.equal(again.sealed_at, first.sealed_at, 'the first sealing time stands');
  });

  test('sealing a tube that sealed itself is a no-op answered with 200', async () => {
    const tube = await r.openTube(round.id, site.id, { capacity: 1 });
    const s = await r.scanOk(tube.barcode, people(1)[0]);
    assert.equal(s.tube.status, 'sealed');
    const again = assertStatus(await r.seal(tube.barcode), 200);
    assert.equal(again.status, 'sealed');
    assert.equal(again.count, 1);
  });

  test('an empty tube cannot be sealed: 409 tube_empty, and it stays open', async () => {
    const tube = await r.openTube(round.id, site.id);
    assertProblem(await r.seal(tube.barcode), 409, 'tube_empty');
    const got = await r.tubeOk(tube.barcode);
    assert.equal(got.status, 'open');
    await r.scanOk(tube.barcode, people(1)[0]);
  });

  test('a tube emptied by voiding cannot be sealed: 409 tube_empty', async () => {
    const tube = await r.openTube(round.id, site.id);
    const s = await r.scanOk(tube.barcode, people(1)[0]);
    assertStatus(await r.voidSample(s.id, '扫错人'), 200);
    assertProblem(await r.seal(tube.barcode), 409, 'tube_empty');
  });

  test('sealing an unknown tube is 404 unknown_tube', async () => {
    assertProblem(await r.seal('NO-SUCH-TUBE-4'), 404, 'unknown_tube');
  });
});

describe('voiding samples', () => {
  test('a void answers 200 with the reason and the tube, and the count drops', async () => {
    const tube = await r.openTube(round.id, site.id);
    const ids = people(2);
    const a = await r.scanOk(tube.barcode, ids[0]);
    await r.scanOk(tube.barcode, ids[1]);
    const res = await r.voidSample(a.id, '扫错了人');
    const v = assertStatus(res, 200);
    assert.equal(v.id, a.id);
    assert.equal(v.voided, true);
    assert.equal(v.reason, '扫错了人');
    assertRfc3339(v.voided_at, 'voided_at');
    assertTubeShape(v.tube);
    assert.equal(v.tube.barcode, tube.barcode);
    assert.equal(v.tube.count, 1);
    const got = await r.tubeOk(tube.barcode);
    assert.equal(got.count, 1);
    assert.deepEqual(got.samples.map((s) => s.person.id), [(await r.resident(ids[1])).id], 'the voided sample is no longer listed');
  });

  test('a voided person may be sampled again in the round without allow_repeat', async () => {
    const tube = await r.openTube(round.id, site.id);
    const [id] = people(1);
    const s = await r.scanOk(tube.barcode, id);
    assertStatus(await r.voidSample(s.id, '管子贴错'), 200);
    const again = await r.scanOk(tube.barcode, id);
    assert.equal(again.tube.count, 1);
    const other = await r.openTube(round.id, site.id);
    assertProblem(await r.scan(other.barcode, id), 409, 'already_sampled', 'the new sample counts');
  });

  test('a void needs a reason: 422 reason_required, and the sample stays', async () => {
    const tube = await r.openTube(round.id, site.id);
    const s = await r.scanOk(tube.barcode, people(1)[0]);
    assertProblem(await r.voidSample(s.id), 422, 'reason_required');
    assertProblem(await r.voidSample(s.id, ''), 422, 'reason_required');
    const got = await r.tubeOk(tube.barcode);
    assert.equal(got.count, 1);
    assert.equal(got.samples.length, 1);
  });

  test('voiding a sample from a tube that sealed itself because it was full opens it again', async () => {
    const tube = await r.openTube(round.id, site.id, { capacity: 3 });
    const ids = people(4);
    const samples = [];
    for (const id of ids.slice(0, 3)) samples.push(await r.scanOk(tube.barcode, id));
    assert.equal(samples[2].tube.status, 'sealed');
    const v = assertStatus(await r.voidSample(samples[1].id, '重复扫码'), 200);
    assert.equal(v.tube.status, 'open');
    assert.equal(v.tube.count, 2);
    const got = await r.tubeOk(tube.barcode);
    assert.equal(got.status, 'open');
    assert.equal(got.count, 2);
    // It takes one more and seals itself again.
    const refill = await r.scanOk(tube.barcode, ids[3]);
    assert.equal(refill.tube.count, 3);
    assert.equal(refill.tube.status, 'sealed');
  });

  test('voiding a sample from a tube sealed early by hand leaves it sealed', async () => {
    const tube = await r.openTube(round.id, site.id);
    const ids = people(2);
    const a = await r.scanOk(tube.barcode, ids[0]);
    await r.scanOk(tube.barcode, ids[1]);
    assertStatus(await r.seal(tube.barcode), 200);
    const v = assertStatus(await r.voidSample(a.id, '信息错'), 200);
    assert.equal(v.tube.count, 1);
    assert.equal(v.tube.status, 'sealed');
  });

  test('voiding the same sample twice drops the count once', async () => {
    const tube = await r.openTube(round.id, site.id);
    const ids = people(3);
    const a = await r.scanOk(tube.barcode, ids[0]);
    await r.scanOk(tube.barcode, ids[1]);
    await r.scanOk(tube.barcode, ids[2]);
    assertStatus(await r.voidSample(a.id, '第一次'), 200);
    const again = await r.voidSample(a.id, '第二次');
    assert.ok(again.status === 200 || again.status === 409, `a second void answers 200 or 409, got ${again.status}`);
    assert.equal(await countOf(tube.barcode), 2);
  });

  test('voiding an unknown sample is 404 unknown_sample', async () => {
    assertProblem(await r.voidSample(987654, '无此样本'), 404, 'unknown_sample');
  });

  test('a sample cannot be voided once its tube is boxed: 409 tube_boxed', async (t) => {
    if (!(await r.transportAvailable())) assert.fail('POST /boxes answered 404');
    const tube = await r.openTube(round.id, site.id);
    const s = await r.scanOk(tube.barcode, people(1)[0]);
    assertStatus(await r.seal(tube.barcode), 200);
    const box = await r.createBox();
    assertStatus(await r.boxTube(box.barcode, tube.barcode), 200);
    assertProblem(await r.voidSample(s.id, '装箱后'), 409, 'tube_boxed');
    assert.equal(await countOf(tube.barcode), 1);
    assertProblem(await r.voidSample(s.id), 422, 'reason_required', 'reason_required is checked first');
  });
});

describe('tubes once boxed', () => {
  async function boxedTube(t, { dispatch = false } = {}) {
    if (!(await r.transportAvailable())) {
      assert.fail('POST /boxes answered 404');
      return null;
    }
    const tube = await r.openTube(round.id, site.id);
    const ids = people(2);
    const s = await r.scanOk(tube.barcode, ids[0]);
    assertStatus(await r.seal(tube.barcode), 200);
    const box = await r.createBox();
    assertStatus(await r.boxTube(box.barcode, tube.barcode), 200);
    if (dispatch) assertStatus(await r.dispatch(box.barcode), 200);
    return { tube, sample: s, spare: ids[1] };
  }

  test('a sample cannot be voided once its tube is in transit: 409 tube_boxed', async (t) => {
    const b = await boxedTube(t, { dispatch: true });
    if (!b) return;
    assertProblem(await r.voidSample(b.sample.id, '运输中'), 409, 'tube_boxed');
    assert.equal(await countOf(b.tube.barcode), 1);
  });

  test('a boxed tube that is not full refuses a sample with tube_sealed', async (t) => {
    const b = await boxedTube(t);
    if (!b) return;
    assertProblem(await r.scan(b.tube.barcode, b.spare), 409, 'tube_sealed');
  });

  test('sealing a boxed tube is a no-op: 200, and it stays in its box', async (t) => {
    const b = await boxedTube(t);
    if (!b) return;
    const res = assertStatus(await r.seal(b.tube.barcode), 200);
    assert.equal(res.status, 'in_box');
    assert.equal((await r.tubeOk(b.tube.barcode)).status, 'in_box');
  });
});

test('a round of single tubes (pool size 1) seals each tube after one sample', async () => {
  const single = await r.round([community.id], { pool_size: 1 });
  const tube = await r.openTube(single.id, site.id);
  assert.equal(tube.capacity, 1);
  const s = await r.scanOk(tube.barcode, people(1)[0]);
  assert.equal(s.tube.status, 'sealed');
});

describe('walk-ins', () => {
  test('an unknown valid ID number with a name is registered as a walk-in of the site community', async () => {
    const tube = await r.openTube(round.id, site.id);
    const stranger = unregistered();
    const s = await r.scanOk(tube.barcode, stranger, { name: '过路人甲' });
    assert.equal(s.person.name, '过路人甲');
    assert.equal(s.person.id_number_masked, masked(stranger));
    assert.equal(s.tube.count, 1);
    const resident = assertStatus(await r.get(`/api/v1/residents/${s.person.id}`), 200);
    assert.equal(resident.walk_in, true);
    assert.equal(resident.place_id, community.id);
    assert.equal(resident.name, '过路人甲');
    const found = await srv.findResident(r.token, stranger);
    assert.equal(found?.id, s.person.id, 'the walk-in is found by ID number');
    // Now registered: the same number is already_sampled, not a second walk-in.
    const other = await r.openTube(round.id, site.id);
    assertProblem(await r.scan(other.barcode, stranger, { name: '过路人甲' }), 409, 'already_sampled');
  });

  test('a walk-in at a site inside a building is registered at the community', async () => {
    const building = await r.place(`${C}/2号楼`);
    const buildingSite = await r.site(building.id, { name: '2号楼楼下' });
    const tube = await r.openTube(round.id, buildingSite.id);
    const s = await r.scanOk(tube.barcode, unregistered(), { name: '过路人乙' });
    const resident = assertStatus(await r.get(`/api/v1/residents/${s.person.id}`), 200);
    assert.equal(resident.walk_in, true);
    assert.equal(resident.place_id, community.id);
  });

  test('short digits name a resident id only: an unknown one is not registered as a walk-in', async () => {
    const tube = await r.openTube(round.id, site.id);
    assertProblem(await r.scan(tube.barcode, '999999', { name: '不该登记' }), 404, 'unknown_person');
    const listed = assertStatus(await r.get('/api/v1/residents?q=' + encodeURIComponent('不该登记')), 200);
    assert.equal(listed.residents.length, 0, 'nobody was registered under a mistyped id');
  });

  test('a registered resident is not a walk-in', async () => {
    const [id] = people(1);
    const who = await r.resident(id);
    const resident = assertStatus(await r.get(`/api/v1/residents/${who.id}`), 200);
    assert.notEqual(resident.walk_in, true);
  });

  test('a name does not change a registered person', async () => {
    const [id] = people(1);
    const who = await r.resident(id);
    const s = await r.scanOk((await r.openTube(round.id, site.id)).barcode, id, { name: '别名' });
    assert.equal(s.person.id, who.id);
    assert.equal(s.person.name, who.name);
  });
});

describe('roles and scopes', () => {
  test('without a token sampling answers 401', async () => {
    const tube = await r.openTube(round.id, site.id);
    assertProblem(await srv.api('POST', '/api/v1/tubes', { json: { barcode: newBarcode(), round_id: round.id, site_id: site.id } }), 401);
    assertProblem(await srv.api('POST', `/api/v1/tubes/${tube.barcode}/samples`, { json: { person: pool[0] } }), 401);
    assertProblem(await srv.api('GET', `/api/v1/tubes/${tube.barcode}`), 401);
    assertProblem(await srv.api('POST', `/api/v1/tubes/${tube.barcode}/seal`), 401);
  });

  test('a recorder opens, fills, seals tubes, voids samples, reads tubes and status', async () => {
    const rec = r.as((await srv.newUser({ role: 'recorder' })).token);
    const tube = await rec.openTube(round.id, site.id);
    const ids = people(2);
    const a = await rec.scanOk(tube.barcode, ids[0]);
    await rec.scanOk(tube.barcode, ids[1]);
    assertStatus(await rec.voidSample(a.id, '录入员作废'), 200);
    assertStatus(await rec.seal(tube.barcode), 200);
    assert.equal((await rec.tubeOk(tube.barcode)).count, 1);
    const status = await rec.statusOk(ids[1]);
    assert.equal(status.person.id, (await r.resident(ids[1])).id);
  });

  test('courier and lab may not open tubes, sample, seal or void: 403', async () => {
    const tube = await r.openTube(round.id, site.id);
    const s = await r.scanOk(tube.barcode, people(1)[0]);
    for (const role of ['courier', 'lab']) {
      const u = r.as((await srv.newUser({ role })).token);
      assertProblem(await u.openTubeResponse({ barcode: newBarcode(), round_id: round.id, site_id: site.id }), 403, undefined, role);
      assertProblem(await u.scan(tube.barcode, pool[0]), 403, undefined, role);
      assertProblem(await u.seal(tube.barcode), 403, undefined, role);
      assertProblem(await u.voidSample(s.id, role), 403, undefined, role);
    }
    const got = await r.tubeOk(tube.barcode);
    assert.equal(got.count, 1);
    assert.equal(got.status, 'open');
  });

  test('a viewer reads tubes but changes nothing: 403', async () => {
    const tube = await r.openTube(round.id, site.id);
    const s = await r.scanOk(tube.barcode, people(1)[0]);
    const v = r.as((await srv.newUser({ role: 'viewer' })).token);
    assert.equal((await v.tubeOk(tube.barcode)).count, 1);
    assertProblem(await v.openTubeResponse({ barcode: newBarcode(), round_id: round.id, site_id: site.id }), 403);
    assertProblem(await v.scan(tube.barcode, pool[0]), 403);
    assertProblem(await v.seal(tube.barcode), 403);
    assertProblem(await v.voidSample(s.id, 'viewer'), 403);
    assert.equal((await r.tubeOk(tube.barcode)).count, 1);
  });

  test('a recorder scoped to one community may not open a tube at a site of another: 403', async () => {
    const rec = r.as((await srv.newUser({ role: 'recorder', scope: C })).token);
    const barcode = newBarcode();
    assertProblem(await rec.openTubeResponse({ barcode, round_id: round.id, site_id: otherSite.id }), 403);
    assertProblem(await r.tube(barcode), 404, 'unknown_tube', 'the refused tube was not created');
    const mine = await rec.openTube(round.id, site.id);
    assert.equal(mine.site_id, site.id);
  });

  test('a scoped recorder may not fill, seal or read a tube of another community: 403', async () => {
    const rec = r.as((await srv.newUser({ role: 'recorder', scope: C })).token);
    const tube = await r.openTube(round.id, otherSite.id);
    const s = await r.scanOk(tube.barcode, otherIds[0]);
    assertProblem(await rec.scan(tube.barcode, otherIds[1]), 403);
    assertProblem(await rec.seal(tube.barcode), 403);
    assertProblem(await rec.voidSample(s.id, '越界'), 403);
    assertProblem(await rec.tube(tube.barcode), 403);
    assert.equal((await r.tubeOk(tube.barcode)).count, 1);
  });
});

describe('idempotent scans', () => {
  test('a replayed scan returns the first 201 body with Idempotent-Replayed: true and adds no sample', async () => {
    const tube = await r.openTube(round.id, site.id);
    const [id] = people(1);
    const key = newKey('scan');
    const first = await r.scan(tube.barcode, id, {}, { idempotencyKey: key });
    assertStatus(first, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await r.scan(tube.barcode, id, {}, { idempotencyKey: key });
    assert.equal(again.status, 201, `a replay answers the first status, got ${again.status} ${again.text}`);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.text, first.text, 'the very same body');
    const got = await r.tubeOk(tube.barcode);
    assert.equal(got.count, 1);
    assert.equal(got.samples.length, 1);
  });

  test('without a key the same scan again is a new request (duplicate_in_tube)', async () => {
    const tube = await r.openTube(round.id, site.id);
    const [id] = people(1);
    await r.scanOk(tube.barcode, id, {}, { idempotencyKey: newKey('scan') });
    assertProblem(await r.scan(tube.barcode, id), 409, 'duplicate_in_tube');
  });

  test('the same key with another person is refused as idempotency_key_reused', async () => {
    const tube = await r.openTube(round.id, site.id);
    const ids = people(2);
    const key = newKey('scan-reuse');
    await r.scanOk(tube.barcode, ids[0], {}, { idempotencyKey: key });
    assertProblem(await r.scan(tube.barcode, ids[1], {}, { idempotencyKey: key }), 422, 'idempotency_key_reused');
    assert.equal(await countOf(tube.barcode), 1);
  });

  test('the same key from two users is two requests', async () => {
    const tube = await r.openTube(round.id, site.id);
    const ids = people(2);
    const key = newKey('two-users');
    const rec1 = r.as((await srv.newUser({ role: 'recorder' })).token);
    const rec2 = r.as((await srv.newUser({ role: 'recorder' })).token);
    await rec1.scanOk(tube.barcode, ids[0], {}, { idempotencyKey: key });
    const second = await rec2.scan(tube.barcode, ids[1], {}, { idempotencyKey: key });
    assertStatus(second, 201);
    assert.equal(second.headers.get('idempotent-replayed'), null);
    assert.equal(await countOf(tube.barcode), 2);
  });

  test('a replayed tube opening returns the first tube, not barcode_in_use', async () => {
    const key = newKey('open');
    const json = { barcode: newBarcode(), round_id: round.id, site_id: site.id };
    const first = await r.openTubeResponse(json, { idempotencyKey: key });
    assertStatus(first, 201);
    const again = await r.openTubeResponse(json, { idempotencyKey: key });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.text, first.text);
  });

  test('a replayed void returns the first answer and drops the count once', async () => {
    const tube = await r.openTube(round.id, site.id);
    const ids = people(3);
    const a = await r.scanOk(tube.barcode, ids[0]);
    await r.scanOk(tube.barcode, ids[1]);
    await r.scanOk(tube.barcode, ids[2]);
    const key = newKey('void');
    const first = await r.post(`/api/v1/samples/${a.id}/void`, { reason: '重放' }, { idempotencyKey: key });
    assertStatus(first, 200);
    const again = await r.post(`/api/v1/samples/${a.id}/void`, { reason: '重放' }, { idempotencyKey: key });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.text, first.text);
    assert.equal(await countOf(tube.barcode), 2);
  });
});

test('the endpoints answer problem+json for a body that is not JSON', async () => {
  const tube = await r.openTube(round.id, site.id);
  for (const p of ['/api/v1/tubes', `/api/v1/tubes/${tube.barcode}/samples`]) {
    const res = await r.api('POST', p, { body: 'not json', headers: { 'content-type': 'application/json' } });
    assert.ok(res.status >= 400 && res.status < 500, `${p}: ${res.status}`);
    assertProblem(res, res.status);
  }
});
