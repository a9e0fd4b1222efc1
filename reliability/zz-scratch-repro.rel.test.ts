import { readFileSync } from 'node:fs';
import pg from 'pg';
import { it } from 'vitest';
import { startCluster } from './support/cluster';

it('repro', async () => {
  const cluster = await startCluster({ name: 'fuzz_repro' });
  try {
    const store = cluster.logins.stores[0]!;
    const client = new pg.Client({ connectionString: cluster.databaseUrl });
    await client.connect();
    console.log('logins', JSON.stringify(cluster.logins.stores.map((s) => [s.storeId, s.email])), JSON.stringify((await client.query('SELECT "storeId", email FROM "StoreUser" WHERE email = $1', [store.email])).rows));
    await client.end();
    const csrfResponse = await fetch(`${cluster.appUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
    const csrfCookie = csrfResponse.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const signIn = await fetch(`${cluster.appUrl}/api/auth/callback/store`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie, origin: cluster.appUrl }, body: new URLSearchParams({ csrfToken, email: store.email, password: store.password, json: 'true' }) });
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    console.log('cookie names', cookie.split('; ').map((c) => c.split('=')[0]).join(','));
    const home = await fetch(`${cluster.appUrl}/console`, { headers: { cookie }, redirect: 'manual' });
    console.log('console', home.status, home.headers.get('location'));
    const page = await fetch(`${cluster.appUrl}/console/stores/${store.storeId}/poses`, { headers: { cookie }, redirect: 'manual' });
    const html = await page.text();
    console.log('page', page.status, /not.found|404/i.test(html), html.includes('Web shop'));
    const manifest = JSON.parse(readFileSync('.next-fuzz/server/server-reference-manifest.json', 'utf8')) as { node: Record<string, { exportedName?: string }> };
    const id = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === 'renamePosAction')![0];
    const body = new FormData();
    body.set('0', JSON.stringify([{ status: 'idle' }, '$K1']));
    body.append('_1_storeId', store.storeId);
    body.append('_1_name', 'x');
    const response = await fetch(`${cluster.appUrl}/console/stores/${store.storeId}/poses`, { method: 'POST', redirect: 'manual', headers: { 'next-action': id, origin: cluster.appUrl, accept: 'text/x-component', cookie }, body });
    console.log('action', response.status, (await response.text()).slice(0, 2000).replace(/\n/g, ' ¶ '));
  } finally {
    await cluster.stop();
  }
});
