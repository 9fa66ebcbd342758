// Residents' requests in the browser: the community office's board (the demo's requests, then
// one made here assigned, commented on and closed on a phone), the staff-on-duty page, and the
// "ask for help" form on a resident's public status page, in Chinese and English.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, withBrowser } from './server.mjs';
import { adminApi, community, residentsOf } from './fixtures.mjs';
import { REQUEST_STRINGS } from '../../web/i18n_requests.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

let srv;
let a;
let c;

before(async () => {
  srv = await startServer();
  a = await adminApi(srv);
  c = await community(a);
});
after(async () => {
  await srv?.dispose();
});

async function assertNoSideways(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px window`);
}

const cards = (page) => page.getByTestId('request-card');

test('every community string is there in Chinese and in English', () => {
  const en = Object.keys(REQUEST_STRINGS.en).sort();
  const zh = Object.keys(REQUEST_STRINGS.zh).sort();
  assert.deepEqual(zh, en);
  for (const key of zh) assert.ok(REQUEST_STRINGS.zh[key].trim(), key);
});

test('the demo board shows the controlled building first, the overdue and the assigned', async () => {
  await withBrowser(srv, { locale: 'en-US', viewport: DESKTOP }, async (page) => {
    await loginAs(page, 'community');
    await page.getByTestId('nav-requests').click();
    await cards(page).first().waitFor();
    const first = cards(page).first();
    assert.equal(await first.getAttribute('data-zoned'), 'true');
    assert.equal(await first.getByTestId('request-zoned').innerText(), 'In a controlled area');
    const overdue = page.locator('[data-testid="request-card"][data-overdue="true"]');
    assert.ok((await overdue.count()) >= 1);
    assert.match(await overdue.first().getByTestId('request-overdue-by').innerText(), /Overdue by \d+ (min|h)/);
    assert.ok((await page.locator('[data-testid="request-card"][data-status="assigned"]').count()) >= 1);

    await page.locator('label[for="request-show-overdue"]').click();
    await page.waitForURL(/show=overdue/);
    await cards(page).first().waitFor();
    const flags = await cards(page).evaluateAll((all) => all.map((c) => c.dataset.overdue));
    assert.ok(flags.length >= 1 && flags.every((f) => f === 'true'), JSON.stringify(flags));

    await page.getByTestId('nav-staff').click();
    await page.getByTestId('on-duty-row').first().waitFor();
    assert.equal(await page.getByTestId('on-duty-row').count(), 4);
    assert.match(await page.getByTestId('on-duty').innerText(), /Volunteer/);
  });
});

test('a request is assigned, commented on and closed on a phone, in Chinese', async () => {
  const [who] = await residentsOf(a, c.buildings.get('4号楼').id, 1);
  const made = await a('POST', '/requests', { json: { person: String(who.id), category: 'food', detail: '浏览器测试：需要米面' } });
  await withBrowser(srv, { locale: 'zh-CN', viewport: PHONE }, async (page) => {
    await loginAs(page, 'community');
    await page.goto('/#/requests');
    const card = page.locator(`[data-testid="request-card"][data-request-id="${made.id}"]`);
    await card.waitFor();
    assert.equal(await card.getByTestId('request-status').innerText(), '待处理');
    assert.match(await card.innerText(), /生活物资/);
    await assertNoSideways(page);

    await card.getByTestId('request-assign').click();
    await card.getByTestId('request-assign-input').fill('community');
    await card.getByTestId('request-assign-submit').click();
    await page.locator(`[data-testid="request-card"][data-request-id="${made.id}"][data-status="assigned"]`).waitFor();
    assert.match(await card.innerText(), /已指派给 community/);

    await card.getByTestId('request-assign').click();
    await card.getByTestId('request-assign-input').fill('nobody-at-all');
    await card.getByTestId('request-assign-submit').click();
    await card.getByTestId('error-code').filter({ hasText: 'unknown_assignee' }).waitFor();
    assert.match(await card.getByTestId('error').innerText(), /没有这个用户名/);

    await card.getByTestId('request-comment').click();
    await card.getByTestId('request-comment-input').fill('已电话联系');
    await card.getByTestId('request-comment-submit').click();
    await card.getByTestId('request-comment-form').waitFor({ state: 'detached' });
    await card.getByTestId('request-history').click();
    await card.getByTestId('request-timeline').getByText('已电话联系').waitFor();

    await card.getByTestId('request-close').click();
    await card.getByTestId('request-close-input').fill('已送达');
    await card.getByTestId('request-close-submit').click();
    await card.waitFor({ state: 'detached' }); // the open list no longer holds it
    await page.locator('label[for="request-show-closed"]').click();
    await page.waitForURL(/show=closed/);
    const closed = page.locator(`[data-testid="request-card"][data-request-id="${made.id}"]`);
    await closed.waitFor();
    assert.match(await closed.innerText(), /办理结果：已送达/);
    await assertNoSideways(page);
  });
});

test('a resident asks for help from their status page without signing in, in both languages', async () => {
  const [who] = await residentsOf(a, c.buildings.get('2号楼').id, 1);
  const { code } = await a('GET', `/residents/${who.id}/code`);
  for (const [locale, sent] of [['zh-CN', /已提交，诉求编号 #(\d+)/], ['en-US', /Sent\. Request #(\d+)/]]) {
    await withBrowser(srv, { locale, viewport: PHONE }, async (page) => {
      await page.goto(`/#/status?code=${encodeURIComponent(code)}`);
      await page.getByTestId('status-card').waitFor();
      await page.getByTestId('help-submit').click();
      await page.locator('#help-detail:focus').waitFor(); // nothing said yet: nothing sent
      await page.getByTestId('help-category').selectOption('medicine');
      await page.getByTestId('help-detail').fill(`${locale}: 降压药`);
      await page.getByTestId('help-submit').click();
      const text = await page.getByTestId('help-sent').innerText();
      const m = sent.exec(text);
      assert.ok(m, text);
      const r = await a('GET', `/requests/${m[1]}`);
      assert.equal(r.person.id, who.id);
      assert.equal(r.source, 'resident');
      assert.equal(r.category, 'medicine');
      await assertNoSideways(page);
    });
  }
});
