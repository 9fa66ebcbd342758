// Shared harness for Swabline's HTTP-level tests (node:test, no dependencies).
//
// Each test file starts its own server on a fresh temporary database:
//
//   import { startServer } from './harness.mjs';
//   let srv;
//   before(async () => { srv = await startServer(); });
//   after(() => srv.dispose());
//   test('…', async () => {
//     const token = await srv.adminToken();
//     const res = await srv.api('GET', '/api/v1/me', { token });
//   });
//
// Helpers: srv.api / srv.apiFrom / srv.client(token) for requests; srv.login, srv.adminToken,
// srv.addUser, srv.newUser({role, scope}) for people; srv.importResidents / srv.importOk with
// residentsCsv / residentRow and idNumber / uniqueIdNumbers for the registry; srv.stop / srv.start
// to restart on the same database; srv.auditVerify / srv.auditCount, srv.sqlite, srv.copyDatabase,
// srv.databaseBytes and runCli for what lies outside HTTP; assertProblem / assertStatus to check.
//
// SWABLINE_BIN names the binary (default: <repo>/build/release/swabline).
// SWABLINE_KEEP_TMP=1 keeps the temporary folders for a post-mortem.
// SWABLINE_SERVER_LOG=1 echoes the server's stdout/stderr to this process's stderr.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const BIN = process.env.SWABLINE_BIN || path.join(REPO_ROOT, 'build', 'release', 'swabline');
export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'admin-pass-123';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// ID numbers (GB 11643)

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character (ISO 7064 MOD 11-2) for the first 17 digits of an ID number. */
export function checkChar(first17) {
  assert.match(first17, /^\d{17}$/, `checkChar needs 17 digits, got ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/**
 * An 18-character ID number with the right check character. `date` is YYYYMMDD (it is not
 * validated here, so tests can build impossible dates with a correct check character), `seq`
 * the 3-digit sequence (a number or a string).
 */
export function idNumber({ region = '110105', date = '19900307', seq = 1 } = {}) {
  const s = String(seq).padStart(3, '0');
  const first17 = `${region}${date}${s}`;
  return first17 + checkChar(first17);
}

/** The same number with a wrong check character. */
export function withWrongCheck(id) {
  const right = checkChar(id.slice(0, 17));
  const wrong = CHECK[(CHECK.indexOf(right) + 1) % 11];
  return id.slice(0, 17) + wrong;
}

/** The masked form the API shows: first 6 and last 4 kept. */
export function masked(id) {
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

let idCounter = 0;
/**
 * `n` distinct valid ID numbers. Each call gives numbers never given before in this process,
 * so tests in one file do not collide; pass `region` to choose the first six digits.
 */
export function uniqueIdNumbers(n, { region = '110105' } = {}) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const k = idCounter++;
    // Dates from 1950-01-01 onward, 28 days a month so every date is real; 999 sequences each.
    const day = Math.floor(k / 999);
    const seq = (k % 999) + 1;
    const year = 1950 + Math.floor(day / (12 * 28));
    const month = Math.floor(day / 28) % 12 + 1;
    const dom = (day % 28) + 1;
    const date = `${year}${String(month).padStart(2, '0')}${String(dom).padStart(2, '0')}`;
    out.push(idNumber({ region, date, seq }));
  }
  return out;
}

export const VALID_IDS = ['11010519491231002X', '110105199003071239', '310115198506124414', '440304200101010030'];

// ---------------------------------------------------------------------------------------------
// CSV

export const CSV_HEADER = 'id_number,name,phone,district,street,community,building,unit,room,tags';
const COLUMNS = CSV_HEADER.split(',');

function csvField(v) {
  const s = v == null ? '' : Array.isArray(v) ? v.join(';') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * A residents CSV. Each row is an object with the header's columns (missing ones empty;
 * `tags` may be an array) or an array of raw fields. `header` overrides the header row.
 */
export function residentsCsv(rows, { header = CSV_HEADER } = {}) {
  const lines = [header];
  for (const row of rows) {
    const fields = Array.isArray(row) ? row : COLUMNS.map((c) => row[c]);
    lines.push(fields.map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

/** A resident row living at `place` ("District/Street/Community[/Building[/Unit[/Room]]]"). */
export function residentRow(id_number, name, place, extra = {}) {
  const [district, street, community, building, unit, room] = place.split('/');
  return { id_number, name, phone: '', district, street, community, building, unit, room, tags: '', ...extra };
}

// ---------------------------------------------------------------------------------------------
// Assertions

/** Asserts an RFC 9457 problem with the given status and code; returns its body. */
export function assertProblem(res, status, code, message = '') {
  const where = `${message ? message + ': ' : ''}${res.method} ${res.path}`;
  assert.equal(res.status, status, `${where}: expected status ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/,
    `${where}: an error must be application/problem+json`);
  assert.equal(typeof res.body, 'object', `${where}: the problem body must be JSON`);
  for (const k of ['type', 'title', 'status', 'detail', 'code'])
    assert.ok(k in res.body, `${where}: the problem lacks "${k}": ${JSON.stringify(res.body)}`);
  assert.equal(res.body.status, status, `${where}: problem.status`);
  if (code !== undefined) assert.equal(res.body.code, code, `${where}: problem.code (detail: ${res.body.detail})`);
  return res.body;
}

/** Asserts a status (showing the body on failure); returns the body. */
export function assertStatus(res, status, message = '') {
  assert.equal(res.status, status,
    `${message ? message + ': ' : ''}${res.method} ${res.path}: expected ${status}, got ${res.status} ${typeof res.body === 'string' ? res.body.slice(0, 500) : JSON.stringify(res.body)}`);
  return res.body;
}

// ---------------------------------------------------------------------------------------------
// Processes

async function waitForBinary(timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fsp.access(BIN, fs.constants.X_OK);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the swabline binary ${BIN} is missing (set SWABLINE_BIN)`);
      await sleep(1000);
    }
  }
}

/**
 * Runs the CLI to completion: `{ code, signal, stdout, stderr }`. Retries briefly when the
 * binary is missing or being replaced (a rebuild in progress).
 */
export async function runCli(args, { input, env, timeoutMs = 60_000 } = {}) {
  for (let attempt = 0; ; attempt++) {
    await waitForBinary();
    try {
      return await runOnce(BIN, args, { input, env, timeoutMs });
    } catch (e) {
      if ((e.code === 'ETXTBSY' || e.code === 'ENOENT') && attempt < 30) {
        await sleep(1000);
        continue;
      }
      throw e;
    }
  }
}

function runOnce(bin, args, { input, env, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the program may exit without reading stdin
    child.stdin.end(input ?? '');
  });
}

/** Runs the sqlite3 command-line shell on a database file: `{ code, stdout, stderr }`. */
export function sqlite(dbFile, sql) {
  return runOnce('sqlite3', [dbFile, sql], { timeoutMs: 30_000 });
}

// ---------------------------------------------------------------------------------------------
// The server

export class Server {
  constructor(dir, db) {
    this.dir = dir;
    this.db = db;
    this.keyFile = `${db}.key`;
    this.proc = null;
    this.port = null;
    this.baseUrl = null;
    this.log = '';
    this.exit = null; // { code, signal } once the process has ended
    this._adminToken = null;
    this._userCount = 0;
  }

  /**
   * Spawns `swabline serve` on port 0 and waits for its "serving on" line. `accessLog: true`
   * leaves the access log on (it goes to `this.log` with the rest of the output).
   */
  async start({ args = [], accessLog = false, timeoutMs = 30_000 } = {}) {
    assert.equal(this.proc, null, 'the server is already running');
    this.exit = null;
    await waitForBinary();
    let proc;
    for (let attempt = 0; ; attempt++) {
      // The queue budget refuses what waits too long, and a loaded test machine makes everything
      // wait: the suites check behaviour, so only a test that names the flag gets one.
      const budget = args.includes('--queue-budget-ms') ? [] : ['--queue-budget-ms', '0'];
      const serveArgs = ['serve', '--db', this.db, '--listen', '127.0.0.1:0', ...(accessLog ? [] : ['--no-access-log']), ...budget, ...args];
      proc = spawn(BIN, serveArgs, {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const spawned = await Promise.race([
        once(proc, 'spawn').then(() => null),
        once(proc, 'error').then(([e]) => e),
      ]);
      if (!spawned) break;
      if ((spawned.code === 'ETXTBSY' || spawned.code === 'ENOENT') && attempt < 30) {
        await sleep(1000);
        await waitForBinary();
        continue;
      }
      throw spawned;
    }
    this.proc = proc;
    const echo = !!process.env.SWABLINE_SERVER_LOG;
    const exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.exit = { code, signal };
        this.proc = null;
        resolve(this.exit);
      });
    });
    this._exited = exited;
    const port = await new Promise((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`the server did not start within ${timeoutMs} ms:\n${this.log}`)), timeoutMs);
      const onData = (d) => {
        this.log += d;
        if (echo) process.stderr.write(d);
      };
      proc.stdout.setEncoding('utf8').on('data', (d) => {
        onData(d);
        buf += d;
        const m = buf.match(/Swabline is serving on http:\/\/127\.0\.0\.1:(\d+)\//);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      proc.stderr.setEncoding('utf8').on('data', onData);
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (code ${code}, signal ${signal}) before serving:\n${this.log}`));
      });
    });
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this._adminToken = null; // tokens survive a restart, but a fresh login is cheap and certain
    return this;
  }

  /** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`). Returns `{ code, signal }`. */
  async stop({ timeoutMs = 15_000 } = {}) {
    if (!this.proc) return this.exit;
    const proc = this.proc;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    const result = await this._exited;
    clearTimeout(timer);
    return result;
  }

  /** Stops the server (if running) and removes the temporary folder. */
  async dispose() {
    await this.stop();
    if (process.env.SWABLINE_KEEP_TMP) {
      process.stderr.write(`kept ${this.dir}\n`);
      return;
    }
    await fsp.rm(this.dir, { recursive: true, force: true });
  }

  // --- HTTP ------------------------------------------------------------------------------

  /**
   * One request. `json` sends a JSON body, `csv` a text/csv body, `body` a raw body (with
   * `headers['content-type']` as you choose). Returns `{ status, headers, body, text }`:
   * `body` is parsed for JSON and problem+json responses, else the text.
   */
  async api(method, urlPath, { token, json, csv, body, headers = {}, idempotencyKey } = {}) {
    assert.ok(this.baseUrl, 'the server is not running');
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    if (idempotencyKey !== undefined) h['idempotency-key'] = idempotencyKey;
    let payload = body;
    if (json !== undefined) {
      payload = JSON.stringify(json);
      if (!hasHeader(h, 'content-type')) h['content-type'] = 'application/json';
    } else if (csv !== undefined) {
      payload = csv;
      if (!hasHeader(h, 'content-type')) h['content-type'] = 'text/csv';
    }
    let res;
    let text;
    try {
      res = await fetch(this.baseUrl + urlPath, { method, headers: h, body: payload });
      text = await res.text();
    } catch (e) {
      const cause = e.cause?.code ?? e.cause?.message ?? e.message;
      const state = this.exit ? `the server exited ${JSON.stringify(this.exit)}` : 'the server is still running';
      const err = new Error(`${method} ${urlPath}: no response (${cause}); ${state}\n${this.log.slice(-2000)}`);
      err.cause = e;
      throw err;
    }
    return decode(method, urlPath, res.status, res.headers, text);
  }

  /**
   * A small client bound to a token: `c.get(path)`, `c.post(path, json)`, `c.postCsv(path, csv)`,
   * `c.put/patch/delete(path, json?)`; each takes an optional last `opts` for `api`.
   */
  client(token) {
    const call = (method) => (urlPath, json, opts = {}) => this.api(method, urlPath, { token, json, ...opts });
    return {
      token,
      get: (urlPath, opts = {}) => this.api('GET', urlPath, { token, ...opts }),
      post: call('POST'),
      put: call('PUT'),
      patch: call('PATCH'),
      delete: call('DELETE'),
      postCsv: (urlPath, csv, opts = {}) => this.api('POST', urlPath, { token, csv, ...opts }),
    };
  }

  /**
   * A request from a chosen loopback source address (127.0.0.2, …), for per-address rules
   * such as the login rate limit. Same result shape as `api`.
   */
  apiFrom(localAddress, method, urlPath, { token, json, headers = {} } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload;
    if (json !== undefined) {
      payload = Buffer.from(JSON.stringify(json));
      h['content-type'] = 'application/json';
      h['content-length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: this.port, method, path: urlPath, headers: h, localAddress, agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            const hdrs = new Headers();
            for (const [k, v] of Object.entries(res.headers)) hdrs.set(k, Array.isArray(v) ? v.join(', ') : v);
            resolve(decode(method, urlPath, res.statusCode, hdrs, text));
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** POST /api/v1/sessions; the raw response. */
  session(username, password) {
    return this.api('POST', '/api/v1/sessions', { json: { username, password } });
  }

  /** Logs in and returns the token; fails the test if the login is refused. */
  async login(username, password) {
    const res = await this.session(username, password);
    assertStatus(res, 201, `login as ${username}`);
    assert.equal(typeof res.body.token, 'string');
    return res.body.token;
  }

  /** A token for the first admin (cached). */
  async adminToken() {
    if (!this._adminToken) this._adminToken = await this.login(ADMIN_USERNAME, ADMIN_PASSWORD);
    return this._adminToken;
  }

  /** POST /api/v1/users; the raw response. */
  addUserResponse(token, { username, role, scope, password }) {
    const json = { username, role, password };
    if (scope !== undefined) json.scope = scope;
    return this.api('POST', '/api/v1/users', { token, json });
  }

  /** Adds a user (as `token`, an admin) and returns the 201 body. */
  async addUser(token, { username, role, scope, password }) {
    const res = await this.addUserResponse(token, { username, role, scope, password });
    assertStatus(res, 201, `add user ${username}`);
    return res.body;
  }

  /**
   * Creates a user with a fresh name (as the admin) and logs in.
   * Returns `{ username, password, token, user }`.
   */
  async newUser({ role, scope, username, password = 'user-pass-1234' }) {
    username ??= `${role}${++this._userCount}-${process.pid}`;
    const user = await this.addUser(await this.adminToken(), { username, role, scope, password });
    const token = await this.login(username, password);
    return { username, password, token, user };
  }

  /** POST /api/v1/residents/import with a CSV (text, or rows for `residentsCsv`); raw response. */
  importResidents(token, csvOrRows, { headers, idempotencyKey } = {}) {
    const csv = typeof csvOrRows === 'string' ? csvOrRows : residentsCsv(csvOrRows);
    return this.api('POST', '/api/v1/residents/import', { token, csv, headers, idempotencyKey });
  }

  /** Imports and asserts 200; returns the report body. */
  async importOk(token, csvOrRows, opts) {
    const res = await this.importResidents(token, csvOrRows, opts);
    return assertStatus(res, 200, 'import');
  }

  /** GET /api/v1/places?path=… ; raw response. */
  placeAt(token, placePath) {
    return this.api('GET', `/api/v1/places?path=${encodeURIComponent(placePath)}`, { token });
  }

  /** The first resident whose ID number is `id` (as `token`), or undefined. */
  async findResident(token, id) {
    const res = await this.api('GET', `/api/v1/residents?q=${encodeURIComponent(id)}`, { token });
    assertStatus(res, 200, `find resident ${masked(id)}`);
    return res.body.residents[0];
  }

  // --- CLI -------------------------------------------------------------------------------

  /** Runs `swabline <args…>` (add `--db` yourself, or use the helpers below). */
  cli(args, opts) {
    return runCli(args, opts);
  }

  /** `swabline audit verify --db <db>` (or another copy): `{ code, stdout, stderr }`. */
  auditVerify(dbFile = this.db) {
    return runCli(['audit', 'verify', '--db', dbFile]);
  }

  /** The record count of `audit verify`, failing the test unless the chain is intact. */
  async auditCount(dbFile = this.db) {
    const out = await this.auditVerify(dbFile);
    assert.equal(out.code, 0, `audit verify: ${out.stdout}${out.stderr}`);
    const m = out.stdout.match(/audit chain intact: (\d+) records/);
    assert.ok(m, `audit verify printed: ${out.stdout}`);
    return Number(m[1]);
  }

  /**
   * Copies the database (with its WAL side files and its key) beside it as `<name>.db`, for a
   * test that edits a copy; stop the server first. Returns the copy's path.
   */
  async copyDatabase(name) {
    const copy = path.join(this.dir, `${name}.db`);
    for (const suffix of ['', '-wal', '-journal', '.key']) {
      try {
        await fsp.copyFile(this.db + suffix, copy + suffix);
      } catch (e) {
        if (e.code !== 'ENOENT') throw e;
      }
    }
    return copy;
  }

  /** `swabline user add NAME --role ROLE [--scope S] --password-stdin --db <db>`. */
  cliAddUser(username, role, password, { scope } = {}) {
    const args = ['user', 'add', username, '--role', role, '--password-stdin', '--db', this.db];
    if (scope) args.push('--scope', scope);
    return runCli(args, { input: password + '\n' });
  }

  /** Runs SQL on the server's database (or a copy) with the sqlite3 shell; stop the server first to edit. */
  sqlite(sql, dbFile = this.db) {
    return sqlite(dbFile, sql);
  }

  /** The bytes of the database file and its WAL/journal side files, if any. */
  async databaseBytes() {
    const parts = [];
    for (const f of [this.db, `${this.db}-wal`, `${this.db}-journal`, `${this.db}-shm`]) {
      try {
        parts.push(await fsp.readFile(f));
      } catch (e) {
        if (e.code !== 'ENOENT') throw e;
      }
    }
    return Buffer.concat(parts);
  }
}

function hasHeader(h, name) {
  return Object.keys(h).some((k) => k.toLowerCase() === name);
}

function decode(method, urlPath, status, headers, text) {
  const type = headers.get('content-type') ?? '';
  let body = text;
  if (/^application\/(problem\+)?json/.test(type)) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text; // left as text; the test will say what it expected
    }
  }
  return { method, path: urlPath, status, headers, body, text };
}

/**
 * A fresh temp dir and database with the first admin (admin / admin-pass-123), and a running
 * server. `start: false` leaves the server stopped (call `srv.start()`).
 */
export async function startServer({ start = true, args = [], accessLog = false } = {}) {
  await waitForBinary();
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'swabline-http-'));
  const db = path.join(dir, 't.db');
  const srv = new Server(dir, db);
  try {
    const added = await srv.cliAddUser(ADMIN_USERNAME, 'admin', ADMIN_PASSWORD);
    if (added.code !== 0) {
      throw new Error(`swabline user add failed (exit ${added.code}):\n${added.stdout}${added.stderr}`);
    }
    if (start) await srv.start({ args, accessLog });
  } catch (e) {
    await srv.dispose();
    throw e;
  }
  return srv;
}

/** A fresh Idempotency-Key. */
let keyCounter = 0;
export function newKey(prefix = 'k') {
  return `${prefix}-${process.pid}-${Date.now()}-${++keyCounter}`;
}
