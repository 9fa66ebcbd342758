// Idempotency-Key: a repeat returns the first response and changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertProblem, assertStatus, newKey, residentRow, residentsCsv, startServer, uniqueIdNumbers,
} from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const C = '东城区/东华门街道/多福巷社区';

let srv;
let admin;
before(async () => {
  srv = await startServer();
  admin = await srv.adminToken();
});
after(() => srv?.dispose());

function rows(ids, name = '居民') {
  return ids.map((id, i) => residentRow(id, `${name}${i}`, `${C}/1号楼`));
}

test('a repeated import with the same key returns the first response and changes nothing', async () => {
  const ids = uniqueIdNumbers(5);
  const csv = residentsCsv(rows(ids));
  const key = newKey('import');
  const first = await srv.importResidents(admin, csv, { idempotencyKey: key });
  assert.deepEqual(assertStatus(first, 200), { created: 5, updated: 0, rejected: [], encoding: 'utf-8' });
  assert.equal(first.headers.get('idempotent-replayed'), null, 'the first response is not a replay');
  const firstResidents = await Promise.all(ids.map((id) => srv.findResident(admin, id)));

  const again = await srv.importResidents(admin, csv, { idempotencyKey: key });
  assert.equal(again.status, 200);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.text, first.text, 'the very same body');
  assert.equal(again.headers.get('content-type'), first.headers.get('content-type'));

  // Nothing changed: no resident twice, none updated (a fresh import would report updated=5).
  for (const [i, id] of ids.entries()) {
    const list = assertStatus(await srv.api('GET', `/api/v1/residents?q=${id}`, { token: admin }), 200);
    assert.equal(list.residents.length, 1);
    assert.deepEqual(list.residents[0], firstResidents[i]);
  }
  const fresh = await srv.importOk(admin, csv);
  assert.deepEqual(fresh, { created: 0, updated: 5, rejected: [], encoding: 'utf-8' }, 'without the key the same file is a new request');
});

test('a replay is not written to the audit log as a second import', async () => {
  const csv = residentsCsv(rows(uniqueIdNumbers(2), '审计'));
  const key = newKey('audit');
  const count = async () => Number((await srv.auditVerify()).stdout.match(/intact: (\d+) records/)?.[1]);
  assertStatus(await srv.importResidents(admin, csv, { idempotencyKey: key }), 200);
  const n = await count();
  assert.ok(Number.isInteger(n));
  for (let i = 0; i < 3; i++) assertStatus(await srv.importResidents(admin, csv, { idempotencyKey: key }), 200);
  assert.equal(await count(), n);
});

test('the same key with a different body is refused as idempotency_key_reused and changes nothing', async () => {
  const [a, b, c] = uniqueIdNumbers(3);
  const key = newKey('reuse');
  assertStatus(await srv.importResidents(admin, rows([a], '甲'), { idempotencyKey: key }), 200);
  const res = await srv.importResidents(admin, rows([b, c], '乙'), { idempotencyKey: key });
  assert.notEqual(res.headers.get('idempotent-replayed'), 'true',
    `a different CSV body was answered with the first file's stored response ${res.text}`);
  assertProblem(res, 422, 'idempotency_key_reused');
  assert.equal(await srv.findResident(admin, b), undefined, 'the second body was not imported');
  // And the first request still replays.
  const again = await srv.importResidents(admin, rows([a], '甲'), { idempotencyKey: key });
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
});

test('the same key on add-user with a different body is refused as idempotency_key_reused', async () => {
  const key = newKey('user-reuse');
  const first = await srv.api('POST', '/api/v1/users',
    { token: admin, idempotencyKey: key, json: { username: 'reuse-one', role: 'viewer', password: 'reuse-pass-123' } });
  assertStatus(first, 201);
  const second = await srv.api('POST', '/api/v1/users',
    { token: admin, idempotencyKey: key, json: { username: 'reuse-two', role: 'viewer', password: 'reuse-pass-123' } });
  assertProblem(second, 422, 'idempotency_key_reused');
  assertProblem(await srv.apiFrom('127.0.0.9', 'POST', '/api/v1/sessions', { json: { username: 'reuse-two', password: 'reuse-pass-123' } }),
    401, 'invalid_credentials');
});

test('the same key on another endpoint is refused as idempotency_key_reused', async () => {
  const key = newKey('cross');
  const user = await srv.api('POST', '/api/v1/users',
    { token: admin, idempotencyKey: key, json: { username: 'cross-user', role: 'viewer', password: 'cross-pass-123' } });
  assertStatus(user, 201);
  const [id] = uniqueIdNumbers(1);
  assertProblem(await srv.importResidents(admin, rows([id]), { idempotencyKey: key }), 422, 'idempotency_key_reused');
  assert.equal(await srv.findResident(admin, id), undefined);
});

test('a repeated add-user with the same key returns the same user instead of username_taken', async () => {
  const key = newKey('user');
  const json = { username: 'once-only', role: 'recorder', password: 'once-pass-123' };
  const first = await srv.api('POST', '/api/v1/users', { token: admin, idempotencyKey: key, json });
  const body = assertStatus(first, 201);
  const again = await srv.api('POST', '/api/v1/users', { token: admin, idempotencyKey: key, json });
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.body, body);
  // Without the key it is a new request, and the name is taken.
  assertProblem(await srv.api('POST', '/api/v1/users', { token: admin, json }), 409, 'username_taken');
});

test('keys belong to a user: another user with the same key gets their own request done', async () => {
  const other = await srv.newUser({ role: 'admin' });
  const key = newKey('shared');
  const [a, b] = uniqueIdNumbers(2);
  const mine = await srv.importResidents(admin, rows([a], '我'), { idempotencyKey: key });
  assert.deepEqual(assertStatus(mine, 200), { created: 1, updated: 0, rejected: [], encoding: 'utf-8' });
  const theirs = await srv.importResidents(other.token, rows([b], '他'), { idempotencyKey: key });
  assert.deepEqual(assertStatus(theirs, 200), { created: 1, updated: 0, rejected: [], encoding: 'utf-8' });
  assert.equal(theirs.headers.get('idempotent-replayed'), null);
  assert.ok(await srv.findResident(admin, b));
});

test('a refused request is not stored: its repeat is judged afresh', async () => {
  // Adding a user scoped to a place that does not exist yet fails; once the place is imported
  // the same request, with the same key, succeeds.
  const scope = '东城区/景山街道/吉祥社区';
  const key = newKey('afresh');
  const json = { username: 'later-scoped', role: 'community', scope, password: 'later-pass-123' };
  assertProblem(await srv.api('POST', '/api/v1/users', { token: admin, idempotencyKey: key, json }), 404, 'unknown_place');
  const again = await srv.api('POST', '/api/v1/users', { token: admin, idempotencyKey: key, json });
  assertProblem(again, 404, 'unknown_place');
  assert.equal(again.headers.get('idempotent-replayed'), null);
  await srv.importOk(admin, [residentRow(uniqueIdNumbers(1)[0], '吉祥', scope)]);
  const done = await srv.api('POST', '/api/v1/users', { token: admin, idempotencyKey: key, json });
  assert.equal(assertStatus(done, 201).scope, scope);
  assert.equal(done.headers.get('idempotent-replayed'), null);
});

test('a refused import does not use up its key: a corrected body with the same key is imported', async () => {
  const key = newKey('fix');
  const [id] = uniqueIdNumbers(1);
  const broken = `id_number,name\n${id},缺列\n`;
  assertProblem(await srv.importResidents(admin, broken, { idempotencyKey: key }), 422, 'invalid_request');
  const fixed = await srv.importResidents(admin, rows([id], '补全'), { idempotencyKey: key });
  assert.deepEqual(assertStatus(fixed, 200), { created: 1, updated: 0, rejected: [], encoding: 'utf-8' });
});

test('a 200 with rejected rows is a success, and its repeat is a replay', async () => {
  const [good] = uniqueIdNumbers(1);
  const key = newKey('partial');
  const csv = residentsCsv([residentRow(good, '好', C), residentRow('110105194912310021', '坏', C)]);
  const first = await srv.importResidents(admin, csv, { idempotencyKey: key });
  const body = assertStatus(first, 200);
  assert.equal(body.created, 1);
  assert.equal(body.rejected.length, 1);
  const again = await srv.importResidents(admin, csv, { idempotencyKey: key });
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.body, body);
});

test('concurrent repeats of one request with one key run it once', async () => {
  const ids = uniqueIdNumbers(20);
  const csv = residentsCsv(rows(ids, '并发'));
  const key = newKey('race');
  const results = await Promise.all(Array.from({ length: 8 }, () => srv.importResidents(admin, csv, { idempotencyKey: key })));
  for (const r of results) assertStatus(r, 200);
  const bodies = new Set(results.map((r) => r.text));
  assert.equal(bodies.size, 1, `every response is the first one: ${[...bodies].join(' | ')}`);
  assert.deepEqual(results[0].body, { created: 20, updated: 0, rejected: [], encoding: 'utf-8' });
  const replays = results.filter((r) => r.headers.get('idempotent-replayed') === 'true').length;
  assert.equal(replays, 7, 'all but one are replays');
  for (const id of ids.slice(0, 3)) {
    const list = assertStatus(await srv.api('GET', `/api/v1/residents?q=${id}`, { token: admin }), 200);
    assert.equal(list.residents.length, 1);
  }
});

test('a key is not shared between a refused-as-unauthenticated caller and the user', async () => {
  const key = newKey('anon');
  const [id] = uniqueIdNumbers(1);
  assertProblem(await srv.importResidents(undefined, rows([id], '匿名'), { idempotencyKey: key }), 401, 'unauthenticated');
  const res = await srv.importResidents(admin, rows([id], '匿名'), { idempotencyKey: key });
  assert.deepEqual(assertStatus(res, 200), { created: 1, updated: 0, rejected: [], encoding: 'utf-8' });
  assert.equal(res.headers.get('idempotent-replayed'), null);
});

test('a key belongs to the user, not the session: a repeat from a new login is still a replay', async () => {
  const key = newKey('relogin');
  const csv = residentsCsv(rows(uniqueIdNumbers(2), '换令牌'));
  const first = await srv.importResidents(admin, csv, { idempotencyKey: key });
  assertStatus(first, 200);
  const token = await srv.login('admin', 'admin-pass-123');
  assert.notEqual(token, admin);
  const again = await srv.importResidents(token, csv, { idempotencyKey: key });
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.text, first.text);
});

test('a key is remembered across a restart of the server', async () => {
  const key = newKey('restart');
  const csv = residentsCsv(rows(uniqueIdNumbers(3), '重启'));
  const first = await srv.importResidents(admin, csv, { idempotencyKey: key });
  assert.deepEqual(assertStatus(first, 200), { created: 3, updated: 0, rejected: [], encoding: 'utf-8' });
  const exit = await srv.stop();
  assert.equal(exit.code, 0, srv.log);
  await srv.start();
  admin = await srv.adminToken();
  const again = await srv.importResidents(admin, csv, { idempotencyKey: key });
  assert.equal(again.status, 200);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.text, first.text);
});

test('a repeated scan with the same key replays the first 201 body, encoded where it was stored', async () => {
  // The scan's body is encoded off the writer thread (Reply::render); the stored copy that a
  // replay sends must still be the whole body, not an empty one.
  const r = new Rounds(srv, admin);
  const { community, ids } = await r.community({ path: `${C}/重放`, residents: 1 });
  const round = await r.round([community.id]);
  const site = await r.site(community.id);
  const tube = await r.openTube(round.id, site.id);
  const key = newKey('scan');
  const first = await r.scan(tube.barcode, ids[0], {}, { idempotencyKey: key });
  const body = assertStatus(first, 201);
  assert.equal(body.tube.count, 1);
  const again = await r.scan(tube.barcode, ids[0], {}, { idempotencyKey: key });
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.text, first.text, 'the very same body');
  assert.equal((await r.tubeOk(tube.barcode)).count, 1, 'the replay took no second slot');
});
