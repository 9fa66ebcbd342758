// Checks that the repository stands alone: its files point only at its own documents, and a
// comment that names a section of one (`docs/architecture.md, the core loop, step 3`) names a
// section that exists.
//
//   node tests/docs/doc_links_check.mjs [PROJECT_SOURCE_DIR]
//
// Checks:
//   - no tracked file but this one mentions the design notes kept outside the repository;
//   - each "docs/<name>.md, <section>" in src/, tests/, bench/, web/ and docs/ names a heading
//     of that document (case and quotes ignored; "the core loop, step N" needs step N in the
//     numbered list under "The core loop");
// Prints one line per failure and closes with "N passed, M failed"; exits 1 on any failure.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] || path.join(here, '..', '..'));
const self = path.relative(root, fileURLToPath(import.meta.url));

let passed = 0;
let failed = 0;
function check(ok, name) {
  if (ok) passed++;
  else {
    failed++;
    console.log(`FAIL ${name}`);
  }
}

const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && f !== self && !f.includes('node_modules/') && fs.existsSync(path.join(root, f)));

// Built from pieces so that this file does not match itself.
const outside = new RegExp(['API', 'DESIGN', 'STYLE'].map((n) => `${n}\\.md`).join('|') + '|\\.\\./shared');
const reference = /docs\/([a-z_]+\.md), ([^)]*)\)/g;

const headings = new Map();
function headingsOf(doc) {
  if (!headings.has(doc)) {
    const text = fs.existsSync(path.join(root, 'docs', doc))
      ? fs.readFileSync(path.join(root, 'docs', doc), 'utf8')
      : '';
    const names = new Set(
      [...text.matchAll(/^#+ (.+)$/gm)].map((m) => m[1].trim().toLowerCase()),
    );
    const loop = text.split(/^## The core loop$/m)[1]?.split(/^## /m)[0] ?? '';
    const steps = new Set([...loop.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1])));
    headings.set(doc, { names, steps });
  }
  return headings.get(doc);
}

function sectionExists(doc, section) {
  const { names, steps } = headingsOf(doc);
  const s = section.replace(/["“”]/g, '').trim().toLowerCase();
  const step = /^the core loop(?:, steps? (\d+)(?: and (\d+))?)?/.exec(s);
  if (step) {
    if (!names.has('the core loop')) return false;
    return [step[1], step[2]].filter(Boolean).every((n) => steps.has(Number(n)));
  }
  // "Section", "Section, 3" (an item of it), "POST /path" after a section, "Section"; more
  return [...names].some((n) => s === n || (s.startsWith(n) && /^[,;).:]/.test(s.slice(n.length))));
}

for (const file of files) {
  if (!/^(src|tests|bench|web|docs)\/|^[A-Z]+\.md$|^CMakeLists\.txt$/.test(file)) continue;
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  check(!outside.test(text), `${file} points at notes outside the repository`);
  // A comment may wrap between "docs/x.md," and its section.
  const flat = text.replace(/\n\s*(\/\/\/?|#|\*)?\s*/g, ' ');
  for (const m of flat.matchAll(reference)) {
    if (m[1] === 'openapi.yaml') continue;
    check(sectionExists(m[1], m[2]), `${file}: docs/${m[1]}, ${m[2]} names no section`);
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
