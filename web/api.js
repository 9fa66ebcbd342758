// The one way the UI talks to the server.
//
//   const place = await api.get(`/places/${id}`);
//   const report = await api.post('/residents/import', { csv: text });
//
// Paths are relative to /api/v1. The session (token and user) lives in sessionStorage, so it
// ends with the tab. A failed call throws an ApiError carrying the problem+json `code`; a 401
// on any call but the login itself ends the session and tells the app (onUnauthorized).

import { t, has } from './i18n.js';

const BASE = '/api/v1';
const SESSION_KEY = 'swabline.session';

export class ApiError extends Error {
  constructor({ status = 0, code = 'network', title = '', detail = '' } = {}) {
    super(detail || title || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
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

export function logout() {
  clearSession();
}

// ---------------------------------------------------------------------------------------------
// Requests

function idempotencyKey() {
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

async function request(method, path, { json, csv, query, auth = true, idempotent = true } = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (csv !== undefined) {
    headers['Content-Type'] = 'text/csv; charset=utf-8';
    body = csv;
  }
  if (method !== 'GET' && idempotent) headers['Idempotency-Key'] = idempotencyKey();
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

  const problem = data && typeof data === 'object' ? data : {};
  const err = new ApiError({
    status: res.status,
    code: problem.code || `http_${res.status}`,
    title: problem.title || res.statusText,
    detail: problem.detail || '',
  });
  if (res.status === 401 && auth) {
    clearSession();
    unauthorizedHandler(err);
  }
  throw err;
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, opts) => request('POST', path, opts),
};
