// Tube batches and stock (批次与库存): a community office's view of one sampling site.
//
//   - the site's stock: tubes issued − opened, swabs and protective kits delivered − used, each
//     marked low at or below its threshold (GET /sites/{id}/stock);
//   - record a delivery and the thresholds (PUT /sites/{id}/stock);
//   - the site's tube batches (GET /tube-batches?site_id=) and a new one as a numbered range
//     (POST /tube-batches).

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { api, errorText } from '../api.js';
import { loading, errorBox, fmtTime, notice, pageHeader } from '../ui.js';

let siteId = null;

export async function render(view, ctx) {
  mount(view, loading());
  let sites;
  try {
    sites = (await api.get('/sites', { limit: 1000 })).sites;
  } catch (err) {
    return mount(view, errorBox(err, () => render(view, ctx)));
  }
  if (!sites.some((s) => s.id === siteId)) siteId = sites.length ? sites[0].id : null;
  if (!siteId) return mount(view, pageHeader(t('stock.title')), notice(t('station.noSites')));
  let stock;
  let batches;
  try {
    [stock, batches] = await Promise.all([api.get(`/sites/${siteId}/stock`), api.get('/tube-batches', { site_id: siteId, limit: 50 })]);
  } catch (err) {
    return mount(view, errorBox(err, () => render(view, ctx)));
  }
  const picker = h(
    'select',
    {
      id: 'stock-site',
      dataset: { testid: 'stock-site' },
      onchange: () => {
        siteId = Number(picker.value);
        render(view, ctx);
      },
    },
    sites.map((s) => h('option', { value: String(s.id), selected: s.id === siteId }, s.name)),
  );
  mount(
    view,
    pageHeader(t('stock.title')),
    h('div', { class: 'card' }, h('div', { class: 'field' }, h('label', { for: 'stock-site' }, t('station.site')), picker)),
    levels(stock),
    deliveryForm(stock, () => render(view, ctx)),
    batchList(batches.batches),
    batchForm(() => render(view, ctx)),
  );
}

function levels(stock) {
  const row = (key, level) =>
    h(
      'tr',
      { class: level.low ? 'stock-low' : '', dataset: { testid: `stock-${key}`, low: String(level.low) } },
      h('th', null, t(`stock.${key}`)),
      h('td', null, String(level.issued ?? level.delivered)),
      h('td', null, String(level.used)),
      h('td', null, h('strong', null, String(level.left))),
      h('td', null, level.threshold ? String(level.threshold) : '—'),
      h('td', null, level.low ? t('stock.low') : t('stock.ok')),
    );
  return h(
    'section',
    { class: 'card' },
    h('h2', { class: 'card-title' }, t('stock.levels')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table' },
        h('thead', null, h('tr', null, ['', 'stock.in', 'stock.used', 'stock.left', 'stock.threshold', 'stock.state'].map((k) => h('th', null, k ? t(k) : '')))),
        h('tbody', null, row('tubes', stock.tubes), row('swabs', stock.swabs), row('kits', stock.kits)),
      ),
    ),
  );
}

function numberField(id, label, value) {
  const input = h('input', { id, type: 'number', min: '0', value: String(value), dataset: { testid: id } });
  return { input, el: h('div', { class: 'field' }, h('label', { for: id }, label), input) };
}

function deliveryForm(stock, done) {
  const f = {
    swabs: numberField('delivery-swabs', t('stock.swabsDelivered'), stock.swabs.delivered),
    kits: numberField('delivery-kits', t('stock.kitsDelivered'), stock.kits.delivered),
    perKit: numberField('delivery-per-kit', t('stock.samplesPerKit'), stock.samples_per_kit),
    lowTubes: numberField('delivery-low-tubes', t('stock.lowTubes'), stock.tubes.threshold),
    lowSwabs: numberField('delivery-low-swabs', t('stock.lowSwabs'), stock.swabs.threshold),
    lowKits: numberField('delivery-low-kits', t('stock.lowKits'), stock.kits.threshold),
  };
  const msg = h('div');
  const form = h('form', { class: 'card' }, h('h2', { class: 'card-title' }, t('stock.delivery')), Object.values(f).map((x) => x.el), msg, h('button', { type: 'submit', class: 'btn btn-primary' }, t('stock.save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = (x) => Number(x.input.value || 0);
    try {
      await api.put(`/sites/${siteId}/stock`, {
        json: {
          swabs_delivered: n(f.swabs),
          kits_delivered: n(f.kits),
          samples_per_kit: Math.max(1, n(f.perKit)),
          low: { tubes: n(f.lowTubes), swabs: n(f.lowSwabs), kits: n(f.lowKits) },
        },
      });
      done();
    } catch (err) {
      mount(msg, notice(errorText(err), 'error'));
    }
  });
  return form;
}

function batchList(batches) {
  return h(
    'section',
    { class: 'card' },
    h('h2', { class: 'card-title' }, t('stock.batches')),
    batches.length
      ? h(
          'ul',
          { dataset: { testid: 'stock-batches' } },
          batches.map((b) => h('li', null, t('stock.batchLine', { count: b.count, expires: fmtTime(b.expires_at), by: b.created_by }))),
        )
      : h('p', { class: 'muted' }, t('stock.noBatches')),
  );
}

function batchForm(done) {
  const prefix = h('input', { id: 'batch-prefix', type: 'text', placeholder: 'CY01-' });
  const from = h('input', { id: 'batch-from', type: 'number', min: '0', value: '1' });
  const to = h('input', { id: 'batch-to', type: 'number', min: '0', value: '500' });
  const width = h('input', { id: 'batch-width', type: 'number', min: '0', max: '20', value: '5' });
  const expires = h('input', { id: 'batch-expires', type: 'date' });
  const msg = h('div');
  const field = (input, label) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  const form = h(
    'form',
    { class: 'card' },
    h('h2', { class: 'card-title' }, t('stock.newBatch')),
    field(prefix, t('stock.prefix')),
    field(from, t('stock.from')),
    field(to, t('stock.to')),
    field(width, t('stock.width')),
    field(expires, t('stock.expires')),
    msg,
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('stock.issue')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!expires.value) return mount(msg, notice(t('stock.expiresNeeded'), 'error'));
    try {
      await api.post('/tube-batches', {
        json: {
          site_id: siteId,
          range: { prefix: prefix.value.trim(), from: Number(from.value), to: Number(to.value), width: Number(width.value) },
          expires_at: new Date(`${expires.value}T23:59:59`).toISOString(),
        },
      });
      done();
    } catch (err) {
      mount(msg, notice(errorText(err), 'error'));
    }
  });
  return form;
}
