// The public queue board (#/queue): sites with their lanes, the people waiting and the expected
// wait, open sites first and the shortest wait first, at phone size in both languages, without
// signing in; and a recorder's − / + per lane on the same board once signed in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, withBrowser } from './server.mjs';
import { adminApi, community } from './fixtures.mjs';

const PHONE = { width: 390, height: 844 };

let srv;
let a;
let place;
let quick; // open, 2 collectors, 14 waiting: 6 minutes
let slow; // open, 1 collector, 35 waiting: 30 minutes
let shut; // closed now

/** An hour of local time (Asia/Shanghai, the server's default) well clear of now. */
function closedHours() {
  const now = new Date();
  const minute = ((now.getUTCHours() + 8) % 24) * 60 + now.getUTCMinutes();
  const from = [60, 420, 780, 1140].find((c) => minute < c - 10 || minute >= c + 70);
  const pad = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return [{ from: pad(from), to: pad(from + 60) }];
}

async function site(name, { lanes, hours, collectors, waiting }) {
  const s = await a('POST', '/sites', { json: { name, place_id: place.id, lanes, hours } });
  await a('PUT', `/sites/${s.id}/collectors`, { json: { count: collectors } });
  for (const [lane, delta] of Object.entries(waiting)) await a('POST', `/sites/${s.id}/queue`, { json: { lane, delta } });
  return s;
}

before(async () => {
  srv = await startServer();
  a = await adminApi(srv);
  place = await community(a);
  slow = await site('慢点采样点', { lanes: ['general'], collectors: 1, waiting: { general: 35 } });
  quick = await site('快点采样点', { lanes: ['green', 'general'], collectors: 2, waiting: { green: 2, general: 12 } });
  shut = await site('未开放采样点', { lanes: ['general'], hours: closedHours(), collectors: 3, waiting: {} });
});
after(async () => {
  await srv?.dispose();
});

const card = (page, s) => page.locator(`[data-testid="queue-site"][data-site-id="${s.id}"]`);
const lane = (page, s, name) => card(page, s).locator(`[data-testid="queue-lane"][data-lane="${name}"]`);

async function order(page) {
  const ids = await page.getByTestId('queue-site').evaluateAll((els) => els.map((e) => Number(e.dataset.siteId)));
  return ids.filter((id) => [quick.id, slow.id, shut.id].includes(id));
}

test('a resident\'s phone shows the queue board in Chinese without signing in, shortest wait first', async () => {
  await withBrowser(srv, { locale: 'zh-CN', viewport: PHONE }, async (page) => {
    await page.goto(`/#/queue?place=${place.id}`);
    await card(page, quick).waitFor();
    await card(page, shut).waitFor();
    assert.deepEqual(await order(page), [quick.id, slow.id, shut.id]);
    assert.equal(await card(page, quick).getByTestId('queue-open').innerText(), '开放中');
    assert.equal(await card(page, shut).getByTestId('queue-open').innerText(), '当前未开放');
    assert.match(await lane(page, quick, 'green').innerText(), /绿色通道/);
    assert.equal(await lane(page, quick, 'green').getByTestId('lane-waiting').innerText(), '2');
    assert.equal(await lane(page, quick, 'general').getByTestId('lane-wait').innerText(), '约 6 分钟');
    assert.equal(await lane(page, slow, 'general').getByTestId('lane-wait').innerText(), '约 30 分钟');
    assert.equal(await page.getByTestId('queue-plus').count(), 0, 'no counting without signing in');
    assert.equal(await page.getByTestId('login-username').count(), 0, 'no sign-in asked for');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the board fits a phone's width (overflow ${overflow}px)`);
  });
});

test('the same board in English', async () => {
  await withBrowser(srv, { locale: 'en-US', viewport: PHONE }, async (page) => {
    await page.goto(`/#/queue?place=${place.id}`);
    await card(page, slow).waitFor();
    assert.equal(await page.locator('h1').first().innerText(), 'Sampling sites and queues');
    assert.equal(await lane(page, slow, 'general').getByTestId('lane-wait').innerText(), 'about 30 min');
    assert.match(await lane(page, quick, 'green').innerText(), /Green lane/);
    assert.equal(await card(page, shut).getByTestId('queue-open').innerText(), 'Closed now');
    assert.match(await card(page, quick).innerText(), /2 collectors on shift/);
  });
});

test('a signed-in recorder counts people joining and leaving with + and − per lane', async () => {
  await withBrowser(srv, { locale: 'zh-CN', viewport: PHONE }, async (page) => {
    await loginAs(page, 'recorder');
    await page.goto(`/#/queue?place=${place.id}`);
    const general = () => lane(page, quick, 'general');
    await general().waitFor();
    assert.equal(await general().getByTestId('lane-waiting').innerText(), '12');
    await general().getByTestId('queue-plus').click();
    await general().getByTestId('lane-waiting').filter({ hasText: /^13$/ }).waitFor();
    await general().getByTestId('queue-plus').click();
    await general().getByTestId('lane-waiting').filter({ hasText: /^14$/ }).waitFor();
    await lane(page, quick, 'green').getByTestId('queue-minus').click();
    await lane(page, quick, 'green').getByTestId('lane-waiting').filter({ hasText: /^1$/ }).waitFor();
  });
  const q = await (await fetch(`${srv.url}/api/v1/sites/${quick.id}/queue`)).json();
  assert.deepEqual(q.lanes.map((l) => [l.lane, l.waiting]), [['green', 1], ['general', 14]]);
});
