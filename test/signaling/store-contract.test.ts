// The store contract, run against SQLite and a real PostgreSQL: every Store method's round
// trip and its atomic operations (job transitions, invitation and ticket use, the blob claim,
// the ledger append with its nonce, balance and chain checks), each through two store
// instances on the same data, as two nodes see it.

import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors.js';
import type { LedgerEntry } from '../../shared/ledger.js';
import type { Listing, Purchase } from '../../shared/market.js';
import type { Job } from '../../shared/protocol.js';
import type { Store } from '../../signaling/store.js';
import type { LedgerAppend } from '../../signaling/store-market.js';
import { storeBackends } from '../helpers/store-backends.js';

const KEY = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } as const;

function job(id: string, members: string[], at: number, extra: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'sum-product',
    program: null,
    members,
    roles: Object.fromEntries(members.map((m) => [m, ['compute']])),
    accepted: [members[0]!],
    reveal: [{ output: 'sum', to: [members[0]!] }],
    triples: 'dealer-free',
    dealer: null,
    ring: 64,
    schema: null,
    join: null,
    estimate: null,
    purchase: null,
    deadline: at + 60_000,
    state: 'proposed',
    error: null,
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

const listing = (id: string): Listing =>
  ({ id, seller: 'sam', blobs: { data: null, test: null }, createdAt: 1, state: 'active', expiresAt: 10 }) as Listing;
const purchase = (id: string, state: Purchase['state'] = 'active'): Purchase =>
  ({ id, listing: 'l1', buyer: 'bea', seller: 'sam', state, createdAt: 2, expiresAt: 5 }) as Purchase;

/** An unsigned stand-in entry: the store links what it is given and checks nothing cryptographic. */
function entry(seq: number, prev: string): { entry: LedgerEntry; hash: string } {
  const e = { seq, prev, at: seq, type: 'grant', actor: 'operator', listing: null, purchase: null } as LedgerEntry;
  return { entry: e, hash: `h${seq}-${prev}` };
}
const append = (store: Store, a: Partial<LedgerAppend>, value = 'ok') =>
  store.commitLedger(async (_tx, head) => ({
    append: {
      entries: [entry((head?.seq ?? 0) + 1, head?.hash ?? 'genesis')],
      nonces: [],
      moves: [],
      writes: [],
      ...a,
    },
    value,
  }));

const backends = storeBackends();

describe.each(backends)('store contract: $name', (backend) => {
  const within = (fn: (a: Store, b: Store) => Promise<void>) => async () => {
    const o = await backend.open();
    try {
      await fn(o.a, o.b);
    } finally {
      await o.close();
    }
  };

  it(
    'participants: add, read on the other instance, rotate, revoke once',
    within(async (a, b) => {
      await a.addParticipant({
        name: 'al',
        publicKey: KEY,
        keyId: 'k1',
        roles: ['buyer'],
        createdAt: 5,
        revokedAt: null,
      });
      await a.addParticipant({ name: 'bo', publicKey: KEY, keyId: 'k2', roles: [], createdAt: 6, revokedAt: null });
      expect(await b.getParticipant('al')).toEqual({
        name: 'al',
        publicKey: KEY,
        keyId: 'k1',
        roles: ['buyer'],
        createdAt: 5,
        revokedAt: null,
      });
      expect(await b.getParticipant('nobody')).toBeNull();
      await expect(
        b.addParticipant({ name: 'al', publicKey: KEY, keyId: 'k9', roles: [], createdAt: 7, revokedAt: null }),
      ).rejects.toThrow();
      await b.setKey('al', { ...KEY, x: 'x2' }, 'k3');
      expect(await a.getParticipant('al')).toMatchObject({ keyId: 'k3', publicKey: { x: 'x2' } });
      expect((await a.listParticipants()).map((p) => p.name)).toEqual(['al', 'bo']);
      const [r1, r2] = await Promise.all([a.revoke('bo', 100), b.revoke('bo', 101)]);
      expect([r1, r2].filter(Boolean)).toHaveLength(1);
      expect(await a.revokedSince(100)).toEqual([{ name: 'bo', revokedAt: expect.any(Number) }]);
      expect(await a.revokedSince(102)).toEqual([]);
    }),
  );

  it(
    'invitations: a single-use code admits once across instances; expired or unknown codes none',
    within(async (a, b) => {
      await a.addInvite('h1', 1, 1000, 0, ['seller']);
      await a.addInvite('h2', 3, 1000, 0);
      expect(await b.getInvite('h1', 10)).toEqual({ roles: ['seller'] });
      expect(await b.getInvite('h2', 10)).toEqual({ roles: null });
      expect(await b.getInvite('h1', 1000)).toBeNull();
      const uses = await Promise.all([a.useInvite('h1', 10), b.useInvite('h1', 10), a.useInvite('h1', 10)]);
      expect(uses.filter(Boolean)).toHaveLength(1);
      expect(await a.getInvite('h1', 10)).toBeNull();
      expect(await a.useInvite('nope', 10)).toBe(false);
      expect(await a.useInvite('h2', 1000)).toBe(false);
    }),
  );

  it(
    'tickets: one use, on any instance; the sweep forgets ids past expiry plus skew',
    within(async (a, b) => {
      const uses = await Promise.all([a.useTicket('j1', 5000), b.useTicket('j1', 5000)]);
      expect(uses.sort()).toEqual([false, true]);
      expect(await a.useTicket('j1', 5000)).toBe(false);
      await b.sweep(10_000_000);
      expect(await a.useTicket('j1', 5000)).toBe(true);
    }),
  );

  it(
    'jobs: round trip, jobsOf by member newest first with a limit, overdue, states, counts',
    within(async (a, b) => {
      const j1 = job('j1', ['al', 'bo'], 100, {
        program: { text: 'p', hash: 'h' },
        schema: { al: ['x', 'y'], bo: ['balance'] },
        join: { keys: { al: 'x', bo: 'balance' }, normalise: 'trim' },
        estimate: { ms: 4200, rounds: 12, bytes: 9000, rows: 100, measured: true },
      });
      await a.insertJob(j1);
      await a.insertJob(job('j2', ['bo', 'cy'], 200));
      await a.insertJob(job('j3', ['al', 'cy', 'bo'], 300, { state: 'running', deadline: 50 }));
      expect(await b.getJob('j1')).toEqual(j1);
      expect(await b.getJob('none')).toBeNull();
      expect((await b.jobsOf('bo')).map((j) => j.id)).toEqual(['j3', 'j2', 'j1']);
      expect((await b.jobsOf('al', 1)).map((j) => j.id)).toEqual(['j3']);
      expect(await b.jobsOf('a')).toEqual([]);
      expect((await b.overdueJobs(100)).map((j) => j.id)).toEqual(['j3']);
      expect((await b.jobsInStates(['running', 'ready'])).map((j) => j.id)).toEqual(['j3']);
      expect(await b.countJobsByState()).toEqual({ proposed: 2, running: 1 });
    }),
  );

  it(
    'updateJob: changes under the lock, reports whether it changed, aborts on a throw',
    within(async (a, b) => {
      await a.insertJob(job('j1', ['al', 'bo'], 100));
      const r = await b.updateJob('j1', (j) => ({
        ...j,
        accepted: [...j.accepted, 'bo'],
        state: 'ready',
        updatedAt: 7,
      }));
      expect(r).toMatchObject({ changed: true, job: { state: 'ready', accepted: ['al', 'bo'], updatedAt: 7 } });
      expect(await a.updateJob('j1', () => null)).toMatchObject({ changed: false, job: { state: 'ready' } });
      await expect(
        a.updateJob('j1', () => {
          throw new ParleyError('ERR_JOB_STATE', 'no');
        }),
      ).rejects.toMatchObject({ code: 'ERR_JOB_STATE' });
      expect(await a.getJob('j1')).toMatchObject({ state: 'ready', updatedAt: 7 });
      expect(await a.updateJob('none', (j) => j)).toBeNull();
      // Concurrent read-modify-writes from two instances: none is lost.
      await a.insertJob(job('j2', ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'], 100));
      await Promise.all(
        ['m1', 'm2', 'm3', 'm4', 'm5'].map((m, i) =>
          (i % 2 ? a : b).updateJob('j2', (j) => ({ ...j, accepted: [...j.accepted, m] })),
        ),
      );
      expect((await a.getJob('j2'))!.accepted.sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    }),
  );

  it(
    'signal queue: bounded per recipient, taken oldest first once, expired ones dropped',
    within(async (a, b) => {
      const s = (n: number, expiresAt = 1000) => ({ jobId: 'j', from: 'al', to: 'bo', data: { n }, expiresAt });
      expect(await a.queueSignal(s(1), 3)).toBe(true);
      expect(await b.queueSignal(s(2, 10), 3)).toBe(true);
      expect(await a.queueSignal(s(3), 3)).toBe(true);
      expect(await b.queueSignal(s(4), 3)).toBe(false);
      expect((await b.takeSignals('bo', 100)).map((q) => q.data)).toEqual([{ n: 1 }, { n: 3 }]);
      expect(await a.takeSignals('bo', 100)).toEqual([]);
      await a.queueSignal(s(5, 10), 3);
      await b.sweep(100);
      expect(await a.takeSignals('bo', 0)).toEqual([]);
    }),
  );

  it(
    'ledger append: entries, moves and writes together; reads through the transaction',
    within(async (a, b) => {
      expect(await a.ledgerHead()).toBeNull();
      const v = await append(a, {
        moves: [{ name: 'bea', balance: 10, escrow: 0 }],
        writes: [
          { put: 'listing', listing: listing('l1') },
          { put: 'purchase', purchase: purchase('p1') },
          { put: 'decrypt-request', purchase: 'p1', seq: 1, kind: 'conversion', count: 4 },
        ],
        nonces: [{ actor: 'bea', nonce: 'n1', at: 5 }],
      });
      expect(v).toBe('ok');
      expect(await b.ledgerHead()).toEqual({ seq: 1, hash: 'h1-genesis' });
      expect(await b.getBalance('bea')).toEqual({ balance: 10, escrow: 0 });
      expect(await b.getBalance('nobody')).toEqual({ balance: 0, escrow: 0 });
      expect(await b.getListing('l1')).toEqual(listing('l1'));
      expect(await b.getPurchase('p1')).toEqual(purchase('p1'));
      expect(await b.purchasesOf('sam')).toEqual([purchase('p1')]);
      expect(await b.getDecryptRequest('p1', 1)).toEqual({ decrypted: false, kind: 'conversion', count: 4 });
      expect(await b.hasNonce('bea', 'n1')).toBe(true);
      await b.commitLedger(async (tx, head) => {
        expect(await tx.getBalance('bea')).toEqual({ balance: 10, escrow: 0 });
        expect(await tx.getDecryptRequest('p1', 2)).toBeNull();
        return {
          append: {
            entries: [entry(head!.seq + 1, head!.hash), entry(head!.seq + 2, `h${head!.seq + 1}-${head!.hash}`)],
            nonces: [],
            moves: [{ name: 'bea', balance: -4, escrow: 4 }],
            writes: [
              { put: 'decrypted', purchase: 'p1', seq: 1 },
              { put: 'purchase', purchase: purchase('p1', 'confirmed') },
            ],
          },
          value: null,
        };
      });
      expect(await a.ledgerCount()).toBe(3);
      expect((await a.ledgerEntries(2, 10)).map((e) => e.seq)).toEqual([2, 3]);
      expect(await a.getBalance('bea')).toEqual({ balance: 6, escrow: 4 });
      expect(await a.getDecryptRequest('p1', 1)).toMatchObject({ decrypted: true });
      expect((await a.getPurchase('p1'))!.state).toBe('confirmed');
      expect(await a.listingsFor('zed')).toEqual([listing('l1')]);
      expect(await a.overdueListings(10)).toEqual([listing('l1')]);
      expect(await a.overduePurchases(10)).toEqual([]);
    }),
  );

  it(
    'ledger append refusals leave nothing: a used nonce, a negative balance, a throwing plan',
    within(async (a, b) => {
      await append(a, {
        nonces: [{ actor: 'bea', nonce: 'n1', at: 5 }],
        moves: [{ name: 'bea', balance: 5, escrow: 0 }],
      });
      await expect(append(b, { nonces: [{ actor: 'bea', nonce: 'n1', at: 6 }] })).rejects.toMatchObject({
        code: 'ERR_REPLAY',
      });
      await expect(append(b, { moves: [{ name: 'bea', balance: -6, escrow: 6 }] })).rejects.toThrow();
      await expect(
        b.commitLedger(async () => {
          throw new ParleyError('ERR_INSUFFICIENT_CREDITS', 'no');
        }),
      ).rejects.toMatchObject({ code: 'ERR_INSUFFICIENT_CREDITS' });
      expect(await a.ledgerCount()).toBe(1);
      expect(await a.getBalance('bea')).toEqual({ balance: 5, escrow: 0 });
      // Stale nonces are forgotten by the sweep (their requests are refused as stale anyway).
      await b.sweep(5 + 3 * 60 * 60_000);
      expect(await a.hasNonce('bea', 'n1')).toBe(false);
    }),
  );

  it(
    'blob claim: write-once across instances; an expiry keeps a size recorded meanwhile',
    within(async (a, b) => {
      await append(a, { writes: [{ put: 'listing', listing: listing('l1') }] });
      const claims = await Promise.all([a.setListingBlob('l1', 'data', 10), b.setListingBlob('l1', 'data', 20)]);
      expect(claims.filter((c) => c !== null)).toHaveLength(1);
      expect(await a.setListingBlob('l1', 'data', 30)).toBeNull();
      expect(await a.setListingBlob('none', 'data', 30)).toBeNull();
      await b.setListingBlob('l1', 'test', 5);
      await append(b, { writes: [{ put: 'listing-state', id: 'l1', state: 'expired' }] });
      const l = (await a.getListing('l1'))!;
      expect(l.state).toBe('expired');
      expect(l.blobs.test).toBe(5);
      expect([10, 20]).toContain(l.blobs.data);
    }),
  );
});

describe('schema parity', () => {
  it("SQLite and PostgreSQL have the same tables and columns (PostgreSQL adds the ledger's prev and its cluster tables)", async () => {
    const [sqlite, postgres] = await Promise.all(backends.map((b) => b.open()));
    const db = new Database(join(sqlite!.dir, 'parley.db'), { readonly: true });
    const client = new pg.Client({ connectionString: postgres!.databaseUrl });
    try {
      const tables = (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as {
          name: string;
        }[]
      ).map((t) => t.name);
      const lite = Object.fromEntries(
        tables.map((t) => [t, (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name).sort()]),
      );
      await client.connect();
      const { rows } = await client.query<{ t: string; c: string }>(
        `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`,
      );
      const pgTables: Record<string, string[]> = {};
      for (const r of rows) (pgTables[r.t] ??= []).push(r.c);
      for (const cols of Object.values(pgTables)) cols.sort();
      delete pgTables.schema_migrations;
      delete pgTables.service_meta;
      delete pgTables.service_nodes;
      delete pgTables.blobs; // blobs: files beside the SQLite store
      delete pgTables.blob_chunks;
      pgTables.ledger = pgTables.ledger!.filter((c) => c !== 'prev');
      expect(pgTables).toEqual(lite);
    } finally {
      db.close();
      await client.end();
      await sqlite!.close();
      await postgres!.close();
    }
  });
});
