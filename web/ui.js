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

// ---------------------------------------------------------------------------------------------
// Times, hours, tube states

function pad(n) {
  return String(n).padStart(2, '0');
}

/**
 * An RFC 3339 time in the device's local time: "2024-03-15 15:30:00", or with `short` just
 * "15:30:00" for today and "03-15 15:30" for another day. Null shows as "—".
 */
export function fmtTime(iso, { short = false } = {}) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (!short) return `${date} ${time}`;
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return time;
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Hours as people say them: "12 min", "5.9 h" (or 分钟/小时); null shows as "—". */
export function fmtHours(hours) {
  if (hours === null || hours === undefined || Number.isNaN(Number(hours))) return t('common.none');
  const hNum = Number(hours);
  if (hNum < 1) return t('unit.minutes', { n: Math.max(0, Math.round(hNum * 60)) });
  return t('unit.hours', { n: hNum < 10 ? hNum.toFixed(1) : Math.round(hNum) });
}

/** A tube's status (open, sealed, in_box…) as a coloured badge. */
export function tubeStatusBadge(status) {
  return h(
    'span',
    { class: `badge badge-status status-${status}`, dataset: { testid: 'tube-status', status } },
    has(`tubeStatus.${status}`) ? t(`tubeStatus.${status}`) : status,
  );
}

/** A tube result (negative, positive, invalid, or none yet) as a coloured badge. */
export function resultBadge(result) {
  const key = result || 'none';
  return h(
    'span',
    { class: `badge badge-result result-${key}`, dataset: { testid: 'tube-result', result: key } },
    has(`result.${key}`) ? t(`result.${key}`) : key,
  );
}

// ---------------------------------------------------------------------------------------------
// Loud feedback for scanning stations: a sound and a buzz the recorder notices without looking.

let audio = null;

function tone(freq, ms, at = 0, type = 'square') {
  if (!audio) return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = type;
  osc.frequency.value = freq;
  gain.gain.value = 0.08;
  osc.connect(gain).connect(audio.destination);
  const start = audio.currentTime + at / 1000;
  osc.start(start);
  osc.stop(start + ms / 1000);
}

// Each kind of answer has its own sound and buzz, so that a recorder with eyes on the person
// knows without looking whether the scan went in, waits in the queue, or what kind of refusal
// it was: [tones as [Hz, ms, start ms, wave]], vibration pattern.
const SOUNDS = {
  ok: [[[1320, 90, 0]], [60]], // one short high beep
  done: [[[990, 110, 0], [1480, 160, 140]], [60, 60, 120]], // two rising beeps
  queued: [[[880, 70, 0, 'sine'], [660, 110, 100, 'sine']], [40, 40, 40]], // a soft falling pair
  error: [[[180, 450, 0, 'sawtooth']], [200, 80, 200]], // a long low buzz
  person: [[[240, 160, 0, 'sawtooth'], [240, 160, 240, 'sawtooth']], [300, 100, 300]], // two buzzes: this person
  tube: [[[520, 140, 0], [390, 140, 170], [260, 260, 340]], [120, 60, 120, 60, 400]], // falling three: the tube
  input: [[[150, 70, 0, 'square'], [150, 70, 110, 'square'], [150, 70, 220, 'square']], [80, 50, 80, 50, 80]], // rattle: the scan itself
};

const REFUSAL_SOUND = {
  already_sampled: 'person',
  duplicate_in_tube: 'person',
  not_in_incident: 'person',
  unknown_person: 'input',
  invalid_id_number: 'input',
  invalid_personal_code: 'input',
  invalid_barcode: 'input',
  tube_full: 'tube',
  tube_sealed: 'tube',
  tube_boxed: 'tube',
  unknown_tube: 'tube',
  tube_not_opened: 'tube',
  barcode_in_use: 'tube',
  round_closed: 'tube',
};

/** The feedback kind for a refusal with this problem code. */
export function refusalSound(code) {
  return REFUSAL_SOUND[code] || 'error';
}

/**
 * Plays `kind`: 'ok', 'done', 'queued', or a refusal ('error', 'person', 'tube', 'input'; see
 * refusalSound), with its vibration on phones. The last kind is left on <html data-feedback>.
 */
export function feedback(kind) {
  document.documentElement.dataset.feedback = kind;
  const [tones, buzz] = SOUNDS[kind] || SOUNDS.error;
  try {
    if (!audio) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (Ctx) audio = new Ctx();
    }
    if (audio && audio.state === 'suspended') audio.resume().catch(() => {});
    for (const [freq, ms, at, type] of tones) tone(freq, ms, at, type);
    if (navigator.vibrate) navigator.vibrate(buzz);
  } catch {
    // No sound on this device: the screen still says it.
  }
}

/**
 * A big input for a barcode scanner (a keyboard that types and presses Enter) or thumbs.
 * Enter hands the trimmed text to onScan and clears the field at once, so the next scan can
 * come while the first is still on its way; scans are handled one after another, in order.
 * Returns {el, input, focus()}.
 */
export function scanField({ id, label, placeholder, testid, onScan, button, inputmode = 'text', hint }) {
  const input = h('input', {
    id,
    type: 'text',
    class: 'scan-input',
    placeholder,
    autocomplete: 'off',
    autocapitalize: 'characters',
    autocorrect: 'off',
    spellcheck: 'false',
    enterkeyhint: 'go',
    inputmode,
    dataset: { testid },
  });
  let chain = Promise.resolve();
  const submit = () => {
    const v = input.value.trim();
    input.value = '';
    if (!v) return;
    chain = chain.then(() => onScan(v)).catch((e) => console.error(e));
  };
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      submit();
    }
  });
  const btn = h(
    'button',
    { type: 'button', class: 'btn btn-primary scan-go', dataset: { testid: `${testid}-go` }, onclick: () => { submit(); input.focus(); } },
    button || t('scan.go'),
  );
  const el = h(
    'div',
    { class: 'scan-field' },
    h('label', { for: id, class: 'scan-label' }, label),
    h('div', { class: 'scan-row' }, input, btn),
    hint ? h('p', { class: 'hint' }, hint) : null,
  );
  return { el, input, focus: () => input.focus({ preventScroll: false }) };
}

/**
 * Keeps a scanner working when the focus has wandered off (a tap on the page): the first key
 * typed while nothing else takes text goes to the field `target()` names. Stops by itself once
 * `view` is gone.
 */
export function keepScannerFocus(view, target) {
  const onKey = (ev) => {
    if (!view.isConnected) {
      window.removeEventListener('keydown', onKey, true);
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.key.length !== 1) return;
    const a = document.activeElement;
    const tag = a && a.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (a && a.isContentEditable)) return;
    const input = target();
    if (input && input.isConnected) input.focus();
  };
  window.addEventListener('keydown', onKey, true);
}

/**
 * The station's big message: kind 'ok' | 'done' | 'error' | 'warning' | 'info', a title, lines
 * of detail, the error code (for reading out over the phone) and optional action buttons.
 */
export function scanMessage({ kind, title, lines = [], code = null, actions = [] }) {
  const icon = { ok: '✓', done: '✓', error: '✕', warning: '!', info: 'i', queued: '⇡' }[kind] || 'i';
  return h(
    'div',
    {
      class: `scan-msg scan-msg-${kind}`,
      role: kind === 'error' || kind === 'warning' ? 'alert' : 'status',
      dataset: { testid: 'scan-message', kind, code: code || '' },
    },
    h('span', { class: 'scan-msg-icon', 'aria-hidden': 'true' }, icon),
    h(
      'div',
      { class: 'scan-msg-body' },
      h('p', { class: 'scan-msg-title', dataset: { testid: 'scan-message-title' } }, title),
      lines.filter(Boolean).map((l) => h('p', { class: 'scan-msg-line' }, l)),
      code ? h('code', { class: 'alert-code', dataset: { testid: 'error-code' } }, code) : null,
      actions.length ? h('div', { class: 'scan-msg-actions' }, actions) : null,
    ),
  );
}

/** A bar of `parts` [{value, cls, label}] over `total`, stacked left to right. */
export function progressBar(total, parts, { testid } = {}) {
  const pct = (v) => (total > 0 ? Math.min(100, Math.max(0, (v / total) * 100)) : 0);
  return h(
    'div',
    { class: 'bar', role: 'img', 'aria-label': parts.map((p) => `${p.label}: ${p.value}/${total}`).join(', '), dataset: testid ? { testid } : null },
    parts.map((p) => h('span', { class: `bar-part ${p.cls}`, style: { width: `${pct(p.value).toFixed(2)}%` } })),
  );
}

/** "37%" of n over total (— when total is 0). */
export function percent(n, total) {
  if (!total) return t('common.none');
  const p = (n / total) * 100;
  return `${p >= 99.95 || p === 0 ? Math.round(p) : p.toFixed(1)}%`;
}

/** A table's <thead> with one column header per label. */
export function headRow(labels) {
  return h('thead', null, h('tr', null, labels.map((label) => h('th', { scope: 'col' }, label))));
}
