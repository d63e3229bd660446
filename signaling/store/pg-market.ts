// The marketplace part of the PostgreSQL store. A ledger append is one READ COMMITTED
// transaction that first takes a transaction-scoped advisory lock (every node and the operator
// CLI take the same one), then reads the head, lets the plan read through the same connection
// (so its checks see the latest committed state: two buys from one balance on two nodes cannot
// both pass), and writes. The lock goes with the transaction, also when a node dies. The schema's
// PRIMARY KEY (seq), UNIQUE (prev) and UNIQUE (hash) refuse a fork even from code that skipped it.

import type pg from 'pg';
import type { LedgerEntry } from '../../shared/ledger.js';
import type { Listing, Purchase } from '../../shared/market.js';
import {
  type LedgerAppend,
  type LedgerHead,
  type LedgerReader,
  type MarketStore,
  replayRefusal,
} from '../store-market.js';
import { LEDGER_LOCK } from './pg-migrations.js';

/** A pool or a client inside a transaction: both answer queries. */
type Queryable = Pick<pg.PoolClient, 'query'>;
export type InTransaction = <T>(fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>;

const one = async <T>(q: Queryable, sql: string, args: unknown[]): Promise<T | null> =>
  ((await q.query(sql, args)).rows[0] as T | undefined) ?? null;
const data = async <T>(q: Queryable, sql: string, args: unknown[]): Promise<T[]> =>
  (await q.query<{ data: string }>(sql, args)).rows.map((r) => JSON.parse(r.data) as T);
const datum = async <T>(q: Queryable, sql: string, args: unknown[]): Promise<T | null> =>
  (await data<T>(q, sql, args))[0] ?? null;

function reader(q: Queryable): LedgerReader {
  return {
    getListing: (id) => datum<Listing>(q, 'SELECT data FROM listings WHERE id = $1', [id]),
    getPurchase: (id) => datum<Purchase>(q, 'SELECT data FROM purchases WHERE id = $1', [id]),
    getBalance: async (name) =>
      (await one<{ balance: number; escrow: number }>(q, 'SELECT balance, escrow FROM balances WHERE name = $1', [
        name,
      ])) ?? { balance: 0, escrow: 0 },
    async getDecryptRequest(purchase, seq) {
      const r = await one<{ decrypted: number; kind: 'result' | 'conversion'; count: number }>(
        q,
        'SELECT decrypted, kind, count FROM purchase_requests WHERE purchase = $1 AND seq = $2',
        [purchase, seq],
      );
      return r ? { decrypted: r.decrypted === 1, kind: r.kind, count: r.count } : null;
    },
  };
}

const saveListing = (q: Queryable, l: Listing) =>
  q.query(
    `INSERT INTO listings (id, seller, state, expires_at, created_at, data) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, data = excluded.data`,
    [l.id, l.seller, l.state, l.expiresAt, l.createdAt, JSON.stringify(l)],
  );
const lockListing = (q: Queryable, id: string) =>
  datum<Listing>(q, 'SELECT data FROM listings WHERE id = $1 FOR UPDATE', [id]);

async function write(c: pg.PoolClient, a: LedgerAppend): Promise<void> {
  for (const n of a.nonces) {
    const r = await c.query(
      'INSERT INTO request_nonces (actor, nonce, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [n.actor, n.nonce, n.at],
    );
    if (r.rowCount !== 1) throw replayRefusal();
  }
  for (const { entry, hash } of a.entries)
    await c.query('INSERT INTO ledger (seq, prev, hash, entry) VALUES ($1, $2, $3, $4)', [
      entry.seq,
      entry.prev,
      hash,
      JSON.stringify(entry),
    ]);
  for (const m of a.moves) {
    // The row first (the CHECKs apply to an INSERT's values even when it turns into an update).
    await c.query('INSERT INTO balances (name) VALUES ($1) ON CONFLICT DO NOTHING', [m.name]);
    await c.query('UPDATE balances SET balance = balance + $2, escrow = escrow + $3 WHERE name = $1', [
      m.name,
      m.balance,
      m.escrow,
    ]);
  }
  for (const w of a.writes) {
    if (w.put === 'listing') await saveListing(c, w.listing);
    else if (w.put === 'listing-state') {
      const l = await lockListing(c, w.id);
      if (l) await saveListing(c, { ...l, state: w.state });
    } else if (w.put === 'purchase') {
      const p = w.purchase;
      await c.query(
        `INSERT INTO purchases (id, listing, buyer, seller, state, expires_at, created_at, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, data = excluded.data`,
        [p.id, p.listing, p.buyer, p.seller, p.state, p.expiresAt, p.createdAt, JSON.stringify(p)],
      );
    } else if (w.put === 'decrypt-request')
      await c.query('INSERT INTO purchase_requests (purchase, seq, kind, count) VALUES ($1, $2, $3, $4)', [
        w.purchase,
        w.seq,
        w.kind,
        w.count,
      ]);
    else
      await c.query('UPDATE purchase_requests SET decrypted = 1 WHERE purchase = $1 AND seq = $2', [w.purchase, w.seq]);
  }
}

export function pgMarketStore(pool: pg.Pool, tx: InTransaction): MarketStore {
  return {
    ...reader(pool),
    commitLedger: (prepare) =>
      tx(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [LEDGER_LOCK]);
        const head = await one<LedgerHead>(c, 'SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1', []);
        const { append, value } = await prepare(reader(c), head);
        await write(c, append);
        return value;
      }),

    listingsFor: (seller) =>
      data<Listing>(
        pool,
        `SELECT data FROM listings WHERE state = 'active' OR seller = $1 ORDER BY created_at DESC LIMIT 500`,
        [seller],
      ),
    overdueListings: (now) =>
      data<Listing>(pool, `SELECT data FROM listings WHERE state = 'active' AND expires_at <= $1`, [now]),
    setListingBlob: (id, kind, size) =>
      tx(async (c) => {
        const l = await lockListing(c, id);
        if (!l || l.blobs[kind] !== null) return null;
        const next: Listing = { ...l, blobs: { ...l.blobs, [kind]: size } };
        await saveListing(c, next);
        return next;
      }),

    purchasesOf: (name) =>
      data<Purchase>(
        pool,
        'SELECT data FROM purchases WHERE buyer = $1 OR seller = $1 ORDER BY created_at DESC LIMIT 500',
        [name],
      ),
    overduePurchases: (now) =>
      data<Purchase>(pool, `SELECT data FROM purchases WHERE state = 'active' AND expires_at <= $1`, [now]),

    ledgerHead: () => one<LedgerHead>(pool, 'SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1', []),
    ledgerEntries: async (from, limit) =>
      (
        await pool.query<{ entry: string }>('SELECT entry FROM ledger WHERE seq >= $1 ORDER BY seq LIMIT $2', [
          from,
          limit,
        ])
      ).rows.map((r) => JSON.parse(r.entry) as LedgerEntry),
    ledgerCount: async () => (await one<{ n: number }>(pool, 'SELECT COUNT(*) AS n FROM ledger', []))!.n,

    hasNonce: async (actor, nonce) =>
      (await one(pool, 'SELECT 1 FROM request_nonces WHERE actor = $1 AND nonce = $2', [actor, nonce])) !== null,
  };
}
