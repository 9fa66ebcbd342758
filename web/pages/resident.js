// One resident: GET /api/v1/residents/{id}. Admin and community users may reveal the full ID
// number (?reveal=true); the server records every reveal in the audit log, and the page says so.

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../roles.js';
import { loading, errorBox, tagChips, notice } from '../ui.js';

// A revealed number survives a redraw of the same page (language switch), so switching the
// language does not reveal — and audit — it a second time.
let revealed = null; // {id, id_number}

export async function render(view, ctx) {
  const id = ctx.params.id;
  if (!ctx.rerender || !revealed || revealed.id !== id) revealed = null;
  mount(view, loading());
  let r;
  try {
    r = await api.get(`/residents/${id}`);
  } catch (err) {
    return mount(view, errorBox(err, () => render(view, ctx)));
  }

  const idValue = h('span', { class: 'mono id-number', dataset: { testid: 'id-number' } }, revealed ? revealed.id_number : r.id_number_masked);
  const revealArea = h('div', { class: 'reveal' });

  function drawReveal() {
    if (revealed) {
      mount(revealArea, notice(t('resident.revealed'), 'warning'));
      return;
    }
    const btn = h(
      'button',
      { type: 'button', class: 'btn btn-warning', dataset: { testid: 'reveal' } },
      t('resident.reveal'),
    );
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      btn.textContent = t('resident.revealBusy');
      try {
        const full = await api.get(`/residents/${id}`, { reveal: 'true' });
        revealed = { id, id_number: full.id_number };
        idValue.textContent = full.id_number;
        idValue.classList.add('revealed');
        drawReveal();
      } catch (err) {
        btn.disabled = false;
        btn.textContent = t('resident.reveal');
        mount(revealArea, btn, h('p', { class: 'hint' }, t('resident.revealNote')), errorBox(err));
      }
    });
    mount(revealArea, btn, h('p', { class: 'hint' }, t('resident.revealNote')));
  }
  if (can(ctx.user, 'reveal')) drawReveal();
  if (revealed) idValue.classList.add('revealed');

  const docType = has(`doc.${r.doc_type}`) ? t(`doc.${r.doc_type}`) : r.doc_type;
  const rows = [
    [t('resident.idNumber'), idValue],
    [t('resident.docType'), docType],
    [t('resident.phone'), r.phone ? h('a', { href: `tel:${r.phone}`, class: 'mono' }, r.phone) : t('common.none')],
    [t('resident.address'), h('a', { href: `#/places/${r.place_id}`, dataset: { testid: 'resident-place' } }, r.address)],
    [t('resident.tags'), tagChips(r.tags) || t('common.none')],
  ];
  if (r.walk_in) rows.push([t('resident.walkIn'), t('resident.walkInNote')]);

  mount(
    view,
    h(
      'p',
      { class: 'back' },
      h('a', { href: `#/places/${r.place_id}`, onclick: (ev) => backClick(ev, ctx), dataset: { testid: 'back' } }, `← ${t('common.back')}`),
    ),
    h(
      'article',
      { class: 'card resident-card', dataset: { testid: 'resident' } },
      h('div', { class: 'resident-head' }, h('h1', { dataset: { testid: 'resident-name' } }, r.name), r.walk_in ? h('span', { class: 'badge' }, t('resident.walkIn')) : null),
      h('dl', { class: 'facts' }, rows.map(([k, v]) => h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v)))),
      revealArea,
    ),
  );
}

/** Back to where we came from when that was inside the app (e.g. search results); else the place. */
function backClick(ev, ctx) {
  if (ctx.cameFromApp) {
    ev.preventDefault();
    history.back();
  }
}
