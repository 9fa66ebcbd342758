// Transport (转运): the courier opens a box (POST /boxes), scans sealed tubes into it
// (POST /boxes/{b}/tubes), and dispatches it to the lab (POST /boxes/{b}/dispatch). Like the
// sampling station: big fields that keep the focus for a scanner, loud answers.

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api, errorText } from '../api.js';
import { feedback, scanField, scanMessage, keepScannerFocus, fmtTime } from '../ui.js';

const BOX_KEY = 'swabline.box';

let state = { box: null, message: null, confirming: false };
let els = {};

function rememberBox(barcode) {
  try {
    if (barcode) localStorage.setItem(BOX_KEY, barcode);
    else localStorage.removeItem(BOX_KEY);
  } catch {
    // Not remembered on this device.
  }
}

function rememberedBox() {
  try {
    return localStorage.getItem(BOX_KEY);
  } catch {
    return null;
  }
}

export async function render(view, ctx) {
  els = { view };
  keepScannerFocus(view, () => els.scanInput);
  if (!ctx.rerender) {
    state = { box: null, message: null, confirming: false };
    const saved = rememberedBox();
    if (saved) {
      try {
        const box = await api.get(`/boxes/${encodeURIComponent(saved)}`);
        if (box.status === 'open') {
          state.box = box;
          state.message = { kind: 'info', title: t('box.resumed', { box: box.barcode }) };
        } else rememberBox(null);
      } catch {
        rememberBox(null);
      }
    }
  }
  draw();
}

function draw() {
  const { view } = els;
  els.message = h('div', { class: 'scan-msg-area', 'aria-live': 'assertive' }, state.message ? scanMessage(state.message) : null);
  els.scanInput = null;
  mount(
    view,
    h(
      'div',
      { class: 'station', dataset: { testid: 'transport' } },
      h('h1', { class: 'page-title station-title' }, t('box.title')),
      els.message,
      state.box ? boxStage() : boxScanStage(),
    ),
  );
  if (els.scanInput) {
    const input = els.scanInput;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }
}

function showMessage(msg, sound) {
  state.message = msg;
  if (sound) feedback(sound);
  if (els.message && els.message.isConnected) mount(els.message, msg ? scanMessage(msg) : null);
}

function errorMessage(err, lines = []) {
  const key = `scan.err.${err.code}`;
  return { kind: 'error', title: has(key) ? t(key) : errorText(err), lines, code: err.code || null };
}

// The scan fields live as long as the view (see sampling.js): a redraw moves them, so a scan
// arriving meanwhile keeps its characters.
function boxScanStage() {
  if (!els.boxField) {
    els.boxField = scanField({
      id: 'scan-box',
      label: t('box.scanBox'),
      placeholder: t('box.scanBoxPh'),
      testid: 'box-input',
      button: t('box.open'),
      onScan: openBox,
    });
  }
  const field = els.boxField;
  els.scanInput = field.input;
  return h('section', { class: 'card station-stage' }, field.el);
}

function boxStage() {
  const box = state.box;
  if (!els.tubeField) {
    els.tubeField = scanField({
      id: 'scan-box-tube',
      label: t('box.scanTube'),
      placeholder: t('station.scanTubePh'),
      testid: 'box-tube-input',
      button: t('box.addTube'),
      onScan: addTube,
    });
  }
  const field = els.tubeField;
  els.scanInput = field.input;

  const dispatch = state.confirming
    ? h(
        'div',
        { class: 'confirm-row', dataset: { testid: 'dispatch-confirm-row' } },
        h('span', { class: 'confirm-text' }, t('box.confirmDispatch', { n: box.tubes.length })),
        h('button', { type: 'button', class: 'btn btn-seal', dataset: { testid: 'dispatch-confirm' }, onclick: dispatchBox }, t('box.dispatchNow')),
        h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { state.confirming = false; draw(); } }, t('common.cancel')),
      )
    : h(
        'button',
        {
          type: 'button',
          class: 'btn btn-seal',
          dataset: { testid: 'dispatch' },
          disabled: box.tubes.length === 0,
          onclick: () => {
            state.confirming = true;
            draw();
          },
        },
        t('box.dispatch'),
      );

  return h(
    'section',
    { class: 'card station-stage tube-card', dataset: { testid: 'box-card', barcode: box.barcode } },
    h(
      'div',
      { class: 'tube-head' },
      h(
        'div',
        { class: 'tube-id' },
        h('span', { class: 'tube-label' }, t('box.box')),
        h('span', { class: 'mono tube-barcode', dataset: { testid: 'box-barcode' } }, box.barcode),
      ),
      h('div', { class: 'tube-count', dataset: { testid: 'box-count' }, 'aria-label': t('box.countLabel', { n: box.tubes.length }) }, String(box.tubes.length)),
    ),
    field.el,
    h(
      'div',
      { class: 'tube-actions' },
      dispatch,
      state.confirming
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'btn btn-ghost',
              dataset: { testid: 'box-aside' },
              onclick: () => {
                const b = box.barcode;
                state.box = null;
                rememberBox(null);
                showMessage({ kind: 'info', title: t('box.setAside', { box: b }) });
                draw();
              },
            },
            t('station.setAsideBtn'),
          ),
    ),
    h(
      'section',
      { class: 'samples' },
      h('h2', null, t('box.tubes'), h('span', { class: 'count' }, String(box.tubes.length))),
      box.tubes.length
        ? h(
            'ol',
            { class: 'sample-list', dataset: { testid: 'box-tubes' } },
            box.tubes
              .map((b, i) => ({ b, n: i + 1 }))
              .reverse()
              .map(({ b, n }) =>
                h(
                  'li',
                  { class: 'sample', dataset: { testid: 'box-tube' } },
                  h('span', { class: 'sample-n' }, String(n)),
                  h('a', { class: 'mono sample-name', href: `#/tubes/${encodeURIComponent(b)}` }, b),
                ),
              ),
          )
        : h('p', { class: 'muted tube-empty' }, t('box.empty')),
    ),
  );
}

async function openBox(barcode) {
  try {
    const box = await api.post('/boxes', { json: { barcode } });
    state.box = box;
    rememberBox(box.barcode);
    state.message = { kind: 'ok', title: t('box.opened', { box: box.barcode }) };
    feedback('ok');
    return draw();
  } catch (err) {
    if (err.code !== 'barcode_in_use') return showMessage(errorMessage(err, [err.detail]), 'error');
    let box = null;
    try {
      box = await api.get(`/boxes/${encodeURIComponent(barcode)}`);
    } catch {
      // A tube's barcode: not a box.
    }
    if (box && box.status === 'open') {
      state.box = box;
      rememberBox(box.barcode);
      state.message = { kind: 'warning', title: t('box.continuing', { box: box.barcode, n: box.tubes.length }) };
      feedback('ok');
      return draw();
    }
    const lines = box
      ? [t('box.wasStatus', { status: t(`boxStatus.${box.status}`), time: fmtTime(box.dispatched_at || box.received_at) })]
      : [t('box.isTube')];
    return showMessage(errorMessage(err, lines), 'error');
  }
}

async function addTube(tube) {
  const box = state.box;
  if (!box) return;
  try {
    const updated = await api.post(`/boxes/${encodeURIComponent(box.barcode)}/tubes`, { json: { tube } });
    if (state.box !== box) return;
    state.box = updated;
    state.message = { kind: 'ok', title: t('box.added', { tube, n: updated.tubes.length }) };
    feedback('ok');
    draw();
  } catch (err) {
    let lines = [tube];
    if (err.code === 'tube_in_box') {
      const other = err.extra('box');
      lines = [tube, other === box.barcode ? t('box.inThisBox') : t('box.inOtherBox', { box: other || '?' })];
    } else if (err.code === 'tube_not_sealed') lines = [tube, t('box.sealFirst')];
    else if (err.code === 'box_not_open') {
      state.box = null;
      rememberBox(null);
      state.message = errorMessage(err, [t('box.notOpenHint', { box: box.barcode })]);
      feedback('error');
      return draw();
    } else lines = [tube, err.detail];
    showMessage(errorMessage(err, lines), 'error');
  }
}

async function dispatchBox() {
  const box = state.box;
  if (!box) return;
  try {
    const sent = await api.post(`/boxes/${encodeURIComponent(box.barcode)}/dispatch`);
    state.box = null;
    state.confirming = false;
    rememberBox(null);
    state.message = { kind: 'done', title: t('box.dispatched', { box: sent.barcode, n: sent.tubes.length }), lines: [t('box.next')] };
    feedback('done');
    draw();
  } catch (err) {
    state.confirming = false;
    state.message = errorMessage(err, [err.detail]);
    feedback('error');
    draw();
  }
}
