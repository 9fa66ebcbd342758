// Accessibility of every page of the app: each route of web/app.js (signed in as the demo's
// admin, who may open them all) and the public pages (signed out: sign-in, the queue board, the
// resident's own page), on a phone (390×844) and a desktop (1366×900), in Chinese and English.
//   - axe-core (tests/browser/package.json, pinned) finds no serious or critical violation;
//   - every visible control is reached with the Tab key alone (a radio group by its one stop);
//   - a keyboard-wedge scanner (types, then Enter) works on the status look-up with no click.
// Each page is saved as a screenshot in SWABLINE_SCREENSHOT_DIR (default: a folder in the temp
// directory), named a11y-<locale>-<size>-<page>.png, for a person to look at.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startServer, openBrowser, loginAs, WEB_DIR } from '../server.mjs';
import { adminApi, community } from '../fixtures.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.SWABLINE_SCREENSHOT_DIR || path.join(os.tmpdir(), 'swabline-a11y');
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } };
const LOCALES = ['zh-CN', 'en-US'];

let srv;
let pages; // [{name, hash, signedIn}]

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  const a = await adminApi(srv);
  const c = await community(a);
  const rounds = (await a('GET', '/rounds')).rounds;
  const round = rounds.find((r) => r.name === '第1轮全员核酸') || rounds[0];
  const incident = (await a('GET', '/incidents?status=open')).incidents.find((i) => i.kind === 'pool_positive');
  const resident = (await a('GET', `/residents?place_id=${c.buildings.get('1号楼').id}&limit=1`)).residents[0];
  const { code } = await a('GET', `/residents/${resident.id}/code`);
  pages = [
    { name: 'login', hash: '#/login', signedIn: false },
    { name: 'queue-public', hash: '#/queue', signedIn: false },
    { name: 'resident-page', hash: `#/status?code=${encodeURIComponent(code)}`, signedIn: false },
    { name: 'places', hash: '#/places' },
    { name: 'place', hash: `#/places/${c.id}` },
    { name: 'resident', hash: `#/residents/${resident.id}` },
    { name: 'import', hash: '#/import' },
    { name: 'sampling', hash: '#/sampling' },
    { name: 'gate', hash: '#/gate' },
    { name: 'stock', hash: '#/stock' },
    { name: 'tubes', hash: '#/tubes' },
    { name: 'tube', hash: `#/tubes/${encodeURIComponent(incident.tube)}` },
    { name: 'boxes', hash: '#/boxes' },
    { name: 'lab-receive', hash: '#/lab/receive' },
    { name: 'lab-discrepancies', hash: '#/lab/discrepancies' },
    { name: 'lab-results', hash: '#/lab/results' },
    { name: 'rounds', hash: '#/rounds' },
    { name: 'round', hash: `#/rounds/${round.id}` },
    { name: 'advisor', hash: `#/rounds/${round.id}/advisor` },
    { name: 'incidents', hash: '#/incidents' },
    { name: 'incident', hash: `#/incidents/${incident.id}` },
    { name: 'zones', hash: `#/zones?community=${c.id}` },
    { name: 'zones-sampled', hash: `#/zones?community=${c.id}&grid=sampled` },
    { name: 'requests', hash: '#/requests' },
    { name: 'staff', hash: '#/staff' },
    { name: 'dashboard', hash: '#/dashboard' },
    { name: 'status', hash: '#/status' },
    { name: 'status-person', hash: `#/status/${resident.id}` },
    { name: 'queue', hash: '#/queue' },
  ].map((p) => ({ signedIn: true, ...p }));
  pages.code = code;
  pages.resident = resident;
});
after(async () => {
  await srv?.dispose();
});

test('the pages visited cover every route of web/app.js', () => {
  const app = fs.readFileSync(path.join(WEB_DIR, 'app.js'), 'utf8');
  const patterns = [...app.matchAll(/\{ pattern: (\/.+?\/)[,\s]/g)].map((m) => m[1]);
  assert.ok(patterns.length >= 10, `routes found in app.js: ${patterns.length}`);
  for (const source of patterns) {
    const re = new RegExp(source.slice(1, -1));
    const hit = pages.some((p) => re.test(decodeURIComponent(p.hash.replace(/^#\/?/, '').split('?')[0])));
    assert.ok(hit, `no page of this test opens the route ${source}: add it to the list above`);
  }
});

/** Resolves once the view has drawn and nothing says "Loading…" (or after 10 s). */
async function settled(page) {
  await page
    .waitForFunction(() => document.querySelector('#app-main .view') && !document.querySelector('#app-main .loading'), null, { timeout: 10_000 })
    .catch(() => {});
  await page.waitForTimeout(250);
}

/** axe-core's serious and critical violations on the page, as readable lines. */
async function violations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(0, 2).join(' ')}`) }));
  });
  return found.map((v) => `${v.impact} ${v.id}: ${v.nodes.join(' | ')}`);
}

/**
 * The visible, enabled controls that the Tab key never reaches from the top of the page. A
 * radio group is one stop (arrow keys move within it).
 */
async function unreachable(page) {
  const count = await page.evaluate(() => {
    const sel = 'a[href], button, input, select, textarea, summary, [tabindex]';
    const controls = [...document.querySelectorAll(sel)].filter((el) => {
      if (el.disabled || el.getAttribute('tabindex') === '-1' || el.closest('[inert], [hidden]')) return false;
      if (el.type === 'hidden' || !el.getClientRects().length) return false;
      return getComputedStyle(el).visibility !== 'hidden';
    });
    window.__kbdSeen = new Set();
    controls.forEach((el, i) => {
      el.dataset.kbd = String(i);
    });
    document.addEventListener('focusin', (ev) => {
      if (ev.target.dataset && ev.target.dataset.kbd) window.__kbdSeen.add(ev.target.dataset.kbd);
    });
    document.activeElement?.blur();
    return controls.length;
  });
  for (let i = 0; i < count + 5; i++) await page.keyboard.press('Tab');
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('[data-kbd]')];
    const seenGroups = new Set(all.filter((el) => window.__kbdSeen.has(el.dataset.kbd) && el.type === 'radio').map((el) => el.name));
    return all
      .filter((el) => !window.__kbdSeen.has(el.dataset.kbd) && !(el.type === 'radio' && seenGroups.has(el.name)))
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} "${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`);
  });
}

async function visit(page, p, label, failures, { keyboard }) {
  await page.goto(`/${p.hash}`);
  await settled(page);
  await page.screenshot({ path: path.join(SHOTS, `a11y-${label}-${p.name}.png`), fullPage: true, animations: 'disabled' });
  for (const v of await violations(page)) failures.push(`${label} ${p.name}: ${v}`);
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  if (scroll > width) failures.push(`${label} ${p.name}: ${scroll}px wide in a ${width}px window`);
  if (keyboard) for (const c of await unreachable(page)) failures.push(`${label} ${p.name}: not reached by Tab: ${c}`);
}

for (const locale of LOCALES) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test(`every page at ${size} size in ${locale}: no serious or critical axe violation, nothing wider than the screen${size === 'desktop' ? ', every control reached by Tab' : ''}`, async () => {
      const label = `${locale}-${size}`;
      const failures = [];
      const b = await openBrowser(srv, { locale, viewport });
      try {
        const { page } = b;
        const keyboard = size === 'desktop';
        for (const p of pages.filter((x) => !x.signedIn)) await visit(page, p, label, failures, { keyboard });
        await loginAs(page, 'admin');
        for (const p of pages.filter((x) => x.signedIn)) await visit(page, p, label, failures, { keyboard });
        assert.deepEqual(b.page.errors.map(String), [], 'uncaught errors in the page');
      } finally {
        await b.close();
      }
      assert.deepEqual(failures, [], `\n${failures.join('\n')}`);
    });
  }
}

test('a keyboard-wedge scanner looks a person up with no click: it types, then presses Enter', async () => {
  const b = await openBrowser(srv, { locale: 'en-US', viewport: SIZES.phone });
  try {
    const { page } = b;
    await loginAs(page, 'admin');
    await page.goto('/#/status');
    await page.locator('#status-person:focus').waitFor();
    await page.keyboard.type(pages.code);
    await page.keyboard.press('Enter');
    await page.getByTestId('status-card').waitFor();
    assert.equal(await page.getByTestId('status-name').innerText(), pages.resident.name);
    assert.ok(!page.url().includes(pages.code), 'a scanned code stays out of the address');
  } finally {
    await b.close();
  }
});
