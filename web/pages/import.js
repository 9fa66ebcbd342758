// Import residents: a CSV file (UTF-8, or GBK as Excel and WPS save it on Chinese systems), an
// Excel workbook (.xlsx) or pasted text, POSTed to /api/v1/residents/import. Shows how many were
// created and updated, the encoding the server read, and the rejected rows with their codes.

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import { errorBox, notice } from '../ui.js';

export const HEADER = 'id_number,name,phone,district,street,community,building,unit,room,tags';
export const HEADER_ZH = '身份证号,姓名,电话,区,街道,社区,楼,单元,室,标签';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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
    accept: `.csv,.xlsx,text/csv,text/plain,${XLSX_TYPE}`,
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
    const text = await editableText(file);
    if (text === null) {
      // A workbook, a large file or one not in UTF-8 (GBK): sent as it is, the server reads it.
      kept.file = file;
      kept.text = '';
      textarea.value = '';
      fileNote.textContent = fileNoteText(file);
      return;
    }
    kept.file = null;
    textarea.value = text;
    kept.text = textarea.value;
    const lines = textarea.value.split(/\r?\n/).filter((l) => l.trim() !== '').length;
    fileNote.textContent = t('import.fileLoaded', { name: file.name, n: lines });
  });
  if (kept.file) fileNote.textContent = fileNoteText(kept.file);

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
    const upload = kept.file
      ? { file: kept.file, fileType: isWorkbook(kept.file) ? XLSX_TYPE : 'text/csv' }
      : { csv: text.endsWith('\n') ? text : `${text}\n` };
    submit.disabled = true;
    submit.textContent = t('import.busy');
    mount(result);
    try {
      kept.report = await api.post('/residents/import', upload);
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
      // Focusable: on a phone the line scrolls sideways, and a keyboard must be able to scroll it.
      h('pre', { class: 'mono header-sample', tabindex: '0', dataset: { testid: 'import-header' } }, HEADER),
      h('pre', { class: 'mono header-sample', tabindex: '0', dataset: { testid: 'import-header-zh' } }, HEADER_ZH),
      h('p', { class: 'hint' }, t('import.optional')),
    ),
    form,
    result,
  );
}

function megabytes(bytes) {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function isWorkbook(file) {
  return /\.xlsx$/i.test(file.name) || file.type === XLSX_TYPE;
}

/** The file's text to show and edit, or null when it goes as it is (workbook, large, not UTF-8). */
async function editableText(file) {
  if (isWorkbook(file) || file.size > EDITABLE_BYTES) return null;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
    return text.replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}

function fileNoteText(file) {
  if (isWorkbook(file)) return t('import.fileWorkbook', { name: file.name });
  if (file.size > EDITABLE_BYTES) return t('import.fileLarge', { name: file.name, size: megabytes(file.size) });
  return t('import.fileNotUtf8', { name: file.name });
}

/** unsupported_encoding in the page's language, with the line the server named. */
function encodingError(err) {
  const line = err.extra('line');
  return h(
    'div',
    { class: 'alert alert-error', role: 'alert', dataset: { testid: 'error' } },
    h('span', { class: 'alert-text' }, t('import.badEncoding', { line: line ?? '?' })),
    h('code', { class: 'alert-code', dataset: { testid: 'error-code' } }, err.code),
  );
}

function encodingName(encoding) {
  return has(`encoding.${encoding}`) ? t(`encoding.${encoding}`) : encoding;
}

function drawResult(el) {
  if (kept.error) {
    return mount(el, kept.error.code === 'unsupported_encoding' ? encodingError(kept.error) : errorBox(kept.error));
  }
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
    r.encoding
      ? h('p', { class: 'hint', dataset: { testid: 'import-encoding' } }, t('import.encoding', { encoding: encodingName(r.encoding) }))
      : null,
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
