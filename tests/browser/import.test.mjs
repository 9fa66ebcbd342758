// Importing residents from CSV: counts, and the rejected rows with their codes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

test('roles that may not write the registry have no import page', async () => {
  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'recorder');
    assert.equal(await page.getByTestId('nav-import').count(), 0);
    await page.goto('/#/import');
    await page.getByText('Your role cannot open this page.').waitFor();
  });
});
