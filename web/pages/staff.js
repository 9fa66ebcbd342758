// Staff on duty.
//
//   #/staff   who is on a shift now and where (GET /staff/on-duty), and each user's scans per
//             hour over the last 24 hours (GET /staff/scans-per-hour)

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import { loading, errorBox, headRow, fmtTime } from '../ui.js';

export async function render(view) {
  const duty = h('div', { dataset: { testid: 'on-duty' } }, loading());
  const scans = h('div', { dataset: { testid: 'scans-per-hour' } }, loading());
  mount(
    view,
    h('h1', { class: 'page-title' }, t('staff.title')),
    h('section', { class: 'section' }, duty),
    h('section', { class: 'section' }, h('h2', null, t('staff.scans')), scans),
  );
  await Promise.all([drawDuty(duty), drawScans(scans)]);
}

// A table of `rows` under the column keys `cols` (staff.col.*); `cells(row)` gives its texts.
function staffTable(cols, rows, cells, testid) {
  const label = (c) => t(`staff.col.${c}`);
  const row = (r) => h('tr', testid ? { dataset: { testid } } : null, cells(r).map((v, i) => h('td', { 'data-label': label(cols[i]) }, v)));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' }, headRow(cols.map(label)), h('tbody', null, rows.map(row))));
}

const kindText = (kind) => (has(`staff.kind.${kind}`) ? t(`staff.kind.${kind}`) : kind);

async function drawDuty(area) {
  let data;
  try {
    data = await api.get('/staff/on-duty');
  } catch (err) {
    return mount(area, errorBox(err, () => drawDuty(area)));
  }
  if (!data.on_duty.length) return mount(area, h('p', { class: 'muted' }, t('staff.empty')));
  const cells = (s) => [s.staff.name, kindText(s.staff.kind), s.place_name, s.duty, fmtTime(s.ends_at), s.staff.phone];
  mount(area, staffTable(['name', 'kind', 'place', 'duty', 'until', 'phone'], data.on_duty, cells, 'on-duty-row'));
}

async function drawScans(area) {
  let data;
  try {
    data = await api.get('/staff/scans-per-hour');
  } catch (err) {
    return mount(area, errorBox(err, () => drawScans(area)));
  }
  if (!data.hours.length) return mount(area, h('p', { class: 'muted' }, t('staff.scansEmpty')));
  const cells = (r) => [fmtTime(r.hour), r.username, String(r.scans)];
  mount(area, staffTable(['hour', 'user', 'scans'], data.hours, cells));
}
