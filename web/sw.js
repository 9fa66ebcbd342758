// The service worker: keeps the app shell (index.html, the modules, styles, icon, the camera's
// decoder) in a cache so that a sampling station opens and works after a reload with no
// network. The API is never cached: /api/ requests are not even looked at, so they go to the
// network as if there were no worker (the station queues its scans itself, web/station_queue.js).
//
// Shell files are served network first (a deploy is picked up at once whenever the server can
// be reached) and from the cache when it cannot. SHELL_VERSION names the cache: a new version
// fills a new cache at install and the old one is deleted at activation. Bump it when the list
// below changes; tests/browser/offline.test.mjs checks the list against the files under web/.

const SHELL_VERSION = 4;
const CACHE = `swabline-shell-v${SHELL_VERSION}`;

/** Every file of the app: the worker fails to install if one is missing. */
const SHELL = [
  '/',
  '/index.html',
  '/api.js',
  '/app.js',
  '/camera.js',
  '/dom.js',
  '/dashboard.css',
  '/favicon.svg',
  '/i18n.js',
  '/i18n_community.js',
  '/i18n_dashboard.js',
  '/i18n_outbreak.js',
  '/i18n_queue.js',
  '/i18n_requests.js',
  '/i18n_resident.js',
  '/i18n_station.js',
  '/outbreak.css',
  '/outbreak.js',
  '/queue.css',
  '/resident.css',
  '/roles.js',
  '/station_queue.js',
  '/style.css',
  '/ui.js',
  '/pages/advisor.js',
  '/pages/dashboard.js',
  '/pages/gate.js',
  '/pages/import.js',
  '/pages/incident.js',
  '/pages/incidents.js',
  '/pages/lab.js',
  '/pages/login.js',
  '/pages/queue.js',
  '/pages/registry.js',
  '/pages/requests.js',
  '/pages/resident.js',
  '/pages/rounds.js',
  '/pages/sampling.js',
  '/pages/sampling_queue.js',
  '/pages/staff.js',
  '/pages/status.js',
  '/pages/status_public.js',
  '/pages/stock.js',
  '/pages/transport.js',
  '/pages/tubes.js',
  '/pages/zone_grid.js',
  '/pages/zones.js',
];

/** Made by scripts/vendor-web and absent from a checkout that skipped it: cached when present. */
const OPTIONAL = [
  '/vendor/barcode-detector/ponyfill.js',
  '/vendor/barcode-detector/zxing-exported.js',
  '/vendor/zxing-wasm/zxing_reader.wasm',
  '/vendor/uplot/uPlot.esm.js',
  '/vendor/uplot/uPlot.min.css',
];

/** How long a shell request waits for the network before the cached copy answers. */
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL.map((u) => new Request(u, { cache: 'reload' })));
      await Promise.all(OPTIONAL.map((u) => cache.add(new Request(u, { cache: 'reload' })).catch(() => {})));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('swabline-shell-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // network only, never cached
  event.respondWith(shell(req, url));
});

/** Network first, the cache when the network fails or is too slow; a page route is index.html. */
async function shell(req, url) {
  const cache = await caches.open(CACHE);
  const route = req.mode === 'navigate' && !/\.[a-z0-9]+$/i.test(url.pathname); // not a file opened in a tab
  const key = route ? '/index.html' : url.pathname;
  try {
    const res = await withTimeout(fetch(req, { cache: 'no-cache' }), NETWORK_WAIT_MS);
    if (res.ok && res.type === 'basic') await cache.put(key, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(key);
    if (hit) return hit;
    throw err;
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('network too slow')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
