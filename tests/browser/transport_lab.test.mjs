// Transport and the lab: a courier boxes sealed tubes and dispatches the box (with the refusals
// for an open tube, a tube already boxed, an unknown tube and a box gone); the lab receives it
// (missing and unexpected tubes flagged), settles a discrepancy, and uploads results as CSV and
// JSON with each rejected row and its code shown.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, loginAs } from './server.mjs';
import { adminApi, makeRound, residentsOf, fillTube } from './fixtures.mjs';

let srv;
let a;
let fx;

before(async () => {
  srv = await startServer();
  a = await adminApi(srv);
  const { round, site, community } = await makeRound(a, { name: '转运测试轮' });
  const people = await residentsOf(a, community.buildings.get('4号楼').id, 6);
  await fillTube(a, { barcode: 'TL-000001', round, site, people: people.slice(0, 3) });
  await fillTube(a, { barcode: 'TL-000002', round, site, people: people.slice(3, 5) });
  await fillTube(a, { barcode: 'TL-000003', round, site, people: people.slice(5, 6), seal: false });
  fx = { round, site, people };
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

async function scan(page, text) {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const focused = (page) => page.evaluate(() => document.activeElement && document.activeElement.dataset.testid);
const message = (page, { code, kind }) => {
  let sel = '[data-testid="scan-message"]';
  if (kind) sel += `[data-kind="${kind}"]`;
  if (code !== undefined) sel += `[data-code="${code}"]`;
  return page.locator(sel);
};
const boxCount = (page, n) => page.getByTestId('box-count').filter({ hasText: new RegExp(`^${n}$`) }).waitFor();

test('a courier boxes sealed tubes, is refused the wrong ones, and dispatches the box', async () => {
  await withBrowser({ locale: 'en-US', viewport: { width: 390, height: 844 } }, async (page) => {
    await loginAs(page, 'courier');
    assert.equal(await page.evaluate(() => location.hash), '#/boxes');
    await page.getByTestId('box-input').waitFor();
    assert.equal(await focused(page), 'box-input');

    await scan(page, 'BOX-T00001');
    await boxCount(page, 0);
    assert.equal(await focused(page), 'box-tube-input');

    await scan(page, 'TL-000003');
    const open = message(page, { code: 'tube_not_sealed', kind: 'error' });
    await open.waitFor();
    assert.match(await open.innerText(), /sampling point to be sealed/);

    await scan(page, 'TL-000001');
    await scan(page, 'TL-000002');
    await boxCount(page, 2);
    assert.deepEqual(await page.getByTestId('box-tube').locator('a').allInnerTexts(), ['TL-000002', 'TL-000001'], 'the newest on top');

    await scan(page, 'TL-000001');
    const twice = message(page, { code: 'tube_in_box', kind: 'error' });
    await twice.waitFor();
    assert.match(await twice.innerText(), /already in this box/);

    await scan(page, 'NOPE-000000');
    await message(page, { code: 'unknown_tube', kind: 'error' }).waitFor();
    await boxCount(page, 2);

    await page.getByTestId('dispatch').click();
    await page.getByTestId('dispatch-confirm').click();
    const sent = message(page, { kind: 'done' });
    await sent.waitFor();
    assert.match(await sent.innerText(), /BOX-T00001 dispatched with 2 tubes/);
    await page.getByTestId('box-input').waitFor();
    assert.equal(await focused(page), 'box-input');

    // The box has left: it cannot be opened again.
    await scan(page, 'BOX-T00001');
    const gone = message(page, { code: 'barcode_in_use', kind: 'error' });
    await gone.waitFor();
    assert.match(await gone.innerText(), /in transit/);
  });
  const box = await a('GET', '/boxes/BOX-T00001');
  assert.equal(box.status, 'in_transit');
  assert.deepEqual(box.tubes, ['TL-000001', 'TL-000002']);
});

test('the lab receives the box, settles a discrepancy, and uploads results', async () => {
  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'lab');
    assert.equal(await page.evaluate(() => location.hash), '#/lab/receive');
    await page.getByTestId('receipt-form').waitFor();
    assert.equal(await focused(page), 'receipt-box');

    // Box, Enter, then each tube found, as the scanner sends them.
    await scan(page, 'BOX-T00001');
    assert.equal(await focused(page), 'receipt-scan');
    await scan(page, 'TL-000001');
    await scan(page, 'ZZ-000001');
    await scan(page, 'TL-000001');
    await page.getByText('TL-000001 is listed already.').waitFor();
    assert.match(await page.getByTestId('receipt-found-count').innerText(), /^2 tubes listed$/);

    await page.getByTestId('receipt-submit').click();
    await page.getByTestId('receipt-received').waitFor();
    const list = async (key) => page.getByTestId(`receipt-${key}`).locator('li').allInnerTexts();
    assert.deepEqual(await list('received'), ['TL-000001']);
    assert.deepEqual(await list('missing'), ['TL-000002']);
    assert.deepEqual(await list('unexpected'), ['ZZ-000001']);
    assert.match(await page.getByTestId('receipt-result').innerText(), /discrepancies/);

    // Settle the missing tube.
    await page.getByTestId('to-discrepancies').click();
    const missing = page.locator('[data-testid="discrepancy"][data-tube="TL-000002"]');
    await missing.waitFor();
    assert.equal(await page.locator('[data-testid="discrepancy"][data-tube="ZZ-000001"]').count(), 1);
    await missing.getByTestId('resolve').click();
    await missing.getByTestId('resolve-confirm').click();
    await missing.getByText('Give a reason.').waitFor();
    await missing.getByTestId('resolution').fill('Found at the sampling point, sent with the next box');
    await missing.getByTestId('resolve-confirm').click();
    await missing.getByTestId('resolved').waitFor();

    // Results as CSV: one accepted, three rejected with their codes and lines.
    await page.getByTestId('lab-tab-results').click();
    await page.getByTestId('results-text').fill(
      ['tube,result', 'TL-000001,positive', 'NOPE-000000,negative', 'TL-000003,negative', 'TL-000002,maybe'].join('\n'),
    );
    await page.getByTestId('results-submit').click();
    await page.getByTestId('results-accepted').waitFor();
    assert.match(await page.getByTestId('results-accepted').innerText(), /^1\s/);
    const rows = page.getByTestId('results-rejected-row');
    assert.equal(await rows.count(), 3);
    const rejected = await rows.evaluateAll((trs) => trs.map((tr) => [tr.cells[0].innerText, tr.cells[1].innerText, tr.dataset.code]));
    assert.deepEqual(rejected, [
      ['3', 'NOPE-000000', 'unknown_tube'],
      ['4', 'TL-000003', 'tube_not_sealed'],
      ['5', 'TL-000002', 'invalid_result'],
    ]);
    assert.match(await rows.first().innerText(), /No tube with this barcode/);

    // The same as JSON: the repeat changes nothing; a different result needs a correction reason.
    await page.getByTestId('results-text').fill(JSON.stringify([{ tube: 'TL-000001', result: 'positive' }, { tube: 'TL-000001', result: 'negative' }]));
    await page.getByTestId('results-submit').click();
    await page.getByTestId('results-rejected-row').filter({ hasText: 'conflicting_result' }).waitFor();
    assert.match(await page.getByTestId('results-report').innerText(), /Rows repeating a result already recorded \(nothing changed\): 1\./);

    // The tube lookup shows the result and every step passed.
    await page.evaluate(() => {
      location.hash = '#/tubes/TL-000001';
    });
    await page.getByTestId('tube-detail').waitFor();
    assert.equal(await page.getByTestId('tube-detail').getByTestId('tube-result').getAttribute('data-result'), 'positive');
    assert.equal(await page.locator('.step.step-done').count(), 7);
  });
  const open = await a('GET', '/lab/discrepancies?open=true');
  assert.ok(!open.discrepancies.some((d) => d.tube === 'TL-000002'), 'the settled discrepancy is closed');
  const st = await a('GET', `/people/${fx.people[0].id}/status`);
  assert.equal(st.state, 'pool_positive');
});
