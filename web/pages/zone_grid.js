// The community's building grid: a row per building, a cell per unit, each cell a link to the
// unit's people (#/places/UNIT). Coloured either
//   by zone     the strictest zone in force over the cell — on the unit itself, its building, the
//               community or anything above (the zones in force the page has read); or
//   by sampled  the share of the unit's residents sampled in the current round: the newest active
//               round over the community (GET /rounds?status=active), its coverage of each
//               building with the building's units as children (GET /rounds/{id}/coverage).
// Composed from GET /places/{id} (the community's buildings, each building's units).

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { loading, errorBox, kindLabel, notice, percent } from '../ui.js';
import { LEVELS, levelLabel, placeById, stricter } from '../outbreak.js';

/** Shares sampled, from none to everyone; 'none' is a cell where nobody is registered. */
const SHARES = ['0', '1', '2', '3', '4', 'none'];

function legendItem(cls, text) {
  return h('span', { class: 'legend-item' }, h('span', { class: `legend-swatch ${cls}` }), text);
}

/** The zone colours' legend: one swatch per level, and "no zone". */
export function gridLegend() {
  return h(
    'div',
    { class: 'legend grid-legend', dataset: { testid: 'grid-legend' } },
    LEVELS.map((level) => legendItem(`grid-${level}`, levelLabel(level))),
    legendItem('grid-none', t('grid.none')),
  );
}

/** The legend of the shares sampled in `round`. */
function shareLegend(round) {
  return h(
    'div',
    { class: 'legend grid-legend share-legend', dataset: { testid: 'share-legend', roundId: String(round.id) } },
    h('span', { class: 'legend-title' }, t('grid.sampledRound', { round: round.name })),
    SHARES.map((s) => legendItem(`grid-share-${s}`, t(`grid.share.${s}`))),
  );
}

function shareOf(counts) {
  if (!counts || !counts.expected) return 'none';
  if (counts.sampled === 0) return '0';
  const f = counts.sampled / counts.expected;
  if (f >= 1) return '4';
  if (f >= 0.9) return '3';
  return f >= 0.5 ? '2' : '1';
}

/** The newest active round over the community (on it, above it, or on one of its buildings). */
async function currentRound(community) {
  const over = new Set([...community.ancestors.map((a) => a.id), community.id, ...community.children.map((c) => c.id)]);
  const { rounds } = await api.get('/rounds', { status: 'active', limit: 100 });
  return rounds.find((r) => r.place_ids.some((id) => over.has(id))) || null;
}

/** How a cell looks by zone: {cls, label, extra}. */
function zoneLook(level, place) {
  return {
    cls: `grid-${level || 'none'}`,
    label: t('grid.cell', { place, level: level ? levelLabel(level) : t('grid.none') }),
    extra: level ? levelLabel(level) : null,
    data: { level: level || 'none' },
  };
}

/** How a cell looks by share sampled. */
function shareLook(counts, place) {
  const share = shareOf(counts);
  const pct = counts && counts.expected ? percent(counts.sampled, counts.expected) : '';
  return {
    cls: `grid-share-${share}`,
    label: counts && counts.expected ? t('grid.shareCell', { place, sampled: counts.sampled, expected: counts.expected, pct }) : t('grid.shareCellEmpty', { place }),
    extra: pct || null,
    data: { share, sampled: String(counts ? counts.sampled : 0), expected: String(counts ? counts.expected : 0) },
  };
}

function cell(u, b, look) {
  return h(
    'a',
    {
      class: `grid-cell ${look.cls}`,
      href: `#/places/${u.id}`,
      title: look.label,
      'aria-label': look.label,
      dataset: { testid: 'grid-cell', placeId: String(u.id), ...look.data },
    },
    h('span', { class: 'grid-unit' }, u === b ? kindLabel(b.kind) : u.name),
    look.extra ? h('span', { class: 'grid-level' }, look.extra) : null,
  );
}

/** Counts per place of the round's coverage of each building: the building and its units. */
async function coverageOf(round, buildings) {
  const counts = new Map();
  const all = await Promise.all(buildings.map((b) => api.get(`/rounds/${round.id}/coverage`, { place_id: b.id })));
  for (const c of all) {
    counts.set(c.place_id, c);
    for (const ch of c.children) counts.set(ch.place_id, ch);
  }
  return counts;
}

/**
 * Draws the grid of the community `communityId`, with its legend: coloured by `zones` (those in
 * force), or with `by: 'sampled'` by the share sampled in the current round.
 */
export async function drawGrid(el, communityId, zones, { by = 'zone' } = {}) {
  if (!el.childElementCount) mount(el, loading());
  // The grid of the latest call wins: a toggle while an earlier one still loads.
  const draw = String(Number(el.dataset.draw || 0) + 1);
  el.dataset.draw = draw;
  let community;
  let buildings;
  let round = null;
  let counts = null;
  try {
    community = await placeById(communityId);
    if (!community) throw new Error(t('err.unknown_place'));
    const children = community.children.filter((c) => c.kind === 'building');
    buildings = (await Promise.all(children.map((b) => placeById(b.id)))).filter(Boolean);
    if (by === 'sampled') {
      round = await currentRound(community);
      if (!round) return el.dataset.draw === draw ? mount(el, notice(t('grid.noRound'), 'info')) : null;
      counts = await coverageOf(round, buildings);
    }
  } catch (err) {
    return el.dataset.draw === draw ? mount(el, errorBox(err)) : null;
  }
  if (el.dataset.draw !== draw) return null;
  const byPlace = new Map();
  for (const z of zones) if (!z.lifted_at) byPlace.set(z.place_id, stricter(byPlace.get(z.place_id), z.level));
  // Zones over the community or above colour every cell.
  const above = [...community.ancestors.map((a) => a.id), community.id].reduce((lvl, id) => stricter(lvl, byPlace.get(id)), null);

  const rows = buildings.map((b) => {
    const overBuilding = stricter(above, byPlace.get(b.id));
    const units = b.children.filter((u) => u.kind === 'unit');
    const cells = units.length ? units : [b]; // a building without units is one cell
    const building = by === 'sampled' ? `grid-share-${shareOf(counts.get(b.id))}` : `grid-${overBuilding || 'none'}`;
    return h(
      'div',
      { class: 'grid-row', dataset: { testid: 'grid-row', placeId: String(b.id) } },
      h('a', { class: `grid-building ${building}`, href: `#/places/${b.id}` }, b.name),
      h(
        'div',
        { class: 'grid-cells' },
        cells.map((u) => {
          const place = `${b.name} ${u === b ? '' : u.name}`.trim();
          if (by === 'sampled') return cell(u, b, shareLook(counts.get(u.id), place));
          return cell(u, b, zoneLook(u === b ? overBuilding : stricter(overBuilding, byPlace.get(u.id)), place));
        }),
      ),
    );
  });
  mount(
    el,
    by === 'sampled' ? shareLegend(round) : gridLegend(),
    h('div', { class: 'zone-grid', dataset: { testid: 'zone-grid', placeId: String(communityId), by } }, rows),
  );
}
