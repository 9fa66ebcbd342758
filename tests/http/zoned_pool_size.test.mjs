// A tube opened at a site whose place is under a zone takes the pool size the zone policy asks
// for the strictest zone in force, never more than the round's (docs/outbreak.md, "Zones and
// the policy"); a capacity given in the request stands.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertStatus, startServer } from './harness.mjs';
import { Rounds } from './round_helpers.mjs';

const C = '东城区/东华门街道/北池子社区';

let srv;
let r; // as the admin
let community;
let building1;
let round;
let site1; // at 1号楼
let site2; // at 2号楼

before(async () => {
  srv = await startServer();
  r = new Rounds(srv, await srv.adminToken());
  ({ community } = await r.community({
    path: C, residents: 4, place: (i) => `${1 + (i % 2)}号楼/1单元/${100 + i}`,
  }));
  building1 = await r.place(`${C}/1号楼`);
  const building2 = await r.place(`${C}/2号楼`);
  round = await r.round([community.id], { pool_size: 20, name: '分级混采测试轮' });
  site1 = await r.site(building1.id, { name: '1号楼采样点' });
  site2 = await r.site(building2.id, { name: '2号楼采样点' });
});
after(() => srv?.dispose());

async function zone(place_id, level) {
  return assertStatus(await r.post('/api/v1/zones', { place_id, level, reason: 'drill' }), 201);
}

async function lift(z) {
  assertStatus(await r.post(`/api/v1/zones/${z.id}/lift`, { reason: 'over' }), 200);
}

describe('POST /tubes under a zone', () => {
  test('sealed: 1 where the zone is, the round size elsewhere, a given capacity stands', async () => {
    const sealed = await zone(building1.id, 'sealed');
    assert.equal((await r.openTube(round.id, site1.id)).capacity, 1);
    assert.equal((await r.openTube(round.id, site2.id)).capacity, 20);
    assert.equal((await r.openTube(round.id, site1.id, { capacity: 5 })).capacity, 5);
    await lift(sealed);
    assert.equal((await r.openTube(round.id, site1.id)).capacity, 20);
  });

  test('controlled over the community: 10 at every site under it', async () => {
    const controlled = await zone(community.id, 'controlled');
    assert.equal((await r.openTube(round.id, site1.id)).capacity, 10);
    assert.equal((await r.openTube(round.id, site2.id)).capacity, 10);
    await lift(controlled);
    assert.equal((await r.openTube(round.id, site2.id)).capacity, 20);
  });
});
