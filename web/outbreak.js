// Pieces the incident and zone pages share: zone levels, ages, place names by id, and a
// place picker that walks down the registry (GET /places, GET /places/{id}) one level at a time.

import { h, mount } from './dom.js';
import { t, has } from './i18n.js';
import { api } from './api.js';
import { kindLabel, errorBox } from './ui.js';

/** Zone levels, strictest first. */
export const LEVELS = ['sealed', 'controlled', 'temporary', 'prevention'];

/** The stricter of two levels (either may be null). */
export function stricter(a, b) {
  if (!a) return b;
  if (!b) return a;
  return LEVELS.indexOf(a) <= LEVELS.indexOf(b) ? a : b;
}

export function levelLabel(level) {
  return has(`zone.level.${level}`) ? t(`zone.level.${level}`) : level;
}

/** A zone level as a coloured badge. */
export function levelBadge(level) {
  return h('span', { class: `badge zone-badge level-${level}`, dataset: { testid: 'zone-level', level } }, levelLabel(level));
}

export function incidentKindLabel(kind) {
  return has(`incident.kind.${kind}`) ? t(`incident.kind.${kind}`) : kind;
}

/** An incident's status (open, closed) as a badge. */
export function incidentStatusBadge(status) {
  return h(
    'span',
    { class: `badge incident-status incident-${status}`, dataset: { testid: 'incident-status', status } },
    has(`incident.status.${status}`) ? t(`incident.status.${status}`) : status,
  );
}

/** How long ago: "25 min", "3 h", "2 d" (or 分钟 / 小时 / 天), from `iso` to `until` (now). */
export function age(iso, until = null) {
  const from = Date.parse(iso);
  if (Number.isNaN(from)) return t('common.none');
  const end = until ? Date.parse(until) : Date.now();
  const minutes = Math.max(0, Math.floor((end - from) / 60_000));
  if (minutes < 60) return t('age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('age.hours', { n: hours });
  return t('age.days', { n: Math.floor(hours / 24) });
}

// ---------------------------------------------------------------------------------------------
// Forms

/**
 * Runs `action` when the form is sent, with `button` disabled meanwhile. A failure shows in
 * `status` and frees the button; so does `action` answering false (nothing was sent: it has
 * pointed at what is missing itself).
 */
export function submitWith(form, button, status, action) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    try {
      if ((await action()) === false) button.disabled = false;
    } catch (err) {
      button.disabled = false;
      mount(status, errorBox(err));
    }
  });
}

/** A card form: a title, fields ([label, control, hint?, for?]), a status line, and the buttons. */
export function formCard({ testid, title, fields, status, buttons }) {
  return h(
    'form',
    { class: 'card outbreak-form', dataset: testid ? { testid } : null },
    title ? h('h2', null, title) : null,
    fields.map(([label, control, hint, forId]) =>
      h(
        'div',
        { class: 'field' },
        forId ? h('label', { for: forId }, label) : h('span', { class: 'label' }, label),
        control,
        hint ? h('p', { class: 'hint' }, hint) : null,
      ),
    ),
    status,
    h('div', { class: 'form-actions' }, buttons),
  );
}

/** The live line under a form where its warnings and errors go. */
export function formStatus() {
  return h('div', { class: 'form-status', 'aria-live': 'polite' });
}

// ---------------------------------------------------------------------------------------------
// Places by id

const places = new Map(); // id → Promise of the place (with children and ancestors), or null

/** GET /places/{id}, asked once per page load; null when it cannot be read. */
export function placeById(id) {
  if (!places.has(id)) {
    places.set(
      id,
      api.get(`/places/${id}`).catch(() => {
        places.delete(id);
        return null;
      }),
    );
  }
  return places.get(id);
}

/** Forget what was read (after the registry may have changed). */
export function forgetPlaces() {
  places.clear();
}

/** "朝阳区/和平街街道/小黄庄社区/1号楼/1单元" → "小黄庄社区/1号楼/1单元": from the community down. */
export function shortPath(path) {
  const parts = (path || '').split('/');
  return parts.length > 3 ? parts.slice(2).join('/') : path;
}

/** A link to the place in the registry, its name filled in once read ("#12" until then). */
export function placeLink(id) {
  const a = h('a', { href: `#/places/${id}`, class: 'place-ref', dataset: { testid: 'place-ref', placeId: String(id) } }, `#${id}`);
  placeById(id).then((p) => {
    if (p) a.textContent = shortPath(p.path);
  });
  return a;
}

// ---------------------------------------------------------------------------------------------
// The place picker

/**
 * Selects that walk down from the user's top places: choosing a place offers its children in
 * the next select, down to `deepest` (a place kind). `value()` is the deepest place chosen (or
 * null); `onChange(place)` is called with it. `start` pre-selects a chain of ids; without it a
 * user's only top place is chosen already, unless `optional` (nothing chosen is an answer).
 */
export function placePicker({ id, deepest = 'unit', onChange = () => {}, testid = 'place-picker', start = [], optional = false }) {
  const el = h('div', { class: 'place-picker', dataset: { testid } });
  const chosen = []; // the place picked at each level
  const ORDER = ['district', 'street', 'community', 'building', 'unit', 'room'];

  function value() {
    return chosen.length ? chosen[chosen.length - 1] : null;
  }

  function selectFor(level, options, preset) {
    const select = h(
      'select',
      { id: level === 0 ? id : `${id}-${level}`, dataset: { testid: `${testid}-${level}` }, 'aria-label': options[0] ? kindLabel(options[0].kind) : t('zones.place') },
      h('option', { value: '' }, level === 0 || !options[0] ? t('picker.choose') : t('picker.all', { kind: kindLabel(options[0].kind) })),
      options.map((p) => h('option', { value: String(p.id), selected: preset === p.id }, p.name)),
    );
    select.addEventListener('change', () => pick(level, options.find((p) => String(p.id) === select.value) || null));
    return select;
  }

  async function pick(level, place, presets = []) {
    chosen.length = level;
    for (const s of Array.from(el.children).slice(level + 1)) s.remove();
    if (place) chosen.push(place);
    onChange(value());
    if (!place || ORDER.indexOf(place.kind) >= ORDER.indexOf(deepest)) return;
    const full = await placeById(place.id);
    if (!full || !full.children.length || chosen[level] !== place) return;
    const next = presets[0];
    el.appendChild(selectFor(level + 1, full.children, next));
    const preset = full.children.find((c) => c.id === next);
    if (preset) await pick(level + 1, preset, presets.slice(1));
  }

  async function init() {
    const { places: tops } = await api.get('/places');
    const firstId = start[0] ?? (tops.length === 1 && !optional ? tops[0].id : null);
    mount(el, selectFor(0, tops, firstId));
    const first = tops.find((p) => p.id === firstId);
    if (first) await pick(0, first, start.slice(1));
  }

  const ready = init().catch(() => mount(el, h('p', { class: 'muted' }, t('common.error'))));
  return { el, value, ready };
}

// ---------------------------------------------------------------------------------------------
// What the system writes (timeline details, zone reasons, why an incident closed) in the
// page's language. The server writes these in English with ids; text a person typed matches
// none of the patterns and is shown as it is.

/** `names`: resident id → name, to say who instead of "person 12". */
export function systemText(text, names = new Map()) {
  if (!text) return text;
  const who = (id) => names.get(Number(id)) || t('sys.person', { id });
  const rules = [
    [/^(sealed|controlled|temporary|prevention) over place (\d+): (.*)$/s, (m) => t('sys.zoneOver', { level: levelLabel(m[1]), place: m[2], reason: systemText(m[3], names) })],
    [/^pooled tube (\S+) is positive$/, (m) => t('sys.poolPositive', { tube: m[1] })],
    [/^person (\d+) is positive \(from incident (\d+)\)$/, (m) => t('sys.positiveFrom', { who: who(m[1]), id: m[2] })],
    [/^person (\d+) is positive: incident (\d+)$/, (m) => t('sys.positiveTo', { who: who(m[1]), id: m[2] })],
    [/^person (\d+) is positive$/, (m) => t('sys.positive', { who: who(m[1]) })],
    [/^person (\d+)$/, (m) => who(m[1])],
    [/^antigen-positive report for person (\d+)$/, (m) => t('sys.antigenFor', { who: who(m[1]) })],
    [/^antigen-positive report$/, () => t('sys.antigen')],
    [/^retest task (\d+) for person (\d+)( \(door to door\))?$/, (m) => t(m[3] ? 'sys.taskForDoor' : 'sys.taskFor', { id: m[1], who: who(m[2]) })],
    [/^retest task (\d+) to (.+)$/, (m) => t('sys.taskTo', { id: m[1], who: m[2] })],
    [/^retest task (\d+): (negative|positive|invalid) \(tube (\S+)\)$/, (m) => t('sys.taskDone', { id: m[1], result: t(`result.${m[2]}`), tube: m[3] })],
    [/^incident (\d+) closed$/, (m) => t('sys.incidentClosed', { id: m[1] })],
    [/^every member's retest is negative$/, () => t('sys.allRetestsNegative')],
    [/^every checklist item is negative$/, () => t('sys.allChecklistNegative')],
    [/^(nasal_swab|throat_swab|blood|environment|antigen): (negative|positive)$/, (m) => `${t(`checklist.${m[1]}`)}: ${t(`result.${m[2]}`)}`],
  ];
  for (const [re, say] of rules) {
    const m = re.exec(text);
    if (m) return say(m);
  }
  return text;
}
