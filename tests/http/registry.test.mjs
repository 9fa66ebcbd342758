// The registry: importing residents, places, reading residents, roles and scopes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CSV_HEADER, VALID_IDS, assertProblem, assertStatus, idNumber, masked, residentRow, residentsCsv,
  startServer, uniqueIdNumbers, withWrongCheck,
} from './harness.mjs';

const D = '朝阳区';
const S = '和平街街道';
const C1 = `${D}/${S}/小黄庄社区`;
const C2 = `${D}/${S}/樱花园社区`;
const S2C = `${D}/安贞街道/安华里社区`;
const OTHER = '海淀区/中关村街道/科源社区';

let srv;
let admin;
before(async () => {
  srv = await startServer();
  admin = await srv.adminToken();
});
after(() => srv?.dispose());

async function place(path, token = admin) {
  return assertStatus(await srv.placeAt(token, path), 200, `place ${path}`);
}

async function residentById(id, token = admin) {
  return assertStatus(await srv.api('GET', `/api/v1/residents/${id}`, { token }), 200);
}

async function listAll(query, token = admin) {
  const out = [];
  let cursor = '';
  for (let page = 0; page < 100; page++) {
    const sep = query ? '&' : '';
    const res = await srv.api('GET', `/api/v1/residents?${query}${sep}limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    const body = assertStatus(res, 200);
    out.push(...body.residents);
    if (body.next_cursor == null) return out;
    cursor = body.next_cursor;
  }
  throw new Error('more than 100 pages');
}

describe('importing residents', () => {
  test('an import creates the residents and every missing place along their addresses', async () => {
    const ids = uniqueIdNumbers(3);
    const report = await srv.importOk(admin, [
      residentRow(ids[0], '张三', `${C1}/1号楼/2单元/301`, { phone: '13800000001', tags: 'elderly;bedridden' }),
      residentRow(ids[1], '张三丰', `${C1}/1号楼/3单元`),
      residentRow(ids[2], '李四', C2),
    ]);
    assert.deepEqual(report, { created: 3, updated: 0, rejected: [], encoding: 'utf-8' });

    const district = await place(D);
    assert.equal(district.kind, 'district');
    assert.equal(district.name, D);
    assert.equal(district.path, D);
    assert.equal(district.parent_id, null);
    const street = await place(`${D}/${S}`);
    assert.equal(street.kind, 'street');
    assert.equal(street.parent_id, district.id);
    const community = await place(C1);
    assert.equal(community.kind, 'community');
    assert.equal(community.name, '小黄庄社区');
    assert.equal(community.path, C1);
    assert.equal(community.parent_id, street.id);
    const building = await place(`${C1}/1号楼`);
    assert.equal(building.kind, 'building');
    assert.equal(building.parent_id, community.id);
    const unit = await place(`${C1}/1号楼/2单元`);
    assert.equal(unit.kind, 'unit');
    assert.equal(unit.parent_id, building.id);
    const other = await place(C2);
    assert.equal(other.parent_id, street.id);
  });

  test('an imported resident reads back with a masked ID number, phone, address and tags', async () => {
    const [id] = uniqueIdNumbers(1);
    await srv.importOk(admin, [residentRow(id, '王五', `${C1}/2号楼/1单元`, { phone: '13900000002', tags: 'elderly;bedridden' })]);
    const found = await srv.findResident(admin, id);
    assert.ok(found, 'the resident is found by ID number');
    const r = await residentById(found.id);
    assert.equal(r.id, found.id);
    assert.equal(r.name, '王五');
    assert.equal(r.id_number_masked, masked(id));
    assert.equal(r.phone, '13900000002');
    assert.equal(r.place_id, (await place(`${C1}/2号楼/1单元`)).id);
    assert.equal(typeof r.address, 'string');
    assert.ok(r.address.includes('小黄庄社区') && r.address.includes('2号楼') && r.address.includes('1单元'),
      `the address names the community, building and unit: ${r.address}`);
    assert.deepEqual([...r.tags].sort(), ['bedridden', 'elderly']);
    assert.ok(!('id_number' in r), 'the clear ID number is not shown without ?reveal=true');
  });

  test('a masked ID number keeps the first six and last four characters', async () => {
    await srv.importOk(admin, [residentRow('11010519491231002X', '赵六', C1)]);
    const r = await srv.findResident(admin, '11010519491231002X');
    assert.equal(r.id_number_masked, '110105********002X');
    assert.ok(!JSON.stringify(r).includes('11010519491231002X'));
  });

  test('the four example ID numbers of the contract are all accepted', async () => {
    const report = await srv.importOk(admin, VALID_IDS.map((id, i) => residentRow(id, `示例${i}`, C2)));
    assert.deepEqual(report.rejected, []);
    assert.equal(report.created + report.updated, 4);
  });

  test('a row whose ID number exists updates that resident instead of adding one', async () => {
    const [id] = uniqueIdNumbers(1);
    await srv.importOk(admin, [residentRow(id, '钱七', `${C1}/1号楼/2单元`, { phone: '111', tags: 'worker' })]);
    const before = await srv.findResident(admin, id);
    const report = await srv.importOk(admin, [residentRow(id, '钱七七', `${C2}/9号楼/1单元`, { phone: '222', tags: 'elderly' })]);
    assert.deepEqual(report, { created: 0, updated: 1, rejected: [], encoding: 'utf-8' });
    const afterList = await srv.api('GET', `/api/v1/residents?q=${id}`, { token: admin });
    assert.equal(assertStatus(afterList, 200).residents.length, 1, 'still one resident with that number');
    const r = await residentById(before.id);
    assert.equal(r.name, '钱七七');
    assert.equal(r.phone, '222');
    assert.equal(r.place_id, (await place(`${C2}/9号楼/1单元`)).id);
    assert.deepEqual(r.tags, ['elderly']);
    assert.equal(r.id_number_masked, masked(id));
  });

  test('valid rows are kept while bad rows are rejected with their line and code', async () => {
    const good = uniqueIdNumbers(3);
    const year = new Date().getUTCFullYear() + 1;
    const rows = [
      residentRow(good[0], '好一', C1), // line 2
      residentRow('110105194912310021', '校验位错', C1), // 3: check character
      residentRow(idNumber({ date: '19800230', seq: 1 }), '日期错', C1), // 4: 30 February
      residentRow('110105491231002', '十五位', C1), // 5: a 15-digit number
      residentRow(idNumber({ date: `${year}0101`, seq: 1 }), '未来', C1), // 6: born next year
      residentRow(idNumber({ region: '990105', date: '19900307', seq: 123 }), '无此地区', C1), // 7: region 99
      residentRow(good[1], '', C1), // 8: no name
      residentRow('', '无号', C1), // 9: no ID number
      residentRow(good[2], '好二', C1), // 10
      residentRow(good[0], '重复', C2), // 11: same number as line 2
      { ...residentRow(uniqueIdNumbers(1)[0], '无社区', C1), community: '' }, // 12: no community
      residentRow('11010519900307123A', '字母', C1), // 13: a letter before the check
      residentRow('1101051990030712', '太短', C1), // 14: 16 characters
      residentRow(withWrongCheck(uniqueIdNumbers(1)[0]), '错校验', C1), // 15: check character
    ];
    const report = await srv.importOk(admin, rows);
    assert.equal(report.created, 2, JSON.stringify(report));
    assert.equal(report.updated, 0);
    const byLine = Object.fromEntries(report.rejected.map((r) => [r.line, r.code]));
    assert.deepEqual(byLine, {
      3: 'invalid_id_number',
      4: 'invalid_id_number',
      5: 'invalid_id_number',
      6: 'invalid_id_number',
      7: 'invalid_id_number',
      8: 'missing_field',
      9: 'missing_field',
      11: 'duplicate_in_file',
      12: 'missing_field',
      13: 'invalid_id_number',
      14: 'invalid_id_number',
      15: 'invalid_id_number',
    });
    for (const r of report.rejected) assert.equal(typeof r.detail, 'string', `line ${r.line} has a detail`);
    assert.equal((await srv.findResident(admin, good[0])).name, '好一', 'the first of two duplicate lines stands');
    assert.ok(await srv.findResident(admin, good[2]));
  });

  test('the leap day is a date only in leap years', async () => {
    const leap = idNumber({ date: '20000229', seq: 7 });
    const notLeap = idNumber({ date: '19000229', seq: 7 });
    const notLeap2 = idNumber({ date: '20230229', seq: 7 });
    const report = await srv.importOk(admin, [residentRow(leap, '闰年', C1), residentRow(notLeap, '非闰年', C1), residentRow(notLeap2, '平年', C1)]);
    assert.equal(report.created, 1);
    assert.deepEqual(report.rejected.map((r) => [r.line, r.code]), [[3, 'invalid_id_number'], [4, 'invalid_id_number']]);
  });

  test('a lowercase x check character is the same ID number as an uppercase X', async () => {
    let x;
    for (let seq = 1; !x; seq++) {
      const candidate = idNumber({ region: '310115', date: '19700101', seq });
      if (candidate.endsWith('X')) x = candidate;
    }
    const r1 = await srv.importOk(admin, [residentRow(x.toLowerCase(), '小写', C1)]);
    assert.deepEqual(r1, { created: 1, updated: 0, rejected: [], encoding: 'utf-8' });
    const r2 = await srv.importOk(admin, [residentRow(x, '大写', C1)]);
    assert.deepEqual(r2, { created: 0, updated: 1, rejected: [], encoding: 'utf-8' }, 'the uppercase form updates the same resident');
    const found = await srv.findResident(admin, x);
    assert.equal(found.name, '大写');
    assert.equal(found.id_number_masked, masked(x));
  });

  test('a header row missing a required column is refused as invalid_request naming it, and nothing is imported', async () => {
    const [id] = uniqueIdNumbers(1);
    const header = CSV_HEADER.replace(',community', '');
    const csv = `${header}\n${id},缺列,,${D},${S},,,,\n`;
    const problem = assertProblem(await srv.importResidents(admin, csv), 422, 'invalid_request');
    assert.equal(problem.column, 'community');
    assert.equal(await srv.findResident(admin, id), undefined);
  });

  test('an empty body is refused as invalid_request', async () => {
    assertProblem(await srv.importResidents(admin, ''), 422, 'invalid_request');
  });

  test('a body that is not text/csv is refused as unsupported_media_type', async () => {
    const [id] = uniqueIdNumbers(1);
    const csv = residentsCsv([residentRow(id, '错类型', C1)]);
    assertProblem(await srv.api('POST', '/api/v1/residents/import', { token: admin, json: { csv } }), 415, 'unsupported_media_type');
    assertProblem(await srv.api('POST', '/api/v1/residents/import', { token: admin, body: csv, headers: { 'content-type': 'text/plain' } }),
      415, 'unsupported_media_type');
    assert.equal(await srv.findResident(admin, id), undefined);
  });

  test('text/csv with a charset parameter is accepted', async () => {
    const [id] = uniqueIdNumbers(1);
    const csv = residentsCsv([residentRow(id, '字符集', C1)]);
    const res = await srv.api('POST', '/api/v1/residents/import', { token: admin, body: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } });
    assert.deepEqual(assertStatus(res, 200), { created: 1, updated: 0, rejected: [], encoding: 'utf-8' });
  });

  test('a CSV saved by Excel, with a byte order mark, CRLF line ends and quoted fields, imports', async () => {
    const [a, b] = uniqueIdNumbers(2);
    const csv = '\uFEFF' + [
      CSV_HEADER,
      `${a},"Smith, John",13800000003,${D},${S},小黄庄社区,"3号楼",,,"elderly;child"`,
      `${b},"O""Brien",,${D},${S},小黄庄社区,,,,`,
    ].join('\r\n') + '\r\n';
    const report = await srv.importOk(admin, csv);
    assert.deepEqual(report, { created: 2, updated: 0, rejected: [], encoding: 'utf-8-bom' });
    const r = await residentById((await srv.findResident(admin, a)).id);
    assert.equal(r.name, 'Smith, John');
    assert.deepEqual([...r.tags].sort(), ['child', 'elderly']);
    assert.equal((await srv.findResident(admin, b)).name, 'O"Brien');
  });

  test('the columns are found by their names in the header, in any order', async () => {
    const [id] = uniqueIdNumbers(1);
    const header = 'name,id_number,district,street,community,building,unit,room,phone,tags';
    const csv = `${header}\n倒序,${id},${D},${S},小黄庄社区,,,,139,\n`;
    assert.deepEqual(await srv.importOk(admin, csv), { created: 1, updated: 0, rejected: [], encoding: 'utf-8' });
    assert.equal((await srv.findResident(admin, id)).phone, '139');
  });

  test('line numbers count the header as line 1', async () => {
    const [id] = uniqueIdNumbers(1);
    const report = await srv.importOk(admin, [residentRow(id, '一', C1), residentRow('bad', '二', C1)]);
    assert.deepEqual(report.rejected.map((r) => r.line), [3]);
  });
});

describe('places', () => {
  let community;
  before(async () => {
    const ids = uniqueIdNumbers(2);
    await srv.importOk(admin, [residentRow(ids[0], '楼甲', `${S2C}/甲楼/1单元`), residentRow(ids[1], '楼乙', `${S2C}/乙楼`)]);
    community = await place(S2C);
  });

  test('a place is found by its path, in Chinese, URL-encoded', async () => {
    const res = await srv.api('GET', `/api/v1/places?path=${encodeURIComponent(`${S2C}/甲楼/1单元`)}`, { token: admin });
    const unit = assertStatus(res, 200);
    assert.equal(unit.kind, 'unit');
    assert.equal(unit.name, '1单元');
    assert.equal(unit.path, `${S2C}/甲楼/1单元`);
  });

  test('a path naming no place is refused as unknown_place', async () => {
    assertProblem(await srv.placeAt(admin, `${S2C}/无此楼`), 404, 'unknown_place');
    assertProblem(await srv.placeAt(admin, '无此区/无此街道/无此社区'), 404, 'unknown_place');
  });

  test('a place by id lists its children', async () => {
    const res = await srv.api('GET', `/api/v1/places/${community.id}`, { token: admin });
    const body = assertStatus(res, 200);
    assert.equal(body.id, community.id);
    assert.equal(body.path, S2C);
    assert.equal(body.kind, 'community');
    assert.ok(Array.isArray(body.children));
    assert.deepEqual(body.children.map((c) => c.name).sort(), ['乙楼', '甲楼'].sort());
    for (const c of body.children) {
      assert.equal(c.kind, 'building');
      assert.equal(c.parent_id, community.id);
    }
  });

  test('an unknown place id is refused as unknown_place', async () => {
    assertProblem(await srv.api('GET', '/api/v1/places/987654321', { token: admin }), 404, 'unknown_place');
    assertProblem(await srv.api('GET', '/api/v1/places/not-a-number', { token: admin }), 404, 'unknown_place');
  });

  test('without a path, an unscoped user gets the top places', async () => {
    const body = assertStatus(await srv.api('GET', '/api/v1/places', { token: admin }), 200);
    assert.ok(Array.isArray(body.places));
    const district = body.places.find((p) => p.name === D);
    assert.ok(district, `the district ${D} is a top place: ${JSON.stringify(body.places)}`);
    assert.equal(district.kind, 'district');
    assert.equal(district.parent_id, null);
    for (const p of body.places) assert.equal(p.parent_id, null, 'only top places');
  });
});

describe('reading residents', () => {
  let community;
  let ids;
  before(async () => {
    ids = uniqueIdNumbers(25);
    const rows = ids.map((id, i) => residentRow(id, i < 3 ? `孙${'甲乙丙'[i]}` : `居民${i}`, '西城区/月坛街道/复兴门北社区'));
    assert.equal((await srv.importOk(admin, rows)).created, 25);
    community = await place('西城区/月坛街道/复兴门北社区');
  });

  test('residents are listed by place, a page at a time, until next_cursor is null', async () => {
    const seen = new Set();
    let cursor = null;
    let pages = 0;
    do {
      const url = `/api/v1/residents?place_id=${community.id}&limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = assertStatus(await srv.api('GET', url, { token: admin }), 200);
      assert.ok(body.residents.length <= 10);
      for (const r of body.residents) {
        assert.ok(!seen.has(r.id), `resident ${r.id} appears on two pages`);
        seen.add(r.id);
        assert.equal(r.id_number_masked.length, 18);
        assert.ok(!('id_number' in r));
      }
      assert.ok('next_cursor' in body);
      cursor = body.next_cursor;
      pages++;
    } while (cursor != null && pages < 10);
    assert.equal(pages, 3);
    assert.equal(seen.size, 25);
  });

  test('a list by place includes the residents of the places below it and no others', async () => {
    const street = await place(`${D}/${S}`);
    const under = await listAll(`place_id=${street.id}`);
    assert.ok(under.length > 0);
    const c1 = await place(C1);
    const c2 = await place(C2);
    for (const r of under) {
      assert.ok(r.address.includes('小黄庄社区') || r.address.includes('樱花园社区'), `outside the street: ${r.address}`);
    }
    const inC1 = await listAll(`place_id=${c1.id}`);
    const inC2 = await listAll(`place_id=${c2.id}`);
    assert.equal(under.length, inC1.length + inC2.length);
  });

  test('q with an ID number finds exactly that resident', async () => {
    const body = assertStatus(await srv.api('GET', `/api/v1/residents?q=${ids[5]}`, { token: admin }), 200);
    assert.equal(body.residents.length, 1);
    assert.equal(body.residents[0].name, '居民5');
    assert.equal(body.residents[0].id_number_masked, masked(ids[5]));
    assert.equal(body.next_cursor, null);
  });

  test('q with a valid ID number nobody has finds nobody', async () => {
    const [unused] = uniqueIdNumbers(1);
    const body = assertStatus(await srv.api('GET', `/api/v1/residents?q=${unused}`, { token: admin }), 200);
    assert.deepEqual(body.residents, []);
  });

  test('q with a name prefix finds the residents whose names begin with it', async () => {
    const body = assertStatus(await srv.api('GET', `/api/v1/residents?place_id=${community.id}&q=${encodeURIComponent('孙')}`, { token: admin }), 200);
    assert.deepEqual(body.residents.map((r) => r.name).sort(), ['孙丙', '孙乙', '孙甲'].sort());
    const none = assertStatus(await srv.api('GET', `/api/v1/residents?place_id=${community.id}&q=${encodeURIComponent('周')}`, { token: admin }), 200);
    assert.deepEqual(none.residents, []);
  });

  test('a name query is taken literally: % and _ match only themselves', async () => {
    for (const q of ['%', '_', '孙%']) {
      const body = assertStatus(await srv.api('GET', `/api/v1/residents?place_id=${community.id}&q=${encodeURIComponent(q)}`, { token: admin }), 200);
      assert.deepEqual(body.residents, [], `q=${q}`);
    }
  });

  test('a malformed limit or cursor is refused with a 422 problem', async () => {
    assertProblem(await srv.api('GET', `/api/v1/residents?place_id=${community.id}&limit=abc`, { token: admin }), 422);
    assertProblem(await srv.api('GET', `/api/v1/residents?place_id=${community.id}&cursor=abc`, { token: admin }), 422);
  });

  test('an unknown resident id is refused as unknown_resident', async () => {
    assertProblem(await srv.api('GET', '/api/v1/residents/987654321', { token: admin }), 404, 'unknown_resident');
  });

  test('listing under an unknown place is refused as unknown_place', async () => {
    assertProblem(await srv.api('GET', '/api/v1/residents?place_id=987654321', { token: admin }), 404, 'unknown_place');
  });
});

describe('revealing ID numbers', () => {
  let resident;
  let id;
  before(async () => {
    [id] = uniqueIdNumbers(1);
    await srv.importOk(admin, [residentRow(id, '揭示', C1)]);
    resident = await srv.findResident(admin, id);
  });

  const auditCount = async () => {
    const out = await srv.auditVerify();
    assert.equal(out.code, 0, out.stdout + out.stderr);
    return Number(out.stdout.match(/audit chain intact: (\d+) records/)[1]);
  };

  test('an admin sees the clear ID number with ?reveal=true, and the reveal is audited', async () => {
    const before = await auditCount();
    const r = assertStatus(await srv.api('GET', `/api/v1/residents/${resident.id}?reveal=true`, { token: admin }), 200);
    assert.equal(r.id_number, id);
    assert.equal(r.id_number_masked, masked(id));
    assert.equal(await auditCount(), before + 1, 'one audit record for the reveal');
  });

  test('a community user sees the clear ID number of their own resident with ?reveal=true', async () => {
    const { token } = await srv.newUser({ role: 'community', scope: C1 });
    const r = assertStatus(await srv.api('GET', `/api/v1/residents/${resident.id}?reveal=true`, { token }), 200);
    assert.equal(r.id_number, id);
  });

  test('?reveal=false shows the masked number only', async () => {
    const r = assertStatus(await srv.api('GET', `/api/v1/residents/${resident.id}?reveal=false`, { token: admin }), 200);
    assert.ok(!('id_number' in r) || r.id_number == null);
  });

  for (const role of ['command', 'viewer']) {
    test(`a ${role} user may read a resident but not reveal the ID number`, async () => {
      const { token } = await srv.newUser({ role });
      const plain = assertStatus(await srv.api('GET', `/api/v1/residents/${resident.id}`, { token }), 200);
      assert.equal(plain.id_number_masked, masked(id));
      assert.ok(!('id_number' in plain));
      const res = await srv.api('GET', `/api/v1/residents/${resident.id}?reveal=true`, { token });
      assertProblem(res, 403, 'forbidden');
      assert.ok(!res.text.includes(id));
    });
  }

  for (const role of ['recorder', 'courier', 'lab']) {
    test(`a ${role} user may not read residents at all`, async () => {
      const { token } = await srv.newUser({ role });
      assertProblem(await srv.api('GET', `/api/v1/residents/${resident.id}`, { token }), 403, 'forbidden');
      assertProblem(await srv.api('GET', `/api/v1/residents/${resident.id}?reveal=true`, { token }), 403, 'forbidden');
      assertProblem(await srv.api('GET', `/api/v1/residents?q=${id}`, { token }), 403, 'forbidden');
      assertProblem(await srv.api('GET', `/api/v1/residents?place_id=${resident.place_id}`, { token }), 403, 'forbidden');
    });
  }
});

describe('who may import', () => {
  for (const role of ['command', 'recorder', 'courier', 'lab', 'viewer']) {
    test(`a ${role} user may not import residents`, async () => {
      const { token } = await srv.newUser({ role });
      const [id] = uniqueIdNumbers(1);
      assertProblem(await srv.importResidents(token, [residentRow(id, '越权', C1)]), 403, 'forbidden');
      assert.equal(await srv.findResident(admin, id), undefined);
    });
  }
});

describe('a user scoped to a community', () => {
  let user;
  let inside;
  let outside;
  let outsideOther;
  const insideId = uniqueIdNumbers(1)[0];
  const outsideId = uniqueIdNumbers(1)[0];
  const otherId = uniqueIdNumbers(1)[0];
  before(async () => {
    await srv.importOk(admin, [
      residentRow(insideId, '社内', `${C1}/5号楼/1单元`),
      residentRow(outsideId, '社外', `${C2}/5号楼/1单元`),
      residentRow(otherId, '区外', OTHER),
    ]);
    inside = await srv.findResident(admin, insideId);
    outside = await srv.findResident(admin, outsideId);
    outsideOther = await srv.findResident(admin, otherId);
    user = await srv.newUser({ role: 'community', scope: C1 });
  });

  test('sees only their community as their top place', async () => {
    const body = assertStatus(await srv.api('GET', '/api/v1/places', { token: user.token }), 200);
    assert.deepEqual(body.places.map((p) => p.path), [C1]);
  });

  test('reads places inside their community', async () => {
    assertStatus(await srv.placeAt(user.token, C1), 200);
    assertStatus(await srv.placeAt(user.token, `${C1}/5号楼/1单元`), 200);
    const c1 = await place(C1);
    assertStatus(await srv.api('GET', `/api/v1/places/${c1.id}`, { token: user.token }), 200);
  });

  test('is forbidden places outside their community, by path and by id', async () => {
    assertProblem(await srv.placeAt(user.token, C2), 403, 'forbidden');
    assertProblem(await srv.placeAt(user.token, `${D}/${S}`), 403, 'forbidden');
    assertProblem(await srv.placeAt(user.token, OTHER), 403, 'forbidden');
    const c2 = await place(C2);
    assertProblem(await srv.api('GET', `/api/v1/places/${c2.id}`, { token: user.token }), 403, 'forbidden');
    const street = await place(`${D}/${S}`);
    assertProblem(await srv.api('GET', `/api/v1/places/${street.id}`, { token: user.token }), 403, 'forbidden');
  });

  test('reads a resident inside and is forbidden one outside', async () => {
    assertStatus(await srv.api('GET', `/api/v1/residents/${inside.id}`, { token: user.token }), 200);
    assertProblem(await srv.api('GET', `/api/v1/residents/${outside.id}`, { token: user.token }), 403, 'forbidden');
    assertProblem(await srv.api('GET', `/api/v1/residents/${outsideOther.id}`, { token: user.token }), 403, 'forbidden');
    const res = await srv.api('GET', `/api/v1/residents/${outside.id}?reveal=true`, { token: user.token });
    assertProblem(res, 403, 'forbidden');
    assert.ok(!res.text.includes(outsideId));
  });

  test('lists only their own residents, and is forbidden to list another place', async () => {
    const mine = await listAll('', user.token);
    assert.ok(mine.some((r) => r.id === inside.id));
    for (const r of mine) assert.ok(r.address.includes('小黄庄社区'), `a resident outside the scope was listed: ${r.address}`);
    const c2 = await place(C2);
    assertProblem(await srv.api('GET', `/api/v1/residents?place_id=${c2.id}`, { token: user.token }), 403, 'forbidden');
  });

  test('does not find a resident outside by ID number', async () => {
    const res = await srv.api('GET', `/api/v1/residents?q=${outsideId}`, { token: user.token });
    if (res.status === 200) assert.deepEqual(res.body.residents, []);
    else assertProblem(res, 403, 'forbidden');
  });

  test('imports rows inside their community, new buildings included, and has rows outside rejected as forbidden', async () => {
    const [a, b, c, d] = uniqueIdNumbers(4);
    const report = await srv.importOk(user.token, [
      residentRow(a, '新楼住户', `${C1}/新建7号楼/1单元`), // 2
      residentRow(b, '邻社', `${C2}/5号楼/1单元`), // 3
      residentRow(c, '新区', '新区/新街道/新社区'), // 4
      residentRow(d, '本社', C1), // 5
    ]);
    assert.equal(report.created, 2, JSON.stringify(report));
    assert.deepEqual(report.rejected.map((r) => [r.line, r.code]), [[3, 'forbidden'], [4, 'forbidden']]);
    assert.equal((await srv.findResident(admin, a)).name, '新楼住户');
    assert.equal(await srv.findResident(admin, b), undefined);
    assert.equal(await srv.findResident(admin, c), undefined);
    assertStatus(await srv.placeAt(admin, `${C1}/新建7号楼`), 200);
    assertProblem(await srv.placeAt(admin, '新区'), 404, 'unknown_place', 'no place is created outside the scope');
  });

  test('updates a resident of their own community by importing the same ID number', async () => {
    const report = await srv.importOk(user.token, [residentRow(insideId, '社内改名', `${C1}/5号楼/2单元`)]);
    assert.deepEqual(report, { created: 0, updated: 1, rejected: [], encoding: 'utf-8' });
    assert.equal((await residentById(inside.id, user.token)).name, '社内改名');
  });

  test('cannot take over a resident of another community by importing their ID number, and the other rows are still kept', async () => {
    const [fresh] = uniqueIdNumbers(1);
    const res = await srv.importResidents(user.token, [
      residentRow(fresh, '本社新人', C1), // 2
      residentRow(outsideId, '冒名', C1), // 3: lives in C2
    ]);
    const report = assertStatus(res, 200, 'valid rows are kept even when others fail');
    assert.equal(report.created, 1);
    assert.equal(report.updated, 0);
    assert.deepEqual(report.rejected.map((r) => [r.line, r.code]), [[3, 'forbidden']]);
    const still = await residentById(outside.id);
    assert.equal(still.name, '社外');
    assert.equal(still.place_id, outside.place_id);
  });
});

describe('a user scoped to a street', () => {
  test('reads the residents of every community of the street and none beyond', async () => {
    const { token } = await srv.newUser({ role: 'command', scope: `${D}/${S}` });
    const [a, b, c] = uniqueIdNumbers(3);
    await srv.importOk(admin, [residentRow(a, '街一', C1), residentRow(b, '街二', C2), residentRow(c, '街外', S2C)]);
    assertStatus(await srv.api('GET', `/api/v1/residents/${(await srv.findResident(admin, a)).id}`, { token }), 200);
    assertStatus(await srv.api('GET', `/api/v1/residents/${(await srv.findResident(admin, b)).id}`, { token }), 200);
    assertProblem(await srv.api('GET', `/api/v1/residents/${(await srv.findResident(admin, c)).id}`, { token }), 403, 'forbidden');
    assertProblem(await srv.placeAt(token, S2C), 403, 'forbidden');
    assertStatus(await srv.placeAt(token, C2), 200);
  });
});
