// The shell: header, navigation, and a router on location.hash.
//
// A page is a module exporting render(view, ctx): it fills `view` (a fresh element, detached
// as soon as the route changes, so late answers land nowhere) and may be async. ctx carries
// the route's params and query, the signed-in user, navigate(), and `rerender` (true when the
// same route is drawn again, e.g. after a language switch, so a page may keep what it showed).
//
// To add a page: write web/pages/NAME.js, add a ROUTES entry, and (if it belongs in the menu)
// a NAV entry naming the permission it needs (web/roles.js). A route with `isPublic(params, query)` is
// drawn without signing in when that returns true (a resident's own status page).

import { h, mount } from './dom.js';
import { t, setLang, otherLang, onLangChange, applyDocumentLang } from './i18n.js';
import { session, logout, onUnauthorized } from './api.js';
import { can, homeOf } from './roles.js';
import * as loginPage from './pages/login.js';
import * as registryPage from './pages/registry.js';
import * as residentPage from './pages/resident.js';
import * as importPage from './pages/import.js';
import * as samplingPage from './pages/sampling.js';
import * as tubesPage from './pages/tubes.js';
import * as transportPage from './pages/transport.js';
import * as labPage from './pages/lab.js';
import * as roundsPage from './pages/rounds.js';
import * as incidentsPage from './pages/incidents.js';
import * as zonesPage from './pages/zones.js';
import * as statusPage from './pages/status.js';
import * as advisorPage from './pages/advisor.js';
import * as queuePage from './pages/queue.js';
import * as gatePage from './pages/gate.js';
import * as stockPage from './pages/stock.js';
import * as requestsPage from './pages/requests.js';
import * as staffPage from './pages/staff.js';
import * as dashboardPage from './pages/dashboard.js';

/** The menu, in order. `needs` is a permission from roles.js. */
const NAV = [
  { id: 'dashboard', href: '#/dashboard', label: 'nav.dashboard', needs: 'read_incidents' },
  { id: 'sampling', href: '#/sampling', label: 'nav.sampling', needs: 'sample' },
  { id: 'gate', href: '#/gate', label: 'nav.gate', needs: 'gate_scan' },
  { id: 'transport', href: '#/boxes', label: 'nav.transport', needs: 'transport' },
  { id: 'lab', href: '#/lab/receive', label: 'nav.lab', needs: 'lab' },
  { id: 'registry', href: '#/places', label: 'nav.registry', needs: 'read_places' },
  { id: 'rounds', href: '#/rounds', label: 'nav.rounds', needs: 'read_coverage' },
  { id: 'incidents', href: '#/incidents', label: 'nav.incidents', needs: 'read_incidents' },
  { id: 'zones', href: '#/zones', label: 'nav.zones', needs: 'read_incidents' },
  { id: 'requests', href: '#/requests', label: 'nav.requests', needs: 'read_requests' },
  { id: 'staff', href: '#/staff', label: 'nav.staff', needs: 'read_staff' },
  { id: 'status', href: '#/status', label: 'nav.status', needs: 'read_status' },
  { id: 'queue', href: '#/queue', label: 'nav.queue', needs: 'read_places' },
  { id: 'tubes', href: '#/tubes', label: 'nav.tubes', needs: 'read_tubes' },
  { id: 'stock', href: '#/stock', label: 'nav.stock', needs: 'manage_sites' },
  { id: 'import', href: '#/import', label: 'nav.import', needs: 'write_registry' },
];

/** Hash routes: `pattern` is matched against the hash without "#/" and the query. */
const ROUTES = [
  { pattern: /^dashboard$/, page: dashboardPage, nav: 'dashboard', needs: 'read_incidents' },
  { pattern: /^places(?:\/(?<id>\d+))?$/, page: registryPage, nav: 'registry', needs: 'read_places' },
  { pattern: /^residents\/(?<id>\d+)$/, page: residentPage, nav: 'registry', needs: 'read_residents' },
  { pattern: /^import$/, page: importPage, nav: 'import', needs: 'write_registry' },
  { pattern: /^sampling$/, page: samplingPage, nav: 'sampling', needs: 'sample' },
  { pattern: /^gate$/, page: gatePage, nav: 'gate', needs: 'gate_scan' },
  { pattern: /^stock$/, page: stockPage, nav: 'stock', needs: 'manage_sites' },
  { pattern: /^tubes(?:\/(?<barcode>[^/]+))?$/, page: tubesPage, nav: 'tubes', needs: 'read_tubes' },
  { pattern: /^boxes$/, page: transportPage, nav: 'transport', needs: 'transport' },
  { pattern: /^lab(?:\/(?<tab>receive|discrepancies|results))?$/, page: labPage, nav: 'lab', needs: 'lab' },
  { pattern: /^rounds(?:\/(?<id>\d+))?$/, page: roundsPage, nav: 'rounds', needs: 'read_coverage' },
  { pattern: /^incidents(?:\/(?<id>\d+))?$/, page: incidentsPage, nav: 'incidents', needs: 'read_incidents' },
  { pattern: /^zones$/, page: zonesPage, nav: 'zones', needs: 'read_incidents' },
  { pattern: /^requests$/, page: requestsPage, nav: 'requests', needs: 'read_requests' },
  { pattern: /^staff$/, page: staffPage, nav: 'staff', needs: 'read_staff' },
  { pattern: /^rounds\/(?<id>\d+)\/advisor$/, page: advisorPage, nav: 'rounds', needs: 'read_coverage' },
  // The queue board is public: residents open it without signing in.
  { pattern: /^queue$/, page: queuePage, nav: 'queue', needs: 'read_places', isPublic: () => true },
  {
    pattern: /^status(?:\/(?<person>[^/]+))?$/,
    page: statusPage,
    nav: 'status',
    needs: 'read_status',
    isPublic: (params, query) => !params.person && query.has('code'),
  },
];

const headerEl = document.getElementById('app-header');
const navEl = document.getElementById('app-nav');
const mainEl = document.getElementById('app-main');

let flash = null; // a message for the login page (session ended, signed out)
let returnTo = null; // where to go back after signing in again
let lastHash = null;
let routesShown = 0; // pages drawn in this tab: more than one means history.back() stays in the app

export function navigate(hash, { replace = false } = {}) {
  const target = hash.startsWith('#') ? hash : `#${hash}`;
  if (location.hash === target) {
    route();
  } else if (replace) {
    history.replaceState(null, '', target);
    route();
  } else {
    location.hash = target;
  }
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const qAt = raw.indexOf('?');
  const path = qAt < 0 ? raw : raw.slice(0, qAt);
  const query = new URLSearchParams(qAt < 0 ? '' : raw.slice(qAt + 1));
  return { path: decodeURIComponent(path), query };
}

/** The user's first page: their role's own (roles.js), else the registry, else the first menu page they may open. */
function homeHash(user) {
  const own = NAV.find((n) => n.id === homeOf(user) && can(user, n.needs));
  const item = own || NAV.find((n) => n.id === 'registry' && can(user, n.needs)) || NAV.find((n) => can(user, n.needs));
  return item ? item.href : '#/places';
}

/** The public route this path and query name, if any: drawn for anyone, signed in or not. */
function publicRoute(path, query) {
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (m && r.isPublic && r.isPublic(m.groups || {}, query)) return { route: r, params: m.groups || {} };
  }
  return null;
}

function route() {
  const s = session();
  const { path, query } = parseHash();
  const rerender = location.hash === lastHash;
  lastHash = location.hash;

  const pub = publicRoute(path, query);
  if (pub) {
    drawHeader(s ? s.user : null);
    drawNav(s ? s.user : null, s ? pub.route.nav : null);
    return show(pub.route.page, { params: pub.params, query, user: s ? s.user : null, rerender, isPublic: true });
  }

  if (!s) {
    if (path !== 'login') {
      if (path) returnTo = location.hash;
      history.replaceState(null, '', '#/login');
      lastHash = location.hash;
    }
    drawHeader(null);
    drawNav(null, null);
    return show(loginPage, { params: {}, query, user: null, rerender, flash: takeFlash(), onLogin });
  }
  if (path === 'login' || path === '') {
    return navigate(homeHash(s.user), { replace: true });
  }

  drawHeader(s.user);
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    drawNav(s.user, r.nav);
    if (!can(s.user, r.needs)) return showMessage(t('forbidden.page'));
    return show(r.page, { params: m.groups || {}, query, user: s.user, rerender });
  }
  drawNav(s.user, null);
  showMessage(t('notFound.body'), t('notFound.title'));
}

function show(page, ctx) {
  const view = h('div', { class: 'view' });
  mount(mainEl, view);
  if (!ctx.rerender) window.scrollTo(0, 0);
  if (!ctx.rerender && page !== loginPage) routesShown += 1;
  Promise.resolve(page.render(view, { ...ctx, navigate, cameFromApp: routesShown > 1 })).catch((e) => {
    console.error(e);
  });
}

function showMessage(body, title) {
  mount(mainEl, h('div', { class: 'view' }, title ? h('h1', null, title) : null, h('p', { class: 'muted' }, body)));
}

function takeFlash() {
  const f = flash;
  flash = null;
  return f;
}

function onLogin() {
  const s = session();
  const target = returnTo || homeHash(s && s.user);
  returnTo = null;
  routesShown = 0;
  navigate(target, { replace: true });
}

// ---------------------------------------------------------------------------------------------
// Header and menu

function langToggle() {
  return h(
    'button',
    {
      type: 'button',
      class: 'btn btn-ghost lang-toggle',
      title: t('lang.toggle.title'),
      lang: otherLang() === 'zh' ? 'zh-CN' : 'en',
      dataset: { testid: 'lang-toggle' },
      onclick: () => setLang(otherLang()),
    },
    t('lang.toggle'),
  );
}

function drawHeader(user) {
  const brand = h(
    'a',
    { class: 'brand', href: user ? homeHash(user) : '#/login' },
    h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '+'),
    h('span', { class: 'brand-name' }, t('app.name')),
    h('span', { class: 'brand-tagline' }, t('app.tagline')),
  );
  const chip = user
    ? h(
        'div',
        { class: 'user-chip', dataset: { testid: 'user' }, title: user.scope || t('header.scope.all') },
        h('span', { class: 'user-name', dataset: { testid: 'user-name' } }, user.username),
        h('span', { class: 'user-role', dataset: { testid: 'user-role' } }, t(`role.${user.role}`)),
        h('span', { class: 'user-scope', dataset: { testid: 'user-scope' } }, scopeLabel(user.scope)),
      )
    : null;
  const actions = h(
    'div',
    { class: 'header-actions' },
    langToggle(),
    user
      ? h('button', { type: 'button', class: 'btn btn-ghost', dataset: { testid: 'logout' }, onclick: doLogout }, t('header.logout'))
      : null,
  );
  mount(headerEl, h('div', { class: 'header-inner' }, brand, chip, actions));
}

/** "朝阳区/和平街街道/小黄庄社区" → "小黄庄社区", with the whole path as a tooltip. */
function scopeLabel(scope) {
  if (!scope) return t('header.scope.all');
  const parts = scope.split('/');
  return parts[parts.length - 1];
}

function drawNav(user, active) {
  if (!user) {
    navEl.hidden = true;
    return mount(navEl);
  }
  navEl.hidden = false;
  const items = NAV.filter((n) => can(user, n.needs)).map((n) =>
    h(
      'a',
      {
        href: n.href,
        class: n.id === active ? 'nav-link active' : 'nav-link',
        'aria-current': n.id === active ? 'page' : null,
        dataset: { testid: `nav-${n.id}` },
      },
      t(n.label),
    ),
  );
  mount(navEl, h('div', { class: 'nav-inner', role: 'navigation', 'aria-label': t('nav.label') }, items));
}

let loggingOut = false;

/** Ends the session on the server (DELETE /sessions), then forgets the token here. */
async function doLogout(ev) {
  if (loggingOut) return;
  loggingOut = true;
  const btn = ev && ev.currentTarget;
  if (btn) btn.disabled = true;
  try {
    await logout();
  } finally {
    loggingOut = false;
  }
  flash = { key: 'login.loggedOut', kind: 'info' };
  returnTo = null;
  navigate('#/login');
}

// ---------------------------------------------------------------------------------------------

onUnauthorized(() => {
  if (!returnTo && !location.hash.startsWith('#/login')) returnTo = location.hash;
  flash = { key: 'login.expired', kind: 'warning' };
  navigate('#/login', { replace: true });
});

onLangChange(() => {
  lastHash = location.hash;
  route();
});

window.addEventListener('hashchange', route);
applyDocumentLang();
route();

// The service worker keeps the app's own files for a reload with no network (web/sw.js); the
// API always goes to the network. Browsers allow it over HTTPS and on localhost only.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch((e) => console.warn('service worker not registered:', e));
  });
}
