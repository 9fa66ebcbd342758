// The resident import with the files offices really have: GBK CSVs from Excel and WPS, Chinese
// headers, optional columns left out, .xlsx workbooks, bad encodings refused as a whole, and the
// `swabline import residents` command.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertProblem, assertStatus, startServer, uniqueIdNumbers } from './harness.mjs';
import { XLSX_TYPE, xlsxWorkbook } from './xlsx_fixture.mjs';

const PLACE = ['朝阳区', '和平街街道', '小黄庄社区'];

let srv;
let admin;
before(async () => {
  srv = await startServer();
  admin = await srv.adminToken();
});
after(() => srv?.dispose());

/** The text as GBK bytes, the default of Excel and WPS on Chinese systems. */
const gbk = (text) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text });

const post = (body, type) => srv.api('POST', '/api/v1/residents/import', { token: admin, body, headers: { 'content-type': type } });

async function resident(id) {
  const found = await srv.findResident(admin, id);
  assert.ok(found, `resident ${id} not found`);
  return assertStatus(await srv.api('GET', `/api/v1/residents/${found.id}`, { token: admin }), 200);
}

describe('roster files', () => {
  test('a GBK CSV with a Chinese header imports, and the report names the encoding', async () => {
    const [a, b] = uniqueIdNumbers(2);
    const csv = `身份证号,姓名,电话,区,街道,社区,楼\r\n${a},张三,13800000001,${PLACE},3号楼\r\n${b},李四,,${PLACE},\r\n`;
    const report = assertStatus(await post(gbk(csv), 'text/csv'), 200);
    assert.deepEqual(report, { created: 2, updated: 0, rejected: [], encoding: 'gb18030' });
    const r = await resident(a);
    assert.equal(r.name, '张三');
    assert.equal(r.address, `${PLACE.join('/')}/3号楼`);
    // The list serves the names as the UTF-8 they now are.
    const list = assertStatus(await srv.api('GET', `/api/v1/residents?q=${encodeURIComponent('李四')}`, { token: admin }), 200);
    assert.ok(list.residents.some((x) => x.name === '李四'));
  });

  test('a file of only the required columns imports', async () => {
    const [id] = uniqueIdNumbers(1);
    const csv = `id_number,name,district,street,community\n${id},王五,${PLACE}\n`;
    assert.equal(assertStatus(await post(csv, 'text/csv'), 200).created, 1);
    assert.equal((await resident(id)).phone, '');
  });

  test('a file of only id_number and name is refused, naming the first missing place column', async () => {
    const [id] = uniqueIdNumbers(1);
    const problem = assertProblem(await post(`id_number,name\n${id},赵六\n`, 'text/csv'), 422, 'invalid_request');
    assert.equal(problem.column, 'district');
    assert.equal(await srv.findResident(admin, id), undefined);
  });

  test('bytes neither UTF-8 nor GBK are refused as unsupported_encoding naming the line, before any row is written', async () => {
    const [a, b] = uniqueIdNumbers(2);
    const body = Buffer.concat([
      Buffer.from(`id_number,name,district,street,community\n${a},好人,${PLACE}\n${b},`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`,${PLACE}\n`),
    ]);
    const problem = assertProblem(await post(body, 'text/csv'), 422, 'unsupported_encoding');
    assert.equal(problem.line, '3');
    assert.match(problem.detail, /line 3/);
    assert.equal(await srv.findResident(admin, a), undefined, 'the good row before it is not kept either');
  });

  test('an .xlsx workbook imports its first sheet; an ID number kept as a number is rejected as invalid_id_number', async () => {
    const [a, b] = uniqueIdNumbers(2);
    const bytes = xlsxWorkbook([
      ['姓名', '身份证号', '电话', '区', '街道', '社区', '楼', '单元', '室'],
      ['钱七', a, 13900000002, ...PLACE, 5, 1, 502],
      ['孙八', 110105199003071234, '', ...PLACE],
      ['周九', b, '', ...PLACE],
    ]);
    const report = assertStatus(await post(bytes, XLSX_TYPE), 200);
    assert.equal(report.created, 2);
    assert.equal(report.encoding, 'utf-8');
    assert.deepEqual(report.rejected.map((r) => [r.line, r.code]), [[3, 'invalid_id_number']]);
    assert.match(report.rejected[0].detail, /E\+17/);
    const r = await resident(a);
    assert.equal(r.phone, '13900000002');
    assert.equal(r.address, `${PLACE.join('/')}/5/1/502`);
  });

  test('a workbook sent as text/csv, and a body that is no workbook sent as one, are refused', async () => {
    const bytes = xlsxWorkbook([['id_number']]);
    assertProblem(await post(bytes, 'text/csv'), 415, 'unsupported_media_type');
    assertProblem(await post('id_number,name\n', XLSX_TYPE), 422, 'invalid_request');
  });
});

describe('swabline import residents', () => {
  test('imports a GBK CSV and an .xlsx from the command line, saying how each was read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swabline-import-'));
    try {
      const db = path.join(dir, 'cli.db');
      const [a, b] = uniqueIdNumbers(2);
      const csvFile = path.join(dir, 'roster.csv');
      fs.writeFileSync(csvFile, gbk(`身份证号,姓名,区,街道,社区\n${a},张三,${PLACE}\n`));
      const first = await srv.cli(['import', 'residents', csvFile, '--db', db]);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /created 1, updated 0, rejected 0 \(read as gb18030\)/);

      const xlsxFile = path.join(dir, 'roster.xlsx');
      fs.writeFileSync(xlsxFile, xlsxWorkbook([['id_number', 'name', 'district', 'street', 'community'], [b, '李四', ...PLACE]]));
      const second = await srv.cli(['import', 'residents', xlsxFile, '--db', db]);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /created 1, updated 0, rejected 0 \(read as utf-8\)/);

      const bad = path.join(dir, 'bad.csv');
      fs.writeFileSync(bad, Buffer.concat([Buffer.from('id_number,name,district,street,community\n'), Buffer.from([0xff, 0xfe, 0x0a])]));
      const refused = await srv.cli(['import', 'residents', bad, '--db', db]);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /line 2.*unsupported_encoding/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
