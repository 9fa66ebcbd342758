// Community operations (docs/openapi.yaml, the community-ops tag): tube batches held to by
// `serve --strict-tubes`, a site's stock with its low_stock alert, checkpoints at compound gates
// and the retention of their scan log, played on a settable clock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, residentRow, startServer, uniqueIdNumbers } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const C = '东城区/景山街道/黄化门社区';
const OTHER = '东城区/景山街道/钟鼓社区';
const DAY = 24 * 3600 * 1000;

let srv;
let r; // as the admin
let community;
let site;
let otherSite;
let round;
const [A, B, OUT] = uniqueIdNumbers(3);

before(async () => {
  srv = await startServer({ args: ['--settable-clock', '--strict-tubes', '--purge-gate-scans-every', '1'] });
  r = new Rounds(srv, await srv.adminToken());
  ({ community } = await r.community({
    path: C,
    rows: [residentRow(A, '甲', `${C}/1号楼/1单元/101`), residentRow(B, '乙', `${C}/2号楼/1单元/101`)],
  }));
  const { community: other } = await r.community({ path: OTHER, rows: [residentRow(OUT, '丙', `${OTHER}/1号楼/1单元/101`)] });
  site = await r.site(community.id, { name: '黄化门采样点' });
  otherSite = await r.site(other.id, { name: '钟鼓采样点' });
  round = await r.round([community.id, other.id], { pool_size: 10 });
});
after(() => srv?.dispose());

const inDays = (n) => new Date(Date.now() + n * DAY).toISOString();
const batch = (json) => r.post('/api/v1/tube-batches', json);

describe('tube batches with --strict-tubes', () => {
  test('a range is issued, listed, and a barcode in two batches is refused', async () => {
    const made = assertStatus(
      await batch({ site_id: site.id, range: { prefix: 'HH01-', from: 1, to: 20, width: 4 }, expires_at: inDays(30), pool_size: 5 }),
      201,
    );
    assert.equal(made.count, 20);
    assert.equal(typeof made.id, 'number');
    const again = await batch({ site_id: otherSite.id, barcodes: ['HH01-0020', 'HH02-0001'], expires_at: inDays(30) });
    assertProblem(again, 409, 'barcode_in_batch');
    assert.equal(again.body.barcode, 'HH01-0020');
    assertProblem(await batch({ site_id: site.id, barcodes: ['bad code'], expires_at: inDays(30) }), 422, 'invalid_barcode');
    const list = assertStatus(await r.get(`/api/v1/tube-batches?site_id=${site.id}`), 200);
    assert.deepEqual(list.batches.map((b) => b.count), [20]);
    assert.equal(list.batches[0].pool_size, 5);
    assert.equal(list.next_cursor, null);
  });

  test('an unissued, another site\'s and an expired barcode are refused; an issued one opens', async () => {
    assertStatus(await batch({ site_id: otherSite.id, barcodes: ['ZG01-0001'], expires_at: inDays(30) }), 201);
    assertStatus(await batch({ site_id: site.id, barcodes: ['OLD1-0001'], expires_at: new Date(Date.now() - DAY).toISOString() }), 201);
    const open = (barcode) => r.openTubeResponse({ barcode, round_id: round.id, site_id: site.id });
    assertProblem(await open('NOPE-0001'), 422, 'barcode_not_issued');
    assertProblem(await open('ZG01-0001'), 409, 'barcode_other_site');
    assertProblem(await open('OLD1-0001'), 409, 'tube_expired');
    const tube = assertStatus(await open('HH01-0001'), 201);
    assert.equal(tube.capacity, 5, 'the batch pool size is the default capacity');
  });
});

describe('site stock', () => {
  test('a low_stock message goes out once when the swabs fall to the threshold', async () => {
    const put = assertStatus(
      await r.api('PUT', `/api/v1/sites/${site.id}/stock`, {
        json: { swabs_delivered: 3, kits_delivered: 10, samples_per_kit: 50, low: { swabs: 1, tubes: 2 } },
      }),
      200,
    );
    assert.equal(put.swabs.left, 3);
    assert.equal(put.tubes.issued, 21);
    const lowStock = async () => {
      const out = await srv.sqlite("SELECT payload FROM outbox WHERE event = 'low_stock' ORDER BY id");
      assert.equal(out.code, 0, out.stderr);
      return out.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    };
    assert.deepEqual(await lowStock(), []);
    const tube = await r.openTube(round.id, site.id, { barcode: 'HH01-0002', capacity: 2 });
    await r.scanOk(tube.barcode, A);
    await r.scanOk(tube.barcode, B); // seals itself: 2 swabs used, 1 left = the threshold
    const messages = await lowStock();
    assert.equal(messages.length, 1);
    assert.deepEqual(messages[0].low, ['swabs']);
    assert.equal(messages[0].swabs.left, 1);
    const stock = assertStatus(await r.get(`/api/v1/sites/${site.id}/stock`), 200);
    assert.equal(stock.swabs.low, true);
    assert.equal(stock.samples, 2);
    assert.equal(stock.kits.used, 1);
    await r.openTube(round.id, site.id, { barcode: 'HH01-0003' }); // checked again: still low, no repeat
    assert.equal((await lowStock()).length, 1);
  });
});

describe('checkpoints', () => {
  let gate;
  let guard;

  before(async () => {
    gate = assertStatus(await r.post('/api/v1/checkpoints', { name: '黄化门社区南门', place_id: community.id }), 201);
    ({ token: guard } = await srv.newUser({ role: 'guard', scope: C }));
  });

  const scan = (person, direction = 'in', token = guard) =>
    srv.api('POST', `/api/v1/checkpoints/${gate.id}/scans`, { token, json: { person, direction } });

  test('the guard lists the checkpoint and lets people in while no zone is in force', async () => {
    const list = assertStatus(await srv.api('GET', `/api/v1/checkpoints?place_id=${community.id}`, { token: guard }), 200);
    assert.deepEqual(list.checkpoints.map((c) => c.name), ['黄化门社区南门']);
    const res = assertStatus(await scan(OUT), 200);
    assert.equal(res.allowed, true);
    assert.equal(res.color, 'green');
    assert.equal(res.person.name, '丙');
    assert.ok(Array.isArray(res.reasons));
  });

  test('an outsider is refused at a controlled compound, a resident is let in', async () => {
    const zone = assertStatus(await r.post('/api/v1/zones', { place_id: community.id, level: 'controlled', reason: '管控' }), 201);
    const outsider = assertStatus(await scan(OUT), 200);
    assert.equal(outsider.allowed, false);
    assert.equal(outsider.reasons[0].code, 'gate_outsider_controlled');
    const resident = assertStatus(await scan(A), 200);
    assert.equal(resident.allowed, true);
    assert.equal(resident.color, 'yellow');
    assertStatus(await r.post(`/api/v1/zones/${zone.id}/lift`, { reason: '解除' }), 200);
  });

  test('a red resident is refused in, and kept in', async () => {
    const place = await r.place(`${C}/1号楼`);
    assertStatus(await r.post('/api/v1/zones', { place_id: place.id, level: 'sealed', reason: '封控' }), 201);
    const entering = assertStatus(await scan(A, 'in'), 200);
    assert.equal(entering.allowed, false);
    assert.equal(entering.color, 'red');
    assert.equal(entering.reasons[0].code, 'gate_red');
    const leaving = assertStatus(await scan(A, 'out'), 200);
    assert.equal(leaving.allowed, false);
    assert.equal(leaving.reasons[0].code, 'gate_home_sealed');
  });

  test('every scan is logged; bad directions, unknown gates and other roles are refused', async () => {
    const log = assertStatus(await srv.api('GET', `/api/v1/checkpoints/${gate.id}/scans`, { token: guard }), 200);
    assert.equal(log.scans.length, 5);
    assert.deepEqual(Object.keys(log.scans[0]).sort(), ['allowed', 'at', 'checkpoint_id', 'color', 'direction', 'id', 'person']);
    assert.equal(log.scans[0].direction, 'out');
    assert.equal(log.next_cursor, null);
    const future = assertStatus(
      await srv.api('GET', `/api/v1/checkpoints/${gate.id}/scans?since=${encodeURIComponent(inDays(1))}`, { token: guard }),
      200,
    );
    assert.deepEqual(future.scans, []);
    assertProblem(await scan(A, 'sideways'), 422, 'invalid_field');
    assertProblem(await srv.api('POST', '/api/v1/checkpoints/9999/scans', { token: guard, json: { person: A } }), 404, 'unknown_checkpoint');
    const { token: recorder } = await srv.newUser({ role: 'recorder' });
    assertProblem(await scan(A, 'in', recorder), 403, 'forbidden');
    assertProblem(await srv.api('POST', '/api/v1/checkpoints', { token: guard, json: { name: 'x', place_id: community.id } }), 403, 'forbidden');
  });

  test('the server deletes scans older than the retention period by itself', async () => {
    const settings = assertStatus(await r.get('/api/v1/settings/checkpoints'), 200);
    assert.equal(settings.retention_days, 14);
    const res = await r.api('PUT', '/api/v1/clock', { json: { now: inDays(15) } });
    assertStatus(res, 200, 'set the clock');
    srv._adminToken = null;
    r.token = await srv.adminToken();
    const newGuard = await srv.newUser({ role: 'guard', scope: C });
    const fresh = assertStatus(await scan(B, 'in', newGuard.token), 200);
    // The purge runs every second: the five old scans go, the new one stays.
    const deadline = Date.now() + 15_000;
    let left;
    for (;;) {
      left = assertStatus(await srv.api('GET', `/api/v1/checkpoints/${gate.id}/scans`, { token: newGuard.token }), 200).scans;
      if (left.length === 1 || Date.now() > deadline) break;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    assert.deepEqual(left.map((s) => s.id), [fresh.id]);
  });
});
