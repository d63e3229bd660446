// The two store backends side by side for contract tests: SQLite (a temporary file) and
// PostgreSQL (a throwaway server per test file, a fresh database per test). Each opening gives
// two store instances on the same data, as two nodes (or a node and the operator CLI) have.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { PgStore } from '../../signaling/store/pg.js';
import { SqliteStore, type Store } from '../../signaling/store.js';
import { startPostgres, type TestPostgres } from './postgres.js';

export interface Opened {
  a: Store;
  b: Store;
  /** The folder for the service key (and the SQLite file). */
  dir: string;
  /** Set for PostgreSQL. */
  databaseUrl?: string;
  close(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  open(): Promise<Opened>;
}

/** Both backends; registers the PostgreSQL server's start and stop with the calling test file. */
export function storeBackends(): Backend[] {
  let server: TestPostgres | null = null;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  const dirs = () => mkdtempSync(join(tmpdir(), 'parley-store-'));
  return [
    {
      name: 'sqlite',
      async open() {
        const dir = dirs();
        const file = join(dir, 'parley.db');
        const a = new SqliteStore(file);
        const b = new SqliteStore(file);
        return { a, b, dir, close: async () => (await a.close(), await b.close(), rmSync(dir, { recursive: true })) };
      },
    },
    {
      name: 'postgres',
      async open() {
        const dir = dirs();
        const databaseUrl = await server!.createDatabase();
        const [a, b] = await Promise.all([PgStore.open(databaseUrl), PgStore.open(databaseUrl)]);
        return {
          a,
          b,
          dir,
          databaseUrl,
          close: async () => (await a.close(), await b.close(), rmSync(dir, { recursive: true })),
        };
      },
    },
  ];
}
