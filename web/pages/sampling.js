// The sampling station (录入): a recorder's phone or PDA at a sampling point.
//
//   1. choose the round (active ones) and the site — remembered on this device;
//   2. scan a tube barcode → POST /tubes (a used barcode of a tube still open offers to go on
//      filling it: GET /tubes/{b});
//   3. scan people (ID number, personal code or resident id) → POST /tubes/{b}/samples, until the
//      tube seals itself at capacity or is sealed by hand (POST /tubes/{b}/seal);
//   4. a wrong scan is voided with a reason (POST /samples/{id}/void).
//
// Every answer is loud: a big coloured message, a sound and (on phones) a buzz. The focus stays
// in the field to scan next, so a hardware scanner (a keyboard wedge ending with Enter) works
// without touching the screen; scans made while a request is on its way wait their turn.
//
// With no network the station goes on: each scan is queued on the device with the
// Idempotency-Key made when it was scanned (web/station_queue.js), counted at once as queued in
// the tube, and sent in order, exactly once, when the network returns; a scan refused then is
// shown against itself until seen (sampling_queue.js). The round and site lists and the open
// tube are remembered on the device, so a reload with no network still opens the station.

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api, errorText, session, idempotencyKey } from '../api.js';
import { loading, errorBox, fmtTime, feedback, refusalSound, scanField, scanMessage, keepScannerFocus } from '../ui.js';
import * as queue from '../station_queue.js';
import { sendEntry, acceptEntry, refusalMessage, queuePanel, queuedRows } from './sampling_queue.js';
import { cameraButton } from '../camera.js';

const STATION_KEY = 'swabline.station';
const LISTS_KEY = 'swabline.station.lists'; // the last rounds and sites seen, for a reload offline
const BARCODE = /^[A-Za-z0-9-]{6,32}$/;

function loadStation() {
  try {
    const s = JSON.parse(localStorage.getItem(STATION_KEY) || 'null');
    if (s && typeof s === 'object') return s;
  } catch {
    // Nothing remembered.
  }
  return {};
}

function saveStation() {
  try {
    localStorage.setItem(STATION_KEY, JSON.stringify(station));
  } catch {
    // Not remembered on this device; the page still works.
  }
}

// What the station shows, kept across a redraw (language switch).
let station = loadStation(); // {round_id, site_id, tube, tubeData: {tube, samples}}
let state = fresh();

function fresh() {
  return {
    rounds: null, // active rounds
    sites: null,
    tube: null, // the tube being filled
    samples: [], // its samples, oldest first: {id, person, sampled_at}
    message: null, // the big message: {kind, title, lines, code, actions}
    offer: null, // {barcode, tube}: a used barcode of an open tube, offered to go on filling
    walkIn: null, // {person}: an unknown person, offered to register with a name
    voiding: null, // sample id whose void reason is being typed
    editSetup: false,
    queue: [], // the device's queued and refused scans (station_queue.js), oldest first
  };
}

let els = {}; // the live elements of the current view

export async function render(view, ctx) {
  if (!ctx.rerender) {
    state = fresh();
    station = loadStation();
  }
  els = { view };
  keepScannerFocus(view, () => els.scanInput);

  watchQueue();
  if (!state.rounds || !state.sites) {
    mount(view, loading());
    try {
      const [rounds, sites] = await Promise.all([api.get('/rounds', { status: 'active', limit: 100 }), api.get('/sites')]);
      state.rounds = rounds.rounds;
      state.sites = sites.sites;
      remember(LISTS_KEY, { rounds: state.rounds, sites: state.sites });
    } catch (err) {
      const known = err.code === 'network' ? recall(LISTS_KEY) : null;
      if (!known) return mount(view, errorBox(err, () => render(view, { ...ctx, rerender: false })));
      state.rounds = known.rounds;
      state.sites = known.sites;
    }
    state.queue = await queue.entries();
    if (!state.rounds.some((r) => r.id === station.round_id)) station.round_id = state.rounds.length === 1 ? state.rounds[0].id : null;
    if (!state.sites.some((s) => s.id === station.site_id)) station.site_id = state.sites.length === 1 ? state.sites[0].id : null;
    saveStation();
    if (station.tube && !state.tube) await resumeTube(station.tube);
  }
  draw();
}

function remember(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Not remembered: a reload offline will not find it.
  }
}

function recall(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || 'null');
  } catch {
    return null;
  }
}

/**
 * Goes on with the tube this device was filling (after a reload), if it is still open; with no
 * network, with the tube as this device last knew it.
 */
async function resumeTube(barcode) {
  let tube = null;
  try {
    tube = await api.get(`/tubes/${encodeURIComponent(barcode)}`);
  } catch (err) {
    const known = station.tubeData;
    if (err.code === 'network' && known && known.tube && known.tube.barcode === barcode) tube = { ...known.tube, samples: known.samples };
    else if (err.code === 'unknown_tube' && queuedOpen(barcode)) tube = localTube(barcode);
  }
  if (tube && tube.status === 'open') {
    setTube(tube, tube.samples || []);
    state.message = { kind: 'info', title: t('station.resumed', { barcode: tube.barcode }) };
    return;
  }
  setTube(null);
}

function setTube(tube, samples) {
  state.tube = tube;
  state.samples = tube ? [...(samples || [])] : [];
  state.walkIn = null;
  state.voiding = null;
  state.offer = null;
  station.tube = tube ? tube.barcode : null;
  rememberTube();
}

/** Keeps the open tube as this device knows it, for a reload with no network. */
function rememberTube() {
  const { tube, samples } = state;
  station.tubeData = tube ? { tube: { ...tube, samples: undefined }, samples } : null;
  saveStation();
}

function roundName(id) {
  const r = (state.rounds || []).find((x) => x.id === id);
  return r ? r.name : `#${id}`;
}

function siteName(id) {
  const s = (state.sites || []).find((x) => x.id === id);
  return s ? s.name : `#${id}`;
}

// ---------------------------------------------------------------------------------------------
// Drawing

function draw() {
  const { view } = els;
  if (!view.isConnected && els.drawn) return;
  els.drawn = true;
  const ready = station.round_id && station.site_id;
  els.message = h('div', { class: 'scan-msg-area', 'aria-live': 'assertive' }, state.message ? scanMessage(state.message) : null);
  els.scanInput = null;

  let stage;
  if (!ready || state.editSetup) stage = null;
  else if (state.tube) stage = tubeStage();
  else stage = tubeScanStage();

  mount(
    view,
    h(
      'div',
      { class: 'station', dataset: { testid: 'station' } },
      h('h1', { class: 'page-title station-title' }, t('station.title')),
      queuePanel(state.queue, { online: navigator.onLine !== false }),
      setupCard(),
      els.message,
      stage,
    ),
  );
  if (els.scanInput) focusEnd(els.scanInput);
}

/** Focus with the caret after what is typed so far, so a scan under way goes on at its end. */
function focusEnd(input) {
  input.focus();
  const n = input.value.length;
  try {
    input.setSelectionRange(n, n);
  } catch {
    // Not a text field.
  }
}

function setupCard() {
  const ready = station.round_id && station.site_id;
  if (ready && !state.editSetup) {
    return h(
      'div',
      { class: 'station-setup station-setup-done', dataset: { testid: 'station-setup' } },
      h(
        'div',
        { class: 'setup-summary' },
        h('span', { class: 'setup-round', dataset: { testid: 'station-round' } }, roundName(station.round_id)),
        h('span', { class: 'setup-site', dataset: { testid: 'station-site' } }, siteName(station.site_id)),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small btn-ghost',
          dataset: { testid: 'station-change' },
          onclick: () => {
            state.editSetup = true;
            draw();
          },
        },
        t('station.change'),
      ),
    );
  }
  if (!state.rounds.length) {
    return h('div', { class: 'card station-setup' }, h('p', { class: 'muted', dataset: { testid: 'no-rounds' } }, t('station.noRounds')));
  }
  if (!state.sites.length) {
    return h('div', { class: 'card station-setup' }, h('p', { class: 'muted', dataset: { testid: 'no-sites' } }, t('station.noSites')));
  }
  const roundSel = h(
    'select',
    { id: 'station-round', dataset: { testid: 'round-select' } },
    h('option', { value: '' }, t('station.pickRound')),
    state.rounds.map((r) => h('option', { value: String(r.id), selected: r.id === station.round_id }, `${r.name} · ${t('rounds.poolN', { n: r.pool_size })}`)),
  );
  const siteSel = h(
    'select',
    { id: 'station-site', dataset: { testid: 'site-select' } },
    h('option', { value: '' }, t('station.pickSite')),
    state.sites.map((s) => h('option', { value: String(s.id), selected: s.id === station.site_id }, s.name)),
  );
  const go = h('button', { type: 'submit', class: 'btn btn-primary btn-block', dataset: { testid: 'station-start' } }, t('station.start'));
  const form = h(
    'form',
    { class: 'card station-setup', dataset: { testid: 'station-setup' } },
    h('div', { class: 'field' }, h('label', { for: 'station-round' }, t('station.round')), roundSel),
    h('div', { class: 'field' }, h('label', { for: 'station-site' }, t('station.site')), siteSel),
    go,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const r = Number(roundSel.value);
    const s = Number(siteSel.value);
    if (!r || !s) {
      showMessage({ kind: 'warning', title: t('station.chooseFirst') });
      return;
    }
    station.round_id = r;
    station.site_id = s;
    saveStation();
    state.editSetup = false;
    state.message = null;
    draw();
  });
  return form;
}

// The scan fields live as long as the view: a redraw moves them rather than making new ones, so
// that a scan arriving while the page redraws keeps its characters (and its place in the queue).
function tubeScanStage() {
  if (!els.tubeField) {
    els.tubeField = scanField({
      id: 'scan-tube',
      label: t('station.scanTube'),
      placeholder: t('station.scanTubePh'),
      testid: 'tube-input',
      button: t('station.openTube'),
      onScan: openTube,
    });
  }
  const field = els.tubeField;
  els.scanInput = field.input;
  return h('section', { class: 'card station-stage' }, field.el, cameraButton({ input: field.input, testid: 'camera-tube' }));
}

/** Scans queued into the open tube and not yet sent. */
function queuedHere() {
  const b = state.tube ? state.tube.barcode : null;
  return state.queue.filter((e) => e.status === 'queued' && e.kind === 'sample' && e.tube === b).length;
}

function tubeStage() {
  const tube = state.tube;
  if (!els.personField) {
    els.personField = scanField({
      id: 'scan-person',
      label: t('station.scanPerson'),
      placeholder: t('station.scanPersonPh'),
      testid: 'person-input',
      button: t('station.add'),
      onScan: (v) => addPerson(v),
    });
  }
  const field = els.personField;
  els.scanInput = field.input;

  const waiting = queuedHere();
  const n = tube.count + waiting;
  const slots = h(
    'div',
    { class: 'slots', 'aria-hidden': 'true' },
    Array.from({ length: tube.capacity }, (_, i) => h('span', { class: i < tube.count ? 'slot slot-full' : i < n ? 'slot slot-queued' : 'slot' })),
  );
  const full = n >= tube.capacity;

  const walkIn = state.walkIn ? walkInForm() : null;
  if (walkIn) els.scanInput = walkIn.querySelector('input');

  return h(
    'section',
    { class: 'card station-stage tube-card', dataset: { testid: 'tube-card', barcode: tube.barcode } },
    h(
      'div',
      { class: 'tube-head' },
      h(
        'div',
        { class: 'tube-id' },
        h('span', { class: 'tube-label' }, t('station.tube')),
        h('span', { class: 'mono tube-barcode', dataset: { testid: 'tube-barcode' } }, tube.barcode),
        tube.round_id !== station.round_id ? h('span', { class: 'hint' }, roundName(tube.round_id)) : null,
      ),
      h(
        'div',
        { class: 'tube-count-box' },
        h(
          'div',
          {
            class: `tube-count${full ? ' tube-count-full' : ''}${waiting ? ' tube-count-queued' : ''}`,
            dataset: { testid: 'tube-count', queued: String(waiting) },
            'aria-label': t('station.countLabel', { n, cap: tube.capacity }),
          },
          `${n}/${tube.capacity}`,
        ),
        waiting ? h('div', { class: 'tube-queued', dataset: { testid: 'tube-queued' } }, t('queue.queuedN', { n: waiting })) : null,
      ),
    ),
    slots,
    walkIn || field.el,
    h(
      'div',
      { class: 'tube-actions' },
      cameraButton({ input: field.input, testid: 'camera-person' }),
      h('button', { type: 'button', class: 'btn btn-seal', dataset: { testid: 'seal' }, onclick: sealTube, disabled: n === 0 }, t('station.seal')),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-ghost',
          dataset: { testid: 'set-aside' },
          title: t('station.setAsideHint'),
          onclick: () => {
            const b = tube.barcode;
            setTube(null);
            state.message = { kind: 'info', title: t('station.setAside', { barcode: b }) };
            draw();
          },
        },
        t('station.setAsideBtn'),
      ),
    ),
    samplesList(),
  );
}

function walkInForm() {
  const name = h('input', {
    id: 'walkin-name',
    type: 'text',
    autocomplete: 'off',
    class: 'scan-input',
    dataset: { testid: 'walkin-name' },
    placeholder: t('station.walkInNamePh'),
  });
  const form = h(
    'form',
    { class: 'walkin', dataset: { testid: 'walkin-form' } },
    h('label', { for: 'walkin-name', class: 'scan-label' }, t('station.walkInTitle', { person: state.walkIn.person })),
    h('p', { class: 'hint' }, t('station.walkInHint')),
    h(
      'div',
      { class: 'scan-row' },
      name,
      h('button', { type: 'submit', class: 'btn btn-primary scan-go', dataset: { testid: 'walkin-submit' } }, t('station.walkInSubmit')),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-ghost btn-small',
        dataset: { testid: 'walkin-cancel' },
        onclick: () => {
          state.walkIn = null;
          state.message = null;
          draw();
        },
      },
      t('common.cancel'),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const n = name.value.trim();
    if (!n) {
      name.focus();
      return;
    }
    addPerson(state.walkIn.person, n);
  });
  return form;
}

function samplesList() {
  const queued = queuedRows(state.queue, state.tube.barcode, state.samples.length + 1);
  if (!state.samples.length && !queued.length) return h('p', { class: 'muted tube-empty' }, t('station.emptyTube'));
  const rows = state.samples
    .map((s, i) => ({ s, n: i + 1 }))
    .reverse()
    .map(({ s, n }) => {
      const voiding = state.voiding === s.id;
      return h(
        'li',
        { class: voiding ? 'sample sample-voiding' : 'sample', dataset: { testid: 'sample-row', sampleId: String(s.id) } },
        h('span', { class: 'sample-n' }, String(n)),
        h(
          'span',
          { class: 'sample-who' },
          h('span', { class: 'sample-name', dataset: { testid: 'sample-name' } }, s.person.name),
          h('span', { class: 'mono sample-id' }, s.person.id_number_masked),
        ),
        h('span', { class: 'sample-time mono' }, fmtTime(s.sampled_at, { short: true })),
        voiding
          ? voidForm(s)
          : h(
              'button',
              {
                type: 'button',
                class: 'btn btn-small btn-danger-ghost',
                dataset: { testid: 'void' },
                onclick: () => {
                  state.voiding = s.id;
                  draw();
                },
              },
              t('station.void'),
            ),
      );
    });
  return h(
    'section',
    { class: 'samples' },
    h('h2', null, t('station.inTube'), h('span', { class: 'count' }, String(state.samples.length + queued.length))),
    h('ol', { class: 'sample-list', dataset: { testid: 'sample-list' } }, queued, rows),
  );
}

function voidForm(sample) {
  const reason = h('input', {
    id: 'void-reason',
    type: 'text',
    autocomplete: 'off',
    dataset: { testid: 'void-reason' },
    placeholder: t('station.voidReasonPh'),
  });
  const quick = ['station.voidQuick1', 'station.voidQuick2'].map((k) =>
    h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => { reason.value = t(k); reason.focus(); } }, t(k)),
  );
  const form = h(
    'form',
    { class: 'void-form', dataset: { testid: 'void-form' } },
    h('label', { for: 'void-reason' }, t('station.voidReason', { name: sample.person.name })),
    reason,
    h('div', { class: 'void-quick' }, quick),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-danger', dataset: { testid: 'void-confirm' } }, t('station.voidConfirm')),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-ghost',
          onclick: () => {
            state.voiding = null;
            draw();
          },
        },
        t('common.cancel'),
      ),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    voidSample(sample, reason.value.trim());
  });
  // The reason field takes the focus from the scan field while it is open.
  els.scanInput = reason;
  return form;
}

function showMessage(msg, sound) {
  state.message = msg;
  if (sound) feedback(sound === 'error' ? refusalSound(msg.code) : sound);
  if (els.message && els.message.isConnected) mount(els.message, msg ? scanMessage(msg) : null);
}

// Refusals whose message already says what to do next in its own words.
const HINTED = new Set(['already_sampled', 'duplicate_in_tube', 'tube_full', 'tube_sealed', 'tube_boxed', 'unknown_tube']);

/** The big message for a refused request: our words for the code, the server's detail under it. */
function errorMessage(err, extraLines = []) {
  const code = err && err.code ? err.code : null;
  const key = `scan.err.${code}`;
  const title = has(key) ? t(key) : errorText(err);
  const next = has(`next.${code}`) && !HINTED.has(code) ? t(`next.${code}`) : null;
  const lines = next && !extraLines.includes(next) ? [...extraLines, next] : extraLines;
  return { kind: 'error', title, lines, code };
}

// ---------------------------------------------------------------------------------------------
// Actions

async function openTube(barcode) {
  if (!station.round_id || !station.site_id) {
    showMessage({ kind: 'warning', title: t('station.chooseFirst') }, 'error');
    return;
  }
  if (state.offer && state.offer.barcode === barcode) {
    continueTube(state.offer.tube);
    return;
  }
  state.offer = null;
  const body = { barcode, round_id: station.round_id, site_id: station.site_id };
  const key = idempotencyKey(); // made now and kept, should the scan have to wait in the queue
  if (mustQueue()) return openQueued(body, key);
  try {
    const tube = await api.post('/tubes', { json: body, idempotencyKey: key });
    setTube(tube, []);
    state.message = { kind: 'ok', title: t('station.tubeOpened', { barcode: tube.barcode, cap: tube.capacity }) };
    feedback('ok');
    draw();
  } catch (err) {
    if (err.code === 'network') return openQueued(body, key);
    if (err.code === 'barcode_in_use') return offerContinue(barcode, err);
    if (err.code === 'round_closed') {
      const closed = station.round_id;
      station.round_id = null;
      saveStation();
      state.rounds = state.rounds.filter((r) => r.id !== closed);
      state.editSetup = true;
      state.message = errorMessage(err, [t('station.roundClosedHint')]);
      feedback(refusalSound(err.code));
      return draw();
    }
    showMessage(errorMessage(err, [err.detail]), 'error');
  }
}

/** A used barcode: if it is a tube still open, offer to go on filling it. */
async function offerContinue(barcode, err) {
  let tube = null;
  try {
    tube = await api.get(`/tubes/${encodeURIComponent(barcode)}`);
  } catch {
    // A box's barcode, or a tube elsewhere: the barcode is simply used.
  }
  if (!tube) {
    showMessage(errorMessage(err, [t('station.barcodeUsedNew')]), 'error');
    return;
  }
  if (tube.status !== 'open') {
    showMessage(
      {
        kind: 'error',
        title: t('scan.err.barcode_in_use'),
        lines: [
          t('station.tubeWas', { status: has(`tubeStatus.${tube.status}`) ? t(`tubeStatus.${tube.status}`) : tube.status, n: tube.count, cap: tube.capacity }),
          t('station.barcodeUsedNew'),
        ],
        code: 'barcode_in_use',
      },
      'error',
    );
    return;
  }
  state.offer = { barcode, tube };
  const other = tube.round_id !== station.round_id ? t('station.otherRound', { round: roundName(tube.round_id) }) : null;
  showMessage(
    {
      kind: 'warning',
      title: t('station.openAlready', { barcode: tube.barcode }),
      lines: [t('station.openAlreadyCount', { n: tube.count, cap: tube.capacity, site: siteName(tube.site_id) }), other, t('station.continueHint')],
      code: 'barcode_in_use',
      actions: [
        h('button', { type: 'button', class: 'btn btn-primary', dataset: { testid: 'continue-tube' }, onclick: () => continueTube(tube) }, t('station.continue')),
      ],
    },
    'error',
  );
  if (els.scanInput) els.scanInput.focus();
}

function continueTube(tube) {
  setTube(tube, tube.samples || []);
  state.message = { kind: 'ok', title: t('station.continuing', { barcode: tube.barcode, n: tube.count, cap: tube.capacity }) };
  feedback('ok');
  draw();
}

/** A resident id is digits only and short; a walk-in needs a document number. */
function looksLikeDocument(person) {
  if (/^SW1\./i.test(person)) return false;
  return !/^\d{1,14}$/.test(person);
}

async function addPerson(person, name) {
  const tube = state.tube;
  if (!tube) {
    showMessage({ kind: 'error', title: t('station.noTube'), lines: [t('station.noTubePerson', { person: maskPerson(person) })] }, 'error');
    return;
  }
  const body = name ? { person, name } : { person };
  const key = idempotencyKey();
  if (mustQueue()) return addQueued(tube, body, key);
  let r;
  try {
    r = await api.post(`/tubes/${encodeURIComponent(tube.barcode)}/samples`, { json: body, idempotencyKey: key });
  } catch (err) {
    if (err.code === 'network') return addQueued(tube, body, key);
    return addFailed(err, person, name);
  }
  if (state.tube !== tube) return; // the station moved on meanwhile
  state.samples.push({ id: r.id, person: r.person, sampled_at: r.sampled_at });
  state.tube = r.tube;
  state.walkIn = null;
  rememberTube();
  const who = `${r.person.name} · ${r.person.id_number_masked}`;
  if (r.tube.status !== 'open') {
    const t0 = r.tube;
    setTube(null);
    state.message = {
      kind: 'done',
      title: t('station.autoSealed', { barcode: t0.barcode, n: t0.count, cap: t0.capacity }),
      lines: [t('station.added', { who }), t('station.nextTube')],
    };
    feedback('done');
  } else {
    state.message = {
      kind: 'ok',
      title: t('station.added', { who }),
      lines: [name ? t('station.walkInDone') : null, t('station.countNow', { n: r.tube.count, cap: r.tube.capacity })],
    };
    feedback('ok');
  }
  draw();
}

async function addFailed(err, person, name) {
  const tube = state.tube;
  const who = maskPerson(person);
  switch (err.code) {
    case 'unknown_person':
      if (!name && looksLikeDocument(person)) {
        state.walkIn = { person };
        state.message = { kind: 'warning', title: t('scan.err.unknown_person'), lines: [who, t('station.walkInOffer')], code: err.code };
        feedback(refusalSound(err.code));
        return draw();
      }
      return showMessage(errorMessage(err, [who, t('station.unknownResidentId')]), 'error');
    case 'already_sampled': {
      const other = err.extra('tube');
      const at = err.extra('sampled_at');
      return showMessage(
        errorMessage(err, [who, other ? t('station.alreadyIn', { tube: other, time: fmtTime(at) }) : err.detail, t('station.alreadyHint')]),
        'error',
      );
    }
    case 'duplicate_in_tube': {
      const known = state.samples.find((s) => s.person.id_number_masked === who || String(s.person.id) === person);
      return showMessage(errorMessage(err, [known ? `${known.person.name} · ${known.person.id_number_masked}` : who, t('station.duplicateHint')]), 'error');
    }
    case 'invalid_id_number':
      return showMessage(errorMessage(err, [person, idProblem(err.detail)]), 'error');
    case 'invalid_personal_code':
      return showMessage(errorMessage(err, [who, err.detail]), 'error');
    case 'tube_full':
    case 'tube_sealed':
    case 'tube_boxed':
    case 'unknown_tube': {
      // The tube cannot take anyone: start the next one (this person must be scanned again).
      setTube(null);
      state.message = errorMessage(err, [t('station.tubeGone', { barcode: tube ? tube.barcode : '' }), t('station.scanAgain', { person: who })]);
      feedback(refusalSound(err.code));
      return draw();
    }
    default:
      return showMessage(errorMessage(err, [who, err.detail]), 'error');
  }
}

/**
 * The scanned text as it may be shown at a station with a queue behind it: an ID number masked
 * like the server masks it (first 6 and last 4), a personal code shortened. A wrong ID number is
 * shown whole (invalid_id_number above), since the recorder must compare it with the card.
 */
function maskPerson(s) {
  if (/^\d{17}[\dXx]$/.test(s)) return `${s.slice(0, 6)}********${s.slice(14).toUpperCase()}`;
  if (/^SW1\./i.test(s)) return `SW1.…${s.slice(-6)}`;
  return s.length > 28 ? `${s.slice(0, 24)}…` : s;
}

/** The server's reason an ID number is wrong, in the reader's language when we know its shape. */
function idProblem(detail) {
  if (!detail) return null;
  let m = /check character should be (\w), not (\w)/i.exec(detail);
  if (m) return t('station.idCheck', { want: m[1], got: m[2] });
  m = /birth date (\d+)/i.exec(detail);
  if (m) return t('station.idDate', { date: m[1] });
  m = /region/i.exec(detail);
  if (m) return t('station.idRegion', { detail });
  m = /(\d+) characters/i.exec(detail);
  if (m) return t('station.idLength', { detail });
  return detail;
}

async function voidSample(sample, reason) {
  if (!reason) {
    showMessage({ kind: 'error', title: t('scan.err.reason_required'), code: 'reason_required' }, 'error');
    const input = document.getElementById('void-reason');
    if (input) input.focus();
    return;
  }
  let r;
  try {
    r = await api.post(`/samples/${sample.id}/void`, { json: { reason } });
  } catch (err) {
    return showMessage(errorMessage(err, [err.detail]), 'error');
  }
  state.samples = state.samples.filter((s) => s.id !== sample.id);
  state.voiding = null;
  if (state.tube && r.tube && r.tube.barcode === state.tube.barcode) state.tube = r.tube;
  state.message = {
    kind: 'info',
    title: t('station.voided', { name: sample.person.name }),
    lines: [t('station.voidedReason', { reason: r.reason }), t('station.countNow', { n: r.tube.count, cap: r.tube.capacity })],
  };
  feedback('ok');
  draw();
}

async function sealTube() {
  const tube = state.tube;
  if (!tube) return;
  const key = idempotencyKey();
  if (mustQueue()) return sealQueued(tube, key);
  try {
    const sealed = await api.post(`/tubes/${encodeURIComponent(tube.barcode)}/seal`, { idempotencyKey: key });
    setTube(null);
    state.message = { kind: 'done', title: t('station.sealed', { barcode: sealed.barcode, n: sealed.count, cap: sealed.capacity }), lines: [t('station.nextTube')] };
    feedback('done');
    draw();
  } catch (err) {
    if (err.code === 'network') return sealQueued(tube, key);
    showMessage(errorMessage(err, [err.detail]), 'error');
  }
}

// ---------------------------------------------------------------------------------------------
// Offline: scans wait in the queue (station_queue.js) and are sent in order when the network returns

/** A scan goes to the queue with no network, or while earlier ones wait, so that order holds. */
function mustQueue() {
  return navigator.onLine === false || state.queue.some((e) => e.status === 'queued');
}

function username() {
  const s = session();
  return s ? s.user.username : null;
}

function queuedOpen(barcode) {
  return state.queue.some((e) => e.kind === 'tube' && e.tube === barcode && e.status === 'queued');
}

/** A tube opened on this device and not yet on the server: empty, the round's pool size. */
function localTube(barcode) {
  const round = (state.rounds || []).find((r) => r.id === station.round_id);
  return { barcode, round_id: station.round_id, site_id: station.site_id, capacity: round ? round.pool_size : 10, count: 0, status: 'open', result: null };
}

async function refreshQueue() {
  state.queue = await queue.entries();
}

async function openQueued(body, key) {
  const { barcode } = body;
  if (!BARCODE.test(barcode)) {
    showMessage(errorMessage({ code: 'invalid_barcode', detail: '' }, [barcode]), 'error');
    return;
  }
  await queue.enqueue({ kind: 'tube', tube: barcode, body, label: barcode, key, user: username() });
  await refreshQueue();
  const tube = localTube(barcode);
  setTube(tube, []);
  state.message = { kind: 'queued', title: t('queue.tubeQueued', { barcode, cap: tube.capacity }) };
  feedback('queued');
  draw();
}

async function addQueued(tube, body, key) {
  const label = maskPerson(body.person);
  const again = state.queue.some((e) => e.status === 'queued' && e.kind === 'sample' && e.tube === tube.barcode && e.body && e.body.person === body.person);
  if (again) {
    showMessage(errorMessage({ code: 'duplicate_in_tube', detail: '' }, [label, t('queue.duplicate')]), 'error');
    return;
  }
  await queue.enqueue({ kind: 'sample', tube: tube.barcode, body, label, key, user: username() });
  await refreshQueue();
  if (state.tube !== tube) return draw();
  state.walkIn = null;
  const n = tube.count + queuedHere();
  if (n >= tube.capacity) {
    setTube(null);
    state.message = { kind: 'done', title: t('queue.fullQueued', { barcode: tube.barcode, n, cap: tube.capacity }), lines: [t('station.nextTube')] };
    feedback('done');
  } else {
    state.message = { kind: 'queued', title: t('queue.sampleQueued', { who: label }), lines: [t('station.countNow', { n, cap: tube.capacity })] };
    feedback('queued');
  }
  draw();
}

async function sealQueued(tube, key) {
  await queue.enqueue({ kind: 'seal', tube: tube.barcode, body: null, label: tube.barcode, key, user: username() });
  await refreshQueue();
  setTube(null);
  state.message = { kind: 'done', title: t('queue.sealQueued', { barcode: tube.barcode }), lines: [t('station.nextTube')] };
  feedback('done');
  draw();
}

/** Sends one queued scan; what the server answers for the open tube updates it at once. */
async function sendTracked(e) {
  const r = await sendEntry(e);
  const cur = state.tube;
  if (!cur || cur.barcode !== e.tube || !r) return r;
  if (e.kind === 'tube') state.tube = r;
  else if (e.kind === 'sample') {
    state.samples.push({ id: r.id, person: r.person, sampled_at: r.sampled_at });
    state.tube = r.tube;
  }
  rememberTube();
  return r;
}

let watching = false;
let refetch = null;

/** Starts sending the queue, and redraws the station whenever it changes (in any tab). */
function watchQueue() {
  queue.startSync({ send: sendTracked, accept: acceptEntry, user: username, ready: () => Boolean(session()) });
  if (watching) return;
  watching = true;
  queue.onQueueChange(async ({ refused, remote }) => {
    if (!els.view || !els.view.isConnected || !state.rounds) return;
    await refreshQueue();
    if (refused) {
      if (refused.kind === 'tube' && state.tube && state.tube.barcode === refused.tube) setTube(null);
      state.message = refusalMessage(refused);
      feedback(refusalSound(refused.error.code));
    }
    if (remote) {
      clearTimeout(refetch);
      refetch = setTimeout(refreshTube, 300);
    }
    draw();
  });
  const redraw = () => {
    if (els.view && els.view.isConnected && state.rounds) draw();
  };
  window.addEventListener('online', redraw);
  window.addEventListener('offline', redraw);
}

/** The open tube as the server has it now (another tab may have sent scans into it). */
async function refreshTube() {
  const b = state.tube ? state.tube.barcode : null;
  if (!b || queuedOpen(b) || navigator.onLine === false) return;
  try {
    const tube = await api.get(`/tubes/${encodeURIComponent(b)}`);
    if (!state.tube || state.tube.barcode !== b) return;
    if (tube.status === 'open') setTube(tube, tube.samples || []);
    else setTube(null);
    draw();
  } catch {
    // Out of reach again: the next change tries again.
  }
}
