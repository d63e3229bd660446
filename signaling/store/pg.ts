// The PostgreSQL store (PARLEY_DATABASE_URL), for several nodes sharing one database: the same
// interface and row mapping as the SQLite store, where each atomic operation is one statement
// (a ticket or invitation use, a revocation) or one transaction with a row lock (a job
// transition, a blob claim) or an advisory lock (a ledger append, a recipient's signal queue).
// Loaded only when a database URL is set, so the embedded mode never loads `pg`.

import pg from 'pg';
import type { PublicJwk } from '../../shared/identity.js';
import type { Job, Role } from '../../shared/protocol.js';
import { type JobUpdate, NONCE_KEEP_MS, type QueuedSignal, type Store, TICKET_KEEP_MS } from '../store.js';
import type { MarketStore } from '../store-market.js';
import {
  type JobRow,
  jobColumns,
  type Participant,
  type ParticipantRow,
  rowToJob,
  rowToParticipant,
  rowToSignal,
  type SignalRow,
} from '../store-rows.js';
import { PgBlobStore, sweepOrphanChunks } from './pg-blobs.js';
import { type InTransaction, pgMarketStore } from './pg-market.js';
import { migrate } from './pg-migrations.js';

interface PgOptions {
  /** Connections per node (default 10). */
  poolSize?: number;
  /** Names this node's connections (pg_stat_activity). */
  applicationName?: string;
}

// int8 (counts, ms timestamps, seq, balances) as numbers: every value stays below 2^53.
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** How often the sweeping node looks for chunks of crashed uploads. */
const ORPHAN_SWEEP_EVERY_MS = 60_000;

const JOB_INSERT = `INSERT INTO jobs (id, kind, members, accepted, receiver, spec, triples, state, error, deadline, created_at, updated_at)
  VALUES ($1, $2, $3, $4, '', $5, $6, $7, $8, $9, $10, $11)`;

export interface PgStore extends MarketStore {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the market methods are mixed in by the constructor
export class PgStore implements Store {
  private constructor(
    private readonly pool: pg.Pool,
    readonly schemaVersion: number,
  ) {
    Object.assign(this, pgMarketStore(pool, this.tx));
  }

  /** Connects and applies pending migrations (under their lock: nodes may start together). */
  static async open(url: string, opts: PgOptions = {}): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      application_name: opts.applicationName ?? 'parley',
      statement_timeout: 15_000,
      // A node stuck inside a transaction cannot hold the ledger lock for long.
      idle_in_transaction_session_timeout: 10_000,
      types,
    });
    // An idle connection that breaks (a database restart) must not take the process down.
    pool.on('error', () => undefined);
    try {
      return new PgStore(pool, await migrate(pool));
    } catch (e) {
      await pool.end();
      throw e;
    }
  }

  private readonly tx: InTransaction = async (fn) => {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const value = await fn(c);
      await c.query('COMMIT');
      return value;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  };

  private async rows<T>(sql: string, args: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, args)).rows as T[];
  }

  /** Marketplace blobs in this database. */
  blobStore(): PgBlobStore {
    return new PgBlobStore(this.pool);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async getParticipant(name: string): Promise<Participant | null> {
    const [r] = await this.rows<ParticipantRow>('SELECT * FROM participants WHERE name = $1', [name]);
    return r ? rowToParticipant(r) : null;
  }

  async listParticipants(): Promise<Participant[]> {
    return (await this.rows<ParticipantRow>('SELECT * FROM participants ORDER BY name')).map(rowToParticipant);
  }

  async addParticipant(p: Participant): Promise<void> {
    await this.pool.query(
      'INSERT INTO participants (name, public_key, key_id, roles, created_at) VALUES ($1, $2, $3, $4, $5)',
      [p.name, JSON.stringify(p.publicKey), p.keyId, JSON.stringify(p.roles), p.createdAt],
    );
  }

  async setKey(name: string, publicKey: PublicJwk, keyId: string): Promise<void> {
    await this.pool.query('UPDATE participants SET public_key = $1, key_id = $2 WHERE name = $3', [
      JSON.stringify(publicKey),
      keyId,
      name,
    ]);
  }

  async revoke(name: string, at: number): Promise<boolean> {
    const r = await this.pool.query('UPDATE participants SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL', [
      at,
      name,
    ]);
    return r.rowCount === 1;
  }

  async revokedSince(since: number): Promise<{ name: string; revokedAt: number }[]> {
    const rows = await this.rows<{ name: string; revoked_at: number }>(
      'SELECT name, revoked_at FROM participants WHERE revoked_at >= $1',
      [since],
    );
    return rows.map((r) => ({ name: r.name, revokedAt: r.revoked_at }));
  }

  async addInvite(codeHash: string, uses: number, expiresAt: number, createdAt: number, roles: Role[] | null = null) {
    await this.pool.query(
      'INSERT INTO invites (code_hash, uses_left, expires_at, created_at, roles) VALUES ($1, $2, $3, $4, $5)',
      [codeHash, uses, expiresAt, createdAt, roles ? JSON.stringify(roles) : null],
    );
  }

  async getInvite(codeHash: string, now: number): Promise<{ roles: Role[] | null } | null> {
    const [r] = await this.rows<{ roles: string | null }>(
      'SELECT roles FROM invites WHERE code_hash = $1 AND uses_left > 0 AND expires_at > $2',
      [codeHash, now],
    );
    return r ? { roles: r.roles === null ? null : (JSON.parse(r.roles) as Role[]) } : null;
  }

  async useInvite(codeHash: string, now: number): Promise<boolean> {
    const r = await this.pool.query(
      'UPDATE invites SET uses_left = uses_left - 1 WHERE code_hash = $1 AND uses_left > 0 AND expires_at > $2',
      [codeHash, now],
    );
    return r.rowCount === 1;
  }

  async useTicket(jti: string, expiresAt: number): Promise<boolean> {
    const r = await this.pool.query(
      'INSERT INTO ticket_uses (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [jti, expiresAt],
    );
    return r.rowCount === 1;
  }

  async insertJob(job: Job): Promise<void> {
    const j = jobColumns(job);
    await this.pool.query(JOB_INSERT, [
      j.id,
      j.kind,
      j.members,
      j.accepted,
      j.spec,
      j.triples,
      j.state,
      j.error,
      j.deadline,
      j.createdAt,
      j.updatedAt,
    ]);
  }

  updateJob(id: string, next: (job: Job) => Job | null): Promise<JobUpdate | null> {
    return this.tx(async (c) => {
      const [r] = (await c.query<JobRow>('SELECT * FROM jobs WHERE id = $1 FOR UPDATE', [id])).rows;
      if (!r) return null;
      const job = rowToJob(r);
      const changed = next(job);
      if (changed) {
        const j = jobColumns(changed);
        await c.query('UPDATE jobs SET accepted = $2, state = $3, error = $4, updated_at = $5 WHERE id = $1', [
          id,
          j.accepted,
          j.state,
          j.error,
          j.updatedAt,
        ]);
      }
      return { job: changed ?? job, changed: changed !== null };
    });
  }

  async getJob(id: string): Promise<Job | null> {
    const [r] = await this.rows<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
    return r ? rowToJob(r) : null;
  }

  async jobsOf(name: string, limit = 50): Promise<Job[]> {
    const rows = await this.rows<JobRow>(
      'SELECT * FROM jobs WHERE members::jsonb @> jsonb_build_array($1::text) ORDER BY created_at DESC LIMIT $2',
      [name, limit],
    );
    return rows.map(rowToJob);
  }

  async overdueJobs(now: number): Promise<Job[]> {
    const rows = await this.rows<JobRow>(
      `SELECT * FROM jobs WHERE deadline < $1 AND state IN ('proposed', 'ready', 'running')`,
      [now],
    );
    return rows.map(rowToJob);
  }

  async jobsInStates(states: readonly string[]): Promise<Job[]> {
    return (await this.rows<JobRow>('SELECT * FROM jobs WHERE state = ANY($1::text[])', [states])).map(rowToJob);
  }

  async countJobsByState(): Promise<Record<string, number>> {
    const rows = await this.rows<{ state: string; n: number }>('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state');
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  queueSignal(s: QueuedSignal, maxPerRecipient: number): Promise<boolean> {
    return this.tx(async (c) => {
      // One recipient's queue at a time, so the bound holds with several writers.
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('q:' || $1))`, [s.to]);
      const { rows } = await c.query<{ n: number }>('SELECT COUNT(*) AS n FROM signal_queue WHERE to_name = $1', [
        s.to,
      ]);
      if (rows[0]!.n >= maxPerRecipient) return false;
      await c.query(
        'INSERT INTO signal_queue (job_id, from_name, to_name, data, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [s.jobId, s.from, s.to, JSON.stringify(s.data ?? null), s.expiresAt],
      );
      return true;
    });
  }

  async takeSignals(to: string, now: number): Promise<QueuedSignal[]> {
    const rows = await this.rows<SignalRow & { id: number }>(
      'DELETE FROM signal_queue WHERE to_name = $1 RETURNING *',
      [to],
    );
    return rows
      .filter((r) => r.expires_at > now)
      .sort((a, b) => a.id - b.id)
      .map(rowToSignal);
  }

  async recordServiceKey(keyId: string): Promise<string> {
    await this.pool.query(`INSERT INTO service_meta (k, v) VALUES ('key_id', $1) ON CONFLICT DO NOTHING`, [keyId]);
    const [r] = await this.rows<{ v: string }>(`SELECT v FROM service_meta WHERE k = 'key_id'`);
    return r!.v;
  }

  async heartbeat(
    node: string,
    clustered: boolean,
    now: number,
    since: number,
  ): Promise<{ node: string; clustered: boolean }[]> {
    await this.pool.query(
      `INSERT INTO service_nodes (node, clustered, seen_at) VALUES ($1, $2, $3)
       ON CONFLICT (node) DO UPDATE SET clustered = excluded.clustered, seen_at = excluded.seen_at`,
      [node, clustered, now],
    );
    await this.pool.query('DELETE FROM service_nodes WHERE seen_at < $1', [since]);
    return this.rows('SELECT node, clustered FROM service_nodes WHERE node <> $1 AND seen_at >= $2', [node, since]);
  }

  async leave(node: string): Promise<void> {
    await this.pool.query('DELETE FROM service_nodes WHERE node = $1', [node]);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async sweep(now: number): Promise<void> {
    await this.pool.query('DELETE FROM ticket_uses WHERE expires_at < $1', [now - TICKET_KEEP_MS]);
    await this.pool.query('DELETE FROM request_nonces WHERE at < $1', [now - NONCE_KEEP_MS]);
    await this.pool.query('DELETE FROM signal_queue WHERE expires_at < $1', [now]);
    // Chunks of crashed uploads: a grouped scan, so once a minute rather than every sweep.
    if (now - this.orphansSweptAt >= ORPHAN_SWEEP_EVERY_MS) {
      this.orphansSweptAt = now;
      await sweepOrphanChunks(this.pool);
    }
  }
  private orphansSweptAt = Number.NEGATIVE_INFINITY;
}
