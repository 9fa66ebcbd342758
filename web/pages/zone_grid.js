// The community's building grid: a row per building, a cell per unit, each cell in the colour
// of the strictest zone in force over it — on the unit itself, its building, the community or
// anything above. Composed from GET /places/{id} (the community's buildings, each building's
// units) and the zones in force the page has read.

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { loading, errorBox, kindLabel } from '../ui.js';
import { LEVELS, levelLabel, placeById, stricter } from '../outbreak.js';

/** The colours' legend: one swatch per level, and "no zone". */
export function gridLegend() {
  const item = (level) =>
    h('span', { class: 'legend-item' }, h('span', { class: `legend-swatch grid-${level || 'none'}` }), level ? levelLabel(level) : t('grid.none'));
  return h('div', { class: 'legend grid-legend', dataset: { testid: 'grid-legend' } }, LEVELS.map(item), item(null));
}

/** Draws the grid of the community `communityId` coloured by `zones` (those in force). */
export async function drawGrid(el, communityId, zones) {
  if (!el.childElementCount) mount(el, loading());
  let community;
  let buildings;
  try {
    community = await placeById(communityId);
    if (!community) throw new Error(t('err.unknown_place'));
    const children = community.children.filter((c) => c.kind === 'building');
    buildings = await Promise.all(children.map((b) => placeById(b.id)));
  } catch (err) {
    return mount(el, errorBox(err));
  }
  const byPlace = new Map();
  for (const z of zones) if (!z.lifted_at) byPlace.set(z.place_id, stricter(byPlace.get(z.place_id), z.level));
  // Zones over the community or above colour every cell.
  const above = [...community.ancestors.map((a) => a.id), community.id].reduce((lvl, id) => stricter(lvl, byPlace.get(id)), null);

  const rows = buildings.filter(Boolean).map((b) => {
    const overBuilding = stricter(above, byPlace.get(b.id));
    const units = b.children.filter((u) => u.kind === 'unit');
    const cells = units.length ? units : [b]; // a building without units is one cell
    return h(
      'div',
      { class: 'grid-row', dataset: { testid: 'grid-row', placeId: String(b.id) } },
      h('a', { class: `grid-building grid-${overBuilding || 'none'}`, href: `#/places/${b.id}` }, b.name),
      h(
        'div',
        { class: 'grid-cells' },
        cells.map((u) => {
          const level = u === b ? overBuilding : stricter(overBuilding, byPlace.get(u.id));
          const label = t('grid.cell', { place: `${b.name} ${u === b ? '' : u.name}`.trim(), level: level ? levelLabel(level) : t('grid.none') });
          return h(
            'a',
            {
              class: `grid-cell grid-${level || 'none'}`,
              href: `#/places/${u.id}`,
              title: label,
              'aria-label': label,
              dataset: { testid: 'grid-cell', placeId: String(u.id), level: level || 'none' },
            },
            h('span', { class: 'grid-unit' }, u === b ? kindLabel(b.kind) : u.name),
            level ? h('span', { class: 'grid-level' }, levelLabel(level)) : null,
          );
        }),
      ),
    );
  });
  mount(el, h('div', { class: 'zone-grid', dataset: { testid: 'zone-grid', placeId: String(communityId) } }, rows));
}
