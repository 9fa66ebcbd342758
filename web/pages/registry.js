// The registry browser.
//
//   #/places            the user's top places (their scope, or every district); a user with a
//                       single top place goes straight into it
//   #/places/ID         one place: breadcrumb, the places inside it, and its residents
//   #/places?q=TEXT     residents found by ID number or name prefix, anywhere in the user's places

import { h, mount } from '../dom.js';
import { t, lang } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../roles.js';
import { loading, errorBox, kindLabel, tagChips } from '../ui.js';

const PAGE_SIZE = 50;

let topCache = { user: null, places: null };

async function topPlaces(user) {
  if (topCache.user !== user.username || !topCache.places) {
    const { places } = await api.get('/places');
    topCache = { user: user.username, places };
  }
  return topCache.places;
}

function collator() {
  return new Intl.Collator(lang() === 'zh' ? 'zh-CN' : 'en', { numeric: true });
}

export async function render(view, ctx) {
  const q = (ctx.query.get('q') || '').trim();
  const id = ctx.params.id;

  const body = h('div', { class: 'registry-body' });
  mount(view, searchForm(ctx, q), body);

  if (q) return renderSearch(body, ctx, q);
  if (id) return renderPlace(body, ctx, id);
  return renderTop(body, ctx);
}

// ---------------------------------------------------------------------------------------------
// Search

function searchForm(ctx, q) {
  const input = h('input', {
    id: 'resident-search',
    type: 'search',
    name: 'q',
    value: q,
    placeholder: t('search.placeholder'),
    autocomplete: 'off',
    enterkeyhint: 'search',
    dataset: { testid: 'search-input' },
  });
  const form = h(
    'form',
    { class: 'search', role: 'search', dataset: { testid: 'search-form' } },
    h('label', { for: 'resident-search', class: 'visually-hidden' }, t('search.label')),
    input,
    h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'search-submit' } }, t('search.submit')),
    q
      ? h('a', { class: 'btn btn-ghost', href: '#/places', dataset: { testid: 'search-clear' } }, t('search.clear'))
      : null,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = input.value.trim();
    ctx.navigate(v ? `#/places?q=${encodeURIComponent(v)}` : '#/places');
  });
  return form;
}

async function renderSearch(body, ctx, q) {
  if (!can(ctx.user, 'read_residents')) {
    return mount(body, h('p', { class: 'muted' }, t('registry.noResidentAccess')));
  }
  const section = h('section', { class: 'section' });
  mount(body, h('h1', { class: 'page-title' }, t('search.results', { q })), section);
  residentList(section, { q }, t('search.none', { q }));
}

// ---------------------------------------------------------------------------------------------
// Top places

async function renderTop(body, ctx) {
  mount(body, loading());
  let places;
  try {
    places = await topPlaces(ctx.user);
  } catch (err) {
    return mount(body, errorBox(err, () => renderTop(body, ctx)));
  }
  // Gone meanwhile (the user moved on): a late answer must not pull them back.
  if (!body.isConnected) return undefined;
  if (places.length === 1) return ctx.navigate(`#/places/${places[0].id}`, { replace: true });
  mount(
    body,
    h('nav', { class: 'breadcrumb', 'aria-label': 'breadcrumb', dataset: { testid: 'breadcrumb' } },
      h('ol', null, h('li', { 'aria-current': 'page' }, t('registry.home')))),
    h('h1', { class: 'page-title' }, t('registry.topPlaces')),
    places.length ? placeGrid(places) : h('p', { class: 'muted' }, t('registry.noPlaces')),
  );
}

// ---------------------------------------------------------------------------------------------
// One place

async function renderPlace(body, ctx, id) {
  mount(body, loading());
  let place;
  let crumbs;
  try {
    place = await api.get(`/places/${id}`);
    crumbs = await breadcrumb(ctx.user, place);
  } catch (err) {
    return mount(body, errorBox(err, () => renderPlace(body, ctx, id)));
  }

  const children = [...place.children].sort((a, b) => collator().compare(a.name, b.name));
  const residents = h('section', { class: 'section', dataset: { testid: 'residents' } });
  mount(
    body,
    crumbs,
    h(
      'div',
      { class: 'place-head' },
      h('h1', { class: 'page-title', dataset: { testid: 'place-name' } }, place.name),
      h('span', { class: `badge badge-${place.kind}` }, kindLabel(place.kind)),
    ),
    children.length
      ? h(
          'section',
          { class: 'section' },
          h('h2', null, t('registry.children', { name: place.name }), h('span', { class: 'count' }, String(children.length))),
          placeGrid(children),
        )
      : null,
    residents,
  );

  if (!can(ctx.user, 'read_residents')) {
    return mount(residents, h('p', { class: 'muted' }, t('registry.noResidentAccess')));
  }
  residents.append(h('h2', null, t('registry.residentsIn', { name: place.name })));
  const list = h('div');
  residents.append(list);
  residentList(list, { place_id: place.id }, t('registry.noResidents'), place.path);
}

/**
 * Home › district › street › … › this place, from the place's `ancestors` (the district first,
 * only those within the user's places): no request beyond the place itself.
 */
async function breadcrumb(user, place) {
  const tops = await topPlaces(user);
  const items = [];
  if (tops.length > 1 || !tops.some((p) => place.path === p.path || place.path.startsWith(`${p.path}/`))) {
    items.push({ href: '#/places', name: t('registry.home') });
  }
  for (const p of place.ancestors || []) {
    items.push({ href: `#/places/${p.id}`, name: p.name });
  }
  items.push({ name: place.name });
  // A lone crumb would only repeat the heading below it.
  if (items.length === 1) return null;
  return h(
    'nav',
    { class: 'breadcrumb', 'aria-label': 'breadcrumb', dataset: { testid: 'breadcrumb' } },
    h(
      'ol',
      null,
      items.map((it) =>
        h('li', { 'aria-current': it.href ? null : 'page' }, it.href ? h('a', { href: it.href }, it.name) : it.name),
      ),
    ),
  );
}

function placeGrid(places) {
  return h(
    'ul',
    { class: 'place-grid', dataset: { testid: 'places' } },
    places.map((p) =>
      h(
        'li',
        null,
        h(
          'a',
          { class: 'place-card', href: `#/places/${p.id}`, dataset: { testid: 'place', kind: p.kind } },
          h('span', { class: 'place-name' }, p.name),
          h('span', { class: 'place-kind' }, kindLabel(p.kind)),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Residents, a page at a time

/**
 * Fills container with residents matching query (`place_id` or `q`), PAGE_SIZE at a time.
 * Inside a place, addresses are shown from below that place (`base`, its path).
 */
function residentList(container, query, emptyText, base) {
  const table = h(
    'table',
    { class: 'table residents-table', dataset: { testid: 'resident-table' } },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, t('col.name')),
        h('th', { scope: 'col' }, t('col.idNumber')),
        h('th', { scope: 'col' }, t('col.phone')),
        h('th', { scope: 'col' }, t('col.address')),
      ),
    ),
  );
  const tbody = h('tbody');
  table.append(tbody);
  const footer = h('div', { class: 'list-footer' });
  let shown = 0;
  let cursor = null;

  async function loadPage() {
    mount(footer, loading());
    let page;
    try {
      page = await api.get('/residents', { ...query, limit: PAGE_SIZE, cursor });
    } catch (err) {
      return mount(footer, errorBox(err, loadPage));
    }
    if (shown === 0 && page.residents.length === 0) {
      return mount(container, h('p', { class: 'muted empty', dataset: { testid: 'no-residents' } }, emptyText));
    }
    if (shown === 0) mount(container, h('div', { class: 'table-wrap' }, table), footer);
    for (const r of page.residents) tbody.append(residentRow(r, base));
    shown += page.residents.length;
    cursor = page.next_cursor;
    if (cursor) {
      mount(
        footer,
        h('span', { class: 'muted', dataset: { testid: 'shown-count' } }, t('registry.shown', { n: shown })),
        h('button', { type: 'button', class: 'btn', onclick: loadPage, dataset: { testid: 'load-more' } }, t('registry.loadMore')),
      );
    } else {
      mount(footer, h('span', { class: 'muted', dataset: { testid: 'shown-count' } }, t('registry.allShown', { n: shown })));
    }
  }

  mount(container, loading());
  return loadPage();
}

function shortAddress(address, base) {
  if (base && address.startsWith(`${base}/`)) return address.slice(base.length + 1);
  return address;
}

function residentRow(r, base) {
  return h(
    'tr',
    { dataset: { testid: 'resident-row' } },
    h(
      'td',
      { class: 'cell-name', 'data-label': t('col.name') },
      h('a', { href: `#/residents/${r.id}`, dataset: { testid: 'resident-link' } }, r.name),
      tagChips(r.tags),
    ),
    h('td', { class: 'cell-id mono', 'data-label': t('col.idNumber') }, r.id_number_masked),
    h('td', { class: 'cell-phone mono', 'data-label': t('col.phone') }, r.phone || t('common.none')),
    h('td', { class: 'cell-address', 'data-label': t('col.address'), title: r.address }, shortAddress(r.address, base)),
  );
}
