// Sign in: POST /api/v1/sessions. Wrong password (401 invalid_credentials) and too many tries
// (429 rate_limited) are shown under the form with their code.

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { login } from '../api.js';
import { errorBox, notice } from '../ui.js';

// Kept across a redraw of the same page (language switch): the username typed so far, the
// last error and the flash message.
let kept = { username: '', error: null, flash: null };

export function render(view, ctx) {
  if (!ctx.rerender) kept = { username: '', error: null, flash: ctx.flash };

  const username = h('input', {
    id: 'login-username',
    name: 'username',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    value: kept.username,
    dataset: { testid: 'login-username' },
  });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    dataset: { testid: 'login-password' },
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', dataset: { testid: 'login-submit' } }, t('login.submit'));
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  if (kept.error) mount(status, errorBox(kept.error));
  else if (kept.flash) mount(status, notice(t(kept.flash.key), kept.flash.kind));

  username.addEventListener('input', () => {
    kept.username = username.value;
  });

  const form = h(
    'form',
    { class: 'login-form', novalidate: true, dataset: { testid: 'login-form' } },
    h('div', { class: 'field' }, h('label', { for: 'login-username' }, t('login.username')), username),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('login.password')), password),
    status,
    submit,
  );

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!username.value.trim() || !password.value) {
      (username.value.trim() ? password : username).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('login.busy');
    kept.flash = null;
    mount(status);
    try {
      await login(username.value.trim(), password.value);
      kept = { username: '', error: null, flash: null };
      ctx.onLogin();
    } catch (err) {
      kept.error = err;
      mount(status, errorBox(err));
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  });

  mount(
    view,
    h(
      'section',
      { class: 'login-card card' },
      h('h1', null, t('login.title')),
      h('p', { class: 'muted' }, t('login.subtitle')),
      form,
    ),
  );
  if (!kept.username) username.focus();
  else password.focus();
}
