// The store's marketplace part: listings, purchases, the per-purchase decrypt-request record,
// the ledger rows, balances and request nonces. SqliteStore mixes these in; every money change
// runs inside `transaction` together with the ledger entry that explains it.

import type Database from 'better-sqlite3';
import type { LedgerEntry } from '../shared/ledger.js';
import type { Listing, Purchase } from '../shared/market.js';

export interface MarketStore {
  /** Runs `fn` atomically, holding the write lock (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;

  saveListing(l: Listing): void;
  getListing(id: string): Listing | null;
  /** Active listings and, whatever their state, those of `seller`. */
  listingsFor(seller: string): Listing[];
  /** Active listings whose expiry has passed. */
  overdueListings(now: number): Listing[];

  savePurchase(p: Purchase): void;
  getPurchase(id: string): Purchase | null;
  /** Purchases where `name` is the buyer or the seller, newest first. */
  purchasesOf(name: string): Purchase[];
  /** Active purchases whose window has passed. */
  overduePurchases(now: number): Purchase[];
  /** Records decrypt-request `seq` of a purchase. */
  addDecryptRequest(purchase: string, seq: number, kind: 'result' | 'conversion', count: number): void;
  /** Whether decrypt-request `seq` exists and was decrypted; null if it was never made. */
  getDecryptRequest(
    purchase: string,
    seq: number,
  ): { decrypted: boolean; kind: 'result' | 'conversion'; count: number } | null;
  markDecrypted(purchase: string, seq: number): void;

  ledgerHead(): { seq: number; hash: string } | null;
  appendLedger(entry: LedgerEntry, hash: string): void;
  ledgerEntries(from: number, limit: number): LedgerEntry[];
  ledgerCount(): number;

  getBalance(name: string): { balance: number; escrow: number };
  /** Adds the deltas; throws if either would go negative. */
  moveBalance(name: string, balance: number, escrow: number): void;

  hasNonce(actor: string, nonce: string): boolean;
  /** Records (actor, nonce); false if already recorded. */
  useNonce(actor: string, nonce: string, at: number): boolean;
  /** Forgets nonces of requests signed before `before` (they are refused as stale anyway). */
  forgetNonces(before: number): void;
}

export function sqliteMarketStore(db: Database.Database): MarketStore {
  const json = <T>(r: { data: string } | undefined): T | null => (r ? (JSON.parse(r.data) as T) : null);
  return {
    // IMMEDIATE: take the write lock first, so another process (the operator CLI) cannot
    // slip an append between our head check and our insert.
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),

    saveListing(l) {
      db.prepare(
        `INSERT INTO listings (id, seller, state, expires_at, created_at, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET state = excluded.state, data = excluded.data`,
      ).run(l.id, l.seller, l.state, l.expiresAt, l.createdAt, JSON.stringify(l));
    },
    getListing: (id) =>
      json<Listing>(db.prepare('SELECT data FROM listings WHERE id = ?').get(id) as { data: string } | undefined),
    listingsFor: (seller) =>
      (
        db
          .prepare(`SELECT data FROM listings WHERE state = 'active' OR seller = ? ORDER BY created_at DESC LIMIT 500`)
          .all(seller) as { data: string }[]
      ).map((r) => json<Listing>(r)!),
    overdueListings: (now) =>
      (
        db.prepare(`SELECT data FROM listings WHERE state = 'active' AND expires_at <= ?`).all(now) as {
          data: string;
        }[]
      ).map((r) => json<Listing>(r)!),

    savePurchase(p) {
      db.prepare(
        `INSERT INTO purchases (id, listing, buyer, seller, state, expires_at, created_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET state = excluded.state, data = excluded.data`,
      ).run(p.id, p.listing, p.buyer, p.seller, p.state, p.expiresAt, p.createdAt, JSON.stringify(p));
    },
    getPurchase: (id) =>
      json<Purchase>(db.prepare('SELECT data FROM purchases WHERE id = ?').get(id) as { data: string } | undefined),
    purchasesOf: (name) =>
      (
        db
          .prepare('SELECT data FROM purchases WHERE buyer = ? OR seller = ? ORDER BY created_at DESC LIMIT 500')
          .all(name, name) as { data: string }[]
      ).map((r) => json<Purchase>(r)!),
    overduePurchases: (now) =>
      (
        db.prepare(`SELECT data FROM purchases WHERE state = 'active' AND expires_at <= ?`).all(now) as {
          data: string;
        }[]
      ).map((r) => json<Purchase>(r)!),
    addDecryptRequest(purchase, seq, kind, count) {
      db.prepare('INSERT INTO purchase_requests (purchase, seq, kind, count) VALUES (?, ?, ?, ?)').run(
        purchase,
        seq,
        kind,
        count,
      );
    },
    getDecryptRequest(purchase, seq) {
      const r = db
        .prepare('SELECT decrypted, kind, count FROM purchase_requests WHERE purchase = ? AND seq = ?')
        .get(purchase, seq) as { decrypted: number; kind: 'result' | 'conversion'; count: number } | undefined;
      return r ? { decrypted: r.decrypted === 1, kind: r.kind, count: r.count } : null;
    },
    markDecrypted(purchase, seq) {
      db.prepare('UPDATE purchase_requests SET decrypted = 1 WHERE purchase = ? AND seq = ?').run(purchase, seq);
    },

    ledgerHead() {
      const r = db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as
        | { seq: number; hash: string }
        | undefined;
      return r ?? null;
    },
    appendLedger(entry, hash) {
      db.prepare('INSERT INTO ledger (seq, entry, hash) VALUES (?, ?, ?)').run(entry.seq, JSON.stringify(entry), hash);
    },
    ledgerEntries: (from, limit) =>
      (
        db.prepare('SELECT entry FROM ledger WHERE seq >= ? ORDER BY seq LIMIT ?').all(from, limit) as {
          entry: string;
        }[]
      ).map((r) => JSON.parse(r.entry) as LedgerEntry),
    ledgerCount: () => (db.prepare('SELECT COUNT(*) AS n FROM ledger').get() as { n: number }).n,

    getBalance(name) {
      const r = db.prepare('SELECT balance, escrow FROM balances WHERE name = ?').get(name) as
        | { balance: number; escrow: number }
        | undefined;
      return r ?? { balance: 0, escrow: 0 };
    },
    moveBalance(name, balance, escrow) {
      db.prepare('INSERT OR IGNORE INTO balances (name) VALUES (?)').run(name);
      db.prepare('UPDATE balances SET balance = balance + ?, escrow = escrow + ? WHERE name = ?').run(
        balance,
        escrow,
        name,
      );
    },

    hasNonce: (actor, nonce) =>
      db.prepare('SELECT 1 FROM request_nonces WHERE actor = ? AND nonce = ?').get(actor, nonce) !== undefined,
    useNonce: (actor, nonce, at) =>
      db.prepare('INSERT OR IGNORE INTO request_nonces (actor, nonce, at) VALUES (?, ?, ?)').run(actor, nonce, at)
        .changes === 1,
    forgetNonces(before) {
      db.prepare('DELETE FROM request_nonces WHERE at < ?').run(before);
    },
  };
}
