// The lab (检测机构), in three tabs:
//
//   #/lab/receive        scan a box in: the tubes found in it (scanned one by one or pasted) →
//                        POST /lab/receipts, showing received, missing and unexpected tubes
//   #/lab/discrepancies  open discrepancies (GET /lab/discrepancies?open=true), each settled with
//                        a note (POST /lab/discrepancies/{id}/resolve)
//   #/lab/results        results from the instrument: CSV "tube,result[,ct_orf1ab,ct_n]" or
//                        JSON, pasted or from a file → POST /lab/results, showing the accepted
//                        count and each rejected row with its code

import { h, mount } from '../dom.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import { loading, errorBox, notice, fmtTime, scanField, feedback, keepScannerFocus, headRow } from '../ui.js';

const TABS = ['receive', 'discrepancies', 'results'];

// Kept across a redraw (language switch).
let kept = freshKept();

function freshKept() {
  return { box: '', found: '', receipt: null, receiptError: null, results: '', report: null, reportError: null, reportFormat: 'csv' };
}

export async function render(view, ctx) {
  if (!ctx.rerender) {
    // Typing survives moving between tabs; reports do not.
    kept = { ...freshKept(), box: kept.box, found: kept.found, results: kept.results };
  }
  const tab = TABS.includes(ctx.params.tab) ? ctx.params.tab : 'receive';
  const body = h('div', { class: 'lab-body' });
  mount(
    view,
    h('h1', { class: 'page-title' }, t('lab.title')),
    h(
      'nav',
      { class: 'tabs', 'aria-label': t('lab.title') },
      TABS.map((id) =>
        h(
          'a',
          { href: `#/lab/${id}`, class: id === tab ? 'tab active' : 'tab', 'aria-current': id === tab ? 'page' : null, dataset: { testid: `lab-tab-${id}` } },
          t(`lab.tab.${id}`),
        ),
      ),
    ),
    body,
  );
  if (tab === 'receive') return renderReceive(body, view);
  if (tab === 'discrepancies') return renderDiscrepancies(body);
  return renderResults(body);
}

// ---------------------------------------------------------------------------------------------
// Receive a box

function parseList(text) {
  const seen = new Set();
  const out = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const b = raw.trim();
    if (b && !seen.has(b)) {
      seen.add(b);
      out.push(b);
    }
  }
  return out;
}

function renderReceive(body, view) {
  const box = h('input', {
    id: 'receipt-box',
    type: 'text',
    class: 'scan-input',
    autocomplete: 'off',
    spellcheck: 'false',
    value: kept.box,
    dataset: { testid: 'receipt-box' },
    placeholder: t('box.scanBoxPh'),
  });
  const found = h('textarea', {
    id: 'receipt-tubes',
    rows: '8',
    spellcheck: 'false',
    class: 'mono',
    dataset: { testid: 'receipt-tubes' },
    placeholder: 'TB-0000123456\nTB-0000123457',
  });
  found.value = kept.found;
  const counter = h('p', { class: 'hint', dataset: { testid: 'receipt-found-count' } });
  const updateCount = () => {
    kept.found = found.value;
    counter.textContent = t('lab.foundCount', { n: parseList(found.value).length });
  };
  updateCount();
  found.addEventListener('input', updateCount);
  box.addEventListener('input', () => {
    kept.box = box.value;
  });

  const scan = scanField({
    id: 'receipt-scan',
    label: t('lab.scanFound'),
    placeholder: t('station.scanTubePh'),
    testid: 'receipt-scan',
    button: t('lab.addFound'),
    onScan: (v) => {
      const list = parseList(found.value);
      if (list.includes(v)) {
        feedback('error');
        mount(result, notice(t('lab.alreadyListed', { tube: v }), 'warning'));
      } else {
        found.value = `${found.value.replace(/\s+$/, '')}${found.value.trim() ? '\n' : ''}${v}\n`;
        feedback('ok');
        mount(result);
      }
      updateCount();
    },
  });
  // After the box barcode, Enter moves to the tube scanner.
  box.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      scan.focus();
    }
  });
  keepScannerFocus(view, () => (box.value.trim() ? scan.input : box));

  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', dataset: { testid: 'receipt-submit' } }, t('lab.receive'));
  const result = h('div', { class: 'receipt-result', 'aria-live': 'polite', dataset: { testid: 'receipt-result' } });
  const form = h(
    'form',
    { class: 'card lab-form', dataset: { testid: 'receipt-form' } },
    h('div', { class: 'field' }, h('label', { for: 'receipt-box', class: 'scan-label' }, t('lab.box')), box),
    scan.el,
    h('div', { class: 'field' }, h('label', { for: 'receipt-tubes' }, t('lab.foundList')), found, counter),
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const b = box.value.trim();
    if (!b) {
      mount(result, notice(t('lab.needBox'), 'warning'));
      box.focus();
      return;
    }
    submit.disabled = true;
    try {
      kept.receipt = await api.post('/lab/receipts', { json: { box: b, tubes: parseList(found.value) } });
      kept.receiptError = null;
      feedback(kept.receipt.missing.length || kept.receipt.unexpected.length ? 'error' : 'done');
      kept.box = '';
      kept.found = '';
      box.value = '';
      found.value = '';
      updateCount();
      box.focus();
    } catch (err) {
      kept.receipt = null;
      kept.receiptError = err;
      feedback('error');
    } finally {
      submit.disabled = false;
    }
    drawReceipt(result);
  });
  drawReceipt(result);
  mount(body, h('p', { class: 'lead' }, t('lab.receiveIntro')), form, result);
  if (!kept.receipt) (box.value.trim() ? scan : { focus: () => box.focus() }).focus();
}

function drawReceipt(el) {
  if (kept.receiptError) return mount(el, errorBox(kept.receiptError));
  const r = kept.receipt;
  if (!r) return mount(el);
  const list = (key, items, cls) =>
    h(
      'div',
      { class: `stat receipt-${key} ${cls}`, dataset: { testid: `receipt-${key}` } },
      h('span', { class: 'stat-n' }, String(items.length)),
      h('span', { class: 'stat-label' }, t(`lab.${key}`)),
      items.length
        ? h('ul', { class: 'barcode-list' }, items.map((b) => h('li', { class: 'mono' }, h('a', { href: `#/tubes/${encodeURIComponent(b)}` }, b))))
        : null,
    );
  const clean = !r.missing.length && !r.unexpected.length;
  mount(
    el,
    clean
      ? notice(t('lab.receivedAll', { box: r.box, n: r.received.length }), 'success')
      : h(
          'div',
          { class: 'alert alert-error', role: 'alert' },
          h('span', { class: 'alert-text' }, t('lab.receivedWithIssues', { box: r.box })),
          h('a', { class: 'btn btn-small', href: '#/lab/discrepancies', dataset: { testid: 'to-discrepancies' } }, t('lab.tab.discrepancies')),
        ),
    h(
      'div',
      { class: 'stats' },
      list('received', r.received, 'stat-good'),
      list('missing', r.missing, r.missing.length ? 'stat-bad' : 'stat-neutral'),
      list('unexpected', r.unexpected, r.unexpected.length ? 'stat-warn' : 'stat-neutral'),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Discrepancies

async function renderDiscrepancies(body) {
  const list = h('div');
  mount(body, h('p', { class: 'lead' }, t('lab.discrepanciesIntro')), list);
  const rows = [];
  let cursor = null;
  const tbody = h('tbody');
  const footer = h('div', { class: 'list-footer' });

  async function loadPage() {
    mount(footer, loading());
    let page;
    try {
      page = await api.get('/lab/discrepancies', { open: 'true', limit: 100, cursor });
    } catch (err) {
      return mount(footer, errorBox(err, loadPage));
    }
    if (!rows.length && !page.discrepancies.length) {
      return mount(list, notice(t('lab.noDiscrepancies'), 'success'));
    }
    if (!rows.length) {
      mount(
        list,
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table', dataset: { testid: 'discrepancies' } },
            headRow(['lab.col.tube', 'lab.col.box', 'lab.col.kind', 'lab.col.since', 'lab.col.action'].map((k) => t(k))),
            tbody,
          ),
        ),
        footer,
      );
    }
    for (const d of page.discrepancies) {
      rows.push(d);
      tbody.append(discrepancyRow(d));
    }
    cursor = page.next_cursor;
    mount(footer, cursor ? h('button', { type: 'button', class: 'btn', onclick: loadPage }, t('registry.loadMore')) : null);
  }
  mount(list, loading());
  return loadPage();
}

function discrepancyRow(d) {
  const action = h('td', { 'data-label': t('lab.col.action') });
  const row = h(
    'tr',
    { dataset: { testid: 'discrepancy', tube: d.tube } },
    h('td', { class: 'mono cell-id', 'data-label': t('lab.col.tube') }, h('a', { href: `#/tubes/${encodeURIComponent(d.tube)}` }, d.tube)),
    h('td', { class: 'mono', 'data-label': t('lab.col.box') }, d.box),
    h('td', { 'data-label': t('lab.col.kind') }, h('span', { class: `badge kind-${d.kind}` }, t(`lab.${d.kind}`))),
    h('td', { class: 'mono', 'data-label': t('lab.col.since') }, fmtTime(d.created_at, { short: true })),
    action,
  );
  const drawButton = () =>
    mount(
      action,
      h('button', { type: 'button', class: 'btn btn-small', dataset: { testid: 'resolve' }, onclick: drawForm }, t('lab.resolve')),
    );
  function drawForm() {
    const input = h('input', { type: 'text', dataset: { testid: 'resolution' }, placeholder: t('lab.resolutionPh'), 'aria-label': t('lab.resolution') });
    const status = h('div');
    const form = h(
      'form',
      { class: 'resolve-form' },
      input,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-small btn-primary', dataset: { testid: 'resolve-confirm' } }, t('lab.resolveConfirm')),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: drawButton }, t('common.cancel')),
      ),
      status,
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const resolution = input.value.trim();
      if (!resolution) {
        mount(status, notice(t('err.reason_required'), 'warning'));
        input.focus();
        return;
      }
      try {
        const done = await api.post(`/lab/discrepancies/${d.id}/resolve`, { json: { resolution } });
        row.classList.add('row-done');
        mount(action, h('span', { class: 'done-text', dataset: { testid: 'resolved' } }, `✓ ${t('lab.resolved')}: ${done.resolution}`));
      } catch (err) {
        mount(status, errorBox(err));
      }
    });
    mount(action, form);
    input.focus();
  }
  drawButton();
  return row;
}

// ---------------------------------------------------------------------------------------------
// Results

/** 'json' when the text looks like JSON, else 'csv'. */
function formatOf(text) {
  const s = text.trimStart();
  return s.startsWith('{') || s.startsWith('[') ? 'json' : 'csv';
}

function renderResults(body) {
  const fileInput = h('input', {
    id: 'results-file',
    type: 'file',
    accept: '.csv,.json,text/csv,application/json,text/plain',
    class: 'file-input',
    dataset: { testid: 'results-file' },
  });
  const textarea = h('textarea', {
    id: 'results-text',
    rows: '10',
    spellcheck: 'false',
    class: 'mono',
    dataset: { testid: 'results-text' },
    placeholder: 'tube,result\nTB-0000123456,negative\nTB-0000123457,positive',
  });
  textarea.value = kept.results;
  const fileNote = h('p', { class: 'hint', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'results-submit' } }, t('lab.upload'));
  const result = h('div', { class: 'import-result', 'aria-live': 'polite', dataset: { testid: 'results-report' } });

  textarea.addEventListener('input', () => {
    kept.results = textarea.value;
  });
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    textarea.value = (await file.text()).replace(/^\uFEFF/, '');
    kept.results = textarea.value;
    fileNote.textContent = t('lab.fileLoaded', { name: file.name, format: formatOf(textarea.value).toUpperCase() });
  });

  const form = h(
    'form',
    { class: 'card lab-form', dataset: { testid: 'results-form' } },
    h('div', { class: 'field' }, h('label', { for: 'results-file' }, t('lab.resultsFile')), fileInput, fileNote),
    h('div', { class: 'field' }, h('label', { for: 'results-text' }, t('lab.resultsText')), textarea, h('p', { class: 'hint' }, t('lab.resultsHint'))),
    h('div', { class: 'form-actions' }, submit),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = textarea.value.replace(/^\uFEFF/, '');
    if (!text.trim()) {
      mount(result, notice(t('import.empty'), 'warning'));
      return;
    }
    const format = formatOf(text);
    let opts;
    if (format === 'json') {
      let data;
      try {
        data = JSON.parse(text);
      } catch (e) {
        mount(result, notice(t('lab.badJson', { detail: e.message }), 'warning'));
        return;
      }
      opts = { json: Array.isArray(data) ? { results: data } : data };
    } else {
      opts = { csv: text.endsWith('\n') ? text : `${text}\n` };
    }
    submit.disabled = true;
    submit.textContent = t('lab.uploading');
    try {
      kept.report = await api.post('/lab/results', opts);
      kept.reportError = null;
      kept.reportFormat = format;
      feedback(kept.report.rejected.length ? 'error' : 'done');
    } catch (err) {
      kept.report = null;
      kept.reportError = err;
      feedback('error');
    } finally {
      submit.disabled = false;
      submit.textContent = t('lab.upload');
    }
    drawReport(result);
  });
  drawReport(result);
  mount(body, h('p', { class: 'lead' }, t('lab.resultsIntro')), form, result);
}

function drawReport(el) {
  if (kept.reportError) {
    const e = kept.reportError;
    const col = e.extra && e.extra('column');
    return mount(el, errorBox(e), col ? h('p', { class: 'hint' }, t('lab.missingColumn', { column: col })) : null);
  }
  const r = kept.report;
  if (!r) return mount(el);
  const stat = (key, n, cls) =>
    h(
      'div',
      { class: `stat ${cls}`, dataset: { testid: `results-${key}` } },
      h('span', { class: 'stat-n' }, String(n)),
      h('span', { class: 'stat-label' }, t(`lab.${key}`)),
    );
  const indexLabel = kept.reportFormat === 'json' ? t('lab.row') : t('import.line');
  mount(
    el,
    h(
      'div',
      { class: 'stats stats-4' },
      stat('accepted', r.accepted, 'stat-good'),
      stat('recorded', r.recorded ?? 0, 'stat-neutral'),
      stat('corrected', r.corrected ?? 0, 'stat-neutral'),
      stat('rejected', r.rejected.length, r.rejected.length ? 'stat-bad' : 'stat-neutral'),
    ),
    r.unchanged ? h('p', { class: 'hint' }, t('lab.unchanged', { n: r.unchanged })) : null,
    r.rejected.length
      ? h(
          'section',
          { class: 'section' },
          h('h2', null, t('lab.rejectedRows')),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table rejected-table', dataset: { testid: 'results-rejected' } },
              headRow([indexLabel, t('lab.col.tube'), t('import.code'), t('import.detail')]),
              h(
                'tbody',
                null,
                r.rejected.slice(0, 500).map((row) =>
                  h(
                    'tr',
                    { dataset: { testid: 'results-rejected-row', code: row.code } },
                    h('td', { class: 'mono', 'data-label': indexLabel }, String(row.index)),
                    h('td', { class: 'mono cell-id', 'data-label': t('lab.col.tube') }, row.tube || t('common.none')),
                    h(
                      'td',
                      { 'data-label': t('import.code') },
                      h('code', { class: 'code-chip' }, row.code),
                      has(`rowcode.${row.code}`) ? h('span', { class: 'code-text' }, t(`rowcode.${row.code}`)) : null,
                    ),
                    h('td', { 'data-label': t('import.detail') }, row.detail || ''),
                  ),
                ),
              ),
            ),
          ),
        )
      : notice(t('lab.allAccepted'), 'success'),
  );
}
