// Operations: health, metrics, routing errors, problem+json everywhere, limits, lifecycle.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  assertProblem, assertStatus, residentRow, residentsCsv, startServer, uniqueIdNumbers,
} from './harness.mjs';

const C = '丰台区/方庄街道/芳古园社区';

let srv;
let admin;
before(async () => {
  srv = await startServer();
  admin = await srv.adminToken();
});
after(() => srv?.dispose());

function metricValue(text, name, labels = null) {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)$/);
    if (!m || m[1] !== name) continue;
    if (labels && !Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) continue;
    return Number(m[3]);
  }
  return undefined;
}

async function metrics() {
  const res = await srv.api('GET', '/metrics');
  assertStatus(res, 200);
  return res.text;
}

describe('health', () => {
  test('GET /healthz answers ok without a token', async () => {
    const res = await srv.api('GET', '/healthz');
    assert.deepEqual(assertStatus(res, 200), { status: 'ok' });
    assert.match(res.headers.get('content-type'), /^application\/json/);
  });

  test('GET /healthz answers ok even with a bad token', async () => {
    assert.deepEqual(assertStatus(await srv.api('GET', '/healthz', { token: 'garbage' }), 200), { status: 'ok' });
  });
});

describe('metrics', () => {
  test('GET /metrics is Prometheus text with the request, latency and commit-batch metrics', async () => {
    await srv.api('GET', '/api/v1/me', { token: admin });
    await srv.importOk(admin, [residentRow(uniqueIdNumbers(1)[0], '度量', C)]);
    const res = await srv.api('GET', '/metrics');
    assertStatus(res, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain/);
    const text = res.text;
    for (const name of ['swabline_http_requests_total', 'swabline_http_request_duration_seconds', 'swabline_db_commit_batch_size'])
      assert.ok(text.includes(name), `${name} is exported`);
    assert.match(text, /# TYPE swabline_http_requests_total counter/);
    assert.match(text, /# TYPE swabline_http_request_duration_seconds histogram/);
    assert.match(text, /# TYPE swabline_db_commit_batch_size histogram/);
    // Every sample line is well formed.
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? ([-+0-9.eE]+|[+-]Inf|NaN)$/, `a malformed sample: ${line}`);
    }
  });

  test('the request counter grows with each request, by route and status', async () => {
    const labels = { route: '/api/v1/me', status: '200' };
    const before = metricValue(await metrics(), 'swabline_http_requests_total', labels) ?? 0;
    for (let i = 0; i < 3; i++) assertStatus(await srv.api('GET', '/api/v1/me', { token: admin }), 200);
    const afterCount = metricValue(await metrics(), 'swabline_http_requests_total', labels);
    assert.equal(afterCount, before + 3);
  });

  test('requests are labelled by route pattern, never by the raw path', async () => {
    await srv.api('GET', '/api/v1/residents/7777777', { token: admin });
    await srv.api('GET', '/api/v1/no-such-thing-5555555', { token: admin });
    const text = await metrics();
    assert.ok(!text.includes('7777777'), 'a resident id leaked into a label');
    assert.ok(!text.includes('5555555'), 'an unknown path leaked into a label');
    assert.ok(metricValue(text, 'swabline_http_requests_total', { route: '/api/v1/residents/{id}', status: '404' }) >= 1);
  });

  test('the histograms are cumulative and their counts match the +Inf bucket', async () => {
    const text = await metrics();
    for (const name of ['swabline_http_request_duration_seconds', 'swabline_db_commit_batch_size']) {
      const buckets = text.split('\n').filter((l) => l.startsWith(`${name}_bucket{`)).map((l) => Number(l.split(' ').at(-1)));
      assert.ok(buckets.length >= 2, `${name} has buckets`);
      for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] >= buckets[i - 1], `${name} buckets are cumulative`);
      const inf = metricValue(text, `${name}_bucket`, { le: '+Inf' });
      assert.equal(metricValue(text, `${name}_count`), inf);
      assert.ok(inf > 0, `${name} has observations`);
    }
  });

  test('each write is counted in the commit-batch histogram', async () => {
    const before = metricValue(await metrics(), 'swabline_db_commit_batch_size_sum');
    const n = 12;
    const results = await Promise.all(Array.from({ length: n }, (_, i) =>
      srv.importResidents(admin, [residentRow(uniqueIdNumbers(1)[0], `批${i}`, C)])));
    for (const r of results) assertStatus(r, 200);
    const afterSum = metricValue(await metrics(), 'swabline_db_commit_batch_size_sum');
    assert.ok(afterSum - before >= n, `the batches held ${afterSum - before} use cases, expected at least ${n}`);
  });
});

describe('routing', () => {
  test('an unknown /api route is refused as not_found', async () => {
    assertProblem(await srv.api('GET', '/api/v1/nothing-here', { token: admin }), 404, 'not_found');
    assertProblem(await srv.api('POST', '/api/v1/nothing-here', { token: admin, json: {} }), 404, 'not_found');
    assertProblem(await srv.api('GET', '/api/v1/residents/1/nothing', { token: admin }), 404, 'not_found');
    assertProblem(await srv.api('GET', '/api/v2/me', { token: admin }), 404, 'not_found');
  });

  test('a wrong method on a known path is refused as method_not_allowed', async () => {
    assertProblem(await srv.api('DELETE', '/api/v1/me', { token: admin }), 405, 'method_not_allowed');
    assertProblem(await srv.api('GET', '/api/v1/sessions', { token: admin }), 405, 'method_not_allowed');
    assertProblem(await srv.api('PUT', '/api/v1/residents/import', { token: admin, csv: 'x' }), 405, 'method_not_allowed');
    assertProblem(await srv.api('POST', '/api/v1/places/1', { token: admin, json: {} }), 405, 'method_not_allowed');
    assertProblem(await srv.api('DELETE', '/api/v1/users', { token: admin }), 405, 'method_not_allowed');
  });

  test('a 405 names the allowed methods in an Allow header', async () => {
    const res = await srv.api('PUT', '/api/v1/sessions', { token: admin });
    assertProblem(res, 405, 'method_not_allowed');
    const allow = res.headers.get('allow');
    assert.ok(allow, 'RFC 9110 requires Allow on a 405');
    assert.match(allow, /\bPOST\b/);
  });

  test('HEAD on a static file, / and /healthz answers the headers of a GET with no body', async () => {
    for (const path of ['/', '/index.html', '/healthz', '/some/ui/route']) {
      const get = await fetch(srv.baseUrl + path);
      const getBody = Buffer.from(await get.arrayBuffer());
      const head = await fetch(srv.baseUrl + path, { method: 'HEAD' });
      assert.equal(head.status, 200, path);
      assert.equal(head.headers.get('content-type'), get.headers.get('content-type'), path);
      assert.equal(head.headers.get('content-length'), String(getBody.length), `${path}: the GET's length`);
      assert.equal((await head.arrayBuffer()).byteLength, 0, `${path}: no body`);
    }
    // The connection stays usable after a HEAD: no stray body bytes were sent.
    const sock = net.connect(srv.port, '127.0.0.1');
    await new Promise((resolve) => sock.once('connect', resolve));
    let got = '';
    sock.setEncoding('latin1').on('data', (d) => { got += d; });
    sock.write('HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => sock.once('end', resolve));
    const answers = got.split('HTTP/1.1 200 OK');
    assert.equal(answers.length, 3, got);
    assert.ok(!answers[1].includes('"status"'), `the HEAD answer carried a body: ${got}`);
    assert.ok(answers[2].endsWith('{"status":"ok"}'), got);
  });

  test('HEAD under /api is refused as method_not_allowed (a GET there may be an audited read)', async () => {
    const res = await fetch(srv.baseUrl + '/api/v1/me', { method: 'HEAD', headers: { authorization: `Bearer ${admin}` } });
    assert.equal(res.status, 405);
    assert.match(res.headers.get('allow'), /\bGET\b/);
  });

  test('the import path is not mistaken for a resident id', async () => {
    const res = await srv.importResidents(admin, [residentRow(uniqueIdNumbers(1)[0], '路由', C)]);
    assert.equal(assertStatus(res, 200).created, 1);
  });
});

describe('errors', () => {
  test('every kind of error is application/problem+json with type, title, status, detail and code', async () => {
    const viewer = await srv.newUser({ role: 'viewer' });
    const cases = [
      [await srv.api('GET', '/api/v1/me'), 401, 'unauthenticated'],
      [await srv.importResidents(viewer.token, [residentRow(uniqueIdNumbers(1)[0], '越权', C)]), 403, 'forbidden'],
      [await srv.api('GET', '/api/v1/nothing', { token: admin }), 404, 'not_found'],
      [await srv.placeAt(admin, '无/此/地'), 404, 'unknown_place'],
      [await srv.api('GET', '/api/v1/residents/99999999', { token: admin }), 404, 'unknown_resident'],
      [await srv.api('PATCH', '/api/v1/me', { token: admin, json: {} }), 405, 'method_not_allowed'],
      [await srv.api('POST', '/api/v1/residents/import', { token: admin, json: {} }), 415, 'unsupported_media_type'],
      [await srv.importResidents(admin, 'id_number\n1\n'), 422, 'invalid_request'],
      [await srv.api('POST', '/api/v1/users', { token: admin, json: { username: 'x', role: 'king', password: 'long-enough-1' } }), 422, 'invalid_role'],
    ];
    for (const [res, status, code] of cases) {
      const p = assertProblem(res, status, code);
      assert.equal(typeof p.type, 'string');
      assert.equal(typeof p.title, 'string');
      assert.ok(p.title.length > 0);
      assert.equal(typeof p.detail, 'string');
    }
  });

  test('a JSON body that is not an object is refused with a 422 problem', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const res = await srv.api('POST', '/api/v1/users', { token: admin, body, headers: { 'content-type': 'application/json' } });
      assertProblem(res, 422);
    }
  });

  test('a JSON body over the limit is refused as payload_too_large', async () => {
    const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(2 << 20) });
    let res;
    try {
      res = await srv.api('POST', '/api/v1/sessions', { body: big, headers: { 'content-type': 'application/json' } });
    } catch (e) {
      assert.fail(`no 413, the connection was closed instead: ${e.message.split("\n")[0]}`);
    }
    assertProblem(res, 413, 'payload_too_large');
    assertStatus(await srv.api('GET', '/healthz'), 200);
  });

  test('a registry CSV of more than a megabyte is accepted', async () => {
    const ids = uniqueIdNumbers(12000);
    const csv = residentsCsv(ids.map((id, i) => residentRow(id, `大文件${i}`, `${C}/${(i % 40) + 1}号楼/${(i % 4) + 1}单元`, { phone: `138${String(i).padStart(8, '0')}`, tags: 'worker' })));
    assert.ok(Buffer.byteLength(csv) > 1 << 20);
    const res = await srv.importResidents(admin, csv);
    assert.deepEqual(assertStatus(res, 200), { created: 12000, updated: 0, rejected: [], encoding: 'utf-8' });
  });

  test('a malformed HTTP request does not disturb the server', async () => {
    const reply = await new Promise((resolve) => {
      const sock = net.connect(srv.port, '127.0.0.1');
      let data = '';
      sock.setEncoding('utf8');
      sock.on('data', (d) => (data += d));
      sock.on('error', () => resolve(data));
      sock.on('close', () => resolve(data));
      sock.on('connect', () => sock.write('THIS IS NOT HTTP\r\n\r\n\0\0\0garbage'));
      setTimeout(() => {
        sock.destroy();
        resolve(data);
      }, 3000);
    });
    if (reply) assert.match(reply, /^HTTP\/1\.1 4\d\d/, 'either the connection is closed or a 4xx is answered');
    assertStatus(await srv.api('GET', '/healthz'), 200);
  });
});

describe('load', () => {
  test('many concurrent reads and writes are all answered correctly', async () => {
    const ids = uniqueIdNumbers(40);
    const writes = ids.map((id, i) => srv.importResidents(admin, [residentRow(id, `并发${i}`, `${C}/并发楼`)]));
    const reads = Array.from({ length: 100 }, () => srv.api('GET', '/api/v1/me', { token: admin }));
    const [w, r] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
    for (const res of w) assert.deepEqual(assertStatus(res, 200), { created: 1, updated: 0, rejected: [], encoding: 'utf-8' });
    for (const res of r) assert.equal(assertStatus(res, 200).username, 'admin');
    const place = assertStatus(await srv.placeAt(admin, `${C}/并发楼`), 200);
    const list = assertStatus(await srv.api('GET', `/api/v1/residents?place_id=${place.id}&limit=100`, { token: admin }), 200);
    assert.equal(list.residents.length, 40);
  });
});

describe('lifecycle', () => {
  test('the server stops cleanly on SIGTERM, and a restart keeps the residents and the sessions', async () => {
    const [id] = uniqueIdNumbers(1);
    await srv.importOk(admin, [residentRow(id, '重启', C)]);
    const viewer = await srv.newUser({ role: 'viewer' });
    const exit = await srv.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, `exit status; log:\n${srv.log}`);
    await srv.start();
    const found = await srv.findResident(viewer.token, id);
    assert.equal(found?.name, '重启');
    const me = assertStatus(await srv.api('GET', '/api/v1/me', { token: viewer.token }), 200);
    assert.equal(me.username, viewer.username);
  });
});
