// Trust at the HTTP edge: malformed and smuggling-shaped requests answered 4xx problem+json
// and closed, hostile bodies refused, rate limits and the connection cap, a slowloris crowd
// that cannot starve /healthz, the pages' security headers, and tokens kept out of the log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, REPO_ROOT, assertProblem, assertStatus, residentRow,
  residentsCsv, startServer, uniqueIdNumbers,
} from './harness.mjs';

const C = '丰台区/方庄街道/芳古园社区';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends `bytes` on a raw socket; resolves with what came back and whether the server closed
 * the connection (within `ms`).
 */
function raw(port, bytes, { ms = 5000 } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    let closed = false;
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ data, closed, ...parse(data) });
    };
    const timer = setTimeout(done, ms);
    sock.setEncoding('utf8');
    sock.on('data', (d) => (data += d));
    sock.on('end', () => {
      closed = true;
      done();
    });
    sock.on('error', done);
    sock.on('connect', () => sock.write(bytes));
  });
}

function parse(data) {
  const m = data.match(/^HTTP\/1\.1 (\d{3})/);
  const split = data.indexOf('\r\n\r\n');
  const head = split < 0 ? data : data.slice(0, split);
  let body = null;
  try {
    body = JSON.parse(data.slice(split + 4));
  } catch {
    // not JSON
  }
  return { status: m ? Number(m[1]) : null, head, body };
}

function assertRefused(res, status, code, what) {
  assert.equal(res.status, status, `${what}: got ${JSON.stringify(res.data.slice(0, 300))}`);
  assert.match(res.head, /content-type: application\/problem\+json/i, what);
  assert.equal(res.body?.code, code, what);
  assert.match(res.head, /connection: close/i, `${what}: the answer says the connection closes`);
  assert.ok(res.closed, `${what}: the server closes the connection`);
}

let srv;
before(async () => {
  srv = await startServer();
});
after(() => srv?.dispose());

const post = (target, headers, body = '') =>
  `POST ${target} HTTP/1.1\r\nHost: t\r\n${headers}\r\n${body}`;

describe('limits of a request', () => {
  test('oversized headers are 431 header_too_large', async () => {
    const res = await raw(srv.port, `GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assertRefused(res, 431, 'header_too_large', 'a 20 KB header');
  });

  test('a 100 KB URL is 414 uri_too_long, and 10,000 query parameters are 414 too', async () => {
    assertRefused(await raw(srv.port, `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: t\r\n\r\n`), 414, 'uri_too_long', '100 KB URL');
    const many = Array.from({ length: 10_000 }, (_, i) => `p${i}=1`).join('&');
    assertRefused(await raw(srv.port, `GET /api/v1/status?${many} HTTP/1.1\r\nHost: t\r\n\r\n`), 414, 'uri_too_long', '10,000 parameters');
    // Fewer, in a short URL: still over the cap on parameters.
    const short = Array(300).fill('a').join('&');
    assertRefused(await raw(srv.port, `GET /api/v1/status?${short} HTTP/1.1\r\nHost: t\r\n\r\n`), 414, 'too_many_parameters', '300 parameters');
  });

  test('bad chunk sizes and a chunk longer than its size are 400 malformed_http', async () => {
    const chunked = (body) => post('/api/v1/sessions', 'Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n', body);
    for (const [what, body] of [
      ['zz', 'zz\r\n{}\r\n0\r\n\r\n'],
      ['-1', '-1\r\n{}\r\n0\r\n\r\n'],
      ['overflow', '1ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n'],
      ['data longer than its size', '2\r\n{"username":"a"}\r\n0\r\n\r\n'],
    ])
      assertRefused(await raw(srv.port, chunked(body)), 400, 'malformed_http', what);
    assertStatus(await srv.api('GET', '/healthz'), 200);
  });
});

describe('smuggling shapes', () => {
  const login = JSON.stringify({ username: 'nobody', password: 'wrong-password' });
  test('a Transfer-Encoding other than exactly chunked is 400 ambiguous_framing', async () => {
    assertRefused(await raw(srv.port, post('/api/v1/sessions', 'Transfer-Encoding: gzip\r\n', login)), 400, 'ambiguous_framing', 'gzip, no length');
    assertRefused(await raw(srv.port, post('/api/v1/sessions', `Transfer-Encoding: xchunked\r\nContent-Length: ${login.length}\r\n`, login)),
      400, 'ambiguous_framing', 'xchunked with a length');
  });

  test('Transfer-Encoding and Content-Length together are 400 ambiguous_framing, in either order', async () => {
    const body = `${login.length.toString(16)}\r\n${login}\r\n0\r\n\r\n`;
    assertRefused(await raw(srv.port, post('/api/v1/sessions', `Transfer-Encoding: chunked\r\nContent-Length: 4\r\n`, body)), 400, 'ambiguous_framing', 'TE then CL');
    assertRefused(await raw(srv.port, post('/api/v1/sessions', `Content-Length: 4\r\nTransfer-Encoding: chunked\r\n`, body)), 400, 'ambiguous_framing', 'CL then TE');
  });

  test('HTTP/1.1 without Host or with two is 400 invalid_host; two Authorization headers 400 duplicate_header', async () => {
    assertRefused(await raw(srv.port, 'GET /healthz HTTP/1.1\r\n\r\n'), 400, 'invalid_host', 'no Host');
    assertRefused(await raw(srv.port, 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'), 400, 'invalid_host', 'two Hosts');
    assertRefused(await raw(srv.port, 'GET /api/v1/me HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer x\r\nAuthorization: Bearer y\r\n\r\n'),
      400, 'duplicate_header', 'two Authorization headers');
    const ok = await raw(srv.port, 'GET /healthz HTTP/1.0\r\n\r\n');
    assert.equal(ok.status, 200, 'HTTP/1.0 needs no Host');
  });
});

describe('hostile bodies', () => {
  test('a JSON member named twice is 422 duplicate_key', async () => {
    const body = `{"username":"${ADMIN_USERNAME}","password":"wrong","password":"${ADMIN_PASSWORD}"}`;
    const res = await srv.api('POST', '/api/v1/sessions', { body, headers: { 'content-type': 'application/json' } });
    const p = assertProblem(res, 422, 'duplicate_key');
    assert.equal(p.key, 'password');
  });

  test('U+0000 in a JSON string is 422 nul_character, in a CSV field that row is rejected', async () => {
    const admin = await srv.adminToken();
    const body = JSON.stringify({ username: 'nul\u0000user', role: 'viewer', password: 'long-enough-123' });
    assertProblem(await srv.api('POST', '/api/v1/users', { token: admin, body, headers: { 'content-type': 'application/json' } }), 422, 'nul_character');
    const [a, b, c] = uniqueIdNumbers(3);
    const csv = residentsCsv([residentRow(a, 'ok', C), residentRow(b, 'bad\u0000name', C)]) +
      [c, 'wide', '', ...C.split('/'), '', '', '', ''].join(',') + ','.repeat(3000) + '\n';
    const report = await srv.importOk(admin, csv);
    assert.equal(report.created, 1);
    assert.deepEqual(report.rejected.map((r) => [r.line, r.code]), [[3, 'nul_character'], [4, 'too_many_columns']]);
  });
});

describe('rate limits', () => {
  let lim;
  before(async () => {
    lim = await startServer({ args: ['--login-failures', '3', '--login-rate', '8', '--status-rate', '4'] });
    const admin = await lim.adminToken();
    for (const u of ['victim', 'walker'])
      await lim.addUser(admin, { username: u, role: 'viewer', password: `${u}-pass-123` });
  });
  after(() => lim?.dispose());
  const login = (from, username, password) =>
    lim.apiFrom(from, 'POST', '/api/v1/sessions', { json: { username, password } });

  test('failed logins limit the stranger\'s address for that user; the user from elsewhere still signs in', async () => {
    for (let i = 0; i < 3; i++)
      assertProblem(await login('127.0.4.1', 'victim', 'wrong-password'), 401, 'invalid_credentials');
    const limited = await login('127.0.4.1', 'victim', 'victim-pass-123');
    assertProblem(limited, 429, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'Retry-After says when to come back');
    assertStatus(await login('127.0.4.2', 'victim', 'victim-pass-123'), 201);
  });

  test('logins per address are limited for every username; other addresses are not', async () => {
    // 8 a minute: the refill under a slow Argon2id on a busy machine may give back one or two.
    let ok = 0;
    let limited;
    for (let i = 0; i < 20 && !limited; i++) {
      const res = await login('127.0.5.1', i % 2 ? 'walker' : 'victim', `${i % 2 ? 'walker' : 'victim'}-pass-123`);
      if (res.status === 201) ok++;
      else limited = res;
    }
    assert.ok(ok >= 8 && ok <= 12, `${ok} logins before the limit`);
    assertProblem(limited, 429, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assertStatus(await login('127.0.5.2', 'walker', 'walker-pass-123'), 201);
  });

  test('public status look-ups are limited per address with 429 and Retry-After', async () => {
    for (let i = 0; i < 4; i++)
      assertProblem(await lim.apiFrom('127.0.6.1', 'GET', '/api/v1/status?code=hello'), 422, 'invalid_personal_code');
    const limited = await lim.apiFrom('127.0.6.1', 'GET', '/api/v1/status?code=hello');
    assertProblem(limited, 429, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assertProblem(await lim.apiFrom('127.0.6.2', 'GET', '/api/v1/status?code=hello'), 422, 'invalid_personal_code');
  });
});

describe('behind a reverse proxy', () => {
  // 127.0.8.1 plays the deployment's haproxy; 127.0.8.2 anyone else.
  let px;
  before(async () => {
    px = await startServer({
      args: ['--trusted-proxy', '127.0.8.1/32', '--status-rate', '2', '--request-rate', '2'],
    });
  });
  after(() => px?.dispose());
  const lookup = (from, forwardedFor) => px.apiFrom(from, 'GET', '/api/v1/status?code=hello', {
    headers: forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {},
  });

  test('from a --trusted-proxy, the limits key on the client X-Forwarded-For names, right-most first', async () => {
    for (let i = 0; i < 2; i++)
      assertProblem(await lookup('127.0.8.1', '198.51.100.1'), 422, 'invalid_personal_code');
    assertProblem(await lookup('127.0.8.1', '198.51.100.1'), 429, 'rate_limited');
    // Another client behind the same proxy has a bucket of its own…
    assertProblem(await lookup('127.0.8.1', '198.51.100.2'), 422, 'invalid_personal_code');
    // …and the limited one gains nothing by sending a made-up address to the left of its own.
    assertProblem(await lookup('127.0.8.1', '203.0.113.9, 198.51.100.1'), 429, 'rate_limited');
  });

  test('from anyone else, X-Forwarded-For is ignored', async () => {
    for (let i = 0; i < 2; i++)
      assertProblem(await lookup('127.0.8.2', `198.51.100.${10 + i}`), 422, 'invalid_personal_code');
    assertProblem(await lookup('127.0.8.2', '198.51.100.12'), 429, 'rate_limited');
  });

  test('residents\' requests sent without a token are limited per address (--request-rate)', async () => {
    const send = (from) => px.apiFrom(from, 'POST', '/api/v1/requests', {
      json: { person: 'not-a-personal-code', category: 'food', detail: 'rice' },
    });
    for (let i = 0; i < 2; i++) {
      const res = await send('127.0.9.1');
      assert.ok(res.status >= 400 && res.status < 500 && res.status !== 429, `answered ${res.status}`);
    }
    const limited = await send('127.0.9.1');
    assertProblem(limited, 429, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'Retry-After says when to come back');
    assert.notEqual((await send('127.0.9.2')).status, 429, 'another address is not limited');
  });
});

describe('connections', () => {
  test('over --max-connections a new connection is answered 503 too_many_connections and closed', async () => {
    const capped = await startServer({ args: ['--max-connections', '3'] });
    const idle = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = net.connect(capped.port, '127.0.0.1');
        await new Promise((r) => s.on('connect', r));
        idle.push(s);
      }
      await sleep(200);
      const res = await raw(capped.port, 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n');
      assertRefused(res, 503, 'too_many_connections', 'a fourth connection');
      assert.match(res.head, /retry-after: \d+/i);
      for (const s of idle) s.destroy();
      await sleep(200);
      assertStatus(await capped.api('GET', '/healthz'), 200);
    } finally {
      for (const s of idle) s.destroy();
      await capped.dispose();
    }
  });

  test('500 connections dribbling their headers do not keep /healthz from answering within a second', async () => {
    const crowd = [];
    const drip = setInterval(() => {
      for (const s of crowd) if (!s.destroyed) s.write('X-Drip: 1\r\n');
    }, 200);
    try {
      for (let i = 0; i < 500; i++) {
        const s = net.connect(srv.port, '127.0.0.1');
        s.on('error', () => {});
        s.write('GET /healthz HTTP/1.1\r\nHost: t\r\n');
        crowd.push(s);
      }
      await sleep(1000);
      const times = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        assertStatus(await srv.api('GET', '/healthz'), 200);
        times.push(performance.now() - t0);
      }
      const worst = Math.max(...times);
      console.log(`# slowloris: /healthz with 500 dribbling connections: worst of 5 ${worst.toFixed(1)} ms, median ${times.sort((a, b) => a - b)[2].toFixed(1)} ms`);
      assert.ok(worst < 1000, `/healthz took ${worst.toFixed(0)} ms`);
    } finally {
      clearInterval(drip);
      for (const s of crowd) s.destroy();
    }
  });
});

describe('headers and tokens', () => {
  test('pages carry a Content-Security-Policy with no inline script, nosniff and no-referrer', async () => {
    const res = await srv.api('GET', '/');
    assertStatus(res, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const part of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"])
      assert.ok(csp.includes(part), `CSP has ${part}: ${csp}`);
    // 'wasm-unsafe-eval' (the station's camera decoder is WebAssembly) allows no JavaScript eval.
    assert.ok(!csp.includes("'unsafe-inline'") && !csp.includes("'unsafe-eval'"), csp);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  });

  test('the pages hold no inline script, inline handler or style attribute the policy would block', () => {
    const web = path.join(REPO_ROOT, 'web');
    const html = fs.readFileSync(path.join(web, 'index.html'), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline <script>');
    assert.doesNotMatch(html, /\son[a-z]+=|\sstyle=|<style/i, 'no inline handler or style');
    // web/vendor/ holds pinned npm packages, copied in by `make`, not code of ours.
    const scripts = fs
      .readdirSync(web, { recursive: true })
      .filter((f) => String(f).endsWith('.js') && !String(f).startsWith('vendor'));
    for (const f of scripts) {
      const js = fs.readFileSync(path.join(web, String(f)), 'utf8');
      assert.doesNotMatch(js, /\beval\(|new Function\(|setAttribute\(\s*['"](style|on[a-z]+)['"]|style: *`/, f);
      assert.doesNotMatch(js, /[?&]token=|access_token/, `${f}: a token never goes into a URL`);
    }
  });

  test('API answers are nosniff and no-store', async () => {
    const res = await srv.api('GET', '/api/v1/me', { token: await srv.adminToken() });
    assertStatus(res, 200);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  test('a token sent in the header or (wrongly) in the URL never reaches the access log', async () => {
    const logged = await startServer({ accessLog: true });
    try {
      const token = await logged.adminToken();
      assertStatus(await logged.api('GET', '/api/v1/me', { token }), 200);
      await logged.api('GET', `/api/v1/me?token=${token}&access_token=${token}`);
      await logged.api('GET', `/api/v1/tubes/${token}`, { token });
      await logged.stop();
      assert.match(logged.log, /\/api\/v1\/me/, 'the access log is on');
      assert.ok(!logged.log.includes(token), 'the token is not in the log');
      assert.ok(!logged.log.includes(token.slice(0, 16)), 'nor a part of it');
    } finally {
      await logged.dispose();
    }
  });
});
