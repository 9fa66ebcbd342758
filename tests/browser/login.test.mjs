// Signing in and out, the language toggle, and a lost session sending people back to sign in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, loginAs } from './server.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.dispose();
});

/** Runs fn with a fresh browser and fails on any uncaught page error. */
async function withBrowser(opts, fn) {
  const b = await openBrowser(srv, opts);
  try {
    await fn(b.page);
    assert.deepEqual(b.page.errors.map(String), [], 'uncaught errors in the page');
  } finally {
    await b.close();
  }
}

test('a wrong password is refused with a clear message and its code', async () => {
  await withBrowser({ locale: 'en-US' }, async (page) => {
    await page.goto('/');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('error');
    await error.waitFor();
    assert.match(await error.innerText(), /Wrong username or password/);
    assert.equal(await page.getByTestId('error-code').innerText(), 'invalid_credentials');
    assert.equal(await page.getByTestId('user').count(), 0, 'nobody is signed in');
    assert.equal(await page.getByTestId('login-password').inputValue(), '', 'the password is cleared');
  });
});

test('signing in shows the user, role and scope; signing out clears the session', async () => {
  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'admin');
    assert.equal(await page.getByTestId('user-role').innerText(), 'Administrator');
    assert.equal(await page.getByTestId('user-scope').innerText(), 'All places');
    assert.ok(await page.evaluate(() => sessionStorage.getItem('swabline.session')), 'a token is kept');

    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('swabline.session')), null);
    assert.match(await page.locator('.form-status').innerText(), /signed out/);
    await page.goto('/#/places');
    await page.getByTestId('login-form').waitFor();
  });
});

test('a session the server no longer knows sends people back to sign in, then back to the page', async () => {
  await withBrowser({ locale: 'en-US' }, async (page) => {
    await loginAs(page, 'admin');
    await page.getByTestId('place-name').waitFor();
    await page.evaluate(() => {
      const s = JSON.parse(sessionStorage.getItem('swabline.session'));
      s.token = 'not-a-real-token';
      sessionStorage.setItem('swabline.session', JSON.stringify(s));
    });
    await page.evaluate(() => {
      location.hash = '#/places?q=zz';
    });
    await page.getByTestId('login-form').waitFor();
    assert.match(await page.locator('.form-status').innerText(), /session has ended/);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('swabline-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('search-input').waitFor();
    assert.equal(await page.evaluate(() => location.hash), '#/places?q=zz');
  });
});

test('the language follows the browser, switches with the toggle, and is remembered', async () => {
  await withBrowser({ locale: 'zh-CN' }, async (page) => {
    await page.goto('/');
    await page.getByTestId('login-form').waitFor();
    assert.equal(await page.locator('h1').innerText(), '登录');
    assert.equal(await page.getByTestId('lang-toggle').innerText(), 'English');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  });

  await withBrowser({ locale: 'en-US' }, async (page) => {
    await page.goto('/');
    assert.equal(await page.locator('h1').innerText(), 'Sign in');
    const toggle = page.getByTestId('lang-toggle');
    assert.equal(await toggle.innerText(), '中文');

    await page.getByTestId('login-username').fill('community');
    await toggle.click();
    await page.locator('h1', { hasText: '登录' }).waitFor();
    assert.equal(await page.getByTestId('lang-toggle').innerText(), 'English');
    assert.equal(await page.getByTestId('login-username').inputValue(), 'community', 'typing survives the switch');

    await page.reload();
    await page.locator('h1', { hasText: '登录' }).waitFor();

    await loginAs(page, 'community');
    await page.getByTestId('place-name').waitFor();
    assert.equal(await page.getByTestId('nav-registry').innerText(), '人口信息');
    assert.equal(await page.getByTestId('user-role').innerText(), '社区');
    assert.match(await page.getByTestId('residents').locator('h2').innerText(), /的居民/);

    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('nav-registry').filter({ hasText: 'Registry' }).waitFor();
    assert.equal(await page.getByTestId('nav-import').innerText(), 'Import');
    assert.equal(await page.getByTestId('user-role').innerText(), 'Community office');
    await page.getByTestId('residents').locator('h2', { hasText: 'Residents of' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('swabline.lang')), 'en');
  });
});
