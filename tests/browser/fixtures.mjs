// Data the browser tests make for themselves through the API (as admin), so that they do not
// depend on what `swabline demo` happens to contain beyond the registry and the demo users.
//
//   const a = await adminApi(srv);
//   const { round, site, community } = await makeRound(a, { name: '测试轮次' });
//   const people = await residentsOf(a, buildingId, 3);        // with id_number in clear
//   await fillTube(a, { barcode: 'FX-000001', round, site, people, seal: true });

import { apiToken, COMMUNITY_SCOPE } from './server.mjs';

/** A small client for one user: call(method, path, {json, csv}) → body; throws on an error. */
export async function apiAs(srv, username) {
  const token = await apiToken(srv, username);
  async function call(method, path, { json, csv, ok = true } = {}) {
    const headers = { Authorization: `Bearer ${token}` };
    let body;
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (csv !== undefined) {
      headers['Content-Type'] = 'text/csv';
      body = csv;
    }
    const res = await fetch(srv.url + '/api/v1' + path, { method, headers, body });
    const data = await res.json().catch(() => null);
    if (ok && !res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
    return ok ? data : { status: res.status, body: data };
  }
  call.token = token;
  return call;
}

export const adminApi = (srv) => apiAs(srv, 'admin');

/** The demo community (小黄庄社区) and its buildings, by name. */
export async function community(a) {
  const c = await a('GET', `/places?path=${encodeURIComponent(COMMUNITY_SCOPE)}`);
  const withChildren = await a('GET', `/places/${c.id}`);
  const buildings = new Map(withChildren.children.map((b) => [b.name, b]));
  return { ...withChildren, buildings };
}

/** A round over the demo community and a sampling site in it. */
export async function makeRound(a, { name, pool = 10, siteName = `${name} 采样点` } = {}) {
  const c = await community(a);
  const round = await a('POST', '/rounds', { json: { name, place_ids: [c.id], pool_size: pool } });
  const site = await a('POST', '/sites', { json: { name: siteName, place_id: c.id } });
  return { round, site, community: c };
}

/** n residents living under a place (skipping the first `skip`), each with its ID number in clear. */
export async function residentsOf(a, placeId, n, skip = 0) {
  const page = await a('GET', `/residents?place_id=${placeId}&limit=${n + skip}`);
  const chosen = page.residents.slice(skip, skip + n);
  if (chosen.length < n) throw new Error(`only ${chosen.length} residents under place ${placeId}`);
  return Promise.all(chosen.map((r) => a('GET', `/residents/${r.id}?reveal=true`)));
}

/** Opens a tube, samples the people (by resident id), and seals it when asked. */
export async function fillTube(a, { barcode, round, site, people, seal = true }) {
  await a('POST', '/tubes', { json: { barcode, round_id: round.id, site_id: site.id } });
  for (const p of people) await a('POST', `/tubes/${barcode}/samples`, { json: { person: String(p.id) } });
  if (seal) await a('POST', `/tubes/${barcode}/seal`);
  return a('GET', `/tubes/${barcode}`);
}
