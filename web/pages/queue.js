// The public queue board: sampling sites with their lanes, the people waiting and the expected
// wait, open sites first and the shortest wait first. No sign-in needed (a resident's phone);
// signed-in staff who may count the queue (community, recorder, admin) get − and + per lane.
//
//   #/queue             every site
//   #/queue?place=ID    the sites in a place's subtree (a street, a community)

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../roles.js';
import { loading, errorBox } from '../ui.js';

const REFRESH_MS = 30_000;

export async function render(view, ctx) {
  const place = (ctx.query.get('place') || '').trim();
  const body = h('div', { class: 'queue-board', dataset: { testid: 'queue-board' } });
  mount(
    view,
    h('h1', { class: 'page-title' }, t('queue.title')),
    h('p', { class: 'hint' }, t('queue.intro')),
    body,
  );
  const staff = Boolean(ctx.user && can(ctx.user, 'count_queue'));
  await draw(body, { place, staff, retry: () => render(view, ctx) });
  const timer = setInterval(() => {
    if (!view.isConnected) return clearInterval(timer);
    draw(body, { place, staff, quiet: true }).catch(() => {});
  }, REFRESH_MS);
}

async function draw(body, { place, staff, retry, quiet = false }) {
  if (!quiet) mount(body, loading());
  let sites;
  try {
    const list = await api.getPublic('/sites', { place_id: place || undefined, limit: 200 });
    sites = await Promise.all(
      list.sites.map(async (s) => ({ ...s, queue: await api.getPublic(`/sites/${s.id}/queue`) })),
    );
  } catch (err) {
    if (!quiet) mount(body, errorBox(err, retry));
    return;
  }
  if (!sites.length) return mount(body, h('p', { class: 'muted', dataset: { testid: 'queue-empty' } }, t('queue.none')));
  sites.sort(byOpenThenWait);
  mount(body, sites.map((s) => siteCard(s, staff)));
}

/** The wait of someone joining the general lane (the last one served), or of the one lane. */
function headlineWait(site) {
  const lanes = site.queue.lanes;
  const last = lanes[lanes.length - 1];
  return last ? last.estimated_wait_minutes : null;
}

export function byOpenThenWait(a, b) {
  if (a.queue.open_now !== b.queue.open_now) return a.queue.open_now ? -1 : 1;
  const wa = headlineWait(a);
  const wb = headlineWait(b);
  if (wa === null || wb === null) return wa === null ? (wb === null ? a.id - b.id : 1) : -1;
  return wa - wb || a.id - b.id;
}

function hoursText(site) {
  if (!site.hours.length) return t('queue.allDay');
  return site.hours.map((s) => `${s.from}–${s.to}`).join(t('queue.hoursSep'));
}

function waitText(minutes) {
  if (minutes === null) return t('queue.waitUnknown');
  if (minutes === 0) return t('queue.waitNone');
  if (minutes < 60) return t('queue.waitMinutes', { n: minutes });
  return t('queue.waitHours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

export function siteCard(site, staff) {
  const q = site.queue;
  const card = h('section', {
    class: `card queue-site${q.open_now ? '' : ' queue-closed'}`,
    dataset: { testid: 'queue-site', siteId: String(site.id) },
  });
  // The lanes' buttons replace the whole card with the answer, so the card exists first.
  return mount(
    card,
    h(
      'div',
      { class: 'queue-site-head' },
      h('h2', { class: 'queue-site-name' }, site.name),
      h(
        'span',
        { class: `badge ${q.open_now ? 'badge-open' : 'badge-closed'}`, dataset: { testid: 'queue-open', open: String(q.open_now) } },
        q.open_now ? t('queue.open') : t('queue.closed'),
      ),
    ),
    h('p', { class: 'queue-address muted' }, site.address),
    h('p', { class: 'queue-hours' }, `${t('queue.hours')}: ${hoursText(site)}`),
    h('div', { class: 'queue-lanes' }, q.lanes.map((l) => laneRow(site, l, staff, card))),
    h('p', { class: 'hint queue-rate' }, rateText(q)),
  );
}

function rateText(q) {
  if (q.rate_source === 'scans') return t('queue.rateScans', { n: q.samples_last_hour });
  if (q.rate_source === 'collectors') return t('queue.rateCollectors', { n: q.collectors });
  return t('queue.rateNone');
}

function laneRow(site, lane, staff, card) {
  const controls = staff
    ? h(
        'div',
        { class: 'queue-controls' },
        countButton(site, lane.lane, -1, card),
        countButton(site, lane.lane, 1, card),
      )
    : null;
  return h(
    'div',
    { class: `queue-lane lane-${lane.lane}`, dataset: { testid: 'queue-lane', lane: lane.lane } },
    h('span', { class: 'queue-lane-name' }, t(`queue.lane.${lane.lane}`)),
    h(
      'span',
      { class: 'queue-waiting' },
      h('strong', { dataset: { testid: 'lane-waiting' } }, String(lane.waiting)),
      ' ',
      t('queue.people'),
    ),
    h('span', { class: 'queue-wait', dataset: { testid: 'lane-wait' } }, waitText(lane.estimated_wait_minutes)),
    controls,
  );
}

function countButton(site, lane, delta, card) {
  return h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small queue-count',
      dataset: { testid: delta > 0 ? 'queue-plus' : 'queue-minus' },
      'aria-label': t(delta > 0 ? 'queue.join' : 'queue.leave', { lane: t(`queue.lane.${lane}`) }),
      onclick: async (ev) => {
        ev.currentTarget.disabled = true;
        try {
          const queue = await api.post(`/sites/${site.id}/queue`, { json: { lane, delta } });
          card.replaceWith(siteCard({ ...site, queue }, true));
        } catch (err) {
          card.append(errorBox(err));
        }
      },
    },
    delta > 0 ? '+' : '−',
  );
}
