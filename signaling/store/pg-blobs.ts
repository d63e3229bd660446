// Marketplace blobs in PostgreSQL, in 1 MiB `bytea` chunks (stored uncompressed: ciphertext does
// not compress), so that every node serves every blob and backups hold them with the ledger. An
// upload is written under its own id while it streams in; placing it records that id as the
// listing's blob; readers fetch one chunk per query (bounded memory, no long transaction).

import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { ParleyError } from '../../shared/errors.js';
import type { BlobKind } from '../../shared/market.js';
import { type BlobStore, interrupted, type Staged, tooLarge } from '../store-blobs.js';

const CHUNK_BYTES = 1024 * 1024;
/** An upload whose newest chunk is this old, and that no blob names, was cut off (its node died). */
const ORPHAN_AFTER_MS = 60 * 60 * 1000;

/**
 * Deletes the chunks of uploads that never became a blob and have written nothing for
 * ORPHAN_AFTER_MS (by the database's clock). A live upload writes a chunk per MiB and HTTP ends a
 * request long before that; a refused or interrupted upload deletes its own chunks at once, so
 * only an upload whose node died mid-stream leaves any. Returns how many chunks went.
 */
export async function sweepOrphanChunks(pool: pg.Pool): Promise<number> {
  const r = await pool.query(
    `DELETE FROM blob_chunks WHERE upload IN (
       SELECT upload FROM blob_chunks GROUP BY upload
       HAVING MAX(at) < (extract(epoch FROM clock_timestamp()) * 1000)::bigint - $1
       EXCEPT SELECT upload FROM blobs)`,
    [ORPHAN_AFTER_MS],
  );
  return r.rowCount ?? 0;
}

export class PgBlobStore implements BlobStore {
  constructor(private readonly pool: pg.Pool) {}

  async receive(listing: string, kind: BlobKind, req: IncomingMessage, maxBytes: number): Promise<Staged> {
    const upload = crypto.randomUUID();
    const discard = async () => void (await this.pool.query('DELETE FROM blob_chunks WHERE upload = $1', [upload]));
    let size = 0;
    let n = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const bytes = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await this.pool.query('INSERT INTO blob_chunks (upload, n, bytes) VALUES ($1, $2, $3)', [upload, n++, bytes]);
    };
    let writing = Promise.resolve();
    try {
      await new Promise<void>((resolve, reject) => {
        let failed = false;
        const fail = (e: unknown) => {
          if (failed) return;
          failed = true;
          req.resume(); // discard the rest without keeping it; the coded answer still goes out
          reject(e);
        };
        req.on('data', (c: Buffer) => {
          if (failed) return;
          size += c.length;
          if (size > maxBytes) return fail(tooLarge(maxBytes));
          pending.push(c);
          pendingBytes += c.length;
          if (pendingBytes < CHUNK_BYTES) return;
          req.pause(); // one chunk in flight at a time
          writing = writing.then(flush).then(() => void (failed || req.resume()), fail);
        });
        req.on('aborted', () => fail(interrupted()));
        req.on('error', fail);
        req.on('end', () => {
          writing = writing.then(flush).then(() => void (failed || resolve()), fail);
        });
      });
    } catch (e) {
      await writing.catch(() => undefined); // the chunk in flight, if any, before deleting them all
      await discard().catch(() => undefined);
      throw e instanceof ParleyError ? e : interrupted();
    }
    return {
      size,
      discard,
      place: async () =>
        void (await this.pool.query(
          'INSERT INTO blobs (listing, kind, upload, size) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [listing, kind, upload, size],
        )),
    };
  }

  async open(listing: string, kind: BlobKind): Promise<{ size: number; stream: Readable } | null> {
    const { rows } = await this.pool.query<{ upload: string; size: number }>(
      'SELECT upload, size FROM blobs WHERE listing = $1 AND kind = $2',
      [listing, kind],
    );
    const blob = rows[0];
    if (!blob) return null;
    const pool = this.pool;
    async function* chunks() {
      for (let n = 0; ; n++) {
        const r = await pool.query<{ bytes: Buffer }>('SELECT bytes FROM blob_chunks WHERE upload = $1 AND n = $2', [
          blob!.upload,
          n,
        ]);
        if (!r.rows[0]) return;
        yield r.rows[0].bytes;
      }
    }
    return { size: blob.size, stream: Readable.from(chunks()) };
  }
}
