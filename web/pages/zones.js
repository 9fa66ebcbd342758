// Zones: sealed, controlled, temporary and prevention areas.
//
//   #/zones[?show=active|all&community=ID&grid=sampled]
//                                            the community's buildings and units coloured by the
//                                            strictest zone in force over each (GET /places for
//                                            the grid, GET /zones?active=true for the colours,
//                                            or the current round's coverage with ?grid=sampled);
//                                            the zones, in force or all, each lifted with a
//                                            reason (POST /zones/{id}/lift); a zone started by
//                                            hand over a place (POST /zones)

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../roles.js';
import { loading, errorBox, notice, headRow, fmtTime } from '../ui.js';
import { LEVELS, age, levelBadge, levelLabel, placeById, placeLink, placePicker, shortPath, systemText, formCard, formStatus, submitWith } from '../outbreak.js';
import { segmented } from './incidents.js';
import { drawGrid } from './zone_grid.js';

export async function render(view, ctx) {
  const show = ctx.query.get('show') === 'all' ? 'all' : 'active';
  const communityParam = Number(ctx.query.get('community')) || null;
  const setQuery = (next) => {
    const q = new URLSearchParams({ show: next.show ?? show });
    const c = next.community === undefined ? communityParam : next.community;
    if (c) q.set('community', String(c));
    if (gridBy === 'sampled') q.set('grid', 'sampled');
    ctx.navigate(`#/zones?${q}`, { replace: true });
  };

  const formArea = h('div', { class: 'form-area' });
  const gridArea = h('div', { class: 'zone-grid-area' });
  const list = h('div', { class: 'zone-list' }, loading());
  const actions = can(ctx.user, 'manage_incidents')
    ? h('button', { type: 'button', class: 'btn btn-primary', dataset: { testid: 'zone-new' }, onclick: () => mount(formArea, zoneForm(started, () => mount(formArea))) }, `+ ${t('zones.new')}`)
    : null;
  const communityPicker = h('div', { class: 'grid-picker' });
  const gridHint = h('p', { class: 'hint' });
  // What the grid is coloured by: the zones in force, or the share sampled in the current round.
  let gridBy = ctx.query.get('grid') === 'sampled' ? 'sampled' : 'zone';
  let activeZones = [];
  gridHint.textContent = t(gridBy === 'sampled' ? 'grid.hintSampled' : 'grid.hint');
  const gridBySwitch = segmented('grid-by', t('grid.colourBy'), [['zone', t('grid.byZone')], ['sampled', t('grid.bySampled')]], gridBy, (by) => {
    gridBy = by;
    gridHint.textContent = t(by === 'sampled' ? 'grid.hintSampled' : 'grid.hint');
    if (community) drawGrid(gridArea, community, activeZones, { by });
  });
  mount(
    view,
    h('div', { class: 'page-header outbreak-header' }, h('h1', { class: 'page-title' }, t('zones.title')), actions),
    formArea,
    h(
      'section',
      { class: 'section', dataset: { testid: 'zone-grid-section' } },
      h('h2', null, t('grid.title')),
      h('div', { class: 'field' }, h('label', { for: 'grid-community' }, t('grid.community')), communityPicker),
      gridHint,
      h('div', { class: 'grid-by' }, h('span', { class: 'label' }, t('grid.colourBy')), gridBySwitch),
      gridArea,
    ),
    h(
      'section',
      { class: 'section' },
      h('div', { class: 'section-head' }, h('h2', null, t('zones.title')), segmented('zone-show', t('zones.show'), [['active', t('zones.active')], ['all', t('zones.all')]], show, (s) => setQuery({ show: s }))),
      list,
    ),
  );

  let community = null; // set once known, so the first reload draws no grid
  async function started(place) {
    mount(formArea, notice(t('zones.started', { place: shortPath(place.path) }), 'success'));
    await reload();
  }
  async function reload() {
    let active;
    let shown;
    try {
      active = (await api.get('/zones', { active: 'true' })).zones;
      shown = show === 'all' ? (await api.get('/zones')).zones : active;
    } catch (err) {
      return mount(list, errorBox(err, reload));
    }
    drawList(list, shown, show, can(ctx.user, 'manage_incidents'), reload);
    activeZones = active;
    if (community) await drawGrid(gridArea, community, active, { by: gridBy });
    return active;
  }

  const active = await reload();
  community = communityParam || (await defaultCommunity(active || []));
  const chain = community ? await chainTo(community) : [];
  const picker = placePicker({
    id: 'grid-community',
    deepest: 'community',
    testid: 'grid-community',
    start: chain,
    onChange: (p) => {
      if (p && p.kind === 'community' && p.id !== community) setQuery({ community: p.id });
    },
  });
  mount(communityPicker, picker.el);
  if (community && active) await drawGrid(gridArea, community, active, { by: gridBy });
  else mount(gridArea, h('p', { class: 'muted' }, t('grid.chooseCommunity')));
}

/** The community to show first: the user's own, else the one of the first zone in force. */
async function defaultCommunity(active) {
  const { places } = await api.get('/places').catch(() => ({ places: [] }));
  if (places.length === 1 && places[0].kind === 'community') return places[0].id;
  for (const z of active) {
    const p = await placeById(z.place_id);
    if (!p) continue;
    if (p.kind === 'community') return p.id;
    const c = p.ancestors.find((a) => a.kind === 'community');
    if (c) return c.id;
  }
  return null;
}

/** The ids from the user's top place down to this one, for the picker to open at. */
async function chainTo(id) {
  const p = await placeById(id);
  return p ? [...p.ancestors.map((a) => a.id), p.id] : [];
}

// ---------------------------------------------------------------------------------------------
// The list

function drawList(el, zones, show, manage, reload) {
  if (!zones.length) return mount(el, h('p', { class: 'muted', dataset: { testid: 'no-zones' } }, t(show === 'all' ? 'zones.emptyAll' : 'zones.empty')));
  const sorted = [...zones].sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) || b.id - a.id);
  mount(
    el,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table zones-table', dataset: { testid: 'zones' } },
        headRow(['level', 'place', 'reason', 'incident', 'started', 'state'].map((k) => t(`zones.col.${k}`))),
        h('tbody', null, sorted.map((z) => zoneRow(z, manage, reload))),
      ),
    ),
  );
}

function zoneRow(z, manage, reload) {
  const lifted = h('td', { 'data-label': t('zones.col.state') });
  if (z.lifted_at) mount(lifted, t('zones.liftedAt', { at: fmtTime(z.lifted_at, { short: true }) }));
  else if (manage) liftControl(lifted, z, reload);
  else mount(lifted, h('span', { class: 'muted' }, t('zones.inForce')));
  return h(
    'tr',
    { dataset: { testid: 'zone-row', zoneId: String(z.id), placeId: String(z.place_id), level: z.level, lifted: z.lifted_at ? 'true' : 'false' } },
    h('td', { 'data-label': t('zones.col.level') }, levelBadge(z.level)),
    h('td', { class: 'cell-place', 'data-label': t('zones.col.place') }, placeLink(z.place_id)),
    h('td', { class: 'cell-reason', 'data-label': t('zones.col.reason') }, systemText(z.reason) || t('common.none')),
    h(
      'td',
      { 'data-label': t('zones.col.incident') },
      z.incident_id ? h('a', { href: `#/incidents/${z.incident_id}` }, `#${z.incident_id}`) : h('span', { class: 'muted' }, t('zones.byHand')),
    ),
    h('td', { class: 'cell-started', 'data-label': t('zones.col.started'), title: fmtTime(z.started_at) }, `${fmtTime(z.started_at, { short: true })} · ${age(z.started_at, z.lifted_at)}`),
    lifted,
  );
}

function liftControl(cell, z, reload) {
  const button = h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', dataset: { testid: 'zone-lift' } }, t('zones.lift'));
  button.addEventListener('click', () => {
    const reason = h('input', { type: 'text', placeholder: t('zones.liftReasonPh'), 'aria-label': t('zones.liftReason'), dataset: { testid: 'zone-lift-reason' } });
    const confirm = h('button', { type: 'submit', class: 'btn btn-small btn-danger', dataset: { testid: 'zone-lift-confirm' } }, t('zones.liftConfirm'));
    const cancel = h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => mount(cell, button) }, t('common.cancel'));
    const status = formStatus();
    const form = h('form', { class: 'lift-form' }, reason, h('span', { class: 'lift-actions' }, confirm, cancel), status);
    submitWith(form, confirm, status, async () => {
      if (!reason.value.trim()) {
        mount(status, notice(t('zones.needReason'), 'warning'));
        reason.focus();
        return false;
      }
      await api.post(`/zones/${z.id}/lift`, { json: { reason: reason.value.trim() } });
      await reload();
    });
    mount(cell, form);
    reason.focus();
  });
  mount(cell, button);
}

// ---------------------------------------------------------------------------------------------
// Starting one by hand

function zoneForm(onStarted, close) {
  const picker = placePicker({ id: 'zone-place', deepest: 'unit', testid: 'zone-place' });
  let level = 'controlled';
  const levels = segmented('zone-level', t('zones.level'), LEVELS.map((l) => [l, levelLabel(l)]), level, (l) => {
    level = l;
    help.textContent = t(`zone.levelHelp.${l}`);
  });
  const help = h('p', { class: 'hint' }, t(`zone.levelHelp.${level}`));
  const reason = h('input', { id: 'zone-reason', type: 'text', placeholder: t('zones.reasonPh'), dataset: { testid: 'zone-reason' } });
  const status = formStatus();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'zone-submit' } }, t('zones.create'));
  const form = formCard({
    testid: 'zone-form',
    title: t('zones.new'),
    fields: [
      [t('zones.place'), picker.el, null, 'zone-place'],
      [t('zones.level'), h('div', { class: 'level-field' }, levels, help)],
      [t('zones.reason'), reason, null, 'zone-reason'],
    ],
    status,
    buttons: [submit, h('button', { type: 'button', class: 'btn btn-ghost', onclick: close }, t('common.cancel'))],
  });
  submitWith(form, submit, status, async () => {
    const place = picker.value();
    if (!place || !reason.value.trim()) {
      mount(status, notice(t(place ? 'zones.needReason' : 'zones.needPlace'), 'warning'));
      if (place) reason.focus();
      return false;
    }
    await api.post('/zones', { json: { place_id: place.id, level, reason: reason.value.trim() } });
    await onStarted(place);
  });
  return form;
}
