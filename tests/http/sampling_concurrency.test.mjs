// Sampling under concurrency: the invariants in docs/architecture.md hold when requests race.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, newKey, startServer, uniqueIdNumbers } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const C = '东城区/北新桥街道/民安社区';
const C2 = '东城区/北新桥街道/九道湾社区';

let srv;
let r;
let community;
let community2;
let round;
let siteA;
let siteB;
let pool;

function people(n) {
  assert.ok(pool.length >= n, 'out of residents');
  return pool.splice(0, n);
}

before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
  ({ community, ids: pool } = await r.community({ path: C, residents: 300, place: (i) => `${1 + (i % 6)}号楼/1单元` }));
  ({ community: community2 } = await r.community({ path: C2, residents: 1 }));
  round = await r.round([community.id, community2.id], { pool_size: 10 });
  siteA = await r.site(community.id, { name: '民安社区东门' });
  siteB = await r.site(community2.id, { name: '九道湾社区西门' });
});
after(() => srv?.dispose());

function tally(responses) {
  const out = {};
  for (const res of responses) {
    const k = res.status === 201 ? '201' : `${res.status} ${res.body?.code}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

test('30 different people racing for a 10-slot tube give exactly 10 samples and 20 tube_full or tube_sealed', async () => {
  const tube = await r.openTube(round.id, siteA.id);
  assert.equal(tube.capacity, 10);
  const ids = people(30);
  const responses = await Promise.all(ids.map((id) => r.scan(tube.barcode, id)));
  const counts = tally(responses);
  const ok = responses.filter((x) => x.status === 201);
  const refused = responses.filter((x) => x.status !== 201);
  assert.equal(ok.length, 10, `exactly 10 samples: ${JSON.stringify(counts)}`);
  assert.equal(refused.length, 20, JSON.stringify(counts));
  for (const res of refused) {
    assertProblem(res, 409);
    assert.ok(['tube_full', 'tube_sealed'].includes(res.body.code), `refused with ${res.body.code}`);
  }
  assert.equal(new Set(ok.map((x) => x.body.id)).size, 10, 'ten distinct sample ids');
  assert.deepEqual(ok.map((x) => x.body.tube.count).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    'each sample saw its own count');
  const got = await r.tubeOk(tube.barcode);
  assert.equal(got.count, 10);
  assert.equal(got.samples.length, 10);
  assert.equal(got.status, 'sealed');
  assert.deepEqual(new Set(got.samples.map((s) => s.id)), new Set(ok.map((x) => x.body.id)));

  // Everyone refused is still free to be sampled in another tube.
  const loser = refused[0];
  const loserId = ids[responses.indexOf(loser)];
  const next = await r.openTube(round.id, siteA.id);
  await r.scanOk(next.barcode, loserId);
});

test('several tubes filled at once never overfill, and nobody lands in two of them', async () => {
  const tubes = await Promise.all([1, 2, 3].map(() => r.openTube(round.id, siteA.id, { capacity: 5 })));
  const ids = people(20);
  // Each person is tried in every tube at once: at most one sample per person, at most 5 per tube.
  const attempts = [];
  for (const id of ids) for (const t of tubes) attempts.push({ id, barcode: t.barcode });
  const responses = await Promise.all(attempts.map((a) => r.scan(a.barcode, a.id)));
  const won = new Map();
  responses.forEach((res, i) => {
    if (res.status === 201) {
      const { id } = attempts[i];
      assert.ok(!won.has(id), `${id} was sampled twice in the round`);
      won.set(id, attempts[i].barcode);
    } else {
      assertProblem(res, 409);
      assert.ok(['tube_full', 'tube_sealed', 'already_sampled'].includes(res.body.code), res.body.code);
    }
  });
  assert.equal(won.size, 15, `three tubes of five: ${JSON.stringify(tally(responses))}`);
  for (const t of tubes) {
    const got = await r.tubeOk(t.barcode);
    assert.equal(got.count, 5, t.barcode);
    assert.equal(got.samples.length, 5);
    assert.equal(got.status, 'sealed');
  }
});

test('the same person scanned at two sites at once: exactly one 201, the other already_sampled', async () => {
  for (let round_ = 0; round_ < 5; round_++) {
    const a = await r.openTube(round.id, siteA.id);
    const b = await r.openTube(round.id, siteB.id);
    const [id] = people(1);
    const [ra, rb] = await Promise.all([r.scan(a.barcode, id), r.scan(b.barcode, id)]);
    const statuses = [ra.status, rb.status].sort();
    assert.deepEqual(statuses, [201, 409], `one wins, one loses: ${JSON.stringify(tally([ra, rb]))}`);
    const [win, lose] = ra.status === 201 ? [ra, rb] : [rb, ra];
    const p = assertProblem(lose, 409, 'already_sampled');
    assert.equal(p.tube, win.body.tube.barcode, 'the problem names the winning tube');
    assert.equal(Date.parse(p.sampled_at), Date.parse(win.body.sampled_at));
    const counts = [(await r.tubeOk(a.barcode)).count, (await r.tubeOk(b.barcode)).count].sort();
    assert.deepEqual(counts, [0, 1]);
  }
});

test('the same walk-in scanned at two sites at once is registered once and sampled once', async () => {
  const a = await r.openTube(round.id, siteA.id);
  const b = await r.openTube(round.id, siteB.id);
  const [stranger] = uniqueIdNumbers(1, { region: '110101' });
  const [ra, rb] = await Promise.all([r.scan(a.barcode, stranger, { name: '路人' }), r.scan(b.barcode, stranger, { name: '路人' })]);
  assert.deepEqual([ra.status, rb.status].sort(), [201, 409], JSON.stringify(tally([ra, rb])));
  assertProblem(ra.status === 201 ? rb : ra, 409, 'already_sampled');
  const found = assertStatus(await r.get(`/api/v1/residents?q=${stranger}`), 200);
  assert.equal(found.residents.length, 1, 'one walk-in, not two');
});

test('the same person scanned into one tube twice at once: one sample, the other duplicate_in_tube', async () => {
  const tube = await r.openTube(round.id, siteA.id);
  const [id] = people(1);
  const responses = await Promise.all([r.scan(tube.barcode, id), r.scan(tube.barcode, id), r.scan(tube.barcode, id)]);
  assert.equal(responses.filter((x) => x.status === 201).length, 1, JSON.stringify(tally(responses)));
  for (const res of responses.filter((x) => x.status !== 201)) assertProblem(res, 409, 'duplicate_in_tube');
  assert.equal((await r.tubeOk(tube.barcode)).count, 1);
});

test('the same idempotency key sent 5 times at once: all 201 with identical bodies, one sample', async () => {
  const tube = await r.openTube(round.id, siteA.id);
  const [id] = people(1);
  const key = newKey('race');
  const responses = await Promise.all(Array.from({ length: 5 }, () => r.scan(tube.barcode, id, {}, { idempotencyKey: key })));
  for (const res of responses) assertStatus(res, 201, 'every replay answers the first 201');
  const bodies = new Set(responses.map((x) => x.text));
  assert.equal(bodies.size, 1, `identical bodies: ${[...bodies].join('\n')}`);
  const replayed = responses.filter((x) => x.headers.get('idempotent-replayed') === 'true');
  assert.equal(replayed.length, 4, 'four of the five are marked as replays');
  const got = await r.tubeOk(tube.barcode);
  assert.equal(got.count, 1);
  assert.equal(got.samples.length, 1);
});

test('many keys replayed at once across a tube still fill it exactly', async () => {
  const tube = await r.openTube(round.id, siteA.id, { capacity: 10 });
  const ids = people(12);
  const keys = ids.map(() => newKey('fill'));
  // Every scan is sent three times with its key, all at once.
  const sends = [];
  for (let rep = 0; rep < 3; rep++) ids.forEach((id, i) => sends.push({ id, key: keys[i] }));
  const responses = await Promise.all(sends.map((s) => r.scan(tube.barcode, s.id, {}, { idempotencyKey: s.key })));
  // For each key all three answers are the same answer.
  const byKey = new Map();
  responses.forEach((res, i) => {
    const k = sends[i].key;
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k).push(res);
  });
  let winners = 0;
  for (const [k, list] of byKey) {
    assert.equal(new Set(list.map((x) => x.status)).size, 1, `one status for key ${k}: ${list.map((x) => x.status)}`);
    assert.equal(new Set(list.map((x) => x.text)).size, 1, `one body for key ${k}`);
    if (list[0].status === 201) winners++;
    else assert.ok(['tube_full', 'tube_sealed'].includes(list[0].body.code), list[0].body.code);
  }
  assert.equal(winners, 10);
  const got = await r.tubeOk(tube.barcode);
  assert.equal(got.count, 10);
  assert.equal(got.samples.length, 10);
});

test('voids and scans racing on a full tube keep the count equal to the valid samples', async () => {
  const tube = await r.openTube(round.id, siteA.id, { capacity: 5 });
  const first = people(5);
  const samples = [];
  for (const id of first) samples.push(await r.scanOk(tube.barcode, id));
  const extra = people(6);
  const ops = [
    ...samples.slice(0, 3).map((s) => r.voidSample(s.id, '并发作废')),
    ...extra.map((id) => r.scan(tube.barcode, id)),
  ];
  const responses = await Promise.all(ops);
  for (const res of responses.slice(0, 3)) assertStatus(res, 200);
  const added = responses.slice(3).filter((x) => x.status === 201).length;
  for (const res of responses.slice(3).filter((x) => x.status !== 201)) {
    assertProblem(res, 409);
    assert.ok(['tube_full', 'tube_sealed'].includes(res.body.code), res.body.code);
  }
  assert.ok(added <= 3, `at most the 3 freed slots were taken, got ${added}`);
  const got = await r.tubeOk(tube.barcode);
  assert.equal(got.count, 2 + added);
  assert.equal(got.samples.length, got.count, 'the count is the number of valid samples');
  assert.equal(got.status, got.count === 5 ? 'sealed' : 'open');
});
