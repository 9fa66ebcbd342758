// Residents' requests: the community office's board.
//
//   #/requests[?show=open|overdue|closed|all]   requests of people in the user's places, those
//                                               under a sealed, controlled or temporary zone
//                                               first, then by due time (the server's order);
//                                               overdue ones highlighted; each assigned,
//                                               commented on and closed in place; a request
//                                               logged for a resident by hand

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../roles.js';
import { loading, errorBox, fmtTime } from '../ui.js';
import { age, formCard, formStatus, submitWith } from '../outbreak.js';
import { segmented } from './incidents.js';

const SHOWS = ['open', 'overdue', 'closed', 'all'];
export const CATEGORIES = ['medicine', 'food', 'medical', 'code_popup', 'other'];
const LIMIT = 500;

export async function render(view, ctx) {
  const show = SHOWS.includes(ctx.query.get('show')) ? ctx.query.get('show') : 'open';
  const list = h('div', { class: 'request-list', dataset: { testid: 'request-list' } }, loading());
  const formArea = h('div', { class: 'form-area' });
  const manage = can(ctx.user, 'manage_requests');
  const reload = () => drawList(list, show, manage);
  const close = () => mount(formArea);
  const actions = manage
    ? h('button', { type: 'button', class: 'btn btn-primary', dataset: { testid: 'request-new' }, onclick: () => mount(formArea, newForm(close, reload)) }, `+ ${t('requests.new')}`)
    : null;
  mount(
    view,
    h('div', { class: 'page-header outbreak-header' }, h('h1', { class: 'page-title' }, t('requests.title')), actions),
    formArea,
    h(
      'div',
      { class: 'filters' },
      segmented('request-show', t('requests.filter'), SHOWS.map((s) => [s, t(`requests.filter.${s}`)]), show, (s) => ctx.navigate(`#/requests?show=${s}`, { replace: true })),
    ),
    h('p', { class: 'hint' }, t('requests.hint')),
    list,
  );
  await reload();
}

function query(show) {
  if (show === 'overdue') return { status: 'open', overdue: 'true', limit: LIMIT };
  if (show === 'all') return { limit: LIMIT };
  return { status: show, limit: LIMIT };
}

async function drawList(list, show, manage) {
  let page;
  try {
    page = await api.get('/requests', query(show));
  } catch (err) {
    return mount(list, errorBox(err, () => drawList(list, show, manage)));
  }
  if (!page.requests.length) return mount(list, h('p', { class: 'muted', dataset: { testid: 'no-requests' } }, t('requests.empty')));
  mount(
    list,
    page.requests.map((r) => requestCard(r, manage, () => drawList(list, show, manage))),
    page.next_cursor ? h('p', { class: 'hint' }, t('requests.more', { n: LIMIT })) : null,
  );
}

export function categoryLabel(c) {
  return has(`request.category.${c}`) ? t(`request.category.${c}`) : c;
}

function requestCard(r, manage, reload) {
  const classes = ['card', 'request-card', `request-${r.status}`];
  if (r.overdue) classes.push('request-overdue');
  if (r.zoned) classes.push('request-zoned');
  const when = r.status === 'closed'
    ? h('span', null, t('request.status.closed'), ' ', fmtTime(r.closed_at))
    : r.overdue
      ? h('span', { class: 'request-late', dataset: { testid: 'request-overdue-by' } }, t('requests.overdueBy', { age: age(r.due_at) }))
      : h('span', null, t('requests.due', { time: fmtTime(r.due_at) }));
  const extra = h('div', { class: 'request-extra' });
  return h(
    'article',
    { class: classes.join(' '), dataset: { testid: 'request-card', requestId: String(r.id), status: r.status, overdue: String(r.overdue), zoned: String(r.zoned) } },
    h(
      'div',
      { class: 'request-head' },
      h('span', { class: `badge request-category category-${r.category}` }, categoryLabel(r.category)),
      r.zoned ? h('span', { class: 'badge badge-zoned', dataset: { testid: 'request-zoned' } }, t('requests.zoned')) : null,
      r.overdue ? h('span', { class: 'badge badge-overdue', dataset: { testid: 'request-overdue' } }, t('requests.overdue')) : null,
      h('span', { class: `badge request-status status-${r.status}`, dataset: { testid: 'request-status' } }, t(`request.status.${r.status}`)),
      h('span', { class: 'muted request-id' }, `#${r.id}`),
    ),
    h(
      'div',
      { class: 'request-who' },
      h('a', { href: `#/residents/${r.person.id}`, class: 'request-name' }, r.person.name),
      h('span', { class: 'mono muted' }, r.person.id_number_masked),
    ),
    h('p', { class: 'request-detail', dataset: { testid: 'request-detail' } }, r.detail),
    h(
      'p',
      { class: 'request-meta muted' },
      when,
      ' · ',
      r.assignee ? t('requests.assignee', { name: r.assignee }) : t('requests.unassigned'),
      ' · ',
      r.source === 'resident' ? t('requests.from.resident') : t('requests.from.staff', { name: r.created_by }),
    ),
    r.resolution ? h('p', { class: 'request-resolution' }, t('requests.resolution', { text: r.resolution })) : null,
    manage ? actionBar(r, extra, reload) : null,
    extra,
  );
}

/** Assign, comment and close, each opening a one-line form under the card. */
function actionBar(r, extra, reload) {
  const open = (action, placeholder, field, path) => mount(extra, inlineForm(r, action, placeholder, field, path, reload));
  const buttons = [];
  if (r.status !== 'closed') {
    buttons.push(h('button', { type: 'button', class: 'btn btn-small', dataset: { testid: 'request-assign' }, onclick: () => open('assign', 'requests.assignPh', 'assignee', 'assign') }, t('requests.assign')));
  }
  buttons.push(h('button', { type: 'button', class: 'btn btn-small btn-ghost', dataset: { testid: 'request-comment' }, onclick: () => open('comment', 'requests.commentPh', 'text', 'comments') }, t('requests.comment')));
  if (r.status !== 'closed') {
    buttons.push(h('button', { type: 'button', class: 'btn btn-small btn-ghost', dataset: { testid: 'request-close' }, onclick: () => open('close', 'requests.closePh', 'resolution', 'close') }, t('requests.close')));
  }
  buttons.push(h('button', { type: 'button', class: 'btn btn-small btn-ghost', dataset: { testid: 'request-history' }, onclick: () => showHistory(r, extra) }, t('requests.timeline')));
  return h('div', { class: 'request-actions' }, buttons);
}

function inlineForm(r, action, placeholder, field, path, reload) {
  const input = h('input', { type: 'text', placeholder: t(placeholder), 'aria-label': t(`requests.${action}`), dataset: { testid: `request-${action}-input` } });
  const status = formStatus();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-small', dataset: { testid: `request-${action}-submit` } }, t('requests.send'));
  const form = h('form', { class: 'request-inline', dataset: { testid: `request-${action}-form` } }, input, submit, status);
  submitWith(form, submit, status, async () => {
    await api.post(`/requests/${r.id}/${path}`, { json: { [field]: input.value.trim() } });
    await reload();
  });
  setTimeout(() => input.focus(), 0);
  return form;
}

async function showHistory(r, extra) {
  mount(extra, loading());
  let full;
  try {
    full = await api.get(`/requests/${r.id}`);
  } catch (err) {
    return mount(extra, errorBox(err));
  }
  mount(
    extra,
    h(
      'ol',
      { class: 'request-timeline', dataset: { testid: 'request-timeline' } },
      full.timeline.map((e) =>
        h(
          'li',
          null,
          h('span', { class: 'muted' }, fmtTime(e.at), ' · ', e.actor, ' · '),
          h('strong', null, has(`requests.event.${e.event}`) ? t(`requests.event.${e.event}`) : e.event),
          ' ',
          e.detail,
        ),
      ),
    ),
  );
}

function newForm(close, reload) {
  const person = h('input', { id: 'request-person', type: 'text', autocomplete: 'off', placeholder: t('requests.personPh'), dataset: { testid: 'request-person' } });
  const category = categorySelect('request-category');
  const detail = h('textarea', { id: 'request-detail', rows: '2', dataset: { testid: 'request-detail-input' } });
  const status = formStatus();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'request-submit' } }, t('requests.create'));
  const form = formCard({
    testid: 'request-form',
    title: t('requests.newTitle'),
    fields: [
      [t('requests.person'), person, null, 'request-person'],
      [t('requests.category'), category, null, 'request-category'],
      [t('requests.detail'), detail, null, 'request-detail'],
    ],
    status,
    buttons: [submit, h('button', { type: 'button', class: 'btn btn-ghost', onclick: close }, t('common.cancel'))],
  });
  submitWith(form, submit, status, async () => {
    await api.post('/requests', { json: { person: person.value.trim(), category: category.value, detail: detail.value.trim() } });
    close();
    await reload();
  });
  setTimeout(() => person.focus(), 0);
  return form;
}

/** A <select> of the request categories, in the page's language. */
export function categorySelect(id) {
  return h('select', { id, dataset: { testid: id } }, CATEGORIES.map((c) => h('option', { value: c }, categoryLabel(c))));
}
