// The service's store: the async interface the service needs, and its embedded SQLite
// implementation (WAL, versioned migrations). Only public keys, job metadata and the
// marketplace's books live here, never data. Read-modify-write sequences are the store's own
// atomic operations (a job transition, a ledger append, a blob claim, a ticket or invitation
// use), so that PostgreSQL (store/pg.ts, for several nodes) implements the same interface.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { PublicJwk } from '../shared/identity.js';
import { CLOCK_SKEW_SECONDS } from '../shared/job-ticket.js';
import type { Job, Role } from '../shared/protocol.js';
import { MIGRATIONS } from './migrations.js';
import { type MarketStore, sqliteMarketStore } from './store-market.js';
import {
  type JobRow,
  jobColumns,
  type Participant,
  type ParticipantRow,
  type QueuedSignal,
  rowToJob,
  rowToParticipant,
  rowToSignal,
  type SignalRow,
} from './store-rows.js';

export type { Participant, QueuedSignal };

/** A job transition's outcome: the job as it now is, and whether this call changed it. */
export interface JobUpdate {
  job: Job;
  changed: boolean;
}

/** How long request nonces are kept: requests older than this are refused as stale anyway. */
export const NONCE_KEEP_MS = 2 * 60 * 60_000;
/** A ticket id is kept as long as any check could still accept its ticket. */
export const TICKET_KEEP_MS = CLOCK_SKEW_SECONDS * 1000;

export interface Store extends MarketStore {
  getParticipant(name: string): Promise<Participant | null>;
  listParticipants(): Promise<Participant[]>;
  addParticipant(p: Participant): Promise<void>;
  setKey(name: string, publicKey: PublicJwk, keyId: string): Promise<void>;
  revoke(name: string, at: number): Promise<boolean>;
  /** Names revoked at or after `since`. */
  revokedSince(since: number): Promise<{ name: string; revokedAt: number }[]>;

  /** Adds an invitation (by the hash of its code), for the given roles only or (null) any roles. */
  addInvite(codeHash: string, uses: number, expiresAt: number, createdAt: number, roles?: Role[] | null): Promise<void>;
  /** A usable invitation's roles (null: any roles); null if unknown, used up or expired. */
  getInvite(codeHash: string, now: number): Promise<{ roles: Role[] | null } | null>;
  /** Spends one use of an invitation (one conditional update); false if unknown, used up or expired. */
  useInvite(codeHash: string, now: number): Promise<boolean>;

  /** Records a one-time ticket id; false if it was already recorded. */
  useTicket(jti: string, expiresAt: number): Promise<boolean>;

  /** Stores a new job (its id is fresh). */
  insertJob(job: Job): Promise<void>;
  /**
   * The one way a job changes: `next` sees the job as stored, under its row lock, and returns
   * the changed job or null (no change); what it throws aborts the update. Null if no such job.
   */
  updateJob(id: string, next: (job: Job) => Job | null): Promise<JobUpdate | null>;
  getJob(id: string): Promise<Job | null>;
  jobsOf(name: string, limit?: number): Promise<Job[]>;
  /** Open jobs past their deadline. */
  overdueJobs(now: number): Promise<Job[]>;
  /** Jobs in the given states (for resuming timers after a restart). */
  jobsInStates(states: readonly string[]): Promise<Job[]>;
  countJobsByState(): Promise<Record<string, number>>;

  /** Queues a signal for an offline member; false if its queue is full. */
  queueSignal(s: QueuedSignal, maxPerRecipient: number): Promise<boolean>;
  /** Removes and returns the unexpired queued signals for `to`, oldest first. */
  takeSignals(to: string, now: number): Promise<QueuedSignal[]>;

  /**
   * Records the service key's id if none is recorded yet, and returns the recorded one (SQLite:
   * the key lives beside its one file, so it records nothing and returns `keyId`).
   */
  recordServiceKey(keyId: string): Promise<string>;

  /**
   * Records that `node` is alive at `now` (and whether it coordinates through Redis), and
   * returns the other nodes seen since `since`. SQLite: one process per file, so none.
   */
  heartbeat(
    node: string,
    clustered: boolean,
    now: number,
    since: number,
  ): Promise<{ node: string; clustered: boolean }[]>;
  /** Forgets `node` (it stopped cleanly). */
  leave(node: string): Promise<void>;

  /** Resolves if the store answers (one round trip); /readyz. */
  ping(): Promise<void>;

  /** Deletes ticket ids past their expiry plus the clock skew, stale nonces and expired queued signals. */
  sweep(now: number): Promise<void>;
  close(): Promise<void>;
}

// The marketplace methods come from sqliteMarketStore, mixed in by the constructor.
export interface SqliteStore extends MarketStore {
  forgetNonces(before: number): void;
}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the market methods are mixed in by the constructor
export class SqliteStore implements Store {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // Deleted rows are overwritten with zeros instead of lingering in free pages.
    this.db.pragma('secure_delete = ON');
    if (this.migrate()) this.compact();
    Object.assign(this, sqliteMarketStore(this.db));
  }

  /**
   * Applies the migrations newer than PRAGMA user_version, each in its own transaction; true if
   * an existing database was upgraded.
   */
  private migrate(): boolean {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    MIGRATIONS.slice(current).forEach((sql, i) => {
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${current + i + 1}`);
      })();
    });
    return current > 0 && current < MIGRATIONS.length;
  }

  /**
   * Rewrites the file and empties the WAL, so that what migrations dropped (the retired service
   * dealer's seeds: its table went in migration 5, with secure_delete off) leaves no copy in
   * free pages of the database file or in parley.db-wal.
   */
  private compact(): void {
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async getParticipant(name: string): Promise<Participant | null> {
    const r = this.db.prepare('SELECT * FROM participants WHERE name = ?').get(name) as ParticipantRow | undefined;
    return r ? rowToParticipant(r) : null;
  }

  async listParticipants(): Promise<Participant[]> {
    return (this.db.prepare('SELECT * FROM participants ORDER BY name').all() as ParticipantRow[]).map(
      rowToParticipant,
    );
  }

  async addParticipant(p: Participant): Promise<void> {
    this.db
      .prepare('INSERT INTO participants (name, public_key, key_id, roles, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(p.name, JSON.stringify(p.publicKey), p.keyId, JSON.stringify(p.roles), p.createdAt);
  }

  async setKey(name: string, publicKey: PublicJwk, keyId: string): Promise<void> {
    this.db
      .prepare('UPDATE participants SET public_key = ?, key_id = ? WHERE name = ?')
      .run(JSON.stringify(publicKey), keyId, name);
  }

  async revoke(name: string, at: number): Promise<boolean> {
    return (
      this.db.prepare('UPDATE participants SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(at, name)
        .changes === 1
    );
  }

  async revokedSince(since: number): Promise<{ name: string; revokedAt: number }[]> {
    return (
      this.db.prepare('SELECT name, revoked_at FROM participants WHERE revoked_at >= ?').all(since) as {
        name: string;
        revoked_at: number;
      }[]
    ).map((r) => ({ name: r.name, revokedAt: r.revoked_at }));
  }

  async addInvite(
    codeHash: string,
    uses: number,
    expiresAt: number,
    createdAt: number,
    roles: Role[] | null = null,
  ): Promise<void> {
    this.db
      .prepare('INSERT INTO invites (code_hash, uses_left, expires_at, created_at, roles) VALUES (?, ?, ?, ?, ?)')
      .run(codeHash, uses, expiresAt, createdAt, roles ? JSON.stringify(roles) : null);
  }

  async getInvite(codeHash: string, now: number): Promise<{ roles: Role[] | null } | null> {
    const r = this.db
      .prepare('SELECT roles FROM invites WHERE code_hash = ? AND uses_left > 0 AND expires_at > ?')
      .get(codeHash, now) as { roles: string | null } | undefined;
    return r ? { roles: r.roles === null ? null : (JSON.parse(r.roles) as Role[]) } : null;
  }

  async useInvite(codeHash: string, now: number): Promise<boolean> {
    return (
      this.db
        .prepare(
          'UPDATE invites SET uses_left = uses_left - 1 WHERE code_hash = ? AND uses_left > 0 AND expires_at > ?',
        )
        .run(codeHash, now).changes === 1
    );
  }

  async useTicket(jti: string, expiresAt: number): Promise<boolean> {
    return (
      this.db.prepare('INSERT OR IGNORE INTO ticket_uses (jti, expires_at) VALUES (?, ?)').run(jti, expiresAt)
        .changes === 1
    );
  }

  private saveJob(job: Job): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, members, accepted, receiver, spec, triples, state, error, deadline, created_at, updated_at)
         VALUES (@id, @kind, @members, @accepted, '', @spec, @triples, @state, @error, @deadline, @createdAt, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET accepted = excluded.accepted, state = excluded.state,
           error = excluded.error, updated_at = excluded.updated_at`,
      )
      .run(jobColumns(job));
  }

  async insertJob(job: Job): Promise<void> {
    this.saveJob(job);
  }

  async updateJob(id: string, next: (job: Job) => Job | null): Promise<JobUpdate | null> {
    return this.db
      .transaction((): JobUpdate | null => {
        const job = this.readJob(id);
        if (!job) return null;
        const changed = next(job);
        if (changed) this.saveJob(changed);
        return { job: changed ?? job, changed: changed !== null };
      })
      .immediate();
  }

  private readJob(id: string): Job | null {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return r ? rowToJob(r) : null;
  }

  async getJob(id: string): Promise<Job | null> {
    return this.readJob(id);
  }

  async jobsOf(name: string, limit = 50): Promise<Job[]> {
    const rows = this.db
      .prepare(
        `SELECT jobs.* FROM jobs, json_each(jobs.members) AS m WHERE m.value = ?
         ORDER BY created_at DESC LIMIT ?`,
      )
      .all(name, limit) as JobRow[];
    return rows.map(rowToJob);
  }

  async overdueJobs(now: number): Promise<Job[]> {
    return (
      this.db
        .prepare(`SELECT * FROM jobs WHERE deadline < ? AND state IN ('proposed', 'ready', 'running')`)
        .all(now) as JobRow[]
    ).map(rowToJob);
  }

  async jobsInStates(states: readonly string[]): Promise<Job[]> {
    const marks = states.map(() => '?').join(', ');
    return (this.db.prepare(`SELECT * FROM jobs WHERE state IN (${marks})`).all(...states) as JobRow[]).map(rowToJob);
  }

  async countJobsByState(): Promise<Record<string, number>> {
    const rows = this.db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as {
      state: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  async queueSignal(s: QueuedSignal, maxPerRecipient: number): Promise<boolean> {
    return this.db.transaction(() => {
      const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM signal_queue WHERE to_name = ?').get(s.to) as {
        n: number;
      };
      if (n >= maxPerRecipient) return false;
      this.db
        .prepare('INSERT INTO signal_queue (job_id, from_name, to_name, data, expires_at) VALUES (?, ?, ?, ?, ?)')
        .run(s.jobId, s.from, s.to, JSON.stringify(s.data ?? null), s.expiresAt);
      return true;
    })();
  }

  async takeSignals(to: string, now: number): Promise<QueuedSignal[]> {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare('SELECT * FROM signal_queue WHERE to_name = ? AND expires_at > ? ORDER BY id')
        .all(to, now) as SignalRow[];
      this.db.prepare('DELETE FROM signal_queue WHERE to_name = ?').run(to);
      return rows.map(rowToSignal);
    })();
  }

  async recordServiceKey(keyId: string): Promise<string> {
    return keyId;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async heartbeat(): Promise<{ node: string; clustered: boolean }[]> {
    return [];
  }

  async leave(): Promise<void> {}

  async sweep(now: number): Promise<void> {
    this.db.prepare('DELETE FROM ticket_uses WHERE expires_at < ?').run(now - TICKET_KEEP_MS);
    this.forgetNonces(now - NONCE_KEEP_MS);
    this.db.prepare('DELETE FROM signal_queue WHERE expires_at < ?').run(now);
  }
}
