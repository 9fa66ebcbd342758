// Import residents: a CSV file or pasted text, POSTed as text/csv to /api/v1/residents/import.
// Shows how many were created and updated, and a table of the rejected rows with their codes.

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import { errorBox, notice } from '../ui.js';

export const HEADER = 'id_number,name,phone,district,street,community,building,unit,room,tags';

// A file up to this size is shown in the text box to check and edit; a larger one (a whole
// district) is sent as it is, straight from the disk.
const EDITABLE_BYTES = 512 * 1024;
// Rejected rows listed on screen; past that, the count says how many more there are.
const SHOWN_REJECTS = 500;

// What the page showed, kept across a redraw (language switch): the text or the large file
// chosen, and the last report.
let kept = { text: '', file: null, report: null, error: null };

export function render(view, ctx) {
  if (!ctx.rerender) kept = { text: '', file: null, report: null, error: null };

  const fileInput = h('input', {
    id: 'import-file',
    type: 'file',
    accept: '.csv,text/csv,text/plain',
    class: 'file-input',
    dataset: { testid: 'import-file' },
  });
  const textarea = h('textarea', {
    id: 'import-text',
    rows: '8',
    spellcheck: 'false',
    placeholder: `${HEADER}\n…`,
    class: 'mono',
    dataset: { testid: 'import-text' },
  });
  textarea.value = kept.text;
  const fileNote = h('p', { class: 'hint', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'import-submit' } }, t('import.submit'));
  const result = h('div', { class: 'import-result', 'aria-live': 'polite', dataset: { testid: 'import-result' } });

  textarea.addEventListener('input', () => {
    kept.text = textarea.value;
    kept.file = null;
    fileNote.textContent = '';
  });
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    if (file.size > EDITABLE_BYTES) {
      kept.file = file;
      kept.text = '';
      textarea.value = '';
      fileNote.textContent = t('import.fileLarge', { name: file.name, size: megabytes(file.size) });
      return;
    }
    kept.file = null;
    textarea.value = (await file.text()).replace(/^\uFEFF/, '');
    kept.text = textarea.value;
    const lines = textarea.value.split(/\r?\n/).filter((l) => l.trim() !== '').length;
    fileNote.textContent = t('import.fileLoaded', { name: file.name, n: lines });
  });
  if (kept.file) fileNote.textContent = t('import.fileLarge', { name: kept.file.name, size: megabytes(kept.file.size) });

  const form = h(
    'form',
    { class: 'import-form card', dataset: { testid: 'import-form' } },
    h('div', { class: 'field' }, h('label', { for: 'import-file' }, t('import.file')), fileInput, fileNote),
    h('div', { class: 'field' }, h('label', { for: 'import-text' }, t('import.text')), textarea),
    h('div', { class: 'form-actions' }, submit),
  );

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = textarea.value.replace(/^\uFEFF/, '');
    if (!kept.file && !text.trim()) {
      mount(result, notice(t('import.empty'), 'warning'));
      return;
    }
    const body = kept.file || (text.endsWith('\n') ? text : `${text}\n`);
    submit.disabled = true;
    submit.textContent = t('import.busy');
    mount(result);
    try {
      kept.report = await api.post('/residents/import', { csv: body });
      kept.error = null;
    } catch (err) {
      kept.report = null;
      kept.error = err;
    } finally {
      submit.disabled = false;
      submit.textContent = t('import.submit');
    }
    drawResult(result);
  });

  drawResult(result);
  mount(
    view,
    h('h1', { class: 'page-title' }, t('import.title')),
    h('p', { class: 'lead' }, t('import.intro')),
    h(
      'div',
      { class: 'callout' },
      h('p', { class: 'callout-title' }, t('import.header')),
      h('pre', { class: 'mono header-sample', dataset: { testid: 'import-header' } }, HEADER),
      h('p', { class: 'hint' }, t('import.optional')),
    ),
    form,
    result,
  );
}

function megabytes(bytes) {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function drawResult(el) {
  if (kept.error) return mount(el, errorBox(kept.error));
  const r = kept.report;
  if (!r) return mount(el);
  const stat = (key, n, cls) =>
    h('div', { class: `stat ${cls}`, dataset: { testid: `import-${key}` } }, h('span', { class: 'stat-n' }, String(n)), h('span', { class: 'stat-label' }, t(`import.${key}`)));
  mount(
    el,
    h(
      'div',
      { class: 'stats' },
      stat('created', r.created, 'stat-good'),
      stat('updated', r.updated, 'stat-neutral'),
      stat('rejected', r.rejected.length, r.rejected.length ? 'stat-bad' : 'stat-neutral'),
    ),
    r.rejected.length
      ? h(
          'section',
          { class: 'section' },
          h('h2', null, t('import.rejectedRows')),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table rejected-table', dataset: { testid: 'rejected-table' } },
              h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('import.line')), h('th', { scope: 'col' }, t('import.code')), h('th', { scope: 'col' }, t('import.detail')))),
              h(
                'tbody',
                null,
                r.rejected.slice(0, SHOWN_REJECTS).map((row) =>
                  h(
                    'tr',
                    { dataset: { testid: 'rejected-row' } },
                    h('td', { class: 'mono', 'data-label': t('import.line') }, String(row.line)),
                    h(
                      'td',
                      { 'data-label': t('import.code') },
                      h('code', { class: 'code-chip' }, row.code),
                      has(`rowcode.${row.code}`) ? h('span', { class: 'code-text' }, t(`rowcode.${row.code}`)) : null,
                    ),
                    h('td', { 'data-label': t('import.detail') }, row.detail),
                  ),
                ),
              ),
            ),
          ),
          r.rejected.length > SHOWN_REJECTS
            ? h('p', { class: 'hint' }, t('import.moreRejected', { shown: SHOWN_REJECTS, n: r.rejected.length }))
            : null,
        )
      : notice(t('import.allGood'), 'success'),
  );
}
