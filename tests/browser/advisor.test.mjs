// The pooling advisor's table: a round over the demo community with four pools of ten resulted
// through the API, one positive; the community office opens the advisor from the round page
// and reads the prevalence with its interval and the next round's options, the advised size
// highlighted, at phone and desktop size, in Chinese and in English.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, withBrowser } from './server.mjs';
import { adminApi, makeRound, residentsOf, fillTube } from './fixtures.mjs';

const SHOTS = process.env.SWABLINE_SCREENSHOT_DIR || '/tmp';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

let srv;
let fx;

before(async () => {
  srv = await startServer();
  const a = await adminApi(srv);
  const { round, site, community } = await makeRound(a, { name: '混采建议轮', pool: 10 });
  const people = await residentsOf(a, community.id, 40);
  const tubes = [];
  for (let i = 0; i < 4; i++) {
    const barcode = `AD-00000${i + 1}`;
    await fillTube(a, { barcode, round, site, people: people.slice(i * 10, i * 10 + 10), seal: false }); // full: sealed
    tubes.push(barcode);
  }
  await a('POST', '/boxes', { json: { barcode: 'ADBOX-0001' } });
  for (const tube of tubes) await a('POST', '/boxes/ADBOX-0001/tubes', { json: { tube } });
  await a('POST', '/boxes/ADBOX-0001/dispatch');
  await a('POST', '/lab/receipts', { json: { box: 'ADBOX-0001', tubes } });
  const results = tubes.map((tube, i) => ({ tube, result: i === 0 ? 'positive' : 'negative' }));
  const report = await a('POST', '/lab/results', { json: { results } });
  assert.equal(report.accepted, 4);
  const advice = await a('GET', `/rounds/${round.id}/advisor?place_id=${community.id}`);
  fx = { round, community, advice };
});
after(() => srv?.dispose());

const statText = async (page, testid) => (await page.getByTestId(testid).locator('.stat-n').innerText()).trim();

for (const [locale, viewport, size] of [
  ['zh-CN', PHONE, 'phone'],
  ['en-US', DESKTOP, 'desktop'],
  ['zh-CN', DESKTOP, 'desktop'],
  ['en-US', PHONE, 'phone'],
]) {
  test(`the advisor's table (${locale}, ${size})`, async () => {
    const { advice } = fx;
    assert.deepEqual(advice.pools, [{ size: 10, tubes: 4, positive: 1 }]);
    await withBrowser(srv, { locale, viewport }, async (page) => {
      await loginAs(page, 'community');
      await page.getByTestId('nav-rounds').click();
      const row = page.locator(`[data-testid="round-row"][data-round-id="${fx.round.id}"]`);
      await row.getByTestId('round-link').click();
      await page.getByTestId('advisor-link').click();
      await page.getByTestId('advisor-options').waitFor({ timeout: 20_000 });
      assert.match(await page.getByTestId('advisor-title').innerText(), /小黄庄社区/);

      // The estimate and its interval, as the API gives them, in per cents.
      const estimate = await statText(page, 'adv-estimate');
      assert.match(estimate, /%$/);
      assert.ok(Math.abs(parseFloat(estimate) - advice.prevalence.estimate * 100) < 0.01, estimate);
      const [lower, upper] = (await statText(page, 'adv-interval')).split('–').map((s) => parseFloat(s));
      assert.ok(lower <= parseFloat(estimate) && parseFloat(estimate) <= upper);
      assert.equal(await statText(page, 'adv-pools'), '4');
      assert.equal(await statText(page, 'adv-positive'), '1');

      // One row per pool size within the limit, the advised one highlighted.
      const rows = page.getByTestId('option-row');
      assert.equal(await rows.count(), advice.next_round.options.length);
      const chosen = page.locator('[data-testid="option-row"][data-chosen="yes"]');
      assert.equal(await chosen.count(), 1);
      assert.equal(await chosen.getAttribute('data-size'), String(advice.next_round.pool_size));
      assert.match(await chosen.getAttribute('class'), /row-chosen/);
      assert.equal(await statText(page, 'adv-tubes'), String(advice.next_round.tubes));
      const label = locale === 'zh-CN' ? '建议混采人数' : 'Advised pool size';
      assert.equal((await page.getByTestId('adv-size').locator('.stat-label').innerText()).trim(), label);

      await page.mouse.move(2, 2);
      await page.screenshot({ path: `${SHOTS}/swabline-advisor-${locale}-${size}.png`, fullPage: true, animations: 'disabled' });
    });
  });
}
