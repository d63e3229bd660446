// Versioned schema migrations for the SQLite store, applied in order; the database's
// PRAGMA user_version records how many have run. Never edit a shipped migration: append one.

export const MIGRATIONS: readonly string[] = [
  // 1: participants, jobs and the dealer's record.
  `CREATE TABLE IF NOT EXISTS participants (
     name TEXT PRIMARY KEY, public_key TEXT NOT NULL, key_id TEXT NOT NULL, created_at INTEGER NOT NULL
   );
   CREATE TABLE IF NOT EXISTS jobs (
     id TEXT PRIMARY KEY, kind TEXT NOT NULL, members TEXT NOT NULL, accepted TEXT NOT NULL,
     receiver TEXT NOT NULL, triples TEXT NOT NULL, state TEXT NOT NULL, error TEXT,
     created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
   );
   CREATE TABLE IF NOT EXISTS dealer (
     job_id TEXT PRIMARY KEY, count INTEGER NOT NULL, seed0 BLOB, seed1 BLOB,
     issued0 INTEGER NOT NULL DEFAULT 0, issued1 INTEGER NOT NULL DEFAULT 0
   );`,
  // 2: roles and revocation, job specs and deadlines, invitations, one-time tickets, offline queue.
  `ALTER TABLE participants ADD COLUMN roles TEXT NOT NULL DEFAULT '["data-owner","compute","result-receiver"]';
   ALTER TABLE participants ADD COLUMN revoked_at INTEGER;
   ALTER TABLE jobs ADD COLUMN spec TEXT NOT NULL DEFAULT '{"program":null,"roles":{},"reveal":[],"dealer":null}';
   ALTER TABLE jobs ADD COLUMN deadline INTEGER NOT NULL DEFAULT 9007199254740991;
   CREATE INDEX jobs_open ON jobs (state, deadline);
   CREATE TABLE invites (
     code_hash TEXT PRIMARY KEY, uses_left INTEGER NOT NULL, expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL
   );
   CREATE TABLE ticket_uses (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
   CREATE TABLE signal_queue (
     id INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL, from_name TEXT NOT NULL,
     to_name TEXT NOT NULL, data TEXT NOT NULL, expires_at INTEGER NOT NULL
   );
   CREATE INDEX signal_queue_to ON signal_queue (to_name, id);`,
  // 3: the marketplace: listings, purchases, the ledger, balances beside it, and request nonces
  // (kept while a request could still be fresh; the ledger keeps them all).
  `CREATE TABLE listings (
     id TEXT PRIMARY KEY, seller TEXT NOT NULL, state TEXT NOT NULL, expires_at INTEGER NOT NULL,
     created_at INTEGER NOT NULL, data TEXT NOT NULL
   );
   CREATE INDEX listings_open ON listings (state, expires_at);
   CREATE INDEX listings_seller ON listings (seller);
   CREATE TABLE purchases (
     id TEXT PRIMARY KEY, listing TEXT NOT NULL, buyer TEXT NOT NULL, seller TEXT NOT NULL,
     state TEXT NOT NULL, expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL
   );
   CREATE INDEX purchases_open ON purchases (state, expires_at);
   CREATE INDEX purchases_buyer ON purchases (buyer);
   CREATE INDEX purchases_seller ON purchases (seller);
   CREATE TABLE purchase_requests (
     purchase TEXT NOT NULL, seq INTEGER NOT NULL, decrypted INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (purchase, seq)
   );
   CREATE TABLE ledger (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL, hash TEXT NOT NULL);
   CREATE TABLE balances (
     name TEXT PRIMARY KEY, balance INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
     escrow INTEGER NOT NULL DEFAULT 0 CHECK (escrow >= 0)
   );
   CREATE TABLE request_nonces (actor TEXT NOT NULL, nonce TEXT NOT NULL, at INTEGER NOT NULL, UNIQUE (actor, nonce));
   CREATE INDEX request_nonces_at ON request_nonces (at);`,
  // 4: what each decrypt-request asks for, so the budget is spent when the seller decrypts.
  `ALTER TABLE purchase_requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'result';
   ALTER TABLE purchase_requests ADD COLUMN count INTEGER NOT NULL DEFAULT 0;`,
  // 5: the service dealer is retired (the participant dealer is the only dealer): its open jobs
  // are cancelled with a coded reason; finished ones keep their outcome and load as dealer-free
  // (the source only matters while members decide to accept); the dealer's seeds go.
  `UPDATE jobs SET state = 'cancelled', error = json_object('code', 'ERR_UNSUPPORTED', 'message',
     'the service dealer was retired; propose the job again (dealer-free, or with a participant dealer)')
   WHERE triples = 'service-dealer' AND state IN ('proposed', 'ready', 'running');
   UPDATE jobs SET triples = 'dealer-free' WHERE triples = 'service-dealer';
   DROP TABLE dealer;`,
  // 6: an invitation may name the roles it admits (NULL: any, as invitations made before).
  `ALTER TABLE invites ADD COLUMN roles TEXT;`,
];
