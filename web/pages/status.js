// A person's status colour.
//
//   #/status             staff: look a person up by ID number, personal code or resident id
//   #/status/PERSON      staff: GET /people/{person}/status as a big green / yellow / red card
//   #/status?code=CODE   public, no sign-in: the resident's own page (status_public.js), the
//                        one a resident opens on their phone

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import { loading, errorBox, fmtTime, scanField, resultBadge } from '../ui.js';
import { renderResident } from './status_public.js';

export async function render(view, ctx) {
  if (ctx.query.has('code')) return renderResident(view, ctx);
  return renderStaff(view, ctx);
}

// ---------------------------------------------------------------------------------------------
// Staff

async function renderStaff(view, ctx) {
  const person = ctx.params.person || '';
  const body = h('div', { class: 'status-body' });
  const field = scanField({
    id: 'status-person',
    label: t('status.lookupLabel'),
    placeholder: t('station.scanPersonPh'),
    testid: 'status-input',
    button: t('status.lookup'),
    // A resident id goes into the address (a link others can open); an ID number or a personal
    // code is looked up in place, so that it stays out of the browser's history.
    onScan: (v) => (/^\d{1,14}$/.test(v) ? ctx.navigate(`#/status/${v}`) : lookup(body, field, v)),
  });
  mount(view, h('h1', { class: 'page-title' }, t('status.title')), h('div', { class: 'card lookup-card' }, field.el), body);
  if (!person) {
    field.focus();
    return;
  }
  await lookup(body, field, person);
}

async function lookup(body, field, person) {
  mount(body, loading());
  let st;
  try {
    st = await api.get(`/people/${encodeURIComponent(person)}/status`);
  } catch (err) {
    mount(body, errorBox(err));
    field.focus();
    return;
  }
  let roundName = null;
  if (st.latest && st.latest.round_id) {
    roundName = await api
      .get(`/rounds/${st.latest.round_id}`)
      .then((r) => r.name)
      .catch(() => null);
  }
  mount(body, statusCard(st, { roundName, staff: true }));
  field.focus();
}

// ---------------------------------------------------------------------------------------------
// The card

const COLORS = ['green', 'yellow', 'red'];

export function statusCard(st, { roundName = null, staff = false } = {}) {
  const color = COLORS.includes(st.color) ? st.color : 'yellow';
  const clock = h('span', { class: 'status-clock mono', dataset: { testid: 'status-clock' } }, fmtTime(new Date().toISOString()));
  // A ticking clock shows the card is live, not a screenshot; it stops once the card is gone.
  const timer = setInterval(() => {
    if (!clock.isConnected) return clearInterval(timer);
    clock.textContent = fmtTime(new Date().toISOString());
  }, 1000);

  const latest = st.latest || {};
  const reasons = st.reasons || [];
  const facts = [];
  if (latest.sampled_at) {
    facts.push([t('status.lastSample'), fmtTime(latest.sampled_at)]);
    facts.push([t('status.lastResult'), resultBadge(latest.result)]);
    if (latest.tube) {
      const tube = staff
        ? h('a', { class: 'mono', href: `#/tubes/${encodeURIComponent(latest.tube)}` }, latest.tube)
        : h('span', { class: 'mono' }, latest.tube);
      facts.push([t('status.tube'), tube]);
    }
  } else {
    facts.push([t('status.lastSample'), t('status.noSample')]);
  }
  if (roundName) facts.push([t('status.round'), roundName]);

  return h(
    'article',
    { class: `status-card status-${color}`, dataset: { testid: 'status-card', color, state: st.state } },
    h(
      'div',
      { class: 'status-band' },
      h('span', { class: 'status-color', dataset: { testid: 'status-color' } }, t(`color.${color}`)),
      h('span', { class: 'status-state', dataset: { testid: 'status-state' } }, has(`state.${st.state}`) ? t(`state.${st.state}`) : st.state),
      clock,
    ),
    h(
      'div',
      { class: 'status-who' },
      h('span', { class: 'status-name', dataset: { testid: 'status-name' } }, st.person.name),
      h('span', { class: 'mono status-id' }, st.person.id_number_masked),
      staff
        ? h('a', { class: 'btn btn-small btn-ghost', href: `#/residents/${st.person.id}`, dataset: { testid: 'status-resident' } }, t('status.openResident'))
        : null,
    ),
    reasons.length
      ? reasonList(reasons)
      : h('p', { class: 'status-ok' }, t('status.noReasons')),
    h('dl', { class: 'facts status-facts' }, facts.map(([k, v]) => h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v)))),
  );
}

/**
 * Why a person has their colour, each reason with what to do and how it clears, in the page's
 * language; a reason this UI has no words for shows the server's own detail.
 */
export function reasonList(reasons) {
  return h(
    'ul',
    { class: 'status-reasons', dataset: { testid: 'status-reasons' } },
    reasons.map((r) =>
      h(
        'li',
        { class: `reason reason-${r.code}`, dataset: { testid: 'status-reason', code: r.code } },
        h('span', { class: 'reason-title' }, has(`reason.${r.code}`) ? t(`reason.${r.code}`) : r.code),
        has(`reasonHelp.${r.code}`)
          ? h('span', { class: 'reason-help', dataset: { testid: 'reason-help' } }, t(`reasonHelp.${r.code}`))
          : r.detail
            ? h('span', { class: 'reason-detail', dataset: { testid: 'reason-help' } }, r.detail)
            : null,
      ),
    ),
  );
}
