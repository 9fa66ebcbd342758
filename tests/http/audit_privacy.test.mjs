// The hash-chained audit log, and ID numbers kept out of the database in the clear.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import {
  VALID_IDS, assertStatus, newKey, residentRow, residentsCsv, startServer, uniqueIdNumbers,
} from './harness.mjs';

const C = '石景山区/八角街道/杨庄社区';
const C_OTHER = '石景山区/八角街道/古城社区';

function assertIdsAbsent(bytes, ids, where) {
  const text = bytes.toString('latin1'); // byte for byte; the ID numbers are ASCII
  for (const id of ids) {
    assert.ok(!text.includes(id), `${where} holds the ID number ${id} in the clear`);
    assert.ok(!text.includes(id.toLowerCase()), `${where} holds the ID number ${id.toLowerCase()} in the clear`);
  }
}

describe('the audit log', () => {
  let srv;
  let freshCount;
  before(async () => {
    srv = await startServer({ start: false });
    freshCount = await srv.auditCount();
    await srv.start();
  });
  after(() => srv?.dispose());

  test('a fresh database has an intact audit chain', () => {
    assert.ok(Number.isInteger(freshCount) && freshCount >= 0);
  });

  test('every write adds audit records and the chain stays intact while the server runs', async () => {
    const admin = await srv.adminToken();
    const afterLogin = await srv.auditCount();
    assert.ok(afterLogin >= freshCount);
    await srv.importOk(admin, [residentRow(uniqueIdNumbers(1)[0], '审计一', C)]);
    const afterImport = await srv.auditCount();
    assert.ok(afterImport > afterLogin, 'the import was audited');
    await srv.addUser(admin, { username: 'audited', role: 'viewer', password: 'audited-pass-1' });
    const afterUser = await srv.auditCount();
    assert.ok(afterUser > afterImport, 'adding a user was audited');
  });

  test('a reveal of an ID number adds one audit record; a plain read adds none', async () => {
    const admin = await srv.adminToken();
    const [id] = uniqueIdNumbers(1);
    await srv.importOk(admin, [residentRow(id, '审计二', C)]);
    const resident = await srv.findResident(admin, id);
    const n0 = await srv.auditCount();
    assertStatus(await srv.api('GET', `/api/v1/residents/${resident.id}`, { token: admin }), 200);
    assert.equal(await srv.auditCount(), n0, 'a masked read is not audited');
    assertStatus(await srv.api('GET', `/api/v1/residents/${resident.id}?reveal=true`, { token: admin }), 200);
    assert.equal(await srv.auditCount(), n0 + 1, 'the reveal is audited');
  });

  test('a refused write leaves no audit record', async () => {
    const admin = await srv.adminToken();
    const n0 = await srv.auditCount();
    const res = await srv.addUserResponse(admin, { username: 'audited', role: 'viewer', password: 'audited-pass-1' });
    assert.equal(res.status, 409);
    assert.equal(await srv.auditCount(), n0);
  });

  describe('after the server has stopped', () => {
    let total;
    before(async () => {
      const admin = await srv.adminToken();
      // A few more writes so that the chain has a middle.
      for (let i = 0; i < 3; i++) await srv.importOk(admin, [residentRow(uniqueIdNumbers(1)[0], `链${i}`, C)]);
      const exit = await srv.stop();
      assert.equal(exit.code, 0, srv.log);
      total = await srv.auditCount();
      assert.ok(total >= 6, `enough records to tamper with: ${total}`);
    });

    test('an untouched copy of the database verifies intact with the same count', async () => {
      const copy = await srv.copyDatabase('untouched');
      assert.equal(await srv.auditCount(copy), total);
    });

    test('an edited detail is detected, naming the edited record', async () => {
      const copy = await srv.copyDatabase('edited-detail');
      const edit = await srv.sqlite("UPDATE audit SET detail='x' WHERE seq=2", copy);
      assert.equal(edit.code, 0, edit.stderr);
      const out = await srv.auditVerify(copy);
      assert.equal(out.code, 1, `verify must fail: ${out.stdout}${out.stderr}`);
      assert.match(out.stdout, /audit chain BROKEN at record 2\b/);
    });

    test('an edited actor is detected, naming the edited record', async () => {
      const copy = await srv.copyDatabase('edited-actor');
      const seq = Math.floor(total / 2);
      const edit = await srv.sqlite(`UPDATE audit SET actor='somebody-else' WHERE seq=${seq}`, copy);
      assert.equal(edit.code, 0, edit.stderr);
      const out = await srv.auditVerify(copy);
      assert.equal(out.code, 1, `verify must fail: ${out.stdout}${out.stderr}`);
      assert.match(out.stdout, new RegExp(`audit chain BROKEN at record ${seq}\\b`));
    });

    test('an edited time is detected', async () => {
      const copy = await srv.copyDatabase('edited-at');
      const edit = await srv.sqlite('UPDATE audit SET at = at + 1 WHERE seq=3', copy);
      assert.equal(edit.code, 0, edit.stderr);
      const out = await srv.auditVerify(copy);
      assert.equal(out.code, 1, `verify must fail: ${out.stdout}${out.stderr}`);
      assert.match(out.stdout, /audit chain BROKEN at record 3\b/);
    });

    test('a deleted record in the middle is detected', async () => {
      const copy = await srv.copyDatabase('deleted');
      const seq = Math.floor(total / 2);
      const del = await srv.sqlite(`DELETE FROM audit WHERE seq=${seq}`, copy);
      assert.equal(del.code, 0, del.stderr);
      const out = await srv.auditVerify(copy);
      assert.equal(out.code, 1, `verify must fail: ${out.stdout}${out.stderr}`);
      const m = out.stdout.match(/audit chain BROKEN at record (\d+)/);
      assert.ok(m, out.stdout);
      assert.ok([seq, seq + 1].includes(Number(m[1])), `names the gap (${seq} or ${seq + 1}): ${out.stdout}`);
    });

    test('records swapped in place are detected', async () => {
      const copy = await srv.copyDatabase('swapped');
      const a = 3;
      const b = 4;
      const swap = await srv.sqlite(
        `UPDATE audit SET seq = -1 WHERE seq=${a}; UPDATE audit SET seq=${a} WHERE seq=${b}; UPDATE audit SET seq=${b} WHERE seq=-1;`, copy);
      assert.equal(swap.code, 0, swap.stderr);
      const out = await srv.auditVerify(copy);
      assert.equal(out.code, 1, `verify must fail: ${out.stdout}${out.stderr}`);
      assert.match(out.stdout, /audit chain BROKEN at record \d+/);
    });

    test('the original database, edited as in the brief, fails verification at record 2', async () => {
      const edit = await srv.sqlite("UPDATE audit SET detail='x' WHERE seq=2");
      assert.equal(edit.code, 0, edit.stderr);
      const out = await srv.auditVerify();
      assert.equal(out.code, 1);
      assert.match(out.stdout, /^audit chain BROKEN at record 2: /m);
    });
  });
});

describe('ID numbers at rest', () => {
  let srv;
  const ids = [...VALID_IDS, ...uniqueIdNumbers(30)];
  const outsiders = uniqueIdNumbers(3);
  before(async () => {
    srv = await startServer();
    const admin = await srv.adminToken();
    // Created, then updated.
    await srv.importOk(admin, ids.map((id, i) => residentRow(id, `隐私${i}`, `${C}/1号楼`)));
    await srv.importOk(admin, ids.map((id, i) => residentRow(id, `隐私改${i}`, `${C}/2号楼`)));
    // Rejected rows that carry valid numbers (a duplicate in the file; outside a user's scope),
    // sent with an Idempotency-Key so that the response is stored as well.
    const dupCsv = residentsCsv([residentRow(ids[0], '重一', C), residentRow(ids[0], '重二', C)]);
    assertStatus(await srv.importResidents(admin, dupCsv, { idempotencyKey: newKey('dup') }), 200);
    await srv.importOk(admin, [residentRow(uniqueIdNumbers(1)[0], '古城', C_OTHER)]);
    const community = await srv.newUser({ role: 'community', scope: C });
    const forbidden = await srv.importResidents(community.token,
      outsiders.map((id) => residentRow(id, '外社', C_OTHER)), { idempotencyKey: newKey('scope') });
    assert.equal(assertStatus(forbidden, 200).rejected.length, outsiders.length);
    // Searches and a reveal.
    for (const id of ids.slice(0, 5)) await srv.findResident(admin, id);
    const one = await srv.findResident(admin, ids[1]);
    assert.equal(assertStatus(await srv.api('GET', `/api/v1/residents/${one.id}?reveal=true`, { token: admin }), 200).id_number, ids[1]);
    assert.equal(assertStatus(await srv.api('GET', `/api/v1/residents/${one.id}?reveal=true`, { token: community.token }), 200).id_number, ids[1]);
    const exit = await srv.stop();
    assert.equal(exit.code, 0, srv.log);
  });
  after(() => srv?.dispose());

  test('the database file holds no imported ID number in the clear', async () => {
    assertIdsAbsent(await srv.databaseBytes(), [...ids, ...outsiders], 'the database');
  });

  test('the key file exists beside the database and only its owner can read it', async () => {
    const st = await fsp.stat(srv.keyFile);
    assert.ok(st.isFile());
    assert.ok(st.size > 0);
    assert.equal((st.mode & 0o777).toString(8), '600');
  });

  test('the server output holds no ID number', () => {
    assertIdsAbsent(Buffer.from(srv.log), [...ids, ...outsiders], 'the server output');
  });
});

describe('ID numbers in responses kept for replay', () => {
  test('a revealed ID number requested with an Idempotency-Key is not kept in the clear', async () => {
    const srv = await startServer();
    try {
      const admin = await srv.adminToken();
      const [id] = uniqueIdNumbers(1);
      await srv.importOk(admin, [residentRow(id, '重放', C)]);
      const r = await srv.findResident(admin, id);
      const key = newKey('reveal');
      const res = await srv.api('GET', `/api/v1/residents/${r.id}?reveal=true`, { token: admin, idempotencyKey: key });
      assert.equal(assertStatus(res, 200).id_number, id);
      await srv.stop();
      assertIdsAbsent(await srv.databaseBytes(), [id], 'the database');
    } finally {
      await srv.dispose();
    }
  });
});

describe('ID numbers in the access log', () => {
  test('the access log does not record an ID number searched for', async () => {
    const srv = await startServer({ accessLog: true });
    try {
      const admin = await srv.adminToken();
      const [id] = uniqueIdNumbers(1);
      await srv.importOk(admin, [residentRow(id, '日志', C)]);
      assert.ok(await srv.findResident(admin, id));
      await srv.stop();
      assert.match(srv.log, /\/api\/v1\/residents/, 'the access log is on and records requests');
      assertIdsAbsent(Buffer.from(srv.log), [id], 'the access log');
    } finally {
      await srv.dispose();
    }
  });
});
