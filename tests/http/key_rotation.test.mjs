// Key rotation without downtime (docs/security.md, Key handling): while a server keeps taking
// scans and answering status look-ups by personal codes, the operator rotates both keys with
// `swabline keys`, re-seals every ID number, and retires the old keys. Nothing the server is
// asked meanwhile fails; codes of the old code key work until that key is retired.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, assertStatus, runCli, startServer } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const PATH = '朝阳区/八里庄街道/轮换社区';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv;
let r;

before(async () => {
  srv = await startServer({ args: ['--status-rate', '0'] });
  r = new Rounds(srv, await srv.adminToken());
});
after(() => srv?.dispose());

const keys = (...args) => runCli(['keys', ...args, '--db', srv.db]);

/** Scans each person once in turn (five to a tube) and looks up codes' status, until stopped. */
function keepServing(round, site, people, codes) {
  const failures = [];
  let served = 0;
  let stop = false;
  const loop = (async () => {
    let tube = null;
    for (let i = 0; !stop || i < 10; i++) {
      if (i < people.length) {
        if (i % 5 === 0) tube = await r.openTube(round.id, site.id);
        const scan = await r.scan(tube.barcode, people[i]);
        if (scan.status !== 201) failures.push(`scan ${i}: ${scan.status} ${scan.text}`);
      }
      const code = codes[i % codes.length];
      const s = await srv.api('GET', `/api/v1/status?code=${encodeURIComponent(code)}`);
      if (s.status !== 200) failures.push(`status ${i}: ${s.status} ${s.text}`);
      served += 1;
      await sleep(20);
    }
  })();
  return {
    failures,
    served: () => served,
    async stop() {
      stop = true;
      await loop;
    },
  };
}

test('both keys rotate, ID numbers re-seal and old keys retire while scans and look-ups go on', async () => {
  const w = await r.community({ path: PATH, residents: 120 });
  const round = await r.round([w.community.id], { pool_size: 5 });
  const site = await r.site(w.community.id);
  const residents = [];
  for (const id of w.ids.slice(0, 10)) residents.push(await r.resident(id));
  const oldCodes = [];
  for (const who of residents) oldCodes.push(await r.personalCode(who.id));
  // Half the scans by an old personal code, half by ID number (found through the digest).
  const people = w.ids.map((id, i) => (i < oldCodes.length ? oldCodes[i] : id));
  const serving = keepServing(round, site, people, oldCodes);

  let out = await keys('rotate-id-key');
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /added ID-number key 1/);
  out = await keys('rotate-code-key');
  assert.equal(out.code, 0, out.stderr);
  assert.ok(!out.stdout.match(/[0-9a-f]{64}/), 'no key material is printed');
  await sleep(1200); // the server re-reads a changed key file within a second

  const pub = assertStatus(await srv.api('GET', '/api/v1/personal-code/public-key', { token: r.token }), 200);
  assert.equal(pub.kid, 1);
  assert.deepEqual(pub.keys.map((k) => k.kid), [0, 1]);
  const newCode = await r.personalCode(residents[0].id);
  assert.notEqual(newCode, oldCodes[0], 'new codes are signed with the new key');
  assertStatus(await srv.api('GET', `/api/v1/status?code=${encodeURIComponent(newCode)}`), 200);

  out = await keys('reencrypt', '--batch', '7', '--pause-ms', '5');
  assert.equal(out.code, 0, out.stdout + out.stderr);
  assert.match(out.stdout, /done: 120 ID numbers under key 1/);
  out = await keys('list');
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /id-key\s+0 .*seals 0 ID numbers/);
  assert.match(out.stdout, /id-key\s+1 .*newest.*seals 120 ID numbers/);

  out = await keys('retire', '--id-key', '1');
  assert.notEqual(out.code, 0, 'the newest key is never retired');
  out = await keys('retire', '--id-key', '0');
  assert.equal(out.code, 0, out.stderr);
  await sleep(1200);
  const revealed = assertStatus(
    await srv.api('GET', `/api/v1/residents/${residents[3].id}?reveal=true`, { token: r.token }), 200);
  assert.equal(revealed.id_number, w.ids[3]);

  // Residents still hold codes of key 0: retiring it is refused without --force.
  out = await keys('retire', '--code-key', '0');
  assert.equal(out.code, 2);
  assert.match(out.stderr, /residents may still hold a personal code/);
  await serving.stop();
  assert.deepEqual(serving.failures, [], 'nothing failed while the keys rotated');
  assert.ok(serving.served() >= 10);

  out = await keys('retire', '--code-key', '0', '--force');
  assert.equal(out.code, 0, out.stderr);
  await sleep(1200);
  assertProblem(await srv.api('GET', `/api/v1/status?code=${encodeURIComponent(oldCodes[1])}`), 422,
    'invalid_personal_code');
  assertStatus(await srv.api('GET', `/api/v1/status?code=${encodeURIComponent(newCode)}`), 200);
  assert.equal((await srv.auditVerify()).code, 0, 'the audit chain holds the key events');
});
