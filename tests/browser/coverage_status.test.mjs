// Rounds and coverage, status cards, personal codes and signing out.
//
// A round over the demo community is made through the API, with one tube resulted positive and
// one waiting at the lab; the community office then follows it in the browser: coverage with a
// bar per building, drilling into a building, the missing list (elderly and bedridden first)
// and its CSV and Excel downloads, turnaround; a new round made and closed from the page. The
// status page shows a member of the positive pool yellow, and so does the public page opened
// by the resident's code, without signing in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { startServer, loginAs, apiCall, withBrowser } from './server.mjs';
import { adminApi, makeRound, residentsOf, fillTube } from './fixtures.mjs';

const SCREENSHOT = process.env.SWABLINE_SCREENSHOT_COVERAGE || '/tmp/swabline-coverage.png';

let srv;
let a;
let fx;

before(async () => {
  srv = await startServer();
  a = await adminApi(srv);
  const { round, site, community } = await makeRound(a, { name: '覆盖测试轮' });
  const building = community.buildings.get('1号楼');
  const people = await residentsOf(a, building.id, 5);
  await fillTube(a, { barcode: 'CV-000001', round, site, people: people.slice(0, 3) });
  await fillTube(a, { barcode: 'CV-000002', round, site, people: people.slice(3, 5) });
  await a('POST', '/boxes', { json: { barcode: 'CVBOX-0001' } });
  await a('POST', '/boxes/CVBOX-0001/tubes', { json: { tube: 'CV-000001' } });
  await a('POST', '/boxes/CVBOX-0001/dispatch');
  await a('POST', '/lab/receipts', { json: { box: 'CVBOX-0001', tubes: ['CV-000001'] } });
  const report = await a('POST', '/lab/results', { json: { results: [{ tube: 'CV-000001', result: 'positive' }] } });
  assert.equal(report.accepted, 1);
  fx = { round, site, community, building, people };
});
after(async () => {
  await srv?.dispose();
});

const statN = async (page, key) => Number((await page.getByTestId(`cov-${key}`).locator('.stat-n').innerText()).trim());

test('the community office follows a round: coverage, drill-down, the missing list and its downloads', async () => {
  const cov = await a('GET', `/rounds/${fx.round.id}/coverage?place_id=${fx.community.id}`);
  const inBuilding = await a('GET', `/rounds/${fx.round.id}/missing?place_id=${fx.building.id}&limit=1`);

  await withBrowser(srv, { locale: 'zh-CN' }, async (page) => {
    await loginAs(page, 'community');
    await page.getByTestId('nav-rounds').click();
    const row = page.locator(`[data-testid="round-row"][data-round-id="${fx.round.id}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId('round-status').innerText(), '进行中');
    await row.getByTestId('round-link').click();

    // The community (the user's scope) with a bar per building.
    await page.getByTestId('cov-place').filter({ hasText: '小黄庄社区' }).waitFor();
    assert.equal(await statN(page, 'expected'), cov.expected);
    assert.equal(await statN(page, 'sampled'), 5);
    assert.equal(await statN(page, 'resulted'), 3);
    assert.equal(await statN(page, 'positive'), 3);
    assert.equal(await page.getByTestId('cov-child').count(), cov.children.length);
    const b1 = page.locator(`[data-testid="cov-child"][data-place-id="${fx.building.id}"]`);
    const b1cov = cov.children.find((c) => c.place_id === fx.building.id);
    assert.equal(await b1.getByTestId('cov-child-sampled').innerText(), `5/${b1cov.expected}`);
    assert.equal(await b1.getByTestId('cov-child-positive').innerText(), '阳性 3');
    await page.getByTestId('tat-median').waitFor();
    assert.notEqual(await page.getByTestId('tat-median').locator('.stat-n').innerText(), '—');
    await page.getByTestId('missing-row').first().waitFor();
    await page.mouse.move(4, 790);
    await page.screenshot({ path: SCREENSHOT, animations: 'disabled' });

    // Into the building: its units, and who is missing there, elderly and bedridden first.
    await b1.click();
    await page.getByTestId('cov-place').filter({ hasText: '1号楼' }).waitFor();
    assert.equal(await statN(page, 'sampled'), 5);
    assert.deepEqual(await page.getByTestId('cov-breadcrumb').locator('li').allInnerTexts(), ['小黄庄社区', '1号楼']);
    assert.ok((await page.getByTestId('cov-child').count()) > 0, 'units inside the building');
    await page.getByTestId('missing-total').filter({ hasText: String(inBuilding.total) }).waitFor();
    const first = page.getByTestId('missing-row').first();
    await first.waitFor();
    const firstTags = inBuilding.people[0].tags;
    const priority = firstTags.includes('elderly') || firstTags.includes('bedridden');
    assert.equal(await first.getAttribute('data-priority'), priority ? 'yes' : 'no');
    assert.ok(priority, 'the demo building has elderly or bedridden residents, listed first');
    const addresses = await page.getByTestId('missing-row').locator('.cell-address').allInnerTexts();
    assert.ok(addresses.every((ad) => !ad.startsWith('朝阳区')), 'addresses are shown from the building down');
    const sampledIds = new Set(fx.people.map((p) => p.name));
    const names = await page.getByTestId('missing-row').locator('.cell-name a').allInnerTexts();
    assert.ok(!names.some((n) => sampledIds.has(n) && fx.people.filter((p) => p.name === n).length === names.filter((x) => x === n).length), 'sampled people are not missing');

    // Downloads, fetched with the token.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    assert.equal(csv.suggestedFilename(), `missing-round-${fx.round.id}.csv`);
    const text = await fs.readFile(await csv.path(), 'utf8');
    const lines = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    assert.equal(lines[0], 'id,name,id_number_masked,phone,address,tags');
    assert.equal(lines.length - 1, inBuilding.total);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
    assert.equal(xlsx.suggestedFilename(), `missing-round-${fx.round.id}.xlsx`);
    const bytes = await fs.readFile(await xlsx.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an Excel workbook (zip)');
  });
});

test('status: a pool member is yellow for staff and on their own public page; the resident page shows the QR code', async () => {
  const member = fx.people[0];
  const { code } = await a('GET', `/residents/${member.id}/code`);

  await withBrowser(srv, { locale: 'en-US' }, async (page, context) => {
    await loginAs(page, 'community');
    await page.getByTestId('nav-status').click();
    await page.getByTestId('status-input').waitFor();
    await page.keyboard.type(String(member.id));
    await page.keyboard.press('Enter');
    const card = page.getByTestId('status-card');
    await card.waitFor();
    assert.equal(await card.getAttribute('data-color'), 'yellow');
    assert.equal(await card.getAttribute('data-state'), 'pool_positive');
    assert.equal(await page.getByTestId('status-color').innerText(), 'Yellow');
    assert.equal(await page.locator('[data-testid="status-reason"][data-code="pool_positive"]').count(), 1);
    assert.equal(await page.getByTestId('status-name').innerText(), member.name);
    assert.match(await card.innerText(), /CV-000001/);

    // By ID number: looked up in place, the number stays out of the address. (This runs before
    // the next test makes newer rounds over the community, which would make it not_sampled.)
    await page.getByTestId('status-input').fill(fx.people[3].id_number);
    await page.keyboard.press('Enter');
    await page.getByTestId('status-name').filter({ hasText: fx.people[3].name }).waitFor();
    assert.equal(await page.getByTestId('status-card').getAttribute('data-state'), 'pending');
    assert.ok(!(await page.evaluate(() => location.hash)).includes(fx.people[3].id_number));

    // The resident page: the QR image (fetched with the token) and the building's code sheet.
    assert.equal(await page.getByTestId('status-resident').getAttribute('href'), `#/residents/${fx.people[3].id}`);
    await page.evaluate((id) => {
      location.hash = `#/residents/${id}`;
    }, member.id);
    await page.getByTestId('resident-name').filter({ hasText: member.name }).waitFor();
    const qr = page.getByTestId('qr-img');
    await qr.waitFor();
    assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR image loaded');
    assert.match(await qr.getAttribute('src'), /^blob:/);
    assert.equal(await page.getByTestId('public-status-link').getAttribute('href'), `#/status?code=${encodeURIComponent(code)}`);
    await page.getByTestId('code-sheet').waitFor();
    assert.match(await page.getByTestId('code-sheet').innerText(), /1号楼/);
    const [sheet] = await Promise.all([context.waitForEvent('page'), page.getByTestId('code-sheet').click()]);
    await sheet.waitForURL(/^blob:/);
    assert.equal(await sheet.evaluate(() => document.documentElement.tagName.toLowerCase()), 'svg');
    await sheet.close();
    await page.getByTestId('sheet-pages').filter({ hasText: /pages/ }).waitFor();

    // Signing out ends the session on the server, not just here.
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('swabline.session')).token);
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    const me = await apiCall(srv, 'GET', '/api/v1/me', { token });
    assert.equal(me.status, 401, 'the token no longer works');
  });

  // The resident's own page, with no sign-in at all.
  await withBrowser(srv, { locale: 'zh-CN', viewport: { width: 390, height: 844 } }, async (page) => {
    await page.goto(`/#/status?code=${encodeURIComponent(code)}`);
    const card = page.getByTestId('status-card');
    await card.waitFor();
    assert.equal(await card.getAttribute('data-color'), 'yellow');
    assert.equal(await page.getByTestId('status-color').innerText(), '黄码');
    assert.match(await page.getByTestId('status-state').innerText(), /混管阳性/);
    assert.equal(await page.getByTestId('login-form').count(), 0, 'no sign-in asked');
    assert.equal(await page.getByTestId('user').count(), 0, 'nobody is signed in');
    if (process.env.SWABLINE_SCREENSHOT_STATUS) await page.screenshot({ path: process.env.SWABLINE_SCREENSHOT_STATUS, animations: 'disabled' });

    await page.goto('/#/status?code=SW1.not-a-code');
    await page.getByTestId('error-code').filter({ hasText: 'invalid_personal_code' }).waitFor();
    // Without a code, the status lookup is for staff: sign in first.
    await page.goto('/#/status');
    await page.getByTestId('login-form').waitFor();
  });
});

test('a round is created and closed from the page; a viewer may look but not change', async () => {
  await withBrowser(srv, { locale: 'en-US' }, async (page) => {
    await loginAs(page, 'community');
    await page.goto('/#/rounds');
    await page.getByTestId('new-round').click();
    await page.getByTestId('round-name').fill('Round made in the browser');
    await page.getByTestId('round-submit').click();
    // The community office's one top place is offered and already ticked; its buildings too.
    await page.getByTestId('round-name').filter({ hasText: 'Round made in the browser' }).waitFor();
    const id = Number((await page.evaluate(() => location.hash)).match(/#\/rounds\/(\d+)/)[1]);
    const made = await a('GET', `/rounds/${id}`);
    assert.equal(made.pool_size, 10);
    assert.deepEqual(made.place_ids, [fx.community.id]);
    assert.equal(await statN(page, 'sampled'), 0);

    await page.getByTestId('back').click();
    await page.getByTestId('new-round').click();
    await page.getByTestId('round-name').fill('Five in one, two buildings');
    await page.locator('label[for="pool-5"]').click();
    await page.locator(`#round-place-${fx.community.id}`).uncheck();
    await page.getByTestId('round-submit').click();
    await page.getByText('Choose at least one place.').waitFor();
    const b2 = fx.community.buildings.get('2号楼');
    const b3 = fx.community.buildings.get('3号楼');
    await page.locator(`#round-place-${b2.id}`).check();
    await page.locator(`#round-place-${b3.id}`).check();
    await page.getByTestId('round-submit').click();
    await page.getByTestId('round-name').filter({ hasText: 'Five in one, two buildings' }).waitFor();
    const id2 = Number((await page.evaluate(() => location.hash)).match(/#\/rounds\/(\d+)/)[1]);
    const made2 = await a('GET', `/rounds/${id2}`);
    assert.equal(made2.pool_size, 5);
    assert.deepEqual(made2.place_ids.sort(), [b2.id, b3.id].sort());

    await page.getByTestId('back').click();
    const row = page.locator(`[data-testid="round-row"][data-round-id="${id}"]`);
    await row.getByTestId('close-round').click();
    await row.getByTestId('close-round-confirm').click();
    await page.locator(`[data-testid="round-row"][data-round-id="${id}"] [data-testid="round-status"]`).filter({ hasText: 'Closed' }).waitFor();
    assert.equal((await a('GET', `/rounds/${id}`)).status, 'closed');
  });

  await withBrowser(srv, { locale: 'en-US' }, async (page) => {
    await loginAs(page, 'viewer');
    await page.getByTestId('nav-rounds').click();
    await page.locator(`[data-testid="round-row"][data-round-id="${fx.round.id}"]`).waitFor();
    assert.equal(await page.getByTestId('new-round').count(), 0);
    assert.equal(await page.getByTestId('close-round').count(), 0);
  });
});
