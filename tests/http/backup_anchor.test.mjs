// Backups under load, restores, and the audit chain's anchors (docs/security.md: Malicious lab
// staff, Disk loss or failure; README, Backups and the audit anchor).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { assertProblem, assertStatus, runCli, sqlite, startServer } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const C = '朝阳区/备份街道/备份社区';

let srv;
let r;
let community;
let people;
let round;
let site;

before(async () => {
  srv = await startServer({ args: ['--settable-clock'] });
  r = new Rounds(srv, await srv.adminToken());
  ({ community, ids: people } = await r.community({ path: C, residents: 800, place: (i) => `${1 + (i % 8)}号楼/1单元` }));
  round = await r.round([community.id], { pool_size: 20 });
  site = await r.site(community.id);
});
after(() => srv?.dispose());

/** Scans `people` into tubes of 20 from `workers` parallel loops until stopped or out of people. */
function scanLoad(queue, workers) {
  const acked = []; // { id, at, ms }
  let stopped = false;
  const worker = async () => {
    while (!stopped && queue.length) {
      const tube = await r.openTube(round.id, site.id);
      for (let k = 0; k < 20 && !stopped && queue.length; k++) {
        const person = queue.shift();
        const t0 = performance.now();
        const res = await r.scan(tube.barcode, person);
        const t1 = performance.now();
        assert.equal(res.status, 201, `scan: ${res.text}`);
        acked.push({ id: res.body.id, at: t1, ms: t1 - t0 });
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, worker));
  return {
    acked,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

test('a backup taken while scans run restores, its audit chain verifies, and it holds every scan acknowledged before it began', async () => {
  const load = scanLoad(people.slice(0, 600), 4);
  while (load.acked.length < 100) await sleep(10);
  const backup = path.join(srv.dir, 'under-load.backup');
  const began = performance.now();
  const ackedBefore = load.acked.filter((a) => a.at < began).map((a) => a.id);
  const out = await runCli(['backup', '--db', srv.db, '--to', backup, '--step-pages', '4']);
  const ended = performance.now();
  await load.stop();
  assert.equal(out.code, 0, out.stdout + out.stderr);
  assert.match(out.stderr, /backup: 100% \(\d+ of \d+ pages\)/);
  assert.match(out.stdout, /key is NOT in the backup\. It is .*t\.db\.key; back it up separately/);
  assert.ok(!fs.existsSync(`${backup}.key`), 'no key beside the backup');

  const during = load.acked.filter((a) => a.at >= began && a.at - a.ms <= ended);
  const worst = (xs) => Math.max(0, ...xs.map((a) => a.ms)).toFixed(1);
  console.log(
    `backup under load: ${(ended - began).toFixed(0)} ms (process included); scans acknowledged during it ${during.length}, ` +
      `slowest ${worst(during)} ms; slowest before it ${worst(load.acked.filter((a) => a.at < began))} ms`,
  );

  const restored = path.join(srv.dir, 'restored.db');
  const rs = await runCli(['restore', '--from', backup, '--db', restored, '--key', srv.keyFile]);
  assert.equal(rs.code, 0, rs.stdout + rs.stderr);
  assert.match(rs.stdout, /integrity ok, schema version \d+, audit chain intact/);
  assert.match(rs.stdout, /opens its ID numbers/);
  assert.ok((await srv.auditCount(restored)) > 0);
  const q = await sqlite(restored, 'SELECT id FROM samples');
  const inBackup = new Set(q.stdout.trim().split('\n').map(Number));
  const lost = ackedBefore.filter((id) => !inBackup.has(id));
  assert.deepEqual(lost, [], `${lost.length} of ${ackedBefore.length} scans acknowledged before the backup are missing`);
});

test('restore refuses to replace a database without --force, and a damaged or foreign file always', async () => {
  const backup = path.join(srv.dir, 'refusals.backup');
  assert.equal((await runCli(['backup', '--db', srv.db, '--to', backup])).code, 0);
  const again = await runCli(['backup', '--db', srv.db, '--to', backup]);
  assert.notEqual(again.code, 0, 'a backup never replaces a file');

  const target = path.join(srv.dir, 'target.db');
  fs.writeFileSync(target, 'the database in place');
  const refused = await runCli(['restore', '--from', backup, '--db', target]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /exists; restore replaces it only with --force/);
  assert.equal(fs.readFileSync(target, 'utf8'), 'the database in place');

  // A backup whose audit chain was edited is not put in place, even with --force.
  const edited = path.join(srv.dir, 'edited.backup');
  fs.copyFileSync(backup, edited);
  assert.equal((await sqlite(edited, "UPDATE audit SET detail = 'x' WHERE seq = 2")).code, 0);
  const bad = await runCli(['restore', '--from', edited, '--db', target, '--force']);
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
  assert.match(bad.stderr, /audit chain is broken at record 2/);
  assert.equal(fs.readFileSync(target, 'utf8'), 'the database in place');
  assert.ok(!fs.existsSync(`${target}.restoring`));

  // The wrong key is refused: the ID numbers would be unreadable.
  const otherKey = path.join(srv.dir, 'other.key');
  fs.writeFileSync(otherKey, fs.readFileSync(srv.keyFile).map((b, i) => (i === 0 ? b ^ 1 : b)), { mode: 0o600 });
  const wrongKey = await runCli(['restore', '--from', backup, '--db', target, '--force', '--key', otherKey]);
  assert.equal(wrongKey.code, 1, wrongKey.stdout + wrongKey.stderr);
  assert.match(wrongKey.stderr, /key/);
  assert.equal(fs.readFileSync(target, 'utf8'), 'the database in place');

  const ok = await runCli(['restore', '--from', backup, '--db', target, '--force', '--key', srv.keyFile]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.ok((await srv.auditCount(target)) > 0);
});

// ---------------------------------------------------------------------------------------------
// Anchors

/** The chain hash of one record (store/audit.cpp): SHA-256 of length-prefixed fields. */
function chainHash(prev, rec) {
  const parts = [];
  const feed = (buf) => {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(buf.length));
    parts.push(len, buf);
  };
  feed(prev);
  for (const f of [String(rec.seq), String(rec.at), rec.actor, rec.action, rec.entity, rec.entity_id, rec.detail])
    feed(Buffer.from(f, 'utf8'));
  return createHash('sha256').update(Buffer.concat(parts)).digest();
}

/** What an attacker with the file does: edits record `seq` and recomputes every hash after it. */
function rewriteAndRecompute(db, seq, detail) {
  const rows = JSON.parse(
    execFileSync('sqlite3', ['-json', db, 'SELECT seq, at, actor, action, entity, entity_id, detail, hex(prev_hash) AS prev FROM audit ORDER BY seq'], { encoding: 'utf8' }),
  );
  let prev = null;
  const sql = ['BEGIN;', 'DROP TRIGGER IF EXISTS audit_anchors_append_only_d;', 'DELETE FROM audit_anchors;'];
  for (const rec of rows) {
    if (rec.seq < seq) continue;
    if (rec.seq === seq) rec.detail = detail;
    prev ??= Buffer.from(rec.prev, 'hex');
    const hash = chainHash(prev, rec);
    sql.push(`UPDATE audit SET detail = '${rec.detail.replaceAll("'", "''")}', prev_hash = X'${prev.toString('hex')}', hash = X'${hash.toString('hex')}' WHERE seq = ${rec.seq};`);
    prev = hash;
  }
  sql.push('COMMIT;');
  execFileSync('sqlite3', [db], { input: sql.join('\n') });
}

test('the first write after midnight stores the day before as an anchor; GET /audit/anchors lists it for admins only', async () => {
  const before = assertStatus(await r.get('/api/v1/audit/anchors'), 200);
  assert.ok(before.head && before.head.seq > 0 && /^[0-9a-f]{64}$/.test(before.head.head_hash));
  const day = before.head.date;
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
  assertStatus(await r.api('PUT', '/api/v1/clock', { json: { now: next.toISOString().replace('.000', '') } }), 200);
  // Sessions expire by the moved clock: sign in again.
  srv._adminToken = null;
  r = new Rounds(srv, await srv.adminToken());
  const after = assertStatus(await r.get('/api/v1/audit/anchors'), 200);
  const anchor = after.anchors.find((a) => a.date === day);
  assert.ok(anchor, `an anchor for ${day}: ${JSON.stringify(after)}`);
  assert.deepEqual(anchor, before.head, 'the day ended with the head before the clock moved');

  const cli = await runCli(['audit', 'anchor', '--db', srv.db, '--date', day]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout), anchor);

  const recorder = await srv.newUser({ role: 'recorder' });
  assertProblem(await srv.api('GET', '/api/v1/audit/anchors', { token: recorder.token }), 403, 'forbidden');
  assertProblem(await srv.api('GET', '/api/v1/audit/anchors'), 401, 'unauthenticated');
});

test('audit verify --anchor passes on an untouched chain and fails on one rewritten and recomputed', async () => {
  const anchorOut = await runCli(['audit', 'anchor', '--db', srv.db]);
  assert.equal(anchorOut.code, 0, anchorOut.stderr);
  const anchorFile = path.join(srv.dir, 'anchor.json');
  fs.writeFileSync(anchorFile, anchorOut.stdout);
  const published = JSON.parse(anchorOut.stdout);

  await srv.stop();
  const copy = await srv.copyDatabase('rewritten');
  await srv.start({ args: ['--settable-clock'] });

  const untouched = await runCli(['audit', 'verify', '--db', copy, '--anchor', anchorFile]);
  assert.equal(untouched.code, 0, untouched.stdout);
  assert.match(untouched.stdout, /intact: \d+ records, passing through 1 anchor/);

  rewriteAndRecompute(copy, 2, 'nothing happened');
  const plain = await runCli(['audit', 'verify', '--db', copy]);
  assert.equal(plain.code, 0, `recomputed, the chain alone verifies: ${plain.stdout}`);
  const anchored = await runCli(['audit', 'verify', '--db', copy, '--anchor', anchorFile]);
  assert.equal(anchored.code, 1, anchored.stdout);
  assert.match(anchored.stdout, new RegExp(`BROKEN at record ${published.seq}: .*anchored for ${published.date}`));
});
