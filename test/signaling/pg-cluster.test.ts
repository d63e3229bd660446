// The whole multi-node set-up as `npm start` runs it: two nodes, each with a data folder of its
// own, on one PostgreSQL database and one Redis, signing with one provisioned key file. Members
// on different nodes form a job whose accepts race on both nodes, a market sale spans the nodes
// (publish and buy on one, the purchase pushed to the seller on the other, the blob uploaded
// through one and read through the other), and the ledger both wrote verifies with
// `npm run ledger:verify`.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { grantCredits } from '../../signaling/ledger-store.js';
import { writeNewServiceKey } from '../../signaling/service-key.js';
import { type ClientSocket, call, connectAuto, makeIdentity, type TestIdentity, waitFor } from '../helpers/client.js';
import { Cluster } from '../helpers/cluster.js';
import { listingBody, type Req, signed } from '../helpers/market.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { type RedisServer, startRedis } from '../helpers/redis.js';
import type { Harness } from '../helpers/service.js';

const run = promisify(execFile);
let redis: RedisServer;
let postgres: TestPostgres;
let c: Cluster;
let databaseUrl: string;
let serviceKeyFile: string;

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
}, 60_000);
afterAll(async () => {
  await redis.stop();
  await postgres.stop();
});
beforeEach(async () => {
  c = new Cluster(redis);
  databaseUrl = await postgres.createDatabase();
  serviceKeyFile = join(c.dir, 'cluster-key.json');
  await writeNewServiceKey(serviceKeyFile);
  const node = (i: number) => ({ databaseUrl, serviceKeyFile, dbFile: join(c.dir, `n${i}`, 'parley.db') });
  await Promise.all([c.start(0, node(0)), c.start(1, node(1))]);
  return () => c.stop();
});

async function on(i: number, id: TestIdentity): Promise<ClientSocket> {
  const s = c.track(connectAuto(c.url(i), id));
  await waitFor(s, 'connect');
  return s;
}

describe('two nodes on PostgreSQL and Redis', () => {
  it('race accepts of one job on both nodes to ready, pushed to every member once', async () => {
    const ids = await Promise.all(['al', 'bo', 'cy', 'di'].map((n) => makeIdentity(n)));
    const sockets = await Promise.all(ids.map((id, i) => on(i % 2, id)));
    const job = await call(sockets[0]!, 'job:propose', {
      kind: 'securenumpy',
      peers: ['bo', 'cy', 'di'],
      program: 'x = 1',
      reveal: [{ output: 'x', to: ['al'] }],
    });
    const ready = sockets.map((s) => waitFor<any>(s, 'job:update', (j) => j.id === job.id && j.state === 'ready'));
    const acks = await Promise.all([1, 2, 3].map((i) => call(sockets[i]!, 'job:accept', { jobId: job.id })));
    expect(acks.filter((j) => j.state === 'ready')).toHaveLength(1);
    for (const j of await Promise.all(ready)) expect([...j.accepted].sort()).toEqual(['al', 'bo', 'cy', 'di']);
    expect((await c.nodes[0]!.store.getJob(job.id))!.state).toBe('ready');
  });

  it('sells across nodes: purchase pushed to the seller, blob read through the other node, one verified ledger', async () => {
    const [sam, bea] = [await makeIdentity('sam', ['seller']), await makeIdentity('bea', ['buyer'])];
    const seller = await on(1, sam);
    const buyer = await on(0, bea);
    await grantCredits(c.nodes[1]!.ledger, 'bea', 100);
    const clock = { clock: Date.now() } as Harness;
    const send = async (s: ClientSocket, id: TestIdentity, event: string, r: Req) =>
      call(s, event as never, await signed(clock, id, r));
    const listing = await send(seller, sam, 'market:publish', { type: 'publish', body: listingBody(clock.clock) });
    const sold = waitFor<any>(seller, 'market:purchase');
    const purchase = await send(buyer, bea, 'market:buy', { type: 'buy', listing: listing.id, body: {} });
    expect(await sold).toMatchObject({ id: purchase.id, buyer: 'bea', seller: 'sam' });
    expect(await c.nodes[1]!.store.getBalance('bea')).toEqual({
      balance: 100 - purchase.price - purchase.guarantee,
      escrow: purchase.price + purchase.guarantee,
    });

    const bytes = new Uint8Array(5000).map((_, i) => i % 253);
    const up = await call(seller, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'put' });
    const put = await fetch(c.url(1) + up.url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${up.ticket}` },
      body: bytes,
    });
    expect(put.status).toBe(201);
    const down = await call(buyer, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'get' });
    const got = await fetch(c.url(0) + down.url, { headers: { authorization: `Bearer ${down.ticket}` } });
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);

    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'signaling/ledger-verify.ts'], {
      env: { ...process.env, PARLEY_DATABASE_URL: databaseUrl, PARLEY_SERVICE_KEY_FILE: serviceKeyFile },
    });
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, entries: 3 });
  }, 30_000);
});
