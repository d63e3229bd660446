// The store's marketplace part: listings, purchases, the per-purchase decrypt-request record,
// the ledger rows, balances and request nonces, as an async interface, and its SQLite
// implementation (SqliteStore mixes it in). Money and ledger rows change only through
// `commitLedger`, one atomic append whose writes are data (`LedgerWrite`), so that SQLite and
// PostgreSQL (store/pg-market.ts) apply the same plan in their own transaction.

import type Database from 'better-sqlite3';
import { ParleyError } from '../shared/errors.js';
import type { LedgerEntry, Move } from '../shared/ledger.js';
import type { BlobKind, Listing, Purchase } from '../shared/market.js';

/** The state writes a ledger append explains, applied in the same transaction as its entries. */
export type LedgerWrite =
  | { put: 'listing'; listing: Listing }
  /** Only the state: blob sizes recorded meanwhile (not ledger events) are kept. */
  | { put: 'listing-state'; id: string; state: Listing['state'] }
  | { put: 'purchase'; purchase: Purchase }
  | { put: 'decrypt-request'; purchase: string; seq: number; kind: 'result' | 'conversion'; count: number }
  | { put: 'decrypted'; purchase: string; seq: number };

export interface LedgerHead {
  seq: number;
  hash: string;
}

/** One append: signed entries (with their hashes) linked to the head, and what they explain. */
export interface LedgerAppend {
  entries: { entry: LedgerEntry; hash: string }[];
  /** Request nonces; a second use aborts the append with ERR_REPLAY. */
  nonces: { actor: string; nonce: string; at: number }[];
  moves: Move[];
  writes: LedgerWrite[];
}

type DecryptRequest = { decrypted: boolean; kind: 'result' | 'conversion'; count: number };

/** The reads a plan makes while it is built (in PostgreSQL: inside the append's transaction). */
export interface LedgerReader {
  getListing(id: string): Promise<Listing | null>;
  getPurchase(id: string): Promise<Purchase | null>;
  getBalance(name: string): Promise<{ balance: number; escrow: number }>;
  /** Whether decrypt-request `seq` exists and was decrypted; null if it was never made. */
  getDecryptRequest(purchase: string, seq: number): Promise<DecryptRequest | null>;
}

type PrepareAppend<T> = (tx: LedgerReader, head: LedgerHead | null) => Promise<{ append: LedgerAppend; value: T }>;

export interface MarketStore extends LedgerReader {
  /**
   * Appends atomically: `prepare` reads through `tx`, links its entries to `head` and signs
   * them; its refusals (thrown) leave nothing. The chain never forks: SQLite re-checks the head
   * at commit and prepares again, PostgreSQL prepares under a lock every appender takes.
   */
  commitLedger<T>(prepare: PrepareAppend<T>): Promise<T>;

  /** Active listings and, whatever their state, those of `seller`. */
  listingsFor(seller: string): Promise<Listing[]>;
  /** Active listings whose expiry has passed. */
  overdueListings(now: number): Promise<Listing[]>;
  /** Records a blob's size on its listing unless one is recorded already (then null): the write-once claim. */
  setListingBlob(id: string, kind: BlobKind, size: number): Promise<Listing | null>;

  /** Purchases where `name` is the buyer or the seller, newest first. */
  purchasesOf(name: string): Promise<Purchase[]>;
  /** Active purchases whose window has passed. */
  overduePurchases(now: number): Promise<Purchase[]>;

  ledgerHead(): Promise<LedgerHead | null>;
  ledgerEntries(from: number, limit: number): Promise<LedgerEntry[]>;
  ledgerCount(): Promise<number>;

  hasNonce(actor: string, nonce: string): Promise<boolean>;
}

const MAX_ATTEMPTS = 5;
/** Appends of every handle on one file in this process, in turn (other processes: the head re-check). */
const appendChains = new Map<string, Promise<unknown>>();

export const replayRefusal = () => new ParleyError('ERR_REPLAY', 'this signed request was already presented');

export function sqliteMarketStore(db: Database.Database): MarketStore & { forgetNonces(before: number): void } {
  const json = <T>(r: { data: string } | undefined): T | null => (r ? (JSON.parse(r.data) as T) : null);
  const getListing = (id: string) =>
    json<Listing>(db.prepare('SELECT data FROM listings WHERE id = ?').get(id) as { data: string } | undefined);
  const saveListing = (l: Listing) =>
    db
      .prepare(
        `INSERT INTO listings (id, seller, state, expires_at, created_at, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET state = excluded.state, data = excluded.data`,
      )
      .run(l.id, l.seller, l.state, l.expiresAt, l.createdAt, JSON.stringify(l));
  const head = () =>
    (db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as LedgerHead | undefined) ?? null;
  const list = <T>(sql: string, ...args: unknown[]) =>
    (db.prepare(sql).all(...args) as { data: string }[]).map((r) => json<T>(r)!);

  const reader: LedgerReader = {
    getListing: async (id) => getListing(id),
    getPurchase: async (id) =>
      json<Purchase>(db.prepare('SELECT data FROM purchases WHERE id = ?').get(id) as { data: string } | undefined),
    getBalance: async (name) =>
      (db.prepare('SELECT balance, escrow FROM balances WHERE name = ?').get(name) as
        | { balance: number; escrow: number }
        | undefined) ?? { balance: 0, escrow: 0 },
    async getDecryptRequest(purchase, seq) {
      const r = db
        .prepare('SELECT decrypted, kind, count FROM purchase_requests WHERE purchase = ? AND seq = ?')
        .get(purchase, seq) as { decrypted: number; kind: 'result' | 'conversion'; count: number } | undefined;
      return r ? { decrypted: r.decrypted === 1, kind: r.kind, count: r.count } : null;
    },
  };

  /** Applies a prepared append if the head is still `at`; false if another writer moved it. */
  const apply = (at: LedgerHead | null, a: LedgerAppend): boolean => {
    const now = head();
    if (now?.seq !== at?.seq || now?.hash !== at?.hash) return false;
    for (const n of a.nonces) {
      if (
        db
          .prepare('INSERT OR IGNORE INTO request_nonces (actor, nonce, at) VALUES (?, ?, ?)')
          .run(n.actor, n.nonce, n.at).changes !== 1
      )
        throw replayRefusal();
    }
    for (const { entry, hash } of a.entries)
      db.prepare('INSERT INTO ledger (seq, entry, hash) VALUES (?, ?, ?)').run(entry.seq, JSON.stringify(entry), hash);
    for (const m of a.moves) {
      db.prepare('INSERT OR IGNORE INTO balances (name) VALUES (?)').run(m.name);
      db.prepare('UPDATE balances SET balance = balance + ?, escrow = escrow + ? WHERE name = ?').run(
        m.balance,
        m.escrow,
        m.name,
      );
    }
    for (const w of a.writes) {
      if (w.put === 'listing') saveListing(w.listing);
      else if (w.put === 'listing-state') {
        const l = getListing(w.id);
        if (l) saveListing({ ...l, state: w.state });
      } else if (w.put === 'purchase') {
        const p = w.purchase;
        db.prepare(
          `INSERT INTO purchases (id, listing, buyer, seller, state, expires_at, created_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET state = excluded.state, data = excluded.data`,
        ).run(p.id, p.listing, p.buyer, p.seller, p.state, p.expiresAt, p.createdAt, JSON.stringify(p));
      } else if (w.put === 'decrypt-request') {
        db.prepare('INSERT INTO purchase_requests (purchase, seq, kind, count) VALUES (?, ?, ?, ?)').run(
          w.purchase,
          w.seq,
          w.kind,
          w.count,
        );
      } else
        db.prepare('UPDATE purchase_requests SET decrypted = 1 WHERE purchase = ? AND seq = ?').run(w.purchase, w.seq);
    }
    return true;
  };

  return {
    ...reader,
    // better-sqlite3 transactions cannot span an await: the plan is prepared outside, and the
    // IMMEDIATE transaction (the write lock first, so the operator CLI in another process cannot
    // slip an append in between) re-checks the head before writing.
    commitLedger(prepare) {
      const attempt = async () => {
        for (let n = 0; n < MAX_ATTEMPTS; n++) {
          const at = head();
          const { append, value } = await prepare(reader, at);
          if (db.transaction(() => apply(at, append)).immediate()) return value;
        }
        throw new ParleyError('ERR_INTERNAL', 'the ledger kept changing under this append');
      };
      const run = (appendChains.get(db.name) ?? Promise.resolve()).then(attempt);
      appendChains.set(
        db.name,
        run.catch(() => undefined),
      );
      return run;
    },

    listingsFor: async (seller) =>
      list<Listing>(
        `SELECT data FROM listings WHERE state = 'active' OR seller = ? ORDER BY created_at DESC LIMIT 500`,
        seller,
      ),
    overdueListings: async (now) =>
      list<Listing>(`SELECT data FROM listings WHERE state = 'active' AND expires_at <= ?`, now),
    async setListingBlob(id, kind, size) {
      return db
        .transaction((): Listing | null => {
          const l = getListing(id);
          if (!l || l.blobs[kind] !== null) return null;
          const next: Listing = { ...l, blobs: { ...l.blobs, [kind]: size } };
          saveListing(next);
          return next;
        })
        .immediate();
    },

    purchasesOf: async (name) =>
      list<Purchase>(
        'SELECT data FROM purchases WHERE buyer = ? OR seller = ? ORDER BY created_at DESC LIMIT 500',
        name,
        name,
      ),
    overduePurchases: async (now) =>
      list<Purchase>(`SELECT data FROM purchases WHERE state = 'active' AND expires_at <= ?`, now),

    ledgerHead: async () => head(),
    ledgerEntries: async (from, limit) =>
      (
        db.prepare('SELECT entry FROM ledger WHERE seq >= ? ORDER BY seq LIMIT ?').all(from, limit) as {
          entry: string;
        }[]
      ).map((r) => JSON.parse(r.entry) as LedgerEntry),
    ledgerCount: async () => (db.prepare('SELECT COUNT(*) AS n FROM ledger').get() as { n: number }).n,

    hasNonce: async (actor, nonce) =>
      db.prepare('SELECT 1 FROM request_nonces WHERE actor = ? AND nonce = ?').get(actor, nonce) !== undefined,
    forgetNonces(before) {
      db.prepare('DELETE FROM request_nonces WHERE at < ?').run(before);
    },
  };
}
