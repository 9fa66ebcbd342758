// The acceptance test of the testing round: a synthetic community of 12,000 residents goes
// through a whole round over HTTP — import, round and site, 1,200 tubes opened and filled by
// 32 stations at once, sealed, boxed, dispatched, received, resulted with a few positive pools —
// and the coverage, statuses and turnaround figures are checked at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertStatus, masked, residentRow, residentsCsv, startServer, uniqueIdNumbers } from './harness.mjs';
import { Rounds, inPool, isNoEndpoint, newBarcode } from './round_helpers.mjs';

const COMMUNITY = '海淀区/学院路街道/万科社区';
const RESIDENTS = 12_000;
const POOL = 10;
const TUBES = RESIDENTS / POOL;
const BUILDINGS = 20;
const UNITS = 6; // 100 residents a unit
const IN_FLIGHT = 32;
const BOX_SIZE = 50;
const POSITIVE_TUBES = [7, 555, 1111]; // indexes of the tubes whose pools come back positive

let srv;
let r;
before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
});
after(() => srv?.dispose());

/** Building, unit and room of resident i: 20 buildings × 6 units × 100 people. */
function addressOf(i) {
  const b = Math.floor(i / (UNITS * 100)) + 1;
  const u = Math.floor(i / 100) % UNITS + 1;
  const room = 100 * (1 + Math.floor((i % 100) / 4)) + (i % 4) + 1; // 4 flats a floor
  return { building: `${b}号楼`, unit: `${u}单元`, room: String(room) };
}

test('a full round for a community of 12,000 residents, through the HTTP API', { timeout: 170_000 }, async (t) => {
  const started = Date.now();
  const lap = (what) => t.diagnostic(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // --- the registry ----------------------------------------------------------------------
  const ids = uniqueIdNumbers(RESIDENTS, { region: '110108' });
  const [district, street, community] = COMMUNITY.split('/');
  const rows = ids.map((id, i) => ({
    ...residentRow(id, `居民${i}`, COMMUNITY),
    ...addressOf(i),
    district, street, community,
    phone: `139${String(i).padStart(8, '0')}`,
    tags: i % 10 === 0 ? 'elderly' : i % 97 === 0 ? 'elderly;bedridden' : '',
  }));
  const report = await srv.importOk(r.token, residentsCsv(rows));
  assert.deepEqual(report, { created: RESIDENTS, updated: 0, rejected: [], encoding: 'utf-8' });
  lap('imported 12,000 residents');
  const place = await r.place(COMMUNITY);

  // --- the round and its site -------------------------------------------------------------
  const round = await r.round([place.id], { pool_size: POOL, name: '万科社区第一轮全员核酸' });
  const site = await r.site(place.id, { name: '万科社区广场采样点' });
  const before0 = await r.coverage(round.id, place.id);
  assert.equal(before0.expected, RESIDENTS);
  assert.equal(before0.sampled, 0);

  // --- open 1,200 tubes and scan everyone, 32 stations at once -----------------------------
  const barcodes = Array.from({ length: TUBES }, () => newBarcode('WK'));
  await inPool(barcodes, IN_FLIGHT, async (barcode) => {
    const res = await r.openTubeResponse({ barcode, round_id: round.id, site_id: site.id });
    assertStatus(res, 201, `open ${barcode}`);
  });
  lap('opened 1,200 tubes');
  const members = barcodes.map((_, k) => ids.slice(k * POOL, (k + 1) * POOL));
  const sampleOf = new Map(); // ID number → the 201 body
  await inPool(barcodes, IN_FLIGHT, async (barcode, k) => {
    for (const [j, id] of members[k].entries()) {
      const res = await r.scan(barcode, id);
      const body = assertStatus(res, 201, `scan ${j + 1} into ${barcode}`);
      assert.equal(body.tube.count, j + 1);
      assert.equal(body.tube.status, j + 1 === POOL ? 'sealed' : 'open', 'a full tube seals itself');
      sampleOf.set(id, body);
    }
  });
  lap('scanned 12,000 people');
  assert.equal(sampleOf.size, RESIDENTS);
  // Sealing a tube that sealed itself is a no-op; every tube answers sealed.
  await inPool(barcodes, IN_FLIGHT, async (barcode) => {
    const sealed = assertStatus(await r.seal(barcode), 200, `seal ${barcode}`);
    assert.equal(sealed.status, 'sealed');
    assert.equal(sealed.count, POOL);
  });
  lap('sealed');

  const sampled = await r.coverage(round.id, place.id);
  assert.equal(sampled.expected, RESIDENTS);
  assert.equal(sampled.sampled, RESIDENTS);
  assert.equal(sampled.resulted, 0);
  assert.equal(sampled.positive, 0);
  assert.equal(sampled.children.length, BUILDINGS);
  for (const c of sampled.children) {
    assert.equal(c.expected, UNITS * 100, c.name);
    assert.equal(c.sampled, UNITS * 100, c.name);
  }
  const missing = assertStatus(await r.get(`/api/v1/rounds/${round.id}/missing?place_id=${place.id}`), 200);
  assert.equal(missing.total, 0);
  assert.deepEqual(missing.people, []);
  assert.equal((await r.statusOk(ids[0])).state, 'pending');
  const pending = assertStatus(await r.get(`/api/v1/rounds/${round.id}/turnaround`), 200);
  assert.equal(pending.tubes, TUBES);
  assert.equal(pending.resulted, 0);
  assert.deepEqual(pending.overdue, []);

  // --- transport: boxes of 50, dispatched, received ---------------------------------------
  const probe = await r.post('/api/v1/boxes', { barcode: newBarcode('PROBE') });
  if (isNoEndpoint(probe)) assert.fail('POST /boxes answered 404');
  assertStatus(probe, 201, 'create a box');
  const boxes = [];
  for (let k = 0; k < TUBES; k += BOX_SIZE) boxes.push({ barcode: newBarcode('BOX'), tubes: barcodes.slice(k, k + BOX_SIZE) });
  await inPool(boxes, 8, async (box) => {
    const created = assertStatus(await r.post('/api/v1/boxes', { barcode: box.barcode }), 201, `box ${box.barcode}`);
    assert.equal(created.status, 'open');
    assert.deepEqual(created.tubes, []);
    // The tubes of one box go in four at a time.
    await inPool(box.tubes, 4, async (tube) => assertStatus(await r.boxTube(box.barcode, tube), 200, `box ${tube}`));
    const sent = assertStatus(await r.dispatch(box.barcode), 200, `dispatch ${box.barcode}`);
    assert.equal(sent.status, 'in_transit');
    assert.deepEqual([...sent.tubes].sort(), [...box.tubes].sort());
  });
  lap('boxed and dispatched 24 boxes');
  assert.equal((await r.tubeOk(barcodes[0])).status, 'in_transit');
  await inPool(boxes, 8, async (box) => {
    const receipt = assertStatus(await r.receive(box.barcode, box.tubes), 200, `receive ${box.barcode}`);
    assert.deepEqual([...receipt.received].sort(), [...box.tubes].sort());
    assert.deepEqual(receipt.missing, []);
    assert.deepEqual(receipt.unexpected, []);
  });
  lap('received');
  assert.equal((await r.tubeOk(barcodes[0])).status, 'received');

  // --- results: one CSV from the instrument, three positive pools ---------------------------
  const positive = new Set(POSITIVE_TUBES.map((k) => barcodes[k]));
  const csv = ['tube,result', ...barcodes.map((b) => `${b},${positive.has(b) ? 'positive' : 'negative'}`)].join('\n') + '\n';
  const uploaded = assertStatus(await r.api('POST', '/api/v1/lab/results', { csv }), 200, 'upload results');
  assert.equal(uploaded.accepted, TUBES);
  assert.deepEqual(uploaded.rejected, []);
  lap('uploaded 1,200 results');

  // --- coverage, statuses, turnaround ------------------------------------------------------
  const done = await r.coverage(round.id, place.id);
  assert.equal(done.expected, RESIDENTS);
  assert.equal(done.sampled, RESIDENTS);
  assert.equal(done.resulted, RESIDENTS);
  assert.equal(done.positive, POSITIVE_TUBES.length * POOL);
  const byBuilding = Object.fromEntries(done.children.map((c) => [c.name, c]));
  const positivesByBuilding = {};
  for (const k of POSITIVE_TUBES)
    for (const id of members[k]) {
      const b = addressOf(ids.indexOf(id)).building;
      positivesByBuilding[b] = (positivesByBuilding[b] ?? 0) + 1;
    }
  for (const [name, c] of Object.entries(byBuilding)) {
    assert.equal(c.resulted, UNITS * 100, name);
    assert.equal(c.positive, positivesByBuilding[name] ?? 0, name);
  }

  for (const k of POSITIVE_TUBES) {
    for (const id of [members[k][0], members[k][POOL - 1]]) {
      const s = await r.statusOk(id);
      assert.equal(s.person.id_number_masked, masked(id));
      assert.equal(s.state, 'pool_positive', `a member of positive pool ${barcodes[k]}`);
      assert.equal(s.color, 'yellow');
      assert.ok(s.reasons.some((x) => x.code === 'pool_positive'), JSON.stringify(s.reasons));
      assert.equal(s.latest.round_id, round.id);
      assert.equal(s.latest.tube, barcodes[k]);
      assert.equal(s.latest.result, 'positive');
    }
  }
  for (const k of [0, 8, 600, TUBES - 1]) {
    const id = members[k][3];
    const s = await r.statusOk(id);
    assert.equal(s.state, 'negative', `a member of negative pool ${barcodes[k]}`);
    // Only a zone a neighbour's positive put over their home colours them (docs/outbreak.md).
    assert.ok(s.reasons.every((x) => x.code.startsWith('zone_')), JSON.stringify(s.reasons));
    assert.equal(s.color, s.reasons.length ? 'yellow' : 'green');
    assert.equal(s.latest.tube, barcodes[k]);
    assert.equal(s.latest.result, 'negative');
    assert.equal(Date.parse(s.latest.sampled_at), Date.parse(sampleOf.get(id).sampled_at));
  }
  const tube = await r.tubeOk(barcodes[POSITIVE_TUBES[0]]);
  assert.equal(tube.status, 'resulted');
  assert.equal(tube.result, 'positive');
  assert.equal(tube.samples.length, POOL);

  const taRes = await r.get(`/api/v1/rounds/${round.id}/turnaround`);
  const ta = assertStatus(taRes, 200);
  // Hours are fractions: written as people write numbers (0.25), never as 2.5E-1.
  assert.doesNotMatch(taRes.text, /\dE[-+]?\d/, taRes.text);
  assert.equal(ta.round_id, round.id);
  assert.equal(ta.tubes, TUBES);
  assert.equal(ta.resulted, TUBES);
  assert.equal(typeof ta.median_hours, 'number');
  assert.equal(typeof ta.p95_hours, 'number');
  const elapsedHours = (Date.now() - started) / 3_600_000;
  assert.ok(ta.median_hours >= 0 && ta.median_hours <= elapsedHours, `median ${ta.median_hours} h within the test's ${elapsedHours} h`);
  assert.ok(ta.p95_hours >= ta.median_hours && ta.p95_hours <= elapsedHours, `p95 ${ta.p95_hours} h`);
  for (const [leg, v] of Object.entries(ta.legs)) {
    assert.equal(typeof v, 'number', `leg ${leg}`);
    assert.ok(v >= 0 && v <= elapsedHours, `leg ${leg}: ${v}`);
  }
  assert.equal(ta.limit_hours, 12);
  assert.deepEqual(ta.overdue, []);
  lap('checked');
});
