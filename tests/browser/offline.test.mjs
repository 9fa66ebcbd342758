// The sampling station with no network: the service worker keeps the app shell, scans made
// offline wait in the device's queue (counted at once as queued), survive a reload, and are sent
// exactly once when the network returns, in order, whichever tab sends them; a refusal on sync
// stays shown against its scan. The server's own count (read through the API) is the judge.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, withBrowser, loginAs, WEB_DIR } from './server.mjs';
import { adminApi, makeRound, residentsOf, fillTube } from './fixtures.mjs';

let srv;
let a; // admin API
let fx; // {round, site, community, people, refusedPeople, twoTabs, lost}

before(async () => {
  srv = await startServer();
  a = await adminApi(srv);
  const { round, site, community } = await makeRound(a, { name: '离线采样轮' });
  const b = (name) => community.buildings.get(name).id;
  fx = {
    round,
    site,
    people: await residentsOf(a, b('2号楼'), 5),
    refused: await residentsOf(a, b('3号楼'), 3),
    twoTabs: await residentsOf(a, b('4号楼'), 5),
    twoTabsNoLocks: await residentsOf(a, b('6号楼'), 5),
    lost: await residentsOf(a, b('5号楼'), 2),
  };
  // One of them was sampled already, in a tube of another station.
  await fillTube(a, { barcode: 'OTHER-000001', round, site, people: [fx.refused[0]], seal: true });
});
after(async () => {
  await srv?.dispose();
});

async function scan(page, text) {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const count = (page, text) => page.getByTestId('tube-count').filter({ hasText: new RegExp(`^${text.replace('/', '\\/')}$`) }).waitFor();
const waiting = (page, n) => page.locator(`[data-testid="queue-count"][data-n="${n}"]`).waitFor();
const queueEmpty = (page) => page.getByTestId('queue-count').waitFor({ state: 'detached', timeout: 30_000 });

async function chooseStation(page) {
  await page.getByTestId('station').waitFor();
  await page.getByTestId('round-select').selectOption(String(fx.round.id));
  await page.getByTestId('site-select').selectOption(String(fx.site.id));
  await page.getByTestId('station-start').click();
  await page.getByTestId('tube-input').waitFor();
}

/** Resolves once the service worker controls the page (its shell cache is then filled). */
async function workerInControl(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}

/** Nothing on the page is wider than the screen. */
async function fitsWidth(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `the page is ${scroll}px wide on a ${width}px screen`);
}

test('the service worker caches every file of the app shell and no API answer', async () => {
  const sw = fs.readFileSync(path.join(WEB_DIR, 'sw.js'), 'utf8');
  const listed = new Set([...sw.slice(sw.indexOf('const SHELL'), sw.indexOf('];')).matchAll(/'(\/[^']*)'/g)].map((m) => m[1]));
  const files = fs
    .readdirSync(WEB_DIR, { recursive: true })
    .map((f) => `/${f.split(path.sep).join('/')}`)
    .filter((f) => /\.(js|css|html|svg)$/.test(f) && f !== '/sw.js' && !f.startsWith('/vendor/'));
  for (const f of files) assert.ok(listed.has(f), `sw.js does not cache ${f}`);

  const res = await fetch(`${srv.url}/sw.js`);
  assert.match(res.headers.get('content-type'), /^text\/javascript/);
  const wasm = await fetch(`${srv.url}/vendor/zxing-wasm/zxing_reader.wasm`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');

  await withBrowser(srv, { locale: 'en-US' }, async (page) => {
    await loginAs(page, 'recorder');
    await workerInControl(page);
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls = [];
      for (const n of names) for (const r of await (await caches.open(n)).keys()) urls.push(new URL(r.url).pathname);
      return { names, urls };
    });
    // One cache, named by the worker's SHELL_VERSION (bumped when the shell's files change).
    const version = fs.readFileSync(path.join(WEB_DIR, 'sw.js'), 'utf8').match(/SHELL_VERSION = (\d+);/)[1];
    assert.deepEqual(cached.names, [`swabline-shell-v${version}`]);
    for (const f of files) assert.ok(cached.urls.includes(f), `${f} is not in the cache`);
    assert.ok(cached.urls.includes('/vendor/zxing-wasm/zxing_reader.wasm'), 'the camera decoder is cached');
    assert.ok(!cached.urls.some((u) => u.startsWith('/api/')), `an API answer was cached: ${cached.urls}`);
  });
});

test('five scans made offline survive a reload and are sent exactly once when back online (phone, en)', async () => {
  await withBrowser(srv, { locale: 'en-US', viewport: { width: 390, height: 844 } }, async (page, context) => {
    await loginAs(page, 'recorder');
    await chooseStation(page);
    await workerInControl(page);

    await context.setOffline(true);
    await scan(page, 'OFF-000001'); // opened offline too
    await count(page, '0/10');
    for (const [i, p] of fx.people.entries()) {
      await scan(page, p.id_number);
      await count(page, `${i + 1}/10`);
    }
    assert.equal(await page.getByTestId('tube-queued').innerText(), '+5 queued');
    assert.equal(await page.getByTestId('queued-badge').count(), 5);
    await waiting(page, 6); // the tube and five people
    await page.getByTestId('offline').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.feedback), 'queued');
    await fitsWidth(page);

    // A reload with no network: the shell comes from the service worker's cache (any request
    // for it that still reaches for the server, the worker's own included, is cut), the scans
    // from the queue.
    let shellFetched = 0;
    const cut = (url) => !url.pathname.startsWith('/api/');
    const abort = (route) => {
      shellFetched += 1;
      return route.abort('internetdisconnected');
    };
    await context.route(cut, abort);
    await page.reload();
    await page.getByTestId('tube-card').waitFor();
    await count(page, '5/10');
    await waiting(page, 6);
    assert.equal((await a('GET', '/tubes/OFF-000001', { ok: false })).status, 404, 'nothing reached the server');
    await context.unroute(cut, abort);
    assert.ok(shellFetched > 0, 'the worker reached for the network, and its cache answered');

    await context.setOffline(false);
    await queueEmpty(page);
    await count(page, '5/10');
    assert.equal(await page.getByTestId('tube-queued').count(), 0);
    await page.getByTestId('sample-name').nth(4).waitFor();

    const tube = await a('GET', '/tubes/OFF-000001');
    assert.equal(tube.count, 5);
    assert.deepEqual(tube.samples.map((s) => s.person.id).sort(), fx.people.map((p) => p.id).sort());
    assert.deepEqual(await page.evaluate(() => indexedDB.databases().then((d) => d.map((x) => x.name))), ['swabline-station']);
    await fitsWidth(page);
  });
});

test('a refusal on sync is shown against its scan until seen; the rest go in (phone, zh)', async () => {
  const [sampledBefore, p2, p3] = fx.refused;
  await withBrowser(srv, { locale: 'zh-CN', viewport: { width: 390, height: 844 } }, async (page, context) => {
    await loginAs(page, 'recorder');
    await chooseStation(page);
    await scan(page, 'OFF-000002');
    await count(page, '0/10');
    await workerInControl(page);

    await context.setOffline(true);
    await scan(page, p2.id_number);
    await scan(page, sampledBefore.id_number);
    await scan(page, p3.id_number);
    await count(page, '3/10');
    assert.equal(await page.getByTestId('tube-queued').innerText(), '+3 待上传');
    await page.getByTestId('queue-count').filter({ hasText: '3 条待上传' }).waitFor();

    await context.setOffline(false);
    const refused = page.locator('[data-testid="sync-refused"][data-code="already_sampled"]');
    await refused.waitFor();
    assert.equal(await refused.getAttribute('data-tube'), 'OFF-000002');
    const text = await refused.innerText();
    assert.match(text, /\d{6}\*{8}\d{3}[\dX] → 试管 OFF-000002/, 'the scan it was, masked');
    assert.match(text, /本轮已采样/);
    assert.match(text, /装箱前告知采样点负责人/, 'the next step in words');
    // The full-width banner says it too, with the other tube, and the refusal's own sound.
    const banner = page.locator('[data-testid="scan-message"][data-kind="error"][data-code="already_sampled"]');
    await banner.waitFor();
    assert.match(await banner.innerText(), /OTHER-000001/);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.feedback), 'person');
    await fitsWidth(page);

    await queueEmpty(page);
    await count(page, '2/10');
    const tube = await a('GET', '/tubes/OFF-000002');
    assert.deepEqual(tube.samples.map((s) => s.person.id).sort(), [p2.id, p3.id].sort());

    // Still there after a reload, until the recorder marks it seen.
    await page.reload();
    await refused.waitFor();
    await refused.getByTestId('sync-dismiss').click();
    await refused.waitFor({ state: 'detached' });
    await page.getByTestId('queue-panel').waitFor({ state: 'detached' });
  });
});

/**
 * Two tabs of the station on one device send the same queue at once, and the one that is
 * sending is reloaded mid-way. With `locks: false` the browser has no Web Locks API, and the
 * lease in IndexedDB keeps the tabs apart instead.
 */
async function twoTabs({ barcode, people, locks }) {
  await withBrowser(srv, { locale: 'en-US' }, async (page, context) => {
    if (!locks) await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }));
    await loginAs(page, 'recorder');
    await chooseStation(page);
    await scan(page, barcode);
    await count(page, '0/10');
    await workerInControl(page);
    const second = await context.newPage();
    await loginAs(second, 'recorder'); // the recorder's own page: the station, on the same tube
    await second.getByTestId('tube-card').waitFor();

    await context.setOffline(true);
    await page.bringToFront();
    for (const p of people) await scan(page, p.id_number);
    await count(page, '5/10');
    await count(second, '5/10'); // the other tab sees the queue too

    // Slow answers, so that both tabs are at it together and the reload lands mid-way.
    const keys = [];
    await context.route(`**/api/v1/tubes/${barcode}/samples`, async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      await new Promise((r) => setTimeout(r, 400));
      await route.continue().catch(() => {}); // the tab reloaded meanwhile: the request is gone
    });
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await second.evaluate(() => window.dispatchEvent(new Event('online')));
    while (keys.length < 2) await page.waitForTimeout(50);
    await page.reload();
    await queueEmpty(second);
    await count(second, '5/10');
    await page.getByTestId('tube-card').waitFor();
    await count(page, '5/10');

    // One sender at a time: each scan went once, but for the one cut by the reload, which went
    // again with its own key.
    assert.equal(new Set(keys).size, 5);
    assert.ok(keys.length <= 6, `${keys.length} requests for 5 scans`);
    const tube = await a('GET', `/tubes/${barcode}`);
    assert.equal(tube.count, 5);
    assert.deepEqual(tube.samples.map((s) => s.person.id).sort(), people.map((p) => p.id).sort());
    await second.close();
  });
}

test('two tabs sending the same queue, and a reload in the middle, double nothing', () =>
  twoTabs({ barcode: 'OFF-000003', people: fx.twoTabs, locks: true }));

test('without Web Locks, the lease in IndexedDB keeps two tabs from doubling', () =>
  twoTabs({ barcode: 'OFF-000005', people: fx.twoTabsNoLocks, locks: false }));

test('an answer lost on its way back is sent again with the same key and counted once', async () => {
  await withBrowser(srv, { locale: 'en-US' }, async (page, context) => {
    await loginAs(page, 'recorder');
    await chooseStation(page);
    await scan(page, 'OFF-000004');
    await count(page, '0/10');
    // The server takes the first scan, but its answer never reaches the page.
    let keys = [];
    await context.route('**/api/v1/tubes/OFF-000004/samples', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length === 1) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await scan(page, fx.lost[0].id_number);
    await page.getByTestId('sample-name').first().waitFor(); // sent again, and taken
    await count(page, '1/10');
    assert.equal(await page.getByTestId('queued-badge').count(), 0);
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1], 'the same Idempotency-Key both times');
    await scan(page, fx.lost[1].id_number);
    await count(page, '2/10');
    const tube = await a('GET', '/tubes/OFF-000004');
    assert.equal(tube.count, 2);
  });
});

test('the camera decoder reads a QR personal code and a Code 128 tube label', async () => {
  const person = fx.people[0];
  const { code } = await a('GET', `/residents/${person.id}/code`);
  const qrSvg = await (await fetch(`${srv.url}/api/v1/residents/${person.id}/code.svg`, { headers: { Authorization: `Bearer ${a.token}` } })).text();
  const modules = path.join(path.dirname(WEB_DIR), 'scripts', 'web-vendor', 'node_modules', 'zxing-wasm', 'dist');
  const writer = await import(path.join(modules, 'es', 'writer', 'index.js'));
  writer.prepareZXingModule({ overrides: { wasmBinary: fs.readFileSync(path.join(modules, 'writer', 'zxing_writer.wasm')) }, fireImmediately: true });
  const label = await writer.writeBarcode('SMP-123456', { format: 'Code128', scale: 3 });

  await withBrowser(srv, { locale: 'en-US' }, async (page) => {
    await page.goto('/');
    const read = (svg) =>
      page.evaluate(async (svgText) => {
        const { detectIn } = await import('/camera.js');
        const img = new Image();
        img.src = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' })); // CSP: img-src 'self' blob:
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth + 80;
        canvas.height = img.naturalHeight + 80;
        const g = canvas.getContext('2d');
        g.fillStyle = '#fff';
        g.fillRect(0, 0, canvas.width, canvas.height);
        g.drawImage(img, 40, 40);
        return detectIn(canvas);
      }, svg);
    assert.deepEqual(await read(qrSvg), [{ format: 'qr_code', rawValue: code }]);
    assert.deepEqual(await read(label.svg), [{ format: 'code_128', rawValue: 'SMP-123456' }]);

    // The station's camera button: this headless browser has no camera, and says so in words;
    // closing it gives the scan field its focus back.
    await loginAs(page, 'recorder');
    await chooseStation(page);
    await page.getByTestId('camera-tube').click();
    const layer = page.getByTestId('camera-layer');
    await layer.getByText('No camera can be used here').waitFor();
    await page.getByTestId('camera-close').click();
    await layer.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'tube-input');
  });
});
