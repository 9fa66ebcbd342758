// Rounds and sites (docs/api.md; docs/openapi.yaml, Rounds and sites): create, list, get, close, every error, roles.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, startServer } from './harness.mjs';
import { Rounds, assertRfc3339, newBarcode } from './round_helpers.mjs';

const D = '西城区';
const S = '金融街街道';
const C1 = `${D}/${S}/丰盛社区`;
const C2 = `${D}/${S}/太平桥社区`;
const FAR = '丰台区/卢沟桥街道/小井社区';

let srv;
let r; // Rounds as the admin
let c1;
let c2;
let far;
before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
  c1 = (await r.community({ path: C1, residents: 4 })).community;
  c2 = (await r.community({ path: C2, residents: 3 })).community;
  far = (await r.community({ path: FAR, residents: 2 })).community;
});
after(() => srv?.dispose());

async function allRounds(query = '') {
  const out = [];
  let cursor = null;
  for (let page = 0; page < 200; page++) {
    const q = [query, 'limit=2', cursor ? `cursor=${encodeURIComponent(cursor)}` : ''].filter(Boolean).join('&');
    const body = assertStatus(await r.get(`/api/v1/rounds?${q}`), 200, 'list rounds');
    assert.ok(Array.isArray(body.rounds));
    assert.ok('next_cursor' in body, 'a list answers next_cursor');
    out.push(...body.rounds);
    if (body.next_cursor == null) return out;
    cursor = body.next_cursor;
  }
  throw new Error('the round list does not end');
}

describe('creating rounds', () => {
  test('a new round answers 201 with its name, places, pool size and status active', async () => {
    const res = await r.createRoundResponse({ name: '第一轮全员核酸', place_ids: [c1.id], pool_size: 10 });
    const round = assertStatus(res, 201);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(typeof round.id, 'number');
    assert.equal(round.name, '第一轮全员核酸');
    assert.deepEqual(round.place_ids, [c1.id]);
    assert.equal(round.pool_size, 10);
    assert.equal(round.status, 'active');
    assert.equal(round.starts_at, null);
    assert.equal(round.ends_at, null);
    assertRfc3339(round.created_at, 'created_at');
    assert.equal(round.closed_at, null);
  });

  test('every pool size the contract names (1, 5, 10, 20) is accepted', async () => {
    for (const pool_size of [1, 5, 10, 20]) {
      const round = await r.round([c1.id], { pool_size });
      assert.equal(round.pool_size, pool_size);
    }
  });

  test('a round may cover several places', async () => {
    const round = await r.round([c2.id, c1.id], { pool_size: 5 });
    assert.deepEqual([...round.place_ids].sort((a, b) => a - b), [c1.id, c2.id].sort((a, b) => a - b));
    const got = assertStatus(await r.get(`/api/v1/rounds/${round.id}`), 200);
    assert.deepEqual([...got.place_ids].sort((a, b) => a - b), [c1.id, c2.id].sort((a, b) => a - b));
  });

  test('the optional time window is kept as RFC 3339 UTC', async () => {
    const round = await r.round([c1.id], { starts_at: '2026-04-01T00:00:00Z', ends_at: '2026-04-01T12:00:00Z' });
    assert.equal(Date.parse(round.starts_at), Date.parse('2026-04-01T00:00:00Z'));
    assert.equal(Date.parse(round.ends_at), Date.parse('2026-04-01T12:00:00Z'));
    assertRfc3339(round.starts_at);
    assertRfc3339(round.ends_at);
  });

  test('a time that is not RFC 3339 is refused as invalid_field', async () => {
    assertProblem(await r.createRoundResponse({ name: 'x', place_ids: [c1.id], pool_size: 10, starts_at: 'tomorrow' }),
      422, 'invalid_field');
    assertProblem(await r.createRoundResponse({ name: 'x', place_ids: [c1.id], pool_size: 10, ends_at: '2026-13-01T00:00:00Z' }),
      422, 'invalid_field');
  });

  test('a pool size other than 1, 5, 10 or 20 is refused as invalid_pool_size', async () => {
    const before = (await allRounds()).length;
    for (const pool_size of [0, 2, 3, 4, 8, 15, 21, 25, 30, 40, 100, -10]) {
      assertProblem(await r.createRoundResponse({ name: `池${pool_size}`, place_ids: [c1.id], pool_size }),
        422, 'invalid_pool_size', `pool_size ${pool_size}`);
    }
    assert.equal((await allRounds()).length, before, 'no round was created');
  });

  test('a pool size that is not a whole number is refused with 422', async () => {
    for (const pool_size of ['10', 10.5, true]) {
      const res = await r.createRoundResponse({ name: 'x', place_ids: [c1.id], pool_size });
      assertProblem(res, 422, undefined, `pool_size ${JSON.stringify(pool_size)}`);
      assert.ok(['invalid_pool_size', 'invalid_field'].includes(res.body.code), res.body.code);
    }
  });

  test('a round without a name is refused as missing_field', async () => {
    assertProblem(await r.createRoundResponse({ place_ids: [c1.id], pool_size: 10 }), 422, 'missing_field');
    assertProblem(await r.createRoundResponse({ name: '', place_ids: [c1.id], pool_size: 10 }), 422, 'missing_field');
  });

  test('a round without places is refused as missing_field', async () => {
    assertProblem(await r.createRoundResponse({ name: '无地点', pool_size: 10 }), 422, 'missing_field');
    assertProblem(await r.createRoundResponse({ name: '无地点', place_ids: [], pool_size: 10 }), 422, 'missing_field');
  });

  test('a round over a place that does not exist is refused as unknown_place, and nothing is created', async () => {
    const before = (await allRounds()).length;
    assertProblem(await r.createRoundResponse({ name: '无此地', place_ids: [987654], pool_size: 10 }), 404, 'unknown_place');
    assertProblem(await r.createRoundResponse({ name: '半个无此地', place_ids: [c1.id, 987654], pool_size: 10 }), 404, 'unknown_place');
    assert.equal((await allRounds()).length, before);
  });

  test('a body that is not JSON is refused with 4xx problem', async () => {
    const res = await r.api('POST', '/api/v1/rounds', { body: '{"name":', headers: { 'content-type': 'application/json' } });
    assertProblem(res, res.status);
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
  });
});

describe('listing, reading and closing rounds', () => {
  test('a created round reads back by id exactly as it was answered', async () => {
    const round = await r.round([c1.id], { pool_size: 20, name: '读回' });
    const got = assertStatus(await r.get(`/api/v1/rounds/${round.id}`), 200);
    assert.deepEqual(got, round);
  });

  test('an unknown round id is 404 unknown_round', async () => {
    assertProblem(await r.get('/api/v1/rounds/987654'), 404, 'unknown_round');
  });

  test('the list pages through every round once, with next_cursor null on the last page', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await r.round([c2.id], { name: `分页${i}` }));
    const all = await allRounds();
    const ids = all.map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'no round twice');
    for (const m of made) assert.ok(ids.includes(m.id), `round ${m.id} is listed`);
    const firstPage = assertStatus(await r.get('/api/v1/rounds?limit=2'), 200);
    assert.equal(firstPage.rounds.length, 2);
    assert.notEqual(firstPage.next_cursor, null);
  });

  test('the list refuses a malformed limit with 422 invalid_field, as the residents list does', async () => {
    assertProblem(await r.get('/api/v1/rounds?limit=abc'), 422, 'invalid_field');
  });

  test('the list refuses a malformed cursor with 422 invalid_field, as the residents list does', async () => {
    assertProblem(await r.get('/api/v1/rounds?cursor=abc'), 422, 'invalid_field');
  });

  test('the list refuses a status other than active or closed with 422 invalid_field', async () => {
    assertProblem(await r.get('/api/v1/rounds?status=bogus'), 422, 'invalid_field');
  });

  test('closing a round answers 200 with status closed, and closing it again changes nothing', async () => {
    const round = await r.round([c1.id], { name: '待关闭' });
    const res = await r.post(`/api/v1/rounds/${round.id}/close`);
    const closed = assertStatus(res, 200);
    assert.equal(closed.id, round.id);
    assert.equal(closed.status, 'closed');
    assert.equal(closed.name, round.name);
    assert.equal(closed.pool_size, round.pool_size);
    assertRfc3339(closed.closed_at, 'closed_at');
    const again = assertStatus(await r.post(`/api/v1/rounds/${round.id}/close`), 200);
    assert.equal(again.status, 'closed');
    assert.equal(again.closed_at, closed.closed_at, 'the first closing time stands');
    assert.equal(assertStatus(await r.get(`/api/v1/rounds/${round.id}`), 200).status, 'closed');
  });

  test('closing an unknown round is 404 unknown_round', async () => {
    assertProblem(await r.post('/api/v1/rounds/987654/close'), 404, 'unknown_round');
  });

  test('?status=active lists the active rounds only, ?status=closed the closed ones', async () => {
    const open = await r.round([c1.id], { name: '进行中' });
    const shut = await r.round([c1.id], { name: '已结束' });
    await r.closeRound(shut.id);
    const active = await allRounds('status=active');
    assert.ok(active.every((x) => x.status === 'active'), 'only active rounds');
    assert.ok(active.some((x) => x.id === open.id));
    assert.ok(!active.some((x) => x.id === shut.id));
    const closed = await allRounds('status=closed');
    assert.ok(closed.every((x) => x.status === 'closed'));
    assert.ok(closed.some((x) => x.id === shut.id));
    const all = await allRounds();
    assert.ok(all.some((x) => x.id === open.id) && all.some((x) => x.id === shut.id));
  });

  test('a tube cannot be opened in a closed round: 409 round_closed', async () => {
    const round = await r.round([c1.id], { name: '关后开管' });
    const site = await r.site(c1.id);
    const early = await r.openTube(round.id, site.id);
    assert.equal(early.status, 'open');
    await r.closeRound(round.id);
    const barcode = newBarcode();
    assertProblem(await r.openTubeResponse({ barcode, round_id: round.id, site_id: site.id }), 409, 'round_closed');
    assertProblem(await r.tube(barcode), 404, 'unknown_tube', 'the refused tube was not created');
  });
});

describe('sites', () => {
  test('a new site answers 201 with its id, name, place and address', async () => {
    const res = await r.createSiteResponse({ name: '丰盛社区北门采样点', place_id: c1.id });
    const site = assertStatus(res, 201);
    assert.equal(typeof site.id, 'number');
    assert.equal(site.name, '丰盛社区北门采样点');
    assert.equal(site.place_id, c1.id);
    assert.equal(typeof site.address, 'string');
    assert.ok(site.address.includes('丰盛社区'), site.address);
  });

  test('sites are listed by place', async () => {
    const a = await r.site(c1.id, { name: '甲点' });
    const b = await r.site(c2.id, { name: '乙点' });
    const list1 = assertStatus(await r.get(`/api/v1/sites?place_id=${c1.id}`), 200);
    assert.ok(Array.isArray(list1.sites));
    assert.ok(list1.sites.some((s) => s.id === a.id && s.name === '甲点' && s.place_id === c1.id));
    assert.ok(!list1.sites.some((s) => s.id === b.id), 'a site of another community is not listed');
    const list2 = assertStatus(await r.get(`/api/v1/sites?place_id=${c2.id}`), 200);
    assert.ok(list2.sites.some((s) => s.id === b.id));
  });

  test('the site list pages with limit and cursor', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await r.site(far.id, { name: `远点${i}` })).id);
    const seen = [];
    let cursor = null;
    for (let page = 0; page < 10; page++) {
      const q = `place_id=${far.id}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = assertStatus(await r.get(`/api/v1/sites?${q}`), 200);
      assert.ok(body.sites.length <= 1);
      seen.push(...body.sites.map((x) => x.id));
      if (body.next_cursor == null) break;
      cursor = body.next_cursor;
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), [...made].sort((a, b) => a - b));
  });

  test('the site list refuses a malformed limit or cursor with 422 invalid_field, as the residents list does', async () => {
    await r.site(c1.id, { name: '分页点' });
    assertProblem(await r.get(`/api/v1/sites?place_id=${c1.id}&limit=abc`), 422, 'invalid_field');
    assertProblem(await r.get(`/api/v1/sites?place_id=${c1.id}&cursor=abc`), 422, 'invalid_field');
  });

  test('a site without a name or a place is refused as missing_field', async () => {
    assertProblem(await r.createSiteResponse({ place_id: c1.id }), 422, 'missing_field');
    assertProblem(await r.createSiteResponse({ name: '', place_id: c1.id }), 422, 'missing_field');
    assertProblem(await r.createSiteResponse({ name: '无地' }), 422, 'missing_field');
  });

  test('a site at a place that does not exist is refused as unknown_place', async () => {
    assertProblem(await r.createSiteResponse({ name: '无此地', place_id: 987654 }), 404, 'unknown_place');
  });
});

describe('who may manage rounds and sites', () => {
  test('without a token rounds and sites answer 401', async () => {
    assertProblem(await srv.api('GET', '/api/v1/rounds'), 401);
    assertProblem(await srv.api('POST', '/api/v1/rounds', { json: { name: 'x', place_ids: [c1.id], pool_size: 10 } }), 401);
    assertProblem(await srv.api('POST', '/api/v1/sites', { json: { name: 'x', place_id: c1.id } }), 401);
  });

  test('a recorder may not create or close rounds, nor create sites: 403', async () => {
    const rec = r.as((await srv.newUser({ role: 'recorder' })).token);
    const round = await r.round([c1.id]);
    assertProblem(await rec.createRoundResponse({ name: 'x', place_ids: [c1.id], pool_size: 10 }), 403);
    assertProblem(await rec.post(`/api/v1/rounds/${round.id}/close`), 403);
    assertProblem(await rec.createSiteResponse({ name: 'x', place_id: c1.id }), 403);
    assert.equal(assertStatus(await r.get(`/api/v1/rounds/${round.id}`), 200).status, 'active');
  });

  test('courier, lab and viewer may not create rounds: 403', async () => {
    for (const role of ['courier', 'lab', 'viewer']) {
      const u = r.as((await srv.newUser({ role })).token);
      assertProblem(await u.createRoundResponse({ name: role, place_ids: [c1.id], pool_size: 10 }), 403, undefined, role);
      assertProblem(await u.createSiteResponse({ name: role, place_id: c1.id }), 403, undefined, role);
    }
  });

  test('a viewer may read rounds', async () => {
    const round = await r.round([c1.id]);
    const viewer = r.as((await srv.newUser({ role: 'viewer' })).token);
    assert.equal(assertStatus(await viewer.get(`/api/v1/rounds/${round.id}`), 200).id, round.id);
    assertStatus(await viewer.get('/api/v1/rounds'), 200);
  });

  test('command may create rounds', async () => {
    const cmd = r.as((await srv.newUser({ role: 'command' })).token);
    assert.equal((await cmd.round([c1.id, c2.id])).status, 'active');
  });

  test('a community user creates rounds and sites in its community, not outside it (403)', async () => {
    const community = r.as((await srv.newUser({ role: 'community', scope: C1 })).token);
    const round = await community.round([c1.id]);
    assert.deepEqual(round.place_ids, [c1.id]);
    const site = await community.site(c1.id);
    assert.equal(site.place_id, c1.id);
    assertProblem(await community.createRoundResponse({ name: '越界', place_ids: [far.id], pool_size: 10 }), 403);
    assertProblem(await community.createSiteResponse({ name: '越界', place_id: far.id }), 403);
  });

  test('a community user may not close a round over another community: 403, and it stays active', async () => {
    const theirs = await r.round([far.id], { name: '别人的轮次' });
    const community = r.as((await srv.newUser({ role: 'community', scope: C1 })).token);
    assertProblem(await community.post(`/api/v1/rounds/${theirs.id}/close`), 403);
    assert.equal(assertStatus(await r.get(`/api/v1/rounds/${theirs.id}`), 200).status, 'active');
  });

  test('a community user may not read a round over another community: 403, as for residents and places', async () => {
    const theirs = await r.round([far.id], { name: '别处轮次' });
    const mine = await r.round([c1.id], { name: '本社区轮次' });
    const community = r.as((await srv.newUser({ role: 'community', scope: C1 })).token);
    assert.equal(assertStatus(await community.get(`/api/v1/rounds/${mine.id}`), 200).id, mine.id);
    assertProblem(await community.get(`/api/v1/rounds/${theirs.id}`), 403, 'forbidden');
  });

  test('a community user does not see rounds over other communities listed', async () => {
    const theirs = await r.round([far.id], { name: '别处轮次二' });
    const mine = await r.round([c1.id], { name: '本社区轮次二' });
    const community = r.as((await srv.newUser({ role: 'community', scope: C1 })).token);
    const listed = assertStatus(await community.get('/api/v1/rounds?limit=1000'), 200).rounds.map((x) => x.id);
    assert.ok(listed.includes(mine.id));
    assert.ok(!listed.includes(theirs.id), 'a round wholly outside the user\'s places is not listed');
  });

  test('a community user may not list the sites of another community: 403', async () => {
    await r.site(far.id, { name: '远处的点' });
    const community = r.as((await srv.newUser({ role: 'community', scope: C1 })).token);
    assertProblem(await community.get(`/api/v1/sites?place_id=${far.id}`), 403);
  });
});
