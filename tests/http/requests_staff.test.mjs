// Community operations (docs/api.md, "Community operations"; tag community in
// docs/openapi.yaml): residents' requests — from a personal code without a token, logged by
// staff, assigned, commented on, closed, listed zone first and overdue on a settable clock —
// staff on duty and scans per hour, and a round's notices and reminders through the outbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, newKey, residentRow, startServer, uniqueIdNumbers } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const C = '西城区/德胜街道/新康社区';
const HOUR = 3600 * 1000;

let srv;
let r; // as the admin
let office; // a community user scoped to the community
let community;
const [A, B, Z, S] = uniqueIdNumbers(4);

before(async () => {
  srv = await startServer({ args: ['--settable-clock', '--evaluate-zones-every', '0'] });
  r = new Rounds(srv, await srv.adminToken());
  ({ community } = await r.community({
    path: C,
    rows: [
      residentRow(A, '甲', `${C}/1号楼/1单元/101`),
      residentRow(B, '乙', `${C}/1号楼/1单元/102`),
      residentRow(Z, '丙', `${C}/9号楼/1单元/101`),
      residentRow(S, '丁', `${C}/2号楼/1单元/101`),
    ],
  }));
  const user = await srv.newUser({ role: 'community', scope: C });
  office = r.as(user.token);
  office.username = user.username;
});
after(() => srv?.dispose());

async function codeOf(idNumber) {
  const id = (await r.resident(idNumber)).id;
  return assertStatus(await r.get(`/api/v1/residents/${id}/code`), 200).code;
}

/** A POST without a token. */
function anonymous(path, json, opts = {}) {
  return srv.api('POST', path, { json, ...opts });
}

async function clockNow() {
  return Date.parse(assertStatus(await r.get('/api/v1/clock'), 200).now);
}

async function setClock(ms) {
  assertStatus(await r.api('PUT', '/api/v1/clock', { json: { now: new Date(ms).toISOString() } }), 200);
  srv._adminToken = null;
  r.token = await srv.adminToken();
}

describe('a request from a personal code without a token', () => {
  test('is accepted for the code’s own resident, once per Idempotency-Key', async () => {
    const code = await codeOf(A);
    const key = newKey('help');
    const body = { person: code, category: 'medicine', detail: '降压药快吃完了' };
    const res = await anonymous('/api/v1/requests', body, { idempotencyKey: key });
    const made = assertStatus(res, 201);
    assert.equal(made.status, 'open');
    assert.equal(made.category, 'medicine');
    assert.equal(made.person.name, '甲');
    assert.match(made.person.id_number_masked, /\*{8}/);
    assert.equal(made.source, 'resident');
    assert.equal(Date.parse(made.due_at) - Date.parse(made.created_at), 4 * HOUR);
    const again = await anonymous('/api/v1/requests', body, { idempotencyKey: key });
    assert.equal(assertStatus(again, 201).id, made.id);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const seen = assertStatus(await office.get(`/api/v1/requests/${made.id}`), 200);
    assert.equal(seen.timeline[0].event, 'created');
    assert.equal(seen.timeline[0].actor, 'resident');
  });

  test('refuses an ID number or a resident id without a token, and a bad code', async () => {
    assertProblem(await anonymous('/api/v1/requests', { person: A, category: 'food', detail: '米' }), 401, 'unauthenticated');
    const id = (await r.resident(A)).id;
    assertProblem(await anonymous('/api/v1/requests', { person: String(id), category: 'food', detail: '米' }), 401, 'unauthenticated');
    assertProblem(await anonymous('/api/v1/requests', { person: 'SW1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', category: 'food', detail: '米' }), 422, 'invalid_personal_code');
    assertProblem(await anonymous('/api/v1/requests', { person: await codeOf(A), category: 'beer', detail: '米' }), 422, 'invalid_field');
    assertProblem(await anonymous('/api/v1/requests', { person: await codeOf(A), category: 'food' }), 422, 'missing_field');
  });
});

describe('staff handle a request', () => {
  test('log, assign, comment and close it, each answering the request', async () => {
    const made = assertStatus(await office.post('/api/v1/requests', { person: B, category: 'food', detail: '独居老人缺米面' }), 201);
    assert.equal(made.source, 'staff');
    assert.equal(made.created_by, office.username);
    assertProblem(await office.post(`/api/v1/requests/${made.id}/assign`, { assignee: 'nobody-here' }), 422, 'unknown_assignee');
    const assigned = assertStatus(await office.post(`/api/v1/requests/${made.id}/assign`, { assignee: office.username }), 200);
    assert.equal(assigned.status, 'assigned');
    assert.equal(assigned.assignee, office.username);
    const commented = assertStatus(await office.post(`/api/v1/requests/${made.id}/comments`, { text: '下午送到' }), 200);
    assert.deepEqual(commented.comments.map((c) => c.text), ['下午送到']);
    assertProblem(await office.post(`/api/v1/requests/${made.id}/close`, {}), 422, 'resolution_required');
    const closed = assertStatus(await office.post(`/api/v1/requests/${made.id}/close`, { resolution: '已送达' }), 200);
    assert.equal(closed.status, 'closed');
    assert.deepEqual(closed.timeline.map((e) => e.event), ['created', 'assigned', 'comment', 'closed']);
    assertProblem(await office.post(`/api/v1/requests/${made.id}/close`, { resolution: 'again' }), 409, 'request_closed');
    assertProblem(await office.get('/api/v1/requests/999999'), 404, 'unknown_request');
  });

  test('a viewer reads but does not change; a recorder does not read', async () => {
    const viewer = r.as((await srv.newUser({ role: 'viewer' })).token);
    assertStatus(await viewer.get('/api/v1/requests'), 200);
    assertProblem(await viewer.post('/api/v1/requests', { person: B, category: 'food', detail: 'x' }), 403, 'forbidden');
    const recorder = r.as((await srv.newUser({ role: 'recorder' })).token);
    assertProblem(await recorder.get('/api/v1/requests'), 403, 'forbidden');
  });
});

describe('the board', () => {
  test('lists people under a zone first and, as time passes, the overdue', async () => {
    const start = await clockNow();
    const medical = assertStatus(await office.post('/api/v1/requests', { person: S, category: 'medical', detail: '透析' }), 201);
    const zoned = assertStatus(await office.post('/api/v1/requests', { person: Z, category: 'other', detail: '快递' }), 201);
    const building = await r.place(`${C}/9号楼`);
    assertStatus(await r.post('/api/v1/zones', { place_id: building.id, level: 'controlled', reason: '密接' }), 201);

    const open = assertStatus(await office.get(`/api/v1/requests?status=open&place_id=${community.id}`), 200);
    assert.equal(open.requests[0].id, zoned.id, JSON.stringify(open.requests.map((x) => [x.id, x.zoned])));
    assert.equal(open.requests[0].zoned, true);
    assert.ok(open.requests.every((x) => x.status !== 'closed'));
    const dues = open.requests.slice(1).map((x) => Date.parse(x.due_at));
    assert.deepEqual(dues, [...dues].sort((a, b) => a - b));
    assert.equal(open.next_cursor, null);
    assert.deepEqual(assertStatus(await office.get('/api/v1/requests?overdue=true'), 200).requests, []);

    await setClock(start + 3 * HOUR);
    const late = assertStatus(await r.get(`/api/v1/requests?overdue=true&place_id=${community.id}`), 200).requests;
    assert.ok(late.some((x) => x.id === medical.id && x.overdue), JSON.stringify(late));
    assert.ok(!late.some((x) => x.id === zoned.id)); // 24 h to go

    const page = assertStatus(await r.get('/api/v1/requests?status=open&limit=1'), 200);
    assert.equal(page.requests.length, 1);
    assert.equal(page.next_cursor, '1');
    assertProblem(await r.get('/api/v1/requests?status=done'), 422, 'invalid_field');
  });

  test('due hours are the admin’s to change', async () => {
    const due = assertStatus(await r.get('/api/v1/settings/request-due'), 200);
    assert.deepEqual(due.hours, { medicine: 4, food: 12, medical: 2, code_popup: 24, other: 24 });
    assertProblem(await office.api('PUT', '/api/v1/settings/request-due', { json: { hours: { food: 6 } } }), 403, 'forbidden');
    assertProblem(await r.api('PUT', '/api/v1/settings/request-due', { json: { hours: { food: 0 } } }), 422, 'invalid_field');
    const saved = assertStatus(await r.api('PUT', '/api/v1/settings/request-due', { json: { hours: { food: 6 } } }), 200);
    assert.equal(saved.hours.food, 6);
    assert.equal(saved.hours.medicine, 4);
    const made = assertStatus(await office.post('/api/v1/requests', { person: B, category: 'food', detail: '面粉' }), 201);
    assert.equal(Date.parse(made.due_at) - Date.parse(made.created_at), 6 * HOUR);
  });
});

describe('staff, shifts and notices', () => {
  test('who is on duty now, and each user’s scans per hour', async () => {
    const now = await clockNow();
    const v = assertStatus(await office.post('/api/v1/staff', { name: '志愿者甲', kind: 'volunteer', phone: '13800000000', organisation: '团区委', place_id: community.id }), 201);
    assert.equal(v.username, null);
    assertProblem(await office.post('/api/v1/staff', { name: '乙', kind: 'boss', place_id: community.id }), 422, 'invalid_field');
    const group = assertStatus(await office.post('/api/v1/work-groups', { name: '核酸组', place_id: community.id }), 201);
    const withMember = assertStatus(await office.post(`/api/v1/work-groups/${group.id}/members`, { staff_id: v.id }), 200);
    assert.deepEqual(withMember.members.map((m) => m.id), [v.id]);
    assertProblem(await office.post('/api/v1/work-groups/999999/members', { staff_id: v.id }), 404, 'unknown_work_group');
    const iso = (ms) => new Date(ms).toISOString();
    const shift = assertStatus(await office.post('/api/v1/shifts', { staff_id: v.id, place_id: community.id, starts_at: iso(now - HOUR), ends_at: iso(now + HOUR), duty: '扫码' }), 201);
    assert.equal(shift.staff.name, '志愿者甲');
    assertProblem(await office.post('/api/v1/shifts', { staff_id: v.id, place_id: community.id, starts_at: iso(now), ends_at: iso(now) }), 422, 'invalid_field');
    const duty = assertStatus(await office.get('/api/v1/staff/on-duty'), 200);
    assert.deepEqual(duty.on_duty.map((s) => s.id), [shift.id]);

    const round = await r.round([community.id], { pool_size: 5 });
    const site = await r.site(community.id);
    await r.filledTube(round.id, site.id, [A, B], { capacity: 5 });
    const scans = assertStatus(await office.get(`/api/v1/staff/scans-per-hour?place_id=${community.id}`), 200).hours;
    assert.equal(scans.reduce((n, x) => n + x.scans, 0), 2, JSON.stringify(scans));
    assert.equal(scans[0].username, 'admin');

    const notice = assertStatus(await office.post(`/api/v1/rounds/${round.id}/notices`, { where: '社区广场', when: '07:00–11:00', lane: 'green' }), 201);
    assert.equal(notice.text, 'where: 社区广场\nwhen: 07:00–11:00\nlane: green');
    assert.deepEqual(notice.place_ids, [community.id]);
    const key = newKey('remind');
    const sent = assertStatus(await office.post(`/api/v1/rounds/${round.id}/reminders`, {}, { idempotencyKey: key }), 200);
    assert.equal(sent.reminded, 2); // Z and S: A and B were sampled
    const again = await office.post(`/api/v1/rounds/${round.id}/reminders`, {}, { idempotencyKey: key });
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const rows = await srv.sqlite("SELECT COUNT(*) FROM outbox WHERE event = 'sampling_reminder'");
    assert.equal(rows.stdout.trim(), '2', rows.stderr);
  });
});
