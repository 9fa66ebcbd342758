// Small pieces shared by the pages: loading and error boxes, tags, place kinds.

import { h } from './dom.js';
import { t, has } from './i18n.js';
import { errorText } from './api.js';

/** A quiet "Loading…" line. */
export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

/**
 * A clear error: the message in the current language, and the machine code from the
 * problem+json, so people can read it out over the phone. With retry, a "Try again" button.
 */
export function errorBox(err, retry) {
  const code = err && err.code ? err.code : null;
  return h(
    'div',
    { class: 'alert alert-error', role: 'alert', dataset: { testid: 'error' } },
    h('span', { class: 'alert-text' }, errorText(err)),
    code ? h('code', { class: 'alert-code', dataset: { testid: 'error-code' } }, code) : null,
    retry ? h('button', { type: 'button', class: 'btn btn-small', onclick: retry }, t('common.retry')) : null,
  );
}

export function notice(text, kind = 'info') {
  return h('div', { class: `alert alert-${kind}`, role: 'status' }, text);
}

/** The place kind ("building") in words. */
export function kindLabel(kind) {
  return has(`kind.${kind}`) ? t(`kind.${kind}`) : kind;
}

/** Resident tags as chips; known tags translated, others shown as they are. */
export function tagChips(tags) {
  if (!tags || tags.length === 0) return null;
  return h(
    'span',
    { class: 'tags' },
    tags.map((tag) =>
      h('span', { class: `tag tag-${tag.replace(/[^a-z0-9_-]/gi, '')}` }, has(`tag.${tag}`) ? t(`tag.${tag}`) : tag),
    ),
  );
}

/** A page title block. */
export function pageHeader(title, ...extra) {
  return h('div', { class: 'page-header' }, h('h1', null, title), ...extra);
}
