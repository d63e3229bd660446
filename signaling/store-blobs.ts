// Where marketplace blobs are kept, behind one interface: a directory (embedded mode,
// <dataDir>/blobs/<listing>/<kind>) or PostgreSQL in chunks (store/pg-blobs.ts, the default with
// a database URL, so every node serves every blob). An upload is received into a staging place,
// then placed only if the listing's write-once claim (store.setListingBlob) was won; a refused or
// interrupted upload keeps nothing.

import { createReadStream, createWriteStream, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { ParleyError } from '../shared/errors.js';
import type { BlobKind } from '../shared/market.js';

/** A received upload, not yet visible to readers. */
export interface Staged {
  size: number;
  /** Makes it the listing's blob (after the claim was won). */
  place(): Promise<void>;
  discard(): Promise<void>;
}

export interface BlobStore {
  /** Streams the request body into a staging place; past `maxBytes`, ERR_TOO_LARGE and nothing kept. */
  receive(listing: string, kind: BlobKind, req: IncomingMessage, maxBytes: number): Promise<Staged>;
  /** The placed blob, or null while there is none. */
  open(listing: string, kind: BlobKind): Promise<{ size: number; stream: Readable } | null>;
}

export const tooLarge = (maxBytes: number) =>
  new ParleyError('ERR_TOO_LARGE', `blobs are limited to ${maxBytes} bytes`);
export const interrupted = () => new ParleyError('ERR_BAD_REQUEST', 'the upload was interrupted');

const removed = (file: string) => {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
};

export class DirBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  async receive(listing: string, kind: BlobKind, req: IncomingMessage, maxBytes: number): Promise<Staged> {
    const file = join(this.dir, listing, kind);
    const part = `${file}.${crypto.randomUUID()}.part`;
    mkdirSync(dirname(part), { recursive: true });
    const out = createWriteStream(part, { mode: 0o600 });
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: unknown) => {
        if (failed) return;
        failed = true;
        req.unpipe(out);
        req.resume(); // discard the rest without keeping it
        out.destroy();
        out.once('close', () => {
          removed(part);
          reject(e);
        });
      };
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) fail(tooLarge(maxBytes));
      });
      req.on('aborted', () => fail(interrupted()));
      req.on('error', fail);
      out.on('error', fail);
      out.on('finish', () => !failed && resolve());
      req.pipe(out);
    });
    return { size, place: async () => renameSync(part, file), discard: async () => removed(part) };
  }

  async open(listing: string, kind: BlobKind): Promise<{ size: number; stream: Readable } | null> {
    const file = join(this.dir, listing, kind);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return null;
    }
    return { size, stream: createReadStream(file) };
  }
}
