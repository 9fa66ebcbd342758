// The live dashboard (#/dashboard): a scan made through the API shows on the page within 2 s
// (the event stream, not a reload), for a community user scoped to their community; tiles and
// the chart at phone and desktop size in both languages.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, withBrowser } from './server.mjs';
import { apiAs, makeRound, residentsOf } from './fixtures.mjs';

const SHOTS = process.env.SWABLINE_SCREENSHOT_DIR || null;
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } };

let srv;
let a;
let world;
let people;
let tubeNo = 0;

before(async () => {
  srv = await startServer();
  a = await apiAs(srv, 'admin');
  world = await makeRound(a, { name: '大屏测试轮次' });
  people = await residentsOf(a, world.community.id, 8, 40);
});
after(async () => {
  await srv?.dispose();
});

async function communitySamples(page) {
  const cell = page.locator(`[data-testid="dashboard-community"][data-community="${world.community.id}"] [data-testid="dashboard-community-samples"]`);
  return Number(await cell.innerText());
}

/** Polls `fn` until it is true, or fails after `ms`. */
async function within(ms, fn, what) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await fn()) return Date.now();
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`not within ${ms} ms: ${what}`);
}

for (const locale of ['zh-CN', 'en-US']) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test(`a scan shows on the dashboard within 2 s (${locale}, ${size})`, async () => {
      await withBrowser(srv, { locale, viewport }, async (page) => {
        await loginAs(page, 'community');
        await page.goto(`${srv.url}/#/dashboard`);
        await page.getByTestId('dashboard-live').and(page.locator('.live-live')).waitFor({ timeout: 10_000 });
        const before = await communitySamples(page);
        const barcode = `DB-${locale}-${size}-${++tubeNo}`;
        await a('POST', '/tubes', { json: { barcode, round_id: world.round.id, site_id: world.site.id } });
        const scanned = Date.now();
        await a('POST', `/tubes/${barcode}/samples`, { json: { person: String(people[tubeNo].id) } });
        await within(2000, async () => (await communitySamples(page)) === before + 1, 'the new sample on the page');
        assert.ok(Date.now() - scanned < 2500);
        const title = locale === 'zh-CN' ? '实时指挥大屏' : 'Live dashboard';
        assert.equal((await page.locator('h1.page-title').innerText()).trim(), title);
        const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
        assert.ok(scroll <= width, `the page is ${scroll}px wide on a ${width}px screen`);
        if (SHOTS) {
          await page.mouse.move(2, 2);
          await page.screenshot({ path: `${SHOTS}/swabline-dashboard-${locale}-${size}.png`, fullPage: true, animations: 'disabled' });
        }
      });
    });
  }
}
