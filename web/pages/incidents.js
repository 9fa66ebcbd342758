// Incidents: what a positive result, an antigen report or a person set off.
//
//   #/incidents[?status=open|closed|all&kind=KIND]   the list, newest first: kind, age, people,
//                                                    place, status; opening one by hand, and
//                                                    reporting an antigen-positive self-test
//   #/incidents/ID                                   one incident (pages/incident.js)

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../roles.js';
import { loading, errorBox, notice, headRow, fmtTime } from '../ui.js';
import { age, incidentKindLabel, incidentStatusBadge, placeLink, placePicker, formCard, formStatus, submitWith } from '../outbreak.js';
import * as incidentPage from './incident.js';

const STATUSES = ['open', 'closed', 'all'];
const KINDS = ['pool_positive', 'positive', 'antigen_report', 'manual'];
const LIMIT = 1000;

export async function render(view, ctx) {
  if (ctx.params.id) return incidentPage.render(view, ctx);
  const status = STATUSES.includes(ctx.query.get('status')) ? ctx.query.get('status') : 'open';
  const kind = KINDS.includes(ctx.query.get('kind')) ? ctx.query.get('kind') : '';
  const go = (next) => {
    const q = new URLSearchParams({ status: next.status ?? status });
    const k = next.kind ?? kind;
    if (k) q.set('kind', k);
    ctx.navigate(`#/incidents?${q}`, { replace: true });
  };

  const filters = h(
    'div',
    { class: 'filters' },
    segmented('incident-status', t('incidents.filter'), STATUSES.map((s) => [s, t(`incidents.filter.${s}`)]), status, (s) => go({ status: s })),
    h(
      'label',
      { class: 'filter-select' },
      h('span', { class: 'label' }, t('incidents.kind')),
      kindSelect(kind, (k) => go({ kind: k })),
    ),
  );
  const list = h('div', { class: 'incident-list' }, loading());
  const actions = h('div', { class: 'page-actions' });
  const formArea = h('div', { class: 'form-area' });
  mount(view, h('div', { class: 'page-header outbreak-header' }, h('h1', { class: 'page-title' }, t('incidents.title')), actions), formArea, filters, list);
  drawActions(actions, formArea, ctx);
  await drawList(list, status, kind);
}

/** A row of radio buttons drawn as one control; `choices` are [value, label]. */
export function segmented(name, label, choices, current, onPick) {
  return h(
    'div',
    { class: 'segmented', role: 'radiogroup', 'aria-label': label, dataset: { testid: name } },
    choices.map(([value, text]) => {
      const input = h('input', { type: 'radio', name, value, id: `${name}-${value}`, checked: value === current, dataset: { testid: `${name}-${value}` } });
      input.addEventListener('change', () => onPick(value));
      return h('label', { class: 'segment', for: `${name}-${value}` }, input, h('span', null, text));
    }),
  );
}

function kindSelect(kind, onPick) {
  const select = h(
    'select',
    { dataset: { testid: 'incident-kind' } },
    h('option', { value: '' }, t('incidents.kind.all')),
    KINDS.map((k) => h('option', { value: k, selected: k === kind }, incidentKindLabel(k))),
  );
  select.addEventListener('change', () => onPick(select.value));
  return select;
}

async function drawList(list, status, kind) {
  let page;
  try {
    page = await api.get('/incidents', { status: status === 'all' ? '' : status, limit: LIMIT });
  } catch (err) {
    return mount(list, errorBox(err, () => drawList(list, status, kind)));
  }
  const incidents = page.incidents.filter((i) => !kind || i.kind === kind).reverse();
  if (!incidents.length) return mount(list, h('p', { class: 'muted', dataset: { testid: 'no-incidents' } }, t('incidents.empty')));
  mount(
    list,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table incidents-table', dataset: { testid: 'incidents' } },
        headRow(['incident', 'age', 'people', 'place', 'status'].map((k) => t(`incidents.col.${k}`))),
        h('tbody', null, incidents.map(incidentRow)),
      ),
    ),
    page.next_cursor ? h('p', { class: 'hint' }, t('incidents.more', { n: LIMIT })) : null,
  );
}

function incidentRow(i) {
  const place = i.place_ids.length ? [placeLink(i.place_ids[0]), i.place_ids.length > 1 ? ` +${i.place_ids.length - 1}` : null] : t('common.none');
  return h(
    'tr',
    { dataset: { testid: 'incident-row', incidentId: String(i.id), kind: i.kind } },
    h(
      'td',
      { class: 'cell-name', 'data-label': t('incidents.col.incident') },
      h('a', { href: `#/incidents/${i.id}`, dataset: { testid: 'incident-link' } }, `#${i.id} ${incidentKindLabel(i.kind)}`),
      i.tube ? h('span', { class: 'mono muted cell-sub' }, i.tube) : null,
    ),
    h(
      'td',
      { 'data-label': t('incidents.col.age'), title: fmtTime(i.opened_at) },
      h('span', { dataset: { testid: 'incident-age' } }, age(i.opened_at, i.closed_at)),
    ),
    h('td', { 'data-label': t('incidents.col.people'), dataset: { testid: 'incident-people' } }, i.people.length === 1 ? t('incidents.onePerson') : t('incidents.people', { n: i.people.length })),
    h('td', { 'data-label': t('incidents.col.place') }, place),
    h('td', { 'data-label': t('incidents.col.status') }, incidentStatusBadge(i.status)),
  );
}

// ---------------------------------------------------------------------------------------------
// Opening one by hand, and antigen reports

function drawActions(area, formArea, ctx) {
  const buttons = [];
  if (can(ctx.user, 'report_antigen')) {
    buttons.push(h('button', { type: 'button', class: 'btn', dataset: { testid: 'report-open' }, onclick: () => mount(formArea, reportForm(ctx, close)) }, t('report.open')));
  }
  if (can(ctx.user, 'manage_incidents')) {
    buttons.push(h('button', { type: 'button', class: 'btn btn-primary', dataset: { testid: 'incident-new' }, onclick: () => mount(formArea, manualForm(ctx, close)) }, `+ ${t('incidents.new')}`));
  }
  const close = () => mount(formArea);
  mount(area, buttons);
}

function cancelButton(close) {
  return h('button', { type: 'button', class: 'btn btn-ghost', onclick: close }, t('common.cancel'));
}

function manualForm(ctx, close) {
  const people = h('textarea', { id: 'incident-people', rows: '3', dataset: { testid: 'incident-people-input' } });
  const picker = placePicker({ id: 'incident-place', deepest: 'unit', testid: 'incident-place', optional: true });
  const note = h('input', { id: 'incident-note', type: 'text', placeholder: t('incidents.notePh'), dataset: { testid: 'incident-note' } });
  const status = formStatus();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'incident-submit' } }, t('incidents.create'));
  const form = formCard({
    testid: 'incident-form',
    title: t('incidents.newTitle'),
    fields: [
      [t('incidents.who'), people, t('incidents.whoHint'), 'incident-people'],
      [t('incidents.where'), picker.el, null, 'incident-place'],
      [t('incidents.note'), note, null, 'incident-note'],
    ],
    status,
    buttons: [submit, cancelButton(close)],
  });
  submitWith(form, submit, status, async () => {
    const who = people.value.split(/[\s,，;；]+/).map((x) => x.trim()).filter(Boolean);
    const place = picker.value();
    const placeIds = place ? [place.id] : [];
    if (!who.length && !placeIds.length) {
      mount(status, notice(t('incidents.needWho'), 'warning'));
      return false;
    }
    const incident = await api.post('/incidents', { json: { kind: 'manual', people: who, place_ids: placeIds, note: note.value.trim() } });
    ctx.navigate(`#/incidents/${incident.id}`);
  });
  return form;
}

function reportForm(ctx, close) {
  const person = h('input', { id: 'report-person', type: 'text', autocomplete: 'off', placeholder: t('report.personPh'), dataset: { testid: 'report-person' } });
  const status = formStatus();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'report-submit' } }, t('report.submit'));
  const form = formCard({
    testid: 'report-form',
    title: t('report.title'),
    fields: [[t('report.person'), person, t('report.hint'), 'report-person']],
    status,
    buttons: [submit, cancelButton(close)],
  });
  submitWith(form, submit, status, async () => {
    const who = person.value.trim();
    if (!who) {
      person.focus();
      return false;
    }
    const incident = await api.post('/reports', { json: { person: who, kind: 'antigen_positive' } });
    ctx.navigate(`#/incidents/${incident.id}`);
  });
  setTimeout(() => person.focus(), 0);
  return form;
}
