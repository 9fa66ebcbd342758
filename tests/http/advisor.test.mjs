// The pooling advisor (docs/outbreak.md; docs/openapi.yaml): GET /rounds/{id}/advisor from the
// round's resulted pools, and the assay it assumes, GET and PUT /settings/assay.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, startServer } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const C = '西城区/德胜街道/新街口社区';

// Forty residents, the even ones in 1号楼 and the odd ones in 2号楼; a round of pools of ten.
let srv;
let r; // as the admin
let fx;

before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
  const { community, ids } = await r.community({ path: C, residents: 40, place: (i) => `${1 + (i % 2)}号楼/1单元/${100 + i}` });
  const round = await r.round([community.id], { pool_size: 10, name: '混采建议测试轮' });
  fx = { community, ids, round, site: await r.site(community.id, { name: '新街口采样点' }) };
});
after(() => srv?.dispose());

const advisorPath = () => `/api/v1/rounds/${fx.round.id}/advisor?place_id=${fx.community.id}`;

describe('the assay setting', () => {
  test('has documented defaults, and only an admin changes it', async () => {
    const a = assertStatus(await r.get('/api/v1/settings/assay'), 200);
    assert.deepEqual({ se: a.sensitivity, sp: a.specificity, max: a.max_pool_size },
      { se: 0.95, sp: 0.999, max: 20 });
    assert.equal(a.updated_at, null);

    const viewer = await srv.newUser({ role: 'viewer' });
    assertStatus(await r.as(viewer.token).get('/api/v1/settings/assay'), 200);
    assertProblem(await r.as(viewer.token).api('PUT', '/api/v1/settings/assay',
      { json: { sensitivity: 0.9, specificity: 0.99, max_pool_size: 10 } }), 403, 'forbidden');
    const bad = assertProblem(await r.api('PUT', '/api/v1/settings/assay',
      { json: { sensitivity: 1.5, specificity: 0.99, max_pool_size: 10 } }), 422, 'invalid_field');
    assert.equal(bad.field, 'sensitivity');
    const badSize = assertProblem(await r.api('PUT', '/api/v1/settings/assay',
      { json: { sensitivity: 0.9, specificity: 0.99, max_pool_size: 7.5 } }), 422, 'invalid_field');
    assert.equal(badSize.field, 'max_pool_size');
    assert.equal(assertProblem(await r.api('PUT', '/api/v1/settings/assay',
      { json: { sensitivity: 0.9, specificity: 'high', max_pool_size: 10 } }), 422, 'invalid_field').field,
    'specificity');

    const put = assertStatus(await r.api('PUT', '/api/v1/settings/assay',
      { json: { sensitivity: 1, specificity: 1, max_pool_size: 20 } }), 200);
    assert.equal(put.sensitivity, 1);
    assert.equal(put.updated_by, 'admin');
    assert.ok(put.updated_at);
    assert.equal(assertStatus(await r.get('/api/v1/settings/assay'), 200).specificity, 1);
  });
});

describe('the advisor', () => {
  test('answers no prevalence, and says why, before any pool has a result', async () => {
    const v = assertStatus(await r.get(advisorPath()), 200);
    assert.equal(v.round_id, fx.round.id);
    assert.equal(v.place_id, fx.community.id);
    assert.deepEqual(v.pools, []);
    assert.equal(v.prevalence, null);
    assert.equal(v.next_round, null);
    assert.equal(v.reason, 'no_resulted_pools');
  });

  test('estimates the prevalence by the closed form and advises the next round', async () => {
    const tubes = [];
    for (let i = 0; i < 4; i++) {
      const who = fx.ids.slice(i * 5, i * 5 + 5);
      const { tube } = await r.filledTube(fx.round.id, fx.site.id, who, { capacity: 5 }); // full: sealed
      tubes.push(tube.barcode);
    }
    await r.shipAndResult(tubes, { [tubes[0]]: 'positive' });
    const v = assertStatus(await r.get(advisorPath()), 200);
    assert.deepEqual(v.pools, [{ size: 5, tubes: 4, positive: 1 }]);
    assert.equal(v.assay.sensitivity, 1); // stored above: a perfect assay
    const closed = 1 - Math.pow(1 - 1 / 4, 1 / 5);
    assert.ok(Math.abs(v.prevalence.estimate - closed) < 1e-9, JSON.stringify(v.prevalence));
    assert.ok(v.prevalence.lower <= v.prevalence.estimate && v.prevalence.estimate <= v.prevalence.upper);
    assert.equal(v.prevalence.confidence, 0.95);
    assert.equal(v.reason, null);

    const next = v.next_round;
    assert.equal(next.people, 40);
    assert.deepEqual(next.options.map((o) => o.pool_size), [1, 5, 10, 20]);
    // E(k) = 1/k + 1 − (1 − p)^k for a perfect assay; E(1) = 1.
    for (const o of next.options) {
      const e = o.pool_size === 1 ? 1 : 1 / o.pool_size + 1 - Math.pow(1 - closed, o.pool_size);
      assert.ok(Math.abs(o.tests_per_person - e) < 1e-9, JSON.stringify(o));
    }
    const best = next.options.reduce((a, b) => (b.tests_per_person < a.tests_per_person ? b : a));
    assert.equal(next.pool_size, best.pool_size);
    assert.equal(next.tubes, best.tubes);
    assert.equal(next.kits, 40 + next.retests);

    assertStatus(await r.api('PUT', '/api/v1/settings/assay',
      { json: { sensitivity: 1, specificity: 1, max_pool_size: 5 } }), 200);
    const limited = assertStatus(await r.get(advisorPath()), 200);
    assert.deepEqual(limited.next_round.options.map((o) => o.pool_size), [1, 5]);
  });

  test('counts people under a sealed zone at single tubes', async () => {
    const place = await r.place(`${C}/2号楼`);
    assertStatus(await r.post('/api/v1/zones', { place_id: place.id, level: 'sealed', reason: '密接' }), 201);
    const v = assertStatus(await r.get(advisorPath()), 200);
    const zoned = v.next_round.zoned.find((z) => z.pool_size === 1);
    assert.ok(zoned, JSON.stringify(v.next_round));
    assert.equal(zoned.people, 20);
  });

  test('refuses an unknown round or place and a place out of the reader\'s scope', async () => {
    assertProblem(await r.get(`/api/v1/rounds/999999/advisor?place_id=${fx.community.id}`), 404, 'unknown_round');
    assertProblem(await r.get(`/api/v1/rounds/${fx.round.id}/advisor?place_id=999999`), 404, 'unknown_place');
    const other = await r.community({ path: '西城区/德胜街道/六铺炕社区', residents: 1 });
    const scoped = await srv.newUser({ role: 'community', scope: '西城区/德胜街道/六铺炕社区' });
    assertProblem(await r.as(scoped.token).get(advisorPath()), 403, 'forbidden');
    const courier = await srv.newUser({ role: 'courier' });
    assertProblem(await r.as(courier.token).get(advisorPath()), 403, 'forbidden');
    assert.ok(other.community.id);
  });
});
