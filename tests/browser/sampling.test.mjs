// The sampling station: a recorder opens a tube and scans people into it the way a hardware
// scanner does (keys, then Enter, without touching the screen), sees the count, the loud
// errors for each code, voids a wrong scan with a reason, seals, and the tube seals itself when
// full. Everything it needs is made through the API first (fixtures.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, loginAs, idNumber, withWrongCheck } from './server.mjs';
import { adminApi, makeRound, residentsOf } from './fixtures.mjs';

const SCREENSHOT = process.env.SWABLINE_SCREENSHOT_SAMPLING || '/tmp/swabline-sampling.png';

let srv;
let a; // admin API
let fx; // {round, site, community, closing, people, more}

before(async () => {
  srv = await startServer();
  a = await adminApi(srv);
  const { round, site, community } = await makeRound(a, { name: '测试采样轮' });
  const closing = await a('POST', '/rounds', { json: { name: '即将结束的轮次', place_ids: [community.id], pool_size: 10 } });
  const people = await residentsOf(a, community.buildings.get('2号楼').id, 3);
  const more = await residentsOf(a, community.buildings.get('3号楼').id, 8);
  fx = { round, site, community, closing, people, more };
});
after(async () => {
  await srv?.dispose();
});

async function withBrowser(opts, fn) {
  const b = await openBrowser(srv, opts);
  try {
    await fn(b.page);
    assert.deepEqual(b.page.errors.map(String), [], 'uncaught errors in the page');
  } finally {
    await b.close();
  }
}

/** What a keyboard-wedge scanner does: type into whatever has the focus, then Enter. */
async function scan(page, text) {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const focused = (page) => page.evaluate(() => document.activeElement && document.activeElement.dataset.testid);
const count = (page, text) => page.getByTestId('tube-count').filter({ hasText: new RegExp(`^${text.replace('/', '\\/')}$`) }).waitFor();
const message = (page, { code, kind }) => {
  let sel = '[data-testid="scan-message"]';
  if (kind) sel += `[data-kind="${kind}"]`;
  if (code !== undefined) sel += `[data-code="${code}"]`;
  return page.locator(sel);
};

async function chooseStation(page, roundId = fx.round.id) {
  await page.getByTestId('station').waitFor();
  await page.getByTestId('round-select').selectOption(String(roundId));
  await page.getByTestId('site-select').selectOption(String(fx.site.id));
  await page.getByTestId('station-start').click();
  await page.getByTestId('tube-input').waitFor();
}

test('a recorder fills a tube by scanning, sees 3/10, a duplicate, voids one and seals (phone)', async () => {
  const [p1, p2, p3] = fx.people;
  await withBrowser({ locale: 'zh-CN', viewport: { width: 390, height: 844 } }, async (page) => {
    await loginAs(page, 'recorder');
    // The recorder starts at the station.
    assert.equal(await page.evaluate(() => location.hash), '#/sampling');
    await chooseStation(page);
    assert.equal(await focused(page), 'tube-input', 'the tube field has the focus');
    assert.match(await page.getByTestId('station-round').innerText(), /测试采样轮/);

    await scan(page, 'SMP-000001');
    await count(page, '0/10');
    assert.equal(await page.getByTestId('tube-barcode').innerText(), 'SMP-000001');
    assert.equal(await focused(page), 'person-input', 'the person field takes the focus');

    // Three scans in a row, as fast as a scanner sends them: each waits its turn.
    await scan(page, p1.id_number);
    await scan(page, p2.id_number);
    await scan(page, p3.id_number);
    await count(page, '3/10');
    assert.equal(await page.getByTestId('sample-row').count(), 3);
    const names = await page.getByTestId('sample-name').allInnerTexts();
    assert.deepEqual(names, [p3.name, p2.name, p1.name], 'the newest scan is on top');
    const masked = await page.locator('.sample-id').first().innerText();
    assert.match(masked, /^\d{6}\*{8}\d{3}[\dX]$/, 'ID numbers are masked');
    assert.equal(await focused(page), 'person-input');

    // The same person again: a loud, specific error, and the count stays.
    await scan(page, p1.id_number);
    const dup = message(page, { code: 'duplicate_in_tube', kind: 'error' });
    await dup.waitFor();
    assert.match(await dup.innerText(), /此人已在本管中/);
    await count(page, '3/10');
    assert.equal(await focused(page), 'person-input', 'the focus stays for the next scan');

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
    await page.screenshot({ path: SCREENSHOT, fullPage: true, animations: 'disabled' });

    // Void the second person: a reason is required.
    const row = page.getByTestId('sample-row').filter({ hasText: p2.name });
    await row.getByTestId('void').click();
    assert.equal(await focused(page), 'void-reason');
    await page.getByTestId('void-confirm').click();
    await message(page, { code: 'reason_required' }).waitFor();
    await page.getByTestId('void-reason').fill('扫错人');
    await page.keyboard.press('Enter');
    await count(page, '2/10');
    await message(page, { kind: 'info' }).filter({ hasText: p2.name }).waitFor();
    assert.equal(await page.getByTestId('sample-row').count(), 2);
    assert.equal(await focused(page), 'person-input');

    await page.getByTestId('seal').click();
    await message(page, { kind: 'done' }).filter({ hasText: 'SMP-000001' }).waitFor();
    await page.getByTestId('tube-input').waitFor();
    assert.equal(await focused(page), 'tube-input', 'ready for the next tube');
    if (process.env.SWABLINE_SCREENSHOT_SAMPLING_SEALED) await page.screenshot({ path: process.env.SWABLINE_SCREENSHOT_SAMPLING_SEALED, fullPage: true });

    // The tube lookup shows it sealed with the two people left in it.
    await page.evaluate(() => {
      location.hash = '#/tubes/SMP-000001';
    });
    await page.getByTestId('tube-detail').waitFor();
    assert.equal(await page.getByTestId('tube-detail').getByTestId('tube-status').getAttribute('data-status'), 'sealed');
    assert.equal(await page.getByTestId('tube-fill').innerText(), '2/10');
    assert.equal(await page.getByTestId('tube-sample').count(), 2);
    assert.equal(await page.locator('[data-testid="step-sealed_at"].step-done').count(), 1);
    assert.equal(await page.locator('[data-testid="step-boxed_at"].step-done').count(), 0);
  });
  const tube = await a('GET', '/tubes/SMP-000001');
  assert.equal(tube.status, 'sealed');
  assert.deepEqual(tube.samples.map((s) => s.person.id).sort(), [p1.id, p3.id].sort());
});

test('each refusal is loud and specific; walk-ins, continuing a tube, and a tube that seals itself', async () => {
  const [p1, p2, p3] = fx.people;
  // A valid ID number nobody in the demo city has.
  let stranger = null;
  for (let seq = 901; seq < 999 && !stranger; seq++) {
    const id = idNumber(`11010519300101${seq}`);
    const found = await a('GET', `/residents?q=${id}`);
    if (found.residents.length === 0) stranger = id;
  }
  assert.ok(stranger);

  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'recorder');
    await chooseStation(page);
    await scan(page, 'ab');
    await message(page, { code: 'invalid_barcode', kind: 'error' }).waitFor();
    await scan(page, 'SMP-000002');
    await count(page, '0/10');

    // Sampled earlier in this round, in another tube: the tube and the time are shown.
    await scan(page, p1.id_number);
    const again = message(page, { code: 'already_sampled', kind: 'error' });
    await again.waitFor();
    assert.match(await again.innerText(), /Already sampled in this round/);
    assert.match(await again.innerText(), /In tube SMP-000001 at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

    // Voided from the first tube: free to be sampled again.
    await scan(page, p2.id_number);
    await count(page, '1/10');

    // A wrong check character: which character it should have been.
    const want = p3.id_number[17];
    await scan(page, withWrongCheck(p3.id_number));
    const bad = message(page, { code: 'invalid_id_number', kind: 'error' });
    await bad.waitFor();
    assert.match(await bad.innerText(), new RegExp(`check\\) character should be ${want}, not`));

    // Not a number, not a code.
    await scan(page, 'hello');
    await message(page, { code: 'invalid_personal_code', kind: 'error' }).waitFor();

    // An unknown resident number: no walk-in offered for it.
    await scan(page, '99999999');
    await message(page, { code: 'unknown_person', kind: 'error' }).waitFor();
    assert.equal(await page.getByTestId('walkin-form').count(), 0);

    // A valid ID number nobody registered: register the walk-in by name, then it is sampled.
    await scan(page, stranger);
    await message(page, { code: 'unknown_person', kind: 'warning' }).waitFor();
    await page.getByTestId('walkin-form').waitFor();
    assert.equal(await focused(page), 'walkin-name');
    await page.keyboard.type('王小五');
    await page.keyboard.press('Enter');
    await count(page, '2/10');
    await message(page, { kind: 'ok' }).filter({ hasText: '王小五' }).waitFor();
    assert.equal(await focused(page), 'person-input');

    // Set the tube aside; scanning its barcode again offers to continue it; a second scan does.
    await page.getByTestId('set-aside').click();
    await page.getByTestId('tube-input').waitFor();
    await scan(page, 'SMP-000002');
    const offer = message(page, { code: 'barcode_in_use', kind: 'warning' });
    await offer.waitFor();
    assert.equal(await offer.getByTestId('continue-tube').count(), 1);
    assert.equal(await focused(page), 'tube-input');
    await scan(page, 'SMP-000002');
    await count(page, '2/10');

    // Eight more, by resident id, fired off at once: the tube fills and seals itself.
    for (const p of fx.more) await scan(page, String(p.id));
    const sealed = message(page, { kind: 'done' });
    await sealed.waitFor();
    assert.match(await sealed.innerText(), /SMP-000002 is full \(10\/10\) and sealed itself/);
    await page.getByTestId('tube-input').waitFor();
    assert.equal(await focused(page), 'tube-input', 'ready for the next tube');
    const tube = await a('GET', '/tubes/SMP-000002');
    assert.equal(tube.status, 'sealed');
    assert.equal(tube.count, 10);

    // A sealed tube's barcode cannot be opened again.
    await scan(page, 'SMP-000002');
    const used = message(page, { code: 'barcode_in_use', kind: 'error' });
    await used.waitFor();
    assert.match(await used.innerText(), /Sealed \(10\/10\)/);

    // A round closed under the recorder's feet: said so, and the round must be chosen again.
    await page.getByTestId('station-change').click();
    await page.getByTestId('round-select').selectOption(String(fx.closing.id));
    await page.getByTestId('station-start').click();
    await a('POST', `/rounds/${fx.closing.id}/close`);
    await page.getByTestId('tube-input').click();
    await scan(page, 'SMP-000003');
    await message(page, { code: 'round_closed', kind: 'error' }).waitFor();
    await page.getByTestId('round-select').waitFor();
    const options = await page.getByTestId('round-select').locator('option').allInnerTexts();
    assert.ok(!options.some((o) => o.includes('即将结束的轮次')), 'the closed round is no longer offered');
  });
});

test('the station remembers its round, site and open tube across a reload', async () => {
  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'recorder');
    await chooseStation(page);
    await scan(page, 'SMP-000004');
    await count(page, '0/10');
    await page.reload();
    await page.getByTestId('tube-card').waitFor();
    assert.equal(await page.getByTestId('tube-barcode').innerText(), 'SMP-000004');
    await count(page, '0/10');
    await message(page, { kind: 'info' }).filter({ hasText: 'Going on with tube SMP-000004' }).waitFor();
    assert.equal(await focused(page), 'person-input');

    // A tap somewhere on the page takes the focus away; the scanner's next keys still land.
    await page.locator('.station-title').click();
    assert.notEqual(await focused(page), 'person-input');
    await scan(page, String(fx.people[2].id));
    await message(page, { code: 'already_sampled', kind: 'error' }).waitFor();
    assert.equal(await focused(page), 'person-input');
  });
});
