// Versioned schema migrations for the PostgreSQL store, the counterpart of ../migrations.ts
// (same tables and columns, so one row mapper reads both; the ledger adds `prev` with UNIQUE
// constraints so that no code path can store a fork). `schema_migrations` records what ran. All
// pending migrations run in one transaction that first takes an advisory lock, so nodes may
// start together. Never edit a shipped migration: append one.

import type pg from 'pg';

/** pg_advisory_xact_lock keys: schema changes, and ledger appends (store/pg-market.ts). */
const MIGRATE_LOCK = 0x7061_7201;
export const LEDGER_LOCK = 0x7061_7202;

const PG_MIGRATIONS: readonly string[] = [
  // 1: everything SQLite has after its migration 6 (the retired dealer table is not created).
  `CREATE TABLE participants (
     name TEXT PRIMARY KEY, public_key TEXT NOT NULL, key_id TEXT NOT NULL, created_at BIGINT NOT NULL,
     roles TEXT NOT NULL, revoked_at BIGINT
   );
   CREATE TABLE jobs (
     id TEXT PRIMARY KEY, kind TEXT NOT NULL, members TEXT NOT NULL, accepted TEXT NOT NULL,
     receiver TEXT NOT NULL, triples TEXT NOT NULL, state TEXT NOT NULL, error TEXT,
     created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, spec TEXT NOT NULL, deadline BIGINT NOT NULL
   );
   CREATE INDEX jobs_open ON jobs (state, deadline);
   CREATE INDEX jobs_members ON jobs USING gin ((members::jsonb) jsonb_path_ops);
   CREATE TABLE invites (
     code_hash TEXT PRIMARY KEY, uses_left INTEGER NOT NULL, expires_at BIGINT NOT NULL, created_at BIGINT NOT NULL,
     roles TEXT
   );
   CREATE TABLE ticket_uses (jti TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
   CREATE INDEX ticket_uses_expiry ON ticket_uses (expires_at);
   CREATE TABLE signal_queue (
     id BIGSERIAL PRIMARY KEY, job_id TEXT NOT NULL, from_name TEXT NOT NULL,
     to_name TEXT NOT NULL, data TEXT NOT NULL, expires_at BIGINT NOT NULL
   );
   CREATE INDEX signal_queue_to ON signal_queue (to_name, id);
   CREATE TABLE listings (
     id TEXT PRIMARY KEY, seller TEXT NOT NULL, state TEXT NOT NULL, expires_at BIGINT NOT NULL,
     created_at BIGINT NOT NULL, data TEXT NOT NULL
   );
   CREATE INDEX listings_open ON listings (state, expires_at);
   CREATE INDEX listings_seller ON listings (seller);
   CREATE TABLE purchases (
     id TEXT PRIMARY KEY, listing TEXT NOT NULL, buyer TEXT NOT NULL, seller TEXT NOT NULL,
     state TEXT NOT NULL, expires_at BIGINT NOT NULL, created_at BIGINT NOT NULL, data TEXT NOT NULL
   );
   CREATE INDEX purchases_open ON purchases (state, expires_at);
   CREATE INDEX purchases_buyer ON purchases (buyer);
   CREATE INDEX purchases_seller ON purchases (seller);
   CREATE TABLE purchase_requests (
     purchase TEXT NOT NULL, seq INTEGER NOT NULL, decrypted INTEGER NOT NULL DEFAULT 0,
     kind TEXT NOT NULL DEFAULT 'result', count INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (purchase, seq)
   );
   CREATE TABLE ledger (
     seq BIGINT PRIMARY KEY CHECK (seq > 0), entry TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, prev TEXT NOT NULL UNIQUE
   );
   CREATE TABLE balances (
     name TEXT PRIMARY KEY, balance BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0),
     escrow BIGINT NOT NULL DEFAULT 0 CHECK (escrow >= 0)
   );
   CREATE TABLE request_nonces (actor TEXT NOT NULL, nonce TEXT NOT NULL, at BIGINT NOT NULL, UNIQUE (actor, nonce));
   CREATE INDEX request_nonces_at ON request_nonces (at);
   CREATE TABLE service_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);`,
  // 2: marketplace blobs in chunks (store/pg-blobs.ts): an upload's chunks under its id, and the
  // upload each listing's blob is.
  `CREATE TABLE blob_chunks (upload TEXT NOT NULL, n INTEGER NOT NULL, bytes BYTEA NOT NULL, PRIMARY KEY (upload, n));
   ALTER TABLE blob_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;
   CREATE TABLE blobs (
     listing TEXT NOT NULL, kind TEXT NOT NULL, upload TEXT NOT NULL, size BIGINT NOT NULL, PRIMARY KEY (listing, kind)
   );`,
  // 3: the nodes using this database, by heartbeat, so a node that is not coordinated through
  // Redis can refuse to run beside another (signaling/nodes.ts).
  `CREATE TABLE service_nodes (node TEXT PRIMARY KEY, clustered BOOLEAN NOT NULL, seen_at BIGINT NOT NULL);`,
  // 4: when each blob chunk was written (the database's clock, ms), so that the chunks of an upload
  // its node never finished (a crash mid-upload) are swept once old (pg-blobs.ts sweepOrphanChunks).
  `ALTER TABLE blob_chunks ADD COLUMN at BIGINT NOT NULL DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint;`,
];

/** Applies the pending migrations under the migration lock; returns the schema version. */
export async function migrate(pool: pg.Pool): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const { rows } = await c.query<{ v: number }>('SELECT COALESCE(MAX(version), 0)::int AS v FROM schema_migrations');
    const current = rows[0]!.v;
    for (let v = current; v < PG_MIGRATIONS.length; v++) {
      await c.query(PG_MIGRATIONS[v]!);
      await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [v + 1, Date.now()]);
    }
    await c.query('COMMIT');
    return Math.max(current, PG_MIGRATIONS.length);
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}
