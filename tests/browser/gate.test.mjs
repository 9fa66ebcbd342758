// The gate scanner on a guard's phone, in both languages.
//
// The demo city has a checkpoint at 小黄庄社区's gate and a guard scoped to the community, with
// 8号楼 under a controlled zone. The guard signs in (the gate is the guard's home page), scans
// with the keyboard (Enter, as a wedge scanner does): a resident of another building going in is
// ALLOWED in green; a resident of 8号楼 going out is REFUSED in red, with the reason. In English,
// at a checkpoint the admin opened at 8号楼 itself, an outsider going in is REFUSED.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, withBrowser } from './server.mjs';
import { adminApi, community, residentsOf } from './fixtures.mjs';

const PHONE = { width: 390, height: 844 };

let srv;
let a;
let fx;

before(async () => {
  srv = await startServer();
  a = await adminApi(srv);
  const c = await community(a);
  const controlled = c.buildings.get('8号楼');
  const [inside] = await residentsOf(a, controlled.id, 1);
  const [outside] = await residentsOf(a, c.buildings.get('1号楼').id, 1);
  const building8 = await a('POST', '/checkpoints', { json: { name: '8号楼门岗', place_id: controlled.id } });
  fx = { inside, outside, building8 };
});
after(async () => {
  await srv?.dispose();
});

/** Types a code into the focused scan field and presses Enter; waits for the verdict. */
async function scan(page, code) {
  const before = await page.getByTestId('gate-recent').locator('li').count().catch(() => 0);
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.getByTestId('gate-result').waitFor();
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="gate-recent"] li').length > n || n >= 8,
    before,
  );
  return page.getByTestId('gate-result');
}

test('a guard lets a resident in and keeps a resident of a controlled building in (zh-CN, phone)', async () => {
  await withBrowser(srv, { locale: 'zh-CN', viewport: PHONE }, async (page) => {
    await loginAs(page, 'guard');
    await page.getByTestId('gate').waitFor();
    assert.match(await page.getByTestId('nav-gate').innerText(), /卡口/);
    assert.match(await page.getByTestId('checkpoint-select').locator('option:checked').innerText(), /小黄庄社区南门/);
    // The field has the focus: a scanner types straight into it.
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'gate-input');

    let result = await scan(page, fx.outside.id_number);
    assert.equal(await result.getAttribute('data-allowed'), 'true');
    assert.equal(await page.getByTestId('gate-verdict').innerText(), '允许通行');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'gate-input');

    await page.getByTestId('direction-out').click();
    result = await scan(page, fx.inside.id_number);
    assert.equal(await result.getAttribute('data-allowed'), 'false');
    assert.equal(await result.getAttribute('data-color'), 'yellow');
    assert.equal(await page.getByTestId('gate-verdict').innerText(), '禁止通行');
    assert.match(await page.getByTestId('gate-reasons').innerText(), /住所在管控区：不得外出/);
    const box = await result.boundingBox();
    assert.ok(box.width >= PHONE.width - 40 && box.height >= PHONE.height * 0.5, `the verdict fills the screen: ${JSON.stringify(box)}`);
    assert.ok((await page.getByTestId('gate-recent').locator('li').count()) >= 2);
  });
});

test('an outsider is refused at a controlled building\'s gate (en, phone)', async () => {
  await withBrowser(srv, { locale: 'en-US', viewport: PHONE }, async (page) => {
    await loginAs(page, 'guard');
    await page.getByTestId('checkpoint-select').selectOption(String(fx.building8.id));
    await page.getByTestId('direction-in').click();
    const result = await scan(page, fx.outside.id_number);
    assert.equal(await result.getAttribute('data-allowed'), 'false');
    assert.equal(await page.getByTestId('gate-verdict').innerText(), 'REFUSED');
    assert.match(await page.getByTestId('gate-reasons').innerText(), /Controlled area: residents only/);
    assert.match(await page.getByTestId('gate-color').innerText(), /^(Green|Yellow|Red)$/);
    // Someone the registry does not know: a loud error, and the field keeps the focus.
    await page.keyboard.type('110105199003079999');
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-message').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'gate-input');
  });
});

test('the community office sees its site low on swabs and its tube batch (zh-CN)', async () => {
  await withBrowser(srv, { locale: 'zh-CN' }, async (page) => {
    await loginAs(page, 'community');
    await page.getByTestId('nav-stock').click();
    const swabs = page.getByTestId('stock-swabs');
    await swabs.waitFor();
    assert.equal(await swabs.getAttribute('data-low'), 'true');
    assert.match(await swabs.innerText(), /拭子/);
    assert.equal(await page.getByTestId('stock-tubes').getAttribute('data-low'), 'false');
    assert.match(await page.getByTestId('stock-batches').innerText(), /500 个条码/);
  });
});
