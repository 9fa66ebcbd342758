// Outbreak response in the browser: incidents, zones and the building grid, and zone reasons
// on the status pages, in Chinese and English.
//
// The tests make their own incidents through the API (an antigen report from 7号楼, a positive
// pool in 9号楼) and their own zone (over 10号楼), so they do not depend on what the demo
// seeded — except the test that checks the demo's half-way outbreak itself. Set
// SWABLINE_SCREENSHOT_DIR to keep a phone and a desktop picture of each page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, loginAs, withBrowser } from './server.mjs';
import { adminApi, makeRound, residentsOf, fillTube } from './fixtures.mjs';
import { OUTBREAK_STRINGS } from '../../web/i18n_outbreak.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const SHOTS = process.env.SWABLINE_SCREENSHOT_DIR || null;

let srv;
let a;
let fx;

before(async () => {
  srv = await startServer();
  a = await adminApi(srv);
  const { round, site, community } = await makeRound(a, { name: '处置测试轮' });
  const b = (name) => community.buildings.get(name);

  const [reporter, second] = await residentsOf(a, b('7号楼').id, 2);
  const antigen = await a('POST', '/reports', { json: { person: String(reporter.id), kind: 'antigen_positive' } });
  const antigen2 = await a('POST', '/reports', { json: { person: String(second.id), kind: 'antigen_positive' } });

  const members = await residentsOf(a, b('9号楼').id, 3);
  await fillTube(a, { barcode: 'OB-000001', round, site, people: members });
  await a('POST', '/boxes', { json: { barcode: 'OBBOX-0001' } });
  await a('POST', '/boxes/OBBOX-0001/tubes', { json: { tube: 'OB-000001' } });
  await a('POST', '/boxes/OBBOX-0001/dispatch');
  await a('POST', '/lab/receipts', { json: { box: 'OBBOX-0001', tubes: ['OB-000001'] } });
  await a('POST', '/lab/results', { json: { results: [{ tube: 'OB-000001', result: 'positive' }] } });
  const open = await a('GET', '/incidents?status=open&limit=1000');
  const pool = open.incidents.find((i) => i.tube === 'OB-000001');
  assert.ok(pool, 'the positive pool opened an incident');

  const [tenant] = await residentsOf(a, b('10号楼').id, 1);
  fx = { community, b, antigen, antigen2, pool, members, tenant };
});
after(async () => {
  await srv?.dispose();
});

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/**
 * Waits for `locator`; on a timeout, fails with what the page showed and what the API holds,
 * so a failure seen once on a loaded machine can be understood from its log alone.
 */
async function waitOrExplain(page, locator, what) {
  try {
    await locator.waitFor();
  } catch (err) {
    const shown = await page.locator('main').innerText().catch((e) => `(no text: ${e.message})`);
    const zones = await a('GET', '/zones').catch((e) => `(no zones: ${e.message})`);
    throw new Error(
      `${what}: ${err.message}\nurl: ${page.url()}\npage: ${shown.slice(0, 2000)}\nzones: ${JSON.stringify(zones)}`,
    );
  }
}

/** Nothing sticks out sideways (a phone would scroll the page left and right). */
async function assertNoSideways(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px window`);
}

const gridLevels = (page, building) =>
  page.locator(`[data-testid="grid-row"][data-place-id="${building.id}"] [data-testid="grid-cell"]`).evaluateAll((cells) => cells.map((c) => c.dataset.level));

test('every outbreak string is there in Chinese and in English', () => {
  const en = Object.keys(OUTBREAK_STRINGS.en).sort();
  const zh = Object.keys(OUTBREAK_STRINGS.zh).sort();
  assert.deepEqual(zh, en);
  for (const key of zh) assert.ok(OUTBREAK_STRINGS.zh[key].trim(), key);
});

test('the antigen checklist is tapped to closure on a phone, in Chinese; a positive asks twice', async () => {
  await withBrowser(srv, { locale: 'zh-CN', viewport: PHONE }, async (page) => {
    await loginAs(page, 'community');
    await page.getByTestId('nav-incidents').click();
    const row = page.locator(`[data-testid="incident-row"][data-incident-id="${fx.antigen.id}"]`);
    await row.waitFor();
    assert.match(await row.getByTestId('incident-age').innerText(), /分钟/);
    assert.equal(await row.getByTestId('incident-people').innerText(), '1 人');
    assert.equal(await row.getByTestId('incident-status').innerText(), '处置中');
    await shot(page, 'incidents-phone-zh');
    await assertNoSideways(page);
    await row.getByTestId('incident-link').click();

    await page.getByTestId('checklist-progress').filter({ hasText: '已完成 0/5' }).waitFor();
    assert.equal(await page.getByTestId('incident-kind').innerText(), '抗原自测阳性');
    assert.deepEqual(
      await page.getByTestId('checklist-row').locator('.checklist-item').allInnerTexts(),
      ['鼻拭子', '咽拭子', '血液', '环境样本', '抗原'],
    );
    await shot(page, 'incident-phone-zh');
    await assertNoSideways(page);
    for (let done = 1; done <= 5; done++) {
      await page.locator('[data-testid="checklist-row"][data-result=""]').first().getByTestId('checklist-negative').click();
      await page.getByTestId('checklist-progress').filter({ hasText: `已完成 ${done}/5` }).waitFor();
    }
    await page.locator('[data-testid="incident"][data-status="closed"]').waitFor();
    assert.equal(await page.getByTestId('incident-closed-reason').innerText(), '五件套均为阴性');
    assert.equal(await page.getByTestId('checklist-negative').count(), 0, 'nothing left to tap');
    assert.equal(await page.locator('[data-testid="incident-zone"][data-lifted="false"]').count(), 0, 'its temporary zone is lifted');
    assert.ok(await page.locator('[data-testid="timeline-event"][data-event="closed"]').count());
    const stored = await a('GET', `/incidents/${fx.antigen.id}`);
    assert.equal(stored.status, 'closed');
    assert.ok(stored.checklist.every((c) => c.result === 'negative'));

    // A positive escalates (a sealed unit), so it takes a second tap; one tap records nothing.
    await page.goto(`/#/incidents/${fx.antigen2.id}`);
    await page.getByTestId('checklist-progress').filter({ hasText: '已完成 0/5' }).waitFor();
    await page.getByTestId('checklist-positive').first().click();
    await page.getByTestId('checklist-confirm-positive').waitFor();
    assert.equal(await page.getByTestId('checklist-confirm-positive').innerText(), '确认阳性');
    assert.ok((await a('GET', `/incidents/${fx.antigen2.id}`)).checklist.every((c) => c.result === null));
  });
});

test('a retest task is assigned from the incident page, in English', async () => {
  await withBrowser(srv, { locale: 'en-US', viewport: DESKTOP }, async (page) => {
    await loginAs(page, 'community');
    await page.goto(`/#/incidents/${fx.pool.id}`);
    await page.getByTestId('tasks-progress').filter({ hasText: '0 of 3 done' }).waitFor();
    assert.equal(await page.getByTestId('incident-kind').innerText(), 'Pooled tube positive');
    assert.equal(await page.getByTestId('task-row').count(), 3);
    const first = page.getByTestId('task-row').first();
    assert.equal(await first.getByTestId('task-assignee').innerText(), 'Not assigned');
    assert.equal(await first.getByTestId('task-due').getAttribute('data-overdue'), 'false');
    await first.getByTestId('task-assign-input').fill('Door team 3');
    await first.getByTestId('task-assign').click();
    await page.getByTestId('task-row').first().getByTestId('task-assignee').filter({ hasText: 'Door team 3' }).waitFor();
    await page.locator('[data-testid="timeline-event"][data-event="task_assigned"]').filter({ hasText: 'assigned to Door team 3' }).waitFor();
    const stored = await a('GET', `/incidents/${fx.pool.id}`);
    assert.equal(stored.tasks[0].assignee, 'Door team 3');
    // The zone it started is listed with its level.
    assert.equal(await page.locator('[data-testid="incident-zone"] [data-testid="zone-level"]').first().innerText(), 'Temporary control');
    await shot(page, 'incident-desktop-en');

    // An incident opened by hand, for a person named by their ID number.
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('incident-new').click();
    await page.getByTestId('incident-people-input').fill(fx.members[0].id_number);
    await page.getByTestId('incident-note').fill('close contact of a case elsewhere');
    await page.getByTestId('incident-submit').click();
    await page.getByTestId('incident-kind').filter({ hasText: 'Opened by hand' }).waitFor();
    assert.deepEqual(await page.getByTestId('incident-person').allInnerTexts(), [fx.members[0].name]);
    const id = Number((await page.evaluate(() => location.hash)).match(/#\/incidents\/(\d+)/)[1]);
    assert.equal((await a('GET', `/incidents/${id}`)).note, 'close contact of a case elsewhere');
    // …and closed by hand, with a reason.
    await page.getByTestId('close-reason').fill('ruled out');
    await page.getByTestId('close-incident').click();
    await page.locator('[data-testid="incident"][data-status="closed"]').waitFor();
    assert.equal(await page.getByTestId('incident-closed-reason').innerText(), 'ruled out');
  });
});

test('a zone started and lifted by hand colours the grid, and the status pages say why, in both languages', async () => {
  const building = fx.b('10号楼');
  const { code } = await a('GET', `/residents/${fx.tenant.id}/code`);
  let zoneId;

  await withBrowser(srv, { locale: 'zh-CN', viewport: DESKTOP }, async (page) => {
    await loginAs(page, 'community');
    await page.getByTestId('nav-zones').click();
    await page.locator(`[data-testid="zone-grid"][data-place-id="${fx.community.id}"]`).waitFor();
    assert.ok((await gridLevels(page, building)).every((l) => l === 'none'));

    await page.getByTestId('zone-new').click();
    await page.getByTestId('zone-place-1').selectOption({ label: '10号楼' });
    await page.getByTestId('zone-place-2').waitFor(); // its units, to narrow down to (left at the whole building)
    await page.locator('label[for="zone-level-sealed"]').click();
    await page.getByTestId('zone-reason').fill('密接者居住');
    await page.getByTestId('zone-submit').click();
    await page.waitForFunction((id) => {
      const cells = [...document.querySelectorAll(`[data-testid="grid-row"][data-place-id="${id}"] [data-testid="grid-cell"]`)];
      return cells.length > 0 && cells.every((c) => c.dataset.level === 'sealed');
    }, building.id);
    const row = page.locator(`[data-testid="zone-row"][data-place-id="${building.id}"][data-lifted="false"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId('zone-level').innerText(), '封控');
    zoneId = Number(await row.getAttribute('data-zone-id'));
    await shot(page, 'zones-desktop-zh');

    // Staff status look-up: red, with the reason and how it clears, in Chinese and in English.
    await page.goto(`/#/status/${fx.tenant.id}`);
    const card = page.getByTestId('status-card');
    await card.waitFor();
    assert.equal(await card.getAttribute('data-color'), 'red');
    const reason = page.locator('[data-testid="status-reason"][data-code="zone_sealed"]');
    assert.match(await reason.innerText(), /居住在封控区/);
    assert.match(await reason.getByTestId('reason-help').innerText(), /连续7天无新增阳性/);
    await page.getByTestId('lang-toggle').click();
    await page.locator('[data-testid="status-reason"][data-code="zone_sealed"]').filter({ hasText: 'Lives in a sealed zone' }).waitFor();
    assert.match(await page.locator('[data-testid="status-reason"][data-code="zone_sealed"] [data-testid="reason-help"]').innerText(), /after 7 days without a new positive/);
    await page.getByTestId('lang-toggle').click();

    // The resident's page in the registry says the same.
    await page.goto(`/#/residents/${fx.tenant.id}`);
    await page.locator('[data-testid="resident-color"][data-color="red"]').waitFor();
    assert.equal(await page.locator('[data-testid="resident-status"] [data-testid="status-reason"][data-code="zone_sealed"]').count(), 1);
  });

  // The resident's own page, opened with their code, without signing in.
  await withBrowser(srv, { locale: 'zh-CN', viewport: PHONE }, async (page) => {
    await page.goto(`/#/status?code=${encodeURIComponent(code)}`);
    const reason = page.locator('[data-testid="status-reason"][data-code="zone_sealed"]');
    await reason.waitFor();
    assert.equal(await page.getByTestId('status-card').getAttribute('data-color'), 'red');
    assert.match(await reason.innerText(), /请足不出户/);
    await shot(page, 'status-public-phone-zh');
    await assertNoSideways(page);
  });

  await withBrowser(srv, { locale: 'en-US', viewport: PHONE }, async (page) => {
    await loginAs(page, 'community');
    await page.goto('/#/zones');
    const row = page.locator(`[data-testid="zone-row"][data-zone-id="${zoneId}"]`);
    await waitOrExplain(page, row, `zone ${zoneId} listed`);
    assert.equal(await row.getByTestId('zone-level').innerText(), 'Sealed');
    await shot(page, 'zones-phone-en');
    await assertNoSideways(page);
    await row.getByTestId('zone-lift').click();
    await row.getByTestId('zone-lift-confirm').click();
    await page.getByText('Give a reason.').waitFor();
    await row.getByTestId('zone-lift-reason').fill('contacts tested negative');
    await row.getByTestId('zone-lift-confirm').click();
    await page.locator(`[data-testid="zone-row"][data-zone-id="${zoneId}"]`).waitFor({ state: 'detached' });
    await page.waitForFunction((id) => {
      const cells = [...document.querySelectorAll(`[data-testid="grid-row"][data-place-id="${id}"] [data-testid="grid-cell"]`)];
      return cells.length > 0 && cells.every((c) => c.dataset.level === 'none');
    }, building.id);
    // Shown among all zones, lifted.
    await page.locator('label[for="zone-show-all"]').click();
    await page.locator(`[data-testid="zone-row"][data-zone-id="${zoneId}"][data-lifted="true"]`).waitFor();

    await page.goto(`/#/status/${fx.tenant.id}`);
    await page.getByTestId('status-card').waitFor();
    assert.equal(await page.locator('[data-testid="status-reason"][data-code="zone_sealed"]').count(), 0);
  });
  const zones = await a('GET', `/zones?place_id=${building.id}`);
  assert.ok(zones.zones.find((z) => z.id === zoneId).lifted_at);
});

test('the demo shows an outbreak half-way: a pool retested in part, a checklist two-fifths done, a zone over 8号楼', async () => {
  const open = await a('GET', '/incidents?status=open&limit=1000');
  const demoPool = open.incidents.find((i) => i.kind === 'pool_positive' && i.tube === 'CY01-00003');
  assert.ok(demoPool, 'the demo pool is open');
  const pool = await a('GET', `/incidents/${demoPool.id}`);
  const done = pool.tasks.filter((x) => x.status === 'done').length;
  assert.ok(done > 0 && done < pool.tasks.length, `${done} of ${pool.tasks.length} retests done`);
  assert.ok(pool.tasks.some((x) => x.assignee), 'a task is assigned');
  const demoReport = open.incidents.find((i) => i.kind === 'antigen_report' && i.id < fx.antigen.id);
  const report = await a('GET', `/incidents/${demoReport.id}`);
  assert.equal(report.checklist.filter((c) => c.result).length, 2);
  const b8 = fx.b('8号楼');
  const zones = await a('GET', `/zones?active=true&place_id=${b8.id}`);
  assert.ok(zones.zones.some((z) => z.place_id === b8.id && z.level === 'controlled' && z.incident_id === null));

  // An unscoped user sees the community of the zones in force, 8号楼 in the colour of its zone.
  await withBrowser(srv, { locale: 'en-US', viewport: DESKTOP }, async (page) => {
    await loginAs(page, 'admin');
    await page.getByTestId('nav-zones').click();
    await page.locator(`[data-testid="zone-grid"][data-place-id="${fx.community.id}"]`).waitFor();
    assert.ok((await gridLevels(page, b8)).every((l) => l === 'controlled'));
    await page.goto(`/#/incidents/${demoPool.id}`);
    await page.getByTestId('tasks-progress').filter({ hasText: `${done} of ${pool.tasks.length} done` }).waitFor();
    await page.goto(`/#/incidents/${demoReport.id}`);
    await page.getByTestId('checklist-progress').filter({ hasText: '2 of 5 done' }).waitFor();
  });
});

test('a viewer reads incidents and zones but is offered no change', async () => {
  await withBrowser(srv, { locale: 'en-US', viewport: DESKTOP }, async (page) => {
    await loginAs(page, 'viewer');
    await page.getByTestId('nav-incidents').click();
    await page.locator(`[data-testid="incident-row"][data-incident-id="${fx.pool.id}"]`).waitFor();
    assert.equal(await page.getByTestId('incident-new').count(), 0);
    await page.goto(`/#/incidents/${fx.antigen2.id}`);
    await page.getByTestId('checklist-progress').waitFor();
    assert.equal(await page.getByTestId('checklist-negative').count(), 0);
    assert.equal(await page.getByTestId('close-incident').count(), 0);
    await page.goto(`/#/incidents/${fx.pool.id}`);
    await page.getByTestId('task-row').first().waitFor();
    assert.equal(await page.getByTestId('task-assign').count(), 0);
    await page.getByTestId('nav-zones').click();
    await page.getByTestId('zone-grid-section').waitFor();
    assert.equal(await page.getByTestId('zone-new').count(), 0);
    assert.equal(await page.getByTestId('zone-lift').count(), 0);
  });
});
