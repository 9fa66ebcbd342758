// The pooling advisor of one round under a place (GET /rounds/{id}/advisor).
//
//   #/rounds/ID/advisor[?place=PID]   the prevalence the round's resulted pools point to, with
//                                     its 95% interval; for the next round each pool size
//                                     (1, 5, 10, 20 within the dilution limit) with its expected
//                                     tests per person, tubes, retests and kits, the advised
//                                     one highlighted; people under zones that set a size

import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { loading, errorBox, notice, headRow } from '../ui.js';

/** A share as a per cent, with more digits when it is small: 0.0051 → "0.51%". */
function pct(x) {
  const p = x * 100;
  if (p === 0 || p >= 10) return `${Math.round(p * 10) / 10}%`;
  return `${p.toFixed(p < 1 ? 2 : 1)}%`;
}

/** A count expected on average: whole when large, one decimal when small. */
function count(x) {
  return x >= 100 ? Math.round(x).toLocaleString() : String(Math.round(x * 10) / 10);
}

/** Appends the children that are not null (Node.append would write "null"). */
function add(el, ...children) {
  el.append(...children.filter((c) => c !== null));
}

function stat(testid, value, label, cls = 'stat-neutral') {
  return h('div', { class: `stat ${cls}`, dataset: { testid } }, h('span', { class: 'stat-n' }, value), h('span', { class: 'stat-label' }, label));
}

export async function render(view, ctx) {
  const roundId = Number(ctx.params.id);
  mount(view, loading());
  const placeParam = Number(ctx.query.get('place')) || null;
  let round;
  let adv;
  try {
    round = await api.get(`/rounds/${roundId}`);
    const placeId = placeParam || ctx.user.scope_place_id || (round.place_ids.length === 1 ? round.place_ids[0] : null);
    adv = await api.get(`/rounds/${roundId}/advisor`, placeId ? { place_id: placeId } : {});
  } catch (err) {
    return mount(view, errorBox(err, () => render(view, ctx)));
  }
  mount(
    view,
    h('p', { class: 'back' }, h('a', { href: `#/rounds/${roundId}?place=${adv.place_id}`, dataset: { testid: 'back' } }, `← ${round.name}`)),
    h('div', { class: 'page-header' }, h('h1', { class: 'page-title', dataset: { testid: 'advisor-title' } }, t('advisor.title', { place: adv.place_name }))),
    drawThisRound(adv),
    drawNextRound(adv),
    h('p', { class: 'muted', dataset: { testid: 'advisor-assay' } }, t('advisor.assay', {
      se: pct(adv.assay.sensitivity), sp: pct(adv.assay.specificity), max: adv.assay.max_pool_size,
    })),
  );
}

function drawThisRound(adv) {
  const section = h('section', { class: 'section', dataset: { testid: 'advisor-prevalence' } }, h('h2', null, t('advisor.thisRound')));
  if (!adv.prevalence) {
    add(section, notice(t(`advisor.reason.${adv.reason || 'no_resulted_pools'}`)));
    return section;
  }
  const p = adv.prevalence;
  add(section, 
    h(
      'div',
      { class: 'stats stats-4' },
      stat('adv-estimate', pct(p.estimate), t('advisor.estimate'), p.estimate > 0 ? 'stat-warn' : 'stat-good'),
      stat('adv-interval', `${pct(p.lower)}–${pct(p.upper)}`, t('advisor.interval', { c: Math.round(p.confidence * 100) })),
      stat('adv-pools', String(p.pools), t('advisor.poolsTested')),
      stat('adv-positive', String(p.positive_pools), t('advisor.poolsPositive'), p.positive_pools ? 'stat-bad' : 'stat-neutral'),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', dataset: { testid: 'advisor-pools' } },
        headRow([t('advisor.col.size'), t('advisor.col.tubes'), t('advisor.col.positive')]),
        h(
          'tbody',
          null,
          adv.pools.map((g) =>
            h(
              'tr',
              null,
              h('td', { 'data-label': t('advisor.col.size') }, t('advisor.sizeN', { n: g.size })),
              h('td', { class: 'mono', 'data-label': t('advisor.col.tubes') }, String(g.tubes)),
              h('td', { class: 'mono', 'data-label': t('advisor.col.positive') }, String(g.positive)),
            ),
          ),
        ),
      ),
    ),
  );
  return section;
}

function drawNextRound(adv) {
  const next = adv.next_round;
  const section = h('section', { class: 'section', dataset: { testid: 'advisor-next' } }, h('h2', null, t('advisor.nextRound')));
  if (!next) return section;
  add(section, 
    h(
      'div',
      { class: 'stats stats-4' },
      stat('adv-size', t('advisor.sizeN', { n: next.pool_size }), t('advisor.advised'), 'stat-good'),
      stat('adv-tubes', count(next.tubes), t('advisor.tubes')),
      stat('adv-retests', count(next.retests), t('advisor.retests')),
      stat('adv-kits', count(next.kits), t('advisor.kits')),
    ),
    h('p', { class: 'muted', dataset: { testid: 'adv-people' } }, t('advisor.people', { n: next.people, e: next.tests_per_person.toFixed(3) })),
    next.zoned.length
      ? h(
          'ul',
          { class: 'advisor-zoned', dataset: { testid: 'adv-zoned' } },
          next.zoned.map((z) => h('li', null, t('advisor.zoned', { n: z.people, size: z.pool_size }))),
        )
      : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', dataset: { testid: 'advisor-options' } },
        headRow(['size', 'e', 'tubes', 'retests', 'kits'].map((k) => t(`advisor.opt.${k}`))),
        h(
          'tbody',
          null,
          next.options.map((o) => {
            const chosen = o.pool_size === next.pool_size;
            return h(
              'tr',
              { class: chosen ? 'row-chosen' : null, 'aria-current': chosen ? 'true' : null, dataset: { testid: 'option-row', size: String(o.pool_size), chosen: chosen ? 'yes' : 'no' } },
              h('td', { 'data-label': t('advisor.opt.size') }, t('advisor.sizeN', { n: o.pool_size }), chosen ? h('span', { class: 'badge' }, t('advisor.advisedBadge')) : null),
              h('td', { class: 'mono', 'data-label': t('advisor.opt.e') }, o.tests_per_person.toFixed(3)),
              h('td', { class: 'mono', 'data-label': t('advisor.opt.tubes') }, count(o.tubes)),
              h('td', { class: 'mono', 'data-label': t('advisor.opt.retests') }, count(o.retests)),
              h('td', { class: 'mono', 'data-label': t('advisor.opt.kits') }, count(o.kits)),
            );
          }),
        ),
      ),
    ),
  );
  return section;
}
