// Sessions, tokens, users and the login rate limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, assertProblem, assertStatus, residentRow, startServer, uniqueIdNumbers,
} from './harness.mjs';

const ROLES = ['admin', 'command', 'community', 'recorder', 'courier', 'lab', 'viewer'];
const COMMUNITY = '朝阳区/和平街街道/小黄庄社区';

let srv;
before(async () => {
  srv = await startServer();
});
after(() => srv?.dispose());

// Failed logins count against the client address too; in this file they come from their own
// loopback addresses so that they never lock out 127.0.0.1, which the other tests use.
let nextAddr = 100;
const freshAddr = () => `127.0.0.${nextAddr++}`;

describe('sessions', () => {
  test('the first admin, made on the command line, can log in', async () => {
    const res = await srv.session(ADMIN_USERNAME, ADMIN_PASSWORD);
    const body = assertStatus(res, 201);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.equal(typeof body.token, 'string');
    assert.ok(body.token.length >= 20, 'a token is long enough not to be guessed');
    assert.equal(body.user.username, ADMIN_USERNAME);
    assert.equal(body.user.role, 'admin');
    assert.ok('scope' in body.user, 'the user carries its scope');
    assert.equal(body.user.scope, null, 'the first admin is unscoped');
  });

  test('a session expires in the future, written as RFC 3339 UTC', async () => {
    const res = await srv.session(ADMIN_USERNAME, ADMIN_PASSWORD);
    const body = assertStatus(res, 201);
    assert.match(body.expires_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.ok(Date.parse(body.expires_at) > Date.now(), 'expires_at lies in the future');
  });

  test('each login gets its own token, and both work', async () => {
    const a = await srv.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    const b = await srv.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    assert.notEqual(a, b);
    assertStatus(await srv.api('GET', '/api/v1/me', { token: a }), 200);
    assertStatus(await srv.api('GET', '/api/v1/me', { token: b }), 200);
  });

  test('logging out ends the session on the server, and only that one', async () => {
    const first = await srv.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    const second = await srv.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    assertStatus(await srv.api('DELETE', '/api/v1/sessions', { token: first }), 204);
    assertProblem(await srv.api('GET', '/api/v1/me', { token: first }), 401, 'unauthenticated');
    assertStatus(await srv.api('GET', '/api/v1/me', { token: second }), 200);
  });

  test('without a token, a malformed body is refused as unauthenticated, not judged', async () => {
    assertProblem(await srv.api('POST', '/api/v1/tubes', { json: {} }), 401, 'unauthenticated');
    assertProblem(await srv.api('POST', '/api/v1/rounds', { json: { pool_size: 7 } }), 401, 'unauthenticated');
    assertProblem(await srv.api('POST', '/api/v1/tubes', { token: 'swb_not-a-token', json: {} }), 401, 'unauthenticated');
  });

  test('a wrong password is refused as invalid_credentials', async () => {
    const res = await srv.apiFrom(freshAddr(), 'POST', '/api/v1/sessions',
      { json: { username: ADMIN_USERNAME, password: 'not-the-password' } });
    assertProblem(res, 401, 'invalid_credentials');
    assert.ok(!('token' in res.body));
  });

  test('an unknown username is refused exactly like a wrong password', async () => {
    const wrong = await srv.apiFrom(freshAddr(), 'POST', '/api/v1/sessions',
      { json: { username: ADMIN_USERNAME, password: 'not-the-password' } });
    const unknown = await srv.apiFrom(freshAddr(), 'POST', '/api/v1/sessions',
      { json: { username: 'nobody-at-all', password: 'not-the-password' } });
    assertProblem(unknown, 401, 'invalid_credentials');
    assert.equal(unknown.body.detail, wrong.body.detail, 'the detail does not tell whether the user exists');
  });

  test('a login body without a password is refused with a 422 problem', async () => {
    const res = await srv.apiFrom(freshAddr(), 'POST', '/api/v1/sessions', { json: { username: ADMIN_USERNAME } });
    assertProblem(res, 422);
  });

  test('a login body that is not JSON is refused with a problem, not a crash', async () => {
    const res = await srv.api('POST', '/api/v1/sessions',
      { body: '{"username": "admin", ', headers: { 'content-type': 'application/json' } });
    assert.ok(res.status >= 400 && res.status < 500, `expected a 4xx, got ${res.status}`);
    assertProblem(res, res.status);
  });
});

describe('tokens', () => {
  test('GET /me returns the user behind the token', async () => {
    const token = await srv.adminToken();
    const res = await srv.api('GET', '/api/v1/me', { token });
    const body = assertStatus(res, 200);
    assert.equal(body.username, ADMIN_USERNAME);
    assert.equal(body.role, 'admin');
    assert.equal(body.scope, null);
  });

  test('a call without a token is refused as unauthenticated', async () => {
    assertProblem(await srv.api('GET', '/api/v1/me'), 401, 'unauthenticated');
  });

  test('a call with an unknown token is refused as unauthenticated', async () => {
    assertProblem(await srv.api('GET', '/api/v1/me', { token: 'swb_0000000000000000000000000000' }), 401, 'unauthenticated');
  });

  test('a token sent without the Bearer scheme is refused as unauthenticated', async () => {
    const token = await srv.adminToken();
    assertProblem(await srv.api('GET', '/api/v1/me', { headers: { authorization: token } }), 401, 'unauthenticated');
    assertProblem(await srv.api('GET', '/api/v1/me', { headers: { authorization: `Basic ${token}` } }), 401, 'unauthenticated');
  });

  test('the Bearer scheme is matched without regard to case', async () => {
    const token = await srv.adminToken();
    assertStatus(await srv.api('GET', '/api/v1/me', { headers: { authorization: `bearer ${token}` } }), 200);
  });

  test('a token with one character changed is refused', async () => {
    const token = await srv.adminToken();
    const last = token.at(-1);
    const altered = token.slice(0, -1) + (last === '0' ? '1' : '0');
    assertProblem(await srv.api('GET', '/api/v1/me', { token: altered }), 401, 'unauthenticated');
  });

  test('a mutating call without a token is refused as unauthenticated and changes nothing', async () => {
    const [id] = uniqueIdNumbers(1);
    const res = await srv.importResidents(undefined, [residentRow(id, '无令牌', COMMUNITY)]);
    assertProblem(res, 401, 'unauthenticated');
    const token = await srv.adminToken();
    assert.equal(await srv.findResident(token, id), undefined);
  });
});

describe('users', () => {
  test('an admin adds a user, who can then log in with the role given', async () => {
    const token = await srv.adminToken();
    const res = await srv.addUserResponse(token, { username: 'wang.recorder', role: 'recorder', password: 'recorder-pass-1' });
    const body = assertStatus(res, 201);
    assert.equal(typeof body.id, 'number');
    assert.equal(body.username, 'wang.recorder');
    assert.equal(body.role, 'recorder');
    assert.equal(body.scope, null);
    const login = assertStatus(await srv.session('wang.recorder', 'recorder-pass-1'), 201);
    assert.equal(login.user.role, 'recorder');
    const me = assertStatus(await srv.api('GET', '/api/v1/me', { token: login.token }), 200);
    assert.equal(me.username, 'wang.recorder');
    assert.equal(me.role, 'recorder');
  });

  test('every role of the contract can be given to a user', async () => {
    const token = await srv.adminToken();
    for (const role of ROLES) {
      const body = await srv.addUser(token, { username: `every-${role}`, role, password: 'role-pass-1234' });
      assert.equal(body.role, role);
      const me = assertStatus(await srv.api('GET', '/api/v1/me', { token: await srv.login(`every-${role}`, 'role-pass-1234') }), 200);
      assert.equal(me.role, role);
    }
  });

  test('a user scoped to a community carries that scope in its session and in GET /me', async () => {
    const token = await srv.adminToken();
    const [id] = uniqueIdNumbers(1);
    await srv.importOk(token, [residentRow(id, '李四', COMMUNITY)]);
    const body = await srv.addUser(token, { username: 'li.community', role: 'community', scope: COMMUNITY, password: 'community-pass-1' });
    assert.equal(body.scope, COMMUNITY);
    const login = assertStatus(await srv.session('li.community', 'community-pass-1'), 201);
    assert.equal(login.user.scope, COMMUNITY);
    const me = assertStatus(await srv.api('GET', '/api/v1/me', { token: login.token }), 200);
    assert.equal(me.scope, COMMUNITY);
    assert.equal(me.role, 'community');
  });

  test('a scope naming no place is refused as unknown_place', async () => {
    const token = await srv.adminToken();
    const res = await srv.addUserResponse(token, { username: 'nowhere', role: 'community', scope: '无此区/无此街道/无此社区', password: 'nowhere-pass-1' });
    assertProblem(res, 404, 'unknown_place');
    assertProblem(await srv.apiFrom(freshAddr(), 'POST', '/api/v1/sessions', { json: { username: 'nowhere', password: 'nowhere-pass-1' } }),
      401, 'invalid_credentials');
  });

  test('a username already taken is refused as username_taken', async () => {
    const token = await srv.adminToken();
    await srv.addUser(token, { username: 'twice', role: 'viewer', password: 'twice-pass-123' });
    const res = await srv.addUserResponse(token, { username: 'twice', role: 'lab', password: 'other-pass-123' });
    assertProblem(res, 409, 'username_taken');
    // The first user keeps its password and role.
    const login = assertStatus(await srv.session('twice', 'twice-pass-123'), 201);
    assert.equal(login.user.role, 'viewer');
  });

  test('a role outside the list is refused as invalid_role', async () => {
    const token = await srv.adminToken();
    assertProblem(await srv.addUserResponse(token, { username: 'root', role: 'superuser', password: 'root-pass-1234' }), 422, 'invalid_role');
  });

  test('a password shorter than 8 characters is refused as weak_password', async () => {
    const token = await srv.adminToken();
    assertProblem(await srv.addUserResponse(token, { username: 'shorty', role: 'viewer', password: 'short' }), 422, 'weak_password');
  });

  test('only an admin may add users; every other role is forbidden', async () => {
    const admin = await srv.adminToken();
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      await srv.addUser(admin, { username: `adder-${role}`, role, password: 'adder-pass-123' });
      const token = await srv.login(`adder-${role}`, 'adder-pass-123');
      const res = await srv.addUserResponse(token, { username: `made-by-${role}`, role: 'admin', password: 'sneaky-pass-123' });
      assertProblem(res, 403, 'forbidden', `as ${role}`);
      assertProblem(await srv.apiFrom(freshAddr(), 'POST', '/api/v1/sessions', { json: { username: `made-by-${role}`, password: 'sneaky-pass-123' } }),
        401, 'invalid_credentials', `the user a ${role} tried to add does not exist`);
    }
  });

  test('adding a user without a token is refused as unauthenticated before the body is judged', async () => {
    // A caller who is not logged in learns nothing from the body's faults (nor makes the server
    // hash a password for it).
    const weak = await srv.addUserResponse(undefined, { username: 'anon', role: 'admin', password: 'short' });
    assertProblem(weak, 401, 'unauthenticated');
    const fine = await srv.addUserResponse(undefined, { username: 'anon', role: 'admin', password: 'long-enough-123' });
    assertProblem(fine, 401, 'unauthenticated');
  });
});

describe('login rate limit', () => {
  // Its own server: a lockout must not leak into the other tests.
  let lim;
  before(async () => {
    lim = await startServer();
    const admin = await lim.adminToken();
    for (const u of ['victim', 'bystander', 'patient'])
      await lim.addUser(admin, { username: u, role: 'viewer', password: `${u}-pass-123` });
  });
  after(() => lim?.dispose());

  const login = (from, username, password) =>
    lim.apiFrom(from, 'POST', '/api/v1/sessions', { json: { username, password } });

  test('five failed logins for a username from one address limit that address for that username, not its owner elsewhere', async () => {
    for (let i = 0; i < 5; i++)
      assertProblem(await login('127.0.1.1', 'victim', 'wrong-password'), 401, 'invalid_credentials', `failure ${i + 1}`);
    assertProblem(await login('127.0.1.1', 'victim', 'victim-pass-123'), 429, 'rate_limited');
    // A stranger cannot lock a user out: the owner, from their own address, gets in.
    assertStatus(await login('127.0.1.50', 'victim', 'victim-pass-123'), 201);
    // The stranger's address may still sign in as someone else.
    assertStatus(await login('127.0.1.1', 'bystander', 'bystander-pass-123'), 201);
  });

  test('failed logins spread over addresses lock no one out', async () => {
    for (let i = 0; i < 5; i++)
      assertProblem(await login(`127.0.2.${i + 1}`, 'bystander', 'wrong-password'), 401, 'invalid_credentials', `failure ${i + 1}`);
    assertStatus(await login('127.0.2.50', 'bystander', 'bystander-pass-123'), 201);
  });

  test('four failed logins do not lock anyone out', async () => {
    const from = '127.0.3.1';
    for (let i = 0; i < 4; i++)
      assertProblem(await login(from, 'patient', 'wrong-password'), 401, 'invalid_credentials', `failure ${i + 1}`);
    assertStatus(await login(from, 'patient', 'patient-pass-123'), 201);
  });
});
