// The resident's own page on a phone, without signing in (#/status?code=): the colour and the
// reasons the API reports, the QR code, the results history, the open sites near them with their
// queues, a positive antigen self-test reported (the incident then exists through the API); and
// the community's building grid coloured by the share sampled, each cell one click (or Enter)
// from the unit's people.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, withBrowser, loginAs } from './server.mjs';
import { adminApi, makeRound, residentsOf, fillTube } from './fixtures.mjs';
import { RESIDENT_STRINGS } from '../../web/i18n_resident.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

let srv;
let a;
let fx; // {round, site, community, who, code}

before(async () => {
  srv = await startServer();
  a = await adminApi(srv);
  const { round, site, community } = await makeRound(a, { name: '第2轮全员核酸' });
  // Someone with a result from the demo's round, sampled again in this one (pending).
  const candidates = await residentsOf(a, community.buildings.get('1号楼').id, 20);
  let who = null;
  let code = null;
  for (const p of candidates) {
    const c = (await a('GET', `/residents/${p.id}/code`)).code;
    const h = await fetch(`${srv.url}/api/v1/status/history?code=${encodeURIComponent(c)}`).then((r) => r.json());
    if (h.samples.some((s) => s.result)) {
      who = p;
      code = c;
      break;
    }
  }
  assert.ok(who, 'a resident of 1号楼 with a result in the demo round');
  await fillTube(a, { barcode: 'ME-000001', round, site, people: [who], seal: false });
  fx = { round, site, community, who, code };
});
after(async () => {
  await srv?.dispose();
});

const publicGet = (path) => fetch(`${srv.url}/api/v1${path}`).then((r) => r.json());

async function assertNoSideways(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px window`);
}

test('every resident-page string is there in Chinese and in English', () => {
  const en = Object.keys(RESIDENT_STRINGS.en).sort();
  assert.deepEqual(Object.keys(RESIDENT_STRINGS.zh).sort(), en);
  for (const key of en) assert.ok(RESIDENT_STRINGS.zh[key].trim() && RESIDENT_STRINGS.en[key].trim(), key);
});

test('the page shows the status, QR code, history and nearby queues the API reports, on a phone, in both languages', async () => {
  const q = encodeURIComponent(fx.code);
  const status = await publicGet(`/status?code=${q}`);
  const history = await publicGet(`/status/history?code=${q}&limit=10`);
  for (const [locale, words] of [['zh-CN', RESIDENT_STRINGS.zh], ['en-US', RESIDENT_STRINGS.en]]) {
    await withBrowser(srv, { locale, viewport: PHONE }, async (page) => {
      await page.goto(`/#/status?code=${q}`);
      const card = page.getByTestId('status-card');
      await card.waitFor();
      assert.equal(await card.getAttribute('data-color'), status.color);
      assert.equal(await card.getAttribute('data-state'), status.state);
      assert.deepEqual(await page.getByTestId('status-reason').evaluateAll((els) => els.map((e) => e.dataset.code)), status.reasons.map((r) => r.code));

      // The QR code, drawn by the server from the code.
      const img = page.getByTestId('me-qr-img');
      await page.waitForFunction(() => {
        const i = document.querySelector('[data-testid="me-qr-img"]');
        return i && i.complete && i.naturalWidth > 0;
      });
      assert.match(await img.getAttribute('alt'), new RegExp(fx.who.name));

      // The history: round, time and result of each of the API's samples, newest first.
      await page.getByTestId('me-history-item').first().waitFor();
      const items = await page.getByTestId('me-history-item').evaluateAll((els) => els.map((e) => ({ round: Number(e.dataset.roundId), result: e.dataset.result, text: e.innerText })));
      assert.deepEqual(items.map((i) => [i.round, i.result]), history.samples.map((s) => [s.round_id, s.result || 'none']));
      assert.equal(items[0].round, fx.round.id);
      assert.match(items[0].text, new RegExp(words['me.hist.pending']));
      assert.match(items[0].text, /第2轮全员核酸/);
      assert.match(items[0].text, /ME-000001/);

      // The open sites near them: the community's own first, with the queue the API reports.
      const sites = page.getByTestId('me-sites').getByTestId('queue-site');
      await sites.first().waitFor();
      const shown = await sites.evaluateAll((els) => els.map((e) => Number(e.dataset.siteId)));
      assert.ok(shown.length >= 1 && shown.length <= 3, JSON.stringify(shown));
      const own = (await publicGet(`/sites?place_id=${fx.community.id}`)).sites.map((s) => s.id);
      assert.ok(own.includes(shown[0]), 'a site of the community comes first');
      for (const id of shown) {
        const queue = await publicGet(`/sites/${id}/queue`);
        assert.equal(queue.open_now, true, `site ${id} is open`);
        const card = page.locator(`[data-testid="me-sites"] [data-testid="queue-site"][data-site-id="${id}"]`);
        const waiting = await card.getByTestId('lane-waiting').allInnerTexts();
        assert.deepEqual(waiting.map(Number), queue.lanes.map((l) => l.waiting));
      }
      await assertNoSideways(page);
    });
  }
});

test('a positive antigen self-test reported from the page opens an incident, seen through the API', async () => {
  const [who] = await residentsOf(a, fx.community.buildings.get('2号楼').id, 1, 3);
  const { code } = await a('GET', `/residents/${who.id}/code`);
  await withBrowser(srv, { locale: 'zh-CN', viewport: PHONE }, async (page) => {
    await page.goto(`/#/status?code=${encodeURIComponent(code)}`);
    await page.getByTestId('report-form').waitFor();
    // Not confirmed: nothing is sent.
    await page.getByTestId('report-submit').click();
    await page.locator('#report-confirm:focus').waitFor();
    await page.getByTestId('report-confirm').check();
    await page.getByTestId('report-submit').click();
    const sent = page.getByTestId('report-sent');
    await sent.waitFor();
    const id = Number(await sent.getAttribute('data-incident-id'));
    assert.match(await sent.innerText(), new RegExp(`#${id}`));
    const incident = await a('GET', `/incidents/${id}`);
    assert.equal(incident.kind, 'antigen_report');
    assert.equal(incident.status, 'open');
    assert.deepEqual(incident.people.map((p) => p.id), [who.id]);
    // The card shows the colour the API now reports (the unit under temporary control).
    const status = await publicGet(`/status?code=${encodeURIComponent(code)}`);
    assert.ok(status.reasons.some((r) => r.code === 'zone_temporary'), JSON.stringify(status.reasons));
    await page.locator(`[data-testid="status-card"][data-color="${status.color}"] [data-testid="status-reason"][data-code="zone_temporary"]`).waitFor();
  });
});

test('the building grid colours by share sampled with a legend; a cell opens the unit\'s people, by keyboard too', async () => {
  const building = fx.community.buildings.get('1号楼');
  const cov = await a('GET', `/rounds/${fx.round.id}/coverage?place_id=${building.id}`);
  const unit = cov.children.find((u) => u.sampled > 0);
  assert.ok(unit, 'a unit of 1号楼 with someone sampled in the new round');
  await withBrowser(srv, { locale: 'en-US', viewport: DESKTOP }, async (page) => {
    await loginAs(page, 'community');
    await page.goto(`/#/zones?community=${fx.community.id}`);
    await page.locator('[data-testid="zone-grid"][data-by="zone"]').waitFor();
    await page.getByTestId('grid-legend').waitFor();
    await page.locator('label[for="grid-by-sampled"]').click();
    await page.locator('[data-testid="zone-grid"][data-by="sampled"]').waitFor();
    const legend = page.getByTestId('share-legend');
    assert.equal(Number(await legend.getAttribute('data-round-id')), fx.round.id, 'the newest active round over the community');
    assert.match(await legend.innerText(), /第2轮全员核酸/);
    for (const u of cov.children) {
      const c = page.locator(`[data-testid="grid-cell"][data-place-id="${u.place_id}"]`);
      assert.equal(Number(await c.getAttribute('data-sampled')), u.sampled, u.name);
      assert.equal(Number(await c.getAttribute('data-expected')), u.expected, u.name);
    }
    const cell = page.locator(`[data-testid="grid-cell"][data-place-id="${unit.place_id}"]`);
    assert.notEqual(await cell.getAttribute('data-share'), 'none');
    assert.match(await cell.getAttribute('aria-label'), new RegExp(`${unit.sampled} of ${unit.expected} sampled`));
    // Keyboard: focus the cell and press Enter.
    await cell.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/places/${unit.place_id}$`));
    await page.getByTestId('residents').getByTestId('resident-row').first().waitFor();
    // Back: the toggle is kept in the address.
    await page.goto(`/#/zones?community=${fx.community.id}&grid=sampled`);
    await page.locator('[data-testid="zone-grid"][data-by="sampled"]').waitFor();
    await page.locator('label[for="grid-by-zone"]').click();
    await page.locator('[data-testid="zone-grid"][data-by="zone"]').waitFor();
    // A click on a cell goes to the unit's people too.
    await page.locator(`[data-testid="grid-cell"][data-place-id="${unit.place_id}"]`).click();
    await page.waitForURL(new RegExp(`#/places/${unit.place_id}$`));
  });
});
