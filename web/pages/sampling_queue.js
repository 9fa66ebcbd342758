// The sampling station's offline side (web/station_queue.js keeps the queue): how a queued scan
// is sent, how the queue and its refusals are shown, and the big message for a refusal on sync.

import { h } from '../dom.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import { fmtTime } from '../ui.js';
import * as queue from '../station_queue.js';

const enc = encodeURIComponent;

/** Posts one queued entry with the Idempotency-Key it was given when scanned. */
export function sendEntry(e) {
  const opts = { json: e.body || undefined, idempotencyKey: e.key };
  if (e.kind === 'tube') return api.post('/tubes', opts);
  if (e.kind === 'seal') return api.post(`/tubes/${enc(e.tube)}/seal`, { idempotencyKey: e.key });
  return api.post(`/tubes/${enc(e.tube)}/samples`, opts);
}

/**
 * A tube opened offline whose barcode turns out to be in use: when it is an open tube of the
 * same round and site it is this station's own (opened before the network went, or set aside),
 * and its scans go into it. Anything else stays refused.
 */
export async function acceptEntry(e, err) {
  if (e.kind !== 'tube' || err.code !== 'barcode_in_use' || !e.body) return false;
  try {
    const tube = await api.get(`/tubes/${enc(e.tube)}`);
    return tube.status === 'open' && tube.round_id === e.body.round_id && tube.site_id === e.body.site_id;
  } catch {
    return false;
  }
}

/** The entry in words: "Open tube T-1", "110105…1234 into tube T-1". */
export function describe(e) {
  if (e.kind === 'tube') return t('queue.open', { tube: e.tube });
  if (e.kind === 'seal') return t('queue.seal', { tube: e.tube });
  return t('queue.sample', { label: e.label, tube: e.tube });
}

/** What to do after a refusal on sync, in words. */
export function syncNextStep(e) {
  const code = e.error ? e.error.code : '';
  const vars = { tube: e.tube };
  if (e.kind === 'tube') return t('syncNext.open', vars);
  if (has(`syncNext.${code}`)) return t(`syncNext.${code}`, vars);
  if (/^tube_|^unknown_tube$/.test(code)) return t('syncNext.tube', vars);
  return t('syncNext.other', vars);
}

function codeTitle(code) {
  return has(`scan.err.${code}`) ? t(`scan.err.${code}`) : code;
}

/** The big message for a scan the server refused when the queue was sent. */
export function refusalMessage(e) {
  const code = e.error ? e.error.code : 'error';
  const other = e.error && e.error.problem ? e.error.problem.tube : null;
  const at = e.error && e.error.problem ? e.error.problem.sampled_at : null;
  return {
    kind: 'error',
    title: t('queue.refusedBanner', { what: codeTitle(code) }),
    lines: [describe(e), other && at ? t('station.alreadyIn', { tube: other, time: fmtTime(at) }) : null, syncNextStep(e)],
    code,
  };
}

/**
 * The queue's card: how many scans wait (and whether the device is offline), then each refusal
 * on sync against its scan, until the recorder marks it seen. Null when there is nothing to say.
 */
export function queuePanel(entries, { online }) {
  const waiting = entries.filter((e) => e.status === 'queued');
  const refused = entries.filter((e) => e.status === 'refused');
  if (online && !waiting.length && !refused.length) return null;
  const head = h(
    'div',
    { class: 'queue-head' },
    online ? null : h('p', { class: 'queue-offline', dataset: { testid: 'offline' } }, t('queue.offline')),
    waiting.length
      ? h('p', { class: 'queue-count', dataset: { testid: 'queue-count', n: String(waiting.length) } }, t('queue.waiting', { n: waiting.length }))
      : null,
  );
  const rows = refused.map((e) =>
    h(
      'li',
      { class: 'queue-refused', dataset: { testid: 'sync-refused', code: e.error.code, tube: e.tube, key: e.key } },
      h('span', { class: 'queue-what' }, describe(e)),
      h('span', { class: 'queue-why' }, codeTitle(e.error.code), ' ', h('code', { class: 'alert-code' }, e.error.code)),
      h('span', { class: 'queue-next' }, syncNextStep(e)),
      h('span', { class: 'queue-time mono' }, fmtTime(e.made_at, { short: true })),
      h(
        'button',
        { type: 'button', class: 'btn btn-small btn-ghost', dataset: { testid: 'sync-dismiss' }, onclick: () => queue.remove(e.seq) },
        t('queue.dismiss'),
      ),
    ),
  );
  return h(
    'section',
    { class: `queue-panel${online ? '' : ' queue-panel-offline'}`, dataset: { testid: 'queue-panel' }, 'aria-live': 'polite' },
    head,
    rows.length ? h('h2', { class: 'queue-refused-title' }, t('queue.refusedTitle')) : null,
    rows.length ? h('ul', { class: 'queue-refused-list' }, rows) : null,
  );
}

/** Rows for the scans still queued into `barcode`, newest first, after the tube's own rows. */
export function queuedRows(entries, barcode, firstN) {
  return entries
    .filter((e) => e.status === 'queued' && e.kind === 'sample' && e.tube === barcode)
    .map((e, i) => ({ e, n: firstN + i }))
    .reverse()
    .map(({ e, n }) =>
      h(
        'li',
        { class: 'sample sample-queued', dataset: { testid: 'sample-row', queued: 'true', key: e.key } },
        h('span', { class: 'sample-n' }, String(n)),
        h(
          'span',
          { class: 'sample-who' },
          h('span', { class: 'mono sample-id' }, e.label),
          h('span', { class: 'sample-time mono' }, fmtTime(e.made_at, { short: true })),
        ),
        h('span', { class: 'badge badge-queued', dataset: { testid: 'queued-badge' } }, t('queue.queued')),
        h(
          'button',
          { type: 'button', class: 'btn btn-small btn-danger-ghost', dataset: { testid: 'take-back' }, onclick: () => queue.remove(e.seq) },
          t('queue.takeBack'),
        ),
      ),
    );
}
