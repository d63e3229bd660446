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
    try {
      for await (const c of req as AsyncIterable<Buffer>) {
        size += c.length;
        if (size > maxBytes) throw tooLarge(maxBytes);
        pending.push(c);
        pendingBytes += c.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
      if (req.readableAborted) throw interrupted();
      await flush();
    } catch (e) {
      req.resume(); // discard the rest without keeping it
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
