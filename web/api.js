// The one way the UI talks to the server.
//
//   const place = await api.get(`/places/${id}`);
//   const report = await api.post('/residents/import', { csv: text });
//   const report = await api.post('/residents/import', { file, fileType: 'text/csv' });
//   const { blob, filename } = await api.blob(`/rounds/${id}/missing`, { accept: 'text/csv' });
//
// Paths are relative to /api/v1. The session (token and user) lives in sessionStorage, so it
// ends with the tab. A failed call throws an ApiError carrying the problem+json `code`; a 401
// on any call but the login itself ends the session and tells the app (onUnauthorized).

import { t, has } from './i18n.js';

const BASE = '/api/v1';
const SESSION_KEY = 'swabline.session';

export class ApiError extends Error {
  constructor({ status = 0, code = 'network', title = '', detail = '', problem = {} } = {}) {
    super(detail || title || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    // The whole problem+json body: its extra members carry details (`tube` and `sampled_at` of
    // already_sampled, `box` of tube_in_box, `field`, `column`…).
    this.problem = problem;
  }

  /** An extra member of the problem ("tube", "sampled_at", "box"…), or undefined. */
  extra(name) {
    const v = this.problem ? this.problem[name] : undefined;
    return v === null ? undefined : v;
  }
}

/** The text to show for an error: our own wording for known codes, else the server's detail. */
export function errorText(err) {
  if (err instanceof ApiError) {
    if (has(`err.${err.code}`)) return t(`err.${err.code}`);
    return err.detail || err.title || t('common.error');
  }
  return String(err && err.message ? err.message : err);
}

// ---------------------------------------------------------------------------------------------
// Session

/** {token, expires_at, user: {username, role, scope, scope_place_id}} or null. */
export function session() {
  let s = null;
  try {
    s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
  } catch {
    s = null;
  }
  if (!s || !s.token) return null;
  if (s.expires_at && Date.parse(s.expires_at) <= Date.now()) {
    clearSession();
    return null;
  }
  return s;
}

export function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

let unauthorizedHandler = () => {};
/** Called once whenever a call comes back 401 (the session has already been cleared). */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

/** Signs in; stores and returns the session. Throws ApiError (invalid_credentials, rate_limited…). */
export async function login(username, password) {
  const s = await request('POST', '/sessions', { json: { username, password }, auth: false });
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  return s;
}

/**
 * Signs out: ends the session on the server (DELETE /sessions, 204) and then drops the token.
 * The token is dropped even when the server cannot be reached or no longer knows it.
 */
export async function logout() {
  if (session()) {
    try {
      await request('DELETE', '/sessions', { quiet401: true });
    } catch {
      // Unreachable or already ended: forgetting the token is all that is left to do.
    }
  }
  clearSession();
}

// ---------------------------------------------------------------------------------------------
// Requests

/** A fresh Idempotency-Key: 128 random bits in hex. */
export function idempotencyKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Builds "/path?k=v&…", leaving out empty values. */
export function withQuery(path, query) {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The ApiError for a failed response whose body (if JSON) is `data`. */
function problemError(res, data) {
  const problem = data && typeof data === 'object' ? data : {};
  return new ApiError({
    status: res.status,
    code: problem.code || `http_${res.status}`,
    title: problem.title || res.statusText,
    detail: problem.detail || '',
    problem,
  });
}

// `idempotencyKey` sends a key the caller made and kept (an offline station's queued scan, sent
// again after a lost answer); otherwise each mutating call gets a fresh one.
async function request(method, path, { json, csv, file, fileType, query, auth = true, idempotent = true, idempotencyKey: key, quiet401 = false } = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (csv !== undefined) {
    headers['Content-Type'] = 'text/csv; charset=utf-8';
    body = csv;
  } else if (file !== undefined) {
    // A file as it lies on the disk (a workbook, or CSV in an encoding the server detects).
    headers['Content-Type'] = fileType || 'application/octet-stream';
    body = file;
  }
  if (method !== 'GET' && idempotent) headers['Idempotency-Key'] = key || idempotencyKey();
  const s = auth ? session() : null;
  if (auth && s) headers.Authorization = `Bearer ${s.token}`;

  let res;
  try {
    res = await fetch(BASE + withQuery(path, query), { method, headers, body, cache: 'no-store' });
  } catch (e) {
    throw new ApiError({ code: 'network', detail: t('err.network') });
  }

  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (res.ok) return data;

  const err = problemError(res, data);
  if (res.status === 401 && auth && !quiet401) {
    clearSession();
    unauthorizedHandler(err);
  }
  throw err;
}

/**
 * A file from the API (an SVG, a CSV or XLSX export), fetched with the token — so it cannot be a
 * plain link. Returns {blob, filename, headers}; `filename` comes from Content-Disposition.
 */
async function fetchBlob(path, { query, accept = '*/*' } = {}) {
  const headers = { Accept: accept };
  const s = session();
  if (s) headers.Authorization = `Bearer ${s.token}`;
  let res;
  try {
    res = await fetch(BASE + withQuery(path, query), { headers, cache: 'no-store' });
  } catch {
    throw new ApiError({ code: 'network', detail: t('err.network') });
  }
  if (!res.ok) {
    let data = null;
    if ((res.headers.get('Content-Type') || '').includes('json')) data = await res.json().catch(() => null);
    const err = problemError(res, data);
    if (res.status === 401) {
      clearSession();
      unauthorizedHandler(err);
    }
    throw err;
  }
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return { blob, filename: m ? decodeURIComponent(m[1]) : null, headers: res.headers };
}

/** Hands a blob to the browser as a download named `filename`. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, opts) => request('POST', path, opts),
  put: (path, opts) => request('PUT', path, opts),
  del: (path, opts) => request('DELETE', path, opts),
  /** A GET that needs no session (the public status page). A 401 here ends nothing. */
  getPublic: (path, query) => request('GET', path, { query, auth: false }),
  /** A POST without a session (a resident asking for help with their personal code). */
  postPublic: (path, opts) => request('POST', path, { ...opts, auth: false }),
  blob: (path, opts) => fetchBlob(path, opts),
};
