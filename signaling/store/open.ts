// Opens the store the configuration names: the embedded SQLite file, or PostgreSQL when a
// database URL is set (loaded on demand, so the embedded mode never loads `pg`), and the blob
// store beside it. Used by the service, the operator CLI and ledger:verify alike.

import { dirname, join } from 'node:path';
import { ParleyError } from '../../shared/errors.js';
import { SqliteStore, type Store } from '../store.js';
import { type BlobStore, DirBlobStore } from '../store-blobs.js';

export interface StoreConfig {
  /** The SQLite file (embedded mode). */
  dbFile: string;
  /** postgres:// URL: the shared database of a multi-node deployment. */
  databaseUrl?: string;
  /** Connections per node to PostgreSQL. */
  poolSize?: number;
  /** Where blobs go: 'pg' (the default with a database URL) or 'dir' (beside the SQLite file). */
  blobStore?: 'dir' | 'pg';
}

export async function openStore(c: StoreConfig): Promise<Store> {
  if (!c.databaseUrl) return new SqliteStore(c.dbFile);
  const [{ PgStore }, { guarded }] = await Promise.all([import('./pg.js'), import('./pg-unavailable.js')]);
  return guarded(await PgStore.open(c.databaseUrl, { poolSize: c.poolSize, applicationName: `parley-${process.pid}` }));
}

/** The blob store the configuration names, over the store `openStore` gave. */
export async function openBlobStore(c: StoreConfig, store: Store): Promise<BlobStore> {
  const kind = c.blobStore ?? (c.databaseUrl ? 'pg' : 'dir');
  if (kind === 'dir') return new DirBlobStore(join(dirname(c.dbFile), 'blobs'));
  const { PgStore } = await import('./pg.js');
  if (!(store instanceof PgStore))
    throw new ParleyError('ERR_CONFIG', 'PARLEY_BLOB_STORE=pg needs PARLEY_DATABASE_URL');
  const { guarded } = await import('./pg-unavailable.js');
  return guarded(store.blobStore());
}
