// The SQLite store's erasure: a database from before the service dealer was retired still held
// both dealer seeds of a job (all of that job's triples). Upgrading it must leave no copy of them
// in the database file or its WAL, while the service runs and after it closes.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../signaling/migrations.js';
import { SqliteStore } from '../../signaling/store.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database at schema version 4 (service dealer still on) holding one job's seeds. */
function oldDatabase(file: string, seed0: Buffer, seed1: Buffer): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  MIGRATIONS.slice(0, 4).forEach((sql, i) => {
    db.exec(sql);
    db.pragma(`user_version = ${i + 1}`);
  });
  db.prepare('INSERT INTO dealer (job_id, count, seed0, seed1) VALUES (?, ?, ?, ?)').run('job-1', 1000, seed0, seed1);
  db.close();
}

const holds = (file: string, bytes: Buffer) => existsSync(file) && readFileSync(file).includes(bytes);

describe('SqliteStore erasure', () => {
  it('leaves no copy of the retired dealer seeds in the database file or the WAL', async () => {
    const file = join(dir, 'parley.db');
    const seed0 = Buffer.from(crypto.getRandomValues(new Uint8Array(32)));
    const seed1 = Buffer.from(crypto.getRandomValues(new Uint8Array(32)));
    oldDatabase(file, seed0, seed1);
    expect(holds(file, seed0) && holds(file, seed1)).toBe(true);

    const store = new SqliteStore(file);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    for (const f of [file, `${file}-wal`]) {
      expect(holds(f, seed0)).toBe(false);
      expect(holds(f, seed1)).toBe(false);
    }
    // The store keeps working, and deletes overwrite: a swept ticket id leaves no trace either.
    const jti = `jti-${crypto.randomUUID()}`;
    await store.useTicket(jti, 0);
    await store.sweep(60_000);
    await store.close();
    for (const f of [file, `${file}-wal`]) {
      expect(holds(f, seed0)).toBe(false);
      expect(holds(f, seed1)).toBe(false);
      expect(holds(f, Buffer.from(jti))).toBe(false);
    }
  });
});
