// The service's embedded store: one SQLite file holding participants, jobs and the dealer's
// record of what it issued. Only public keys and job metadata live here, never data.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ErrorInfo } from '../shared/errors.js';
import type { Job, JobKind, JobState, PublicJwk, TripleSource } from './types.js';

export interface Participant {
  name: string;
  publicKey: PublicJwk;
  keyId: string;
  createdAt: number;
}

export interface DealerRecord {
  jobId: string;
  count: number;
  seed0: Uint8Array;
  seed1: Uint8Array;
  issued0: boolean;
  issued1: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS participants (
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
);
`;

interface JobRow {
  id: string; kind: string; members: string; accepted: string; receiver: string;
  triples: string; state: string; error: string | null; created_at: number; updated_at: number;
}

function rowToJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind as JobKind,
    members: JSON.parse(r.members) as string[],
    accepted: JSON.parse(r.accepted) as string[],
    receiver: r.receiver,
    triples: r.triples as TripleSource,
    state: r.state as JobState,
    error: r.error ? (JSON.parse(r.error) as ErrorInfo) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class Store {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  getParticipant(name: string): Participant | null {
    const r = this.db.prepare('SELECT * FROM participants WHERE name = ?').get(name) as
      | { name: string; public_key: string; key_id: string; created_at: number }
      | undefined;
    if (!r) return null;
    return { name: r.name, publicKey: JSON.parse(r.public_key) as PublicJwk, keyId: r.key_id, createdAt: r.created_at };
  }

  addParticipant(p: Participant): void {
    this.db
      .prepare('INSERT INTO participants (name, public_key, key_id, created_at) VALUES (?, ?, ?, ?)')
      .run(p.name, JSON.stringify(p.publicKey), p.keyId, p.createdAt);
  }

  saveJob(job: Job): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, members, accepted, receiver, triples, state, error, created_at, updated_at)
         VALUES (@id, @kind, @members, @accepted, @receiver, @triples, @state, @error, @createdAt, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET accepted = excluded.accepted, state = excluded.state,
           error = excluded.error, updated_at = excluded.updated_at`,
      )
      .run({
        ...job,
        members: JSON.stringify(job.members),
        accepted: JSON.stringify(job.accepted),
        error: job.error ? JSON.stringify(job.error) : null,
      });
  }

  getJob(id: string): Job | null {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return r ? rowToJob(r) : null;
  }

  /** Jobs a participant belongs to, newest first (members is a JSON array of names). */
  jobsOf(name: string, limit = 50): Job[] {
    const rows = this.db
      .prepare(
        `SELECT jobs.* FROM jobs, json_each(jobs.members) AS m WHERE m.value = ?
         ORDER BY created_at DESC LIMIT ?`,
      )
      .all(name, limit) as JobRow[];
    return rows.map(rowToJob);
  }

  getDealer(jobId: string): DealerRecord | null {
    const r = this.db.prepare('SELECT * FROM dealer WHERE job_id = ?').get(jobId) as
      | { job_id: string; count: number; seed0: Buffer | null; seed1: Buffer | null; issued0: number; issued1: number }
      | undefined;
    if (!r) return null;
    return {
      jobId: r.job_id,
      count: r.count,
      seed0: new Uint8Array(r.seed0 ?? new Uint8Array()),
      seed1: new Uint8Array(r.seed1 ?? new Uint8Array()),
      issued0: r.issued0 === 1,
      issued1: r.issued1 === 1,
    };
  }

  /** Writes the dealer record; once both parties hold their grants the seeds are erased. */
  saveDealer(d: DealerRecord): void {
    const done = d.issued0 && d.issued1;
    this.db
      .prepare(
        `INSERT INTO dealer (job_id, count, seed0, seed1, issued0, issued1) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(job_id) DO UPDATE SET seed0 = excluded.seed0, seed1 = excluded.seed1,
           issued0 = excluded.issued0, issued1 = excluded.issued1`,
      )
      .run(d.jobId, d.count, done ? null : Buffer.from(d.seed0), done ? null : Buffer.from(d.seed1), d.issued0 ? 1 : 0, d.issued1 ? 1 : 0);
  }
}
