// The live dashboard: today's samples per hour by community, turnaround, positives, open
// incidents, zones, overdue tasks and requests, kept current by the event stream.
//
//   #/dashboard   GET /api/v1/dashboard first, then GET /api/v1/events (server-sent events)
//
// An EventSource cannot send the Authorization header, so each connection first asks
// POST /api/v1/events/ticket for a one-use ticket (the session token never goes in a URL).
// A spent ticket cannot serve the browser's own reconnection: when the stream ends, a new
// ticket opens a new one with ?last_event_id=, and the server resumes after it (or sends
// `reset`, and the page reloads its snapshot).

import { h, mount } from '../dom.js';
import { t, onLangChange } from '../i18n.js';
import { api, withQuery } from '../api.js';
import { loading, errorBox, fmtTime, fmtHours } from '../ui.js';

const HOUR_MS = 3600 * 1000;
const RECONNECT_MS = 3000;
const RELOAD_DEBOUNCE_MS = 1500;
const RECENT_MAX = 12;
const EVENT_TYPES = [
  'samples', 'tubes_sealed', 'results', 'incident_opened', 'incident_closed', 'zone_started',
  'zone_lifted', 'task_overdue', 'task_done', 'request_opened', 'request_closed',
];
const COLORS = ['#0b4f8a', '#c0392b', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#2c3e50', '#b7950b'];

let uPlotModule; // loaded once, on first use (web/vendor/, made by scripts/vendor-web)

async function loadUPlot() {
  if (uPlotModule !== undefined) return uPlotModule;
  try {
    uPlotModule = (await import('../vendor/uplot/uPlot.esm.js')).default;
    if (!document.querySelector('link[data-uplot]')) {
      document.head.append(h('link', { rel: 'stylesheet', href: '/vendor/uplot/uPlot.min.css', dataset: { uplot: '1' } }));
    }
  } catch {
    uPlotModule = null; // no chart, the table still shows the numbers
  }
  return uPlotModule;
}

export async function render(view, ctx) {
  const board = new Board(view);
  mount(view, loading());
  await board.start();
  const stop = onLangChange(() => board.draw());
  const watch = setInterval(() => {
    if (!view.isConnected) {
      clearInterval(watch);
      stop();
      board.close();
    }
  }, 1000);
  void ctx;
}

class Board {
  constructor(view) {
    this.view = view;
    this.snapshot = null;
    this.lastId = null;
    this.source = null;
    this.state = 'connecting';
    this.recent = [];
    this.closed = false;
    this.reloadTimer = null;
    this.chart = null;
  }

  async start() {
    this.uPlot = await loadUPlot();
    try {
      await this.load();
    } catch (err) {
      mount(this.view, errorBox(err, () => this.start()));
      return;
    }
    this.connect();
  }

  async load() {
    this.snapshot = await api.get('/dashboard');
    this.lastId = this.snapshot.last_event_id;
    this.draw();
  }

  async connect() {
    if (this.closed) return;
    this.setState(this.state === 'live' ? 'reconnecting' : this.state);
    let ticket;
    try {
      ({ ticket } = await api.post('/events/ticket', { idempotent: false }));
    } catch {
      return this.retryLater();
    }
    if (this.closed) return;
    const es = new EventSource(withQuery('/api/v1/events', { ticket, last_event_id: this.lastId }));
    this.source = es;
    es.addEventListener('open', () => this.setState('live'));
    for (const type of EVENT_TYPES) es.addEventListener(type, (e) => this.onEvent(type, e));
    es.addEventListener('reset', (e) => {
      this.lastId = e.lastEventId || this.lastId;
      this.scheduleReload(0);
    });
    es.addEventListener('error', () => {
      // The browser's own retry would present the spent ticket: open a new stream instead.
      es.close();
      if (this.source === es) this.retryLater();
    });
  }

  retryLater() {
    if (this.closed) return;
    this.setState('reconnecting');
    setTimeout(() => this.connect(), RECONNECT_MS);
  }

  close() {
    this.closed = true;
    if (this.source) this.source.close();
    if (this.chart) this.chart.destroy();
  }

  setState(state) {
    this.state = state;
    const el = this.view.querySelector('[data-testid="dashboard-live"]');
    if (el) {
      el.textContent = t(`dashboard.${state}`);
      el.className = `live-badge live-${state}`;
    }
  }

  onEvent(type, e) {
    if (e.lastEventId) this.lastId = e.lastEventId;
    let data;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    this.recent.unshift({ type, data });
    this.recent.length = Math.min(this.recent.length, RECENT_MAX);
    if (type === 'samples') this.addSamples(data);
    else if (type === 'results') this.addResults(data);
    // Everything else changes lists and counts the snapshot computes: fetch it again, once
    // per burst.
    else if (type !== 'tubes_sealed') this.scheduleReload(RELOAD_DEBOUNCE_MS);
    this.requestDraw();
  }

  /** Draws once per frame however many events a burst brings. */
  requestDraw() {
    if (this.drawQueued) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      this.draw();
    });
  }

  addSamples(data) {
    const s = this.snapshot;
    const community = s.communities.find((c) => c.id === (data.community_id ?? data.place_id));
    if (!community) return this.scheduleReload(RELOAD_DEBOUNCE_MS); // a community new today
    const hour = Math.floor((Date.parse(data.at) - Date.parse(s.day_start)) / HOUR_MS);
    if (hour >= 0 && hour < 24) community.samples_by_hour[hour] += data.count;
    community.samples += data.count;
    s.samples += data.count;
  }

  addResults(data) {
    this.snapshot.positives += data.positives;
    const community = this.snapshot.communities.find((c) => c.id === data.community_id);
    if (community) community.positives += data.positives;
    this.scheduleReload(RELOAD_DEBOUNCE_MS * 4); // turnaround is computed by the server
  }

  scheduleReload(ms) {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(async () => {
      if (this.closed || !this.view.isConnected) return;
      try {
        const next = await api.get('/dashboard');
        this.snapshot = next;
        this.draw();
      } catch {
        // Keep what is shown; the next event tries again.
      }
    }, ms);
  }

  draw() {
    const s = this.snapshot;
    if (!s || this.closed) return;
    const live = h('span', { class: `live-badge live-${this.state}`, dataset: { testid: 'dashboard-live' }, role: 'status' }, t(`dashboard.${this.state}`));
    const header = h(
      'div',
      { class: 'page-header dashboard-header' },
      h('h1', { class: 'page-title' }, t('dashboard.title')),
      live,
      h('span', { class: 'muted' }, t('dashboard.updated', { time: fmtTime(new Date().toISOString(), { short: true }) })),
    );
    const ta = s.turnaround_hours;
    const tiles = h(
      'div',
      { class: 'dashboard-tiles' },
      tile('samples', t('dashboard.samples'), String(s.samples)),
      tile('positives', t('dashboard.positives'), String(s.positives), s.positives > 0 ? 'alert' : ''),
      tile('turnaround', t('dashboard.turnaround'), t('dashboard.turnaroundValue', { p50: fmtHours(ta.p50), p90: fmtHours(ta.p90), p99: fmtHours(ta.p99) })),
      tile('incidents', t('dashboard.incidents'), String(s.open_incidents_total), s.open_incidents_total > 0 ? 'alert' : ''),
      tile('zones', t('dashboard.zones'), String(s.zones_in_force), '', t('dashboard.zonesSealed', { n: s.zones_sealed })),
      tile('tasks', t('dashboard.tasks'), String(s.overdue_tasks), s.overdue_tasks > 0 ? 'warn' : ''),
      tile('requests', t('dashboard.requests'), String(s.open_requests), '', t('dashboard.requestsOverdue', { n: s.overdue_requests })),
    );
    const chartBox = h('div', { class: 'dashboard-chart', dataset: { testid: 'dashboard-chart' } });
    const chartCard = h('section', { class: 'card dashboard-card' }, h('h2', null, t('dashboard.chart')), chartBox, communityTable(s));
    const side = h(
      'div',
      { class: 'dashboard-side' },
      h('section', { class: 'card dashboard-card' }, h('h2', null, t('dashboard.incidents')), incidentList(s)),
      h('section', { class: 'card dashboard-card' }, h('h2', null, t('dashboard.recent')), recentList(this.recent)),
    );
    if (this.chart) {
      this.chart.destroy();
      this.chart = null;
    }
    mount(this.view, header, tiles, h('div', { class: 'dashboard-body' }, chartCard, side));
    this.drawChart(chartBox, s);
  }

  drawChart(box, s) {
    if (!this.uPlot || s.communities.length === 0) return;
    const start = Date.parse(s.day_start) / 1000;
    const xs = Array.from({ length: 24 }, (_, i) => start + i * 3600);
    const width = Math.max(240, box.clientWidth || this.view.clientWidth - 32);
    const opts = {
      width,
      height: width < 500 ? 200 : 260,
      series: [{}, ...s.communities.map((c, i) => ({ label: c.name, stroke: COLORS[i % COLORS.length], width: 2, points: { show: false } }))],
      axes: [{ values: (u, ticks) => ticks.map((v) => `${new Date(v * 1000).getHours()}:00`) }, {}],
      scales: { x: { time: true } },
      legend: { show: true },
    };
    this.chart = new this.uPlot(opts, [xs, ...s.communities.map((c) => c.samples_by_hour)], box);
  }
}

function tile(id, label, value, tone = '', sub = '') {
  return h(
    'div',
    { class: `dashboard-tile ${tone ? `tile-${tone}` : ''}`, dataset: { testid: `dashboard-${id}` } },
    h('div', { class: 'tile-label' }, label),
    h('div', { class: 'tile-value', dataset: { testid: `dashboard-${id}-value` } }, value),
    sub ? h('div', { class: 'tile-sub muted' }, sub) : null,
  );
}

function communityTable(s) {
  if (s.communities.length === 0) return h('p', { class: 'muted' }, t('dashboard.none'));
  return h(
    'table',
    { class: 'table dashboard-table' },
    h('thead', null, h('tr', null, h('th', null, t('dashboard.community')), h('th', null, t('dashboard.samples')), h('th', null, t('dashboard.positives')))),
    h(
      'tbody',
      null,
      s.communities.map((c) =>
        h(
          'tr',
          { dataset: { testid: 'dashboard-community', community: String(c.id) } },
          h('td', null, c.name),
          h('td', { dataset: { testid: 'dashboard-community-samples' } }, String(c.samples)),
          h('td', null, String(c.positives)),
        ),
      ),
    ),
  );
}

function incidentList(s) {
  if (s.open_incidents.length === 0) return h('p', { class: 'muted' }, t('dashboard.noIncidents'));
  return h(
    'ul',
    { class: 'dashboard-list' },
    s.open_incidents.map((i) =>
      h('li', null, h('a', { href: `#/incidents/${i.id}` }, `#${i.id} ${t(`incident.kind.${i.kind}`)}`), ' ', h('span', { class: 'muted' }, t('dashboard.incidentAge', { age: fmtHours(i.age_hours) }))),
    ),
  );
}

function recentList(recent) {
  if (recent.length === 0) return h('p', { class: 'muted' }, t('dashboard.noEvents'));
  return h(
    'ul',
    { class: 'dashboard-list', dataset: { testid: 'dashboard-recent' } },
    recent.map(({ type, data }) => {
      const id = data.site_id ?? data.incident_id ?? data.zone_id ?? data.task_id ?? data.request_id;
      return h('li', null, h('span', { class: 'muted' }, fmtTime(data.at, { short: true })), ' ', t(`dashboard.event.${type}`, { id, n: data.count, p: data.positives ?? 0 }));
    }),
  );
}
