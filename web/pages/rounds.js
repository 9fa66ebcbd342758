// Rounds and coverage.
//
//   #/rounds                    every round, newest first; a new round (name, pool size, places
//                               from the user's top places); closing an active one
//   #/rounds/ID[?place=PID]     one round under a place: expected / sampled / resulted / positive
//                               for the place and a bar per child (a child drills down), who is
//                               still missing (bedridden and elderly first, CSV and XLSX
//                               downloads for door-to-door teams), and the turnaround times

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { api, saveBlob } from '../api.js';
import { can } from '../roles.js';
import {
  loading,
  errorBox,
  notice,
  fmtTime,
  fmtHours,
  tagChips,
  kindLabel,
  progressBar,
  percent,
  tubeStatusBadge,
  headRow,
} from '../ui.js';

const POOL_SIZES = [1, 5, 10, 20];
const MISSING_PAGE = 100;

// Place names by id, for round lists and breadcrumbs (null: outside the user's places).
const placeNames = new Map();

async function placeName(id) {
  if (placeNames.has(id)) return placeNames.get(id);
  let name = null;
  try {
    const p = await api.get(`/places/${id}`);
    name = p.name;
  } catch {
    name = null;
  }
  placeNames.set(id, name);
  return name;
}

export async function render(view, ctx) {
  if (ctx.params.id) return renderRound(view, ctx, Number(ctx.params.id));
  return renderList(view, ctx);
}

// ---------------------------------------------------------------------------------------------
// The list

let keptForm = null; // what was typed in the new-round form, across a redraw

async function renderList(view, ctx) {
  const list = h('div', { class: 'rounds-list' });
  const createArea = h('div');
  mount(
    view,
    h('div', { class: 'page-header' }, h('h1', { class: 'page-title' }, t('rounds.title'))),
    createArea,
    h('section', { class: 'section' }, h('h2', null, t('rounds.all')), list),
  );
  if (!ctx.rerender) keptForm = null;
  if (can(ctx.user, 'manage_rounds')) drawCreate(createArea, ctx);
  await loadRounds(list, ctx);
}

async function loadRounds(list, ctx) {
  mount(list, loading());
  let rounds = [];
  let cursor = null;
  const tbody = h('tbody');
  const footer = h('div', { class: 'list-footer' });

  async function loadPage() {
    let page;
    try {
      page = await api.get('/rounds', { limit: 50, cursor });
    } catch (err) {
      return mount(rounds.length ? footer : list, errorBox(err, loadPage));
    }
    if (!rounds.length && !page.rounds.length) return mount(list, h('p', { class: 'muted', dataset: { testid: 'no-rounds' } }, t('rounds.none')));
    if (!rounds.length) {
      mount(
        list,
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table rounds-table', dataset: { testid: 'rounds' } },
            headRow(['name', 'status', 'pool', 'places', 'created', 'action'].map((k) => t(`rounds.col.${k}`))),
            tbody,
          ),
        ),
        footer,
      );
    }
    rounds = rounds.concat(page.rounds);
    for (const r of page.rounds) tbody.append(roundRow(r, ctx));
    cursor = page.next_cursor;
    mount(footer, cursor ? h('button', { type: 'button', class: 'btn', onclick: loadPage }, t('registry.loadMore')) : null);
  }
  return loadPage();
}

function roundStatusBadge(status) {
  return h('span', { class: `badge round-${status}`, dataset: { testid: 'round-status' } }, t(`roundStatus.${status}`));
}

function roundRow(r, ctx) {
  const places = h('td', { 'data-label': t('rounds.col.places') }, r.place_ids.map((id) => `#${id}`).join(', '));
  const action = h('td', { 'data-label': t('rounds.col.action') });
  Promise.all(r.place_ids.map((id) => placeName(id))).then((names) => {
    places.textContent = names.map((n, i) => n || t('rounds.placeAbove', { id: r.place_ids[i] })).join('、');
    // The server lets any round manager close any round; the page offers it only for rounds
    // wholly within the user's places (a community office does not close the district's round).
    if (r.status === 'active' && can(ctx.user, 'manage_rounds') && names.every((n) => n !== null)) {
      closeControl(action, r, (closed) => {
        row.replaceWith(roundRow(closed, ctx));
      });
    }
  });
  const row = h(
    'tr',
    { dataset: { testid: 'round-row', roundId: String(r.id) } },
    h('td', { class: 'cell-name', 'data-label': t('rounds.col.name') }, h('a', { href: `#/rounds/${r.id}`, dataset: { testid: 'round-link' } }, r.name)),
    h('td', { 'data-label': t('rounds.col.status') }, roundStatusBadge(r.status)),
    h('td', { 'data-label': t('rounds.col.pool') }, t('rounds.poolN', { n: r.pool_size })),
    places,
    h('td', { class: 'mono', 'data-label': t('rounds.col.created') }, fmtTime(r.created_at, { short: true })),
    action,
  );
  return row;
}

/** A "close round" button that asks once more before closing. */
function closeControl(el, round, onClosed) {
  const drawButton = () =>
    mount(el, h('button', { type: 'button', class: 'btn btn-small', dataset: { testid: 'close-round' }, onclick: drawConfirm }, t('rounds.close')));
  function drawConfirm() {
    const status = h('span');
    mount(
      el,
      h(
        'span',
        { class: 'confirm-row' },
        h('span', { class: 'confirm-text' }, t('rounds.closeConfirm', { name: round.name })),
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-small btn-danger',
            dataset: { testid: 'close-round-confirm' },
            onclick: async () => {
              try {
                onClosed(await api.post(`/rounds/${round.id}/close`));
              } catch (err) {
                mount(status, errorBox(err));
              }
            },
          },
          t('rounds.closeYes'),
        ),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: drawButton }, t('common.cancel')),
        status,
      ),
    );
  }
  drawButton();
}

async function drawCreate(area, ctx) {
  if (!keptForm || !keptForm.open) {
    mount(
      area,
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-primary',
          dataset: { testid: 'new-round' },
          onclick: () => {
            keptForm = { open: true, name: '', pool: 10, places: null };
            drawCreate(area, ctx);
          },
        },
        `+ ${t('rounds.new')}`,
      ),
    );
    return;
  }
  mount(area, loading());
  let offered;
  try {
    offered = await offeredPlaces();
  } catch (err) {
    return mount(area, errorBox(err, () => drawCreate(area, ctx)));
  }
  if (!keptForm.places) {
    const tops = offered.filter((p) => p.top);
    keptForm.places = tops.length === 1 ? [tops[0].id] : [];
  }

  const name = h('input', {
    id: 'round-name',
    type: 'text',
    required: true,
    value: keptForm.name,
    dataset: { testid: 'round-name' },
    placeholder: t('rounds.namePh'),
  });
  name.addEventListener('input', () => {
    keptForm.name = name.value;
  });
  const pools = h(
    'div',
    { class: 'segmented', role: 'radiogroup', 'aria-labelledby': 'round-pool-label' },
    POOL_SIZES.map((n) => {
      const input = h('input', { type: 'radio', name: 'pool', value: String(n), id: `pool-${n}`, checked: keptForm.pool === n, dataset: { testid: `pool-${n}` } });
      input.addEventListener('change', () => {
        keptForm.pool = n;
      });
      return h('label', { class: 'segment', for: `pool-${n}` }, input, h('span', null, n === 1 ? t('rounds.single') : t('rounds.poolN', { n })));
    }),
  );
  const places = h(
    'div',
    { class: 'check-list', dataset: { testid: 'round-places' } },
    offered.map((p) => {
      const input = h('input', {
        type: 'checkbox',
        value: String(p.id),
        id: `round-place-${p.id}`,
        checked: keptForm.places.includes(p.id),
        dataset: { testid: 'round-place' },
      });
      input.addEventListener('change', () => {
        keptForm.places = input.checked ? [...keptForm.places, p.id] : keptForm.places.filter((x) => x !== p.id);
      });
      return h(
        'label',
        { class: p.top ? 'check check-top' : 'check check-child', for: `round-place-${p.id}` },
        input,
        h('span', null, p.name),
        h('span', { class: 'place-kind' }, kindLabel(p.kind)),
      );
    }),
  );
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'round-submit' } }, t('rounds.create'));
  const form = h(
    'form',
    { class: 'card round-form', dataset: { testid: 'round-form' } },
    h('h2', null, t('rounds.new')),
    h('div', { class: 'field' }, h('label', { for: 'round-name' }, t('rounds.name')), name),
    h('div', { class: 'field' }, h('span', { class: 'label', id: 'round-pool-label' }, t('rounds.pool')), pools, h('p', { class: 'hint' }, t('rounds.poolHint'))),
    h('div', { class: 'field' }, h('span', { class: 'label' }, t('rounds.places')), places),
    status,
    h(
      'div',
      { class: 'form-actions' },
      submit,
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-ghost',
          onclick: () => {
            keptForm = null;
            drawCreate(area, ctx);
          },
        },
        t('common.cancel'),
      ),
    ),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = name.value.trim();
    if (!n) {
      mount(status, notice(t('rounds.needName'), 'warning'));
      name.focus();
      return;
    }
    if (!keptForm.places.length) {
      mount(status, notice(t('rounds.needPlaces'), 'warning'));
      return;
    }
    submit.disabled = true;
    try {
      const round = await api.post('/rounds', { json: { name: n, place_ids: keptForm.places, pool_size: keptForm.pool } });
      keptForm = null;
      ctx.navigate(`#/rounds/${round.id}`);
    } catch (err) {
      mount(status, errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  mount(area, form);
  name.focus();
}

/** The user's top places, and — when there is just one — the places inside it. */
async function offeredPlaces() {
  const { places } = await api.get('/places');
  const out = places.map((p) => ({ ...p, top: true }));
  if (places.length === 1) {
    const inside = await api.get(`/places/${places[0].id}`);
    for (const c of inside.children) out.push({ ...c, top: false });
  }
  for (const p of out) placeNames.set(p.id, p.name);
  return out;
}

// ---------------------------------------------------------------------------------------------
// One round

async function renderRound(view, ctx, id) {
  mount(view, loading());
  let round;
  try {
    round = await api.get(`/rounds/${id}`);
  } catch (err) {
    return mount(view, errorBox(err, () => renderRound(view, ctx, id)));
  }

  const placeParam = Number(ctx.query.get('place')) || null;
  const placeId = placeParam || ctx.user.scope_place_id || (round.place_ids.length === 1 ? round.place_ids[0] : null);

  const closeArea = h('div', { class: 'round-close' });
  if (round.status === 'active' && can(ctx.user, 'manage_rounds')) {
    Promise.all(round.place_ids.map((pid) => placeName(pid))).then((names) => {
      if (names.every((n) => n !== null)) closeControl(closeArea, round, () => ctx.navigate(location.hash));
    });
  }
  const head = h(
    'div',
    { class: 'round-head' },
    h('p', { class: 'back' }, h('a', { href: '#/rounds', dataset: { testid: 'back' } }, `← ${t('rounds.title')}`)),
    h(
      'div',
      { class: 'place-head' },
      h('h1', { class: 'page-title', dataset: { testid: 'round-name' } }, round.name),
      roundStatusBadge(round.status),
      h('span', { class: 'badge' }, t('rounds.poolN', { n: round.pool_size })),
      closeArea,
    ),
  );

  if (!placeId) {
    // A round over several places, and a user over all of them: choose one.
    const names = await Promise.all(round.place_ids.map(async (pid) => ({ id: pid, name: (await placeName(pid)) || `#${pid}` })));
    return mount(
      view,
      head,
      h('h2', { class: 'section' }, t('cov.choosePlace')),
      h(
        'ul',
        { class: 'place-grid' },
        names.map((p) => h('li', null, h('a', { class: 'place-card', href: `#/rounds/${id}?place=${p.id}` }, h('span', { class: 'place-name' }, p.name)))),
      ),
    );
  }

  const coverageEl = h('section', { class: 'section', dataset: { testid: 'coverage' } }, loading());
  const missingEl = h('section', { class: 'section', dataset: { testid: 'missing' } });
  const turnaroundEl = h('section', { class: 'section', dataset: { testid: 'turnaround' } });
  const advisorLink = h('p', null, h('a', { class: 'btn', href: `#/rounds/${id}/advisor?place=${placeId}`, dataset: { testid: 'advisor-link' } }, t('advisor.link')));
  mount(view, head, advisorLink, coverageEl, missingEl, turnaroundEl);

  let place = null;
  let cov;
  try {
    [cov, place] = await Promise.all([api.get(`/rounds/${id}/coverage`, { place_id: placeId }), api.get(`/places/${placeId}`).catch(() => null)]);
  } catch (err) {
    return mount(coverageEl, errorBox(err, () => renderRound(view, ctx, id)));
  }
  drawCoverage(coverageEl, round, cov, place);
  drawMissing(missingEl, round, placeId, place);
  drawTurnaround(turnaroundEl, round);
}

function coverageCrumbs(round, place) {
  if (!place) return null;
  let above = place.ancestors || [];
  const start = above.findIndex((a) => round.place_ids.includes(a.id));
  if (start >= 0) above = above.slice(start);
  else if (round.place_ids.includes(place.id)) above = [];
  if (!above.length) return null;
  return h(
    'nav',
    { class: 'breadcrumb', 'aria-label': 'breadcrumb', dataset: { testid: 'cov-breadcrumb' } },
    h(
      'ol',
      null,
      above.map((a) => h('li', null, h('a', { href: `#/rounds/${round.id}?place=${a.id}` }, a.name))),
      h('li', { 'aria-current': 'page' }, place.name),
    ),
  );
}

function bigStat(key, n, sub, cls) {
  return h(
    'div',
    { class: `stat ${cls || ''}`, dataset: { testid: `cov-${key}` } },
    h('span', { class: 'stat-n' }, String(n)),
    h('span', { class: 'stat-label' }, t(`cov.${key}`)),
    sub ? h('span', { class: 'stat-sub' }, sub) : null,
  );
}

function coverageBar(c) {
  const resultedNeg = Math.max(0, c.resulted - c.positive);
  const waiting = Math.max(0, c.sampled - c.resulted);
  return progressBar(c.expected, [
    { value: resultedNeg, cls: 'bar-resulted', label: t('cov.resulted') },
    { value: c.positive, cls: 'bar-positive', label: t('cov.positive') },
    { value: waiting, cls: 'bar-sampled', label: t('cov.waiting') },
  ]);
}

function drawCoverage(el, round, cov, place) {
  const children = cov.children || [];
  mount(
    el,
    coverageCrumbs(round, place),
    h(
      'div',
      { class: 'place-head' },
      h('h2', { class: 'cov-title', dataset: { testid: 'cov-place' } }, place ? place.name : `#${cov.place_id}`),
      place ? h('span', { class: `badge badge-${place.kind}` }, kindLabel(place.kind)) : null,
    ),
    h(
      'div',
      { class: 'stats stats-4' },
      bigStat('expected', cov.expected, null, 'stat-neutral'),
      bigStat('sampled', cov.sampled, percent(cov.sampled, cov.expected), 'stat-good'),
      bigStat('resulted', cov.resulted, percent(cov.resulted, cov.expected), 'stat-neutral'),
      bigStat('positive', cov.positive, null, cov.positive ? 'stat-bad' : 'stat-neutral'),
    ),
    h('div', { class: 'cov-total' }, coverageBar(cov), legend()),
    children.length
      ? h(
          'div',
          { class: 'cov-children' },
          h('h3', null, t('cov.children', { name: place ? place.name : '' })),
          h(
            'ul',
            { class: 'cov-list', dataset: { testid: 'cov-children' } },
            children.map((c) =>
              h(
                'li',
                null,
                h(
                  'a',
                  { class: 'cov-row', href: `#/rounds/${round.id}?place=${c.place_id}`, dataset: { testid: 'cov-child', placeId: String(c.place_id) } },
                  h('span', { class: 'cov-name' }, c.name),
                  h(
                    'span',
                    { class: 'cov-nums mono' },
                    h('span', { class: 'cov-sampled', dataset: { testid: 'cov-child-sampled' } }, `${c.sampled}/${c.expected}`),
                    h('span', { class: 'cov-pct' }, percent(c.sampled, c.expected)),
                    c.positive ? h('span', { class: 'cov-pos', dataset: { testid: 'cov-child-positive' } }, t('cov.positiveN', { n: c.positive })) : null,
                  ),
                  coverageBar(c),
                ),
              ),
            ),
          ),
        )
      : null,
  );
}

function legend() {
  const item = (cls, key) => h('span', { class: 'legend-item' }, h('span', { class: `legend-swatch ${cls}` }), t(key));
  return h(
    'div',
    { class: 'legend' },
    item('bar-resulted', 'cov.resultedNeg'),
    item('bar-positive', 'cov.positive'),
    item('bar-sampled', 'cov.waiting'),
    item('bar-missing', 'cov.notSampled'),
  );
}

// ---------------------------------------------------------------------------------------------
// Missing

function shortAddress(address, base) {
  if (base && address.startsWith(`${base}/`)) return address.slice(base.length + 1);
  return address;
}

function drawMissing(el, round, placeId, place) {
  const base = place ? place.path : null;
  const tbody = h('tbody');
  const footer = h('div', { class: 'list-footer' });
  const total = h('span', { class: 'count', dataset: { testid: 'missing-total' } }, '…');
  const downloadStatus = h('div', { 'aria-live': 'polite' });
  let shown = 0;
  let cursor = null;

  const download = (format) => async (ev) => {
    const btn = ev.currentTarget;
    btn.disabled = true;
    mount(downloadStatus);
    try {
      const opts = format === 'csv' ? { query: { place_id: placeId }, accept: 'text/csv' } : { query: { place_id: placeId, format: 'xlsx' } };
      const { blob, filename } = await api.blob(`/rounds/${round.id}/missing`, opts);
      saveBlob(blob, filename || `missing-round-${round.id}.${format}`);
    } catch (err) {
      mount(downloadStatus, errorBox(err));
    } finally {
      btn.disabled = false;
    }
  };

  const list = h('div', null, loading());
  mount(
    el,
    h(
      'div',
      { class: 'section-head' },
      h('h2', null, t('cov.missing'), total),
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn btn-small', dataset: { testid: 'download-csv' }, onclick: download('csv') }, t('cov.downloadCsv')),
        h('button', { type: 'button', class: 'btn btn-small', dataset: { testid: 'download-xlsx' }, onclick: download('xlsx') }, t('cov.downloadXlsx')),
      ),
    ),
    h('p', { class: 'hint' }, t('cov.missingHint')),
    downloadStatus,
    list,
  );

  async function loadPage() {
    mount(footer, loading());
    let page;
    try {
      page = await api.get(`/rounds/${round.id}/missing`, { place_id: placeId, limit: MISSING_PAGE, cursor });
    } catch (err) {
      return mount(shown ? footer : list, errorBox(err, loadPage));
    }
    if (typeof page.total === 'number') total.textContent = String(page.total);
    if (!shown && !page.people.length) {
      total.textContent = '0';
      return mount(list, notice(t('cov.noneMissing'), 'success'));
    }
    if (!shown) {
      mount(
        list,
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table missing-table', dataset: { testid: 'missing-table' } },
            headRow(['col.name', 'col.idNumber', 'col.phone', 'col.address'].map((k) => t(k))),
            tbody,
          ),
        ),
        footer,
      );
    }
    for (const p of page.people) {
      const priority = (p.tags || []).some((tag) => tag === 'bedridden' || tag === 'elderly');
      tbody.append(
        h(
          'tr',
          { class: priority ? 'row-priority' : null, dataset: { testid: 'missing-row', priority: priority ? 'yes' : 'no' } },
          h('td', { class: 'cell-name', 'data-label': t('col.name') }, h('a', { href: `#/residents/${p.id}` }, p.name), tagChips(p.tags)),
          h('td', { class: 'cell-id mono', 'data-label': t('col.idNumber') }, p.id_number_masked),
          h('td', { class: 'cell-phone mono', 'data-label': t('col.phone') }, p.phone ? h('a', { href: `tel:${p.phone}` }, p.phone) : t('common.none')),
          h('td', { class: 'cell-address', 'data-label': t('col.address'), title: p.address }, shortAddress(p.address, base)),
        ),
      );
    }
    shown += page.people.length;
    cursor = page.next_cursor;
    if (cursor) {
      mount(
        footer,
        h('span', { class: 'muted' }, t('registry.shown', { n: shown })),
        h('button', { type: 'button', class: 'btn', onclick: loadPage, dataset: { testid: 'missing-more' } }, t('registry.loadMore')),
      );
    } else {
      mount(footer, h('span', { class: 'muted' }, t('registry.allShown', { n: shown })));
    }
  }
  loadPage();
}

// ---------------------------------------------------------------------------------------------
// Turnaround

function tatStat(testid, value, label) {
  return h('div', { class: 'stat stat-neutral', dataset: { testid } }, h('span', { class: 'stat-n' }, value), h('span', { class: 'stat-label' }, label));
}

async function drawTurnaround(el, round) {
  mount(el, h('h2', null, t('tat.title')), loading());
  let ta;
  try {
    ta = await api.get(`/rounds/${round.id}/turnaround`);
  } catch (err) {
    return mount(el, h('h2', null, t('tat.title')), errorBox(err));
  }
  const legs = [
    ['sample_to_seal_hours', 'tat.leg.seal'],
    ['seal_to_dispatch_hours', 'tat.leg.dispatch'],
    ['dispatch_to_receipt_hours', 'tat.leg.receipt'],
    ['receipt_to_result_hours', 'tat.leg.result'],
  ];
  mount(
    el,
    h('h2', null, t('tat.title')),
    h(
      'div',
      { class: 'stats stats-4' },
      tatStat('tat-median', fmtHours(ta.median_hours), t('tat.median')),
      tatStat('tat-p95', fmtHours(ta.p95_hours), t('tat.p95')),
      tatStat('tat-tubes', `${ta.resulted}/${ta.tubes}`, t('tat.tubes')),
      h(
        'div',
        { class: `stat ${ta.overdue.length ? 'stat-bad' : 'stat-neutral'}`, dataset: { testid: 'tat-overdue-count' } },
        h('span', { class: 'stat-n' }, String(ta.overdue.length)),
        h('span', { class: 'stat-label' }, t('tat.overdue', { hours: ta.limit_hours })),
      ),
    ),
    h(
      'ol',
      { class: 'legs', dataset: { testid: 'tat-legs' } },
      legs.map(([key, label]) =>
        h('li', { class: 'leg' }, h('span', { class: 'leg-label' }, t(label)), h('span', { class: 'leg-value' }, fmtHours(ta.legs[key]))),
      ),
    ),
    ta.overdue.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table', dataset: { testid: 'tat-overdue' } },
            headRow(['tube', 'status', 'first', 'hours'].map((k) => t(`tat.col.${k}`))),
            h(
              'tbody',
              null,
              ta.overdue.map((o) =>
                h(
                  'tr',
                  { dataset: { testid: 'overdue-row' } },
                  h('td', { class: 'mono', 'data-label': t('tat.col.tube') }, h('a', { href: `#/tubes/${encodeURIComponent(o.barcode)}` }, o.barcode)),
                  h('td', { 'data-label': t('tat.col.status') }, tubeStatusBadge(o.status)),
                  h('td', { class: 'mono', 'data-label': t('tat.col.first') }, fmtTime(o.first_sample_at, { short: true })),
                  h('td', { class: 'mono', 'data-label': t('tat.col.hours') }, fmtHours(o.hours)),
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('tat.noOverdue')),
  );
}
