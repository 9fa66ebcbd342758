// Helpers for the testing-round tests (rounds, sites, tubes, samples, transport, lab, status).
//
//   import { Rounds } from './round_helpers.mjs';
//   const r = new Rounds(srv, adminToken);
//   const world = await r.community({ path: '东城区/…/某社区', residents: 25 });
//   const round = await r.round([world.community.id], { pool_size: 10 });
//   const site = await r.site(world.community.id);
//   const tube = await r.openTube(round.id, site.id);
//   await r.scanOk(tube.barcode, world.ids[0]);
//
// Everything here goes through the HTTP API with the harness's `srv.api`.

import assert from 'node:assert/strict';
import { assertProblem, assertStatus, residentRow, uniqueIdNumbers } from './harness.mjs';

let barcodeCounter = 0;
/** A fresh, valid tube/box barcode (6..32 of A–Z a–z 0–9 -), unique in this process. */
export function newBarcode(prefix = 'T') {
  barcodeCounter += 1;
  return `${prefix}-${process.pid}-${String(barcodeCounter).padStart(6, '0')}`;
}

/** Runs `fn(item, index)` over `items` with at most `limit` calls in flight; results in order. */
export async function inPool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Whether a response is the router's "no such endpoint" answer (a feature not built yet). */
export function isNoEndpoint(res) {
  return res.status === 404 && res.body && typeof res.body === 'object' && res.body.code === 'not_found';
}

/** Splits a CSV text into rows of fields (RFC 4180 quoting); a trailing newline is ignored. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export const TUBE_KEYS = ['barcode', 'round_id', 'site_id', 'capacity', 'count', 'status', 'result', 'purpose'];

/** Asserts the tube shape docs/openapi.yaml lists (and the extensions the server documents). */
export function assertTubeShape(tube, message = 'tube') {
  assert.equal(typeof tube, 'object', `${message}: a tube object`);
  for (const k of TUBE_KEYS) assert.ok(k in tube, `${message}: the tube lacks "${k}": ${JSON.stringify(tube)}`);
  assert.ok(['open', 'sealed', 'in_box', 'in_transit', 'received', 'resulted'].includes(tube.status),
    `${message}: status ${tube.status}`);
  assert.ok([null, 'negative', 'positive', 'invalid'].includes(tube.result), `${message}: result ${tube.result}`);
  assert.ok(['screening', 'retest'].includes(tube.purpose), `${message}: purpose ${tube.purpose}`);
  assert.equal(typeof tube.capacity, 'number');
  assert.equal(typeof tube.count, 'number');
}

/** Asserts an RFC 3339 UTC time string. */
export function assertRfc3339(value, message = 'time') {
  assert.equal(typeof value, 'string', `${message}: a string, got ${JSON.stringify(value)}`);
  assert.match(value, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, `${message}: RFC 3339 UTC, got ${value}`);
  assert.ok(!Number.isNaN(Date.parse(value)), `${message}: parses`);
}

/** A bound helper set for one server and one token. */
export class Rounds {
  constructor(srv, token) {
    this.srv = srv;
    this.token = token;
  }

  as(token) {
    return new Rounds(this.srv, token);
  }

  api(method, urlPath, opts = {}) {
    return this.srv.api(method, urlPath, { token: this.token, ...opts });
  }

  get(urlPath, opts = {}) {
    return this.api('GET', urlPath, opts);
  }

  /** A GET whose body is kept as bytes: { status, headers, bytes }. */
  async getBytes(urlPath, headers = {}) {
    const res = await fetch(this.srv.baseUrl + urlPath, { headers: { authorization: `Bearer ${this.token}`, ...headers } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  post(urlPath, json, opts = {}) {
    return this.api('POST', urlPath, { json, ...opts });
  }

  // --- registry --------------------------------------------------------------------------

  /**
   * Imports `residents` people (or the given `rows`) into the community at `path` and returns
   * `{ community, ids, rows }`: the community place, the ID numbers, the imported rows.
   * `place(i)` chooses the sub-path ("1号楼/1单元/101") of resident i; `tags(i)` their tags.
   */
  async community({ path, residents = 0, rows, place = () => '1号楼/1单元', tags = () => '', region } = {}) {
    if (!rows) {
      const ids = uniqueIdNumbers(residents, region ? { region } : undefined);
      rows = ids.map((id, i) => {
        const sub = place(i);
        return residentRow(id, `居民${i}`, sub ? `${path}/${sub}` : path, { tags: tags(i) });
      });
    }
    if (rows.length) {
      const report = await this.srv.importOk(this.token, rows);
      assert.deepEqual(report.rejected, [], `import into ${path}: ${JSON.stringify(report.rejected)}`);
    }
    const community = assertStatus(await this.srv.placeAt(this.token, path), 200, `place ${path}`);
    return { community, ids: rows.map((r) => r.id_number), rows };
  }

  /** GET /places?path= → the place (asserting 200). */
  async place(path) {
    return assertStatus(await this.srv.placeAt(this.token, path), 200, `place ${path}`);
  }

  /** The resident (from the list search) whose ID number is `id`. */
  async resident(id) {
    const r = await this.srv.findResident(this.token, id);
    assert.ok(r, `no resident with ID number ${id}`);
    return r;
  }

  // --- rounds and sites ------------------------------------------------------------------

  createRoundResponse(json, opts) {
    return this.post('/api/v1/rounds', json, opts);
  }

  async round(place_ids, { pool_size = 10, name = `第${++barcodeCounter}轮筛查`, ...extra } = {}) {
    const res = await this.createRoundResponse({ name, place_ids, pool_size, ...extra });
    return assertStatus(res, 201, 'create round');
  }

  async closeRound(id) {
    return assertStatus(await this.post(`/api/v1/rounds/${id}/close`), 200, 'close round');
  }

  createSiteResponse(json, opts) {
    return this.post('/api/v1/sites', json, opts);
  }

  async site(place_id, { name = `采样点${++barcodeCounter}` } = {}) {
    return assertStatus(await this.createSiteResponse({ name, place_id }), 201, 'create site');
  }

  // --- tubes and samples -----------------------------------------------------------------

  openTubeResponse(json, opts) {
    return this.post('/api/v1/tubes', json, opts);
  }

  /** Opens a tube and returns it (asserting 201). `extra` may set capacity, purpose, barcode… */
  async openTube(round_id, site_id, extra = {}) {
    const json = { barcode: newBarcode(), round_id, site_id, ...extra };
    return assertStatus(await this.openTubeResponse(json), 201, `open tube ${json.barcode}`);
  }

  tube(barcode) {
    return this.get(`/api/v1/tubes/${encodeURIComponent(barcode)}`);
  }

  async tubeOk(barcode) {
    return assertStatus(await this.tube(barcode), 200, `get tube ${barcode}`);
  }

  /** POST /tubes/{barcode}/samples {person, …extra}; the raw response. */
  scan(barcode, person, extra = {}, opts = {}) {
    return this.post(`/api/v1/tubes/${encodeURIComponent(barcode)}/samples`, { person, ...extra }, opts);
  }

  async scanOk(barcode, person, extra = {}, opts = {}) {
    return assertStatus(await this.scan(barcode, person, extra, opts), 201, `scan into ${barcode}`);
  }

  seal(barcode) {
    return this.post(`/api/v1/tubes/${encodeURIComponent(barcode)}/seal`);
  }

  voidSample(id, reason) {
    return this.post(`/api/v1/samples/${id}/void`, reason === undefined ? {} : { reason });
  }

  /** Opens a tube and fills it with `people`; returns { tube, samples }. */
  async filledTube(round_id, site_id, people, extra = {}) {
    const tube = await this.openTube(round_id, site_id, extra);
    const samples = [];
    for (const p of people) samples.push(await this.scanOk(tube.barcode, p));
    return { tube: samples.at(-1)?.tube ?? tube, samples };
  }

  // --- status and coverage ---------------------------------------------------------------

  status(person) {
    return this.get(`/api/v1/people/${encodeURIComponent(person)}/status`);
  }

  async statusOk(person) {
    return assertStatus(await this.status(person), 200, `status of ${person}`);
  }

  async coverage(roundId, placeId) {
    const q = placeId === undefined ? '' : `?place_id=${placeId}`;
    return assertStatus(await this.get(`/api/v1/rounds/${roundId}/coverage${q}`), 200, 'coverage');
  }

  /** Every page of the missing list: { people, total, pages }. */
  async missingAll(roundId, placeId, { limit = 50 } = {}) {
    const people = [];
    let cursor = null;
    let total;
    let pages = 0;
    for (;;) {
      const q = `place_id=${placeId}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = assertStatus(await this.get(`/api/v1/rounds/${roundId}/missing?${q}`), 200, 'missing');
      pages += 1;
      assert.ok(pages < 1000, 'the missing list does not end');
      total ??= body.total;
      people.push(...body.people);
      if (body.next_cursor == null) break;
      cursor = body.next_cursor;
    }
    return { people, total, pages };
  }

  // --- personal codes --------------------------------------------------------------------

  /** The personal code of resident `id`, or null when the endpoint is not built yet. */
  async personalCode(id) {
    const res = await this.get(`/api/v1/residents/${id}/code`);
    if (isNoEndpoint(res)) return null;
    const body = assertStatus(res, 200, 'personal code');
    assert.equal(typeof body.code, 'string');
    return body.code;
  }

  // --- transport and lab -----------------------------------------------------------------

  /** Whether the transport endpoints exist (a read of an unknown box is not "no endpoint"). */
  async transportAvailable() {
    return !isNoEndpoint(await this.post('/api/v1/boxes', {}));
  }

  /** Whether POST /lab/results exists. */
  async labAvailable() {
    return !isNoEndpoint(await this.post('/api/v1/lab/results', {}));
  }

  async createBox(barcode = newBarcode('B')) {
    return assertStatus(await this.post('/api/v1/boxes', { barcode }), 201, `create box ${barcode}`);
  }

  boxTube(box, tube) {
    return this.post(`/api/v1/boxes/${encodeURIComponent(box)}/tubes`, { tube });
  }

  dispatch(box) {
    return this.post(`/api/v1/boxes/${encodeURIComponent(box)}/dispatch`);
  }

  receive(box, tubes) {
    return this.post('/api/v1/lab/receipts', { box, tubes });
  }

  resultsJson(results) {
    return this.post('/api/v1/lab/results', { results });
  }

  resultsCsv(rows) {
    const csv = ['tube,result', ...rows.map(([tube, result]) => `${tube},${result}`)].join('\n') + '\n';
    return this.api('POST', '/api/v1/lab/results', { csv });
  }

  /**
   * Boxes, dispatches and receives the sealed tubes `barcodes`, then uploads `results`
   * ({barcode: 'negative'|'positive'|'invalid'}; the rest negative) as JSON.
   */
  async shipAndResult(barcodes, results = {}) {
    const box = await this.createBox();
    for (const b of barcodes) assertStatus(await this.boxTube(box.barcode, b), 200, `box ${b}`);
    assertStatus(await this.dispatch(box.barcode), 200, 'dispatch');
    const receipt = assertStatus(await this.receive(box.barcode, barcodes), 200, 'receipt');
    assert.deepEqual(receipt.missing, []);
    assert.deepEqual(receipt.unexpected, []);
    const report = assertStatus(await this.resultsJson(barcodes.map((tube) => ({ tube, result: results[tube] ?? 'negative' }))),
      200, 'results');
    assert.deepEqual(report.rejected, []);
    return { box, receipt, report };
  }
}

export { assertProblem, assertStatus };
