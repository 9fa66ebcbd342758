// Checks that docs/openapi.yaml documents every route the server registers.
//
//   node tests/docs/openapi_check.mjs [PROJECT_SOURCE_DIR]
//
// No dependencies, so no YAML parser: the document is read line by line, relying on the layout
// docs/openapi.yaml keeps (paths two spaces in under `paths:`, methods four spaces in, the
// operation's members six or more). The routes are the router.Add("METHOD", "/pattern", …)
// calls in src/http/*.cpp. Placeholder names are ignored when comparing ({id} = {barcode}).
//
// Checks:
//   - the document exists and has a `paths:` section;
//   - each route is documented, with its method, and not marked `x-status: planned`;
//   - each documented operation that is neither planned nor static (`x-static: true`, the UI
//     files) is a route (so the document does not promise what the server no longer serves).
// Prints one line per check and closes with "N passed, M failed"; exits 1 on any failure.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] || path.join(here, '..', '..'));
const docPath = path.join(root, 'docs', 'openapi.yaml');
const srcDir = path.join(root, 'src', 'http');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let passed = 0;
let failed = 0;
function check(ok, name, why = '') {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${why ? `: ${why}` : ''}`);
  }
  return ok;
}
function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/** "/api/v1/tubes/{barcode}/samples" → "/api/v1/tubes/{}/samples". */
const normalize = (p) => p.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '') || '/';

/** Operations of the document: Map "METHOD /path" → {path, planned, static}. */
function documentedOperations(text) {
  const ops = new Map();
  const lines = text.split(/\r?\n/);
  let inPaths = false;
  let current = null; // the path being read
  let op = null; // the operation being read
  for (const line of lines) {
    if (/^\S/.test(line)) {
      // A top-level key (or a column-0 comment) ends or starts `paths:`.
      if (!line.startsWith('#')) inPaths = /^paths:\s*(#.*)?$/.test(line);
      current = null;
      op = null;
      continue;
    }
    if (!inPaths || /^\s*(#.*)?$/.test(line)) continue;
    const pathKey = line.match(/^ {2}(["']?)(\/[^\s"']*)\1:\s*(#.*)?$/);
    if (pathKey) {
      current = pathKey[2];
      op = null;
      continue;
    }
    if (/^ {2}\S/.test(line)) {
      current = null; // some other key at path depth
      op = null;
      continue;
    }
    const methodKey = line.match(/^ {4}([a-z]+):\s*(#.*)?$/);
    if (methodKey && current) {
      op = null;
      if (METHODS.includes(methodKey[1])) {
        op = { path: current, planned: false, static: false };
        ops.set(`${methodKey[1].toUpperCase()} ${normalize(current)}`, op);
      }
      continue;
    }
    if (/^ {4}\S/.test(line)) {
      op = null; // parameters:, summary: … at path-item depth
      continue;
    }
    if (op && /^ {6}x-status:\s*["']?planned["']?\s*(#.*)?$/.test(line)) op.planned = true;
    if (op && /^ {6}x-static:\s*true\s*(#.*)?$/.test(line)) op.static = true;
  }
  return ops;
}

/** Routes of the server: Map "METHOD /path" → {pattern, file}. */
function registeredRoutes(dir) {
  const routes = new Map();
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpp') && !f.endsWith('_test.cpp'))
    .sort();
  for (const file of files) {
    const code = fs
      .readFileSync(path.join(dir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '') // block comments
      .replace(/^\s*\/\/.*$/gm, ''); // whole-line comments
    for (const m of code.matchAll(/router\.Add(?:Public)?\(\s*"([A-Z]+)"\s*,\s*"([^"]+)"/g))
      routes.set(`${m[1]} ${normalize(m[2])}`, { pattern: m[2], file });
  }
  return routes;
}

if (!check(fs.existsSync(docPath), 'docs/openapi.yaml exists', `not found at ${docPath}`)) finish();
const ops = documentedOperations(fs.readFileSync(docPath, 'utf8'));
check(ops.size > 0, 'docs/openapi.yaml has operations under paths:', 'found none');

if (!check(fs.existsSync(srcDir), 'src/http exists', `not found at ${srcDir}`)) finish();
const routes = registeredRoutes(srcDir);
check(routes.size > 0, 'src/http/*.cpp registers routes', 'no router.Add("METHOD", "/path", …) found');

const docPaths = new Set([...ops.values()].map((o) => normalize(o.path)));
for (const [key, route] of routes) {
  const [method] = key.split(' ');
  const name = `${method} ${route.pattern} (${route.file}) is documented`;
  const op = ops.get(key);
  if (!op) {
    const why = docPaths.has(normalize(route.pattern))
      ? `the path is there but not its ${method.toLowerCase()} operation`
      : 'add the path to docs/openapi.yaml';
    check(false, name, why);
  } else {
    check(!op.planned, name, 'still marked x-status: planned, but the server serves it');
  }
}

for (const [key, op] of ops) {
  if (op.planned || op.static) continue;
  const [method] = key.split(' ');
  check(
    routes.has(key),
    `${method} ${op.path} (documented) is served`,
    'no router.Add for it in src/http: remove it, or mark it x-status: planned',
  );
}

finish();
