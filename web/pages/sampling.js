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

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api, errorText } from '../api.js';
import { loading, errorBox, fmtTime, feedback, scanField, scanMessage, keepScannerFocus } from '../ui.js';

const STATION_KEY = 'swabline.station';

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
let station = loadStation(); // {round_id, site_id, tube}
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

  if (!state.rounds || !state.sites) {
    mount(view, loading());
    try {
      const [rounds, sites] = await Promise.all([api.get('/rounds', { status: 'active', limit: 100 }), api.get('/sites')]);
      state.rounds = rounds.rounds;
      state.sites = sites.sites;
    } catch (err) {
      return mount(view, errorBox(err, () => render(view, { ...ctx, rerender: false })));
    }
    if (!state.rounds.some((r) => r.id === station.round_id)) station.round_id = state.rounds.length === 1 ? state.rounds[0].id : null;
    if (!state.sites.some((s) => s.id === station.site_id)) station.site_id = state.sites.length === 1 ? state.sites[0].id : null;
    saveStation();
    if (station.tube && !state.tube) await resumeTube(station.tube);
  }
  draw();
}

/** Goes on with the tube this device was filling (after a reload), if it is still open. */
async function resumeTube(barcode) {
  try {
    const tube = await api.get(`/tubes/${encodeURIComponent(barcode)}`);
    if (tube.status === 'open') {
      setTube(tube, tube.samples || []);
      state.message = { kind: 'info', title: t('station.resumed', { barcode: tube.barcode }) };
      return;
    }
  } catch {
    // Gone or out of reach: start with a new tube.
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
  return h('section', { class: 'card station-stage' }, field.el);
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

  const slots = h(
    'div',
    { class: 'slots', 'aria-hidden': 'true' },
    Array.from({ length: tube.capacity }, (_, i) => h('span', { class: i < tube.count ? 'slot slot-full' : 'slot' })),
  );
  const full = tube.count >= tube.capacity;

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
        {
          class: `tube-count${full ? ' tube-count-full' : ''}`,
          dataset: { testid: 'tube-count' },
          'aria-label': t('station.countLabel', { n: tube.count, cap: tube.capacity }),
        },
        `${tube.count}/${tube.capacity}`,
      ),
    ),
    slots,
    walkIn || field.el,
    h(
      'div',
      { class: 'tube-actions' },
      h('button', { type: 'button', class: 'btn btn-seal', dataset: { testid: 'seal' }, onclick: sealTube, disabled: tube.count === 0 }, t('station.seal')),
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
  if (!state.samples.length) return h('p', { class: 'muted tube-empty' }, t('station.emptyTube'));
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
    h('h2', null, t('station.inTube'), h('span', { class: 'count' }, String(state.samples.length))),
    h('ol', { class: 'sample-list', dataset: { testid: 'sample-list' } }, rows),
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
  if (sound) feedback(sound);
  if (els.message && els.message.isConnected) mount(els.message, msg ? scanMessage(msg) : null);
}

/** The big message for a refused request: our words for the code, the server's detail under it. */
function errorMessage(err, extraLines = []) {
  const code = err && err.code ? err.code : null;
  const key = `scan.err.${code}`;
  const title = has(key) ? t(key) : errorText(err);
  return { kind: 'error', title, lines: extraLines, code };
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
  try {
    const tube = await api.post('/tubes', { json: { barcode, round_id: station.round_id, site_id: station.site_id } });
    setTube(tube, []);
    state.message = { kind: 'ok', title: t('station.tubeOpened', { barcode: tube.barcode, cap: tube.capacity }) };
    feedback('ok');
    draw();
  } catch (err) {
    if (err.code === 'barcode_in_use') return offerContinue(barcode, err);
    if (err.code === 'round_closed') {
      const closed = station.round_id;
      station.round_id = null;
      saveStation();
      state.rounds = state.rounds.filter((r) => r.id !== closed);
      state.editSetup = true;
      state.message = errorMessage(err, [t('station.roundClosedHint')]);
      feedback('error');
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
  let r;
  try {
    r = await api.post(`/tubes/${encodeURIComponent(tube.barcode)}/samples`, { json: body });
  } catch (err) {
    return addFailed(err, person, name);
  }
  if (state.tube !== tube) return; // the station moved on meanwhile
  state.samples.push({ id: r.id, person: r.person, sampled_at: r.sampled_at });
  state.tube = r.tube;
  state.walkIn = null;
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
        feedback('error');
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
      feedback('error');
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
  try {
    const sealed = await api.post(`/tubes/${encodeURIComponent(tube.barcode)}/seal`);
    setTube(null);
    state.message = { kind: 'done', title: t('station.sealed', { barcode: sealed.barcode, n: sealed.count, cap: sealed.capacity }), lines: [t('station.nextTube')] };
    feedback('done');
    draw();
  } catch (err) {
    showMessage(errorMessage(err, [err.detail]), 'error');
  }
}
