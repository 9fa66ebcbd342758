// The sampling station's queue of scans not yet sent: kept in IndexedDB, so that scans made with
// no network survive a reload, and sent in the order they were made once the network is back.
//
//   const e = await enqueue({ kind: 'sample', tube: 'T-1', body: { person }, label, key });
//   startSync({ send });                 // sends what waits now and whenever the network returns
//   onQueueChange(() => redraw());       // this tab's and every other tab's changes
//
// Each entry carries the Idempotency-Key made when the scan was made, and keeps it whatever
// happens: if an answer is lost (the tab reloads or the network drops while a scan is on its
// way) the same scan goes again with the same key, and the server answers it as the first time
// without doing it twice. Only one tab sends at a time (navigator.locks, or a lease claimed in
// IndexedDB where there is no Web Locks API), so two tabs never race each other through the
// queue. A scan the server refuses stays in the queue marked `refused`, with the problem, until
// the recorder has seen it (dismiss); one it takes is deleted.
//
// Entry: {seq, kind: 'tube'|'sample'|'seal', tube, body, label, key, user, made_at,
//         status: 'queued'|'refused', error: {code, status, detail, problem}}

import { idempotencyKey } from './api.js';

const DB_NAME = 'swabline-station';
const STORE = 'scans';
const META = 'meta';
const LOCK = 'swabline-station-sync';
const LEASE_MS = 10_000;
const RETRY_MS = 5_000;

let dbPromise = null;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
        req.result.createObjectStore(META);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return dbPromise;
}

/** Runs fn(store, tx) in one transaction over `name`; resolves with fn's result once committed. */
async function inTx(name, mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    let result;
    Promise.resolve(fn(tx.objectStore(name), tx)).then((r) => {
      result = r;
    }, reject);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

const asPromise = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

// ---------------------------------------------------------------------------------------------
// Changes, told to this tab and to the others

const listeners = new Set();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('swabline-station') : null;
if (channel) channel.onmessage = () => listeners.forEach((fn) => fn({ remote: true }));

function changed(detail = {}) {
  listeners.forEach((fn) => fn(detail));
  if (channel) channel.postMessage('changed');
}

/** fn({remote, refused}) after every change to the queue, made here or in another tab. */
export function onQueueChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// ---------------------------------------------------------------------------------------------
// The entries

export const newKey = idempotencyKey;

/** Adds a scan at the end of the queue; returns the stored entry (with its seq). */
export async function enqueue({ kind, tube, body, label, key = newKey(), user }) {
  const entry = { kind, tube, body, label, key, user, made_at: new Date().toISOString(), status: 'queued', error: null };
  entry.seq = await inTx(STORE, 'readwrite', (s) => asPromise(s.add(entry)));
  changed();
  if (startSync.opts) kick(); // online after all (a lost answer): send it now
  return entry;
}

/** Every entry, oldest first. */
export async function entries() {
  try {
    return await inTx(STORE, 'readonly', (s) => asPromise(s.getAll()));
  } catch {
    return []; // no IndexedDB (a private window of an old browser): nothing was queued
  }
}

/** Forgets an entry: a refusal the recorder has seen, or a queued scan taken back. */
export async function remove(seq) {
  await inTx(STORE, 'readwrite', (s) => asPromise(s.delete(seq)));
  changed();
}

async function put(entry) {
  await inTx(STORE, 'readwrite', (s) => asPromise(s.put(entry)));
}

async function fresh(seq) {
  return inTx(STORE, 'readonly', (s) => asPromise(s.get(seq)));
}

// ---------------------------------------------------------------------------------------------
// One sender at a time

const tabId = newKey();

/** Runs fn while holding the sync lock; resolves to false at once when another tab holds it. */
async function exclusively(fn) {
  if (navigator.locks && navigator.locks.request) {
    return navigator.locks.request(LOCK, { ifAvailable: true }, async (lock) => (lock ? (await fn(), true) : false));
  }
  if (!(await claimLease())) return false;
  try {
    await fn();
  } finally {
    await inTx(META, 'readwrite', (s) => asPromise(s.delete('lease'))).catch(() => {});
  }
  return true;
}

/**
 * Where there are no Web Locks: a lease in IndexedDB, claimed in one read-write transaction
 * (IndexedDB runs those one after another), lapsing after LEASE_MS so that a tab closed while
 * holding it does not stop the queue for good; sync() renews it between scans.
 */
function claimLease() {
  return inTx(META, 'readwrite', async (s) => {
    const lease = await asPromise(s.get('lease'));
    const now = Date.now();
    if (lease && lease.owner !== tabId && lease.until > now) return false;
    await asPromise(s.put({ owner: tabId, until: now + LEASE_MS }, 'lease'));
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Sending

/** What the network said of one entry: taken, refused (kept against the scan), or try later. */
function outcomeOf(err) {
  if (!err) return 'taken';
  const transient = err.code === 'network' || err.status === 0 || err.status === 401 || err.status === 429 || err.status >= 500;
  return transient ? 'later' : 'refused';
}

/**
 * Sends the current user's (user()) queued entries in order, exactly once each. `send(entry)`
 * posts it with entry.key as its Idempotency-Key and resolves (taken) or throws an ApiError;
 * `accept(entry, err)` may still take a refusal as done. A tube that
 * could not be opened refuses, without sending them, the scans queued into it after it.
 * Resolves to the number of entries settled, or -1 when another tab is sending.
 */
export async function sync({ send, user = () => null, accept = () => false }) {
  const me = user();
  let settled = 0;
  const ran = await exclusively(async () => {
    const blocked = new Set();
    for (const e of await entries()) {
      if (e.status === 'refused' && e.kind === 'tube') blocked.add(e.tube);
      if (e.status !== 'queued' || (me && e.user && e.user !== me)) continue;
      if (!navigator.locks && !(await claimLease())) break; // the lease lapsed and another tab took it
      const now = await fresh(e.seq);
      if (!now || now.status !== 'queued') continue; // taken back meanwhile
      let err = null;
      if (e.kind !== 'tube' && blocked.has(e.tube)) {
        err = { code: 'tube_not_opened', status: 409, detail: '' };
      } else {
        try {
          await send(e);
        } catch (x) {
          err = x;
          if (outcomeOf(err) === 'refused' && (await accept(e, err))) err = null;
        }
      }
      const outcome = outcomeOf(err);
      if (outcome === 'later') break; // the order matters: what follows waits too
      if (outcome === 'taken') {
        await remove(e.seq);
      } else {
        if (e.kind === 'tube') blocked.add(e.tube);
        // The refusal is kept to be shown; the scanned text (an ID number) is no longer needed.
        const error = { code: err.code, status: err.status, detail: err.detail || '', problem: err.problem || {} };
        const kept = { ...e, body: null, status: 'refused', error };
        await put(kept);
        changed({ refused: kept });
      }
      settled += 1;
    }
  });
  return ran ? settled : -1;
}

let running = null;
let timer = null;

/**
 * Sends now, and again whenever the network comes back, another tab changes the queue, or (while
 * anything waits) every few seconds: `navigator.onLine` may say online while the server is out
 * of reach. Safe to call again (the latest options win).
 */
export function startSync(opts) {
  startSync.opts = opts;
  if (!startSync.started) {
    startSync.started = true;
    window.addEventListener('online', () => kick());
    onQueueChange(({ remote }) => {
      if (remote) kick();
    });
  }
  kick();
}

/** Runs one pass now (or after the one under way); resolves when it ends. */
export function kick() {
  if (running) {
    running.again = true;
    return running.promise;
  }
  const opts = startSync.opts;
  if (!opts) return Promise.resolve();
  const run = { again: false };
  running = run;
  run.promise = (async () => {
    await null; // run.promise is set before the pass can end
    try {
      do {
        run.again = false;
        if (navigator.onLine !== false && (!opts.ready || opts.ready())) await sync(opts);
      } while (run.again);
    } catch (e) {
      console.error(e);
    } finally {
      running = null;
      schedule();
    }
  })();
  return run.promise;
}

async function schedule() {
  clearTimeout(timer);
  const waiting = (await entries()).some((e) => e.status === 'queued');
  if (waiting) timer = setTimeout(kick, RETRY_MS);
}
