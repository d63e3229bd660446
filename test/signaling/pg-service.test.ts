// The service on PostgreSQL, two nodes on one database and one Redis (each with its own data
// folder, one provisioned key file): blobs uploaded through one node are served by the other byte for byte
// (several 1 MiB chunks), of two uploads of one blob through both nodes exactly one wins, a
// refused upload keeps no chunk, a purchase made on one node opens the data on the other, the
// operator CLI signs with the cluster's key only, and
// /readyz and store calls follow the database (503 ERR_UNAVAILABLE while it refuses connections) (the test's own connection is the last thing it closes).

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../signaling/app.js';
import { writeNewServiceKey } from '../../signaling/service-key.js';
import { call, connectAs } from '../helpers/client.js';
import { buy, market } from '../helpers/market.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { type RedisServer, startRedis } from '../helpers/redis.js';
import { Harness } from '../helpers/service.js';

let server: TestPostgres;
let redis: RedisServer;
let databaseUrl: string;
const nodes = [new Harness(), new Harness()];
let sql: pg.Client;
let serviceKeyFile: string;
const run = promisify(execFile);

beforeAll(async () => {
  [server, redis] = await Promise.all([startPostgres(), startRedis()]);
  databaseUrl = await server.createDatabase();
  serviceKeyFile = join(nodes[0]!.dir, 'cluster-key.json');
  await writeNewServiceKey(serviceKeyFile);
  for (const [i, h] of nodes.entries())
    await h.start({
      databaseUrl,
      serviceKeyFile,
      redisUrl: redis.url,
      redisPrefix: `pgs${process.pid}:`,
      nodeId: `n${i}`,
      maxBlobBytes: 3 * 1024 * 1024,
    });
  sql = new pg.Client({ connectionString: databaseUrl });
  sql.on('error', () => undefined); // the /readyz test cuts every connection to the database
  await sql.connect();
}, 60_000);
afterAll(async () => {
  await sql.end().catch(() => undefined);
  for (const h of nodes) await h.stop();
  await server.stop();
  await redis.stop();
});

const put = (base: string, t: { url: string; ticket: string }, body: BodyInit, extra: RequestInit = {}) =>
  fetch(base + t.url, { method: 'PUT', headers: { authorization: `Bearer ${t.ticket}` }, body, ...extra });
const chunkCount = async () => Number((await sql.query('SELECT COUNT(*) AS n FROM blob_chunks')).rows[0].n);

describe('two nodes on PostgreSQL', () => {
  it('serve blobs through either node, write-once across nodes, keeping nothing of refused uploads', async () => {
    const [a, b] = nodes as [Harness, Harness];
    const { seller, buyer, listing } = await market(a);
    const sellerOnB = a.track(await connectAs(b.url, seller.id));
    const bytes = new Uint8Array(2.5 * 1024 * 1024).map((_, i) => (i * 7) % 251);

    // Two uploads of the data blob, one through each node, at once: one wins, the other is refused.
    const tickets = await Promise.all(
      [seller.s, sellerOnB].map((s) => call(s, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'put' })),
    );
    const other = bytes.map((x) => x ^ 1);
    const puts = await Promise.all([put(a.url, tickets[0], bytes), put(b.url, tickets[1], other)]);
    expect(puts.map((r) => r.status).sort()).toEqual([201, 400]);
    const won = puts[0]!.status === 201 ? bytes : other;
    const stored = await chunkCount();
    expect(stored).toBe(3); // 2.5 MiB in 1 MiB chunks; the loser's chunks are gone

    // Read through the other node, as a buyer, and through the first. The bytes are compared with
    // Buffer.equals: vitest's toEqual walks a 2.5 MiB typed array element by element and takes
    // seconds (over a minute on a loaded machine), which once looked like a stalled read.
    await buy(a, buyer, listing.id);
    const buyerOnB = a.track(await connectAs(b.url, buyer.id));
    for (const [h, s] of [
      [b, buyerOnB],
      [a, buyer.s],
    ] as const) {
      const g = await call(s, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'get' });
      const r = await fetch(h.url + g.url, { headers: { authorization: `Bearer ${g.ticket}` } });
      expect(r.status).toBe(200);
      expect(Buffer.from(await r.arrayBuffer()).equals(Buffer.from(won))).toBe(true);
    }

    // Past the limit, streamed: refused, and not one chunk kept.
    const t = await call(sellerOnB, 'market:blob-ticket', { listing: listing.id, kind: 'test', op: 'put' });
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        // Just past the limit: the service answers at once and closes, so a long overrun would be
        // cut off mid-write (EPIPE) rather than answered.
        for (let i = 0; i < 3; i++) c.enqueue(new Uint8Array(1024 * 1024));
        c.enqueue(new Uint8Array(16 * 1024));
        c.close();
      },
    });
    const big = await put(b.url, t, body, { duplex: 'half' } as RequestInit);
    expect([big.status, (await big.json()).error.code]).toEqual([413, 'ERR_TOO_LARGE']);
    expect(await chunkCount()).toBe(stored);
    expect((await a.svc.store.getListing(listing.id))!.blobs).toEqual({ data: won.length, test: null });

    // A node that dies mid-upload leaves chunks no blob names. Written here as such a node would
    // have: one upload an hour old, one still streaming; the stored blob's chunks are aged too.
    await sql.query(`INSERT INTO blob_chunks (upload, n, bytes, at) VALUES
      ('crashed', 0, '\\x00', 0), ('crashed', 1, '\\x01', 0), ('streaming', 0, '\\x02', DEFAULT)`);
    await sql.query('UPDATE blob_chunks SET at = at - $1', [2 * 60 * 60 * 1000]);
    await sql.query(`UPDATE blob_chunks SET at = DEFAULT WHERE upload = 'streaming'`);
    await a.svc.store.sweep(Date.now() + 5 * 60_000); // the minute's orphan sweep is due
    const left = await sql.query('SELECT upload, COUNT(*)::int AS n FROM blob_chunks GROUP BY upload ORDER BY upload');
    const counts = Object.fromEntries(
      left.rows.map((r) => [r.upload === 'streaming' || r.upload === 'crashed' ? r.upload : 'blob', r.n]),
    );
    expect(counts).toEqual({ blob: stored, streaming: 1 }); // the crashed upload's chunks are gone
  }, 60_000);

  it('the operator CLI works on the database with the key file, and refuses another key (ERR_CONFIG)', async () => {
    const [a] = nodes as [Harness];
    const cli = (keyFile: string, ...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'signaling/admin.ts', ...args], {
        env: {
          ...process.env,
          PARLEY_DATABASE_URL: databaseUrl,
          PARLEY_SERVICE_KEY_FILE: keyFile,
          PARLEY_DB: a.dbFile,
        },
      });
    const before = (await a.svc.store.getBalance('bea')).balance;
    const { stdout } = await cli(serviceKeyFile, 'grant', 'bea', '5');
    expect(stdout).toMatch(/^Granted 5 credits to bea/);
    expect((await nodes[1]!.svc.store.getBalance('bea')).balance).toBe(before + 5);
    const stranger = join(a.dir, 'stranger-key.json');
    await writeNewServiceKey(stranger);
    await expect(cli(stranger, 'grant', 'bea', '5')).rejects.toMatchObject({
      stderr: expect.stringMatching(/^ERR_CONFIG: .*not the key the database records/),
    });
    expect((await a.svc.store.getBalance('bea')).balance).toBe(before + 5);
  }, 30_000);

  it('/readyz and store calls answer 503 ERR_UNAVAILABLE while the database refuses connections, 200 again after', async () => {
    const [a] = nodes as [Harness];
    const ready = async () => {
      const r = await fetch(`${a.url}/readyz`);
      return [r.status, (await r.json()) as unknown];
    };
    expect(await ready()).toEqual([200, { ok: true, node: expect.any(String) }]);
    const db = new URL(databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ host: server.socketDir, user: 'parley', database: 'postgres' });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db]);
    expect(await ready()).toEqual([503, { error: { code: 'ERR_UNAVAILABLE', message: expect.any(String) } }]);
    // A call that reads the store (a login challenge looks the participant up): retry, not a fault.
    const challenge = async () => {
      const r = await fetch(`${a.url}/api/challenge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bea' }),
      });
      return [r.status, ((await r.json()) as { error?: { code: string } }).error?.code ?? 'ok'];
    };
    expect(await challenge()).toEqual([503, 'ERR_UNAVAILABLE']);
    await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS true`);
    await admin.end();
    expect(await ready()).toEqual([200, { ok: true, node: expect.any(String) }]);
    expect(await challenge()).toEqual([200, 'ok']);
  }, 30_000);
});

describe('nodes on one database', () => {
  it('a node without Redis refuses to start beside another node, and a cluster node beside one without (ERR_CONFIG)', async () => {
    const url = await server.createDatabase();
    const dir = nodes[0]!.dir;
    const standalone = (n: string) =>
      createService({
        dbFile: join(dir, n, 'parley.db'),
        databaseUrl: url,
        serviceKeyFile,
        staticDir: null,
        nodeId: n,
      });
    const first = await standalone('s1');
    await expect(standalone('s2')).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      message: expect.stringContaining('PARLEY_REDIS_URL is needed to run more than one node'),
    });
    const clustered = createService({
      dbFile: join(dir, 'r1', 'parley.db'),
      databaseUrl: url,
      serviceKeyFile,
      staticDir: null,
      nodeId: 'r1',
      redisUrl: redis.url,
      redisPrefix: `pgs${process.pid}-mix:`,
    });
    await expect(clustered).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      message: expect.stringContaining('node s1 uses this database without PARLEY_REDIS_URL'),
    });
    await first.close(); // a clean stop leaves: the next node starts at once
    await (await standalone('s3')).close();
  }, 30_000);
});
