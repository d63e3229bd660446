// Opens the store the configuration names: the embedded SQLite file, or PostgreSQL when a
// database URL is set (loaded on demand, so the embedded mode never loads `pg`). Used by the
// service, the operator CLI and ledger:verify alike.

import { SqliteStore, type Store } from '../store.js';

export interface StoreConfig {
  /** The SQLite file (embedded mode). */
  dbFile: string;
  /** postgres:// URL: the shared database of a multi-node deployment. */
  databaseUrl?: string;
  /** Connections per node to PostgreSQL. */
  poolSize?: number;
}

export async function openStore(c: StoreConfig): Promise<Store> {
  if (!c.databaseUrl) return new SqliteStore(c.dbFile);
  const { PgStore } = await import('./pg.js');
  return PgStore.open(c.databaseUrl, { poolSize: c.poolSize, applicationName: `parley-${process.pid}` });
}
