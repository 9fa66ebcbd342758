// One resident: GET /api/v1/residents/{id}. Admin and community users may reveal the full ID
// number (?reveal=true); the server records every reveal in the audit log, and the page says so.
// Below: the resident's personal code as a QR image (GET /residents/{id}/code.svg, fetched with
// the token into a blob URL), a link to their own public status page, and the printable A4 sheet
// of codes of their building (GET /places/{id}/codes.svg?page=N, opened as a blob).

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api, saveBlob } from '../api.js';
import { can } from '../roles.js';
import { loading, errorBox, tagChips, notice } from '../ui.js';
import { reasonList } from './status.js';

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
    can(ctx.user, 'read_status') ? statusSection(r) : null,
    codeSection(r, ctx),
  );
}

/** The resident's colour now, and why: each reason with how it clears. */
function statusSection(r) {
  const body = h('div', { class: 'resident-status-body' }, loading());
  api
    .get(`/people/${r.id}/status`)
    .then((st) => {
      const color = ['green', 'yellow', 'red'].includes(st.color) ? st.color : 'yellow';
      mount(
        body,
        h(
          'p',
          { class: 'resident-status-line' },
          h('span', { class: `color-chip color-${color}`, dataset: { testid: 'resident-color', color } }, t(`color.${color}`)),
          has(`state.${st.state}`) ? h('span', { class: 'muted' }, t(`state.${st.state}`)) : null,
        ),
        st.reasons.length ? reasonList(st.reasons) : h('p', { class: 'status-ok' }, t('status.noReasons')),
      );
    })
    .catch((err) => mount(body, errorBox(err)));
  return h(
    'section',
    { class: 'card resident-card section resident-status', dataset: { testid: 'resident-status' } },
    h('h2', null, t('resident.status')),
    body,
  );
}

// The QR image's blob URL, released when the next one is made.
let qrUrl = null;

function codeSection(r, ctx) {
  const qr = h('div', { class: 'qr-box', dataset: { testid: 'qr' } }, loading());
  const links = h('div', { class: 'code-links' });
  const sheet = h('div', { class: 'code-sheet' });
  const section = h(
    'section',
    { class: 'card resident-card code-card section', dataset: { testid: 'resident-code' } },
    h('h2', null, t('code.title')),
    h('div', { class: 'code-grid' }, qr, h('div', null, h('p', { class: 'hint' }, t('code.hint')), links, sheet)),
  );

  api
    .blob(`/residents/${r.id}/code.svg`, { accept: 'image/svg+xml' })
    .then(({ blob }) => {
      if (qrUrl) URL.revokeObjectURL(qrUrl);
      qrUrl = URL.createObjectURL(blob);
      mount(qr, h('img', { src: qrUrl, alt: t('code.alt', { name: r.name }), width: '200', height: '200', dataset: { testid: 'qr-img' } }));
    })
    .catch((err) => mount(qr, errorBox(err)));

  const linkItems = [];
  if (can(ctx.user, 'read_status')) {
    linkItems.push(h('a', { class: 'btn btn-small', href: `#/status/${r.id}`, dataset: { testid: 'resident-status' } }, t('code.status')));
  }
  const publicLink = h('span');
  linkItems.push(publicLink);
  mount(links, linkItems);
  api
    .get(`/residents/${r.id}/code`)
    .then(({ code }) => {
      const link = h(
        'a',
        {
          class: 'btn btn-small btn-ghost',
          href: `#/status?code=${encodeURIComponent(code)}`,
          target: '_blank',
          rel: 'noopener',
          dataset: { testid: 'public-status-link' },
        },
        t('code.publicLink'),
      );
      mount(publicLink, link);
    })
    .catch(() => {});

  sheetControl(sheet, r);
  return section;
}

/** The A4 sheet of codes for the resident's building (else their own place). */
async function sheetControl(el, r) {
  let place;
  try {
    place = await api.get(`/places/${r.place_id}`);
  } catch {
    return;
  }
  const chain = [...(place.ancestors || []), place];
  const target = chain.find((p) => p.kind === 'building') || chain.filter((p) => p.kind !== 'district' && p.kind !== 'street').pop();
  if (!target) return;
  let page = 1;
  let pages = null;
  const status = h('div', { 'aria-live': 'polite' });
  const pageInfo = h('span', { class: 'hint', dataset: { testid: 'sheet-pages' } });
  const pageInput = h('input', { type: 'number', min: '1', value: '1', class: 'page-input', 'aria-label': t('code.sheetPage'), dataset: { testid: 'sheet-page' } });
  pageInput.addEventListener('change', () => {
    const n = Math.max(1, Math.floor(Number(pageInput.value) || 1));
    page = pages ? Math.min(n, pages) : n;
    pageInput.value = String(page);
  });

  async function open(ev) {
    ev.preventDefault();
    // Opened now, while the click still counts as the user's, and filled once the sheet is here.
    const win = window.open('', '_blank');
    mount(status);
    try {
      const { blob, headers } = await api.blob(`/places/${target.id}/codes.svg`, { query: { page }, accept: 'image/svg+xml' });
      pages = Number(headers.get('X-Page-Count')) || null;
      if (pages) {
        pageInput.max = String(pages);
        pageInfo.textContent = t('code.sheetPages', { n: pages, people: headers.get('X-Resident-Count') || '?' });
      }
      const url = URL.createObjectURL(blob);
      if (win) win.location.href = url;
      else saveBlob(blob, `codes-${target.name}-${page}.svg`);
      setTimeout(() => URL.revokeObjectURL(url), 120_000);
    } catch (err) {
      if (win) win.close();
      mount(status, errorBox(err));
    }
  }

  mount(
    el,
    h(
      'div',
      { class: 'sheet-row' },
      h('a', { href: '#', class: 'btn btn-small', onclick: open, dataset: { testid: 'code-sheet' } }, t('code.sheet', { place: target.name })),
      h('label', { class: 'sheet-page-label' }, t('code.sheetPage'), pageInput),
      pageInfo,
    ),
    status,
  );
}

/** Back to where we came from when that was inside the app (e.g. search results); else the place. */
function backClick(ev, ctx) {
  if (ctx.cameFromApp) {
    ev.preventDefault();
    history.back();
  }
}
