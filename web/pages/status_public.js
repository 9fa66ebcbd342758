// The resident's own page, public: #/status?code=CODE opened on their phone, with nothing but
// the personal code (docs/api.md, "The resident's page"). Phone portrait first, one column:
//
//   the colour card      GET /status?code=   colour, state, each reason with how it clears
//   my code              GET /status/code.svg?code=   the QR to show at the sampling point, gates
//   sites near me        GET /sites?place_id= (community, street, district), /sites/{id}/queue
//   my results           GET /status/history?code=   round, time, result; a page at a time
//   antigen self-test    POST /reports {person: code, kind: antigen_positive}
//   ask for help         POST /requests {person: code, category, detail}

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { loading, errorBox, notice, fmtTime } from '../ui.js';
import { formCard, formStatus, submitWith } from '../outbreak.js';
import { categorySelect } from './requests.js';
import { statusCard } from './status.js';
import { siteCard, byOpenThenWait } from './queue.js';

const MAX_SITES = 8; // queues asked for: one request each
const SHOWN_SITES = 3;
const HISTORY_PAGE = 10;

export async function renderResident(view, ctx) {
  const code = (ctx.query.get('code') || '').trim();
  const body = h('div', { class: 'status-body' });
  mount(view, h('div', { class: 'public-status' }, h('h1', { class: 'page-title' }, t('status.publicTitle')), body));
  if (!code) return mount(body, h('p', { class: 'muted' }, t('status.publicNoCode')));
  mount(body, loading());
  let st;
  try {
    st = await api.getPublic('/status', { code });
  } catch (err) {
    return mount(body, errorBox(err, () => renderResident(view, ctx)));
  }
  const cardArea = h('div', { class: 'me-card' }, statusCard(st, { staff: false }));
  // A report puts the home under control at once: the card shows the new colour.
  const redrawCard = () =>
    api
      .getPublic('/status', { code })
      .then((next) => mount(cardArea, statusCard(next, { staff: false })))
      .catch(() => {});
  mount(
    body,
    cardArea,
    qrSection(code, st.person),
    sitesSection(st.home_place_ids || []),
    historySection(code),
    reportForm(code, redrawCard),
    helpForm(code),
  );
}

// ---------------------------------------------------------------------------------------------
// My code

function qrSection(code, person) {
  const img = h('img', {
    class: 'me-qr-img',
    src: `/api/v1/status/code.svg?code=${encodeURIComponent(code)}`,
    alt: t('me.qrAlt', { name: person.name }),
    width: '240',
    height: '240',
    dataset: { testid: 'me-qr-img' },
  });
  const box = h('div', { class: 'qr-box me-qr' }, img);
  img.addEventListener('error', () => mount(box, notice(t('me.qrFailed'), 'warning')));
  return h(
    'section',
    { class: 'card me-section me-qr-section', dataset: { testid: 'me-qr' } },
    h('h2', null, t('me.qrTitle')),
    box,
    h('p', { class: 'hint' }, t('me.qrHint')),
    h('p', { class: 'hint public-note' }, t('status.publicNote')),
  );
}

// ---------------------------------------------------------------------------------------------
// Sites near me

function sitesSection(homeIds) {
  const list = h('div', { class: 'me-sites', dataset: { testid: 'me-sites' } }, loading());
  // The street's board lists every site of the neighbourhood; without a home, every site.
  const street = homeIds[1];
  drawSites(list, homeIds);
  return h(
    'section',
    { class: 'section me-section', dataset: { testid: 'me-sites-section' } },
    h('h2', null, t('me.sitesTitle')),
    h('p', { class: 'hint' }, t('me.sitesIntro')),
    list,
    h('p', null, h('a', { href: street ? `#/queue?place=${street}` : '#/queue', dataset: { testid: 'me-sites-all' } }, t('me.sitesAll'))),
  );
}

/** The sites of the community, then of its street, then of the district, nearest first. */
async function nearbySites(homeIds) {
  const levels = homeIds.length ? homeIds.slice(0, 3).reverse() : [undefined];
  const found = new Map();
  for (const [rank, placeId] of levels.entries()) {
    const { sites } = await api.getPublic('/sites', { place_id: placeId, limit: 50 });
    for (const s of sites) if (!found.has(s.id)) found.set(s.id, { ...s, rank });
    if (found.size >= MAX_SITES) break;
  }
  const sites = [...found.values()].slice(0, MAX_SITES);
  return Promise.all(sites.map(async (s) => ({ ...s, queue: await api.getPublic(`/sites/${s.id}/queue`) })));
}

async function drawSites(list, homeIds) {
  let sites;
  try {
    sites = await nearbySites(homeIds);
  } catch (err) {
    return mount(list, errorBox(err, () => drawSites(list, homeIds)));
  }
  if (!sites.length) return mount(list, h('p', { class: 'muted', dataset: { testid: 'me-sites-none' } }, t('me.sitesNone')));
  sites.sort((a, b) => (a.queue.open_now !== b.queue.open_now ? (a.queue.open_now ? -1 : 1) : a.rank - b.rank || byOpenThenWait(a, b)));
  const open = sites.filter((s) => s.queue.open_now);
  if (open.length) return mount(list, open.slice(0, SHOWN_SITES).map((s) => siteCard(s, false)));
  mount(list, notice(t('me.sitesNoneOpen'), 'info'), sites.slice(0, SHOWN_SITES).map((s) => siteCard(s, false)));
}

// ---------------------------------------------------------------------------------------------
// My results

function historySection(code) {
  const area = h('div', { class: 'me-history-area' }, loading());
  const list = h('ol', { class: 'me-history', dataset: { testid: 'me-history' } });
  const more = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true, dataset: { testid: 'me-history-more' } }, t('me.historyMore'));
  let cursor = null;
  async function nextPage() {
    let page;
    try {
      page = await api.getPublic('/status/history', { code, limit: HISTORY_PAGE, cursor: cursor || undefined });
    } catch (err) {
      if (!cursor) mount(area, errorBox(err, nextPage));
      else area.append(errorBox(err));
      return;
    }
    if (!cursor) mount(area, page.samples.length ? list : h('p', { class: 'muted', dataset: { testid: 'me-history-none' } }, t('me.historyNone')));
    list.append(...page.samples.map(historyItem));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', nextPage);
  nextPage();
  return h(
    'section',
    { class: 'section me-section', dataset: { testid: 'me-history-section' } },
    h('h2', null, t('me.historyTitle')),
    area,
    more,
  );
}

/** What a result means for the person: a positive pooled tube is not yet their own positive. */
function outcomeOf(s) {
  if (!s.result) return 'pending';
  if (s.result === 'positive' && s.pooled) return 'poolPositive';
  return s.result;
}

function historyItem(s) {
  const outcome = outcomeOf(s);
  const round = s.purpose === 'retest' ? `${s.round_name} · ${t('me.hist.retest')}` : s.round_name;
  return h(
    'li',
    { class: `me-hist me-hist-${outcome}`, dataset: { testid: 'me-history-item', result: s.result || 'none', roundId: String(s.round_id) } },
    h('span', { class: 'me-hist-round' }, round),
    h('span', { class: 'me-hist-result', dataset: { testid: 'me-history-result' } }, t(`me.hist.${outcome}`)),
    h('time', { class: 'me-hist-time', datetime: s.sampled_at }, fmtTime(s.sampled_at)),
    h('span', { class: 'me-hist-tube' }, `${t(s.pooled ? 'me.hist.pooled' : 'me.hist.single')} `, h('span', { class: 'mono' }, s.tube)),
  );
}

// ---------------------------------------------------------------------------------------------
// A positive antigen self-test

function reportForm(code, onReported) {
  const confirm = h('input', { type: 'checkbox', id: 'report-confirm', dataset: { testid: 'report-confirm' } });
  const status = formStatus();
  const submit = h('button', { type: 'submit', class: 'btn btn-danger', dataset: { testid: 'report-submit' } }, t('me.reportSend'));
  const form = h(
    'form',
    { class: 'card outbreak-form me-section me-report', dataset: { testid: 'report-form' } },
    h('h2', null, t('me.reportTitle')),
    h('p', { class: 'hint' }, t('me.reportIntro')),
    h('div', { class: 'field check-field' }, confirm, h('label', { for: 'report-confirm' }, t('me.reportConfirm'))),
    status,
    h('div', { class: 'form-actions' }, submit),
  );
  submitWith(form, submit, status, async () => {
    if (!confirm.checked) {
      mount(status, notice(t('me.reportNeedConfirm'), 'warning'));
      confirm.focus();
      return false;
    }
    const incident = await api.postPublic('/reports', { json: { person: code, kind: 'antigen_positive' } });
    confirm.checked = false;
    mount(status, h('div', { dataset: { testid: 'report-sent', incidentId: String(incident.id) } }, notice(t('me.reportSent', { id: incident.id }), 'success')));
    await onReported();
  });
  return form;
}

// ---------------------------------------------------------------------------------------------
// Ask for help

/** "Ask for help": a request sent with the resident's own personal code and no token. */
function helpForm(code) {
  const category = categorySelect('help-category');
  const detail = h('textarea', { id: 'help-detail', rows: '3', placeholder: t('help.detailPh'), dataset: { testid: 'help-detail' } });
  const status = formStatus();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'help-submit' } }, t('help.send'));
  const form = formCard({
    testid: 'help-form',
    title: t('help.title'),
    fields: [
      [t('help.category'), category, null, 'help-category'],
      [t('help.detail'), detail, t('help.intro'), 'help-detail'],
    ],
    status,
    buttons: [submit],
  });
  form.classList.add('help-form', 'me-section');
  submitWith(form, submit, status, async () => {
    if (!detail.value.trim()) {
      mount(status, notice(t('help.needDetail'), 'warning'));
      detail.focus();
      return false;
    }
    const r = await api.postPublic('/requests', { json: { person: code, category: category.value, detail: detail.value.trim() } });
    detail.value = '';
    mount(status, h('div', { dataset: { testid: 'help-sent' } }, notice(t('help.sent', { id: r.id, time: fmtTime(r.due_at) }), 'success')));
    submit.disabled = false;
  });
  return form;
}
