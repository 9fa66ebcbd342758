// Tube lookup: #/tubes (a field to scan or type a barcode) and #/tubes/BARCODE — the tube's
// status and result, when it passed each step (opened … resulted), its box, and who is in it.

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../roles.js';
import { loading, errorBox, fmtTime, scanField, tubeStatusBadge, resultBadge, headRow } from '../ui.js';

const STEPS = [
  ['opened_at', 'tube.opened'],
  ['first_sample_at', 'tube.firstSample'],
  ['sealed_at', 'tube.sealed'],
  ['boxed_at', 'tube.boxed'],
  ['dispatched_at', 'tube.dispatched'],
  ['received_at', 'tube.received'],
  ['resulted_at', 'tube.resulted'],
];

export async function render(view, ctx) {
  const barcode = ctx.params.barcode || '';
  const field = scanField({
    id: 'tube-lookup',
    label: t('tube.lookupLabel'),
    placeholder: t('station.scanTubePh'),
    testid: 'lookup-input',
    button: t('tube.lookup'),
    onScan: (v) => ctx.navigate(`#/tubes/${encodeURIComponent(v)}`),
  });
  const body = h('div', { class: 'tube-body' });
  mount(view, h('h1', { class: 'page-title' }, t('tube.title')), h('div', { class: 'card lookup-card' }, field.el), body);
  if (!barcode) {
    field.focus();
    return;
  }

  mount(body, loading());
  let tube;
  let roundName = null;
  let siteName = null;
  try {
    tube = await api.get(`/tubes/${encodeURIComponent(barcode)}`);
    const [round, sites] = await Promise.all([
      api.get(`/rounds/${tube.round_id}`).catch(() => null),
      api.get('/sites').catch(() => null),
    ]);
    roundName = round ? round.name : null;
    const site = sites && sites.sites.find((s) => s.id === tube.site_id);
    siteName = site ? site.name : null;
  } catch (err) {
    return mount(body, errorBox(err, () => render(view, ctx)));
  }

  const facts = [
    [t('tube.count'), h('span', { class: 'mono', dataset: { testid: 'tube-fill' } }, `${tube.count}/${tube.capacity}`)],
    [t('tube.round'), roundName || `#${tube.round_id}`],
    [t('tube.site'), siteName || `#${tube.site_id}`],
    [t('tube.purpose'), t(`purpose.${tube.purpose}`)],
    [t('tube.box'), tube.box ? h('span', { class: 'mono' }, tube.box) : t('common.none')],
  ];

  const timeline = h(
    'ol',
    { class: 'timeline', dataset: { testid: 'timeline' } },
    STEPS.map(([key, label]) =>
      h(
        'li',
        { class: tube[key] ? 'step step-done' : 'step', dataset: { testid: `step-${key}` } },
        h('span', { class: 'step-dot', 'aria-hidden': 'true' }),
        h('span', { class: 'step-label' }, t(label)),
        h('span', { class: 'step-time mono' }, tube[key] ? fmtTime(tube[key]) : t('common.none')),
      ),
    ),
  );

  const samples = tube.samples || [];
  mount(
    body,
    h(
      'article',
      { class: 'card tube-detail', dataset: { testid: 'tube-detail' } },
      h(
        'div',
        { class: 'resident-head' },
        h('h2', { class: 'mono tube-detail-barcode', dataset: { testid: 'tube-barcode' } }, tube.barcode),
        tubeStatusBadge(tube.status),
        resultBadge(tube.result),
      ),
      h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v)))),
    ),
    h('section', { class: 'section' }, h('h2', null, t('tube.timeline')), timeline),
    h(
      'section',
      { class: 'section' },
      h('h2', null, t('tube.people'), h('span', { class: 'count' }, String(samples.length))),
      samples.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table', dataset: { testid: 'tube-samples' } },
              headRow([t('col.name'), t('col.idNumber'), t('tube.sampledAt')]),
              h(
                'tbody',
                null,
                samples.map((s) =>
                  h(
                    'tr',
                    { dataset: { testid: 'tube-sample' } },
                    h(
                      'td',
                      { class: 'cell-name', 'data-label': t('col.name') },
                      can(ctx.user, 'read_status') ? h('a', { href: `#/status/${s.person.id}` }, s.person.name) : s.person.name,
                    ),
                    h('td', { class: 'mono', 'data-label': t('col.idNumber') }, s.person.id_number_masked),
                    h('td', { class: 'mono', 'data-label': t('tube.sampledAt') }, fmtTime(s.sampled_at)),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('station.emptyTube')),
    ),
  );
}
