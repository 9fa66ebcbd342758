// Transport and lab (docs/api.md; docs/openapi.yaml, Transport and lab): boxes, filling, dispatch, lab receipts and
// their discrepancies, result uploads (JSON and CSV), corrections and history, the status a
// result gives, roles, idempotent replays; every error code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, newKey, startServer } from './harness.mjs';
import { Rounds, assertRfc3339, assertTubeShape, newBarcode } from './round_helpers.mjs';

const C = '东城区/东华门街道/多福巷社区';

let srv;
let r; // as the admin
let community;
let round; // pool size 10
let site;
let pool = []; // ID numbers of registered residents, handed out by people()

function people(n) {
  assert.ok(pool.length >= n, 'the test ran out of residents; import more');
  return pool.splice(0, n);
}

before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
  ({ community, ids: pool } = await r.community({
    path: C, residents: 200, place: (i) => `${1 + (i % 4)}号楼/${1 + (i % 2)}单元/${100 + i}`,
  }));
  round = await r.round([community.id], { pool_size: 10, name: '转运检测轮' });
  site = await r.site(community.id, { name: '多福巷社区采样点' });
});
after(() => srv?.dispose());

/** A tube filled to its capacity (so sealed); returns its barcode. */
async function sealedTube(capacity = 2, who = people(capacity)) {
  const { tube } = await r.filledTube(round.id, site.id, who, { capacity });
  assert.equal(tube.status, 'sealed');
  return tube.barcode;
}

/** An open tube with one sample; returns its barcode. */
async function openTube() {
  const { tube } = await r.filledTube(round.id, site.id, people(1), { capacity: 5 });
  assert.equal(tube.status, 'open');
  return tube.barcode;
}

/** A box holding the given tubes, dispatched. */
async function dispatchedBox(barcodes) {
  const box = await r.createBox();
  for (const b of barcodes) assertStatus(await r.boxTube(box.barcode, b), 200, `box ${b}`);
  assertStatus(await r.dispatch(box.barcode), 200, 'dispatch');
  return box.barcode;
}

/** A box received in full with the given sealed tubes. */
async function receivedTubes(n = 1, capacity = 2) {
  const tubes = [];
  for (let i = 0; i < n; i++) tubes.push(await sealedTube(capacity));
  const box = await dispatchedBox(tubes);
  assertStatus(await r.receive(box, tubes), 200, 'receipt');
  return tubes;
}

async function discrepancies(query = 'open=true') {
  const all = [];
  let cursor = null;
  for (let page = 0; page < 100; page++) {
    const q = `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = assertStatus(await r.get(`/api/v1/lab/discrepancies?${q}`), 200, 'discrepancies');
    assert.ok(Array.isArray(body.discrepancies));
    assert.ok('next_cursor' in body, 'the list carries next_cursor');
    all.push(...body.discrepancies);
    if (body.next_cursor == null) return all;
    cursor = body.next_cursor;
  }
  assert.fail('the discrepancy list does not end');
}

async function discrepanciesOf(box) {
  return (await discrepancies()).filter((d) => d.box === box);
}

function resultsCsv(lines) {
  return r.api('POST', '/api/v1/lab/results', { csv: lines.join('\n') + '\n' });
}

describe('boxes', () => {
  test('a new box answers 201 open and empty, and reads back by its barcode', async () => {
    const barcode = newBarcode('B');
    const box = assertStatus(await r.post('/api/v1/boxes', { barcode }), 201);
    assert.equal(box.barcode, barcode);
    assert.equal(box.status, 'open');
    assert.deepEqual(box.tubes, []);
    const got = assertStatus(await r.get(`/api/v1/boxes/${barcode}`), 200);
    assert.equal(got.barcode, barcode);
    assert.equal(got.status, 'open');
    assert.deepEqual(got.tubes, []);
  });

  test('an unknown box reads as 404 unknown_box', async () => {
    assertProblem(await r.get(`/api/v1/boxes/${newBarcode('B')}`), 404, 'unknown_box');
  });

  test('a box barcode of the wrong length or characters is refused as invalid_barcode', async () => {
    for (const barcode of ['B1234', 'B'.repeat(33), 'BOX_1234', 'BOX 1234', '箱子123456', '']) {
      assertProblem(await r.post('/api/v1/boxes', { barcode }), 422, 'invalid_barcode', JSON.stringify(barcode));
    }
  });

  test('a box barcode already used by a box is refused as barcode_in_use', async () => {
    const box = await r.createBox();
    assertProblem(await r.post('/api/v1/boxes', { barcode: box.barcode }), 409, 'barcode_in_use');
  });

  test('a box barcode already used by a tube is refused as barcode_in_use, and the other way round', async () => {
    const tube = await r.openTube(round.id, site.id);
    assertProblem(await r.post('/api/v1/boxes', { barcode: tube.barcode }), 409, 'barcode_in_use');
    const box = await r.createBox();
    assertProblem(await r.openTubeResponse({ barcode: box.barcode, round_id: round.id, site_id: site.id }),
      409, 'barcode_in_use');
  });
});

describe('filling boxes', () => {
  test('a sealed tube goes into an open box: 200 with the box, and the tube is in_box', async () => {
    const box = await r.createBox();
    const tube = await sealedTube();
    const body = assertStatus(await r.boxTube(box.barcode, tube), 200);
    assert.equal(body.barcode, box.barcode);
    assert.equal(body.status, 'open');
    assert.equal(body.tubes.length, 1);
    const listed = body.tubes[0];
    assert.equal(typeof listed === 'string' ? listed : listed.barcode, tube);
    const t = await r.tubeOk(tube);
    assertTubeShape(t);
    assert.equal(t.status, 'in_box');
    const got = assertStatus(await r.get(`/api/v1/boxes/${box.barcode}`), 200);
    assert.equal(got.tubes.length, 1);
  });

  test('an unknown box is 404 unknown_box, checked before the tube', async () => {
    assertProblem(await r.boxTube(newBarcode('B'), newBarcode()), 404, 'unknown_box');
    assertProblem(await r.boxTube(newBarcode('B'), await sealedTube()), 404, 'unknown_box');
  });

  test('an unknown tube is 404 unknown_tube', async () => {
    const box = await r.createBox();
    assertProblem(await r.boxTube(box.barcode, newBarcode()), 404, 'unknown_tube');
  });

  test('an open tube is 409 tube_not_sealed', async () => {
    const box = await r.createBox();
    const tube = await openTube();
    assertProblem(await r.boxTube(box.barcode, tube), 409, 'tube_not_sealed');
    assert.equal((await r.tubeOk(tube)).status, 'open');
  });

  test('a tube already in a box is 409 tube_in_box, naming that box', async () => {
    const first = await r.createBox();
    const second = await r.createBox();
    const tube = await sealedTube();
    assertStatus(await r.boxTube(first.barcode, tube), 200);
    const p = assertProblem(await r.boxTube(second.barcode, tube), 409, 'tube_in_box');
    assert.equal(p.box, first.barcode);
    const p2 = assertProblem(await r.boxTube(first.barcode, tube), 409, 'tube_in_box', 'the same box again');
    assert.equal(p2.box, first.barcode);
  });

  test('a dispatched box is 409 box_not_open', async () => {
    const box = await dispatchedBox([await sealedTube()]);
    assertProblem(await r.boxTube(box, await sealedTube()), 409, 'box_not_open');
  });

  test('the unknown tube is reported before the closed box, and the open tube before it too', async () => {
    const box = await dispatchedBox([await sealedTube()]);
    assertProblem(await r.boxTube(box, newBarcode()), 404, 'unknown_tube');
    assertProblem(await r.boxTube(box, await openTube()), 409, 'tube_not_sealed');
  });

  test('a tube in another box is tube_in_box even when the target box is dispatched', async () => {
    const other = await r.createBox();
    const tube = await sealedTube();
    assertStatus(await r.boxTube(other.barcode, tube), 200);
    const box = await dispatchedBox([await sealedTube()]);
    assertProblem(await r.boxTube(box, tube), 409, 'tube_in_box');
  });
});

describe('dispatch', () => {
  test('dispatch answers 200 in_transit, and every tube in the box is in_transit', async () => {
    const tubes = [await sealedTube(), await sealedTube()];
    const box = await r.createBox();
    for (const t of tubes) assertStatus(await r.boxTube(box.barcode, t), 200);
    const body = assertStatus(await r.dispatch(box.barcode), 200);
    assert.equal(body.barcode, box.barcode);
    assert.equal(body.status, 'in_transit');
    for (const t of tubes) assert.equal((await r.tubeOk(t)).status, 'in_transit', t);
    assert.equal(assertStatus(await r.get(`/api/v1/boxes/${box.barcode}`), 200).status, 'in_transit');
  });

  test('dispatching an empty box is 409 box_empty and leaves it open', async () => {
    const box = await r.createBox();
    assertProblem(await r.dispatch(box.barcode), 409, 'box_empty');
    assert.equal(assertStatus(await r.get(`/api/v1/boxes/${box.barcode}`), 200).status, 'open');
  });

  test('dispatching an unknown box is 404 unknown_box', async () => {
    assertProblem(await r.dispatch(newBarcode('B')), 404, 'unknown_box');
  });

  test('dispatching a dispatched box again is a no-op 200', async () => {
    const tube = await sealedTube();
    const box = await dispatchedBox([tube]);
    const body = assertStatus(await r.dispatch(box), 200);
    assert.equal(body.status, 'in_transit');
    assert.equal((await r.tubeOk(tube)).status, 'in_transit');
  });
});

describe('lab receipts and discrepancies', () => {
  test('a full receipt lists every tube as received, none missing or unexpected, and the tubes are received', async () => {
    const tubes = [await sealedTube(), await sealedTube()];
    const box = await dispatchedBox(tubes);
    const body = assertStatus(await r.receive(box, tubes), 200);
    assert.deepEqual([...body.received].sort(), [...tubes].sort());
    assert.deepEqual(body.missing, []);
    assert.deepEqual(body.unexpected, []);
    if ('box' in body) assert.equal(typeof body.box === 'string' ? body.box : body.box.barcode, box);
    for (const t of tubes) assert.equal((await r.tubeOk(t)).status, 'received', t);
    assert.deepEqual(await discrepanciesOf(box), []);
  });

  test('a receipt of an unknown box is 404 unknown_box', async () => {
    assertProblem(await r.receive(newBarcode('B'), []), 404, 'unknown_box');
  });

  test('a tube not found is missing and a tube not in the box is unexpected; each opens a discrepancy', async () => {
    const [a, b] = [await sealedTube(), await sealedTube()];
    const stray = await sealedTube();
    const box = await dispatchedBox([a, b]);
    const body = assertStatus(await r.receive(box, [a, stray]), 200);
    assert.deepEqual(body.received, [a]);
    assert.deepEqual(body.missing, [b]);
    assert.deepEqual(body.unexpected, [stray]);
    assert.equal((await r.tubeOk(a)).status, 'received');
    assert.notEqual((await r.tubeOk(b)).status, 'received');

    const found = await discrepanciesOf(box);
    assert.equal(found.length, 2, JSON.stringify(found));
    for (const d of found) {
      for (const k of ['id', 'box', 'tube', 'kind', 'created_at', 'resolved_at', 'resolution'])
        assert.ok(k in d, `the discrepancy lacks "${k}": ${JSON.stringify(d)}`);
      assertRfc3339(d.created_at, 'created_at');
      assert.equal(d.resolved_at, null);
      assert.equal(d.resolution, null);
    }
    const byTube = Object.fromEntries(found.map((d) => [d.tube, d.kind]));
    assert.equal(byTube[b], 'missing');
    assert.equal(byTube[stray], 'unexpected');
  });

  test('a repeat receipt of the same box does not duplicate its discrepancies', async () => {
    const [a, b] = [await sealedTube(), await sealedTube()];
    const box = await dispatchedBox([a, b]);
    assertStatus(await r.receive(box, [a]), 200);
    assert.equal((await discrepanciesOf(box)).length, 1);
    const again = assertStatus(await r.receive(box, [a]), 200);
    assert.deepEqual(again.missing, [b]);
    assert.equal((await discrepanciesOf(box)).length, 1);
  });

  test('a repeat receipt scanning fewer tubes does not report as missing the tubes already received', async () => {
    const [a, b, c] = [await sealedTube(), await sealedTube(), await sealedTube()];
    const box = await dispatchedBox([a, b, c]);
    const first = assertStatus(await r.receive(box, [a, b, c]), 200);
    assert.deepEqual(first.missing, []);
    const second = assertStatus(await r.receive(box, [a]), 200);
    assert.deepEqual(second.missing, [], 'b and c were received by the first receipt');
    assert.deepEqual(second.unexpected, []);
    for (const t of [a, b, c]) assert.equal((await r.tubeOk(t)).status, 'received', t);
    assert.deepEqual(await discrepanciesOf(box), []);
  });

  test('a later receipt that finds a missing tube receives it', async () => {
    const [a, b] = [await sealedTube(), await sealedTube()];
    const box = await dispatchedBox([a, b]);
    assertStatus(await r.receive(box, [a]), 200);
    const second = assertStatus(await r.receive(box, [b]), 200);
    assert.ok(second.received.includes(b));
    assert.deepEqual(second.missing, []);
    assert.equal((await r.tubeOk(b)).status, 'received');
  });

  test('a discrepancy is resolved with a resolution: 200, and it leaves the open list', async () => {
    const [a, b] = [await sealedTube(), await sealedTube()];
    const box = await dispatchedBox([a, b]);
    assertStatus(await r.receive(box, [a]), 200);
    const [d] = await discrepanciesOf(box);
    const body = assertStatus(await r.post(`/api/v1/lab/discrepancies/${d.id}/resolve`, { resolution: '已在冷藏箱底部找到' }), 200);
    assert.equal(body.id, d.id);
    assert.equal(body.resolution, '已在冷藏箱底部找到');
    assertRfc3339(body.resolved_at, 'resolved_at');
    assert.deepEqual(await discrepanciesOf(box), []);
  });

  test('resolving without a resolution is 422 reason_required, and the discrepancy stays open', async () => {
    const [a, b] = [await sealedTube(), await sealedTube()];
    const box = await dispatchedBox([a, b]);
    assertStatus(await r.receive(box, [a]), 200);
    const [d] = await discrepanciesOf(box);
    for (const json of [{}, { resolution: '' }, { resolution: '   ' }])
      assertProblem(await r.post(`/api/v1/lab/discrepancies/${d.id}/resolve`, json), 422, 'reason_required', JSON.stringify(json));
    assert.equal((await discrepanciesOf(box)).length, 1);
  });

  test('resolving an unknown discrepancy is 404 unknown_discrepancy', async () => {
    assertProblem(await r.post('/api/v1/lab/discrepancies/99999999/resolve', { resolution: 'x' }), 404, 'unknown_discrepancy');
  });
});

describe('results', () => {
  test('a JSON upload accepts each row; the tube shows the result and is resulted', async () => {
    const [a, b] = await receivedTubes(2);
    const body = assertStatus(await r.resultsJson([{ tube: a, result: 'negative' }, { tube: b, result: 'negative', ct: { orf1ab: 38.5, n: 39.1 } }]), 200);
    assert.equal(body.accepted, 2);
    assert.deepEqual(body.rejected, []);
    for (const t of [a, b]) {
      const got = await r.tubeOk(t);
      assert.equal(got.result, 'negative', t);
      assert.equal(got.status, 'resulted', t);
    }
  });

  test('bad JSON rows are rejected with their 0-based index and code; good rows are kept', async () => {
    const [good] = await receivedTubes(1);
    const open = await openTube();
    const resulted = (await receivedTubes(1))[0];
    assertStatus(await r.resultsJson([{ tube: resulted, result: 'negative' }]), 200);
    const unknown = newBarcode();
    const body = assertStatus(await r.resultsJson([
      { tube: unknown, result: 'negative' },
      { tube: good, result: 'negative' },
      { tube: open, result: 'negative' },
      { tube: good, result: 'maybe' },
      { tube: resulted, result: 'positive' },
    ]), 200);
    assert.equal(body.accepted, 1);
    const rej = body.rejected.map(({ index, tube, code }) => ({ index, tube, code }));
    assert.deepEqual(rej, [
      { index: 0, tube: unknown, code: 'unknown_tube' },
      { index: 2, tube: open, code: 'tube_not_sealed' },
      { index: 3, tube: good, code: 'invalid_result' },
      { index: 4, tube: resulted, code: 'conflicting_result' },
    ]);
    assert.equal((await r.tubeOk(good)).result, 'negative');
    assert.equal((await r.tubeOk(open)).result, null);
    assert.equal((await r.tubeOk(resulted)).result, 'negative', 'a conflicting result changes nothing');
  });

  test('a CSV upload accepts rows with and without Ct values, and rejects by CSV line (header = line 1)', async () => {
    const [a, b] = await receivedTubes(2);
    const open = await openTube();
    const unknown = newBarcode();
    const body = assertStatus(await resultsCsv([
      'tube,result,ct_orf1ab,ct_n',
      `${a},negative,,`,
      `${unknown},negative,,`,
      `${b},positive,24.3,25.0`,
      `${open},negative,,`,
      `${a},bogus,,`,
    ]), 200);
    assert.equal(body.accepted, 2);
    const rej = body.rejected.map(({ index, tube, code }) => ({ index, tube, code }));
    assert.deepEqual(rej, [
      { index: 3, tube: unknown, code: 'unknown_tube' },
      { index: 5, tube: open, code: 'tube_not_sealed' },
      { index: 6, tube: a, code: 'invalid_result' },
    ]);
    assert.equal((await r.tubeOk(a)).result, 'negative');
    assert.equal((await r.tubeOk(b)).result, 'positive');
  });

  test('a CSV with only the tube,result columns is accepted', async () => {
    const [a] = await receivedTubes(1);
    const body = assertStatus(await r.resultsCsv([[a, 'invalid']]), 200);
    assert.equal(body.accepted, 1);
    assert.deepEqual(body.rejected, []);
    assert.equal((await r.tubeOk(a)).result, 'invalid');
  });

  test('uploading the same result again is accepted and changes nothing', async () => {
    const [a] = await receivedTubes(1);
    assertStatus(await r.resultsJson([{ tube: a, result: 'negative' }]), 200);
    const before = assertStatus(await r.get(`/api/v1/tubes/${a}/results`), 200);
    const body = assertStatus(await r.resultsJson([{ tube: a, result: 'negative' }]), 200);
    assert.equal(body.accepted, 1);
    assert.deepEqual(body.rejected, []);
    const after = assertStatus(await r.get(`/api/v1/tubes/${a}/results`), 200);
    assert.deepEqual(after, before);
    assert.equal((await r.tubeOk(a)).result, 'negative');
  });

  test('a different result with a correction_reason changes the result and the history lists both', async () => {
    const [a] = await receivedTubes(1);
    assertStatus(await r.resultsJson([{ tube: a, result: 'positive' }]), 200);
    const body = assertStatus(await r.resultsJson([{ tube: a, result: 'negative', correction_reason: '样本编号录入错误，复核为阴性' }]), 200);
    assert.equal(body.accepted, 1);
    assert.deepEqual(body.rejected, []);
    assert.equal((await r.tubeOk(a)).result, 'negative');
    const hist = assertStatus(await r.get(`/api/v1/tubes/${a}/results`), 200);
    const rows = Array.isArray(hist) ? hist : hist.results;
    assert.ok(Array.isArray(rows), JSON.stringify(hist));
    assert.equal(rows.length, 2, JSON.stringify(rows));
    assert.deepEqual(rows.map((x) => x.result).sort(), ['negative', 'positive']);
  });

  test('a result for a tube in transit (sealed, not yet received) is accepted', async () => {
    const t = await sealedTube();
    await dispatchedBox([t]);
    const body = assertStatus(await r.resultsJson([{ tube: t, result: 'negative' }]), 200);
    assert.equal(body.accepted, 1);
    assert.equal((await r.tubeOk(t)).status, 'resulted');
  });
});

describe('the status a result gives', () => {
  async function residentIds(ids) {
    const out = [];
    for (const id of ids) out.push((await r.resident(id)).id);
    return out;
  }

  test('a member of a positive pool of 10 is pool_positive and yellow', async () => {
    const who = people(10);
    const t = await sealedTube(10, who);
    await r.shipAndResult([t], { [t]: 'positive' });
    for (const id of await residentIds(who.slice(0, 3))) {
      const s = await r.statusOk(id);
      assert.equal(s.state, 'pool_positive');
      assert.equal(s.color, 'yellow');
    }
  });

  test('a member of a negative pool is negative and green', async () => {
    const who = people(10);
    const t = await sealedTube(10, who);
    await r.shipAndResult([t], { [t]: 'negative' });
    const s = await r.statusOk((await residentIds([who[0]]))[0]);
    assert.equal(s.state, 'negative');
    // Only a zone a neighbour's positive put over their home colours them (docs/outbreak.md).
    assert.ok(s.reasons.every((x) => x.code.startsWith('zone_')), JSON.stringify(s.reasons));
    assert.equal(s.color, s.reasons.length ? 'yellow' : 'green');
  });

  test('a member of an invalid pool is resample_required and yellow', async () => {
    const who = people(10);
    const t = await sealedTube(10, who);
    await r.shipAndResult([t], { [t]: 'invalid' });
    const s = await r.statusOk((await residentIds([who[0]]))[0]);
    assert.equal(s.state, 'resample_required');
    assert.equal(s.color, 'yellow');
  });
});

describe('roles', () => {
  test('a courier may create, fill and dispatch boxes, but not post receipts or results', async () => {
    const courier = r.as((await srv.newUser({ role: 'courier' })).token);
    const tube = await sealedTube();
    const box = await courier.createBox();
    assertStatus(await courier.boxTube(box.barcode, tube), 200);
    assertStatus(await courier.dispatch(box.barcode), 200);
    assertProblem(await courier.receive(box.barcode, [tube]), 403, undefined, 'receipt');
    assertProblem(await courier.resultsJson([{ tube, result: 'negative' }]), 403, undefined, 'results');
    assert.equal((await r.tubeOk(tube)).status, 'in_transit');
  });

  test('a lab user may post receipts and results, but not create, fill or dispatch boxes', async () => {
    const lab = r.as((await srv.newUser({ role: 'lab' })).token);
    const tube = await sealedTube();
    assertProblem(await lab.post('/api/v1/boxes', { barcode: newBarcode('B') }), 403, undefined, 'create');
    const open = await r.createBox();
    assertProblem(await lab.boxTube(open.barcode, tube), 403, undefined, 'fill');
    assertStatus(await r.boxTube(open.barcode, tube), 200);
    assertProblem(await lab.dispatch(open.barcode), 403, undefined, 'dispatch');
    assertStatus(await r.dispatch(open.barcode), 200);
    assertStatus(await lab.receive(open.barcode, [tube]), 200);
    const body = assertStatus(await lab.resultsJson([{ tube, result: 'negative' }]), 200);
    assert.equal(body.accepted, 1);
  });

  test('a recorder may neither handle boxes nor post receipts or results', async () => {
    const rec = r.as((await srv.newUser({ role: 'recorder' })).token);
    const tube = await sealedTube();
    const box = await r.createBox();
    assertProblem(await rec.post('/api/v1/boxes', { barcode: newBarcode('B') }), 403, undefined, 'create');
    assertProblem(await rec.boxTube(box.barcode, tube), 403, undefined, 'fill');
    assertStatus(await r.boxTube(box.barcode, tube), 200);
    assertProblem(await rec.dispatch(box.barcode), 403, undefined, 'dispatch');
    assertStatus(await r.dispatch(box.barcode), 200);
    assertProblem(await rec.receive(box.barcode, [tube]), 403, undefined, 'receipt');
    assertProblem(await rec.resultsJson([{ tube, result: 'negative' }]), 403, undefined, 'results');
  });

  test('without a token the transport and lab endpoints answer 401', async () => {
    const anon = r.as(undefined);
    assertProblem(await anon.post('/api/v1/boxes', { barcode: newBarcode('B') }), 401);
    assertProblem(await anon.receive(newBarcode('B'), []), 401);
    assertProblem(await anon.resultsJson([]), 401);
  });
});

describe('idempotent result uploads', () => {
  test('a result upload repeated with the same Idempotency-Key replays the first body', async () => {
    const [a] = await receivedTubes(1);
    const key = newKey('results');
    const json = { results: [{ tube: a, result: 'positive' }, { tube: newBarcode(), result: 'negative' }] };
    const first = await r.post('/api/v1/lab/results', json, { idempotencyKey: key });
    assertStatus(first, 200);
    assert.notEqual(first.headers.get('idempotent-replayed'), 'true');
    const again = await r.post('/api/v1/lab/results', json, { idempotencyKey: key });
    assertStatus(again, 200);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, first.body);
    const hist = assertStatus(await r.get(`/api/v1/tubes/${a}/results`), 200);
    const rows = Array.isArray(hist) ? hist : hist.results;
    assert.equal(rows.length, 1, 'the replay stored nothing');
  });
});
