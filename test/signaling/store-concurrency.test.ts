// Several writers on one store, as several nodes are: concurrent ledger appends from two store
// instances (two PostgreSQL pools, or two SQLite handles as the service and the operator CLI)
// form one contiguous chain that verifyLedger and `npm run ledger:verify` accept, and checks made
// while planning hold across writers (one balance cannot pay twice). On PostgreSQL the schema
// refuses a fork outright, and two services on one database (and one Redis) share the jobs: concurrent accepts
// of one job by members on both nodes end `ready`, and a session ticket opens one connection
// in the whole cluster.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors.js';
import { verifyLedger } from '../../shared/ledger.js';
import { createService } from '../../signaling/app.js';
import { grantCredits, LedgerStore, serviceDraft } from '../../signaling/ledger-store.js';
import { loadServiceKey, writeNewServiceKey } from '../../signaling/service-key.js';
import { type ClientSocket, call, connect, login, makeIdentity, post } from '../helpers/client.js';
import { startRedis } from '../helpers/redis.js';
import { storeBackends } from '../helpers/store-backends.js';

const run = promisify(execFile);
const GRANTS = 60;

const backends = storeBackends();

describe.each(backends)('concurrent writers: $name', (backend) => {
  it('two instances append one contiguous chain that ledger:verify accepts', async () => {
    const o = await backend.open();
    try {
      const key = await loadServiceKey(o.dir);
      const ledgers = [new LedgerStore(o.a, key, Date.now), new LedgerStore(o.b, key, Date.now)];
      await o.a.addParticipant({
        name: 'al',
        publicKey: key.publicJwk as never,
        keyId: 'k',
        roles: [],
        createdAt: 1,
        revokedAt: null,
      });
      await Promise.all(Array.from({ length: 2 * GRANTS }, (_, i) => grantCredits(ledgers[i % 2]!, 'al', i + 1)));
      const entries = await o.b.ledgerEntries(1, 10_000);
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 2 * GRANTS }, (_, i) => i + 1));
      const verdict = await verifyLedger(entries, key.publicJwk as { kty: string; crv: string; x: string });
      expect(verdict).toEqual({ ok: true, head: (await o.a.ledgerHead())!.hash });
      expect(await o.b.getBalance('al')).toEqual({ balance: GRANTS * (2 * GRANTS + 1), escrow: 0 });

      // One balance of 10, two spends of 10 from two instances at once: exactly one passes.
      const spend = (ledger: LedgerStore) =>
        ledger.commit(async (tx) => {
          if ((await tx.getBalance('al')).balance < GRANTS * (2 * GRANTS + 1))
            throw new ParleyError('ERR_INSUFFICIENT_CREDITS', 'spent already');
          const moves = [{ name: 'al', balance: -10, escrow: 10 }];
          return { entries: [serviceDraft('payout', 'service', {}, { moves })], moves, result: () => true };
        });
      const outcomes = await Promise.allSettled(ledgers.map(spend));
      expect(outcomes.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await o.a.ledgerCount()).toBe(2 * GRANTS + 1);

      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'signaling/ledger-verify.ts'], {
        env: { ...process.env, PARLEY_DB: join(o.dir, 'parley.db'), PARLEY_DATABASE_URL: o.databaseUrl ?? '' },
      });
      expect(JSON.parse(stdout)).toMatchObject({ ok: true, entries: 2 * GRANTS + 1 });
    } finally {
      await o.close();
    }
  }, 60_000);
});

describe('PostgreSQL, several writers', () => {
  const backend = backends.find((b) => b.name === 'postgres')!;

  it('the schema refuses a fork: a second entry on the same predecessor', async () => {
    const o = await backend.open();
    const client = new pg.Client({ connectionString: o.databaseUrl });
    try {
      const key = await loadServiceKey(o.dir);
      await o.a.addParticipant({
        name: 'al',
        publicKey: key.publicJwk as never,
        keyId: 'k',
        roles: [],
        createdAt: 1,
        revokedAt: null,
      });
      const first = await grantCredits(new LedgerStore(o.a, key, Date.now), 'al', 1);
      await client.connect();
      const fork = (seq: number, hash: string) =>
        client.query('INSERT INTO ledger (seq, prev, hash, entry) VALUES ($1, $2, $3, $4)', [
          seq,
          first.prev,
          hash,
          '{}',
        ]);
      await expect(fork(2, 'other')).rejects.toMatchObject({ code: '23505' }); // UNIQUE (prev)
      await expect(fork(1, 'other')).rejects.toMatchObject({ code: '23505' }); // PRIMARY KEY (seq)
    } finally {
      await client.end();
      await o.close();
    }
  });

  it('two services on one database: concurrent accepts on both nodes end ready; a ticket opens one connection', async () => {
    const o = await backend.open();
    // Each node has its own data folder; the key is the provisioned file they share.
    const serviceKeyFile = join(o.dir, 'cluster-key.json');
    await writeNewServiceKey(serviceKeyFile);
    const redis = await startRedis();
    const opts = (n: number) => ({
      dbFile: join(o.dir, `node${n}`, 'parley.db'),
      databaseUrl: o.databaseUrl,
      serviceKeyFile,
      redisUrl: redis.url,
      nodeId: `n${n}`,
      staticDir: null,
      sweepMs: 200,
    });
    const nodes = await Promise.all([createService(opts(0)), createService(opts(1))]);
    const sockets: ClientSocket[] = [];
    try {
      const names = ['al', 'bo', 'cy', 'di'];
      const ids = await Promise.all(names.map((n) => makeIdentity(n)));
      for (const [i, id] of ids.entries()) {
        const url = nodes[i % 2]!.url;
        sockets.push(await connect(url, (await login(url, id)).body.ticket));
      }
      // A ticket issued by node 0 and used there is spent on node 1 too.
      const ticket = (await login(nodes[0]!.url, ids[0]!)).body.ticket;
      sockets.push(await connect(nodes[0]!.url, ticket));
      await expect(connect(nodes[1]!.url, ticket)).rejects.toMatchObject({ code: 'ERR_TICKET_REPLAY' });

      for (let round = 0; round < 5; round++) {
        const job = await call(sockets[0]!, 'job:propose', {
          kind: 'securenumpy',
          peers: ['bo', 'cy', 'di'],
          program: `x = 1  # ${round}`,
          reveal: [{ output: 'x', to: ['al'] }],
        });
        const acks = await Promise.all([1, 2, 3].map((i) => call(sockets[i]!, 'job:accept', { jobId: job.id })));
        expect(acks.filter((j) => j.state === 'ready')).toHaveLength(1);
        const stored = await o.b.getJob(job.id);
        expect(stored!.state).toBe('ready');
        expect([...stored!.accepted].sort()).toEqual(names);
      }
      expect((await post(nodes[1]!.url, '/api/challenge', { name: 'al' })).status).toBe(200);
    } finally {
      for (const s of sockets) s.close();
      for (const n of nodes) await n.close();
      await redis.stop();
      await o.close();
    }
  }, 60_000);

  it('a node with another service key than the database records refuses to start (ERR_CONFIG)', async () => {
    const o = await backend.open();
    try {
      const first = await createService({
        dbFile: join(o.dir, 'a', 'parley.db'),
        databaseUrl: o.databaseUrl,
        staticDir: null,
      });
      await first.close();
      // Its own folder, no key file: it would make a key of its own.
      await expect(
        createService({ dbFile: join(o.dir, 'b', 'parley.db'), databaseUrl: o.databaseUrl, staticDir: null }),
      ).rejects.toMatchObject({ code: 'ERR_CONFIG', message: expect.stringContaining('PARLEY_SERVICE_KEY_FILE') });
      await expect(
        createService({
          dbFile: join(o.dir, 'c', 'parley.db'),
          databaseUrl: o.databaseUrl,
          serviceKeyFile: join(o.dir, 'missing.json'),
          staticDir: null,
        }),
      ).rejects.toMatchObject({ code: 'ERR_CONFIG', message: expect.stringContaining('keygen') });
    } finally {
      await o.close();
    }
  });
});
