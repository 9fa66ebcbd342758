// The gate scanner (卡口): a guard's phone at a compound gate.
//
//   1. choose the checkpoint (GET /checkpoints) — remembered on this device — and the direction;
//   2. scan a person (ID number, personal code or resident id) → POST /checkpoints/{id}/scans;
//   3. the answer fills the screen: green ALLOWED / red REFUSED, the status colour and why;
//   4. the last scans of this checkpoint are listed below (GET /checkpoints/{id}/scans).
//
// The same discipline as the sampling station: one field that keeps the focus (a keyboard-wedge
// scanner ends each code with Enter), scans handled one after another, a sound and a buzz.

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api, errorText } from '../api.js';
import { loading, errorBox, fmtTime, feedback, scanField, scanMessage, keepScannerFocus } from '../ui.js';

const GATE_KEY = 'swabline.gate';
const RECENT = 8;

function loadGate() {
  try {
    const g = JSON.parse(localStorage.getItem(GATE_KEY) || 'null');
    if (g && typeof g === 'object') return g;
  } catch {
    // Nothing remembered.
  }
  return { direction: 'in' };
}

function saveGate() {
  try {
    localStorage.setItem(GATE_KEY, JSON.stringify(gate));
  } catch {
    // Not remembered on this device; the page still works.
  }
}

let gate = loadGate(); // {checkpoint_id, direction}
let state = fresh();
let els = {};

function fresh() {
  return { checkpoints: null, result: null, error: null, recent: [] };
}

export async function render(view, ctx) {
  if (!ctx.rerender) {
    state = fresh();
    gate = loadGate();
  }
  els = { view };
  keepScannerFocus(view, () => els.field && els.field.input);
  if (!state.checkpoints) {
    mount(view, loading());
    try {
      state.checkpoints = (await api.get('/checkpoints', { limit: 1000 })).checkpoints;
    } catch (err) {
      return mount(view, errorBox(err, () => render(view, { ...ctx, rerender: false })));
    }
    if (!state.checkpoints.some((c) => c.id === gate.checkpoint_id)) {
      gate.checkpoint_id = state.checkpoints.length ? state.checkpoints[0].id : null;
      saveGate();
    }
    await loadRecent();
  }
  draw();
}

async function loadRecent() {
  if (!gate.checkpoint_id) return;
  try {
    state.recent = (await api.get(`/checkpoints/${gate.checkpoint_id}/scans`, { limit: RECENT })).scans;
  } catch {
    // The list is a help; the scanner works without it.
  }
}

function reasonText(r) {
  const key = `gate.reason.${r.code}`;
  if (has(key)) return t(key);
  if (has(`reason.${r.code}`)) return t(`reason.${r.code}`);
  return r.detail;
}

function draw() {
  const { view } = els;
  if (!view.isConnected && els.drawn) return;
  els.drawn = true;
  if (!els.field) {
    els.field = scanField({
      id: 'gate-scan',
      label: t('gate.scan'),
      placeholder: t('gate.scanPh'),
      testid: 'gate-input',
      button: t('gate.check'),
      inputmode: 'text',
      onScan: scan,
    });
  }
  mount(
    view,
    h(
      'div',
      { class: 'station gate', dataset: { testid: 'gate' } },
      h('h1', { class: 'page-title station-title' }, t('gate.title')),
      setup(),
      gate.checkpoint_id ? els.field.el : null,
      state.error ? scanMessage(state.error) : null,
      state.result ? resultPanel(state.result) : null,
      recentList(),
    ),
  );
  if (gate.checkpoint_id) els.field.input.focus();
}

function setup() {
  if (!state.checkpoints.length) return h('div', { class: 'card' }, h('p', { class: 'muted', dataset: { testid: 'no-checkpoints' } }, t('gate.none')));
  const select = h(
    'select',
    {
      id: 'gate-checkpoint',
      dataset: { testid: 'checkpoint-select' },
      onchange: async () => {
        gate.checkpoint_id = Number(select.value);
        saveGate();
        state.result = null;
        await loadRecent();
        draw();
      },
    },
    state.checkpoints.map((c) => h('option', { value: String(c.id), selected: c.id === gate.checkpoint_id }, `${c.name} · ${c.address}`)),
  );
  const dirButton = (dir) =>
    h(
      'button',
      {
        type: 'button',
        class: `btn ${gate.direction === dir ? 'btn-primary' : 'btn-ghost'}`,
        'aria-pressed': String(gate.direction === dir),
        dataset: { testid: `direction-${dir}` },
        onclick: () => {
          gate.direction = dir;
          saveGate();
          draw();
        },
      },
      t(`gate.dir.${dir}`),
    );
  return h(
    'div',
    { class: 'card station-setup gate-setup' },
    h('div', { class: 'field' }, h('label', { for: 'gate-checkpoint' }, t('gate.checkpoint')), select),
    h('div', { class: 'gate-direction', role: 'group', 'aria-label': t('gate.direction') }, dirButton('in'), dirButton('out')),
  );
}

function resultPanel(r) {
  const refusals = r.reasons.filter((x) => x.code.startsWith('gate_'));
  const others = r.reasons.filter((x) => !x.code.startsWith('gate_'));
  return h(
    'section',
    {
      class: `gate-result ${r.allowed ? 'gate-allowed' : 'gate-refused'}`,
      role: 'alert',
      dataset: { testid: 'gate-result', allowed: String(r.allowed), color: r.color },
    },
    h('p', { class: 'gate-verdict', dataset: { testid: 'gate-verdict' } }, t(r.allowed ? 'gate.allowed' : 'gate.refused')),
    h('p', { class: 'gate-person' }, `${r.person.name} · ${r.person.id_number_masked}`),
    h(
      'p',
      { class: 'gate-color' },
      h('span', { class: `gate-chip gate-chip-${r.color}`, dataset: { testid: 'gate-color' } }, t(`color.${r.color}`)),
      ' ',
      t(`gate.dir.${r.direction}`),
    ),
    refusals.length || others.length
      ? h(
          'ul',
          { class: 'gate-reasons', dataset: { testid: 'gate-reasons' } },
          [...refusals, ...others].map((x) => h('li', { dataset: { code: x.code } }, reasonText(x))),
        )
      : null,
  );
}

function recentList() {
  if (!state.recent.length) return null;
  return h(
    'section',
    { class: 'card gate-recent' },
    h('h2', { class: 'card-title' }, t('gate.recent')),
    h(
      'ul',
      { class: 'gate-recent-list', dataset: { testid: 'gate-recent' } },
      state.recent.map((s) =>
        h(
          'li',
          { class: s.allowed ? 'gate-row-allowed' : 'gate-row-refused' },
          h('span', { class: `gate-chip gate-chip-${s.color}` }, t(`color.${s.color}`)),
          h('span', { class: 'gate-row-name' }, s.person.name),
          h('span', { class: 'muted' }, t(`gate.dir.${s.direction}`)),
          h('strong', null, t(s.allowed ? 'gate.allowedShort' : 'gate.refusedShort')),
          h('span', { class: 'muted' }, fmtTime(s.at, { short: true })),
        ),
      ),
    ),
  );
}

async function scan(person) {
  try {
    const r = await api.post(`/checkpoints/${gate.checkpoint_id}/scans`, { json: { person, direction: gate.direction } });
    state.result = r;
    state.error = null;
    state.recent = [r, ...state.recent].slice(0, RECENT);
    feedback(r.allowed ? 'ok' : 'error');
  } catch (err) {
    state.result = null;
    state.error = { kind: 'error', title: errorText(err), code: err.code || null };
    feedback('error');
  }
  draw();
}
