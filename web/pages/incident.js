// One incident: GET /incidents/{id} with its people, places, zones, the antigen report's
// checklist (one tap per item: POST /incidents/{id}/checklist/{item}), the retest tasks (each
// assigned with POST /tasks/{id}/assign), the timeline, and closing by hand
// (POST /incidents/{id}/close). Every change redraws the page from the server's answer.

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../roles.js';
import { loading, errorBox, notice, fmtTime, resultBadge } from '../ui.js';
import { age, incidentKindLabel, incidentStatusBadge, levelBadge, placeLink, systemText, formCard, formStatus, submitWith } from '../outbreak.js';

/** Assignees used on this device, offered again (a team name is typed once a day, not per task). */
const ASSIGNEES_KEY = 'swabline.assignees';

export async function render(view, ctx) {
  const id = Number(ctx.params.id);
  mount(view, loading());
  let incident;
  try {
    incident = await api.get(`/incidents/${id}`);
  } catch (err) {
    return mount(view, errorBox(err, () => render(view, ctx)));
  }
  draw(view, ctx, incident);
}

function draw(view, ctx, incident) {
  const manage = can(ctx.user, 'manage_incidents') && incident.status === 'open';
  const redraw = async () => {
    try {
      draw(view, ctx, await api.get(`/incidents/${incident.id}`));
    } catch (err) {
      mount(view, errorBox(err, () => render(view, ctx)));
    }
  };
  // A change answers the incident; one answered without its timeline is read again.
  const show = (next) => (next && next.timeline ? draw(view, ctx, next) : redraw());
  mount(
    view,
    h('p', { class: 'back' }, h('a', { href: '#/incidents', dataset: { testid: 'back' } }, `← ${t('incidents.title')}`)),
    head(incident),
    incident.checklist ? checklistSection(incident, manage, show) : null,
    incident.tasks.length ? tasksSection(incident, manage, redraw) : null,
    zonesSection(incident),
    timelineSection(incident),
    manage ? closeSection(incident, show) : null,
  );
}

function fact(label, value, testid) {
  return h('div', { class: 'fact' }, h('dt', null, label), h('dd', { dataset: testid ? { testid } : null }, value));
}

function head(i) {
  const rows = [
    fact(t('incident.openedAt'), fmtTime(i.opened_at)),
    fact(t('incident.age'), age(i.opened_at, i.closed_at), 'incident-age'),
  ];
  if (i.closed_at) rows.push(fact(t('incident.closedAt'), fmtTime(i.closed_at)));
  if (i.closed_reason) rows.push(fact(t('incident.closedReason'), systemText(i.closed_reason), 'incident-closed-reason'));
  if (i.tube) rows.push(fact(t('incident.tube'), h('a', { class: 'mono', href: `#/tubes/${encodeURIComponent(i.tube)}` }, i.tube)));
  if (i.parent_id) rows.push(fact(t('incident.parent'), h('a', { href: `#/incidents/${i.parent_id}` }, `#${i.parent_id}`)));
  if (i.note) rows.push(fact(t('incident.note'), i.note));
  if (i.people.length) {
    rows.push(
      fact(
        t('incident.people'),
        h('span', { class: 'people-list' }, i.people.map((p) => h('a', { href: `#/residents/${p.id}`, class: 'person-ref', dataset: { testid: 'incident-person' } }, p.name))),
      ),
    );
  }
  if (i.place_ids.length) rows.push(fact(t('incident.places'), h('span', { class: 'people-list' }, i.place_ids.map(placeLink))));
  return h(
    'article',
    { class: 'card incident-head', dataset: { testid: 'incident', incidentId: String(i.id), status: i.status } },
    h(
      'div',
      { class: 'incident-title' },
      h('h1', null, t('incident.title', { id: i.id })),
      h('span', { class: 'badge incident-kind', dataset: { testid: 'incident-kind' } }, incidentKindLabel(i.kind)),
      incidentStatusBadge(i.status),
    ),
    h('dl', { class: 'facts' }, rows),
  );
}

function section(title, testid, ...children) {
  return h('section', { class: 'section', dataset: { testid } }, h('h2', null, ...[].concat(title)), ...children);
}

// ---------------------------------------------------------------------------------------------
// The antigen report's checklist

function checklistSection(incident, manage, onChanged) {
  const done = incident.checklist.filter((c) => c.result).length;
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const rows = incident.checklist.map((c) => checklistRow(incident, c, manage, onChanged, status));
  return section(
    [t('incident.checklist'), h('span', { class: 'count', dataset: { testid: 'checklist-progress' } }, t('incident.checklistDone', { done, n: incident.checklist.length }))],
    'checklist',
    manage ? h('p', { class: 'hint' }, t('incident.checklistHint')) : null,
    h('ul', { class: 'checklist card' }, rows),
    status,
  );
}

function checklistRow(incident, c, manage, onChanged, status) {
  const label = h('span', { class: 'checklist-item' }, has(`checklist.${c.item}`) ? t(`checklist.${c.item}`) : c.item);
  const li = h('li', { class: c.result ? `checklist-row done result-${c.result}` : 'checklist-row', dataset: { testid: 'checklist-row', item: c.item, result: c.result || '' } });
  if (c.result) {
    mount(li, label, resultBadge(c.result), h('span', { class: 'muted mono checklist-at' }, fmtTime(c.done_at, { short: true })));
    return li;
  }
  if (!manage) {
    mount(li, label, resultBadge(null));
    return li;
  }
  const record = async (result, btns) => {
    btns.forEach((b) => (b.disabled = true));
    try {
      onChanged(await api.post(`/incidents/${incident.id}/checklist/${c.item}`, { json: { result } }));
    } catch (err) {
      btns.forEach((b) => (b.disabled = false));
      mount(status, errorBox(err));
    }
  };
  const neg = h('button', { type: 'button', class: 'btn btn-negative', dataset: { testid: 'checklist-negative' } }, t('checklist.negative'));
  const pos = h('button', { type: 'button', class: 'btn btn-danger-ghost', dataset: { testid: 'checklist-positive' } }, t('checklist.positive'));
  neg.addEventListener('click', () => record('negative', [neg, pos]));
  // A positive escalates (a unit sealed, a building controlled): it takes a second tap.
  pos.addEventListener('click', () => {
    if (pos.dataset.armed) return record('positive', [neg, pos]);
    pos.dataset.armed = '1';
    pos.className = 'btn btn-danger';
    pos.textContent = t('checklist.confirmPositive');
    pos.dataset.testid = 'checklist-confirm-positive';
    mount(status, notice(t('checklist.confirmHint'), 'warning'));
  });
  mount(li, label, h('span', { class: 'checklist-actions' }, neg, pos));
  return li;
}

// ---------------------------------------------------------------------------------------------
// Retest tasks

function knownAssignees(tasks) {
  let kept = [];
  try {
    kept = JSON.parse(localStorage.getItem(ASSIGNEES_KEY) || '[]');
  } catch {
    kept = [];
  }
  return [...new Set([...tasks.map((x) => x.assignee).filter(Boolean), ...kept])].slice(0, 20);
}

function rememberAssignee(name) {
  try {
    const kept = JSON.parse(localStorage.getItem(ASSIGNEES_KEY) || '[]').filter((n) => n !== name);
    localStorage.setItem(ASSIGNEES_KEY, JSON.stringify([name, ...kept].slice(0, 20)));
  } catch {
    // Not remembered on this device; the assignment itself stands.
  }
}

function tasksSection(incident, manage, redraw) {
  const done = incident.tasks.filter((x) => x.status === 'done').length;
  const listId = `assignees-${incident.id}`;
  const datalist = h('datalist', { id: listId }, knownAssignees(incident.tasks).map((n) => h('option', { value: n })));
  return section(
    [t('incident.tasks'), h('span', { class: 'count', dataset: { testid: 'tasks-progress' } }, t('incident.tasksDone', { done, n: incident.tasks.length }))],
    'tasks',
    h('ul', { class: 'task-list card' }, incident.tasks.map((task) => taskRow(task, manage, listId, redraw))),
    datalist,
  );
}

function taskRow(task, manage, listId, redraw) {
  const overdue = task.status === 'open' && Date.parse(task.due_at) < Date.now();
  const assignee = h(
    'span',
    { class: task.assignee ? 'task-assignee' : 'task-assignee muted', dataset: { testid: 'task-assignee' } },
    task.assignee || t('task.unassigned'),
  );
  const control = h('div', { class: 'task-assign' });
  if (manage && task.status === 'open') drawAssign(control, task, listId, redraw);
  return h(
    'li',
    { class: `task-row task-${task.status}`, dataset: { testid: 'task-row', taskId: String(task.id), status: task.status } },
    h(
      'div',
      { class: 'task-who' },
      h('a', { href: `#/residents/${task.person.id}`, class: 'task-name' }, task.person.name),
      h('span', { class: 'mono muted' }, task.person.id_number_masked),
      task.door_to_door ? h('span', { class: 'badge badge-door', dataset: { testid: 'task-door' } }, t('task.doorToDoor')) : null,
    ),
    h(
      'div',
      { class: 'task-meta' },
      h('span', { class: `badge task-status-${task.status}`, dataset: { testid: 'task-status' } }, t(`task.status.${task.status}`)),
      h('span', { class: 'task-field' }, h('span', { class: 'muted' }, `${t('task.assignee')}: `), assignee),
      h(
        'span',
        { class: overdue ? 'task-field task-overdue' : 'task-field', dataset: { testid: 'task-due', overdue: overdue ? 'true' : 'false' } },
        h('span', { class: 'muted' }, `${t('task.due')}: `),
        fmtTime(task.due_at, { short: true }),
        overdue ? h('span', { class: 'badge badge-overdue' }, t('task.overdue')) : null,
      ),
    ),
    control,
  );
}

function drawAssign(el, task, listId, redraw) {
  const input = h('input', {
    type: 'text',
    list: listId,
    value: task.assignee || '',
    placeholder: t('task.assignPh'),
    'aria-label': t('task.assignee'),
    dataset: { testid: 'task-assign-input' },
  });
  const btn = h('button', { type: 'submit', class: 'btn btn-small', dataset: { testid: 'task-assign' } }, t('task.assign'));
  const status = formStatus();
  const form = h('form', { class: 'assign-form' }, input, btn);
  submitWith(form, btn, status, async () => {
    const name = input.value.trim();
    if (!name) {
      input.focus();
      return false;
    }
    await api.post(`/tasks/${task.id}/assign`, { json: { assignee: name } });
    rememberAssignee(name);
    await redraw();
  });
  mount(el, form, status);
}

// ---------------------------------------------------------------------------------------------
// Zones, timeline, closing

function zonesSection(incident) {
  if (!incident.zones.length) return section(t('incident.zones'), 'incident-zones', h('p', { class: 'muted' }, t('incident.noZones')));
  return section(
    t('incident.zones'),
    'incident-zones',
    h(
      'ul',
      { class: 'zone-chips' },
      incident.zones.map((z) =>
        h(
          'li',
          { class: z.lifted_at ? 'zone-chip lifted' : 'zone-chip', dataset: { testid: 'incident-zone', level: z.level, lifted: z.lifted_at ? 'true' : 'false' } },
          levelBadge(z.level),
          placeLink(z.place_id),
          h('span', { class: 'muted' }, z.lifted_at ? `${t('zones.col.lifted')} ${fmtTime(z.lifted_at, { short: true })}` : t('zones.inForce')),
        ),
      ),
    ),
    h('p', null, h('a', { href: '#/zones' }, `${t('nav.zones')} →`)),
  );
}

const TIMELINE_SHOWN = 10; // the latest events; earlier ones behind a button

function timelineSection(incident) {
  const names = new Map(incident.people.map((p) => [p.id, p.name]));
  for (const task of incident.tasks) names.set(task.person.id, task.person.name);
  const item = (e) =>
    h(
      'li',
      { class: `event event-${e.event}`, dataset: { testid: 'timeline-event', event: e.event } },
      h('span', { class: 'event-at mono' }, fmtTime(e.at, { short: true })),
      h('span', { class: 'event-name' }, has(`event.${e.event}`) ? t(`event.${e.event}`) : e.event),
      h('span', { class: 'event-detail' }, systemText(e.detail, names)),
      h('span', { class: 'event-actor muted' }, e.actor),
    );
  const all = incident.timeline;
  const hidden = Math.max(0, all.length - TIMELINE_SHOWN);
  const list = h('ol', { class: 'events card' }, all.slice(hidden).map(item));
  if (hidden) {
    const more = h(
      'li',
      { class: 'event-more' },
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', dataset: { testid: 'timeline-earlier' } }, t('incident.timelineEarlier', { n: hidden })),
    );
    more.querySelector('button').addEventListener('click', () => more.replaceWith(...all.slice(0, hidden).map(item)));
    list.prepend(more);
  }
  return section(t('incident.timeline'), 'timeline', list);
}

function closeSection(incident, onClosed) {
  const reason = h('input', { id: 'close-reason', type: 'text', placeholder: t('incident.closeReasonPh'), dataset: { testid: 'close-reason' } });
  const status = formStatus();
  const submit = h('button', { type: 'submit', class: 'btn btn-danger-ghost', dataset: { testid: 'close-incident' } }, t('incident.closeConfirm'));
  const form = formCard({ fields: [[t('incident.closeReason'), reason, null, 'close-reason']], status, buttons: [submit] });
  form.classList.add('close-form');
  submitWith(form, submit, status, async () => {
    if (!reason.value.trim()) {
      mount(status, notice(t('incident.needReason'), 'warning'));
      reason.focus();
      return false;
    }
    onClosed(await api.post(`/incidents/${incident.id}/close`, { json: { reason: reason.value.trim() } }));
  });
  return section(t('incident.close'), 'close', form);
}
