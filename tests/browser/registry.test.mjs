// The registry browser: places, residents, search, a resident's page and the audited reveal,
// and a community user kept to their community.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, loginAs, apiCall, apiToken, COMMUNITY_SCOPE } from './server.mjs';

const SCREENSHOT = process.env.SWABLINE_SCREENSHOT || '/tmp/swabline-registry.png';

let srv;
before(async () => {
  srv = await startServer();
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

/** Clicks the place card with this kind (the first one, or the one named). */
async function openChild(page, kind, name) {
  let card = page.locator(`[data-testid="place"][data-kind="${kind}"]`);
  if (name) card = card.filter({ hasText: name });
  card = card.first();
  const label = (await card.locator('.place-name').innerText()).trim();
  await card.click();
  await page.getByTestId('place-name').filter({ hasText: label }).waitFor();
  return label;
}

test('admin browses district → street → community → building and sees its residents', async () => {
  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'admin');
    // One district in the demo city: the registry opens straight into it.
    await page.getByTestId('place-name').filter({ hasText: '朝阳区' }).waitFor();
    await openChild(page, 'street', '和平街街道');
    await openChild(page, 'community', '小黄庄社区');
    const building = await openChild(page, 'building');

    const crumbs = await page.getByTestId('breadcrumb').locator('li').allInnerTexts();
    assert.deepEqual(crumbs, ['朝阳区', '和平街街道', '小黄庄社区', building]);

    const rows = page.getByTestId('resident-row');
    await rows.first().waitFor();
    assert.ok((await rows.count()) > 0, 'the building has residents');
    const masked = await rows.first().locator('.cell-id').innerText();
    assert.match(masked, /^\d{6}\*{8}\d{3}[\dX]$/, 'ID numbers are masked');

    // Units are the building's children.
    assert.ok((await page.locator('[data-testid="place"][data-kind="unit"]').count()) > 0);

    // A breadcrumb link goes back up.
    await page.getByTestId('breadcrumb').getByRole('link', { name: '小黄庄社区' }).click();
    await page.getByTestId('place-name').filter({ hasText: '小黄庄社区' }).waitFor();

    // The community has more residents than one page: "load more" adds the next page.
    await page.getByTestId('resident-row').first().waitFor();
    assert.equal(await page.getByTestId('resident-row').count(), 50);
    await page.getByTestId('load-more').click();
    await page.getByTestId('resident-row').nth(99).waitFor();
    assert.match(await page.getByTestId('shown-count').innerText(), /100 shown/);

    // Back into the building for the screenshot.
    await openChild(page, 'building', building);
    await page.getByTestId('resident-row').first().waitFor();
    await page.mouse.move(4, 790); // no hover highlight in the picture
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
  });
});

test('search by name finds the resident, and their page reveals the full ID number for admin', async () => {
  const token = await apiToken(srv, 'admin');
  const { body } = await apiCall(srv, 'GET', '/api/v1/residents?limit=1', { token });
  const someone = body.residents[0];

  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'admin');
    await page.getByTestId('search-input').fill(someone.name);
    await page.getByTestId('search-submit').click();
    await page.locator('h1', { hasText: `Results for “${someone.name}”` }).waitFor();
    const links = page.getByTestId('resident-link');
    await links.first().waitFor();
    const names = await links.allInnerTexts();
    assert.ok(names.length > 0 && names.every((n) => n.startsWith(someone.name)), `results: ${names}`);

    await links.filter({ hasText: someone.name }).first().click();
    await page.getByTestId('resident-name').waitFor();
    assert.equal(await page.getByTestId('resident-name').innerText(), someone.name);
    assert.match(await page.getByTestId('id-number').innerText(), /\*/);
    assert.match(await page.getByTestId('resident').innerText(), /audit log/);

    await page.getByTestId('reveal').click();
    await page.getByTestId('id-number').filter({ hasText: /^\d{17}[\dX]$/ }).waitFor();
    const full = await page.getByTestId('id-number').innerText();
    assert.equal(full.length, 18);
    assert.equal(await page.getByTestId('reveal').count(), 0, 'the button gives way to a note');

    // Back returns to the search results.
    await page.getByTestId('back').click();
    await page.locator('h1', { hasText: 'Results for' }).waitFor();

    // A name nobody has says so.
    await page.getByTestId('search-input').fill('无此人');
    await page.getByTestId('search-submit').click();
    await page.getByTestId('no-residents').waitFor();
  });
});

test('a viewer sees residents but cannot reveal or import', async () => {
  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'viewer');
    await page.getByTestId('resident-link').first().click();
    await page.getByTestId('resident-name').waitFor();
    assert.equal(await page.getByTestId('reveal').count(), 0);
    assert.equal(await page.getByTestId('nav-import').count(), 0);
  });
});

test('a community user sees only their community', async () => {
  const token = await apiToken(srv, 'admin');
  const district = await apiCall(srv, 'GET', `/api/v1/places?path=${encodeURIComponent('朝阳区')}`, { token });
  assert.equal(district.status, 200);

  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'community');
    assert.equal(await page.getByTestId('user-scope').innerText(), '小黄庄社区');
    assert.equal(await page.getByTestId('user-role').innerText(), 'Community office');
    await page.getByTestId('place-name').filter({ hasText: '小黄庄社区' }).waitFor();
    // The community is the top: no breadcrumb leads above it.
    assert.equal(await page.getByTestId('breadcrumb').count(), 0);
    assert.equal(await page.getByText('朝阳区', { exact: true }).count(), 0);
    await page.getByTestId('resident-row').first().waitFor();
    const addresses = await page.locator('.cell-address').evaluateAll((tds) => tds.map((td) => td.title));
    assert.ok(addresses.length > 0);
    assert.ok(addresses.every((a) => a.startsWith(`${COMMUNITY_SCOPE}/`)), 'every resident lives in the community');
    // Inside a place, addresses are shown from below it.
    assert.doesNotMatch(await page.locator('.cell-address').first().innerText(), /小黄庄社区/);
    assert.equal(await page.getByTestId('nav-import').count(), 1, 'community users may import');

    // The district above is out of reach, and the page says why.
    await page.evaluate((id) => {
      location.hash = `#/places/${id}`;
    }, district.body.id);
    await page.getByTestId('error').waitFor();
    assert.match(await page.getByTestId('error-code').innerText(), /^(forbidden|unknown_place)$/);

    // Going down still works, with the community as the first crumb.
    await page.goto('/#/places');
    await page.getByTestId('place-name').filter({ hasText: '小黄庄社区' }).waitFor();
    const building = await openChild(page, 'building');
    const deeper = await page.getByTestId('breadcrumb').locator('li').allInnerTexts();
    assert.deepEqual(deeper, ['小黄庄社区', building]);
  });
});

test('the registry works on a phone-sized screen', async () => {
  await withBrowser({ locale: 'zh-CN', viewport: { width: 390, height: 844 } }, async (page) => {
    await loginAs(page, 'community');
    await page.getByTestId('resident-row').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
    if (process.env.SWABLINE_SCREENSHOT_PHONE) {
      await page.screenshot({ path: process.env.SWABLINE_SCREENSHOT_PHONE });
    }
  });
});
