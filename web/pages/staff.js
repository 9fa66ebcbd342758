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

async function drawDuty(area) {
  let data;
  try {
    data = await api.get('/staff/on-duty');
  } catch (err) {
    return mount(area, errorBox(err, () => drawDuty(area)));
  }
  if (!data.on_duty.length) return mount(area, h('p', { class: 'muted' }, t('staff.empty')));
  const cols = ['name', 'kind', 'place', 'duty', 'until', 'phone'];
  mount(
    area,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table' },
        headRow(cols.map((c) => t(`staff.col.${c}`))),
        h(
          'tbody',
          null,
          data.on_duty.map((s) => {
            const cells = [s.staff.name, has(`staff.kind.${s.staff.kind}`) ? t(`staff.kind.${s.staff.kind}`) : s.staff.kind, s.place_name, s.duty, fmtTime(s.ends_at), s.staff.phone];
            return h('tr', { dataset: { testid: 'on-duty-row' } }, cells.map((v, i) => h('td', { 'data-label': t(`staff.col.${cols[i]}`) }, v)));
          }),
        ),
      ),
    ),
  );
}

async function drawScans(area) {
  let data;
  try {
    data = await api.get('/staff/scans-per-hour');
  } catch (err) {
    return mount(area, errorBox(err, () => drawScans(area)));
  }
  if (!data.hours.length) return mount(area, h('p', { class: 'muted' }, t('staff.scansEmpty')));
  const cols = ['hour', 'user', 'scans'];
  mount(
    area,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table' },
        headRow(cols.map((c) => t(`staff.col.${c}`))),
        h(
          'tbody',
          null,
          data.hours.map((r) => h('tr', null, [fmtTime(r.hour), r.username, String(r.scans)].map((v, i) => h('td', { 'data-label': t(`staff.col.${cols[i]}`) }, v)))),
        ),
      ),
    ),
  );
}
