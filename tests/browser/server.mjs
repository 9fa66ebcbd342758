// Shared harness for Swabline's browser tests: a demo-city server on an ephemeral port and
// Debian's headless Chromium driven by playwright-core (never a downloaded browser).
//
//   import { startServer, openBrowser, loginAs } from './server.mjs';
//   let srv;
//   before(async () => { srv = await startServer(); });
//   after(() => srv.dispose());
//   test('…', async () => {
//     const b = await openBrowser(srv, { locale: 'en-US' });
//     try { await loginAs(b.page, 'admin'); … } finally { await b.close(); }
//   });
//
// SWABLINE_BIN names the binary (default: <repo>/build/release/swabline).
// CHROMIUM_BIN names the browser (default: /usr/bin/chromium).
// SWABLINE_KEEP_TMP=1 keeps the temporary folders; SWABLINE_SERVER_LOG=1 echoes the server.

import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const BIN = process.env.SWABLINE_BIN || path.join(REPO_ROOT, 'build', 'release', 'swabline');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const WEB_DIR = path.join(REPO_ROOT, 'web');
export const PASSWORD = 'swabline-demo';
export const COMMUNITY_SCOPE = '朝阳区/和平街街道/小黄庄社区';

const run = promisify(execFile);

/**
 * Builds a one-community demo city in a fresh temp database and serves it with web/.
 * Returns { url, port, tmp, dispose() }.
 */
export async function startServer() {
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'swabline-browser-'));
  const db = path.join(tmp, 'd.db');
  await run(BIN, ['demo', '--no-serve', '--db', db, '--communities', '1'], { timeout: 60_000 });

  const child = spawn(
    BIN,
    ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web-dir', WEB_DIR, '--no-access-log', '--queue-budget-ms', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const echo = process.env.SWABLINE_SERVER_LOG === '1';
  child.stderr.on('data', (d) => {
    output += d;
    if (echo) process.stderr.write(d);
  });

  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${output}`)), 20_000);
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      output += d;
      if (echo) process.stderr.write(d);
      const m = /Swabline is serving on http:\/\/127\.0\.0\.1:(\d+)\//.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before serving:\n${output}`));
    });
  });

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    tmp,
    output: () => output,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (process.env.SWABLINE_KEEP_TMP !== '1') await fsp.rm(tmp, { recursive: true, force: true });
    },
  };
}

// Chromium's switches, as the project runs it. Playwright refuses --user-data-dir among the
// args (it passes the folder itself), so the fresh temporary profile goes in as
// launchPersistentContext's userDataDir and comes out on the command line as
// --user-data-dir=<that folder>.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Headless Debian Chromium with a fresh profile (own cookies and storage) and one page on the
 * server, in the given language. `page.errors` collects uncaught page errors. close() ends the
 * browser and removes the profile.
 */
export async function openBrowser(srv, { locale = 'en-US', viewport = { width: 1200, height: 800 } } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  const profile = await fsp.mkdtemp(path.join(os.tmpdir(), 'swabline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    baseURL: srv.url,
    locale,
    viewport,
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] || (await context.newPage());
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  return {
    context,
    page,
    async close() {
      await context.close();
      await fsp.rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs fn(page, context) in a fresh browser (openBrowser's options), then fails on any uncaught
 * error the page threw, and closes the browser however fn ended.
 */
export async function withBrowser(srv, opts, fn) {
  const b = await openBrowser(srv, opts);
  try {
    await fn(b.page, b.context);
    assert.deepEqual(b.page.errors.map(String), [], 'uncaught errors in the page');
  } finally {
    await b.close();
  }
}

/** Opens the app and signs in; resolves once the header shows the user. */
export async function loginAs(page, username, password = PASSWORD) {
  await page.goto('/');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-name').filter({ hasText: username }).waitFor();
}

/** Calls the API straight from node (for ids and fixtures the UI test then uses). */
export async function apiCall(srv, method, apiPath, { token, json } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(srv.url + apiPath, {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const body = await res.json().catch(() => null);
  return { status: res.status, body };
}

/** A session token for a demo user. */
export async function apiToken(srv, username) {
  const res = await apiCall(srv, 'POST', '/api/v1/sessions', { json: { username, password: PASSWORD } });
  if (res.status !== 201) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** A valid 18-character ID number (GB 11643) from its first 17 digits. */
export function idNumber(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return first17 + CHECK[sum % 11];
}

/** The same number with a wrong check character. */
export function withWrongCheck(id) {
  const right = id[17];
  return id.slice(0, 17) + CHECK[(CHECK.indexOf(right) + 1) % 11];
}
