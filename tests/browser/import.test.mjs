// Importing residents from CSV or an Excel workbook: counts, the encoding read, and the
// rejected rows with their codes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { XLSX_TYPE, xlsxWorkbook } from '../http/xlsx_fixture.mjs';
import {
  startServer,
  openBrowser,
  loginAs,
  apiCall,
  apiToken,
  idNumber,
  withWrongCheck,
} from './server.mjs';

const HEADER = 'id_number,name,phone,district,street,community,building,unit,room,tags';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.dispose();
});

async function withBrowser(opts, fn) {
  const b = await openBrowser(srv, opts);
  try {
    await fn(b.page);
    assert.deepEqual(b.page.errors.map(String), [], 'uncaught errors in the page');
  } finally {
    await b.close();
  }
}

/** A valid ID number that the demo city does not already hold. */
async function freshIdNumber(token) {
  for (let seq = 901; seq < 999; seq++) {
    const id = idNumber(`11010519370707${seq}`);
    const found = await apiCall(srv, 'GET', `/api/v1/residents?q=${id}`, { token });
    if (found.status === 200 && found.body.residents.length === 0) return id;
  }
  throw new Error('no free ID number');
}

test('importing one good and one bad row creates one and lists the rejected row with its code', async () => {
  const token = await apiToken(srv, 'admin');
  const good = await freshIdNumber(token);
  const bad = withWrongCheck(idNumber('11010519370708123'));
  const csv = [
    HEADER,
    `${good},测试导入,13800000000,朝阳区,和平街街道,小黄庄社区,99号楼,1单元,101,elderly`,
    `${bad},错误号码,,朝阳区,和平街街道,小黄庄社区,99号楼,1单元,102,`,
  ].join('\n');

  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'admin');
    await page.getByTestId('nav-import').click();
    assert.equal(await page.getByTestId('import-header').innerText(), HEADER);
    await page.getByTestId('import-text').fill(csv);
    await page.getByTestId('import-submit').click();

    await page.getByTestId('import-created').waitFor();
    assert.match(await page.getByTestId('import-created').innerText(), /^1\s/);
    assert.match(await page.getByTestId('import-updated').innerText(), /^0\s/);
    assert.match(await page.getByTestId('import-rejected').innerText(), /^1\s/);
    const rows = page.getByTestId('rejected-row');
    assert.equal(await rows.count(), 1);
    const cells = await rows.first().locator('td').allInnerTexts();
    assert.equal(cells[0], '3', 'the line counts the header as 1');
    assert.match(cells[1], /invalid_id_number/);

    // The language switch keeps the report on screen (and does not import again).
    await page.getByTestId('lang-toggle').click();
    await page.locator('h1', { hasText: '导入居民' }).waitFor();
    assert.match(await page.getByTestId('import-created').innerText(), /^1\s+新增/);
    assert.equal(await page.getByTestId('rejected-row').count(), 1);
  });

  const found = await apiCall(srv, 'GET', `/api/v1/residents?q=${good}`, { token });
  assert.equal(found.body.residents.length, 1);
  assert.equal(found.body.residents[0].name, '测试导入');
});

test('a file picked with the file chooser is imported the same way', async () => {
  const token = await apiToken(srv, 'admin');
  const good = await freshIdNumber(token);
  const csv = `${HEADER}\n${good},文件导入,,朝阳区,和平街街道,小黄庄社区,99号楼,2单元,201,\n`;

  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'community');
    await page.getByTestId('nav-import').click();
    await page.getByTestId('import-file').setInputFiles({
      name: 'residents.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${csv}`),
    });
    await page.getByText('Loaded residents.csv (2 lines).').waitFor();
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-created').waitFor();
    assert.match(await page.getByTestId('import-created').innerText(), /^1\s/);
    await page.getByText('Every row was accepted.').waitFor();
  });
});

test('a GBK CSV from Excel is sent as it is, and the page says it was read as GBK', async () => {
  const token = await apiToken(srv, 'admin');
  const good = await freshIdNumber(token);
  const csv = `身份证号,姓名,区,街道,社区\r\n${good},国标码,朝阳区,和平街街道,小黄庄社区\r\n`;
  const bytes = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: csv });

  await withBrowser({ locale: 'zh-CN' }, async (page) => {
    await loginAs(page, 'admin');
    await page.getByTestId('nav-import').click();
    await page.getByTestId('import-file').setInputFiles({ name: '居民.csv', mimeType: 'text/csv', buffer: bytes });
    await page.getByText('居民.csv 不是 UTF-8 编码').waitFor();
    assert.equal(await page.getByTestId('import-text').inputValue(), '', 'GBK is not shown garbled');
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-created').waitFor();
    assert.match(await page.getByTestId('import-created').innerText(), /^1\s/);
    assert.match(await page.getByTestId('import-encoding').innerText(), /GBK/);
  });
  const found = await apiCall(srv, 'GET', `/api/v1/residents?q=${good}`, { token });
  assert.equal(found.body.residents[0].name, '国标码');
});

test('an .xlsx workbook is sent as one, and a file in no known encoding is refused naming the line', async () => {
  const token = await apiToken(srv, 'admin');
  const good = await freshIdNumber(token);
  const workbook = xlsxWorkbook([
    ['id_number', 'name', 'phone', 'district', 'street', 'community'],
    [good, '表格导入', 13800000009, '朝阳区', '和平街街道', '小黄庄社区'],
  ]);

  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'admin');
    await page.getByTestId('nav-import').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'roster.xlsx', mimeType: XLSX_TYPE, buffer: workbook });
    await page.getByText('roster.xlsx is a workbook; its first sheet will be imported.').waitFor();
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-created').waitFor();
    assert.match(await page.getByTestId('import-created').innerText(), /^1\s/);
    assert.match(await page.getByTestId('import-encoding').innerText(), /Read as UTF-8/);

    const bad = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0xff, 0xfe, 0x0a])]);
    await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: bad });
    await page.getByTestId('import-submit').click();
    await page.getByTestId('error').waitFor();
    assert.match(await page.getByTestId('error').innerText(), /Line 2 of the file is neither UTF-8 nor GBK/);
    assert.equal(await page.getByTestId('error-code').innerText(), 'unsupported_encoding');
  });
  const found = await apiCall(srv, 'GET', `/api/v1/residents?q=${good}`, { token });
  assert.equal(found.body.residents[0].phone, '13800000009');
});

test('roles that may not write the registry have no import page', async () => {
  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'recorder');
    assert.equal(await page.getByTestId('nav-import').count(), 0);
    await page.goto('/#/import');
    await page.getByText('Your role cannot open this page.').waitFor();
  });
});
